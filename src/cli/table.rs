//! Tables for people: columns sized from what they hold, padded by display width (CJK and
//! emoji keep columns aligned), every cell through `display_safe`.
//!
//! Where the table goes decides whether a cell may be cut (D76): to a pipe or a file a cell is
//! never cut, so nothing is lost to `…`; on a terminal the table fits its width, the widest
//! columns giving way first and a cut cell ending in `…`. Column widths come from the header
//! and the first [`SAMPLE`] rows, which are held back until then; later rows stream, so memory
//! does not grow with the listing. A later, wider cell widens its line on a pipe (never cut)
//! and is cut on a terminal.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::output::fit;
use crate::domain::text::display_safe;

/// Rows held back to size the columns before the first line is written.
pub const SAMPLE: usize = 200;

/// The narrowest a column is made to fit a terminal (unless its header and values are
/// narrower).
const MIN_COLUMN: usize = 8;

/// The width long columns give way to before the short ones are narrowed at all.
const SHORT_COLUMN: usize = 16;

/// Spaces between columns.
const GAP: usize = 2;

/// How a table is laid out: decided once per command from where stdout goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Layout {
    /// The terminal width to fit, or `None` for a pipe or a file (no cell is ever cut).
    pub width: Option<usize>,
    /// Print the header line (`--no-header` turns it off).
    pub header: bool,
}

impl Layout {
    /// A layout for a pipe or a file, with the header.
    pub fn unlimited() -> Self {
        Self {
            width: None,
            header: true,
        }
    }

    /// The same layout without the header line when `no_header` is set.
    pub fn with_header(self, header: bool) -> Self {
        Self { header, ..self }
    }
}

/// A table written row by row; call [`finish`](Self::finish) (or [`flush`](Self::flush)) so
/// rows held back for sizing are written.
pub struct Table<'a, W: Write + ?Sized> {
    out: &'a mut W,
    layout: Layout,
    headers: Vec<String>,
    /// Columns that give way only once the others are at their narrowest (identifiers such
    /// as the slug, which a script or an operator copies whole).
    kept: Vec<bool>,
    /// The last column is never cut, also on a terminal (where a long value wraps): for a
    /// report whose last column says what is wrong.
    whole_last: bool,
    /// Set once the first line is written.
    widths: Option<Vec<usize>>,
    held: Vec<Vec<String>>,
}

impl<'a, W: Write + ?Sized> Table<'a, W> {
    /// A table with these column headers. Nothing is written until [`SAMPLE`] rows arrived
    /// or the table is flushed.
    pub fn new(out: &'a mut W, headers: &[&str], layout: Layout) -> Self {
        Self {
            out,
            layout,
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            kept: vec![false; headers.len()],
            whole_last: false,
            widths: None,
            held: Vec::new(),
        }
    }

    /// Keeps the columns with these headers whole on a terminal as long as the others can
    /// still give way.
    pub fn keep(mut self, headers: &[&str]) -> Self {
        for (kept, header) in self.kept.iter_mut().zip(&self.headers) {
            *kept = headers.contains(&header.as_str());
        }
        self
    }

    /// Never cuts the last column: on a terminal the other columns fit what is left of its
    /// width beside at least half of it, and a longer last value wraps.
    pub fn whole_last(mut self) -> Self {
        self.whole_last = true;
        self
    }

    pub fn row(&mut self, cells: &[String]) -> io::Result<()> {
        let cells: Vec<String> = cells.iter().map(|c| display_safe(c)).collect();
        match &self.widths {
            Some(widths) => {
                let line = self.line(&cells, widths);
                writeln!(self.out, "{line}")
            }
            None => {
                self.held.push(cells);
                if self.held.len() >= SAMPLE {
                    self.start()?;
                }
                Ok(())
            }
        }
    }

    /// Writes what is held back (sizing the columns from it) and flushes the output.
    pub fn flush(&mut self) -> io::Result<()> {
        if self.widths.is_none() {
            self.start()?;
        }
        self.out.flush()
    }

    /// Writes what is held back; the end of the table.
    pub fn finish(mut self) -> io::Result<()> {
        self.flush()
    }

    /// Sizes the columns from the header and the held rows, then writes them.
    fn start(&mut self) -> io::Result<()> {
        let mut natural: Vec<usize> = self
            .headers
            .iter()
            .map(|h| if self.layout.header { h.width() } else { 0 })
            .collect();
        for row in &self.held {
            for (w, cell) in natural.iter_mut().zip(row) {
                *w = (*w).max(cell.width());
            }
        }
        let widths = match (self.layout.width, self.whole_last) {
            (Some(width), false) => shrink_to(natural, &self.kept, width),
            (Some(width), true) => {
                let last = natural.pop().unwrap_or(0);
                let room = last.min((width / 2).max(20)) + GAP;
                let mut widths = shrink_to(natural, &self.kept, width.saturating_sub(room));
                widths.push(last);
                widths
            }
            (None, _) => natural,
        };
        if self.layout.header {
            let line = self.line(&self.headers, &widths);
            writeln!(self.out, "{line}")?;
        }
        for row in std::mem::take(&mut self.held) {
            let line = self.line(&row, &widths);
            writeln!(self.out, "{line}")?;
        }
        self.widths = Some(widths);
        Ok(())
    }

    /// One line: every cell padded to its column, cut only when fitting a terminal.
    fn line(&self, cells: &[String], widths: &[usize]) -> String {
        let last = cells.len().min(widths.len()).saturating_sub(1);
        let mut line = String::new();
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            let shown = match self.layout.width {
                Some(_) if !(self.whole_last && i == last) => fit(cell, *width),
                _ => cell.clone(),
            };
            if i == last {
                line.push_str(&shown);
            } else {
                let fill = width.saturating_sub(shown.width());
                line.push_str(&shown);
                line.push_str(&" ".repeat(fill + GAP));
            }
        }
        let line = line.trim_end().to_owned();
        match self.layout.width {
            // Columns already at their narrowest and still too wide: the line itself is cut.
            Some(width) if line.width() > width && !self.whole_last => fit(&line, width),
            _ => line,
        }
    }
}

/// Narrows columns one column at a time until the line (with its gaps) fits `width`, in three
/// rounds that each take the widest column still above the round's floor: the long columns
/// that are not `kept` down to [`SHORT_COLUMN`] (short ones such as a status or a date stay
/// whole), then every column not kept down to [`MIN_COLUMN`], then the kept ones.
fn shrink_to(mut widths: Vec<usize>, kept: &[bool], width: usize) -> Vec<usize> {
    let gaps = GAP * widths.len().saturating_sub(1);
    let natural = widths.clone();
    for (floor, shrink_kept) in [
        (SHORT_COLUMN, false),
        (MIN_COLUMN, false),
        (MIN_COLUMN, true),
    ] {
        loop {
            let total: usize = widths.iter().sum::<usize>() + gaps;
            if total <= width {
                return widths;
            }
            let widest = (0..widths.len())
                .filter(|&i| widths[i] > natural[i].min(floor))
                .filter(|&i| shrink_kept == kept.get(i).copied().unwrap_or(false))
                .max_by_key(|&i| widths[i]);
            match widest {
                Some(i) => widths[i] -= 1,
                None => break,
            }
        }
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(layout: Layout, rows: &[[&str; 3]]) -> String {
        let mut out = Vec::new();
        let mut table = Table::new(&mut out, &["NAME", "SLUG", "TYPE"], layout).keep(&["SLUG"]);
        for row in rows {
            let cells: Vec<String> = row.iter().map(|c| (*c).to_owned()).collect();
            table.row(&cells).unwrap();
        }
        table.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    const ROWS: [[&str; 3]; 2] = [
        [
            "Wonka Labs 276 and a rather long name",
            "wonka-labs-276",
            "corporate",
        ],
        ["Wonka Labs 76", "wonka-labs-76", "individual"],
    ];

    #[test]
    fn a_table_for_a_pipe_is_never_cut() {
        let text = render(Layout::unlimited(), &ROWS);
        assert!(!text.contains('…'), "{text}");
        assert!(
            text.contains("Wonka Labs 276 and a rather long name"),
            "{text}"
        );
        assert!(text.lines().next().unwrap().starts_with("NAME"));
    }

    #[test]
    fn a_table_on_a_terminal_fits_its_width() {
        let layout = Layout {
            width: Some(40),
            header: true,
        };
        let text = render(layout, &ROWS);
        for line in text.lines() {
            assert!(line.width() <= 40, "{line:?} is {} wide", line.width());
        }
        assert!(
            text.contains("wonka-labs-276"),
            "the slug column keeps its room: {text}"
        );
    }

    #[test]
    fn a_whole_last_column_is_never_cut_on_a_terminal() {
        let mut out = Vec::new();
        let layout = Layout {
            width: Some(40),
            header: true,
        };
        let reason = "error: column Owner Email: no user has the email x@example.com";
        let mut table = Table::new(&mut out, &["LINE", "NAME", "OUTCOME"], layout).whole_last();
        table
            .row(&[
                "2".into(),
                "A rather long customer name".into(),
                reason.into(),
            ])
            .unwrap();
        table.finish().unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(reason), "{text}");
        assert!(text.lines().next().unwrap().width() <= 40, "{text}");
    }

    #[test]
    fn no_header_prints_only_rows() {
        let text = render(Layout::unlimited().with_header(false), &ROWS);
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(!text.contains("NAME"), "{text}");
    }
}
