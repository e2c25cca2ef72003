//! CSV in and out: `import customers` validates a whole file (streaming) before anything is
//! written, reports every row, then writes in batches through the service, reached through a
//! [`Backend`] like every front end; `export customers` streams the
//! same columns back out, page by page.
//!
//! This module parses and judges files; it never writes to the store itself and enforces no
//! rule the service does not also enforce. Memory does not grow with the file except for the
//! slugs and new-owner emails seen so far and one status byte per row.

mod cells;
mod columns;
mod export;
mod reader;
mod rows;
mod source;

pub use cells::{csv_cell_in, csv_cell_out};
pub use columns::EXPORT_HEADERS;
pub use export::{ExportError, ExportFormat, export_customers};
pub use rows::{MAX_FIELD_BYTES, Problem};

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Serialize;

use crate::backend::{Backend, BackendExt};
use crate::domain::text::email_key;
use crate::service::query::UserExists;
use crate::service::{ImportRow, ServiceError};
use rows::preview;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file as a whole cannot be imported (unreadable, UTF-16, empty, bad header).
    #[error("{path}: {reason}")]
    File { path: String, reason: String },
    /// Rows are invalid and `--skip-invalid` was not given: nothing was written.
    #[error("{errors} error{} in {path}; nothing imported", if *errors == 1 { "" } else { "s" })]
    Refused {
        path: String,
        errors: u64,
        /// Warnings about the file (unknown columns), shown before the refusal.
        warnings: Vec<String>,
    },
    /// The observer asked to stop (between rows while checking, between batches while
    /// writing): batches already written stay, and running the same file again resumes.
    #[error(
        "{path}: stopped; batches already written stay, and importing the same file again resumes"
    )]
    Cancelled { path: String },
    #[error(transparent)]
    Service(#[from] ServiceError),
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub dry_run: bool,
    pub skip_invalid: bool,
    /// Overrides the delimiter detected from the header.
    pub delimiter: Option<u8>,
    /// Rows per transaction.
    pub batch_size: usize,
    /// The most data rows a file may have; more refuses the whole file (memory for the
    /// checking pass grows with the rows, see `docs/performance.md`).
    pub max_rows: u64,
}

/// The default [`ImportOptions::max_rows`]: twice the million rows the memory target is
/// measured at.
pub const MAX_ROWS: u64 = 2_000_000;

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            dry_run: false,
            skip_invalid: false,
            delimiter: None,
            batch_size: 1000,
            max_rows: MAX_ROWS,
        }
    }
}

/// What happens to one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowOutcome {
    New,
    AlreadyImported,
    Error,
}

/// One line of the per-row report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowReport {
    pub line: u64,
    pub name: String,
    pub slug: String,
    pub owner: String,
    pub outcome: RowOutcome,
    pub problems: Vec<Problem>,
}

/// Progress of the writing pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub written: u64,
    pub to_write: u64,
}

/// Follows an import as it runs: each row's report during the checking pass, then the
/// progress of the writing pass.
pub trait ImportObserver {
    fn row(&mut self, report: &RowReport);
    fn progress(&mut self, _progress: Progress) {}
    /// Asked between rows and between batches; true stops the import there.
    fn cancelled(&self) -> bool {
        false
    }
}

/// The totals of an import or a dry run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub file: String,
    pub sha256: String,
    pub delimiter: String,
    pub rows: u64,
    pub new: u64,
    pub already_imported: u64,
    pub errors: u64,
    pub warnings: Vec<String>,
    pub dry_run: bool,
    /// The import record, when anything was written.
    pub import: Option<ImportRow>,
}

/// A readable name for a delimiter byte.
pub fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "tab".to_owned(),
        b',' => "comma".to_owned(),
        b';' => "semicolon".to_owned(),
        other => format!("'{}'", other as char),
    }
}

/// Row states kept between the checking and the writing pass (one byte per row).
const NEW: u8 = 0;
const ALREADY: u8 = 1;
const INVALID: u8 = 2;

mod run;
pub use reader::MAX_COLUMNS;
use reader::RowReader;
pub use run::import_customers;

/// A 16-byte digest under which a slug or email is remembered instead of the whole string;
/// two different strings sharing one would need a 128-bit SHA-256 prefix collision.
fn digest16(text: &str) -> u128 {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(text.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    u128::from_be_bytes(bytes)
}

/// What the checking pass remembers about slugs and owners seen so far: digests, so a
/// million-row file costs tens of megabytes, not hundreds.
#[derive(Default)]
struct Seen {
    /// Slug digest → the line that has it.
    slugs: HashMap<u128, u64>,
    new_owners: HashSet<u128>,
}

impl Seen {
    fn owner_is_known(&self, service: &dyn Backend, email: &str) -> Result<bool, ServiceError> {
        Ok(self.new_owners.contains(&digest16(&email_key(email)))
            || service.ask(UserExists {
                email: email.to_owned(),
            })?)
    }

    fn add_new_owner(&mut self, email: &str) {
        self.new_owners.insert(digest16(&email_key(email)));
    }

    /// Remembers a slug on `line`; returns the earlier line that has it, if any.
    fn claim_slug(&mut self, slug: &str, line: u64) -> Option<u64> {
        match self.slugs.entry(digest16(slug)) {
            std::collections::hash_map::Entry::Occupied(first) => Some(*first.get()),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(line);
                None
            }
        }
    }
}

/// The file name shown in reports and records: the last path component.
/// The file's name as reports and the import record show it, hidden characters made visible.
fn file_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    crate::domain::text::display_safe(&name)
}
