#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! The dashboard's counters after random sequences of commands on customers, users,
//! memberships, invitations and staff, with the clock moving: every stored counter must equal
//! a full recount of the records after every command, whether the command succeeded or was
//! refused, and the service's report must agree with its own listings.

mod common;

use std::collections::BTreeMap;

use proptest::prelude::*;
use tenantry::domain::{CustomerRole, CustomerStatus, StaffRole};
use tenantry::service::{
    CustomerCommand, CustomerQuery, InvitationCommand, MaintenanceCommand, NewCustomer,
    NewInvitation, NewStaff, NewUser, Outcome, OwnerSpec, Session, StaffChanges, StaffCommand,
    UserChanges, UserCommand,
};

const CUSTOMERS: [&str; 4] = ["Acme", "Beta", "Gamma", "Delta"];
const PEOPLE: [&str; 5] = [
    "ann@example.com",
    "bob@example.com",
    "cy@example.com",
    "di@example.com",
    "ed@example.com",
];
const ROLES: [CustomerRole; 3] = [
    CustomerRole::Member,
    CustomerRole::Moderator,
    CustomerRole::Administrator,
];
const STAFF_ROLES: [StaffRole; 3] = [
    StaffRole::Administrator,
    StaffRole::Operator,
    StaffRole::Auditor,
];

#[derive(Debug, Clone)]
enum Op {
    AddCustomer {
        c: usize,
        owner: Option<usize>,
    },
    SetStatus {
        c: usize,
        suspend: bool,
    },
    Delete(usize),
    Restore(usize),
    Purge(usize),
    PurgeExpired,
    AddUser {
        c: usize,
        p: usize,
        role: usize,
    },
    ChangeRole {
        c: usize,
        p: usize,
        role: usize,
    },
    RemoveUser {
        c: usize,
        p: usize,
    },
    DeleteUser(usize),
    Invite {
        c: usize,
        p: usize,
        role: usize,
        days: u32,
    },
    Resend {
        c: usize,
        p: usize,
    },
    Revoke {
        c: usize,
        p: usize,
    },
    DeleteInvitation {
        c: usize,
        p: usize,
    },
    Accept(usize),
    AddStaff {
        p: usize,
        role: usize,
    },
    StaffRole {
        p: usize,
        role: usize,
    },
    Hours(u32),
}

fn op() -> impl Strategy<Value = Op> {
    let c = 0..CUSTOMERS.len();
    let p = 0..PEOPLE.len();
    let r = 0..ROLES.len();
    prop_oneof![
        3 => (c.clone(), proptest::option::of(p.clone())).prop_map(|(c, owner)| Op::AddCustomer { c, owner }),
        1 => (c.clone(), any::<bool>()).prop_map(|(c, suspend)| Op::SetStatus { c, suspend }),
        1 => c.clone().prop_map(Op::Delete),
        1 => c.clone().prop_map(Op::Restore),
        1 => c.clone().prop_map(Op::Purge),
        1 => Just(Op::PurgeExpired),
        3 => (c.clone(), p.clone(), r.clone()).prop_map(|(c, p, role)| Op::AddUser { c, p, role }),
        1 => (c.clone(), p.clone(), r.clone()).prop_map(|(c, p, role)| Op::ChangeRole { c, p, role }),
        1 => (c.clone(), p.clone()).prop_map(|(c, p)| Op::RemoveUser { c, p }),
        1 => p.clone().prop_map(Op::DeleteUser),
        3 => (c.clone(), p.clone(), r.clone(), 1..10u32).prop_map(|(c, p, role, days)| Op::Invite { c, p, role, days }),
        1 => (c.clone(), p.clone()).prop_map(|(c, p)| Op::Resend { c, p }),
        1 => (c.clone(), p.clone()).prop_map(|(c, p)| Op::Revoke { c, p }),
        1 => (c.clone(), p.clone()).prop_map(|(c, p)| Op::DeleteInvitation { c, p }),
        2 => p.clone().prop_map(Op::Accept),
        1 => (p.clone(), 0..STAFF_ROLES.len()).prop_map(|(p, role)| Op::AddStaff { p, role }),
        1 => (p, 0..STAFF_ROLES.len()).prop_map(|(p, role)| Op::StaffRole { p, role }),
        2 => (1..24u32 * 12).prop_map(Op::Hours),
    ]
}

fn slug(c: usize) -> String {
    CUSTOMERS[c].to_lowercase()
}

fn person(p: usize) -> String {
    PEOPLE[p].to_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn counters_equal_a_recount_after_any_commands(ops in proptest::collection::vec(op(), 1..40)) {
        let f = common::fixture();
        // The newest invitation token per person, for accepting.
        let mut tokens: BTreeMap<usize, String> = BTreeMap::new();
        // Two customers exist from the start, so most commands find what they name.
        for name in &CUSTOMERS[..2] {
            f.add(name);
        }
        for op in &ops {
            let _outcome = match op.clone() {
                Op::AddCustomer { c, owner } => f.exec(CustomerCommand::Add(NewCustomer {
                    name: CUSTOMERS[c].into(),
                    owner: owner.map(|p| OwnerSpec {
                        email: person(p),
                        first_name: Some("First".into()),
                        last_name: Some("Last".into()),
                        password: None,
                    }),
                    ..Default::default()
                })),
                Op::SetStatus { c, suspend } => f.exec(CustomerCommand::SetStatus {
                    slug: slug(c),
                    status: if suspend { CustomerStatus::Suspended } else { CustomerStatus::Active },
                }),
                Op::Delete(c) => f.exec(CustomerCommand::SoftDelete { slug: slug(c) }),
                Op::Restore(c) => f.exec(CustomerCommand::Restore { slug: slug(c) }),
                Op::Purge(c) => f.exec(CustomerCommand::Purge { slug: slug(c) }),
                Op::PurgeExpired => f.service.execute(&Session::system(), MaintenanceCommand::PurgeExpired),
                Op::AddUser { c, p, role } => f.exec(UserCommand::Add(NewUser {
                    customer: slug(c),
                    email: person(p),
                    first_name: "First".into(),
                    last_name: "Last".into(),
                    role: ROLES[role],
                    language: None,
                    fields: Vec::new(),
                })),
                Op::ChangeRole { c, p, role } => f.exec(UserCommand::Edit {
                    email: person(p),
                    changes: UserChanges { role: Some(ROLES[role]), customer: Some(slug(c)), ..Default::default() },
                }),
                Op::RemoveUser { c, p } => f.exec(UserCommand::Remove { email: person(p), customer: slug(c) }),
                Op::DeleteUser(p) => f.exec(UserCommand::Delete { email: person(p) }),
                Op::Invite { c, p, role, days } => {
                    let result = f.exec(InvitationCommand::Create(NewInvitation {
                        customer: slug(c),
                        email: person(p),
                        first_name: "First".into(),
                        last_name: "Last".into(),
                        role: ROLES[role],
                        language: None,
                        expires_days: Some(days),
                    }));
                    if let Ok(Outcome::Invitation { token, .. }) = &result {
                        tokens.insert(p, token.clone());
                    }
                    result
                }
                Op::Resend { c, p } => {
                    let result = f.exec(InvitationCommand::Resend { email: person(p), customer: slug(c) });
                    if let Ok(Outcome::Invitation { token, .. }) = &result {
                        tokens.insert(p, token.clone());
                    }
                    result
                }
                Op::Revoke { c, p } => f.exec(InvitationCommand::Revoke { email: person(p), customer: slug(c) }),
                Op::DeleteInvitation { c, p } => f.exec(InvitationCommand::Delete { email: person(p), customer: slug(c) }),
                Op::Accept(p) => {
                    let Some(token) = tokens.get(&p) else { continue };
                    f.service
                        .accept_invitation(token, Some("a long enough password 1"))
                        .map(|_| Outcome::Purged(Vec::new()))
                }
                Op::AddStaff { p, role } => f.exec(StaffCommand::Add(NewStaff {
                    email: person(p),
                    first_name: "Staff".into(),
                    last_name: "Member".into(),
                    role: STAFF_ROLES[role],
                    unix_user: None,
                    password: None,
                })),
                Op::StaffRole { p, role } => f.exec(StaffCommand::Edit {
                    email: person(p),
                    changes: StaffChanges { role: Some(STAFF_ROLES[role]), ..Default::default() },
                }),
                Op::Hours(h) => {
                    f.clock.advance_millis(i64::from(h) * 3_600_000);
                    continue;
                }
            };
            let differences = f.service.store().counter_differences().unwrap();
            prop_assert!(differences.is_empty(), "after {:?}: {:?}", op, differences);
        }
        // The report agrees with the listings it summarises.
        let report = f.service.stats(&f.owner).unwrap();
        let live: Vec<_> = f.service.list_customers(&f.owner, &CustomerQuery::default())
            .unwrap().map(|r| r.unwrap()).filter(|r| !r.is_provider).collect();
        // Customers added here start pending; the two from the start are active.
        for status in [CustomerStatus::Active, CustomerStatus::Suspended, CustomerStatus::Pending] {
            let count = live.iter().filter(|r| r.status == status).count() as u64;
            prop_assert_eq!(report.customers_named(status.as_str()), count, "{}", status.as_str());
        }
        let trashed = f.service.list_customers(&f.owner, &CustomerQuery { trash: true, ..Default::default() })
            .unwrap().count() as u64;
        prop_assert_eq!(report.customers_named("trashed"), trashed);
        let weeks: u64 = report.new_customers.iter().map(|w| w.count).sum();
        prop_assert!(weeks <= live.len() as u64 + trashed);
    }
}
