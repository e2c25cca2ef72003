//! Impersonation: a staff member with the *impersonate* privilege acts in one customer as its
//! administrators would, for a stated reason and at most `impersonation.max_minutes`, so the
//! operator sees exactly what the customer sees. Starting and ending each write an event and
//! keep an [`Impersonation`] record; every event in between names both the staff member and
//! the customer (`record` fills the event's `impersonating` part from the session), so the
//! customer's own log shows what staff did there.
//!
//! While it lasts the session holds no staff privilege, and the customer-session rules of
//! `scope.rs` apply with the role of administrator, minus what stays with the people
//! themselves (passwords, accepting invitations). This module must not hand out a session
//! that `acting` would not re-check.

use super::customers::customer_ref;
use super::session::Principal;
use super::{Ctx, ImpersonationRefusal, Service, ServiceError, Session, fail, record};
use crate::domain::impersonation::clean_reason;
use crate::domain::{
    AuditAction, CustomerId, CustomerStatus, Impersonation, ImpersonationEnd, ImpersonationEnding,
    Privilege, Slug, Timestamp,
};

/// How long an impersonation lasted, in the words of its end event: `12 min 3 s`.
fn duration_words(from: Timestamp, to: Timestamp) -> String {
    let secs = to.0.saturating_sub(from.0).max(0) / 1_000;
    match (secs / 60, secs % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}

impl Service {
    /// Why the customer `id` cannot be impersonated now, or `None` when it can.
    pub(crate) fn impersonation_refusal(
        &self,
        id: CustomerId,
    ) -> Result<Option<ImpersonationRefusal>, ServiceError> {
        let Some(customer) = self.store.customer(id)? else {
            return Ok(Some(ImpersonationRefusal::InTrash));
        };
        Ok(if customer.is_provider {
            Some(ImpersonationRefusal::ProviderCompany)
        } else if customer.is_trashed() {
            Some(ImpersonationRefusal::InTrash)
        } else if customer.status == CustomerStatus::Suspended {
            Some(ImpersonationRefusal::Suspended)
        } else if customer.independent.is_some() {
            Some(ImpersonationRefusal::Independent)
        } else {
            None
        })
    }

    /// Starts impersonating the customer `slug` for `reason`: refuses a session that is not
    /// a staff member holding *impersonate*, a reason that is empty or too long, and a
    /// customer that cannot be impersonated (each with a message saying why). Writes
    /// `impersonation.start` and the record in one transaction and answers the impersonating
    /// session, which lasts until `impersonation.max_minutes` from now.
    pub fn start_impersonation(
        &self,
        session: &Session,
        slug: &str,
        reason: &str,
    ) -> Result<Session, ServiceError> {
        self.require_initialised()?;
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let staff = self.acting(session)?;
        if let Principal::Impersonating { .. } = staff.principal() {
            return Err(ServiceError::ImpersonationRefused {
                slug: slug.trim().to_owned(),
                reason: ImpersonationRefusal::AlreadyImpersonating,
            });
        }
        staff.require(
            Privilege::Impersonate,
            AuditAction::ImpersonationStart.as_str(),
        )?;
        let Principal::Staff { id, email, role } = staff.principal().clone() else {
            return Err(Session::outside(AuditAction::ImpersonationStart.as_str()));
        };
        let reason_problem = clean_reason(reason).err();
        let slug_problem = Slug::parse("customer", slug.trim()).err();
        ServiceError::from_problems([reason_problem.as_ref(), slug_problem.as_ref()])?;
        let reason = clean_reason(reason)?;
        let customer = self
            .store
            .customer_id_by_slug(slug.trim())?
            .ok_or_else(|| ServiceError::not_found("customer", slug.trim()))?;
        if let Some(why) = self.impersonation_refusal(customer)? {
            return Err(ServiceError::ImpersonationRefused {
                slug: slug.trim().to_owned(),
                reason: why,
            });
        }
        let now = self.now();
        let minutes = self.store.impersonation_settings()?.max_minutes;
        let until = now.plus_millis(i64::from(minutes) * 60_000);
        let mut principal = Principal::Impersonating {
            id,
            email: email.clone(),
            role,
            customer,
            reason: reason.clone(),
            until,
            started: now,
            start_seq: 0,
        };
        let provisional = Session::from_principal(principal.clone());
        let ctx = Ctx {
            session: &provisional,
            now,
        };
        let start_seq = self.store.transact(|tx| {
            let Some(c) = tx.customer(customer)? else {
                return fail(ServiceError::not_found("customer", slug.trim()));
            };
            let summary = format!(
                "started impersonating as administrator for at most {minutes} min; reason: {reason}"
            );
            let event = record(
                tx,
                &ctx,
                Some(customer_ref(&c)),
                AuditAction::ImpersonationStart,
                summary,
            )?;
            tx.put_impersonation(&Impersonation {
                id: event.seq,
                staff: id,
                staff_email: email.clone(),
                customer: customer_ref(&c),
                reason: reason.clone(),
                started: now,
                until,
                ended: None,
            })?;
            Ok(event.seq)
        })?;
        self.store.flush()?;
        if let Principal::Impersonating { start_seq: s, .. } = &mut principal {
            *s = start_seq;
        }
        let impersonating = Session::from_principal(principal);
        self.notify_impersonation(&impersonating);
        Ok(impersonating)
    }

    /// Ends the impersonation `session` holds, saying `how`: writes `impersonation.end` (how
    /// it ended and how long it lasted) and closes the record, then answers the staff
    /// session the operator returns to. Works after the time limit too (that is one way it
    /// ends); refuses a session that is not impersonating. When the staff member can no
    /// longer act at all, the end is still written and the error says to sign in again.
    pub fn end_impersonation(
        &self,
        session: &Session,
        how: ImpersonationEnd,
    ) -> Result<Session, ServiceError> {
        let Principal::Impersonating {
            customer,
            started,
            start_seq,
            ..
        } = session.principal().clone()
        else {
            return Err(ServiceError::Refused(
                "this session is not impersonating anyone".into(),
            ));
        };
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let now = self.now();
        // Past its limit it ended by the limit, whatever the front end says.
        let how = match session.principal() {
            Principal::Impersonating { until, .. } if *until <= now => ImpersonationEnd::TimeLimit,
            _ => how,
        };
        let ctx = Ctx { session, now };
        self.store.transact(|tx| {
            let mut closed = tx.impersonation(start_seq)?;
            if closed.as_ref().is_some_and(|r| r.ended.is_some()) {
                return Ok(());
            }
            let target = tx.customer(customer)?.map(|c| customer_ref(&c));
            let summary = format!(
                "ended impersonation {start_seq} after {}: {}",
                duration_words(started, now),
                how.describe()
            );
            record(tx, &ctx, target, AuditAction::ImpersonationEnd, summary)?;
            if let Some(r) = closed.as_mut() {
                r.ended = Some(ImpersonationEnding { at: now, how });
                tx.put_impersonation(r)?;
            }
            Ok(())
        })?;
        self.store.flush()?;
        let user = self
            .store
            .user(session.user_id().unwrap_or_default())?
            .filter(|u| u.status == crate::domain::UserStatus::Active);
        user.as_ref().and_then(Session::staff).ok_or_else(|| {
            ServiceError::Refused("your staff account can no longer act; sign in again".into())
        })
    }

    /// Refuses what stays with the people themselves while `session` impersonates: using an
    /// invitation or reset code, asking for a reset. The session-less paths (`invite accept`,
    /// `password reset`) are checked with the session their front end keeps.
    pub fn refuse_while_impersonating(
        &self,
        session: &Session,
        action: &'static str,
    ) -> Result<(), ServiceError> {
        match session.impersonating() {
            Some(_) => Err(ServiceError::NotWhileImpersonating { action }),
            None => Ok(()),
        }
    }

    /// Past and current impersonations, newest first, of one customer or all (staff who
    /// may read the log).
    pub fn impersonations(
        &self,
        session: &Session,
        customer: Option<&str>,
        limit: Option<usize>,
    ) -> Result<Vec<super::ImpersonationRow>, ServiceError> {
        let session = &self.acting(session)?;
        session.require(Privilege::ViewLogs, "listing impersonations")?;
        let customer = match customer {
            Some(slug) => Some(
                self.store
                    .customer_id_by_slug(slug.trim())?
                    .ok_or_else(|| ServiceError::not_found("customer", slug.trim()))?,
            ),
            None => None,
        };
        let limit = super::query::page_rows(limit);
        let now = self.now();
        Ok(self
            .store
            .impersonations(customer, limit)?
            .iter()
            .map(|r| super::ImpersonationRow::new(r, now))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_minutes_and_seconds() {
        assert_eq!(duration_words(Timestamp(0), Timestamp(59_999)), "59 s");
        assert_eq!(duration_words(Timestamp(0), Timestamp(120_000)), "2 min");
        assert_eq!(
            duration_words(Timestamp(0), Timestamp(723_000)),
            "12 min 3 s"
        );
        assert_eq!(duration_words(Timestamp(5), Timestamp(0)), "0 s");
    }
}
