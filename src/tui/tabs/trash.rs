//! The Trash tab's state: the trashed customers (a short list, loaded whole when the tab
//! opens and kept current from command outcomes) and the selection.
//!
//! It changes only itself; restore and purge are asked for as effects by the app.

use super::customers::Cursor;
use crate::service::CustomerRow;

#[derive(Debug, Clone, Default)]
pub struct TrashTab {
    /// Newest deletion first.
    pub rows: Vec<CustomerRow>,
    pub cursor: Cursor,
    pub loaded: bool,
}

impl TrashTab {
    pub fn selected(&self) -> Option<&CustomerRow> {
        self.rows.get(self.cursor.selected)
    }

    pub fn set_rows(&mut self, mut rows: Vec<CustomerRow>, height: usize) {
        rows.sort_by(|a, b| b.deleted_at.cmp(&a.deleted_at).then(a.slug.cmp(&b.slug)));
        self.rows = rows;
        self.loaded = true;
        self.cursor.keep_visible(self.rows.len(), height);
    }

    /// Adds or replaces a trashed customer, as an outcome reports it.
    pub fn upsert(&mut self, row: CustomerRow, height: usize) {
        let mut rows = std::mem::take(&mut self.rows);
        rows.retain(|r| r.id != row.id);
        rows.push(row);
        self.set_rows(rows, height);
    }

    pub fn remove(&mut self, id: u64, height: usize) {
        self.rows.retain(|r| r.id != id);
        self.cursor.keep_visible(self.rows.len(), height);
    }

    pub fn remove_slug(&mut self, slug: &str, height: usize) {
        self.rows.retain(|r| r.slug != slug);
        self.cursor.keep_visible(self.rows.len(), height);
    }
}
