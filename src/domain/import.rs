//! The record of one CSV import: which file (by name and SHA-256), who ran it, what it
//! created, and whether it completed or was undone.

use serde::{Deserialize, Serialize};

use super::time::Timestamp;

/// Stored: never reorder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportStatus {
    /// Batches are being written (or the import was interrupted; running the same file
    /// again resumes it).
    Running,
    Completed,
    Undone,
}

impl ImportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Completed => "completed",
            Self::Undone => "undone",
        }
    }
}

/// Stored: append fields only through a migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRecord {
    pub id: u64,
    pub started_at: Timestamp,
    pub finished_at: Option<Timestamp>,
    /// The actor's label (email or `system`).
    pub actor: String,
    /// The file name as given (not the whole path).
    pub file_name: String,
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// Data rows in the file.
    pub rows: u64,
    /// Customers created so far (counted per flushed batch).
    pub created: u64,
    /// Rows an earlier run of the same file had already created.
    pub already: u64,
    /// Invalid rows skipped (only with `--skip-invalid`).
    pub skipped: u64,
    pub status: ImportStatus,
    /// Customers moved to the trash by `import undo`.
    pub undone: u64,
}
