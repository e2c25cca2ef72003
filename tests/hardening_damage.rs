//! Damaged databases after hardening: once any command found the database damaged, no later
//! command writes into it until a clean `check` (writes made then would be lost when the
//! operator restores); an unreadable sled `conf` and a counter that cannot grow are reported
//! as a damaged database in one line naming the path and `tenantry restore`.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Output;

use common::cli::CliDb;
use tenantry::store::{DAMAGE_FILE, Store, StoreOptions, TreeName, codec};

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

/// Replaces the first customer's stored value with bytes that do not decode.
fn corrupt_a_customer(db: &Path) {
    let raw = sled::open(db.join("sled")).unwrap();
    let customers = raw.open_tree("customers").unwrap();
    let (key, _) = customers.iter().next().unwrap().unwrap();
    customers.insert(key, vec![1, 2, 3]).unwrap();
    raw.flush().unwrap();
}

fn customer_count(db: &Path) -> usize {
    let raw = sled::open(db.join("sled")).unwrap();
    raw.open_tree("customers").unwrap().len()
}

#[test]
fn writing_into_a_database_found_damaged_is_refused_by_every_later_command() {
    let db = CliDb::init();
    db.run(&["customer", "add", "Acme"]).success();
    corrupt_a_customer(&db.path());
    let before = customer_count(&db.path());
    let list = db.output(&["customer", "list"]);
    assert_eq!(list.status.code(), Some(4), "{}", stderr(&list));

    let record = db.path().join(DAMAGE_FILE);
    let mode = std::fs::symlink_metadata(&record)
        .expect("the finding is recorded in the database directory")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    assert!(
        std::fs::read_to_string(&record)
            .unwrap()
            .contains("corrupt value in tree customers"),
        "the record says what was found"
    );

    for args in [
        &["customer", "add", "Written Anyway"][..],
        &[
            "staff",
            "add",
            "--email",
            "sam@example.com",
            "--first",
            "Sam",
            "--last",
            "Support",
            "--role",
            "operator",
        ],
        &["settings", "set", "trash.retention_days", "5"],
        &["log", "verify"],
    ] {
        let out = db.output(args);
        assert_damaged_line(&db.path(), &out, &format!("{args:?}"));
        assert!(stderr(&out).contains(DAMAGE_FILE), "{}", stderr(&out));
    }
    assert_eq!(customer_count(&db.path()), before, "nothing was written");
}

#[test]
fn a_check_that_finds_problems_records_them_and_a_clean_check_clears_the_record() {
    let db = CliDb::init();
    db.run(&["customer", "add", "Acme"]).success();
    let index = |put: bool| {
        let raw = sled::open(db.path().join("sled")).unwrap();
        let tree = raw.open_tree("customer_slug_to_id").unwrap();
        let kept = tree.get("acme").unwrap();
        if put {
            tree.insert(
                "acme",
                std::fs::read(db.dir.path().join("acme-id")).unwrap(),
            )
            .unwrap();
        } else {
            std::fs::write(db.dir.path().join("acme-id"), kept.unwrap()).unwrap();
            tree.remove("acme").unwrap();
        }
        raw.flush().unwrap();
    };
    index(false);
    let check = db.output(&["check"]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    assert!(
        stderr(&check).contains("1 problem found"),
        "{}",
        stderr(&check)
    );
    assert!(db.path().join(DAMAGE_FILE).exists());
    let add = db.output(&["customer", "add", "Beta"]);
    assert_damaged_line(&db.path(), &add, "add after a failed check");

    // The operator put the entry back by hand (tenantry never does): a clean check says so
    // and writing is allowed again.
    index(true);
    db.run(&["check"])
        .success()
        .stdout(predicates::str::contains("removed the record"));
    assert!(!db.path().join(DAMAGE_FILE).exists());
    db.run(&["customer", "add", "Beta"]).success();
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

/// Sets the stored id counter to its largest value: no tenantry writes that (it would take
/// 2^64 records), so it is damage, which a restore refuses and a write must report.
fn counter_at_its_maximum(db: &Path) {
    let raw = sled::open(db.join("sled")).unwrap();
    raw.open_tree("meta")
        .unwrap()
        .insert("next_id", codec::encode(&u64::MAX).unwrap())
        .unwrap();
    raw.flush().unwrap();
}

#[test]
fn a_counter_that_cannot_grow_is_one_line_naming_the_database() {
    let db = CliDb::init();
    counter_at_its_maximum(&db.path());
    let out = db.output(&["customer", "add", "Acme"]);
    assert_damaged_line(&db.path(), &out, "add with the counter at its maximum");
    assert!(stderr(&out).contains("cannot grow"), "{}", stderr(&out));
    let check = db.output(&["check"]);
    assert!(
        stderr(&check).contains("1 problem found"),
        "{}",
        stderr(&check)
    );
}

#[test]
fn a_restore_refusing_one_inconsistency_counts_it_in_the_singular() {
    let f = common::fixture();
    f.add("Acme");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("full.tnb");
    f.service.store().write_backup(&file, false, None).unwrap();
    let mut trees = tenantry::store::forge::backup_entries(&std::fs::read(&file).unwrap()).unwrap();
    let meta = &mut trees
        .iter_mut()
        .find(|(t, _)| *t == TreeName::Meta)
        .unwrap()
        .1;
    meta.retain(|(k, _)| k.as_slice() != b"next_id");
    meta.push((b"next_id".to_vec(), codec::encode(&u64::MAX).unwrap()));
    meta.sort();
    let forged = dir.path().join("forged.tnb");
    std::fs::write(&forged, tenantry::store::forge::forge_backup(&trees)).unwrap();
    let err = Store::restore_backup(
        &forged,
        &dir.path().join("restored"),
        &StoreOptions::default(),
        None,
    )
    .err()
    .expect("refused")
    .to_string();
    assert!(err.contains("1 inconsistency:"), "{err}");
    assert!(!err.contains("inconsistencies"), "{err}");
}
