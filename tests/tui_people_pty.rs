//! End to end for people: the real `tenantry` binary, an invitation made from the CLI, and
//! its code accepted on the console's sign-in screen in a pseudo-terminal (read back through
//! vt100), then the new user signing in to their customer's own view; the CLI then shows the
//! user active with a verified email. The helpers are the pty
//! harness `tui_pty.rs` uses.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod pty_harness;

use std::process::{Command, Stdio};
use std::time::Duration;

use pty_harness::*;

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
            "--status",
            "active",
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
    // Ivy signs in with the password she chose, straight into her customer's own view.
    c.send("ivy@guest.example\ta long enough password 1\r");
    c.wait_for("Acme Corp · your customer");
    let screen = c.contents();
    assert!(screen.contains("1 Overview"), "{screen}");
    for staff_tab in ["Customers", "Trash", "Dashboard"] {
        assert!(!screen.contains(staff_tab), "{staff_tab} shown:\n{screen}");
    }
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
