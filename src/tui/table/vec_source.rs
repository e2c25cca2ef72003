//! A row source for short lists loaded whole (the trash, and later users, invitations):
//! rows in the order the tab gives them, a filter over each row's own text and a stable sort
//! by a column key. Big lists bring their own source (the customer index); this one re-sorts
//! on every change, which is fine for lists of hundreds of rows.

use std::cmp::Ordering;

use super::RowSource;

/// What a short list needs to know about its rows.
pub trait ListRow {
    fn id(&self) -> u64;
    /// True when `needle` (lowercase, not empty) occurs in the text the filter searches.
    fn matches(&self, needle: &str) -> bool;
}

/// A column key that orders rows of `R`.
pub trait SortBy<R>: Copy + PartialEq {
    fn compare(self, a: &R, b: &R) -> Ordering;
}

/// The key of a list with no sortable column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsorted {}

impl<R> SortBy<R> for Unsorted {
    fn compare(self, _: &R, _: &R) -> Ordering {
        match self {}
    }
}

/// Rows held in a `Vec`, shown through an index of those that match, in sort order.
#[derive(Debug, Clone)]
pub struct VecSource<R, K> {
    rows: Vec<R>,
    shown: Vec<usize>,
    needle: String,
    sort: Option<(K, bool)>,
}

impl<R, K> Default for VecSource<R, K> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            shown: Vec::new(),
            needle: String::new(),
            sort: None,
        }
    }
}

impl<R: ListRow, K: SortBy<R>> VecSource<R, K> {
    /// Every row, in the order given (the order shown while unsorted).
    pub fn rows(&self) -> &[R] {
        &self.rows
    }

    /// Replaces the rows; the filter and sort stay.
    pub fn set_rows(&mut self, rows: Vec<R>) {
        self.rows = rows;
        self.refresh();
    }

    /// Takes the rows out to change them; hand them back with [`Self::set_rows`].
    pub fn take_rows(&mut self) -> Vec<R> {
        self.shown.clear();
        std::mem::take(&mut self.rows)
    }

    /// Drops the rows `keep` refuses.
    pub fn retain(&mut self, keep: impl FnMut(&R) -> bool) {
        self.rows.retain(keep);
        self.refresh();
    }

    fn refresh(&mut self) {
        let rows = &self.rows;
        let needle = &self.needle;
        self.shown = (0..rows.len())
            .filter(|&i| needle.is_empty() || rows[i].matches(needle))
            .collect();
        if let Some((key, descending)) = self.sort {
            // A stable sort: rows that compare equal keep the tab's order.
            self.shown.sort_by(|&a, &b| {
                let o = key.compare(&rows[a], &rows[b]);
                if descending { o.reverse() } else { o }
            });
        }
    }
}

impl<R: ListRow + 'static, K: SortBy<R> + 'static> RowSource for VecSource<R, K> {
    type Row = R;
    type Key = K;

    fn count(&self) -> usize {
        self.shown.len()
    }

    fn get(&self, n: usize) -> Option<&R> {
        self.shown.get(n).and_then(|&i| self.rows.get(i))
    }

    fn id_of(row: &R) -> u64 {
        row.id()
    }

    fn position(&self, id: u64) -> Option<usize> {
        self.shown
            .iter()
            .position(|&i| self.rows.get(i).is_some_and(|r| r.id() == id))
    }

    fn filter(&mut self, text: &str) {
        self.needle = text.to_lowercase();
        self.refresh();
    }

    fn sorted_by(&self) -> Option<(K, bool)> {
        self.sort
    }

    fn sort_by(&mut self, key: K, descending: bool) {
        self.sort = Some((key, descending));
        self.refresh();
    }
}
