//! The staff area: its commands ([`StaffCommand`]), what each needs before its transaction
//! (`prepare.rs`: validation, password hashing, the owner rules that need a scan) and what each
//! does inside it (`apply.rs`). A new staff command is a variant here, its arm in
//! [`StaffCommand::spec`], [`StaffCommand::prepare`] and [`Prepared::apply`], and its function
//! in `apply.rs`.
//!
//! One rule guards every change to a staff account: the platform always keeps an owner who can
//! sign in. Nothing in this area hashes a password or scans inside a transaction.

mod apply;
mod prepare;

use serde::{Deserialize, Serialize};

use super::{Ctx, Outcome, Service, ServiceError, Session, TxResult};
use crate::domain::text::email_key;
use crate::domain::{AuditAction, Privilege, StaffRole, UserId};
use crate::store::Tx;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewStaff {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: StaffRole,
    pub unix_user: Option<String>,
    pub password: Option<String>,
}

/// Changes to a staff member; `unix_user: Some("")` removes the link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct StaffChanges {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub role: Option<StaffRole>,
    pub unix_user: Option<String>,
    pub password: Option<String>,
}

/// A change to one staff member, named by email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StaffCommand {
    Add(NewStaff),
    Edit {
        email: String,
        changes: StaffChanges,
    },
    Disable {
        email: String,
    },
    Enable {
        email: String,
    },
}

impl StaffCommand {
    /// The audit action it writes and the privilege it needs.
    pub fn spec(&self) -> (AuditAction, Privilege) {
        let action = match self {
            Self::Add(_) => AuditAction::StaffAdd,
            Self::Edit { .. } => AuditAction::StaffEdit,
            Self::Disable { .. } => AuditAction::StaffDisable,
            Self::Enable { .. } => AuditAction::StaffEnable,
        };
        (action, Privilege::ManageStaff)
    }

    /// Validates, hashes passwords and reads what the command needs before its transaction.
    pub(crate) fn prepare(
        self,
        service: &Service,
        session: &Session,
    ) -> Result<Prepared, ServiceError> {
        Ok(match self {
            Self::Add(new) => {
                let staff = service.prepare_add_staff(session, new)?;
                service.refuse_lookalike_email("email", &staff.email)?;
                Prepared::Add(staff)
            }
            Self::Edit { email, changes } => {
                Prepared::Edit(service.prepare_edit_staff(session, &email, changes)?)
            }
            Self::Disable { email } => {
                let key = email_key(email.trim());
                service.refuse_owner_change_by_non_owner(session, &key)?;
                Prepared::Disable {
                    other_owners: service.other_owners_who_can_sign_in(&key)?,
                    email_key: key,
                }
            }
            Self::Enable { email } => {
                let key = email_key(email.trim());
                service.refuse_owner_change_by_non_owner(session, &key)?;
                Prepared::Enable { email_key: key }
            }
        })
    }
}

/// A staff command ready for its transaction.
pub(crate) enum Prepared {
    Add(prepare::PreparedStaff),
    Edit(prepare::PreparedStaffEdit),
    Disable {
        email_key: String,
        other_owners: Vec<UserId>,
    },
    Enable {
        email_key: String,
    },
}

impl Prepared {
    pub(crate) fn apply(
        &self,
        tx: &Tx<'_, ServiceError>,
        ctx: &Ctx<'_>,
        action: AuditAction,
    ) -> TxResult<Outcome> {
        match self {
            Self::Add(s) => apply::add(tx, ctx, action, s),
            Self::Edit(s) => apply::edit(tx, ctx, action, s),
            Self::Disable {
                email_key,
                other_owners,
            } => apply::disable(tx, ctx, action, email_key, other_owners),
            Self::Enable { email_key } => apply::enable(tx, ctx, action, email_key),
        }
    }
}
