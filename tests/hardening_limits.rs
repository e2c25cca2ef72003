//! Limits on what stored data and input files may cost or claim: counters a backup can lie
//! about, stored values `check` must decode, CSV headers and inputs without bounds, line
//! numbers of CR-only files, and sign-in failure entries.

mod common;

use std::path::{Path, PathBuf};

use tenantry::domain::Settings;
use tenantry::store::forge::{ForgedTrees, backup_entries, forge_backup};
use tenantry::store::{OpenMode, Store, StoreOptions, TreeName, codec};

/// A populated database's backup, read back into its entries.
fn backed_up() -> (tempfile::TempDir, ForgedTrees) {
    let f = common::fixture();
    f.add_owned("Acme", "ann@example.com");
    f.add("Beta");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("full.tnb");
    f.service.store().write_backup(&file, false).unwrap();
    let trees = backup_entries(&std::fs::read(&file).unwrap()).expect("a readable backup");
    (dir, trees)
}

fn entries(trees: &mut ForgedTrees, tree: TreeName) -> &mut Vec<(Vec<u8>, Vec<u8>)> {
    &mut trees.iter_mut().find(|(t, _)| *t == tree).unwrap().1
}

fn set(trees: &mut ForgedTrees, tree: TreeName, key: &[u8], value: Vec<u8>) {
    let items = entries(trees, tree);
    items.retain(|(k, _)| k != key);
    items.push((key.to_vec(), value));
    items.sort();
}

/// Restores the forged backup into a new directory; the error text, or `None` when accepted.
fn restore(dir: &Path, trees: &ForgedTrees) -> (Option<String>, PathBuf) {
    let file = dir.join("forged.tnb");
    std::fs::write(&file, forge_backup(trees)).unwrap();
    let target = dir.join("restored");
    let result = Store::restore_backup(&file, &target, &StoreOptions::default());
    (result.err().map(|e| e.to_string()), target)
}

#[test]
fn a_forged_backup_without_changes_restores() {
    let (dir, trees) = backed_up();
    let (err, _) = restore(dir.path(), &trees);
    assert_eq!(err, None, "the forge must write what restore accepts");
}

#[test]
fn restore_refuses_a_next_id_below_a_stored_id() {
    let (dir, mut trees) = backed_up();
    set(
        &mut trees,
        TreeName::Meta,
        b"next_id",
        codec::encode(&2u64).unwrap(),
    );
    let (err, target) = restore(dir.path(), &trees);
    let err = err.expect("refused");
    assert!(err.contains("id counter 2 is not above"), "{err}");
    assert!(!target.join("sled").exists(), "nothing is left behind");
}

#[test]
fn restore_refuses_a_next_id_at_its_maximum() {
    let (dir, mut trees) = backed_up();
    let max = codec::encode(&u64::MAX).unwrap();
    set(&mut trees, TreeName::Meta, b"next_id", max);
    let err = restore(dir.path(), &trees).0.expect("refused");
    assert!(err.contains("at its maximum"), "{err}");
}

#[test]
fn restore_refuses_a_next_import_id_below_an_import() {
    let f = common::fixture();
    let csv = f.dir.path().join("c.csv");
    std::fs::write(&csv, "Name\nGamma\n").unwrap();
    let options = tenantry::import::ImportOptions::default();
    tenantry::import::import_customers(&f.service, &f.owner, &csv, &options, &mut Quiet).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("full.tnb");
    f.service.store().write_backup(&file, false).unwrap();
    let mut trees = backup_entries(&std::fs::read(&file).unwrap()).unwrap();
    let one = codec::encode(&1u64).unwrap();
    set(&mut trees, TreeName::Meta, b"next_import_id", one);
    let err = restore(dir.path(), &trees).0.expect("refused");
    assert!(err.contains("import id counter 1 is not above"), "{err}");
}

#[test]
fn restore_refuses_an_audit_event_at_the_largest_sequence_without_panicking() {
    let (dir, mut trees) = backed_up();
    let audit = entries(&mut trees, TreeName::Audit);
    let (_, last) = audit.last().unwrap().clone();
    audit.push((u64::MAX.to_be_bytes().to_vec(), last));
    let err = restore(dir.path(), &trees).0.expect("refused");
    assert!(err.contains("audit chain breaks"), "{err}");
}

#[test]
fn restore_refuses_a_record_stored_under_another_id() {
    let (dir, mut trees) = backed_up();
    let customers = entries(&mut trees, TreeName::Customers);
    let (_, first) = customers[0].clone();
    customers.push((999u64.to_be_bytes().to_vec(), first));
    let err = restore(dir.path(), &trees).0.expect("refused");
    assert!(err.contains("the record says it is id"), "{err}");
}

#[test]
fn check_decodes_settings() {
    let (dir, mut trees) = backed_up();
    let mut bad = codec::encode(&Settings::default()).unwrap();
    bad.push(0); // trailing byte: the checksum no longer matches
    set(&mut trees, TreeName::Meta, b"settings", bad);
    let err = restore(dir.path(), &trees).0.expect("refused");
    assert!(err.contains("tree meta at key 73657474696e6773"), "{err}");
    let out_of_range = codec::encode(&Settings {
        trash_retention_days: 0,
    })
    .unwrap();
    set(&mut trees, TreeName::Meta, b"settings", out_of_range);
    let err = restore(dir.path(), &trees).0.expect("refused");
    assert!(err.contains("trash retention of 0 days"), "{err}");
}

#[test]
fn check_decodes_every_meta_key_and_every_tree_value() {
    let f = common::fixture();
    let path = f.dir.path().join("db");
    let dir = f.dir.clone();
    drop(f);
    {
        let db = sled::open(path.join("sled")).unwrap();
        let meta = db.open_tree("meta").unwrap();
        meta.insert("next_import_id", b"junk".as_slice()).unwrap();
        meta.insert("surprise", codec::encode(&1u64).unwrap())
            .unwrap();
        let failures = db.open_tree("sign_in_failures").unwrap();
        failures.insert("a@b.co", b"junk".as_slice()).unwrap();
        let trash = db.open_tree("trash_by_time").unwrap();
        trash.insert([0u8; 15], b"".as_slice()).unwrap();
        db.flush().unwrap();
    }
    let store = Store::open(&path, OpenMode::Existing, &StoreOptions::default()).unwrap();
    let problems = store.check_invariants().unwrap().join("\n");
    for expected in [
        "tree meta at key 6e6578745f696d706f72745f6964",
        "unknown meta key",
        "tree sign_in_failures at key 6140622e636f",
        "tree trash_by_time",
    ] {
        assert!(problems.contains(expected), "{expected} in:\n{problems}");
    }
    drop(store);
    drop(dir);
}

/// An observer that ignores every report.
struct Quiet;

impl tenantry::import::ImportObserver for Quiet {
    fn row(&mut self, _report: &tenantry::import::RowReport) {}
}
