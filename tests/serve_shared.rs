//! Shared mode with two Unix accounts: one server of the database, its socket in a directory
//! of a group, and each account's commands acting as the staff member linked to that account,
//! which the server learns from the socket. The second account is `nobody`, run with the
//! socket's group; the test needs root to start a process as it, and says so when it skips.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;

use std::io::BufRead;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::process::Stdio;

use common::cli::CliDb;
use nix::unistd::{Group, User};

#[test]
fn two_unix_accounts_act_as_their_own_staff_members_through_one_server() {
    if !nix::unistd::Uid::effective().is_root() {
        eprintln!("skipped: starting a client as another Unix account needs root");
        return;
    }
    let Some(nobody) = User::from_name("nobody").ok().flatten() else {
        eprintln!("skipped: this machine has no `nobody` account");
        return;
    };
    let group = Group::from_gid(nix::unistd::getgid()).unwrap().unwrap();
    let db = CliDb::init();
    db.run(&[
        "staff",
        "add",
        "--email",
        "nina@example.com",
        "--first",
        "Nina",
        "--last",
        "Nobody",
        "--role",
        "operator",
        "--unix-user",
        "nobody",
    ])
    .success();
    // A place both accounts can reach: the socket's directory in it, and nobody's home.
    let outer = tempfile::tempdir().unwrap();
    std::fs::set_permissions(outer.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let sockets = outer.path().join("sockets");
    let home = outer.path().join("nobody");
    std::fs::create_dir(&home).unwrap();
    nix::unistd::chown(&home, Some(nobody.uid), Some(nobody.gid)).unwrap();

    let mut server = db
        .std_cmd()
        .arg("serve")
        .arg("--socket-dir")
        .arg(&sockets)
        .args(["--group", &group.name])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.starts_with("serving"), "{line:?}");

    let as_nobody = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tenantry"))
            .uid(nobody.uid.as_raw())
            .gid(group.gid.as_raw())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &home)
            .env("TENANTRY_LOG_DIR", home.join("log"))
            .env("TENANTRY_DB", db.path())
            .env("TENANTRY_SOCKET_DIR", &sockets)
            .current_dir(&home)
            .args(args)
            .output()
            .unwrap()
    };
    let out = as_nobody(&["customer", "add", "Nina Shop"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Without the server, nobody cannot even open the database.
    assert!(
        !as_nobody(&["--no-server", "customer", "list"])
            .status
            .success()
    );

    let mut as_root = db.cmd();
    as_root.env("TENANTRY_SOCKET_DIR", &sockets);
    as_root
        .args(["customer", "add", "Root Shop"])
        .assert()
        .success();
    let events = |actor: &str| {
        let mut cmd = db.cmd();
        cmd.env("TENANTRY_SOCKET_DIR", &sockets)
            .args(["log", "--actor", actor, "--format", "json"]);
        String::from_utf8(cmd.output().unwrap().stdout).unwrap()
    };
    let nina = events("nina@example.com");
    let ops = events("ops@example.com");
    assert!(
        nina.contains("nina-shop") && !nina.contains("root-shop"),
        "{nina}"
    );
    assert!(
        ops.contains("root-shop") && !ops.contains("nina-shop"),
        "{ops}"
    );

    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(i32::try_from(server.id()).unwrap()),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    assert!(server.wait().unwrap().success());
}
