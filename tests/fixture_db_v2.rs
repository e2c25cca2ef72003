#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! The database of schema version 2 in `tests/fixtures/db-v2`, written by the release before
//! impersonation (`tests/fixtures/make-db-v2.sh`), must open in this build with nothing of it
//! rewritten (D93: the new `impersonations` tree starts empty, the impersonation settings read
//! their defaults; migration 3 only adds counters, `tests/migration_v3.rs`), `check` finds it
//! consistent, its chain verifies, every person,
//! membership and invitation reads as written, and an impersonation then works on it and
//! leaves it consistent.

mod common;

use common::cli::CliDb;
use serde_json::Value;

const OWNER: &str = "olga@example.com";
const OWNER_PASSWORD: &str = "fixture password two";

fn fixture_copy() -> CliDb {
    let db = CliDb::empty();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/db-v2");
    common::copy_dir(&fixture, &db.path());
    db
}

fn run(db: &CliDb, args: &[&str]) -> std::process::Output {
    db.cmd()
        .env("TENANTRY_USER", OWNER)
        .env("TENANTRY_PASSWORD", OWNER_PASSWORD)
        .args(args)
        .output()
        .unwrap()
}

fn ok(db: &CliDb, args: &[&str]) -> String {
    let out = run(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(db: &CliDb, args: &[&str]) -> Vec<Value> {
    serde_json::from_str(&ok(db, args)).unwrap()
}

fn checks_clean(db: &CliDb) {
    let said = ok(db, &["check"]);
    assert!(said.contains("the audit chain verifies"), "{said}");
    ok(db, &["log", "verify"]);
}

#[test]
fn the_version_2_database_opens_as_written_and_reads_whole() {
    let db = fixture_copy();
    checks_clean(&db);
    let users = json(&db, &["user", "list", "--format", "json"]);
    let status = |email: &str| {
        users
            .iter()
            .find(|u| u["email"] == email)
            .map(|u| u["status"].as_str().unwrap().to_owned())
            .unwrap_or_else(|| panic!("{email} missing"))
    };
    assert_eq!(status("una@acme.example"), "invited");
    assert_eq!(status("ivy@guest.example"), "invited");
    assert_eq!(status("amy@guest.example"), "active");
    // Staff added without a password wait for their first one, as that release left them.
    assert_eq!(status("otto@example.com"), "invited");
    let otto = users
        .iter()
        .find(|u| u["email"] == "otto@example.com")
        .unwrap();
    assert_eq!(otto["staff_role"], "operator");
    let una = users
        .iter()
        .find(|u| u["email"] == "una@acme.example")
        .unwrap();
    assert_eq!(una["language"], "fr-CH");
    let invitations = json(&db, &["invite", "list", "--format", "json"]);
    let state = |email: &str| {
        invitations
            .iter()
            .find(|i| i["email"] == email)
            .map(|i| i["status"].as_str().unwrap().to_owned())
            .unwrap()
    };
    assert_eq!(state("ivy@guest.example"), "pending");
    assert_eq!(state("rex@guest.example"), "revoked");
    assert_eq!(state("amy@guest.example"), "accepted");
    // What impersonation added reads its defaults from a database that never had it.
    assert_eq!(
        ok(&db, &["settings", "get", "impersonation.max_minutes"]).trim(),
        "30"
    );
    assert_eq!(
        ok(&db, &["settings", "get", "impersonation.notify"]).trim(),
        "off"
    );
    assert!(json(&db, &["impersonation", "list", "--format", "json"]).is_empty());
}

#[test]
fn an_impersonation_works_on_the_version_2_database_and_leaves_it_consistent() {
    let db = fixture_copy();
    let before = json(&db, &["log", "--format", "json"]).len();
    let listed = json(
        &db,
        &[
            "--impersonate",
            "acme-corp",
            "--reason",
            "fixture check",
            "user",
            "list",
            "--format",
            "json",
        ],
    );
    assert!(listed.iter().all(|u| {
        u["customers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["slug"] == "acme-corp")
    }));
    let record = json(&db, &["impersonation", "list", "--format", "json"]);
    assert_eq!(record.len(), 1);
    assert_eq!(record[0]["how"], "command-done");
    assert_eq!(json(&db, &["log", "--format", "json"]).len(), before + 2);
    checks_clean(&db);
}
