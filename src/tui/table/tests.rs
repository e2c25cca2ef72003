//! The table view on its own: a short list of made-up rows over a [`VecSource`], and the
//! customer index behind the same view.

use std::borrow::Cow;

use std::cmp::Ordering;

use ratatui::layout::Rect;

use super::*;
use crate::tui::layout::{ListAreas, list_areas};

#[derive(Debug, Clone)]
struct Item {
    id: u64,
    name: &'static str,
    group: u8,
}

impl ListRow for Item {
    fn id(&self) -> u64 {
        self.id
    }

    fn matches(&self, needle: &str) -> bool {
        self.name.to_lowercase().contains(needle)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum By {
    Name,
    Group,
}

impl SortBy<Item> for By {
    fn compare(self, a: &Item, b: &Item) -> Ordering {
        match self {
            By::Name => a.name.cmp(b.name),
            By::Group => a.group.cmp(&b.group),
        }
    }
}

const COLUMNS: &[Column<Item, By>] = &[
    Column {
        title: Cow::Borrowed("Id"),
        width: Width::Fixed(4),
        cell: |r, _| Cell::new(r.id.to_string()),
        sort: None,
        drop: 0,
        cut: Cut::End,
    },
    Column {
        title: Cow::Borrowed("Name"),
        width: Width::Share(2),
        cell: |r, _| Cell::new(r.name),
        sort: Some(By::Name),
        drop: 0,
        cut: Cut::End,
    },
    Column {
        title: Cow::Borrowed("Group"),
        width: Width::Share(1),
        cell: |r, _| Cell::new(r.group.to_string()),
        sort: Some(By::Group),
        drop: 0,
        cut: Cut::End,
    },
];

const NAMES: [&str; 10] = [
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
];

/// 25 rows named after `NAMES` (with a round number), in groups of three by id.
fn table() -> TableView<VecSource<Item, By>> {
    let rows = (0..25u64)
        .map(|id| Item {
            id,
            name: NAMES[(id % 10) as usize],
            group: (id % 3) as u8,
        })
        .collect();
    let mut source = VecSource::default();
    source.set_rows(rows);
    TableView::new(source, COLUMNS)
}

/// A table drawn over a whole terminal of `width` x `height` below a tab bar.
fn areas(width: u16, height: u16) -> ListAreas {
    list_areas(Rect::new(0, 1, width, height.saturating_sub(3)))
}

fn ids(t: &TableView<VecSource<Item, By>>) -> Vec<u64> {
    (0..t.len())
        .filter_map(|n| t.source.get(n).map(|r| r.id))
        .collect()
}

fn typed(c: char) -> Action {
    Action::Type(ratatui_textarea::Input {
        key: ratatui_textarea::Key::Char(c),
        ..Default::default()
    })
}

fn backspace() -> Action {
    Action::Type(ratatui_textarea::Input {
        key: ratatui_textarea::Key::Backspace,
        ..Default::default()
    })
}

#[test]
fn selection_stops_at_both_edges() {
    let mut t = table();
    assert!(t.handle(&Action::SelectPrev, 10));
    assert_eq!(t.cursor, Cursor::default(), "nothing above the first row");
    t.handle(&Action::SelectLast, 10);
    assert_eq!((t.cursor.selected, t.cursor.offset), (24, 15));
    t.handle(&Action::SelectNext, 10);
    t.handle(&Action::ScrollDown, 10);
    assert_eq!(t.cursor.selected, 24, "nothing below the last row");
    t.handle(&Action::SelectFirst, 10);
    assert_eq!(t.cursor, Cursor::default());
    let mut empty = TableView::new(VecSource::<Item, By>::default(), COLUMNS);
    for action in [Action::SelectNext, Action::SelectLast, Action::PageDown] {
        empty.handle(&action, 10);
        assert_eq!(empty.cursor, Cursor::default());
        assert!(empty.selected().is_none());
    }
}

#[test]
fn paging_moves_by_the_rows_on_screen() {
    for (width, height) in [(80, 24), (120, 36)] {
        let h = usize::from(areas(width, height).body.height);
        let mut t = table();
        t.handle(&Action::PageDown, h);
        assert_eq!(t.cursor.selected, h.min(24), "{width}x{height}");
        assert_eq!(t.cursor.selected - t.cursor.offset, h.min(25) - 1);
        t.handle(&Action::PageDown, h);
        t.handle(&Action::PageDown, h);
        assert_eq!(t.cursor.selected, 24);
        t.handle(&Action::PageUp, h);
        assert_eq!(t.cursor.selected, 24_usize.saturating_sub(h));
        assert!(t.cursor.selected >= t.cursor.offset);
        assert!(t.cursor.selected < t.cursor.offset + h);
    }
}

#[test]
fn the_filter_narrows_as_typed_and_widens_on_backspace_and_esc() {
    let mut t = table();
    t.handle(&Action::SelectLast, 10);
    assert!(t.handle(&Action::StartFilter, 10));
    assert!(t.filtering);
    t.handle(&typed('e'), 10);
    let with_e = ids(&t);
    assert!(with_e.len() < 25 && !with_e.is_empty());
    assert_eq!(
        t.cursor,
        Cursor::default(),
        "a new filter starts at the top"
    );
    t.handle(&typed('c'), 10);
    t.handle(&typed('h'), 10);
    assert_eq!(ids(&t), vec![4, 14, 24], "only echo");
    t.handle(&backspace(), 10);
    t.handle(&backspace(), 10);
    assert_eq!(ids(&t), with_e, "Backspace widens again");
    assert!(t.handle(&Action::Submit, 10), "Enter keeps the filter");
    assert!(!t.filtering);
    assert_eq!(t.filter_text(), "e");
    assert!(
        !t.handle(&typed('x'), 10),
        "typing is not the table's once the filter is kept"
    );
    t.handle(&Action::ClearFilter, 10);
    assert_eq!(ids(&t).len(), 25);
    assert_eq!(t.filter_text(), "");
}

#[test]
fn sorting_is_stable_and_keeps_the_selected_row() {
    let mut t = table();
    t.handle(&Action::SelectNext, 10);
    t.handle(&Action::SelectNext, 10);
    let chosen = t.selected().map(|r| r.id);
    assert_eq!(chosen, Some(2));
    t.handle(&Action::SortNext, 10);
    assert_eq!(t.source.sorted_by(), Some((By::Name, false)));
    assert_eq!(
        t.selected().map(|r| r.id),
        chosen,
        "the selection follows its row"
    );
    t.handle(&Action::SortNext, 10);
    assert_eq!(t.source.sorted_by(), Some((By::Group, false)));
    // Equal groups keep the order the rows came in, both ways.
    assert_eq!(&ids(&t)[..9], &[0, 3, 6, 9, 12, 15, 18, 21, 24]);
    t.handle(&Action::SortReverse, 10);
    assert_eq!(t.source.sorted_by(), Some((By::Group, true)));
    assert_eq!(&ids(&t)[..8], &[2, 5, 8, 11, 14, 17, 20, 23]);
    assert_eq!(t.selected().map(|r| r.id), chosen);
    t.handle(&Action::SortNext, 10);
    assert_eq!(
        t.source.sorted_by(),
        Some((By::Name, false)),
        "the cycle wraps"
    );
}

#[test]
fn clicks_select_rows_and_sort_by_header_at_80_and_120_columns() {
    for (width, height) in [(80u16, 24u16), (120, 36)] {
        let list = areas(width, height);
        let mut t = table();
        assert!(t.click(list, 10, list.body.y + 3));
        assert_eq!(t.cursor.selected, 3, "{width}");
        assert!(
            !t.click(list, 10, list.body.y + list.body.height),
            "below the table"
        );
        let w = column::widths(COLUMNS, width);
        assert_eq!(
            w.iter().sum::<u16>() + 2 * COLUMN_GAP,
            width,
            "the row fills the width"
        );
        assert_eq!(w[1], (width - 4 - 2) * 2 / 3);
        let group_x = 4 + COLUMN_GAP + w[1] + COLUMN_GAP;
        assert!(
            !t.click(list, 1, list.header.y),
            "the Id column does not sort"
        );
        assert!(t.click(list, group_x, list.header.y));
        assert_eq!(t.source.sorted_by(), Some((By::Group, false)));
        assert!(t.click(list, group_x + 1, list.header.y));
        assert_eq!(
            t.source.sorted_by(),
            Some((By::Group, true)),
            "again reverses"
        );
        assert!(
            t.click(list, group_x - 1, list.header.y),
            "a gap is its left column's"
        );
        assert_eq!(t.source.sorted_by(), Some((By::Name, false)));
        // A click lands on the row drawn there after scrolling too.
        t.handle(&Action::SelectLast, usize::from(list.body.height));
        let offset = t.cursor.offset;
        t.click(list, 10, list.body.y);
        assert_eq!(t.cursor.selected, offset);
    }
}

fn customer(id: u64, slug: &str) -> crate::service::CustomerRow {
    use crate::domain::Timestamp;
    crate::service::CustomerRow {
        id,
        slug: slug.into(),
        name: slug.to_uppercase(),
        kind: crate::domain::CustomerKind::Corporate,
        status: crate::domain::CustomerStatus::Active,
        language: "en".into(),
        owner_email: None,
        owner_name: None,
        owner_first_name: None,
        owner_last_name: None,
        contact_email: None,
        contact_phone: None,
        postal_address: None,
        website: None,
        is_provider: false,
        independent: false,
        created_at: Timestamp(0),
        updated_at: Timestamp(0),
        deleted_at: None,
        deleted_by: None,
        purge_at: None,
        fields: Default::default(),
        allowed: Default::default(),
    }
}

#[test]
fn the_customer_index_serves_the_same_view() {
    use crate::service::{CustomerIndex, IndexEntry, SortKey};
    let slugs: Vec<String> = (0..40)
        .map(|i| format!("{}-{i:02}", NAMES[i % 10]))
        .collect();
    let mut index = CustomerIndex::new();
    index.extend(
        slugs
            .iter()
            .enumerate()
            .map(|(i, s)| IndexEntry::from_row(&customer(i as u64 + 2, s), &[])),
    );
    let columns: &'static [Column<IndexEntry, SortKey>] = &[];
    let mut t = TableView::new(index, columns);
    assert_eq!(t.len(), 40);
    t.handle(&Action::StartFilter, 10);
    for c in "echo".chars() {
        t.handle(&typed(c), 10);
    }
    assert_eq!(t.len(), 4, "echo-04, -14, -24, -34");
    t.handle(&typed('-'), 10);
    t.handle(&typed('1'), 10);
    assert_eq!(t.selected().map(|e| e.slug.as_str()), Some("echo-14"));
    t.handle(&backspace(), 10);
    assert_eq!(t.len(), 4);
    t.handle(&Action::Cancel, 10);
    assert_eq!(t.len(), 40);
    t.sort(SortKey::Slug, true, 10);
    assert_eq!(t.source.get(0).map(|e| e.slug.as_str()), Some("juliet-39"));
    assert_eq!(
        t.selected().map(|e| e.slug.as_str()),
        Some("alpha-00"),
        "the selection follows its row to the end"
    );
    assert_eq!(t.cursor.selected, 39);
}
