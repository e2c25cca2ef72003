//! The import report's table (preview and summary) and the selected row's problems in full.
//! Its columns are data like every list's (`table::column`): the slug stays whole when the
//! width allows, the owner gives way first, names, slugs and emails are cut in the middle.
//! Pure drawing; every value from the file goes through `fit` or `fit_middle`.

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, Table};
use unicode_width::UnicodeWidthStr;

use super::super::table::column::{self, title_width};
use super::super::table::{COLUMN_GAP, Cell, Column, Cut, Unsorted, View, Width};
use super::text::{Theme, fit, fit_middle};
use crate::domain::Timestamp;
use crate::domain::text::display_safe;
use crate::import::{RowOutcome, RowReport};

const COLUMNS: &[Column<RowReport, Unsorted>] = &[
    Column {
        title: Cow::Borrowed("Line"),
        width: Width::Fixed(6),
        cell: |r, _| Cell::new(r.line.to_string()),
        sort: None,
        drop: 0,
        cut: Cut::End,
    },
    Column {
        title: Cow::Borrowed("Name"),
        width: Width::Share(3),
        cell: |r, _| Cell::new(r.name.as_str()),
        sort: None,
        drop: 0,
        cut: Cut::Middle,
    },
    Column {
        title: Cow::Borrowed("Slug"),
        width: Width::Whole,
        cell: |r, _| Cell::new(r.slug.as_str()),
        sort: None,
        drop: 0,
        cut: Cut::Middle,
    },
    Column {
        title: Cow::Borrowed("Owner"),
        width: Width::Share(2),
        cell: |r, _| Cell::new(r.owner.as_str()),
        sort: None,
        drop: 1,
        cut: Cut::Middle,
    },
    Column {
        title: Cow::Borrowed("Outcome"),
        width: Width::Share(3),
        cell: |r, v| {
            let (text, style) = outcome(r, v.theme);
            Cell::new(text).styled(style)
        },
        sort: None,
        drop: 0,
        cut: Cut::End,
    },
];

/// A row's outcome as its cell shows it (the first problem only; [`reasons`] has them all).
fn outcome(r: &RowReport, theme: Theme) -> (String, Style) {
    match r.outcome {
        RowOutcome::New => ("new".to_owned(), theme.ok()),
        RowOutcome::AlreadyImported => ("already imported".to_owned(), theme.dim()),
        RowOutcome::Error => {
            let text = match r.problems.first() {
                Some(p) if p.column.is_empty() => format!("error: {}", p.reason),
                Some(p) => format!("error: {}: {}", p.column, p.reason),
                None => "error".to_owned(),
            };
            (text, theme.error())
        }
    }
}

/// Draws the header and `rows` into `area`, `selected` (an index into `rows`) highlighted.
pub fn draw_rows(
    frame: &mut Frame<'_>,
    area: Rect,
    rows: &[RowReport],
    selected: Option<usize>,
    theme: Theme,
) {
    let view = View {
        now: Timestamp(0),
        utc_offset_secs: 0,
        theme,
    };
    let widths = column::layout(COLUMNS, area.width, 0, |i| {
        let Some(c) = COLUMNS.get(i) else { return 0 };
        let widest = rows
            .iter()
            .map(|r| display_safe(&(c.cell)(r, &view).text).width())
            .max()
            .unwrap_or(0);
        u16::try_from(widest)
            .unwrap_or(u16::MAX)
            .max(title_width(&c.title))
    });
    let drawn = || COLUMNS.iter().zip(&widths).filter(|(_, w)| **w > 0);
    let header = Row::new(drawn().map(|(c, _)| c.title.clone())).style(theme.header());
    let body: Vec<Row<'_>> = rows
        .iter()
        .enumerate()
        .map(|(n, r)| {
            let cells = drawn().map(|(c, w)| {
                let cell = (c.cell)(r, &view);
                let w = usize::from(*w);
                let text = match c.cut {
                    Cut::End => fit(&cell.text, w),
                    Cut::Middle => fit_middle(&cell.text, w),
                };
                Span::styled(text, cell.style)
            });
            let row = Row::new(cells.collect::<Vec<_>>());
            if Some(n) == selected {
                row.style(theme.selected())
            } else {
                row
            }
        })
        .collect();
    let constraints = drawn().map(|(_, w)| Constraint::Length(*w));
    frame.render_widget(
        Table::new(body, constraints)
            .header(header)
            .column_spacing(COLUMN_GAP),
        area,
    );
}

/// The selected row's outcome with every problem in full (what the table's cell cuts).
pub fn reasons<'a>(r: &RowReport, theme: Theme) -> Line<'a> {
    let mut spans = vec![Span::styled(format!("line {}: ", r.line), theme.header())];
    match r.outcome {
        RowOutcome::New => spans.push(Span::styled("new", theme.ok())),
        RowOutcome::AlreadyImported => spans.push(Span::styled("already imported", theme.dim())),
        RowOutcome::Error if r.problems.is_empty() => {
            spans.push(Span::styled("error", theme.error()));
        }
        RowOutcome::Error => {
            let text: Vec<String> = r
                .problems
                .iter()
                .map(|p| {
                    let column = if p.column.is_empty() {
                        String::new()
                    } else {
                        format!("{}: ", display_safe(&p.column))
                    };
                    let value = if p.preview.is_empty() {
                        String::new()
                    } else {
                        format!(" [{}]", display_safe(&p.preview))
                    };
                    format!("{column}{}{value}", display_safe(&p.reason))
                })
                .collect();
            spans.push(Span::styled(text.join("; "), theme.error()));
        }
    }
    Line::from(spans)
}
