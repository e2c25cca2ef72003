//! A signed-in user changes their own password (the console's My settings): the current
//! password proves it is them, through the one sign-in path (so a wrong one counts towards
//! the lockout like any failed sign-in, R8), the new one meets the policy, and every reset
//! code of the account ends with the change (its password epoch grows, R9).
//!
//! Never while impersonating: a staff member does not set a customer's passwords, nor their
//! own from inside a customer's view.

use super::{Ctx, Service, ServiceError, Session, record};
use crate::domain::user::check_password_policy;
use crate::domain::{AuditAction, ValidationError};

impl Service {
    /// Changes the password of the session's own user from `current` to `new`.
    pub fn change_own_password(
        &self,
        session: &Session,
        current: &str,
        new: &str,
    ) -> Result<(), ServiceError> {
        let session = &self.acting(session)?;
        if session.impersonating().is_some() {
            return Err(ServiceError::NotWhileImpersonating {
                action: "setting a password",
            });
        }
        let id = session.user_id().ok_or_else(|| {
            ServiceError::Refused("only a signed-in user has a password to change".into())
        })?;
        let user = self
            .store()
            .user(id)?
            .ok_or_else(|| ServiceError::not_found("user", id.to_string()))?;
        match self.password_sign_in(&user.email, current, |u| u.id == id) {
            Ok(_) => {}
            Err(ServiceError::BadCredentials) => {
                return Err(ValidationError::new("current password", "is not right").into());
            }
            Err(e) => return Err(e),
        }
        if new == current {
            return Err(
                ValidationError::new("new password", "is the current one; choose another").into(),
            );
        }
        check_password_policy(new, &user.email, &user.first_name, &user.last_name).map_err(
            |mut e| {
                e.field = "new password".into();
                e
            },
        )?;
        let hash = super::hash_password(new)?;
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let now = self.now();
        let ctx = Ctx { session, now };
        self.store().transact(|tx| {
            let Some(mut user) = tx.user(id)? else {
                return super::fail(ServiceError::not_found("user", id.to_string()));
            };
            user.password_hash = Some(hash.clone());
            user.password_epoch = user.password_epoch.saturating_add(1);
            user.updated_at = now;
            tx.save_user(&user)?;
            let summary = format!("{} changed their own password", user.email);
            let event = record(tx, &ctx, None, AuditAction::PasswordChange, summary)?;
            tx.index_audit_for_user(user.id, event.seq)?;
            Ok(())
        })?;
        self.store().flush()?;
        Ok(())
    }
}
