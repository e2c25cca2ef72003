//! End to end: the real `tenantry` binary in a pseudo-terminal, its screen read back through a
//! terminal emulator (vt100). First-run setup → add → delete → restore; a failed sign-in; and
//! SIGHUP (a dropped SSH connection) leaving an acknowledged change on disk and the database
//! free for the next process.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod pty_harness;

use std::fs::File;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use pty_harness::*;

#[test]
fn first_run_setup_add_delete_and_restore() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    let mut c = spawn(dir.path(), &["--db", db]);
    c.wait_for("Set up tenantry");
    c.send("Zeta Hosting\tOlga\tOwner\tolga@zeta.example\tcorrect horse battery\tcorrect horse battery\r");
    c.wait_for("signed in as olga@zeta.example");
    c.wait_for("Zeta Hosting");
    c.send("a");
    c.wait_for("Add customer");
    c.send("Acme Corp\t\t\t\tann@acme.example\tAnn\tSmith\r");
    c.wait_for("added acme-corp");
    c.send("d");
    c.wait_for("Delete customer");
    c.send("y");
    c.wait_for("moved to the trash: acme-corp");
    c.send("4");
    c.wait_for("Deleted by");
    c.wait_for("acme-corp");
    c.send("r");
    c.wait_for("Restore customer");
    c.send("y");
    c.wait_for("restored acme-corp");
    c.send("q");
    assert_eq!(c.wait_exit(Duration::from_secs(5)), 0);
    let out = cli(
        dir.path(),
        &[
            "--db",
            db,
            "customer",
            "show",
            "acme-corp",
            "--format",
            "json",
        ],
        None,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("\"deleted_at\": null"), "{text}");
    assert!(text.contains("ann@acme.example"), "{text}");
}

#[test]
fn a_failed_sign_in_says_so_the_same_way_for_unknown_emails() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    init(dir.path(), db, false);
    let mut c = spawn(dir.path(), &["--db", db, "--sign-in"]);
    c.wait_for("Sign in");
    c.send("olga@zeta.example\twrong password\r");
    c.wait_for("email or password is incorrect");
    c.send("\x1b[Z\x15nobody@zeta.example\twrong password\r");
    c.wait_for("email or password is incorrect");
    assert!(
        !c.contents().contains("wrong password"),
        "passwords are masked"
    );
    c.send("\x03");
    assert_eq!(c.wait_exit(Duration::from_secs(5)), 0);
}

#[test]
fn sighup_keeps_acknowledged_changes_and_releases_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    init(dir.path(), db, true);
    let mut c = spawn(dir.path(), &["--db", db]);
    c.wait_for("signed in as olga@zeta.example");
    c.send("a");
    c.wait_for("Add customer");
    c.send("Hangup Ltd\r");
    c.wait_for("added hangup-ltd");
    let pid = nix::unistd::Pid::from_raw(c.child.id() as i32);
    let sent = Instant::now();
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGHUP).unwrap();
    let code = c.wait_exit(Duration::from_secs(2));
    assert!(
        sent.elapsed() < Duration::from_secs(1),
        "took {:?}",
        sent.elapsed()
    );
    assert_eq!(code, 129);
    // The restore sequence may still be on its way through the pty.
    let start = Instant::now();
    let restored = loop {
        let raw = String::from_utf8_lossy(&c.raw.lock().unwrap()).into_owned();
        if raw.contains("\x1b[?1049l") || start.elapsed() > WAIT {
            break raw.contains("\x1b[?1049l");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(restored, "the alternate screen was left");
    let out = cli(
        dir.path(),
        &["--db", db, "customer", "show", "hangup-ltd"],
        None,
    );
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_closed_terminal_closes_the_database_even_without_a_signal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    init(dir.path(), db, true);
    let pty = open_pty();
    let mut cmd = Command::new("/usr/bin/setsid");
    cmd.arg(BIN)
        .args(["--db", db])
        .stdin(Stdio::from(pty.slave.try_clone().unwrap()))
        .stdout(Stdio::from(pty.slave.try_clone().unwrap()))
        .stderr(Stdio::from(pty.slave));
    isolate(&mut cmd, dir.path());
    let mut child = cmd.spawn().unwrap();
    drop(cmd); // it holds copies of the pty's other end
    // The only handle on our end of the pty: read until the table is up, then close it, as
    // a terminal emulator or sshd does when it goes away.
    let mut master = File::from(pty.master);
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let start = Instant::now();
    while !String::from_utf8_lossy(&seen).contains("signed in as") {
        assert!(start.elapsed() < WAIT, "no customers screen");
        let n = master.read(&mut buf).unwrap();
        seen.extend_from_slice(&buf[..n]);
    }
    drop(master);
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(3), "still running");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(129));
    let out = cli(dir.path(), &["--db", db, "customer", "list"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_bracketed_paste_fills_one_field_and_the_mode_is_undone_on_exit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    init(dir.path(), db, true);
    let mut c = spawn(dir.path(), &["--db", db]);
    c.wait_for("signed in as olga@zeta.example");
    let bytes = c.raw.clone();
    let raw = move || String::from_utf8_lossy(&bytes.lock().unwrap()).into_owned();
    assert!(raw().contains("\x1b[?2004h"), "bracketed paste is on");
    c.send("a");
    c.wait_for("Add customer");
    // A pasted line break neither submits the form nor reaches the list as a key.
    c.send("\x1b[200~Paste\r\nCorp\x1b[201~");
    c.wait_for("Paste Corp");
    c.wait_for("paste-corp");
    assert!(c.contents().contains("Add customer"), "{}", c.contents());
    c.send("\r");
    c.wait_for("added paste-corp");
    c.send("q");
    assert_eq!(c.wait_exit(Duration::from_secs(5)), 0);
    let start = Instant::now();
    while !raw().contains("\x1b[?2004l") && start.elapsed() < WAIT {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        raw().contains("\x1b[?2004l"),
        "bracketed paste is turned off"
    );
}
