//! The console never acts blind or by accident: keys on the "too small" screen, a confirm
//! (safe by default) before every change to live data, bracketed paste, choice fields, the
//! help's bounds. Driven like `tui_routing.rs`: keys through the real keymap, results of
//! effects fed back by hand, no database.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;
#[path = "tui_safety/console.rs"]
mod console;

use console::{T0, console, executes, press, resize, selected_slug, type_text};
use crossterm::event::KeyModifiers;
use tenantry::domain::CustomerStatus;
use tenantry::service::{Command, CustomerCommand};
use tenantry::tui::action::Effect;
use tenantry::tui::app::App;
use tenantry::tui::keymap::Context;
use tenantry::tui::modals::Modal;

#[test]
fn keys_on_the_too_small_screen_do_nothing_but_quit() {
    let mut app = console(80, 24);
    press(&mut app, "j");
    assert_eq!(selected_slug(&app).as_deref(), Some("acme"));
    resize(&mut app, 50, 12);
    assert!(common::screen::screen(&app).contains("terminal too small"));
    // What deleted a customer nobody saw: move, delete, yes.
    let effects = press(&mut app, "j d y s y enter");
    assert!(effects.is_empty(), "{effects:?}");
    assert!(app.modals.is_empty(), "no dialog opened unseen");
    assert_eq!(selected_slug(&app).as_deref(), Some("acme"), "no move");
    let pasted = app.handle_paste("d", T0);
    assert!(pasted.is_empty() && app.modals.is_empty());
    assert!(
        !app.tabs.customers.table.filtering,
        "a paste does nothing either"
    );
    assert!(
        app.handle_mouse(
            &crossterm::event::MouseEvent {
                kind: crossterm::event::MouseEventKind::ScrollDown,
                column: 1,
                row: 5,
                modifiers: KeyModifiers::NONE,
            },
            T0
        )
        .is_empty()
    );
    assert_eq!(
        selected_slug(&app).as_deref(),
        Some("acme"),
        "nor the wheel"
    );
    resize(&mut app, 80, 24);
    assert_eq!(app.context(), Context::Customers);
    resize(&mut app, 50, 12);
    assert_eq!(press(&mut app, "q"), vec![Effect::Quit]);
    assert!(app.quit, "quit still works");
}

#[test]
fn a_reduced_layout_is_drawn_below_80x24_and_keys_work_there() {
    let mut app = console(64, 18);
    let screen = common::screen::screen(&app);
    assert!(!screen.contains("terminal too small"), "{screen}");
    assert!(screen.contains("Acme"), "{screen}");
    press(&mut app, "a");
    let screen = common::screen::screen(&app);
    for label in ["Name", "Type", "Language", "Owner email", "Contact phone"] {
        assert!(screen.contains(label), "{label} missing:\n{screen}");
    }
}

#[test]
fn suspend_asks_first_and_the_default_answer_keeps_the_customer() {
    let mut app = console(80, 24);
    press(&mut app, "j");
    assert_eq!(selected_slug(&app).as_deref(), Some("acme"));
    assert!(
        press(&mut app, "s").is_empty(),
        "nothing is suspended at once"
    );
    let Some(Modal::Confirm(confirm)) = app.modals.last() else {
        panic!("s must ask first");
    };
    assert_eq!(
        (confirm.yes.as_str(), confirm.no.as_str()),
        ("suspend", "keep active")
    );
    let screen = common::screen::screen(&app);
    assert!(
        screen.contains("[y] suspend") && screen.contains("[n/Esc/Enter] keep active (default)"),
        "the dialog names its keys and its default:\n{screen}"
    );
    assert!(
        press(&mut app, "enter").is_empty(),
        "Enter is the safe answer"
    );
    assert!(app.modals.is_empty());
    let effects = press(&mut app, "s y");
    assert!(matches!(
        executes(&effects).as_slice(),
        [Command::Customer(CustomerCommand::SetStatus { slug, status: CustomerStatus::Suspended })] if slug == "acme"
    ));
}

#[test]
fn every_change_to_live_data_asks_before_it_runs() {
    let mut app = console(80, 24);
    // Activate a suspended customer, delete, restore: each opens a dialog, Enter keeps.
    press(&mut app, "j j");
    assert_eq!(selected_slug(&app).as_deref(), Some("beta-labs"));
    for keys in ["s", "d", "enter s", "4 r", "D"] {
        let effects = press(&mut app, keys);
        assert!(executes(&effects).is_empty(), "{keys}: {effects:?}");
        assert!(
            matches!(app.modals.last(), Some(Modal::Confirm(_))),
            "{keys} must ask first"
        );
        let effects = press(&mut app, if keys == "D" { "esc" } else { "enter" });
        assert!(executes(&effects).is_empty(), "{keys}: {effects:?}");
        assert!(app.modals.is_empty(), "{keys}");
        if keys == "enter s" {
            press(&mut app, "esc");
        }
    }
    let effects = press(&mut app, "r y");
    assert!(matches!(
        executes(&effects).as_slice(),
        [Command::Customer(CustomerCommand::Restore { slug })] if slug == "old-co"
    ));
}

#[test]
fn a_paste_with_newlines_fills_one_field_and_never_submits() {
    let mut app = console(80, 24);
    press(&mut app, "a");
    let effects = app.handle_paste("Acme\r\nCorp\tTwo\n", T0);
    assert_eq!(
        effects,
        vec![Effect::CheckSlug("acme-corp-two".into())],
        "one slug check, no command"
    );
    let Some(Modal::Form(form)) = app.modals.last() else {
        panic!("the paste closed the form");
    };
    assert_eq!(form.value("name"), "Acme Corp Two");
    assert_eq!(form.focus, 0, "the paste moved no field");
    // A control character in the paste never reaches the field (or the terminal).
    press(&mut app, "tab tab tab");
    app.handle_paste("f\u{1b}[31mr", T0);
    let Some(Modal::Form(form)) = app.modals.last() else {
        panic!("no form");
    };
    assert_eq!(form.value("language"), "enf[31mr");
}

#[test]
fn a_paste_on_a_list_goes_to_the_filter_and_never_acts() {
    let mut app = console(80, 24);
    let effects = app.handle_paste("ds y\n", T0);
    assert!(executes(&effects).is_empty() && app.modals.is_empty());
    assert!(
        app.tabs.customers.table.filtering,
        "the paste opened the filter"
    );
    assert_eq!(app.tabs.customers.table.filter_text(), "ds y");
    press(&mut app, "esc 4");
    let effects = app.handle_paste("D", T0);
    assert!(
        effects.is_empty() && app.modals.is_empty(),
        "the trash takes no text"
    );
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("pasted text not used")
    );
}

#[test]
fn a_choice_field_changes_only_on_space_and_arrows_and_shows_a_marker() {
    let mut app = console(80, 24);
    press(&mut app, "a tab tab");
    type_text(&mut app, "individual");
    let form = |app: &App| match app.modals.last() {
        Some(Modal::Form(f)) => f.value("type"),
        _ => panic!("no form"),
    };
    assert_eq!(form(&app), "corporate", "letters do not change a choice");
    assert!(app.handle_paste("individual", T0).is_empty());
    assert_eq!(form(&app), "corporate", "nor does a paste");
    press(&mut app, "space");
    assert_eq!(form(&app), "individual");
    press(&mut app, "right");
    assert_eq!(form(&app), "corporate");
    press(&mut app, "left");
    assert_eq!(form(&app), "individual");
    let screen = common::screen::screen(&app);
    assert!(
        screen.contains("( ) corporate  (•) individual"),
        "the choice is marked without colour:\n{screen}"
    );
    assert!(screen.contains("space/←/→ change"), "{screen}");
}

#[test]
fn the_help_stops_at_its_end_and_says_when_more_is_below() {
    let mut app = console(80, 24);
    press(&mut app, "?");
    let scroll = |app: &App| match app.modals.last() {
        Some(Modal::Help { scroll, .. }) => *scroll,
        _ => panic!("no help"),
    };
    let screen = common::screen::screen(&app);
    assert!(screen.contains("more below"), "{screen}");
    press(&mut app, "G");
    let end = scroll(&app);
    assert!(end > 0);
    let screen = common::screen::screen(&app);
    assert!(
        screen.contains("lock (back to sign-in"),
        "the last line shows:\n{screen}"
    );
    assert!(!screen.contains("more below"), "{screen}");
    press(&mut app, "j j j pgdn down");
    assert_eq!(scroll(&app), end, "never past the end");
    press(&mut app, "g");
    assert_eq!(scroll(&app), 0);
    press(&mut app, "pgdn");
    let page = scroll(&app);
    assert!(page > 1 && page <= end, "{page}");
    press(&mut app, "pgup k");
    assert_eq!(scroll(&app), 0);
    press(&mut app, "esc");
    assert!(app.modals.is_empty());
}

#[test]
fn dialogs_clear_a_margin_around_their_border() {
    let mut app = console(80, 24);
    press(&mut app, "j d");
    let screen = common::screen::screen(&app);
    let line = screen
        .lines()
        .find(|l| l.contains("┌ Delete customer"))
        .unwrap()
        .to_owned();
    let left = line.find('┌').unwrap();
    assert!(
        line[..left].ends_with(' '),
        "the cell left of the border is cleared: {line:?}"
    );
}

#[test]
fn a_form_kept_by_the_lock_goes_back_only_to_who_was_filling_it_in() {
    let form_value = |app: &App| match app.modals.last() {
        Some(Modal::Form(f)) => Some(f.value("name")),
        _ => None,
    };
    for (who, kept) in [("someone@else.example", false), ("staff@example.com", true)] {
        let mut app = console(80, 24);
        press(&mut app, "a");
        type_text(&mut app, "Half Done");
        assert_eq!(
            app.update(tenantry::tui::action::Action::Lock),
            vec![Effect::CloseDatabase]
        );
        assert!(app.modals.is_empty(), "nothing of it shows behind the lock");
        app.update(tenantry::tui::action::Action::SignedIn { email: who.into() });
        assert_eq!(
            form_value(&app),
            kept.then(|| "Half Done".to_owned()),
            "{who}"
        );
    }
}

#[test]
fn a_dialog_at_the_smallest_size_still_shows_its_whole_question_and_answers() {
    let mut app = console(60, 16);
    press(&mut app, "j d");
    let screen = common::screen::screen(&app);
    for part in [
        "[y] move to the trash",
        "[n/Esc/Enter] keep",
        "(default)",
        "automatically.",
    ] {
        assert!(screen.contains(part), "{part:?} cut:\n{screen}");
    }
}

#[test]
fn what_lies_under_a_dialog_is_dimmed_and_the_dialog_is_not() {
    use ratatui::style::Modifier;
    let mut app = console(80, 24);
    let draw = |app: &App| {
        let mut t =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(app.width, app.height))
                .unwrap();
        t.draw(|f| tenantry::tui::render::draw(f, app)).unwrap();
        t.backend().buffer().clone()
    };
    let dim =
        |b: &ratatui::buffer::Buffer, x: u16, y: u16| b[(x, y)].modifier.contains(Modifier::DIM);
    let before = draw(&app);
    assert!(
        !dim(&before, 4, 4),
        "the table is not dimmed without a dialog"
    );
    press(&mut app, "j d");
    let after = draw(&app);
    assert!(dim(&after, 1, 4), "the table beside the dialog is dimmed");
    assert!(!dim(&after, 40, 12), "the dialog itself is not");
}
