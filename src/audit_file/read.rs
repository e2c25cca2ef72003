//! Reading an export file back, one line (CSV record) at a time, treating it as hostile: a
//! line over [`MAX_LINE`] bytes, invalid UTF-8, a wrong number of columns, a missing field
//! or a sequence that is not a whole number ends the reading with one [`ReadError`] naming
//! the line; nothing here panics or holds more than one line. The format is told by the
//! first byte: `{` for JSON Lines, else CSV whose header must be [`COLUMNS`].

use std::io::{self, BufRead, Read};

use serde_json::{Map, Value};

use super::{COLUMNS, CSV_TRAILER_MARK, EXPORT_FORMAT, ExportFormat, Scope, Trailer};
use crate::domain::text::preview;
use crate::import::csv_cell_in;

/// The longest line read: far above any event tenantry writes (a summary is a few hundred
/// bytes), far below what would strain memory.
pub const MAX_LINE: usize = 1 << 20;

/// One event as an export carries it: its 14 canonical fields, as text, and its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedEvent {
    /// The line (CSV: the record's first line) it was read from, from 1.
    pub line: u64,
    pub seq: u64,
    /// The hashed fields in order; `fields[0]` is the sequence in decimal.
    pub fields: [String; 14],
    pub hash: String,
}

impl ExportedEvent {
    pub fn prev_hash(&self) -> &str {
        &self.fields[13]
    }

    /// The hash recomputed from the fields, lowercase hex.
    pub fn computed_hash(&self) -> String {
        hex::encode(crate::domain::audit::hash_canonical(
            self.fields.iter().map(String::as_str),
        ))
    }
}

/// What one line of an export is. Read and dropped one at a time, so the size of the event
/// variant costs nothing worth a box.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)]
pub enum Entry {
    Event(ExportedEvent),
    Trailer { line: u64, trailer: Trailer },
}

/// Why a file cannot be read as an export: the line, from 1 (0 for the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct ReadError {
    pub line: u64,
    pub reason: String,
}

fn at(line: u64, reason: impl Into<String>) -> ReadError {
    ReadError {
        line,
        reason: reason.into(),
    }
}

/// A sequence as an export writes it: decimal digits, no sign, no leading zero, from 1.
fn parse_seq(line: u64, text: &str) -> Result<u64, ReadError> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    match text.parse::<u64>() {
        Ok(n) if digits && n >= 1 && !text.starts_with('0') => Ok(n),
        _ => Err(at(
            line,
            format!("seq must be a whole number from 1, not {}", preview(text)),
        )),
    }
}

/// A reader failing once a line grows past [`MAX_LINE`], so no reader above it buffers more.
pub struct Capped<R> {
    inner: R,
    run: usize,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            self.run = if b == b'\n' { 0 } else { self.run + 1 };
            if self.run > MAX_LINE {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("a line is longer than {MAX_LINE} bytes"),
                ));
            }
        }
        Ok(n)
    }
}

/// The entries of an export, in file order.
pub enum ExportReader<R: BufRead> {
    Jsonl {
        input: R,
        line: u64,
    },
    Csv {
        csv: Box<csv::Reader<Capped<R>>>,
        line: u64,
    },
}

impl<R: BufRead> ExportReader<R> {
    /// Tells the format from the first byte and, for CSV, checks the header. `Ok(None)` for
    /// an empty file.
    pub fn open(mut input: R) -> Result<Option<(ExportFormat, Self)>, ReadError> {
        let first = input
            .fill_buf()
            .map_err(|e| at(1, e.to_string()))?
            .first()
            .copied();
        match first {
            None => Ok(None),
            Some(b'{') => Ok(Some((ExportFormat::Jsonl, Self::Jsonl { input, line: 0 }))),
            Some(_) => {
                let mut csv = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(Capped {
                        inner: input,
                        run: 0,
                    });
                let mut header = csv::ByteRecord::new();
                let ok = csv.read_byte_record(&mut header).unwrap_or(false)
                    && header.iter().eq(COLUMNS.iter().map(|c| c.as_bytes()));
                if !ok {
                    return Err(at(
                        1,
                        "not a tenantry audit export: neither JSON Lines nor CSV with the header seq,at,…,hash",
                    ));
                }
                Ok(Some((
                    ExportFormat::Csv,
                    Self::Csv {
                        csv: Box::new(csv),
                        line: 1,
                    },
                )))
            }
        }
    }

    /// The next entry, `Ok(None)` at the end of the file.
    pub fn next_entry(&mut self) -> Result<Option<Entry>, ReadError> {
        match self {
            Self::Jsonl { input, line } => {
                *line += 1;
                let mut buf = Vec::new();
                let read = input
                    .by_ref()
                    .take(MAX_LINE as u64 + 2)
                    .read_until(b'\n', &mut buf)
                    .map_err(|e| at(*line, e.to_string()))?;
                if read == 0 {
                    return Ok(None);
                }
                if buf.len() > MAX_LINE + 1 {
                    return Err(at(*line, format!("longer than {MAX_LINE} bytes")));
                }
                jsonl_entry(*line, &buf).map(Some)
            }
            Self::Csv { csv, line } => {
                let mut record = csv::ByteRecord::new();
                let more = csv
                    .read_byte_record(&mut record)
                    .map_err(|e| at(*line + 1, csv_reason(e)))?;
                if !more {
                    return Ok(None);
                }
                *line = record.position().map_or(*line + 1, |p| p.line());
                csv_entry(*line, &record).map(Some)
            }
        }
    }
}

fn csv_reason(err: csv::Error) -> String {
    match err.into_kind() {
        csv::ErrorKind::Io(e) => e.to_string(),
        other => format!("not valid CSV ({other:?})"),
    }
}

fn jsonl_entry(line: u64, bytes: &[u8]) -> Result<Entry, ReadError> {
    let text = std::str::from_utf8(bytes).map_err(|_| at(line, "not valid UTF-8"))?;
    let text = text.strip_suffix('\n').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(at(line, "an empty line"));
    }
    let object: Map<String, Value> =
        serde_json::from_str(text).map_err(|e| at(line, format!("not a JSON object ({e})")))?;
    if object.contains_key("trailer") {
        let trailer: Trailer = serde_json::from_value(Value::Object(object))
            .map_err(|e| at(line, format!("a trailer with wrong fields ({e})")))?;
        return check_trailer(line, trailer);
    }
    let seq = match object.get("seq") {
        Some(Value::Number(n)) => parse_seq(line, &n.to_string())?,
        Some(other) => {
            return Err(at(
                line,
                format!(
                    "seq must be a whole number from 1, not {}",
                    preview(&other.to_string())
                ),
            ));
        }
        None => return Err(at(line, "no field `seq`")),
    };
    let text_field = |name: &str| match object.get(name) {
        Some(Value::String(s)) => Ok(s.clone()),
        _ => Err(at(
            line,
            format!("field `{name}` is missing or not a string"),
        )),
    };
    let mut fields: [String; 14] = Default::default();
    fields[0] = seq.to_string();
    for (slot, name) in fields.iter_mut().zip(COLUMNS).skip(1) {
        *slot = text_field(name)?;
    }
    Ok(Entry::Event(ExportedEvent {
        line,
        seq,
        fields,
        hash: text_field("hash")?,
    }))
}

fn csv_entry(line: u64, record: &csv::ByteRecord) -> Result<Entry, ReadError> {
    if record.len() != COLUMNS.len() {
        return Err(at(
            line,
            format!("{} columns expected, found {}", COLUMNS.len(), record.len()),
        ));
    }
    let mut cells = Vec::with_capacity(COLUMNS.len());
    for (cell, name) in record.iter().zip(COLUMNS) {
        let text = std::str::from_utf8(cell)
            .map_err(|_| at(line, format!("column {name} is not valid UTF-8")))?;
        cells.push(csv_cell_in(text).to_owned());
    }
    if cells[0] == CSV_TRAILER_MARK {
        let number = |i: usize, what: &str| {
            cells[i]
                .parse::<u64>()
                .map_err(|_| at(line, format!("trailer: {what} is not a whole number")))
        };
        let scope = Scope::parse(&cells[4])
            .ok_or_else(|| at(line, "trailer: scope is neither complete nor filtered"))?;
        let trailer = Trailer {
            trailer: cells[1].clone(),
            head_seq: number(2, "head_seq")?,
            head_hash: cells[3].clone(),
            scope,
            filter: cells[5].clone(),
            rows: number(6, "rows")?,
            // Empty in exports written before pruning existed: the log then began at 1.
            start_seq: if cells[7].is_empty() {
                1
            } else {
                number(7, "start_seq")?
            },
            start_prev_hash: cells[8].clone(),
        };
        return check_trailer(line, trailer);
    }
    let seq = parse_seq(line, &cells[0])?;
    let hash = cells.pop().unwrap_or_default();
    let mut fields: [String; 14] = Default::default();
    for (slot, cell) in fields.iter_mut().zip(cells) {
        *slot = cell;
    }
    Ok(Entry::Event(ExportedEvent {
        line,
        seq,
        fields,
        hash,
    }))
}

fn check_trailer(line: u64, trailer: Trailer) -> Result<Entry, ReadError> {
    if trailer.trailer != EXPORT_FORMAT {
        return Err(at(
            line,
            format!(
                "trailer of an unknown format {} (this version reads {EXPORT_FORMAT})",
                preview(&trailer.trailer)
            ),
        ));
    }
    Ok(Entry::Trailer { line, trailer })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_error(text: &[u8]) -> ReadError {
        let (_, mut reader) = ExportReader::open(text).unwrap().unwrap();
        loop {
            match reader.next_entry() {
                Ok(Some(_)) => {}
                Ok(None) => panic!("read to the end"),
                Err(e) => return e,
            }
        }
    }

    #[test]
    fn sequences_must_be_whole_numbers_from_one() {
        for good in ["1", "42", "18446744073709551615"] {
            assert!(parse_seq(1, good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "0",
            "01",
            "+1",
            "-1",
            "1.0",
            "1e3",
            "x",
            "18446744073709551616",
            "٣",
        ] {
            assert!(parse_seq(1, bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn each_wrong_line_names_its_number_and_what_is_wrong() {
        let e = first_error(b"{\"seq\":1}\n");
        assert_eq!((e.line, e.reason.contains("`at`")), (1, true), "{e}");
        let e = first_error(b"{\"seq\":1.5}\n");
        assert!(e.reason.contains("whole number"), "{e}");
        let e = first_error(b"{\"trailer\":\"other-v9\",\"head_seq\":1,\"head_hash\":\"\",\"scope\":\"complete\",\"filter\":\"\",\"rows\":0}\n");
        assert!(e.reason.contains("unknown format"), "{e}");
        let e = first_error(b"{\"seq\":1}\n\n");
        assert_eq!(e.line, 1);
        let header = COLUMNS.join(",");
        let e = first_error(format!("{header}\n1,2\n").as_bytes());
        assert_eq!(e.line, 2, "{e}");
        assert!(e.reason.contains("15 columns"), "{e}");
        assert!(ExportReader::open(&b""[..]).unwrap().is_none());
        assert_eq!(
            ExportReader::open(&b"[{}]"[..]).err().map(|e| e.line),
            Some(1)
        );
    }
}
