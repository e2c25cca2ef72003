//! The invitations area: inviting a person into a corporate customer, resending, revoking
//! and deleting an invitation ([`InvitationCommand`]). Accepting one needs no session and is
//! [`Service::accept_invitation`] (`service/tokens.rs`).
//!
//! An invitation's message carries its token, which the database must know before the
//! message exists: `prepare` makes the token and stages the message in the outbox, the
//! transaction stores only the token's SHA-256, and [`Prepared::after_commit`] makes the
//! message visible (or delivers it). A command that fails drops the staged message. Nothing
//! here writes a token anywhere else: not in an event, a log line or an error.

mod apply;

use serde::{Deserialize, Serialize};

use super::messages::Addressee;
use super::scope::CustomerNeed;
use super::{Ctx, Outcome, Service, ServiceError, Session, TxResult};
use crate::domain::customer::clean_language;
use crate::domain::invitation::{DEFAULT_INVITATION_DAYS, check_invitation_days};
use crate::domain::text::{clean_email, email_key};
use crate::domain::user::clean_person_name;
use crate::domain::{AuditAction, CustomerRole, Privilege, Timestamp, UserId};
use crate::mail::{MessageKind, Staged};
use crate::store::Tx;

/// A person to invite into a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewInvitation {
    pub customer: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: CustomerRole,
    /// The customer's language when absent.
    pub language: Option<String>,
    /// Days it is valid, 1 to 30; 7 when absent.
    pub expires_days: Option<u32>,
}

/// A change to the invitation of one person (by email) into one customer (by slug).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationCommand {
    Create(NewInvitation),
    /// A new token and a new expiry; the old token stops working at once.
    Resend {
        email: String,
        customer: String,
    },
    Revoke {
        email: String,
        customer: String,
    },
    /// Removes the invitation, its membership, and the user it created unless that user
    /// has another membership or a staff role.
    Delete {
        email: String,
        customer: String,
    },
}

impl InvitationCommand {
    pub fn spec(&self) -> (AuditAction, Privilege) {
        let action = match self {
            Self::Create(_) => AuditAction::InvitationCreate,
            Self::Resend { .. } => AuditAction::InvitationResend,
            Self::Revoke { .. } => AuditAction::InvitationRevoke,
            Self::Delete { .. } => AuditAction::InvitationDelete,
        };
        (action, Privilege::ManageCustomers)
    }

    /// What the command asks of a customer session (see `scope.rs`): moderators invite
    /// members; resending, revoking and deleting are the administrators'.
    pub(crate) fn customer_need(&self) -> CustomerNeed<'_> {
        match self {
            Self::Create(new) => CustomerNeed {
                grants: Some(new.role),
                ..CustomerNeed::in_customer(&new.customer, CustomerRole::Moderator)
            },
            Self::Resend { customer, .. }
            | Self::Revoke { customer, .. }
            | Self::Delete { customer, .. } => {
                CustomerNeed::in_customer(customer, CustomerRole::Administrator)
            }
        }
    }

    pub(crate) fn prepare(
        self,
        service: &Service,
        session: &Session,
    ) -> Result<Prepared, ServiceError> {
        // An independent organisation's invitations are its own (D129).
        let slug = match &self {
            Self::Create(new) => new.customer.as_str(),
            Self::Resend { customer, .. }
            | Self::Revoke { customer, .. }
            | Self::Delete { customer, .. } => customer.as_str(),
        };
        service.refuse_staff_on_people(session, Some(slug), None, self.spec().0)?;
        Ok(match self {
            Self::Create(new) => Prepared::Create(prepare_create(service, session, new)?),
            Self::Resend { email, customer } => {
                Prepared::Resend(prepare_resend(service, &email, &customer)?)
            }
            Self::Revoke { email, customer } => Prepared::Revoke {
                email_key: email_key(email.trim()),
                customer: customer.trim().to_owned(),
            },
            Self::Delete { email, customer } => {
                let key = email_key(email.trim());
                let user = service.store().user_id_by_email(&key)?;
                let reads = match user {
                    Some(id) => DeleteReads {
                        customers_of_user: service.store().customers_of(id)?,
                        invitations_of_user: service.invitations_concerning(None, &[id])?,
                        reset_tokens: service.reset_tokens_of(&[id])?,
                        other_admins: match service.store().customer_id_by_slug(customer.trim())? {
                            Some(c) => service.other_admins_of(c, Some(id))?,
                            None => Vec::new(),
                        },
                    },
                    None => DeleteReads::default(),
                };
                Prepared::Delete {
                    email_key: key,
                    customer: customer.trim().to_owned(),
                    reads,
                }
            }
        })
    }
}

/// A message staged for an invitation, with the token it carries.
pub(crate) struct StagedMessage {
    pub token: String,
    pub hash: [u8; 32],
    pub expires_at: Timestamp,
    pub id: String,
    pub staged: Staged,
}

pub(crate) struct PreparedCreate {
    pub customer: String,
    pub email: String,
    pub email_key: String,
    pub first_name: String,
    pub last_name: String,
    pub role: CustomerRole,
    pub language: String,
    pub days: u32,
    pub message: StagedMessage,
}

pub(crate) struct PreparedResend {
    pub customer: String,
    pub email_key: String,
    pub message: StagedMessage,
}

pub(crate) enum Prepared {
    Create(PreparedCreate),
    Resend(PreparedResend),
    Revoke {
        email_key: String,
        customer: String,
    },
    Delete {
        email_key: String,
        customer: String,
        reads: DeleteReads,
    },
}

/// What deleting an invitation reads before its transaction (re-read inside it).
#[derive(Default)]
pub(crate) struct DeleteReads {
    /// The customers the user belongs to.
    pub customers_of_user: Vec<crate::domain::CustomerId>,
    /// Every invitation of the user, removed with the user if the user goes.
    pub invitations_of_user: Vec<crate::domain::InvitationId>,
    /// The user's reset tokens, removed with the user.
    pub reset_tokens: Vec<[u8; 32]>,
    /// The customer's other active administrators.
    pub other_admins: Vec<UserId>,
}

/// Makes the token, renders the message and stages it in the outbox.
fn stage(service: &Service, to: &Addressee<'_>, days: u32) -> Result<StagedMessage, ServiceError> {
    let token = service.new_token()?;
    let expires_at = service.now().plus_days(days);
    let composed = service.compose(
        MessageKind::Invitation,
        to,
        Some(&token.text),
        Some(expires_at),
    )?;
    let staged = service
        .outbox()?
        .stage(&composed.id, &hex::encode(token.hash), &composed.bytes)
        .map_err(|e| ServiceError::Refused(e.to_string()))?;
    Ok(StagedMessage {
        token: token.text,
        hash: token.hash,
        expires_at,
        id: composed.id,
        staged,
    })
}

/// The customer named by `slug` as it is now, for the message's text (the transaction checks
/// again whether it can take people).
fn customer_for_message(
    service: &Service,
    slug: &str,
) -> Result<crate::domain::Customer, ServiceError> {
    let missing = || ServiceError::not_found("customer", slug);
    let id = service
        .store()
        .customer_id_by_slug(slug.trim())?
        .ok_or_else(missing)?;
    service.store().customer(id)?.ok_or_else(missing)
}

fn prepare_create(
    service: &Service,
    session: &Session,
    new: NewInvitation,
) -> Result<PreparedCreate, ServiceError> {
    let email = clean_email("email", &new.email);
    let first_name = clean_person_name("first name", &new.first_name);
    let last_name = clean_person_name("last name", &new.last_name);
    let language = new.language.as_deref().map(clean_language).transpose();
    let days = check_invitation_days(new.expires_days.unwrap_or(DEFAULT_INVITATION_DAYS));
    // Every problem of the input at once, each naming its field.
    ServiceError::from_problems([
        email.as_ref().err(),
        first_name.as_ref().err(),
        last_name.as_ref().err(),
        language.as_ref().err(),
        days.as_ref().err(),
    ])?;
    let (Ok(email), Ok(first_name), Ok(last_name), Ok(language), Ok(days)) =
        (email, first_name, last_name, language, days)
    else {
        return Err(ServiceError::Refused("the invitation is not valid".into()));
    };
    if let Err(e) = service.refuse_lookalike_email("email", &email) {
        // A customer session is not told whose account another tenant's address looks like.
        return Err(match session.customer_scope() {
            Some(_) => super::users::not_here(),
            None => e,
        });
    }
    let customer = customer_for_message(service, &new.customer)?;
    let language = language.unwrap_or_else(|| customer.language.clone());
    let message = stage(
        service,
        &Addressee {
            email: &email,
            first_name: &first_name,
            last_name: &last_name,
            language: &language,
            customer: Some(&customer.name),
            role: Some(new.role.as_str()),
        },
        days,
    )?;
    Ok(PreparedCreate {
        customer: new.customer.trim().to_owned(),
        email_key: email_key(&email),
        email,
        first_name,
        last_name,
        role: new.role,
        language,
        days,
        message,
    })
}

fn prepare_resend(
    service: &Service,
    email: &str,
    slug: &str,
) -> Result<PreparedResend, ServiceError> {
    let key = email_key(email.trim());
    let customer = customer_for_message(service, slug)?;
    let invitation = service
        .store()
        .invitation_for(customer.id, &key)?
        .and_then(|id| service.store().invitation(id).transpose())
        .transpose()?
        .ok_or_else(|| ServiceError::not_found("invitation", format!("{email} to {slug}")))?;
    let message = stage(
        service,
        &Addressee {
            email: &invitation.email,
            first_name: &invitation.first_name,
            last_name: &invitation.last_name,
            language: &invitation.language,
            customer: Some(&customer.name),
            role: Some(invitation.role.as_str()),
        },
        invitation.valid_days,
    )?;
    Ok(PreparedResend {
        customer: slug.trim().to_owned(),
        email_key: key,
        message,
    })
}

impl Prepared {
    pub(crate) fn apply(
        &self,
        tx: &Tx<'_, ServiceError>,
        ctx: &Ctx<'_>,
        action: AuditAction,
    ) -> TxResult<Outcome> {
        match self {
            Self::Create(c) => apply::create(tx, ctx, action, c),
            Self::Resend(r) => apply::resend(tx, ctx, action, r),
            Self::Revoke {
                email_key,
                customer,
            } => apply::revoke(tx, ctx, action, email_key, customer),
            Self::Delete {
                email_key,
                customer,
                reads,
            } => apply::delete(tx, ctx, action, email_key, customer, reads),
        }
    }

    /// After the transaction committed: the staged message becomes visible (and is handed
    /// to the delivery command, if one is set). Returns what became of it.
    pub(crate) fn after_commit(self, service: &Service) -> Option<String> {
        let message = match self {
            Self::Create(c) => c.message,
            Self::Resend(r) => r.message,
            _ => return None,
        };
        let id = message.id.clone();
        Some(match message.staged.commit() {
            Ok(_) => match service.outbox() {
                Ok(outbox) => service.deliver(&outbox, &id),
                Err(e) => e.to_string(),
            },
            Err(e) => {
                tracing::warn!(error = %e, "a committed invitation's message is still pending");
                format!("still pending in the outbox ({e}); it is finished at the next start")
            }
        })
    }
}

/// Who invited: the acting user, when there is one.
pub(crate) fn inviter(session: &Session) -> Option<UserId> {
    session.user_id()
}
