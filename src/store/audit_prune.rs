//! The audit log's retention: a checkpoint (meta key `audit_checkpoint`: the sequence and hash
//! of the newest event removed) and the removal of every event at or below it with its index
//! entries. The checkpoint is written first, in the transaction of the `log.prune` event that
//! records it, so the chain always verifies from the checkpoint on; the removal that follows
//! runs in batches, one transaction each, and goes on at the next prune when it was stopped.
//! Events at or below the checkpoint that are still stored are leftovers of such a stop: the
//! log's reads, exports, `verify_chain` and `check` pass over them.
//!
//! Which events are old enough is the service's to say (it asks [`Store::audit_cut_before`]
//! for a cutoff it computed); nothing here decides a retention.

use serde::{Deserialize, Serialize};

use super::trees::meta_key;
use super::tx::{Tx, TxError};
use super::{Store, StoreError, TreeName, keys};
use crate::domain::{AuditEvent, Timestamp};

/// Entries removed per transaction.
const BATCH: usize = 1_000;

/// Where the stored chain begins after a prune. Stored: append fields only through a
/// migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditCheckpoint {
    /// The newest event removed: the next stored event is `seq + 1` and links to `hash`.
    pub seq: u64,
    pub hash: [u8; 32],
    /// When that event was written.
    pub at: Timestamp,
}

impl<E: From<StoreError>> Tx<'_, E> {
    pub fn audit_checkpoint(&self) -> Result<Option<AuditCheckpoint>, TxError<E>> {
        self.get(TreeName::Meta, meta_key::AUDIT_CHECKPOINT)
    }

    pub fn put_audit_checkpoint(&self, checkpoint: &AuditCheckpoint) -> Result<(), TxError<E>> {
        self.put(TreeName::Meta, meta_key::AUDIT_CHECKPOINT, checkpoint)
    }

    pub fn audit_settings(&self) -> Result<crate::domain::AuditSettings, TxError<E>> {
        Ok(self
            .get(TreeName::Meta, meta_key::AUDIT_SETTINGS)?
            .unwrap_or_default())
    }

    pub fn put_audit_settings(
        &self,
        settings: &crate::domain::AuditSettings,
    ) -> Result<(), TxError<E>> {
        self.put(TreeName::Meta, meta_key::AUDIT_SETTINGS, settings)
    }
}

impl Store {
    /// The checkpoint of the last prune, if the log was ever pruned.
    pub fn audit_checkpoint(&self) -> Result<Option<AuditCheckpoint>, StoreError> {
        self.get_value(TreeName::Meta, meta_key::AUDIT_CHECKPOINT)
    }

    /// The audit retention; the default (keep every event) until first set.
    pub fn audit_settings(&self) -> Result<crate::domain::AuditSettings, StoreError> {
        Ok(self
            .get_value(TreeName::Meta, meta_key::AUDIT_SETTINGS)?
            .unwrap_or_default())
    }

    /// The first sequence the stored chain holds: 1, or the one after the checkpoint.
    pub fn audit_start(&self) -> Result<u64, StoreError> {
        Ok(self
            .audit_checkpoint()?
            .map_or(1, |c| c.seq.saturating_add(1)))
    }

    /// The newest event after the checkpoint written before `cutoff`, walking oldest first and
    /// stopping at the first event at or after it (a later event never moves the cut back
    /// past an earlier one). `None` when there is none.
    pub fn audit_cut_before(&self, cutoff: Timestamp) -> Result<Option<AuditEvent>, StoreError> {
        let mut cut = None;
        for event in self.audit_oldest_from(self.audit_start()?) {
            let event = event?;
            if event.at >= cutoff {
                break;
            }
            cut = Some(event);
        }
        Ok(cut)
    }

    /// Removes every stored event at or below the checkpoint, a batch of keys per transaction
    /// (never decoding them: a damaged leftover goes like any other), then the index entries of
    /// `audit_by_customer` and `audit_by_user` at or below it. Returns the events removed. Safe
    /// to repeat: the index sweep records how far it got (`meta.audit_swept`), so a run with
    /// nothing new to remove walks no index.
    pub fn remove_pruned_events(&self) -> Result<u64, StoreError> {
        let Some(checkpoint) = self.audit_checkpoint()? else {
            return Ok(0);
        };
        let mut removed = 0u64;
        loop {
            let mut batch = Vec::with_capacity(BATCH);
            let items = self
                .tree(TreeName::Audit)
                .range(..=keys::u64_key(checkpoint.seq).to_vec())
                .keys();
            for key in super::engine::Guarded::new(&self.path, items).take(BATCH) {
                batch.push(key.map_err(|e| StoreError::from_sled(&self.path, e))?);
            }
            if batch.is_empty() {
                break;
            }
            self.transact(|tx| {
                for key in &batch {
                    tx.remove(TreeName::Audit, key)?;
                }
                Ok::<_, TxError<StoreError>>(())
            })?;
            self.flush()?;
            removed = removed.saturating_add(batch.len() as u64);
        }
        let swept = self
            .get_value::<u64>(TreeName::Meta, meta_key::AUDIT_SWEPT)?
            .unwrap_or(0);
        if swept < checkpoint.seq {
            self.remove_index_entries_up_to(TreeName::AuditByUser, checkpoint.seq)?;
            self.remove_index_entries_up_to(TreeName::AuditByCustomer, checkpoint.seq)?;
            self.transact(|tx| {
                tx.put(TreeName::Meta, meta_key::AUDIT_SWEPT, &checkpoint.seq)?;
                Ok::<_, TxError<StoreError>>(())
            })?;
            self.flush()?;
        }
        Ok(removed)
    }

    /// Removes the entries (id ‖ sequence) of `tree` whose sequence is at or below `seq`, a
    /// batch at a time as the walk finds them.
    fn remove_index_entries_up_to(&self, tree: TreeName, seq: u64) -> Result<(), StoreError> {
        let mut stale = Vec::with_capacity(BATCH);
        let flush = |stale: &mut Vec<Vec<u8>>| -> Result<(), StoreError> {
            if stale.is_empty() {
                return Ok(());
            }
            self.transact(|tx| {
                for key in stale.iter() {
                    tx.remove(tree, key)?;
                }
                Ok::<_, TxError<StoreError>>(())
            })?;
            stale.clear();
            self.flush()
        };
        for item in self.raw_entries(tree) {
            let (key, _) = item?;
            if keys::read_pair(tree.as_str(), &key)?.1 <= seq {
                stale.push(key);
                if stale.len() >= BATCH {
                    flush(&mut stale)?;
                }
            }
        }
        flush(&mut stale)
    }
}
