//! What an attack on the hardened binary still found: restores that trusted a crafted file
//! (malformed signatures, repeated keys and trees, pipes), signing keys and leftover
//! directories another user controls, stored text a crafted backup can plant, empty password
//! variables, and links to Unix accounts that do not exist.
//!
//! These run as root here. Where a rule is about another user's files, the tests make those
//! files with `chown` to `nobody` (root may do that) and check ownership and modes, never
//! access, which root bypasses.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

#[path = "hardening_gaps/accounts.rs"]
mod accounts;
#[path = "hardening_gaps/backup.rs"]
mod backup;
mod common;
#[path = "hardening_gaps/keys.rs"]
mod keys;
#[path = "hardening_gaps/lookalike.rs"]
mod lookalike;
#[path = "hardening_gaps/text.rs"]
mod text;

use std::path::{Path, PathBuf};

use common::cli::CliDb;

pub fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A backup of `db` written to `name` in its directory.
pub fn backup_of(db: &CliDb, name: &str) -> PathBuf {
    let file = db.dir.path().join(name);
    db.run(&["backup", s(&file)]).success();
    file
}

/// Restores `bytes` (written to `NAME.tnb`) into `restored-NAME`; the assertion and target.
pub fn restore_bytes(
    db: &CliDb,
    name: &str,
    bytes: &[u8],
) -> (assert_cmd::assert::Assert, PathBuf) {
    let file = db.dir.path().join(format!("{name}.tnb"));
    std::fs::write(&file, bytes).unwrap();
    let target = db.dir.path().join(format!("restored-{name}"));
    let assert = db
        .cmd()
        .args(["restore", s(&file), "--db", s(&target)])
        .assert();
    (assert, target)
}
