//! An invitation as tables and JSON show it: never its token or the token's hash. The state
//! is computed for the moment of the read (a pending invitation past its time is expired).

use serde::{Deserialize, Serialize};

use crate::domain::time::as_rfc3339;
use crate::domain::{Customer, Invitation, InvitationState, Timestamp};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationRow {
    pub id: u64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub customer: String,
    pub customer_name: String,
    pub role: String,
    pub language: String,
    pub status: InvitationState,
    pub invited_by: Option<String>,
    #[serde(with = "as_rfc3339")]
    pub created_at: Timestamp,
    #[serde(with = "as_rfc3339")]
    pub expires_at: Timestamp,
    #[serde(with = "as_rfc3339::option")]
    pub resolved_at: Option<Timestamp>,
    /// Messages sent for it: the first and each resend.
    pub sent: u32,
    /// It can be resent and revoked (pending, or expired and still revivable).
    pub open: bool,
    /// It is the invitation of the customer's owner, which is not deleted.
    pub of_owner: bool,
}

impl InvitationRow {
    pub fn new(
        inv: &Invitation,
        customer: &Customer,
        invited_by: Option<String>,
        now: Timestamp,
    ) -> Self {
        Self {
            id: inv.id.0,
            email: inv.email.clone(),
            first_name: inv.first_name.clone(),
            last_name: inv.last_name.clone(),
            customer: customer.slug.to_string(),
            customer_name: customer.name.clone(),
            role: inv.role.as_str().to_owned(),
            language: inv.language.clone(),
            status: inv.state(now),
            invited_by,
            created_at: inv.created_at,
            expires_at: inv.expires_at,
            resolved_at: inv.resolved_at,
            sent: inv.sent,
            open: inv.is_open(),
            of_owner: customer.owner == Some(inv.user),
        }
    }

    /// Column names of the table and CSV forms, as the JSON names them.
    pub const COLUMNS: [&'static str; 7] = [
        "email",
        "customer",
        "role",
        "status",
        "expires_at",
        "invited_by",
        "sent",
    ];

    /// The cells of the table and CSV forms, in [`InvitationRow::COLUMNS`] order.
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.email.clone(),
            self.customer.clone(),
            self.role.clone(),
            self.status.as_str().to_owned(),
            self.expires_at.to_rfc3339(),
            self.invited_by.clone().unwrap_or_default(),
            self.sent.to_string(),
        ]
    }
}
