//! The Invitations tab's list: chunks of a first load merged into the table (D108), the
//! table refilled for the status and customer shown, and one invitation's row put in place
//! after its command (no read of the list). State changes only; no drawing.

use super::InvitationsTab;
use crate::domain::AuditAction;
use crate::service::InvitationRow;

impl InvitationsTab {
    /// Adds a chunk of a first load: to the list, and those the filters let through to the
    /// table, which sorts and merges only them (D108).
    pub(super) fn append(&mut self, rows: Vec<InvitationRow>, height: usize) {
        let id = self.selected().map(|r| r.id);
        let shown: Vec<InvitationRow> = rows.iter().filter(|r| self.passes(r)).cloned().collect();
        self.all.extend(rows);
        self.table.source.extend(shown);
        self.table.reselect(id, height);
    }

    /// Puts the invitations of the status (and customer) shown into the table, keeping the
    /// selection.
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

    /// An invitation command's outcome carries the row as it now stands: it replaces its row
    /// (or is added), and a deleted one is dropped, moving only that row (as D92 does for
    /// users), never reading the list again.
    pub(super) fn changed(&mut self, row: &InvitationRow, action: AuditAction, height: usize) {
        let keep = self.selected().map(|r| r.id);
        let at = self.all.iter().position(|r| r.id == row.id);
        if action == AuditAction::InvitationDelete {
            if let Some(i) = at {
                self.all.remove(i);
            }
            self.table.source.remove(row.id);
        } else {
            match at.and_then(|i| self.all.get_mut(i)) {
                Some(slot) => *slot = row.clone(),
                None => self.all.push(row.clone()),
            }
            if self.passes(row) {
                self.table.source.upsert(row.clone());
            } else {
                self.table.source.remove(row.id);
            }
        }
        self.table.reselect(keep, height);
    }

    /// Whether `row` is of the status and customer shown.
    fn passes(&self, row: &InvitationRow) -> bool {
        self.status.is_none_or(|s| row.status == s)
            && self.customer.as_deref().is_none_or(|c| row.customer == c)
    }
}
