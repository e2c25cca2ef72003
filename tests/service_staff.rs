//! Staff, permissions, settings and sign-in (R7, R8) through the service.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;

use common::{PASSWORD, fixture};
use tenantry::domain::StaffRole;
use tenantry::service::{
    Command, CustomerCommand, LogQuery, NewCustomer, NewStaff, Outcome, ServiceError,
    SettingsCommand, StaffChanges, StaffCommand,
};

fn add(name: &str) -> Command {
    CustomerCommand::Add(NewCustomer {
        name: name.into(),
        ..Default::default()
    })
    .into()
}

#[test]
fn each_role_may_do_exactly_what_its_privileges_allow() {
    let f = fixture();
    f.add("Acme");
    let admin = f.staff("admin@example.com", StaffRole::Administrator);
    let operator = f.staff("op@example.com", StaffRole::Operator);
    let auditor = f.staff("audit@example.com", StaffRole::Auditor);
    let denied =
        |r: Result<Outcome, ServiceError>| matches!(r, Err(ServiceError::PermissionDenied { .. }));

    assert!(denied(f.service.execute(&auditor, add("Nope"))));
    assert!(f.service.execute(&operator, add("Op Made")).is_ok());
    f.service
        .execute(
            &operator,
            CustomerCommand::SoftDelete {
                slug: "op-made".into(),
            },
        )
        .unwrap();
    assert!(denied(f.service.execute(
        &operator,
        CustomerCommand::Purge {
            slug: "op-made".into()
        }
    )));
    assert!(
        f.service
            .execute(
                &admin,
                CustomerCommand::Purge {
                    slug: "op-made".into()
                }
            )
            .is_ok()
    );
    let set = || SettingsCommand::Set {
        key: "trash.retention_days".into(),
        value: "10".into(),
    };
    assert!(denied(f.service.execute(&admin, set())));
    assert!(f.exec(set()).is_ok());
    // Everyone on the staff reads; only those with "view logs" read the log.
    assert!(f.service.show_customer(&auditor, "acme").is_ok());
    assert!(f.service.audit_log(&auditor, &LogQuery::default()).is_ok());
    let err = f.service.execute(&auditor, add("Nope")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "permission denied: customer.add needs the \"manage customers\" privilege"
    );
}

#[test]
fn the_last_active_owner_cannot_be_demoted_or_disabled() {
    let f = fixture();
    let demote = StaffCommand::Edit {
        email: "owner@example.com".into(),
        changes: StaffChanges {
            role: Some(StaffRole::Operator),
            ..Default::default()
        },
    };
    let err = f.exec(demote.clone()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "owner@example.com is the last owner who can sign in; first make another staff member an owner who can sign in"
    );
    let admin = f.staff("admin@example.com", StaffRole::Administrator);
    // Administrators cannot create owners; an owner can, and then the demotion is allowed.
    let promote = StaffCommand::Edit {
        email: "admin@example.com".into(),
        changes: StaffChanges {
            role: Some(StaffRole::Owner),
            ..Default::default()
        },
    };
    let err = f.service.execute(&admin, promote.clone()).unwrap_err();
    assert_eq!(err.to_string(), "only an owner can make another owner");
    f.exec(promote).unwrap();
    let second_owner = f.service.sign_in("admin@example.com", PASSWORD).unwrap();
    f.service.execute(&second_owner, demote).unwrap();
    let err = f
        .service
        .execute(
            &second_owner,
            StaffCommand::Disable {
                email: "admin@example.com".into(),
            },
        )
        .unwrap_err();
    assert_eq!(err.to_string(), "you cannot disable your own account");
}

#[test]
fn staff_share_one_identity_per_email_and_unix_links_are_unique() {
    let f = fixture();
    f.add_owned("Acme", "ann@example.com");
    let outcome = f
        .exec(StaffCommand::Add(NewStaff {
            email: "Ann@Example.com".into(),
            first_name: "Ann".into(),
            last_name: "Lee".into(),
            role: StaffRole::Operator,
            unix_user: Some("ann".into()),
            password: None,
        }))
        .unwrap();
    let Outcome::Staff(row) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(row.email, "ann@example.com");
    assert_eq!(row.role, "operator");
    let session = f
        .service
        .session_for_unix_user("ann")
        .unwrap()
        .expect("peer session");
    assert_eq!(session.staff_role(), Some(StaffRole::Operator));
    let clash = f
        .exec(StaffCommand::Add(NewStaff {
            email: "other@example.com".into(),
            first_name: "O".into(),
            last_name: "T".into(),
            role: StaffRole::Auditor,
            unix_user: Some("ann".into()),
            password: None,
        }))
        .unwrap_err();
    assert_eq!(
        clash.to_string(),
        "Unix user \"ann\" is already linked to another staff member"
    );
    assert!(f.service.session_for_unix_user("nobody").unwrap().is_none());
    f.exec(StaffCommand::Disable {
        email: "ann@example.com".into(),
    })
    .unwrap();
    let err = f.service.session_for_unix_user("ann").unwrap_err();
    assert!(
        err.to_string().contains("whose account is disabled"),
        "{err}"
    );
}

#[test]
fn unknown_email_and_wrong_password_get_the_same_message() {
    let f = fixture();
    let wrong = f
        .service
        .sign_in("owner@example.com", "not the password")
        .unwrap_err();
    let unknown = f
        .service
        .sign_in("ghost@example.com", PASSWORD)
        .unwrap_err();
    assert_eq!(wrong.to_string(), "email or password is incorrect");
    assert_eq!(unknown.to_string(), wrong.to_string());
    assert!(f.service.sign_in(" OWNER@example.com ", PASSWORD).is_ok());
}

#[test]
fn five_failures_lock_known_and_unknown_emails_alike_for_fifteen_minutes() {
    let f = fixture();
    for email in ["owner@example.com", "ghost@example.com"] {
        for attempt in 1..=5 {
            let err = f.service.sign_in(email, "wrong password!").unwrap_err();
            if attempt < 5 {
                assert_eq!(err.to_string(), "email or password is incorrect");
            } else {
                assert_eq!(
                    err.to_string(),
                    "too many failed sign-ins for this email; try again in 15 minute(s)"
                );
            }
        }
        // Locked: even the right password is refused, with the time left.
        f.clock.advance_millis(60_000);
        let err = f.service.sign_in(email, PASSWORD).unwrap_err();
        assert_eq!(
            err.to_string(),
            "too many failed sign-ins for this email; try again in 14 minute(s)"
        );
    }
    f.clock.advance_millis(14 * 60_000);
    assert!(f.service.sign_in("owner@example.com", PASSWORD).is_ok());
    // Only the real account's lockout is audited, and it names no password.
    let log = f.service.audit_log(&f.owner, &LogQuery::default()).unwrap();
    let lockouts: Vec<_> = log.iter().filter(|e| e.action == "user.lockout").collect();
    assert_eq!(lockouts.len(), 1);
    assert!(lockouts[0].summary.contains("owner@example.com"));
}

#[test]
fn failures_outside_the_window_do_not_add_up() {
    let f = fixture();
    for _ in 0..4 {
        let _ = f.service.sign_in("owner@example.com", "wrong password!");
    }
    f.clock.advance_millis(16 * 60_000);
    for _ in 0..4 {
        assert_eq!(
            f.service
                .sign_in("owner@example.com", "wrong password!")
                .unwrap_err()
                .to_string(),
            "email or password is incorrect"
        );
    }
    assert!(f.service.sign_in("owner@example.com", PASSWORD).is_ok());
}

#[test]
fn invited_and_disabled_accounts_cannot_sign_in() {
    let f = fixture();
    f.exec(StaffCommand::Add(NewStaff {
        email: "new@example.com".into(),
        first_name: "New".into(),
        last_name: "Person".into(),
        role: StaffRole::Operator,
        unix_user: None,
        password: None,
    }))
    .unwrap();
    assert!(matches!(
        f.service.sign_in("new@example.com", ""),
        Err(ServiceError::BadCredentials)
    ));
    f.staff("gone@example.com", StaffRole::Operator);
    f.exec(StaffCommand::Disable {
        email: "gone@example.com".into(),
    })
    .unwrap();
    assert!(matches!(
        f.service.sign_in("gone@example.com", PASSWORD),
        Err(ServiceError::BadCredentials)
    ));
}

#[test]
fn settings_are_validated_and_audited() {
    let f = fixture();
    let set = |key: &str, value: &str| {
        f.exec(SettingsCommand::Set {
            key: key.into(),
            value: value.into(),
        })
    };
    assert_eq!(
        set("trash.retention_days", "0").unwrap_err().to_string(),
        "trash.retention_days: \"0\" is not a whole number of days from 1 to 3650"
    );
    assert_eq!(
        set("colour", "red").unwrap_err().to_string(),
        "key: \"colour\" is not a setting; known: trash.retention_days, company.name, mail.from, mail.outbox, portal.url, impersonation.max_minutes, impersonation.notify, audit.retention_days"
    );
    set("trash.retention_days", "14").unwrap();
    assert_eq!(
        f.service
            .get_setting(&f.owner, "trash.retention_days")
            .unwrap(),
        "14"
    );
    let log = f
        .service
        .audit_log(
            &f.owner,
            &LogQuery {
                customer: None,
                limit: Some(1),
                before: None,
                ..LogQuery::default()
            },
        )
        .unwrap();
    assert_eq!(log[0].summary, "trash.retention_days: 30 → 14");
}

#[test]
fn init_refuses_a_second_time() {
    let f = fixture();
    let err = f
        .service
        .init(&tenantry::service::InitRequest {
            company: "Again".into(),
            email: "x@example.com".into(),
            first_name: "X".into(),
            last_name: "Y".into(),
            password: PASSWORD.into(),
            unix_user: None,
        })
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "this database is already initialised (provider company Example Hosting)"
    );
}

#[test]
fn only_an_owner_can_change_an_owners_account() {
    let f = fixture();
    let admin = f.staff("admin@example.com", StaffRole::Administrator);
    let password = StaffCommand::Edit {
        email: "owner@example.com".into(),
        changes: StaffChanges {
            password: Some("a brand new password".into()),
            ..Default::default()
        },
    };
    let err = f.service.execute(&admin, password).unwrap_err();
    assert_eq!(
        err.to_string(),
        "only an owner can change the account of owner owner@example.com"
    );
    let link = StaffCommand::Edit {
        email: "owner@example.com".into(),
        changes: StaffChanges {
            unix_user: Some("mallory".into()),
            ..Default::default()
        },
    };
    assert!(f.service.execute(&admin, link).is_err());
    assert!(
        f.service
            .session_for_unix_user("mallory")
            .unwrap()
            .is_none()
    );
    // Administrators still manage non-owners.
    f.staff("op@example.com", StaffRole::Operator);
    f.service
        .execute(
            &admin,
            StaffCommand::Disable {
                email: "op@example.com".into(),
            },
        )
        .unwrap();
    f.service
        .execute(
            &admin,
            StaffCommand::Enable {
                email: "op@example.com".into(),
            },
        )
        .unwrap();
    assert!(f.service.sign_in("op@example.com", PASSWORD).is_ok());
}

#[test]
fn peer_authentication_needs_an_active_account_and_linking_activates_an_invited_one() {
    let f = fixture();
    f.exec(StaffCommand::Add(NewStaff {
        email: "inv@example.com".into(),
        first_name: "In".into(),
        last_name: "Vited".into(),
        role: StaffRole::Operator,
        unix_user: None,
        password: None,
    }))
    .unwrap();
    let Outcome::Staff(row) = f
        .exec(StaffCommand::Edit {
            email: "INV@example.com".into(),
            changes: StaffChanges {
                unix_user: Some("inv".into()),
                ..Default::default()
            },
        })
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(row.status, "active");
    assert!(f.service.session_for_unix_user("inv").unwrap().is_some());
    f.exec(StaffCommand::Disable {
        email: "inv@example.com".into(),
    })
    .unwrap();
    let err = f.service.session_for_unix_user("inv").unwrap_err();
    assert!(
        err.to_string().contains("whose account is disabled"),
        "{err}"
    );
}
