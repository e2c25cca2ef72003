//! The audit export file: its two formats (CSV and JSON Lines), the trailer that ends every
//! export, writing one row at a time, reading a file back ([`read`]) and checking it
//! ([`verify`]). `docs/audit-format.md` specifies the same bytes for outside verifiers.
//!
//! An export holds events **oldest first**, each with its sequence, hash and previous hash,
//! under the field names of `tenantry log --format json`; its last line is the trailer: the
//! chain head when the export began, whether the export is complete or filtered (and by
//! what), and how many events it holds (D101). CSV cells pass through the one
//! spreadsheet escape (`import::csv_cell_out`), which reading undoes exactly.
//!
//! Knows no store and no service: it writes and reads rows handed to it.

pub mod read;
pub mod verify;

use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use crate::import::csv_cell_out;
use crate::service::AuditRow;

/// The name of this export format, the trailer's first value.
pub const EXPORT_FORMAT: &str = "tenantry-audit-export-v1";

/// The column names of a CSV export (and the keys of a JSON Lines event), in hashed order
/// and then `hash`.
pub const COLUMNS: [&str; 15] = [
    "seq",
    "at",
    "actor_kind",
    "actor_id",
    "actor_email",
    "impersonated_id",
    "impersonated_slug",
    "impersonated_name",
    "customer_id",
    "customer_slug",
    "customer_name",
    "action",
    "summary",
    "prev_hash",
    "hash",
];

/// The first cell of a CSV export's trailer record.
pub const CSV_TRAILER_MARK: &str = "trailer";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Jsonl,
}

impl ExportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Jsonl => "jsonl",
        }
    }
}

/// Whether an export holds every event up to its head, or only those a filter let through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Complete,
    Filtered,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Complete => "complete",
            Self::Filtered => "filtered",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "complete" => Some(Self::Complete),
            "filtered" => Some(Self::Filtered),
            _ => None,
        }
    }
}

/// The last line of an export. In JSON Lines it is this object (its first key `trailer`
/// holding [`EXPORT_FORMAT`]); in CSV a record of 15 cells: `trailer`, the format, head
/// sequence, head hash, scope, filter, rows, start sequence, start link, then six empty cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trailer {
    pub trailer: String,
    /// The newest event's sequence when the export began (0 for an empty log).
    pub head_seq: u64,
    /// Its hash, 64 lowercase hex digits.
    pub head_hash: String,
    pub scope: Scope,
    /// The filters as `key=value` words separated by spaces; empty for a complete export.
    pub filter: String,
    /// Events in the file.
    pub rows: u64,
    /// The first event a complete export holds: 1, or the one after the checkpoint of the
    /// last prune. Absent in exports written before pruning existed (read as 1).
    #[serde(default = "first_seq")]
    pub start_seq: u64,
    /// The hash event `start_seq` links to: the checkpoint's hash, or empty (all zeros) when
    /// the log starts at 1.
    #[serde(default)]
    pub start_prev_hash: String,
}

fn first_seq() -> u64 {
    1
}

impl Trailer {
    fn csv_cells(&self) -> [String; 15] {
        let mut cells: [String; 15] = Default::default();
        cells[0] = CSV_TRAILER_MARK.to_owned();
        cells[1] = self.trailer.clone();
        cells[2] = self.head_seq.to_string();
        cells[3] = self.head_hash.clone();
        cells[4] = self.scope.as_str().to_owned();
        cells[5] = self.filter.clone();
        cells[6] = self.rows.to_string();
        cells[7] = self.start_seq.to_string();
        cells[8] = self.start_prev_hash.clone();
        cells
    }
}

/// Writes an export one event at a time; [`ExportWriter::finish`] writes the trailer.
pub struct ExportWriter<W: Write> {
    format: ExportFormat,
    csv: Option<csv::Writer<W>>,
    out: Option<W>,
    rows: u64,
}

fn csv_io(err: csv::Error) -> io::Error {
    match err.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// One CSV record, each cell through the spreadsheet escape (borrowed unless it changes).
fn write_cells<W: Write>(csv: &mut csv::Writer<W>, cells: &[&str]) -> io::Result<()> {
    for cell in cells {
        csv.write_field(csv_cell_out(cell).as_bytes())
            .map_err(csv_io)?;
    }
    csv.write_record(None::<&[u8]>).map_err(csv_io)
}

impl<W: Write> ExportWriter<W> {
    /// Starts an export (a CSV export with its header line).
    pub fn new(out: W, format: ExportFormat) -> io::Result<Self> {
        match format {
            ExportFormat::Csv => {
                let mut csv = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(out);
                csv.write_record(COLUMNS).map_err(csv_io)?;
                Ok(Self {
                    format,
                    csv: Some(csv),
                    out: None,
                    rows: 0,
                })
            }
            ExportFormat::Jsonl => Ok(Self {
                format,
                csv: None,
                out: Some(out),
                rows: 0,
            }),
        }
    }

    /// Events written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    pub fn push(&mut self, row: &AuditRow) -> io::Result<()> {
        if let Some(csv) = &mut self.csv {
            let seq = row.seq.to_string();
            let cells = [
                seq.as_str(),
                &row.at,
                &row.actor_kind,
                &row.actor_id,
                &row.actor_email,
                &row.impersonated_id,
                &row.impersonated_slug,
                &row.impersonated_name,
                &row.customer_id,
                &row.customer_slug,
                &row.customer_name,
                &row.action,
                &row.summary,
                &row.prev_hash,
                &row.hash,
            ];
            write_cells(csv, &cells)?;
        } else if let Some(out) = &mut self.out {
            crate::json::to_writer(&mut *out, row)?;
            out.write_all(b"\n")?;
        }
        self.rows += 1;
        Ok(())
    }

    /// Writes the trailer and flushes; gives the writer back.
    pub fn finish(mut self, trailer: &Trailer) -> io::Result<W> {
        match self.format {
            ExportFormat::Csv => {
                let mut csv = self
                    .csv
                    .take()
                    .ok_or_else(|| io::Error::other("export already finished"))?;
                let cells = trailer.csv_cells();
                let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
                write_cells(&mut csv, &cells)?;
                csv.flush()?;
                csv.into_inner()
                    .map_err(|e| io::Error::other(e.to_string()))
            }
            ExportFormat::Jsonl => {
                let mut out = self
                    .out
                    .take()
                    .ok_or_else(|| io::Error::other("export already finished"))?;
                crate::json::to_writer(&mut out, trailer)?;
                out.write_all(b"\n")?;
                out.flush()?;
                Ok(out)
            }
        }
    }
}
