//! A temporary database driven through the real `tenantry` binary: a clean environment (no
//! inherited `TENANTRY_*` variables, `HOME` and the log inside the temporary directory), run
//! from the CSV fixtures directory so fixture files can be named without a path.
//!
//! With `TENANTRY_TEST_THROUGH_SERVER=1` in the test's environment, every command after the
//! database exists goes through a `tenantry serve --background` of it (started on first use,
//! stopped with the `CliDb`), so the CLI suite runs through the server as well as directly.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use assert_cmd::assert::Assert;

use super::PASSWORD;

pub struct CliDb {
    pub dir: tempfile::TempDir,
    /// The pid of the server commands go through (`TENANTRY_TEST_THROUGH_SERVER`).
    server: std::sync::OnceLock<Option<i32>>,
}

/// The variable that sends the CLI suite through a server.
pub const THROUGH_SERVER: &str = "TENANTRY_TEST_THROUGH_SERVER";

impl CliDb {
    /// A temporary directory with no database in it yet.
    pub fn empty() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            server: std::sync::OnceLock::new(),
        }
    }

    /// A database initialised with the provider "Example Hosting" and owner ops@example.com,
    /// linked to the Unix user running the tests unless `extra` says otherwise.
    pub fn init_with(extra: &[&str]) -> Self {
        let db = Self::empty();
        let mut args = vec![
            "init",
            "--company",
            "Example Hosting",
            "--admin-email",
            "ops@example.com",
            "--admin-first",
            "Olga",
            "--admin-last",
            "Ops",
        ];
        args.extend_from_slice(extra);
        db.cmd()
            .env("TENANTRY_PASSWORD", PASSWORD)
            .args(&args)
            .assert()
            .success()
            .stdout(predicates::str::contains("initialised"));
        db
    }

    pub fn init() -> Self {
        Self::init_with(&[])
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("db")
    }

    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("tenantry").unwrap();
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("TENANTRY_LOG_DIR", self.dir.path().join("log"))
            .env("TENANTRY_DB", self.path())
            .current_dir(fixtures());
        if self.through_server() {
            cmd.env("XDG_RUNTIME_DIR", self.dir.path());
        }
        cmd
    }

    /// Whether commands go through a server, starting it on first use once the database
    /// exists.
    fn through_server(&self) -> bool {
        if std::env::var_os(THROUGH_SERVER).is_none_or(|v| v.is_empty() || v == "0") {
            return false;
        }
        if self.server.get().is_none() && self.path().join("sled").exists() {
            self.server.get_or_init(|| Some(self.start_server()));
        }
        true
    }

    /// `tenantry serve --background` of this database; its pid.
    fn start_server(&self) -> i32 {
        let run = |args: &[&str]| {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_tenantry"))
                .env_clear()
                .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                .env("HOME", self.dir.path())
                .env("TENANTRY_LOG_DIR", self.dir.path().join("log"))
                .env("TENANTRY_DB", self.path())
                .env("XDG_RUNTIME_DIR", self.dir.path())
                .args(args)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8(out.stdout).unwrap()
        };
        run(&["serve", "--background"]);
        let status = run(&["serve", "--status"]);
        status
            .split("pid ")
            .nth(1)
            .and_then(|r| r.split(',').next())
            .and_then(|p| p.parse().ok())
            .unwrap()
    }

    /// The same clean environment as [`cmd`](Self::cmd), as a `std` command, for tests that
    /// choose stdout themselves (a closed pipe, a pty).
    pub fn std_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_tenantry"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("TENANTRY_LOG_DIR", self.dir.path().join("log"))
            .env("TENANTRY_DB", self.path())
            .current_dir(fixtures());
        if self.through_server() {
            cmd.env("XDG_RUNTIME_DIR", self.dir.path());
        }
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Assert {
        self.cmd().args(args).assert()
    }

    pub fn output(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    /// Runs a command that must succeed and returns its stdout.
    pub fn stdout(&self, args: &[&str]) -> String {
        let out = self.output(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

impl Drop for CliDb {
    /// Stops the server of the database, if commands went through one, and waits until it
    /// has let go of the database's lock (it may stay a zombie: nobody here reaps it).
    fn drop(&mut self) {
        let Some(Some(pid)) = self.server.get() else {
            return;
        };
        let pid = nix::unistd::Pid::from_raw(*pid);
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
        let Ok(file) = std::fs::File::open(self.path().join("tenantry.lock")) else {
            return;
        };
        let mut file = file;
        for _ in 0..500 {
            match nix::fcntl::Flock::lock(file, nix::fcntl::FlockArg::LockExclusiveNonblock) {
                Ok(_) => return,
                Err((back, _)) => file = back,
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}

/// `tests/fixtures/csv/`.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/csv")
}

/// A database with a few customers, one trashed, an import and a changed setting, so every
/// listing has rows to print.
pub fn populated() -> CliDb {
    let db = CliDb::init();
    for name in ["Acme", "Beta Labs", "Gamma"] {
        db.run(&["customer", "add", name]).success();
    }
    db.run(&["customer", "delete", "gamma"]).success();
    db.run(&["settings", "set", "trash.retention_days", "14"])
        .success();
    db.run(&["import", "customers", "semicolon.csv", "--skip-invalid"])
        .success();
    db
}

/// Every listing command.
pub const LISTINGS: [&[&str]; 6] = [
    &["customer", "list"],
    &["trash", "list"],
    &["staff", "list"],
    &["import", "list"],
    &["settings", "list"],
    &["log"],
];
