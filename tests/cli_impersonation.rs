#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! `tenantry --impersonate SLUG --reason TEXT <command>` and `tenantry impersonation list`
//! through the real binary: the command runs as the customer's administrators would, with
//! the same rules and the two events around it; what is outside the customer, or stays with
//! the people themselves, is refused in one line.

mod common;

use common::PASSWORD;
use common::cli::CliDb;
use serde_json::Value;

fn db() -> CliDb {
    let db = CliDb::init_with(&["--no-unix-user"]);
    let out = run(&db, &["customer", "add", "Acme Corp"]);
    assert!(out.status.success());
    let out = run(&db, &["customer", "add", "Globex"]);
    assert!(out.status.success());
    db
}

fn run(db: &CliDb, args: &[&str]) -> std::process::Output {
    db.cmd()
        .env("TENANTRY_USER", "ops@example.com")
        .env("TENANTRY_PASSWORD", PASSWORD)
        .args(args)
        .output()
        .unwrap()
}

fn imp(db: &CliDb, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--impersonate", "acme-corp", "--reason", "ticket 4411"];
    all.extend_from_slice(args);
    run(db, &all)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn log_json(db: &CliDb) -> Vec<Value> {
    let out = run(db, &["log", "--format", "json"]);
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn an_impersonated_command_acts_in_the_customer_between_its_two_events() {
    let db = db();
    let out = imp(
        &db,
        &[
            "user",
            "add",
            "--customer",
            "acme-corp",
            "--email",
            "una@acme.example",
            "--first",
            "Una",
            "--last",
            "User",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let log = log_json(&db);
    let actions: Vec<&str> = log[..3]
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["impersonation.end", "user.add", "impersonation.start"]
    );
    for e in &log[..3] {
        assert_eq!(e["actor_email"], "ops@example.com");
        assert_eq!(e["impersonated_slug"], "acme-corp");
    }
    // The listing sees only the customer's people.
    let out = imp(&db, &["user", "list", "--format", "json"]);
    let users: Value = serde_json::from_slice(&out.stdout).unwrap();
    let emails: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, ["una@acme.example"]);
    // Both impersonations are listed, ended by their command.
    let out = run(&db, &["impersonation", "list", "--format", "json"]);
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert!(
        list.iter()
            .all(|i| i["how"] == "command-done" && i["reason"] == "ticket 4411")
    );
    let out = run(
        &db,
        &[
            "impersonation",
            "list",
            "--customer",
            "globex",
            "--format",
            "json",
        ],
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
}

#[test]
fn what_is_outside_the_customer_is_refused_in_one_line() {
    let db = db();
    for args in [
        &["customer", "list"][..],
        &["user", "list", "--customer", "globex"],
        &["staff", "list"],
        &["settings", "set", "trash.retention_days", "3"],
        &[
            "user",
            "add",
            "--customer",
            "globex",
            "--email",
            "x@globex.example",
            "--first",
            "X",
            "--last",
            "Y",
        ],
    ] {
        let out = imp(&db, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let said = stderr(&out);
        assert_eq!(said.lines().count(), 1, "{said}");
        assert!(said.contains("not open to this customer session"), "{said}");
    }
    let out = imp(
        &db,
        &[
            "invite",
            "accept",
            "0123456789abcdef0123456789abcdef01234567",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not done while impersonating"));
    // A reason is required: a usage error without one, a refusal naming it when blank.
    let out = run(&db, &["--impersonate", "acme-corp", "user", "list"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(
        &db,
        &[
            "--impersonate",
            "acme-corp",
            "--reason",
            " ",
            "user",
            "list",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("tenantry: reason:"),
        "{}",
        stderr(&out)
    );
    // The provider company cannot be impersonated.
    let out = run(
        &db,
        &[
            "--impersonate",
            "example-hosting",
            "--reason",
            "x",
            "user",
            "list",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("provider company"),
        "{}",
        stderr(&out)
    );
}
