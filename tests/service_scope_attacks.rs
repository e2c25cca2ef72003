#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! What a review of the customer sessions broke, each now refused or hidden: an invitation
//! code taking over another customer's account, an invitation telling a customer about an
//! account its person holds elsewhere, a welcome message naming another customer, an ended
//! impersonation acting through a kept copy, and a customer's own log missing what its
//! administrators did to accounts.

mod common;

use common::{Fixture, PASSWORD, fixture};
use tenantry::domain::{CustomerRole, ImpersonationEnd, StaffRole};
use tenantry::service::query::ShowCustomer;
use tenantry::service::{
    InvitationCommand, LogQuery, NewCustomer, NewInvitation, NewUser, Outcome, OwnerSpec, Query,
    ServiceError, Session, ShowUser, UserCommand, WelcomePreview,
};

fn owned(f: &Fixture, name: &str, email: &str, password: Option<&str>) -> String {
    f.add_with(NewCustomer {
        name: name.into(),
        owner: Some(OwnerSpec {
            email: email.into(),
            first_name: Some("Real".into()),
            last_name: Some("Owner".into()),
            password: password.map(Into::into),
        }),
        ..NewCustomer::default()
    })
}

fn invite(customer: &str, email: &str) -> InvitationCommand {
    InvitationCommand::Create(NewInvitation {
        customer: customer.into(),
        email: email.into(),
        first_name: "Typed".into(),
        last_name: "Name".into(),
        role: CustomerRole::Member,
        language: None,
        expires_days: None,
    })
}

/// Globex, whose owner has never set a password, and then Acme with a signed-in
/// administrator (Globex first: a person's first customer is not Acme).
fn two(f: &Fixture) -> Session {
    owned(f, "Globex", "bob@globex.example", None);
    owned(f, "Acme", "ann@acme.example", Some(PASSWORD));
    f.service.sign_in("ann@acme.example", PASSWORD).unwrap()
}

#[test]
fn an_invitation_code_never_takes_over_an_account_of_another_customer() {
    let f = fixture();
    let ann = two(&f);
    // The customer session is not shown the code at all.
    let Outcome::Invitation { token, .. } = f
        .service
        .execute(&ann, invite("acme", "bob@globex.example"))
        .unwrap()
    else {
        panic!("no invitation")
    };
    assert_eq!(token, "");
    // Even with the code (staff see it: resend as staff), it sets no password on an account
    // that existed before.
    let Outcome::Invitation { token, .. } = f
        .exec(InvitationCommand::Resend {
            email: "bob@globex.example".into(),
            customer: "acme".into(),
        })
        .unwrap()
    else {
        panic!("no invitation")
    };
    assert!(matches!(
        f.service
            .accept_invitation(&token, Some("the attacker's password")),
        Err(ServiceError::ResetFirst)
    ));
    assert!(matches!(
        f.service
            .sign_in("bob@globex.example", "the attacker's password"),
        Err(ServiceError::BadCredentials)
    ));
}

#[test]
fn an_invited_person_is_to_the_customer_what_the_invitation_says() {
    let f = fixture();
    let ann = two(&f);
    f.service
        .execute(&ann, invite("acme", "bob@globex.example"))
        .unwrap();
    let Ok(tenantry::service::Answer::User(bob)) = f.service.query(
        &ann,
        Query::User(ShowUser {
            email: "bob@globex.example".into(),
        }),
    ) else {
        panic!("not shown")
    };
    assert_eq!(
        (bob.row.first_name.as_str(), bob.row.last_name.as_str()),
        ("Typed", "Name")
    );
    assert_eq!(bob.row.status, "invited");
    assert_eq!(bob.row.origin, "invitation");
    assert_eq!(bob.row.staff_role, None);
    let Ok(tenantry::service::Answer::Customer(acme)) = f.service.query(
        &ann,
        Query::Customer(ShowCustomer {
            slug: "acme".into(),
        }),
    ) else {
        panic!("no customer")
    };
    let member = acme
        .members
        .iter()
        .find(|m| m.email == "bob@globex.example")
        .unwrap();
    assert_eq!(member.name, "Typed Name");
    // The customer's log does not say whether the address had an account.
    let log = f.service.audit_log(&ann, &LogQuery::default()).unwrap();
    let invited = log
        .iter()
        .find(|e| e.action == "invitation.create")
        .unwrap();
    assert!(!invited.summary.contains("existing"), "{}", invited.summary);
    assert!(!invited.summary.contains("new user"), "{}", invited.summary);
}

#[test]
fn a_welcome_message_from_a_customer_names_that_customer() {
    let f = fixture();
    let ann = two(&f);
    f.service
        .execute(&ann, invite("acme", "bob@globex.example"))
        .unwrap();
    let Ok(tenantry::service::Answer::WelcomePreview(text)) = f.service.query(
        &ann,
        Query::WelcomePreview(WelcomePreview {
            email: "bob@globex.example".into(),
        }),
    ) else {
        panic!("no preview")
    };
    assert!(text.contains("Acme"), "{text}");
    assert!(!text.contains("Globex"), "{text}");
}

#[test]
fn an_ended_impersonation_acts_no_more_through_a_kept_copy() {
    let f = fixture();
    two(&f);
    let op = f.staff("op@example.com", StaffRole::Operator);
    let imp = f
        .service
        .start_impersonation(&op, "acme", "ticket 1")
        .unwrap();
    let copy = imp.clone();
    f.service
        .end_impersonation(&imp, ImpersonationEnd::Returned)
        .unwrap();
    let add = UserCommand::Add(NewUser {
        customer: "acme".into(),
        email: "late@acme.example".into(),
        first_name: "Late".into(),
        last_name: "Comer".into(),
        role: CustomerRole::Member,
        language: None,
        fields: Vec::new(),
    });
    assert!(matches!(
        f.service.execute(&copy, add),
        Err(ServiceError::ImpersonationOver {
            why: ImpersonationEnd::Returned
        })
    ));
}

#[test]
fn what_a_customers_administrator_does_to_an_account_is_in_its_log() {
    let f = fixture();
    let ann = two(&f);
    f.service
        .execute(
            &ann,
            UserCommand::Add(NewUser {
                customer: "acme".into(),
                email: "una@acme.example".into(),
                first_name: "Una".into(),
                last_name: "User".into(),
                role: CustomerRole::Member,
                language: None,
                fields: Vec::new(),
            }),
        )
        .unwrap();
    f.service
        .execute(
            &ann,
            UserCommand::Disable {
                email: "una@acme.example".into(),
            },
        )
        .unwrap();
    let log = f.service.audit_log(&ann, &LogQuery::default()).unwrap();
    assert_eq!(log[0].action, "user.disable");
    assert_eq!(log[0].customer_slug, "acme");
}
