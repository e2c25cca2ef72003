//! Plain rows returned by queries and outcomes: what front ends show, with no references into
//! the store. Times serialise as RFC 3339 text.

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use super::Session;
use super::allowed::AllowedActions;
use crate::domain::fields::FieldSchema;
use crate::domain::time::as_rfc3339;
use crate::domain::{
    AuditEvent, Customer, CustomerKind, CustomerRole, CustomerStatus, Timestamp, User,
};

/// One customer as tables and JSON show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRow {
    pub id: u64,
    pub slug: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: CustomerKind,
    pub status: CustomerStatus,
    pub language: String,
    pub owner_email: Option<String>,
    pub owner_name: Option<String>,
    pub owner_first_name: Option<String>,
    pub owner_last_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub postal_address: Option<String>,
    pub website: Option<String>,
    pub is_provider: bool,
    /// An independent organisation, which manages itself (D129).
    pub independent: bool,
    #[serde(with = "as_rfc3339")]
    pub created_at: Timestamp,
    #[serde(with = "as_rfc3339")]
    pub updated_at: Timestamp,
    #[serde(with = "as_rfc3339::option")]
    pub deleted_at: Option<Timestamp>,
    pub deleted_by: Option<String>,
    /// When a trashed customer will be purged automatically.
    #[serde(with = "as_rfc3339::option")]
    pub purge_at: Option<Timestamp>,
    /// Its custom fields in use that hold a value, by field name (for a customer's own users,
    /// the ones it sees). Left out of JSON when empty; CSV listings give each field a column of
    /// its own instead (D131).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
    /// What the session the row was read for may do to this customer (computed by the
    /// service; not part of the JSON or CSV output).
    #[serde(skip)]
    pub allowed: AllowedActions,
}

impl CustomerRow {
    /// The row for `customer` as `session` sees it: `allowed` says what that session may do.
    pub fn new(
        customer: &Customer,
        owner: Option<&User>,
        retention_days: u32,
        schema: &FieldSchema,
        session: &Session,
    ) -> Self {
        let customer_side = session.is_customer_side();
        let fields = customer
            .fields
            .iter()
            .filter_map(|v| {
                let def = schema.get(v.field)?;
                let shown = !def.removed && (!customer_side || def.customer_visible);
                shown.then(|| (def.name.clone(), v.value.clone()))
            })
            .collect();
        Self {
            id: customer.id.0,
            slug: customer.slug.to_string(),
            name: customer.name.clone(),
            kind: customer.kind,
            status: customer.status,
            language: customer.language.clone(),
            owner_email: owner.map(|u| u.email.clone()),
            owner_name: owner.map(User::full_name),
            owner_first_name: owner.map(|u| u.first_name.clone()),
            owner_last_name: owner.map(|u| u.last_name.clone()),
            contact_email: customer.contact_email.clone(),
            contact_phone: customer.contact_phone.clone(),
            postal_address: customer.postal_address.clone(),
            website: customer.website.clone(),
            is_provider: customer.is_provider,
            independent: customer.independent.is_some(),
            created_at: customer.created_at,
            updated_at: customer.updated_at,
            deleted_at: customer.deleted.as_ref().map(|d| d.at),
            deleted_by: customer.deleted.as_ref().map(|d| d.by.clone()),
            purge_at: customer
                .deleted
                .as_ref()
                .map(|d| d.at.plus_days(retention_days)),
            fields,
            allowed: AllowedActions::for_customer(session, customer),
        }
    }

    /// The fields in serialisation order, as text: the cells of `customer list --format csv`
    /// before the spreadsheet escape (a unit test in the CLI keeps them equal to what `serde`
    /// writes).
    pub fn csv_cells(&self) -> [String; 21] {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let time = |t: Option<Timestamp>| t.map(Timestamp::to_rfc3339).unwrap_or_default();
        [
            self.id.to_string(),
            self.slug.clone(),
            self.name.clone(),
            self.kind.as_str().to_owned(),
            self.status.as_str().to_owned(),
            self.language.clone(),
            opt(&self.owner_email),
            opt(&self.owner_name),
            opt(&self.owner_first_name),
            opt(&self.owner_last_name),
            opt(&self.contact_email),
            opt(&self.contact_phone),
            opt(&self.postal_address),
            opt(&self.website),
            self.is_provider.to_string(),
            self.independent.to_string(),
            self.created_at.to_rfc3339(),
            self.updated_at.to_rfc3339(),
            time(self.deleted_at),
            opt(&self.deleted_by),
            time(self.purge_at),
        ]
    }
}

/// A member of a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub email: String,
    pub name: String,
    pub role: String,
    pub status: String,
    pub is_owner: bool,
}

impl MemberRow {
    pub fn new(user: &User, role: CustomerRole, is_owner: bool) -> Self {
        Self {
            email: user.email.clone(),
            name: user.full_name(),
            role: role.as_str().to_owned(),
            status: user.status.as_str().to_owned(),
            is_owner,
        }
    }
}

/// A customer with everything known about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerDetail {
    #[serde(flatten)]
    pub row: CustomerRow,
    pub members: Vec<MemberRow>,
    pub audit_events: u64,
    /// Services, system, plan and independence.
    pub account: super::accounts::AccountView,
    /// Its user groups with their members; empty for a reader who does not see its people.
    pub groups: Vec<super::groups::GroupRow>,
    /// Its custom fields with their values (the customer-visible ones for its own users).
    pub fields: Vec<super::field_values::FieldShown>,
}

impl CustomerDetail {
    /// Takes the customer's row as a command left it: its fields, and the values of its
    /// custom fields shown (the row holds each one set).
    pub fn refresh_row(&mut self, row: &CustomerRow) {
        self.row = row.clone();
        for field in &mut self.fields {
            field.value = row.fields.get(&field.name).cloned();
        }
    }
}

/// A staff member; never carries the password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRow {
    pub id: u64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: String,
    pub status: String,
    pub unix_user: Option<String>,
    pub has_password: bool,
    #[serde(with = "as_rfc3339")]
    pub created_at: Timestamp,
}

impl StaffRow {
    pub fn new(user: &User) -> Self {
        Self {
            id: user.id.0,
            email: user.email.clone(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            role: user.staff_role.map(|r| r.as_str()).unwrap_or("").to_owned(),
            status: user.status.as_str().to_owned(),
            unix_user: user.unix_user.clone(),
            has_password: user.password_hash.is_some(),
            created_at: user.created_at,
        }
    }
}

/// One audit event as the log shows and exports it: every hashed field, in the published
/// names of `docs/audit-format.md`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub seq: u64,
    pub at: String,
    pub actor_kind: String,
    pub actor_id: String,
    pub actor_email: String,
    pub impersonated_id: String,
    pub impersonated_slug: String,
    pub impersonated_name: String,
    pub customer_id: String,
    pub customer_slug: String,
    pub customer_name: String,
    pub action: String,
    pub summary: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRow {
    pub fn new(event: &AuditEvent) -> Self {
        let [
            seq,
            at,
            actor_kind,
            actor_id,
            actor_email,
            impersonated_id,
            impersonated_slug,
            impersonated_name,
            customer_id,
            customer_slug,
            customer_name,
            action,
            summary,
            prev_hash,
        ] = event.canonical_fields();
        debug_assert_eq!(seq, event.seq.to_string());
        Self {
            seq: event.seq,
            at,
            actor_kind,
            actor_id,
            actor_email,
            impersonated_id,
            impersonated_slug,
            impersonated_name,
            customer_id,
            customer_slug,
            customer_name,
            action,
            summary,
            prev_hash,
            hash: hex::encode(event.hash),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CustomerId, Deletion, Slug};

    #[test]
    fn csv_cells_are_what_serde_writes_for_each_field() {
        let customer = Customer {
            id: CustomerId(7),
            name: "Acme".into(),
            slug: Slug::from_stored("acme".into()),
            kind: Default::default(),
            status: Default::default(),
            language: "de".into(),
            owner: None,
            contact_email: Some("c@acme.example".into()),
            contact_phone: None,
            postal_address: None,
            website: None,
            services: Vec::new(),
            system: crate::domain::systems::SystemId(1),
            plan: None,
            independent: None,
            fields: Vec::new(),
            is_provider: false,
            created_at: Timestamp(1_767_225_600_000),
            updated_at: Timestamp(1_767_225_601_000),
            deleted: Some(Deletion {
                at: Timestamp(1_767_225_602_000),
                by: "ops@example.com".into(),
            }),
        };
        let row = CustomerRow::new(
            &customer,
            None,
            30,
            &Default::default(),
            &crate::service::Session::system(),
        );
        let mut serde_csv = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        serde_csv.serialize(&row).unwrap();
        let mut cells_csv = csv::Writer::from_writer(Vec::new());
        cells_csv.write_record(row.csv_cells()).unwrap();
        assert_eq!(
            cells_csv.into_inner().unwrap(),
            serde_csv.into_inner().unwrap()
        );
    }
}
