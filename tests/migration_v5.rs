#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! Migration 5 (customers gain service overrides, a target system, a plan, independence and
//! custom field values; the service catalogue numbers its services) on `tests/fixtures/db-v4`,
//! the database the release of schema version 4 wrote (`tests/fixtures/make-db-v4.sh`):
//! every customer keeps every field it had; existing customers stay as they were, inherit
//! every service, are on the first system and have no plan; the changed catalogue keeps its
//! services in order; every other tree is untouched; the counters equal a recount; the chain
//! verifies with one more `schema.migrate` event; a `kill -9` at any moment leaves the old
//! database or the new one; and what the new fields mean then works on the migrated data.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use common::cli::CliDb;
use tenantry::domain::services::ServiceSource;
use tenantry::store::legacy::{CustomerV4, ServiceCatalogueV4};
use tenantry::store::{OpenMode, SCHEMA_VERSION, Store, StoreOptions, TreeName, codec};

const OWNER: &str = "olga@example.com";
const OWNER_PASSWORD: &str = "fixture password five";

fn fixture_copy() -> CliDb {
    let db = CliDb::empty();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/db-v4");
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

fn version(db: &Path) -> u32 {
    let meta = raw_tree(db, TreeName::Meta);
    codec::decode(&meta[b"schema_version".as_slice()]).unwrap()
}

fn ok(db: &CliDb, args: &[&str]) -> String {
    let out = db
        .cmd()
        .env("TENANTRY_USER", OWNER)
        .env("TENANTRY_PASSWORD", OWNER_PASSWORD)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_version_4_customer_keeps_every_field_inherits_every_service_and_has_no_plan() {
    let db = fixture_copy();
    assert_eq!(version(&db.path()), 4);
    let before: Vec<CustomerV4> = raw_tree(&db.path(), TreeName::Customers)
        .values()
        .map(|v| codec::decode(v).unwrap())
        .collect();
    assert_eq!(before.len(), 7);
    let old_catalogue: ServiceCatalogueV4 =
        codec::decode(&raw_tree(&db.path(), TreeName::Meta)[b"services".as_slice()]).unwrap();
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
        let kept = CustomerV4 {
            id: new.id,
            name: new.name.clone(),
            slug: new.slug.clone(),
            kind: new.kind,
            status: new.status,
            language: new.language.clone(),
            owner: new.owner,
            contact_email: new.contact_email.clone(),
            contact_phone: new.contact_phone.clone(),
            is_provider: new.is_provider,
            created_at: new.created_at,
            updated_at: new.updated_at,
            deleted: new.deleted.clone(),
            postal_address: new.postal_address.clone(),
            website: new.website.clone(),
        };
        assert_eq!(&kept, old);
        assert!(new.services.is_empty(), "{}", new.slug);
        assert_eq!(new.system, tenantry::domain::systems::FIRST_SYSTEM);
        assert_eq!(new.plan, None);
        assert_eq!(new.independent, None);
        assert!(new.fields.is_empty());
    }
    // Each customer's memberships are counted, as `check` proves for all.
    for old in &before {
        assert_eq!(
            store.member_count(old.id).unwrap(),
            store.members_of(old.id).unwrap().len() as u64,
            "{}",
            old.slug
        );
    }
    let acme = before
        .iter()
        .find(|c| c.slug.as_str() == "acme-corp")
        .unwrap();
    assert!(store.member_count(acme.id).unwrap() >= 4);
    let catalogue = store.service_catalogue().unwrap();
    let names: Vec<(&str, bool)> = catalogue
        .services
        .iter()
        .map(|s| (s.name.as_str(), s.default_on))
        .collect();
    let old_names: Vec<(&str, bool)> = old_catalogue
        .services
        .iter()
        .map(|s| (s.name.as_str(), s.default_on))
        .collect();
    assert_eq!(names, old_names);
    assert!(names.contains(&("Object Storage", false)));
    let ids: Vec<u32> = catalogue.services.iter().map(|s| s.id.0).collect();
    assert_eq!(ids, (1..=7).collect::<Vec<_>>());
    assert_eq!(catalogue.next_id, 8);
    assert!(store.check_invariants().unwrap().is_empty());
    assert_eq!(store.counters().unwrap(), store.recount().unwrap());
    assert!(store.verify_chain().unwrap().first_break.is_none());
    let events: Vec<_> = store.audit_newest_first().map(|e| e.unwrap()).collect();
    assert_eq!(events[0].action, "schema.migrate");
    assert_eq!(events[0].prev_hash, events[1].hash);
    assert_ne!(events[1].action, "schema.migrate", "one migration ran");
    assert!(
        events[0].summary.starts_with("schema version 4 → 5")
            && events[0]
                .summary
                .ends_with("(7 customers, 1 service catalogue, 5 member counts)"),
        "{}",
        events[0].summary
    );
    drop(store);
    for (tree, entries) in others {
        assert_eq!(raw_tree(&db.path(), tree), entries, "{tree:?} changed");
    }
    assert_eq!(version(&db.path()), SCHEMA_VERSION);
    let again = Store::open(&db.path(), OpenMode::Existing, &StoreOptions::default()).unwrap();
    assert_eq!(
        again.audit_newest_first().count(),
        events.len(),
        "runs once"
    );
}

#[test]
fn the_migrated_database_reads_whole_and_its_customers_inherit_catalogue_changes() {
    let db = fixture_copy();
    assert!(ok(&db, &["check"]).contains("the audit chain verifies"));
    let shown = ok(&db, &["customer", "show", "hooli"]);
    assert!(shown.contains("Bahnhofstrasse 1, 8001 Zürich"), "{shown}");
    assert!(shown.contains("https://hooli.example"), "{shown}");
    assert!(shown.contains("status        active"), "{shown}");
    let services = ok(&db, &["service", "list"]);
    assert!(services.contains("Object Storage  off"), "{services}");
    assert!(services.contains("Storage         on"), "{services}");
    ok(
        &db,
        &["service", "edit", "object storage", "--default", "on"],
    );
    let store_path = db.path();
    let store = Store::open(&store_path, OpenMode::Existing, &StoreOptions::default()).unwrap();
    let hooli = store
        .customers()
        .map(|c| c.unwrap())
        .find(|c| c.slug.as_str() == "hooli")
        .unwrap();
    let has = tenantry::domain::services::customer_services(
        &store.service_catalogue().unwrap(),
        &hooli.services,
    );
    let object = has.iter().find(|s| s.name == "Object Storage").unwrap();
    assert!(object.on);
    assert_eq!(object.source, ServiceSource::Inherited);
}

#[test]
fn a_kill_during_migration_leaves_the_old_database_or_the_new_one() {
    for delay_ms in [1u64, 3, 6, 10, 15, 25, 40, 70] {
        let db = fixture_copy();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tenantry"))
            .args(["--db", &db.path().display().to_string(), "check"])
            .env("TENANTRY_USER", OWNER)
            .env("TENANTRY_PASSWORD", OWNER_PASSWORD)
            .env("TENANTRY_LOG_DIR", db.dir.path().join("log"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let store = Store::open(&db.path(), OpenMode::Existing, &StoreOptions::default()).unwrap();
        assert!(
            store.check_invariants().unwrap().is_empty(),
            "{delay_ms} ms"
        );
        assert_eq!(store.customers().count(), 7);
        let migrations = store
            .audit_newest_first()
            .map(|e| e.unwrap())
            .filter(|e| e.summary.starts_with("schema version 4 → 5"))
            .count();
        assert_eq!(migrations, 1, "after {delay_ms} ms");
        assert!(store.verify_chain().unwrap().first_break.is_none());
    }
}
