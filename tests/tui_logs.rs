#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! The console's Logs tab over a real runtime and database: newest first a page at a time
//! (the next read when the selection nears the end, never the log whole), filters taken from
//! the selected event and cleared with one key, the whole event with both actors and its
//! hashes on Enter, and follow mode putting new events on top while the selection stays on
//! its event.

mod common;
#[path = "readable/harness.rs"]
mod harness;

use harness::{Harness, signed_in};
use tenantry::service::{CustomerChanges, CustomerCommand};
use tenantry::tui::action::{Action, Effect};
use tenantry::tui::modals::Modal;
use tenantry::tui::tabs::Tab;
use tenantry::tui::tabs::logs::{FOLLOW_EVERY_MS, LOG_PAGE};

fn on_logs() -> Harness {
    let mut c = signed_in(80, 24);
    c.press("5");
    assert_eq!(c.app.tab, Tab::Logs);
    c
}

/// Enough edits that the log is longer than one page.
fn many_events(c: &Harness, n: usize) {
    for i in 0..n {
        c.service
            .execute(
                &c.session,
                CustomerCommand::Edit {
                    slug: "acme-corp".into(),
                    changes: CustomerChanges {
                        contact_phone: Some(format!("+41 44 555 {:02} {:02}", i / 100, i % 100)),
                        ..CustomerChanges::default()
                    },
                },
            )
            .unwrap();
    }
}

#[test]
fn the_log_is_read_a_page_at_a_time_newest_first() {
    let c0 = signed_in(80, 24);
    many_events(&c0, LOG_PAGE + 20);
    let mut c = c0;
    c.press("5");
    let logs = &c.app.tabs.logs;
    assert_eq!(logs.rows.len(), LOG_PAGE);
    assert!(logs.next.is_some());
    assert!(logs.rows.windows(2).all(|w| w[0].seq > w[1].seq));
    let total = c.service.store().audit_count();
    // Going to the end reads the next page, and only then.
    let effects = c.press("G");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadLog { older: true, .. })),
        "{effects:?}"
    );
    assert_eq!(c.app.tabs.logs.rows.len(), total);
    assert!(c.app.tabs.logs.next.is_none());
    assert!(c.screen().contains("Log · newest first"));
}

#[test]
fn a_filter_from_the_selected_event_is_shown_and_cleared_with_one_key() {
    let mut c = on_logs();
    let slug = c.app.tabs.logs.rows[0].customer_slug.clone();
    assert!(!slug.is_empty());
    c.press("c");
    assert!(
        c.screen()
            .contains(&format!("customer {slug} (Esc clears)"))
    );
    assert!(
        c.app
            .tabs
            .logs
            .rows
            .iter()
            .all(|r| r.customer_slug == slug || r.impersonated_slug == slug)
    );
    c.press("a");
    assert!(c.screen().contains("actor owner@zeta.example"));
    c.press("esc");
    assert!(!c.screen().contains("Esc clears"));
    assert_eq!(
        c.app.tabs.logs.rows.len(),
        c.service.store().audit_count().min(LOG_PAGE)
    );
}

#[test]
fn enter_shows_the_whole_event_with_its_hashes() {
    let mut c = on_logs();
    let top = c.app.tabs.logs.rows[0].clone();
    c.press("enter");
    let Some(Modal::Message { title, text }) = c.app.modals.last() else {
        panic!("no dialog")
    };
    assert_eq!(title, &format!("Event {}", top.seq));
    assert!(text.contains(&format!("Hash: {}", top.hash)), "{text}");
    assert!(text.contains(&format!("Previous hash: {}", top.prev_hash)));
    assert!(text.contains("Impersonating: no"));
}

#[test]
fn follow_mode_puts_new_events_on_top_and_keeps_the_selection_on_its_event() {
    let mut c = on_logs();
    c.press("j j");
    let selected = c.app.tabs.logs.rows[2].seq;
    c.press("F");
    many_events(&c, 3);
    let later = c.now.plus_millis(FOLLOW_EVERY_MS);
    c.act(Action::Tick(later));
    let logs = &c.app.tabs.logs;
    let newest = c.service.store().audit_count() as u64;
    assert_eq!(logs.rows[0].seq, newest);
    assert_eq!(logs.rows[logs.selected].seq, selected);
    // Without follow, nothing is read on the clock.
    c.press("F");
    many_events(&c, 1);
    let effects = c.act(Action::Tick(later.plus_millis(FOLLOW_EVERY_MS)));
    assert!(!effects.iter().any(|e| matches!(e, Effect::LoadLog { .. })));
}

#[test]
fn the_events_the_filter_shows_export_to_a_file_from_the_tab() {
    let mut c = on_logs();
    c.press("c");
    let slug = c.app.tabs.logs.view.customer.clone().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("acme.jsonl");
    c.press("E");
    assert!(matches!(c.app.modals.last(), Some(Modal::Form(_))));
    // No file name: refused at the field, nothing written.
    c.press("enter");
    assert!(matches!(c.app.modals.last(), Some(Modal::Form(f)) if !f.errors.is_empty()));
    c.type_text(file.to_str().unwrap());
    c.press("enter");
    assert!(c.app.modals.is_empty(), "{}", c.screen());
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.lines().count() >= 2, "{text}");
    assert!(text.contains(&format!("customer={slug}")), "{text}");
    let status = c.app.status.clone().unwrap().text;
    assert!(status.starts_with("exported "), "{status}");
    // The export is itself in the log.
    let newest = c
        .service
        .audit_log(&c.session, &tenantry::service::LogQuery::default())
        .unwrap();
    assert_eq!(newest[0].action, "log.export");
}

#[test]
fn a_search_looks_at_every_event_in_steps_shows_how_far_it_got_and_can_be_stopped() {
    let c0 = signed_in(120, 36);
    many_events(&c0, 30);
    let mut c = c0;
    c.press("5");
    c.press("/");
    assert!(
        matches!(c.app.modals.last(), Some(Modal::Form(_))),
        "{}",
        c.screen()
    );
    // Nothing to look for: refused at the field.
    c.press("enter");
    assert!(matches!(c.app.modals.last(), Some(Modal::Form(f)) if !f.errors.is_empty()));
    c.type_text("+41 44 555 00 2");
    c.press("enter");
    let logs = &c.app.tabs.logs;
    let search = logs.search.clone().unwrap();
    assert!(!search.running);
    let total = c.service.store().audit_count() as u64;
    assert_eq!((search.scanned, search.total), (total, total));
    // The edits numbered 20 to 29 carry the text.
    assert_eq!(logs.rows.len(), 10, "{:?}", logs.rows);
    assert!(logs.rows.windows(2).all(|w| w[0].seq > w[1].seq));
    assert!(
        c.screen()
            .contains("\"+41 44 555 00 2\" · 10 match(es) · searched all"),
        "{}",
        c.screen()
    );
    // Esc clears the search and reads the newest page again.
    c.press("esc");
    assert!(c.app.tabs.logs.search.is_none());
    assert_eq!(
        c.app.tabs.logs.rows.len() as u64,
        total.min(LOG_PAGE as u64)
    );
}

#[test]
fn a_running_search_stops_on_esc_and_later_steps_are_not_shown() {
    let mut c = signed_in(120, 36);
    c.press("5");
    c.act(Action::BeginSearch("nothing matches this".into()));
    // As the worker thread would have it: the first step in, then a stop.
    c.app.tabs.logs.search.as_mut().unwrap().running = true;
    c.act(Action::SearchProgress {
        rows: Vec::new(),
        scanned: 20_000,
        total: 1_000_000,
        done: false,
    });
    assert!(
        c.screen()
            .contains("searching… 20 000 of 1 000 000 (Esc stops)")
    );
    let effects = c.app.update(Action::ClearFilter);
    assert_eq!(effects, vec![Effect::StopSearch]);
    assert!(c.screen().contains("stopped at 20 000 of 1 000 000"));
    let late = c
        .service
        .audit_log(&c.session, &tenantry::service::LogQuery::default())
        .unwrap();
    c.act(Action::SearchProgress {
        rows: late,
        scanned: 40_000,
        total: 1_000_000,
        done: false,
    });
    assert!(
        c.app.tabs.logs.rows.is_empty(),
        "a stopped search shows no more"
    );
}

#[test]
fn the_filter_form_combines_action_and_time_and_names_a_bad_value() {
    let mut c = on_logs();
    c.press("f");
    assert!(matches!(c.app.modals.last(), Some(Modal::Form(_))));
    // Customer, Actor, Action, Since, Until.
    c.press("tab");
    c.press("tab");
    c.type_text("customer.*");
    c.press("tab");
    c.type_text("yesterday");
    c.press("enter");
    let Some(Modal::Form(form)) = c.app.modals.last() else {
        panic!("the form closed on a bad time: {}", c.screen());
    };
    assert!(form.error_at(3).is_some(), "{:?}", form.errors);
    assert!(c.screen().contains("not yesterday"), "{}", c.screen());
    // Corrected, it applies: every row is a customer event of the last day.
    for _ in 0.."yesterday".len() {
        c.press("backspace");
    }
    c.type_text("1d");
    c.press("enter");
    assert!(c.app.modals.is_empty(), "{}", c.screen());
    let logs = &c.app.tabs.logs;
    assert_eq!(logs.view.action.as_deref(), Some("customer.*"));
    assert_eq!(logs.view.since.as_deref(), Some("1d"));
    assert!(!logs.rows.is_empty());
    assert!(logs.rows.iter().all(|r| r.action.starts_with("customer.")));
    assert!(
        c.screen().contains("action customer.* · since 1d"),
        "{}",
        c.screen()
    );
    // Esc clears it whole.
    c.press("esc");
    assert_eq!(c.app.tabs.logs.view, Default::default());
}

#[test]
fn an_unknown_customer_in_the_filter_says_so_and_shows_no_rows_and_rows_name_their_customer() {
    let mut c = on_logs();
    assert!(c.screen().contains("CUSTOMER"), "{}", c.screen());
    assert!(c.screen().contains("acme-corp"), "{}", c.screen());
    c.press("f");
    c.type_text("nosuch");
    c.press("enter");
    let screen = c.screen();
    assert!(screen.contains("No events match."), "{screen}");
    assert!(screen.contains("no customer nosuch"), "{screen}");
    assert!(!screen.contains("Reading the log"), "{screen}");
}
