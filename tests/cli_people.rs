#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! `tenantry user|invite|password|outbox` through the real binary: the names, flags, outputs
//! and exit statuses of the contract, an invitation accepted with the code from the message
//! file itself, and bad input refused in one line naming the field.

mod common;

use common::PASSWORD;
use common::cli::CliDb;
use serde_json::Value;

const NEW_PASSWORD: &str = "zoe has a long password";

/// A database with a staff owner who acts by password, and the customer `acme-corp`.
fn db() -> CliDb {
    let db = CliDb::init_with(&["--no-unix-user"]);
    ok(&db, &["customer", "add", "Acme Corp"]);
    db
}

fn as_owner(db: &CliDb, args: &[&str]) -> std::process::Output {
    db.cmd()
        .env("TENANTRY_USER", "ops@example.com")
        .env("TENANTRY_PASSWORD", PASSWORD)
        .args(args)
        .output()
        .unwrap()
}

fn ok(db: &CliDb, args: &[&str]) -> String {
    let out = as_owner(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Exit 1 and exactly one line on stderr, containing `needle`.
fn refused(db: &CliDb, args: &[&str], needle: &str) {
    let out = as_owner(db, args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    assert!(err.contains(needle), "{args:?}: {err}");
}

#[test]
fn an_invitation_is_accepted_with_the_code_from_its_message_file() {
    let db = db();
    let said = ok(
        &db,
        &[
            "invite",
            "create",
            "--customer",
            "acme-corp",
            "--email",
            "zoe@acme.example",
            "--first",
            "Zoë",
            "--last",
            "Müller",
            "--role",
            "moderator",
        ],
    );
    let printed = said.lines().last().unwrap().to_owned();
    assert_eq!(printed.len(), 40, "{said}");
    // The message in the outbox is a real RFC 5322 file carrying the same code.
    let outbox = db.dir.path().join("outbox");
    let files: Vec<_> = std::fs::read_dir(&outbox)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    let bytes = std::fs::read(&files[0]).unwrap();
    let parsed = mail_parser::MessageParser::default().parse(&bytes).unwrap();
    let to = parsed.to().and_then(|a| a.first()).unwrap();
    assert_eq!(to.name(), Some("Zoë Müller"));
    let body = parsed.body_text(0).unwrap();
    assert!(body.contains(&printed), "{body}");
    let accept = db
        .cmd()
        .env("TENANTRY_NEW_PASSWORD", NEW_PASSWORD)
        .args(["invite", "accept", &printed])
        .output()
        .unwrap();
    assert!(
        accept.status.success(),
        "{}",
        String::from_utf8_lossy(&accept.stderr)
    );
    // Used once; a wrong form gets the same one line, before any prompt.
    for token in [printed.as_str(), "not-a-code"] {
        let again = db
            .cmd()
            .env("TENANTRY_NEW_PASSWORD", NEW_PASSWORD)
            .args(["invite", "accept", token])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&again.stderr);
        assert_eq!(again.status.code(), Some(1), "{err}");
        assert_eq!(
            err.trim(),
            "tenantry: this code is not valid: it may be mistyped, used, withdrawn or expired; ask for a new one"
        );
    }
    let users: Vec<Value> =
        serde_json::from_str(&ok(&db, &["user", "list", "--format", "json"])).unwrap();
    let zoe = users
        .iter()
        .find(|u| u["email"] == "zoe@acme.example")
        .unwrap();
    assert_eq!(zoe["status"], "active");
    assert_eq!(zoe["email_verified"], true);
    assert_eq!(zoe["customers"][0]["slug"], "acme-corp");
    assert_eq!(zoe["customers"][0]["role"], "moderator");
    let invites: Vec<Value> =
        serde_json::from_str(&ok(&db, &["invite", "list", "--format", "json"])).unwrap();
    assert_eq!(invites[0]["status"], "accepted");
    assert!(!serde_json::to_string(&invites).unwrap().contains(&printed));
}

#[test]
fn users_are_added_listed_and_edited_and_bad_input_is_one_line_naming_the_field() {
    let db = db();
    ok(
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
    ok(
        &db,
        &[
            "user",
            "edit",
            "una@acme.example",
            "--role",
            "administrator",
            "--customer",
            "acme-corp",
            "--notifications",
            "off",
        ],
    );
    let csv = ok(
        &db,
        &["user", "list", "--customer", "acme-corp", "--format", "csv"],
    );
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("email,first_name,last_name,status,email_verified,language,customers,last_sign_in")
    );
    assert_eq!(
        lines.next(),
        Some("una@acme.example,Una,User,invited,false,en,acme-corp:administrator,")
    );
    refused(
        &db,
        &[
            "user",
            "add",
            "--customer",
            "acme-corp",
            "--email",
            "not-an-email",
            "--first",
            "A",
            "--last",
            "B",
        ],
        "email",
    );
    refused(
        &db,
        &[
            "invite",
            "create",
            "--customer",
            "acme-corp",
            "--email",
            "x@acme.example",
            "--first",
            "X",
            "--last",
            "Y",
            "--expires-days",
            "31",
        ],
        "expires-days",
    );
    ok(&db, &["customer", "add", "Solo", "--type", "individual"]);
    refused(
        &db,
        &[
            "user",
            "add",
            "--customer",
            "solo",
            "--email",
            "two@x.example",
            "--first",
            "T",
            "--last",
            "W",
        ],
        "individual customer",
    );
    refused(
        &db,
        &["user", "delete", "ops@example.com"],
        "staff role owner",
    );
}

#[test]
fn a_reset_request_answers_the_same_for_any_email_and_writes_only_for_accounts() {
    let db = db();
    let known = ok(&db, &["password", "reset-request", "ops@example.com"]);
    let unknown = ok(&db, &["password", "reset-request", "nobody@example.com"]);
    assert_eq!(known, unknown);
    let listed: Vec<Value> =
        serde_json::from_str(&ok(&db, &["outbox", "list", "--format", "json"])).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["to"], "ops@example.com");
    assert_eq!(listed[0]["subject"], "Reset your password");
    let id = listed[0]["id"].as_str().unwrap();
    let whole = ok(&db, &["outbox", "show", id]);
    assert!(whole.starts_with("From: "), "{whole}");
    assert!(
        whole.contains("\nTo: Olga Ops <ops@example.com>\n"),
        "{whole}"
    );
    assert!(whole.contains("Subject: Reset your password"), "{whole}");
    assert!(
        !whole.contains("Content-Transfer-Encoding"),
        "decoded: {whole}"
    );
    let raw = ok(&db, &["outbox", "show", id, "--raw"]);
    assert!(raw.contains("Content-Type: "), "{raw}");
    assert!(raw.contains("\r\n"), "as stored: {raw:?}");
    refused(&db, &["outbox", "show", "no-such-message"], "no message");
}
