//! Crash safety (R1, R2): a writer process is killed with SIGKILL at random moments; every
//! change it acknowledged must be there afterwards and the invariants must hold. The child
//! processes are this test binary itself, re-run with an environment variable that turns one
//! of the `*_child` tests into a worker.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tenantry::service::{Command as Cmd, CustomerQuery, InitRequest, NewCustomer, Service};
use tenantry::store::{OpenMode, StoreOptions};

const CHILD_DB: &str = "TENANTRY_CRASH_CHILD_DB";

fn spawn_child(test: &str, db: &Path) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(CHILD_DB, db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// A small deterministic sequence of delays, so a failure can be reproduced.
fn delays(count: usize, max_ms: u64) -> impl Iterator<Item = Duration> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    (0..count).map(move |_| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        Duration::from_millis(state % max_ms)
    })
}

fn init(db: &Path) {
    let service = Service::open(db, OpenMode::CreateIfMissing, &StoreOptions::default()).unwrap();
    service
        .init(&InitRequest {
            company: "Crash Test Hosting".into(),
            email: "owner@example.com".into(),
            first_name: "Olga".into(),
            last_name: "Owner".into(),
            password: "correct horse battery".into(),
            unix_user: Some("crash-owner".into()),
        })
        .unwrap();
}

/// Worker: adds customers (and trashes every third) forever, printing each slug only after
/// the service reported the change done.
#[test]
fn writer_child() {
    let Some(db) = std::env::var_os(CHILD_DB) else {
        return;
    };
    let service =
        Service::open(Path::new(&db), OpenMode::Existing, &StoreOptions::default()).unwrap();
    let session = service
        .session_for_unix_user("crash-owner")
        .unwrap()
        .unwrap();
    let mut out = std::io::stdout();
    for i in 0u64.. {
        let name = format!("crash {}-{i}", std::process::id());
        let row = service
            .execute(
                &session,
                Cmd::AddCustomer(NewCustomer {
                    name,
                    ..Default::default()
                }),
            )
            .unwrap();
        let tenantry::service::Outcome::Customer(row) = row else {
            unreachable!()
        };
        writeln!(out, "ack add {}", row.slug).unwrap();
        if i % 3 == 0 {
            service
                .execute(
                    &session,
                    Cmd::SoftDeleteCustomer {
                        slug: row.slug.clone(),
                    },
                )
                .unwrap();
            writeln!(out, "ack delete {}", row.slug).unwrap();
        }
        out.flush().unwrap();
    }
}

/// Worker: opens and closes the database forever.
#[test]
fn opener_child() {
    let Some(db) = std::env::var_os(CHILD_DB) else {
        return;
    };
    loop {
        let service =
            Service::open(Path::new(&db), OpenMode::Existing, &StoreOptions::default()).unwrap();
        drop(service);
    }
}

#[test]
fn every_acknowledged_change_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    init(&db);
    let mut added = Vec::new();
    let mut deleted = Vec::new();
    for delay in delays(8, 600).map(|d| d + Duration::from_millis(150)) {
        let mut child = spawn_child("writer_child", &db);
        let stdout = child.stdout.take().unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let reader = {
            let lines = lines.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    lines.lock().unwrap().push(line);
                }
            })
        };
        std::thread::sleep(delay);
        child.kill().unwrap();
        child.wait().unwrap();
        reader.join().unwrap();
        for line in lines.lock().unwrap().iter() {
            if let Some(slug) = line.strip_prefix("ack add ") {
                added.push(slug.to_owned());
            } else if let Some(slug) = line.strip_prefix("ack delete ") {
                deleted.push(slug.to_owned());
            }
        }
    }
    assert!(
        added.len() > 8,
        "the writer acknowledged too little to prove anything: {}",
        added.len()
    );
    let service = Service::open(&db, OpenMode::Existing, &StoreOptions::default()).unwrap();
    let session = service
        .session_for_unix_user("crash-owner")
        .unwrap()
        .unwrap();
    let slugs = |trash| -> Vec<String> {
        service
            .list_customers(
                &session,
                &CustomerQuery {
                    trash,
                    ..Default::default()
                },
            )
            .unwrap()
            .map(|r| r.unwrap().slug)
            .collect()
    };
    let (live, trash) = (slugs(false), slugs(true));
    for slug in &added {
        assert!(
            live.contains(slug) || trash.contains(slug),
            "acknowledged {slug} is missing"
        );
    }
    for slug in &deleted {
        assert!(
            trash.contains(slug),
            "acknowledged delete of {slug} is missing"
        );
    }
    let problems = service.store().check_invariants().unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn killing_during_open_never_stops_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    init(&db);
    for delay in delays(25, 250) {
        let mut child = spawn_child("opener_child", &db);
        std::thread::sleep(delay);
        child.kill().unwrap();
        child.wait().unwrap();
    }
    let service = Service::open(&db, OpenMode::Existing, &StoreOptions::default()).unwrap();
    assert!(service.is_initialised().unwrap());
    assert!(service.store().check_invariants().unwrap().is_empty());
}
