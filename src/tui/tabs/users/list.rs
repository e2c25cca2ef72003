//! The Users tab's table over its list: which of the users loaded are shown (the customer and
//! status chosen), and one user changed in place after a command (D92) without rebuilding the
//! table.
//!
//! It reads nothing from the backend; the rows come from the runtime's loads.

use super::UsersTab;
use crate::service::UserRow;

impl UsersTab {
    /// Shows only the users of the customer `slug` (`None`: everyone).
    pub fn only_customer(&mut self, slug: Option<String>, height: usize) {
        self.customer = slug;
        self.detail = None;
        self.welcome = None;
        self.show(height);
    }

    /// Every user at once, as a complete list.
    pub fn set_rows(&mut self, rows: Vec<UserRow>, height: usize) {
        self.all = rows;
        self.loaded = true;
        self.arrival = Default::default();
        self.arrival.complete = true;
        self.show(height);
    }

    /// Puts the users shown into the table, keeping the selection.
    pub(super) fn show(&mut self, height: usize) {
        let id = self.selected().map(|r| r.id);
        let rows = self
            .all
            .iter()
            .filter(|r| self.passes(r))
            .cloned()
            .collect();
        self.table.source.set_rows(rows);
        self.table.reselect(id, height);
    }

    /// Adds a chunk of a first load: to the list, and those that pass the filters to the
    /// table, which sorts and merges only them (D108).
    pub(super) fn append(&mut self, rows: Vec<UserRow>, height: usize) {
        let id = self.selected().map(|r| r.id);
        let shown: Vec<UserRow> = rows.iter().filter(|r| self.passes(r)).cloned().collect();
        self.all.extend(rows);
        self.table.source.extend(shown);
        self.table.reselect(id, height);
    }

    /// Puts one user as it is now in place of its row (`None`: drops it), or adds it, moving
    /// only that row in the table (D92).
    pub(super) fn refreshed(&mut self, email: &str, row: Option<UserRow>, height: usize) {
        let at = self.all.iter().position(|r| r.email == email);
        let keep = self.selected().map(|r| r.id);
        match row {
            Some(row) => {
                let shown = self.passes(&row);
                match at.and_then(|i| self.all.get_mut(i)) {
                    Some(slot) => *slot = row.clone(),
                    None => self.all.push(row.clone()),
                }
                if shown {
                    self.table.source.upsert(row);
                } else {
                    self.table.source.remove(row.id);
                }
            }
            None => {
                let Some(i) = at else { return };
                let gone = self.all.remove(i);
                self.table.source.remove(gone.id);
            }
        }
        self.table.reselect(keep, height);
    }

    /// Whether `row` is of the customer and status shown.
    fn passes(&self, row: &UserRow) -> bool {
        self.customer
            .as_deref()
            .is_none_or(|slug| row.customers.iter().any(|c| c.slug == slug))
            && self.status.is_none_or(|s| row.status == s)
    }
}
