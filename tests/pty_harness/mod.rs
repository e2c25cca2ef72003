//! The pseudo-terminal harness of the end-to-end console tests: the real `tenantry` binary in
//! a pty of 80x24, its screen read back through vt100, the environment kept away from the
//! user's own directories, and the CLI run beside it.
#![allow(dead_code)]

use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nix::pty::{Winsize, openpty};

pub const BIN: &str = env!("CARGO_BIN_EXE_tenantry");
pub const WAIT: Duration = Duration::from_secs(20);

pub struct Console {
    pub child: Child,
    pub input: File,
    pub screen: Arc<Mutex<vt100::Parser>>,
    pub raw: Arc<Mutex<Vec<u8>>>,
}

/// Environment that keeps the test away from the user's config, data and log directories.
pub fn isolate(cmd: &mut Command, dir: &Path) {
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
pub fn open_pty() -> nix::pty::OpenptyResult {
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

pub fn spawn(dir: &Path, args: &[&str]) -> Console {
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
    pub fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    pub fn wait_for(&self, text: &str) {
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

    pub fn send(&mut self, keys: &str) {
        self.input.write_all(keys.as_bytes()).unwrap();
        self.input.flush().unwrap();
        std::thread::sleep(Duration::from_millis(60));
    }

    pub fn wait_exit(&mut self, within: Duration) -> i32 {
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

pub fn cli(dir: &Path, args: &[&str], password: Option<&str>) -> std::process::Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args).stdin(Stdio::null());
    isolate(&mut cmd, dir);
    if let Some(pw) = password {
        cmd.env("TENANTRY_PASSWORD", pw);
    }
    cmd.output().unwrap()
}

pub fn init(dir: &Path, db: &str, link_unix_user: bool) {
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
