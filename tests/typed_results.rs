//! Results front ends decide on are typed values, never text to match: a clash of a unique
//! value names its field and holder, the audit action is an enum whose text is the stored one,
//! and what the console may offer for a customer is computed by the service.

mod common;
#[path = "typed_results/console.rs"]
mod console;

use common::{PASSWORD, fixture};
use tenantry::domain::{AuditAction, StaffRole};
use tenantry::service::{
    Command, CustomerChanges, CustomerCommand, Holder, LogQuery, MaintenanceCommand, NewCustomer,
    NewStaff, ServiceError, StaffChanges, StaffCommand, UniqueField,
};

fn add(name: &str, slug: Option<&str>) -> CustomerCommand {
    CustomerCommand::Add(NewCustomer {
        name: name.into(),
        slug: slug.map(Into::into),
        ..NewCustomer::default()
    })
}

#[test]
fn a_slug_clash_is_a_typed_error_naming_the_field_and_the_holder() {
    let f = fixture();
    f.add("Acme");
    let err = f.exec(add("Acme Again", Some("acme"))).unwrap_err();
    assert_eq!(
        err,
        ServiceError::Taken {
            field: UniqueField::Slug,
            value: "acme".into(),
            holder: Holder::Customer {
                name: "Acme".into(),
                trashed: false,
            },
        }
    );
    // The text is what it always was.
    assert_eq!(
        err.to_string(),
        "slug \"acme\" is already taken by \"Acme\""
    );

    // A rename onto a trashed customer's slug names it as trashed.
    f.add("Other");
    f.exec(CustomerCommand::SoftDelete {
        slug: "acme".into(),
    })
    .unwrap();
    let err = f
        .exec(CustomerCommand::Edit {
            slug: "other".into(),
            changes: CustomerChanges {
                slug: Some("acme".into()),
                ..CustomerChanges::default()
            },
        })
        .unwrap_err();
    assert!(
        matches!(
            &err,
            ServiceError::Taken {
                field: UniqueField::Slug,
                holder: Holder::Customer { trashed: true, .. },
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "slug \"acme\" is already taken by \"Acme\", which is in the trash"
    );
}

#[test]
fn staff_email_and_unix_clashes_are_typed_errors_with_unchanged_text() {
    let f = fixture();
    f.staff("sam@example.com", StaffRole::Operator);
    let again = f
        .exec(StaffCommand::Add(NewStaff {
            email: "Sam@Example.com".into(),
            first_name: "Sam".into(),
            last_name: "Again".into(),
            role: StaffRole::Administrator,
            unix_user: None,
            password: Some(PASSWORD.into()),
        }))
        .unwrap_err();
    assert!(
        matches!(
            &again,
            ServiceError::Taken {
                field: UniqueField::StaffEmail,
                holder: Holder::Staff {
                    role: StaffRole::Operator
                },
                ..
            }
        ),
        "{again:?}"
    );
    assert_eq!(
        again.to_string(),
        "sam@example.com is already a staff member (operator)"
    );
    // The fixture's owner is linked to the Unix account "olga".
    let unix = f
        .exec(StaffCommand::Edit {
            email: "sam@example.com".into(),
            changes: StaffChanges {
                unix_user: Some("olga".into()),
                ..StaffChanges::default()
            },
        })
        .unwrap_err();
    assert_eq!(
        unix,
        ServiceError::Taken {
            field: UniqueField::UnixUser,
            value: "olga".into(),
            holder: Holder::OtherStaff,
        }
    );
    assert_eq!(
        unix.to_string(),
        "Unix user \"olga\" is already linked to another staff member"
    );
}

/// The stored text of every action, as events have always carried it (the audit hash covers
/// it, so a change here would break every verifier).
const STORED: [(AuditAction, &str); 17] = [
    (AuditAction::PlatformInit, "platform.init"),
    (AuditAction::CustomerAdd, "customer.add"),
    (AuditAction::CustomerEdit, "customer.edit"),
    (AuditAction::CustomerSuspend, "customer.suspend"),
    (AuditAction::CustomerActivate, "customer.activate"),
    (AuditAction::CustomerDelete, "customer.delete"),
    (AuditAction::CustomerRestore, "customer.restore"),
    (AuditAction::CustomerPurge, "customer.purge"),
    (AuditAction::TrashPurgeExpired, "trash.purge_expired"),
    (AuditAction::SettingsSet, "settings.set"),
    (AuditAction::StaffAdd, "staff.add"),
    (AuditAction::StaffEdit, "staff.edit"),
    (AuditAction::StaffDisable, "staff.disable"),
    (AuditAction::StaffEnable, "staff.enable"),
    (AuditAction::ImportCustomers, "import.customers"),
    (AuditAction::ImportUndo, "import.undo"),
    (AuditAction::UserLockout, "user.lockout"),
];

#[test]
fn audit_actions_are_an_enum_whose_text_is_the_stored_one() {
    for (action, text) in STORED {
        assert_eq!(action.as_str(), text);
        assert_eq!(AuditAction::parse(text), Some(action));
    }
    assert_eq!(STORED.len(), AuditAction::ALL.len());

    // Events written through the service carry exactly that text.
    let f = fixture();
    f.add("Acme");
    f.exec(CustomerCommand::SetStatus {
        slug: "acme".into(),
        status: tenantry::domain::CustomerStatus::Suspended,
    })
    .unwrap();
    f.exec(CustomerCommand::SoftDelete {
        slug: "acme".into(),
    })
    .unwrap();
    f.exec(CustomerCommand::Restore {
        slug: "acme".into(),
    })
    .unwrap();
    let log = f.service.audit_log(&f.owner, &LogQuery::default()).unwrap();
    let actions: Vec<&str> = log.iter().rev().map(|r| r.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "platform.init",
            "customer.add",
            "customer.suspend",
            "customer.delete",
            "customer.restore"
        ]
    );
    let commands: [(Command, AuditAction); 2] = [
        (
            CustomerCommand::SoftDelete { slug: "x".into() }.into(),
            AuditAction::CustomerDelete,
        ),
        (
            MaintenanceCommand::PurgeExpired.into(),
            AuditAction::TrashPurgeExpired,
        ),
    ];
    for (command, action) in commands {
        assert_eq!(command.action(), action);
    }
}

#[test]
fn refusal_verbs_come_from_the_one_list_of_past_tenses() {
    let f = fixture();
    let provider = f
        .service
        .list_customers(&f.owner, &Default::default())
        .unwrap()
        .map(|r| r.unwrap())
        .find(|r| r.is_provider)
        .unwrap();
    for (command, action) in [
        (
            CustomerCommand::SetStatus {
                slug: provider.slug.clone(),
                status: tenantry::domain::CustomerStatus::Suspended,
            },
            AuditAction::CustomerSuspend,
        ),
        (
            CustomerCommand::SoftDelete {
                slug: provider.slug.clone(),
            },
            AuditAction::CustomerDelete,
        ),
    ] {
        let err = f.exec(command).unwrap_err().to_string();
        let expected = format!(
            "\"{}\" is the provider company and cannot be {};",
            provider.slug,
            action.past_tense()
        );
        assert!(err.starts_with(&expected), "{err}");
    }
}

/// Every record goes through the one store function that writes its indexes too: a slug
/// change, a move to the trash, a new Unix link and removals each leave the invariant check
/// clean and the old index keys gone.
#[test]
fn each_entity_is_written_with_its_indexes_by_one_store_function() {
    use tenantry::domain::{Deletion, Slug, Timestamp};
    use tenantry::store::StoreError;

    let f = fixture();
    f.add_owned("Acme", "ann@acme.example");
    let store = f.service.store();
    let result: Result<(), StoreError> = store.transact(|tx| {
        let id = tx
            .customer_id_by_slug(&Slug::from_stored("acme".into()))?
            .unwrap();
        let mut customer = tx.customer(id)?.unwrap();
        customer.slug = Slug::from_stored("acme-two".into());
        customer.deleted = Some(Deletion {
            at: Timestamp(5),
            by: "test".into(),
        });
        tx.save_customer(&customer)?;
        assert_eq!(
            tx.customer_id_by_slug(&Slug::from_stored("acme".into()))?,
            None
        );
        assert_eq!(
            tx.customer_id_by_slug(&Slug::from_stored("acme-two".into()))?,
            Some(id)
        );
        let owner = tx.user_id_by_email("ann@acme.example")?.unwrap();
        let mut user = tx.user(owner)?.unwrap();
        user.unix_user = Some("ann".into());
        user.email = "Ann@New.example".into();
        tx.save_user(&user)?;
        assert_eq!(tx.user_id_by_unix("ann")?, Some(owner));
        assert_eq!(tx.user_id_by_email("ann@acme.example")?, None);
        assert_eq!(tx.user_id_by_email("ann@new.example")?, Some(owner));
        Ok(())
    });
    result.unwrap();
    assert!(store.check_invariants().unwrap().is_empty());
    assert_eq!(
        f.slugs(true),
        ["acme-two"],
        "the trash lists it by its trash entry"
    );

    // Removing the user and the customer takes their index entries with them.
    let result: Result<(), StoreError> = store.transact(|tx| {
        let owner = tx.user_id_by_unix("ann")?.unwrap();
        let id = tx
            .customer_id_by_slug(&Slug::from_stored("acme-two".into()))?
            .unwrap();
        tx.remove_membership(id, owner)?;
        assert!(tx.delete_user(owner)?.is_some());
        assert!(tx.delete_customer(id, &[])?.is_some());
        assert_eq!(tx.user_id_by_unix("ann")?, None);
        assert_eq!(tx.user_id_by_email("ann@new.example")?, None);
        Ok(())
    });
    result.unwrap();
    assert!(store.check_invariants().unwrap().is_empty());
    assert!(f.slugs(true).is_empty());
}

fn allowed_of(
    f: &common::Fixture,
    session: &tenantry::service::Session,
    slug: &str,
) -> tenantry::service::AllowedActions {
    f.service
        .show_customer(session, slug)
        .expect("show")
        .row
        .allowed
}

/// The service computes per row what the session may do: the provider company is never
/// offered for change, a trashed customer only restore or purge, a role only what it holds.
#[test]
fn allowed_actions_per_row_are_computed_by_the_service_from_session_and_record() {
    use tenantry::service::{CustomerAction as A, Denial};
    let f = fixture();
    f.add("Acme");
    f.add("Gone");
    f.exec(CustomerCommand::SoftDelete {
        slug: "gone".into(),
    })
    .unwrap();
    let provider = f.slugs(false).into_iter().find(|s| s != "acme").unwrap();
    let operator = f.staff("op@example.com", StaffRole::Operator);
    let auditor = f.staff("au@example.com", StaffRole::Auditor);

    let live = allowed_of(&f, &f.owner, "acme");
    for a in [A::Edit, A::ChangeSlug, A::Suspend, A::Delete] {
        assert!(live.allows(a), "{a:?}");
    }
    assert_eq!(
        live.denial(A::Activate),
        Some(Denial::AlreadyStatus(
            tenantry::domain::CustomerStatus::Active
        ))
    );
    assert_eq!(live.denial(A::Purge), Some(Denial::NotInTrash));

    let company = allowed_of(&f, &f.owner, &provider);
    for a in [A::Edit, A::ChangeSlug, A::Suspend, A::Delete, A::Purge] {
        assert_eq!(company.denial(a), Some(Denial::ProviderCompany), "{a:?}");
    }
    let text = company
        .refusal(A::Delete, &provider, "Example Hosting")
        .unwrap();
    assert!(text.contains("is the provider company"), "{text}");

    let trashed = allowed_of(&f, &f.owner, "gone");
    assert!(trashed.allows(A::Restore) && trashed.allows(A::Purge));
    assert_eq!(trashed.denial(A::Edit), Some(Denial::InTrash));

    // An operator manages customers but may not purge; an auditor only reads.
    let op = allowed_of(&f, &operator, "gone");
    assert!(op.allows(A::Restore));
    assert_eq!(
        op.denial(A::Purge),
        Some(Denial::Privilege(tenantry::domain::Privilege::Purge))
    );
    let au = allowed_of(&f, &auditor, "acme");
    assert!(A::ALL.iter().all(|a| !au.allows(*a)));
    assert_eq!(
        au.refusal(A::Delete, "acme", "Acme").unwrap(),
        "permission denied: customer.delete needs the \"manage customers\" privilege"
    );
    // What the service allows is what it then executes, and what it denies it refuses.
    let err = f
        .service
        .execute(
            &operator,
            CustomerCommand::Purge {
                slug: "gone".into(),
            },
        )
        .unwrap_err();
    assert!(
        matches!(err, ServiceError::PermissionDenied { .. }),
        "{err}"
    );
}
