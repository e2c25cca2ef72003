//! Crafted backups: records re-assembled with correct CRCs, entry count and SHA-256, so only
//! the restore's own structural checks stand between them and the database.

use std::time::{Duration, Instant};

use predicates::str::contains;
use sha2::{Digest, Sha256};

use super::common::cli::CliDb;
use super::{backup_of, restore_bytes, s};

/// One record: kind and payload.
pub type Record = (u8, Vec<u8>);

/// The records of a backup file after its 20-byte header.
pub fn records(bytes: &[u8]) -> Vec<Record> {
    let mut out = Vec::new();
    let mut at = 20;
    while at + 5 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at + 1..at + 5].try_into().unwrap()) as usize;
        out.push((bytes[at], bytes[at + 5..at + 5 + len].to_vec()));
        at += 9 + len;
    }
    out
}

fn encode(kind: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![kind];
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(payload);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

/// A backup of the content records `content` (no `E`/`S`) with a freshly computed end record,
/// followed by `signature` as an `S` record when given.
pub fn assemble(header: &[u8], content: &[Record], signature: Option<&[u8]>) -> Vec<u8> {
    let mut out = header[..20].to_vec();
    let mut entries = 0u64;
    for (kind, payload) in content {
        out.extend_from_slice(&encode(*kind, payload));
        entries += u64::from(*kind == b'K');
    }
    let mut end = entries.to_be_bytes().to_vec();
    end.extend_from_slice(&Sha256::digest(&out));
    out.extend_from_slice(&encode(b'E', &end));
    if let Some(sig) = signature {
        out.extend_from_slice(&encode(b'S', sig));
    }
    out
}

/// A database with two customers and the content records of its backup.
pub fn crafted_start() -> (CliDb, Vec<u8>, Vec<Record>) {
    let db = CliDb::init();
    db.run(&["customer", "add", "Acme"]).success();
    db.run(&["customer", "add", "Globex"]).success();
    let bytes = std::fs::read(backup_of(&db, "good.tnb")).unwrap();
    let content: Vec<Record> = records(&bytes)
        .into_iter()
        .filter(|(k, _)| *k != b'E' && *k != b'S')
        .collect();
    // The re-assembly itself is faithful: unchanged content restores.
    let (ok, _) = restore_bytes(&db, "reassembled", &assemble(&bytes, &content, None));
    ok.success();
    (db, bytes, content)
}

#[test]
fn malformed_signature_records_are_refused_without_a_key() {
    let (db, header, content) = crafted_start();
    for (name, sig) in [("short-sig", vec![7u8; 10]), ("zero-sig", vec![0u8; 96])] {
        let bytes = assemble(&header, &content, Some(&sig));
        let (assert, target) = restore_bytes(&db, name, &bytes);
        assert
            .code(1)
            .stderr(contains("not a valid backup: signature record"));
        assert!(!target.exists(), "{name}");
    }
    // A real signature still restores without a key, reported as not checked.
    let keys = db.dir.path().join("keys");
    db.run(&["backup-keygen", s(&keys)]).success();
    let signed = db.dir.path().join("signed.tnb");
    db.run(&[
        "backup",
        s(&signed),
        "--sign",
        s(&keys.join("tenantry-backup.key")),
    ])
    .success();
    db.cmd()
        .args(["restore", s(&signed), "--db", s(&db.dir.path().join("s"))])
        .assert()
        .success()
        .stdout(contains("signature not checked"));
}

#[test]
fn duplicate_keys_and_repeated_trees_are_refused() {
    let (db, header, content) = crafted_start();
    // The same customer entry twice, right after itself.
    let customers = content
        .iter()
        .position(|(k, p)| *k == b'T' && p == b"customers")
        .unwrap();
    let mut twice = content.clone();
    twice.insert(customers + 2, content[customers + 1].clone());
    let (assert, target) = restore_bytes(&db, "dup-key", &assemble(&header, &twice, None));
    assert
        .code(1)
        .stderr(contains("repeats or is out of order"))
        .stderr(contains("at byte"));
    assert!(!target.exists());
    // Two entries of one tree swapped: out of order is refused too.
    let mut swapped = content.clone();
    swapped.swap(customers + 1, customers + 2);
    let (assert, _) = restore_bytes(&db, "swapped", &assemble(&header, &swapped, None));
    assert
        .code(1)
        .stderr(contains("repeats or is out of order"));
    // The whole customers tree a second time at the end.
    let mut again = content.clone();
    again.push(content[customers].clone());
    again.push(content[customers + 1].clone());
    let (assert, target) = restore_bytes(&db, "dup-tree", &assemble(&header, &again, None));
    assert
        .code(1)
        .stderr(contains("tree customers appears a second time at byte"));
    assert!(!target.exists());
}

#[test]
fn restore_refuses_a_fifo_at_once_and_names_a_directory() {
    let db = CliDb::init();
    let fifo = db.dir.path().join("f.bak");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
    let target = db.dir.path().join("nf");
    // Before the fix `open()` blocked for ever; the timeout kills it and the test fails.
    let started = Instant::now();
    db.cmd()
        .args(["restore", s(&fifo), "--db", s(&target)])
        .timeout(Duration::from_secs(20))
        .assert()
        .code(1)
        .stderr(contains("is a named pipe (FIFO)"));
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(!target.exists());
    db.cmd()
        .args(["restore", "/tmp", "--db", s(&db.dir.path().join("nd"))])
        .assert()
        .code(1)
        .stderr(contains("is a directory"));
}

#[test]
fn restore_clean_up_removes_only_leftovers_that_are_ours() {
    use std::os::unix::fs::MetadataExt;
    let db = CliDb::init();
    let file = backup_of(&db, "nightly.tnb");
    let parent = db.dir.path();
    // Another user's directory with the leftover's name: theirs, never ours to delete.
    let theirs = parent.join(".nf.restoring-theirs");
    std::fs::create_dir(&theirs).unwrap();
    std::fs::write(theirs.join("keep"), "their data").unwrap();
    let nobody = nix::unistd::User::from_name("nobody").ok().flatten();
    let chowned = match &nobody {
        Some(u) if nix::unistd::geteuid().is_root() => {
            nix::unistd::chown(&theirs, Some(u.uid), None).unwrap();
            true
        }
        _ => {
            println!("skipped the other-owner case: needs root and a `nobody` account");
            false
        }
    };
    // A link with the leftover's name, pointing at a directory of ours.
    let victim = parent.join("victim");
    std::fs::create_dir(&victim).unwrap();
    std::fs::write(victim.join("keep"), "x").unwrap();
    std::os::unix::fs::symlink(&victim, parent.join(".nf.restoring-link")).unwrap();
    // Our own leftover of a killed restore (killed before its lock file existed).
    let ours = parent.join(".nf.restoring-ours");
    std::fs::create_dir(&ours).unwrap();
    std::fs::write(ours.join("conf"), "half a database").unwrap();

    db.cmd()
        .args(["restore", s(&file), "--db", s(&parent.join("nf"))])
        .assert()
        .success();
    assert!(!ours.exists(), "our own leftover is removed");
    assert!(victim.join("keep").exists(), "a link is never followed");
    if chowned {
        assert!(
            theirs.join("keep").exists(),
            "another user's directory is kept"
        );
        assert!(
            !theirs.join("tenantry.lock").exists(),
            "nothing is created inside a directory we did not make"
        );
        assert_ne!(std::fs::metadata(&theirs).unwrap().uid(), 0);
    }
}
