//! The typed transaction's reads and writes of imports and sign-in failures, beside the
//! core ones in `tx.rs`. Like those, they only read and write through the transaction.

use super::trees::meta_key;
use super::tx::{Tx, TxError, abort, grown};
use super::{StoreError, TreeName, keys};
use crate::domain::CustomerId;

/// Sign-in failures (R8).
impl<E: From<StoreError>> Tx<'_, E> {
    pub fn sign_in_failures(
        &self,
        email_key: &str,
    ) -> Result<Option<crate::domain::user::SignInFailures>, TxError<E>> {
        self.get(TreeName::SignInFailures, email_key.as_bytes())
    }

    pub fn put_sign_in_failures(
        &self,
        email_key: &str,
        record: &crate::domain::user::SignInFailures,
    ) -> Result<(), TxError<E>> {
        self.put(TreeName::SignInFailures, email_key.as_bytes(), record)
    }

    pub fn remove_sign_in_failures(&self, email_key: &str) -> Result<(), TxError<E>> {
        self.remove(TreeName::SignInFailures, email_key.as_bytes())
    }
}

/// Imports and the customers they created.
impl<E: From<StoreError>> Tx<'_, E> {
    pub fn import(
        &self,
        id: u64,
    ) -> Result<Option<crate::domain::import::ImportRecord>, TxError<E>> {
        self.get(TreeName::Imports, &keys::u64_key(id))
    }

    pub fn put_import(
        &self,
        record: &crate::domain::import::ImportRecord,
    ) -> Result<(), TxError<E>> {
        self.put(TreeName::Imports, &keys::u64_key(record.id), record)
    }

    /// Allocates the next import id (1, 2, 3 …: short enough to type).
    pub fn next_import_id(&self) -> Result<u64, TxError<E>> {
        let next = self
            .get::<u64>(TreeName::Meta, meta_key::NEXT_IMPORT_ID)?
            .unwrap_or(1);
        let after = grown(meta_key::NEXT_IMPORT_ID, next).map_err(|e| abort(e.into()))?;
        self.put(TreeName::Meta, meta_key::NEXT_IMPORT_ID, &after)?;
        Ok(next)
    }

    pub fn put_import_customer(&self, import: u64, customer: CustomerId) -> Result<(), TxError<E>> {
        self.put_raw(
            TreeName::ImportCustomers,
            &keys::pair_key(import, customer.0),
            &[],
        )
    }

    pub fn import_created(&self, import: u64, customer: CustomerId) -> Result<bool, TxError<E>> {
        Ok(self
            .view(TreeName::ImportCustomers)
            .get(keys::pair_key(import, customer.0))?
            .is_some())
    }
}

/// Impersonation records, keyed by their start event's sequence.
impl<E: From<StoreError>> Tx<'_, E> {
    pub fn impersonation(
        &self,
        id: u64,
    ) -> Result<Option<crate::domain::Impersonation>, TxError<E>> {
        self.get(TreeName::Impersonations, &keys::u64_key(id))
    }

    pub fn put_impersonation(
        &self,
        record: &crate::domain::Impersonation,
    ) -> Result<(), TxError<E>> {
        self.put(TreeName::Impersonations, &keys::u64_key(record.id), record)
    }
}
