//! Reading an import file safely: its SHA-256, a refusal of UTF-16 and empty files, the
//! UTF-8 byte-order mark, the delimiter detected from the header line, and whether the file
//! ends inside a quoted field (which the `csv` crate accepts silently, R12).

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

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
    let mut file = File::open(path).map_err(|e| io_error(path, &e))?;
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

/// Opens the file positioned after its byte-order mark.
pub fn open_rows(path: &Path, facts: &FileFacts) -> Result<BufReader<File>, ImportError> {
    let mut file = File::open(path).map_err(|e| io_error(path, &e))?;
    file.seek(SeekFrom::Start(facts.bom))
        .map_err(|e| io_error(path, &e))?;
    Ok(BufReader::with_capacity(1 << 16, file))
}

/// True when the file, read from byte `start` (the beginning of its last record) to the end,
/// leaves a quoted field open: the `csv` crate would have swallowed the rest silently.
pub fn ends_inside_quotes(path: &Path, start: u64, delimiter: u8) -> Result<bool, ImportError> {
    let mut file = File::open(path).map_err(|e| io_error(path, &e))?;
    file.seek(SeekFrom::Start(start))
        .map_err(|e| io_error(path, &e))?;
    let mut reader = BufReader::new(file);
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

/// Turns byte offsets of records into line numbers by reading the file forward alongside the
/// parser (constant memory). The `csv` crate's own line count is off for CRLF files and blank
/// lines, so reports use this instead.
pub struct LineCounter {
    reader: BufReader<File>,
    pos: u64,
    newlines: u64,
}

impl LineCounter {
    pub fn open(path: &Path, facts: &FileFacts) -> Result<Self, ImportError> {
        Ok(Self {
            reader: open_rows(path, facts)?,
            pos: 0,
            newlines: 0,
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
            let take = buf.len().min((start - self.pos) as usize);
            self.newlines += buf[..take].iter().filter(|b| **b == b'\n').count() as u64;
            self.reader.consume(take);
            self.pos += take as u64;
        }
        loop {
            let buf = self.reader.fill_buf()?;
            match buf.first() {
                Some(b'\n') => self.newlines += 1,
                Some(b'\r') => {}
                _ => break,
            }
            self.reader.consume(1);
            self.pos += 1;
        }
        Ok(self.newlines + 1)
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
            ends_inside_quotes(&path, 0, b',').unwrap()
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
