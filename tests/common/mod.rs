//! Shared set-up for integration tests: a fresh database with a fixed clock and a signed-in
//! owner, and the invariant check every test runs after changing data.
#![allow(dead_code)]

pub mod cli;
pub mod screen;
pub mod server;
pub mod users;

use std::sync::Arc;

use tenantry::domain::{CustomerKind, CustomerStatus, Timestamp};
use tenantry::service::{
    Command, CustomerCommand, FixedClock, InitRequest, NewCustomer, NewStaff, Outcome, OwnerSpec,
    Service, Session, StaffCommand,
};
use tenantry::store::{OpenMode, Store, StoreOptions};

pub const PASSWORD: &str = "correct horse battery";
/// 2026-01-01T00:00:00Z
pub const START: Timestamp = Timestamp(1_767_225_600_000);

pub struct Fixture {
    pub dir: Arc<tempfile::TempDir>,
    pub service: Arc<Service>,
    pub clock: Arc<FixedClock>,
    pub owner: Session,
}

pub fn fixture() -> Fixture {
    fixture_with(|service, _| service)
}

/// A fixture whose messages are handed to `command` (a sendmail-compatible program).
pub fn fixture_with_mail(command: Vec<String>) -> Fixture {
    fixture_with(|service, db| {
        let mut mail = tenantry::mail::MailSetup::beside(db);
        mail.command = Some(command);
        service.with_mail(mail)
    })
}

fn fixture_with(setup: impl FnOnce(Service, &std::path::Path) -> Service) -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = Arc::new(FixedClock::new(START));
    let store = Store::open(
        &dir.path().join("db"),
        OpenMode::CreateIfMissing,
        &StoreOptions::default(),
    )
    .expect("open store");
    // The fixture's staff link Unix accounts this machine does not have ("olga", "ann").
    let service = setup(
        Service::new(store, clock.clone()).with_unix_accounts(|_| true),
        &dir.path().join("db"),
    );
    let owner = service
        .init(&InitRequest {
            company: "Example Hosting".into(),
            email: "owner@example.com".into(),
            first_name: "Olga".into(),
            last_name: "Owner".into(),
            password: PASSWORD.into(),
            unix_user: Some("olga".into()),
        })
        .expect("init");
    Fixture {
        dir: Arc::new(dir),
        service: Arc::new(service),
        clock,
        owner,
    }
}

impl Fixture {
    /// The in-process backend signed in as the owner, as the front ends reach the service.
    pub fn backend(&self) -> tenantry::backend::Local {
        tenantry::backend::Local::signed_in(self.service.clone(), self.owner.clone())
    }

    /// An active customer (see `add_with`).
    pub fn add(&self, name: &str) -> String {
        self.add_with(NewCustomer {
            name: name.into(),
            ..NewCustomer::default()
        })
    }

    /// Adds a customer, active unless `new` names a status: most tests are about what
    /// follows activation (the service's own default, pending, is tested on its own).
    pub fn add_with(&self, mut new: NewCustomer) -> String {
        new.status = new.status.or(Some(CustomerStatus::Active));
        match self.service.execute(&self.owner, CustomerCommand::Add(new)) {
            Ok(Outcome::Customer(row)) => row.slug,
            other => panic!("add failed: {other:?}"),
        }
    }

    pub fn add_owned(&self, name: &str, email: &str) -> String {
        self.add_with(NewCustomer {
            name: name.into(),
            kind: CustomerKind::Individual,
            owner: Some(OwnerSpec {
                email: email.into(),
                first_name: Some("Ann".into()),
                last_name: Some("Lee".into()),
                password: None,
            }),
            ..NewCustomer::default()
        })
    }

    /// An active corporate customer whose owner `email` (Ann Admin) has the password
    /// [`PASSWORD`], so they can sign in.
    pub fn add_with_owner(&self, name: &str, email: &str) -> String {
        self.add_with(NewCustomer {
            name: name.into(),
            owner: Some(OwnerSpec {
                email: email.into(),
                first_name: Some("Ann".into()),
                last_name: Some("Admin".into()),
                password: Some(PASSWORD.into()),
            }),
            ..NewCustomer::default()
        })
    }

    /// Adds a staff member with a password and returns their signed-in session.
    pub fn staff(&self, email: &str, role: tenantry::domain::StaffRole) -> Session {
        self.service
            .execute(
                &self.owner,
                StaffCommand::Add(NewStaff {
                    email: email.into(),
                    first_name: "Sam".into(),
                    last_name: "Staff".into(),
                    role,
                    unix_user: None,
                    password: Some(PASSWORD.into()),
                }),
            )
            .expect("add staff");
        self.service.sign_in(email, PASSWORD).expect("sign in")
    }

    pub fn exec(
        &self,
        command: impl Into<Command>,
    ) -> Result<Outcome, tenantry::service::ServiceError> {
        self.service.execute(&self.owner, command)
    }

    pub fn slugs(&self, trash: bool) -> Vec<String> {
        let query = tenantry::service::CustomerQuery {
            trash,
            ..Default::default()
        };
        self.service
            .list_customers(&self.owner, &query)
            .expect("list")
            .map(|r| r.expect("row").slug)
            .collect()
    }

    /// Every index entry points at a live record and back; the audit chain verifies.
    pub fn assert_consistent(&self) {
        let problems = self.service.store().check_invariants().expect("check");
        assert!(problems.is_empty(), "invariants broken: {problems:#?}");
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            self.assert_consistent();
        }
    }
}

/// Opens the sled data of a closed database directory (`db_dir/sled`) directly, to read or
/// damage it on purpose. sled releases its file lock a moment after the last handle of the
/// store that just closed it is dropped, so this waits up to two seconds for it, as
/// `Store::open` does; and, as it does, it first sets aside a snapshot a killed process left
/// half written (R2), which sled would otherwise read as corrupt.
pub fn raw_sled(db_dir: &std::path::Path) -> sled::Db {
    tenantry::store::quarantine_generating_snapshots(db_dir).expect("quarantine snapshots");
    let started = std::time::Instant::now();
    loop {
        match sled::open(db_dir.join("sled")) {
            Ok(db) => return db,
            Err(sled::Error::Io(e))
                if e.to_string().starts_with("could not acquire lock")
                    && started.elapsed() < std::time::Duration::from_secs(2) =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(e) => panic!("opening {}: {e}", db_dir.display()),
        }
    }
}

/// Copies a closed database directory (or any tree of plain files) from `from` to `to`, so a
/// test can damage a copy and keep the original.
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
