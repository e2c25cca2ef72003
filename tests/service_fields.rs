#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! Custom fields through the service: the schema's rules (names, types, choices, who changes
//! it), each value checked against its field's type when a customer or user is added or
//! edited, required fields, what the customer's own users see and may change, and a removed
//! field's values kept until a confirmed cleanup deletes them.

mod common;

use common::users::new_user;
use common::{Fixture, PASSWORD, fixture};
use tenantry::domain::fields::{FieldKind, FieldTarget};
use tenantry::domain::{CustomerRole, StaffRole};
use tenantry::service::{
    CustomerChanges, CustomerCommand, FieldChanges, FieldCommand, FieldShown, NewCustomer,
    NewField, ServiceError, UserChanges, UserCommand,
};

fn field(target: FieldTarget, name: &str, kind: FieldKind) -> NewField {
    NewField {
        target,
        name: name.into(),
        kind,
        choices: if kind == FieldKind::Choice {
            vec!["Gold".into(), "Silver".into()]
        } else {
            Vec::new()
        },
        required: false,
        customer_visible: false,
        column: false,
    }
}

fn add_field(f: &Fixture, new: NewField) -> Result<(), ServiceError> {
    f.exec(FieldCommand::Add(new)).map(drop)
}

fn set(f: &Fixture, slug: &str, values: &[(&str, &str)]) -> Result<(), ServiceError> {
    f.exec(CustomerCommand::Edit {
        slug: slug.into(),
        changes: CustomerChanges {
            fields: pairs(values),
            ..Default::default()
        },
    })
    .map(drop)
}

fn pairs(values: &[(&str, &str)]) -> Vec<(String, String)> {
    values
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

fn shown(f: &Fixture, slug: &str) -> Vec<(String, Option<String>)> {
    let detail = f.service.show_customer(&f.owner, slug).unwrap();
    detail
        .fields
        .into_iter()
        .map(|FieldShown { name, value, .. }| (name, value))
        .collect()
}

fn newest(f: &Fixture) -> tenantry::service::rows::AuditRow {
    let page = f.service.log_page(&f.owner, &Default::default()).unwrap();
    page.rows.into_iter().next().unwrap()
}

fn field_of(err: &ServiceError) -> String {
    match err {
        ServiceError::Invalid(e) => e.field.clone(),
        other => panic!("not a validation error: {other:?}"),
    }
}

#[test]
fn each_type_is_checked_and_stored_canonically_when_set_on_a_customer() {
    let f = fixture();
    let slug = f.add("Acme");
    for (name, kind) in [
        ("Cost centre", FieldKind::Text),
        ("Seats", FieldKind::Number),
        ("Contract end", FieldKind::Date),
        ("Tier", FieldKind::Choice),
    ] {
        add_field(&f, field(FieldTarget::Customers, name, kind)).unwrap();
    }
    for (name, bad) in [
        ("Seats", "twelve"),
        ("Contract end", "2026-02-30"),
        ("Tier", "Bronze"),
        ("Cost centre", "a\nb"),
    ] {
        let err = set(&f, &slug, &[(name, bad)]).unwrap_err();
        assert_eq!(field_of(&err), name, "{name} = {bad:?}");
    }
    assert!(shown(&f, &slug).iter().all(|(_, v)| v.is_none()));
    set(
        &f,
        &slug,
        &[
            ("cost_centre", " CC-7 "),
            ("SEATS", "+012.50"),
            ("contract end", "2026-12-31"),
            ("tier", "gold"),
        ],
    )
    .unwrap();
    assert_eq!(
        shown(&f, &slug),
        [
            ("Cost centre".to_owned(), Some("CC-7".to_owned())),
            ("Seats".to_owned(), Some("12.5".to_owned())),
            ("Contract end".to_owned(), Some("2026-12-31".to_owned())),
            ("Tier".to_owned(), Some("Gold".to_owned())),
        ]
    );
    let err = set(&f, &slug, &[("Colour", "red")]).unwrap_err();
    assert!(err.to_string().contains("Cost centre, Seats"), "{err}");
    set(&f, &slug, &[("Tier", "")]).unwrap();
    assert_eq!(shown(&f, &slug)[3].1, None, "an empty value clears");
    let last = newest(&f);
    assert_eq!(last.action, "customer.fields");
    assert_eq!(last.summary, "Tier: Gold → (none)");
    f.assert_consistent();
}

#[test]
fn a_required_field_is_asked_of_new_customers_and_at_each_change() {
    let f = fixture();
    let old = f.add("Old");
    add_field(
        &f,
        NewField {
            required: true,
            ..field(FieldTarget::Customers, "Cost centre", FieldKind::Text)
        },
    )
    .unwrap();
    let refused = f.exec(CustomerCommand::Add(NewCustomer {
        name: "New".into(),
        ..Default::default()
    }));
    assert_eq!(field_of(&refused.unwrap_err()), "Cost centre");
    assert!(!f.slugs(false).contains(&"new".to_owned()));
    f.exec(CustomerCommand::Add(NewCustomer {
        name: "New".into(),
        fields: pairs(&[("Cost centre", "CC-1")]),
        ..Default::default()
    }))
    .unwrap();
    // A customer from before the field keeps working until its fields change.
    let detail = f.service.show_customer(&f.owner, &old).unwrap();
    assert!(detail.fields[0].required && detail.fields[0].value.is_none());
    f.exec(CustomerCommand::Edit {
        slug: old.clone(),
        changes: CustomerChanges {
            website: Some("https://old.example".into()),
            ..Default::default()
        },
    })
    .unwrap();
    assert!(set(&f, "new", &[("Cost centre", " ")]).is_err());
}

#[test]
fn the_schema_refuses_clashing_names_and_needs_manage_settings() {
    let f = fixture();
    add_field(&f, field(FieldTarget::Customers, "Tier", FieldKind::Choice)).unwrap();
    for (name, kind) in [
        ("tier", FieldKind::Text),
        ("Owner_Email", FieldKind::Text),
        ("Status", FieldKind::Text),
        ("Bad/name", FieldKind::Text),
    ] {
        assert!(
            add_field(&f, field(FieldTarget::Customers, name, kind)).is_err(),
            "{name}"
        );
    }
    // The same name for users is another field.
    add_field(&f, field(FieldTarget::Users, "Tier", FieldKind::Text)).unwrap();
    let mut choiceless = field(FieldTarget::Customers, "Level", FieldKind::Choice);
    choiceless.choices.clear();
    assert!(add_field(&f, choiceless).is_err());
    let operator = f.staff("op@example.com", StaffRole::Operator);
    let err = f
        .service
        .execute(
            &operator,
            tenantry::service::Command::from(FieldCommand::Add(field(
                FieldTarget::Customers,
                "X",
                FieldKind::Text,
            ))),
        )
        .unwrap_err();
    assert!(
        matches!(err, ServiceError::PermissionDenied { .. }),
        "{err:?}"
    );
    assert_eq!(f.service.list_fields(&operator).unwrap().len(), 2);
    f.exec(FieldCommand::Edit {
        target: FieldTarget::Customers,
        name: "tier".into(),
        changes: FieldChanges {
            add_choices: vec!["Platinum".into()],
            column: Some(true),
            ..Default::default()
        },
    })
    .unwrap();
    let tier = &f.service.list_fields(&f.owner).unwrap()[0];
    assert_eq!(tier.choices, ["Gold", "Silver", "Platinum"]);
    assert!(tier.column);
}

#[test]
fn a_removed_field_keeps_its_values_until_a_cleanup_deletes_them() {
    let f = fixture();
    let acme = f.add("Acme");
    let other = f.add("Other");
    add_field(
        &f,
        field(FieldTarget::Customers, "Seats", FieldKind::Number),
    )
    .unwrap();
    set(&f, &acme, &[("Seats", "5")]).unwrap();
    let remove = |name: &str| FieldCommand::Remove {
        target: FieldTarget::Customers,
        name: name.into(),
    };
    let cleanup = FieldCommand::Cleanup {
        target: FieldTarget::Customers,
        name: "seats".into(),
    };
    assert!(f.exec(cleanup.clone()).is_err(), "a field in use");
    f.exec(remove("seats")).unwrap();
    assert!(shown(&f, &acme).is_empty(), "a removed field is not shown");
    assert!(set(&f, &acme, &[("Seats", "6")]).is_err());
    assert!(
        add_field(&f, field(FieldTarget::Customers, "Seats", FieldKind::Text)).is_err(),
        "the name stays taken until the cleanup"
    );
    let stored = |slug: &str| {
        let id = f
            .service
            .store()
            .customer_id_by_slug(slug)
            .unwrap()
            .unwrap();
        f.service.store().customer(id).unwrap().unwrap().fields
    };
    assert_eq!(stored(&acme).len(), 1, "kept while removed");
    f.exec(cleanup).unwrap();
    assert!(stored(&acme).is_empty());
    assert!(stored(&other).is_empty());
    assert!(f.service.list_fields(&f.owner).unwrap().is_empty());
    let last = newest(&f);
    assert_eq!(last.action, "field.cleanup");
    assert!(
        last.summary.contains("deleted from 1 customers"),
        "{}",
        last.summary
    );
    add_field(&f, field(FieldTarget::Customers, "Seats", FieldKind::Text)).unwrap();
    assert_eq!(
        shown(&f, &acme),
        [("Seats".to_owned(), None)],
        "a new field"
    );
    f.assert_consistent();
}

#[test]
fn users_have_values_of_their_own_fields_deleted_with_them() {
    let f = fixture();
    let slug = f.add("Acme");
    add_field(
        &f,
        NewField {
            required: true,
            ..field(FieldTarget::Users, "Employee no", FieldKind::Number)
        },
    )
    .unwrap();
    let err = f
        .exec(new_user(&slug, "bo@acme.example", CustomerRole::Member))
        .unwrap_err();
    assert_eq!(field_of(&err), "Employee no");
    let UserCommand::Add(mut new) = new_user(&slug, "bo@acme.example", CustomerRole::Member) else {
        unreachable!()
    };
    new.fields = pairs(&[("employee no", "0042")]);
    f.exec(UserCommand::Add(new)).unwrap();
    let values = |f: &Fixture| {
        f.service
            .show_user(&f.owner, "bo@acme.example")
            .unwrap()
            .fields
    };
    assert_eq!(values(&f)[0].value.as_deref(), Some("42"));
    f.exec(UserCommand::Edit {
        email: "bo@acme.example".into(),
        changes: UserChanges {
            fields: pairs(&[("Employee no", "43")]),
            ..Default::default()
        },
    })
    .unwrap();
    assert_eq!(values(&f)[0].value.as_deref(), Some("43"));
    let id = f
        .service
        .store()
        .user_id_by_email("bo@acme.example")
        .unwrap()
        .unwrap();
    f.exec(UserCommand::Delete {
        email: "bo@acme.example".into(),
    })
    .unwrap();
    assert!(f.service.store().user_fields(id).unwrap().is_empty());
    f.assert_consistent();
}

#[test]
fn a_customers_own_users_see_and_change_only_the_fields_it_sees() {
    let f = fixture();
    let slug = f.add_with_owner("Acme", "ann@acme.example");
    add_field(
        &f,
        NewField {
            customer_visible: true,
            ..field(FieldTarget::Customers, "Tier", FieldKind::Choice)
        },
    )
    .unwrap();
    add_field(
        &f,
        field(FieldTarget::Customers, "Margin", FieldKind::Number),
    )
    .unwrap();
    set(&f, &slug, &[("Margin", "30")]).unwrap();
    let ann = f.service.sign_in("ann@acme.example", PASSWORD).unwrap();
    let detail = f.service.show_customer(&ann, &slug).unwrap();
    let names: Vec<&str> = detail.fields.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Tier"]);
    let listed: Vec<String> = f
        .service
        .list_fields(&ann)
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(listed, ["Tier"]);
    let edit = |values: &[(&str, &str)]| {
        f.service.execute(
            &ann,
            tenantry::service::Command::from(CustomerCommand::Edit {
                slug: slug.clone(),
                changes: CustomerChanges {
                    fields: pairs(values),
                    ..Default::default()
                },
            }),
        )
    };
    let err = edit(&[("Margin", "10")]).unwrap_err();
    assert_eq!(field_of(&err), "Margin");
    edit(&[("Tier", "Silver")]).unwrap();
    assert_eq!(
        shown(&f, &slug),
        [
            ("Tier".to_owned(), Some("Silver".to_owned())),
            ("Margin".to_owned(), Some("30".to_owned())),
        ]
    );
}
