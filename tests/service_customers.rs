//! Customer rules through `Service::execute`, with a fixed clock; every test ends with the
//! invariant check (see `common::Fixture`'s drop).
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;

use common::{PASSWORD, fixture};
use tenantry::domain::CustomerStatus;
use tenantry::service::{
    Command, CustomerChanges, CustomerCommand, LogQuery, MaintenanceCommand, NewCustomer, Outcome,
    OwnerSpec, ServiceError, SettingsCommand,
};

#[test]
fn add_derives_the_slug_and_refuses_a_clash_naming_it() {
    let f = fixture();
    assert_eq!(f.add("TEST CUSTOMER"), "test-customer");
    assert_eq!(f.add("Café  Zürich_GmbH"), "cafe-zurich-gmbh");
    assert_eq!(f.add("AT&T"), "at-t");
    let err = f
        .exec(CustomerCommand::Add(NewCustomer {
            name: "Test  Customer!".into(),
            ..Default::default()
        }))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "slug \"test-customer\" is already taken by \"TEST CUSTOMER\""
    );
    let empty = f
        .exec(CustomerCommand::Add(NewCustomer {
            name: "???".into(),
            ..Default::default()
        }))
        .unwrap_err();
    assert!(
        matches!(empty, ServiceError::Invalid(ref v) if v.field == "name"),
        "{empty}"
    );
}

#[test]
fn a_trashed_customer_keeps_its_slug_reserved() {
    let f = fixture();
    f.add("Acme");
    f.exec(CustomerCommand::SoftDelete {
        slug: "acme".into(),
    })
    .unwrap();
    let err = f
        .exec(CustomerCommand::Add(NewCustomer {
            name: "ACME".into(),
            ..Default::default()
        }))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "slug \"acme\" is already taken by \"Acme\", which is in the trash"
    );
}

#[test]
fn invalid_input_names_the_field_and_changes_nothing() {
    let f = fixture();
    let before = f.service.store().audit_count();
    let cases = [
        (
            NewCustomer {
                name: "".into(),
                ..Default::default()
            },
            "name",
        ),
        (
            NewCustomer {
                name: "a\u{202E}b".into(),
                ..Default::default()
            },
            "name",
        ),
        (
            NewCustomer {
                name: "x".repeat(101),
                ..Default::default()
            },
            "name",
        ),
        (
            NewCustomer {
                name: "Ok".into(),
                language: Some("english".into()),
                ..Default::default()
            },
            "language",
        ),
        (
            NewCustomer {
                name: "Ok".into(),
                slug: Some("Not A Slug".into()),
                ..Default::default()
            },
            "slug",
        ),
        (
            NewCustomer {
                name: "Ok".into(),
                contact_phone: Some("call me".into()),
                ..Default::default()
            },
            "phone",
        ),
        (
            NewCustomer {
                name: "Ok".into(),
                owner: Some(OwnerSpec {
                    email: "not-an-email".into(),
                    first_name: None,
                    last_name: None,
                    password: None,
                }),
                ..Default::default()
            },
            "owner email",
        ),
        (
            NewCustomer {
                name: "Ok".into(),
                owner: Some(OwnerSpec {
                    email: "new@example.com".into(),
                    first_name: None,
                    last_name: None,
                    password: None,
                }),
                ..Default::default()
            },
            "owner first name",
        ),
    ];
    for (new, field) in cases {
        match f.exec(CustomerCommand::Add(new)) {
            Err(ServiceError::Invalid(v)) => assert_eq!(v.field, field, "{v}"),
            other => panic!("expected a refusal of {field}, got {other:?}"),
        }
    }
    assert_eq!(f.service.store().audit_count(), before);
    assert_eq!(f.slugs(false), vec!["example-hosting"]);
}

#[test]
fn owners_are_reused_by_email_or_created_invited_or_active() {
    let f = fixture();
    f.add_owned("First", "ann@example.com");
    // Same email, different case: the same identity.
    f.add_with(NewCustomer {
        name: "Second".into(),
        owner: Some(OwnerSpec {
            email: "ANN@example.com".into(),
            first_name: None,
            last_name: None,
            password: None,
        }),
        ..Default::default()
    });
    f.add_with(NewCustomer {
        name: "Third".into(),
        owner: Some(OwnerSpec {
            email: "bob@example.com".into(),
            first_name: Some("Bob".into()),
            last_name: Some("Ray".into()),
            password: Some(PASSWORD.into()),
        }),
        ..Default::default()
    });
    let second = f.service.show_customer(&f.owner, "second").unwrap();
    assert_eq!(second.row.owner_email.as_deref(), Some("ann@example.com"));
    assert_eq!(second.members.len(), 1);
    assert!(second.members[0].is_owner);
    assert_eq!(second.members[0].role, "administrator");
    assert_eq!(second.members[0].status, "invited");
    let third = f.service.show_customer(&f.owner, "third").unwrap();
    assert_eq!(third.members[0].status, "active");
}

#[test]
fn the_provider_company_is_listed_but_never_changed_by_customer_commands() {
    let f = fixture();
    let slug = "example-hosting".to_string();
    let commands = [
        CustomerCommand::Edit {
            slug: slug.clone(),
            changes: CustomerChanges {
                name: Some("X".into()),
                ..Default::default()
            },
        },
        CustomerCommand::SetStatus {
            slug: slug.clone(),
            status: CustomerStatus::Suspended,
        },
        CustomerCommand::SoftDelete { slug: slug.clone() },
        CustomerCommand::Purge { slug: slug.clone() },
    ];
    for command in commands {
        let err = f.exec(command).unwrap_err();
        assert!(err.to_string().contains("is the provider company"), "{err}");
    }
    let row = f.service.show_customer(&f.owner, &slug).unwrap().row;
    assert!(row.is_provider);
    assert_eq!(row.name, "Example Hosting");
    // The owner renames it through the setting; the slug stays.
    f.exec(SettingsCommand::Set {
        key: "company.name".into(),
        value: "Example Hosting AG".into(),
    })
    .unwrap();
    let row = f.service.show_customer(&f.owner, &slug).unwrap().row;
    assert_eq!(row.name, "Example Hosting AG");
    assert_eq!(row.slug, slug);
}

#[test]
fn editing_the_name_keeps_the_slug_and_slug_changes_are_explicit_and_audited() {
    let f = fixture();
    f.add("Acme");
    f.add("Other");
    f.exec(CustomerCommand::Edit {
        slug: "acme".into(),
        changes: CustomerChanges {
            name: Some("Acme Corporation".into()),
            ..Default::default()
        },
    })
    .unwrap();
    assert_eq!(f.slugs(false), vec!["acme", "example-hosting", "other"]);
    let clash = f.exec(CustomerCommand::Edit {
        slug: "acme".into(),
        changes: CustomerChanges {
            slug: Some("other".into()),
            ..Default::default()
        },
    });
    assert_eq!(
        clash.unwrap_err().to_string(),
        "slug \"other\" is already taken by \"Other\""
    );
    f.exec(CustomerCommand::Edit {
        slug: "acme".into(),
        changes: CustomerChanges {
            slug: Some("acme-corp".into()),
            ..Default::default()
        },
    })
    .unwrap();
    assert_eq!(
        f.slugs(false),
        vec!["acme-corp", "example-hosting", "other"]
    );
    // The old slug is free again.
    assert_eq!(f.add("Acme"), "acme");
    let log = f
        .service
        .audit_log(
            &f.owner,
            &LogQuery {
                customer: Some("acme-corp".into()),
                limit: None,
                before: None,
                ..LogQuery::default()
            },
        )
        .unwrap();
    assert!(
        log.iter().any(|e| e.summary == "slug: acme → acme-corp"),
        "{log:#?}"
    );
    assert!(
        log.iter()
            .any(|e| e.summary == "name: Acme → Acme Corporation"),
        "{log:#?}"
    );
}

#[test]
fn suspend_and_activate_refuse_no_ops_and_trashed_customers() {
    let f = fixture();
    f.add("Acme");
    let suspend = || CustomerCommand::SetStatus {
        slug: "acme".into(),
        status: CustomerStatus::Suspended,
    };
    f.exec(suspend()).unwrap();
    assert_eq!(
        f.exec(suspend()).unwrap_err().to_string(),
        "customer \"acme\" is already suspended"
    );
    f.exec(CustomerCommand::SoftDelete {
        slug: "acme".into(),
    })
    .unwrap();
    let err = f
        .exec(CustomerCommand::SetStatus {
            slug: "acme".into(),
            status: CustomerStatus::Active,
        })
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "customer \"acme\" is in the trash; restore it first"
    );
    assert_eq!(
        f.exec(CustomerCommand::SoftDelete {
            slug: "nope".into()
        })
        .unwrap_err()
        .to_string(),
        "no customer nope"
    );
}

#[test]
fn restore_brings_a_customer_back_exactly() {
    let f = fixture();
    f.add_owned("Acme", "ann@example.com");
    f.exec(CustomerCommand::SetStatus {
        slug: "acme".into(),
        status: CustomerStatus::Suspended,
    })
    .unwrap();
    let before = f.service.show_customer(&f.owner, "acme").unwrap();
    f.clock.advance_days(3);
    f.exec(CustomerCommand::SoftDelete {
        slug: "acme".into(),
    })
    .unwrap();
    assert_eq!(f.slugs(false), vec!["example-hosting"]);
    assert_eq!(f.slugs(true), vec!["acme"]);
    let trashed = f.service.show_customer(&f.owner, "acme").unwrap().row;
    assert_eq!(trashed.deleted_by.as_deref(), Some("owner@example.com"));
    assert_eq!(
        trashed.purge_at,
        trashed.deleted_at.map(|t| t.plus_days(30))
    );
    f.exec(CustomerCommand::Restore {
        slug: "acme".into(),
    })
    .unwrap();
    let after = f.service.show_customer(&f.owner, "acme").unwrap();
    assert_eq!(after.members, before.members);
    assert_eq!(
        after.row.status,
        tenantry::domain::CustomerStatus::Suspended
    );
    assert_eq!(after.row.deleted_at, None);
    assert_eq!(f.slugs(true), Vec::<String>::new());
    let again = f
        .exec(CustomerCommand::Restore {
            slug: "acme".into(),
        })
        .unwrap_err();
    assert_eq!(again.to_string(), "customer \"acme\" is not in the trash");
}

#[test]
fn purge_only_from_the_trash_removes_orphans_and_keeps_the_log() {
    let f = fixture();
    f.add_owned("Acme", "ann@example.com");
    f.add_owned("Beta", "bob@example.com");
    // Bob also owns Gamma, so purging Beta must keep him.
    f.add_with(NewCustomer {
        name: "Gamma".into(),
        owner: Some(OwnerSpec {
            email: "bob@example.com".into(),
            first_name: None,
            last_name: None,
            password: None,
        }),
        ..Default::default()
    });
    let refused = f
        .exec(CustomerCommand::Purge {
            slug: "acme".into(),
        })
        .unwrap_err();
    assert!(
        refused.to_string().contains("is not in the trash"),
        "{refused}"
    );
    for slug in ["acme", "beta"] {
        f.exec(CustomerCommand::SoftDelete { slug: slug.into() })
            .unwrap();
        let purged = f
            .exec(CustomerCommand::Purge { slug: slug.into() })
            .unwrap();
        assert_eq!(purged, Outcome::Purged(vec![slug.to_string()]));
    }
    let store = f.service.store();
    assert_eq!(store.user_id_by_email("ann@example.com").unwrap(), None);
    assert!(store.user_id_by_email("bob@example.com").unwrap().is_some());
    assert_eq!(f.slugs(false), vec!["example-hosting", "gamma"]);
    assert_eq!(f.slugs(true), Vec::<String>::new());
    // The slug is free again, and the purged customer's log is still readable by its slug.
    let log = f
        .service
        .audit_log(
            &f.owner,
            &LogQuery {
                customer: Some("acme".into()),
                limit: None,
                before: None,
                ..LogQuery::default()
            },
        )
        .unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        vec!["customer.purge", "customer.delete", "customer.add"]
    );
    assert!(
        log[0]
            .summary
            .contains("removed users with no other membership: ann@example.com")
    );
    assert_eq!(f.add("Acme"), "acme");
}

#[test]
fn expired_trash_is_purged_by_the_system_actor_after_the_retention() {
    let f = fixture();
    f.add("Old");
    f.add("New");
    f.exec(SettingsCommand::Set {
        key: "trash.retention_days".into(),
        value: "7".into(),
    })
    .unwrap();
    f.exec(CustomerCommand::SoftDelete { slug: "old".into() })
        .unwrap();
    f.clock.advance_days(5);
    f.exec(CustomerCommand::SoftDelete { slug: "new".into() })
        .unwrap();
    let system = tenantry::service::Session::system();
    assert_eq!(
        f.service
            .execute(&system, MaintenanceCommand::PurgeExpired)
            .unwrap(),
        Outcome::Purged(vec![])
    );
    f.clock.advance_days(2);
    assert_eq!(
        f.service
            .execute(&system, MaintenanceCommand::PurgeExpired)
            .unwrap(),
        Outcome::Purged(vec!["old".into()])
    );
    assert_eq!(f.slugs(true), vec!["new"]);
    let log = f
        .service
        .audit_log(
            &f.owner,
            &LogQuery {
                customer: Some("old".into()),
                limit: Some(1),
                before: None,
                ..LogQuery::default()
            },
        )
        .unwrap();
    assert_eq!(log[0].actor_kind, "system");
    assert_eq!(log[0].action, "trash.purge_expired");
    // The system actor can do nothing else.
    let err = f
        .service
        .execute(&system, CustomerCommand::SoftDelete { slug: "new".into() })
        .unwrap_err();
    assert!(
        matches!(err, ServiceError::PermissionDenied { .. }),
        "{err}"
    );
}

#[test]
fn a_batch_is_all_or_nothing_and_names_the_failing_command() {
    let f = fixture();
    let add = |name: &str| -> Command {
        CustomerCommand::Add(NewCustomer {
            name: name.into(),
            ..Default::default()
        })
        .into()
    };
    let err = f
        .service
        .execute_batch(&f.owner, vec![add("One"), add("Two"), add("one")])
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "command 2 of the batch failed: slug \"one\" is already taken by \"One\""
    );
    assert_eq!(f.slugs(false), vec!["example-hosting"]);
    let outcomes = f
        .service
        .execute_batch(&f.owner, vec![add("One"), add("Two")])
        .unwrap();
    assert_eq!(outcomes.len(), 2);
    assert_eq!(f.slugs(false), vec!["example-hosting", "one", "two"]);
}

#[test]
fn listing_filters_pages_and_orders_by_slug() {
    let f = fixture();
    for name in ["Zeta", "alpha", "Mid Corp", "Beta"] {
        f.add(name);
    }
    f.add_owned("Owned", "findme@example.com");
    let list = |filter: Option<&str>, offset, limit| -> Vec<String> {
        let q = tenantry::service::CustomerQuery {
            trash: false,
            filter: filter.map(Into::into),
            offset,
            limit,
            ..Default::default()
        };
        f.service
            .list_customers(&f.owner, &q)
            .unwrap()
            .map(|r| r.unwrap().slug)
            .collect()
    };
    assert_eq!(
        list(None, 0, None),
        vec![
            "alpha",
            "beta",
            "example-hosting",
            "mid-corp",
            "owned",
            "zeta"
        ]
    );
    assert_eq!(list(None, 2, Some(2)), vec!["example-hosting", "mid-corp"]);
    assert_eq!(list(Some("MID"), 0, None), vec!["mid-corp"]);
    assert_eq!(list(Some("FINDME@"), 0, None), vec!["owned"]);
    assert_eq!(list(Some("nothing"), 0, None), Vec::<String>::new());
}

#[test]
fn audit_events_record_actor_customer_and_never_secrets() {
    let f = fixture();
    f.add_with(NewCustomer {
        name: "Secretive".into(),
        owner: Some(OwnerSpec {
            email: "sec@example.com".into(),
            first_name: Some("Sec".into()),
            last_name: Some("Ret".into()),
            password: Some("hunter2 hunter2 hunter2".into()),
        }),
        ..Default::default()
    });
    let log = f.service.audit_log(&f.owner, &LogQuery::default()).unwrap();
    assert_eq!(log[0].action, "customer.add");
    assert_eq!(log[0].actor_email, "owner@example.com");
    assert_eq!(log[0].customer_slug, "secretive");
    for e in &log {
        let text = serde_json::to_string(e).unwrap();
        assert!(
            !text.contains("hunter2") && !text.contains("argon2") && !text.contains(PASSWORD),
            "{text}"
        );
    }
    assert_eq!(f.service.verify_log(&f.owner).unwrap().first_break, None);
}
