//! The users area: the people of each customer. Its commands ([`UserCommand`]), what each
//! needs before its transaction (`prepare.rs`: validation and the scans a transaction cannot
//! make) and what each does inside it (`apply.rs`).
//!
//! A user is one identity per email, shared with staff; this area manages users' names,
//! language, notifications and status and their memberships in customers. Staff accounts are
//! the staff area's (`staff edit|disable|enable`): a user command that would change a staff
//! member's access is refused here with the command to use. Nothing in this area sends a
//! message: users created here set their password through a reset.

mod account;
mod apply;
mod prepare;

pub(crate) use apply::{customer_for_people, keep_an_admin};
pub(crate) use prepare::not_here;

use serde::{Deserialize, Serialize};

use super::scope::CustomerNeed;
use super::{Ctx, Outcome, Service, ServiceError, Session, TxResult};
use crate::domain::{AuditAction, CustomerRole, Privilege};
use crate::store::Tx;

/// A user created directly in a customer, by staff or by one of its administrators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    /// The customer's slug.
    pub customer: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: CustomerRole,
    /// The customer's language when absent.
    pub language: Option<String>,
    /// Values of the users' custom fields by field name, raw (D131).
    #[serde(default)]
    pub fields: Vec<(String, String)>,
}

/// Changes to a user; `None` leaves a field as it is. `role` changes the role in the customer
/// named by `customer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct UserChanges {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub language: Option<String>,
    pub notifications: Option<bool>,
    pub role: Option<CustomerRole>,
    /// The customer whose role changes (required with `role`).
    pub customer: Option<String>,
    /// Values of the users' custom fields by field name, raw; an empty value clears one.
    #[serde(default)]
    pub fields: Vec<(String, String)>,
}

/// A change to one user, named by email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserCommand {
    Add(NewUser),
    Edit {
        email: String,
        changes: UserChanges,
    },
    Disable {
        email: String,
    },
    Enable {
        email: String,
    },
    /// Deletes the user with their memberships.
    Delete {
        email: String,
    },
    /// Ends the user's membership in one customer.
    Remove {
        email: String,
        customer: String,
    },
    /// The acting user turns their own notifications on or off.
    SetOwnNotifications {
        on: bool,
    },
    /// Writes the user's welcome message to the outbox (users created by staff get none by
    /// themselves).
    Welcome {
        email: String,
    },
}

impl UserCommand {
    /// The audit action it writes and the privilege staff need for it. Customer sessions are
    /// checked by [`UserCommand::customer_need`] instead, and any user may set their own
    /// notifications ([`UserCommand::is_self_service`]).
    pub fn spec(&self) -> (AuditAction, Privilege) {
        let action = match self {
            Self::Add(_) => AuditAction::UserAdd,
            Self::Edit { .. } | Self::SetOwnNotifications { .. } => AuditAction::UserEdit,
            Self::Disable { .. } => AuditAction::UserDisable,
            Self::Enable { .. } => AuditAction::UserEnable,
            Self::Delete { .. } => AuditAction::UserDelete,
            Self::Remove { .. } => AuditAction::UserRemove,
            Self::Welcome { .. } => AuditAction::UserWelcome,
        };
        (action, Privilege::ManageCustomers)
    }

    /// What the command asks of a customer session (see `scope.rs`); `None` for what only
    /// staff do (deleting a user) and for self-service.
    pub(crate) fn customer_need(&self) -> Option<CustomerNeed<'_>> {
        use CustomerRole::Administrator as Admin;
        Some(match self {
            Self::Add(new) => CustomerNeed {
                grants: Some(new.role),
                ..CustomerNeed::in_customer(&new.customer, Admin)
            },
            Self::Edit { email, changes } => CustomerNeed {
                customer: changes.customer.as_deref(),
                grants: changes.role,
                whole_account: changes.first_name.is_some()
                    || changes.last_name.is_some()
                    || changes.language.is_some()
                    || changes.notifications.is_some()
                    || !changes.fields.is_empty(),
                ..CustomerNeed::on_member(email, Admin)
            },
            Self::Disable { email } | Self::Enable { email } => CustomerNeed {
                whole_account: true,
                ..CustomerNeed::on_member(email, Admin)
            },
            Self::Remove { email, customer } => CustomerNeed {
                customer: Some(customer),
                ..CustomerNeed::on_member(email, Admin)
            },
            Self::Welcome { email } => CustomerNeed::on_member(email, Admin),
            Self::Delete { .. } | Self::SetOwnNotifications { .. } => return None,
        })
    }

    /// True for the commands that act on the session's own account only, which any signed-in
    /// user may run.
    pub fn is_self_service(&self) -> bool {
        matches!(self, Self::SetOwnNotifications { .. })
    }

    /// Validates and reads what the command needs before its transaction.
    pub(crate) fn prepare(
        self,
        service: &Service,
        session: &Session,
    ) -> Result<Prepared, ServiceError> {
        // An independent organisation's people are its own (D129).
        let action = self.spec().0;
        let (slug, email) = match &self {
            Self::Add(new) => (Some(new.customer.as_str()), None),
            Self::Remove { customer, .. } => (Some(customer.as_str()), None),
            Self::Edit { email, .. }
            | Self::Disable { email }
            | Self::Enable { email }
            | Self::Delete { email }
            | Self::Welcome { email } => (None, Some(email.as_str())),
            Self::SetOwnNotifications { .. } => (None, None),
        };
        service.refuse_staff_on_people(session, slug, email, action)?;
        Ok(match self {
            Self::Add(new) => Prepared::Add(prepare::add(service, session, new)?),
            Self::Edit { email, changes } => {
                Prepared::Edit(prepare::edit(service, session, &email, changes)?)
            }
            Self::Disable { email } => Prepared::SetEnabled {
                email_key: prepare::key(&email)?,
                enabled: false,
            },
            Self::Enable { email } => Prepared::SetEnabled {
                email_key: prepare::key(&email)?,
                enabled: true,
            },
            Self::Delete { email } => Prepared::Delete(prepare::delete(service, &email)?),
            Self::Remove { email, customer } => {
                Prepared::Remove(prepare::remove(service, &email, &customer)?)
            }
            Self::Welcome { email } => Prepared::Welcome {
                email_key: prepare::key(&email)?,
                message: service
                    .compose_welcome(&email, session.customer_scope().map(|(c, _)| c))?,
            },
            Self::SetOwnNotifications { on } => Prepared::OwnNotifications {
                user: session.user_id().ok_or_else(|| {
                    ServiceError::Refused("only a signed-in user has notifications".into())
                })?,
                on,
            },
        })
    }
}

/// A user command ready for its transaction.
pub(crate) enum Prepared {
    Add(prepare::PreparedUser),
    Edit(prepare::PreparedUserEdit),
    SetEnabled {
        email_key: String,
        enabled: bool,
    },
    Delete(prepare::PreparedDelete),
    Remove(prepare::PreparedRemove),
    OwnNotifications {
        user: crate::domain::UserId,
        on: bool,
    },
    Welcome {
        email_key: String,
        message: crate::service::messages::Composed,
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
            Self::Add(u) => apply::add(tx, ctx, action, u),
            Self::Edit(e) => apply::edit(tx, ctx, action, e),
            Self::SetEnabled { email_key, enabled } => {
                account::set_enabled(tx, ctx, action, email_key, *enabled)
            }
            Self::Delete(d) => apply::delete(tx, ctx, action, d),
            Self::Remove(r) => apply::remove(tx, ctx, action, r),
            Self::OwnNotifications { user, on } => {
                account::own_notifications(tx, ctx, action, *user, *on)
            }
            Self::Welcome { email_key, message } => {
                account::welcome(tx, ctx, action, email_key, &message.id)
            }
        }
    }

    /// After the commit: a welcome message is written to the outbox (and delivered, when a
    /// command is set). Returns what became of it.
    pub(crate) fn after_commit(self, service: &Service) -> Option<String> {
        let Self::Welcome { message, .. } = self else {
            return None;
        };
        Some(
            match service.outbox().and_then(|o| {
                o.write(&message.id, &message.bytes)
                    .map_err(|e| ServiceError::Refused(e.to_string()))
                    .map(|_| o)
            }) {
                Ok(outbox) => service.deliver(&outbox, &message.id),
                Err(e) => format!("not written: {e}"),
            },
        )
    }
}
