#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! Migration 4 (customers gain a postal address and a website) on `tests/fixtures/db-v3`, the
//! database the release of schema version 3 wrote (`tests/fixtures/make-db-v3.sh`): every
//! customer keeps every field it had, byte for byte in what it shares with the old form; the
//! new fields start unset; every other tree is untouched; the counters still equal a recount;
//! the chain verifies with one `schema.migrate` event; and the new fields then take values.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::cli::CliDb;
use tenantry::store::legacy::CustomerV3;
use tenantry::store::{OpenMode, SCHEMA_VERSION, Store, StoreOptions, TreeName, codec};

const OWNER: &str = "olga@example.com";
const OWNER_PASSWORD: &str = "fixture password four";

fn fixture_copy() -> CliDb {
    let db = CliDb::empty();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/db-v3");
    common::copy_dir(&fixture, &db.path());
    db
}

fn raw_tree(db: &Path, tree: TreeName) -> BTreeMap<Vec<u8>, Vec<u8>> {
    let raw = common::raw_sled(db);
    raw.open_tree(tree.as_str())
        .unwrap()
        .iter()
        .map(|i| {
            let (k, v) = i.unwrap();
            (k.to_vec(), v.to_vec())
        })
        .collect()
}

#[test]
fn every_version_3_customer_keeps_every_field_and_gains_unset_contact_fields() {
    let db = fixture_copy();
    let before: Vec<CustomerV3> = raw_tree(&db.path(), TreeName::Customers)
        .values()
        .map(|v| codec::decode(v).unwrap())
        .collect();
    assert_eq!(before.len(), 7);
    let others: Vec<_> = TreeName::ALL
        .into_iter()
        .filter(|t| {
            !matches!(
                t,
                TreeName::Customers | TreeName::Meta | TreeName::Audit | TreeName::MemberCounts
            )
        })
        .map(|t| (t, raw_tree(&db.path(), t)))
        .collect();
    let store = Store::open(&db.path(), OpenMode::Existing, &StoreOptions::default()).unwrap();
    for old in &before {
        let new = store.customer(old.id).unwrap().unwrap();
        assert_eq!(new.name, old.name);
        assert_eq!(new.slug, old.slug);
        assert_eq!(new.kind, old.kind);
        assert_eq!(new.status, old.status);
        assert_eq!(new.language, old.language);
        assert_eq!(new.owner, old.owner);
        assert_eq!(new.contact_email, old.contact_email);
        assert_eq!(new.contact_phone, old.contact_phone);
        assert_eq!(new.is_provider, old.is_provider);
        assert_eq!(new.created_at, old.created_at);
        assert_eq!(new.updated_at, old.updated_at);
        assert_eq!(new.deleted, old.deleted);
        assert_eq!(new.postal_address, None);
        assert_eq!(new.website, None);
    }
    let acme = before
        .iter()
        .find(|c| c.slug.as_str() == "acme-corp")
        .unwrap();
    assert_eq!(acme.contact_phone.as_deref(), Some("+41 44 555 01 02"));
    assert!(store.check_invariants().unwrap().is_empty());
    assert_eq!(store.counters().unwrap(), store.recount().unwrap());
    let chain = store.verify_chain().unwrap();
    assert!(chain.first_break.is_none());
    // Migration 5 follows; its event is the newest (`migration_v5.rs`).
    let newest = store.audit_newest_first().nth(1).unwrap().unwrap();
    assert_eq!(newest.action, "schema.migrate");
    assert!(
        newest.summary.starts_with("schema version 3 → 4")
            && newest.summary.ends_with("(7 customers)"),
        "{}",
        newest.summary
    );
    drop(store);
    for (tree, entries) in others {
        assert_eq!(raw_tree(&db.path(), tree), entries, "{tree:?} changed");
    }
    let raw = common::raw_sled(&db.path());
    let meta = raw.open_tree(TreeName::Meta.as_str()).unwrap();
    let version: u32 = codec::decode(&meta.get(b"schema_version").unwrap().unwrap()).unwrap();
    assert_eq!(version, SCHEMA_VERSION);
}

#[test]
fn the_migrated_customers_take_an_address_and_a_website() {
    let db = fixture_copy();
    let run = |args: &[&str]| {
        db.cmd()
            .env("TENANTRY_USER", OWNER)
            .env("TENANTRY_PASSWORD", OWNER_PASSWORD)
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&[
        "customer",
        "edit",
        "acme-corp",
        "--address",
        "Bahnhofstrasse 1, 8001 Zürich",
        "--website",
        "https://acme.example",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["customer", "show", "acme-corp"]);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("Bahnhofstrasse 1, 8001 Zürich"), "{shown}");
    assert!(shown.contains("https://acme.example"), "{shown}");
    let out = run(&["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
