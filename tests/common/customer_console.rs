//! The console of a customer's own view and of impersonation, driven as the operator would:
//! the real keymap and runtime over a temporary database whose service clock the test holds
//! (a `FixedClock`), so the time limit and the idle lock are reached by setting the time, never
//! by waiting. Shared by `tui_impersonation.rs` and `tui_customer_view.rs`; include it with
//! `#[path = "common/customer_console.rs"] mod customer_console;` beside `mod common;`.
#![allow(dead_code)]

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use tenantry::domain::{CustomerKind, CustomerRole, CustomerStatus, Timestamp};
use tenantry::service::{
    AuditRow, CustomerCommand, FixedClock, InitRequest, LogQuery, NewCustomer, NewUser, OwnerSpec,
    Service, Session, UserCommand,
};
use tenantry::store::{OpenMode, Store, StoreOptions};
use tenantry::tui::action::{Action, Effect};
use tenantry::tui::app::{App, AppOptions};
use tenantry::tui::config::Config;
use tenantry::tui::keymap::KeySpec;
use tenantry::tui::runtime::Runtime;

/// 2026-11-23 13:22:03 UTC.
pub const T0: Timestamp = Timestamp(1_795_440_123_456);
pub const MINUTE: i64 = 60_000;
pub const OWNER: &str = "owner@zeta.example";
pub const PASSWORD: &str = "correct horse battery";
/// Acme's administrator, who signs in with `PASSWORD`.
pub const ANN: &str = "ann@acme.example";

pub fn options(color: bool, idle_lock_minutes: u32) -> AppOptions {
    AppOptions {
        config: Config {
            idle_lock_minutes,
            ..Config::default()
        },
        db_label: "/srv/tenantry/db".into(),
        unix_user: None,
        force_sign_in: true,
        utc_offset_secs: 0,
        color,
        sign_in_note: None,
    }
}

pub struct Console {
    pub app: App,
    pub rt: Runtime,
    /// The service the test reads the log through; `None` once released so the console can
    /// open the database again after a lock.
    pub service: Option<Arc<Service>>,
    pub owner: Session,
    pub clock: Arc<FixedClock>,
    pub now: Timestamp,
    pub dir: tempfile::TempDir,
}

fn customer(name: &str, owner: &str) -> CustomerCommand {
    CustomerCommand::Add(NewCustomer {
        name: name.into(),
        kind: CustomerKind::Corporate,
        owner: Some(OwnerSpec {
            email: owner.into(),
            first_name: Some("Ann".into()),
            last_name: Some("Admin".into()),
            password: Some(PASSWORD.into()),
        }),
        status: Some(CustomerStatus::Active),
        ..NewCustomer::default()
    })
}

/// A staff owner signed in on the Customers tab over Acme Corp (with its administrator Ann
/// and a member Bea), Beta Labs and Cyan Co.
pub fn staff_console(width: u16, height: u16, opts: AppOptions) -> Console {
    staff_console_with(width, height, opts, |_, _| {})
}

/// [`staff_console`] with `setup` run as the owner before the console first reads the list.
pub fn staff_console_with(
    width: u16,
    height: u16,
    opts: AppOptions,
    setup: impl FnOnce(&Service, &Session),
) -> Console {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let store = Store::open(&path, OpenMode::CreateIfMissing, &StoreOptions::default()).unwrap();
    let clock = Arc::new(FixedClock::new(
        T0.plus_millis(-3 * Timestamp::MILLIS_PER_DAY),
    ));
    let service = Service::new(store, clock.clone());
    let owner = service
        .init(&InitRequest {
            company: "Zeta Hosting".into(),
            email: OWNER.into(),
            first_name: "Olga".into(),
            last_name: "Owner".into(),
            password: PASSWORD.into(),
            unix_user: None,
        })
        .unwrap();
    for (name, admin) in [
        ("Acme Corp", ANN),
        ("Beta Labs", "bo@beta.example"),
        ("Cyan Co", "cy@cyan.example"),
    ] {
        service.execute(&owner, customer(name, admin)).unwrap();
    }
    service
        .execute(
            &owner,
            UserCommand::Add(NewUser {
                customer: "acme-corp".into(),
                email: "bea@acme.example".into(),
                first_name: "Bea".into(),
                last_name: "Member".into(),
                role: CustomerRole::Member,
                language: None,
                fields: Vec::new(),
            }),
        )
        .unwrap();
    setup(&service, &owner);
    clock.set(T0);
    let service = Arc::new(service);
    let backend = tenantry::backend::Local::signed_in(service.clone(), owner.clone());
    let mut rt = Runtime::with_backend(path, Arc::new(backend));
    rt.inline_loads = true;
    let mut c = Console {
        app: App::new(opts, width, height, T0),
        rt,
        service: Some(service),
        owner,
        clock,
        now: T0,
        dir,
    };
    c.act(Action::Opened {
        initialised: true,
        signed_in: Some(OWNER.into()),
    });
    c
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

impl Console {
    pub fn service(&self) -> &Service {
        self.service
            .as_ref()
            .expect("the test's service was released")
    }

    /// Runs `effects` and every effect their results ask for; returns all that ran.
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

    /// Sets the service's clock and the console's to `T0 + minutes`, and lets a tick pass.
    pub fn tick_at(&mut self, minutes: i64) -> Vec<Effect> {
        self.now = T0.plus_millis(minutes * MINUTE);
        self.clock.set(self.now);
        self.act(Action::Tick(self.now))
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.act(Action::Resize { width, height });
    }

    pub fn screen(&self) -> String {
        crate::common::screen::screen(&self.app)
    }

    /// The drawn screen's cells, colours and modifiers included.
    pub fn buffer(&self) -> Buffer {
        let mut terminal =
            Terminal::new(TestBackend::new(self.app.width, self.app.height)).unwrap();
        terminal
            .draw(|f| tenantry::tui::render::draw(f, &self.app))
            .unwrap();
        terminal.backend().buffer().clone()
    }

    pub fn selected_slug(&self) -> String {
        self.app
            .tabs
            .customers
            .selected()
            .map(|e| e.slug.clone())
            .unwrap_or_default()
    }

    /// Moves the Customers table's selection onto `slug`.
    pub fn select(&mut self, slug: &str) {
        self.press("1 g");
        for _ in 0..10 {
            if self.selected_slug() == slug {
                return;
            }
            self.press("j");
        }
        panic!("{slug} is not in the table:\n{}", self.screen());
    }

    /// Signs in on the sign-in screen as `email`, as a customer's user does.
    pub fn sign_in_as(&mut self, email: &str, password: &str) {
        self.app.screen = tenantry::tui::app::Screen::SignIn(Box::new(self.app.sign_in_form()));
        self.type_text(email);
        self.press("tab");
        self.type_text(password);
        self.press("enter");
    }

    /// The hint line (the screen's last).
    pub fn hints(&self) -> String {
        self.screen().lines().last().unwrap_or_default().to_owned()
    }

    /// `I` on the selected customer (or its detail view), the reason typed, Enter.
    pub fn impersonate_here(&mut self, reason: &str) {
        self.press("I");
        self.type_text(reason);
        self.press("enter");
        assert!(
            self.app.impersonating(),
            "the impersonation did not start:\n{}",
            self.screen()
        );
    }

    /// The newest events of the whole log, as the owner reads them.
    pub fn log(&self) -> Vec<AuditRow> {
        self.service()
            .audit_log(&self.owner, &LogQuery::default())
            .unwrap()
    }

    /// How the newest impersonation ended (`time-limit`, `idle-lock`, …).
    pub fn last_ending(&self) -> String {
        self.service()
            .impersonations(&self.owner, None, None)
            .unwrap()
            .first()
            .map(|r| r.how.clone())
            .unwrap_or_default()
    }
}
