//! Accounts that lock everyone out or slip past: the last owner who can sign in, promotion to
//! staff, sign-in messages, and peer-identity messages. Damaged databases are in
//! `hardening_accounts_damaged.rs`.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;

use std::path::{Path, PathBuf};

use common::cli::CliDb;
use common::{PASSWORD, fixture};
use tenantry::domain::{CustomerKind, StaffRole};
use tenantry::service::{
    NewCustomer, NewStaff, Outcome, OwnerSpec, Service, ServiceError, StaffChanges, StaffCommand,
};
use tenantry::store::{OpenMode, StoreOptions};

fn new_staff(email: &str, role: StaffRole, unix: Option<&str>, password: bool) -> StaffCommand {
    StaffCommand::Add(NewStaff {
        email: email.into(),
        first_name: "Sam".into(),
        last_name: "Staff".into(),
        role,
        unix_user: unix.map(Into::into),
        password: password.then(|| PASSWORD.into()),
    })
}

fn set_role(email: &str, role: StaffRole) -> StaffCommand {
    StaffCommand::Edit {
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
    f.exec(StaffCommand::Edit {
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
    // An owner whose session outlived their own disabling still cannot lock everyone out:
    // since sessions are re-read on every command, such a session is refused before the
    // last-owner rule is reached (see tests/session_seam.rs), and the owner stays active.
    let stale = f.staff("stale@example.com", StaffRole::Owner);
    f.exec(StaffCommand::Disable {
        email: "stale@example.com".into(),
    })
    .unwrap();
    let err = f
        .service
        .execute(
            &stale,
            StaffCommand::Disable {
                email: "owner@example.com".into(),
            },
        )
        .unwrap_err();
    assert!(
        matches!(&err, ServiceError::Refused(m) if m.starts_with("stale@example.com is disabled")),
        "{err}"
    );
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
            StaffCommand::Disable {
                email: "owner@example.com".into(),
            },
        )
        .unwrap();
    let err = f
        .service
        .execute(
            &ursula,
            StaffCommand::Edit {
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
                set_role("owner@example.com", StaffRole::Operator).into(),
                set_role("second@example.com", StaffRole::Operator).into(),
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
fn customer_owner_with_a_password(f: &common::Fixture) -> String {
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
    })
}

#[test]
fn promotion_clears_a_password_set_by_someone_else() {
    let f = fixture();
    let _ = customer_owner_with_a_password(&f);
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

/// A customer's user signs in to their customer's own view (D95); one whose only customer is
/// suspended or pending has nowhere to act. A wrong password tells nothing and counts; the
/// right one is told why the customer cannot be entered, naming it (D125).
#[test]
fn right_password_on_an_account_whose_customer_is_not_active_says_so() {
    let f = fixture();
    let slug = customer_owner_with_a_password(&f);
    f.exec(tenantry::service::CustomerCommand::SetStatus {
        slug: slug.clone(),
        status: tenantry::domain::CustomerStatus::Suspended,
    })
    .unwrap();
    let wrong = f
        .service
        .sign_in("ann@example.com", "not her password at all")
        .unwrap_err();
    assert!(matches!(wrong, ServiceError::BadCredentials), "{wrong}");
    let right = f
        .service
        .sign_in("ann@example.com", OPERATOR_SET)
        .unwrap_err();
    assert!(
        matches!(
            right,
            ServiceError::CustomerNotActive {
                status: tenantry::domain::CustomerStatus::Suspended,
                ..
            }
        ),
        "{right}"
    );
    assert!(right.to_string().contains("is suspended"), "{right}");
    let into = f
        .service
        .sign_in_member("ann@example.com", OPERATOR_SET, &slug)
        .unwrap_err();
    assert_eq!(into.to_string(), right.to_string());
    // Wrong passwords still count: five lock the email, right password or not.
    for _ in 0..5 {
        let _ = f
            .service
            .sign_in("ann@example.com", "still not her password");
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
                StaffCommand::Disable {
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
    let out = CliDb::empty()
        .cmd()
        .env("TENANTRY_DB", &db)
        .args(["customer", "list"])
        .output()
        .unwrap();
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

#[test]
fn a_unix_account_without_a_name_is_told_so() {
    const UID: u32 = 54_321;
    let nameless = nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(UID));
    if !nix::unistd::Uid::effective().is_root() || !matches!(nameless, Ok(None)) {
        eprintln!(
            "skipped: needs root and a uid ({UID}) that has no name in the password database"
        );
        return;
    }
    let Ok(setpriv) = which_setpriv() else {
        eprintln!("skipped: setpriv is not installed");
        return;
    };
    let db = CliDb::init();
    // Hand the database to the nameless uid, and let it through the temporary directory.
    std::fs::set_permissions(
        db.dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    chown_tree(&db.path(), UID);
    let out = std::process::Command::new(setpriv)
        .arg(format!("--reuid={UID}"))
        .arg(format!("--regid={UID}"))
        .arg("--clear-groups")
        .arg(env!("CARGO_BIN_EXE_tenantry"))
        .args(["customer", "list", "--db"])
        .arg(db.path())
        .env_clear()
        .env("HOME", "/nonexistent")
        .env("TENANTRY_LOG_DIR", "/nonexistent/log")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("(uid {UID}) has no name in the password database")),
        "{stderr}"
    );
    assert!(!stderr.contains("(unknown)"), "{stderr}");
}

fn chown_tree(path: &Path, uid: u32) {
    std::os::unix::fs::chown(path, Some(uid), Some(uid)).unwrap();
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            chown_tree(&entry.unwrap().path(), uid);
        }
    }
}
