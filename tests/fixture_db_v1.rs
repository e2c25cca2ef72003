#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! The database of schema version 1 in `tests/fixtures/db-v1`, written by the release that
//! wrote version 1 (`tests/fixtures/make-db-v1.sh`), must open in this build, be migrated in
//! place, and lose nothing: every customer, trash entry, staff member, setting, import and
//! audit event, with the chain still verifying and one `schema.migrate` event appended per
//! migration (2, 3 and 4). Each
//! release that changes a stored type migrates this same fixture, so this test is where a
//! migration proves it keeps what the older release wrote.

mod common;

use std::collections::BTreeMap;

use common::cli::CliDb;
use serde_json::Value;

/// The migrations from version 1 to this build's, each one `schema.migrate` event.
const MIGRATIONS: usize = (tenantry::store::SCHEMA_VERSION - 1) as usize;

/// The fixture's owner; its password is set by the script that wrote the fixture.
const OWNER: &str = "olga@example.com";
const OWNER_PASSWORD: &str = "fixture password one";

/// A copy of the fixture in a temporary directory (opening migrates and locks it in place,
/// so the committed copy is never opened).
fn fixture_copy() -> CliDb {
    let db = CliDb::empty();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/db-v1");
    common::copy_dir(&fixture, &db.path());
    db
}

fn json(db: &CliDb, args: &[&str]) -> Vec<Value> {
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
    serde_json::from_slice::<Vec<Value>>(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: not a JSON list: {e}"))
}

fn text(value: &Value, key: &str) -> String {
    match &value[key] {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[test]
fn the_version_1_database_opens_checks_clean_and_verifies_its_chain() {
    let db = fixture_copy();
    let check = db
        .cmd()
        .env("TENANTRY_USER", OWNER)
        .env("TENANTRY_PASSWORD", OWNER_PASSWORD)
        .arg("check")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(said.contains("10 customers"), "{said}");
    assert!(said.contains("the audit chain verifies"), "{said}");
    db.cmd()
        .env("TENANTRY_USER", OWNER)
        .env("TENANTRY_PASSWORD", OWNER_PASSWORD)
        .args(["log", "verify"])
        .assert()
        .success();
}

#[test]
fn every_customer_of_the_version_1_database_is_kept_with_its_fields() {
    let db = fixture_copy();
    let rows = json(&db, &["customer", "list", "--format", "json"]);
    let by_slug: BTreeMap<String, &Value> = rows.iter().map(|r| (text(r, "slug"), r)).collect();
    // slug | name | type | status | language | owner email
    let expected = "\
        acme-corp|Acme Corporation|corporate|active|en|
        fixture-hosting-ag|Fixture Hosting AG|corporate|active|en|olga@example.com
        hooli|Hooli|corporate|active|en|gavin@hooli.example
        initech|Initech|corporate|suspended|fr-CH|
        pied-piper|Pied Piper|corporate|active|en|
        raviga|Raviga|individual|active|en|laurie@raviga.example
        wonka-276|Wonka Labs 276|corporate|active|en|
        wonka-labs-76|Wonka Labs 76|corporate|active|en|
        zoe-muller|Zoë Müller|individual|active|de|zoe@example.com";
    let expected: Vec<Vec<&str>> = expected
        .lines()
        .map(|l| l.trim().split('|').collect())
        .collect();
    assert_eq!(
        by_slug.keys().cloned().collect::<Vec<_>>(),
        expected.iter().map(|e| e[0].to_owned()).collect::<Vec<_>>()
    );
    for fields in &expected {
        let [slug, name, kind, status, language, owner] = fields[..] else {
            panic!("bad expectation {fields:?}");
        };
        let row = by_slug[slug];
        assert_eq!(text(row, "name"), name, "{slug}");
        assert_eq!(text(row, "type"), kind, "{slug}");
        assert_eq!(text(row, "status"), status, "{slug}");
        assert_eq!(text(row, "language"), language, "{slug}");
        assert_eq!(text(row, "owner_email"), owner, "{slug}");
    }
    let acme = by_slug["acme-corp"];
    assert_eq!(text(acme, "contact_email"), "ops@acme.example");
    assert_eq!(text(acme, "contact_phone"), "+41 44 000 00 00");
    assert_eq!(text(by_slug["zoe-muller"], "owner_name"), "Zoë Müller");
}

#[test]
fn the_trash_staff_settings_and_imports_of_the_version_1_database_are_kept() {
    let db = fixture_copy();
    let trash = json(&db, &["trash", "list", "--format", "json"]);
    let slugs: Vec<String> = trash.iter().map(|r| text(r, "slug")).collect();
    assert_eq!(
        slugs,
        ["globex"],
        "umbrella was purged, globex only deleted"
    );
    assert_eq!(text(&trash[0], "owner_email"), "hank@globex.example");

    let staff = json(&db, &["staff", "list", "--format", "json"]);
    let mut people: Vec<(String, String, String, String)> = staff
        .iter()
        .map(|s| {
            (
                text(s, "email"),
                text(s, "role"),
                text(s, "status"),
                text(s, "unix_user"),
            )
        })
        .collect();
    people.sort();
    let want = [
        ("ada@example.com", "administrator", "invited", ""),
        ("aude@example.com", "auditor", "active", "nobody"),
        ("olga@example.com", "owner", "active", ""),
        ("otto@example.com", "operator", "disabled", ""),
    ];
    assert_eq!(
        people,
        want.map(|(a, b, c, d)| (a.into(), b.into(), c.into(), d.into()))
    );

    let out = db
        .cmd()
        .env("TENANTRY_USER", OWNER)
        .env("TENANTRY_PASSWORD", OWNER_PASSWORD)
        .args(["settings", "get", "trash.retention_days"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("45"));

    let imports = json(&db, &["import", "list", "--format", "json"]);
    assert_eq!(imports.len(), 1);
    assert_eq!(text(&imports[0], "file"), "customers.csv");
    assert_eq!(text(&imports[0], "created"), "3");
}

#[test]
fn the_audit_log_of_the_version_1_database_is_kept_event_for_event() {
    let db = fixture_copy();
    let events = json(&db, &["log", "--format", "json", "--limit", "100"]);
    let actions: Vec<String> = events.iter().rev().map(|e| text(e, "action")).collect();
    let mut want = vec![
        "platform.init",
        "customer.add",
        "customer.add",
        "customer.add",
        "customer.add",
        "customer.add",
        "customer.add",
        "customer.suspend",
        "customer.delete",
        "customer.add",
        "customer.delete",
        "customer.purge",
        "customer.edit",
        "staff.add",
        "staff.add",
        "staff.add",
        "settings.set",
        "customer.add",
        "customer.add",
        "customer.add",
        "import.customers",
        "staff.disable",
    ];
    want.extend(std::iter::repeat_n("schema.migrate", MIGRATIONS));
    assert_eq!(actions, want);
    // History is never rewritten: the newest event of version 1 keeps the hash that release
    // gave it, and the migration's event links to it.
    let old_head = "3c535c02388a003761e4c149805d5f334e7699987f9871f846a7ffd4ae60c6e4";
    assert_eq!(text(&events[MIGRATIONS], "hash"), old_head);
    let migration = &events[MIGRATIONS - 1];
    assert_eq!(text(migration, "prev_hash"), old_head);
    assert_eq!(text(migration, "actor_kind"), "system");
    let summary = text(migration, "summary");
    assert!(summary.starts_with("schema version 1 → 2"), "{summary}");
    assert!(
        summary.contains("(8 users, 5 memberships, 22 events indexed, 1 settings record)"),
        "{summary}"
    );
    let counted = &events[MIGRATIONS - 2];
    assert_eq!(text(counted, "prev_hash"), text(migration, "hash"));
    let summary = text(counted, "summary");
    assert!(summary.starts_with("schema version 2 → 3"), "{summary}");
}

#[test]
fn a_migrated_database_opens_again_without_migrating_twice() {
    let db = fixture_copy();
    let first = json(&db, &["log", "--format", "json", "--limit", "100"]);
    let again = json(&db, &["log", "--format", "json", "--limit", "100"]);
    assert_eq!(first.len(), 22 + MIGRATIONS);
    assert_eq!(
        again.len(),
        22 + MIGRATIONS,
        "the second open appended another event"
    );
}
