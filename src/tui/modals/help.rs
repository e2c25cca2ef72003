//! The help popup's content and bounds: the lines it shows for a context (its own bindings,
//! then the global ones where they apply), the box it is drawn in, and how far it can scroll.
//! Drawing and scrolling both ask here, so the popup stops at its last line and says when
//! more is below (D65's sizes included).
//!
//! Plain data from the keymap; no drawing, no state beyond the scroll offset the modal keeps.

use ratatui::layout::Rect;

use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::layout;

/// One line of the help: a heading, a blank line, or a binding's keys and description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    Heading(&'static str),
    Blank,
    Binding { keys: String, what: &'static str },
}

/// Every line the help shows for `context`; `offered` says whether an action is available to
/// this session here (the help follows the role, D69), and `words` may word a binding for the
/// view it is in (a number key names the tab it goes to there).
pub fn lines(
    keymap: &Keymap,
    context: Context,
    offered: &dyn Fn(&Action) -> bool,
    words: &dyn Fn(&Action, &'static str) -> &'static str,
) -> Vec<HelpLine> {
    let mut out = vec![HelpLine::Heading(context.title())];
    let add = |ctx: Context, out: &mut Vec<HelpLine>| {
        for b in keymap.bindings(ctx).iter().filter(|b| offered(&b.action)) {
            out.push(HelpLine::Binding {
                keys: b.keys_label(),
                what: words(&b.action, b.description),
            });
        }
    };
    add(context, &mut out);
    if context.inherits_global() {
        out.push(HelpLine::Blank);
        out.push(HelpLine::Heading(Context::Global.title()));
        add(Context::Global, &mut out);
    }
    out
}

/// The help's box in the content area `area` (the app's own: below the impersonation bar
/// while there is one), for `count` lines.
pub fn help_box(area: Rect, count: usize) -> Rect {
    // Wide enough at 120 columns for the longest line of any help; 72 at 80.
    let w = area.width.saturating_sub(8).min(100);
    let h = (count as u16).saturating_add(2).min(area.height);
    layout::centered(area, w, h)
}

/// Lines of content visible at once: the box's inside, less the position line it keeps when
/// not everything fits.
pub fn page(area: Rect, count: usize) -> usize {
    let inner = usize::from(help_box(area, count).height.saturating_sub(2));
    if count > inner {
        inner.saturating_sub(1).max(1)
    } else {
        inner
    }
}

/// The largest scroll offset: the last line at the bottom, never past it.
pub fn max_scroll(area: Rect, count: usize) -> usize {
    count.saturating_sub(page(area, count))
}

/// Moves `scroll` for a help key; returns false for an action that is not a scroll.
pub fn scroll(scroll: &mut u16, action: &Action, page: usize, max: usize) -> bool {
    let now = usize::from(*scroll);
    let next = match action {
        Action::SelectNext | Action::ScrollDown => now + 1,
        Action::SelectPrev | Action::ScrollUp => now.saturating_sub(1),
        Action::PageDown => now + page.max(1),
        Action::PageUp => now.saturating_sub(page.max(1)),
        Action::SelectFirst => 0,
        Action::SelectLast => max,
        _ => return false,
    };
    *scroll = u16::try_from(next.min(max)).unwrap_or(u16::MAX);
    true
}

/// The position line under the visible lines, e.g. `lines 1–12 of 30 · more below (PgDn)`.
pub fn position(scroll: usize, page: usize, count: usize) -> String {
    let last = (scroll + page).min(count);
    let more = if last < count {
        "more below (j/PgDn/G)"
    } else {
        "end (k/PgUp/g)"
    };
    format!("lines {}–{last} of {count} · {more}", scroll + 1)
}
