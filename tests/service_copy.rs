#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! Copying a customer through the service: the copy is pending, with the services chosen (of
//! those the source has on), the plan, the system and the groups without members, no people;
//! its first event names the source; what cannot be copied is refused with nothing written.

mod common;

use common::fixture;
use tenantry::domain::StaffRole;
use tenantry::domain::plans::PlanLimits;
use tenantry::domain::services::ServiceSource;
use tenantry::service::{
    AccountCommand, CopyCustomer, CustomerCommand, GroupCommand, Outcome, PlanCommand, ServiceError,
};

fn copy(name: &str, services: Option<&[&str]>) -> CustomerCommand {
    CustomerCommand::Copy(CopyCustomer {
        source: "acme".into(),
        name: name.into(),
        services: services.map(|s| s.iter().map(|n| (*n).to_owned()).collect()),
    })
}

#[test]
fn a_copy_gets_the_chosen_services_the_plan_the_system_and_empty_groups() {
    let f = fixture();
    f.add_with_owner("Acme", "ann@acme.example");
    f.exec(PlanCommand::Add {
        name: "Gold".into(),
        limits: PlanLimits {
            max_users: Some(5),
            storage_gb: None,
            websites: None,
        },
    })
    .unwrap();
    f.exec(AccountCommand::Plan {
        slug: "acme".into(),
        plan: Some("gold".into()),
    })
    .unwrap();
    f.exec(AccountCommand::Services {
        slug: "acme".into(),
        enable: vec!["storage".into()],
        disable: vec!["dns".into()],
        inherit: Vec::new(),
    })
    .unwrap();
    f.exec(GroupCommand::Add {
        customer: "acme".into(),
        name: "Billing".into(),
    })
    .unwrap();
    f.exec(GroupCommand::AddMember {
        customer: "acme".into(),
        group: "billing".into(),
        email: "ann@acme.example".into(),
    })
    .unwrap();

    let Outcome::Customer(row) = f
        .exec(copy("Acme Lite", Some(&["WEBSITES", "storage"])))
        .unwrap()
    else {
        panic!("not a customer");
    };
    assert_eq!(row.slug, "acme-lite");
    assert_eq!(row.status, tenantry::domain::CustomerStatus::Pending);
    let shown = f.service.show_customer(&f.owner, "acme-lite").unwrap();
    assert!(shown.members.is_empty(), "no people are copied");
    assert_eq!(shown.groups.len(), 1);
    assert!(shown.groups[0].members.is_empty());
    assert_eq!(shown.account.plan.unwrap().name.as_deref(), Some("Gold"));
    assert_eq!(shown.account.system, "main");
    let on: Vec<(&str, ServiceSource)> = shown
        .account
        .services
        .iter()
        .filter(|s| s.on)
        .map(|s| (s.name.as_str(), s.source))
        .collect();
    assert_eq!(
        on,
        [
            ("Websites", ServiceSource::Inherited),
            ("Storage", ServiceSource::Overridden)
        ]
    );
    // Its first event names the source; the source keeps its own members and groups.
    let first = f.service.audit_log(&f.owner, &Default::default()).unwrap();
    let event = first.iter().find(|e| e.action == "customer.copy").unwrap();
    assert_eq!(event.customer_slug, "acme-lite");
    assert!(
        event.summary.starts_with("copied from acme (Acme)"),
        "{}",
        event.summary
    );
    let source = f.service.show_customer(&f.owner, "acme").unwrap();
    assert_eq!(source.groups[0].members, ["ann@acme.example"]);

    // Without a list: every service the source has on.
    f.exec(copy("Acme Europe", None)).unwrap();
    let europe = f.service.show_customer(&f.owner, "acme-europe").unwrap();
    let ons = |d: &tenantry::service::CustomerDetail| -> Vec<String> {
        d.account
            .services
            .iter()
            .filter(|s| s.on)
            .map(|s| s.name.clone())
            .collect()
    };
    assert_eq!(ons(&europe), ons(&source));
}

#[test]
fn what_cannot_be_copied_is_refused_and_an_operator_copies_no_plan() {
    let f = fixture();
    f.add("Acme");
    f.exec(PlanCommand::Add {
        name: "Gold".into(),
        limits: PlanLimits::default(),
    })
    .unwrap();
    f.exec(AccountCommand::Plan {
        slug: "acme".into(),
        plan: Some("gold".into()),
    })
    .unwrap();
    let before = f.service.store().audit_count();
    let err = f.exec(copy("Acme Two", Some(&["storage"]))).unwrap_err();
    assert!(
        matches!(&err, ServiceError::Invalid(v) if v.field == "services"),
        "{err}"
    );
    let err = f.exec(copy("Acme Two", Some(&["telepathy"]))).unwrap_err();
    assert!(matches!(err, ServiceError::Invalid(_)), "{err}");
    let err = f.exec(copy("Acme", None)).unwrap_err();
    assert!(err.to_string().contains("already taken"), "{err}");
    let err = f.exec(copy("   ", None)).unwrap_err();
    assert!(
        matches!(&err, ServiceError::Invalid(v) if v.field == "name"),
        "{err}"
    );
    let provider = CustomerCommand::Copy(CopyCustomer {
        source: "example-hosting".into(),
        name: "Another Host".into(),
        services: None,
    });
    assert!(
        f.exec(provider).is_err(),
        "the provider company is not copied"
    );
    assert_eq!(f.service.store().audit_count(), before, "nothing written");
    let operator = f.staff("op@example.com", StaffRole::Operator);
    f.service
        .execute(&operator, copy("Acme Two", None))
        .unwrap();
    let two = f.service.show_customer(&f.owner, "acme-two").unwrap();
    assert_eq!(
        two.account.plan.unwrap().name,
        None,
        "no plan without the privilege"
    );
}
