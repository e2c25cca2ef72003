//! The Users tab's default keys: its table, the detail view and the welcome preview. The
//! keymap (`keymap_defaults.rs`) takes them from here; `docs/keys.md` is written from both.

use crate::tui::action::Action;
use crate::tui::keymap_defaults::{Row, navigation};

/// Scrolling a view that is not a table.
pub(crate) fn scrolling() -> Vec<Row> {
    vec![
        (&["j", "down"], Action::SelectNext, "scroll down", false),
        (&["k", "up"], Action::SelectPrev, "scroll up", false),
        (
            &["pgdn", "ctrl-d"],
            Action::PageDown,
            "scroll a page down",
            false,
        ),
        (
            &["pgup", "ctrl-u"],
            Action::PageUp,
            "scroll a page up",
            false,
        ),
        (&["g", "home"], Action::SelectFirst, "top", false),
        (&["G", "end"], Action::SelectLast, "bottom", false),
    ]
}

/// The changes to the user shown or selected, as both the table and the detail offer them.
fn changes() -> Vec<Row> {
    vec![
        (
            &["e"],
            Action::EditUser,
            "edit (names, language, notifications, role)",
            true,
        ),
        (
            &["s"],
            Action::ToggleUser,
            "disable or enable (asks to confirm)",
            true,
        ),
        (
            &["d", "delete"],
            Action::DeleteUser,
            "delete (asks to confirm)",
            false,
        ),
        (
            &["w"],
            Action::PreviewWelcome,
            "welcome message (a preview; written only when asked)",
            true,
        ),
        (
            &["r"],
            Action::SendReset,
            "send a password reset (asks to confirm)",
            true,
        ),
    ]
}

pub fn keys() -> Vec<Row> {
    let mut rows = navigation();
    rows.extend([
        (
            &["/"][..],
            Action::StartFilter,
            "filter (name or email)",
            true,
        ),
        (&["esc"][..], Action::ClearFilter, "clear the filter", false),
        (
            &["f"][..],
            Action::CycleStatus,
            "status shown (invited, active, disabled, all)",
            false,
        ),
        (&["a"][..], Action::AddUser, "add (to a customer)", true),
        (&["enter"][..], Action::OpenDetail, "details", true),
    ]);
    rows.extend(changes());
    rows.extend([
        (
            &["o"][..],
            Action::SortNext,
            "sort (by the next column)",
            false,
        ),
        (&["O"][..], Action::SortReverse, "reverse the sort", false),
        (
            &["-"][..],
            Action::HideColumn,
            "hide a column (the next that gives way; remembered)",
            false,
        ),
        (
            &["+"][..],
            Action::ShowColumn,
            "show the hidden column again (remembered)",
            false,
        ),
    ]);
    rows
}

pub fn detail_keys() -> Vec<Row> {
    let mut rows = vec![(
        &["esc", "backspace"][..],
        Action::Back,
        "back to the table",
        true,
    )];
    rows.extend(scrolling());
    rows.extend(changes());
    rows
}

pub fn welcome_keys() -> Vec<Row> {
    let mut rows = vec![
        (
            &["esc", "backspace"][..],
            Action::Back,
            "back (writes nothing)",
            true,
        ),
        (
            &["W"][..],
            Action::WriteWelcome,
            "write it to the outbox (asks to confirm)",
            true,
        ),
    ];
    rows.extend(scrolling());
    rows
}
