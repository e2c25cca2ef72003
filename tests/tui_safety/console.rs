//! A signed-in console without a database for the safety tests: plain rows whose allowed
//! actions are what the service computes for a staff role, keys through the real keymap.
#![allow(dead_code)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tenantry::domain::{CustomerKind, CustomerStatus, StaffRole, Timestamp};
use tenantry::service::{AllowedActions, Command, CustomerRow, Subject};
use tenantry::tui::action::{Action, Effect};
use tenantry::tui::app::{App, AppOptions};
use tenantry::tui::config::Config;
use tenantry::tui::keymap::KeySpec;

/// 2026-11-23 13:22:03 UTC.
pub const T0: Timestamp = Timestamp(1_795_440_123_456);
const DAY: i64 = Timestamp::MILLIS_PER_DAY;

pub fn row(
    id: u64,
    slug: &str,
    name: &str,
    status: CustomerStatus,
    role: StaffRole,
) -> CustomerRow {
    let subject = Subject {
        is_provider: id == 1,
        trashed: false,
        status,
        independent: false,
    };
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
        allowed: AllowedActions::for_role(role, subject),
    }
}

pub fn trashed(id: u64, slug: &str, role: StaffRole) -> CustomerRow {
    let mut r = row(id, slug, &slug.to_uppercase(), CustomerStatus::Active, role);
    r.deleted_at = Some(Timestamp(T0.0 - 2 * DAY));
    r.deleted_by = Some("owner@example.com".into());
    r.purge_at = Some(Timestamp(T0.0 + 28 * DAY));
    r.allowed = AllowedActions::for_role(
        role,
        Subject {
            is_provider: false,
            trashed: true,
            status: CustomerStatus::Active,
            independent: false,
        },
    );
    r
}

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

/// Signed in as a staff member with `role`, at `width` x `height`, with a few customers and
/// one trashed customer loaded from plain rows.
pub fn console_as(role: StaffRole, width: u16, height: u16) -> App {
    let mut app = App::new(options(), width, height, T0);
    app.update(Action::Opened {
        initialised: true,
        signed_in: Some("staff@example.com".into()),
    });
    let rows = vec![
        row(
            1,
            "example-hosting",
            "Example Hosting",
            CustomerStatus::Active,
            role,
        ),
        row(2, "acme", "Acme", CustomerStatus::Active, role),
        row(3, "beta-labs", "Beta Labs", CustomerStatus::Suspended, role),
        row(4, "zeta", "Zeta", CustomerStatus::Active, role),
    ];
    app.update(Action::FirstPage(rows));
    app.update(Action::IndexLoaded);
    app.update(Action::TrashLoaded(vec![trashed(10, "old-co", role)]));
    app
}

pub fn console(width: u16, height: u16) -> App {
    console_as(StaffRole::Owner, width, height)
}

pub fn key(spec: &str) -> KeyEvent {
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

pub fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    keys.split_whitespace()
        .flat_map(|k| app.handle_key(&key(k), T0))
        .collect()
}

pub fn type_text(app: &mut App, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| app.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), T0))
        .collect()
}

pub fn selected_slug(app: &App) -> Option<String> {
    app.tabs.customers.selected().map(|e| e.slug.clone())
}

pub fn executes(effects: &[Effect]) -> Vec<&Command> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Execute { command, .. } => Some(command),
            _ => None,
        })
        .collect()
}

pub fn resize(app: &mut App, width: u16, height: u16) {
    app.update(Action::Resize { width, height });
}
