//! The audit log's optional retention (`audit.retention_days`, off by default): `log prune`
//! removes the events older than it in one audited step. One transaction writes the
//! checkpoint (the sequence and hash of the newest event removed) with the `log.prune` event
//! that records it, so from then on the chain verifies from the checkpoint, and exports say
//! where they begin; the stored events at or below it are then removed in batches (the store's
//! `remove_pruned_events`), which the next prune finishes if it was stopped. Purging customers
//! never removes events; only this does.
//!
//! Runs as the system actor (cron, like `trash purge-expired`) or a staff member who manages
//! settings. It must not decide anything the setting does not say.

use serde::{Deserialize, Serialize};

use super::{Ctx, Outcome, Service, ServiceError, Session, record};
use crate::domain::{AuditAction, Privilege, Timestamp};
use crate::store::audit_prune::AuditCheckpoint;

/// What a prune did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PruneReport {
    /// Events removed by this run (from this prune and any an earlier one left).
    pub removed: u64,
    /// Where the chain now begins, when the log was ever pruned.
    pub checkpoint_seq: Option<u64>,
    pub checkpoint_hash: Option<String>,
    /// Why nothing was cut, when nothing was.
    pub note: Option<String>,
}

impl Service {
    pub(crate) fn prune_log(&self, session: &Session) -> Result<Outcome, ServiceError> {
        self.require_initialised()?;
        let session = &self.acting(session)?;
        let action = AuditAction::LogPrune;
        if !session.is_system() {
            session.require(Privilege::ManageSettings, action.as_str())?;
        }
        if let Some(refusal) = self.store.damage_refusal() {
            return Err(refusal.into());
        }
        let now = self.clock.now();
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        // What an interrupted prune left behind goes first.
        let mut removed = self.store.remove_pruned_events()?;
        let note = match self.store.audit_settings()?.retention_days {
            None => Some("audit.retention_days is off: every event is kept".to_owned()),
            Some(days) => {
                let cutoff = Timestamp(
                    now.0
                        .saturating_sub(i64::from(days).saturating_mul(Timestamp::MILLIS_PER_DAY)),
                );
                match self.store.audit_cut_before(cutoff)? {
                    None => Some(format!("no event is older than {days} days")),
                    Some(cut) => {
                        let checkpoint = AuditCheckpoint {
                            seq: cut.seq,
                            hash: cut.hash,
                            at: cut.at,
                        };
                        let ctx = Ctx { session, now };
                        let summary = format!(
                            "pruned the events up to {} (older than {days} days, the last of them \
                             at {}); the chain now begins after {}",
                            cut.seq,
                            cut.at.to_rfc3339(),
                            crate::store::check::checkpoint_words(cut.seq, &cut.hash)
                        );
                        self.store.transact(|tx| {
                            tx.put_audit_checkpoint(&checkpoint)?;
                            record(tx, &ctx, None, action, summary.clone())?;
                            Ok(())
                        })?;
                        self.store.flush()?;
                        tracing::info!(seq = cut.seq, "audit log pruned");
                        removed = removed.saturating_add(self.store.remove_pruned_events()?);
                        None
                    }
                }
            }
        };
        let checkpoint = self.store.audit_checkpoint()?;
        Ok(Outcome::Pruned(PruneReport {
            removed,
            checkpoint_seq: checkpoint.map(|c| c.seq),
            checkpoint_hash: checkpoint.map(|c| hex::encode(c.hash)),
            note,
        }))
    }
}
