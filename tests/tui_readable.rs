//! Readable at 80 columns: the table's columns adapt to the width (snapshots at 80 and 120),
//! cut cells keep the end that tells rows apart, dates take one form per column with the zone
//! named once, the title shows the position, names sort naturally, the filter edits like a
//! form field, messages are never lost (status line, log, clearing), and the detail view and
//! hints follow an action. Column hiding: `tui_readable_columns.rs`; the import preview:
//! `tui_readable_import.rs`.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;
#[path = "readable/harness.rs"]
mod harness;

use harness::signed_in;
use tenantry::service::{CustomerCommand, SortKey};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 36)];

/// The lines of the table body (below the tab bar, title and header; above the status and
/// hint lines).
fn body(screen: &str) -> Vec<String> {
    let lines: Vec<&str> = screen.lines().collect();
    let end = lines.len().saturating_sub(2);
    lines
        .get(3..end)
        .unwrap_or_default()
        .iter()
        .map(|l| (*l).to_owned())
        .collect()
}

#[test]
fn columns_adapt_to_the_width_at_80_and_120() {
    for (w, h) in SIZES {
        let mut c = signed_in(w, h);
        c.service
            .execute(
                &c.session,
                CustomerCommand::SoftDelete {
                    slug: "acme-corp".into(),
                },
            )
            .unwrap();
        let screen = c.screen();
        insta::assert_snapshot!(format!("customers_{w}"), screen);
        // Every slug is shown whole at both widths.
        for slug in c.shown_slugs() {
            assert!(screen.contains(&slug), "{w}: {slug} cut:\n{screen}");
        }
        let header = screen.lines().nth(2).unwrap();
        if w == 80 {
            // The optional columns gave way to the slug, created first.
            assert!(!header.contains("Created"), "{header}");
        } else {
            for title in ["Name", "Slug", "Type", "Status", "Owner", "Created"] {
                assert!(header.contains(title), "{title} missing: {header}");
            }
        }
        c.press("4");
        let screen = c.screen();
        insta::assert_snapshot!(format!("trash_{w}"), screen);
        assert!(screen.contains("acme-corp"), "{screen}");
    }
}

#[test]
fn rows_that_differ_only_at_their_end_stay_distinguishable() {
    for (w, h) in SIZES {
        let c = signed_in(w, h);
        let screen = c.screen();
        let rows: Vec<String> = body(&screen)
            .into_iter()
            .filter(|l| l.contains("Wonka Conf"))
            .collect();
        assert_eq!(rows.len(), 2, "{screen}");
        // Compare the name cells: what comes before the slug.
        let name = |l: &str| {
            let end = l.find(" wonka-").unwrap_or(l.len());
            l.get(3..end).unwrap_or("").to_owned()
        };
        assert_ne!(name(&rows[0]), name(&rows[1]), "{w}:\n{screen}");
        assert!(rows.iter().any(|r| name(r).contains("276")), "{screen}");
        assert!(
            rows.iter().any(|r| name(r).trim_end().ends_with("76")),
            "{screen}"
        );
    }
}

#[test]
fn names_sort_naturally() {
    let mut c = signed_in(120, 36);
    // The sort key cycles slug → type → status → owner → created → name.
    c.press("o o o o o");
    assert_eq!(c.app.tabs.customers.index().sort(), (SortKey::Name, false));
    let wonka: Vec<String> = c
        .shown_slugs()
        .into_iter()
        .filter(|s| s.starts_with("wonka-labs"))
        .collect();
    assert_eq!(wonka, ["wonka-labs-7", "wonka-labs-76", "wonka-labs-276"]);
    c.press("O");
    let wonka: Vec<String> = c
        .shown_slugs()
        .into_iter()
        .filter(|s| s.starts_with("wonka-labs"))
        .collect();
    assert_eq!(wonka, ["wonka-labs-276", "wonka-labs-76", "wonka-labs-7"]);
}

#[test]
fn dates_take_one_form_per_column_with_the_zone_named_once() {
    let mut opts = harness::options();
    opts.utc_offset_secs = 3600;
    let c = harness::signed_in_with(120, 36, opts);
    let screen = c.screen();
    let title = screen.lines().nth(1).unwrap();
    assert!(title.contains("dates UTC+01:00"), "{title}");
    let header = screen.lines().nth(2).unwrap();
    assert!(header.ends_with("Created"), "{header}");
    // The created column is the last 11 columns of each row.
    let cells: Vec<String> = body(&screen)
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let tail: Vec<char> = l.chars().rev().take(11).collect();
            tail.into_iter().rev().collect::<String>().trim().to_owned()
        })
        .collect();
    assert_eq!(cells.len(), 9, "{screen}");
    for cell in &cells {
        let today = cell.starts_with("today ") && cell.len() == "today 14:22".len();
        let date = cell.len() == 10 && cell.chars().filter(|c| *c == '-').count() == 2;
        assert!(today ^ date, "{cell:?} is neither a date nor today's time");
    }
    // Fresh Start was created two hours ago: 11:22 UTC is 12:22 in UTC+01:00.
    assert!(cells.iter().any(|c| c == "today 12:22"), "{cells:?}");
    assert!(
        !screen.contains(" ago"),
        "no relative times in a table:\n{screen}"
    );
}

#[test]
fn the_title_shows_the_position() {
    let mut c = signed_in(80, 24);
    let title = |c: &harness::Harness| c.screen().lines().nth(1).unwrap().to_owned();
    assert!(title(&c).ends_with("row 1 of 9"), "{}", title(&c));
    c.press("j j");
    assert!(title(&c).ends_with("row 3 of 9"), "{}", title(&c));
    c.press("/");
    c.type_text("wonka-labs");
    assert!(title(&c).ends_with("row 1 of 3"), "{}", title(&c));
    c.press("esc 4");
    assert!(title(&c).ends_with("no rows"), "{}", title(&c));
}

#[test]
fn the_filter_line_edits_like_a_form_field() {
    let mut c = signed_in(80, 24);
    let filter = |c: &harness::Harness| c.app.tabs.customers.table.filter_text();
    c.press("/");
    c.type_text("wonka labs");
    assert_eq!(c.app.tabs.customers.len(), 3);
    c.press("ctrl-w");
    assert_eq!(filter(&c), "wonka ");
    assert_eq!(c.app.tabs.customers.len(), 5, "the filter follows the edit");
    c.press("home");
    c.type_text("x");
    assert_eq!(filter(&c), "xwonka ");
    c.press("backspace end left backspace");
    assert_eq!(filter(&c), "wonk ");
    c.press("ctrl-u");
    assert_eq!(filter(&c), " ", "Ctrl-U clears to the start, as in a form");
    c.press("end ctrl-u");
    assert_eq!(filter(&c), "");
    assert_eq!(c.app.tabs.customers.len(), 9);
    assert!(c.app.tabs.customers.table.filtering, "still typing");
}

/// The screen's status line (above the hints).
fn status_line(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    lines[lines.len() - 2].to_owned()
}

#[test]
fn messages_are_never_lost_to_truncation() {
    let mut c = signed_in(80, 24);
    let long = "the import report could not be written to /home/operator/reports/2026-11-23/customers-import-report.txt: permission denied (os error 13); choose another directory";
    c.act(tenantry::tui::action::Action::Failed(long.into()));
    let line = status_line(&c.screen());
    assert!(line.starts_with("error: the import report"), "{line}");
    assert!(
        line.ends_with("[M]"),
        "a cut message points to the log: {line}"
    );
    assert!(
        !line.contains("/srv/tenantry/db"),
        "the message has the width: {line}"
    );
    assert_eq!(unicode_width::UnicodeWidthStr::width(line.as_str()), 80);
    // The log shows it in full, with its time, and the database path moved there.
    c.press("M");
    let screen = c.screen();
    let joined: String = screen
        .lines()
        .map(|l| l.trim_matches(|ch| ch == '│' || ch == ' '))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(joined.contains("13:22:03 error"), "{screen}");
    for word in long.split(' ') {
        assert!(joined.contains(word), "{word} missing:\n{screen}");
    }
    assert!(screen.contains("db /srv/tenantry/db"), "{screen}");
    assert!(
        joined.contains("signed in as owner@zeta.example"),
        "{screen}"
    );
    let signed_in = c
        .app
        .messages
        .iter()
        .filter(|m| m.text.starts_with("signed in"))
        .count();
    assert_eq!(
        signed_in, 1,
        "one message is logged once: {:?}",
        c.app.messages
    );
    c.press("esc");
    assert!(c.app.modals.is_empty());
    // With no message the status line names the database.
    assert!(status_line(&c.screen()).contains("db /srv/tenantry/db"));
}

#[test]
fn old_messages_clear_when_the_context_changes() {
    let mut c = signed_in(80, 24);
    // The provider is selected: deleting it is refused on the status line.
    c.press("d");
    let refusal = c.app.status.clone().expect("a refusal").text;
    c.press("4");
    assert_eq!(c.app.status, None, "a tab switch clears the old message");
    c.press("1 j d");
    assert!(
        c.app.status.is_none(),
        "the confirm dialog is a new context"
    );
    c.press("n");
    assert!(c.app.status.is_none());
    // Cleared, not lost: the log still has it.
    assert!(c.app.messages.iter().any(|m| m.text == refusal));
}

/// The value after `label` on the detail view.
fn detail_field(screen: &str, label: &str) -> String {
    screen
        .lines()
        .find_map(|l| l.trim_start().strip_prefix(label))
        .map(|v| v.trim().to_owned())
        .unwrap_or_default()
}

#[test]
fn the_detail_view_and_the_hints_refresh_after_an_action_on_the_shown_customer() {
    let mut c = signed_in(80, 24);
    c.press("j");
    assert_eq!(c.selected_slug(), "acme-corp");
    let hints = |c: &harness::Harness| c.screen().lines().last().unwrap().to_owned();
    assert!(hints(&c).contains("s suspend"), "{}", hints(&c));
    c.press("enter");
    let before = c.screen();
    assert_eq!(detail_field(&before, "Status"), "active");
    let events: u64 = detail_field(&before, "Audit events").parse().unwrap();
    // Each status change asks first (D66): `y` answers it.
    c.press("s y");
    let after = c.screen();
    assert_eq!(detail_field(&after, "Status"), "suspended", "{after}");
    assert_eq!(
        detail_field(&after, "Audit events"),
        (events + 1).to_string(),
        "the rest of the detail is loaded again:\n{after}"
    );
    assert!(hints(&c).contains("s activate"), "{}", hints(&c));
    c.press("s y");
    assert!(hints(&c).contains("s suspend"), "{}", hints(&c));
    // The table's hint follows the selected row as well.
    c.press("esc s y");
    assert!(hints(&c).contains("s activate"), "{}", hints(&c));
}

#[test]
fn the_detail_view_keeps_the_end_of_what_it_cuts_and_names_the_zone() {
    let mut c = signed_in(80, 24);
    c.press("/");
    c.type_text("handels");
    c.press("enter enter");
    let screen = c.screen();
    assert!(screen.contains("times UTC"), "{screen}");
    let member = screen
        .lines()
        .find(|l| l.contains("(owner)"))
        .expect("the owner among the members");
    // The 47-character email is cut to 32 keeping its domain's end.
    assert!(
        member.contains("…") && member.contains("ft.example"),
        "{member}"
    );
}
