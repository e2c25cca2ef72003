#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! The service catalogue through the service: the defaults until first changed, names unique
//! without regard to case, edits and removal recorded in the log, and only owners changing it
//! while every staff role reads it.

mod common;

use common::fixture;
use tenantry::domain::StaffRole;
use tenantry::service::{Command, ServiceCommand, ServiceError};

fn names(f: &common::Fixture) -> Vec<(String, bool)> {
    f.service
        .list_services(&f.owner)
        .unwrap()
        .into_iter()
        .map(|r| (r.name, r.default_on))
        .collect()
}

fn add(name: &str, on: bool) -> ServiceCommand {
    ServiceCommand::Add {
        name: name.into(),
        default_on: on,
    }
}

#[test]
fn the_catalogue_starts_with_the_defaults_and_keeps_names_unique() {
    let f = fixture();
    let on: Vec<String> = names(&f)
        .into_iter()
        .filter(|(_, on)| *on)
        .map(|(n, _)| n)
        .collect();
    assert_eq!(on, ["Websites", "Email", "DNS", "Backups"]);
    assert_eq!(names(&f).len(), 6);
    f.exec(add("Object Storage", false)).unwrap();
    let err = f.exec(add(" EMAIL ", true)).unwrap_err().to_string();
    assert!(
        err.contains("\"Email\" is already in the catalogue"),
        "{err}"
    );
    let err = f
        .exec(ServiceCommand::Edit {
            name: "dns".into(),
            default_on: None,
            rename: Some("object storage".into()),
        })
        .unwrap_err()
        .to_string();
    assert!(err.contains("already in the catalogue"), "{err}");
    f.exec(ServiceCommand::Edit {
        name: "storage".into(),
        default_on: Some(true),
        rename: None,
    })
    .unwrap();
    f.exec(ServiceCommand::Remove {
        name: "WORKFLOW".into(),
    })
    .unwrap();
    let now = names(&f);
    assert!(now.contains(&("Storage".into(), true)));
    assert!(now.contains(&("Object Storage".into(), false)));
    assert!(!now.iter().any(|(n, _)| n == "Workflow"));
    let actions: Vec<String> = f
        .service
        .store()
        .audit_newest_first()
        .take(3)
        .map(|e| e.unwrap().action)
        .collect();
    assert_eq!(actions, ["service.remove", "service.edit", "service.add"]);
}

#[test]
fn only_owners_change_the_catalogue_and_every_staff_role_reads_it() {
    let f = fixture();
    for role in [
        StaffRole::Administrator,
        StaffRole::Operator,
        StaffRole::Auditor,
    ] {
        let staff = f.staff(&format!("{}@example.com", role.as_str()), role);
        assert_eq!(f.service.list_services(&staff).unwrap().len(), 6);
        let refused = f
            .service
            .execute(&staff, Command::Service(add("Monitoring", true)));
        assert!(
            matches!(refused, Err(ServiceError::PermissionDenied { .. })),
            "{role:?}: {refused:?}"
        );
    }
    assert_eq!(names(&f).len(), 6, "nothing was added");
}
