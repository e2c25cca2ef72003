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
mod vec_source;

use ratatui_textarea::{Input, TextArea};

use super::action::Action;
use super::layout::ListAreas;
pub use column::{COLUMN_GAP, Cell, Column, View, Width};
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
    pub columns: &'static [Column<S::Row, S::Key>],
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
            columns,
        }
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

    /// Types into the filter line and filters at once.
    pub fn type_filter(&mut self, input: Input, height: usize) {
        if self.filter_input.input(input) {
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
            let widths = column::widths(self.columns, list.header.width);
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
}

#[cfg(test)]
mod tests;
