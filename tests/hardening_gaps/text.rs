//! Stored text a crafted backup can plant (its checksums can be recomputed): `check`, which
//! every restore runs, reports control, bidi and zero-width characters in stored names.

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
