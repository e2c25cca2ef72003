//! The outbox: one RFC 5322 message per file (`ID.eml`, 0600) in a private directory, where a
//! mail system or a person picks them up. tenantry speaks no SMTP.
//!
//! A message whose token the database must know first is written in two steps around the
//! transaction that stores the token's hash: [`Outbox::stage`] writes `.pending.ID.HASH`
//! (created exclusively, 0600, synced) before it, [`Staged::commit`] renames it to `ID.eml`
//! after it, and a staged message dropped without commit is removed. A process killed
//! between the two leaves the pending file; [`Outbox::reconcile`] finishes it when the
//! database holds its hash (the transaction committed) and removes it otherwise, so a message
//! in the outbox always carries a token the database knows, and no token the database knows
//! is lost to a half-written file.
//!
//! This module writes and reads files only; it knows no rule of who gets what.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// What went wrong with the outbox: names the path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutboxError {
    #[error("outbox {path}: {reason}")]
    Io { path: String, reason: String },
    #[error("outbox {path}: {reason}")]
    Unsafe { path: String, reason: String },
    #[error("no message {id} in the outbox")]
    NoMessage { id: String },
}

fn io(path: &Path, e: &std::io::Error) -> OutboxError {
    OutboxError::Io {
        path: crate::domain::text::display_safe(&path.display().to_string()),
        reason: e.to_string(),
    }
}

const PENDING: &str = ".pending.";
const EML: &str = ".eml";

/// A directory of messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outbox {
    dir: PathBuf,
}

/// A message written before its transaction: removed when dropped unless committed.
#[derive(Debug)]
pub struct Staged {
    pending: PathBuf,
    done: PathBuf,
    dir: PathBuf,
    committed: bool,
}

impl Staged {
    /// Makes the message visible as `ID.eml` (after the transaction committed).
    pub fn commit(mut self) -> Result<PathBuf, OutboxError> {
        std::fs::rename(&self.pending, &self.done).map_err(|e| io(&self.done, &e))?;
        self.committed = true;
        sync_dir(&self.dir)?;
        Ok(self.done.clone())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.pending);
        }
    }
}

/// One message in the outbox, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxFile {
    pub id: String,
    pub path: PathBuf,
    pub bytes: u64,
}

impl Outbox {
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Creates the directory (0700) when missing; refuses one that is a link, is another
    /// user's, or that group or others can write.
    fn ensure_dir(&self) -> Result<(), OutboxError> {
        let dir = &self.dir;
        if let Err(e) = std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
        {
            return Err(io(dir, &e));
        }
        let meta = std::fs::symlink_metadata(dir).map_err(|e| io(dir, &e))?;
        let shown = || crate::domain::text::display_safe(&dir.display().to_string());
        if !meta.is_dir() {
            return Err(OutboxError::Unsafe {
                path: shown(),
                reason: "is not a directory".into(),
            });
        }
        if meta.uid() != nix::unistd::geteuid().as_raw() {
            return Err(OutboxError::Unsafe {
                path: shown(),
                reason: "belongs to another user".into(),
            });
        }
        if meta.permissions().mode() & 0o022 != 0 {
            return Err(OutboxError::Unsafe {
                path: shown(),
                reason: "can be written by group or others; make it 0700".into(),
            });
        }
        Ok(())
    }

    /// Writes `message` as a pending file for `id`, keyed by `hash` (hex of the SHA-256 the
    /// transaction will store).
    pub fn stage(&self, id: &str, hash: &str, message: &[u8]) -> Result<Staged, OutboxError> {
        self.ensure_dir()?;
        let pending = self.dir.join(format!("{PENDING}{id}.{hash}"));
        let done = self.dir.join(format!("{id}{EML}"));
        write_new(&pending, message)?;
        Ok(Staged {
            pending,
            done,
            dir: self.dir.clone(),
            committed: false,
        })
    }

    /// Writes `message` as `ID.eml` at once (a message no transaction depends on).
    pub fn write(&self, id: &str, message: &[u8]) -> Result<PathBuf, OutboxError> {
        self.ensure_dir()?;
        let done = self.dir.join(format!("{id}{EML}"));
        let temp = self.dir.join(format!("{PENDING}{id}.write"));
        write_new(&temp, message)?;
        std::fs::rename(&temp, &done).map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            io(&done, &e)
        })?;
        sync_dir(&self.dir)?;
        Ok(done)
    }

    /// Finishes what a killed process left: a pending file whose hash `committed` knows
    /// becomes `ID.eml`, any other pending file is removed. Returns (finished, removed).
    pub fn reconcile(
        &self,
        committed: impl Fn(&str) -> bool,
    ) -> Result<(usize, usize), OutboxError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((0, 0)),
            Err(e) => return Err(io(&self.dir, &e)),
        };
        let (mut finished, mut removed) = (0, 0);
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(rest) = name.strip_prefix(PENDING) else {
                continue;
            };
            let path = entry.path();
            match rest.rsplit_once('.') {
                Some((id, hash)) if committed(hash) => {
                    let done = self.dir.join(format!("{id}{EML}"));
                    std::fs::rename(&path, &done).map_err(|e| io(&done, &e))?;
                    finished += 1;
                }
                _ => {
                    std::fs::remove_file(&path).map_err(|e| io(&path, &e))?;
                    removed += 1;
                }
            }
        }
        if finished + removed > 0 {
            sync_dir(&self.dir)?;
        }
        Ok((finished, removed))
    }

    /// The messages waiting, oldest first (ids begin with their UTC time).
    pub fn list(&self) -> Result<Vec<OutboxFile>, OutboxError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io(&self.dir, &e)),
        };
        let mut out = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(id) = name.strip_suffix(EML) else {
                continue;
            };
            if name.starts_with('.') {
                continue;
            }
            let Ok(meta) = entry.metadata() else {
                continue;
            };
            if meta.is_file() {
                out.push(OutboxFile {
                    id: id.to_owned(),
                    path: entry.path(),
                    bytes: meta.len(),
                });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    /// The bytes of message `id` (a regular file of at most 1 MiB).
    pub fn read(&self, id: &str) -> Result<Vec<u8>, OutboxError> {
        use std::io::Read;
        let valid = !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'));
        if !valid {
            return Err(OutboxError::NoMessage {
                id: crate::domain::text::preview(id),
            });
        }
        let path = self.dir.join(format!("{id}{EML}"));
        let missing = || OutboxError::NoMessage { id: id.to_owned() };
        // Never through a link, never a pipe: what is read may be handed to sendmail.
        let file = OpenOptions::new()
            .read(true)
            .custom_flags((nix::fcntl::OFlag::O_NOFOLLOW | nix::fcntl::OFlag::O_NONBLOCK).bits())
            .open(&path)
            .map_err(|_| missing())?;
        if !file.metadata().map_err(|e| io(&path, &e))?.is_file() {
            return Err(missing());
        }
        let mut bytes = Vec::new();
        file.take(1 << 20)
            .read_to_end(&mut bytes)
            .map_err(|e| io(&path, &e))?;
        Ok(bytes)
    }

    /// Removes message `id` (after a delivery command took it).
    pub fn remove(&self, id: &str) -> Result<(), OutboxError> {
        let path = self.dir.join(format!("{id}{EML}"));
        std::fs::remove_file(&path).map_err(|e| io(&path, &e))
    }
}

/// Creates `path` exclusively (never through a link), 0600, writes and syncs it; removes it
/// again on a failed write.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), OutboxError> {
    let mut file: File = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(nix::fcntl::OFlag::O_NOFOLLOW.bits())
        .open(path)
        .map_err(|e| io(path, &e))?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if let Err(e) = written {
        let _ = std::fs::remove_file(path);
        return Err(io(path, &e));
    }
    Ok(())
}

fn sync_dir(dir: &Path) -> Result<(), OutboxError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io(dir, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_staged_message_appears_only_when_committed_and_vanishes_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let outbox = Outbox::new(dir.path().join("outbox"));
        let dropped = outbox
            .stage("20260101T000000Z-reset-aa", "h1", b"one")
            .unwrap();
        drop(dropped);
        assert!(outbox.list().unwrap().is_empty());
        assert_eq!(std::fs::read_dir(outbox.dir()).unwrap().count(), 0);
        let staged = outbox
            .stage("20260101T000001Z-reset-bb", "h2", b"two")
            .unwrap();
        assert!(
            outbox.list().unwrap().is_empty(),
            "pending files are not listed"
        );
        let path = staged.commit().unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dir_mode = std::fs::metadata(outbox.dir())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(dir_mode, 0o700);
        let listed = outbox.list().unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(outbox.read(&listed[0].id).unwrap(), b"two");
        assert!(outbox.read("../etc/passwd").is_err());
    }

    #[test]
    fn reconcile_finishes_committed_pending_files_and_removes_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let outbox = Outbox::new(dir.path().to_path_buf());
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        for (id, hash) in [("a", "known"), ("b", "unknown")] {
            let staged = outbox.stage(id, hash, b"m").unwrap();
            // What a kill between the two steps leaves: the pending file, never committed.
            std::mem::forget(staged);
        }
        assert_eq!(outbox.reconcile(|h| h == "known").unwrap(), (1, 1));
        let ids: Vec<String> = outbox.list().unwrap().into_iter().map(|f| f.id).collect();
        assert_eq!(ids, ["a"]);
    }

    #[test]
    fn a_directory_others_can_write_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        let outbox = Outbox::new(dir.path().to_path_buf());
        let err = outbox.stage("x", "h", b"m").unwrap_err();
        assert!(err.to_string().contains("group or others"), "{err}");
    }
}
