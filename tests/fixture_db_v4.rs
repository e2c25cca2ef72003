#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! The database of schema version 4 in `tests/fixtures/db-v4`, written by the release of the
//! contact details and the service catalogue (`tests/fixtures/make-db-v4.sh`), opens in this
//! build as written, checks clean, and reads back what that release stored: the contact
//! details and the changed catalogue. The next migration is tested against it.

mod common;

use common::cli::CliDb;

fn fixture_copy() -> CliDb {
    let db = CliDb::empty();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/db-v4");
    common::copy_dir(&fixture, &db.path());
    db
}

fn ok(db: &CliDb, args: &[&str]) -> String {
    let out = db
        .cmd()
        .env("TENANTRY_USER", "olga@example.com")
        .env("TENANTRY_PASSWORD", "fixture password five")
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
fn the_version_4_database_opens_as_written_and_reads_whole() {
    let db = fixture_copy();
    assert!(ok(&db, &["check"]).contains("the audit chain verifies"));
    let shown = ok(&db, &["customer", "show", "hooli"]);
    assert!(shown.contains("Bahnhofstrasse 1, 8001 Zürich"), "{shown}");
    assert!(shown.contains("https://hooli.example"), "{shown}");
    let services = ok(&db, &["service", "list"]);
    assert!(services.contains("Object Storage  off"), "{services}");
    assert!(services.contains("Storage         on"), "{services}");
    let log = ok(&db, &["log", "--limit", "1", "--action", "schema.migrate"]);
    assert!(!log.contains("→ 5"), "nothing to migrate yet: {log}");
}
