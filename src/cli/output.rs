//! Writing rows for people and scripts. Tables pad by display width (CJK and emoji keep
//! columns aligned) and pass every cell through `display_safe`; JSON and CSV stream one row
//! at a time so memory does not grow with the listing.

use std::io::{self, Write};

use serde::Serialize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::domain::text::display_safe;

/// The command's stdout, remembering whether its reader went away: the first write or flush
/// that fails with `BrokenPipe` (`tenantry log | head -1`; Rust ignores SIGPIPE, so a closed
/// pipe is an error, not a signal) sets [`reader_gone`](Self::reader_gone). Whatever layer
/// wrapped that error on its way up (JSON, CSV, the export), `main` then ends the command
/// quietly with status 0: the one mechanism for every output command (D75).
pub struct PipeWatch<W: Write> {
    inner: W,
    gone: bool,
}

impl<W: Write> PipeWatch<W> {
    pub fn new(inner: W) -> Self {
        Self { inner, gone: false }
    }

    /// True once a write or flush found the reader gone.
    pub fn reader_gone(&self) -> bool {
        self.gone
    }

    fn watch<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &result
            && e.kind() == io::ErrorKind::BrokenPipe
        {
            self.gone = true;
        }
        result
    }
}

impl<W: Write> Write for PipeWatch<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let result = self.inner.write(buf);
        self.watch(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = self.inner.flush();
        self.watch(result)
    }
}

/// Cuts `text` to at most `width` display columns, marking a cut with `…`.
pub fn fit(text: &str, width: usize) -> String {
    let safe = display_safe(text);
    if safe.width() <= width {
        return safe;
    }
    let mut out = String::new();
    let mut used = 0;
    for c in safe.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Pads `text` with spaces to exactly `width` display columns (after [`fit`]).
pub fn pad(text: &str, width: usize) -> String {
    let fitted = fit(text, width);
    let fill = width.saturating_sub(fitted.width());
    format!("{fitted}{}", " ".repeat(fill))
}

/// A table with fixed column widths, written row by row.
pub struct Table<'a, W: Write + ?Sized> {
    out: &'a mut W,
    widths: Vec<usize>,
}

impl<'a, W: Write + ?Sized> Table<'a, W> {
    pub fn new(out: &'a mut W, columns: &[(&str, usize)]) -> io::Result<Self> {
        let mut table = Self {
            out,
            widths: columns.iter().map(|(_, w)| *w).collect(),
        };
        let headers: Vec<String> = columns.iter().map(|(h, _)| (*h).to_owned()).collect();
        table.row(&headers)?;
        Ok(table)
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    pub fn row(&mut self, cells: &[String]) -> io::Result<()> {
        let last = cells.len().saturating_sub(1);
        let mut line = String::new();
        for (i, (cell, width)) in cells.iter().zip(&self.widths).enumerate() {
            if i == last {
                line.push_str(&fit(cell, *width));
            } else {
                line.push_str(&pad(cell, *width));
                line.push_str("  ");
            }
        }
        writeln!(self.out, "{}", line.trim_end())
    }
}

/// Key/value lines for one record.
pub fn write_fields<W: Write + ?Sized>(out: &mut W, fields: &[(&str, String)]) -> io::Result<()> {
    let width = fields.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
    for (key, value) in fields {
        writeln!(out, "{}  {}", pad(key, width), display_safe(value))?;
    }
    Ok(())
}

/// A JSON array written one element at a time.
pub struct JsonArray<'a, W: Write + ?Sized> {
    out: &'a mut W,
    first: bool,
}

impl<'a, W: Write + ?Sized> JsonArray<'a, W> {
    pub fn new(out: &'a mut W) -> io::Result<Self> {
        write!(out, "[")?;
        Ok(Self { out, first: true })
    }

    pub fn push<T: Serialize>(&mut self, value: &T) -> io::Result<()> {
        if !self.first {
            write!(self.out, ",")?;
        }
        self.first = false;
        write!(self.out, "\n  ")?;
        crate::json::to_writer(&mut *self.out, value)
    }

    pub fn finish(self) -> io::Result<()> {
        if self.first {
            writeln!(self.out, "]")
        } else {
            writeln!(self.out, "\n]")
        }
    }
}

/// Writes `rows` as one JSON array (what every `--format json` listing prints).
pub fn write_json_array<W, T, I>(out: &mut W, rows: I) -> io::Result<()>
where
    W: Write + ?Sized,
    T: Serialize,
    I: IntoIterator<Item = T>,
{
    let mut array = JsonArray::new(out)?;
    for row in rows {
        array.push(&row)?;
    }
    array.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_counts_display_columns() {
        assert_eq!(pad("北京", 6), "北京  ");
        assert_eq!(pad("abc", 5), "abc  ");
        assert_eq!(fit("abcdefgh", 5), "abcd…");
        assert_eq!(fit("北京北京", 5), "北京…");
        assert_eq!(pad("a\u{202E}b", 12), "a<U+202E>b  ");
    }
}
