//! Stored text a crafted backup can plant (its checksums can be recomputed): `check`, which
//! every restore runs, reports control, bidi and zero-width characters in stored names, and
//! the JSON and CSV writers never emit a C0 or C1 control raw even when one is stored.

use predicates::str::contains;
use tenantry::domain::Customer;
use tenantry::store::TreeName;
use tenantry::store::codec::{decode, encode};
use tenantry::store::forge::{backup_entries, forge_backup};

use super::common::cli::CliDb;
use super::{backup_of, restore_bytes};

/// CSI (as C1 U+009B and as ESC `[`) and BEL: a screen clear and a bell on a terminal.
const PLANTED: &str = "Ac\u{9b}2Jme\u{1b}[2J\u{7}";

/// `value` (an encoded customer) with its name replaced by [`PLANTED`].
fn with_planted_name(value: &[u8]) -> Vec<u8> {
    let mut customer: Customer = decode(value).unwrap();
    customer.name = PLANTED.into();
    encode(&customer).unwrap()
}

/// A database holding the customer "Acme", and Acme's slug.
fn with_acme() -> (CliDb, String) {
    let db = CliDb::init();
    let slug = db.stdout(&["customer", "add", "Acme"]).trim().to_owned();
    (db, slug)
}

fn is_acme(value: &[u8]) -> bool {
    decode::<Customer>(value).is_ok_and(|c| c.name == "Acme")
}

#[test]
fn restore_refuses_stored_names_with_control_characters() {
    let (db, _) = with_acme();
    let bytes = std::fs::read(backup_of(&db, "good.tnb")).unwrap();
    let mut trees = backup_entries(&bytes).unwrap();
    let (_, customers) = trees
        .iter_mut()
        .find(|(t, _)| *t == TreeName::Customers)
        .unwrap();
    let (_, value) = customers.iter_mut().find(|(_, v)| is_acme(v)).unwrap();
    *value = with_planted_name(value);
    let (assert, target) = restore_bytes(&db, "planted", &forge_backup(&trees));
    assert.code(1).stderr(contains(
        "name with a control, bidi or zero-width character (U+009B)",
    ));
    assert!(!target.exists());
}

/// Plants [`PLANTED`] as Acme's name directly in the closed database's customers tree.
fn plant_in_place(db: &CliDb) {
    let sled = super::common::raw_sled(&db.path());
    let tree = sled.open_tree(TreeName::Customers.as_str()).unwrap();
    let (key, value) = tree
        .iter()
        .map(Result::unwrap)
        .find(|(_, v)| is_acme(v))
        .unwrap();
    tree.insert(key, with_planted_name(&value)).unwrap();
    sled.flush().unwrap();
}

/// Controls in `out` other than line ends: what a terminal would obey.
fn raw_controls(out: &[u8]) -> Vec<char> {
    String::from_utf8_lossy(out)
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r'))
        .collect()
}

#[test]
fn json_and_csv_writers_never_emit_raw_controls_from_stored_text() {
    let (db, slug) = with_acme();
    plant_in_place(&db);
    let check = db.output(&["check"]);
    assert_eq!(check.status.code(), Some(1));
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(report.contains("U+009B"), "{report}");
    assert_eq!(raw_controls(&check.stdout), Vec::<char>::new(), "{report}");
    for args in [
        vec!["customer", "list", "--format", "json"],
        vec!["customer", "list", "--format", "csv"],
        vec!["customer", "show", &slug, "--format", "json"],
        vec!["export", "customers", "--format", "json"],
        vec!["export", "customers", "--format", "csv"],
    ] {
        let out = db.output(&args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(raw_controls(&out.stdout), Vec::<char>::new(), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        // The value is still there, escaped, not dropped.
        assert!(
            text.contains("\\u009b") || text.contains("<U+009B>"),
            "{args:?}: {text}"
        );
    }
}

/// Every `.rs` file under `dir`.
fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn json_is_written_only_through_the_escaping_writer() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let offenders: Vec<String> = files
        .iter()
        .filter(|f| !f.ends_with("json.rs"))
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            text.contains("serde_json::to_writer") || text.contains("serde_json::to_string")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "write JSON with tenantry::json (C1 controls escaped), not serde_json directly: {offenders:?}"
    );
}
