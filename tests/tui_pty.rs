//! End to end: the real `tenantry` binary in a pseudo-terminal, its screen read back through a
//! terminal emulator (vt100). First-run setup → add → delete → restore; a failed sign-in; and
//! SIGHUP (a dropped SSH connection) leaving an acknowledged change on disk and the database
//! free for the next process.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nix::pty::{Winsize, openpty};

const BIN: &str = env!("CARGO_BIN_EXE_tenantry");
const WAIT: Duration = Duration::from_secs(20);

struct Console {
    child: Child,
    input: File,
    screen: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
}

/// Environment that keeps the test away from the user's config, data and log directories.
fn isolate(cmd: &mut Command, dir: &Path) {
    cmd.env("TENANTRY_CONFIG", dir.join("no-config.toml"))
        .env("TENANTRY_LOG_DIR", dir.join("log"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("TERM", "xterm-256color")
        .env_remove("TENANTRY_PASSWORD")
        .env_remove("TENANTRY_USER")
        .env_remove("TENANTRY_DB")
        .env_remove("NO_COLOR");
}

/// A pty whose master end is not inherited by any child (openpty does not set close-on-exec),
/// so closing it here really closes it.
fn open_pty() -> nix::pty::OpenptyResult {
    let size = Winsize {
        ws_row: 24,
        ws_col: 80,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    let pty = openpty(Some(&size), None).unwrap();
    let flags = nix::fcntl::FdFlag::FD_CLOEXEC;
    nix::fcntl::fcntl(&pty.master, nix::fcntl::FcntlArg::F_SETFD(flags)).unwrap();
    pty
}

fn spawn(dir: &Path, args: &[&str]) -> Console {
    let pty = open_pty();
    // A new session without a controlling terminal, so the console only sees this pty.
    let mut cmd = if Path::new("/usr/bin/setsid").exists() {
        let mut c = Command::new("/usr/bin/setsid");
        c.arg(BIN);
        c
    } else {
        Command::new(BIN)
    };
    cmd.args(args)
        .stdin(Stdio::from(pty.slave.try_clone().unwrap()))
        .stdout(Stdio::from(pty.slave.try_clone().unwrap()))
        .stderr(Stdio::from(pty.slave));
    isolate(&mut cmd, dir);
    let child = cmd.spawn().unwrap();
    let master = File::from(pty.master);
    let mut reader = master.try_clone().unwrap();
    let screen = Arc::new(Mutex::new(vt100::Parser::new(
        std::num::NonZeroU16::new(24).unwrap(),
        std::num::NonZeroU16::new(80).unwrap(),
        0,
    )));
    let raw = Arc::new(Mutex::new(Vec::new()));
    let (s, r) = (screen.clone(), raw.clone());
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            s.lock().unwrap().process(&buf[..n]);
            r.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    Console {
        child,
        input: master,
        screen,
        raw,
    }
}

impl Console {
    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        panic!(
            "waited for {text:?}; the screen shows:\n{}",
            self.contents()
        );
    }

    fn send(&mut self, keys: &str) {
        self.input.write_all(keys.as_bytes()).unwrap();
        self.input.flush().unwrap();
        std::thread::sleep(Duration::from_millis(60));
    }

    fn wait_exit(&mut self, within: Duration) -> i32 {
        let start = Instant::now();
        while start.elapsed() < within {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!(
            "the console did not exit within {within:?}:\n{}",
            self.contents()
        );
    }
}

fn cli(dir: &Path, args: &[&str], password: Option<&str>) -> std::process::Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args).stdin(Stdio::null());
    isolate(&mut cmd, dir);
    if let Some(pw) = password {
        cmd.env("TENANTRY_PASSWORD", pw);
    }
    cmd.output().unwrap()
}

fn init(dir: &Path, db: &str, link_unix_user: bool) {
    let mut args = vec![
        "--db",
        db,
        "init",
        "--company",
        "Zeta Hosting",
        "--admin-email",
        "olga@zeta.example",
        "--admin-first",
        "Olga",
        "--admin-last",
        "Owner",
    ];
    if !link_unix_user {
        args.push("--no-unix-user");
    }
    let out = cli(dir, &args, Some("correct horse battery"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

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
