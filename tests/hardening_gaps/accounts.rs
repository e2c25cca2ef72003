//! Ways in that are not: an empty password variable counted as a sign-in attempt, and a
//! link to a Unix account this machine does not have counted as an owner who can sign in.

use std::sync::Arc;

use predicates::str::contains;
use tenantry::domain::StaffRole;
use tenantry::service::{FixedClock, NewStaff, Service, StaffChanges, StaffCommand};
use tenantry::store::{OpenMode, Store, StoreOptions};

use super::common::{PASSWORD, START, cli::CliDb};

#[test]
fn an_empty_password_variable_counts_as_unset_not_as_a_failed_sign_in() {
    let db = CliDb::init();
    // More runs than the lockout threshold: none may count.
    for _ in 0..6 {
        db.cmd()
            .env("TENANTRY_PASSWORD", "")
            .args(["--user", "ops@example.com", "customer", "list"])
            .assert()
            .code(2)
            .stderr(contains("a password is needed"));
    }
    db.cmd()
        .env("TENANTRY_PASSWORD", PASSWORD)
        .args(["--user", "ops@example.com", "customer", "list"])
        .assert()
        .success();
    let log = db.stdout(&["log", "--format", "json"]);
    assert!(!log.contains("user.lockout"), "{log}");
    // The same for a new password: empty is no password, not a too-short one.
    db.cmd()
        .env("TENANTRY_NEW_PASSWORD", "")
        .args(["staff", "edit", "ops@example.com", "--password"])
        .assert()
        .code(2)
        .stderr(contains("a password is needed: set TENANTRY_NEW_PASSWORD"));
}

#[test]
fn linking_a_unix_account_that_does_not_exist_is_refused() {
    let db = CliDb::init();
    db.run(&[
        "staff",
        "add",
        "--email",
        "bob@example.com",
        "--first",
        "Bob",
        "--last",
        "Builder",
        "--role",
        "owner",
    ])
    .success();
    db.run(&[
        "staff",
        "edit",
        "bob@example.com",
        "--unix-user",
        "ghostuserxyz",
    ])
    .failure()
    .stderr(contains("no Unix account \"ghostuserxyz\" on this machine"));
    // So the real owner, still the only one who can sign in, cannot demote themselves.
    db.run(&["staff", "edit", "ops@example.com", "--role", "operator"])
        .failure();
    let staff = db.stdout(&["staff", "list", "--format", "json"]);
    assert!(!staff.contains("ghostuserxyz"), "{staff}");
}

#[test]
fn the_unix_account_look_up_is_the_services_rule() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(
        &dir.path().join("db"),
        OpenMode::CreateIfMissing,
        &StoreOptions::default(),
    )
    .unwrap();
    let service = Service::new(store, Arc::new(FixedClock::new(START)))
        .with_unix_accounts(|name| name == "realuser");
    service
        .init(&tenantry::service::InitRequest {
            company: "Example Hosting".into(),
            email: "owner@example.com".into(),
            first_name: "Olga".into(),
            last_name: "Owner".into(),
            password: PASSWORD.into(),
            unix_user: None,
        })
        .unwrap();
    let owner = service.sign_in("owner@example.com", PASSWORD).unwrap();
    let add = |unix: &str| {
        service.execute(
            &owner,
            StaffCommand::Add(NewStaff {
                email: format!("{unix}@example.com"),
                first_name: "Sam".into(),
                last_name: "Staff".into(),
                role: StaffRole::Operator,
                unix_user: Some(unix.into()),
                password: None,
            }),
        )
    };
    let err = add("ghost").unwrap_err().to_string();
    assert!(err.contains("no Unix account \"ghost\""), "{err}");
    add("realuser").unwrap();
    let err = service
        .execute(
            &owner,
            StaffCommand::Edit {
                email: "realuser@example.com".into(),
                changes: StaffChanges {
                    unix_user: Some("ghost".into()),
                    ..StaffChanges::default()
                },
            },
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("no Unix account \"ghost\""), "{err}");
}

#[test]
fn the_console_sends_no_sign_in_without_a_password() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use tenantry::tui::action::{Action, Effect};
    use tenantry::tui::app::{App, AppOptions};
    let options = AppOptions {
        config: tenantry::tui::config::Config::default(),
        db_label: "db".into(),
        unix_user: None,
        force_sign_in: true,
        utc_offset_secs: 0,
        color: false,
        sign_in_note: None,
    };
    let mut app = App::new(options, 80, 24, START);
    app.update(Action::Opened {
        initialised: true,
        signed_in: None,
    });
    for c in "ops@example.com".chars() {
        app.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), START);
    }
    let effects = app.handle_key(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE), START);
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::SignIn { .. })),
        "an empty password was sent as a sign-in attempt: {effects:?}"
    );
    let screen = super::common::screen::screen(&app);
    assert!(screen.contains("type the password"), "{screen}");
}
