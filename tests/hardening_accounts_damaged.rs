//! A damaged database is an error, never a panic: a sled data file that has seen many writes,
//! truncated at many lengths, must give exit 4 with one clean line naming the path and
//! `tenantry restore` (or success when sled recovered a consistent prefix), from the CLI and
//! from the console.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;

use std::path::{Path, PathBuf};

use tenantry::service::{CustomerChanges, CustomerCommand, InitRequest, NewCustomer, Service};
use tenantry::store::{OpenMode, StoreOptions};

/// A database that has seen many writes (several sled segments): customers added, edited,
/// trashed and purged one command at a time, each flushed. Acts as the Unix user running the
/// tests, so the binary needs no password.
fn worn_database(db: &Path) -> u64 {
    let service =
        Service::open(db, OpenMode::CreateIfMissing, &StoreOptions::default()).expect("open");
    let owner = service
        .init(&InitRequest {
            company: "Worn Hosting".into(),
            email: "owner@example.com".into(),
            first_name: "Olga".into(),
            last_name: "Owner".into(),
            password: common::PASSWORD.into(),
            unix_user: tenantry::system::current_unix_user(),
        })
        .expect("init");
    let data = db.join("sled").join("db");
    for round in 0.. {
        let size = std::fs::metadata(&data).map(|m| m.len()).unwrap_or(0);
        if size >= 3 * 1024 * 1024 || round >= 4000 {
            return size;
        }
        let slug = match service.execute(
            &owner,
            CustomerCommand::Add(NewCustomer {
                name: format!("Worn customer number {round} with a longish name"),
                contact_email: Some(format!("contact{round}@example.com")),
                ..NewCustomer::default()
            }),
        ) {
            Ok(tenantry::service::Outcome::Customer(row)) => row.slug,
            other => panic!("add: {other:?}"),
        };
        service
            .execute(
                &owner,
                CustomerCommand::Edit {
                    slug: slug.clone(),
                    changes: CustomerChanges {
                        name: Some(format!("Worn customer {round}, renamed once")),
                        ..CustomerChanges::default()
                    },
                },
            )
            .expect("edit");
        if round % 3 == 0 {
            service
                .execute(&owner, CustomerCommand::SoftDelete { slug: slug.clone() })
                .expect("delete");
            service
                .execute(&owner, CustomerCommand::Purge { slug })
                .expect("purge");
        }
    }
    0
}

fn tenantry(db: &Path, home: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_tenantry"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("TENANTRY_LOG_DIR", home.join("log"))
        .env("TENANTRY_DB", db)
        .env("RUST_BACKTRACE", "1")
        .args(args)
        .output()
        .unwrap()
}

/// Runs `args` against `db`: a damaged database must be exit 4 with one clean line naming it
/// and the restore command; success is fine when sled recovered a consistent prefix. Returns
/// whether the run reported damage, or what is wrong with it.
fn judge_damaged_run(db: &Path, home: &Path, args: &[&str]) -> Result<bool, String> {
    let out = tenantry(db, home, args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = out.status.code();
    let lines: Vec<&str> = stderr.lines().collect();
    let problem = if stderr.contains("panicked") || stderr.to_lowercase().contains("backtrace") {
        Some("a panic report")
    } else if code == Some(0) {
        None
    } else if code != Some(4) {
        Some("an exit status other than 0 or 4")
    } else if lines.len() != 1 {
        Some("not exactly one line")
    } else if !stderr.contains(&db.display().to_string()) || !stderr.contains("tenantry restore") {
        Some("a message without the path or `tenantry restore`")
    } else {
        None
    };
    match problem {
        Some(p) => Err(format!("{} {args:?}: {p}: {code:?} {stderr}", db.display())),
        None => Ok(code == Some(4)),
    }
}

#[test]
fn a_truncated_data_file_is_exit_4_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("original");
    let size = worn_database(&original);
    assert!(
        size >= 2 * 1024 * 1024,
        "the worn database is only {size} bytes"
    );
    let mut cuts: Vec<u64> = [5u64, 10, 20, 25, 40, 50, 60, 75, 90]
        .iter()
        .map(|pct| size * pct / 100)
        .collect();
    cuts.extend([4097, size / 3 + 7, size * 2 / 3 + 13, size - 1]);
    let backup = dir.path().join("backup.tnb").display().to_string();
    let mut problems = Vec::new();
    let mut damaged = 0;
    for cut in cuts {
        let copy: PathBuf = dir.path().join(format!("cut-{cut}"));
        common::copy_dir(&original, &copy);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(copy.join("sled").join("db"))
            .unwrap();
        file.set_len(cut).unwrap();
        drop(file);
        for args in [
            &["customer", "list"][..],
            &["check"],
            &["log", "verify"],
            &["customer", "add", "After the cut"],
            &["backup", backup.as_str(), "--force"],
        ] {
            match judge_damaged_run(&copy, dir.path(), args) {
                Err(problem) => problems.push(problem),
                Ok(true) => damaged += 1,
                Ok(false) => {}
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    // The cuts really damaged something: at least one run reported it.
    assert!(damaged > 0, "no cut was reported as damaged");
}

/// The first cut of `original` at which sled panics while opening (the panic tenantry
/// contains), as a fresh copy at `dir/name`; `None` when no cut of this layout panics.
fn copy_cut_where_sled_panics(original: &Path, dir: &Path, size: u64) -> Option<PathBuf> {
    for pct in [20u64, 25, 33, 40, 50, 10, 60, 75] {
        let copy = dir.join(format!("probe-{pct}"));
        common::copy_dir(original, &copy);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(copy.join("sled").join("db"))
            .unwrap();
        file.set_len(size * pct / 100).unwrap();
        drop(file);
        let fresh = dir.join(format!("console-{pct}"));
        common::copy_dir(&copy, &fresh);
        let out = tenantry(&copy, dir, &["customer", "list"]);
        if String::from_utf8_lossy(&out.stderr).contains("storage engine stopped") {
            return Some(fresh);
        }
    }
    None
}

#[test]
fn a_storage_engine_panic_ends_the_console_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("original");
    let size = worn_database(&original);
    let Some(db) = copy_cut_where_sled_panics(&original, dir.path(), size) else {
        eprintln!("skipped: no truncation of this database layout makes sled panic");
        return;
    };
    let pty = nix::pty::openpty(None, None).unwrap();
    let flags = nix::fcntl::FdFlag::FD_CLOEXEC;
    nix::fcntl::fcntl(&pty.master, nix::fcntl::FcntlArg::F_SETFD(flags)).unwrap();
    let mut cmd = if Path::new("/usr/bin/setsid").exists() {
        let mut c = std::process::Command::new("/usr/bin/setsid");
        c.arg(env!("CARGO_BIN_EXE_tenantry"));
        c
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_tenantry"))
    };
    let mut child = cmd
        .arg("--db")
        .arg(&db)
        .env("TENANTRY_CONFIG", dir.path().join("no-config.toml"))
        .env("TENANTRY_LOG_DIR", dir.path().join("log"))
        .env("TERM", "xterm-256color")
        .env("RUST_BACKTRACE", "1")
        .env_remove("TENANTRY_USER")
        .env_remove("TENANTRY_DB")
        .stdin(std::process::Stdio::from(pty.slave.try_clone().unwrap()))
        .stdout(std::process::Stdio::from(pty.slave.try_clone().unwrap()))
        .stderr(std::process::Stdio::from(pty.slave))
        .spawn()
        .unwrap();
    // The command holds copies of the pty's slave end: close them, or reading never ends.
    drop(cmd);
    let mut master = std::fs::File::from(pty.master);
    let reader = std::thread::spawn(move || {
        let mut raw = Vec::new();
        let _ = std::io::Read::read_to_end(&mut master, &mut raw);
        raw
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("the console did not end on a damaged database");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let raw = String::from_utf8_lossy(&reader.join().unwrap()).into_owned();
    assert_eq!(status.code(), Some(4), "{raw}");
    assert!(
        !raw.contains("panicked") && !raw.contains("BACKTRACE"),
        "{raw}"
    );
    assert!(raw.contains("is damaged"), "{raw}");
    assert!(raw.contains("tenantry restore"), "{raw}");
}
