//! `tenantry serve` as a process: a command goes through the server that holds the database,
//! a killed server's socket is ignored by the direct path and replaced by the next server,
//! and a stopping server answers the request in flight and exits 0.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;

use common::PASSWORD;
use common::cli::CliDb;
use common::server::{self, Server, cmd, socket_exists};
use nix::sys::signal::Signal;
use predicates::str::contains;
use tenantry::server::wire::{self, Reply, Request, Response};

const ADD: [&str; 9] = [
    "customer",
    "add",
    "Acme Corporation",
    "--owner-email",
    "ann@acme.example",
    "--owner-first",
    "Ann",
    "--owner-last",
    "Lee",
];

#[test]
fn a_command_goes_through_the_server_that_holds_the_database() {
    let db = CliDb::init();
    let server = Server::start(&db);
    let before = server.status();
    cmd(&db)
        .args(ADD)
        .assert()
        .success()
        .stdout(contains("acme-corporation"));
    // Opening the database in this process is refused: the server holds it.
    cmd(&db)
        .args(["--no-server", "customer", "list"])
        .assert()
        .code(3)
        .stderr(contains("in use"));
    cmd(&db)
        .args(["customer", "list", "--format", "json"])
        .assert()
        .success()
        .stdout(contains("acme-corporation"));
    let after = server.status();
    assert_eq!(after.pid, before.pid);
    // Each command was a connection of its own, signed in by its peer's uid, and answered.
    assert_eq!(after.connections_served, before.connections_served + 3);
    assert!(
        after.requests_served >= before.requests_served + 4,
        "{after:?}"
    );
    cmd(&db)
        .args(["serve", "--status"])
        .assert()
        .success()
        .stdout(contains(format!("running: pid {}", after.pid)))
        .stdout(contains("clients: 1"));
    assert!(server.stop().success());
}

#[test]
fn the_service_errors_and_exit_statuses_come_through_the_server() {
    let db = CliDb::init();
    let _server = Server::start(&db);
    cmd(&db)
        .args(["customer", "show", "nobody-here"])
        .assert()
        .code(1)
        .stderr(contains("no customer nobody-here"));
    cmd(&db).args(ADD).assert().success();
    cmd(&db)
        .args(ADD)
        .assert()
        .code(1)
        .stderr(contains("already taken"));
    // The system actor's work goes through the server too, while it holds the database.
    cmd(&db).args(["trash", "purge-expired"]).assert().success();
    cmd(&db).args(["log", "prune"]).assert().success();
}

#[test]
fn no_server_says_so_with_exit_1() {
    let db = CliDb::init();
    cmd(&db)
        .args(["serve", "--status"])
        .assert()
        .code(1)
        .stderr(contains("no server runs"));
}

#[test]
fn after_kill_9_commands_open_the_database_and_a_new_server_replaces_the_socket() {
    let db = CliDb::init();
    let mut first = Server::start(&db);
    let socket = first.socket.clone();
    let first_pid = first.pid();
    first.signal(Signal::SIGKILL);
    first.child.wait().unwrap();
    assert!(socket_exists(&socket), "a killed server leaves its socket");
    // Nobody listens there: the command opens the database itself.
    cmd(&db).args(ADD).assert().success();
    cmd(&db).args(["serve", "--status"]).assert().code(1);
    let second = Server::start(&db);
    assert_eq!(second.socket, socket);
    assert_ne!(second.pid(), first_pid);
    assert_eq!(second.status().pid, u32::try_from(second.pid()).unwrap());
    cmd(&db)
        .args(["customer", "show", "acme-corporation"])
        .assert()
        .success();
    assert!(second.stop().success());
}

#[test]
fn a_second_server_of_the_database_is_refused_as_in_use() {
    let db = CliDb::init();
    let first = Server::start(&db);
    cmd(&db)
        .args(["serve"])
        .assert()
        .code(3)
        .stderr(contains(format!("pid {}", first.pid())));
    // The refused one left the running server's socket alone.
    assert!(first.status().clients >= 1);
}

#[test]
fn sigterm_answers_the_request_in_flight_then_exits_0() {
    let db = CliDb::init();
    let server = Server::start(&db);
    let socket = server.socket.clone();
    let mut client = server.client();
    // A password sign-in hashes the password: a request that takes a while to answer.
    let sign_in = Request::SignIn {
        email: "ops@example.com".into(),
        password: PASSWORD.into(),
    };
    wire::write_frame(&mut client, &sign_in).unwrap();
    server.signal(Signal::SIGTERM);
    match wire::read_frame::<Response>(&mut client).unwrap() {
        Response::Done(answer) => match *answer {
            Ok(Reply::Session(info)) => assert_eq!(info.email, "ops@example.com"),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    let status = server.stop_waiting();
    assert_eq!(status.code(), Some(0));
    assert!(
        !socket_exists(&socket),
        "a stopped server removes its socket"
    );
    // The database is free again.
    cmd(&db)
        .args(["--no-server", "customer", "list"])
        .assert()
        .success();
}

#[test]
fn serve_background_starts_a_server_and_returns() {
    let db = CliDb::init();
    cmd(&db)
        .args(["serve", "--background"])
        .assert()
        .success()
        .stdout(contains("started the server"));
    let out = cmd(&db).args(["serve", "--status"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let pid: i32 = text
        .split("pid ")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .unwrap()
        .parse()
        .unwrap();
    cmd(&db).args(ADD).assert().success();
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), Signal::SIGTERM).unwrap();
    let socket = server::runtime_dir(&db).join("tenantry");
    for _ in 0..200 {
        if std::fs::read_dir(&socket).unwrap().next().is_none() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    cmd(&db).args(["serve", "--status"]).assert().code(1);
}

#[test]
fn shared_mode_gives_the_directory_and_the_socket_to_the_group() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let db = CliDb::init();
    let group = nix::unistd::Group::from_gid(nix::unistd::getgid())
        .unwrap()
        .expect("the test's group has a name");
    let dir = db.dir.path().join("shared");
    let mut child = db
        .std_cmd()
        .args(["serve", "--socket-dir"])
        .arg(&dir)
        .args(["--group", &group.name])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    assert!(line.starts_with("serving"), "{line:?}");
    let meta = std::fs::metadata(&dir).unwrap();
    assert_eq!(meta.permissions().mode() & 0o7777, 0o750);
    assert_eq!(meta.gid(), group.gid.as_raw());
    let socket = std::fs::read_dir(&dir).unwrap().next().unwrap().unwrap();
    assert_eq!(
        socket.metadata().unwrap().permissions().mode() & 0o777,
        0o660
    );
    // Clients find it with --socket-dir or TENANTRY_SOCKET_DIR, not in the personal place.
    cmd(&db)
        .args(["--socket-dir"])
        .arg(&dir)
        .args(["serve", "--status"])
        .assert()
        .success();
    cmd(&db)
        .env("TENANTRY_SOCKET_DIR", &dir)
        .args(ADD)
        .assert()
        .success();
    cmd(&db).args(["customer", "list"]).assert().code(3);
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(i32::try_from(child.id()).unwrap()),
        Signal::SIGTERM,
    )
    .unwrap();
    assert!(child.wait().unwrap().success());
}

#[test]
fn a_group_needs_a_socket_directory() {
    let db = CliDb::init();
    cmd(&db)
        .args(["serve", "--group", "nobody"])
        .assert()
        .code(2);
}

#[test]
fn kill_9_in_the_middle_of_writes_loses_no_acknowledged_change() {
    use std::sync::{Arc, Mutex};
    let db = Arc::new(CliDb::init());
    let mut server = Server::start(&db);
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (db, acknowledged) = (Arc::clone(&db), Arc::clone(&acknowledged));
            std::thread::spawn(move || {
                for i in 0..12 {
                    let name = format!("Written {w} {i:02}");
                    let out = cmd(&db).args(["customer", "add", &name]).output().unwrap();
                    let err = String::from_utf8_lossy(&out.stderr).into_owned();
                    match out.status.code() {
                        Some(0) => {
                            let slug = String::from_utf8(out.stdout).unwrap();
                            acknowledged.lock().unwrap().push(slug.trim().to_owned());
                        }
                        // Cut off mid-request: the outcome is unknown, and the command says so.
                        Some(4) => assert!(err.contains("unknown"), "{err}"),
                        // The moment the dying server's socket is closed and its lock not yet.
                        Some(3) => assert!(err.contains("in use"), "{err}"),
                        other => panic!("{other:?}: {err}"),
                    }
                }
            })
        })
        .collect();
    while acknowledged.lock().unwrap().len() < 8 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    server.signal(Signal::SIGKILL);
    server.child.wait().unwrap();
    for writer in writers {
        writer.join().unwrap();
    }
    let listing = String::from_utf8(
        cmd(&db)
            .args(["customer", "list", "--format", "csv", "--no-header"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let acknowledged = acknowledged.lock().unwrap();
    assert!(acknowledged.len() >= 8);
    for slug in acknowledged.iter() {
        assert!(
            listing.contains(slug.as_str()),
            "{slug} was acknowledged and is gone"
        );
    }
}

#[test]
fn sigint_and_sighup_stop_the_server_as_sigterm_does() {
    let db = CliDb::init();
    for signal in [Signal::SIGINT, Signal::SIGHUP] {
        let server = Server::start(&db);
        let socket = server.socket.clone();
        let _idle = server.client();
        server.signal(signal);
        assert_eq!(server.stop_waiting().code(), Some(0), "{signal:?}");
        assert!(!socket_exists(&socket));
    }
}

#[test]
fn a_socket_directory_open_to_others_is_refused_and_left_as_it_is() {
    use std::os::unix::fs::PermissionsExt;
    let db = CliDb::init();
    let dir = server::runtime_dir(&db).join("tenantry");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    cmd(&db)
        .arg("serve")
        .assert()
        .code(1)
        .stderr(contains("chmod 700"));
    let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode, 0o755);
    // Nothing was opened: the database is free.
    cmd(&db).args(["customer", "list"]).assert().success();
}

#[test]
fn ten_starts_at_once_leave_exactly_one_server_and_all_succeed() {
    let db = CliDb::init();
    let starts: Vec<std::process::Child> = (0..10)
        .map(|_| {
            db.std_cmd()
                .env("XDG_RUNTIME_DIR", server::runtime_dir(&db))
                .args(["serve", "--background"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut pids = std::collections::BTreeSet::new();
    let mut started = 0;
    for start in starts {
        let out = start.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        if text.contains("started the server") {
            started += 1;
        }
        let pid: i32 = text
            .split("pid ")
            .nth(1)
            .and_then(|r| r.split(')').next())
            .unwrap()
            .parse()
            .unwrap();
        pids.insert(pid);
    }
    assert_eq!(pids.len(), 1, "{pids:?}");
    assert_eq!(started, 1, "exactly one start's own server answered");
    let pid = *pids.iter().next().unwrap();
    cmd(&db).args(ADD).assert().success();
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), Signal::SIGTERM).unwrap();
}
