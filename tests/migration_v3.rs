#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! Migration 3 (counters) on `tests/fixtures/db-v2b`, the database the last release before
//! counters wrote (`tests/fixtures/make-db-v2b.sh`): every entry of every tree but the customers
//! (which migration 4 then converts) is kept byte for byte, the counters are computed once and equal what the fixture holds, the chain verifies
//! with one `schema.migrate` event linked to the old head, and a `kill -9` at any moment of
//! the migration leaves either the old database or the migrated one, never half of each.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use common::cli::CliDb;
use tenantry::domain::{CustomerRole, CustomerStatus, StaffRole};
use tenantry::store::counters::Counter;
use tenantry::store::{OpenMode, SCHEMA_VERSION, Store, StoreOptions, TreeName, codec};

const OWNER: &str = "olga@example.com";
const OWNER_PASSWORD: &str = "fixture password three";

type Trees = BTreeMap<&'static str, BTreeMap<Vec<u8>, Vec<u8>>>;

/// The migrations after this one, each one more `schema.migrate` event.
const LATER: usize = (SCHEMA_VERSION - 3) as usize;

fn fixture_copy() -> CliDb {
    let db = CliDb::empty();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/db-v2b");
    common::copy_dir(&fixture, &db.path());
    db
}

/// Every entry of every tree, read raw.
fn raw_trees(db: &Path) -> Trees {
    let raw = common::raw_sled(db);
    TreeName::ALL
        .into_iter()
        .map(|t| {
            let tree = raw.open_tree(t.as_str()).unwrap();
            let entries = tree
                .iter()
                .map(|i| {
                    let (k, v) = i.unwrap();
                    (k.to_vec(), v.to_vec())
                })
                .collect();
            (t.as_str(), entries)
        })
        .collect()
}

fn version(db: &Path) -> u32 {
    let raw = common::raw_sled(db);
    let meta = raw.open_tree(TreeName::Meta.as_str()).unwrap();
    codec::decode(&meta.get(b"schema_version").unwrap().unwrap()).unwrap()
}

#[test]
fn migration_3_keeps_every_entry_and_counts_what_the_fixture_holds() {
    let db = fixture_copy();
    assert_eq!(version(&db.path()), 2);
    let before = raw_trees(&db.path());
    assert!(before["counters"].is_empty());
    assert_eq!(before["impersonations"].len(), 1);
    let store = Store::open(&db.path(), OpenMode::Existing, &StoreOptions::default()).unwrap();
    assert!(store.check_invariants().unwrap().is_empty());
    let counts = store.counters().unwrap();
    assert_eq!(counts, store.recount().unwrap());
    let want = [
        (Counter::CustomersByStatus(CustomerStatus::Active), 3),
        (Counter::CustomersByStatus(CustomerStatus::Suspended), 1),
        (Counter::CustomersTrashed, 2),
        (Counter::Users, 14),
        (Counter::StaffByRole(StaffRole::Owner), 1),
        (Counter::StaffByRole(StaffRole::Administrator), 1),
        (Counter::StaffByRole(StaffRole::Operator), 1),
        (Counter::StaffByRole(StaffRole::Auditor), 1),
        (Counter::MembersByRole(CustomerRole::Administrator), 5),
        (Counter::MembersByRole(CustomerRole::Moderator), 2),
        (Counter::MembersByRole(CustomerRole::Member), 4),
        (Counter::InvitationsAccepted, 1),
        (Counter::InvitationsRevoked, 1),
    ];
    for (counter, n) in want {
        assert_eq!(counts.get(counter), n, "{counter:?}");
    }
    let pending: u64 = counts
        .iter()
        .filter(|(c, _)| matches!(c, Counter::InvitationsPendingExpiringIn(_)))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(pending, 2);
    let weeks: u64 = counts
        .iter()
        .filter(|(c, _)| matches!(c, Counter::CustomersCreatedInWeek(_)))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(
        weeks, 6,
        "every customer but the provider, trashed ones included"
    );
    drop(store);

    let after = raw_trees(&db.path());
    for (tree, entries) in &before {
        let now = &after[tree];
        match *tree {
            "counters" => assert_eq!(now.len(), 15, "{now:?}"),
            // Migration 5 counts each customer's memberships (`migration_v5.rs`).
            "member_counts" => assert!(entries.is_empty() && !now.is_empty()),
            // The new version, and the head moved by the one event appended.
            "meta" => {
                for (k, v) in entries {
                    if k != b"schema_version" && k != b"audit_head" {
                        assert_eq!(now.get(k), Some(v), "meta {}", String::from_utf8_lossy(k));
                    }
                }
            }
            // Migration 4 then gives every customer its new fields (`migration_v4.rs`).
            "customers" => assert_eq!(now.len(), entries.len()),
            "audit" => {
                assert_eq!(now.len(), entries.len() + 1 + LATER);
                for (k, v) in entries {
                    assert_eq!(now.get(k), Some(v), "event {k:?} was rewritten");
                }
            }
            _ => assert_eq!(now, entries, "tree {tree} changed"),
        }
    }
    assert_eq!(version(&db.path()), SCHEMA_VERSION);
}

#[test]
fn the_migration_is_one_event_linked_to_the_old_head_and_runs_once() {
    let db = fixture_copy();
    let store = Store::open(&db.path(), OpenMode::Existing, &StoreOptions::default()).unwrap();
    let events: Vec<_> = store.audit_newest_first().map(|e| e.unwrap()).collect();
    assert_eq!(events.len(), 27 + LATER);
    let migration = &events[LATER];
    assert_eq!(migration.action, "schema.migrate");
    assert_eq!(migration.prev_hash, events[LATER + 1].hash);
    assert_eq!(events[LATER + 1].action, "log.export");
    assert!(
        events[LATER - 1]
            .summary
            .starts_with("schema version 3 → 4")
    );
    assert!(
        migration.summary.starts_with("schema version 2 → 3")
            && migration.summary.ends_with("(15 counters)"),
        "{}",
        migration.summary
    );
    assert!(store.verify_chain().unwrap().first_break.is_none());
    drop(store);
    let again = Store::open(&db.path(), OpenMode::Existing, &StoreOptions::default()).unwrap();
    assert_eq!(again.audit_newest_first().count(), 27 + LATER);
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
        let counted = version(&db.path()) >= 3;
        let counters = raw_trees(&db.path())["counters"].len();
        assert_eq!(
            counters,
            if counted { 15 } else { 0 },
            "after {delay_ms} ms"
        );
        let store = Store::open(&db.path(), OpenMode::Existing, &StoreOptions::default()).unwrap();
        assert!(store.check_invariants().unwrap().is_empty());
        let migrations = store
            .audit_newest_first()
            .map(|e| e.unwrap())
            .filter(|e| e.action == "schema.migrate")
            .count();
        assert_eq!(migrations, 1 + LATER, "after {delay_ms} ms");
    }
}

#[test]
fn the_migrated_database_reports_its_numbers_through_stats() {
    let db = fixture_copy();
    let out = db
        .cmd()
        .env("TENANTRY_USER", OWNER)
        .env("TENANTRY_PASSWORD", OWNER_PASSWORD)
        .args(["stats", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["users"], 14);
    assert_eq!(report["customers"][0]["name"], "active");
    assert_eq!(report["customers"][0]["count"], 3);
    assert_eq!(report["customers"][1]["name"], "pending");
    assert_eq!(report["customers"][1]["count"], 0);
    assert_eq!(report["customers"][3]["name"], "trashed");
    assert_eq!(report["customers"][3]["count"], 2);
    assert_eq!(report["next_purges"][0]["slug"], "initech");
    assert_eq!(report["next_purges"][1]["slug"], "umbrella");
    assert_eq!(report["last_events"][0]["action"], "schema.migrate");
    assert_eq!(report["last_events"].as_array().unwrap().len(), 10);
    assert_eq!(report["new_customers"].as_array().unwrap().len(), 12);
}
