//! The consistency checks of invitations and reset tokens, both directions of every index:
//! each invitation has its token and customer entries and points at a customer and a user
//! that exist (a pending one also at a membership); each token and customer entry points at
//! an invitation that has that token or that customer and email; each reset token belongs to
//! a user that exists. Part of [`Store::check_invariants`]; damaged values were reported by
//! the shape pass and are skipped here.

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
}
