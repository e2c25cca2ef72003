//! The Customers table's columns as data (title, width rule, cell, sort key) and the
//! compact customer index as the table's row source: the index filters and sorts itself, so
//! the table view adds nothing per keystroke.

use ratatui::style::Style;

use crate::domain::CustomerStatus;
use crate::service::{CustomerIndex, IndexEntry, SortKey};
use crate::tui::render::text::day;
use crate::tui::table::{Cell, Column, Cut, RowSource, Width};

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
        title: "",
        width: Width::Fixed(2),
        cell: |e, _| Cell::new(if e.is_provider { "★" } else { "" }),
        sort: None,
        drop: 0,
        cut: Cut::End,
    },
    Column {
        title: "Name",
        width: Width::Share(4),
        cell: |e, _| Cell::new(e.name.as_str()),
        sort: Some(SortKey::Name),
        drop: 0,
        cut: Cut::Middle,
    },
    Column {
        title: "Slug",
        width: Width::Whole(3),
        cell: |e, _| Cell::new(e.slug.as_str()),
        sort: Some(SortKey::Slug),
        drop: 0,
        cut: Cut::Middle,
    },
    Column {
        title: "Type",
        width: Width::Fixed(10),
        cell: |e, _| Cell::new(e.kind.as_str()),
        sort: Some(SortKey::Kind),
        drop: 1,
        cut: Cut::End,
    },
    Column {
        title: "Status",
        width: Width::Fixed(9),
        cell: |e, v| {
            let style = match e.status {
                CustomerStatus::Suspended => v.theme.warn(),
                CustomerStatus::Active => Style::default(),
            };
            Cell::new(e.status.as_str()).styled(style)
        },
        sort: Some(SortKey::Status),
        drop: 0,
        cut: Cut::End,
    },
    Column {
        title: "Owner",
        width: Width::Share(3),
        cell: |e, _| Cell::new(e.owner_email.as_deref().unwrap_or("—")),
        sort: Some(SortKey::Owner),
        drop: 2,
        cut: Cut::Middle,
    },
    Column {
        title: "Created",
        width: Width::Fixed(11),
        cell: |e, v| Cell::new(day(e.created_at, v.now, v.utc_offset_secs)),
        sort: Some(SortKey::Created),
        drop: 3,
        cut: Cut::End,
    },
];

/// The widths of the table's columns (marker, name, slug, type, status, owner, created) on a
/// terminal `width` columns wide, before any row is measured.
pub fn column_widths(width: u16) -> Vec<u16> {
    crate::tui::table::column::widths(COLUMNS, width)
}
