//! Opening a database directory: create it 0700 if asked, refuse one another user owns or
//! can write to, take the process lock, quarantine half-written sled snapshots (R2), open sled
//! with an explicit cache, make every file in it private (sled creates its files with the
//! umask's modes, so this runs on every open), and check the schema version (migrating older
//! databases, refusing newer ones).
//!
//! Layout of a database directory: `tenantry.lock` (the process lock), `sled/` (the data) and
//! `quarantine/` (files moved aside before opening, never deleted).

use std::fs::{DirBuilder, Permissions};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::trees::meta_key;
use super::{SCHEMA_VERSION, Store, StoreError, TreeName, codec, lock::ProcessLock};

/// Whether opening may create a database that does not exist yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Fail with [`StoreError::NoDatabase`] when the directory holds no database.
    Existing,
    /// Create the directory (0700) and an empty database when missing.
    CreateIfMissing,
}

#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// sled's page cache in bytes (sled's own default is 1 GiB).
    pub cache_bytes: u64,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            cache_bytes: 4 * 1024 * 1024,
        }
    }
}

pub const DATA_DIR: &str = "sled";
pub const QUARANTINE_DIR: &str = "quarantine";

impl Store {
    /// Opens the database in directory `path`, migrating one of an older schema version and
    /// dating the migration's audit events by the system clock.
    pub fn open(path: &Path, mode: OpenMode, options: &StoreOptions) -> Result<Self, StoreError> {
        Self::open_at(path, mode, options, system_now())
    }

    /// Opens the database in directory `path`; a migration it runs is dated `now`.
    pub fn open_at(
        path: &Path,
        mode: OpenMode,
        options: &StoreOptions,
        now: crate::domain::Timestamp,
    ) -> Result<Self, StoreError> {
        let data = path.join(DATA_DIR);
        // Only "not found" means absent: a directory the user cannot enter (or a path through
        // a regular file) is reported as what it is, naming the path.
        let present = match std::fs::metadata(&data) {
            Ok(meta) => meta.is_dir(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => return Err(StoreError::io(&data, &e)),
        };
        if !present {
            if mode == OpenMode::Existing {
                return Err(StoreError::NoDatabase {
                    path: crate::domain::text::display_safe(&path.display().to_string()),
                });
            }
            DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(path)
                .map_err(|e| StoreError::io(path, &e))?;
        }
        refuse_shared_directory(path)?;
        let lock = ProcessLock::acquire(path)?;
        quarantine_generating_snapshots(path)?;
        // sled panics on some damaged files while it recovers: the guard makes that an error.
        let open_sled = || {
            super::engine::guard(path, || {
                let db = sled::Config::new()
                    .path(&data)
                    .cache_capacity(options.cache_bytes)
                    .open()?;
                let trees = TreeName::ALL
                    .iter()
                    .map(|name| db.open_tree(name.as_str()))
                    .collect::<sled::Result<Vec<_>>>()?;
                Ok::<_, sled::Error>((db, trees))
            })
        };
        let (db, trees) = retry_while_sled_lock_lingers(open_sled)?
            .map_err(|e| StoreError::from_sled(path, e))?;
        for own in [DATA_DIR, QUARANTINE_DIR, super::lock::LOCK_FILE] {
            make_private(&path.join(own))?;
        }
        let store = Store {
            db,
            trees,
            path: path.to_path_buf(),
            damage: super::damage::DamageMark::load(path),
            _lock: lock,
        };
        if let Some(found) = store.check_schema(present)? {
            store.migrate(found, now)?;
        }
        Ok(store)
    }

    /// `existed`: the sled directory was there before this open. Every database tenantry ever
    /// opened holds a schema version, so one that existed without it lost its data (a
    /// truncated file sled recovered as empty) and is damaged, not new. Returns the older
    /// version found when the database needs migrating.
    pub(super) fn check_schema(&self, existed: bool) -> Result<Option<u32>, StoreError> {
        let meta = self.tree(TreeName::Meta);
        let found = super::engine::guard(&self.path, || meta.get(meta_key::SCHEMA_VERSION))?
            .map_err(|e| StoreError::from_sled(&self.path, e))?;
        let version = match found {
            None if existed => {
                return Err(StoreError::Damaged {
                    path: crate::domain::text::display_safe(&self.path.display().to_string()),
                    detail: "its data file holds no schema version; it was cut short or replaced"
                        .into(),
                });
            }
            None => {
                let bytes = codec::encode(&SCHEMA_VERSION)
                    .map_err(|e| StoreError::corrupt("meta", meta_key::SCHEMA_VERSION, e))?;
                super::engine::guard(&self.path, || meta.insert(meta_key::SCHEMA_VERSION, bytes))?
                    .map_err(|e| StoreError::from_sled(&self.path, e))?;
                self.flush()?;
                return Ok(None);
            }
            Some(bytes) => codec::decode::<u32>(&bytes)
                .map_err(|e| StoreError::corrupt("meta", meta_key::SCHEMA_VERSION, e))?,
        };
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: self.path.display().to_string(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        Ok((version < SCHEMA_VERSION).then_some(version))
    }
}

/// The time a migration is dated by when the caller gives none (the system clock).
pub(super) fn system_now() -> crate::domain::Timestamp {
    crate::domain::Timestamp::from_datetime(chrono::Utc::now())
}

/// How long an open waits for sled's own file lock while holding tenantry's process lock.
const SLED_LOCK_WAIT_MS: u64 = 2_000;

/// Runs `open` again while sled reports that its own file lock is taken, for at most
/// [`SLED_LOCK_WAIT_MS`]. The caller holds tenantry's process lock, so no other tenantry
/// process has the database: the holder is this process's own sled, closed a moment ago,
/// whose background threads release the file a little after the last handle is dropped (a
/// console reopening after its idle lock, a test reopening what it just closed). Any other
/// error, and a lock still held after the wait, is returned as it came.
fn retry_while_sled_lock_lingers<T>(
    open: impl Fn() -> Result<sled::Result<T>, StoreError>,
) -> Result<sled::Result<T>, StoreError> {
    let started = std::time::Instant::now();
    loop {
        let result = open()?;
        let lingering = matches!(&result, Err(sled::Error::Io(e))
            if e.kind() == std::io::ErrorKind::Other
                && e.to_string().starts_with("could not acquire lock"));
        if !lingering || started.elapsed().as_millis() >= u128::from(SLED_LOCK_WAIT_MS) {
            return Ok(result);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Moves every `snap.*.generating` file out of the sled directory into `quarantine/`: sled
/// leaves one behind when killed while opening and would otherwise try to read it (R2).
/// Returns the paths it moved them to.
pub fn quarantine_generating_snapshots(path: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let data = path.join(DATA_DIR);
    let Ok(entries) = std::fs::read_dir(&data) else {
        return Ok(Vec::new());
    };
    let mut moved = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.starts_with("snap.") && name.ends_with(".generating")) {
            continue;
        }
        let dir = path.join(QUARANTINE_DIR);
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(|e| StoreError::io(&dir, &e))?;
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
        let target = dir.join(format!("{name}.{stamp}"));
        std::fs::rename(entry.path(), &target).map_err(|e| StoreError::io(&target, &e))?;
        tracing::warn!(
            from = %entry.path().display(),
            to = %target.display(),
            "moved an unfinished sled snapshot aside before opening"
        );
        moved.push(target);
    }
    Ok(moved)
}

/// Refuses a database directory that another user owns or that group or others can write
/// to (they could swap its files), naming the problem; otherwise makes it 0700, whatever it
/// was before. A symbolic link at `path` itself is followed: the operator named it.
fn refuse_shared_directory(path: &Path) -> Result<(), StoreError> {
    let meta = std::fs::metadata(path).map_err(|e| StoreError::io(path, &e))?;
    let shown = crate::domain::text::display_safe(&path.display().to_string());
    let me = nix::unistd::geteuid().as_raw();
    if meta.uid() != me {
        return Err(StoreError::Refused {
            path: shown,
            detail: format!(
                "the database directory belongs to uid {}, not to the user running tenantry (uid {me})",
                meta.uid()
            ),
        });
    }
    let mode = meta.mode() & 0o7777;
    if mode & 0o022 != 0 {
        return Err(StoreError::Refused {
            path: shown,
            detail: format!(
                "other users can write to the database directory (mode {mode:04o}); check its content, then `chmod 700` it"
            ),
        });
    }
    set_mode(path, mode, 0o700)
}

/// `path` and, for a directory, everything under it: directories 0700, files 0600. Only
/// tenantry's own entries are walked (a database directory may be one that held other files
/// before `init`); symbolic links are never followed; a missing entry is skipped.
fn make_private(path: &Path) -> Result<(), StoreError> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(StoreError::io(path, &e)),
    };
    let mode = meta.mode() & 0o7777;
    if meta.file_type().is_symlink() {
        return Ok(());
    }
    if !meta.is_dir() {
        return set_mode(path, mode, 0o600);
    }
    set_mode(path, mode, 0o700)?;
    let entries = std::fs::read_dir(path).map_err(|e| StoreError::io(path, &e))?;
    for entry in entries {
        let entry = entry.map_err(|e| StoreError::io(path, &e))?;
        make_private(&entry.path())?;
    }
    Ok(())
}

fn set_mode(path: &Path, current: u32, wanted: u32) -> Result<(), StoreError> {
    if current == wanted {
        return Ok(());
    }
    std::fs::set_permissions(path, Permissions::from_mode(wanted))
        .map_err(|e| StoreError::io(path, &e))
}
