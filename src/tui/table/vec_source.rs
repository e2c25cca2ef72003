//! A row source for lists loaded whole (the trash, users, invitations): rows in the order
//! the tab gives them, a filter over each row's own text and a stable sort by a column key.
//! The rows' lowercase search text and their sorted order are kept from the last change of
//! rows or sort, so a keystroke in the filter sorts nothing and allocates nothing per row: it
//! scans the order kept (or, when the text only grew, just the rows still shown) (D91).
//! Rows or sort changing re-sorts everything; the customer index stays the customers' source.

use std::cmp::Ordering;

use super::RowSource;

/// What a short list needs to know about its rows.
pub trait ListRow {
    fn id(&self) -> u64;
    /// True when `needle` (lowercase, not empty) occurs in the text the filter searches.
    fn matches(&self, needle: &str) -> bool;
    /// The text the filter searches, lowercase, its parts joined by a newline, when the row
    /// can give it once for every keystroke; then `matches` must agree with it.
    fn search_text(&self) -> Option<String> {
        None
    }
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
    /// Each row's [`ListRow::search_text`], by position; empty when the rows give none.
    text: Vec<String>,
    /// Every row's position in sort order (the rows' order while unsorted).
    order: Vec<usize>,
    shown: Vec<usize>,
    needle: String,
    sort: Option<(K, bool)>,
}

impl<R, K> Default for VecSource<R, K> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            text: Vec::new(),
            order: Vec::new(),
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
        self.rows_changed();
    }

    /// Takes the rows out to change them; hand them back with [`Self::set_rows`].
    pub fn take_rows(&mut self) -> Vec<R> {
        self.shown.clear();
        self.order.clear();
        self.text.clear();
        std::mem::take(&mut self.rows)
    }

    /// Drops the rows `keep` refuses.
    pub fn retain(&mut self, keep: impl FnMut(&R) -> bool) {
        self.rows.retain(keep);
        self.rows_changed();
    }

    fn rows_changed(&mut self) {
        self.text = self.rows.iter().map_while(ListRow::search_text).collect();
        if self.text.len() != self.rows.len() {
            self.text.clear();
        }
        self.resort();
    }

    /// Puts every row in sort order, then filters.
    fn resort(&mut self) {
        let rows = &self.rows;
        self.order = (0..rows.len()).collect();
        if let Some((key, descending)) = self.sort {
            // A stable sort: rows that compare equal keep the tab's order.
            self.order.sort_by(|&a, &b| {
                let o = key.compare(&rows[a], &rows[b]);
                if descending { o.reverse() } else { o }
            });
        }
        self.refilter(false);
    }

    /// The rows shown for the filter text, in sort order; `narrower` searches only the rows
    /// shown (the text grew, so no other row can match). One `memmem` finder serves every
    /// row's kept text.
    fn refilter(&mut self, narrower: bool) {
        if self.needle.is_empty() {
            self.shown.clone_from(&self.order);
            return;
        }
        let from = if narrower {
            std::mem::take(&mut self.shown)
        } else {
            self.order.clone()
        };
        let finder = memchr::memmem::Finder::new(self.needle.as_bytes());
        let (rows, text, needle) = (&self.rows, &self.text, &self.needle);
        self.shown = from
            .into_iter()
            .filter(|&i| match text.get(i) {
                Some(t) => finder.find(t.as_bytes()).is_some(),
                None => rows.get(i).is_some_and(|r| r.matches(needle)),
            })
            .collect();
    }

    /// Adds rows after the others, working out only their search text and sorting only
    /// them, then merging them into the kept order: a list arriving in chunks costs each chunk
    /// its own size and one pass over the order, never a re-sort of everything (D108). The
    /// result is the order a whole re-sort would give (rows that compare equal stay in the
    /// order given).
    pub fn extend(&mut self, new: Vec<R>) {
        let start = self.rows.len();
        let had_text = self.text.len() == start;
        self.rows.extend(new);
        if had_text {
            for row in self.rows.get(start..).unwrap_or_default() {
                match row.search_text() {
                    Some(t) => self.text.push(t),
                    None => {
                        self.text.clear();
                        break;
                    }
                }
            }
        }
        let rows = &self.rows;
        let mut fresh: Vec<usize> = (start..rows.len()).collect();
        match self.sort {
            None => self.order.extend(fresh),
            Some((key, descending)) => {
                let cmp = |a: usize, b: usize| {
                    let o = key.compare(&rows[a], &rows[b]);
                    if descending { o.reverse() } else { o }
                };
                fresh.sort_by(|&a, &b| cmp(a, b));
                // Each new row's place is found by binary search among the old ones after the
                // place of the one before it: a chunk costs its size times a logarithm in
                // comparisons, and one copy of the order.
                let old = std::mem::take(&mut self.order);
                let mut merged = Vec::with_capacity(old.len() + fresh.len());
                let mut from = 0;
                for f in fresh {
                    let rest = old.get(from..).unwrap_or_default();
                    // After every old row that is not greater: an equal new row goes after the
                    // old ones, as a stable sort of the whole list puts it.
                    let at = from + rest.partition_point(|&o| cmp(f, o) != Ordering::Less);
                    merged.extend_from_slice(old.get(from..at).unwrap_or_default());
                    merged.push(f);
                    from = at;
                }
                merged.extend_from_slice(old.get(from..).unwrap_or_default());
                self.order = merged;
            }
        }
        self.refilter(false);
    }

    /// Puts `row` in place of the row with its id, or adds it, moving only it in the sort
    /// order (no re-sort, no rebuilt text: one change costs a scan, not a sort) (D92).
    pub fn upsert(&mut self, row: R) {
        let text = row.search_text();
        let i = match self.rows.iter().position(|r| r.id() == row.id()) {
            Some(i) => {
                self.order.retain(|&j| j != i);
                if let Some(slot) = self.rows.get_mut(i) {
                    *slot = row;
                }
                i
            }
            None => {
                self.rows.push(row);
                self.rows.len() - 1
            }
        };
        match text {
            Some(t) if self.text.len() == i => self.text.push(t),
            Some(t) if i < self.text.len() => self.text[i] = t,
            _ => {}
        }
        let rows = &self.rows;
        let at = match (self.sort, rows.get(i)) {
            (Some((key, descending)), Some(new)) => self.order.partition_point(|&j| {
                let o = key.compare(&rows[j], new);
                let o = if descending { o.reverse() } else { o };
                o != Ordering::Greater
            }),
            _ => self.order.len(),
        };
        self.order.insert(at, i);
        self.refilter(false);
    }

    /// Drops the row with this id, keeping the others' order without re-sorting.
    pub fn remove(&mut self, id: u64) {
        let Some(i) = self.rows.iter().position(|r| r.id() == id) else {
            return;
        };
        let last = self.rows.len() - 1;
        self.rows.swap_remove(i);
        if i < self.text.len() {
            self.text.swap_remove(i);
        }
        self.order.retain(|&j| j != i);
        for j in &mut self.order {
            if *j == last {
                *j = i;
            }
        }
        self.refilter(false);
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
        let needle = text.to_lowercase();
        let narrower = !self.needle.is_empty() && needle.contains(self.needle.as_str());
        self.needle = needle;
        self.refilter(narrower);
    }

    fn sorted_by(&self) -> Option<(K, bool)> {
        self.sort
    }

    fn sort_by(&mut self, key: K, descending: bool) {
        self.sort = Some((key, descending));
        self.resort();
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::cmp::Ordering;

    use super::{ListRow, SortBy, VecSource};
    use crate::tui::table::RowSource;

    thread_local! {
        static MATCHES: Cell<usize> = const { Cell::new(0) };
        static COMPARES: Cell<usize> = const { Cell::new(0) };
    }

    #[derive(Debug, Clone)]
    struct Row(u64, &'static str);

    impl ListRow for Row {
        fn id(&self) -> u64 {
            self.0
        }
        fn matches(&self, needle: &str) -> bool {
            MATCHES.with(|m| m.set(m.get() + 1));
            self.1.to_lowercase().contains(needle)
        }
        fn search_text(&self) -> Option<String> {
            Some(self.1.to_lowercase())
        }
    }

    #[derive(Debug, Clone, Copy, PartialEq)]
    struct ByName;

    impl SortBy<Row> for ByName {
        fn compare(self, a: &Row, b: &Row) -> Ordering {
            COMPARES.with(|c| c.set(c.get() + 1));
            a.1.cmp(b.1)
        }
    }

    fn names(s: &VecSource<Row, ByName>) -> Vec<&'static str> {
        (0..s.count())
            .filter_map(|n| s.get(n))
            .map(|r| r.1)
            .collect()
    }

    #[test]
    fn rows_added_in_chunks_sort_as_a_whole_re_sort_would() {
        const NAMES: [&str; 12] = ["m", "b", "x", "b", "a", "q", "m", "c", "z", "b", "d", "a"];
        for descending in [false, true] {
            for chunk in [1, 2, 5, 12] {
                let rows: Vec<Row> = NAMES
                    .iter()
                    .enumerate()
                    .map(|(i, n)| Row(i as u64, n))
                    .collect();
                let mut whole = VecSource::default();
                whole.sort_by(ByName, descending);
                whole.filter("b");
                whole.set_rows(rows.clone());
                let mut pieces = VecSource::default();
                pieces.sort_by(ByName, descending);
                pieces.filter("b");
                for part in rows.chunks(chunk) {
                    pieces.extend(part.to_vec());
                }
                let ids = |s: &VecSource<Row, ByName>| {
                    (0..s.count())
                        .filter_map(|n| s.get(n))
                        .map(|r| r.0)
                        .collect::<Vec<_>>()
                };
                assert_eq!(ids(&pieces), ids(&whole), "chunks of {chunk}, {descending}");
                pieces.filter("");
                whole.filter("");
                assert_eq!(ids(&pieces), ids(&whole), "chunks of {chunk}, {descending}");
            }
        }
    }

    #[test]
    fn a_filter_keystroke_sorts_nothing_and_searches_the_text_kept() {
        let mut s = VecSource::default();
        s.sort_by(ByName, false);
        s.set_rows(vec![
            Row(1, "Wonka"),
            Row(2, "acme"),
            Row(3, "Acme Labs"),
            Row(4, "zeta"),
        ]);
        MATCHES.with(|m| m.set(0));
        COMPARES.with(|c| c.set(0));
        for text in ["a", "ac", "acm", "ac", "", "w"] {
            s.filter(text);
        }
        assert_eq!(COMPARES.with(Cell::get), 0, "a keystroke re-sorted");
        assert_eq!(
            MATCHES.with(Cell::get),
            0,
            "a keystroke lowercased rows again"
        );
        assert_eq!(names(&s), ["Wonka"]);
        s.filter("ac");
        assert_eq!(names(&s), ["Acme Labs", "acme"], "sorted order kept");
        s.filter("acme l");
        assert_eq!(names(&s), ["Acme Labs"]);
        s.filter("");
        assert_eq!(names(&s), ["Acme Labs", "Wonka", "acme", "zeta"]);
    }

    #[test]
    fn one_row_changed_added_or_removed_moves_alone_in_the_sorted_order() {
        let mut s = VecSource::default();
        s.sort_by(ByName, false);
        s.set_rows(vec![Row(1, "b"), Row(2, "d"), Row(3, "f")]);
        COMPARES.with(|c| c.set(0));
        s.upsert(Row(2, "g"));
        assert_eq!(names(&s), ["b", "f", "g"]);
        s.upsert(Row(4, "a"));
        assert_eq!(names(&s), ["a", "b", "f", "g"]);
        s.remove(1);
        assert_eq!(names(&s), ["a", "f", "g"]);
        s.filter("g");
        assert_eq!(names(&s), ["g"], "the kept text follows the change");
        s.remove(4);
        s.filter("");
        assert_eq!(names(&s), ["f", "g"]);
        assert!(COMPARES.with(Cell::get) < 6, "no re-sort of every row");
    }
}
