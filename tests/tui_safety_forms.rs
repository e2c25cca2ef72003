//! Forms against a real database: every problem of a submission at once, each at its field
//! (the service validates the whole input), the add form's slug field, the idle lock keeping
//! a half-filled form, and configuration problems that stay on screen after sign-in.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tenantry::domain::Timestamp;
use tenantry::service::{
    Command, CustomerCommand, FixedClock, InitRequest, NewCustomer, OwnerSpec, Service,
    ServiceError,
};
use tenantry::store::{OpenMode, Store, StoreOptions};
use tenantry::tui::action::{Action, Effect};
use tenantry::tui::app::{App, AppOptions, Screen};
use tenantry::tui::config::Config;
use tenantry::tui::keymap::KeySpec;
use tenantry::tui::modals::{FormState, Modal};
use tenantry::tui::runtime::Runtime;

/// 2026-11-23 13:22:03 UTC.
const T0: Timestamp = Timestamp(1_795_440_123_456);
const PASSWORD: &str = "correct horse battery";

struct Harness {
    app: App,
    rt: Runtime,
    _dir: tempfile::TempDir,
}

fn service(dir: &tempfile::TempDir) -> (Service, tenantry::service::Session) {
    let store = Store::open(
        &dir.path().join("db"),
        OpenMode::CreateIfMissing,
        &StoreOptions::default(),
    )
    .unwrap();
    let service = Service::new(store, Arc::new(FixedClock::new(T0)));
    let session = service
        .init(&InitRequest {
            company: "Zeta Hosting".into(),
            email: "owner@zeta.example".into(),
            first_name: "Olga".into(),
            last_name: "Owner".into(),
            password: PASSWORD.into(),
            unix_user: None,
        })
        .unwrap();
    service
        .execute(
            &session,
            CustomerCommand::Add(NewCustomer {
                name: "Acme Corp".into(),
                ..NewCustomer::default()
            }),
        )
        .unwrap();
    (service, session)
}

fn signed_in(config: Config) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let (service, session) = service(&dir);
    let email = session.actor().label();
    let mut rt = Runtime::with_service(dir.path().join("db"), service, session);
    rt.inline_loads = true;
    let opts = AppOptions {
        config,
        db_label: "/srv/tenantry/db".into(),
        unix_user: None,
        force_sign_in: true,
        utc_offset_secs: 0,
        color: false,
        sign_in_note: None,
    };
    let mut h = Harness {
        app: App::new(opts, 80, 24, T0),
        rt,
        _dir: dir,
    };
    h.act(Action::Opened {
        initialised: true,
        signed_in: Some(email),
    });
    h
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

impl Harness {
    fn run(&mut self, effects: Vec<Effect>) -> Vec<Effect> {
        let mut seen = Vec::new();
        let mut pending = std::collections::VecDeque::from(effects);
        while let Some(effect) = pending.pop_front() {
            seen.push(effect.clone());
            for action in self.rt.run(effect) {
                pending.extend(self.app.update(action));
            }
        }
        seen
    }

    fn act(&mut self, action: Action) -> Vec<Effect> {
        let effects = self.app.update(action);
        self.run(effects)
    }

    fn press(&mut self, keys: &str) -> Vec<Effect> {
        let mut all = Vec::new();
        for k in keys.split_whitespace() {
            let effects = self.app.handle_key(&key(k), T0);
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

    fn form(&self) -> &FormState {
        match self.app.modals.last() {
            Some(Modal::Form(f)) => f,
            other => panic!("no form on top: {other:?}"),
        }
    }

    fn errors_by_field(&self) -> Vec<(String, String)> {
        let form = self.form();
        form.errors
            .iter()
            .map(|(i, r)| (form.fields[*i].key.to_string(), r.clone()))
            .collect()
    }
}

#[test]
fn the_service_reports_every_problem_of_a_new_customer_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let (service, session) = service(&dir);
    let err = service
        .execute(
            &session,
            CustomerCommand::Add(NewCustomer {
                name: "   ".into(),
                slug: Some("Not A Slug!".into()),
                language: Some("not a language".into()),
                owner: Some(OwnerSpec {
                    email: "nope".into(),
                    first_name: None,
                    last_name: None,
                    password: None,
                }),
                contact_phone: Some("call me".into()),
                ..NewCustomer::default()
            }),
        )
        .unwrap_err();
    let fields: Vec<&str> = err
        .field_problems()
        .iter()
        .map(|p| p.field.as_str())
        .collect();
    assert_eq!(
        fields,
        ["name", "slug", "language", "owner email", "phone"],
        "{err}"
    );
    assert!(matches!(err, ServiceError::InvalidFields(_)));
    // One problem alone stays the single-field error every front end already knows.
    let one = service
        .execute(
            &session,
            CustomerCommand::Add(NewCustomer {
                name: "Fine Name".into(),
                contact_phone: Some("call me".into()),
                ..NewCustomer::default()
            }),
        )
        .unwrap_err();
    assert!(
        matches!(&one, ServiceError::Invalid(v) if v.field == "phone"),
        "{one}"
    );
    // An edit too.
    let edit = service
        .execute(
            &session,
            Command::Customer(CustomerCommand::Edit {
                slug: "acme-corp".into(),
                changes: tenantry::service::CustomerChanges {
                    name: Some(String::new()),
                    contact_email: Some("no-at".into()),
                    ..Default::default()
                },
            }),
        )
        .unwrap_err();
    let fields: Vec<&str> = edit
        .field_problems()
        .iter()
        .map(|p| p.field.as_str())
        .collect();
    assert_eq!(fields, ["name", "email"], "{edit}");
}

#[test]
fn a_form_shows_every_problem_at_once_each_at_its_field() {
    let mut h = signed_in(Config::default());
    h.press("a tab");
    h.type_text("Bad Slug!");
    h.press("tab tab");
    h.type_text(" x");
    h.press("tab");
    h.type_text("nope");
    h.press("tab tab tab tab");
    h.type_text("call me");
    let effects = h.press("enter");
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Execute { .. })),
        "the service judges the input: {effects:?}"
    );
    let errors = h.errors_by_field();
    let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        fields,
        ["name", "slug", "language", "owner email", "phone"],
        "{errors:?}"
    );
    assert_eq!(h.form().focus, 0, "the first problem has the focus");
    let screen = common::screen::screen(&h.app);
    for (_, reason) in &errors {
        let start: String = reason.chars().take(20).collect();
        assert!(screen.contains(&start), "{start:?} not shown:\n{screen}");
    }
    // Fixing one field clears its message only.
    h.type_text("Wonka Labs");
    let fields: Vec<String> = h.errors_by_field().into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, ["slug", "language", "owner email", "phone"]);
}

#[test]
fn the_add_form_has_a_slug_field_that_follows_the_name_until_edited() {
    let mut h = signed_in(Config::default());
    h.press("a");
    h.type_text("Acme Corp");
    assert_eq!(
        h.form().value("slug"),
        "acme-corp",
        "prefilled from the name"
    );
    assert!(
        h.form().slug_taken.is_some(),
        "and checked: Acme Corp has it"
    );
    h.press("enter");
    let errors = h.errors_by_field();
    assert_eq!(
        errors.first().map(|e| e.0.as_str()),
        Some("slug"),
        "{errors:?}"
    );
    // The clash is fixed at the slug, without renaming.
    h.type_text("-eu");
    assert_eq!(h.form().value("slug"), "acme-corp-eu");
    assert!(h.form().slug_taken.is_none());
    h.press("shift-tab");
    h.type_text(" Europe");
    assert_eq!(
        h.form().value("slug"),
        "acme-corp-eu",
        "an edited slug no longer follows the name"
    );
    h.press("enter");
    assert!(h.app.modals.is_empty(), "added");
    assert_eq!(
        h.app.status.as_ref().unwrap().text,
        "added acme-corp-eu, pending: add its users (Enter, u), then activate it (s)",
        "with the slug as typed"
    );
}

/// A new customer starts pending (D127); activating it before it has a user is refused with
/// the keys that add one, not the CLI's command.
#[test]
fn a_customer_added_in_the_console_is_pending_and_waits_for_a_user_to_be_activated() {
    let mut h = signed_in(Config::default());
    h.press("a");
    h.type_text("Newco");
    h.press("enter");
    assert!(h.app.modals.is_empty(), "added");
    let row = h.app.tabs.customers.selected().cloned().unwrap();
    assert_eq!(row.slug, "newco");
    assert_eq!(row.status, tenantry::domain::CustomerStatus::Pending);
    h.press("s");
    h.press("y");
    assert_eq!(
        h.app.status.as_ref().unwrap().text,
        "customer \"newco\" has no users yet: add one (Enter, u), then activate it"
    );
    let row = h.app.tabs.customers.selected().cloned().unwrap();
    assert_eq!(
        row.status,
        tenantry::domain::CustomerStatus::Pending,
        "unchanged"
    );
}

#[test]
fn the_idle_lock_keeps_a_half_filled_form_for_whoever_signs_in_again() {
    let mut h = signed_in(Config::default());
    h.press("a");
    h.type_text("Half Done");
    h.press("tab tab tab tab tab tab tab");
    h.type_text("ann@half.example");
    let effects = h.act(Action::Tick(T0.plus_millis(15 * 60_000)));
    assert_eq!(effects, vec![Effect::CloseDatabase]);
    assert!(matches!(h.app.screen, Screen::SignIn(_)));
    assert!(h.app.modals.is_empty(), "nothing shows behind the lock");
    assert!(
        h.app.status.as_ref().unwrap().text.contains("comes back"),
        "the lock says the form is kept"
    );
    h.type_text("owner@zeta.example");
    h.press("tab");
    h.type_text(PASSWORD);
    h.press("enter");
    assert!(matches!(h.app.screen, Screen::Main));
    let form = h.form();
    assert_eq!(form.value("name"), "Half Done");
    assert_eq!(form.value("email"), "ann@half.example");
    assert_eq!(form.value("slug"), "half-done");
    h.press("enter");
    assert!(h.app.modals.is_empty(), "{:?}", h.form().errors);
    assert_eq!(
        h.app.status.as_ref().unwrap().text,
        "added half-done, pending: add its users (Enter, u), then activate it (s)"
    );
}

#[test]
fn configuration_problems_stay_on_screen_after_sign_in_until_closed() {
    let mut config =
        Config::parse("[keys.customers]\nno_such_action = \"x\"\nadd_customer = \"ctrl-\"\n");
    assert_eq!(config.problems.len(), 2, "{:?}", config.problems);
    config.idle_lock_minutes = 0;
    let mut h = signed_in(config);
    let Some(Modal::Message { title, text }) = h.app.modals.last() else {
        panic!("the problems must stay on screen: {:?}", h.app.modals);
    };
    assert!(title.contains("configuration"), "{title}");
    assert!(
        text.contains("no_such_action") && text.contains("add_customer"),
        "{text}"
    );
    let screen = common::screen::screen(&h.app);
    assert!(screen.contains("no_such_action"), "{screen}");
    assert!(
        screen.contains("close"),
        "it says how to close it:\n{screen}"
    );
    // Keys do not pass through it to the list.
    h.press("j d");
    assert!(matches!(h.app.modals.last(), Some(Modal::Message { .. })));
    h.press("enter");
    assert!(h.app.modals.is_empty());
}
