//! Restoring a backup: the file is read record by record into a new database built in a
//! private temporary sibling of the target (`.NAME.restoring-XXXXXX`), checked (every CRC, the
//! end record, nothing after it, the signature when asked, the audit chain and every
//! invariant), and only then renamed into place. So the target either does not exist or holds
//! a complete, verified database, even when the restore is killed; a temporary sibling a
//! killed restore left behind is removed by the next restore into the same target (only when
//! it is ours: see `backup_file::remove_stale_restores`).
//!
//! This module must not write anywhere but that temporary directory, and never follows a
//! symbolic link at the target.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::backup::{BackupSummary, FORMAT_VERSION, MAGIC, MAX_RECORD, in_backup};
use super::backup_file::{Interrupt, parent_dir, remove_stale_restores, sync_dir, temp_dir_beside};
use super::backup_sign::{VerifyingKey, check_well_formed};
use super::{OpenMode, Store, StoreError, StoreOptions, TreeName};
use crate::domain::text::display_safe;

fn shown(path: &Path) -> String {
    display_safe(&path.display().to_string())
}

/// Refuses a target that is a symbolic link, not a directory, or a non-empty directory.
fn check_target(target: &Path) -> Result<(), StoreError> {
    let refuse = |detail: &str| StoreError::Refused {
        path: shown(target),
        detail: detail.into(),
    };
    match std::fs::symlink_metadata(target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(StoreError::io(target, &e)),
        Ok(m) if m.file_type().is_symlink() => Err(refuse(
            "target is a symbolic link; restore into a new real path (the link is never followed)",
        )),
        Ok(m) if !m.is_dir() => Err(refuse("target exists and is not a directory")),
        Ok(_) => {
            let mut entries = std::fs::read_dir(target).map_err(|e| StoreError::io(target, &e))?;
            if entries.next().is_some() {
                return Err(refuse("target is not empty; restore into a new path"));
            }
            Ok(())
        }
    }
}

impl Store {
    /// Rebuilds the backup in `file` into the missing or empty directory `target` and opens
    /// it. With `verify_with`, the backup must carry a valid signature by that key. On any
    /// failure, including SIGINT/SIGTERM/SIGHUP, nothing is left at `target` and `file` is
    /// untouched.
    pub fn restore_backup(
        file: &Path,
        target: &Path,
        options: &StoreOptions,
        verify_with: Option<&VerifyingKey>,
    ) -> Result<(Store, BackupSummary), StoreError> {
        // The backup first: a pipe or a directory is refused before anything is created.
        let (input, _) = crate::files::open_regular(file).map_err(|e| match e {
            crate::files::OpenRegularError::Io(e) => StoreError::io(file, &e),
            crate::files::OpenRegularError::NotRegular(what) => StoreError::Refused {
                path: shown(file),
                detail: format!("is {what}, not a backup file"),
            },
        })?;
        check_target(target)?;
        let parent = parent_dir(target);
        {
            use std::os::unix::fs::DirBuilderExt;
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&parent)
                .map_err(|e| StoreError::io(&parent, &e))?;
        }
        remove_stale_restores(target)?;
        let interrupt = Interrupt::register(target)?;
        let temp = temp_dir_beside(target)?;
        let summary = {
            let store = Store::open(temp.path(), OpenMode::CreateIfMissing, options)?;
            let mut reader = BackupReader::new(file, input, &interrupt, target);
            let summary = store.load_backup(&mut reader, verify_with)?;
            store.flush()?;
            summary
        };
        interrupt.check(target)?;
        check_target(target)?;
        std::fs::rename(temp.path(), target).map_err(|e| StoreError::io(target, &e))?;
        let _ = temp.keep();
        sync_dir(&parent)?;
        let store = Store::open(target, OpenMode::Existing, options)?;
        Ok((store, summary))
    }

    fn load_backup(
        &self,
        reader: &mut BackupReader<'_>,
        verify_with: Option<&VerifyingKey>,
    ) -> Result<BackupSummary, StoreError> {
        reader.header()?;
        let mut current: Option<TreeName> = None;
        let mut seen: Vec<TreeName> = Vec::new();
        // The key of the last entry of the current tree: ours are written in key order, so a
        // key not greater than it is a duplicate or a splice, never silently overwritten.
        let mut previous: Option<Vec<u8>> = None;
        let mut entries = 0u64;
        let end = loop {
            let Some(record) = reader.next()? else {
                return Err(reader.bad(format!(
                    "ends without its end record after {} bytes",
                    reader.offset
                )));
            };
            if record.kind == b'E' {
                break reader.end(&record, entries)?;
            }
            reader.absorb(&record);
            match record.kind {
                b'T' => {
                    let name = String::from_utf8_lossy(&record.payload);
                    let tree = TreeName::from_name(&name).ok_or_else(|| {
                        reader.bad(format!(
                            "unknown tree {}",
                            crate::domain::text::preview(&name)
                        ))
                    })?;
                    if seen.contains(&tree) {
                        return Err(reader.bad(format!(
                            "tree {} appears a second time at byte {}",
                            tree.as_str(),
                            record.at
                        )));
                    }
                    seen.push(tree);
                    current = Some(tree);
                    previous = None;
                }
                b'K' => {
                    let tree = current.ok_or_else(|| reader.bad("entry before any tree".into()))?;
                    let (key, value) = split_entry(&record.payload).ok_or_else(|| {
                        reader.bad(format!("malformed entry at byte {}", record.at))
                    })?;
                    if previous.as_deref().is_some_and(|p| key <= p) {
                        return Err(reader.bad(format!(
                            "entry at byte {} repeats or is out of order in tree {} (keys are written in order, once each)",
                            record.at,
                            tree.as_str()
                        )));
                    }
                    previous = Some(key.to_vec());
                    if in_backup(tree) {
                        self.tree(tree)
                            .insert(key, value)
                            .map_err(|e| StoreError::from_sled(&self.path, e))?;
                    }
                    entries = entries.saturating_add(1);
                    reader.interrupt.check(reader.target)?;
                }
                other => {
                    return Err(
                        reader.bad(format!("unknown record kind {other} at byte {}", record.at))
                    );
                }
            }
        };
        if entries == 0 {
            return Err(reader.bad("holds no records".into()));
        }
        let signed = reader.signature(&end, verify_with)?;
        self.flush()?;
        let chain = self.verify_chain()?;
        if let Some(b) = chain.first_break {
            return Err(reader.bad(format!(
                "audit chain breaks at event {}: {}",
                b.seq, b.reason
            )));
        }
        // A backup of an older schema version is migrated like a database that opens: its
        // own chain verified first, the migration's event appended to it.
        if let Some(found) = self.check_schema(true)? {
            self.migrate(found, super::open::system_now())?;
        }
        let problems = self.check_invariants()?;
        if let Some(first) = problems.first() {
            let found = match problems.len() {
                1 => "1 inconsistency".to_owned(),
                n => format!("{n} inconsistencies, first"),
            };
            return Err(reader.bad(format!("{found}: {first}")));
        }
        Ok(BackupSummary {
            entries,
            bytes: reader.offset,
            customers: self.customer_count() as u64,
            audit_events: self.audit_count() as u64,
            signed,
        })
    }
}

/// An entry's payload: 4-byte key length, key, value.
fn split_entry(payload: &[u8]) -> Option<(&[u8], &[u8])> {
    let klen = u32::from_be_bytes(payload.get(..4)?.try_into().ok()?) as usize;
    let rest = &payload[4..];
    (rest.len() >= klen).then(|| rest.split_at(klen))
}

struct Record {
    kind: u8,
    head: [u8; 5],
    payload: Vec<u8>,
    crc: [u8; 4],
    /// Offset of the record's first byte in the file.
    at: u64,
}

/// Reads records, checking each CRC and keeping the running SHA-256 the end record states.
struct BackupReader<'a> {
    r: BufReader<File>,
    hash: Sha256,
    offset: u64,
    file: &'a Path,
    interrupt: &'a Interrupt,
    target: &'a Path,
}

impl<'a> BackupReader<'a> {
    fn new(file: &'a Path, input: File, interrupt: &'a Interrupt, target: &'a Path) -> Self {
        Self {
            r: BufReader::new(input),
            hash: Sha256::new(),
            offset: 0,
            file,
            interrupt,
            target,
        }
    }

    fn bad(&self, detail: String) -> StoreError {
        StoreError::Refused {
            path: shown(self.file),
            detail: format!("not a valid backup: {detail}"),
        }
    }

    fn header(&mut self) -> Result<(), StoreError> {
        let mut header = [0u8; 20];
        self.r
            .read_exact(&mut header)
            .map_err(|_| self.bad("too short".into()))?;
        if &header[..16] != MAGIC {
            return Err(self.bad("missing TENANTRY-BACKUP header".into()));
        }
        let version = u32::from_be_bytes([header[16], header[17], header[18], header[19]]);
        if version != FORMAT_VERSION {
            return Err(self.bad(format!("format version {version} is not supported")));
        }
        self.hash.update(header);
        self.offset = 20;
        Ok(())
    }

    /// The next record, or `None` at a clean end of file (no byte of a record read).
    fn next(&mut self) -> Result<Option<Record>, StoreError> {
        let at = self.offset;
        let mut head = [0u8; 5];
        let mut got = 0;
        while got < head.len() {
            match self.r.read(&mut head[got..]) {
                Ok(0) if got == 0 => return Ok(None),
                Ok(0) => return Err(self.bad(format!("truncated record at byte {at}"))),
                // `n` is at most what is left of `head`, so this stays within its length.
                Ok(n) => got = got.saturating_add(n),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(StoreError::io(self.file, &e)),
            }
        }
        let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]);
        if len > MAX_RECORD {
            return Err(self.bad(format!("record at byte {at} claims {len} bytes")));
        }
        let mut payload = vec![0u8; len as usize];
        let mut crc = [0u8; 4];
        self.r
            .read_exact(&mut payload)
            .and_then(|()| self.r.read_exact(&mut crc))
            .map_err(|_| self.bad(format!("truncated record at byte {at}")))?;
        let mut check = crc32fast::Hasher::new();
        check.update(&head);
        check.update(&payload);
        if check.finalize() != u32::from_be_bytes(crc) {
            return Err(self.bad(format!("checksum mismatch in record at byte {at}")));
        }
        self.offset = self.offset.saturating_add(9).saturating_add(u64::from(len));
        Ok(Some(Record {
            kind: head[0],
            head,
            payload,
            crc,
            at,
        }))
    }

    /// Adds a content record to the running digest.
    fn absorb(&mut self, record: &Record) {
        self.hash.update(record.head);
        self.hash.update(&record.payload);
        self.hash.update(record.crc);
    }

    /// Checks the end record against what was read; returns its payload.
    fn end(&self, record: &Record, entries: u64) -> Result<Vec<u8>, StoreError> {
        let digest: [u8; 32] = self.hash.clone().finalize().into();
        let p = &record.payload;
        if p.len() != 40 || p[..8] != entries.to_be_bytes() || p[8..] != digest {
            return Err(self.bad(
                "end record does not match the content (records missing or reordered)".into(),
            ));
        }
        Ok(p.clone())
    }

    /// After the end record: nothing, or one signature record and nothing. Checks the
    /// signature against `key` when given (then it must be there). Returns whether the backup
    /// is signed.
    fn signature(&mut self, end: &[u8], key: Option<&VerifyingKey>) -> Result<bool, StoreError> {
        let after_end = self.offset;
        let trailing = || format!("data after the end record at byte {after_end}");
        let signature = match self.next() {
            Ok(None) => None,
            Ok(Some(r)) if r.kind == b'S' => Some(r),
            Ok(Some(_)) | Err(_) => return Err(self.bad(trailing())),
        };
        if let Some(r) = self.next()? {
            return Err(self.bad(format!("data after the signature at byte {}", r.at)));
        }
        match (key, &signature) {
            (None, None) => Ok(false),
            (None, Some(r)) => check_well_formed(end, &r.payload)
                .map(|()| true)
                .map_err(|reason| self.bad(reason)),
            (Some(_), None) => {
                Err(self.bad("not signed, and --verify-with asks for a signature".into()))
            }
            (Some(key), Some(r)) => key
                .check(end, &r.payload)
                .map(|()| true)
                .map_err(|reason| self.bad(reason)),
        }
    }
}
