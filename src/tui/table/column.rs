//! Column definitions as data: a title, a width rule, a cell function and an optional sort
//! key. A list tab declares its columns once (a `const` slice); the table view sizes, draws,
//! sorts and hit-tests from that slice, so widths on screen and mouse columns cannot drift.
//!
//! Nothing here holds state or touches a row source; cells are computed only for rows on
//! screen.

use std::borrow::Cow;

use ratatui::style::Style;

use crate::domain::Timestamp;
use crate::tui::render::text::Theme;

/// Space between table columns.
pub const COLUMN_GAP: u16 = 1;

/// How wide a column is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// Exactly this many columns.
    Fixed(u16),
    /// This many parts of what the fixed columns and gaps leave; the last share column takes
    /// whatever rounding leaves over, so the row always fills the width.
    Share(u16),
}

/// What a cell function sees besides its row: the time now (for "5 min ago" and days left),
/// the local offset and the theme. The same view is handed to a tab's `render`.
#[derive(Debug, Clone, Copy)]
pub struct View {
    pub now: Timestamp,
    pub utc_offset_secs: i32,
    pub theme: Theme,
}

/// One cell's text and style. The table cuts the text to the column width through
/// `render::text::fit`, which also makes it safe to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell<'r> {
    pub text: Cow<'r, str>,
    pub style: Style,
}

impl<'r> Cell<'r> {
    pub fn new(text: impl Into<Cow<'r, str>>) -> Self {
        Self {
            text: text.into(),
            style: Style::default(),
        }
    }

    pub fn styled(mut self, style: Style) -> Self {
        self.style = style;
        self
    }
}

/// One column of a list of `R`, sortable by the row source's key `K` when `sort` is set.
pub struct Column<R: 'static, K: 'static> {
    pub title: &'static str,
    pub width: Width,
    pub cell: for<'r> fn(&'r R, &View) -> Cell<'r>,
    pub sort: Option<K>,
}

impl<R, K: std::fmt::Debug> std::fmt::Debug for Column<R, K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Column")
            .field("title", &self.title)
            .field("width", &self.width)
            .field("sort", &self.sort)
            .finish_non_exhaustive()
    }
}

/// The widths of `columns` on a row `width` columns wide.
pub fn widths<R, K>(columns: &[Column<R, K>], width: u16) -> Vec<u16> {
    let gaps = COLUMN_GAP
        .saturating_mul(u16::try_from(columns.len().saturating_sub(1)).unwrap_or(u16::MAX));
    let mut fixed: u16 = 0;
    let mut shares: u32 = 0;
    let mut last_share = None;
    for (i, c) in columns.iter().enumerate() {
        match c.width {
            Width::Fixed(w) => fixed = fixed.saturating_add(w),
            Width::Share(s) => {
                shares += u32::from(s);
                last_share = Some(i);
            }
        }
    }
    let rest = width.saturating_sub(fixed.saturating_add(gaps));
    let mut left = rest;
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| match c.width {
            Width::Fixed(w) => w,
            Width::Share(_) if Some(i) == last_share => left,
            Width::Share(s) => {
                let w = (u32::from(rest) * u32::from(s))
                    .checked_div(shares)
                    .and_then(|w| u16::try_from(w).ok())
                    .unwrap_or(0)
                    .min(left);
                left -= w;
                w
            }
        })
        .collect()
}

/// The column drawn at screen column `x` (a gap belongs to the column on its left).
pub fn column_at(widths: &[u16], x: u16) -> Option<usize> {
    let mut start: u16 = 0;
    for (i, w) in widths.iter().enumerate() {
        let end = start.saturating_add(*w).saturating_add(COLUMN_GAP);
        if x >= start && x < end {
            return Some(i);
        }
        start = end;
    }
    None
}
