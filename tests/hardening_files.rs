//! Files another user could read, write or redirect, and backups that must be whole or absent:
//! the backup's temporary file, symbolic links at final paths, the database directory's and
//! the log's modes, restores that are killed, trailing data, signatures, and the exit statuses
//! `docs/cli.md` promises for backup and restore.
//!
//! These run as root here; nothing below depends on permission checks (which root bypasses):
//! they look at modes, file types and content instead.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;
#[path = "hardening_files/modes.rs"]
mod modes;
#[path = "hardening_files/restore.rs"]
mod restore;
#[path = "hardening_files/signing.rs"]
mod signing;

use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::cli::CliDb;
use predicates::str::contains;

pub fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o7777
}

pub fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Names in `dir` containing `part`.
pub fn names_with(dir: &Path, part: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(part))
        .collect()
}

pub fn backup_of(db: &CliDb, name: &str) -> PathBuf {
    let file = db.dir.path().join(name);
    db.run(&["backup", s(&file)]).success();
    file
}

#[test]
fn backup_never_writes_through_a_planted_partial_file() {
    let db = CliDb::init();
    let victim = db.dir.path().join("victim");
    std::fs::write(&victim, "").unwrap();
    std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o644)).unwrap();
    let file = db.dir.path().join("nightly.tnb");
    symlink(&victim, db.dir.path().join("nightly.tnb.partial")).unwrap();
    // A planted regular file, world-writable, under the name a second backup would use.
    let other = db.dir.path().join("other.tnb.partial");
    std::fs::write(&other, "").unwrap();
    std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o666)).unwrap();
    db.run(&["backup", s(&file)]).success();
    db.run(&["backup", s(&db.dir.path().join("other.tnb"))])
        .success();
    assert_eq!(
        std::fs::read(&victim).unwrap(),
        b"",
        "wrote through the link"
    );
    assert_eq!(
        std::fs::read(&other).unwrap(),
        b"",
        "wrote into the planted file"
    );
    for name in ["nightly.tnb", "other.tnb"] {
        let made = db.dir.path().join(name);
        assert_eq!(mode(&made), 0o600, "{name}");
        assert!(
            std::fs::symlink_metadata(&made).unwrap().is_file(),
            "{name}"
        );
    }
}

#[test]
fn backup_never_follows_a_symlink_at_the_final_path() {
    let db = CliDb::init();
    let victim = db.dir.path().join("elsewhere");
    let file = db.dir.path().join("nightly.tnb");
    // Dangling: following it would create the file wherever it points.
    symlink(&victim, &file).unwrap();
    db.run(&["backup", s(&file)])
        .code(1)
        .stderr(contains("symbolic link"));
    assert!(!victim.exists(), "followed the link");
    // With --force the link itself is replaced; what it pointed at stays untouched.
    std::fs::write(&victim, "keep").unwrap();
    db.run(&["backup", s(&file), "--force"]).success();
    assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
    let meta = std::fs::symlink_metadata(&file).unwrap();
    assert!(meta.is_file() && !meta.file_type().is_symlink());
    assert_eq!(mode(&file), 0o600);
}

#[test]
fn backup_refuses_a_target_inside_the_database_directory() {
    let db = CliDb::init();
    let inside = db.path().join("sled").join("copy.tnb");
    db.run(&["backup", s(&inside)])
        .code(1)
        .stderr(contains("inside the database directory"));
    assert!(names_with(&db.path().join("sled"), "copy.tnb").is_empty());
}

/// A database big enough that backing it up or restoring it takes a noticeable time, built
/// with an import (one transaction per 1 000 rows).
pub fn big_database(rows: usize) -> CliDb {
    let db = CliDb::init();
    let csv = db.dir.path().join("big.csv");
    let mut text = String::from("Name,Owner Email,Owner First Name,Owner Last Name\n");
    for i in 0..rows {
        text.push_str(&format!(
            "Customer {i:06},owner{i}@example.com,First,Last\n"
        ));
    }
    std::fs::write(&csv, text).unwrap();
    db.run(&["import", "customers", s(&csv)]).success();
    db
}

/// Starts the binary in `db`'s clean environment without waiting for it.
pub fn spawn(db: &CliDb, args: &[&str]) -> Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_tenantry"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", db.dir.path())
        .env("TENANTRY_LOG_DIR", db.dir.path().join("log"))
        .env("TENANTRY_DB", db.path())
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits until `dir` holds a name containing `part` (or the child ends); true if it appeared.
pub fn wait_for(dir: &Path, part: &str, child: &mut Child) -> bool {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if !names_with(dir, part).is_empty() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    false
}

#[test]
fn sigterm_during_backup_leaves_no_temporary_file() {
    let db = big_database(4_000);
    let out = db.dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let file = out.join("nightly.tnb");
    let mut interrupted = 0;
    for attempt in 0..5 {
        let _ = std::fs::remove_file(&file);
        let mut child = spawn(&db, &["backup", s(&file)]);
        let seen = wait_for(&out, "partial", &mut child);
        if seen {
            std::thread::sleep(Duration::from_millis(attempt * 3));
            nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(child.id() as i32),
                nix::sys::signal::Signal::SIGTERM,
            )
            .unwrap();
        }
        let status = child.wait_with_output().unwrap();
        let leftovers = names_with(&out, "partial");
        assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
        match status.status.code() {
            Some(0) => assert!(file.exists()),
            Some(143) => {
                interrupted += 1;
                assert!(!file.exists(), "an interrupted backup left {file:?}");
                let err = String::from_utf8_lossy(&status.stderr);
                assert!(err.contains("interrupted by signal 15"), "{err}");
            }
            other => panic!("backup ended with {other:?}: {status:?}"),
        }
    }
    assert!(interrupted > 0, "no backup was interrupted by its SIGTERM");
}
