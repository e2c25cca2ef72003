//! Sessions the service can trust, and the one seam front ends reach it through: a session
//! signed in earlier is judged by the acting user as stored now (disabled → refused, demoted
//! → the new role), through the service, the in-process backend and the real console; and the
//! console driven over a fake backend with no database at all.

mod common;

use common::{PASSWORD, fixture};
use tenantry::domain::StaffRole;
use tenantry::service::{Command, LogQuery, NewCustomer, ServiceError, StaffChanges};

fn add_customer(name: &str) -> Command {
    Command::AddCustomer(NewCustomer {
        name: name.into(),
        ..NewCustomer::default()
    })
}

#[test]
fn a_disabled_staff_members_existing_session_is_refused_on_its_next_command() {
    let f = fixture();
    let admin = f.staff("ada@example.com", StaffRole::Administrator);
    f.service
        .execute(&admin, add_customer("Before Disable"))
        .expect("an active administrator may add a customer");
    f.exec(Command::DisableStaff {
        email: "ada@example.com".into(),
    })
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

    f.exec(Command::EnableStaff {
        email: "ada@example.com".into(),
    })
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
    f.exec(Command::EditStaff {
        email: "ada@example.com".into(),
        changes: StaffChanges {
            role: Some(StaffRole::Auditor),
            ..StaffChanges::default()
        },
    })
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
