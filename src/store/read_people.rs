//! Reads of invitations and password-reset records outside a transaction, beside the core
//! reads in `read.rs`.

use super::{Store, StoreError, TreeName, keys};
use crate::domain::{CustomerId, Invitation, InvitationId, ResetToken};

impl Store {
    /// One impersonation record, by the sequence of its start event.
    pub fn impersonation(
        &self,
        id: u64,
    ) -> Result<Option<crate::domain::Impersonation>, StoreError> {
        self.get_value(TreeName::Impersonations, &keys::u64_key(id))
    }

    /// Impersonation records newest first, at most `limit`, optionally of one customer only.
    /// Records of other customers are skipped, not counted.
    pub fn impersonations(
        &self,
        customer: Option<crate::domain::CustomerId>,
        limit: usize,
    ) -> Result<Vec<crate::domain::Impersonation>, StoreError> {
        let mut out = Vec::new();
        let items = self.tree(TreeName::Impersonations).iter().rev();
        for item in super::engine::Guarded::new(&self.path, items) {
            if out.len() >= limit {
                break;
            }
            let (k, v) = item.map_err(|e| StoreError::from_sled(&self.path, e))?;
            let record: crate::domain::Impersonation = super::codec::decode(&v)
                .map_err(|e| StoreError::corrupt(TreeName::Impersonations.as_str(), &k, e))?;
            if customer.is_none_or(|c| c == record.customer.id) {
                out.push(record);
            }
        }
        Ok(out)
    }

    pub fn invitation(&self, id: InvitationId) -> Result<Option<Invitation>, StoreError> {
        self.get_value(TreeName::Invitations, &keys::u64_key(id.0))
    }

    pub fn invitation_id_by_token(
        &self,
        hash: &[u8; 32],
    ) -> Result<Option<InvitationId>, StoreError> {
        Ok(self
            .get_id(TreeName::InvitationTokenToId, hash)?
            .map(InvitationId))
    }

    /// The invitation of `email_key` into `customer`, if there is one.
    pub fn invitation_for(
        &self,
        customer: CustomerId,
        email_key: &str,
    ) -> Result<Option<InvitationId>, StoreError> {
        Ok(self
            .get_id(
                TreeName::CustomerInvitations,
                &keys::customer_text_key(customer, email_key),
            )?
            .map(InvitationId))
    }

    /// Every invitation in id order (creation order).
    pub fn invitations(&self) -> impl Iterator<Item = Result<Invitation, StoreError>> + '_ {
        self.values(TreeName::Invitations)
    }

    /// The ids of a customer's invitations, in email order.
    pub fn invitations_of(&self, customer: CustomerId) -> Result<Vec<InvitationId>, StoreError> {
        let tree = TreeName::CustomerInvitations;
        let items = self.tree(tree).scan_prefix(keys::customer_key(customer));
        let mut out = Vec::new();
        for item in super::engine::Guarded::new(&self.path, items) {
            let (_, v) = item.map_err(|e| StoreError::from_sled(&self.path, e))?;
            out.push(InvitationId(keys::read_u64(tree.as_str(), &v)?));
        }
        Ok(out)
    }

    /// The reset messages written for `email_key` in its current window.
    pub fn reset_requests(
        &self,
        email_key: &str,
    ) -> Result<Option<crate::domain::ResetRequests>, StoreError> {
        self.get_value(TreeName::ResetRequests, email_key.as_bytes())
    }

    pub fn reset_token(&self, hash: &[u8; 32]) -> Result<Option<ResetToken>, StoreError> {
        self.get_value(TreeName::ResetTokens, hash)
    }

    /// Every reset token's hash and record (for the checks and the purge of expired ones).
    pub fn reset_tokens(
        &self,
    ) -> impl Iterator<Item = Result<([u8; 32], ResetToken), StoreError>> + '_ {
        let tree = TreeName::ResetTokens;
        self.raw_entries(tree).map(move |item| {
            let (k, v) = item?;
            let hash: [u8; 32] = k
                .as_slice()
                .try_into()
                .map_err(|_| StoreError::corrupt(tree.as_str(), &k, "key is not 32 bytes"))?;
            let token =
                super::codec::decode(&v).map_err(|e| StoreError::corrupt(tree.as_str(), &k, e))?;
            Ok((hash, token))
        })
    }
}
