//! Errors of the storage layer. Each names the path or tree and key it concerns, and says what
//! the operator can do; none of them is ever "repaired" automatically (R4).

use std::path::Path;

use crate::domain::text::display_safe;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum StoreError {
    #[error("database in use by pid {pid} (user {user}, since {since}): {path}")]
    InUse {
        path: String,
        pid: String,
        user: String,
        since: String,
    },
    #[error("no database at {path}; create one with `tenantry init`")]
    NoDatabase { path: String },
    #[error("database at {path} is not initialised; run `tenantry init`")]
    NotInitialised { path: String },
    #[error(
        "database at {path} has schema version {found}, newer than this tenantry's {supported}; use a newer tenantry"
    )]
    TooNew {
        path: String,
        found: u32,
        supported: u32,
    },
    #[error("corrupt value in tree {tree} at key {key}: {reason}")]
    Corrupt {
        tree: String,
        key: String,
        reason: String,
    },
    #[error(
        "database at {path} is damaged ({detail}); nothing was changed. Restore the latest backup with `tenantry restore FILE --db NEW_PATH`"
    )]
    Damaged { path: String, detail: String },
    #[error(
        "disk full writing {path}; free some space and retry (changes already reported done are safe)"
    )]
    DiskFull { path: String },
    #[error("storage error at {path}: {detail}")]
    Io { path: String, detail: String },
    /// A backup or restore stopped by SIGINT, SIGTERM or SIGHUP; its temporary file or
    /// directory was removed, so nothing was written at `path`.
    #[error("interrupted by signal {signal}; nothing was written at {path}")]
    Interrupted { path: String, signal: i32 },
    /// A request the store declines without any fault (a file that exists, a target that is
    /// not empty, a file that is not a backup).
    #[error("{path}: {detail}")]
    Refused { path: String, detail: String },
}

impl StoreError {
    /// A value or key that does not decode. The key is shown in hex.
    pub fn corrupt(tree: &str, key: &[u8], reason: impl std::fmt::Display) -> Self {
        Self::Corrupt {
            tree: tree.to_owned(),
            key: hex::encode(key),
            reason: reason.to_string(),
        }
    }

    pub fn io(path: &Path, err: &std::io::Error) -> Self {
        if err.kind() == std::io::ErrorKind::StorageFull {
            return Self::DiskFull {
                path: display_safe(&path.display().to_string()),
            };
        }
        Self::Io {
            path: display_safe(&path.display().to_string()),
            detail: err.to_string(),
        }
    }

    pub(crate) fn from_sled(path: &Path, err: sled::Error) -> Self {
        let shown = display_safe(&path.display().to_string());
        match err {
            // A read that ends early means the file is shorter than sled's own index says:
            // the file was cut (a failing disk, a copy that stopped), which is damage.
            sled::Error::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
                Self::Damaged {
                    path: shown,
                    detail: format!("a file ends early: {io}"),
                }
            }
            sled::Error::Io(io) => Self::io(path, &io),
            sled::Error::Corruption { at, .. } => Self::Damaged {
                path: shown,
                detail: match at {
                    Some(at) => format!("corrupted data at {at}"),
                    None => "corrupted data".to_owned(),
                },
            },
            // sled says `Unsupported` when its `conf` file does not read back (a flipped byte
            // reads as a version "earlier than 0.29") and `ReportableBug` when its files
            // contradict themselves: both are damage to the files, not a fault of the
            // machine, so they get the restore hint.
            sled::Error::Unsupported(detail) | sled::Error::ReportableBug(detail) => {
                Self::Damaged {
                    path: shown,
                    detail: format!(
                        "the storage engine cannot read its files: {}",
                        crate::domain::text::display_safe(&detail)
                    ),
                }
            }
            other => Self::Io {
                path: shown,
                detail: other.to_string(),
            },
        }
    }

    /// True when the data itself is damaged (as opposed to busy, missing or out of space).
    pub fn is_corruption(&self) -> bool {
        matches!(self, Self::Corrupt { .. } | Self::Damaged { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sled_read_that_ends_early_is_damage_with_the_restore_hint() {
        let cut = std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "failed to fill whole buffer",
        );
        let err = StoreError::from_sled(Path::new("/srv/db"), sled::Error::Io(cut));
        assert!(err.is_corruption(), "{err}");
        assert!(err.to_string().contains("tenantry restore"), "{err}");
    }

    #[test]
    fn other_sled_io_errors_stay_storage_errors() {
        let denied = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let err = StoreError::from_sled(Path::new("/srv/db"), sled::Error::Io(denied));
        assert!(!err.is_corruption(), "{err}");
        assert!(matches!(err, StoreError::Io { .. }));
    }
}
