//! Restoring arbitrary *content* in a well-formed backup: the input is read as a backup's
//! layout without checking any checksum, then written again with correct record CRCs, entry
//! count and digest, so mutated keys and values get past the checksums and reach the checks
//! restore runs after loading (counters, shapes, indexes, audit chain).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tenantry::domain::{CustomerId, UserId};
use tenantry::store::forge::{backup_entries, forge_backup};
use tenantry::store::{Store, StoreError, StoreOptions, Tx};

fuzz_target!(|data: &[u8]| {
    let Some(trees) = backup_entries(data) else {
        return;
    };
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let file = dir.path().join("forged.tnb");
    if std::fs::write(&file, forge_backup(&trees)).is_err() {
        return;
    }
    let target = dir.path().join("restored");
    match Store::restore_backup(&file, &target, &StoreOptions::default(), None) {
        // Whatever restore accepts must pass the full check again.
        Ok((store, _)) => {
            let problems = store.check_invariants().expect("check runs");
            assert!(
                problems.is_empty(),
                "restore accepted an inconsistent database: {problems:?}"
            );
            // The counters it accepted hand out ids nobody has (never a wrap onto a record).
            let next =
                store.transact(|tx: &Tx<'_, StoreError>| Ok((tx.next_id()?, tx.next_import_id()?)));
            if let Ok((id, import)) = next {
                assert!(
                    store.customer(CustomerId(id)).expect("read").is_none(),
                    "id {id} in use"
                );
                assert!(
                    store.user(UserId(id)).expect("read").is_none(),
                    "id {id} in use"
                );
                assert!(
                    store.import(import).expect("read").is_none(),
                    "import {import} in use"
                );
            }
        }
        Err(_) => assert!(
            !target.join("sled").exists(),
            "a refused restore left its target behind"
        ),
    }
});
