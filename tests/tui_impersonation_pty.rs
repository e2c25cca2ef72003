#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! End to end for impersonation: the real `tenantry` binary in a pseudo-terminal (read back
//! through vt100). Staff sign in, select a customer, press `I`, give a reason, see the bar,
//! add a user in the customer's own Users tab, press Ctrl-B and are back on the same row of
//! the staff view; the customer's log, read through the CLI, names both actors on the change.
//! Quitting the console while impersonating ends the impersonation as a sign-out.

mod pty_harness;

use std::time::Duration;

use pty_harness::*;

fn ok(out: std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn staff_impersonate_add_a_user_come_back_to_the_same_row_and_the_log_names_both_actors() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    init(dir.path(), db, true);
    for (name, owner) in [
        ("Acme Corp", "ann@acme.example"),
        ("Beta Labs", "bo@beta.example"),
        ("Cyan Co", "cy@cyan.example"),
    ] {
        ok(cli(
            dir.path(),
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
            ],
            None,
        ));
    }

    let mut c = spawn(dir.path(), &["--db", db, "--sign-in"]);
    c.wait_for("Sign in");
    c.send("olga@zeta.example\tcorrect horse battery\r");
    c.wait_for("signed in as olga@zeta.example");
    c.wait_for("row 1 of 4");
    // The provider first, then by slug: Beta Labs is the third row.
    c.send("j");
    c.send("j");
    c.wait_for("row 3 of 4");
    c.send("I");
    c.wait_for("Impersonate Beta Labs");
    c.send("ticket 4411\r");
    c.wait_for("IMPERSONATING Beta Labs");
    let screen = c.contents();
    let first = screen.lines().next().unwrap_or_default().trim_end();
    assert!(
        first.starts_with("IMPERSONATING Beta Labs") && first.ends_with("Ctrl-B back to admin"),
        "{screen}"
    );
    assert!(screen.contains("1 Overview"), "{screen}");
    c.send("2");
    c.wait_for("bo@beta.example");
    assert!(
        !c.contents().contains("ann@acme.example"),
        "only the customer's people:\n{}",
        c.contents()
    );
    c.send("a");
    c.wait_for("Add user");
    // The customer is the one impersonated, not typed: the form starts at the email.
    c.send("una@beta.example\tUna\tUser\r");
    c.wait_for("Una User");
    assert!(
        c.contents().starts_with("IMPERSONATING"),
        "{}",
        c.contents()
    );
    c.send("\x02");
    c.wait_for("back to the staff view");
    let screen = c.contents();
    assert!(!screen.contains("IMPERSONATING"), "{screen}");
    assert!(screen.contains("1 Customers"), "{screen}");
    assert!(screen.contains("row 3 of 4"), "the same row:\n{screen}");
    c.send("\x03");
    assert_eq!(c.wait_exit(Duration::from_secs(5)), 0);

    let out = ok(cli(
        dir.path(),
        &[
            "--db",
            db,
            "log",
            "--customer",
            "beta-labs",
            "--format",
            "json",
        ],
        None,
    ));
    let events: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let field = |e: &serde_json::Value, k: &str| e[k].as_str().unwrap_or_default().to_owned();
    let add = events
        .iter()
        .find(|e| {
            field(e, "action") == "user.add" && field(e, "summary").contains("una@beta.example")
        })
        .unwrap_or_else(|| panic!("no user.add of una in the customer's log:\n{out}"));
    assert_eq!(field(add, "actor_email"), "olga@zeta.example", "{add}");
    assert_eq!(field(add, "impersonated_slug"), "beta-labs", "{add}");
    assert_eq!(field(add, "customer_slug"), "beta-labs", "{add}");
    for (action, words) in [
        ("impersonation.start", "ticket 4411"),
        ("impersonation.end", "back to the staff view"),
    ] {
        let e = events
            .iter()
            .find(|e| field(e, "action") == action)
            .unwrap_or_else(|| panic!("no {action}:\n{out}"));
        assert_eq!(field(e, "impersonated_slug"), "beta-labs", "{e}");
        assert!(field(e, "summary").contains(words), "{e}");
    }

    // Quitting while impersonating ends it too, as a sign-out.
    let mut c = spawn(dir.path(), &["--db", db, "--sign-in"]);
    c.wait_for("Sign in");
    c.send("olga@zeta.example\tcorrect horse battery\r");
    c.wait_for("row 1 of 4");
    c.send("j");
    c.wait_for("row 2 of 4");
    c.send("I");
    c.wait_for("Impersonate Acme Corp");
    c.send("ticket 4412\r");
    c.wait_for("IMPERSONATING Acme Corp");
    c.send("\x03");
    assert_eq!(c.wait_exit(Duration::from_secs(5)), 0);
    let out = ok(cli(
        dir.path(),
        &["--db", db, "impersonation", "list", "--format", "json"],
        None,
    ));
    let sessions: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let how = |slug: &str| {
        sessions
            .iter()
            .find(|s| field(s, "customer_slug") == slug)
            .map(|s| (field(s, "state"), field(s, "how")))
    };
    assert_eq!(
        how("beta-labs"),
        Some(("ended".into(), "returned".into())),
        "{out}"
    );
    assert_eq!(
        how("acme-corp"),
        Some(("ended".into(), "sign-out".into())),
        "{out}"
    );
}
