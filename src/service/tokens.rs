//! What people do with the one-time tokens they were sent (R9): accept an invitation, ask for
//! a password reset, and reset the password. None of these needs a session: the token, or
//! the email for a request, is all there is.
//!
//! A token that is unknown, malformed, used, revoked, expired or ended by a password change
//! gets one message, [`ServiceError::InvalidToken`], which does not say which, and changes
//! nothing. A reset request gets one answer, [`RESET_REQUESTED`], whether or not the email
//! has an account, and at most three messages per email and hour are written. Tokens are
//! consumed in the transaction that uses them and never reach an event or a log line.

use super::messages::Addressee;
use super::{Ctx, Service, ServiceError, Session, record};
use crate::domain::invitation::{
    MAX_RESETS_PER_HOUR, RESET_TOKEN_MS, looks_like_token, token_hash,
};
use crate::domain::text::email_key;
use crate::domain::user::check_password_policy;
use crate::domain::{
    AuditAction, CustomerStatus, InvitationState, InvitationStatus, MembershipStatus,
    ResetRequests, ResetToken, Timestamp, UserStatus,
};
use crate::mail::MessageKind;

/// The one answer to a reset request.
pub const RESET_REQUESTED: &str = "if that email has an account, a message to reset its password is on its way; it works for one hour";

/// The window in which at most [`MAX_RESETS_PER_HOUR`] reset messages are written.
const RESET_WINDOW_MS: i64 = 60 * 60 * 1000;

/// What accepting an invitation did: who may now sign in, and where.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Accepted {
    pub email: String,
    pub customer: String,
}

/// True when accepting `inv` sets this account's password: the invitation created the
/// account, which has no password, is not staff and belongs to no other customer. The holder
/// of a code (the operator who made it sees it) must never set the password of an account
/// that existed before, even one without a password yet: that would hand them someone
/// else's account in another customer.
fn sets_password_of(
    user: &crate::domain::User,
    inv: &crate::domain::Invitation,
    customers: usize,
) -> bool {
    user.password_hash.is_none() && user.staff_role.is_none() && inv.created_user && customers <= 1
}

impl Service {
    /// Accepts the invitation whose token is `token`: the membership becomes active and the
    /// email verified. An account the invitation created gets `password` (required:
    /// [`ServiceError::PasswordNeeded`] without it) and becomes active. An account that
    /// already has a password, or is staff, keeps its password and `password` is not used; an
    /// account that existed before without a password is refused with
    /// [`ServiceError::ResetFirst`]: whoever holds an invitation code must never set the
    /// password of an account that was not theirs to create.
    pub fn accept_invitation(
        &self,
        token: &str,
        password: Option<&str>,
    ) -> Result<Accepted, ServiceError> {
        self.require_initialised()?;
        if !looks_like_token(token) {
            return Err(ServiceError::InvalidToken);
        }
        let hash = token_hash(token);
        let now = self.now();
        // Read first (the password policy needs the person), then re-checked in the
        // transaction, after the slow hashing.
        let usable = |inv: &crate::domain::Invitation| inv.state(now) == InvitationState::Pending;
        let invitation = self
            .store()
            .invitation_id_by_token(&hash)?
            .map(|id| self.store().invitation(id))
            .transpose()?
            .flatten()
            .filter(usable)
            .ok_or(ServiceError::InvalidToken)?;
        let user_now = self.store().user(invitation.user)?;
        let customers = self.store().customers_of(invitation.user)?.len();
        let sets_password = user_now
            .as_ref()
            .is_some_and(|u| sets_password_of(u, &invitation, customers));
        // An account that existed before and has no password proves who holds it through a
        // reset message to its own address first.
        if !sets_password && user_now.as_ref().is_some_and(|u| u.password_hash.is_none()) {
            return Err(ServiceError::ResetFirst);
        }
        let password_hash = match (sets_password, password) {
            (false, _) => None,
            (true, None) => return Err(ServiceError::PasswordNeeded),
            (true, Some(password)) => {
                check_password_policy(
                    password,
                    &invitation.email,
                    &invitation.first_name,
                    &invitation.last_name,
                )?;
                Some(super::hash_password(password)?)
            }
        };
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        // Re-read under the lock: another customer's invitation may have reused the account.
        let customers = self.store().customers_of(invitation.user)?.len();
        let accepted = self.store().transact(|tx| {
            let Some(mut inv) = tx
                .invitation_id_by_token(&hash)?
                .map(|id| tx.invitation(id))
                .transpose()?
                .flatten()
            else {
                return super::fail(ServiceError::InvalidToken);
            };
            if inv.state(now) != InvitationState::Pending {
                return super::fail(ServiceError::InvalidToken);
            }
            let customer = match tx.customer(inv.customer)? {
                // A pending customer takes its people before it is activated.
                Some(c) if !c.is_trashed() && c.status != CustomerStatus::Suspended => c,
                _ => return super::fail(ServiceError::InvalidToken),
            };
            let Some(mut user) = tx.user(inv.user)? else {
                return super::fail(ServiceError::InvalidToken);
            };
            if user.status == UserStatus::Disabled {
                return super::fail(ServiceError::InvalidToken);
            }
            let Some(mut membership) = tx.membership(customer.id, user.id)? else {
                return super::fail(ServiceError::InvalidToken);
            };
            membership.status = MembershipStatus::Active;
            membership.since = now;
            tx.put_membership(customer.id, user.id, membership)?;
            let sets = sets_password_of(&user, &inv, customers);
            match &password_hash {
                // Re-judged here: the account may have changed since it was read.
                Some(hash) if sets => {
                    user.password_hash = Some(hash.clone());
                    user.password_epoch = user.password_epoch.saturating_add(1);
                    user.status = UserStatus::Active;
                }
                Some(_) => return super::fail(ServiceError::InvalidToken),
                None if sets => return super::fail(ServiceError::PasswordNeeded),
                None if user.password_hash.is_none() => {
                    return super::fail(ServiceError::ResetFirst);
                }
                None => {}
            }
            user.email_verified = true;
            user.updated_at = now;
            tx.save_user(&user)?;
            inv.status = InvitationStatus::Accepted;
            inv.resolved_at = Some(now);
            tx.save_invitation(&inv)?;
            let session = Session::customer_user(&user, customer.id, membership.role);
            let ctx = Ctx {
                session: &session,
                now,
            };
            let event = record(
                tx,
                &ctx,
                Some(super::customers::customer_ref(&customer)),
                AuditAction::InvitationAccept,
                format!(
                    "{} accepted the invitation as {}",
                    user.email,
                    membership.role.as_str()
                ),
            )?;
            tx.index_audit_for_user(user.id, event.seq)?;
            Ok(Accepted {
                email: user.email.clone(),
                customer: customer.slug.to_string(),
            })
        })?;
        self.store().flush()?;
        Ok(accepted)
    }

    /// Writes a password-reset message to `email` when it has an account that is not
    /// disabled and fewer than three were written this hour. Always answers
    /// [`RESET_REQUESTED`] unless the database itself fails.
    pub fn request_password_reset(&self, email: &str) -> Result<&'static str, ServiceError> {
        self.require_initialised()?;
        let key = email_key(email.trim());
        let now = self.now();
        let user = match self.store().user_id_by_email(&key)? {
            Some(id) => self.store().user(id)?,
            None => None,
        };
        let Some(user) = user.filter(|u| u.status != UserStatus::Disabled) else {
            return Ok(RESET_REQUESTED);
        };
        let within = |r: &ResetRequests| r.window_start.plus_millis(RESET_WINDOW_MS) > now;
        let sent = self
            .store()
            .reset_requests(&key)?
            .filter(within)
            .map_or(0, |r| r.count);
        if sent >= MAX_RESETS_PER_HOUR {
            return Ok(RESET_REQUESTED);
        }
        let expires_at = now.plus_millis(RESET_TOKEN_MS);
        // A message that cannot be made (no randomness, a broken template, an outbox that is
        // unsafe or full) is logged, and the answer stays the same: an error here would say
        // that the account exists.
        let made = self.new_token().and_then(|token| {
            let composed = self.compose(
                MessageKind::Reset,
                &Addressee {
                    email: &user.email,
                    first_name: &user.first_name,
                    last_name: &user.last_name,
                    language: &user.language,
                    customer: None,
                    role: None,
                },
                Some(&token.text),
                Some(expires_at),
            )?;
            let outbox = self.outbox()?;
            let staged = outbox
                .stage(&composed.id, &hex::encode(token.hash), &composed.bytes)
                .map_err(|e| ServiceError::Refused(e.to_string()))?;
            Ok((token, composed, outbox, staged))
        });
        let (token, composed, outbox, staged) = match made {
            Ok(made) => made,
            Err(e) => {
                tracing::warn!(error = %e, "a password-reset message could not be written");
                return Ok(RESET_REQUESTED);
            }
        };
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let session = Session::system();
        let ctx = Ctx {
            session: &session,
            now,
        };
        let written = self.store().transact(|tx| {
            let Some(stored) = tx.user(user.id)? else {
                return super::fail(ServiceError::InvalidToken);
            };
            let mut requests = tx
                .reset_requests(&key)?
                .filter(within)
                .unwrap_or(ResetRequests {
                    window_start: now,
                    count: 0,
                });
            // Counted again here: another request may have been written since the read.
            if requests.count >= MAX_RESETS_PER_HOUR {
                return super::fail(ServiceError::InvalidToken);
            }
            requests.count = requests.count.saturating_add(1);
            tx.put_reset_requests(&key, &requests)?;
            tx.put_reset_token(
                &token.hash,
                &ResetToken {
                    user: user.id,
                    created_at: now,
                    expires_at,
                    password_epoch: stored.password_epoch,
                },
            )?;
            let event = record(
                tx,
                &ctx,
                None,
                AuditAction::PasswordResetRequest,
                format!(
                    "password reset message for {} ({} this hour)",
                    stored.email, requests.count
                ),
            )?;
            tx.index_audit_for_user(user.id, event.seq)?;
            Ok(())
        });
        match written {
            Ok(()) => {}
            // The account went away meanwhile: the same answer; the staged message is dropped.
            Err(ServiceError::InvalidToken) => return Ok(RESET_REQUESTED),
            Err(e) => return Err(e),
        }
        self.store().flush()?;
        drop(_guard);
        match staged.commit() {
            Ok(_) => {
                let note = self.deliver(&outbox, &composed.id);
                tracing::info!(%note, "password reset message");
            }
            Err(e) => tracing::warn!(error = %e, "a reset message is still pending"),
        }
        Ok(RESET_REQUESTED)
    }

    /// Sets `password` for the user whose reset token is `token`, once: the token is used up,
    /// every other reset token of the user ends (the password epoch grows), an invited user
    /// becomes active, and the email counts as verified.
    pub fn reset_password(&self, token: &str, password: &str) -> Result<String, ServiceError> {
        self.require_initialised()?;
        if !looks_like_token(token) {
            return Err(ServiceError::InvalidToken);
        }
        let hash = token_hash(token);
        let now = self.now();
        let valid = |t: &ResetToken, user: &crate::domain::User| {
            t.expires_at > now
                && t.password_epoch == user.password_epoch
                && user.status != UserStatus::Disabled
        };
        let record_now = self.store().reset_token(&hash)?;
        let user = match &record_now {
            Some(t) => self.store().user(t.user)?,
            None => None,
        };
        let (Some(reset), Some(user)) = (record_now, user) else {
            return Err(ServiceError::InvalidToken);
        };
        if !valid(&reset, &user) {
            return Err(ServiceError::InvalidToken);
        }
        check_password_policy(password, &user.email, &user.first_name, &user.last_name)?;
        let password_hash = super::hash_password(password)?;
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let email = self.store().transact(|tx| {
            let Some(reset) = tx.reset_token(&hash)? else {
                return super::fail(ServiceError::InvalidToken);
            };
            let Some(mut user) = tx.user(reset.user)? else {
                return super::fail(ServiceError::InvalidToken);
            };
            if !valid(&reset, &user) {
                return super::fail(ServiceError::InvalidToken);
            }
            tx.remove_reset_token(&hash)?;
            user.password_hash = Some(password_hash.clone());
            user.password_epoch = user.password_epoch.saturating_add(1);
            if user.status == UserStatus::Invited {
                user.status = UserStatus::Active;
            }
            user.email_verified = true;
            user.updated_at = now;
            tx.save_user(&user)?;
            let session = Session::system();
            let ctx = Ctx {
                session: &session,
                now,
            };
            let event = record(
                tx,
                &ctx,
                None,
                AuditAction::PasswordReset,
                format!("{} set a new password with a reset message", user.email),
            )?;
            tx.index_audit_for_user(user.id, event.seq)?;
            Ok(user.email.clone())
        })?;
        self.store().flush()?;
        Ok(email)
    }

    /// Removes reset tokens past their time (part of the expired-trash purge's upkeep).
    pub(crate) fn purge_expired_reset_tokens(&self, now: Timestamp) -> Result<u64, ServiceError> {
        let expired: Vec<[u8; 32]> = self
            .store()
            .reset_tokens()
            .filter_map(|item| item.ok())
            .filter(|(_, t)| t.expires_at <= now)
            .map(|(hash, _)| hash)
            .collect();
        if expired.is_empty() {
            return Ok(0);
        }
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let removed = self.store().transact(|tx| {
            let mut removed = 0u64;
            for hash in &expired {
                if tx.reset_token(hash)?.is_some_and(|t| t.expires_at <= now) {
                    tx.remove_reset_token(hash)?;
                    removed = removed.saturating_add(1);
                }
            }
            Ok::<_, crate::store::TxError<ServiceError>>(removed)
        })?;
        self.store().flush()?;
        Ok(removed)
    }
}
