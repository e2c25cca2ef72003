#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! The rules of people that an attack on the first version broke: an invitation code never
//! sets the password of an account already in use or of staff; no write leaves an
//! invitation without its membership or a reset token without its user; a corporate customer
//! keeps an administrator on every path; a reset request answers the same even when its
//! message cannot be written; a customer's administrator learns nothing of other tenants.
//! The fixture checks every invariant when each test ends.

mod common;

use common::{PASSWORD, fixture};
use tenantry::domain::{CustomerKind, CustomerRole, StaffRole};
use tenantry::service::{
    CustomerChanges, CustomerCommand, InvitationCommand, NewCustomer, NewInvitation, NewUser,
    Outcome, OwnerSpec, RESET_REQUESTED, ServiceError, SettingsCommand, UserCommand,
};

fn invite(customer: &str, email: &str) -> InvitationCommand {
    InvitationCommand::Create(NewInvitation {
        customer: customer.into(),
        email: email.into(),
        first_name: "In".into(),
        last_name: "Vited".into(),
        role: CustomerRole::Member,
        language: None,
        expires_days: None,
    })
}

fn token(result: Result<Outcome, ServiceError>) -> String {
    match result {
        Ok(Outcome::Invitation { token, .. }) => token,
        other => panic!("{other:?}"),
    }
}

fn add_user(customer: &str, email: &str, role: CustomerRole) -> UserCommand {
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

fn with_owner(f: &common::Fixture, name: &str, email: &str) -> String {
    f.add_with(NewCustomer {
        name: name.into(),
        owner: Some(OwnerSpec {
            email: email.into(),
            first_name: Some("Ann".into()),
            last_name: Some("Owner".into()),
            password: Some(PASSWORD.into()),
        }),
        ..NewCustomer::default()
    })
}

#[test]
fn an_invitation_code_never_sets_the_password_of_an_account_in_use_or_of_staff() {
    let f = fixture();
    let acme = f.add("Acme");
    let globex = with_owner(&f, "Globex", "ann@globex.example");
    // Ann already signs in to globex; an invitation to acme must not change her password.
    let code = token(f.exec(invite(&acme, "ann@globex.example")));
    f.service
        .accept_invitation(&code, Some("a password chosen by someone else"))
        .unwrap();
    f.service
        .sign_in_member("ann@globex.example", PASSWORD, &globex)
        .unwrap();
    f.service
        .sign_in_member("ann@globex.example", PASSWORD, &acme)
        .unwrap();
    // A staff member invited somewhere keeps the password they have: none is set.
    f.staff("op@example.com", StaffRole::Operator);
    let code = token(f.exec(invite(&acme, "op@example.com")));
    f.service.accept_invitation(&code, None).unwrap();
    f.service.sign_in("op@example.com", PASSWORD).unwrap();
    // A new person's invitation needs the password it sets.
    let code = token(f.exec(invite(&acme, "new@example.com")));
    assert!(matches!(
        f.service.accept_invitation(&code, None),
        Err(ServiceError::PasswordNeeded)
    ));
    f.service
        .accept_invitation(&code, Some("the new person's own password"))
        .unwrap();
}

#[test]
fn a_pending_membership_is_ended_through_its_invitation_only() {
    let f = fixture();
    let acme = f.add("Acme");
    token(f.exec(invite(&acme, "zoe@example.com")));
    let said = f
        .exec(UserCommand::Remove {
            email: "zoe@example.com".into(),
            customer: acme.clone(),
        })
        .unwrap_err()
        .to_string();
    assert!(
        said.contains("revoke or delete the invitation instead"),
        "{said}"
    );
}

#[test]
fn deleting_a_user_removes_their_reset_tokens() {
    let f = fixture();
    let acme = f.add("Acme");
    f.exec(add_user(&acme, "una@acme.example", CustomerRole::Member))
        .unwrap();
    f.service
        .request_password_reset("una@acme.example")
        .unwrap();
    f.exec(UserCommand::Delete {
        email: "una@acme.example".into(),
    })
    .unwrap();
    assert_eq!(f.service.store().reset_tokens().count(), 0);
}

#[test]
fn the_last_administrator_stays_on_every_path() {
    let f = fixture();
    let acme = f.add("Acme");
    f.exec(add_user(
        &acme,
        "boss@acme.example",
        CustomerRole::Administrator,
    ))
    .unwrap();
    f.exec(add_user(&acme, "worker@acme.example", CustomerRole::Member))
        .unwrap();
    let said = f
        .exec(UserCommand::Delete {
            email: "boss@acme.example".into(),
        })
        .unwrap_err()
        .to_string();
    assert!(said.contains("last administrator"), "{said}");
    // A disabled administrator does not count as the one that stays.
    f.exec(add_user(
        &acme,
        "away@acme.example",
        CustomerRole::Administrator,
    ))
    .unwrap();
    f.exec(UserCommand::Disable {
        email: "away@acme.example".into(),
    })
    .unwrap();
    let said = f
        .exec(UserCommand::Remove {
            email: "boss@acme.example".into(),
            customer: acme.clone(),
        })
        .unwrap_err()
        .to_string();
    assert!(said.contains("last administrator"), "{said}");
    // An accepted invitation of the only administrator is not deleted with the membership.
    let globex = f.add("Globex");
    let code = token(f.exec(InvitationCommand::Create(NewInvitation {
        customer: globex.clone(),
        email: "chief@globex.example".into(),
        first_name: "Chief".into(),
        last_name: "Admin".into(),
        role: CustomerRole::Administrator,
        language: None,
        expires_days: None,
    })));
    f.service
        .accept_invitation(&code, Some("chief's own long password"))
        .unwrap();
    let said = f
        .exec(InvitationCommand::Delete {
            email: "chief@globex.example".into(),
            customer: globex.clone(),
        })
        .unwrap_err()
        .to_string();
    assert!(said.contains("last administrator"), "{said}");
}

#[test]
fn deleting_a_revoked_invitation_keeps_a_membership_made_since() {
    let f = fixture();
    let acme = f.add("Acme");
    token(f.exec(invite(&acme, "zoe@example.com")));
    f.exec(InvitationCommand::Revoke {
        email: "zoe@example.com".into(),
        customer: acme.clone(),
    })
    .unwrap();
    f.exec(add_user(&acme, "zoe@example.com", CustomerRole::Member))
        .unwrap();
    f.exec(InvitationCommand::Delete {
        email: "zoe@example.com".into(),
        customer: acme.clone(),
    })
    .unwrap();
    let row = f
        .service
        .show_user(&f.owner, "zoe@example.com")
        .unwrap()
        .row;
    assert_eq!(row.customers.len(), 1, "the membership made since stays");
}

#[test]
fn a_reset_request_answers_the_same_when_its_message_cannot_be_written() {
    let f = fixture();
    f.staff("op@example.com", StaffRole::Operator);
    let shared = tempfile::tempdir().unwrap();
    std::fs::set_permissions(
        shared.path(),
        <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o777),
    )
    .unwrap();
    f.exec(SettingsCommand::Set {
        key: "mail.outbox".into(),
        value: shared.path().display().to_string(),
    })
    .unwrap();
    for email in ["op@example.com", "nobody@example.com"] {
        assert_eq!(
            f.service.request_password_reset(email).unwrap(),
            RESET_REQUESTED
        );
    }
    assert_eq!(
        f.service.store().reset_tokens().count(),
        0,
        "nothing half-done"
    );
}

#[test]
fn a_customer_administrator_learns_nothing_of_other_tenants_accounts() {
    let f = fixture();
    let acme = with_owner(&f, "Acme", "ann@acme.example");
    with_owner(&f, "Globex", "mary@globex.example");
    let ann = f
        .service
        .sign_in_member("ann@acme.example", PASSWORD, &acme)
        .unwrap();
    let mut said = Vec::new();
    for email in ["mary@globex.example", "rnary@globex.example"] {
        let err = f
            .service
            .execute(&ann, add_user(&acme, email, CustomerRole::Member))
            .unwrap_err();
        said.push(err.to_string());
    }
    assert_eq!(
        said[0], said[1],
        "an existing account and a look-alike get one answer"
    );
    assert!(!said[0].contains("mary"), "{}", said[0]);
}

#[test]
fn a_customer_with_users_or_invitations_does_not_become_individual() {
    let f = fixture();
    let acme = with_owner(&f, "Acme", "ann@acme.example");
    f.exec(add_user(&acme, "una@acme.example", CustomerRole::Member))
        .unwrap();
    let to_individual = CustomerCommand::Edit {
        slug: acme.clone(),
        changes: CustomerChanges {
            kind: Some(CustomerKind::Individual),
            ..CustomerChanges::default()
        },
    };
    let said = f.exec(to_individual.clone()).unwrap_err().to_string();
    assert!(said.contains("only user is its owner"), "{said}");
    f.exec(UserCommand::Delete {
        email: "una@acme.example".into(),
    })
    .unwrap();
    f.exec(to_individual).unwrap();
}

#[test]
fn a_suspended_customer_takes_no_invitation_whose_code_could_not_be_accepted() {
    let f = fixture();
    let acme = f.add("Acme");
    f.exec(CustomerCommand::SetStatus {
        slug: acme.clone(),
        status: tenantry::domain::CustomerStatus::Suspended,
    })
    .unwrap();
    let said = f
        .exec(invite(&acme, "zoe@example.com"))
        .unwrap_err()
        .to_string();
    assert!(said.contains("is suspended"), "{said}");
    assert!(f.service.outbox().unwrap().list().unwrap().is_empty());
}
