//! Random command sequences against a simple in-memory model: after every command the
//! service's listing must equal the model's and the store's invariants must hold.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;

use std::collections::BTreeMap;

use proptest::prelude::*;
use tenantry::domain::CustomerStatus;
use tenantry::service::{
    CustomerChanges, CustomerCommand, CustomerQuery, MaintenanceCommand, NewCustomer, OwnerSpec,
};

#[derive(Debug, Clone)]
enum Op {
    Add { name: usize, owner: Option<usize> },
    Rename { target: usize, name: usize },
    Suspend(usize),
    Activate(usize),
    Delete(usize),
    Restore(usize),
    Purge(usize),
    PurgeExpired { days: u32 },
}

const NAMES: [&str; 8] = [
    "Acme",
    "ACME",
    "Beta Corp",
    "Café",
    "cafe",
    "Delta",
    "Eta & Co",
    "Zeta",
];
const OWNERS: [&str; 3] = ["ann@example.com", "bob@example.com", "cy@example.com"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..NAMES.len(), proptest::option::of(0..OWNERS.len())).prop_map(|(name, owner)| Op::Add { name, owner }),
        1 => (0..8usize, 0..NAMES.len()).prop_map(|(target, name)| Op::Rename { target, name }),
        1 => (0..8usize).prop_map(Op::Suspend),
        1 => (0..8usize).prop_map(Op::Activate),
        2 => (0..8usize).prop_map(Op::Delete),
        1 => (0..8usize).prop_map(Op::Restore),
        1 => (0..8usize).prop_map(Op::Purge),
        1 => (0..40u32).prop_map(|days| Op::PurgeExpired { days }),
    ]
}

/// What the model expects of one customer.
#[derive(Debug, Clone, PartialEq)]
struct Model {
    name: String,
    status: CustomerStatus,
    /// Given an owner when added: only then can it leave `pending`.
    has_user: bool,
    trashed_at_day: Option<u32>,
}

fn slug_of(name: &str) -> String {
    tenantry::domain::slugify("name", name).unwrap().to_string()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
    #[test]
    fn service_matches_the_model(ops in proptest::collection::vec(op(), 1..40)) {
        let f = common::fixture();
        let mut model: BTreeMap<String, Model> = BTreeMap::new();
        let mut day = 0u32;
        let pick = |model: &BTreeMap<String, Model>, i: usize| model.keys().nth(i % model.len().max(1)).cloned();
        for op in ops {
            match op {
                Op::Add { name, owner } => {
                    let name = NAMES[name];
                    let slug = slug_of(name);
                    let result = f.exec(CustomerCommand::Add(NewCustomer {
                        name: name.into(),
                        owner: owner.map(|o| OwnerSpec {
                            email: OWNERS[o].into(),
                            first_name: Some("First".into()),
                            last_name: Some("Last".into()),
                            password: None,
                        }),
                        ..Default::default()
                    }));
                    let expect_ok = !model.contains_key(&slug) && slug != "example-hosting";
                    prop_assert_eq!(result.is_ok(), expect_ok, "{:?}", result);
                    if expect_ok {
                        model.insert(slug, Model { name: name.into(), status: CustomerStatus::Pending, has_user: owner.is_some(), trashed_at_day: None });
                    }
                }
                Op::Rename { target, name } => {
                    let Some(slug) = pick(&model, target) else { continue };
                    let result = f.exec(CustomerCommand::Edit { slug: slug.clone(), changes: CustomerChanges { name: Some(NAMES[name].into()), ..Default::default() } });
                    let m = model.get_mut(&slug).unwrap();
                    prop_assert_eq!(result.is_ok(), m.trashed_at_day.is_none());
                    if result.is_ok() { m.name = NAMES[name].into(); }
                }
                Op::Suspend(i) | Op::Activate(i) => {
                    let suspend = matches!(op, Op::Suspend(_));
                    let Some(slug) = pick(&model, i) else { continue };
                    let status = if suspend { CustomerStatus::Suspended } else { CustomerStatus::Active };
                    let result = f.exec(CustomerCommand::SetStatus { slug: slug.clone(), status });
                    let m = model.get_mut(&slug).unwrap();
                    // Only an active customer is suspended; a suspended one is activated, and a
                    // pending one once it has a user.
                    let allowed = match (m.status, status) {
                        (CustomerStatus::Active, CustomerStatus::Suspended) => true,
                        (CustomerStatus::Suspended, CustomerStatus::Active) => true,
                        (CustomerStatus::Pending, CustomerStatus::Active) => m.has_user,
                        _ => false,
                    };
                    let expect_ok = m.trashed_at_day.is_none() && allowed;
                    prop_assert_eq!(result.is_ok(), expect_ok, "{:?} {:?}", m, result);
                    if expect_ok { m.status = status; }
                }
                Op::Delete(i) => {
                    let Some(slug) = pick(&model, i) else { continue };
                    let result = f.exec(CustomerCommand::SoftDelete { slug: slug.clone() });
                    let m = model.get_mut(&slug).unwrap();
                    prop_assert_eq!(result.is_ok(), m.trashed_at_day.is_none());
                    m.trashed_at_day.get_or_insert(day);
                }
                Op::Restore(i) => {
                    let Some(slug) = pick(&model, i) else { continue };
                    let result = f.exec(CustomerCommand::Restore { slug: slug.clone() });
                    let m = model.get_mut(&slug).unwrap();
                    prop_assert_eq!(result.is_ok(), m.trashed_at_day.is_some());
                    m.trashed_at_day = None;
                }
                Op::Purge(i) => {
                    let Some(slug) = pick(&model, i) else { continue };
                    let result = f.exec(CustomerCommand::Purge { slug: slug.clone() });
                    let trashed = model[&slug].trashed_at_day.is_some();
                    prop_assert_eq!(result.is_ok(), trashed);
                    if trashed { model.remove(&slug); }
                }
                Op::PurgeExpired { days } => {
                    f.clock.advance_days(days);
                    day += days;
                    f.service.execute(&tenantry::service::Session::system(), MaintenanceCommand::PurgeExpired).unwrap();
                    model.retain(|_, m| m.trashed_at_day.is_none_or(|d| day - d < 30));
                }
            }
            for trash in [false, true] {
                let rows: Vec<_> = f.service.list_customers(&f.owner, &CustomerQuery { trash, ..Default::default() })
                    .unwrap().map(|r| r.unwrap()).filter(|r| !r.is_provider).collect();
                let expected: Vec<_> = model.iter().filter(|(_, m)| m.trashed_at_day.is_some() == trash).collect();
                prop_assert_eq!(rows.len(), expected.len());
                for (row, (slug, m)) in rows.iter().zip(expected) {
                    prop_assert_eq!(&row.slug, slug);
                    prop_assert_eq!(&row.name, &m.name);
                    prop_assert_eq!(row.status, m.status);
                }
            }
            let problems = f.service.store().check_invariants().unwrap();
            prop_assert!(problems.is_empty(), "{:?}", problems);
        }
    }
}
