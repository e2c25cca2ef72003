//! The Customers table's columns as data (title, width rule, cell, sort key) and the
//! compact customer index as the table's row source: the index filters and sorts itself, so
//! the table view adds nothing per keystroke.

use std::borrow::Cow;

use ratatui::style::Style;

use crate::domain::CustomerStatus;
use crate::service::{CustomerIndex, FieldRow, IndexEntry, SortKey};
use crate::tui::render::text::day;
use crate::tui::table::{Cell, Column, Cut, RowSource, View, Width};

impl RowSource for CustomerIndex {
    type Row = IndexEntry;
    type Key = SortKey;

    fn count(&self) -> usize {
        self.visible_len()
    }

    fn get(&self, n: usize) -> Option<&IndexEntry> {
        self.visible(n)
    }

    fn id_of(row: &IndexEntry) -> u64 {
        row.id
    }

    fn position(&self, id: u64) -> Option<usize> {
        self.position_of(id)
    }

    fn filter(&mut self, text: &str) {
        self.set_filter(text);
    }

    fn sorted_by(&self) -> Option<(SortKey, bool)> {
        Some(self.sort())
    }

    fn sort_by(&mut self, key: SortKey, descending: bool) {
        self.set_sort(key, descending);
    }
}

/// Name and slug share what the fixed columns leave (the slug whole when the row allows);
/// created, then owner, then type give way on a narrow screen. Status never does: it says
/// what an action will do.
pub(super) const COLUMNS: &[Column<IndexEntry, SortKey>] = &[
    Column {
        title: Cow::Borrowed(""),
        width: Width::Fixed(2),
        // ★ the provider company, ◇ an independent organisation (D129).
        cell: |e, _| {
            Cell::new(if e.is_provider {
                "★"
            } else if e.independent {
                "◇"
            } else {
                ""
            })
        },
        sort: None,
        drop: 0,
        cut: Cut::End,
    },
    Column {
        title: Cow::Borrowed("Name"),
        width: Width::Share(4),
        cell: |e, _| Cell::new(e.name.as_str()),
        sort: Some(SortKey::Name),
        drop: 0,
        cut: Cut::Middle,
    },
    Column {
        title: Cow::Borrowed("Slug"),
        width: Width::Whole,
        cell: |e, _| Cell::new(e.slug.as_str()),
        sort: Some(SortKey::Slug),
        drop: 0,
        cut: Cut::Middle,
    },
    Column {
        title: Cow::Borrowed("Type"),
        width: Width::Fixed(10),
        cell: |e, _| Cell::new(e.kind.as_str()),
        sort: Some(SortKey::Kind),
        drop: 1,
        cut: Cut::End,
    },
    Column {
        title: Cow::Borrowed("Status"),
        width: Width::Fixed(9),
        cell: |e, v| {
            let style = match e.status {
                CustomerStatus::Suspended => v.theme.warn(),
                CustomerStatus::Active => Style::default(),
                CustomerStatus::Pending => v.theme.accent(),
            };
            Cell::new(e.status.as_str()).styled(style)
        },
        sort: Some(SortKey::Status),
        drop: 0,
        cut: Cut::End,
    },
    Column {
        title: Cow::Borrowed("Owner"),
        width: Width::Share(3),
        cell: |e, _| Cell::new(e.owner_email.as_deref().unwrap_or("—")),
        sort: Some(SortKey::Owner),
        drop: 2,
        cut: Cut::Middle,
    },
    Column {
        title: Cow::Borrowed("Created"),
        width: Width::Fixed(11),
        cell: |e, v| Cell::new(day(e.created_at, v.now, v.utc_offset_secs)),
        sort: Some(SortKey::Created),
        drop: 3,
        cut: Cut::End,
    },
];

/// The most custom fields shown as columns; further ones marked as columns are left out.
pub const MAX_FIELD_COLUMNS: usize = 4;

/// The names of the custom fields shown as columns, in the schema's order.
pub fn field_columns(fields: &[FieldRow]) -> Vec<String> {
    fields
        .iter()
        .filter(|f| f.column && !f.removed)
        .take(MAX_FIELD_COLUMNS)
        .map(|f| f.name.clone())
        .collect()
}

/// The cell of the custom field column `n`: the entry's value kept for it.
fn field_cell(e: &IndexEntry, n: usize) -> Cell<'_> {
    Cell::new(e.columns.get(n).map_or("", String::as_str))
}

/// One cell function per custom field column (a cell function names no column of its own).
const FIELD_CELLS: [for<'r> fn(&'r IndexEntry, &View) -> Cell<'r>; MAX_FIELD_COLUMNS] = [
    |e, _| field_cell(e, 0),
    |e, _| field_cell(e, 1),
    |e, _| field_cell(e, 2),
    |e, _| field_cell(e, 3),
];

/// The table's own columns followed by one per custom field named (each titled by the field,
/// the first to give way on a narrow screen, the operator may hide it).
pub fn with_fields(names: &[String]) -> Vec<Column<IndexEntry, SortKey>> {
    let mut columns = COLUMNS.to_vec();
    for (name, cell) in names.iter().zip(FIELD_CELLS) {
        columns.push(Column {
            title: Cow::Owned(name.clone()),
            width: Width::Share(2),
            cell,
            sort: None,
            drop: 4,
            cut: Cut::End,
        });
    }
    columns
}

/// The widths of the table's columns (marker, name, slug, type, status, owner, created) on a
/// terminal `width` columns wide, before any row is measured.
pub fn column_widths(width: u16) -> Vec<u16> {
    crate::tui::table::column::widths(COLUMNS, width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_columns_give_way_before_the_slug_is_cut() {
        use crate::tui::table::column::layout;
        // marker, name, slug, type, status, owner, created
        let with_slug = |width, slug| layout(COLUMNS, width, 0, |i| if i == 2 { slug } else { 0 });
        let fills = |w: &[u16], width: u16| {
            let drawn = w.iter().filter(|w| **w > 0).count() as u16;
            assert_eq!(w.iter().sum::<u16>() + drawn - 1, width, "{w:?}");
        };
        // Room for all: the slug takes what it needs, name and owner share the rest 4:3.
        let w = with_slug(120, 19);
        assert_eq!(w, vec![2, 36, 19, 10, 9, 27, 11]);
        fills(&w, 120);
        // At 80 a 19-column slug stays whole; created gives way first.
        let w = with_slug(80, 19);
        assert_eq!((w[2], w[6]), (19, 0));
        assert!(w[5] > 0, "owner stays: {w:?}");
        fills(&w, 80);
        // A longer slug: owner and type go too, before the name drops below 20; status stays.
        let w = with_slug(80, 40);
        assert_eq!((w[2], w[3], w[5], w[6]), (40, 0, 0, 0));
        assert!(w[4] > 0 && w[1] >= 20, "{w:?}");
        fills(&w, 80);
        // The longest slug (63) is cut (in the middle) only once every optional column has
        // gone, and the name keeps its 20.
        let w = with_slug(80, 63);
        assert_eq!((w[2], w[3], w[5], w[6]), (46, 0, 0, 0));
        assert_eq!(w[1], 20);
        fills(&w, 80);
    }
}
