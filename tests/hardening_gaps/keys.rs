//! Signing keys another user could replace: owned by them, or in a directory they may write.
//! As root we can hand a file to `nobody` with `chown`; ownership and modes are what is
//! checked, never access.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use predicates::str::contains;

use super::common::cli::CliDb;
use super::s;

fn nobody() -> Option<nix::unistd::Uid> {
    match nix::unistd::User::from_name("nobody").ok().flatten() {
        Some(u) if !nix::unistd::geteuid().is_root() => {
            println!("skipped: chown to {} needs root", u.name);
            None
        }
        Some(u) => Some(u.uid),
        None => {
            println!("skipped: this machine has no `nobody` account");
            None
        }
    }
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn keygen(db: &CliDb, dir: &Path) -> (PathBuf, PathBuf) {
    db.run(&["backup-keygen", s(dir)]).success();
    (
        dir.join("tenantry-backup.key"),
        dir.join("tenantry-backup.pub"),
    )
}

fn restore_with(db: &CliDb, file: &Path, target: &str, key: &Path) -> assert_cmd::assert::Assert {
    db.cmd()
        .args([
            "restore",
            s(file),
            "--db",
            s(&db.dir.path().join(target)),
            "--verify-with",
            s(key),
        ])
        .assert()
}

#[test]
fn keys_another_user_controls_are_refused() {
    let Some(nobody) = nobody() else { return };
    let db = CliDb::init();
    let (secret, public) = keygen(&db, &db.dir.path().join("keys"));
    let signed = db.dir.path().join("signed.tnb");
    db.run(&["backup", s(&signed), "--sign", s(&secret)])
        .success();
    restore_with(&db, &signed, "ok", &public).success();

    // A public key file owned by another user, even at 0644.
    let theirs = db.dir.path().join("their.pub");
    std::fs::copy(&public, &theirs).unwrap();
    chmod(&theirs, 0o644);
    nix::unistd::chown(&theirs, Some(nobody), None).unwrap();
    restore_with(&db, &signed, "a", &theirs)
        .code(1)
        .stderr(contains("their.pub"))
        .stderr(contains("another user could replace this public key file"));
    assert!(!db.dir.path().join("a").exists());

    // Our own key file in a directory everyone may write.
    let open = db.dir.path().join("open");
    std::fs::create_dir(&open).unwrap();
    chmod(&open, 0o777);
    std::fs::copy(&public, open.join("k.pub")).unwrap();
    chmod(&open.join("k.pub"), 0o644);
    restore_with(&db, &signed, "b", &open.join("k.pub"))
        .code(1)
        .stderr(contains("other users can write to"));
    // A link to a good key from such a directory is no better.
    std::os::unix::fs::symlink(&public, open.join("link.pub")).unwrap();
    restore_with(&db, &signed, "c", &open.join("link.pub"))
        .code(1)
        .stderr(contains("other users can write to"));
    // In a sticky directory only our own file's owner (us) can replace it: accepted.
    let sticky = db.dir.path().join("sticky");
    std::fs::create_dir(&sticky).unwrap();
    chmod(&sticky, 0o1777);
    std::fs::copy(&public, sticky.join("k.pub")).unwrap();
    chmod(&sticky.join("k.pub"), 0o644);
    restore_with(&db, &signed, "d", &sticky.join("k.pub")).success();

    // A secret key owned by another user, even at 0600.
    let their_secret = db.dir.path().join("their.key");
    std::fs::copy(&secret, &their_secret).unwrap();
    chmod(&their_secret, 0o600);
    nix::unistd::chown(&their_secret, Some(nobody), None).unwrap();
    db.run(&[
        "backup",
        s(&db.dir.path().join("x.tnb")),
        "--sign",
        s(&their_secret),
    ])
    .code(1)
    .stderr(contains("another user could replace this secret key file"));
    assert!(!db.dir.path().join("x.tnb").exists());
}

#[test]
fn keygen_refuses_a_directory_others_can_write() {
    let db = CliDb::init();
    let open = db.dir.path().join("open-keys");
    std::fs::create_dir(&open).unwrap();
    chmod(&open, 0o777);
    db.run(&["backup-keygen", s(&open)])
        .code(1)
        .stderr(contains("other users can write to"));
    assert_eq!(std::fs::read_dir(&open).unwrap().count(), 0);
    // A new private directory is fine.
    keygen(&db, &db.dir.path().join("private-keys"));
}

#[test]
fn a_key_file_that_is_a_fifo_is_refused_at_once() {
    let db = CliDb::init();
    let dir = db.dir.path().join("fifo-keys");
    std::fs::create_dir(&dir).unwrap();
    chmod(&dir, 0o700);
    let fifo = dir.join("k.pub");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o644)).unwrap();
    let file = db.dir.path().join("n.tnb");
    db.run(&["backup", s(&file)]).success();
    // Before the fix reading the key blocked for ever; the timeout kills it and the test fails.
    db.cmd()
        .args([
            "restore",
            s(&file),
            "--db",
            s(&db.dir.path().join("t")),
            "--verify-with",
            s(&fifo),
        ])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(1)
        .stderr(contains("is a named pipe (FIFO), not a key file"));
}
