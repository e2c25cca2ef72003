//! The durable record that a database was found damaged: a file `damaged` in the database
//! directory, beside `sled/`, written the first time any process finds damage (a `Damaged` or
//! `Corrupt` store error, a contained engine panic, a `check` that finds problems).
//!
//! While the record exists every open of the database refuses to write (see
//! [`Store::transact`](super::Store::transact)): writing on into a damaged database would lose
//! every later change when the operator restores (R4). Reads, `backup` and `check` still run,
//! so the operator can see and save what is left. A `tenantry check` that finds nothing wrong
//! removes the record and says so.
//!
//! The record is read once when the database opens (one `open` of a small file), never per
//! command. It is created 0600 with `O_NOFOLLOW | O_CREAT | O_EXCL`, so a link planted at its
//! name is never followed, and an existing record is never overwritten (the first finding is
//! the one kept).
//!
//! Must not: delete or repair data, or clear the record for any reason other than a clean
//! `check`.

use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::StoreError;
use crate::domain::text::{display_safe, preview};

/// The record's file name inside the database directory.
pub const DAMAGE_FILE: &str = "damaged";

/// How much of the record is read back: it is one line written by tenantry.
const MAX_READ: u64 = 4096;

/// What this process knows of the record for one open database.
#[derive(Debug)]
pub(crate) struct DamageMark {
    file: PathBuf,
    /// The record's first line, once the database is known damaged.
    found: Mutex<Option<String>>,
}

impl DamageMark {
    /// Reads the record of the database directory `dir`, if there is one.
    pub(crate) fn load(dir: &Path) -> Self {
        let file = dir.join(DAMAGE_FILE);
        let found = read_record(&file);
        Self {
            file,
            found: Mutex::new(found),
        }
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<String>> {
        self.found.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The record's first line, when the database is known damaged.
    pub(crate) fn found(&self) -> Option<String> {
        self.slot().clone()
    }

    /// Records that `what` was found. Keeps an earlier record; a failure to write the file is
    /// logged (the finding is still kept for this process, which then refuses to write).
    pub(crate) fn record(&self, what: &str) {
        let mut slot = self.slot();
        if slot.is_some() {
            return;
        }
        let line = format!(
            "found damaged at {} by pid {}: {}",
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
            std::process::id(),
            display_safe(what)
        );
        match write_record(&self.file, &line) {
            Ok(()) => {
                tracing::error!(record = %self.file.display(), finding = %line, "database recorded as damaged");
                *slot = Some(line);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                // Another process recorded it first: keep that record.
                *slot = Some(read_record(&self.file).unwrap_or(line));
            }
            Err(e) => {
                tracing::error!(record = %self.file.display(), error = %e, "could not write the damage record");
                *slot = Some(line);
            }
        }
    }

    /// Removes the record after a check found nothing wrong. Returns the line it held.
    pub(crate) fn clear(&self) -> Result<Option<String>, StoreError> {
        let mut slot = self.slot();
        let Some(line) = slot.clone() else {
            return Ok(None);
        };
        match std::fs::remove_file(&self.file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::io(&self.file, &e)),
        }
        tracing::info!(record = %self.file.display(), "a clean check removed the damage record");
        *slot = None;
        Ok(Some(line))
    }

    /// The refusal for a write while the database is known damaged.
    pub(crate) fn refusal(&self, db: &Path) -> Option<StoreError> {
        let found = self.found()?;
        Some(StoreError::Damaged {
            path: display_safe(&db.display().to_string()),
            detail: format!(
                "writing is refused: {} says it was {}; `tenantry check` removes that file once it finds nothing wrong",
                display_safe(&self.file.display().to_string()),
                preview(found.strip_prefix("found ").unwrap_or(&found))
            ),
        })
    }
}

/// The record's first line, or `None` when there is no record. A record that exists but
/// cannot be read (a link, a directory, no permission) still counts as one.
fn read_record(file: &Path) -> Option<String> {
    let meta = match std::fs::symlink_metadata(file) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(_) => return Some("found damaged (the record cannot be read)".into()),
    };
    if !meta.is_file() {
        return Some("found damaged (the record is not a regular file)".into());
    }
    let mut text = String::new();
    let read = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::fcntl::OFlag::O_NOFOLLOW.bits())
        .open(file)
        .and_then(|f| f.take(MAX_READ).read_to_string(&mut text));
    match read {
        Ok(_) => Some(
            text.lines()
                .next()
                .map(display_safe)
                .filter(|l| !l.is_empty())
                .unwrap_or_else(|| "found damaged".into()),
        ),
        Err(_) => Some("found damaged (the record cannot be read)".into()),
    }
}

fn write_record(file: &Path, line: &str) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(nix::fcntl::OFlag::O_NOFOLLOW.bits())
        .open(file)?;
    writeln!(f, "{line}")?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_survives_a_reload_and_a_clean_check_clears_it() {
        let dir = tempfile::tempdir().unwrap();
        let mark = DamageMark::load(dir.path());
        assert!(mark.found().is_none());
        assert!(mark.refusal(dir.path()).is_none());
        mark.record("corrupted data at 12");
        mark.record("a second finding is not kept");
        let again = DamageMark::load(dir.path());
        let line = again.found().unwrap();
        assert!(line.contains("corrupted data at 12"), "{line}");
        let refusal = again.refusal(dir.path()).unwrap().to_string();
        assert!(refusal.contains("tenantry restore"), "{refusal}");
        assert!(refusal.contains(DAMAGE_FILE), "{refusal}");
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join(DAMAGE_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(again.clear().unwrap().is_some());
        assert!(DamageMark::load(dir.path()).found().is_none());
    }

    #[test]
    fn a_link_at_the_record_is_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere");
        std::fs::write(&target, "kept\n").unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join(DAMAGE_FILE)).unwrap();
        let mark = DamageMark::load(dir.path());
        assert!(
            mark.found().is_some(),
            "a planted link still counts as damage"
        );
        mark.record("found again");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "kept\n");
    }
}
