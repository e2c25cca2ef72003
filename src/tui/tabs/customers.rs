//! The Customers tab's state: the in-memory index that answers filtering and sorting, the
//! selection and scroll position, the live filter input and the open detail view.
//!
//! It changes only itself; service calls are asked for as effects by the app.

use ratatui::style::Style;
use ratatui_textarea::{Input, TextArea};

use crate::service::{CustomerDetail, CustomerIndex, IndexEntry, SortKey};

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

#[derive(Debug, Clone)]
pub struct CustomersTab {
    pub index: CustomerIndex,
    pub cursor: Cursor,
    /// True until the background load of the whole list has finished.
    pub loading: bool,
    pub filter_input: TextArea<'static>,
    /// True while the filter line has the keys.
    pub filtering: bool,
    pub detail: Option<Box<CustomerDetail>>,
    /// Lines scrolled off the top of the detail view (a customer can have many members).
    pub detail_scroll: u16,
    /// A slug whose detail is being loaded to open the edit form rather than the view.
    pub pending_edit: Option<String>,
}

impl Default for CustomersTab {
    fn default() -> Self {
        let mut filter_input = TextArea::default();
        filter_input.set_cursor_line_style(Style::default());
        Self {
            index: CustomerIndex::new(),
            cursor: Cursor::default(),
            loading: true,
            filter_input,
            filtering: false,
            detail: None,
            detail_scroll: 0,
            pending_edit: None,
        }
    }
}

impl CustomersTab {
    pub fn selected(&self) -> Option<&IndexEntry> {
        self.index.visible(self.cursor.selected)
    }

    pub fn len(&self) -> usize {
        self.index.visible_len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
        let text = self.filter_input.lines().concat();
        self.index.set_filter(&text);
        self.cursor = Cursor::default();
        self.cursor.keep_visible(self.len(), height);
    }

    /// Sorts by the next column (or reverses the current one) keeping the selected customer.
    pub fn sort(&mut self, key: SortKey, descending: bool, height: usize) {
        let id = self.selected().map(|e| e.id);
        self.index.set_sort(key, descending);
        self.reselect(id, height);
    }

    pub fn sort_next(&mut self, height: usize) {
        let (key, _) = self.index.sort();
        let i = SortKey::ALL.iter().position(|k| *k == key).unwrap_or(0);
        let next = SortKey::ALL[(i + 1) % SortKey::ALL.len()];
        self.sort(next, false, height);
    }

    /// Sorts by `key`; a second click on the same column reverses it.
    pub fn sort_by_column(&mut self, key: SortKey, height: usize) {
        let (current, descending) = self.index.sort();
        self.sort(key, current == key && !descending, height);
    }

    /// Selects the customer with `id` again after the list changed.
    pub fn reselect(&mut self, id: Option<u64>, height: usize) {
        if let Some(pos) = id.and_then(|id| self.index.position_of(id)) {
            self.cursor.selected = pos;
        }
        self.cursor.keep_visible(self.len(), height);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_keeps_the_selection_on_screen() {
        let mut c = Cursor::default();
        c.move_by(25, 100, 10);
        assert_eq!((c.selected, c.offset), (25, 16));
        c.move_by(-20, 100, 10);
        assert_eq!((c.selected, c.offset), (5, 5));
        c.move_by(1000, 100, 10);
        assert_eq!((c.selected, c.offset), (99, 90));
        c.move_by(1, 0, 10);
        assert_eq!(c, Cursor::default());
    }
}
