//! Restoring arbitrary bytes as a backup file into a new directory: a refusal leaves nothing
//! behind, and nothing panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tenantry::store::{Store, StoreOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let file = dir.path().join("input.tnb");
    if std::fs::write(&file, data).is_err() {
        return;
    }
    let target = dir.path().join("restored");
    if Store::restore_backup(&file, &target, &StoreOptions::default(), None).is_err() {
        assert!(
            !target.join("sled").exists(),
            "a refused restore left its target behind"
        );
    }
});
