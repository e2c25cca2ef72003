//! Reading an import file safely: only a regular file of at most [`MAX_FILE_BYTES`], read
//! no further than the size it had when hashed; its SHA-256, a refusal of UTF-16 and empty
//! files, the UTF-8 byte-order mark, the delimiter detected from the header line, records
//! bounded in length (the header more tightly), and whether the file ends inside a quoted
//! field (which the `csv` crate accepts silently, R12).
//!
//! Nothing here reads without a bound: not a device, a pipe, a file that grows while it is
//! read, nor one record that never ends.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Take};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use super::ImportError;

/// What is known about a file before its rows are read.
#[derive(Debug, Clone)]
pub struct FileFacts {
    pub sha256: String,
    /// Bytes of UTF-8 byte-order mark to skip (0 or 3).
    pub bom: u64,
    pub delimiter: u8,
    /// True when the delimiter came from the header rather than `--delimiter`.
    pub detected: bool,
    /// The size hashed; every later pass reads no further.
    pub size: u64,
}

/// The largest import file accepted: far above a million rows, far below what would hold
/// the database lock for long.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// The longest header record, in bytes (a header names a handful of columns).
pub const MAX_HEADER_BYTES: u64 = 64 * 1024;

/// The longest data record, in bytes: room for every column of the widest header at the
/// largest field size, quotes doubled, and for a field far over the field limit to be
/// reported as a problem of its row (line and column) rather than refuse the file.
pub const MAX_RECORD_BYTES: u64 = 4 << 20;

/// Opens `path` for reading without blocking on a pipe, and refuses anything that is not a
/// regular file or is larger than [`MAX_FILE_BYTES`]. Returns the file and its size.
fn open_regular(path: &Path) -> Result<(File, u64), ImportError> {
    let (file, meta) = crate::files::open_regular(path).map_err(|e| match e {
        crate::files::OpenRegularError::Io(e) => io_error(path, &e),
        crate::files::OpenRegularError::NotRegular(_) => refuse(
            path,
            "is not a regular file (a device, pipe or directory cannot be imported)",
        ),
    })?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(refuse(
            path,
            &format!(
                "the file is {} bytes; at most {MAX_FILE_BYTES} can be imported at once",
                meta.len()
            ),
        ));
    }
    Ok((file, meta.len()))
}

fn io_error(path: &Path, err: &std::io::Error) -> ImportError {
    ImportError::File {
        path: path.display().to_string(),
        reason: err.to_string(),
    }
}

fn refuse(path: &Path, reason: &str) -> ImportError {
    ImportError::File {
        path: path.display().to_string(),
        reason: reason.to_owned(),
    }
}

/// Hashes the file and inspects its start.
pub fn inspect(path: &Path, delimiter: Option<u8>) -> Result<FileFacts, ImportError> {
    let (file, size) = open_regular(path)?;
    let mut file = file.take(size);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut head = Vec::with_capacity(4096);
    loop {
        let n = file.read(&mut buf).map_err(|e| io_error(path, &e))?;
        if n == 0 {
            break;
        }
        if head.len() < 4096 {
            let take = (4096 - head.len()).min(n);
            head.extend_from_slice(&buf[..take]);
        }
        hasher.update(&buf[..n]);
    }
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) || looks_like_utf16(&head)
    {
        return Err(refuse(
            path,
            "the file is UTF-16; save it as UTF-8 (CSV UTF-8) and import again",
        ));
    }
    let bom = if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    };
    if head[bom as usize..].iter().all(u8::is_ascii_whitespace) {
        return Err(refuse(
            path,
            "the file is empty; it needs a header row with a Name column and at least one row",
        ));
    }
    let (delimiter, detected) = match delimiter {
        Some(d) => (d, false),
        None => (detect_delimiter(&head[bom as usize..]), true),
    };
    Ok(FileFacts {
        sha256: hex::encode(hasher.finalize()),
        bom,
        delimiter,
        detected,
        size,
    })
}

/// UTF-16 without a byte-order mark: many NUL bytes in the first bytes.
fn looks_like_utf16(head: &[u8]) -> bool {
    let sample = &head[..head.len().min(64)];
    sample.len() >= 4 && sample.iter().filter(|b| **b == 0).count() * 4 >= sample.len()
}

/// The most frequent of `,`, `;` and tab outside quotes in the first line; `,` on a tie or
/// when there is none (a single-column file).
pub fn detect_delimiter(head: &[u8]) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for &b in head {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(c) = counts.iter_mut().find(|(d, _)| *d == b) {
                    c.1 += 1;
                }
            }
            _ => {}
        }
    }
    counts
        .iter()
        .fold((b',', 0), |best, c| if c.1 > best.1 { *c } else { best })
        .0
}

/// Opens the file positioned after its byte-order mark, reading no further than the size it
/// had when hashed.
pub fn open_rows(path: &Path, facts: &FileFacts) -> Result<BufReader<Take<File>>, ImportError> {
    let (mut file, _) = open_regular(path)?;
    file.seek(SeekFrom::Start(facts.bom))
        .map_err(|e| io_error(path, &e))?;
    let rest = facts.size.saturating_sub(facts.bom);
    Ok(BufReader::with_capacity(1 << 16, file.take(rest)))
}

/// The rows of a file for the CSV parser, which stops with an error (instead of growing its
/// record without bound) once it has read more than a limit past the end of the last record.
/// The reader of the records moves the limit on after each one ([`RecordLimit::next`]).
pub struct BoundedRows {
    inner: BufReader<Take<File>>,
    handed_out: u64,
    limit: Arc<AtomicU64>,
}

/// The shared end of what [`BoundedRows`] may hand out.
#[derive(Clone)]
pub struct RecordLimit(Arc<AtomicU64>);

impl RecordLimit {
    /// Allows the record starting after byte `end` up to `len` bytes (the parser's own
    /// buffer of 8 KiB read ahead is added, so a record of exactly `len` bytes still fits).
    pub fn next(&self, end: u64, len: u64) {
        let limit = end.saturating_add(len).saturating_add(16 * 1024);
        self.0.store(limit, Ordering::Relaxed);
    }
}

const TOO_LONG: &str = "record longer than the limit";

impl BoundedRows {
    /// Bounded rows of `path`, the first record (the header) allowed [`MAX_HEADER_BYTES`].
    pub fn open(path: &Path, facts: &FileFacts) -> Result<(Self, RecordLimit), ImportError> {
        let limit = RecordLimit(Arc::new(AtomicU64::new(0)));
        limit.next(0, MAX_HEADER_BYTES);
        let rows = Self {
            inner: open_rows(path, facts)?,
            handed_out: 0,
            limit: limit.0.clone(),
        };
        Ok((rows, limit))
    }

    /// True once a record ran past its limit (the parser then reports an I/O error).
    pub fn tripped(&self) -> bool {
        self.handed_out >= self.limit.load(Ordering::Relaxed)
    }
}

impl Read for BoundedRows {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let room = self
            .limit
            .load(Ordering::Relaxed)
            .saturating_sub(self.handed_out);
        if room == 0 {
            return Err(std::io::Error::other(TOO_LONG));
        }
        let want = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.handed_out = self.handed_out.saturating_add(n as u64);
        Ok(n)
    }
}

/// True when the file, read from byte `start` (the beginning of its last record) to the end,
/// leaves a quoted field open: the `csv` crate would have swallowed the rest silently.
pub fn ends_inside_quotes(path: &Path, start: u64, facts: &FileFacts) -> Result<bool, ImportError> {
    let delimiter = facts.delimiter;
    let (mut file, _) = open_regular(path)?;
    file.seek(SeekFrom::Start(start))
        .map_err(|e| io_error(path, &e))?;
    let mut reader = BufReader::new(file.take(facts.size.saturating_sub(start)));
    let mut at_field_start = true;
    let mut quoted = false;
    let mut pending_quote = false;
    loop {
        let buf = reader.fill_buf().map_err(|e| io_error(path, &e))?;
        if buf.is_empty() {
            return Ok(quoted && !pending_quote);
        }
        let len = buf.len();
        for &b in buf {
            if quoted {
                if pending_quote {
                    pending_quote = false;
                    if b != b'"' {
                        quoted = false;
                        at_field_start = b == delimiter || b == b'\n' || b == b'\r';
                    }
                } else if b == b'"' {
                    pending_quote = true;
                }
                continue;
            }
            if at_field_start && b == b'"' {
                quoted = true;
                at_field_start = false;
                continue;
            }
            at_field_start = b == delimiter || b == b'\n' || b == b'\r';
        }
        reader.consume(len);
    }
}

/// Counts `b` into `newlines` if it ends a line: LF, CR LF (once) or a lone CR.
fn count(newlines: &mut u64, after_cr: &mut bool, b: u8) {
    let ends = b == b'\r' || (b == b'\n' && !*after_cr);
    *newlines = newlines.saturating_add(u64::from(ends));
    *after_cr = b == b'\r';
}

/// Turns byte offsets of records into line numbers by reading the file forward alongside the
/// parser (constant memory). The `csv` crate's own line count is off for CRLF files and blank
/// lines, so reports use this instead. A line ends at LF, CR LF or a lone CR, as the parser
/// ends records.
pub struct LineCounter {
    reader: BufReader<Take<File>>,
    pos: u64,
    newlines: u64,
    /// The last byte counted was a CR: an LF right after it ends no further line.
    after_cr: bool,
}

impl LineCounter {
    pub fn open(path: &Path, facts: &FileFacts) -> Result<Self, ImportError> {
        Ok(Self {
            reader: open_rows(path, facts)?,
            pos: 0,
            newlines: 0,
            after_cr: false,
        })
    }

    /// The line on which the record starting at byte `start` (after the byte-order mark)
    /// begins: terminators left over from the line before are stepped over.
    pub fn line_at(&mut self, start: u64) -> std::io::Result<u64> {
        while self.pos < start {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let take = buf
                .len()
                .min(usize::try_from(start - self.pos).unwrap_or(usize::MAX));
            for &b in &buf[..take] {
                count(&mut self.newlines, &mut self.after_cr, b);
            }
            self.reader.consume(take);
            self.pos += take as u64;
        }
        loop {
            let buf = self.reader.fill_buf()?;
            match buf.first().copied() {
                Some(b @ (b'\n' | b'\r')) => count(&mut self.newlines, &mut self.after_cr, b),
                _ => break,
            }
            self.reader.consume(1);
            self.pos += 1;
        }
        Ok(self.newlines.saturating_add(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_are_detected_from_the_header_only() {
        assert_eq!(detect_delimiter(b"Name,Owner Email\na;b;c;d"), b',');
        assert_eq!(detect_delimiter(b"Name;Owner Email;Type\n"), b';');
        assert_eq!(detect_delimiter(b"Name\tType\n"), b'\t');
        assert_eq!(detect_delimiter(b"\"Name;x\",Type\n"), b',');
        assert_eq!(detect_delimiter(b"Name\n"), b',');
    }

    #[test]
    fn an_open_quote_at_the_end_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let check = |text: &str| {
            let path = dir.path().join("f.csv");
            std::fs::write(&path, text).unwrap();
            let facts = inspect(&path, None).unwrap();
            ends_inside_quotes(&path, 0, &facts).unwrap()
        };
        assert!(check("\"Acme"));
        assert!(check("\"Acme,b\nc,d\n"));
        assert!(check("x,\"a \"\" b\n"));
        assert!(!check("\"Acme\",b\n"));
        assert!(!check("\"a \"\" b\",c"));
        assert!(!check("O\"Brien,x\n"));
        assert!(!check("\"\""));
    }
}
