//! Where things are on screen, as pure functions of the terminal size: the drawing code and
//! the mouse handling both ask here, so a click lands on what was drawn there.

use ratatui::layout::Rect;

use super::tabs::Tab;

/// The terminal the console's full layout is made for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// The smallest terminal the console draws in at all (D65). Between this and 80x24 it draws
/// the same screens in less room: every form (the add form's nine fields, the borders and the
/// slug line), dialog, the help (which scrolls) and the import modal still fit whole, the
/// table's columns adapt to the width and the hint line shows what fits. Below it only the
/// "too small" screen is drawn, and keys other than quit do nothing there.
pub const FLOOR_WIDTH: u16 = 60;
pub const FLOOR_HEIGHT: u16 = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub tabs: Rect,
    pub content: Rect,
    pub status: Rect,
    pub hints: Rect,
}

/// True when nothing but the "too small" screen can be drawn: then no key but quit acts.
pub fn is_too_small(width: u16, height: u16) -> bool {
    width < FLOOR_WIDTH || height < FLOOR_HEIGHT
}

pub fn areas(width: u16, height: u16) -> Areas {
    areas_below(width, height, 0)
}

/// The areas below `top` rows kept for the impersonation bar: the tab bar, the content, the
/// status and hint lines move down, the content is that much shorter.
pub fn areas_below(width: u16, height: u16, top: u16) -> Areas {
    let row = |y: u16| Rect::new(0, y, width, 1);
    Areas {
        tabs: row(top),
        content: Rect::new(0, top + 1, width, height.saturating_sub(3 + top)),
        status: row(height.saturating_sub(2)),
        hints: row(height.saturating_sub(1)),
    }
}

/// A list in the content area: a title line, a header line, then the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListAreas {
    pub title: Rect,
    pub header: Rect,
    pub body: Rect,
}

pub fn list_areas(content: Rect) -> ListAreas {
    ListAreas {
        title: Rect::new(content.x, content.y, content.width, 1),
        header: Rect::new(content.x, content.y + 1, content.width, 1),
        body: Rect::new(
            content.x,
            content.y + 2,
            content.width,
            content.height.saturating_sub(2),
        ),
    }
}

/// Rows a list shows at this terminal size.
pub fn list_height(width: u16, height: u16) -> usize {
    usize::from(list_areas(areas(width, height).content).body.height)
}

/// The tab labels' spans on the tab bar of `tabs`: (tab, first column, width).
pub fn tab_spans(tabs: &[Tab]) -> Vec<(Tab, u16, u16)> {
    let mut x = 0;
    tabs.iter()
        .map(|&tab| {
            let width = tab.title().len() as u16 + 4;
            let span = (tab, x, width);
            x += width;
            span
        })
        .collect()
}

/// A centred box of at most `width` x `height` inside `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Lines of the import modal above its table (file, totals, note, column header).
pub const IMPORT_HEAD_LINES: u16 = 4;

/// The import modal's box for the preview, progress and summary: the whole content area.
pub fn import_box(width: u16, height: u16) -> Rect {
    areas(width, height).content
}

/// Lines below the import table for the selected row's problems in full, wrapped.
pub const IMPORT_REASON_LINES: u16 = 3;

/// Rows the import preview's table shows at this terminal size (below it: the selected row's
/// problems and the position line).
pub fn import_rows_height(width: u16, height: u16) -> usize {
    let inner = import_box(width, height).height.saturating_sub(2);
    usize::from(inner.saturating_sub(IMPORT_HEAD_LINES + IMPORT_REASON_LINES + 1))
}
