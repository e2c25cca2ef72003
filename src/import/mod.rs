//! CSV in and out: `import customers` validates a whole file (streaming) before anything is
//! written, reports every row, then writes in batches through the service; `export customers`
//! streams the same columns back out.
//!
//! This module parses and judges files; it never writes to the store itself and enforces no
//! rule the service does not also enforce. Memory does not grow with the file except for the
//! slugs and new-owner emails seen so far and one status byte per row.

mod columns;
mod export;
mod rows;
mod source;

pub use columns::EXPORT_HEADERS;
pub use export::{ExportError, ExportFormat, export_customers};
pub use rows::{MAX_FIELD_BYTES, Problem};

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Serialize;

use crate::domain::text::email_key;
use crate::service::{ImportRow, Service, ServiceError};
use columns::Columns;
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

/// A row as read: its first line and its fields, or why it could not be read.
struct RawRow {
    line: u64,
    byte: u64,
    fields: Result<Vec<String>, Problem>,
}

/// The most columns a header may have; more is refused before any row is read.
pub const MAX_COLUMNS: usize = 64;

/// Streams the data rows of a file (after the header), decoding UTF-8 and checking field
/// sizes and counts. Blank lines are skipped. Every record is bounded in length
/// ([`source::MAX_RECORD_BYTES`], the header [`source::MAX_HEADER_BYTES`]); a record that runs
/// past the bound stops the reading, and [`RowReader::too_long`] names its line.
struct RowReader {
    reader: csv::Reader<source::BoundedRows>,
    limit: source::RecordLimit,
    lines: source::LineCounter,
    record: csv::ByteRecord,
    width: usize,
    columns: Columns,
    too_long: Option<u64>,
}

impl RowReader {
    fn open(path: &Path, facts: &source::FileFacts) -> Result<Self, ImportError> {
        let shown = path.display().to_string();
        let (rows, limit) = source::BoundedRows::open(path, facts)?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(facts.delimiter)
            .from_reader(rows);
        let mut lines = source::LineCounter::open(path, facts)?;
        let mut record = csv::ByteRecord::new();
        let refuse = |reason: String| ImportError::File {
            path: shown.clone(),
            reason,
        };
        let header = loop {
            let result = reader.read_byte_record(&mut record);
            let start = record.position().map_or(0, |p| p.byte());
            // The bound on what the parser may read is a little generous (its own buffer);
            // a record it returns is then held to the limit exactly.
            let too_long = match &result {
                Ok(true) => {
                    reader.position().byte().saturating_sub(start) > source::MAX_HEADER_BYTES
                }
                Ok(false) => false,
                Err(_) => reader.get_ref().tripped(),
            };
            if too_long {
                let line = lines.line_at(start).unwrap_or(0);
                return Err(refuse(format!(
                    "line {line}: the header is longer than {} bytes",
                    source::MAX_HEADER_BYTES
                )));
            }
            match result {
                Ok(false) => return Err(refuse("the file has no header row".into())),
                Ok(true) if is_blank(&record) => continue,
                Ok(true) => break decode(&record),
                Err(e) => return Err(refuse(format!("the header cannot be read: {e}"))),
            }
        };
        let header_line = lines
            .line_at(record.position().map_or(0, |p| p.byte()))
            .unwrap_or(0);
        if record.len() > MAX_COLUMNS {
            return Err(refuse(format!(
                "line {header_line}: the header has {} columns; at most {MAX_COLUMNS} are allowed",
                record.len()
            )));
        }
        let header = header.map_err(|(i, _)| {
            refuse(format!(
                "header cell {} is not valid UTF-8; save the file as UTF-8",
                i + 1
            ))
        })?;
        let columns = Columns::from_header(&shown, &header)?;
        limit.next(reader.position().byte(), source::MAX_RECORD_BYTES);
        Ok(Self {
            reader,
            limit,
            lines,
            record,
            width: header.len(),
            columns,
            too_long: None,
        })
    }

    /// The line of a record that ran past [`source::MAX_RECORD_BYTES`]; reading stopped there.
    fn too_long(&self) -> Option<u64> {
        self.too_long
    }

    fn next_row(&mut self) -> Option<RawRow> {
        loop {
            if self.too_long.is_some() {
                return None;
            }
            let result = self.reader.read_byte_record(&mut self.record);
            let byte = self
                .record
                .position()
                .map(|p| p.byte())
                .unwrap_or_else(|| self.reader.position().byte());
            let line = match self.lines.line_at(byte) {
                Ok(line) => line,
                Err(e) => {
                    return Some(RawRow {
                        line: 0,
                        byte,
                        fields: Err(problem(0, "", format!("cannot be read: {e}"), "")),
                    });
                }
            };
            // The bound on what the parser may read is a little generous (its own buffer);
            // a record it returns is then held to the limit exactly.
            let end = self.reader.position().byte();
            if matches!(result, Ok(true)) && end.saturating_sub(byte) > source::MAX_RECORD_BYTES {
                self.too_long = Some(line);
                return None;
            }
            if result.is_ok() {
                self.limit.next(end, source::MAX_RECORD_BYTES);
            }
            match result {
                Ok(false) => return None,
                Ok(true) if is_blank(&self.record) => continue,
                Ok(true) => {
                    return Some(RawRow {
                        line,
                        byte,
                        fields: self.check(line),
                    });
                }
                Err(_) if self.reader.get_ref().tripped() => {
                    self.too_long = Some(line);
                    return None;
                }
                Err(e) => {
                    return Some(RawRow {
                        line,
                        byte,
                        fields: Err(problem(line, "", format!("cannot be read: {e}"), "")),
                    });
                }
            }
        }
    }

    fn check(&self, line: u64) -> Result<Vec<String>, Problem> {
        if self.record.len() != self.width {
            return Err(problem(
                line,
                "",
                format!(
                    "has {} fields; the header has {}",
                    self.record.len(),
                    self.width
                ),
                "",
            ));
        }
        for (i, field) in self.record.iter().enumerate() {
            if field.len() > MAX_FIELD_BYTES {
                let shown = String::from_utf8_lossy(&field[..64.min(field.len())]).into_owned();
                return Err(problem(
                    line,
                    &self.columns.label(i),
                    format!(
                        "field is {} bytes; at most {MAX_FIELD_BYTES} are allowed",
                        field.len()
                    ),
                    &shown,
                ));
            }
        }
        decode(&self.record).map_err(|(i, valid_up_to)| {
            let field = self.record.get(i).unwrap_or_default();
            let shown = String::from_utf8_lossy(field).into_owned();
            problem(
                line,
                &self.columns.label(i),
                format!(
                    "is not valid UTF-8 (byte {} of the field); save the file as UTF-8",
                    valid_up_to + 1
                ),
                &shown,
            )
        })
    }
}

fn problem(line: u64, column: &str, reason: String, value: &str) -> Problem {
    Problem {
        line,
        column: column.to_owned(),
        reason,
        preview: preview(value),
    }
}

fn is_blank(record: &csv::ByteRecord) -> bool {
    record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace))
}

/// Decodes every field, or says which field is not UTF-8 and where.
fn decode(record: &csv::ByteRecord) -> Result<Vec<String>, (usize, usize)> {
    record
        .iter()
        .enumerate()
        .map(|(i, f)| {
            std::str::from_utf8(f)
                .map(str::to_owned)
                .map_err(|e| (i, e.valid_up_to()))
        })
        .collect()
}

/// Row states kept between the checking and the writing pass (one byte per row).
const NEW: u8 = 0;
const ALREADY: u8 = 1;
const INVALID: u8 = 2;

mod run;
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
    fn owner_is_known(&self, service: &Service, email: &str) -> Result<bool, ServiceError> {
        Ok(self.new_owners.contains(&digest16(&email_key(email))) || service.user_exists(email)?)
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
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
