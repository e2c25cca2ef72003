#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! Migration 2 (users and memberships gain fields) on the version-1 fixture, field by field;
//! stopped by `kill -9` at any moment and resumed; and reached through `restore` from a
//! backup of a version-1 database.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use common::cli::CliDb;
use tenantry::domain::{
    CustomerId, CustomerRole, MembershipStatus, StaffRole, Timestamp, UserId, UserOrigin,
    UserStatus,
};
use tenantry::store::legacy::UserV1;
use tenantry::store::{OpenMode, SCHEMA_VERSION, Store, StoreOptions, TreeName, codec, keys};

const OWNER: &str = "olga@example.com";
const OWNER_PASSWORD: &str = "fixture password one";

fn fixture_copy() -> CliDb {
    let db = CliDb::empty();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/db-v1");
    common::copy_dir(&fixture, &db.path());
    db
}

/// The version-1 users and memberships, read raw from a database not yet opened by tenantry.
fn raw_v1(db: &Path) -> (Vec<UserV1>, BTreeMap<(u64, u64), CustomerRole>) {
    let raw = common::raw_sled(db);
    let users = raw
        .open_tree(TreeName::Users.as_str())
        .unwrap()
        .iter()
        .map(|item| codec::decode::<UserV1>(&item.unwrap().1).unwrap())
        .collect();
    let tree = raw.open_tree(TreeName::CustomerUsers.as_str()).unwrap();
    let mut members = BTreeMap::new();
    for item in tree.iter() {
        let (k, v) = item.unwrap();
        let (customer, user) = keys::read_pair("customer_users", &k).unwrap();
        members.insert((customer, user), codec::decode::<CustomerRole>(&v).unwrap());
    }
    (users, members)
}

#[test]
fn every_field_of_every_version_1_user_and_membership_survives_migration() {
    let db = fixture_copy();
    let (before, memberships) = raw_v1(&db.path());
    assert_eq!(before.len(), 8);
    assert_eq!(memberships.len(), 5);
    let store = Store::open(&db.path(), OpenMode::Existing, &StoreOptions::default()).unwrap();
    for old in &before {
        let new = store.user(old.id).unwrap().unwrap();
        assert_eq!(new.email, old.email);
        assert_eq!(new.first_name, old.first_name);
        assert_eq!(new.last_name, old.last_name);
        assert_eq!(new.status, old.status, "{}", old.email);
        assert_eq!(new.password_hash, old.password_hash, "{}", old.email);
        assert_eq!(new.staff_role, old.staff_role);
        assert_eq!(new.unix_user, old.unix_user);
        assert_eq!(new.created_at, old.created_at);
        assert_eq!(new.updated_at, old.updated_at);
        // What version 1 did not record gets its stated default.
        assert_eq!(new.language, "en");
        assert!(new.notifications);
        assert_eq!(new.email_verified, old.status == UserStatus::Active);
        assert_eq!(new.origin, UserOrigin::Staff);
        assert_eq!(new.created_by, None);
        assert_eq!(new.last_sign_in, None);
        assert_eq!(new.password_epoch, 0);
    }
    let olga = before.iter().find(|u| u.email == OWNER).unwrap();
    assert_eq!(olga.staff_role, Some(StaffRole::Owner));
    assert!(olga.password_hash.is_some());
    for ((customer, user), role) in &memberships {
        let members = store.members_of(CustomerId(*customer)).unwrap();
        let (_, m) = members
            .iter()
            .find(|(id, _)| *id == UserId(*user))
            .unwrap_or_else(|| panic!("membership {customer}/{user} lost"));
        assert_eq!(m.role, *role);
        assert_eq!(m.status, MembershipStatus::Active);
        assert_eq!(m.since, Timestamp(0));
    }
    assert!(store.check_invariants().unwrap().is_empty());
}

/// Adds `n` version-1 users (with their email index entries) to a closed version-1 database,
/// so its migration takes several batches.
fn grow_v1(db: &Path, n: u64) {
    let raw = common::raw_sled(db);
    let users = raw.open_tree(TreeName::Users.as_str()).unwrap();
    let emails = raw.open_tree(TreeName::UserEmailToId.as_str()).unwrap();
    let meta = raw.open_tree(TreeName::Meta.as_str()).unwrap();
    let next: u64 = codec::decode(&meta.get(b"next_id").unwrap().unwrap()).unwrap();
    for i in 0..n {
        let id = UserId(next + i);
        let email = format!("grown{i}@example.com");
        let user = UserV1 {
            id,
            email: email.clone(),
            first_name: format!("Grown{i}"),
            last_name: "User".into(),
            status: UserStatus::Invited,
            password_hash: None,
            staff_role: None,
            unix_user: None,
            created_at: Timestamp(1_000 + i as i64),
            updated_at: Timestamp(1_000 + i as i64),
        };
        users
            .insert(keys::user_key(id), codec::encode(&user).unwrap())
            .unwrap();
        emails
            .insert(email.as_bytes(), &keys::user_key(id))
            .unwrap();
    }
    meta.insert(b"next_id", codec::encode(&(next + n)).unwrap())
        .unwrap();
    raw.flush().unwrap();
}

#[test]
fn a_migration_killed_at_any_moment_resumes_and_converts_each_value_once() {
    let db = fixture_copy();
    let grown = 4_500;
    grow_v1(&db.path(), grown);
    let mut stopped_midway = 0;
    for delay_ms in [2u64, 5, 10, 20, 35, 50, 80, 120, 200] {
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
        let raw = common::raw_sled(&db.path());
        let meta = raw.open_tree(TreeName::Meta.as_str()).unwrap();
        if meta.get(b"migration").unwrap().is_some() {
            stopped_midway += 1;
        }
        let version: u32 = codec::decode(&meta.get(b"schema_version").unwrap().unwrap()).unwrap();
        if version == SCHEMA_VERSION {
            break;
        }
    }
    if stopped_midway == 0 {
        eprintln!("note: no kill landed between two batches on this machine");
    }
    let store = Store::open(&db.path(), OpenMode::Existing, &StoreOptions::default()).unwrap();
    assert_eq!(store.users().count() as u64, 8 + grown);
    for user in store.users() {
        let user = user.unwrap();
        assert_eq!(user.language, "en", "{}", user.email);
    }
    assert!(store.check_invariants().unwrap().is_empty());
    let chain = store.verify_chain().unwrap();
    assert!(chain.first_break.is_none());
    let migrations: Vec<String> = store
        .audit_newest_first()
        .map(|e| e.unwrap())
        .filter(|e| e.action == "schema.migrate")
        .map(|e| e.summary)
        .collect();
    // Oldest first: 1 → 2, 2 → 3, and the later ones.
    let migrations: Vec<String> = migrations.into_iter().rev().collect();
    assert_eq!(
        migrations.len(),
        (tenantry::store::SCHEMA_VERSION - 1) as usize,
        "{migrations:?}"
    );
    assert!(
        migrations[2].starts_with("schema version 3 → 4"),
        "{migrations:?}"
    );
    assert!(
        migrations[1].starts_with("schema version 2 → 3"),
        "{migrations:?}"
    );
    assert!(
        migrations[0].contains(&format!(
            "({} users, 5 memberships, 22 events indexed, 1 settings record)",
            8 + grown
        )),
        "{}",
        migrations[0]
    );
}

#[test]
fn a_backup_of_a_version_1_database_restores_migrated() {
    let db = fixture_copy();
    let trees: tenantry::store::forge::ForgedTrees = {
        let raw = common::raw_sled(&db.path());
        TreeName::ALL
            .into_iter()
            .filter(|t| *t != TreeName::SignInFailures)
            .map(|t| {
                let tree = raw.open_tree(t.as_str()).unwrap();
                let entries = tree
                    .iter()
                    .map(|i| {
                        let (k, v) = i.unwrap();
                        (k.to_vec(), v.to_vec())
                    })
                    .collect();
                (t, entries)
            })
            .collect()
    };
    let file = db.dir.path().join("v1.backup");
    std::fs::write(&file, tenantry::store::forge::forge_backup(&trees)).unwrap();
    let target = db.dir.path().join("restored");
    let out = db
        .cmd()
        .env("TENANTRY_USER", OWNER)
        .env("TENANTRY_PASSWORD", OWNER_PASSWORD)
        .args(["restore", &file.display().to_string(), "--db"])
        .arg(&target)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = Store::open(&target, OpenMode::Existing, &StoreOptions::default()).unwrap();
    let newest = store.audit_newest_first().next().unwrap().unwrap();
    assert_eq!(newest.action, "schema.migrate");
    assert_eq!(store.users().count(), 8);
    assert_eq!(store.customer_count(), 10);
    assert!(store.check_invariants().unwrap().is_empty());
}
