//! Sessions the service can trust, and the one seam front ends reach it through: a session
//! signed in earlier is judged by the acting user as stored now (disabled → refused, demoted
//! → the new role), through the service, the in-process backend and the real console; and the
//! console driven over a fake backend with no database at all.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;
#[path = "session_seam/console.rs"]
mod console;
#[path = "session_seam/fake.rs"]
mod fake;

use std::sync::Arc;

use common::{PASSWORD, fixture};
use console::{Console, T0};
use tenantry::backend::{Backend, BackendExt, CustomerRows, Local, every_page};
use tenantry::domain::{CustomerStatus, StaffRole};
use tenantry::service::query::{ListStaff, ShowCustomer};
use tenantry::service::{
    Command, CustomerQuery, LogQuery, NewCustomer, Query, ServiceError, StaffChanges,
};

fn add_customer(name: &str) -> Command {
    Command::Customer(tenantry::service::CustomerCommand::Add(NewCustomer {
        name: name.into(),
        ..NewCustomer::default()
    }))
}

#[test]
fn a_disabled_staff_members_existing_session_is_refused_on_its_next_command() {
    let f = fixture();
    let admin = f.staff("ada@example.com", StaffRole::Administrator);
    f.service
        .execute(&admin, add_customer("Before Disable"))
        .expect("an active administrator may add a customer");
    f.exec(Command::Staff(tenantry::service::StaffCommand::Disable {
        email: "ada@example.com".into(),
    }))
    .expect("the owner disables the administrator");

    let err = f
        .service
        .execute(&admin, add_customer("After Disable"))
        .expect_err("a disabled member's session must not act");
    assert!(
        matches!(&err, ServiceError::Refused(m) if m.contains("ada@example.com") && m.contains("disabled")),
        "{err}"
    );
    let read = f
        .service
        .list_staff(&admin)
        .expect_err("nor read, from the same moment");
    assert!(matches!(read, ServiceError::Refused(_)), "{read}");
    assert!(!f.slugs(false).contains(&"after-disable".to_string()));

    f.exec(Command::Staff(tenantry::service::StaffCommand::Enable {
        email: "ada@example.com".into(),
    }))
    .expect("enable");
    f.service
        .execute(&admin, add_customer("After Enable"))
        .expect("enabled again, the same session acts again");
}

#[test]
fn a_demoted_staff_members_existing_session_acts_with_the_new_lesser_role() {
    let f = fixture();
    let admin = f.staff("ada@example.com", StaffRole::Administrator);
    f.service
        .execute(&admin, add_customer("Before Demotion"))
        .expect("an administrator may add a customer");
    f.exec(Command::Staff(tenantry::service::StaffCommand::Edit {
        email: "ada@example.com".into(),
        changes: StaffChanges {
            role: Some(StaffRole::Auditor),
            ..StaffChanges::default()
        },
    }))
    .expect("the owner demotes the administrator to auditor");

    let err = f
        .service
        .execute(&admin, add_customer("After Demotion"))
        .expect_err("an auditor may not add customers");
    assert!(
        matches!(err, ServiceError::PermissionDenied { .. }),
        "{err}"
    );
    // What the new role allows still works, and the service says who acts and how.
    f.service
        .audit_log(&admin, &LogQuery::default())
        .expect("an auditor reads the log");
    let now = f.service.acting(&admin).expect("still active");
    assert_eq!(now.staff_role(), Some(StaffRole::Auditor));
    assert_eq!(now.info().staff_role, Some(StaffRole::Auditor));
    assert_eq!(admin.staff_role(), Some(StaffRole::Administrator));
}

#[test]
fn a_signed_in_session_describes_who_acts_without_granting_anything() {
    let f = fixture();
    let session = f.service.sign_in("owner@example.com", PASSWORD).unwrap();
    let info = session.info();
    assert_eq!(info.kind, tenantry::service::SessionKind::Staff);
    assert_eq!(info.email, "owner@example.com");
    assert_eq!(info.staff_role, Some(StaffRole::Owner));
    assert_eq!(info.customer, None);
}

fn demote(email: &str, role: StaffRole) -> Command {
    Command::Staff(tenantry::service::StaffCommand::Edit {
        email: email.into(),
        changes: StaffChanges {
            role: Some(role),
            ..StaffChanges::default()
        },
    })
}

/// A console signed in as a new administrator, over the fixture's database, with one
/// customer; the fixture's owner can still act beside it.
fn admin_console(f: &common::Fixture) -> Console {
    f.add("Acme Corp");
    let admin = f.staff("ada@example.com", StaffRole::Administrator);
    let backend: Arc<dyn Backend> = Arc::new(Local::signed_in(f.service.clone(), admin));
    let mut console = Console::open(backend, f.dir.path().join("db"));
    for _ in 0..3 {
        if console.selected_slug() == "acme-corp" {
            break;
        }
        console.press("j");
    }
    assert_eq!(console.selected_slug(), "acme-corp", "{}", console.screen());
    console
}

/// The stored status's name, as the CLI prints it.
fn status_of(f: &common::Fixture, slug: &str) -> &'static str {
    f.service
        .show_customer(&f.owner, slug)
        .expect("show")
        .row
        .status
        .as_str()
}

#[test]
fn a_disabled_staff_members_console_is_refused_on_its_next_command() {
    let f = fixture();
    let mut console = admin_console(&f);
    let slug = console.selected_slug();
    f.exec(Command::Staff(tenantry::service::StaffCommand::Disable {
        email: "ada@example.com".into(),
    }))
    .expect("the owner disables the administrator");
    console.press("s y");
    let status = console.status();
    assert!(
        status.contains("ada@example.com is disabled"),
        "status line: {status}"
    );
    assert_eq!(status_of(&f, &slug), "active", "nothing was suspended");
    console.press("enter");
    assert!(
        console.status().contains("is disabled"),
        "reads are refused too: {}",
        console.status()
    );
}

#[test]
fn a_demoted_staff_members_console_acts_with_the_new_lesser_role() {
    let f = fixture();
    let mut console = admin_console(&f);
    let slug = console.selected_slug();
    f.exec(demote("ada@example.com", StaffRole::Auditor))
        .expect("the owner demotes the administrator");
    console.press("s y");
    let status = console.status();
    assert!(
        status.contains("permission denied") && status.contains("manage customers"),
        "status line: {status}"
    );
    assert_eq!(status_of(&f, &slug), "active");
    // Promoted back, the same console acts again without signing in.
    f.exec(demote("ada@example.com", StaffRole::Operator))
        .expect("promote to operator");
    console.press("s y");
    assert_eq!(status_of(&f, &slug), "suspended", "{}", console.status());
}

#[test]
fn the_backend_refuses_a_disabled_member_and_describes_a_demoted_one() {
    let f = fixture();
    let admin = f.staff("ada@example.com", StaffRole::Administrator);
    let backend = Local::signed_in(f.service.clone(), admin);
    f.exec(demote("ada@example.com", StaffRole::Operator))
        .unwrap();
    let info = backend.session().unwrap().unwrap();
    assert_eq!(info.staff_role, Some(StaffRole::Operator));
    f.exec(Command::Staff(tenantry::service::StaffCommand::Disable {
        email: "ada@example.com".into(),
    }))
    .unwrap();
    assert!(backend.session().is_err());
    assert!(backend.ask(ListStaff::default()).is_err());
    backend.sign_out();
    assert_eq!(backend.session().unwrap(), None);
    assert!(backend.execute(add_customer("Nobody")).is_err());
}

#[test]
fn queries_page_by_cursor_without_gaps_or_repeats() {
    let f = fixture();
    for i in 0..25 {
        f.add(&format!("Customer {i:02}"));
    }
    let backend = f.backend();
    let all = f.slugs(false);
    let paged: Vec<String> = CustomerRows::new(&backend, CustomerQuery::default())
        .page_size(4)
        .map(|r| r.unwrap().slug)
        .collect();
    assert_eq!(paged, all);
    let first = backend
        .ask(CustomerQuery {
            limit: Some(10),
            ..CustomerQuery::default()
        })
        .unwrap();
    assert_eq!(first.rows.len(), 10);
    let second = backend
        .ask(CustomerQuery {
            limit: Some(10),
            after: first.next.clone(),
            ..CustomerQuery::default()
        })
        .unwrap();
    assert_eq!(second.rows[0].slug, all[10]);

    // The log newest first by sequence, page after page, equals the whole log.
    let whole = f.service.audit_log(&f.owner, &LogQuery::default()).unwrap();
    let pages = every_page(None, |before, _| {
        backend.ask(LogQuery {
            limit: Some(7),
            before,
            ..LogQuery::default()
        })
    })
    .unwrap();
    let seqs: Vec<u64> = pages.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, whole.iter().map(|r| r.seq).collect::<Vec<_>>());
    assert!(seqs.windows(2).all(|w| w[0] > w[1]), "{seqs:?}");

    // A cursor from one listing is refused by another, never misread.
    let err = backend
        .ask(LogQuery {
            before: first.next,
            ..LogQuery::default()
        })
        .unwrap_err();
    assert!(matches!(err, ServiceError::Invalid(_)), "{err}");
}

#[test]
fn queries_and_answers_are_plain_values_that_serialise() {
    let f = fixture();
    let slug = f.add("Acme Corp");
    let query = Query::Customer(ShowCustomer { slug: slug.clone() });
    let wire = serde_json::to_string(&query).unwrap();
    let back: Query = serde_json::from_str(&wire).unwrap();
    let answer = f.backend().query(back).unwrap();
    let wire = serde_json::to_string(&answer).unwrap();
    assert!(wire.contains(&slug), "{wire}");
}

#[test]
fn the_console_runs_on_a_fake_backend_without_a_database() {
    let fake = Arc::new(fake::Fake::new(vec![
        fake::row("acme", "Acme Corp", T0),
        fake::row("bravo", "Bravo Ltd", T0),
        fake::row("charlie", "Charlie AG", T0),
    ]));
    let dir = tempfile::tempdir().unwrap();
    let mut console = Console::open(fake.clone(), dir.path().join("no-db"));
    let screen = console.screen();
    for name in ["Acme Corp", "Bravo Ltd", "Charlie AG"] {
        assert!(screen.contains(name), "{screen}");
    }
    console.press("j");
    let slug = console.selected_slug();
    console.press("s y");
    let executed = fake.executed.lock().unwrap().clone();
    assert_eq!(
        executed,
        vec![Command::Customer(
            tenantry::service::CustomerCommand::SetStatus {
                slug: slug.clone(),
                status: CustomerStatus::Suspended,
            }
        )]
    );
    assert_eq!(
        console.app.tabs.customers.selected().map(|e| e.status),
        Some(CustomerStatus::Suspended),
        "the outcome reached the list"
    );
    console.press("enter");
    assert!(console.screen().contains(&format!("owner@{slug}.example")));
    assert!(
        fake.asked
            .lock()
            .unwrap()
            .iter()
            .any(|q| q.starts_with("Customer(")),
        "the detail came from the backend"
    );
    assert!(
        !dir.path().join("no-db").exists(),
        "nothing opened a database"
    );
}

/// Resolves only when exactly one impl applies: if `Session` implemented `Deserialize`, the
/// `_` below would be ambiguous and this file would not compile (as it did not before the
/// session's fields were made private and the derive removed).
trait NotDeserialize<Marker> {
    fn holds() -> bool {
        true
    }
}
impl<T: ?Sized> NotDeserialize<()> for T {}
impl<T: for<'de> serde::Deserialize<'de>> NotDeserialize<u8> for T {}

#[test]
fn a_session_cannot_be_deserialised_from_outside() {
    assert!(<tenantry::service::Session as NotDeserialize<_>>::holds());
    // What front ends may read is a description, and that one does travel.
    let info = fixture().owner.info();
    let wire = serde_json::to_string(&info).unwrap();
    let back: tenantry::service::SessionInfo = serde_json::from_str(&wire).unwrap();
    assert_eq!(back, info);
}
