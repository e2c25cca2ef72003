#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! A customer's own view in the console, as its administrator and as staff impersonating it
//! see it: the Users and Invitations tabs stay on the customer (their titles promise no other
//! customer, Esc shows no one else), the help names the view's own tabs and keys, and what the
//! service refuses there (deleting a user; a password reset while impersonating) is neither
//! hinted nor in the help, and says why when pressed.

mod common;
#[path = "common/customer_console.rs"]
mod customer_console;

use customer_console::{ANN, Console, PASSWORD, options, staff_console};
use tenantry::tui::keymap::Context;
use tenantry::tui::modals::help::HelpLine;
use tenantry::tui::tabs::Tab;

/// Ann, Acme's administrator, signed in on her customer's own view.
fn ann(width: u16, height: u16) -> Console {
    let mut c = staff_console(width, height, options(false, 15));
    c.sign_in_as(ANN, PASSWORD);
    assert!(
        c.app.customer_view.is_some() && !c.app.impersonating(),
        "{}",
        c.screen()
    );
    c
}

fn title(c: &Console) -> String {
    c.screen().lines().nth(1).unwrap_or_default().to_owned()
}

fn help_words(c: &Console, context: Context) -> Vec<String> {
    c.app
        .help_lines(context)
        .into_iter()
        .filter_map(|l| match l {
            HelpLine::Binding { keys, what } => Some(format!("{keys} {what}")),
            _ => None,
        })
        .collect()
}

fn status(c: &Console) -> String {
    c.app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn the_people_tabs_of_a_customers_own_view_stay_on_its_customer() {
    let mut c = ann(80, 24);
    c.press("2");
    assert_eq!(c.app.tab, Tab::Users);
    let t = title(&c);
    assert!(
        t.starts_with("Users of acme-corp ·") && !t.contains("Esc"),
        "{t}"
    );
    c.press("esc");
    let screen = c.screen();
    assert!(title(&c).starts_with("Users of acme-corp ·"), "{screen}");
    assert_eq!(
        c.app.tabs.users.customer.as_deref(),
        Some("acme-corp"),
        "{screen}"
    );
    assert!(!status(&c).contains("every user"), "{}", status(&c));
    for email in [ANN, "bea@acme.example"] {
        assert!(screen.contains(email), "{email}:\n{screen}");
    }
    assert!(!screen.contains("bo@beta.example"), "{screen}");
    c.press("3");
    let t = title(&c);
    assert!(
        t.starts_with("Invitations into acme-corp ·") && !t.contains("Esc"),
        "{t}"
    );
    c.press("esc");
    let screen = c.screen();
    assert!(
        title(&c).starts_with("Invitations into acme-corp ·"),
        "{screen}"
    );
    assert!(
        screen.contains("No invitations yet.") && !screen.contains("a corporate customer"),
        "no other customer is offered:\n{screen}"
    );
}

#[test]
fn the_help_of_a_customers_own_view_names_its_own_tabs_and_keys() {
    let mut c = ann(120, 36);
    for (key, context) in [("1", Context::Overview), ("2", Context::Users)] {
        c.press(key);
        let words = help_words(&c, context);
        let all = words.join("\n");
        for tab in [
            "1 Overview tab",
            "2 Users tab",
            "3 Invitations tab",
            "4 Log tab",
            "5 My settings tab",
        ] {
            assert!(words.iter().any(|w| w.starts_with(tab)), "{tab}:\n{all}");
        }
        for staff in [
            "Customers tab",
            "Trash tab",
            "Logs tab",
            "Dashboard tab",
            "6 ",
            "back to the staff view",
            "switch to another of your customers",
        ] {
            assert!(!all.contains(staff), "{staff}:\n{all}");
        }
    }
    // Drawn, too.
    c.press("?");
    let screen = c.screen();
    assert!(
        screen.contains("Overview tab") && !screen.contains("Customers tab"),
        "{screen}"
    );
}

#[test]
fn deleting_a_user_is_neither_hinted_nor_in_the_help_of_a_customers_administrators() {
    let mut c = ann(120, 36);
    c.press("2 j");
    let all = help_words(&c, Context::Users).join("\n");
    assert!(!all.contains("delete (asks to confirm)"), "{all}");
    assert!(all.contains("disable or enable"), "{all}");
    assert!(!c.hints().contains("delete"), "{}", c.hints());
    c.press("d");
    assert!(c.app.modals.is_empty(), "no dialog:\n{}", c.screen());
    let screen = c.screen();
    assert_eq!(
        screen.lines().nth(34).unwrap_or_default(),
        "error: deleting a user is for the platform's staff; disable them instead (s)",
        "why, whole:\n{screen}"
    );
    // Ann may send a reset; staff impersonating her customer may not.
    assert!(all.contains("send a password reset"), "{all}");
    assert!(c.hints().contains('r'), "{}", c.hints());
}

#[test]
fn a_password_reset_is_neither_hinted_nor_offered_while_impersonating() {
    let mut c = staff_console(120, 36, options(true, 15));
    c.press("2");
    let staff_help = help_words(&c, Context::Users).join("\n");
    assert!(
        staff_help.contains("send a password reset") && staff_help.contains("delete"),
        "staff keep both in their own view:\n{staff_help}"
    );
    c.select("acme-corp");
    c.impersonate_here("ticket 4411");
    c.press("2 j");
    let all = help_words(&c, Context::Users).join("\n");
    assert!(!all.contains("send a password reset"), "{all}");
    assert!(!all.contains("delete (asks to confirm)"), "{all}");
    assert!(
        all.contains("back to the staff view"),
        "Ctrl-B is in the help while impersonating:\n{all}"
    );
    let hints = c.hints();
    assert!(!hints.contains("reset"), "{hints}");
    c.press("r");
    assert!(c.app.modals.is_empty(), "no dialog:\n{}", c.screen());
    assert!(
        status(&c).contains("not while impersonating"),
        "{}",
        status(&c)
    );
    assert!(c.app.impersonating());
}

#[test]
fn a_customers_administrators_read_an_impersonation_in_their_log_one_field_a_line() {
    let mut c = staff_console(120, 36, options(false, 15));
    c.select("acme-corp");
    c.impersonate_here("ticket 4411");
    c.press("ctrl-b");
    assert!(!c.app.impersonating());
    c.sign_in_as(ANN, PASSWORD);
    c.press("4");
    assert_eq!(c.app.tab, Tab::CustomerLog);
    let screen = c.screen();
    assert!(
        screen.contains("staff·owner@zeta.example") && screen.contains("impersonation.end"),
        "shown as done by staff while impersonating:\n{screen}"
    );
    c.press("enter");
    let screen = c.screen();
    assert!(!screen.contains("<U+000A>"), "{screen}");
    for line in [
        "Time: 2026-11-23T13:22:03",
        "By: owner@zeta.example (the provider's staff, impersonating acme-corp)",
        "Action: impersonation.end",
    ] {
        assert!(
            screen.lines().any(|l| l.contains(line)),
            "{line} on a line of its own:\n{screen}"
        );
    }
}

#[test]
fn the_add_user_form_of_a_customers_own_view_adds_to_that_customer_only() {
    let mut c = ann(80, 24);
    c.press("2 a");
    let screen = c.screen();
    assert!(screen.contains("Customer (•) acme-corp"), "{screen}");
    // Typing goes to the email: the customer cannot be typed over.
    c.type_text("una@acme.example");
    c.press("tab");
    c.type_text("Una");
    c.press("tab");
    c.type_text("User");
    c.press("enter");
    assert!(c.app.modals.is_empty(), "{}", c.screen());
    let add = &c.log()[0];
    assert_eq!(
        (add.action.as_str(), add.customer_slug.as_str()),
        ("user.add", "acme-corp"),
        "{add:?}"
    );
    assert!(add.summary.contains("una@acme.example"), "{}", add.summary);
    assert_eq!(add.actor_email, ANN);
}

#[test]
fn the_customers_log_keeps_room_for_the_summary_at_80_columns() {
    let mut c = ann(80, 24);
    c.press("2 a");
    c.type_text("una@acme.example");
    c.press("tab");
    c.type_text("Una");
    c.press("tab");
    c.type_text("User");
    c.press("enter 4");
    let screen = c.screen();
    let row = screen
        .lines()
        .find(|l| l.contains("user.add") && l.contains(ANN))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(row.contains("added user una@acme.ex"), "{row}\n{screen}");
    let header = screen.lines().nth(2).unwrap_or_default();
    assert_eq!(
        header.find("ACTION"),
        row.find("user.add"),
        "the header names the columns the rows fill:\n{screen}"
    );
}

#[test]
fn the_edit_form_of_a_customers_own_view_names_its_customer_as_a_fixed_choice() {
    let mut c = ann(80, 24);
    c.press("2");
    // Bea, the member: ann@ is first by email.
    c.press("j e");
    let screen = c.screen();
    assert!(screen.contains("Role in (•) acme-corp"), "{screen}");
    // Make Bea a moderator: the role moves, the customer cannot be typed over.
    for _ in 0..5 {
        c.press("tab");
    }
    c.press("right enter");
    assert!(c.app.modals.is_empty(), "{}", c.screen());
    let edit = &c.log()[0];
    assert_eq!(edit.action, "user.edit", "{edit:?}");
    assert!(edit.summary.contains("moderator"), "{}", edit.summary);
}

#[test]
fn the_invite_form_of_a_customers_own_view_invites_into_that_customer_only() {
    let mut c = ann(80, 24);
    c.press("3 a");
    let screen = c.screen();
    assert!(screen.contains("Customer (•) acme-corp"), "{screen}");
    c.type_text("ivy@guest.example");
    c.press("tab");
    c.type_text("Ivy");
    c.press("tab");
    c.type_text("Guest");
    c.press("enter");
    let invite = &c.log()[0];
    assert_eq!(
        (invite.action.as_str(), invite.customer_slug.as_str()),
        ("invitation.create", "acme-corp"),
        "{invite:?}\n{}",
        c.screen()
    );
    assert!(
        invite.summary.contains("ivy@guest.example"),
        "{}",
        invite.summary
    );
}
