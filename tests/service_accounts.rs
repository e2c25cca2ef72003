#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! A customer's services, target system and plan through the service: inheritance against
//! override when the catalogue changes (and across a rename), the plan's privilege, a plan's
//! user limit on every way a customer gains a user, and the rules of systems and plans.

mod common;

use common::fixture;
use tenantry::domain::plans::PlanLimits;
use tenantry::domain::services::ServiceSource;
use tenantry::domain::{CustomerRole, StaffRole};
use tenantry::service::{
    AccountCommand, InvitationCommand, NewInvitation, NewUser, PlanCommand, ServiceCommand,
    ServiceError, Session, SystemCommand, UserCommand,
};

fn services(
    f: &common::Fixture,
    session: &Session,
    slug: &str,
) -> Vec<(String, bool, ServiceSource)> {
    f.service
        .show_customer(session, slug)
        .unwrap()
        .account
        .services
        .into_iter()
        .map(|s| (s.name, s.on, s.source))
        .collect()
}

fn set(slug: &str, enable: &[&str], disable: &[&str], inherit: &[&str]) -> AccountCommand {
    let v = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
    AccountCommand::Services {
        slug: slug.into(),
        enable: v(enable),
        disable: v(disable),
        inherit: v(inherit),
    }
}

fn default(name: &str, on: bool) -> ServiceCommand {
    ServiceCommand::Edit {
        name: name.into(),
        default_on: Some(on),
        rename: None,
    }
}

fn user(slug: &str, email: &str) -> UserCommand {
    UserCommand::Add(NewUser {
        customer: slug.into(),
        email: email.into(),
        first_name: "Una".into(),
        last_name: "User".into(),
        role: CustomerRole::Member,
        language: None,
        fields: Vec::new(),
    })
}

#[test]
fn a_catalogue_default_changes_every_customer_that_inherits_it_and_none_that_overrides_it() {
    let f = fixture();
    f.add("Acme");
    f.add("Beta");
    let inherited = services(&f, &f.owner, "acme");
    assert!(inherited.iter().all(|s| s.2 == ServiceSource::Inherited));
    assert!(inherited.contains(&("DNS".into(), true, ServiceSource::Inherited)));
    f.exec(set("acme", &["storage"], &["DNS"], &[])).unwrap();
    f.exec(default("dns", false)).unwrap();
    f.exec(default("email", false)).unwrap();
    let acme = services(&f, &f.owner, "acme");
    let beta = services(&f, &f.owner, "beta");
    assert!(acme.contains(&("DNS".into(), false, ServiceSource::Overridden)));
    assert!(acme.contains(&("Storage".into(), true, ServiceSource::Overridden)));
    assert!(acme.contains(&("Email".into(), false, ServiceSource::Inherited)));
    assert!(beta.contains(&("DNS".into(), false, ServiceSource::Inherited)));
    f.exec(default("dns", true)).unwrap();
    assert!(services(&f, &f.owner, "acme").contains(&(
        "DNS".into(),
        false,
        ServiceSource::Overridden
    )));
    assert!(services(&f, &f.owner, "beta").contains(&(
        "DNS".into(),
        true,
        ServiceSource::Inherited
    )));

    // A rename keeps the override; resetting follows the default again.
    f.exec(ServiceCommand::Edit {
        name: "storage".into(),
        default_on: None,
        rename: Some("Object Storage".into()),
    })
    .unwrap();
    assert!(services(&f, &f.owner, "acme").contains(&(
        "Object Storage".into(),
        true,
        ServiceSource::Overridden
    )));
    f.exec(set("acme", &[], &[], &["object storage", "dns"]))
        .unwrap();
    let acme = services(&f, &f.owner, "acme");
    assert!(acme.contains(&("Object Storage".into(), false, ServiceSource::Inherited)));
    assert!(acme.contains(&("DNS".into(), true, ServiceSource::Inherited)));
    let err = f.exec(set("acme", &[], &[], &["dns"])).unwrap_err();
    assert!(
        err.to_string().contains("already has those services so"),
        "{err}"
    );
    let err = f.exec(set("acme", &["dns"], &["DNS"], &[])).unwrap_err();
    assert!(
        matches!(err, ServiceError::Invalid(ref v) if v.field == "service"),
        "{err}"
    );
    let err = f.exec(set("acme", &["Mail"], &[], &[])).unwrap_err();
    assert!(
        err.to_string().contains("the catalogue has Websites"),
        "{err}"
    );
    let log = f
        .service
        .store()
        .audit_newest_first()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(log.action, "customer.services");
    assert!(
        log.summary.contains("Object Storage inherited (off)"),
        "{}",
        log.summary
    );
}

#[test]
fn plans_need_their_privilege_to_be_seen_listed_or_given() {
    let f = fixture();
    f.add("Acme");
    f.exec(PlanCommand::Add {
        name: "Gold".into(),
        limits: PlanLimits {
            max_users: Some(10),
            ..PlanLimits::default()
        },
    })
    .unwrap();
    let operator = f.staff("op@example.com", StaffRole::Operator);
    let err = f.service.list_plans(&operator).unwrap_err();
    assert!(
        matches!(err, ServiceError::PermissionDenied { .. }),
        "{err}"
    );
    let give = AccountCommand::Plan {
        slug: "acme".into(),
        plan: Some("gold".into()),
    };
    let err = f.service.execute(&operator, give.clone()).unwrap_err();
    assert!(err.to_string().contains("manage service plans"), "{err}");
    let err = f
        .service
        .execute(
            &operator,
            PlanCommand::Add {
                name: "Silver".into(),
                limits: PlanLimits::default(),
            },
        )
        .unwrap_err();
    assert!(
        matches!(err, ServiceError::PermissionDenied { .. }),
        "{err}"
    );
    assert_eq!(
        f.service
            .show_customer(&operator, "acme")
            .unwrap()
            .account
            .plan,
        None
    );
    f.exec(give).unwrap();
    let admin = f.staff("admin@example.com", StaffRole::Administrator);
    let plan = f
        .service
        .show_customer(&admin, "acme")
        .unwrap()
        .account
        .plan
        .unwrap();
    assert_eq!(plan.name.as_deref(), Some("Gold"));
    assert_eq!(plan.limits.max_users, Some(10));
    // The operator still edits the rest of the customer.
    f.service
        .execute(&operator, set("acme", &["storage"], &[], &[]))
        .unwrap();
}

#[test]
fn a_plans_user_limit_refuses_every_user_beyond_it_naming_the_limit() {
    let f = fixture();
    f.add("Acme");
    f.exec(PlanCommand::Add {
        name: "Starter".into(),
        limits: PlanLimits {
            max_users: Some(2),
            ..PlanLimits::default()
        },
    })
    .unwrap();
    f.exec(user("acme", "a@acme.example")).unwrap();
    f.exec(user("acme", "b@acme.example")).unwrap();
    f.exec(user("acme", "c@acme.example")).unwrap();
    let err = f
        .exec(AccountCommand::Plan {
            slug: "acme".into(),
            plan: Some("starter".into()),
        })
        .unwrap_err();
    assert!(
        matches!(err, ServiceError::OverLimit { max: 2, has: 3, .. }),
        "{err}"
    );
    f.exec(UserCommand::Remove {
        email: "c@acme.example".into(),
        customer: "acme".into(),
    })
    .unwrap();
    f.exec(AccountCommand::Plan {
        slug: "acme".into(),
        plan: Some("starter".into()),
    })
    .unwrap();
    let err = f.exec(user("acme", "d@acme.example")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "acme would exceed plan Starter: max users is 2 and it has 3"
    );
    let err = f
        .exec(InvitationCommand::Create(NewInvitation {
            customer: "acme".into(),
            email: "ivy@guest.example".into(),
            first_name: "Ivy".into(),
            last_name: "Guest".into(),
            role: CustomerRole::Member,
            language: None,
            expires_days: None,
        }))
        .unwrap_err();
    assert!(matches!(err, ServiceError::OverLimit { .. }), "{err}");
    // A removed plan still holds; lifting the limit lets the user in.
    f.exec(PlanCommand::Remove {
        name: "starter".into(),
    })
    .unwrap();
    assert!(f.exec(user("acme", "d@acme.example")).is_err());
    let err = f
        .exec(AccountCommand::Plan {
            slug: "acme".into(),
            plan: Some("Starter".into()),
        })
        .unwrap_err();
    assert!(err.to_string().contains("was removed"), "{err}");
    f.exec(PlanCommand::Edit {
        name: "starter".into(),
        rename: None,
        max_users: Some(None),
        storage_gb: None,
        websites: None,
    })
    .unwrap();
    f.exec(user("acme", "d@acme.example")).unwrap();
    let shown = f.service.show_customer(&f.owner, "acme").unwrap();
    assert_eq!(
        shown.account.plan.unwrap().name.as_deref(),
        Some("Starter (removed)")
    );
    assert_eq!(
        f.service
            .store()
            .member_count(tenantry::domain::CustomerId(shown.row.id))
            .unwrap(),
        3
    );
}

#[test]
fn new_customers_go_to_the_first_system_that_can_be_chosen_and_the_last_stays() {
    let f = fixture();
    f.add("Acme");
    assert_eq!(
        f.service
            .show_customer(&f.owner, "acme")
            .unwrap()
            .account
            .system,
        "main"
    );
    f.exec(SystemCommand::Add {
        name: "eu-west".into(),
    })
    .unwrap();
    let err = f
        .exec(SystemCommand::Add {
            name: "EU-WEST".into(),
        })
        .unwrap_err();
    assert!(err.to_string().contains("already a system"), "{err}");
    f.exec(AccountCommand::System {
        slug: "acme".into(),
        system: "Eu-West".into(),
    })
    .unwrap();
    f.exec(SystemCommand::Remove {
        name: "main".into(),
    })
    .unwrap();
    let err = f
        .exec(SystemCommand::Remove {
            name: "eu-west".into(),
        })
        .unwrap_err();
    assert!(err.to_string().contains("the last system"), "{err}");
    f.add("Beta");
    assert_eq!(
        f.service
            .show_customer(&f.owner, "beta")
            .unwrap()
            .account
            .system,
        "eu-west"
    );
    let err = f
        .exec(AccountCommand::System {
            slug: "beta".into(),
            system: "main".into(),
        })
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("was removed; choose one of eu-west"),
        "{err}"
    );
    f.exec(SystemCommand::Rename {
        name: "eu-west".into(),
        to: "eu-central".into(),
    })
    .unwrap();
    assert_eq!(
        f.service
            .show_customer(&f.owner, "acme")
            .unwrap()
            .account
            .system,
        "eu-central"
    );
    let operator = f.staff("op@example.com", StaffRole::Operator);
    let err = f
        .service
        .execute(&operator, SystemCommand::Add { name: "x".into() })
        .unwrap_err();
    assert!(
        matches!(err, ServiceError::PermissionDenied { .. }),
        "{err}"
    );
    assert_eq!(f.service.list_systems(&operator).unwrap().len(), 2);
}

#[test]
fn a_pending_customer_is_activated_once_it_has_a_user_and_its_users_are_told_why_they_wait() {
    use tenantry::domain::CustomerStatus;
    use tenantry::service::{CustomerCommand, CustomerRefusal, NewCustomer};
    let f = fixture();
    // No status named: a new customer starts pending.
    f.exec(CustomerCommand::Add(NewCustomer {
        name: "Acme".into(),
        ..NewCustomer::default()
    }))
    .unwrap();
    let pending_now = |f: &common::Fixture| {
        let stats = f.service.stats(&f.owner).unwrap();
        stats
            .customers
            .iter()
            .find(|t| t.name == "pending")
            .unwrap()
            .count
    };
    assert_eq!(pending_now(&f), 1);
    let activate = CustomerCommand::SetStatus {
        slug: "acme".into(),
        status: CustomerStatus::Active,
    };
    let err = f.exec(activate.clone()).unwrap_err();
    assert!(
        matches!(
            err,
            ServiceError::CustomerRefused {
                reason: CustomerRefusal::NoUsers,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("add a user first"), "{err}");
    let err = f
        .exec(CustomerCommand::SetStatus {
            slug: "acme".into(),
            status: CustomerStatus::Suspended,
        })
        .unwrap_err();
    assert!(err.to_string().contains("nothing to suspend"), "{err}");
    // A user added while pending has a password but cannot sign in until activation.
    f.exec(user("acme", "una@acme.example")).unwrap();
    let code = match f
        .exec(InvitationCommand::Create(NewInvitation {
            customer: "acme".into(),
            email: "ivy@guest.example".into(),
            first_name: "Ivy".into(),
            last_name: "Guest".into(),
            role: CustomerRole::Member,
            language: None,
            expires_days: None,
        }))
        .unwrap()
    {
        tenantry::service::Outcome::Invitation { token, .. } => token,
        other => panic!("{other:?}"),
    };
    let password = "ivy has a long enough password";
    f.service.accept_invitation(&code, Some(password)).unwrap();
    let err = f
        .service
        .sign_in("ivy@guest.example", password)
        .unwrap_err();
    assert!(
        matches!(
            err,
            ServiceError::CustomerNotActive {
                status: CustomerStatus::Pending,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "\"Acme\" is not active yet: its users can sign in once the provider activates it"
    );
    f.exec(activate).unwrap();
    f.service.sign_in("ivy@guest.example", password).unwrap();
    let err = f
        .exec(CustomerCommand::SetStatus {
            slug: "acme".into(),
            status: CustomerStatus::Pending,
        })
        .unwrap_err();
    assert!(err.to_string().contains("pending only until then"), "{err}");
    assert_eq!(pending_now(&f), 0);
}
