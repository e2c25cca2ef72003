//! The audit log's retention: a checkpoint (meta key `audit_checkpoint`: the sequence and hash
//! of the newest event removed) and the removal of every event at or below it with its index
//! entries. The checkpoint is written first, in the transaction of the `log.prune` event that
//! records it, so the chain always verifies from the checkpoint on; the removal that follows
//! runs in batches, one transaction each, and goes on at the next prune when it was stopped.
//! Events at or below the checkpoint that are still stored are leftovers of such a stop: every
//! read and check passes over them.
//!
//! Which events are old enough is the service's to say (`cut_before`); nothing here decides
//! a retention.

use serde::{Deserialize, Serialize};

use super::trees::meta_key;
use super::tx::{Tx, TxError};
use super::{Store, StoreError, TreeName, keys};
use crate::domain::{Actor, AuditEvent, Timestamp};

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

    /// Removes every stored event at or below the checkpoint, with its index entries, a
    /// batch per transaction; then the entries of `audit_by_user` for events that concerned a
    /// user without being theirs. Returns the events removed. Safe to repeat: what is already
    /// gone is not looked for again.
    pub fn remove_pruned_events(&self) -> Result<u64, StoreError> {
        let Some(checkpoint) = self.audit_checkpoint()? else {
            return Ok(0);
        };
        let mut removed = 0u64;
        loop {
            let batch: Vec<AuditEvent> = self
                .audit_oldest_from(1)
                .take_while(|e| e.as_ref().map_or(true, |e| e.seq <= checkpoint.seq))
                .take(BATCH)
                .collect::<Result<_, _>>()?;
            if batch.is_empty() {
                break;
            }
            self.transact(|tx| {
                for event in &batch {
                    remove_event(tx, event)?;
                }
                Ok::<_, TxError<StoreError>>(())
            })?;
            self.flush()?;
            removed = removed.saturating_add(batch.len() as u64);
        }
        self.remove_index_entries_up_to(TreeName::AuditByUser, checkpoint.seq)?;
        self.remove_index_entries_up_to(TreeName::AuditByCustomer, checkpoint.seq)?;
        Ok(removed)
    }

    /// Removes the entries (id ‖ sequence) of `tree` whose sequence is at or below `seq`.
    fn remove_index_entries_up_to(&self, tree: TreeName, seq: u64) -> Result<(), StoreError> {
        let mut stale = Vec::new();
        for item in self.raw_entries(tree) {
            let (key, _) = item?;
            if keys::read_pair(tree.as_str(), &key)?.1 <= seq {
                stale.push(key);
            }
        }
        for chunk in stale.chunks(BATCH) {
            self.transact(|tx| {
                for key in chunk {
                    tx.remove(tree, key)?;
                }
                Ok::<_, TxError<StoreError>>(())
            })?;
            self.flush()?;
        }
        Ok(())
    }
}

/// One event and the index entries it names.
fn remove_event<E: From<StoreError>>(tx: &Tx<'_, E>, event: &AuditEvent) -> Result<(), TxError<E>> {
    for r in [&event.customer, &event.impersonating]
        .into_iter()
        .flatten()
    {
        tx.remove(
            TreeName::AuditByCustomer,
            &keys::pair_key(r.id.0, event.seq),
        )?;
    }
    if let Actor::User { id, .. } = &event.actor {
        tx.remove(TreeName::AuditByUser, &keys::pair_key(id.0, event.seq))?;
    }
    tx.remove(TreeName::Audit, &keys::u64_key(event.seq))
}
