//! The only owner of bytes: one sled database with one tree per entity and per index,
//! fixed-width big-endian keys, and every value in a checked, versioned envelope.
//!
//! Nothing outside this module names `sled` or `bincode`. The store enforces no business rule;
//! it offers typed reads, one typed transaction at a time ([`Store::transact`]), and the checks
//! that prove the stored data is consistent ([`check`]).
#![deny(clippy::arithmetic_side_effects)]

pub mod audit_prune;
pub mod audit_sieve;
pub mod backup;
pub(crate) mod backup_file;
mod backup_restore;
pub mod backup_sign;
mod catalogue;
pub mod check;
mod check_entries;
mod check_people;
mod check_text;
pub mod codec;
pub mod counters;
mod damage;
pub mod engine;
mod error;
#[doc(hidden)]
pub mod forge;
pub mod keys;
pub mod legacy;
mod lock;
mod member_counts;
mod migrate;
mod open;
mod read;
mod read_audit;
mod read_people;
mod trees;
mod tx;
mod tx_entities;
mod tx_people;
mod tx_records;
mod user_fields;
mod user_groups;
pub mod watchdog;

pub use audit_sieve::AuditSieve;
pub use damage::DAMAGE_FILE;
pub use error::StoreError;
pub use lock::LockHolder;
pub use migrate::{MigrationPlace, MigrationReport};
pub use open::{OpenMode, StoreOptions, quarantine_generating_snapshots};
pub use read_audit::SiftedEvent;
pub use trees::TreeName;
pub use tx::{Tx, TxError, abort};

use std::path::{Path, PathBuf};

/// The schema version this build writes. Older databases are migrated on open; newer ones are
/// refused.
pub const SCHEMA_VERSION: u32 = 5;

/// An open database: the sled handle, its trees, and the process lock that keeps every other
/// process out while this one lives.
pub struct Store {
    db: sled::Db,
    trees: Vec<sled::Tree>,
    path: PathBuf,
    /// Whether this database is known damaged (its `damaged` record, read once at open).
    damage: damage::DamageMark,
    _lock: lock::ProcessLock,
}

/// Records that the database in directory `path` was found damaged when it could not even be
/// opened (the engine stopped while recovering it). See [`Store::record_damage`].
pub fn record_damage_at(path: &Path, what: &str) {
    if path.join(open::DATA_DIR).is_dir() {
        damage::DamageMark::load(path).record(what);
    }
}

impl Store {
    /// The database directory (the one given by `--db`).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Makes every change so far durable. A change is only reported done after this returns.
    pub fn flush(&self) -> Result<(), StoreError> {
        engine::guard(&self.path, || self.db.flush())?
            .map(|_| ())
            .map_err(|e| StoreError::from_sled(&self.path, e))
    }

    /// Bytes the database occupies on disk, as sled counts them.
    pub fn size_on_disk(&self) -> Result<u64, StoreError> {
        engine::guard(&self.path, || self.db.size_on_disk())?
            .map_err(|e| StoreError::from_sled(&self.path, e))
    }

    /// Records durably that the database was found damaged (`what` says how), so that every
    /// later open refuses to write until a clean `check`. An earlier record is kept.
    pub fn record_damage(&self, what: &str) {
        self.damage.record(what);
    }

    /// The refusal every write gets while the database is known damaged, if it is.
    pub fn damage_refusal(&self) -> Option<StoreError> {
        self.damage.refusal(&self.path)
    }

    /// Removes the damage record after a check found nothing wrong; returns what it said.
    pub fn clear_damage(&self) -> Result<Option<String>, StoreError> {
        self.damage.clear()
    }

    pub(crate) fn tree(&self, name: TreeName) -> &sled::Tree {
        &self.trees[name as usize]
    }

    /// Runs `f` as one serializable transaction over every tree. `f` may run more than once,
    /// so it must only read and write through `tx` and do no slow work. Does not flush.
    /// Refused, writing nothing, while the database is known damaged ([`Store::record_damage`]).
    pub fn transact<T, E, F>(&self, f: F) -> Result<T, E>
    where
        E: From<StoreError>,
        F: Fn(&Tx<'_, E>) -> Result<T, TxError<E>>,
    {
        use sled::Transactional;
        if let Some(refusal) = self.damage_refusal() {
            return Err(refusal.into());
        }
        let result = engine::guard(&self.path, || {
            self.trees.as_slice().transaction(|views| {
                let tx = Tx::new(views);
                f(&tx).map_err(TxError::into_inner)
            })
        })
        .map_err(E::from)?;
        match result {
            Ok(value) => Ok(value),
            Err(sled::transaction::TransactionError::Abort(e)) => Err(e),
            Err(sled::transaction::TransactionError::Storage(e)) => {
                Err(StoreError::from_sled(&self.path, e).into())
            }
        }
    }
}

impl Drop for Store {
    /// sled flushes when its last handle is dropped. That flush runs inside the guard too; after
    /// the engine panicked once (here or in the flush) its state cannot be trusted, so the
    /// handles are leaked instead of torn down. The process lock is released either way.
    fn drop(&mut self) {
        let flushed = engine::guard(&self.path, || self.db.flush()).is_ok();
        if engine::panicked_at(&self.path) {
            // A panic no call reported (one of sled's own threads) is damage all the same.
            self.damage
                .record("the storage engine stopped on damaged data");
        }
        if !flushed || engine::panicked_at(&self.path) {
            std::mem::forget(self.db.clone());
            std::mem::forget(std::mem::take(&mut self.trees));
        }
    }
}
