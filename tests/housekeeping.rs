//! Housekeeping. The configuration file, read once at start-up, and its warnings: on the CLI's
//! stderr, on the console's status line (also after signing in) and in the log file; the
//! console runs in a pseudo-terminal read back through a terminal emulator (vt100), as in
//! `tui_pty.rs`. And documentation that stands on its own: no document outside the repository
//! named, every requirement cited listed.
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
/// Wide enough for the whole status line these tests expect.
const COLS: u16 = 250;
const ROWS: u16 = 30;
const PASSWORD: &str = "correct horse battery";

/// A config file with one problem for the engine's section and one for the console's.
const BAD_CONFIG: &str = "nope = 1\n[storage]\ncache_mb = \"lots\"\n";
const STORAGE_WARNING: &str = "config [storage]: invalid type: string \"lots\"";
const CONSOLE_WARNING: &str = "nope: unknown setting";

/// Keeps `cmd` to the config file at `config` and everything else inside `dir`.
fn isolate(cmd: &mut Command, dir: &Path, config: &Path) {
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("TENANTRY_CONFIG", config)
        .env("TENANTRY_LOG_DIR", dir.join("log"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("TERM", "xterm-256color");
}

/// `tenantry` for a CLI command.
fn command(dir: &Path, config: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    isolate(&mut cmd, dir, config);
    cmd.stdin(Stdio::null());
    cmd
}

fn log_text(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("log").join("tenantry.log")).unwrap_or_default()
}

/// A database whose owner is linked to the Unix user running the tests.
fn init(dir: &Path, db: &Path) {
    let out = command(dir, &dir.join("no-config.toml"))
        .arg("--db")
        .arg(db)
        .args(["init", "--company", "Zeta Hosting", "--admin-email"])
        .args([
            "olga@zeta.example",
            "--admin-first",
            "Olga",
            "--admin-last",
            "Owner",
        ])
        .env("TENANTRY_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

struct Console {
    child: Child,
    input: File,
    screen: Arc<Mutex<vt100::Parser>>,
}

impl Console {
    /// Starts the console on `db` in a new pty, in a new session so it sees only that terminal.
    fn spawn(dir: &Path, config: &Path, db: &Path) -> Self {
        let size = Winsize {
            ws_row: ROWS,
            ws_col: COLS,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        let pty = openpty(Some(&size), None).unwrap();
        let cloexec = nix::fcntl::FcntlArg::F_SETFD(nix::fcntl::FdFlag::FD_CLOEXEC);
        nix::fcntl::fcntl(&pty.master, cloexec).unwrap();
        let mut cmd = if Path::new("/usr/bin/setsid").exists() {
            let mut c = Command::new("/usr/bin/setsid");
            c.arg(BIN);
            c
        } else {
            Command::new(BIN)
        };
        isolate(&mut cmd, dir, config);
        cmd.arg("--db")
            .arg(db)
            .stdin(Stdio::from(pty.slave.try_clone().unwrap()))
            .stdout(Stdio::from(pty.slave.try_clone().unwrap()))
            .stderr(Stdio::from(pty.slave));
        let child = cmd.spawn().unwrap();
        let input = File::from(pty.master);
        let mut reader = input.try_clone().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(ROWS).unwrap(),
            std::num::NonZeroU16::new(COLS).unwrap(),
            0,
        )));
        let parser = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                parser.lock().unwrap().process(&buf[..n]);
            }
        });
        Self {
            child,
            input,
            screen,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    fn wait_for(&mut self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        let _ = self.child.kill();
        panic!(
            "waited for {text:?}; the screen shows:\n{}",
            self.contents()
        );
    }

    /// Ends the console with ctrl-c and returns its exit status.
    fn quit(&mut self) -> Option<i32> {
        self.input.write_all(b"\x03").unwrap();
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("the console did not exit:\n{}", self.contents());
    }
}

#[test]
fn config_warnings_reach_the_cli_stderr_and_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    init(dir.path(), &db);
    let config = dir.path().join("config.toml");
    std::fs::write(&config, BAD_CONFIG).unwrap();
    let out = command(dir.path(), &config)
        .arg("--db")
        .arg(&db)
        .args(["customer", "list"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        stderr.matches(STORAGE_WARNING).count(),
        1,
        "one warning line: {stderr}"
    );
    let log = log_text(dir.path());
    assert!(log.contains(STORAGE_WARNING), "the log has it: {log}");
}

#[test]
fn config_warnings_stay_on_the_console_status_line_after_sign_in_and_reach_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    init(dir.path(), &db);
    let config = dir.path().join("config.toml");
    std::fs::write(&config, BAD_CONFIG).unwrap();
    let mut console = Console::spawn(dir.path(), &config, &db);
    console.wait_for("signed in as olga@zeta.example");
    console.wait_for(STORAGE_WARNING);
    console.wait_for(CONSOLE_WARNING);
    assert_eq!(console.quit(), Some(0));
    let log = log_text(dir.path());
    assert!(log.contains(STORAGE_WARNING), "{log}");
    assert!(log.contains(CONSOLE_WARNING), "{log}");
}

/// The config file is a named pipe that yields its text once: a second read would wait for a
/// writer that never comes, and the console would never get past opening the database.
#[test]
fn the_console_reads_the_config_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let fifo = dir.path().join("config.fifo");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, BAD_CONFIG))
    };
    let mut console = Console::spawn(dir.path(), &fifo, &db);
    console.wait_for("Set up tenantry");
    console.wait_for(STORAGE_WARNING);
    assert_eq!(console.quit(), Some(0));
    writer.join().unwrap().unwrap();
}

/// Every file under `dir` (recursively) whose name ends with `ext`.
fn files(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.to_string_lossy().ends_with(ext) {
            out.push(path);
        }
    }
}

/// The docs are read by whoever clones the project: a document they point at must be in it.
/// Checks the README, `docs/` and the comments in the sources for a Markdown file named by an
/// absolute or home path, and every relative Markdown link for a target inside the repository.
#[test]
fn docs_name_no_file_outside_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = vec![root.join("README.md")];
    files(&root.join("docs"), ".md", &mut texts);
    for dir in ["src", "tests", "examples"] {
        files(&root.join(dir), ".rs", &mut texts);
    }
    let root = root.canonicalize().unwrap();
    let mut problems = Vec::new();
    for file in &texts {
        let text = std::fs::read_to_string(file).unwrap();
        let name = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .display()
            .to_string();
        let markdown = name.ends_with(".md");
        for (n, line) in text.lines().enumerate() {
            // In a source file, only its comments.
            let line = match line.find("//") {
                _ if markdown => line,
                Some(at) => &line[at..],
                None => continue,
            };
            let words = line.split(|c: char| c.is_whitespace() || "`'\"()[]<>,;".contains(c));
            for word in words {
                if (word.starts_with('/') || word.starts_with('~')) && word.contains(".md") {
                    problems.push(format!("{name}:{}: {word}", n + 1));
                }
            }
            if !markdown {
                continue;
            }
            for link in line.split("](").skip(1) {
                let target = link.split(')').next().unwrap_or_default();
                let target = target.split('#').next().unwrap_or_default();
                if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                let resolved = file.parent().unwrap().join(target);
                match resolved.canonicalize() {
                    Ok(path) if path.starts_with(&root) => {}
                    _ => problems.push(format!("{name}:{}: link to {target}", n + 1)),
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// A requirement cited as `R<n>` in the sources or the docs has its row in requirements.md.
#[test]
fn cited_requirements_are_listed_in_the_docs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let listed = std::fs::read_to_string(root.join("docs/requirements.md")).unwrap_or_default();
    let mut texts = vec![root.join("README.md")];
    files(&root.join("docs"), ".md", &mut texts);
    for dir in ["src", "tests", "examples"] {
        files(&root.join(dir), ".rs", &mut texts);
    }
    let mut missing = std::collections::BTreeSet::new();
    for file in &texts {
        let text = std::fs::read_to_string(file).unwrap();
        for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
            let Some(number) = word.strip_prefix('R') else {
                continue;
            };
            if number.parse::<u8>().is_ok_and(|n| (1..=99).contains(&n))
                && !number.starts_with('0')
                && !listed.contains(&format!("| {word} |"))
            {
                missing.insert(format!("{word} (cited in {})", file.display()));
            }
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}
