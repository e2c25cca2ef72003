//! End to end for people: the real `tenantry` binary, an invitation made from the CLI, and
//! its code accepted on the console's sign-in screen in a pseudo-terminal (read back through
//! vt100); the CLI then shows the user active with a verified email. The helpers are those
//! of `tui_pty.rs`.
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
    let s = screen.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            s.lock().unwrap().process(&buf[..n]);
        }
    });
    Console {
        child,
        input: master,
        screen,
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
fn an_invitation_from_the_cli_is_accepted_on_the_sign_in_screen() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    init(dir.path(), db, true);
    let ok = |out: std::process::Output| {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    ok(cli(
        dir.path(),
        &[
            "--db",
            "DB",
            "customer",
            "add",
            "Acme Corp",
            "--owner-email",
            "ann@acme.example",
            "--owner-first",
            "Ann",
            "--owner-last",
            "Lee",
        ]
        .map(|a| if a == "DB" { db } else { a }),
        None,
    ));
    let out = ok(cli(
        dir.path(),
        &[
            "--db",
            "DB",
            "invite",
            "create",
            "--customer",
            "acme-corp",
            "--email",
            "ivy@guest.example",
            "--first",
            "Ivy",
            "--last",
            "Guest",
        ]
        .map(|a| if a == "DB" { db } else { a }),
        None,
    ));
    let token = out.lines().last().unwrap().trim().to_owned();
    assert!(token.len() >= 32, "{out}");

    let mut c = spawn(dir.path(), &["--db", db, "--sign-in"]);
    c.wait_for("Sign in");
    c.wait_for("F2 invitation");
    // F2 as an xterm sends it.
    c.send("\x1bOQ");
    c.wait_for("I have an invitation");
    c.send(&format!(
        "{token}\ta long enough password 1\ta long enough password 1\r"
    ));
    c.wait_for("invitation accepted");
    assert!(!c.contents().contains(&token), "the code stays on screen");
    c.send("\x03");
    assert_eq!(c.wait_exit(Duration::from_secs(5)), 0);

    let shown = ok(cli(
        dir.path(),
        &[
            "--db",
            db,
            "user",
            "show",
            "ivy@guest.example",
            "--format",
            "json",
        ],
        None,
    ));
    let user: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(user["status"], "active", "{shown}");
    assert_eq!(user["email_verified"], true, "{shown}");
    // Single use: the CLI refuses the same code now, with a new password given.
    let mut again = Command::new(BIN);
    again
        .args(["--db", db, "invite", "accept", &token])
        .stdin(Stdio::null());
    isolate(&mut again, dir.path());
    again.env("TENANTRY_NEW_PASSWORD", "a long enough password 2");
    let again = again.output().unwrap();
    assert_eq!(again.status.code(), Some(1), "{again:?}");
}
