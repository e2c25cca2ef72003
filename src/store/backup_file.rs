//! The file-system side of backups and restores: where a backup may be written, the private
//! temporary file or directory the work goes into, and the signals that abort it.
//!
//! Invariants this module keeps:
//! - a temporary file or directory is created exclusively (`O_CREAT|O_EXCL`, so never through
//!   a planted file or symbolic link), under an unpredictable name in the target's own
//!   directory, private (0600 / 0700) from the moment it exists;
//! - it is removed on every failure, including SIGINT, SIGTERM and SIGHUP (the work checks
//!   [`Interrupt`] between records and stops cleanly);
//! - a symbolic link at a final path is never followed: a backup only replaces the link
//!   itself, and only with `--force`; a restore refuses it.
//!
//! It must not decide anything about the backup's content: that is `backup` and
//! `backup_restore`.

use std::fs::Permissions;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{StoreError, lock::LOCK_FILE};
use crate::domain::text::display_safe;

/// Name part that marks a restore's temporary sibling directory: `.NAME.restoring-XXXXXX`.
pub const RESTORING_MARK: &str = ".restoring-";

fn shown(path: &Path) -> String {
    display_safe(&path.display().to_string())
}

/// SIGINT, SIGTERM and SIGHUP while a backup or restore runs: the handlers only record the
/// signal; the work polls [`Interrupt::check`] and unwinds, removing its temporary files.
pub struct Interrupt {
    received: Arc<AtomicUsize>,
    ids: Vec<signal_hook::SigId>,
}

impl Interrupt {
    pub fn register(path: &Path) -> Result<Self, StoreError> {
        let received = Arc::new(AtomicUsize::new(0));
        let mut ids = Vec::new();
        for signal in [
            signal_hook::consts::SIGINT,
            signal_hook::consts::SIGTERM,
            signal_hook::consts::SIGHUP,
        ] {
            let id = signal_hook::flag::register_usize(signal, received.clone(), signal as usize)
                .map_err(|e| StoreError::io(path, &e))?;
            ids.push(id);
        }
        Ok(Self { received, ids })
    }

    /// `Err(Interrupted)` once a signal has arrived; `what` names the file not written.
    pub fn check(&self, what: &Path) -> Result<(), StoreError> {
        match self.received.load(Ordering::SeqCst) {
            0 => Ok(()),
            n => Err(StoreError::Interrupted {
                path: shown(what),
                signal: i32::try_from(n).unwrap_or(0),
            }),
        }
    }
}

impl Drop for Interrupt {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

/// The directory a path's file lives in (`.` for a bare name).
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The file name of `path`, or a refusal naming it when it has none (`/`, `..`).
pub fn file_name(path: &Path) -> Result<String, StoreError> {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| StoreError::Refused {
            path: shown(path),
            detail: "not a file name".into(),
        })
}

/// Refuses a backup `file` that would land inside the database directory `db` (a backup there
/// would be copied into the next backup and is removed with the database).
pub fn refuse_inside_database(file: &Path, db: &Path) -> Result<(), StoreError> {
    let dir = parent_dir(file);
    let dir = dir.canonicalize().map_err(|e| StoreError::io(&dir, &e))?;
    let db = db.canonicalize().map_err(|e| StoreError::io(db, &e))?;
    if dir.starts_with(&db) {
        return Err(StoreError::Refused {
            path: shown(file),
            detail: format!(
                "is inside the database directory {}; write backups elsewhere",
                shown(&db)
            ),
        });
    }
    Ok(())
}

/// What is at a backup's final path, looked at without following a symbolic link.
pub fn refuse_existing(file: &Path, overwrite: bool) -> Result<(), StoreError> {
    let meta = match std::fs::symlink_metadata(file) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(StoreError::io(file, &e)),
    };
    if meta.is_dir() {
        return Err(StoreError::Refused {
            path: shown(file),
            detail: "is a directory; give a file name".into(),
        });
    }
    if !overwrite {
        let what = if meta.file_type().is_symlink() {
            "a symbolic link exists at this path; choose another name or pass --force to replace the link itself"
        } else {
            "file exists; choose another name or pass --force"
        };
        return Err(StoreError::Refused {
            path: shown(file),
            detail: what.into(),
        });
    }
    Ok(())
}

/// A new, empty, 0600 file with an unpredictable name beside `file`, removed when dropped
/// unless persisted.
pub fn temp_file_beside(file: &Path) -> Result<tempfile::NamedTempFile, StoreError> {
    let dir = parent_dir(file);
    let prefix = format!(".{}.", file_name(file)?);
    tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".partial")
        .permissions(Permissions::from_mode(0o600))
        .tempfile_in(&dir)
        .map_err(|e| StoreError::io(&dir, &e))
}

/// A new, empty, 0700 directory with an unpredictable name beside `target`, marked as a
/// restore in progress, removed when dropped unless kept.
pub fn temp_dir_beside(target: &Path) -> Result<tempfile::TempDir, StoreError> {
    let dir = parent_dir(target);
    let prefix = format!(".{}{RESTORING_MARK}", file_name(target)?);
    tempfile::Builder::new()
        .prefix(&prefix)
        .permissions(Permissions::from_mode(0o700))
        .tempdir_in(&dir)
        .map_err(|e| StoreError::io(&dir, &e))
}

/// Removes the temporary siblings that killed restores into `target` left behind. Only a
/// leftover that is ours is touched: a real directory (not a link), owned by the effective
/// uid, whose lock file is absent or not held. One another user owns (anyone may create
/// `.NAME.restoring-*` in `/tmp`) or a running restore holds is left alone. Nothing is ever
/// created inside a leftover: the lock file is opened, never created, relative to the
/// directory opened without following links. Returns what was removed.
pub fn remove_stale_restores(target: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let dir = parent_dir(target);
    let prefix = format!(".{}{RESTORING_MARK}", file_name(target)?);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if !is_dir || !name.starts_with(&prefix) {
            continue;
        }
        let path = entry.path();
        if !idle_and_ours(&path)? {
            tracing::warn!(
                path = %shown(&path),
                "left alone a restore directory that is in use or not ours"
            );
            continue;
        }
        std::fs::remove_dir_all(&path).map_err(|e| StoreError::io(&path, &e))?;
        tracing::warn!(
            path = %shown(&path),
            "removed the unfinished directory of an interrupted restore"
        );
        removed.push(path);
    }
    Ok(removed)
}

/// Whether the leftover `path` is a real directory owned by us whose lock file, if any, no
/// process holds (see [`remove_stale_restores`]).
fn idle_and_ours(path: &Path) -> Result<bool, StoreError> {
    use nix::errno::Errno;
    use nix::fcntl::{Flock, FlockArg, OFlag, open, openat};
    use nix::sys::stat::Mode;
    use std::os::unix::fs::MetadataExt;
    let flags = OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC;
    let dir = match open(path, flags, Mode::empty()) {
        Ok(fd) => std::fs::File::from(fd),
        Err(Errno::ELOOP | Errno::ENOTDIR | Errno::ENOENT) => return Ok(false),
        Err(e) => return Err(StoreError::io(path, &e.into())),
    };
    let meta = dir.metadata().map_err(|e| StoreError::io(path, &e))?;
    if meta.uid() != nix::unistd::geteuid().as_raw() {
        return Ok(false);
    }
    let lock_flags = OFlag::O_RDONLY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC | OFlag::O_NONBLOCK;
    let lock = match openat(&dir, LOCK_FILE, lock_flags, Mode::empty()) {
        Ok(fd) => std::fs::File::from(fd),
        // Killed before the store took its lock: nothing can be using it.
        Err(Errno::ENOENT) => return Ok(true),
        Err(Errno::ELOOP) => return Ok(false),
        Err(e) => return Err(StoreError::io(&path.join(LOCK_FILE), &e.into())),
    };
    match Flock::lock(lock, FlockArg::LockExclusiveNonblock) {
        Ok(_held) => Ok(true),
        Err((_, Errno::EWOULDBLOCK)) => Ok(false),
        Err((_, e)) => Err(StoreError::io(&path.join(LOCK_FILE), &e.into())),
    }
}

/// Makes a rename in `dir` durable.
pub fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| StoreError::io(dir, &e))
}
