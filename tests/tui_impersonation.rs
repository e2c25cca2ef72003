#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! Impersonation in the console, driven as the operator would over a real runtime and
//! database with the service's clock in the test's hand: the bar over every customer tab and
//! dialog at 80x24 and 120x36, with colour and without, and after a resize; the time limit
//! and the idle lock ending it (each end event saying how); Ctrl-B from a dialog, asking first
//! only over unsaved input; and the staff view coming back where the operator left it.

mod common;
#[path = "common/customer_console.rs"]
mod customer_console;

use customer_console::{Console, OWNER, PASSWORD, options, staff_console};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use tenantry::domain::ImpersonationEnd;
use tenantry::tui::action::Effect;
use tenantry::tui::app::Screen;
use tenantry::tui::modals::Modal;
use tenantry::tui::tabs::Tab;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 36)];
const REASON: &str = "ticket 4411: the customer cannot see their invoices since Monday";

fn row_text(buffer: &Buffer, y: u16) -> String {
    (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol())
        .collect()
}

/// The bar is on row 0, across the whole width, in its style, says IMPERSONATING and the way
/// back; the tab bar is still drawn below it.
fn assert_bar(c: &Console, color: bool, what: &str) {
    let buffer = c.buffer();
    let w = buffer.area.width;
    let text = row_text(&buffer, 0);
    assert!(
        text.starts_with("IMPERSONATING Acme Corp"),
        "{what} at {w}: {text:?}"
    );
    assert!(
        text.trim_end().ends_with("Ctrl-B back to admin"),
        "{what} at {w}: {text:?}"
    );
    for x in 0..w {
        let cell = &buffer[(x, 0)];
        if color {
            assert_eq!(
                (cell.fg, cell.bg),
                (Color::Black, Color::LightYellow),
                "{what} at {w}, column {x}: {text:?}"
            );
        } else {
            assert!(
                cell.modifier.contains(Modifier::REVERSED),
                "{what} at {w}, column {x}: {:?} in {text:?}",
                cell.modifier
            );
            assert_eq!(
                (cell.fg, cell.bg),
                (Color::Reset, Color::Reset),
                "no colour without colour: {what} at {w}, column {x}"
            );
        }
    }
    let tabs = row_text(&buffer, 1);
    assert!(
        tabs.contains("1 Overview") && !tabs.contains("Customers"),
        "{what} at {w}: the tab bar moves below the bar: {tabs:?}"
    );
}

fn status(c: &Console) -> String {
    c.app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn impersonating_acme(w: u16, h: u16, color: bool) -> Console {
    let mut c = staff_console(w, h, options(color, 15));
    c.select("acme-corp");
    c.impersonate_here(REASON);
    c
}

#[test]
fn the_bar_is_on_every_customer_tab_and_dialog_in_colour_and_without_and_after_a_resize() {
    for (w, h) in SIZES {
        for color in [true, false] {
            let mut c = impersonating_acme(w, h, color);
            for (keys, what, snapshot) in [
                ("1", "overview", true),
                ("2", "users", true),
                ("3", "invitations", false),
                ("4", "log", false),
                ("5", "my settings", false),
                ("2 a", "the add user form", true),
                ("?", "the help", false),
            ] {
                c.app.modals.clear();
                c.press(keys);
                assert!(c.app.impersonating(), "{what}");
                assert_bar(&c, color, what);
                if snapshot && !color {
                    let name = format!("{}_{w}", what.replace(' ', "_"));
                    insta::assert_snapshot!(name, c.screen());
                }
                // A resize redraws it at the new width, and back.
                let (ow, oh) = if w == 80 { (120, 36) } else { (80, 24) };
                c.resize(ow, oh);
                assert_bar(&c, color, &format!("{what} after a resize"));
                // Below the full layout too, down to the reduced one (D65).
                c.resize(64, 18);
                assert_bar(&c, color, &format!("{what} at 64x18"));
                c.resize(w, h);
                assert_bar(&c, color, &format!("{what} after resizing back"));
            }
        }
    }
}

#[test]
fn the_time_limit_ends_the_impersonation_and_the_staff_view_comes_back_where_it_was() {
    // No idle lock here: only the time limit (30 minutes by default) ends it.
    let mut c = staff_console(80, 24, options(true, 0));
    c.select("beta-labs");
    c.press("enter");
    assert_eq!(
        c.app
            .tabs
            .customers
            .detail
            .as_ref()
            .map(|d| d.row.slug.as_str()),
        Some("beta-labs")
    );
    c.press("I");
    c.type_text("ticket 5100");
    c.press("enter");
    assert!(c.app.impersonating(), "{}", c.screen());
    let effects = c.tick_at(29);
    assert!(effects.is_empty(), "{effects:?}");
    assert!(c.app.impersonating());
    let bar = c.screen().lines().next().unwrap_or_default().to_owned();
    assert!(bar.contains("1:00 left"), "{bar}");
    let effects = c.tick_at(30);
    assert_eq!(
        effects.first(),
        Some(&Effect::EndImpersonation(ImpersonationEnd::TimeLimit)),
        "{effects:?}"
    );
    assert!(!c.app.impersonating() && c.app.customer_view.is_none());
    assert_eq!(c.app.tab, Tab::Customers);
    assert_eq!(
        c.app
            .tabs
            .customers
            .detail
            .as_ref()
            .map(|d| d.row.slug.as_str()),
        Some("beta-labs"),
        "the detail view the operator left:\n{}",
        c.screen()
    );
    let screen = c.screen();
    assert!(!screen.contains("IMPERSONATING"), "{screen}");
    assert_eq!(
        screen.lines().nth(22).unwrap_or_default(),
        "impersonation of Beta Labs ended (its time limit passed); back to the staff view",
        "the console says why, in a line that fits:\n{screen}"
    );
    assert_eq!(c.last_ending(), "time-limit");
    let end = &c.log()[0];
    assert_eq!(end.action, "impersonation.end");
    assert_eq!(end.customer_slug, "beta-labs");
    assert!(
        end.summary.contains("after 30 min: its time limit passed"),
        "{}",
        end.summary
    );
    // Later ticks end nothing more.
    let later = c.tick_at(31);
    assert!(
        !later
            .iter()
            .any(|e| matches!(e, Effect::EndImpersonation(_))),
        "{later:?}"
    );
    assert_eq!(
        c.log()
            .iter()
            .filter(|e| e.action == "impersonation.end")
            .count(),
        1
    );
}

#[test]
fn ctrl_b_from_a_form_returns_at_once_unless_something_was_typed_then_it_asks() {
    let mut c = impersonating_acme(80, 24, true);
    // A form with nothing typed: back at once.
    c.press("2 a");
    assert!(matches!(c.app.modals.last(), Some(Modal::Form(_))));
    let effects = c.press("ctrl-b");
    assert_eq!(
        effects.first(),
        Some(&Effect::EndImpersonation(ImpersonationEnd::Returned)),
        "{effects:?}"
    );
    assert!(!c.app.impersonating() && c.app.modals.is_empty());
    assert_eq!(
        (c.app.tab, c.selected_slug().as_str()),
        (Tab::Customers, "acme-corp")
    );
    assert_eq!(c.last_ending(), "returned");

    // A form with input: Ctrl-B asks, and "stay" keeps the form and what was typed.
    c.impersonate_here("ticket 4412");
    c.press("2 a");
    c.type_text("new@acme.example");
    let effects = c.press("ctrl-b");
    assert!(
        effects.is_empty(),
        "nothing ends before the answer: {effects:?}"
    );
    assert!(c.app.impersonating());
    assert!(matches!(c.app.modals.last(), Some(Modal::Confirm(_))));
    let screen = c.screen();
    assert!(
        screen.contains("Back to the staff view?")
            && screen.contains("go back")
            && screen.contains("stay"),
        "{screen}"
    );
    assert!(screen.starts_with("IMPERSONATING"), "{screen}");
    c.press("n");
    assert!(c.app.impersonating());
    let Some(Modal::Form(form)) = c.app.modals.last() else {
        panic!("stay keeps the form:\n{}", c.screen());
    };
    assert_eq!(form.value("email"), "new@acme.example");
    // Enter is the safe answer too.
    c.press("ctrl-b enter");
    assert!(c.app.impersonating() && matches!(c.app.modals.last(), Some(Modal::Form(_))));
    // "go back" returns, to where the operator was.
    c.press("ctrl-b");
    let effects = c.press("y");
    assert_eq!(
        effects.first(),
        Some(&Effect::EndImpersonation(ImpersonationEnd::Returned)),
        "{effects:?}"
    );
    assert!(!c.app.impersonating() && c.app.modals.is_empty());
    assert_eq!(
        (c.app.tab, c.selected_slug().as_str()),
        (Tab::Customers, "acme-corp")
    );
    assert!(
        !c.log()
            .iter()
            .any(|e| e.summary.contains("new@acme.example")),
        "the form's input was not saved"
    );
    let ended = c
        .service()
        .impersonations(&c.owner, Some("acme-corp"), None)
        .unwrap();
    assert_eq!(ended.len(), 2);
    assert!(ended.iter().all(|r| r.how == "returned"), "{ended:?}");
}

#[test]
fn the_idle_lock_ends_an_impersonation_and_signing_in_again_shows_the_staff_view() {
    let mut c = impersonating_acme(80, 24, true);
    assert!(c.tick_at(14).is_empty());
    assert!(c.app.impersonating());
    let effects = c.tick_at(15);
    assert_eq!(
        effects,
        vec![
            Effect::EndImpersonation(ImpersonationEnd::IdleLock),
            Effect::CloseDatabase
        ]
    );
    assert!(matches!(c.app.screen, Screen::SignIn(_)));
    assert!(c.app.customer_view.is_none());
    let screen = c.screen();
    assert!(!screen.contains("IMPERSONATING"), "{screen}");
    assert!(
        status(&c).starts_with("the impersonation of Acme Corp ended; locked after 15 idle"),
        "{}",
        status(&c)
    );
    assert!(
        screen
            .lines()
            .nth(22)
            .unwrap_or_default()
            .starts_with("the impersonation of Acme Corp ended;"),
        "said first, so 80 columns show it:\n{screen}"
    );
    assert_eq!(c.last_ending(), "idle-lock");
    let end = &c.log()[0];
    assert_eq!(
        (
            end.action.as_str(),
            end.actor_email.as_str(),
            end.impersonated_slug.as_str()
        ),
        ("impersonation.end", OWNER, "acme-corp")
    );
    assert!(end.summary.contains("after 15 min"), "{}", end.summary);
    // The console opens the database itself to sign in again.
    c.service = None;
    c.type_text(OWNER);
    c.press("tab");
    c.type_text(PASSWORD);
    c.press("enter");
    assert!(matches!(c.app.screen, Screen::Main), "{}", c.screen());
    assert!(c.app.customer_view.is_none());
    assert_eq!(c.app.tab, Tab::Customers);
    let screen = c.screen();
    let first = screen.lines().next().unwrap_or_default();
    assert!(
        first.contains("1 Customers") && !first.contains("Overview"),
        "the staff view, not the customer's:\n{screen}"
    );
    assert!(!screen.contains("IMPERSONATING"), "{screen}");
    assert!(
        screen.contains("Acme Corp") && screen.contains("Beta Labs"),
        "{screen}"
    );
}

#[test]
fn the_provider_and_a_suspended_customer_say_why_at_once_in_a_line_that_fits_80_columns() {
    let mut c = staff_console(80, 24, options(true, 15));
    c.select("cyan-co");
    c.press("s y");
    assert!(c.screen().contains("suspended"), "{}", c.screen());
    for (slug, why) in [
        (
            "zeta-hosting",
            "the provider company cannot be impersonated: it is the platform itself",
        ),
        (
            "cyan-co",
            "a suspended customer cannot be impersonated: its users cannot sign in",
        ),
    ] {
        c.select(slug);
        let effects = c.press("I");
        assert!(effects.is_empty(), "{effects:?}");
        assert!(c.app.modals.is_empty(), "no reason is asked for {slug}");
        assert!(!c.app.impersonating());
        let screen = c.screen();
        let line = screen.lines().nth(22).unwrap_or_default();
        assert_eq!(line, format!("error: {why}"), "whole, at 80:\n{screen}");
    }
}
