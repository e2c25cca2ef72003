//! The one list widget every tab uses: [`TableView`] holds a row source, the selection and
//! scroll position, the `/` filter line, and answers the list actions (moving, paging, sorting,
//! filtering, mouse clicks and the wheel). A list tab brings a column definition
//! ([`column::Column`]), a row source ([`RowSource`]) and its own actions; it writes no
//! navigation or drawing of its own.
//!
//! The source does the filtering and sorting, so a big list (the compact customer index) can
//! answer a keystroke without rebuilding or re-sorting anything here. This module performs no
//! I/O and never asks the service for anything.

pub mod column;
mod draw;
pub mod line_edit;
mod vec_source;

use std::borrow::Cow;

use ratatui_textarea::{Input, TextArea};

use super::action::Action;
use super::layout::ListAreas;
pub use column::{COLUMN_GAP, Cell, Column, Cut, View, Width};
pub use draw::draw_empty;
pub use vec_source::{ListRow, SortBy, Unsorted, VecSource};

/// Rows as a table shows them: those the filter lets through, in the current order.
pub trait RowSource {
    type Row: 'static;
    /// What a sortable column sorts by.
    type Key: Copy + PartialEq + 'static;
    /// Number of rows shown.
    fn count(&self) -> usize;
    /// The `n`th row shown.
    fn get(&self, n: usize) -> Option<&Self::Row>;
    /// A row's stable identity, to keep it selected when the order changes.
    fn id_of(row: &Self::Row) -> u64;
    /// Where the row with this id is shown, if it is.
    fn position(&self, id: u64) -> Option<usize>;
    /// Filters by `text` as typed (the source decides case and fields).
    fn filter(&mut self, text: &str);
    /// The current sort: key and whether descending; `None` when in the source's own order.
    fn sorted_by(&self) -> Option<(Self::Key, bool)>;
    fn sort_by(&mut self, key: Self::Key, descending: bool);
}

/// A list position: the selected row and the first row shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    pub selected: usize,
    pub offset: usize,
}

impl Cursor {
    /// Moves by `delta` rows within `len`, keeping the selection inside `height` rows.
    pub fn move_by(&mut self, delta: isize, len: usize, height: usize) {
        let last = len.saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, last.max(0)) as usize;
        self.keep_visible(len, height);
    }

    pub fn select(&mut self, n: usize, len: usize, height: usize) {
        self.selected = n.min(len.saturating_sub(1));
        self.keep_visible(len, height);
    }

    pub fn keep_visible(&mut self, len: usize, height: usize) {
        let height = height.max(1);
        if len == 0 {
            *self = Self::default();
            return;
        }
        self.selected = self.selected.min(len - 1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height));
    }
}

/// A table over a row source, with its columns, selection and filter line.
#[derive(Debug, Clone)]
pub struct TableView<S: RowSource> {
    pub source: S,
    pub cursor: Cursor,
    pub filter_input: TextArea<'static>,
    /// True while the filter line has the keys.
    pub filtering: bool,
    /// A list's own columns (a `const` slice), or those with columns added at run time (a
    /// custom field's).
    pub columns: Cow<'static, [Column<S::Row, S::Key>]>,
    /// Bit `i`: the operator hid column `i` (see [`Self::narrow`]).
    pub hidden: u64,
}

impl<S: RowSource> TableView<S> {
    pub fn new(source: S, columns: &'static [Column<S::Row, S::Key>]) -> Self {
        let mut filter_input = TextArea::default();
        filter_input.set_cursor_line_style(ratatui::style::Style::default());
        Self {
            source,
            cursor: Cursor::default(),
            filter_input,
            filtering: false,
            columns: Cow::Borrowed(columns),
            hidden: 0,
        }
    }

    /// Replaces the columns (the list's own and any added at run time). Columns the operator
    /// hid stay hidden where they are still there, by title.
    pub fn set_columns(&mut self, columns: Vec<Column<S::Row, S::Key>>) {
        let hidden = self.hidden_names();
        self.columns = Cow::Owned(columns);
        self.hidden = 0;
        let _ = self.hide_named(&hidden);
    }

    pub fn len(&self) -> usize {
        self.source.count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn selected(&self) -> Option<&S::Row> {
        self.source.get(self.cursor.selected)
    }

    /// The filter as typed.
    pub fn filter_text(&self) -> String {
        self.filter_input.lines().concat()
    }

    /// Applies a list action; returns false when it is not one (the tab handles it).
    /// `height` is the number of rows on screen.
    pub fn handle(&mut self, action: &Action, height: usize) -> bool {
        let len = self.len();
        let h = height;
        match action {
            Action::Submit if self.filtering => self.filtering = false,
            Action::Cancel if self.filtering => self.clear_filter(h),
            Action::Type(input) if self.filtering => self.type_filter(input.clone(), h),
            Action::SelectNext | Action::ScrollDown => self.cursor.move_by(1, len, h),
            Action::SelectPrev | Action::ScrollUp => self.cursor.move_by(-1, len, h),
            Action::PageDown => self.cursor.move_by(h as isize, len, h),
            Action::PageUp => self.cursor.move_by(-(h as isize), len, h),
            Action::SelectFirst => self.cursor.select(0, len, h),
            Action::SelectLast => self.cursor.select(len.saturating_sub(1), len, h),
            Action::StartFilter => self.filtering = true,
            Action::ClearFilter => self.clear_filter(h),
            Action::SortNext => self.sort_next(h),
            Action::SortReverse => {
                if let Some((key, descending)) = self.source.sorted_by() {
                    self.sort(key, !descending, h);
                }
            }
            _ => return false,
        }
        true
    }

    /// Types into the filter line (with the keys of every text line: [`line_edit`]) and
    /// filters at once.
    pub fn type_filter(&mut self, input: Input, height: usize) {
        if line_edit::edit_line(&mut self.filter_input, input) {
            self.apply_filter(height);
        }
    }

    pub fn clear_filter(&mut self, height: usize) {
        self.filter_input.select_all();
        self.filter_input.cut();
        self.filtering = false;
        self.apply_filter(height);
    }

    fn apply_filter(&mut self, height: usize) {
        let text = self.filter_text();
        self.source.filter(&text);
        self.cursor = Cursor::default();
        self.cursor.keep_visible(self.len(), height);
    }

    /// Sorts by `key` keeping the selected row selected.
    pub fn sort(&mut self, key: S::Key, descending: bool, height: usize) {
        let id = self.selected().map(S::id_of);
        self.source.sort_by(key, descending);
        self.reselect(id, height);
    }

    /// Sorts ascending by the next sortable column after the current one.
    pub fn sort_next(&mut self, height: usize) {
        let keys: Vec<S::Key> = self.columns.iter().filter_map(|c| c.sort).collect();
        let current = self.source.sorted_by().map(|(k, _)| k);
        let next = match current.and_then(|k| keys.iter().position(|c| *c == k)) {
            Some(i) => keys.get((i + 1) % keys.len()),
            None => keys.first(),
        };
        if let Some(&key) = next {
            self.sort(key, false, height);
        }
    }

    /// Sorts by `key`; asked again for the current key, reverses it.
    pub fn sort_by_column(&mut self, key: S::Key, height: usize) {
        let again = self.source.sorted_by().is_some_and(|(k, d)| k == key && !d);
        self.sort(key, again, height);
    }

    /// Selects the row with `id` again after the rows changed; keeps the cursor in range.
    pub fn reselect(&mut self, id: Option<u64>, height: usize) {
        if let Some(pos) = id.and_then(|id| self.source.position(id)) {
            self.cursor.selected = pos;
        }
        self.cursor.keep_visible(self.len(), height);
    }

    /// A click at screen (`x`, `y`) on the table drawn in `list`: the header sorts by a
    /// sortable column, a row selects it. Returns true when it hit something.
    pub fn click(&mut self, list: ListAreas, x: u16, y: u16) -> bool {
        let height = usize::from(list.body.height);
        if y == list.header.y {
            let widths = self.widths(list.header.width, height);
            let key = column::column_at(&widths, x.saturating_sub(list.header.x))
                .and_then(|i| self.columns.get(i))
                .and_then(|c| c.sort);
            if let Some(key) = key {
                self.sort_by_column(key, height);
                return true;
            }
        } else if y >= list.body.y && y < list.body.y + list.body.height {
            let n = self.cursor.offset + usize::from(y - list.body.y);
            let len = self.len();
            if n < len {
                self.cursor.select(n, len, height);
                return true;
            }
        }
        false
    }

    /// The widths of the columns on a row `width` wide with `height` rows on screen (0 for a
    /// column not drawn): whole columns measured on the rows on screen. Drawing and clicks
    /// both ask here.
    pub fn widths(&self, width: u16, height: usize) -> Vec<u16> {
        column::layout(&self.columns, width, self.hidden, |i| {
            self.widest(i, height)
        })
    }

    /// What column `i` needs to show its title (with the sort arrow) and its widest cell on
    /// screen whole.
    fn widest(&self, i: usize, height: usize) -> u16 {
        let Some(c) = self.columns.get(i) else {
            return 0;
        };
        // A whole column's cell does not depend on the view (see `Width::Whole`).
        let view = View {
            now: crate::domain::Timestamp(0),
            utc_offset_secs: 0,
            theme: crate::tui::render::text::Theme { color: false },
        };
        let start = self.cursor.offset;
        let cells = (start..(start + height).min(self.len()))
            .filter_map(|n| self.source.get(n))
            .map(|r| {
                let cell = (c.cell)(r, &view);
                unicode_width::UnicodeWidthStr::width(
                    crate::domain::text::display_safe(&cell.text).as_str(),
                )
            });
        let title = usize::from(column::title_width(&c.title));
        u16::try_from(cells.fold(title, usize::max)).unwrap_or(u16::MAX)
    }

    /// Hides the next optional column still drawn at `width` (the one that gives way first),
    /// and with it those that gave way before it, so the room it leaves does not bring them
    /// back; returns false when none is left to hide.
    pub fn narrow(&mut self, width: u16, height: usize) -> bool {
        let widths = self.widths(width, height);
        let next = self
            .columns
            .iter()
            .enumerate()
            .filter(|(i, c)| c.drop > 0 && *i < 64 && widths.get(*i).is_some_and(|w| *w > 0))
            .max_by_key(|(i, c)| (c.drop, *i))
            .map(|(i, _)| i);
        let Some(i) = next else {
            return false;
        };
        let rank = |j: usize| self.columns.get(j).map(|c| (c.drop, j));
        for j in 0..self.columns.len().min(64) {
            if self.columns[j].drop > 0 && rank(j) >= rank(i) {
                self.hidden |= 1 << j;
            }
        }
        true
    }

    /// Shows again the hidden column that gave way last; returns false when none is hidden.
    pub fn widen(&mut self) -> bool {
        let next = self
            .columns
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < 64 && self.hidden & (1 << i) != 0)
            .min_by_key(|(i, c)| (c.drop, *i))
            .map(|(i, _)| i);
        match next {
            Some(i) => {
                self.hidden &= !(1 << i);
                true
            }
            None => false,
        }
    }

    /// Applies [`Action::HideColumn`] or [`Action::ShowColumn`] on a row `width` wide: `None`
    /// for any other action, else whether a column changed and the line to show.
    pub fn column_action(
        &mut self,
        action: &Action,
        width: u16,
        height: usize,
    ) -> Option<(bool, String)> {
        let before = self.hidden;
        let (changed, text) = match action {
            Action::HideColumn if self.narrow(width, height) => (true, "hid"),
            Action::HideColumn => (false, "no column left to hide"),
            Action::ShowColumn if self.widen() => (true, "showed"),
            Action::ShowColumn => (false, "no hidden column to show"),
            _ => return None,
        };
        if !changed {
            return Some((false, text.to_owned()));
        }
        let flipped = before ^ self.hidden;
        let title = self
            .columns
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < 64 && flipped & (1 << i) != 0)
            .min_by_key(|(i, c)| (c.drop, *i))
            .map_or("", |(_, c)| &*c.title);
        Some((true, format!("{text} the {} column", title.to_lowercase())))
    }

    /// The names of the columns the operator hid (their titles, lowercase), for remembering.
    pub fn hidden_names(&self) -> Vec<String> {
        self.columns
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < 64 && self.hidden & (1 << i) != 0)
            .map(|(_, c)| column_name(&c.title))
            .collect()
    }

    /// Hides the optional columns named (as [`Self::hidden_names`] gives them); returns the
    /// names that are no optional column of this table.
    pub fn hide_named(&mut self, names: &[String]) -> Vec<String> {
        let mut unknown = Vec::new();
        for name in names {
            let found = self
                .columns
                .iter()
                .position(|c| c.drop > 0 && column_name(&c.title) == *name);
            match found {
                Some(i) if i < 64 => self.hidden |= 1 << i,
                _ => unknown.push(name.clone()),
            }
        }
        unknown
    }
}

/// A column's name in the state file: its title, lowercase, spaces as `_`.
pub fn column_name(title: &str) -> String {
    title.to_lowercase().replace(' ', "_")
}

#[cfg(test)]
mod tests;
