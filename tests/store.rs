//! The store against damage and concurrency: a second open, half-written snapshots, corrupt
//! values, tampered audit events, newer schemas, and backups.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;

use std::path::Path;

use tenantry::domain::AuditEvent;
use tenantry::store::{OpenMode, Store, StoreError, StoreOptions, codec};

fn open(path: &Path) -> Result<Store, StoreError> {
    Store::open(path, OpenMode::Existing, &StoreOptions::default())
}

/// Opens the sled data of a closed database directly, to damage it on purpose.
fn raw(path: &Path) -> sled::Db {
    common::raw_sled(path)
}

/// A database with a few customers and events, closed again.
fn populated() -> (std::sync::Arc<tempfile::TempDir>, std::path::PathBuf) {
    let f = common::fixture();
    f.add_owned("Acme", "ann@example.com");
    f.add("Beta");
    f.exec(tenantry::service::CustomerCommand::SoftDelete {
        slug: "beta".into(),
    })
    .unwrap();
    let path = f.dir.path().join("db");
    let dir = f.dir.clone();
    drop(f);
    (dir, path)
}

#[test]
fn a_second_open_names_the_holder_and_the_lock_goes_with_it() {
    let (_dir, path) = populated();
    let first = open(&path).unwrap();
    let Err(StoreError::InUse {
        pid, user, since, ..
    }) = open(&path)
    else {
        panic!("second open must fail with InUse");
    };
    assert_eq!(pid, std::process::id().to_string());
    assert_eq!(Some(user), tenantry::system::current_unix_user());
    assert!(!since.is_empty() && since != "unknown");
    drop(first);
    assert!(open(&path).is_ok());
}

#[test]
fn opening_a_missing_database_does_not_create_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nothing-here");
    assert!(matches!(open(&path), Err(StoreError::NoDatabase { .. })));
    assert!(!path.exists());
}

#[test]
fn the_database_directory_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, path) = populated();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700);
}

#[test]
fn an_unfinished_snapshot_is_moved_to_quarantine_before_opening() {
    let (_dir, path) = populated();
    let stray = path.join("sled").join("snap.00000000000ABCDE.generating");
    std::fs::write(&stray, b"half a snapshot").unwrap();
    let store = open(&path).unwrap();
    assert!(!stray.exists());
    let quarantined: Vec<_> = std::fs::read_dir(path.join("quarantine"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(quarantined.len(), 1);
    let name = quarantined[0].file_name().to_string_lossy().into_owned();
    assert!(
        name.starts_with("snap.00000000000ABCDE.generating."),
        "{name}"
    );
    assert!(store.check_invariants().unwrap().is_empty());
}

#[test]
fn a_newer_schema_is_refused_naming_both_versions() {
    let (_dir, path) = populated();
    {
        let db = raw(&path);
        let meta = db.open_tree("meta").unwrap();
        meta.insert("schema_version", codec::encode(&99u32).unwrap())
            .unwrap();
        db.flush().unwrap();
    }
    let err = open(&path).err().expect("must refuse");
    assert!(
        matches!(
            err,
            StoreError::TooNew {
                found: 99,
                supported: tenantry::store::SCHEMA_VERSION,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains(&format!(
        "schema version 99, newer than this tenantry's {}",
        tenantry::store::SCHEMA_VERSION
    )));
}

#[test]
fn corrupt_truncated_and_bit_flipped_values_are_errors_naming_tree_and_key() {
    let (_dir, path) = populated();
    let key = {
        let db = raw(&path);
        let customers = db.open_tree("customers").unwrap();
        let (key, value) = customers.iter().next().unwrap().unwrap();
        let mut flipped = value.to_vec();
        flipped[7] ^= 0x40;
        customers.insert(&key, flipped).unwrap();
        db.flush().unwrap();
        key.to_vec()
    };
    let store = open(&path).unwrap();
    let errors: Vec<StoreError> = store.customers().filter_map(Result::err).collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].to_string(),
        format!(
            "corrupt value in tree customers at key {}: checksum mismatch",
            hex::encode(&key)
        )
    );
    let problems = store.check_invariants().unwrap();
    assert!(
        problems.iter().any(|p| p.contains("checksum mismatch")),
        "{problems:?}"
    );
    drop(store);
    for damaged in [vec![], vec![1, 2], vec![9; 40], vec![0xFF; 2_000_000]] {
        {
            let db = raw(&path);
            db.open_tree("customers")
                .unwrap()
                .insert(&key, damaged)
                .unwrap();
            db.flush().unwrap();
        }
        let store = open(&path).unwrap();
        assert_eq!(store.customers().filter(Result::is_err).count(), 1);
    }
}

#[test]
fn log_verify_finds_the_first_tampered_or_undecodable_event_and_reads_on() {
    let (_dir, path) = populated();
    {
        let db = raw(&path);
        let audit = db.open_tree("audit").unwrap();
        let key = 2u64.to_be_bytes();
        let mut event: AuditEvent = codec::decode(&audit.get(key).unwrap().unwrap()).unwrap();
        event.summary = "nothing to see here".into();
        audit.insert(key, codec::encode(&event).unwrap()).unwrap();
        audit
            .insert(4u64.to_be_bytes(), vec![1, 0, 0, 0, 0, 7])
            .unwrap();
        db.flush().unwrap();
    }
    let store = open(&path).unwrap();
    let report = store.verify_chain().unwrap();
    assert_eq!(report.events, store.audit_count() as u64);
    let first = report.first_break.expect("a break");
    assert_eq!(first.seq, 2);
    assert_eq!(first.reason, "content does not match its hash");
}

#[test]
fn a_removed_event_breaks_the_chain() {
    let (_dir, path) = populated();
    {
        let db = raw(&path);
        db.open_tree("audit")
            .unwrap()
            .remove(3u64.to_be_bytes())
            .unwrap();
        db.flush().unwrap();
    }
    let report = open(&path).unwrap().verify_chain().unwrap();
    assert_eq!(report.first_break.unwrap().seq, 3);
}

#[test]
fn backup_then_restore_gives_the_same_data_and_a_verified_chain() {
    let (dir, path) = populated();
    let file = dir.path().join("backup.tnb");
    let store = open(&path).unwrap();
    let summary = store.write_backup(&file, false, None).unwrap();
    assert!(summary.entries > 10);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(
        store.write_backup(&file, false, None).is_err(),
        "must not overwrite without force"
    );
    let target = dir.path().join("restored");
    let (restored, restored_summary) =
        Store::restore_backup(&file, &target, &StoreOptions::default(), None).unwrap();
    assert_eq!(restored_summary.entries, summary.entries);
    assert_eq!(snapshot(&store), snapshot(&restored));
    assert!(restored.check_invariants().unwrap().is_empty());
    // Into a non-empty path: refused, and the path is left as it was.
    drop(restored);
    let err = Store::restore_backup(&file, &target, &StoreOptions::default(), None)
        .err()
        .unwrap();
    assert!(err.to_string().contains("not empty"), "{err}");
}

/// Every customer, user and audit event as decoded values, for comparing two stores.
fn snapshot(
    store: &Store,
) -> (
    Vec<tenantry::domain::Customer>,
    Vec<tenantry::domain::User>,
    Vec<AuditEvent>,
) {
    (
        store.customers().map(Result::unwrap).collect(),
        store.users().map(Result::unwrap).collect(),
        store.audit_newest_first().map(Result::unwrap).collect(),
    )
}

#[test]
fn damaged_backups_are_refused_and_leave_nothing_behind() {
    let (dir, path) = populated();
    let file = dir.path().join("backup.tnb");
    open(&path)
        .unwrap()
        .write_backup(&file, false, None)
        .unwrap();
    let good = std::fs::read(&file).unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", good[..good.len() / 2].to_vec()),
        ("bit flip", {
            let mut b = good.clone();
            let i = b.len() / 3;
            b[i] ^= 1;
            b
        }),
        ("no end", good[..good.len() - 49].to_vec()),
        (
            "not a backup",
            b"hello world, this is not a backup".to_vec(),
        ),
    ];
    for (what, bytes) in cases {
        let damaged = dir.path().join(format!("{what}.tnb"));
        std::fs::write(&damaged, bytes).unwrap();
        let target = dir
            .path()
            .join(format!("restore-{}", what.replace(' ', "-")));
        let err = Store::restore_backup(&damaged, &target, &StoreOptions::default(), None).err();
        assert!(err.is_some(), "{what} must be refused");
        assert!(!target.exists(), "{what} left a directory behind");
    }
}

/// sled releases its own file lock a little after its last handle is dropped (its background
/// threads finish first). An open that holds tenantry's process lock waits for that moment
/// instead of failing, so a console reopening after its idle lock, or a check right after a
/// command in the same process, never reports the database as unreadable.
#[test]
fn an_open_waits_for_the_sled_lock_its_own_process_is_releasing() {
    let (_dir, path) = populated();
    let lingering = raw(&path);
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        drop(lingering);
    });
    let store = open(&path).expect("opens once the lingering handle is gone");
    assert!(store.verify_chain().unwrap().first_break.is_none());
    release.join().unwrap();
}
