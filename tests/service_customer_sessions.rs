#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! A customer's user signs in on the one sign-in path: straight into their one customer, or,
//! with several, as a member who chooses one and may switch later; a customer they cannot
//! use is refused with the one outside message. Their own password changes with the current
//! one, and the change ends every reset code.

mod common;

use common::{Fixture, PASSWORD, fixture};
use tenantry::domain::CustomerStatus;
use tenantry::service::{
    CustomerCommand, NewCustomer, OwnerSpec, ServiceError, SessionKind, UserCommand,
};

fn owned_by_ann(f: &Fixture, name: &str) -> String {
    f.add_with(NewCustomer {
        name: name.into(),
        owner: Some(OwnerSpec {
            email: "ann@example.org".into(),
            first_name: Some("Ann".into()),
            last_name: Some("Admin".into()),
            password: Some(PASSWORD.into()),
        }),
        ..NewCustomer::default()
    })
}

#[test]
fn a_user_of_one_customer_signs_straight_into_it() {
    let f = fixture();
    let acme = owned_by_ann(&f, "Acme");
    let s = f.service.sign_in("ann@example.org", PASSWORD).unwrap();
    let info = s.info();
    assert_eq!(info.kind, SessionKind::CustomerUser);
    let id = f.service.store().customer_id_by_slug(&acme).unwrap();
    assert_eq!(info.customer, id);
}

#[test]
fn a_user_of_several_customers_chooses_one_and_switches_later() {
    let f = fixture();
    let acme = owned_by_ann(&f, "Acme");
    let globex = owned_by_ann(&f, "Globex");
    let member = f.service.sign_in("ann@example.org", PASSWORD).unwrap();
    assert_eq!(member.info().kind, SessionKind::Member);
    // Before choosing, nothing of any customer is open to the session.
    assert!(matches!(
        f.service.show_customer(&member, &acme),
        Err(ServiceError::OutsideSession { .. })
    ));
    let names: Vec<String> = f
        .service
        .my_customers(&member)
        .unwrap()
        .into_iter()
        .map(|c| c.slug)
        .collect();
    assert_eq!(names, [acme.clone(), globex.clone()]);
    let in_acme = f.service.enter_customer(&member, &acme).unwrap();
    f.service.show_customer(&in_acme, &acme).unwrap();
    assert!(f.service.show_customer(&in_acme, &globex).is_err());
    let in_globex = f.service.enter_customer(&in_acme, &globex).unwrap();
    f.service.show_customer(&in_globex, &globex).unwrap();
    // A customer suspended meanwhile can no longer be entered, nor acted in.
    f.exec(CustomerCommand::SetStatus {
        slug: globex.clone(),
        status: CustomerStatus::Suspended,
    })
    .unwrap();
    assert!(f.service.show_customer(&in_globex, &globex).is_err());
    assert!(matches!(
        f.service.enter_customer(&in_acme, &globex),
        Err(ServiceError::OutsideSession { .. })
    ));
    assert!(matches!(
        f.service.enter_customer(&in_acme, "no-such-customer"),
        Err(ServiceError::OutsideSession { .. })
    ));
}

#[test]
fn staff_cannot_enter_a_customer_as_its_user() {
    let f = fixture();
    let acme = owned_by_ann(&f, "Acme");
    assert!(f.service.enter_customer(&f.owner, &acme).is_err());
}

#[test]
fn a_user_changes_their_own_password_with_the_current_one_and_resets_end() {
    let f = fixture();
    owned_by_ann(&f, "Acme");
    let ann = f.service.sign_in("ann@example.org", PASSWORD).unwrap();
    let wrong = f
        .service
        .change_own_password(&ann, "not the password", "a brand new long password")
        .unwrap_err();
    assert_eq!(wrong.field_problems()[0].field, "current password");
    let short = f
        .service
        .change_own_password(&ann, PASSWORD, "short")
        .unwrap_err();
    assert_eq!(short.field_problems()[0].field, "new password");
    f.service.request_password_reset("ann@example.org").unwrap();
    f.service
        .change_own_password(&ann, PASSWORD, "a brand new long password")
        .unwrap();
    assert!(f.service.sign_in("ann@example.org", PASSWORD).is_err());
    f.service
        .sign_in("ann@example.org", "a brand new long password")
        .unwrap();
    // The reset code written before the change no longer works.
    let outbox = f.service.outbox().unwrap();
    let message = outbox.list().unwrap().pop().unwrap();
    let text = String::from_utf8_lossy(&outbox.read(&message.id).unwrap()).into_owned();
    let token = text
        .split_whitespace()
        .find(|w| w.len() == 40 && w.chars().all(|c| c.is_ascii_hexdigit()))
        .unwrap()
        .to_owned();
    assert!(matches!(
        f.service
            .reset_password(&token, "yet another long password"),
        Err(ServiceError::InvalidToken)
    ));
    // Setting one's own notifications stays self-service.
    f.service
        .execute(&ann, UserCommand::SetOwnNotifications { on: false })
        .unwrap();
}
