#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! The users area through the service: who may run each user command (staff roles and the
//! customer scope of a customer's administrator), the rules of people in customers, and
//! customer users' sign-in (the listing and input checks are in `service_user_reads.rs`).

mod common;

use common::users::{new_user, refusal};
use common::{PASSWORD, fixture};
use tenantry::domain::{CustomerKind, CustomerRole, StaffRole, UserStatus};
use tenantry::service::{
    CustomerCommand, NewCustomer, OwnerSpec, ServiceError, Session, UserChanges, UserCommand,
};

/// A corporate customer `slug` whose owner (an administrator) has a password.
fn corporate_with_owner(f: &common::Fixture, name: &str, owner: &str) -> String {
    f.add_with(NewCustomer {
        name: name.into(),
        owner: Some(OwnerSpec {
            email: owner.into(),
            first_name: Some("Ann".into()),
            last_name: Some("Admin".into()),
            password: Some(PASSWORD.into()),
        }),
        ..NewCustomer::default()
    })
}

#[test]
fn staff_roles_and_the_customer_scope_decide_who_may_run_each_user_command() {
    let f = fixture();
    let acme = corporate_with_owner(&f, "Acme", "ann@acme.example");
    let globex = corporate_with_owner(&f, "Globex", "gus@globex.example");
    // bob: a member (not an administrator) of acme who can sign in.
    let bobco = corporate_with_owner(&f, "Bobco", "bob@bobco.example");
    f.exec(new_user(&acme, "bob@bobco.example", CustomerRole::Member))
        .unwrap();
    let ann = f
        .service
        .sign_in_member("ann@acme.example", PASSWORD, &acme)
        .unwrap();
    let bob = f
        .service
        .sign_in_member("bob@bobco.example", PASSWORD, &acme)
        .unwrap();
    let sessions: Vec<(&str, Session)> = vec![
        ("owner", f.owner.clone()),
        (
            "administrator",
            f.staff("adm@example.com", StaffRole::Administrator),
        ),
        ("operator", f.staff("op@example.com", StaffRole::Operator)),
        ("auditor", f.staff("aud@example.com", StaffRole::Auditor)),
        ("acme administrator", ann),
        ("acme member", bob),
    ];
    // (command, the sessions allowed) — each case gets its own target user.
    let mut n = 0;
    for (who, session) in &sessions {
        let staff_may = !matches!(*who, "auditor" | "acme administrator" | "acme member");
        n += 1;
        let in_acme = f.service.execute(
            session,
            new_user(&acme, &format!("a{n}@x.example"), CustomerRole::Member),
        );
        assert_eq!(
            in_acme.is_ok(),
            staff_may || *who == "acme administrator",
            "{who} adding a user to acme: {in_acme:?}"
        );
        let in_globex = f.service.execute(
            session,
            new_user(&globex, &format!("g{n}@x.example"), CustomerRole::Member),
        );
        assert_eq!(
            in_globex.is_ok(),
            staff_may,
            "{who} adding to globex: {in_globex:?}"
        );
        // Staff lacking the privilege are told which; a customer session gets the one
        // refusal of everything outside its customer (D94).
        if *who == "auditor" {
            assert!(
                matches!(in_globex, Err(ServiceError::PermissionDenied { .. })),
                "{who}: {in_globex:?}"
            );
        } else if !staff_may {
            assert!(
                matches!(in_globex, Err(ServiceError::OutsideSession { .. })),
                "{who}: {in_globex:?}"
            );
        }
        // The rest need a staff privilege whoever the customer is.
        let target = format!("t{n}@x.example");
        f.exec(new_user(&bobco, &target, CustomerRole::Member))
            .unwrap();
        let commands = [
            UserCommand::Edit {
                email: target.clone(),
                changes: UserChanges {
                    language: Some("de".into()),
                    ..UserChanges::default()
                },
            },
            UserCommand::Disable {
                email: target.clone(),
            },
            UserCommand::Enable {
                email: target.clone(),
            },
            UserCommand::Remove {
                email: target.clone(),
                customer: bobco.clone(),
            },
            UserCommand::Delete {
                email: target.clone(),
            },
        ];
        for command in commands {
            let label = format!("{who} {command:?}");
            let result = f.service.execute(session, command);
            assert_eq!(result.is_ok(), staff_may, "{label}: {result:?}");
        }
        // Anyone signed in sets their own notifications.
        let own = f
            .service
            .execute(session, UserCommand::SetOwnNotifications { on: false });
        assert!(own.is_ok(), "{who}: {own:?}");
    }
}

#[test]
fn a_user_added_by_staff_is_invited_without_a_password_in_the_customer_language() {
    let f = fixture();
    let acme = f.add_with(NewCustomer {
        name: "Acme".into(),
        language: Some("fr-CH".into()),
        ..NewCustomer::default()
    });
    f.exec(new_user(&acme, "Una@Acme.example", CustomerRole::Moderator))
        .unwrap();
    let detail = f.service.show_user(&f.owner, "una@acme.example").unwrap();
    let row = &detail.row;
    assert_eq!(row.email, "Una@Acme.example");
    assert_eq!(row.status, "invited");
    assert!(!row.email_verified);
    assert_eq!(row.language, "fr-CH");
    assert!(row.notifications);
    assert_eq!(row.origin, "staff");
    assert_eq!(row.created_by.as_deref(), Some("owner@example.com"));
    assert_eq!(row.customers.len(), 1);
    assert_eq!(row.customers[0].slug, acme);
    assert_eq!(row.customers[0].role, "moderator");
    assert_eq!(row.customers[0].status, "active");
    let actions: Vec<&str> = detail
        .recent_events
        .iter()
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(actions, ["user.add"]);
    // No password: signing in fails like a wrong password until the user sets one.
    assert!(matches!(
        f.service
            .sign_in_member("una@acme.example", PASSWORD, &acme),
        Err(ServiceError::BadCredentials)
    ));
    // The same email again is one identity: adding it twice is refused.
    let again = refusal(f.exec(new_user(&acme, "una@acme.example", CustomerRole::Member)));
    assert!(again.contains("already a moderator of \"acme\""), "{again}");
}

#[test]
fn individual_customers_refuse_further_users_saying_why() {
    let f = fixture();
    let solo = f.add_owned("Solo Person", "solo@example.com");
    let said = refusal(f.exec(new_user(&solo, "two@example.com", CustomerRole::Member)));
    assert!(said.contains("is an individual customer"), "{said}");
    assert!(said.contains("only corporate customers"), "{said}");
    assert!(
        f.service
            .store()
            .user_id_by_email("two@example.com")
            .unwrap()
            .is_none()
    );
}

#[test]
fn a_corporate_customer_keeps_an_administrator_and_its_owner() {
    let f = fixture();
    let acme = f.add("Acme");
    f.exec(new_user(
        &acme,
        "boss@acme.example",
        CustomerRole::Administrator,
    ))
    .unwrap();
    f.exec(new_user(
        &acme,
        "staffer@acme.example",
        CustomerRole::Member,
    ))
    .unwrap();
    let demote = UserCommand::Edit {
        email: "boss@acme.example".into(),
        changes: UserChanges {
            role: Some(CustomerRole::Member),
            customer: Some(acme.clone()),
            ..UserChanges::default()
        },
    };
    let said = refusal(f.exec(demote.clone()));
    assert!(said.contains("last administrator of \"acme\""), "{said}");
    let said = refusal(f.exec(UserCommand::Remove {
        email: "boss@acme.example".into(),
        customer: acme.clone(),
    }));
    assert!(said.contains("last administrator"), "{said}");
    // With a second administrator, the first may step down.
    f.exec(UserCommand::Edit {
        email: "staffer@acme.example".into(),
        changes: UserChanges {
            role: Some(CustomerRole::Administrator),
            customer: Some(acme.clone()),
            ..UserChanges::default()
        },
    })
    .unwrap();
    f.exec(demote).unwrap();
    // A role needs its customer.
    let said = refusal(f.exec(UserCommand::Edit {
        email: "boss@acme.example".into(),
        changes: UserChanges {
            role: Some(CustomerRole::Moderator),
            ..UserChanges::default()
        },
    }));
    assert!(said.starts_with("customer:"), "{said}");
    // An owner stays an administrator and a member.
    let owned = corporate_with_owner(&f, "Owned", "own@owned.example");
    let said = refusal(f.exec(UserCommand::Edit {
        email: "own@owned.example".into(),
        changes: UserChanges {
            role: Some(CustomerRole::Member),
            customer: Some(owned.clone()),
            ..UserChanges::default()
        },
    }));
    assert!(said.contains("owns \"owned\""), "{said}");
    let said = refusal(f.exec(UserCommand::Remove {
        email: "own@owned.example".into(),
        customer: owned,
    }));
    assert!(said.contains("owns \"owned\""), "{said}");
}

#[test]
fn deleting_a_user_is_refused_while_they_own_a_customer_or_are_staff_naming_which() {
    let f = fixture();
    let acme = corporate_with_owner(&f, "Acme", "ann@acme.example");
    let said = refusal(f.exec(UserCommand::Delete {
        email: "ann@acme.example".into(),
    }));
    assert!(said.contains("owns acme"), "{said}");
    let said = refusal(f.exec(UserCommand::Delete {
        email: "owner@example.com".into(),
    }));
    assert!(said.contains("holds the staff role owner"), "{said}");
    // A plain member goes, with every membership.
    let globex = f.add("Globex");
    f.exec(new_user(&acme, "m@x.example", CustomerRole::Member))
        .unwrap();
    f.exec(new_user(&globex, "m@x.example", CustomerRole::Member))
        .unwrap();
    f.exec(UserCommand::Delete {
        email: "M@x.example".into(),
    })
    .unwrap();
    assert!(
        f.service
            .store()
            .user_id_by_email("m@x.example")
            .unwrap()
            .is_none()
    );
    let newest = f
        .service
        .store()
        .audit_newest_first()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(newest.summary, "deleted user m@x.example (2 memberships)");
}

#[test]
fn staff_accounts_are_changed_through_staff_commands_and_nobody_renames_themselves() {
    let f = fixture();
    let op = f.staff("op@example.com", StaffRole::Operator);
    let said = refusal(f.service.execute(
        &op,
        UserCommand::Edit {
            email: "op@example.com".into(),
            changes: UserChanges {
                first_name: Some("Renamed".into()),
                ..UserChanges::default()
            },
        },
    ));
    assert_eq!(said, "you cannot change your own name; a staff member can");
    let said = refusal(f.exec(UserCommand::Disable {
        email: "op@example.com".into(),
    }));
    assert!(said.contains("tenantry staff disable"), "{said}");
    // Their own notifications they may set, once.
    f.service
        .execute(&op, UserCommand::SetOwnNotifications { on: false })
        .unwrap();
    let said = refusal(
        f.service
            .execute(&op, UserCommand::SetOwnNotifications { on: false }),
    );
    assert_eq!(said, "notifications are already off");
}

#[test]
fn disabling_a_user_ends_their_sessions_and_enabling_restores_the_status_they_can_have() {
    let f = fixture();
    let acme = corporate_with_owner(&f, "Acme", "ann@acme.example");
    let ann = f
        .service
        .sign_in_member("ann@acme.example", PASSWORD, &acme)
        .unwrap();
    f.exec(UserCommand::Disable {
        email: "ann@acme.example".into(),
    })
    .unwrap();
    assert!(f.service.acting(&ann).is_err());
    assert!(matches!(
        f.service
            .sign_in_member("ann@acme.example", PASSWORD, &acme),
        Err(ServiceError::BadCredentials)
    ));
    f.exec(UserCommand::Enable {
        email: "ann@acme.example".into(),
    })
    .unwrap();
    let row = f
        .service
        .show_user(&f.owner, "ann@acme.example")
        .unwrap()
        .row;
    assert_eq!(
        row.status,
        UserStatus::Active.as_str(),
        "she has a password"
    );
    // Suspending the customer ends the session too.
    let ann = f
        .service
        .sign_in_member("ann@acme.example", PASSWORD, &acme)
        .unwrap();
    f.exec(CustomerCommand::SetStatus {
        slug: acme.clone(),
        status: tenantry::domain::CustomerStatus::Suspended,
    })
    .unwrap();
    assert!(f.service.acting(&ann).is_err());
}

#[test]
fn member_sign_in_gives_one_message_for_every_way_it_can_fail_and_records_the_time() {
    let f = fixture();
    let acme = corporate_with_owner(&f, "Acme", "ann@acme.example");
    let globex = f.add("Globex");
    let solo = f.add_with(NewCustomer {
        name: "Solo".into(),
        kind: CustomerKind::Individual,
        ..NewCustomer::default()
    });
    for (email, password, slug) in [
        ("ann@acme.example", "wrong password here", acme.as_str()),
        ("ann@acme.example", PASSWORD, globex.as_str()),
        ("ann@acme.example", PASSWORD, solo.as_str()),
        ("ann@acme.example", PASSWORD, "no-such-customer"),
        ("nobody@acme.example", PASSWORD, acme.as_str()),
        // Staff are not members of a customer by being staff.
        ("owner@example.com", PASSWORD, acme.as_str()),
    ] {
        let err = f.service.sign_in_member(email, password, slug).unwrap_err();
        assert!(
            matches!(err, ServiceError::BadCredentials),
            "{email} in {slug}: {err}"
        );
    }
    let session = f
        .service
        .sign_in_member("ann@acme.example", PASSWORD, &acme)
        .unwrap();
    let info = session.info();
    assert_eq!(info.customer_role, Some(CustomerRole::Administrator));
    let row = f
        .service
        .show_user(&f.owner, "ann@acme.example")
        .unwrap()
        .row;
    assert_eq!(row.last_sign_in, Some(common::START));
}
