//! The built-in key bindings, per context: keys, action, description, and whether the
//! one-line hint shows it, and the Markdown reference written from them. Edit here to change
//! a default; `docs/keys.md` follows (a test checks it).

use super::action::{Action, action_name};
use super::keymap::{Context, Keymap};

pub(super) type Row = (&'static [&'static str], Action, &'static str, bool);

pub fn defaults(context: Context) -> Vec<Row> {
    match context {
        Context::Global => vec![
            (&["?"], Action::Help, "help (every key here)", true),
            (&["q", "ctrl-c"], Action::Quit, "quit", true),
            (&["tab"], Action::NextTab, "next tab", false),
            (&["shift-tab"], Action::PrevTab, "previous tab", false),
            (&["1"], Action::GoTab(0), "Customers tab", false),
            (&["2"], Action::GoTab(1), "Users tab", false),
            (&["3"], Action::GoTab(2), "Invitations tab", false),
            (&["4"], Action::GoTab(3), "Trash tab", false),
            (&["5"], Action::GoTab(4), "Logs tab", false),
            (&["6"], Action::GoTab(5), "Dashboard tab", false),
            (
                &["L"],
                Action::Lock,
                "lock (back to sign-in; closes the database)",
                false,
            ),
            (
                &["M"],
                Action::Messages,
                "messages (every message of the session, in full)",
                false,
            ),
            (
                &["ctrl-b"],
                Action::BackToStaff,
                "back to the staff view (ends an impersonation; works in every dialog)",
                false,
            ),
        ],
        Context::Customers => {
            let mut rows = navigation();
            rows.extend([
                (&["/"][..], Action::StartFilter, "filter", true),
                (&["esc"][..], Action::ClearFilter, "clear the filter", false),
                (&["a"][..], Action::AddCustomer, "add", true),
                (&["e"][..], Action::EditCustomer, "edit", true),
                (
                    &["d", "delete"][..],
                    Action::DeleteCustomer,
                    "delete (to the trash, asks to confirm)",
                    true,
                ),
                (
                    &["s"][..],
                    Action::ToggleStatus,
                    "suspend or activate (asks to confirm)",
                    true,
                ),
                (
                    &["c"][..],
                    Action::ChangeSlug,
                    "change slug (asks to confirm)",
                    false,
                ),
                (&["enter"][..], Action::OpenDetail, "details", true),
                (
                    &["I"][..],
                    Action::Impersonate,
                    "impersonate (see its own view; asks for a reason)",
                    false,
                ),
                (
                    &["C"][..],
                    Action::CopyCustomer,
                    "copy (a new customer with its services, plan and groups)",
                    false,
                ),
                (
                    &["N"][..],
                    Action::MakeIndependent,
                    "make it an independent organisation (asks for its slug)",
                    false,
                ),
                (
                    &["i"][..],
                    Action::ImportCustomers,
                    "import (from a CSV file, with a preview first)",
                    true,
                ),
                (
                    &["o"][..],
                    Action::SortNext,
                    "sort (by the next column)",
                    true,
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
        Context::Detail => vec![
            (
                &["esc", "backspace"],
                Action::Back,
                "back to the table",
                true,
            ),
            (&["j", "down"], Action::SelectNext, "scroll down", false),
            (&["k", "up"], Action::SelectPrev, "scroll up", false),
            (&["pgdn"], Action::PageDown, "scroll a page down", false),
            (&["pgup"], Action::PageUp, "scroll a page up", false),
            (&["g", "home"], Action::SelectFirst, "top", false),
            (&["G", "end"], Action::SelectLast, "bottom", false),
            (&["e"], Action::EditCustomer, "edit", true),
            (&["c"], Action::ChangeSlug, "change slug", false),
            (
                &["s"],
                Action::ToggleStatus,
                "suspend or activate (asks to confirm)",
                true,
            ),
            (
                &["d", "delete"],
                Action::DeleteCustomer,
                "delete (to the trash, asks to confirm)",
                true,
            ),
            (
                &["u"],
                Action::CustomerUsers,
                "its users (the Users tab, this customer only)",
                true,
            ),
            (
                &["n"],
                Action::CustomerInvitations,
                "its invitations (the Invitations tab, this customer only)",
                false,
            ),
            (
                &["I"],
                Action::Impersonate,
                "impersonate (see its own view; asks for a reason)",
                false,
            ),
            (
                &["v"],
                Action::CustomerServices,
                "its services (on, off, or the catalogue's default)",
                false,
            ),
            (
                &["m"],
                Action::CustomerGroups,
                "its user groups (add, remove, members)",
                true,
            ),
            (
                &["C"],
                Action::CopyCustomer,
                "copy (a new customer with its services, plan and groups)",
                false,
            ),
            (
                &["N"],
                Action::MakeIndependent,
                "make it an independent organisation (asks for its slug)",
                false,
            ),
        ],
        Context::Trash => {
            let mut rows = navigation();
            rows.extend([
                (
                    &["r"][..],
                    Action::RestoreCustomer,
                    "restore (asks to confirm)",
                    true,
                ),
                (
                    &["D"][..],
                    Action::PurgeCustomer,
                    "delete permanently (type the slug to confirm)",
                    true,
                ),
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
        Context::Users => super::tabs::users::keys(),
        Context::UserDetail => super::tabs::users::detail_keys(),
        Context::Welcome => super::tabs::users::welcome_keys(),
        Context::Invitations => super::tabs::invitations::keys(),
        Context::Dashboard => super::tabs::dashboard::keys(),
        Context::Logs => vec![
            (
                &["enter"],
                Action::OpenDetail,
                "the whole event (hashes too)",
                true,
            ),
            (
                &["/"],
                Action::SearchLog,
                "search every event for a text (in the background; Esc stops)",
                true,
            ),
            (
                &["c"],
                Action::LogByCustomer,
                "only this event's customer",
                true,
            ),
            (&["a"], Action::LogByActor, "only this event's actor", true),
            (
                &["t"],
                Action::LogByAction,
                "only this kind of action",
                false,
            ),
            (
                &["esc", "x"],
                Action::ClearFilter,
                "stop the search, or clear it and the filter",
                true,
            ),
            (&["F"], Action::ToggleFollow, "follow new events", true),
            (
                &["f"],
                Action::FilterLog,
                "filter by customer, actor, action and time (a form)",
                true,
            ),
            (
                &["E"],
                Action::ExportLog,
                "export what the filter shows (to a file, with its chain head)",
                false,
            ),
            (&["j", "down"], Action::SelectNext, "next event", false),
            (&["k", "up"], Action::SelectPrev, "previous event", false),
            (&["pgdn", "ctrl-d"], Action::PageDown, "page down", false),
            (&["pgup", "ctrl-u"], Action::PageUp, "page up", false),
            (&["g", "home"], Action::SelectFirst, "newest", false),
            (
                &["G", "end"],
                Action::SelectLast,
                "oldest loaded (reads on)",
                false,
            ),
        ],
        Context::Overview => vec![
            (
                &["e"],
                Action::EditContact,
                "edit the contact details",
                true,
            ),
            (
                &["C"],
                Action::SwitchCustomer,
                "switch to another of your customers",
                true,
            ),
            (
                &["H"],
                Action::HandBack,
                "hand management back to the provider (an independent organisation; asks first)",
                false,
            ),
            (&["j", "down"], Action::SelectNext, "scroll down", false),
            (&["k", "up"], Action::SelectPrev, "scroll up", false),
            (&["g", "home"], Action::SelectFirst, "top", false),
        ],
        Context::CustomerLog => vec![
            (&["enter"], Action::OpenDetail, "the whole event", true),
            (&["j", "down"], Action::SelectNext, "next event", false),
            (&["k", "up"], Action::SelectPrev, "previous event", false),
            (&["pgdn", "ctrl-d"], Action::PageDown, "page down", false),
            (&["pgup", "ctrl-u"], Action::PageUp, "page up", false),
            (&["g", "home"], Action::SelectFirst, "newest", false),
            (&["G", "end"], Action::SelectLast, "oldest shown", false),
        ],
        Context::MySettings => vec![
            (
                &["n"],
                Action::ToggleNotifications,
                "notifications on or off",
                true,
            ),
            (
                &["p"],
                Action::ChangeOwnPassword,
                "change your password",
                true,
            ),
            (
                &["C"],
                Action::SwitchCustomer,
                "switch to another of your customers",
                true,
            ),
        ],
        Context::Filter => vec![
            (&["enter"], Action::Submit, "keep the filter", true),
            (&["esc"], Action::Cancel, "clear the filter", true),
            (&["down"], Action::SelectNext, "next row", false),
            (&["up"], Action::SelectPrev, "previous row", false),
            (&["ctrl-c"], Action::Quit, "quit", false),
        ],
        Context::Form => vec![
            (&["tab", "down"], Action::NextField, "next field", true),
            (
                &["shift-tab", "up"],
                Action::PrevField,
                "previous field",
                true,
            ),
            (&["enter"], Action::Submit, "save", true),
            (&["esc"], Action::Cancel, "cancel", true),
            (
                &["space"],
                Action::ToggleChoice,
                "change a choice (on a choice field; so do ←/→, and letters never do)",
                false,
            ),
            (&["ctrl-c"], Action::Quit, "quit (asks first)", false),
        ],
        Context::Entry => vec![
            (&["tab", "down"], Action::NextField, "next field", true),
            // Left out of the hint line so the sign-in screen's other forms fit at 80 columns.
            (
                &["shift-tab", "up"],
                Action::PrevField,
                "previous field",
                false,
            ),
            (&["enter"], Action::Submit, "submit", true),
            (
                &["f2"],
                Action::AcceptInvitationForm,
                "invitation (I have one: its code and a new password)",
                true,
            ),
            (
                &["f3"],
                Action::ForgotPassword,
                "forgot password (a reset message to the email, if it has an account)",
                true,
            ),
            (
                &["f4"],
                Action::ResetCodeForm,
                "reset code (I have one: it and a new password)",
                false,
            ),
            (&["esc"], Action::Cancel, "back to sign-in", false),
            (&["ctrl-c"], Action::Quit, "quit", true),
        ],
        Context::Confirm => vec![
            (
                &["y"],
                Action::ConfirmYes,
                "yes (what the dialog asks)",
                true,
            ),
            (
                &["n", "esc", "enter"],
                Action::ConfirmNo,
                "no (the default: nothing changes)",
                true,
            ),
            (&["ctrl-c"], Action::Quit, "quit", false),
        ],
        Context::ConfirmTyped => vec![
            (
                &["enter"],
                Action::ConfirmYes,
                "confirm (when the slug matches)",
                true,
            ),
            (&["esc"], Action::ConfirmNo, "cancel", true),
            (&["ctrl-c"], Action::Quit, "quit", false),
        ],
        Context::Message => vec![
            (&["enter", "esc"], Action::ConfirmNo, "close", true),
            (&["ctrl-c"], Action::Quit, "quit", false),
        ],
        Context::Help => vec![
            (&["esc", "?", "q"], Action::Back, "close", true),
            (&["j", "down"], Action::SelectNext, "scroll down", true),
            (&["k", "up"], Action::SelectPrev, "scroll up", true),
            (
                &["pgdn", "ctrl-d", "space"],
                Action::PageDown,
                "page down",
                true,
            ),
            (&["pgup", "ctrl-u"], Action::PageUp, "page up", false),
            (&["g", "home"], Action::SelectFirst, "top", false),
            (&["G", "end"], Action::SelectLast, "bottom", false),
            (&["ctrl-c"], Action::Quit, "quit", false),
        ],
        Context::Messages => vec![
            (&["esc", "M", "q"], Action::Back, "close", true),
            (
                &["j", "down"],
                Action::SelectNext,
                "scroll down (older)",
                true,
            ),
            (&["k", "up"], Action::SelectPrev, "scroll up (newer)", true),
            (&["pgdn"], Action::PageDown, "page down", false),
            (&["pgup"], Action::PageUp, "page up", false),
            (&["g", "home"], Action::SelectFirst, "newest", false),
            (&["ctrl-c"], Action::Quit, "quit", false),
        ],
        Context::InUse => vec![
            (&["r", "enter"], Action::RetryOpen, "try again", true),
            (&["q", "ctrl-c", "esc"], Action::Quit, "quit", true),
        ],
        Context::ImportPath => vec![
            (
                &["enter"],
                Action::Submit,
                "check the file (a dry run: nothing is written)",
                true,
            ),
            (&["esc"], Action::Cancel, "close", true),
            (&["ctrl-c"], Action::Quit, "quit", false),
        ],
        Context::ImportPreview => {
            let mut rows = scrolling();
            rows.extend([
                (
                    &["enter"][..],
                    Action::Submit,
                    "import (asks to confirm)",
                    true,
                ),
                (
                    &["s"][..],
                    Action::SaveReport,
                    "save the report (every row with an error, in full) to a file",
                    true,
                ),
                (&["esc"][..], Action::Back, "back to the path", true),
                (&["ctrl-c"][..], Action::Quit, "quit", false),
            ]);
            rows
        }
        Context::ImportRunning => vec![
            (
                &["esc"],
                Action::Cancel,
                "stop after the current row or batch (written batches stay; importing the same file again resumes)",
                true,
            ),
            (
                &["ctrl-c"],
                Action::Quit,
                "quit (asks first; the import stops after the batch being written)",
                false,
            ),
        ],
        Context::ImportDone => {
            let mut rows = scrolling();
            rows.extend([
                (
                    &["s"][..],
                    Action::SaveReport,
                    "save the summary (and the rows with errors) to a file",
                    true,
                ),
                (&["esc", "enter"][..], Action::Back, "close", true),
                (&["ctrl-c"][..], Action::Quit, "quit", false),
            ]);
            rows
        }
    }
}

/// Scrolling a report's rows.
fn scrolling() -> Vec<Row> {
    vec![
        (&["j", "down"], Action::SelectNext, "scroll down", true),
        (&["k", "up"], Action::SelectPrev, "scroll up", false),
        (&["pgdn", "ctrl-d"], Action::PageDown, "page down", false),
        (&["pgup", "ctrl-u"], Action::PageUp, "page up", false),
        (&["g", "home"], Action::SelectFirst, "first row", false),
        (&["G", "end"], Action::SelectLast, "last row", false),
    ]
}

pub(super) fn navigation() -> Vec<Row> {
    vec![
        (&["j", "down"], Action::SelectNext, "next row", false),
        (&["k", "up"], Action::SelectPrev, "previous row", false),
        (&["pgdn", "ctrl-d"], Action::PageDown, "page down", false),
        (&["pgup", "ctrl-u"], Action::PageUp, "page up", false),
        (&["g", "home"], Action::SelectFirst, "first row", false),
        (&["G", "end"], Action::SelectLast, "last row", false),
    ]
}

/// The key reference as Markdown: what `docs/keys.md` holds.
pub fn markdown(keymap: &Keymap) -> String {
    let mut out = String::from(
        "# Keys\n\nGenerated from the console's keymap (`tenantry::tui::keymap`); a test checks that \
         this file matches it. Override any binding in the config file (see \
         `configuration.md`) with the context and action names given here.\n",
    );
    for context in Context::ALL {
        out.push_str(&format!(
            "\n## {} (`{}`)\n\n| Keys | Action | What it does |\n| --- | --- | --- |\n",
            context.title(),
            context.name()
        ));
        for binding in keymap.bindings(context) {
            let keys = binding
                .keys
                .iter()
                .map(|k| format!("`{}`", k.to_string().replace('|', "\\|")))
                .collect::<Vec<_>>()
                .join(" ");
            out.push_str(&format!(
                "| {keys} | `{}` | {} |\n",
                action_name(&binding.action).unwrap_or("?"),
                binding.description
            ));
        }
    }
    out
}
