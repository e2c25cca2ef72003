//! The optional notice of an impersonation (setting `impersonation.notify`, off by default):
//! once an impersonation has started, each active administrator of the customer gets a
//! message in the outbox naming the staff member, the reason and the time limit.
//!
//! The impersonation stands whether or not a notice could be written: a failure is logged
//! and never undoes the start. This module must not write to the store.

use super::messages::Addressee;
use super::session::Principal;
use super::{Service, ServiceError, Session};
use crate::domain::{CustomerRole, UserStatus};
use crate::mail::MessageKind;

impl Service {
    /// Writes the notices for the impersonation `session` has just started, when the setting
    /// asks for them. Returns how many were written.
    pub(crate) fn notify_impersonation(&self, session: &Session) -> usize {
        match self.write_impersonation_notices(session) {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = %e, "an impersonation notice was not written");
                0
            }
        }
    }

    fn write_impersonation_notices(&self, session: &Session) -> Result<usize, ServiceError> {
        let Principal::Impersonating {
            email,
            customer,
            reason,
            until,
            ..
        } = session.principal()
        else {
            return Ok(0);
        };
        if !self.store().impersonation_settings()?.notify {
            return Ok(0);
        }
        let Some(target) = self.store().customer(*customer)? else {
            return Ok(0);
        };
        let outbox = self.outbox()?;
        let mut written = 0;
        for (user_id, membership) in self.store().members_of(*customer)? {
            if membership.role != CustomerRole::Administrator || !membership.in_force() {
                continue;
            }
            let Some(admin) = self
                .store()
                .user(user_id)?
                .filter(|u| u.status == UserStatus::Active)
            else {
                continue;
            };
            let to = Addressee {
                email: &admin.email,
                first_name: &admin.first_name,
                last_name: &admin.last_name,
                language: &admin.language,
                customer: Some(&target.name),
                role: None,
            };
            let extra = [
                ("staff", email.clone()),
                ("reason", reason.clone()),
                ("until", until.to_rfc3339_minutes()),
            ];
            let message =
                self.compose_with(MessageKind::ImpersonationNotice, &to, None, None, &extra)?;
            outbox
                .write(&message.id, &message.bytes)
                .map_err(|e| ServiceError::Refused(e.to_string()))?;
            self.deliver(&outbox, &message.id);
            written += 1;
        }
        Ok(written)
    }
}
