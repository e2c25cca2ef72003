//! Reading the records of an import file: the header (bounded in bytes and columns, turned
//! into [`Columns`]), then each data row as its line and its fields, decoded from UTF-8 and
//! checked for size and count. Every record is bounded in length before the parser can grow
//! it; rows are judged elsewhere (`rows.rs`), and nothing here touches the service.

use std::path::Path;

use super::columns::Columns;
use super::rows::{MAX_FIELD_BYTES, Problem, preview};
use super::{ImportError, source};

/// A row as read: its first line and its fields, or why it could not be read.
pub(super) struct RawRow {
    pub(super) line: u64,
    pub(super) byte: u64,
    pub(super) fields: Result<Vec<String>, Problem>,
}

/// The most columns a header may have; more is refused before any row is read.
pub const MAX_COLUMNS: usize = 64;

/// Streams the data rows of a file (after the header), decoding UTF-8 and checking field
/// sizes and counts. Blank lines are skipped. Every record is bounded in length
/// ([`source::MAX_RECORD_BYTES`], the header [`source::MAX_HEADER_BYTES`]); a record that runs
/// past the bound stops the reading, and [`RowReader::too_long`] names its line.
pub(super) struct RowReader {
    reader: csv::Reader<source::BoundedRows>,
    limit: source::RecordLimit,
    lines: source::LineCounter,
    record: csv::ByteRecord,
    width: usize,
    pub(super) columns: Columns,
    too_long: Option<u64>,
}

impl RowReader {
    /// Opens the file and reads its header; `fields` are the custom fields a column may name.
    pub(super) fn open(
        path: &Path,
        facts: &source::FileFacts,
        fields: &[crate::domain::fields::FieldDef],
    ) -> Result<Self, ImportError> {
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
        let columns = Columns::from_header(&shown, &header, fields)?;
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
    pub(super) fn too_long(&self) -> Option<u64> {
        self.too_long
    }

    pub(super) fn next_row(&mut self) -> Option<RawRow> {
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
