//! Damaged databases after hardening: once any command found the database damaged, no later
//! command writes into it until a clean `check` (writes made then would be lost when the
//! operator restores); an unreadable sled `conf` and a counter that cannot grow are reported
//! as a damaged database in one line naming the path and `tenantry restore`.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;

use std::path::Path;
use std::process::Output;

use common::cli::CliDb;

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Exit 4 and exactly one line on stderr naming `db` and how to restore.
fn assert_damaged_line(db: &Path, out: &Output, what: &str) {
    let text = stderr(out);
    assert_eq!(out.status.code(), Some(4), "{what}: {text}");
    assert_eq!(text.lines().count(), 1, "{what}: not one line: {text}");
    assert!(
        text.contains(&db.display().to_string()),
        "{what}: no path: {text}"
    );
    assert!(
        text.contains("tenantry restore"),
        "{what}: no restore hint: {text}"
    );
}

#[test]
fn a_flipped_sled_conf_is_a_damaged_database() {
    let db = CliDb::init();
    let conf = db.path().join("sled").join("conf");
    let mut bytes = std::fs::read(&conf).unwrap();
    assert!(bytes.len() > 8, "sled wrote no conf");
    for b in &mut bytes[..8] {
        *b ^= 0xFF;
    }
    std::fs::write(&conf, bytes).unwrap();
    let out = db.output(&["customer", "list"]);
    assert_damaged_line(&db.path(), &out, "flipped conf");
}
