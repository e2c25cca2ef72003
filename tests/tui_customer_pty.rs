#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! End to end for a customer's own session: the real `tenantry` binary in a pseudo-terminal.
//! A customer's user (invited and accepted through the CLI) signs in on the same screen as
//! staff and sees only their customer: its Overview, its people, no staff tab. Once they
//! belong to a second customer, the chooser comes first and `C` switches later.

mod pty_harness;

use std::process::{Command, Stdio};
use std::time::Duration;

use pty_harness::*;

const IVY_PASSWORD: &str = "a long enough password 1";

fn ok(out: std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Three customers, another user in Beta Labs, and Ivy, Acme's administrator, with a password.
fn database(dir: &std::path::Path, db: &str) {
    init(dir, db, true);
    for (name, owner) in [
        ("Acme Corp", "ann@acme.example"),
        ("Beta Labs", "bo@beta.example"),
        ("Cyan Co", "cy@cyan.example"),
    ] {
        ok(cli(
            dir,
            &[
                "--db",
                db,
                "customer",
                "add",
                name,
                "--owner-email",
                owner,
                "--owner-first",
                "Ann",
                "--owner-last",
                "Lee",
                "--status",
                "active",
            ],
            None,
        ));
    }
    ok(cli(
        dir,
        &[
            "--db",
            "DB",
            "user",
            "add",
            "--customer",
            "beta-labs",
            "--email",
            "carl@beta.example",
            "--first",
            "Carl",
            "--last",
            "Beta",
        ]
        .map(|a| if a == "DB" { db } else { a }),
        None,
    ));
    let out = ok(cli(
        dir,
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
            "--role",
            "administrator",
        ]
        .map(|a| if a == "DB" { db } else { a }),
        None,
    ));
    let token = out.lines().last().unwrap().trim().to_owned();
    let mut accept = Command::new(BIN);
    accept
        .args(["--db", db, "invite", "accept", &token])
        .stdin(Stdio::null());
    isolate(&mut accept, dir);
    accept.env("TENANTRY_NEW_PASSWORD", IVY_PASSWORD);
    ok(accept.output().unwrap());
}

fn sign_in_ivy(dir: &std::path::Path, db: &str) -> Console {
    let mut c = spawn(dir, &["--db", db, "--sign-in"]);
    c.wait_for("Sign in");
    c.send(&format!("ivy@guest.example\t{IVY_PASSWORD}\r"));
    c
}

fn tab_bar(c: &Console) -> String {
    c.contents().lines().next().unwrap_or_default().to_owned()
}

fn assert_no_staff_tab(c: &Console) {
    let bar = tab_bar(c);
    for staff in ["Customers", "Trash", "Logs", "Dashboard"] {
        assert!(
            !bar.contains(staff),
            "{staff} in {bar:?}:\n{}",
            c.contents()
        );
    }
}

#[test]
fn a_customers_user_sees_only_their_customer_and_chooses_when_they_have_several() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    database(dir.path(), db);

    let mut c = sign_in_ivy(dir.path(), db);
    c.wait_for("signed in as ivy@guest.example in Acme Corp");
    let screen = c.contents();
    assert!(
        tab_bar(&c).contains("1 Overview  2 Users  3 Invitations  4 Log  5 My settings"),
        "{screen}"
    );
    assert_no_staff_tab(&c);
    assert!(screen.contains("Acme Corp · your customer"), "{screen}");
    assert!(screen.contains("ann@acme.example"), "{screen}");
    c.send("2");
    c.wait_for("ivy@guest.example            Ivy Guest");
    let screen = c.contents();
    assert!(screen.contains("ann@acme.example"), "{screen}");
    for other in ["bo@beta.example", "carl@beta.example", "cy@cyan.example"] {
        assert!(!screen.contains(other), "{other}:\n{screen}");
    }
    // Esc cannot show anyone else either.
    c.send("\x1b");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !c.contents().contains("carl@beta.example"),
        "{}",
        c.contents()
    );
    assert_no_staff_tab(&c);
    c.send("\x03");
    assert_eq!(c.wait_exit(Duration::from_secs(5)), 0);

    // A member of a second customer too: the choice comes first.
    ok(cli(
        dir.path(),
        &[
            "--db",
            "DB",
            "user",
            "add",
            "--customer",
            "beta-labs",
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
    let mut c = sign_in_ivy(dir.path(), db);
    c.wait_for("Choose a customer");
    let screen = c.contents();
    assert!(
        screen.contains("Acme Corp (administrator), Beta Labs (member)"),
        "{screen}"
    );
    assert_no_staff_tab(&c);
    c.send("\r");
    c.wait_for("signed in as ivy@guest.example in Acme Corp");
    assert!(tab_bar(&c).contains("2 Users"), "{}", c.contents());
    c.send("C");
    c.wait_for("Choose a customer");
    // Space moves to the other customer.
    c.send(" \r");
    c.wait_for("signed in as ivy@guest.example in Beta Labs");
    let screen = c.contents();
    assert!(screen.contains("Beta Labs · your customer"), "{screen}");
    // A member sees the profile and their own settings only.
    assert!(
        tab_bar(&c).contains("1 Overview  2 My settings") && !tab_bar(&c).contains("Users"),
        "{screen}"
    );
    assert_no_staff_tab(&c);
    c.send("\x03");
    assert_eq!(c.wait_exit(Duration::from_secs(5)), 0);
}
