//! Reads outside a transaction: single lookups and ordered scans. Scans decode lazily, so a
//! caller that wants the first 50 rows never touches the rest.

use serde::de::DeserializeOwned;

use super::trees::meta_key;
use super::tx::AuditHead;
use super::{Store, StoreError, TreeName, codec, keys};
use crate::domain::{
    AuditEvent, Customer, CustomerId, Membership, Settings, Slug, Timestamp, User, UserId,
};

impl Store {
    pub(super) fn get_value<T: DeserializeOwned>(
        &self,
        tree: TreeName,
        key: &[u8],
    ) -> Result<Option<T>, StoreError> {
        match super::engine::guard(&self.path, || self.tree(tree).get(key))?
            .map_err(|e| StoreError::from_sled(&self.path, e))?
        {
            None => Ok(None),
            Some(bytes) => codec::decode(&bytes)
                .map(Some)
                .map_err(|e| StoreError::corrupt(tree.as_str(), key, e)),
        }
    }

    pub(super) fn get_id(&self, tree: TreeName, key: &[u8]) -> Result<Option<u64>, StoreError> {
        match super::engine::guard(&self.path, || self.tree(tree).get(key))?
            .map_err(|e| StoreError::from_sled(&self.path, e))?
        {
            None => Ok(None),
            Some(bytes) => keys::read_u64(tree.as_str(), &bytes).map(Some),
        }
    }

    /// Iterates the raw entries of one tree in key order.
    pub(crate) fn raw_entries(
        &self,
        tree: TreeName,
    ) -> impl Iterator<Item = Result<(Vec<u8>, Vec<u8>), StoreError>> + '_ {
        super::engine::Guarded::new(&self.path, self.tree(tree).iter()).map(move |item| {
            item.map(|(k, v)| (k.to_vec(), v.to_vec()))
                .map_err(|e| StoreError::from_sled(&self.path, e))
        })
    }

    /// Decodes one entry read from `tree`, naming the tree and key when it does not decode.
    pub(super) fn decode_entry<T: DeserializeOwned>(
        &self,
        tree: TreeName,
        item: sled::Result<(sled::IVec, sled::IVec)>,
    ) -> Result<T, StoreError> {
        let (k, v) = item.map_err(|e| StoreError::from_sled(&self.path, e))?;
        codec::decode(&v).map_err(|e| StoreError::corrupt(tree.as_str(), &k, e))
    }

    /// Every value of `tree` decoded, in key order.
    pub(super) fn values<T: DeserializeOwned>(
        &self,
        tree: TreeName,
    ) -> impl Iterator<Item = Result<T, StoreError>> + '_ {
        super::engine::Guarded::new(&self.path, self.tree(tree).iter())
            .map(move |item| self.decode_entry(tree, item))
    }

    pub fn customer(&self, id: CustomerId) -> Result<Option<Customer>, StoreError> {
        self.get_value(TreeName::Customers, &keys::customer_key(id))
    }

    pub fn customer_id_by_slug(&self, slug: &str) -> Result<Option<CustomerId>, StoreError> {
        Ok(self
            .get_id(TreeName::CustomerSlugToId, slug.as_bytes())?
            .map(CustomerId))
    }

    /// Every (slug, customer id) in slug order, starting at the first slug `>= from`.
    pub fn slugs_from<'a>(
        &'a self,
        from: &str,
    ) -> impl Iterator<Item = Result<(Slug, CustomerId), StoreError>> + use<'a> {
        let tree = TreeName::CustomerSlugToId;
        super::engine::Guarded::new(
            &self.path,
            self.tree(tree).range(from.as_bytes().to_vec()..),
        )
        .map(move |item| {
            let (k, v) = item.map_err(|e| StoreError::from_sled(&self.path, e))?;
            let slug = String::from_utf8(k.to_vec())
                .map_err(|_| StoreError::corrupt(tree.as_str(), &k, "slug is not UTF-8"))?;
            let id = keys::read_u64(tree.as_str(), &v)?;
            Ok((Slug::from_stored(slug), CustomerId(id)))
        })
    }

    /// Every customer in id order (creation order).
    pub fn customers(&self) -> impl Iterator<Item = Result<Customer, StoreError>> + '_ {
        self.values(TreeName::Customers)
    }

    /// Customers stored, live and trashed. sled counts by walking the tree, so this is a full
    /// scan: keep it off start-up and per-keystroke paths.
    pub fn customer_count(&self) -> usize {
        self.tree(TreeName::Customers).len()
    }

    /// Trashed customers' (deleted-at, id), oldest first.
    pub fn trash_entries(
        &self,
    ) -> impl Iterator<Item = Result<(Timestamp, CustomerId), StoreError>> + '_ {
        let tree = TreeName::TrashByTime;
        super::engine::Guarded::new(&self.path, self.tree(tree).iter()).map(move |item| {
            let (k, _) = item.map_err(|e| StoreError::from_sled(&self.path, e))?;
            keys::read_trash_key(tree.as_str(), &k)
        })
    }

    pub fn user(&self, id: UserId) -> Result<Option<User>, StoreError> {
        self.get_value(TreeName::Users, &keys::user_key(id))
    }

    pub fn user_id_by_email(&self, email_key: &str) -> Result<Option<UserId>, StoreError> {
        Ok(self
            .get_id(TreeName::UserEmailToId, email_key.as_bytes())?
            .map(UserId))
    }

    pub fn user_id_by_unix(&self, unix_user: &str) -> Result<Option<UserId>, StoreError> {
        Ok(self
            .get_id(TreeName::UnixUserToId, unix_user.as_bytes())?
            .map(UserId))
    }

    /// Emails (lowercase) and user ids in email order, after `after` (from the first without).
    pub fn emails_after<'a>(
        &'a self,
        after: Option<&str>,
    ) -> impl Iterator<Item = Result<(String, UserId), StoreError>> + use<'a> {
        use std::ops::Bound;
        let tree = TreeName::UserEmailToId;
        let start = match after {
            Some(key) => Bound::Excluded(key.as_bytes().to_vec()),
            None => Bound::Unbounded,
        };
        let items = self
            .tree(tree)
            .range::<Vec<u8>, _>((start, Bound::Unbounded));
        super::engine::Guarded::new(&self.path, items).map(move |item| {
            let (k, v) = item.map_err(|e| StoreError::from_sled(&self.path, e))?;
            let email = String::from_utf8(k.to_vec())
                .map_err(|_| StoreError::corrupt(tree.as_str(), &k, "email is not UTF-8"))?;
            Ok((email, UserId(keys::read_u64(tree.as_str(), &v)?)))
        })
    }

    /// The users whose email has the look-alike skeleton `skeleton`.
    pub fn lookalike_users(&self, skeleton: &str) -> Result<Vec<UserId>, StoreError> {
        let tree = TreeName::UserLookalike;
        let items = self
            .tree(tree)
            .scan_prefix(keys::lookalike_prefix(skeleton));
        let mut out = Vec::new();
        for item in super::engine::Guarded::new(&self.path, items) {
            let (k, _) = item.map_err(|e| StoreError::from_sled(&self.path, e))?;
            out.push(keys::read_lookalike(tree.as_str(), &k)?.1);
        }
        Ok(out)
    }

    /// Every user in id order.
    pub fn users(&self) -> impl Iterator<Item = Result<User, StoreError>> + '_ {
        self.values(TreeName::Users)
    }

    /// The members of a customer with their memberships (pending ones included).
    pub fn members_of(
        &self,
        customer: CustomerId,
    ) -> Result<Vec<(UserId, Membership)>, StoreError> {
        let tree = TreeName::CustomerUsers;
        let mut out = Vec::new();
        let items = self.tree(tree).scan_prefix(keys::customer_key(customer));
        for item in super::engine::Guarded::new(&self.path, items) {
            let (k, v) = item.map_err(|e| StoreError::from_sled(&self.path, e))?;
            let (_, user) = keys::read_pair(tree.as_str(), &k)?;
            let membership =
                codec::decode(&v).map_err(|e| StoreError::corrupt(tree.as_str(), &k, e))?;
            out.push((UserId(user), membership));
        }
        Ok(out)
    }

    /// One user's membership in one customer.
    pub fn membership(
        &self,
        customer: CustomerId,
        user: UserId,
    ) -> Result<Option<Membership>, StoreError> {
        self.get_value(TreeName::CustomerUsers, &keys::pair_key(customer.0, user.0))
    }

    /// The customers a user belongs to.
    pub fn customers_of(&self, user: UserId) -> Result<Vec<CustomerId>, StoreError> {
        let tree = TreeName::UserCustomers;
        let mut out = Vec::new();
        let items = self.tree(tree).scan_prefix(keys::user_key(user));
        for item in super::engine::Guarded::new(&self.path, items) {
            let (k, _) = item.map_err(|e| StoreError::from_sled(&self.path, e))?;
            out.push(CustomerId(keys::read_pair(tree.as_str(), &k)?.1));
        }
        Ok(out)
    }

    pub fn settings(&self) -> Result<Settings, StoreError> {
        Ok(self
            .get_value(TreeName::Meta, meta_key::SETTINGS)?
            .unwrap_or_default())
    }

    /// The impersonation bounds; the defaults until first set.
    pub fn impersonation_settings(
        &self,
    ) -> Result<crate::domain::ImpersonationSettings, StoreError> {
        Ok(self
            .get_value(TreeName::Meta, meta_key::IMPERSONATION)?
            .unwrap_or_default())
    }

    pub fn provider_id(&self) -> Result<Option<CustomerId>, StoreError> {
        Ok(self
            .get_value::<u64>(TreeName::Meta, meta_key::PROVIDER_ID)?
            .map(CustomerId))
    }

    pub fn audit_head(&self) -> Result<AuditHead, StoreError> {
        Ok(self
            .get_value(TreeName::Meta, meta_key::AUDIT_HEAD)?
            .unwrap_or_default())
    }

    /// Audit events newest first, as raw (sequence, decoded-or-error) pairs, so a reader can
    /// report an undecodable event as such and go on.
    pub fn audit_newest_first(&self) -> impl Iterator<Item = Result<AuditEvent, StoreError>> + '_ {
        let tree = TreeName::Audit;
        super::engine::Guarded::new(&self.path, self.tree(tree).iter())
            .rev()
            .map(move |item| self.decode_entry(tree, item))
    }

    /// Audit events oldest first: (sequence key, decoded event or the reason it does not decode).
    pub fn audit_oldest_first(
        &self,
    ) -> impl Iterator<Item = Result<(u64, Result<AuditEvent, StoreError>), StoreError>> + '_ {
        let tree = TreeName::Audit;
        super::engine::Guarded::new(&self.path, self.tree(tree).iter()).map(move |item| {
            let (k, v) = item.map_err(|e| StoreError::from_sled(&self.path, e))?;
            let seq = keys::read_u64(tree.as_str(), &k)?;
            let event = codec::decode(&v).map_err(|e| StoreError::corrupt(tree.as_str(), &k, e));
            Ok((seq, event))
        })
    }

    pub fn audit_event(&self, seq: u64) -> Result<Option<AuditEvent>, StoreError> {
        self.get_value(TreeName::Audit, &keys::u64_key(seq))
    }

    /// Sequences of the events concerning one customer, newest first.
    pub fn audit_seqs_for(
        &self,
        customer: CustomerId,
    ) -> impl Iterator<Item = Result<u64, StoreError>> + '_ {
        self.index_seqs_below(TreeName::AuditByCustomer, customer.0, None)
    }

    /// Audit events stored; a full scan, like [`Store::customer_count`].
    pub fn audit_count(&self) -> usize {
        self.tree(TreeName::Audit).len()
    }
}

impl Store {
    pub fn sign_in_failures(
        &self,
        email_key: &str,
    ) -> Result<Option<crate::domain::user::SignInFailures>, StoreError> {
        self.get_value(TreeName::SignInFailures, email_key.as_bytes())
    }

    /// At most `limit` sign-in failure entries in key order from the first key after `after`,
    /// continuing from the start of the tree when `wrap` is set. Entries that do not decode
    /// are left out (`check` reports them; nothing is repaired here).
    pub fn sign_in_failures_after(
        &self,
        after: &str,
        limit: usize,
        wrap: bool,
    ) -> Result<Vec<(String, crate::domain::user::SignInFailures)>, StoreError> {
        use std::ops::Bound;
        let tree = self.tree(TreeName::SignInFailures);
        let start = (Bound::Excluded(after.as_bytes()), Bound::Unbounded);
        let head = (Bound::Unbounded, Bound::Included(after.as_bytes()));
        let wrapped = wrap
            .then(|| tree.range::<&[u8], _>(head))
            .into_iter()
            .flatten();
        let mut out = Vec::new();
        for item in tree.range::<&[u8], _>(start).chain(wrapped).take(limit) {
            let (k, v) = item.map_err(|e| StoreError::from_sled(&self.path, e))?;
            let (Ok(key), Ok(record)) = (String::from_utf8(k.to_vec()), codec::decode(&v)) else {
                continue;
            };
            out.push((key, record));
        }
        Ok(out)
    }
}

/// Imports and the customers they created.
impl Store {
    /// Every import record, oldest first.
    pub fn imports(
        &self,
    ) -> impl Iterator<Item = Result<crate::domain::import::ImportRecord, StoreError>> + '_ {
        self.values(TreeName::Imports)
    }

    pub fn import(
        &self,
        id: u64,
    ) -> Result<Option<crate::domain::import::ImportRecord>, StoreError> {
        self.get_value(TreeName::Imports, &keys::u64_key(id))
    }

    /// True when import `import` created customer `customer`.
    pub fn import_created(&self, import: u64, customer: CustomerId) -> Result<bool, StoreError> {
        let key = keys::pair_key(import, customer.0);
        super::engine::guard(&self.path, || {
            self.tree(TreeName::ImportCustomers).contains_key(key)
        })?
        .map_err(|e| StoreError::from_sled(&self.path, e))
    }

    /// The customers an import created, in id order.
    pub fn customers_of_import(
        &self,
        import: u64,
    ) -> impl Iterator<Item = Result<CustomerId, StoreError>> + '_ {
        let tree = TreeName::ImportCustomers;
        super::engine::Guarded::new(
            &self.path,
            self.tree(tree).scan_prefix(keys::u64_key(import)),
        )
        .map(move |item| {
            let (k, _) = item.map_err(|e| StoreError::from_sled(&self.path, e))?;
            Ok(CustomerId(keys::read_pair(tree.as_str(), &k)?.1))
        })
    }

    /// Audit events newest first, starting below sequence `before` (all when `None`): one
    /// page of the log read from a cursor without scanning the newer events again.
    pub fn audit_newest_before(
        &self,
        before: Option<u64>,
    ) -> impl Iterator<Item = Result<AuditEvent, StoreError>> + '_ {
        let tree = TreeName::Audit;
        let end = keys::u64_key(before.unwrap_or(u64::MAX)).to_vec();
        let items = match before {
            Some(_) => self.tree(tree).range(..end),
            None => self.tree(tree).range::<Vec<u8>, _>(..),
        };
        super::engine::Guarded::new(&self.path, items)
            .rev()
            .map(move |item| self.decode_entry(tree, item))
    }

    /// Sequences of the events concerning `customer`, newest first, below `before`.
    pub fn audit_seqs_for_before(
        &self,
        customer: CustomerId,
        before: Option<u64>,
    ) -> impl Iterator<Item = Result<u64, StoreError>> + '_ {
        self.index_seqs_below(TreeName::AuditByCustomer, customer.0, before)
    }

    /// Sequences of the events a user did or that concern them, newest first.
    pub fn audit_seqs_for_user(
        &self,
        user: UserId,
    ) -> impl Iterator<Item = Result<u64, StoreError>> + '_ {
        self.index_seqs_below(TreeName::AuditByUser, user.0, None)
    }

    /// Users in id order, starting after `after` (from the first when `None`).
    pub fn users_after(
        &self,
        after: Option<UserId>,
    ) -> impl Iterator<Item = Result<User, StoreError>> + '_ {
        let tree = TreeName::Users;
        // Ids come from a counter that never reaches u64::MAX, so "after" never saturates.
        let from = after.map_or(0, |id| id.0.saturating_add(1));
        let items = self.tree(tree).range(keys::u64_key(from).to_vec()..);
        super::engine::Guarded::new(&self.path, items)
            .map(move |item| self.decode_entry(tree, item))
    }
}
