//! Writing rows for people and scripts. Tables pad by display width (CJK and emoji keep
//! columns aligned) and pass every cell through `display_safe`; JSON and CSV stream one row
//! at a time so memory does not grow with the listing.

use std::io::{self, Write};

use serde::Serialize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::domain::text::display_safe;

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
