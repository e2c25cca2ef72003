//! The consistency checks of invitations and reset tokens, both directions of every index:
//! each invitation has its token and customer entries and points at a customer and a user
//! that exist (a pending one also at a membership); each token and customer entry points at
//! an invitation that has that token or that customer and email; each reset token belongs to
//! a user that exists; each impersonation record sits on the `impersonation.start` event of
//! the same staff member and customer. Part of [`Store::check_invariants`]; damaged values
//! were reported by the shape pass and are skipped here.

use super::check::soft;
use super::{Store, StoreError, TreeName, keys};
use crate::domain::text::email_key;
use crate::domain::{InvitationId, InvitationStatus};

impl Store {
    pub(super) fn check_invitations(&self, problems: &mut Vec<String>) -> Result<(), StoreError> {
        for item in self.invitations() {
            let Some(inv) = soft(item)? else {
                continue;
            };
            let id = inv.id;
            if soft(self.invitation_id_by_token(&inv.token_hash))? == Some(None) {
                problems.push(format!("invitation {id} is missing from the token index"));
            }
            let by_customer = soft(self.invitation_for(inv.customer, &email_key(&inv.email)))?;
            if by_customer.is_some_and(|found| found != Some(id)) {
                problems.push(format!(
                    "invitation {id} is missing from its customer's index"
                ));
            }
            if soft(self.customer(inv.customer))? == Some(None) {
                problems.push(format!(
                    "invitation {id} points at missing customer {}",
                    inv.customer
                ));
            }
            if soft(self.user(inv.user))? == Some(None) {
                problems.push(format!(
                    "invitation {id} points at missing user {}",
                    inv.user
                ));
            }
            if inv.status == InvitationStatus::Pending
                && soft(self.membership(inv.customer, inv.user))? == Some(None)
            {
                problems.push(format!("pending invitation {id} has no membership"));
            }
        }
        for item in self.raw_entries(TreeName::InvitationTokenToId) {
            let (k, v) = item?;
            let Some(id) = soft(keys::read_u64("invitation_token_to_id", &v))? else {
                continue;
            };
            match soft(self.invitation(InvitationId(id)))? {
                Some(Some(inv)) if inv.token_hash.as_slice() == k.as_slice() => {}
                Some(_) => problems.push(format!(
                    "token index entry {} points at invitation {id}, which does not have it",
                    hex::encode(&k)
                )),
                None => {}
            }
        }
        for item in self.raw_entries(TreeName::CustomerInvitations) {
            let (k, v) = item?;
            let Some((customer, email)) =
                soft(keys::read_customer_text("customer_invitations", &k))?
            else {
                continue;
            };
            let Some(id) = soft(keys::read_u64("customer_invitations", &v))? else {
                continue;
            };
            match soft(self.invitation(InvitationId(id)))? {
                Some(Some(inv)) if inv.customer == customer && email_key(&inv.email) == email => {}
                Some(_) => problems.push(format!(
                    "customer invitation entry {customer}/{} points at invitation {id}, which is not its",
                    crate::domain::text::display_safe(&email)
                )),
                None => {}
            }
        }
        for item in self.reset_tokens() {
            let Some((hash, token)) = soft(item)? else {
                continue;
            };
            if soft(self.user(token.user))? == Some(None) {
                problems.push(format!(
                    "reset token {} belongs to missing user {}",
                    &hex::encode(hash)[..12],
                    token.user
                ));
            }
        }
        Ok(())
    }

    /// Every impersonation record is the index of its start event: the event at its id is an
    /// `impersonation.start` by the same staff member in the same customer.
    pub(super) fn check_impersonations(
        &self,
        problems: &mut Vec<String>,
    ) -> Result<(), StoreError> {
        let Some(records) = soft(self.impersonations(None, usize::MAX))? else {
            return Ok(());
        };
        // A record whose start event was pruned is kept: there is nothing left to match.
        let cut = soft(self.audit_checkpoint())?
            .flatten()
            .map_or(0, |c| c.seq);
        for record in records {
            let id = record.id;
            if id <= cut {
                continue;
            }
            match soft(self.audit_event(id))? {
                Some(Some(event))
                    if event.action == "impersonation.start"
                        && event.actor.label() == record.staff_email
                        && event.customer.as_ref().map(|c| c.id) == Some(record.customer.id) => {}
                Some(Some(event)) => problems.push(format!(
                    "impersonation {id} does not match its event ({} by {})",
                    event.action,
                    event.actor.label()
                )),
                Some(None) => problems.push(format!("impersonation {id} has no start event")),
                None => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        Actor, AuditEvent, CustomerId, CustomerRef, Impersonation, Timestamp, UserId,
    };
    use crate::store::{OpenMode, StoreOptions, TxError};

    fn event(action: &str) -> AuditEvent {
        AuditEvent {
            seq: 0,
            at: Timestamp(0),
            actor: Actor::User {
                id: UserId(1),
                email: "ada@example.com".into(),
            },
            impersonating: None,
            customer: Some(CustomerRef {
                id: CustomerId(2),
                slug: "acme".into(),
                name: "Acme".into(),
            }),
            action: action.into(),
            summary: "s".into(),
            prev_hash: [0; 32],
            hash: [0; 32],
        }
    }

    #[test]
    fn an_impersonation_record_must_sit_on_its_start_event() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(
            &dir.path().join("db"),
            OpenMode::CreateIfMissing,
            &StoreOptions::default(),
        )
        .unwrap();
        let record = |id: u64| Impersonation {
            id,
            staff: UserId(1),
            staff_email: "ada@example.com".into(),
            customer: CustomerRef {
                id: CustomerId(2),
                slug: "acme".into(),
                name: "Acme".into(),
            },
            reason: "r".into(),
            started: Timestamp(0),
            until: Timestamp(1),
            ended: None,
        };
        store
            .transact(|tx| {
                let start = tx.append_audit(event("impersonation.start"))?;
                let other = tx.append_audit(event("user.add"))?;
                tx.put_impersonation(&record(start.seq))?;
                tx.put_impersonation(&record(other.seq))?;
                tx.put_impersonation(&record(99))?;
                Ok::<_, TxError<StoreError>>(())
            })
            .unwrap();
        let mut problems = Vec::new();
        store.check_impersonations(&mut problems).unwrap();
        assert_eq!(
            problems,
            // Newest first, as the records are read.
            [
                "impersonation 99 has no start event",
                "impersonation 2 does not match its event (user.add by ada@example.com)",
            ]
        );
    }
}
