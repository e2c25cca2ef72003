//! The database directory and the log file are private whatever existed before, and never
//! reached through a symbolic link.

use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;

use predicates::str::contains;

use super::common::cli::CliDb;
use super::mode;

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Every directory under `dir` (itself included) and every file, with its mode; links skipped.
fn modes_under(dir: &Path, out: &mut Vec<(String, bool, u32)>) {
    out.push((dir.display().to_string(), true, mode(dir)));
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            modes_under(&entry.path(), out);
        } else if kind.is_file() {
            out.push((
                entry.path().display().to_string(),
                false,
                mode(&entry.path()),
            ));
        }
    }
}

fn widen(dir: &Path) {
    let mut all = Vec::new();
    modes_under(dir, &mut all);
    for (path, is_dir, _) in all {
        chmod(Path::new(&path), if is_dir { 0o755 } else { 0o644 });
    }
}

fn assert_private(dir: &Path) {
    let mut all = Vec::new();
    modes_under(dir, &mut all);
    assert!(all.len() > 3, "{all:?}");
    for (path, is_dir, mode) in all {
        let wanted = if is_dir { 0o700 } else { 0o600 };
        assert_eq!(mode, wanted, "{path} is {mode:04o}");
    }
}

#[test]
fn an_existing_database_directory_and_everything_in_it_is_made_private() {
    let db = CliDb::init();
    widen(&db.path());
    db.run(&["customer", "list"]).success();
    assert_private(&db.path());
    // `init` into a directory that already exists with a wide mode.
    let fresh = CliDb::empty();
    std::fs::create_dir(fresh.path()).unwrap();
    chmod(&fresh.path(), 0o755);
    fresh
        .cmd()
        .env("TENANTRY_PASSWORD", super::common::PASSWORD)
        .args([
            "init",
            "--company",
            "Example Hosting",
            "--admin-email",
            "ops@example.com",
        ])
        .args(["--admin-first", "Olga", "--admin-last", "Ops"])
        .assert()
        .success();
    assert_private(&fresh.path());
}

#[test]
fn a_database_directory_other_users_can_write_is_refused() {
    let fresh = CliDb::empty();
    std::fs::create_dir(fresh.path()).unwrap();
    chmod(&fresh.path(), 0o777);
    fresh
        .cmd()
        .env("TENANTRY_PASSWORD", super::common::PASSWORD)
        .args([
            "init",
            "--company",
            "Example Hosting",
            "--admin-email",
            "ops@example.com",
        ])
        .args(["--admin-first", "Olga", "--admin-last", "Ops"])
        .assert()
        .code(1)
        .stderr(contains(
            "other users can write to the database directory (mode 0777)",
        ));
    assert_eq!(std::fs::read_dir(fresh.path()).unwrap().count(), 0);
    let db = CliDb::init();
    chmod(&db.path(), 0o770);
    db.run(&["customer", "list"])
        .code(1)
        .stderr(contains("(mode 0770)"));
}

#[test]
fn the_log_file_is_never_opened_through_a_symbolic_link() {
    let db = CliDb::init();
    let log_dir = db.dir.path().join("log");
    let log = log_dir.join("tenantry.log");
    std::fs::remove_file(&log).unwrap();
    let victim = db.dir.path().join("victim");
    std::fs::write(&victim, "").unwrap();
    symlink(&victim, &log).unwrap();
    // A failing command always writes a warning to the log.
    db.run(&["customer", "show", "nope"])
        .code(1)
        .stderr(contains("not logging"))
        .stderr(contains("symbolic link"));
    assert_eq!(
        std::fs::read(&victim).unwrap(),
        b"",
        "wrote through the link"
    );
}

#[test]
fn the_log_file_is_made_private_and_a_shared_log_directory_refused() {
    let db = CliDb::init();
    let log_dir = db.dir.path().join("log");
    let log = log_dir.join("tenantry.log");
    chmod(&log, 0o644);
    let before = std::fs::read(&log).unwrap();
    db.run(&["customer", "show", "nope"]).code(1);
    assert_eq!(mode(&log), 0o600);
    let after = std::fs::read(&log).unwrap();
    assert!(after.starts_with(&before) && after.len() > before.len());
    // A directory others can write (like /tmp) is neither used nor changed.
    chmod(&log_dir, 0o777);
    db.run(&["customer", "show", "nope"])
        .code(1)
        .stderr(contains(
            "not logging: other users can write to the log directory",
        ));
    assert_eq!(mode(&log_dir), 0o777);
    assert_eq!(
        std::fs::read(&log).unwrap(),
        after,
        "logged into a shared directory"
    );
}

#[test]
fn init_over_a_directory_with_other_files_changes_only_its_own() {
    let fresh = CliDb::empty();
    std::fs::create_dir(fresh.path()).unwrap();
    let script = fresh.path().join("notes.sh");
    std::fs::write(&script, "#!/bin/sh\n").unwrap();
    chmod(&script, 0o755);
    fresh
        .cmd()
        .env("TENANTRY_PASSWORD", super::common::PASSWORD)
        .args([
            "init",
            "--company",
            "Example Hosting",
            "--admin-email",
            "ops@example.com",
        ])
        .args(["--admin-first", "Olga", "--admin-last", "Ops"])
        .assert()
        .success();
    assert_eq!(mode(&fresh.path()), 0o700);
    assert_eq!(
        mode(&script),
        0o755,
        "a file tenantry does not own was changed"
    );
    assert_private(&fresh.path().join("sled"));
}

#[test]
fn the_lock_file_is_never_written_through_a_symbolic_link() {
    let db = CliDb::init();
    let lock = db.path().join("tenantry.lock");
    std::fs::remove_file(&lock).unwrap();
    let victim = db.dir.path().join("victim");
    std::fs::write(&victim, "").unwrap();
    symlink(&victim, &lock).unwrap();
    db.run(&["customer", "list"])
        .code(1)
        .stderr(contains("the lock file is a symbolic link"));
    assert_eq!(
        std::fs::read(&victim).unwrap(),
        b"",
        "wrote through the link"
    );
}
