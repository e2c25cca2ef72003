//! A dry-run import of arbitrary bytes against one database made once: every outcome is a
//! report or a refusal, never a panic, and a dry run writes nothing.
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use tenantry::domain::Timestamp;
use tenantry::import::{ImportObserver, ImportOptions, RowReport, import_customers};
use tenantry::service::{FixedClock, InitRequest, Service, Session};
use tenantry::store::{OpenMode, Store, StoreOptions};

struct Db {
    dir: tempfile::TempDir,
    service: Service,
    owner: Session,
}

fn db() -> &'static Db {
    static DB: OnceLock<Db> = OnceLock::new();
    DB.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(
            &dir.path().join("db"),
            OpenMode::CreateIfMissing,
            &StoreOptions::default(),
        )
        .expect("open");
        let clock = Arc::new(FixedClock::new(Timestamp(1_767_225_600_000)));
        let service = Service::new(store, clock);
        let owner = service
            .init(&InitRequest {
                company: "Example Hosting".into(),
                email: "owner@example.com".into(),
                first_name: "Olga".into(),
                last_name: "Owner".into(),
                password: "correct horse battery".into(),
                unix_user: None,
            })
            .expect("init");
        Db {
            dir,
            service,
            owner,
        }
    })
}

struct Quiet;

impl ImportObserver for Quiet {
    fn row(&mut self, _report: &RowReport) {}
}

fuzz_target!(|data: &[u8]| {
    let db = db();
    let path = db.dir.path().join("input.csv");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let options = ImportOptions {
        dry_run: true,
        ..ImportOptions::default()
    };
    let _ = import_customers(&db.service, &db.owner, &path, &options, &mut Quiet);
});
