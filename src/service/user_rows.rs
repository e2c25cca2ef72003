//! The rows of the users area: a user as tables and JSON show it, with the customers they
//! belong to, and a user with their recent history. Plain values, no references into the
//! store; times serialise as RFC 3339 text. Never carries a password hash or a token.

use serde::{Deserialize, Serialize};

use super::rows::AuditRow;
use crate::domain::time::as_rfc3339;
use crate::domain::{Customer, Membership, Timestamp, User};

/// One customer a user belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserCustomer {
    pub slug: String,
    pub name: String,
    pub role: String,
    /// `active`, or `pending` while an invitation waits.
    pub status: String,
    pub is_owner: bool,
}

impl UserCustomer {
    pub fn new(customer: &Customer, user: &User, membership: &Membership) -> Self {
        Self {
            slug: customer.slug.to_string(),
            name: customer.name.clone(),
            role: membership.role.as_str().to_owned(),
            status: membership.status.as_str().to_owned(),
            is_owner: customer.owner == Some(user.id),
        }
    }
}

/// One user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: u64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub status: String,
    pub email_verified: bool,
    pub language: String,
    pub notifications: bool,
    /// The staff role, when the user is also staff.
    pub staff_role: Option<String>,
    /// How the user was created: `staff`, `customer-admin`, `invitation` or `import`.
    pub origin: String,
    /// The email of who created the user, when known.
    pub created_by: Option<String>,
    pub customers: Vec<UserCustomer>,
    #[serde(with = "as_rfc3339")]
    pub created_at: Timestamp,
    #[serde(with = "as_rfc3339::option")]
    pub last_sign_in: Option<Timestamp>,
}

impl UserRow {
    /// Disabling, enabling and deleting are the staff area's for a staff member (`staff
    /// disable|enable`), as the user commands refuse them.
    pub fn is_staff(&self) -> bool {
        self.staff_role.is_some()
    }

    /// An owner of a customer is not deleted (give the customer another owner first), nor is
    /// a staff member, as `user delete` refuses them.
    pub fn may_be_deleted(&self) -> bool {
        !self.is_staff() && !self.customers.iter().any(|c| c.is_owner)
    }

    pub fn new(user: &User, created_by: Option<String>, customers: Vec<UserCustomer>) -> Self {
        Self {
            id: user.id.0,
            email: user.email.clone(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            status: user.status.as_str().to_owned(),
            email_verified: user.email_verified,
            language: user.language.clone(),
            notifications: user.notifications,
            staff_role: user.staff_role.map(|r| r.as_str().to_owned()),
            origin: user.origin.as_str().to_owned(),
            created_by,
            customers,
            created_at: user.created_at,
            last_sign_in: user.last_sign_in,
        }
    }

    /// The cells of the CSV and table forms, in [`UserRow::COLUMNS`] order; the customers
    /// are `slug:role` pairs joined by spaces (a pending membership is marked `slug:role?`).
    pub fn cells(&self) -> Vec<String> {
        let customers: Vec<String> = self
            .customers
            .iter()
            .map(|c| {
                let pending = if c.status == "pending" { "?" } else { "" };
                format!("{}:{}{pending}", c.slug, c.role)
            })
            .collect();
        vec![
            self.email.clone(),
            self.first_name.clone(),
            self.last_name.clone(),
            self.status.clone(),
            self.email_verified.to_string(),
            self.language.clone(),
            customers.join(" "),
            self.last_sign_in
                .map(|t| t.to_rfc3339())
                .unwrap_or_default(),
        ]
    }

    /// Column names of the CSV and table forms, the JSON field names they come from.
    pub const COLUMNS: [&'static str; 8] = [
        "email",
        "first_name",
        "last_name",
        "status",
        "email_verified",
        "language",
        "customers",
        "last_sign_in",
    ];
}

/// A user with their recent history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDetail {
    #[serde(flatten)]
    pub row: UserRow,
    /// The newest events the user did or that concern them, newest first.
    pub recent_events: Vec<AuditRow>,
    /// The users' custom fields with this user's values (the customer-visible ones for a
    /// customer's user).
    pub fields: Vec<super::field_values::FieldShown>,
}
