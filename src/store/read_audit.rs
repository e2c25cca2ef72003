//! Audit reads oldest first from a position (what exporting the log and checking an export
//! against the stored chain walk), and reads through an [`AuditSieve`], which look at each
//! event's stored bytes before decoding it (what a search of the whole log walks). Reads
//! only; the newest-first reads of the log's pages are in `read.rs`.

use super::audit_sieve::AuditSieve;
use super::{Store, StoreError, TreeName, codec, keys};
use crate::domain::{AuditEvent, CustomerId, UserId};

/// One audit entry read through a sieve: its sequence, and the event unless the sieve ruled
/// it out (then it cannot match, and was not decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiftedEvent {
    pub seq: u64,
    pub event: Option<AuditEvent>,
}

impl Store {
    /// Audit events oldest first, from sequence `from` on.
    pub fn audit_oldest_from(
        &self,
        from: u64,
    ) -> impl Iterator<Item = Result<AuditEvent, StoreError>> + '_ {
        let tree = TreeName::Audit;
        let start = keys::u64_key(from).to_vec();
        super::engine::Guarded::new(&self.path, self.tree(tree).range(start..))
            .map(move |item| self.decode_entry(tree, item))
    }

    /// Sequences of the events concerning one customer, oldest first.
    pub fn audit_seqs_oldest_for(
        &self,
        customer: CustomerId,
    ) -> impl Iterator<Item = Result<u64, StoreError>> + '_ {
        self.index_seqs_oldest(TreeName::AuditByCustomer, customer.0)
    }

    /// Sequences of the events a user did or that concern them, newest first, below
    /// `before` (all when `None`).
    pub fn audit_seqs_for_user_before(
        &self,
        user: UserId,
        before: Option<u64>,
    ) -> impl Iterator<Item = Result<u64, StoreError>> + '_ {
        self.index_seqs_below(TreeName::AuditByUser, user.0, before)
    }

    /// Sequences of the events a user did or that concern them, oldest first.
    pub fn audit_seqs_oldest_for_user(
        &self,
        user: UserId,
    ) -> impl Iterator<Item = Result<u64, StoreError>> + '_ {
        self.index_seqs_oldest(TreeName::AuditByUser, user.0)
    }

    /// The sequences an audit index (`id ‖ sequence` keys) holds for `id`, oldest first.
    fn index_seqs_oldest(
        &self,
        tree: TreeName,
        id: u64,
    ) -> impl Iterator<Item = Result<u64, StoreError>> + '_ {
        super::engine::Guarded::new(&self.path, self.tree(tree).scan_prefix(keys::u64_key(id))).map(
            move |item| {
                let (k, _) = item.map_err(|e| StoreError::from_sled(&self.path, e))?;
                Ok(keys::read_pair(tree.as_str(), &k)?.1)
            },
        )
    }

    /// The sequences an audit index holds for `id`, newest first, below `before` (all when
    /// `None`).
    pub(super) fn index_seqs_below(
        &self,
        tree: TreeName,
        id: u64,
        before: Option<u64>,
    ) -> impl Iterator<Item = Result<u64, StoreError>> + '_ {
        let start = keys::pair_key(id, 0).to_vec();
        let end = keys::pair_key(id, before.unwrap_or(u64::MAX)).to_vec();
        let items = match before {
            Some(_) => self.tree(tree).range(start..end),
            None => self.tree(tree).range(start..=end),
        };
        super::engine::Guarded::new(&self.path, items)
            .rev()
            .map(move |item| {
                let (k, _) = item.map_err(|e| StoreError::from_sled(&self.path, e))?;
                Ok(keys::read_pair(tree.as_str(), &k)?.1)
            })
    }

    /// Audit entries newest first below sequence `before` (all when `None`), each decoded
    /// only when `sieve` admits its bytes. The envelope is checked for every entry, so damage
    /// is reported whether or not the event could match.
    pub fn audit_newest_sifted<'a>(
        &'a self,
        before: Option<u64>,
        sieve: &'a AuditSieve,
    ) -> impl Iterator<Item = Result<SiftedEvent, StoreError>> + 'a {
        let tree = self.tree(TreeName::Audit);
        let items = match before {
            Some(seq) => tree.range(..keys::u64_key(seq).to_vec()),
            None => tree.range::<Vec<u8>, _>(..),
        };
        super::engine::Guarded::new(&self.path, items)
            .rev()
            .map(move |item| {
                let (k, v) = item.map_err(|e| StoreError::from_sled(&self.path, e))?;
                sift(&k, &v, sieve)
            })
    }

    /// Audit entries oldest first, each decoded only when `sieve` admits its bytes.
    pub fn audit_oldest_sifted<'a>(
        &'a self,
        sieve: &'a AuditSieve,
    ) -> impl Iterator<Item = Result<SiftedEvent, StoreError>> + 'a {
        super::engine::Guarded::new(&self.path, self.tree(TreeName::Audit).iter()).map(
            move |item| {
                let (k, v) = item.map_err(|e| StoreError::from_sled(&self.path, e))?;
                sift(&k, &v, sieve)
            },
        )
    }

    /// The event at `seq` through `sieve`; `None` when no event has that sequence.
    pub fn audit_event_sifted(
        &self,
        seq: u64,
        sieve: &AuditSieve,
    ) -> Result<Option<SiftedEvent>, StoreError> {
        let key = keys::u64_key(seq);
        let tree = self.tree(TreeName::Audit);
        match super::engine::guard(&self.path, || tree.get(key))?
            .map_err(|e| StoreError::from_sled(&self.path, e))?
        {
            None => Ok(None),
            Some(v) => sift(&key, &v, sieve).map(Some),
        }
    }
}

/// One stored audit entry: its envelope checked, then decoded if the sieve admits it.
fn sift(key: &[u8], value: &[u8], sieve: &AuditSieve) -> Result<SiftedEvent, StoreError> {
    let tree = TreeName::Audit.as_str();
    let seq = keys::read_u64(tree, key)?;
    let payload = codec::checked_payload(value).map_err(|e| StoreError::corrupt(tree, key, e))?;
    let event = if sieve.admits(payload) {
        Some(codec::decode_payload(payload).map_err(|e| StoreError::corrupt(tree, key, e))?)
    } else {
        None
    };
    Ok(SiftedEvent { seq, event })
}
