//! Limits on what stored data and input files may cost or claim: counters a backup can lie
//! about, stored values `check` must decode, CSV headers and inputs without bounds, line
//! numbers of CR-only files, and sign-in failure entries.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

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
    f.service.store().write_backup(&file, false, None).unwrap();
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
    let result = Store::restore_backup(&file, &target, &StoreOptions::default(), None);
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
    tenantry::import::import_customers(&f.backend(), &csv, &options, &mut Quiet).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("full.tnb");
    f.service.store().write_backup(&file, false, None).unwrap();
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
        ..Settings::default()
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
        let db = common::raw_sled(&path);
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

/// Keeps the line of every row report.
#[derive(Default)]
struct Lines(Vec<u64>);

impl tenantry::import::ImportObserver for Lines {
    fn row(&mut self, report: &tenantry::import::RowReport) {
        self.0.push(report.line);
    }
}

fn dry_run() -> tenantry::import::ImportOptions {
    tenantry::import::ImportOptions {
        dry_run: true,
        ..Default::default()
    }
}

/// Dry-runs an import of `bytes`: the lines reported, or the error's text.
fn try_import(f: &common::Fixture, bytes: &[u8]) -> Result<(Vec<u64>, Vec<String>), String> {
    let path = f.dir.path().join("in.csv");
    std::fs::write(&path, bytes).unwrap();
    let mut lines = Lines::default();
    match tenantry::import::import_customers(&f.backend(), &path, &dry_run(), &mut lines) {
        Ok(summary) => Ok((lines.0, summary.warnings)),
        Err(tenantry::import::ImportError::Refused { warnings, .. }) => Ok((lines.0, warnings)),
        Err(e) => Err(e.to_string()),
    }
}

#[test]
fn csv_header_longer_than_the_limit_is_refused() {
    let f = common::fixture();
    let mut text = format!("Name,{}\nAcme,x\n", "c".repeat(100_000)).into_bytes();
    let err = try_import(&f, &text).unwrap_err();
    assert!(
        err.contains("line 1: the header is longer than 65536 bytes"),
        "{err}"
    );
    // After blank lines the header's own line is named.
    text.splice(0..0, b"\n\n".iter().copied());
    let err = try_import(&f, &text).unwrap_err();
    assert!(err.contains("line 3: the header is longer"), "{err}");
    // Just over the limit is over it, and just under is accepted.
    let over = format!("Name,{}\nAcme,x\n", "c".repeat(65_536 - 4));
    assert!(try_import(&f, over.as_bytes()).is_err());
    let under = format!("Name,{}\nAcme,x\n", "c".repeat(65_536 - 6));
    assert!(try_import(&f, under.as_bytes()).is_ok());
}

#[test]
fn csv_header_with_more_columns_than_the_limit_is_refused() {
    let f = common::fixture();
    let header = (0..200)
        .map(|i| format!("c{i}"))
        .collect::<Vec<_>>()
        .join(",");
    let err = try_import(&f, format!("Name,{header}\nAcme\n").as_bytes()).unwrap_err();
    assert!(
        err.contains("line 1: the header has 201 columns; at most 64 are allowed"),
        "{err}"
    );
}

#[test]
fn echoed_lists_of_columns_are_capped() {
    let f = common::fixture();
    let unknown = (0..40).map(|i| format!("col{i}")).collect::<Vec<_>>();
    let csv = format!("Name,{}\nAcme{}\n", unknown.join(","), ",".repeat(40));
    let (_, warnings) = try_import(&f, csv.as_bytes()).unwrap();
    let warning = warnings.join("\n");
    assert!(warning.contains("col9 … and 30 more"), "{warning}");
    assert!(!warning.contains("col10"), "{warning}");
    let long = "x".repeat(5000);
    let err = try_import(&f, format!("{long},Type\nAcme,corporate\n").as_bytes()).unwrap_err();
    assert!(err.contains("no Name column"), "{err}");
    assert!(err.len() < 200, "the echoed header is cut: {err}");
}

#[test]
fn a_record_longer_than_the_limit_is_refused_with_its_line() {
    let f = common::fixture();
    let csv = format!("Name\nAcme\n\"{}\"\nBeta\n", "a\n".repeat(2_500_000));
    let err = try_import(&f, csv.as_bytes()).unwrap_err();
    assert!(
        err.contains("line 3: a record is longer than 4194304 bytes"),
        "{err}"
    );
    // Just over the limit, inside the parser's read-ahead, is held to it exactly.
    let csv = format!("Name\nAcme\n{}\n", "b".repeat(4_194_304));
    let err = try_import(&f, csv.as_bytes()).unwrap_err();
    assert!(err.contains("line 3: a record is longer"), "{err}");
}

#[test]
fn cr_only_line_ends_number_every_line() {
    let f = common::fixture();
    let (lines, _) = try_import(&f, b"Name\rAcme\rBeta\r\rGamma\r").unwrap();
    assert_eq!(lines, vec![2, 3, 5]);
    let (lines, _) = try_import(&f, b"Name\r\nAcme\r\n\r\nBeta\nGamma\rDelta").unwrap();
    assert_eq!(lines, vec![2, 4, 5, 6]);
}

#[test]
fn importing_what_is_not_a_regular_file_is_refused_at_once() {
    let f = std::sync::Arc::new(common::fixture());
    for path in ["/dev/zero", "/dev/null"] {
        if !Path::new(path).exists() {
            println!("skipped {path}: this machine has no such device");
            continue;
        }
        let (send, recv) = std::sync::mpsc::channel();
        let fixture = f.clone();
        std::thread::spawn(move || {
            let result = tenantry::import::import_customers(
                &fixture.backend(),
                Path::new(path),
                &dry_run(),
                &mut Quiet,
            );
            let _ = send.send(result.err().map(|e| e.to_string()));
        });
        let err = recv
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("refused without reading forever")
            .expect("refused");
        assert!(err.contains("is not a regular file"), "{path}: {err}");
    }
}

#[test]
fn an_email_that_cannot_be_an_address_is_not_counted() {
    use tenantry::service::ServiceError;
    let f = common::fixture();
    let long = format!("{}@example.com", "a".repeat(128 * 1024));
    for email in [long.as_str(), "no at sign", "two@@example.com"] {
        for _ in 0..6 {
            let err = f.service.sign_in(email, "wrong password").unwrap_err();
            assert_eq!(err, ServiceError::BadCredentials, "{}", email.len());
        }
        let key = tenantry::domain::text::email_key(email);
        let stored = f.service.store().sign_in_failures(&key).unwrap();
        assert_eq!(stored, None, "nothing stored for {:.20}", email);
    }
    // An address of the right form is still counted, whether or not an account has it.
    for _ in 0..4 {
        assert_eq!(
            f.service
                .sign_in("nobody@example.com", "wrong")
                .unwrap_err(),
            ServiceError::BadCredentials
        );
    }
    assert!(matches!(
        f.service
            .sign_in("nobody@example.com", "wrong")
            .unwrap_err(),
        ServiceError::LockedOut { .. }
    ));
}

#[test]
fn expired_sign_in_failures_are_removed() {
    use tenantry::service::{MaintenanceCommand, Session};
    let f = common::fixture();
    let stored = |email: &str| f.service.store().sign_in_failures(email).unwrap();
    let _ = f.service.sign_in("early@example.com", "wrong");
    assert!(stored("early@example.com").is_some());
    f.clock.advance_millis(16 * 60 * 1000);
    // A later failure for another email removes a few expired entries as it goes.
    let _ = f.service.sign_in("late@example.com", "wrong");
    assert_eq!(stored("early@example.com"), None);
    assert!(stored("late@example.com").is_some());
    // A lockout keeps its entry until the lockout is over.
    for _ in 0..5 {
        let _ = f.service.sign_in("locked@example.com", "wrong");
    }
    f.clock.advance_millis(14 * 60 * 1000);
    f.service
        .execute(&Session::system(), MaintenanceCommand::PurgeExpired)
        .unwrap();
    assert!(stored("locked@example.com").is_some(), "still locked");
    f.clock.advance_millis(2 * 60 * 1000);
    f.service
        .execute(&Session::system(), MaintenanceCommand::PurgeExpired)
        .unwrap();
    assert_eq!(stored("locked@example.com"), None);
    assert_eq!(stored("late@example.com"), None);
}

/// One database for the decoder proptests below, made once: opening sled per case is slow.
fn shared() -> &'static common::Fixture {
    static FIXTURE: std::sync::OnceLock<common::Fixture> = std::sync::OnceLock::new();
    FIXTURE.get_or_init(common::fixture)
}

/// Keys and values for a forged backup: a few trees, short random entries.
fn forged_trees() -> impl proptest::strategy::Strategy<Value = ForgedTrees> {
    use proptest::prelude::*;
    let entry = (
        proptest::collection::vec(any::<u8>(), 0..20),
        proptest::collection::vec(any::<u8>(), 0..40),
    );
    let tree = (
        0..TreeName::ALL.len(),
        proptest::collection::vec(entry, 0..4),
    )
        .prop_map(|(i, items)| (TreeName::ALL[i], items));
    proptest::collection::vec(tree, 0..5)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]

    /// The backup reader on random bytes after a valid header, and on random entries inside
    /// a well-formed backup (correct checksums): refusals, never a panic or a leftover.
    #[test]
    fn the_backup_reader_refuses_random_input_without_panicking(
        tail in proptest::collection::vec(proptest::num::u8::ANY, 0..200),
        trees in forged_trees(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = tenantry::store::backup::MAGIC.to_vec();
        bytes.extend_from_slice(&tenantry::store::backup::FORMAT_VERSION.to_be_bytes());
        bytes.extend_from_slice(&tail);
        let file = dir.path().join("random.tnb");
        std::fs::write(&file, &bytes).unwrap();
        let target = dir.path().join("a");
        let result = Store::restore_backup(&file, &target, &StoreOptions::default(), None);
        proptest::prop_assert!(result.is_err());
        proptest::prop_assert!(!target.join("sled").exists());
        let (err, target) = restore(dir.path(), &trees);
        if err.is_some() {
            proptest::prop_assert!(!target.join("sled").exists());
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, ..Default::default() })]

    /// The CSV source on random bytes (a dry run, so nothing is written): every outcome is a
    /// report or a refusal, never a panic.
    #[test]
    fn the_csv_source_reads_random_bytes_without_panicking(
        body in proptest::collection::vec(
            proptest::sample::select(b"Name,\"\r\n;\tab\xc3\xa9\xff \x00".to_vec()), 0..120),
        named in proptest::bool::ANY,
    ) {
        let f = shared();
        let mut bytes = if named { b"Name,Slug\n".to_vec() } else { Vec::new() };
        bytes.extend_from_slice(&body);
        let path = f.dir.path().join(format!("random-{:?}.csv", std::thread::current().id()));
        std::fs::write(&path, &bytes).unwrap();
        let result = tenantry::import::import_customers(&f.backend(), &path, &dry_run(), &mut Quiet);
        if let Err(e) = result {
            proptest::prop_assert!(!e.to_string().is_empty());
        }
    }
}

#[test]
fn a_stored_import_count_at_its_maximum_saturates_instead_of_wrapping() {
    use tenantry::domain::import::ImportRecord;
    use tenantry::service::{
        FixedClock, ImportCommand, ImportStart, NewCustomer, Outcome, Service,
    };
    let f = common::fixture();
    let start = ImportStart {
        file_name: "c.csv".into(),
        sha256: "00".repeat(32),
        rows: 1,
    };
    let Ok(Outcome::Import(import)) = f.exec(ImportCommand::Start(start)) else {
        panic!("import started");
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("full.tnb");
    f.service.store().write_backup(&file, false, None).unwrap();
    let mut trees = backup_entries(&std::fs::read(&file).unwrap()).unwrap();
    let key = import.id.to_be_bytes();
    let (_, value) = entries(&mut trees, TreeName::Imports)[0].clone();
    let mut record: ImportRecord = codec::decode(&value).unwrap();
    record.created = u64::MAX;
    set(
        &mut trees,
        TreeName::Imports,
        &key,
        codec::encode(&record).unwrap(),
    );
    let (err, target) = restore(dir.path(), &trees);
    assert_eq!(err, None);
    let store = Store::open(&target, OpenMode::Existing, &StoreOptions::default()).unwrap();
    let service = Service::new(store, std::sync::Arc::new(FixedClock::new(common::START)));
    let owner = service
        .sign_in("owner@example.com", common::PASSWORD)
        .unwrap();
    let batch = ImportCommand::Customers {
        import_id: import.id,
        customers: vec![NewCustomer {
            name: "Zeta".into(),
            ..NewCustomer::default()
        }],
    };
    service.execute(&owner, batch).unwrap();
    let stored = service.store().import(import.id).unwrap().unwrap();
    assert_eq!(stored.created, u64::MAX);
}

#[test]
fn a_file_with_more_rows_than_the_limit_is_refused() {
    let f = common::fixture();
    let path = f.dir.path().join("rows.csv");
    std::fs::write(&path, "Name\nA\nB\n\nC\nD\n").unwrap();
    let options = tenantry::import::ImportOptions {
        max_rows: 3,
        ..dry_run()
    };
    let err = tenantry::import::import_customers(&f.backend(), &path, &options, &mut Quiet)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("line 6: the file has more than 3 rows"),
        "{err}"
    );
    assert_eq!(
        tenantry::import::ImportOptions::default().max_rows,
        2_000_000
    );
}
