//! The typed transaction's reads and writes of invitations and password-reset records, beside
//! the core ones in `tx.rs`. [`Tx::save_invitation`] and [`Tx::delete_invitation`] keep an
//! invitation's two index entries (its token's hash, its customer and email) with the record,
//! reading the stored record first so old entries come from what is stored. No rules here.

use super::tx::{Tx, TxError};
use super::{StoreError, TreeName, keys};
use crate::domain::text::email_key;
use crate::domain::{Invitation, InvitationId, ResetRequests, ResetToken};

impl<E: From<StoreError>> Tx<'_, E> {
    pub fn invitation(&self, id: InvitationId) -> Result<Option<Invitation>, TxError<E>> {
        self.get(TreeName::Invitations, &keys::u64_key(id.0))
    }

    pub fn invitation_id_by_token(
        &self,
        hash: &[u8; 32],
    ) -> Result<Option<InvitationId>, TxError<E>> {
        Ok(self
            .get_id(TreeName::InvitationTokenToId, hash)?
            .map(InvitationId))
    }

    /// The invitation of `email_key` into `customer`, if there is one.
    pub fn invitation_for(
        &self,
        customer: crate::domain::CustomerId,
        email_key: &str,
    ) -> Result<Option<InvitationId>, TxError<E>> {
        Ok(self
            .get_id(
                TreeName::CustomerInvitations,
                &keys::customer_text_key(customer, email_key),
            )?
            .map(InvitationId))
    }

    /// Writes `invitation` (new or changed) with its token and customer entries; a token
    /// it no longer has stops working here.
    pub fn save_invitation(&self, invitation: &Invitation) -> Result<(), TxError<E>> {
        let id = keys::u64_key(invitation.id.0);
        let before = self.invitation(invitation.id)?;
        if let Some(before) = &before {
            if before.token_hash != invitation.token_hash {
                self.remove(TreeName::InvitationTokenToId, &before.token_hash)?;
            }
        }
        self.count_invitation(before.as_ref(), Some(invitation))?;
        self.put_raw(TreeName::InvitationTokenToId, &invitation.token_hash, &id)?;
        self.put_raw(
            TreeName::CustomerInvitations,
            &keys::customer_text_key(invitation.customer, &email_key(&invitation.email)),
            &id,
        )?;
        self.put(TreeName::Invitations, &id, invitation)
    }

    /// Removes the invitation `id` with its entries; returns what was removed.
    pub fn delete_invitation(&self, id: InvitationId) -> Result<Option<Invitation>, TxError<E>> {
        let Some(invitation) = self.invitation(id)? else {
            return Ok(None);
        };
        self.remove(TreeName::InvitationTokenToId, &invitation.token_hash)?;
        self.remove(
            TreeName::CustomerInvitations,
            &keys::customer_text_key(invitation.customer, &email_key(&invitation.email)),
        )?;
        self.remove(TreeName::Invitations, &keys::u64_key(id.0))?;
        self.count_invitation(Some(&invitation), None)?;
        Ok(Some(invitation))
    }

    pub fn reset_token(&self, hash: &[u8; 32]) -> Result<Option<ResetToken>, TxError<E>> {
        self.get(TreeName::ResetTokens, hash)
    }

    pub fn put_reset_token(&self, hash: &[u8; 32], token: &ResetToken) -> Result<(), TxError<E>> {
        self.put(TreeName::ResetTokens, hash, token)
    }

    pub fn remove_reset_token(&self, hash: &[u8; 32]) -> Result<(), TxError<E>> {
        self.remove(TreeName::ResetTokens, hash)
    }

    pub fn reset_requests(&self, email_key: &str) -> Result<Option<ResetRequests>, TxError<E>> {
        self.get(TreeName::ResetRequests, email_key.as_bytes())
    }

    pub fn put_reset_requests(
        &self,
        email_key: &str,
        record: &ResetRequests,
    ) -> Result<(), TxError<E>> {
        self.put(TreeName::ResetRequests, email_key.as_bytes(), record)
    }
}
