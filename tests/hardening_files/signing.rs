//! Backup authenticity (signatures), what a backup leaves out, and the exit statuses and
//! messages `docs/cli.md` documents for backup and restore.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use predicates::str::contains;

use super::common::{PASSWORD, cli::CliDb};
use super::{backup_of, mode, s};

/// Tree names of the `T` records of a backup file, in order.
fn tree_names(bytes: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    let mut at = 20;
    while at + 5 <= bytes.len() {
        let kind = bytes[at];
        let len = u32::from_be_bytes(bytes[at + 1..at + 5].try_into().unwrap()) as usize;
        if kind == b'T' {
            names.push(String::from_utf8_lossy(&bytes[at + 5..at + 5 + len]).into_owned());
        }
        at += 9 + len;
    }
    names
}

fn keygen(db: &CliDb, name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = db.dir.path().join(name);
    db.run(&["backup-keygen", s(&dir)])
        .success()
        .stdout(contains("tenantry-backup.key"));
    (
        dir.join("tenantry-backup.key"),
        dir.join("tenantry-backup.pub"),
    )
}

fn restore(db: &CliDb, file: &Path, target: &str, key: &Path) -> assert_cmd::assert::Assert {
    let target = db.dir.path().join(target);
    db.cmd()
        .args([
            "restore",
            s(file),
            "--db",
            s(&target),
            "--verify-with",
            s(key),
        ])
        .assert()
}

#[test]
fn a_signed_backup_restores_only_with_the_key_that_signed_it() {
    let db = CliDb::init();
    let (secret, public) = keygen(&db, "keys");
    assert_eq!(mode(&secret), 0o600);
    let signed = db.dir.path().join("signed.tnb");
    db.run(&["backup", s(&signed), "--sign", s(&secret)])
        .success()
        .stdout(contains("signed"));
    restore(&db, &signed, "good", &public)
        .success()
        .stdout(contains("signature verified"));
    // An unsigned backup, and one signed by another key, are refused.
    let unsigned = backup_of(&db, "unsigned.tnb");
    restore(&db, &unsigned, "unsigned", &public)
        .code(1)
        .stderr(contains("not signed"));
    let (_, other_public) = keygen(&db, "other-keys");
    restore(&db, &signed, "other", &other_public)
        .code(1)
        .stderr(contains("signed by a different key"));
    // A forger who changes a byte of the signature and fixes its CRC still fails.
    let mut bytes = std::fs::read(&signed).unwrap();
    let s_at = bytes.len() - 105;
    assert_eq!(bytes[s_at], b'S');
    bytes[s_at + 5 + 40] ^= 1;
    let crc = crc32fast::hash(&bytes[s_at..bytes.len() - 4]);
    let n = bytes.len();
    bytes[n - 4..].copy_from_slice(&crc.to_be_bytes());
    let forged = db.dir.path().join("forged.tnb");
    std::fs::write(&forged, bytes).unwrap();
    restore(&db, &forged, "forged", &public)
        .code(1)
        .stderr(contains("signature does not match the content"));
    for target in ["unsigned", "other", "forged"] {
        assert!(!db.dir.path().join(target).exists(), "{target}");
    }
    // A secret key others could read is refused before anything is written.
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o640)).unwrap();
    db.run(&[
        "backup",
        s(&db.dir.path().join("x.tnb")),
        "--sign",
        s(&secret),
    ])
    .code(1)
    .stderr(contains("other users could read it"));
    // A public key others could replace is refused.
    std::fs::set_permissions(&public, std::fs::Permissions::from_mode(0o666)).unwrap();
    restore(&db, &signed, "shared-key", &public)
        .code(1)
        .stderr(contains("other users could replace it"));
    // A key pair is never replaced.
    db.run(&["backup-keygen", s(&db.dir.path().join("keys"))])
        .code(1)
        .stderr(contains("never replaced"));
}

#[test]
fn sign_in_failures_are_left_out_of_backups() {
    let db = CliDb::init();
    for _ in 0..5 {
        db.cmd()
            .env("TENANTRY_PASSWORD", "wrong passphrase")
            .args(["--user", "ops@example.com", "customer", "list"])
            .assert()
            .code(1);
    }
    let file = backup_of(&db, "nightly.tnb");
    let names = tree_names(&std::fs::read(&file).unwrap());
    assert!(names.contains(&"customers".to_owned()), "{names:?}");
    assert!(!names.contains(&"sign_in_failures".to_owned()), "{names:?}");
    let restored = db.dir.path().join("restored");
    db.cmd()
        .args(["restore", s(&file), "--db", s(&restored)])
        .assert()
        .success();
    // The lockout stays with the live database; the restored one starts without it.
    db.cmd()
        .env("TENANTRY_PASSWORD", PASSWORD)
        .args([
            "--user",
            "ops@example.com",
            "--db",
            s(&restored),
            "customer",
            "list",
        ])
        .assert()
        .success();
}

/// The line after the first documented line of `docs/cli.md` containing `message`.
fn documented_status(doc: &str, message: &str) -> Option<String> {
    let mut lines = doc.lines();
    lines.find(|l| l.starts_with("tenantry: ") && l.contains(message))?;
    lines.next().map(str::to_owned)
}

#[test]
fn backup_and_restore_refusals_exit_as_the_cli_docs_say() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/cli.md")).unwrap();
    let db = CliDb::init();
    let file = backup_of(&db, "nightly.tnb");
    let exists = db.output(&["backup", s(&file)]);
    let target = db.dir.path().join("occupied");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("something"), "").unwrap();
    let occupied = db.output(&["restore", s(&file), "--db", s(&target)]);
    let mut bytes = std::fs::read(&file).unwrap();
    bytes[50] ^= 1;
    let damaged = db.dir.path().join("damaged.tnb");
    std::fs::write(&damaged, bytes).unwrap();
    let invalid = db.output(&[
        "restore",
        s(&damaged),
        "--db",
        s(&db.dir.path().join("new")),
    ]);
    for (out, message) in [
        (exists, "file exists; choose another name or pass --force"),
        (occupied, "target is not empty; restore into a new path"),
        (
            invalid,
            "not a valid backup: checksum mismatch in record at byte",
        ),
    ] {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{stderr}");
        let code = out.status.code().unwrap();
        assert_eq!(code, 1, "{message}");
        assert_eq!(
            documented_status(&doc, message).as_deref(),
            Some(format!("[exit {code}]").as_str()),
            "docs/cli.md shows a different status after {message:?}"
        );
        let prefix = stderr.lines().next().unwrap_or_default();
        assert!(!prefix.contains("storage error"), "{prefix}");
    }
    let row = doc.lines().find(|l| l.starts_with("| 4 |")).unwrap();
    assert!(
        !row.contains("backup"),
        "exit 4 row still lists backup refusals: {row}"
    );
}

#[test]
fn a_backup_into_a_directory_others_can_write_is_flagged() {
    let db = CliDb::init();
    let shared = db.dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o777)).unwrap();
    db.run(&["backup", s(&shared.join("nightly.tnb"))])
        .success()
        .stderr(contains("other users can write to"))
        .stderr(contains("could replace this backup"));
    let private = db.dir.path().join("private");
    std::fs::create_dir(&private).unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o700)).unwrap();
    db.run(&["backup", s(&private.join("nightly.tnb"))])
        .success()
        .stderr("");
}
