//! The console driven as the operator would: a real keymap and runtime over a temporary
//! database with a fixed clock, drawn to a `TestBackend`. Shared by the `tui_readable*` tests.
#![allow(dead_code)]

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tenantry::domain::{CustomerKind, CustomerStatus, Timestamp};
use tenantry::service::{
    CustomerCommand, FixedClock, InitRequest, NewCustomer, OwnerSpec, Service, Session,
};
use tenantry::store::{OpenMode, Store, StoreOptions};
use tenantry::tui::action::{Action, Effect};
use tenantry::tui::app::{App, AppOptions};
use tenantry::tui::config::Config;
use tenantry::tui::keymap::KeySpec;
use tenantry::tui::runtime::Runtime;

/// 2026-11-23 13:22:03 UTC.
pub const T0: Timestamp = Timestamp(1_795_440_123_456);
pub const DAY: i64 = Timestamp::MILLIS_PER_DAY;

pub fn options() -> AppOptions {
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

pub struct Harness {
    pub app: App,
    pub rt: Runtime,
    pub service: Arc<Service>,
    pub session: Session,
    pub now: Timestamp,
    _dir: tempfile::TempDir,
}

pub fn customer(name: &str, owner: &str) -> CustomerCommand {
    CustomerCommand::Add(NewCustomer {
        name: name.into(),
        kind: CustomerKind::Corporate,
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

/// The customers every readable test starts from: names that differ only at their end, a
/// long slug, long emails, one created today.
pub const CUSTOMERS: &[(&str, &str)] = &[
    ("Wonka Labs 276", "charlie.bucket.276@wonka-labs.example"),
    ("Wonka Labs 76", "charlie.bucket.76@wonka-labs.example"),
    ("Wonka Labs 7", "charlie.bucket.7@wonka-labs.example"),
    ("Acme Corp", "ann@acme.example"),
    (
        "Wonka Confectionery Laboratories 276",
        "oompa@wonka-confectionery.example",
    ),
    (
        "Wonka Confectionery Laboratories 76",
        "loompa@wonka-confectionery.example",
    ),
    (
        "Internationale Handelsgesellschaft Nord",
        "info@internationale-handelsgesellschaft.example",
    ),
];

/// A signed-in console over the database `CUSTOMERS` describes, `width` x `height`.
pub fn signed_in(width: u16, height: u16) -> Harness {
    signed_in_with(width, height, options())
}

pub fn signed_in_with(width: u16, height: u16, opts: AppOptions) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let store = Store::open(&path, OpenMode::CreateIfMissing, &StoreOptions::default()).unwrap();
    let clock = Arc::new(FixedClock::new(T0.plus_millis(-40 * DAY)));
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
    for (name, owner) in CUSTOMERS {
        clock.advance_days(3);
        service.execute(&session, customer(name, owner)).unwrap();
    }
    clock.set(T0.plus_millis(-2 * 3_600_000));
    service
        .execute(&session, customer("Fresh Start", "new@fresh.example"))
        .unwrap();
    clock.set(T0);
    let service = Arc::new(service);
    let email = session.actor().label();
    let backend = tenantry::backend::Local::signed_in(service.clone(), session.clone());
    let mut rt = Runtime::with_backend(path, Arc::new(backend));
    rt.inline_loads = true;
    let mut h = Harness {
        app: App::new(opts, width, height, T0),
        rt,
        service,
        session,
        now: T0,
        _dir: dir,
    };
    h.act(Action::Opened {
        initialised: true,
        signed_in: Some(email),
    });
    h
}

pub fn key_event(spec: &str) -> KeyEvent {
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
    pub fn run(&mut self, effects: Vec<Effect>) -> Vec<Effect> {
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

    pub fn act(&mut self, action: Action) -> Vec<Effect> {
        let effects = self.app.update(action);
        self.run(effects)
    }

    /// Presses keys given as keymap names, separated by spaces (`"j j enter"`).
    pub fn press(&mut self, keys: &str) -> Vec<Effect> {
        let mut all = Vec::new();
        for k in keys.split_whitespace() {
            let effects = self.app.handle_key(&key_event(k), self.now);
            all.extend(self.run(effects));
        }
        all
    }

    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let effects = self.app.handle_key(
                &KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
                self.now,
            );
            self.run(effects);
        }
    }

    pub fn screen(&self) -> String {
        crate::common::screen::screen(&self.app)
    }

    pub fn selected_slug(&self) -> String {
        self.app
            .tabs
            .customers
            .selected()
            .map(|e| e.slug.clone())
            .unwrap_or_default()
    }

    /// The slugs in the order the Customers table shows them.
    pub fn shown_slugs(&self) -> Vec<String> {
        let t = &self.app.tabs.customers;
        (0..t.len())
            .filter_map(|n| {
                use tenantry::tui::table::RowSource;
                t.index().get(n).map(|e| e.slug.clone())
            })
            .collect()
    }
}
