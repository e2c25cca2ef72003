//! Typed reads and writes inside one transaction. The service sees only these methods and
//! [`TxError`]; sled's transactional trees stay behind them.

use std::marker::PhantomData;

use serde::{Serialize, de::DeserializeOwned};
use sled::transaction::{
    ConflictableTransactionError, TransactionalTree, UnabortableTransactionError,
};

use super::trees::meta_key;
use super::{StoreError, TreeName, codec, keys};
use crate::domain::{
    Actor, AuditEvent, Customer, CustomerId, Membership, Settings, Slug, User, UserId,
};

/// Why a transaction body stopped: a conflict or storage fault (handled by the store) or an
/// abort carrying the caller's error `E`.
pub struct TxError<E>(ConflictableTransactionError<E>);

impl<E: From<StoreError>> Tx<'_, E> {
    /// Lists event `seq` among those concerning `user` (the user a command acted on; the
    /// acting user is listed by [`Tx::append_audit`] itself).
    pub fn index_audit_for_user(&self, user: UserId, seq: u64) -> Result<(), TxError<E>> {
        self.put_raw(TreeName::AuditByUser, &keys::pair_key(user.0, seq), &[])
    }
}

impl<E> TxError<E> {
    pub(crate) fn into_inner(self) -> ConflictableTransactionError<E> {
        self.0
    }
}

impl<E> From<UnabortableTransactionError> for TxError<E> {
    fn from(err: UnabortableTransactionError) -> Self {
        Self(err.into())
    }
}

/// Aborts the transaction with the caller's error; nothing it wrote is kept.
pub fn abort<E>(err: E) -> TxError<E> {
    TxError(ConflictableTransactionError::Abort(err))
}

/// `value + 1` for the stored counter `key` of `meta`. A counter that cannot grow was never
/// written by tenantry (it would take 2^64 records), so it is reported as corrupt: a refusal,
/// never a wrap that would hand out an id already in use.
pub(crate) fn grown(key: &[u8], value: u64) -> Result<u64, StoreError> {
    value.checked_add(1).ok_or_else(|| {
        StoreError::corrupt(
            TreeName::Meta.as_str(),
            key,
            format!("counter {value} is at its maximum and cannot grow"),
        )
    })
}

/// The chain position the next audit event links to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, Default)]
pub struct AuditHead {
    pub seq: u64,
    pub hash: [u8; 32],
}

/// One transaction's view of every tree.
pub struct Tx<'a, E> {
    views: &'a [TransactionalTree],
    /// The custom field schema once read in this attempt: every customer a batch adds reads
    /// it, and `meta` is the most written tree (D131). Cleared by any catalogue write.
    pub(super) field_schema:
        std::cell::RefCell<Option<std::rc::Rc<crate::domain::fields::FieldSchema>>>,
    _error: PhantomData<fn() -> E>,
}

impl<'a, E: From<StoreError>> Tx<'a, E> {
    pub(crate) fn new(views: &'a [TransactionalTree]) -> Self {
        Self {
            views,
            field_schema: std::cell::RefCell::new(None),
            _error: PhantomData,
        }
    }

    pub(super) fn view(&self, tree: TreeName) -> &TransactionalTree {
        &self.views[tree as usize]
    }

    pub(super) fn get<T: DeserializeOwned>(
        &self,
        tree: TreeName,
        key: &[u8],
    ) -> Result<Option<T>, TxError<E>> {
        match self.view(tree).get(key)? {
            None => Ok(None),
            Some(bytes) => codec::decode(&bytes)
                .map(Some)
                .map_err(|e| abort(StoreError::corrupt(tree.as_str(), key, e).into())),
        }
    }

    pub(super) fn put<T: Serialize>(
        &self,
        tree: TreeName,
        key: &[u8],
        value: &T,
    ) -> Result<(), TxError<E>> {
        let bytes = codec::encode(value)
            .map_err(|e| abort(StoreError::corrupt(tree.as_str(), key, e).into()))?;
        self.view(tree).insert(key, bytes)?;
        Ok(())
    }

    pub(super) fn put_raw(
        &self,
        tree: TreeName,
        key: &[u8],
        value: &[u8],
    ) -> Result<(), TxError<E>> {
        self.view(tree).insert(key, value)?;
        Ok(())
    }

    pub(super) fn get_id(&self, tree: TreeName, key: &[u8]) -> Result<Option<u64>, TxError<E>> {
        match self.view(tree).get(key)? {
            None => Ok(None),
            Some(bytes) => keys::read_u64(tree.as_str(), &bytes)
                .map(Some)
                .map_err(|e| abort(e.into())),
        }
    }

    pub(super) fn remove(&self, tree: TreeName, key: &[u8]) -> Result<(), TxError<E>> {
        self.view(tree).remove(key)?;
        Ok(())
    }

    // --- reads of customers and users (their writes are in `tx_entities.rs`) ---

    pub fn customer(&self, id: CustomerId) -> Result<Option<Customer>, TxError<E>> {
        self.get(TreeName::Customers, &keys::customer_key(id))
    }

    pub fn customer_id_by_slug(&self, slug: &Slug) -> Result<Option<CustomerId>, TxError<E>> {
        Ok(self
            .get_id(TreeName::CustomerSlugToId, slug.as_str().as_bytes())?
            .map(CustomerId))
    }

    pub fn user(&self, id: UserId) -> Result<Option<User>, TxError<E>> {
        self.get(TreeName::Users, &keys::user_key(id))
    }

    /// Looks a user up by the lowercase form of an email address.
    pub fn user_id_by_email(&self, email_key: &str) -> Result<Option<UserId>, TxError<E>> {
        Ok(self
            .get_id(TreeName::UserEmailToId, email_key.as_bytes())?
            .map(UserId))
    }

    pub fn user_id_by_unix(&self, unix_user: &str) -> Result<Option<UserId>, TxError<E>> {
        Ok(self
            .get_id(TreeName::UnixUserToId, unix_user.as_bytes())?
            .map(UserId))
    }

    // --- memberships, kept in both directions ---

    pub fn membership(
        &self,
        customer: CustomerId,
        user: UserId,
    ) -> Result<Option<Membership>, TxError<E>> {
        self.get(TreeName::CustomerUsers, &keys::pair_key(customer.0, user.0))
    }

    pub fn put_membership(
        &self,
        customer: CustomerId,
        user: UserId,
        membership: Membership,
    ) -> Result<(), TxError<E>> {
        let before = self.membership(customer, user)?;
        self.count_membership(before.as_ref(), Some(&membership))?;
        if before.is_none() {
            self.count_member_of(customer, true)?;
        }
        self.put(
            TreeName::CustomerUsers,
            &keys::pair_key(customer.0, user.0),
            &membership,
        )?;
        self.put_raw(
            TreeName::UserCustomers,
            &keys::pair_key(user.0, customer.0),
            &[],
        )
    }

    pub fn remove_membership(&self, customer: CustomerId, user: UserId) -> Result<(), TxError<E>> {
        let before = self.membership(customer, user)?;
        self.count_membership(before.as_ref(), None)?;
        if before.is_some() {
            self.count_member_of(customer, false)?;
        }
        self.leave_groups(customer, user)?;
        self.remove(TreeName::CustomerUsers, &keys::pair_key(customer.0, user.0))?;
        self.remove(TreeName::UserCustomers, &keys::pair_key(user.0, customer.0))
    }

    // --- meta: ids, settings, provider, audit chain ---

    /// Allocates the next id (shared by customers and users; never reused).
    pub fn next_id(&self) -> Result<u64, TxError<E>> {
        let next = self
            .get::<u64>(TreeName::Meta, meta_key::NEXT_ID)?
            .unwrap_or(1);
        let after = grown(meta_key::NEXT_ID, next).map_err(|e| abort(e.into()))?;
        self.put(TreeName::Meta, meta_key::NEXT_ID, &after)?;
        Ok(next)
    }

    pub fn settings(&self) -> Result<Settings, TxError<E>> {
        Ok(self
            .get(TreeName::Meta, meta_key::SETTINGS)?
            .unwrap_or_default())
    }

    pub fn put_settings(&self, settings: &Settings) -> Result<(), TxError<E>> {
        self.put(TreeName::Meta, meta_key::SETTINGS, settings)
    }

    pub fn impersonation_settings(
        &self,
    ) -> Result<crate::domain::ImpersonationSettings, TxError<E>> {
        Ok(self
            .get(TreeName::Meta, meta_key::IMPERSONATION)?
            .unwrap_or_default())
    }

    pub fn put_impersonation_settings(
        &self,
        settings: &crate::domain::ImpersonationSettings,
    ) -> Result<(), TxError<E>> {
        self.put(TreeName::Meta, meta_key::IMPERSONATION, settings)
    }

    pub fn provider_id(&self) -> Result<Option<CustomerId>, TxError<E>> {
        Ok(self
            .get::<u64>(TreeName::Meta, meta_key::PROVIDER_ID)?
            .map(CustomerId))
    }

    pub fn put_provider_id(&self, id: CustomerId) -> Result<(), TxError<E>> {
        self.put(TreeName::Meta, meta_key::PROVIDER_ID, &id.0)
    }

    /// Seals `event` onto the audit chain: gives it the next sequence, links it to the head,
    /// stores it with its per-customer index entries (the customer it concerns and the one
    /// being impersonated), and moves the head. Returns the sealed event.
    pub fn append_audit(&self, mut event: AuditEvent) -> Result<AuditEvent, TxError<E>> {
        let head: AuditHead = self
            .get(TreeName::Meta, meta_key::AUDIT_HEAD)?
            .unwrap_or_default();
        event.seq = grown(meta_key::AUDIT_HEAD, head.seq).map_err(|e| abort(e.into()))?;
        let event = event.seal(head.hash);
        self.put(TreeName::Audit, &keys::u64_key(event.seq), &event)?;
        let mut indexed: Vec<CustomerId> = Vec::with_capacity(2);
        for r in [&event.customer, &event.impersonating]
            .into_iter()
            .flatten()
        {
            if !indexed.contains(&r.id) {
                indexed.push(r.id);
                self.put_raw(
                    TreeName::AuditByCustomer,
                    &keys::pair_key(r.id.0, event.seq),
                    &[],
                )?;
            }
        }
        if let Actor::User { id, .. } = &event.actor {
            self.put_raw(TreeName::AuditByUser, &keys::pair_key(id.0, event.seq), &[])?;
        }
        self.put(
            TreeName::Meta,
            meta_key::AUDIT_HEAD,
            &AuditHead {
                seq: event.seq,
                hash: event.hash,
            },
        )?;
        Ok(event)
    }
}

impl<E> TxError<E> {
    /// Rewrites the caller's error of an abort; conflicts and storage faults pass unchanged.
    pub fn map_abort<F: FnOnce(E) -> E>(self, f: F) -> Self {
        match self.0 {
            ConflictableTransactionError::Abort(e) => {
                Self(ConflictableTransactionError::Abort(f(e)))
            }
            other => Self(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_counter_at_its_maximum_is_refused_not_wrapped() {
        assert_eq!(grown(meta_key::NEXT_ID, 41), Ok(42));
        let err = grown(meta_key::NEXT_ID, u64::MAX).unwrap_err();
        assert!(err.is_corruption(), "{err}");
        assert!(err.to_string().contains("cannot grow"), "{err}");
    }
}
