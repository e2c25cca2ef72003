//! The console's routing without a database: keys go through the real keymap
//! (`App::handle_key`), results of effects are fed back by hand, and the tests assert on the
//! app's state and on the effects it asks for. No runtime, no service, no terminal.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use tenantry::domain::CustomerKind;
use tenantry::domain::{AuditAction, CustomerStatus, StaffRole, Timestamp};
use tenantry::service::{
    AllowedActions, Command, CustomerCommand, CustomerDetail, CustomerRow, Outcome, Subject,
};
use tenantry::tui::action::{Action, Effect};
use tenantry::tui::app::{App, AppOptions, StatusKind};
use tenantry::tui::config::Config;
use tenantry::tui::keymap::{Context, KeySpec};
use tenantry::tui::modals::{FormKind, Modal};
use tenantry::tui::tabs::Tab;

/// 2026-11-23 13:22:03 UTC.
const T0: Timestamp = Timestamp(1_795_440_123_456);
const DAY: i64 = Timestamp::MILLIS_PER_DAY;

fn row(id: u64, slug: &str, name: &str, status: CustomerStatus) -> CustomerRow {
    CustomerRow {
        id,
        slug: slug.into(),
        name: name.into(),
        kind: CustomerKind::Corporate,
        status,
        language: "en".into(),
        owner_email: Some(format!("owner@{slug}.example")),
        owner_name: None,
        owner_first_name: None,
        owner_last_name: None,
        contact_email: None,
        contact_phone: None,
        postal_address: None,
        website: None,
        is_provider: id == 1,
        independent: false,
        created_at: Timestamp(T0.0 - 40 * DAY),
        updated_at: Timestamp(T0.0 - 40 * DAY),
        deleted_at: None,
        deleted_by: None,
        purge_at: None,
        fields: Default::default(),
        allowed: owner_may(id == 1, false, status),
    }
}

/// What the service computes for an owner on such a row.
fn owner_may(is_provider: bool, trashed: bool, status: CustomerStatus) -> AllowedActions {
    let subject = Subject {
        is_provider,
        trashed,
        status,
        independent: false,
    };
    AllowedActions::for_role(StaffRole::Owner, subject)
}

fn trashed(id: u64, slug: &str, days_ago: i64) -> CustomerRow {
    let mut r = row(id, slug, &slug.to_uppercase(), CustomerStatus::Active);
    r.deleted_at = Some(Timestamp(T0.0 - days_ago * DAY));
    r.allowed = owner_may(false, true, CustomerStatus::Active);
    r.deleted_by = Some("owner@example.com".into());
    r.purge_at = Some(Timestamp(T0.0 + (30 - days_ago) * DAY));
    r
}

/// Signed in at `width` x `height`, the customers list and the trash loaded from plain rows.
fn console(width: u16, height: u16) -> App {
    let opts = AppOptions {
        config: Config::default(),
        db_label: "/srv/tenantry/db".into(),
        unix_user: Some("ops".into()),
        force_sign_in: false,
        utc_offset_secs: 0,
        color: false,
        sign_in_note: None,
    };
    let mut app = App::new(opts, width, height, T0);
    let effects = app.update(Action::Opened {
        initialised: true,
        signed_in: Some("owner@example.com".into()),
    });
    assert_eq!(effects, vec![Effect::LoadFirstPage]);
    let rows = vec![
        row(
            1,
            "example-hosting",
            "Example Hosting",
            CustomerStatus::Active,
        ),
        row(2, "acme", "Acme", CustomerStatus::Active),
        row(3, "beta-labs", "Beta Labs", CustomerStatus::Suspended),
        row(4, "bell-works", "Bell Works", CustomerStatus::Active),
        row(5, "zeta", "Zeta", CustomerStatus::Active),
    ];
    let effects = app.update(Action::FirstPage(rows));
    assert_eq!(effects, vec![Effect::StartIndexLoad { offset: 5 }]);
    app.update(Action::IndexLoaded);
    app.update(Action::TrashLoaded(vec![
        trashed(10, "old-co", 20),
        trashed(11, "newer-co", 2),
    ]));
    app
}

fn key(spec: &str) -> KeyEvent {
    let key = KeySpec::parse(spec).unwrap();
    let mut modifiers = KeyModifiers::NONE;
    if key.ctrl {
        modifiers |= KeyModifiers::CONTROL;
    }
    if matches!(key.code, KeyCode::BackTab) {
        modifiers |= KeyModifiers::SHIFT;
    }
    KeyEvent::new(key.code, modifiers)
}

/// Presses keys given as keymap names separated by spaces; returns every effect asked for.
fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    keys.split_whitespace()
        .flat_map(|k| app.handle_key(&key(k), T0))
        .collect()
}

fn type_text(app: &mut App, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| app.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), T0))
        .collect()
}

fn selected_slug(app: &App) -> Option<String> {
    app.tabs.customers.selected().map(|e| e.slug.clone())
}

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 36)];

#[test]
fn tab_keys_switch_tabs_and_the_trash_loads_when_shown() {
    for (w, h) in SIZES {
        let mut app = console(w, h);
        assert_eq!(
            (app.tab, app.context()),
            (Tab::Customers, Context::Customers)
        );
        assert_eq!(press(&mut app, "4"), vec![Effect::LoadTrash]);
        assert_eq!((app.tab, app.context()), (Tab::Trash, Context::Trash));
        // The Logs tab reads its newest page when shown.
        assert!(matches!(
            press(&mut app, "tab").as_slice(),
            [Effect::LoadLog { older: false, .. }]
        ));
        assert_eq!((app.tab, app.context()), (Tab::Logs, Context::Logs));
        assert_eq!(press(&mut app, "shift-tab"), vec![Effect::LoadTrash]);
        assert_eq!(app.tab, Tab::Trash);
        // The Users tab loads its list when shown; the Dashboard is still a placeholder.
        assert_eq!(press(&mut app, "2"), vec![Effect::LoadUsers]);
        assert_eq!((app.tab, app.context()), (Tab::Users, Context::Users));
        press(&mut app, "6");
        assert_eq!(app.tab, Tab::Dashboard);
        assert!(
            press(&mut app, "j k enter").is_empty(),
            "a placeholder takes no list keys"
        );
        press(&mut app, "1");
        assert_eq!(app.tab, Tab::Customers);
        // The tab bar is clickable too: " 4 Trash " starts after the first three labels.
        let trash_x = [" 1 Customers ", " 2 Users ", " 3 Invitations "]
            .iter()
            .map(|l| l.len() as u16)
            .sum::<u16>()
            + 2;
        let click = MouseEvent {
            kind: MouseEventKind::Down(crossterm::event::MouseButton::Left),
            column: trash_x,
            row: 0,
            modifiers: KeyModifiers::NONE,
        };
        assert_eq!(app.handle_mouse(&click, T0), vec![Effect::LoadTrash]);
        assert_eq!(app.tab, Tab::Trash);
    }
}

#[test]
fn the_filter_line_takes_the_keys_until_enter_or_esc() {
    let mut app = console(80, 24);
    assert!(press(&mut app, "/").is_empty());
    assert_eq!(app.context(), Context::Filter);
    assert!(
        type_text(&mut app, "be").is_empty(),
        "filtering asks the service nothing"
    );
    assert_eq!(app.tabs.customers.len(), 2, "beta-labs and bell-works");
    type_text(&mut app, "l");
    assert_eq!(selected_slug(&app).as_deref(), Some("bell-works"));
    assert_eq!(app.tabs.customers.len(), 1);
    press(&mut app, "backspace");
    assert_eq!(app.tabs.customers.len(), 2, "Backspace widens the filter");
    press(&mut app, "enter");
    assert_eq!(app.context(), Context::Customers, "Enter keeps the filter");
    assert_eq!(app.tabs.customers.len(), 2);
    assert_eq!(
        press(&mut app, "q"),
        vec![Effect::Quit],
        "q quits once the filter is kept"
    );
    let mut app = console(80, 24);
    press(&mut app, "/");
    type_text(&mut app, "q");
    assert!(!app.quit, "q is typed into the filter");
    press(&mut app, "esc");
    assert_eq!(app.context(), Context::Customers);
    assert_eq!(app.tabs.customers.len(), 5, "Esc clears the filter");
}

#[test]
fn a_form_opens_checks_its_slug_and_submits_a_command() {
    let mut app = console(120, 36);
    assert!(press(&mut app, "a").is_empty());
    assert_eq!(app.context(), Context::Form);
    assert!(matches!(app.modals.last(), Some(Modal::Form(f)) if f.kind == FormKind::AddCustomer));
    let effects = type_text(&mut app, "New Co");
    assert_eq!(effects.last(), Some(&Effect::CheckSlug("new-co".into())));
    let effects = press(&mut app, "enter");
    let [
        Effect::Execute {
            command: Command::Customer(CustomerCommand::Add(new)),
            done,
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}");
    };
    assert_eq!((new.name.as_str(), done.as_str()), ("New Co", "added"));
    // The form stays until the outcome arrives; then the new customer is selected.
    let mut added = row(6, "new-co", "New Co", CustomerStatus::Active);
    added.created_at = T0;
    app.update(Action::CommandDone {
        outcome: Box::new(Outcome::Customer(added)),
        action: AuditAction::CustomerAdd,
        done: "added".into(),
    });
    assert!(app.modals.is_empty());
    assert_eq!(selected_slug(&app).as_deref(), Some("new-co"));
    assert_eq!(
        app.status.as_ref().map(|s| s.text.as_str()),
        Some("added new-co")
    );
    // A clean edit form closes at once with Esc; the edit needs the detail first.
    press(&mut app, "g j");
    assert_eq!(
        press(&mut app, "e"),
        vec![Effect::LoadDetail("acme".into())]
    );
    let detail = CustomerDetail {
        row: row(2, "acme", "Acme", CustomerStatus::Active),
        members: Vec::new(),
        audit_events: 3,
        account: Default::default(),
        groups: Vec::new(),
        fields: Vec::new(),
    };
    app.update(Action::DetailLoaded(Box::new(detail)));
    assert!(
        matches!(app.modals.last(), Some(Modal::Form(f)) if matches!(f.kind, FormKind::EditCustomer { .. }))
    );
    press(&mut app, "esc");
    assert!(app.modals.is_empty());
    assert!(
        app.tabs.customers.detail.is_none(),
        "editing from the table opens no detail"
    );
}

#[test]
fn confirms_carry_their_command_and_the_outcome_reaches_both_tabs() {
    let mut app = console(80, 24);
    press(&mut app, "j");
    assert_eq!(selected_slug(&app).as_deref(), Some("acme"));
    assert!(press(&mut app, "d").is_empty());
    assert_eq!(app.context(), Context::Confirm);
    assert!(press(&mut app, "n").is_empty());
    assert!(app.modals.is_empty(), "no cancels");
    press(&mut app, "d");
    let effects = press(&mut app, "y");
    let want: Command = CustomerCommand::SoftDelete {
        slug: "acme".into(),
    }
    .into();
    assert!(
        matches!(effects.as_slice(), [Effect::Execute { command, .. }] if *command == want),
        "{effects:?}"
    );
    let mut gone = trashed(2, "acme", 0);
    gone.name = "Acme".into();
    app.update(Action::CommandDone {
        outcome: Box::new(Outcome::Customer(gone)),
        action: AuditAction::CustomerDelete,
        done: "moved to the trash:".into(),
    });
    assert_eq!(app.tabs.customers.len(), 4);
    assert_eq!(
        app.tabs.trash.selected().map(|r| r.slug.as_str()),
        Some("acme")
    );
    // The provider refuses destructive keys without a dialog.
    press(&mut app, "g d");
    assert!(app.modals.is_empty());
    assert_eq!(app.status.as_ref().map(|s| s.kind), Some(StatusKind::Error));
}

#[test]
fn suspend_reads_the_typed_status_of_the_row() {
    let mut app = console(80, 24);
    press(&mut app, "j j j");
    assert_eq!(selected_slug(&app).as_deref(), Some("beta-labs"));
    let status_of = |effects: Vec<Effect>| match effects.as_slice() {
        [
            Effect::Execute {
                command: Command::Customer(CustomerCommand::SetStatus { status, .. }),
                done,
            },
        ] => (*status, done.clone()),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        status_of(press(&mut app, "s y")),
        (CustomerStatus::Active, "activated".to_owned())
    );
    press(&mut app, "k");
    assert_eq!(selected_slug(&app).as_deref(), Some("bell-works"));
    assert_eq!(
        status_of(press(&mut app, "s y")),
        (CustomerStatus::Suspended, "suspended".to_owned())
    );
}

#[test]
fn the_trash_restores_and_purges_only_after_the_slug_is_typed() {
    let mut app = console(120, 36);
    press(&mut app, "4");
    assert_eq!(
        app.tabs.trash.selected().map(|r| r.slug.as_str()),
        Some("newer-co")
    );
    let effects = press(&mut app, "r y");
    let want: Command = CustomerCommand::Restore {
        slug: "newer-co".into(),
    }
    .into();
    assert!(matches!(effects.as_slice(), [Effect::Execute { command, .. }] if *command == want));
    press(&mut app, "j");
    assert!(press(&mut app, "D").is_empty());
    assert_eq!(app.context(), Context::ConfirmTyped);
    assert!(press(&mut app, "enter").is_empty(), "nothing typed yet");
    assert_eq!(app.context(), Context::ConfirmTyped);
    type_text(&mut app, "old-co");
    let effects = press(&mut app, "enter");
    let want: Command = CustomerCommand::Purge {
        slug: "old-co".into(),
    }
    .into();
    assert!(
        matches!(effects.as_slice(), [Effect::Execute { command, .. }] if *command == want),
        "{effects:?}"
    );
    assert!(app.modals.is_empty());
    // The trash takes no filter or sort keys: they stay what they were.
    press(&mut app, "/ o");
    assert_eq!(app.context(), Context::Trash);
}

#[test]
fn help_shows_the_keys_of_where_it_was_opened() {
    for (tab_key, context) in [("1", Context::Customers), ("4", Context::Trash)] {
        let mut app = console(80, 24);
        press(&mut app, tab_key);
        press(&mut app, "?");
        assert!(
            matches!(app.modals.last(), Some(Modal::Help { context: c, .. }) if *c == context),
            "{context:?}"
        );
        assert_eq!(app.context(), Context::Help);
        press(&mut app, "j j");
        assert!(matches!(
            app.modals.last(),
            Some(Modal::Help { scroll: 2, .. })
        ));
        press(&mut app, "esc");
        assert!(app.modals.is_empty());
        assert_eq!(app.context(), context);
    }
    let mut app = console(80, 24);
    press(&mut app, "enter");
    app.update(Action::DetailLoaded(Box::new(CustomerDetail {
        row: row(
            1,
            "example-hosting",
            "Example Hosting",
            CustomerStatus::Active,
        ),
        members: Vec::new(),
        audit_events: 1,
        account: Default::default(),
        groups: Vec::new(),
        fields: Vec::new(),
    })));
    press(&mut app, "?");
    assert!(matches!(
        app.modals.last(),
        Some(Modal::Help {
            context: Context::Detail,
            ..
        })
    ));
}

#[test]
fn lock_and_sign_in_reset_every_tab() {
    let mut app = console(80, 24);
    press(&mut app, "/");
    type_text(&mut app, "be");
    press(&mut app, "enter 4 j");
    assert_eq!(press(&mut app, "L"), vec![Effect::CloseDatabase]);
    assert_eq!(app.tabs.customers.len(), 0);
    assert!(app.tabs.trash.rows().is_empty());
    assert_eq!(app.tab, Tab::Customers);
    app.update(Action::SignedIn {
        email: "owner@example.com".into(),
    });
    assert_eq!(
        app.tabs.customers.table.filter_text(),
        "",
        "the filter is gone too"
    );
    assert!(!app.tabs.trash.loaded);
}
