//! Results front ends decide on are typed values, never text to match: a clash of a unique
//! value names its field and holder, the audit action is an enum whose text is the stored one,
//! and what the console may offer for a customer is computed by the service.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;
#[path = "typed_results/console.rs"]
mod console;
#[path = "typed_results/store.rs"]
mod store;

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
const STORED: [(AuditAction, &str); 61] = [
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
    (AuditAction::SchemaMigrate, "schema.migrate"),
    (AuditAction::UserAdd, "user.add"),
    (AuditAction::UserEdit, "user.edit"),
    (AuditAction::UserDisable, "user.disable"),
    (AuditAction::UserEnable, "user.enable"),
    (AuditAction::UserDelete, "user.delete"),
    (AuditAction::UserRemove, "user.remove"),
    (AuditAction::InvitationCreate, "invitation.create"),
    (AuditAction::InvitationResend, "invitation.resend"),
    (AuditAction::InvitationRevoke, "invitation.revoke"),
    (AuditAction::InvitationDelete, "invitation.delete"),
    (AuditAction::InvitationAccept, "invitation.accept"),
    (AuditAction::PasswordResetRequest, "password.reset_request"),
    (AuditAction::PasswordReset, "password.reset"),
    (AuditAction::UserWelcome, "user.welcome"),
    (AuditAction::ImpersonationStart, "impersonation.start"),
    (AuditAction::ImpersonationEnd, "impersonation.end"),
    (AuditAction::PasswordChange, "password.change"),
    (AuditAction::LogExport, "log.export"),
    (AuditAction::LogPrune, "log.prune"),
    (AuditAction::ServiceAdd, "service.add"),
    (AuditAction::ServiceEdit, "service.edit"),
    (AuditAction::ServiceRemove, "service.remove"),
    (AuditAction::CustomerServices, "customer.services"),
    (AuditAction::CustomerSystem, "customer.system"),
    (AuditAction::CustomerPlan, "customer.plan"),
    (AuditAction::CustomerFields, "customer.fields"),
    (AuditAction::CustomerCopy, "customer.copy"),
    (AuditAction::CustomerIndependent, "customer.independent"),
    (AuditAction::CustomerHandBack, "customer.hand_back"),
    (AuditAction::SystemAdd, "system.add"),
    (AuditAction::SystemEdit, "system.edit"),
    (AuditAction::SystemRemove, "system.remove"),
    (AuditAction::PlanAdd, "plan.add"),
    (AuditAction::PlanEdit, "plan.edit"),
    (AuditAction::PlanRemove, "plan.remove"),
    (AuditAction::FieldAdd, "field.add"),
    (AuditAction::FieldEdit, "field.edit"),
    (AuditAction::FieldRemove, "field.remove"),
    (AuditAction::FieldCleanup, "field.cleanup"),
    (AuditAction::GroupAdd, "group.add"),
    (AuditAction::GroupRemove, "group.remove"),
    (AuditAction::GroupAddMember, "group.add_member"),
    (AuditAction::GroupRemoveMember, "group.remove_member"),
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

/// Each area's command states its audit action and privilege in one place (`spec`), and that
/// is what the service checks: a session without the privilege is refused naming exactly it,
/// for every command of every area, and nothing is written.
#[test]
fn every_area_command_is_checked_by_the_action_and_privilege_its_area_states() {
    use tenantry::service::{ImportCommand, ImportStart, SettingsCommand};
    let f = fixture();
    f.add("Acme");
    let auditor = f.staff("au@example.com", StaffRole::Auditor);
    let slug = || "acme".to_owned();
    let commands: Vec<Command> = vec![
        add("New", None).into(),
        CustomerCommand::Edit {
            slug: slug(),
            changes: CustomerChanges::default(),
        }
        .into(),
        CustomerCommand::SetStatus {
            slug: slug(),
            status: tenantry::domain::CustomerStatus::Suspended,
        }
        .into(),
        CustomerCommand::SoftDelete { slug: slug() }.into(),
        CustomerCommand::Restore { slug: slug() }.into(),
        CustomerCommand::Purge { slug: slug() }.into(),
        StaffCommand::Disable {
            email: "owner@example.com".into(),
        }
        .into(),
        StaffCommand::Enable {
            email: "owner@example.com".into(),
        }
        .into(),
        SettingsCommand::Set {
            key: "trash.retention_days".into(),
            value: "5".into(),
        }
        .into(),
        ImportCommand::Start(ImportStart {
            file_name: "x.csv".into(),
            sha256: "00".into(),
            rows: 1,
        })
        .into(),
        ImportCommand::Finish {
            import_id: 1,
            already: 0,
            skipped: 0,
        }
        .into(),
        MaintenanceCommand::PurgeExpired.into(),
    ];
    let before = f.service.store().audit_count();
    for command in commands {
        let (action, privilege) = command.spec();
        assert_eq!(command.action(), action);
        let err = f.service.execute(&auditor, command).unwrap_err();
        assert_eq!(
            err,
            ServiceError::PermissionDenied {
                action: action.as_str(),
                privilege: privilege.label(),
            }
        );
    }
    assert_eq!(f.service.store().audit_count(), before);
}

/// The console's success lines read the one list of action words, never a literal of their
/// own: every `done:` in the console's source names an action's `done_phrase()`.
#[test]
fn console_success_lines_come_from_the_one_list_of_action_words() {
    fn sources(dir: &std::path::Path, out: &mut Vec<(std::path::PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push((path.clone(), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let mut files = Vec::new();
    sources(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui"),
        &mut files,
    );
    let mut phrases = 0;
    for (path, text) in &files {
        for line in text
            .lines()
            .filter(|l| l.trim_start().starts_with("done: "))
        {
            assert!(
                !line.contains("done: \""),
                "{}: a success line worded in the console: {line}",
                path.display()
            );
            phrases += usize::from(line.contains("done_phrase()"));
        }
    }
    assert!(phrases >= 4, "the console's success lines were not found");
    assert_eq!(
        AuditAction::CustomerDelete.done_phrase(),
        "moved to the trash:"
    );
    assert_eq!(AuditAction::CustomerDelete.past_tense(), "deleted");
}
