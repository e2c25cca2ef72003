//! The console without a terminal: `App::update` driven by key events through the real keymap
//! and a runtime over a real temporary database (fixed clock), and `insta` snapshots of every
//! screen and modal rendered into ratatui's `TestBackend` at 80x24 and 120x36.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tenantry::domain::{CustomerKind, CustomerStatus, StaffRole, Timestamp};
use tenantry::service::{
    Command, CustomerCommand, FixedClock, InitRequest, NewCustomer, NewStaff, OwnerSpec, Service,
    StaffCommand,
};
use tenantry::store::{OpenMode, Store, StoreOptions};
use tenantry::tui::action::{Action, Effect};
use tenantry::tui::app::{App, AppOptions, Screen};
use tenantry::tui::config::Config;
use tenantry::tui::keymap::{self, KeySpec, Keymap};
use tenantry::tui::runtime::Runtime;
use tenantry::tui::{modals::Modal, tabs::Tab};

/// 2026-11-23 13:22:03 UTC.
const T0: Timestamp = Timestamp(1_795_440_123_456);
const DAY: i64 = Timestamp::MILLIS_PER_DAY;

fn options() -> AppOptions {
    AppOptions {
        config: Config::default(),
        db_label: "/srv/tenantry/db".into(),
        unix_user: Some("ops".into()),
        force_sign_in: false,
        utc_offset_secs: 0,
        color: false,
        sign_in_note: None,
    }
}

struct Harness {
    app: App,
    rt: Option<Runtime>,
    _dir: tempfile::TempDir,
}

fn new_customer(name: &str, kind: CustomerKind, owner: &str) -> CustomerCommand {
    CustomerCommand::Add(NewCustomer {
        name: name.into(),
        kind,
        owner: Some(OwnerSpec {
            email: owner.into(),
            first_name: Some("Ann".into()),
            last_name: Some("Owner".into()),
            password: None,
        }),
        status: Some(CustomerStatus::Active),
        ..NewCustomer::default()
    })
}

/// A signed-in console over a database with a few customers, some with wide or odd names.
fn signed_in(width: u16, height: u16) -> Harness {
    signed_in_as(None, width, height)
}

/// [`signed_in`], or as a staff member of `role` the owner added (password `PASSWORD`).
fn signed_in_as(role: Option<StaffRole>, width: u16, height: u16) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let store = Store::open(&path, OpenMode::CreateIfMissing, &StoreOptions::default()).unwrap();
    let clock = Arc::new(FixedClock::new(T0.plus_millis(-60 * DAY)));
    let service = Service::new(store, clock.clone());
    let session = service
        .init(&InitRequest {
            company: "Zeta Hosting".into(),
            email: "owner@zeta.example".into(),
            first_name: "Olga".into(),
            last_name: "Owner".into(),
            password: "correct horse battery".into(),
            unix_user: None,
        })
        .unwrap();
    let customers = [
        ("Acme Corp", CustomerKind::Corporate, "ann@acme.example"),
        (
            "北京贸易有限公司",
            CustomerKind::Corporate,
            "li@beijing.example",
        ),
        (
            "🎉 Party Supplies",
            CustomerKind::Corporate,
            "party@fun.example",
        ),
        (
            "Bob Builder",
            CustomerKind::Individual,
            "bob@builder.example",
        ),
        (
            "Café Zürich",
            CustomerKind::Corporate,
            "cafe@zurich.example",
        ),
        (
            "Old Widgets",
            CustomerKind::Corporate,
            "old@widgets.example",
        ),
        (
            "Gone Gadgets",
            CustomerKind::Corporate,
            "gone@gadgets.example",
        ),
    ];
    for (i, (name, kind, owner)) in customers.iter().enumerate() {
        clock.advance_days(7);
        clock.advance_millis(i as i64 * 3_600_000);
        service
            .execute(&session, new_customer(name, *kind, owner))
            .unwrap();
    }
    clock.set(T0.plus_millis(-2 * 3_600_000));
    service
        .execute(
            &session,
            new_customer("Fresh Start", CustomerKind::Corporate, "new@fresh.example"),
        )
        .unwrap();
    service
        .execute(
            &session,
            CustomerCommand::SetStatus {
                slug: "bob-builder".into(),
                status: CustomerStatus::Suspended,
            },
        )
        .unwrap();
    clock.set(T0.plus_millis(-3 * DAY));
    for slug in ["old-widgets", "gone-gadgets"] {
        service
            .execute(&session, CustomerCommand::SoftDelete { slug: slug.into() })
            .unwrap();
        clock.advance_days(1);
    }
    clock.set(T0);
    let session = match role {
        None => session,
        Some(role) => {
            service
                .execute(
                    &session,
                    StaffCommand::Add(NewStaff {
                        email: "staff@zeta.example".into(),
                        first_name: "Sam".into(),
                        last_name: "Staff".into(),
                        role,
                        unix_user: None,
                        password: Some("the staff member's password".into()),
                    }),
                )
                .unwrap();
            service
                .sign_in("staff@zeta.example", "the staff member's password")
                .unwrap()
        }
    };
    let email = session.actor().label();
    let mut rt = Runtime::with_service(path, service, session);
    rt.inline_loads = true;
    let mut h = Harness {
        app: App::new(options(), width, height, T0),
        rt: Some(rt),
        _dir: dir,
    };
    h.act(Action::Opened {
        initialised: true,
        signed_in: Some(email),
    });
    h
}

/// A console with no database behind it, on the screen `opened` leads to.
fn entry(width: u16, height: u16, initialised: bool) -> Harness {
    let mut h = Harness {
        app: App::new(options(), width, height, T0),
        rt: None,
        _dir: tempfile::tempdir().unwrap(),
    };
    h.act(Action::Opened {
        initialised,
        signed_in: None,
    });
    h
}

fn key_event(spec: &str) -> KeyEvent {
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

impl Harness {
    fn run(&mut self, effects: Vec<Effect>) -> Vec<Effect> {
        let mut seen = Vec::new();
        let mut pending = std::collections::VecDeque::from(effects);
        while let Some(effect) = pending.pop_front() {
            seen.push(effect.clone());
            if let Some(rt) = &mut self.rt {
                for action in rt.run(effect) {
                    pending.extend(self.app.update(action));
                }
            }
        }
        seen
    }

    fn act(&mut self, action: Action) -> Vec<Effect> {
        let effects = self.app.update(action);
        self.run(effects)
    }

    /// Presses keys given as keymap names, separated by spaces (`"j j enter"`).
    fn press(&mut self, keys: &str) -> Vec<Effect> {
        let mut all = Vec::new();
        for k in keys.split_whitespace() {
            let effects = self.app.handle_key(&key_event(k), T0);
            all.extend(self.run(effects));
        }
        all
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let effects = self
                .app
                .handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), T0);
            self.run(effects);
        }
    }

    fn screen(&self) -> String {
        common::screen::screen(&self.app)
    }

    fn selected_slug(&self) -> String {
        self.app
            .tabs
            .customers
            .selected()
            .map(|e| e.slug.clone())
            .unwrap_or_default()
    }
}

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 36)];

fn snap(name: &str, width: u16, screen: &str) {
    insta::assert_snapshot!(format!("{name}_{width}"), screen);
}

#[test]
fn screens_setup_sign_in_and_too_small() {
    for (w, h) in SIZES {
        let mut setup = entry(w, h, false);
        setup.type_text("Zeta Hosting");
        setup.press("tab");
        setup.type_text("Olga");
        snap("setup", w, &setup.screen());
        let mut sign_in = entry(w, h, true);
        sign_in.type_text("olga@zeta.example");
        sign_in.press("tab");
        sign_in.type_text("secret");
        let screen = sign_in.screen();
        assert!(!screen.contains("secret"), "the password must be masked");
        snap("sign_in", w, &screen);
    }
    let small = entry(59, 24, true);
    let screen = small.screen();
    assert!(screen.contains("terminal too small (needs 60x16)"));
    snap("too_small", 59, &screen);
}

/// The plan is the *manage service plans* privilege's: an operator's detail view has no Plan
/// line, because the service does not tell the console (D124).
#[test]
fn an_operator_sees_no_plan_in_the_detail_view() {
    let mut owner = signed_in(80, 24);
    owner.press("j enter");
    assert!(owner.screen().contains("Plan  none"), "{}", owner.screen());
    let mut operator = signed_in_as(Some(StaffRole::Operator), 80, 24);
    operator.press("j enter");
    let screen = operator.screen();
    assert!(screen.contains("System  main"), "{screen}");
    assert!(!screen.contains("Plan"), "{screen}");
    snap("detail_operator", 80, &screen);
}

#[test]
fn screens_customers_detail_and_trash() {
    for (w, h) in SIZES {
        let mut c = signed_in(w, h);
        c.press("j");
        snap("customers", w, &c.screen());
        c.press("enter");
        snap("detail", w, &c.screen());
        c.press("esc 4");
        snap("trash", w, &c.screen());
    }
}

#[test]
fn screens_add_form_with_an_error_confirm_and_help() {
    for (w, h) in SIZES {
        let mut c = signed_in(w, h);
        c.press("a");
        c.type_text("Acme Corp");
        c.press("tab tab tab tab");
        c.type_text("not-an-email");
        c.press("enter");
        snap("add_form_error", w, &c.screen());
        c.press("esc y j d");
        snap("confirm_delete", w, &c.screen());
        c.press("n ?");
        snap("help", w, &c.screen());
    }
}

#[test]
fn the_provider_is_pinned_first_and_offers_no_destructive_action() {
    let mut c = signed_in(120, 36);
    assert_eq!(c.selected_slug(), "zeta-hosting");
    assert!(c.app.tabs.customers.selected().unwrap().is_provider);
    let effects = c.press("d s e c");
    assert!(effects.is_empty(), "{effects:?}");
    assert!(c.app.modals.is_empty());
    let status = c.app.status.clone().unwrap().text;
    assert!(status.contains("provider company"), "{status}");
    c.press("o o");
    assert_eq!(c.selected_slug(), "zeta-hosting");
}

#[test]
fn navigation_filter_and_sort_go_through_the_keymap() {
    let mut c = signed_in(80, 24);
    c.press("G");
    assert_eq!(c.selected_slug(), "tada-party-supplies");
    c.press("g j j");
    assert_eq!(c.selected_slug(), "bei-jing-mao-yi-you-xian-gong-si");
    c.press("/");
    c.type_text("ZüR");
    assert_eq!(c.app.tabs.customers.len(), 1);
    assert_eq!(c.selected_slug(), "cafe-zurich");
    c.press("enter");
    assert!(!c.app.tabs.customers.table.filtering);
    c.press("esc");
    assert_eq!(c.app.tabs.customers.len(), 7);
    c.press("/");
    c.type_text("@builder");
    assert_eq!(c.selected_slug(), "bob-builder");
    c.press("esc o");
    assert_eq!(c.app.tabs.customers.index().sort().0.label(), "type");
    c.press("o o o O");
    let (key, descending) = c.app.tabs.customers.index().sort();
    assert_eq!((key.label(), descending), ("created", true));
    c.press("j");
    assert_eq!(c.selected_slug(), "fresh-start");
    c.press("/");
    c.type_text("q");
    assert!(!c.app.quit, "q is typed into the filter");
    c.press("ctrl-c");
    assert!(c.app.quit, "Ctrl-C quits from the filter line too");
}

#[test]
fn a_refused_submission_keeps_the_input_and_names_the_field() {
    let mut c = signed_in(80, 24);
    c.press("a");
    c.type_text("Acme Corp");
    let Some(Modal::Form(form)) = c.app.modals.last() else {
        panic!("no form");
    };
    assert_eq!(form.slug_preview.as_deref(), Some("acme-corp"));
    assert!(
        form.slug_taken
            .as_deref()
            .unwrap_or("")
            .contains("Acme Corp")
    );
    c.press("enter");
    let Some(Modal::Form(form)) = c.app.modals.last() else {
        panic!("the form closed");
    };
    assert_eq!(form.value("name"), "Acme Corp");
    let (at, reason) = form.errors.first().cloned().unwrap();
    assert_eq!(form.fields[at].key, "slug", "a clash is fixed at the slug");
    assert_eq!(form.focus, at);
    assert!(reason.contains("already taken"), "{reason}");
    c.type_text("-two");
    c.press("enter");
    assert!(c.app.modals.is_empty());
    assert_eq!(c.selected_slug(), "acme-corp-two");
    assert_eq!(
        c.app.status.clone().unwrap().text,
        "added acme-corp-two, pending: add its users (Enter, u), then activate it (s)"
    );
}

#[test]
fn esc_asks_before_discarding_typed_input_and_quit_asks_too() {
    let mut c = signed_in(80, 24);
    c.press("a esc");
    assert!(c.app.modals.is_empty(), "an empty form closes at once");
    c.press("a");
    c.type_text("X");
    c.press("esc");
    assert!(matches!(c.app.modals.last(), Some(Modal::Confirm(_))));
    c.press("n");
    assert!(matches!(c.app.modals.last(), Some(Modal::Form(_))));
    c.press("ctrl-c");
    assert!(!c.app.quit);
    c.press("y");
    assert!(c.app.quit);
}

#[test]
fn delete_restore_and_purge_round_trip() {
    let mut c = signed_in(80, 24);
    c.press("/");
    c.type_text("acme");
    c.press("enter d");
    let effects = c.press("y");
    assert!(matches!(
        effects.as_slice(),
        [Effect::Execute { command: Command::Customer(CustomerCommand::SoftDelete { slug }), .. }] if slug == "acme-corp"
    ));
    assert_eq!(c.app.tabs.customers.len(), 0);
    c.press("4");
    assert_eq!(c.app.tab, Tab::Trash);
    assert_eq!(c.app.tabs.trash.selected().unwrap().slug, "acme-corp");
    c.press("r y");
    assert!(
        c.app
            .tabs
            .trash
            .rows()
            .iter()
            .all(|r| r.slug != "acme-corp")
    );
    c.press("1 esc");
    assert_eq!(c.app.tabs.customers.len(), 7);
    c.press("4 D enter");
    assert!(
        matches!(c.app.modals.last(), Some(Modal::Confirm(_))),
        "needs the slug"
    );
    let slug = c.app.tabs.trash.selected().unwrap().slug.clone();
    c.type_text(&slug);
    c.press("enter");
    assert!(c.app.modals.is_empty());
    assert!(c.app.tabs.trash.rows().iter().all(|r| r.slug != slug));
}

#[test]
fn idle_lock_returns_to_sign_in_and_closes_the_database() {
    let mut c = signed_in(80, 24);
    let effects = c.act(Action::Tick(T0.plus_millis(14 * 60_000)));
    assert!(effects.is_empty());
    let effects = c.act(Action::Tick(T0.plus_millis(15 * 60_000)));
    assert_eq!(effects, vec![Effect::CloseDatabase]);
    assert!(matches!(c.app.screen, Screen::SignIn(_)));
    assert_eq!(
        c.app.tabs.customers.len(),
        0,
        "nothing shown stays in memory"
    );
    assert!(!c.rt.as_ref().unwrap().is_open());
    c.type_text("owner@zeta.example");
    c.press("tab");
    c.type_text("wrong password!");
    c.press("enter");
    let Screen::SignIn(form) = &c.app.screen else {
        panic!("left the sign-in screen");
    };
    assert_eq!(
        form.general_error.as_deref(),
        Some("email or password is incorrect")
    );
    assert_eq!(form.value("password"), "", "a failed password is cleared");
    c.press("shift-tab");
    c.press("tab");
    c.type_text("correct horse battery");
    c.press("enter");
    assert!(matches!(c.app.screen, Screen::Main));
    assert!(c.rt.as_ref().unwrap().is_open());
    assert_eq!(c.app.tabs.customers.len(), 7);
}

#[test]
fn mouse_clicks_select_rows_sort_columns_and_switch_tabs() {
    let mut c = signed_in(120, 36);
    c.act(Action::Click { column: 10, row: 6 });
    assert_eq!(c.app.tabs.customers.table.cursor.selected, 3);
    c.act(Action::ScrollDown);
    assert_eq!(c.app.tabs.customers.table.cursor.selected, 4);
    let name_x = tenantry::tui::tabs::customers::column_widths(120)[0] + 2;
    c.act(Action::Click {
        column: name_x,
        row: 2,
    });
    assert_eq!(c.app.tabs.customers.index().sort().0.label(), "name");
    let trash_x =
        tenantry::tui::layout::tab_spans(&tenantry::tui::customer_view::STAFF_TABS)[3].1 + 1;
    c.act(Action::Click {
        column: trash_x,
        row: 0,
    });
    assert_eq!(c.app.tab, Tab::Trash);
}

#[test]
fn docs_keys_md_matches_the_keymap() {
    let generated = keymap::markdown(&Keymap::defaults());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/keys.md");
    if std::env::var_os("UPDATE_KEYS_DOC").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "docs/keys.md is out of date; regenerate with UPDATE_KEYS_DOC=1 cargo test --test tui docs_keys"
    );
}

#[test]
fn the_detail_view_scrolls_through_many_members_and_leaves_the_selection_alone() {
    let mut c = signed_in(80, 24);
    c.press("j");
    let selected = c.selected_slug();
    c.press("enter");
    let detail = c.app.tabs.customers.detail.as_mut().expect("detail open");
    for i in 0..40 {
        detail.members.push(tenantry::service::MemberRow {
            email: format!("member{i:02}@example.com"),
            name: format!("Member {i:02}"),
            role: "member".into(),
            status: "active".into(),
            is_owner: false,
        });
    }
    let top = c.screen();
    assert!(!top.contains("member39@example.com"));
    c.press("j j");
    assert_eq!(c.app.tabs.customers.detail_scroll, 2);
    c.press("G");
    let bottom = c.screen();
    assert!(bottom.contains("member39@example.com"), "{bottom}");
    assert!(
        !bottom.contains("Customer "),
        "the title has scrolled away: {bottom}"
    );
    c.press("g");
    assert_eq!(c.screen(), top);
    c.press("esc");
    assert!(c.app.tabs.customers.detail.is_none());
    assert_eq!(c.selected_slug(), selected);
}
