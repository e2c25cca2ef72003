#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! A customer's services, system and plan through the CLI: `customer services|system|plan`,
//! `system …` and `plan …`, what `customer show` prints of them, and the *manage service plans*
//! privilege: an operator neither sees, lists nor gives a plan, with the database unchanged.

mod common;

use common::cli::CliDb;

const OPERATOR_PASSWORD: &str = "the operator's long password";

fn as_operator(db: &CliDb, args: &[&str]) -> std::process::Output {
    db.cmd()
        .env("TENANTRY_USER", "op@example.com")
        .env("TENANTRY_PASSWORD", OPERATOR_PASSWORD)
        .args(args)
        .output()
        .unwrap()
}

fn db_with_operator() -> CliDb {
    let db = CliDb::init();
    db.stdout(&["customer", "add", "Acme"]);
    db.stdout(&[
        "staff",
        "add",
        "--email",
        "op@example.com",
        "--first",
        "Op",
        "--last",
        "Erator",
        "--role",
        "operator",
    ]);
    db.cmd()
        .env("TENANTRY_NEW_PASSWORD", OPERATOR_PASSWORD)
        .args(["staff", "edit", "op@example.com", "--password"])
        .assert()
        .success();
    db
}

#[test]
fn services_systems_and_plans_are_set_and_shown_with_their_source() {
    let db = db_with_operator();
    let out = db.stdout(&[
        "customer",
        "services",
        "acme",
        "--enable",
        "storage",
        "--disable",
        "dns,email",
    ]);
    assert!(out.contains("Storage   on (overridden)"), "{out}");
    assert!(out.contains("Email     off (overridden)"), "{out}");
    assert!(out.contains("Websites  on (inherited)"), "{out}");
    db.stdout(&["service", "edit", "websites", "--default", "off"]);
    db.stdout(&["system", "add", "eu-west"]);
    assert_eq!(
        db.stdout(&["customer", "system", "acme", "eu-west"]),
        "acme is on eu-west\n"
    );
    db.stdout(&["plan", "add", "Gold", "--max-users", "5", "--websites", "2"]);
    assert_eq!(
        db.stdout(&["customer", "plan", "acme", "GOLD"]),
        "plan of acme: Gold (max users 5, websites 2)\n"
    );
    let shown = db.stdout(&["customer", "show", "acme"]);
    for line in [
        "system        eu-west",
        "plan          Gold (max users 5, websites 2)",
        "Websites  off (inherited)",
        "DNS       off (overridden)",
        "Storage   on (overridden)",
    ] {
        assert!(shown.contains(line), "{line}: {shown}");
    }
    let json = db.stdout(&["customer", "show", "acme", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["account"]["system"], "eu-west");
    assert_eq!(json["account"]["plan"]["name"], "Gold");
    assert_eq!(json["account"]["services"][2]["source"], "overridden");
    let plans = db.stdout(&["plan", "list", "--format", "csv"]);
    assert_eq!(
        plans,
        "name,max_users,storage_gb,websites,removed\nGold,5,,2,false\n"
    );
    // A copy takes the system and the services named; its slug is the last line.
    assert_eq!(
        db.stdout(&[
            "customer",
            "copy",
            "acme",
            "Acme Two",
            "--services",
            "storage"
        ]),
        "acme-two\n"
    );
    let copy = db.stdout(&["customer", "show", "acme-two"]);
    assert!(copy.contains("system        eu-west"), "{copy}");
    assert!(copy.contains("Storage   on (overridden)"), "{copy}");
    assert!(copy.contains("Email     off (overridden)"), "{copy}");
    assert_eq!(
        db.stdout(&["customer", "plan", "acme", "--none"]),
        "plan of acme: none\n"
    );
}

#[test]
fn an_operator_neither_sees_nor_lists_nor_gives_a_plan() {
    let db = db_with_operator();
    db.stdout(&["plan", "add", "Gold", "--max-users", "5"]);
    db.stdout(&["customer", "plan", "acme", "gold"]);
    let before = db.stdout(&["log", "--format", "jsonl"]);
    for args in [
        &["plan", "list"][..],
        &["customer", "plan", "acme", "--none"],
        &["plan", "add", "Silver"],
        &["plan", "remove", "gold"],
    ] {
        let out = as_operator(&db, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("\"manage service plans\" privilege"), "{err}");
    }
    let shown = String::from_utf8(as_operator(&db, &["customer", "show", "acme"]).stdout).unwrap();
    assert!(shown.contains("system        main"), "{shown}");
    assert!(!shown.contains("plan"), "{shown}");
    assert!(!shown.contains("Gold"), "{shown}");
    let out = as_operator(
        &db,
        &["customer", "services", "acme", "--enable", "storage"],
    );
    assert!(out.status.success(), "an operator manages services");
    let after = db.stdout(&["log", "--format", "jsonl"]);
    assert_eq!(
        after.lines().count(),
        before.lines().count() + 1,
        "only the services change"
    );
    let out = as_operator(&db, &["system", "add", "eu-west"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"manage settings\" privilege"));
}

/// `customer add` starts a customer pending (D127): it is activated once it has a user, and
/// `--status` names another start for a customer already in use elsewhere.
#[test]
fn a_customer_added_from_the_cli_is_pending_until_activated_with_a_user() {
    let db = CliDb::init();
    assert_eq!(db.stdout(&["customer", "add", "Newco"]), "newco\n");
    let status = |slug: &str| {
        let json = db.stdout(&["customer", "show", slug, "--format", "json"]);
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        json["status"].as_str().unwrap().to_owned()
    };
    assert_eq!(status("newco"), "pending");
    let before = db.stdout(&["log", "--format", "jsonl"]);
    let out = db
        .cmd()
        .args(["customer", "activate", "newco"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("has no users yet"), "{err}");
    assert_eq!(
        db.stdout(&["log", "--format", "jsonl"]),
        before,
        "nothing written"
    );
    db.stdout(&[
        "user",
        "add",
        "--customer",
        "newco",
        "--email",
        "una@newco.example",
        "--first",
        "Una",
        "--last",
        "Nu",
    ]);
    db.stdout(&["customer", "activate", "newco"]);
    assert_eq!(status("newco"), "active");
    db.stdout(&["customer", "add", "Oldco", "--status", "active"]);
    assert_eq!(status("oldco"), "active");
    let out = db
        .cmd()
        .args(["customer", "add", "Badco", "--status", "gone"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a usage error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--status"));
}
