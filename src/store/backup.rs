//! Backups in tenantry's own streamed format (sled's `export` panics on error, so it is never
//! used). `docs/cli.md` describes the format:
//!
//! - 16-byte magic `TENANTRY-BACKUP\n`, then a 4-byte big-endian format version (1);
//! - records: kind byte, 4-byte big-endian payload length, payload, then a CRC32 of kind,
//!   length and payload. Kind `T` starts a tree (payload: its name), `K` is one entry
//!   (payload: 4-byte key length, key, value bytes as stored), `E` ends the file (payload:
//!   8-byte entry count and the SHA-256 of every byte before the `E` record).
//!
//! A backup is written to `FILE.partial` (0600), synced, then renamed, so a `FILE` that exists
//! is always whole. Restoring refuses a non-empty target, checks every checksum, and verifies
//! the invariants and the audit chain before reporting success.

use std::fs::{File, OpenOptions};
use std::io::{BufReader, BufWriter, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{OpenMode, Store, StoreError, StoreOptions, TreeName};

pub const MAGIC: &[u8; 16] = b"TENANTRY-BACKUP\n";
pub const FORMAT_VERSION: u32 = 1;
/// No record may claim more than this many payload bytes (a value is at most 1 MiB).
const MAX_RECORD: u32 = 2 << 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupSummary {
    pub entries: u64,
    pub bytes: u64,
    pub customers: u64,
    pub audit_events: u64,
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
        self.bytes += data.len() as u64;
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
    /// Writes a consistent copy of every tree to `file`. Consistent because this process holds
    /// the database lock and writes nothing while the copy runs.
    pub fn write_backup(&self, file: &Path, overwrite: bool) -> Result<BackupSummary, StoreError> {
        if file.exists() && !overwrite {
            return Err(StoreError::Refused {
                path: file.display().to_string(),
                detail: "file exists; choose another name or pass --force".into(),
            });
        }
        let partial = partial_path(file);
        let out = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&partial)
            .map_err(|e| StoreError::io(&partial, &e))?;
        let result = self.stream_backup(out);
        let summary = match result {
            Ok(summary) => summary,
            Err(err) => {
                let _ = std::fs::remove_file(&partial);
                return Err(err);
            }
        };
        std::fs::rename(&partial, file).map_err(|e| StoreError::io(file, &e))?;
        Ok(summary)
    }

    fn stream_backup(&self, out: File) -> Result<BackupSummary, StoreError> {
        let path = self.path.clone();
        let io = |e: std::io::Error| StoreError::io(&path, &e);
        let mut w = HashingWriter {
            inner: BufWriter::new(out),
            hash: Sha256::new(),
            bytes: 0,
        };
        w.put(MAGIC).map_err(io)?;
        w.put(&FORMAT_VERSION.to_be_bytes()).map_err(io)?;
        let mut entries = 0u64;
        for tree in TreeName::ALL {
            w.record(b'T', &[tree.as_str().as_bytes()]).map_err(io)?;
            for item in self.raw_entries(tree) {
                let (k, v) = item?;
                let klen = u32::try_from(k.len()).unwrap_or(u32::MAX).to_be_bytes();
                w.record(b'K', &[&klen, &k, &v]).map_err(io)?;
                entries += 1;
            }
        }
        let digest: [u8; 32] = w.hash.clone().finalize().into();
        w.record(b'E', &[&entries.to_be_bytes(), &digest])
            .map_err(io)?;
        let bytes = w.bytes;
        let file = w.inner.into_inner().map_err(|e| io(e.into_error()))?;
        file.sync_all().map_err(io)?;
        Ok(BackupSummary {
            entries,
            bytes,
            customers: self.customer_count() as u64,
            audit_events: self.audit_count() as u64,
        })
    }

    /// Rebuilds the backup in `file` into the empty or missing directory `target`, then checks
    /// invariants and the audit chain. On any failure the new directory is removed again and
    /// the backup file is untouched.
    pub fn restore_backup(
        file: &Path,
        target: &Path,
        options: &StoreOptions,
    ) -> Result<(Store, BackupSummary), StoreError> {
        let occupied = std::fs::read_dir(target)
            .map(|mut d| d.next().is_some())
            .unwrap_or(false);
        if occupied {
            return Err(StoreError::Refused {
                path: target.display().to_string(),
                detail: "target is not empty; restore into a new path".into(),
            });
        }
        let input = File::open(file).map_err(|e| StoreError::io(file, &e))?;
        let store = Store::open(target, OpenMode::CreateIfMissing, options)?;
        match store.load_backup(file, input) {
            Ok(summary) => Ok((store, summary)),
            Err(err) => {
                drop(store);
                let _ = std::fs::remove_dir_all(target);
                Err(err)
            }
        }
    }

    fn load_backup(&self, file: &Path, input: File) -> Result<BackupSummary, StoreError> {
        let bad = |detail: String| StoreError::Refused {
            path: file.display().to_string(),
            detail: format!("not a valid backup: {detail}"),
        };
        let mut r = BufReader::new(input);
        let mut hash = Sha256::new();
        let mut header = [0u8; 20];
        r.read_exact(&mut header)
            .map_err(|_| bad("too short".into()))?;
        if &header[..16] != MAGIC {
            return Err(bad("missing TENANTRY-BACKUP header".into()));
        }
        let version = u32::from_be_bytes([header[16], header[17], header[18], header[19]]);
        if version != FORMAT_VERSION {
            return Err(bad(format!("format version {version} is not supported")));
        }
        hash.update(header);
        let mut current: Option<TreeName> = None;
        let mut entries = 0u64;
        let mut bytes = 20u64;
        loop {
            let mut head = [0u8; 5];
            r.read_exact(&mut head)
                .map_err(|_| bad(format!("ends without its end record after {bytes} bytes")))?;
            let kind = head[0];
            let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]);
            if len > MAX_RECORD {
                return Err(bad(format!("record at byte {bytes} claims {len} bytes")));
            }
            let mut payload = vec![0u8; len as usize];
            let mut crc_bytes = [0u8; 4];
            r.read_exact(&mut payload)
                .and_then(|()| r.read_exact(&mut crc_bytes))
                .map_err(|_| bad(format!("truncated record at byte {bytes}")))?;
            let mut crc = crc32fast::Hasher::new();
            crc.update(&head);
            crc.update(&payload);
            if crc.finalize() != u32::from_be_bytes(crc_bytes) {
                return Err(bad(format!("checksum mismatch in record at byte {bytes}")));
            }
            if kind == b'E' {
                let digest: [u8; 32] = hash.clone().finalize().into();
                if payload.len() != 40
                    || payload[..8] != entries.to_be_bytes()
                    || payload[8..] != digest
                {
                    return Err(bad(
                        "end record does not match the content (records missing or reordered)"
                            .into(),
                    ));
                }
                break;
            }
            hash.update(head);
            hash.update(&payload);
            hash.update(crc_bytes);
            bytes += 9 + u64::from(len);
            match kind {
                b'T' => {
                    let name = String::from_utf8_lossy(&payload);
                    current = Some(
                        TreeName::from_name(&name)
                            .ok_or_else(|| bad(format!("unknown tree {name}")))?,
                    );
                }
                b'K' => {
                    let tree = current.ok_or_else(|| bad("entry before any tree".into()))?;
                    if payload.len() < 4 {
                        return Err(bad(format!("short entry at byte {bytes}")));
                    }
                    let klen = u32::from_be_bytes([payload[0], payload[1], payload[2], payload[3]])
                        as usize;
                    if payload.len() < 4 + klen {
                        return Err(bad(format!(
                            "entry key overruns its record at byte {bytes}"
                        )));
                    }
                    let (key, value) = payload[4..].split_at(klen);
                    self.tree(tree)
                        .insert(key, value)
                        .map_err(|e| StoreError::from_sled(&self.path, e))?;
                    entries += 1;
                }
                other => return Err(bad(format!("unknown record kind {other} at byte {bytes}"))),
            }
        }
        self.flush()?;
        let chain = self.verify_chain()?;
        if let Some(b) = chain.first_break {
            return Err(bad(format!(
                "audit chain breaks at event {}: {}",
                b.seq, b.reason
            )));
        }
        let problems = self.check_invariants()?;
        if let Some(first) = problems.first() {
            return Err(bad(format!(
                "{} inconsistencies, first: {first}",
                problems.len()
            )));
        }
        Ok(BackupSummary {
            entries,
            bytes,
            customers: self.customer_count() as u64,
            audit_events: self.audit_count() as u64,
        })
    }
}

fn partial_path(file: &Path) -> PathBuf {
    let mut name = file
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".partial");
    file.with_file_name(name)
}
