//! Crash safety (R1, R2): a writer process is killed with SIGKILL at random moments; every
//! change it acknowledged must be there afterwards and the invariants must hold.
//!
//! This test target has no libtest harness (`harness = false` in `Cargo.toml`, decision D60):
//! its `main` is either a worker, when started by one of the tests below with
//! `TENANTRY_CRASH_CHILD` naming the role, or the runner of those tests. So a worker is never a
//! test of its own that passes by doing nothing, and needs no separate build step. Without
//! `--test` this file is not `cfg(test)`, so it returns errors instead of unwrapping them.

use std::error::Error;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tenantry::service::{CustomerCommand as Cmd, CustomerQuery, InitRequest, NewCustomer, Service};
use tenantry::store::{OpenMode, StoreOptions};

/// The worker a child process is: `writer` or `opener`.
const CHILD_ROLE: &str = "TENANTRY_CRASH_CHILD";
/// The database the child works on.
const CHILD_DB: &str = "TENANTRY_CRASH_CHILD_DB";
const SIGKILL: i32 = 9;

type Outcome<T = ()> = Result<T, Box<dyn Error>>;
/// A test: its name and its function.
type Test = (&'static str, fn() -> Outcome);

/// The tests this binary runs.
const TESTS: [Test; 2] = [
    (
        "every_acknowledged_change_survives_sigkill",
        every_acknowledged_change_survives_sigkill,
    ),
    (
        "killing_during_open_never_stops_the_next_open",
        killing_during_open_never_stops_the_next_open,
    ),
];

fn main() -> ExitCode {
    if let Some(role) = std::env::var_os(CHILD_ROLE) {
        let result = match (role.to_str(), std::env::var_os(CHILD_DB)) {
            (Some("writer"), Some(db)) => writer(Path::new(&db)),
            (Some("opener"), Some(db)) => opener(Path::new(&db)),
            _ => Err(format!("{CHILD_ROLE}={role:?} needs {CHILD_DB} and writer or opener").into()),
        };
        return match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("crash worker: {err}");
                ExitCode::FAILURE
            }
        };
    }
    run_tests(&std::env::args().skip(1).collect::<Vec<_>>())
}

/// Runs the tests whose names contain one of the arguments that are not options (all of them
/// when there is none), like libtest's filter; `--list` lists them, `--ignored` selects none
/// (no test here is ignored), and other options are accepted and have no effect.
fn run_tests(args: &[String]) -> ExitCode {
    let mut filters = Vec::new();
    let mut args = args.iter();
    let mut list = false;
    // None of these tests is ignored, so `--ignored` (only the ignored ones) selects none.
    let mut only_ignored = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--list" => list = true,
            "--ignored" => only_ignored = true,
            // libtest options that take a value as the next argument.
            "--test-threads" | "--skip" | "--format" | "--color" | "--logfile" => {
                args.next();
            }
            option if option.starts_with('-') => {}
            filter => filters.push(filter),
        }
    }
    let chosen = TESTS
        .iter()
        .filter(|_| !only_ignored)
        .filter(|(name, _)| filters.is_empty() || filters.iter().any(|f| name.contains(f)));
    if list {
        for (name, _) in chosen {
            println!("{name}: test");
        }
        return ExitCode::SUCCESS;
    }
    let (mut passed, mut failed) = (0, 0);
    for (name, test) in chosen {
        match std::panic::catch_unwind(test) {
            Ok(Ok(())) => {
                println!("test {name} ... ok");
                passed += 1;
            }
            Ok(Err(err)) => {
                println!("test {name} ... FAILED: {err}");
                failed += 1;
            }
            // The panic message (a failed assertion) is already on stderr.
            Err(_) => {
                println!("test {name} ... FAILED");
                failed += 1;
            }
        }
    }
    println!("\ntest result: {passed} passed; {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Starts this binary again as the worker `role` on `db`. Its stderr is the test's, so a worker
/// that fails says why.
fn spawn_child(role: &str, db: &Path) -> Outcome<Child> {
    Ok(Command::new(std::env::current_exe()?)
        .env(CHILD_ROLE, role)
        .env(CHILD_DB, db)
        .stdout(Stdio::piped())
        .spawn()?)
}

/// Kills `child` and checks it was still working: a worker that stopped on its own (an error)
/// proves nothing about crashes.
fn kill(child: &mut Child, role: &str) -> Outcome {
    child.kill()?;
    let status = child.wait()?;
    assert_eq!(
        status.signal(),
        Some(SIGKILL),
        "the {role} worker ended before it was killed: {status}"
    );
    Ok(())
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

fn init(db: &Path) -> Outcome {
    let service = Service::open(db, OpenMode::CreateIfMissing, &StoreOptions::default())?;
    service.init(&InitRequest {
        company: "Crash Test Hosting".into(),
        email: "owner@example.com".into(),
        first_name: "Olga".into(),
        last_name: "Owner".into(),
        password: "correct horse battery".into(),
        unix_user: Some("crash-owner".into()),
    })?;
    Ok(())
}

/// Worker: adds customers (and trashes every third) forever, printing each slug only after
/// the service reported the change done.
fn writer(db: &Path) -> Outcome {
    let service = Service::open(db, OpenMode::Existing, &StoreOptions::default())?;
    let session = service
        .session_for_unix_user("crash-owner")?
        .ok_or("crash-owner has no session")?;
    let mut out = std::io::stdout();
    for i in 0u64.. {
        let name = format!("crash {}-{i}", std::process::id());
        let row = service.execute(
            &session,
            Cmd::Add(NewCustomer {
                name,
                ..Default::default()
            }),
        )?;
        let tenantry::service::Outcome::Customer(row) = row else {
            return Err(format!("adding a customer answered {row:?}").into());
        };
        writeln!(out, "ack add {}", row.slug)?;
        if i % 3 == 0 {
            service.execute(
                &session,
                Cmd::SoftDelete {
                    slug: row.slug.clone(),
                },
            )?;
            writeln!(out, "ack delete {}", row.slug)?;
        }
        out.flush()?;
    }
    Ok(())
}

/// Worker: opens and closes the database forever.
fn opener(db: &Path) -> Outcome {
    loop {
        let service = Service::open(db, OpenMode::Existing, &StoreOptions::default())?;
        drop(service);
    }
}

fn every_acknowledged_change_survives_sigkill() -> Outcome {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("db");
    init(&db)?;
    let mut added = Vec::new();
    let mut deleted = Vec::new();
    for delay in delays(8, 600).map(|d| d + Duration::from_millis(150)) {
        let mut child = spawn_child("writer", &db)?;
        let stdout = child.stdout.take().ok_or("the writer has no stdout")?;
        let lines = Arc::new(Mutex::new(Vec::new()));
        let reader = {
            let lines = lines.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    lines
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(line);
                }
            })
        };
        std::thread::sleep(delay);
        kill(&mut child, "writer")?;
        reader.join().map_err(|_| "the reader thread panicked")?;
        for line in lines.lock().unwrap_or_else(PoisonError::into_inner).iter() {
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
    let service = Service::open(&db, OpenMode::Existing, &StoreOptions::default())?;
    let session = service
        .session_for_unix_user("crash-owner")?
        .ok_or("crash-owner has no session")?;
    let slugs = |trash| -> Outcome<Vec<String>> {
        let query = CustomerQuery {
            trash,
            ..Default::default()
        };
        let mut slugs = Vec::new();
        for row in service.list_customers(&session, &query)? {
            slugs.push(row?.slug);
        }
        Ok(slugs)
    };
    let (live, trash) = (slugs(false)?, slugs(true)?);
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
    let problems = service.store().check_invariants()?;
    assert!(problems.is_empty(), "{problems:#?}");
    Ok(())
}

fn killing_during_open_never_stops_the_next_open() -> Outcome {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("db");
    init(&db)?;
    for delay in delays(25, 250) {
        let mut child = spawn_child("opener", &db)?;
        std::thread::sleep(delay);
        kill(&mut child, "opener")?;
    }
    let service = Service::open(&db, OpenMode::Existing, &StoreOptions::default())?;
    assert!(service.is_initialised()?);
    assert!(service.store().check_invariants()?.is_empty());
    Ok(())
}
