//! Column definitions as data: a title, a width rule, a cell function, an optional sort
//! key, how readily the column gives way on a narrow screen, and where a cell too long for it
//! is cut. A list tab declares its columns once (a `const` slice); the table view sizes,
//! draws, sorts and hit-tests from that slice through [`layout`], so widths on screen and
//! mouse columns cannot drift.
//!
//! Nothing here holds state or touches a row source; cells are computed only for rows on
//! screen.

use std::borrow::Cow;

use ratatui::style::Style;
use unicode_width::UnicodeWidthStr;

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
    /// A column that takes its widest cell on screen whole when the row allows it (a slug:
    /// cutting it hides the part that tells rows apart); the share columns split what is left.
    /// Its cell must not depend on the [`View`].
    Whole,
}

/// Where a cell too long for its column is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// Keep the start (`Acme Corporati…`): for text whose end says little.
    End,
    /// Keep the start and the end (`wonka-l…s-276`): for names, slugs and emails, where
    /// rows often differ only at the end.
    Middle,
}

/// The narrowest a whole column is drawn before optional columns give way.
pub const MIN_SHARE: u16 = 12;
/// A share column's narrowest before optional columns give way, per part: the name (4 parts)
/// keeps 20 columns before the created column stays.
pub const MIN_PER_PART: u16 = 5;

/// The narrowest a share column of `parts` is drawn before optional columns give way.
fn share_min(parts: u16) -> u16 {
    parts.saturating_mul(MIN_PER_PART)
}

/// What a cell function sees besides its row: the time now (for today's dates and days left),
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
    /// Most titles are fixed words; a custom field's column is titled by the field's name.
    pub title: Cow<'static, str>,
    pub width: Width,
    pub cell: for<'r> fn(&'r R, &View) -> Cell<'r>,
    pub sort: Option<K>,
    /// 0: always shown. Otherwise the column gives way when the row is too narrow for the
    /// others (the highest number first), and the operator may hide it.
    pub drop: u8,
    pub cut: Cut,
}

impl<R, K: Clone> Clone for Column<R, K> {
    fn clone(&self) -> Self {
        Self {
            title: self.title.clone(),
            width: self.width,
            cell: self.cell,
            sort: self.sort.clone(),
            drop: self.drop,
            cut: self.cut,
        }
    }
}

impl<R, K: std::fmt::Debug> std::fmt::Debug for Column<R, K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Column")
            .field("title", &self.title)
            .field("width", &self.width)
            .field("sort", &self.sort)
            .field("drop", &self.drop)
            .finish_non_exhaustive()
    }
}

/// The widths of `columns` on a row `width` columns wide, with no rows to measure and none
/// hidden (each whole column wanting only its title and a sort arrow).
pub fn widths<R, K>(columns: &[Column<R, K>], width: u16) -> Vec<u16> {
    layout(columns, width, 0, |i| {
        columns.get(i).map_or(0, |c| title_width(&c.title))
    })
}

/// What a column's title needs, with room for the sort arrow.
pub fn title_width(title: &str) -> u16 {
    u16::try_from(UnicodeWidthStr::width(title) + 2).unwrap_or(u16::MAX)
}

/// The widths of `columns` on a row `width` columns wide: 0 for a column not drawn.
///
/// Bit `i` of `hidden` says the operator hid column `i` (only optional columns can be hidden).
/// `want(i)` is what whole column `i` needs to show its widest cell. Optional columns give way,
/// highest `drop` first, until the fixed columns, each share column at [`MIN_PER_PART`] per
/// part and each whole column at its want fit; whole columns then get their want (as far as the row allows
/// while every share column keeps its minimum), and share columns split the rest by their
/// parts, the last taking what rounding leaves, so a drawn row always fills the width.
pub fn layout<R, K>(
    columns: &[Column<R, K>],
    width: u16,
    hidden: u64,
    want: impl Fn(usize) -> u16,
) -> Vec<u16> {
    let mut shown: Vec<bool> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| c.drop == 0 || i >= 64 || hidden & (1 << i) == 0)
        .collect();
    while needed(columns, &shown, &want) > width {
        let victim = columns
            .iter()
            .enumerate()
            .filter(|(i, c)| shown[*i] && c.drop > 0)
            .max_by_key(|(i, c)| (c.drop, *i))
            .map(|(i, _)| i);
        match victim {
            Some(i) => shown[i] = false,
            None => break,
        }
    }
    allocate(columns, &shown, width, &want)
}

/// Gaps between the shown columns.
fn gaps(shown: &[bool]) -> u16 {
    let n = shown.iter().filter(|s| **s).count();
    COLUMN_GAP.saturating_mul(u16::try_from(n.saturating_sub(1)).unwrap_or(u16::MAX))
}

/// The width the shown columns need to be drawn comfortably.
fn needed<R, K>(columns: &[Column<R, K>], shown: &[bool], want: &impl Fn(usize) -> u16) -> u16 {
    columns
        .iter()
        .enumerate()
        .filter(|(i, _)| shown[*i])
        .map(|(i, c)| match c.width {
            Width::Fixed(w) => w,
            Width::Share(parts) => share_min(parts),
            Width::Whole => want(i).max(MIN_SHARE),
        })
        .fold(gaps(shown), u16::saturating_add)
}

fn allocate<R, K>(
    columns: &[Column<R, K>],
    shown: &[bool],
    width: u16,
    want: &impl Fn(usize) -> u16,
) -> Vec<u16> {
    let mut fixed: u16 = 0;
    let mut shares: u32 = 0;
    let mut share_mins: u16 = 0;
    let mut last_share = None;
    let mut last_whole = None;
    for (i, c) in columns.iter().enumerate().filter(|(i, _)| shown[*i]) {
        match c.width {
            Width::Fixed(w) => fixed = fixed.saturating_add(w),
            Width::Share(s) => {
                shares += u32::from(s);
                share_mins = share_mins.saturating_add(share_min(s));
                last_share = Some(i);
            }
            Width::Whole => last_whole = Some(i),
        }
    }
    let rest = width.saturating_sub(fixed.saturating_add(gaps(shown)));
    // Whole columns first, leaving each share column its minimum.
    let mut left = rest;
    let mut out: Vec<u16> = vec![0; columns.len()];
    for (i, c) in columns.iter().enumerate().filter(|(i, _)| shown[*i]) {
        if let Width::Whole = c.width {
            let room = left.saturating_sub(share_mins);
            let w = want(i).min(room.max(left.min(MIN_SHARE)));
            out[i] = w;
            left -= w;
        }
    }
    let pool = left;
    for (i, c) in columns.iter().enumerate().filter(|(i, _)| shown[*i]) {
        out[i] = match c.width {
            Width::Fixed(w) => w,
            Width::Whole if last_share.is_none() && Some(i) == last_whole => out[i] + left,
            Width::Whole => out[i],
            Width::Share(_) if Some(i) == last_share => left,
            Width::Share(s) => {
                let w = (u32::from(pool) * u32::from(s))
                    .checked_div(shares)
                    .and_then(|w| u16::try_from(w).ok())
                    .unwrap_or(0)
                    .min(left);
                left -= w;
                w
            }
        };
    }
    out
}

/// The column drawn at screen column `x` (a gap belongs to the column on its left).
pub fn column_at(widths: &[u16], x: u16) -> Option<usize> {
    let mut start: u16 = 0;
    for (i, w) in widths.iter().enumerate().filter(|(_, w)| **w > 0) {
        let end = start.saturating_add(*w).saturating_add(COLUMN_GAP);
        if x >= start && x < end {
            return Some(i);
        }
        start = end;
    }
    None
}
