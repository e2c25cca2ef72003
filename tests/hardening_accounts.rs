//! Accounts and damaged databases: the last owner who can sign in, promotion to staff,
//! peer-identity messages, and a truncated sled data file that must be an error, never a panic.

mod common;

use std::path::{Path, PathBuf};

use common::cli::CliDb;
use common::{PASSWORD, fixture};
use tenantry::domain::{CustomerKind, StaffRole};
use tenantry::service::{
    Command, CustomerChanges, InitRequest, NewCustomer, NewStaff, Outcome, OwnerSpec, Service,
    ServiceError, StaffChanges,
};
use tenantry::store::{OpenMode, StoreOptions};

fn new_staff(email: &str, role: StaffRole, unix: Option<&str>, password: bool) -> Command {
    Command::AddStaff(NewStaff {
        email: email.into(),
        first_name: "Sam".into(),
        last_name: "Staff".into(),
        role,
        unix_user: unix.map(Into::into),
        password: password.then(|| PASSWORD.into()),
    })
}

fn set_role(email: &str, role: StaffRole) -> Command {
    Command::EditStaff {
        email: email.into(),
        changes: StaffChanges {
            role: Some(role),
            ..StaffChanges::default()
        },
    }
}

fn role_of(f: &common::Fixture, email: &str) -> String {
    f.service
        .list_staff(&f.owner)
        .unwrap()
        .into_iter()
        .find(|r| r.email == email)
        .map(|r| format!("{} {}", r.role, r.status))
        .unwrap_or_default()
}

fn assert_last_owner_refusal(err: &ServiceError, email: &str) {
    assert!(
        matches!(err, ServiceError::Refused(_))
            && err
                .to_string()
                .starts_with(&format!("{email} is the last owner who can sign in")),
        "{err}"
    );
}

#[test]
fn the_last_owner_who_can_sign_in_cannot_be_demoted() {
    let f = fixture();
    // A second owner who is only invited (no password, no Unix link) cannot sign in.
    f.exec(new_staff("inv@example.com", StaffRole::Owner, None, false))
        .unwrap();
    let err = f
        .exec(set_role("owner@example.com", StaffRole::Operator))
        .unwrap_err();
    assert_last_owner_refusal(&err, "owner@example.com");
    assert_eq!(role_of(&f, "owner@example.com"), "owner active");
    // Once the second owner can sign in, the demotion is allowed.
    f.exec(Command::EditStaff {
        email: "inv@example.com".into(),
        changes: StaffChanges {
            unix_user: Some("inv".into()),
            ..StaffChanges::default()
        },
    })
    .unwrap();
    f.exec(set_role("owner@example.com", StaffRole::Operator))
        .unwrap();
}

#[test]
fn the_last_owner_who_can_sign_in_cannot_be_disabled() {
    let f = fixture();
    f.exec(new_staff("inv@example.com", StaffRole::Owner, None, false))
        .unwrap();
    // An owner whose session outlived their own disabling still cannot lock everyone out.
    let stale = f.staff("stale@example.com", StaffRole::Owner);
    f.exec(Command::DisableStaff {
        email: "stale@example.com".into(),
    })
    .unwrap();
    let err = f
        .service
        .execute(
            &stale,
            Command::DisableStaff {
                email: "owner@example.com".into(),
            },
        )
        .unwrap_err();
    assert_last_owner_refusal(&err, "owner@example.com");
    assert_eq!(role_of(&f, "owner@example.com"), "owner active");
}

#[test]
fn removing_the_last_way_in_of_the_last_owner_is_refused() {
    let f = fixture();
    // An owner who signs in only through a Unix link, the last one once the first is disabled.
    f.exec(new_staff(
        "unix@example.com",
        StaffRole::Owner,
        Some("ursula"),
        false,
    ))
    .unwrap();
    let ursula = f.service.session_for_unix_user("ursula").unwrap().unwrap();
    f.service
        .execute(
            &ursula,
            Command::DisableStaff {
                email: "owner@example.com".into(),
            },
        )
        .unwrap();
    let err = f
        .service
        .execute(
            &ursula,
            Command::EditStaff {
                email: "unix@example.com".into(),
                changes: StaffChanges {
                    unix_user: Some(String::new()),
                    ..StaffChanges::default()
                },
            },
        )
        .unwrap_err();
    assert_last_owner_refusal(&err, "unix@example.com");
    assert!(f.service.session_for_unix_user("ursula").unwrap().is_some());
}

#[test]
fn one_batch_cannot_demote_every_owner_who_can_sign_in() {
    let f = fixture();
    f.staff("second@example.com", StaffRole::Owner);
    let err = f
        .service
        .execute_batch(
            &f.owner,
            vec![
                set_role("owner@example.com", StaffRole::Operator),
                set_role("second@example.com", StaffRole::Operator),
            ],
        )
        .unwrap_err();
    let ServiceError::InBatch { index, source } = &err else {
        panic!("{err}");
    };
    assert_eq!(*index, 1);
    assert_last_owner_refusal(source, "second@example.com");
    assert_eq!(role_of(&f, "owner@example.com"), "owner active");
    assert_eq!(role_of(&f, "second@example.com"), "owner active");
}

const OPERATOR_SET: &str = "set by an operator 42";

/// A customer whose owner ann@example.com has a password an operator typed in.
fn customer_owner_with_a_password(f: &common::Fixture) {
    f.add_with(NewCustomer {
        name: "Ann's Shop".into(),
        kind: CustomerKind::Individual,
        owner: Some(OwnerSpec {
            email: "ann@example.com".into(),
            first_name: Some("Ann".into()),
            last_name: Some("Lee".into()),
            password: Some(OPERATOR_SET.into()),
        }),
        ..NewCustomer::default()
    });
}

#[test]
fn promotion_clears_a_password_set_by_someone_else() {
    let f = fixture();
    customer_owner_with_a_password(&f);
    let Outcome::Staff(row) = f
        .exec(new_staff(
            "ann@example.com",
            StaffRole::Administrator,
            None,
            false,
        ))
        .unwrap()
    else {
        panic!("not a staff row");
    };
    assert!(!row.has_password, "{row:?}");
    assert_eq!(row.status, "invited");
    let err = f
        .service
        .sign_in("ann@example.com", OPERATOR_SET)
        .unwrap_err();
    assert!(matches!(err, ServiceError::BadCredentials), "{err}");
}

#[test]
fn right_password_on_a_non_staff_account_is_a_bad_credential() {
    let f = fixture();
    customer_owner_with_a_password(&f);
    let wrong = f
        .service
        .sign_in("ann@example.com", "not her password at all")
        .unwrap_err();
    let right = f
        .service
        .sign_in("ann@example.com", OPERATOR_SET)
        .unwrap_err();
    assert!(matches!(right, ServiceError::BadCredentials), "{right}");
    assert_eq!(right.to_string(), wrong.to_string());
    // The right password counts as a failure like a wrong one: three more lock the email.
    for _ in 0..2 {
        let _ = f.service.sign_in("ann@example.com", OPERATOR_SET);
    }
    let locked = f
        .service
        .sign_in("ann@example.com", OPERATOR_SET)
        .unwrap_err();
    assert!(matches!(locked, ServiceError::LockedOut { .. }), "{locked}");
}

#[test]
fn empty_tenantry_user_is_unset() {
    let db = CliDb::init();
    for value in ["", "   "] {
        let out = db
            .cmd()
            .env("TENANTRY_USER", value)
            .args(["customer", "list"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "TENANTRY_USER={value:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_disabled_linked_member_is_told_they_are_disabled() {
    let db = CliDb::init();
    {
        let service =
            Service::open(&db.path(), OpenMode::Existing, &StoreOptions::default()).unwrap();
        let me = tenantry::system::current_unix_user().unwrap();
        let ops = service.session_for_unix_user(&me).unwrap().unwrap();
        service
            .execute(
                &ops,
                new_staff("second@example.com", StaffRole::Owner, None, true),
            )
            .unwrap();
        let second = service.sign_in("second@example.com", PASSWORD).unwrap();
        service
            .execute(
                &second,
                Command::DisableStaff {
                    email: "ops@example.com".into(),
                },
            )
            .unwrap();
    }
    let out = db.output(&["customer", "list"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("is linked to staff member ops@example.com, whose account is disabled"),
        "{stderr}"
    );
    assert!(!stderr.contains("no acting user"), "{stderr}");
}

#[test]
fn a_database_path_that_cannot_be_looked_at_is_not_reported_as_missing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "not a directory").unwrap();
    let db = file.join("db");
    let out = tenantry(&db, dir.path(), &["customer", "list"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(!stderr.contains("no database"), "{stderr}");
    assert!(stderr.contains(&db.display().to_string()), "{stderr}");
}

#[test]
fn a_database_directory_the_user_cannot_enter_is_permission_denied() {
    if !nix::unistd::Uid::effective().is_root() {
        eprintln!("skipped: needs root to run the child as another user with setpriv");
        return;
    }
    let Ok(setpriv) = which_setpriv() else {
        eprintln!("skipped: setpriv is not installed");
        return;
    };
    let db = CliDb::init();
    // The temporary directory is 0700 root: the user nobody cannot enter it.
    let out = std::process::Command::new(setpriv)
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_tenantry"))
        .args(["customer", "list", "--db"])
        .arg(db.path())
        .env_clear()
        .env("HOME", "/nonexistent")
        .env("TENANTRY_LOG_DIR", "/nonexistent/log")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("Permission denied"), "{stderr}");
    assert!(
        stderr.contains(&db.path().display().to_string()),
        "{stderr}"
    );
    assert!(!stderr.contains("no database"), "{stderr}");
}

fn which_setpriv() -> Result<PathBuf, ()> {
    ["/usr/bin/setpriv", "/bin/setpriv", "/usr/sbin/setpriv"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .ok_or(())
}

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
            Command::AddCustomer(NewCustomer {
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
                Command::EditCustomer {
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
                .execute(&owner, Command::SoftDeleteCustomer { slug: slug.clone() })
                .expect("delete");
            service
                .execute(&owner, Command::PurgeCustomer { slug })
                .expect("purge");
        }
    }
    0
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
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
        copy_dir(&original, &copy);
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
        copy_dir(original, &copy);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(copy.join("sled").join("db"))
            .unwrap();
        file.set_len(size * pct / 100).unwrap();
        drop(file);
        let fresh = dir.join(format!("console-{pct}"));
        copy_dir(&copy, &fresh);
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
