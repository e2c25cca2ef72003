#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! The users area's reads and input through the service: the user list's paging and filters,
//! look-alike addresses refused through the index, and every problem of a new user at once.

mod common;

use common::fixture;
use common::users::{new_user, refusal};
use tenantry::domain::{CustomerRole, UserStatus};
use tenantry::service::{
    CustomerCommand, NewCustomer, NewUser, OwnerSpec, ShowUser, UserCommand, UserQuery,
};

#[test]
fn the_user_list_pages_in_email_order_and_filters_by_customer_role_status_and_text() {
    let f = fixture();
    let acme = f.add("Acme");
    let globex = f.add("Globex");
    for (slug, email, role) in [
        (&acme, "carol@acme.example", CustomerRole::Member),
        (&acme, "alice@acme.example", CustomerRole::Administrator),
        (&globex, "bert@globex.example", CustomerRole::Moderator),
        (&globex, "alice@acme.example", CustomerRole::Member),
        (&acme, "dave@acme.example", CustomerRole::Moderator),
    ] {
        f.exec(new_user(slug, email, role)).unwrap();
    }
    f.exec(UserCommand::Disable {
        email: "dave@acme.example".into(),
    })
    .unwrap();
    let emails = |q: UserQuery| -> Vec<String> {
        f.service
            .users_page(&f.owner, &q)
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.email)
            .collect()
    };
    assert_eq!(
        emails(UserQuery::default()),
        [
            "alice@acme.example",
            "bert@globex.example",
            "carol@acme.example",
            "dave@acme.example",
            "owner@example.com"
        ]
    );
    assert_eq!(
        emails(UserQuery {
            customer: Some(acme.clone()),
            ..UserQuery::default()
        }),
        [
            "alice@acme.example",
            "carol@acme.example",
            "dave@acme.example"
        ]
    );
    assert_eq!(
        emails(UserQuery {
            customer: Some(globex.clone()),
            role: Some(CustomerRole::Member),
            ..UserQuery::default()
        }),
        ["alice@acme.example"],
        "alice is a member in globex, an administrator in acme"
    );
    assert_eq!(
        emails(UserQuery {
            status: Some(UserStatus::Disabled),
            ..UserQuery::default()
        }),
        ["dave@acme.example"]
    );
    assert_eq!(
        emails(UserQuery {
            filter: Some("GLOBEX".into()),
            ..UserQuery::default()
        }),
        ["bert@globex.example"]
    );
    // Pages of two, following the cursor, give every user once.
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = f
            .service
            .users_page(
                &f.owner,
                &UserQuery {
                    after: after.clone(),
                    limit: Some(2),
                    ..UserQuery::default()
                },
            )
            .unwrap();
        seen.extend(page.rows.into_iter().map(|r| r.email));
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5);
    let detail = f
        .service
        .show_user(
            &f.owner,
            &ShowUser {
                email: "alice@acme.example".into(),
            }
            .email,
        )
        .unwrap();
    let mut roles: Vec<(String, String)> = detail
        .row
        .customers
        .iter()
        .map(|c| (c.slug.clone(), c.role.clone()))
        .collect();
    roles.sort();
    assert_eq!(
        roles,
        [
            ("acme".to_owned(), "administrator".to_owned()),
            ("globex".to_owned(), "member".to_owned())
        ]
    );
}

#[test]
fn a_user_whose_email_looks_like_another_accounts_is_refused_through_the_index() {
    let f = fixture();
    let acme = f.add("Acme");
    f.exec(new_user(&acme, "admin@acme.example", CustomerRole::Member))
        .unwrap();
    // A Cyrillic "а" in place of the Latin "a".
    let said = refusal(f.exec(new_user(
        &acme,
        "\u{430}dmin@acme.example",
        CustomerRole::Member,
    )));
    assert!(
        said.contains("looks like the existing account admin@acme.example"),
        "{said}"
    );
    // Once that account is deleted, its skeleton no longer blocks anyone.
    f.exec(UserCommand::Delete {
        email: "admin@acme.example".into(),
    })
    .unwrap();
    f.exec(new_user(
        &acme,
        "\u{430}dmin@acme.example",
        CustomerRole::Member,
    ))
    .unwrap();
}

#[test]
fn a_new_user_with_several_bad_fields_gets_every_problem_at_once() {
    let f = fixture();
    let acme = f.add("Acme");
    let err = f
        .exec(UserCommand::Add(NewUser {
            customer: acme,
            email: "not an address".into(),
            first_name: " ".into(),
            last_name: "Fine".into(),
            role: CustomerRole::Member,
            language: Some("no such language".into()),
            fields: Vec::new(),
        }))
        .unwrap_err();
    let fields: Vec<&str> = err
        .field_problems()
        .iter()
        .map(|p| p.field.as_str())
        .collect();
    assert_eq!(fields, ["email", "first name", "language"]);
}

#[test]
fn a_new_customer_owner_whose_email_looks_like_another_accounts_is_refused() {
    let f = fixture();
    // The fixture's owner is owner@example.com; a Cyrillic "о" in its place.
    let err = f
        .exec(CustomerCommand::Add(NewCustomer {
            name: "Lookalike Ltd".into(),
            owner: Some(OwnerSpec {
                email: "\u{43e}wner@example.com".into(),
                first_name: Some("Fake".into()),
                last_name: Some("Owner".into()),
                password: None,
            }),
            ..NewCustomer::default()
        }))
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("owner email: "), "{err}");
    assert!(
        err.contains("looks like the existing account owner@example.com"),
        "{err}"
    );
    // The existing owner's own address is no look-alike.
    f.add_with(NewCustomer {
        name: "Second Ltd".into(),
        owner: Some(OwnerSpec {
            email: "OWNER@example.com".into(),
            first_name: None,
            last_name: None,
            password: None,
        }),
        ..NewCustomer::default()
    });
}
