#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! Impersonation in the service: who may start one and for which customer, the events at
//! both ends and between them (both actors named, in the customer's own log), the time limit
//! with an injected clock, what stays refused while it lasts, and the optional notice.

mod common;

use common::{Fixture, PASSWORD, fixture};
use tenantry::backend::Backend;
use tenantry::domain::{CustomerRole, CustomerStatus, ImpersonationEnd, StaffRole};
use tenantry::service::{
    CustomerCommand, ImpersonationRefusal, LogQuery, NewCustomer, NewUser, OwnerSpec, ServiceError,
    Session, SessionKind, SettingsCommand, UserCommand,
};

fn acme(f: &Fixture) -> String {
    f.add_with(NewCustomer {
        name: "Acme Corp".into(),
        owner: Some(OwnerSpec {
            email: "ann@acme.example".into(),
            first_name: Some("Ann".into()),
            last_name: Some("Admin".into()),
            password: Some(PASSWORD.into()),
        }),
        ..NewCustomer::default()
    })
}

fn add_user(slug: &str, email: &str) -> UserCommand {
    UserCommand::Add(NewUser {
        customer: slug.into(),
        email: email.into(),
        first_name: "Una".into(),
        last_name: "User".into(),
        role: CustomerRole::Member,
        language: None,
        fields: Vec::new(),
    })
}

fn start(f: &Fixture, staff: &Session, slug: &str) -> Result<Session, ServiceError> {
    f.service.start_impersonation(staff, slug, "ticket 4411")
}

#[test]
fn only_staff_with_the_privilege_impersonate_and_never_the_provider_a_trashed_or_suspended_customer()
 {
    let f = fixture();
    let slug = acme(&f);
    let auditor = f.staff("aud@example.com", StaffRole::Auditor);
    assert!(matches!(
        start(&f, &auditor, &slug),
        Err(ServiceError::PermissionDenied { .. })
    ));
    let provider = f
        .service
        .store()
        .provider_id()
        .unwrap()
        .and_then(|id| f.service.store().customer(id).unwrap())
        .unwrap()
        .slug
        .to_string();
    let refusal = |r: Result<Session, ServiceError>| match r {
        Err(ServiceError::ImpersonationRefused { reason, .. }) => reason,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        refusal(start(&f, &f.owner, &provider)),
        ImpersonationRefusal::ProviderCompany
    );
    let suspended = f.add("Suspended Ltd");
    f.exec(CustomerCommand::SetStatus {
        slug: suspended.clone(),
        status: CustomerStatus::Suspended,
    })
    .unwrap();
    assert_eq!(
        refusal(start(&f, &f.owner, &suspended)),
        ImpersonationRefusal::Suspended
    );
    let trashed = f.add("Trashed Ltd");
    f.exec(CustomerCommand::SoftDelete {
        slug: trashed.clone(),
    })
    .unwrap();
    assert_eq!(
        refusal(start(&f, &f.owner, &trashed)),
        ImpersonationRefusal::InTrash
    );
    // A reason is required, one line, at most 200 characters.
    for reason in ["", "   ", &"x".repeat(201), "two\nlines"] {
        let e = f
            .service
            .start_impersonation(&f.owner, &slug, reason)
            .unwrap_err();
        assert_eq!(e.field_problems()[0].field, "reason", "{reason:?}: {e}");
    }
    // No impersonation inside an impersonation.
    let inside = start(&f, &f.owner, &slug).unwrap();
    assert_eq!(
        refusal(start(&f, &inside, &slug)),
        ImpersonationRefusal::AlreadyImpersonating
    );
    // Nothing of the refused attempts was written.
    let starts = f
        .service
        .impersonations(&f.owner, None, None)
        .unwrap()
        .len();
    assert_eq!(starts, 1);
}

#[test]
fn every_event_of_an_impersonation_names_both_actors_and_is_in_the_customers_own_log() {
    let f = fixture();
    let slug = acme(&f);
    let op = f.staff("ada@example.com", StaffRole::Operator);
    let imp = start(&f, &op, &slug).unwrap();
    let info = imp.info();
    assert_eq!(info.kind, SessionKind::Impersonating);
    assert_eq!(info.customer_role, Some(CustomerRole::Administrator));
    f.service
        .execute(&imp, add_user(&slug, "una@acme.example"))
        .unwrap();
    f.clock.set(f.service.now().plus_millis(723_000));
    let back = f
        .service
        .end_impersonation(&imp, ImpersonationEnd::Returned)
        .unwrap();
    assert_eq!(back.info().kind, SessionKind::Staff);
    // The customer's own administrator reads all three in their log, marked.
    let ann = f.service.sign_in("ann@acme.example", PASSWORD).unwrap();
    let log = f.service.audit_log(&ann, &LogQuery::default()).unwrap();
    let actions: Vec<&str> = log.iter().take(3).map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["impersonation.end", "user.add", "impersonation.start"]
    );
    for e in log.iter().take(3) {
        assert_eq!(e.actor_email, "ada@example.com", "{e:?}");
        assert_eq!(e.impersonated_slug, slug, "{e:?}");
        assert_eq!(e.customer_slug, slug, "{e:?}");
    }
    assert!(log[2].summary.contains("ticket 4411"), "{}", log[2].summary);
    assert!(log[2].summary.contains("30 min"), "{}", log[2].summary);
    assert!(log[0].summary.contains("12 min 3 s"), "{}", log[0].summary);
    let record = &f
        .service
        .impersonations(&f.owner, Some(&slug), None)
        .unwrap()[0];
    assert_eq!(record.reason, "ticket 4411");
    assert_eq!(
        (record.state.as_str(), record.how.as_str()),
        ("ended", "returned")
    );
    // Ending twice writes nothing more.
    let before = f.service.store().audit_count();
    let _ = f
        .service
        .end_impersonation(&imp, ImpersonationEnd::Returned);
    assert_eq!(f.service.store().audit_count(), before);
    assert!(
        f.service
            .verify_log(&f.owner)
            .unwrap()
            .first_break
            .is_none()
    );
}

#[test]
fn the_time_limit_ends_an_impersonation_and_the_setting_sets_it() {
    let f = fixture();
    let slug = acme(&f);
    f.exec(SettingsCommand::Set {
        key: "impersonation.max_minutes".into(),
        value: "5".into(),
    })
    .unwrap();
    let imp = start(&f, &f.owner, &slug).unwrap();
    let until = imp.info().until.unwrap();
    assert_eq!(until.0 - f.service.now().0, 5 * 60_000);
    f.clock.set(until.plus_millis(-1));
    f.service
        .execute(&imp, add_user(&slug, "una@acme.example"))
        .unwrap();
    f.clock.set(until);
    assert!(matches!(
        f.service.execute(&imp, add_user(&slug, "eve@acme.example")),
        Err(ServiceError::ImpersonationOver {
            why: ImpersonationEnd::TimeLimit
        })
    ));
    f.service
        .end_impersonation(&imp, ImpersonationEnd::TimeLimit)
        .unwrap();
    let record = &f.service.impersonations(&f.owner, None, None).unwrap()[0];
    assert_eq!(record.how, "time-limit");
}

#[test]
fn passwords_and_invitation_codes_stay_with_the_people_while_impersonating() {
    let f = fixture();
    let slug = acme(&f);
    let backend = f.backend();
    backend.start_impersonation(&slug, "ticket 4411").unwrap();
    assert!(matches!(
        backend.accept_invitation("0123456789abcdef0123456789abcdef01234567", Some("x")),
        Err(ServiceError::NotWhileImpersonating { .. })
    ));
    assert!(matches!(
        backend.request_password_reset("ann@acme.example"),
        Err(ServiceError::NotWhileImpersonating { .. })
    ));
    assert!(matches!(
        backend.change_own_password(PASSWORD, "another long password"),
        Err(ServiceError::NotWhileImpersonating { .. })
    ));
    // Signing out ends it, with its event.
    backend.sign_out();
    let record = &f.service.impersonations(&f.owner, None, None).unwrap()[0];
    assert_eq!(record.how, "sign-out");
}

#[test]
fn the_optional_notice_tells_the_customers_administrators() {
    let f = fixture();
    let slug = acme(&f);
    let outbox = f.service.outbox().unwrap();
    start(&f, &f.owner, &slug).unwrap();
    assert!(outbox.list().unwrap().is_empty(), "off by default");
    f.exec(SettingsCommand::Set {
        key: "impersonation.notify".into(),
        value: "on".into(),
    })
    .unwrap();
    let other = f.staff("ada@example.com", StaffRole::Operator);
    start(&f, &other, &slug).unwrap();
    let messages = outbox.list().unwrap();
    assert_eq!(messages.len(), 1);
    let bytes = outbox.read(&messages[0].id).unwrap();
    let parsed = mail_parser::MessageParser::default().parse(&bytes).unwrap();
    let to = parsed.to().and_then(|a| a.first()).unwrap();
    assert_eq!(to.address(), Some("ann@acme.example"));
    let body = parsed.body_text(0).unwrap();
    assert!(body.contains("ada@example.com"), "{body}");
    assert!(body.contains("ticket 4411"), "{body}");
}
