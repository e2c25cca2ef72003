#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! A customer's user groups and independent organisations, through the service: names unique
//! without case, members only the customer's users, a membership's end taking its user out of
//! every group in the same transaction; and an independent customer that staff no longer
//! change the people of, delete or impersonate, handed back only by its own administrators.

mod common;

use common::{Fixture, PASSWORD, fixture};
use tenantry::domain::{CustomerRole, StaffRole};
use tenantry::service::{
    CustomerCommand, CustomerRefusal, GroupCommand, GroupRow, ImpersonationRefusal,
    IndependenceCommand, NewInvitation, NewUser, Outcome, ServiceError, Session, UserCommand,
};

fn acme(f: &Fixture) -> String {
    f.add_with_owner("Acme", "ann@acme.example")
}

fn user(customer: &str, email: &str, role: CustomerRole) -> UserCommand {
    UserCommand::Add(NewUser {
        customer: customer.into(),
        email: email.into(),
        first_name: "Una".into(),
        last_name: "User".into(),
        role,
        language: None,
        fields: Vec::new(),
    })
}

/// Invites `email` into acme with `role`, accepts with a password and signs in.
fn invited(f: &Fixture, email: &str, role: CustomerRole) -> Session {
    let invite = tenantry::service::InvitationCommand::Create(NewInvitation {
        customer: "acme".into(),
        email: email.into(),
        first_name: "In".into(),
        last_name: "Vited".into(),
        role,
        language: None,
        expires_days: None,
    });
    let Outcome::Invitation { token, .. } = f.exec(invite).unwrap() else {
        panic!("not an invitation");
    };
    f.service.accept_invitation(&token, Some(PASSWORD)).unwrap();
    f.service.sign_in(email, PASSWORD).unwrap()
}

fn add_group(name: &str) -> GroupCommand {
    GroupCommand::Add {
        customer: "acme".into(),
        name: name.into(),
    }
}

fn join(group: &str, email: &str) -> GroupCommand {
    GroupCommand::AddMember {
        customer: "acme".into(),
        group: group.into(),
        email: email.into(),
    }
}

fn groups(f: &Fixture, session: &Session) -> Vec<GroupRow> {
    f.service.show_customer(session, "acme").unwrap().groups
}

fn refusal(err: &ServiceError) -> Option<CustomerRefusal> {
    match err {
        ServiceError::CustomerRefused { reason, .. } => Some(*reason),
        _ => None,
    }
}

#[test]
fn groups_hold_the_customers_users_and_lose_them_with_their_membership() {
    let f = fixture();
    acme(&f);
    f.exec(user("acme", "bo@acme.example", CustomerRole::Member))
        .unwrap();
    f.exec(add_group("Billing")).unwrap();
    let err = f.exec(add_group(" BILLING ")).unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    f.exec(join("billing", "ANN@acme.example")).unwrap();
    let Outcome::Groups(rows) = f.exec(join("Billing", "bo@acme.example")).unwrap() else {
        panic!("not groups");
    };
    assert_eq!(rows[0].members, ["ann@acme.example", "bo@acme.example"]);
    // Someone who is not a user of the customer, even staff, is not a member.
    let err = f.exec(join("billing", "owner@example.com")).unwrap_err();
    assert!(
        matches!(&err, ServiceError::Invalid(v) if v.field == "email"),
        "{err}"
    );
    let err = f.exec(join("billing", "ann@acme.example")).unwrap_err();
    assert!(err.to_string().contains("already in group"), "{err}");
    let log_before = f.service.store().audit_count();
    // Ending the membership takes Bo out of the group in the same command.
    f.exec(UserCommand::Remove {
        email: "bo@acme.example".into(),
        customer: "acme".into(),
    })
    .unwrap();
    assert_eq!(f.service.store().audit_count(), log_before + 1);
    assert_eq!(groups(&f, &f.owner)[0].members, ["ann@acme.example"]);
    f.exec(GroupCommand::RemoveMember {
        customer: "acme".into(),
        group: "billing".into(),
        email: "ann@acme.example".into(),
    })
    .unwrap();
    f.exec(GroupCommand::Remove {
        customer: "acme".into(),
        name: "Billing".into(),
    })
    .unwrap();
    assert!(groups(&f, &f.owner).is_empty());
    // Purging the customer takes its groups with it (the fixture's check runs on drop).
    f.exec(add_group("Devs")).unwrap();
    f.exec(CustomerCommand::SoftDelete {
        slug: "acme".into(),
    })
    .unwrap();
    f.exec(CustomerCommand::Purge {
        slug: "acme".into(),
    })
    .unwrap();
}

#[test]
fn a_customers_administrators_manage_its_groups_and_nobody_elses() {
    let f = fixture();
    acme(&f);
    f.add("Globex");
    let mo = invited(&f, "mo@acme.example", CustomerRole::Moderator);
    let ann = f.service.sign_in("ann@acme.example", PASSWORD).unwrap();
    f.service.execute(&ann, add_group("Support")).unwrap();
    f.service
        .execute(&ann, join("support", "mo@acme.example"))
        .unwrap();
    assert_eq!(groups(&f, &ann)[0].members, ["mo@acme.example"]);
    let other = GroupCommand::Add {
        customer: "globex".into(),
        name: "Mine".into(),
    };
    let err = f.service.execute(&ann, other).unwrap_err();
    assert!(matches!(err, ServiceError::OutsideSession { .. }), "{err}");
    let err = f.service.execute(&mo, add_group("Moderators")).unwrap_err();
    assert!(matches!(err, ServiceError::OutsideSession { .. }), "{err}");
    // An auditor reads, and changes nothing.
    let auditor = f.staff("audrey@example.com", StaffRole::Auditor);
    assert_eq!(groups(&f, &auditor).len(), 1);
    let err = f.service.execute(&auditor, add_group("Audit")).unwrap_err();
    assert!(
        matches!(err, ServiceError::PermissionDenied { .. }),
        "{err}"
    );
}

#[test]
fn an_independent_organisation_manages_its_people_and_only_it_hands_itself_back() {
    let f = fixture();
    acme(&f);
    let operator = f.staff("op@example.com", StaffRole::Operator);
    // An impersonation running when the customer becomes independent ends at its next step.
    let impersonating = f
        .service
        .start_impersonation(&f.owner, "acme", "ticket 7")
        .unwrap();
    let make = IndependenceCommand::MakeIndependent {
        slug: "acme".into(),
    };
    let Outcome::Customer(row) = f.service.execute(&operator, make.clone()).unwrap() else {
        panic!("not a customer");
    };
    assert!(row.independent, "listed with its marker");
    // The row says so: its groups are its own, while a copy and its services stay offered.
    use tenantry::service::{CustomerAction, Denial};
    assert_eq!(
        row.allowed.denial(CustomerAction::Groups),
        Some(Denial::Independent)
    );
    assert!(row.allowed.allows(CustomerAction::Copy));
    assert!(row.allowed.allows(CustomerAction::Services));
    let err = f.service.execute(&operator, make).unwrap_err();
    assert_eq!(refusal(&err), Some(CustomerRefusal::Independent), "{err}");
    assert!(
        f.service.show_customer(&impersonating, "acme").is_err(),
        "the impersonation acts no more"
    );
    let err = f
        .service
        .start_impersonation(&f.owner, "acme", "ticket 8")
        .unwrap_err();
    assert!(
        matches!(
            err,
            ServiceError::ImpersonationRefused {
                reason: ImpersonationRefusal::Independent,
                ..
            }
        ),
        "{err}"
    );
    let before = f.service.store().audit_count();
    let invite = NewInvitation {
        customer: "acme".into(),
        email: "ivy@guest.example".into(),
        first_name: "Ivy".into(),
        last_name: "Guest".into(),
        role: CustomerRole::Member,
        language: None,
        expires_days: None,
    };
    let staff_tries: Vec<tenantry::service::Command> = vec![
        user("acme", "bo@acme.example", CustomerRole::Member).into(),
        UserCommand::Disable {
            email: "ann@acme.example".into(),
        }
        .into(),
        tenantry::service::InvitationCommand::Create(invite.clone()).into(),
        add_group("Ops").into(),
        CustomerCommand::SoftDelete {
            slug: "acme".into(),
        }
        .into(),
        IndependenceCommand::HandBack {
            slug: "acme".into(),
        }
        .into(),
    ];
    for command in staff_tries {
        let err = f.exec(command.clone()).unwrap_err();
        assert_eq!(
            refusal(&err),
            Some(CustomerRefusal::Independent),
            "{command:?}: {err}"
        );
        assert_eq!(err.to_string().lines().count(), 1);
    }
    assert_eq!(f.service.store().audit_count(), before, "nothing written");
    // Its own administrator manages its people, and hands it back.
    let ann = f.service.sign_in("ann@acme.example", PASSWORD).unwrap();
    f.service
        .execute(&ann, user("acme", "bo@acme.example", CustomerRole::Member))
        .unwrap();
    f.service.execute(&ann, add_group("Ops")).unwrap();
    let back = IndependenceCommand::HandBack {
        slug: "acme".into(),
    };
    let Outcome::Customer(row) = f.service.execute(&ann, back.clone()).unwrap() else {
        panic!("not a customer");
    };
    assert!(!row.independent);
    let err = f.service.execute(&ann, back).unwrap_err();
    assert_eq!(
        refusal(&err),
        Some(CustomerRefusal::NotIndependent),
        "{err}"
    );
    // Managed again: staff act as before.
    f.exec(user("acme", "cy@acme.example", CustomerRole::Member))
        .unwrap();
    let log = f
        .service
        .log_page(&f.owner, &Default::default())
        .unwrap()
        .rows;
    let actions: Vec<&str> = log.iter().map(|r| r.action.as_str()).collect();
    assert!(actions.contains(&"customer.independent"), "{actions:?}");
    assert!(actions.contains(&"customer.hand_back"), "{actions:?}");
}
