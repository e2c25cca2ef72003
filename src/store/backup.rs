//! Backups in tenantry's own streamed format (sled's `export` panics on error, so it is never
//! used). `docs/cli.md` describes the format:
//!
//! - 16-byte magic `TENANTRY-BACKUP\n`, then a 4-byte big-endian format version (1);
//! - records: kind byte, 4-byte big-endian payload length, payload, then a CRC32 of kind,
//!   length and payload. Kind `T` starts a tree (payload: its name), `K` is one entry
//!   (payload: 4-byte key length, key, value bytes as stored), `E` ends the content (payload:
//!   8-byte entry count and the SHA-256 of every byte before the `E` record), and an optional
//!   `S` right after `E` signs it (see `backup_sign`). Nothing may follow.
//!
//! A backup is written to a private temporary file beside `FILE` (created exclusively, 0600,
//! removed on any failure or signal), synced, then renamed, so a `FILE` that exists is always
//! whole. The sign-in failure and reset-request counters are transient and left out.
//!
//! This module writes; `backup_restore` reads. Neither judges business rules beyond the
//! store's own consistency checks.
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::backup_file::{
    Interrupt, parent_dir, refuse_existing, refuse_inside_database, sync_dir, temp_file_beside,
};
use super::backup_sign::SigningKey;
use super::{Store, StoreError, TreeName};
use crate::domain::text::display_safe;

pub const MAGIC: &[u8; 16] = b"TENANTRY-BACKUP\n";
pub const FORMAT_VERSION: u32 = 1;
/// No record may claim more than this many payload bytes (a value is at most 1 MiB).
pub(super) const MAX_RECORD: u32 = 2 << 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct BackupSummary {
    pub entries: u64,
    pub bytes: u64,
    pub customers: u64,
    pub audit_events: u64,
    /// Whether the backup carries a signature (checked on restore only with a key).
    pub signed: bool,
}

/// Writes with a running SHA-256 of everything written.
struct HashingWriter<W: Write> {
    inner: W,
    hash: Sha256,
    bytes: u64,
}

impl<W: Write> HashingWriter<W> {
    fn put(&mut self, data: &[u8]) -> std::io::Result<()> {
        self.hash.update(data);
        self.bytes = self.bytes.saturating_add(data.len() as u64);
        self.inner.write_all(data)
    }

    fn record(&mut self, kind: u8, payload: &[&[u8]]) -> std::io::Result<()> {
        let len: usize = payload.iter().map(|p| p.len()).sum();
        let len = u32::try_from(len).map_err(|_| std::io::Error::other("record too large"))?;
        let mut crc = crc32fast::Hasher::new();
        crc.update(&[kind]);
        crc.update(&len.to_be_bytes());
        self.put(&[kind])?;
        self.put(&len.to_be_bytes())?;
        for part in payload {
            crc.update(part);
            self.put(part)?;
        }
        self.put(&crc.finalize().to_be_bytes())
    }
}

impl Store {
    /// Writes a consistent copy of every tree (sign-in failure counters excepted) to `file`,
    /// signed with `key` when given. Consistent because this process holds the database lock
    /// and writes nothing while the copy runs. A symbolic link at `file` is never followed:
    /// with `overwrite` the link itself is replaced.
    pub fn write_backup(
        &self,
        file: &Path,
        overwrite: bool,
        key: Option<&SigningKey>,
    ) -> Result<BackupSummary, StoreError> {
        refuse_existing(file, overwrite)?;
        refuse_inside_database(file, &self.path)?;
        let interrupt = Interrupt::register(file)?;
        let temp = temp_file_beside(file)?;
        let summary = self.stream_backup(temp.as_file(), file, key, &interrupt)?;
        interrupt.check(file)?;
        let persisted = if overwrite {
            temp.persist(file)
        } else {
            temp.persist_noclobber(file)
        };
        persisted.map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                StoreError::Refused {
                    path: display_safe(&file.display().to_string()),
                    detail: "file exists; choose another name or pass --force".into(),
                }
            } else {
                StoreError::io(file, &e.error)
            }
        })?;
        sync_dir(&parent_dir(file))?;
        Ok(summary)
    }

    /// Streams the backup into `out`; every error names `target`, the file being written.
    fn stream_backup(
        &self,
        out: &File,
        target: &Path,
        key: Option<&SigningKey>,
        interrupt: &Interrupt,
    ) -> Result<BackupSummary, StoreError> {
        let mut w = HashingWriter {
            inner: BufWriter::new(out),
            hash: Sha256::new(),
            bytes: 0,
        };
        let entries = self.write_records(&mut w, target, key, interrupt)?;
        let bytes = w.bytes;
        let out = w
            .inner
            .into_inner()
            .map_err(|e| StoreError::io(target, e.error()))?;
        out.sync_all().map_err(|e| StoreError::io(target, &e))?;
        Ok(BackupSummary {
            entries,
            bytes,
            customers: self.customer_count() as u64,
            audit_events: self.audit_count() as u64,
            signed: key.is_some(),
        })
    }

    /// Header, every tree's records, the end record and the signature; returns the number of
    /// entries written.
    fn write_records<W: Write>(
        &self,
        w: &mut HashingWriter<W>,
        target: &Path,
        key: Option<&SigningKey>,
        interrupt: &Interrupt,
    ) -> Result<u64, StoreError> {
        let io = |e: std::io::Error| StoreError::io(target, &e);
        w.put(MAGIC).map_err(io)?;
        w.put(&FORMAT_VERSION.to_be_bytes()).map_err(io)?;
        let mut entries = 0u64;
        for tree in TreeName::ALL {
            if !in_backup(tree) {
                continue;
            }
            w.record(b'T', &[tree.as_str().as_bytes()]).map_err(io)?;
            for item in self.raw_entries(tree) {
                let (k, v) = item?;
                let klen = u32::try_from(k.len()).unwrap_or(u32::MAX).to_be_bytes();
                w.record(b'K', &[&klen, &k, &v]).map_err(io)?;
                entries = entries.saturating_add(1);
                interrupt.check(target)?;
            }
        }
        let digest: [u8; 32] = w.hash.clone().finalize().into();
        let mut end = [0u8; 40];
        end[..8].copy_from_slice(&entries.to_be_bytes());
        end[8..].copy_from_slice(&digest);
        w.record(b'E', &[&end]).map_err(io)?;
        if let Some(key) = key {
            w.record(b'S', &[&key.sign_end(&end)]).map_err(io)?;
        }
        Ok(entries)
    }
}

/// Whether a tree goes into backups: the sign-in failure and reset-request counters are
/// transient (they expire within the hour) and are left out, so a restore starts with no
/// lockouts and no rate limits.
pub fn in_backup(tree: TreeName) -> bool {
    !matches!(tree, TreeName::SignInFailures | TreeName::ResetRequests)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer whose disk is full.
    struct Full;

    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::StorageFull.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn disk_full_names_the_backup_file_not_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        let store = Store::open(
            &db,
            super::super::OpenMode::CreateIfMissing,
            &Default::default(),
        )
        .unwrap();
        let target = dir.path().join("nightly.tnb");
        let interrupt = Interrupt::register(&target).unwrap();
        let mut w = HashingWriter {
            inner: Full,
            hash: Sha256::new(),
            bytes: 0,
        };
        let err = store
            .write_records(&mut w, &target, None, &interrupt)
            .unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("disk full writing"), "{text}");
        assert!(text.contains("nightly.tnb"), "{text}");
        assert!(!text.contains(&format!("{} ", db.display())), "{text}");
    }
}
