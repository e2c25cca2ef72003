//! Restores: killed midway, trailing data, no records, symlinked targets.

use std::os::unix::fs::symlink;
use std::path::PathBuf;
use std::time::Duration;

use predicates::str::contains;

use super::common::cli::CliDb;
use super::{backup_of, big_database, names_with, s, spawn, wait_for};

#[test]
fn sigkill_during_restore_leaves_no_target_or_a_complete_one() {
    let db = big_database(3_000);
    let file = backup_of(&db, "big.tnb");
    let area = db.dir.path().join("restores");
    std::fs::create_dir(&area).unwrap();
    let mut killed_midway = 0;
    for (i, delay_ms) in [0u64, 5, 20, 60, 150, 400].into_iter().enumerate() {
        let target = area.join(format!("db{i}"));
        let mut child = spawn(&db, &["restore", s(&file), "--db", s(&target)]);
        if wait_for(&area, &format!(".db{i}.restoring-"), &mut child) {
            std::thread::sleep(Duration::from_millis(delay_ms));
        }
        let _ = child.kill();
        let status = child.wait().unwrap();
        if !target.exists() {
            killed_midway += 1;
            // The next restore into the same target clears what the killed one left.
            db.cmd()
                .args(["restore", s(&file), "--db", s(&target)])
                .assert()
                .success();
            assert!(
                names_with(&area, &format!(".db{i}.restoring-")).is_empty(),
                "a stale restore directory survived the next restore"
            );
        } else {
            assert!(status.success() || status.code().is_none(), "{status:?}");
        }
        // Whatever exists at the target is complete and verifies.
        db.cmd()
            .args(["--db", s(&target), "check"])
            .assert()
            .success()
            .stdout(contains("database consistent: 3001 customers"));
    }
    assert!(
        killed_midway > 0,
        "no restore was killed before it finished"
    );
}

/// A backup's bytes: header, records, and where the end record starts.
fn good_backup() -> (CliDb, Vec<u8>, usize) {
    let db = CliDb::init();
    db.run(&["customer", "add", "Acme"]).success();
    let bytes = std::fs::read(backup_of(&db, "good.tnb")).unwrap();
    let end_at = bytes.len() - 49;
    assert_eq!(bytes[end_at], b'E');
    (db, bytes, end_at)
}

fn record(kind: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![kind];
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(payload);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

fn restore_bytes(db: &CliDb, name: &str, bytes: &[u8]) -> (assert_cmd::assert::Assert, PathBuf) {
    let file = db.dir.path().join(format!("{name}.tnb"));
    std::fs::write(&file, bytes).unwrap();
    let target = db.dir.path().join(format!("restored-{name}"));
    let assert = db
        .cmd()
        .args(["restore", s(&file), "--db", s(&target)])
        .assert();
    (assert, target)
}

#[test]
fn restore_refuses_trailing_data() {
    let (db, mut bytes, _) = good_backup();
    bytes.extend_from_slice(b"appended by someone");
    let (assert, target) = restore_bytes(&db, "trailing", &bytes);
    assert
        .code(1)
        .stderr(contains("not a valid backup: data after the end record"));
    assert!(!target.exists());
}

#[test]
fn restore_refuses_a_second_end_record() {
    let (db, mut bytes, end_at) = good_backup();
    let end = bytes[end_at..].to_vec();
    bytes.extend_from_slice(&end);
    let (assert, target) = restore_bytes(&db, "two-ends", &bytes);
    assert.code(1).stderr(contains("data after the end record"));
    assert!(!target.exists());
}

#[test]
fn restore_refuses_a_backup_with_no_records() {
    use sha2::{Digest, Sha256};
    let (db, bytes, _) = good_backup();
    let header = &bytes[..20];
    let mut end = 0u64.to_be_bytes().to_vec();
    end.extend_from_slice(&Sha256::digest(header));
    let mut empty = header.to_vec();
    empty.extend_from_slice(&record(b'E', &end));
    let (assert, target) = restore_bytes(&db, "empty", &empty);
    assert.code(1).stderr(contains("holds no records"));
    assert!(!target.exists());
}

#[test]
fn restore_through_a_symlinked_target_leaves_nothing_behind_the_link() {
    let (db, bytes, _) = good_backup();
    let real = db.dir.path().join("real-empty");
    std::fs::create_dir(&real).unwrap();
    let link = db.dir.path().join("linked");
    symlink(&real, &link).unwrap();
    let file = db.dir.path().join("good.tnb");
    db.cmd()
        .args(["restore", s(&file), "--db", s(&link)])
        .assert()
        .code(1)
        .stderr(contains("symbolic link"));
    // A damaged backup through the link: refused too, and nothing is left behind it.
    let mut damaged = bytes.clone();
    damaged[30] ^= 1;
    std::fs::write(db.dir.path().join("damaged.tnb"), &damaged).unwrap();
    db.cmd()
        .args([
            "restore",
            s(&db.dir.path().join("damaged.tnb")),
            "--db",
            s(&link),
        ])
        .assert()
        .code(1);
    assert_eq!(std::fs::read_dir(&real).unwrap().count(), 0);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}
