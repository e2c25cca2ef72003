//! The CLI contract against a temporary database: output formats, exit statuses and
//! one-line errors naming the field and value.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;

use predicates::prelude::*;
use predicates::str::contains;

use common::PASSWORD;
use common::cli::CliDb as Db;

fn init_with(extra: &[&str]) -> Db {
    Db::init_with(extra)
}

fn init() -> Db {
    Db::init()
}

#[test]
fn add_prints_the_slug_as_the_last_line_and_list_shows_it() {
    let db = init();
    let out = db.stdout(&[
        "customer",
        "add",
        "Café  Zürich_GmbH",
        "--type",
        "individual",
        "--language",
        "de",
    ]);
    assert_eq!(out.lines().last(), Some("cafe-zurich-gmbh"));
    let table = db.stdout(&["customer", "list"]);
    assert!(table.lines().next().unwrap().starts_with("NAME"));
    assert!(table.contains("cafe-zurich-gmbh") && table.contains("individual"));
    assert!(
        table
            .lines()
            .any(|l| l.contains("example-hosting") && l.ends_with("provider"))
    );
}

#[test]
fn json_and_csv_listings_carry_the_contract_fields() {
    let db = init();
    db.run(&[
        "customer",
        "add",
        "Acme",
        "--owner-email",
        "ann@example.com",
        "--owner-first",
        "Ann",
        "--owner-last",
        "Lee",
    ])
    .success();
    // Its owner is its first user, so it can be activated.
    db.run(&["customer", "activate", "acme"]).success();
    db.run(&["customer", "add", "Beta"]).success();
    db.run(&["customer", "delete", "beta"]).success();
    let json: serde_json::Value =
        serde_json::from_str(&db.stdout(&["customer", "list", "--format", "json"])).unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let acme = &rows[0];
    for field in [
        "slug",
        "name",
        "type",
        "status",
        "owner_email",
        "created_at",
    ] {
        assert!(acme.get(field).is_some(), "missing {field}");
    }
    assert_eq!(acme["owner_email"], "ann@example.com");
    let trash: serde_json::Value =
        serde_json::from_str(&db.stdout(&["customer", "list", "--trash", "--format", "json"]))
            .unwrap();
    let beta = &trash[0];
    assert_eq!(beta["slug"], "beta");
    for field in ["deleted_at", "deleted_by", "purge_at"] {
        assert!(beta[field].is_string(), "missing {field}");
    }
    let csv = db.stdout(&["customer", "list", "--format", "csv", "--filter", "ACME"]);
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("id,slug,name,type,status")
    );
    assert!(
        lines
            .next()
            .unwrap()
            .contains(",acme,Acme,corporate,active,")
    );
    assert_eq!(lines.next(), None);
    db.run(&["customer", "suspend", "acme"]).success();
    let suspended = db.stdout(&[
        "customer",
        "list",
        "--status",
        "suspended",
        "--format",
        "csv",
    ]);
    assert_eq!(suspended.lines().count(), 2, "{suspended}");
    assert!(suspended.contains(",acme,"));
    let individuals = db.stdout(&[
        "customer",
        "list",
        "--type",
        "individual",
        "--format",
        "csv",
    ]);
    assert_eq!(individuals.lines().count(), 1, "header only: {individuals}");
    let paged = db.stdout(&[
        "customer", "list", "--format", "json", "--limit", "1", "--offset", "1",
    ]);
    assert!(paged.contains("\"slug\":\"example-hosting\"") && !paged.contains("\"acme\""));
}

#[test]
fn refusals_exit_1_with_one_line_naming_field_and_value() {
    let db = init();
    db.run(&["customer", "add", "AT&T"]).success();
    let cases: &[(&[&str], &str)] = &[
        (
            &["customer", "add", "at t"],
            "tenantry: slug \"at-t\" is already taken by \"AT&T\"\n",
        ),
        (
            &["customer", "add", "!!!"],
            "tenantry: name: \"!!!\" gives an empty slug; use at least one letter or digit\n",
        ),
        (
            &["customer", "add", "evil\u{202e}name"],
            "tenantry: name: \"evil<U+202E>name\" contains a hidden or control character (U+202E)\n",
        ),
        (
            &["customer", "add", "X", "--language", "klingon"],
            "tenantry: language: \"klingon\" is not a language code such as en, de or pt-BR\n",
        ),
        (
            &["customer", "show", "nope"],
            "tenantry: no customer nope\n",
        ),
        (
            &["customer", "delete", "example-hosting"],
            "tenantry: \"example-hosting\" is the provider company and cannot be deleted; the provider company stays for as long as the database\n",
        ),
        (
            &["customer", "edit", "at-t", "--slug", "AT T"],
            "tenantry: slug: \"AT T\" is not a valid slug (a-z, 0-9 and single inner hyphens, at most 63 characters); did you mean \"at-t\"?\n",
        ),
        (
            &["settings", "set", "trash.retention_days", "soon"],
            "tenantry: trash.retention_days: \"soon\" is not a whole number of days from 1 to 3650\n",
        ),
    ];
    for (args, message) in cases {
        db.run(args).code(1).stdout("").stderr(*message);
    }
    let listing = db.stdout(&["customer", "list", "--format", "csv"]);
    assert_eq!(listing.lines().count(), 3, "{listing}");
}

#[test]
fn usage_errors_exit_2() {
    let db = init();
    db.run(&["customer", "add"]).code(2);
    db.run(&["customer", "list", "--format", "xml"]).code(2);
    db.run(&["customer", "purge", "x"])
        .code(2)
        .stderr(contains("add --yes to confirm"));
    db.run(&["customer", "edit", "x"])
        .code(2)
        .stderr(contains("nothing to change"));
}

#[test]
fn without_an_acting_user_commands_name_both_ways() {
    let db = init_with(&["--no-unix-user"]);
    db.run(&["customer", "list"])
        .code(1)
        .stderr(contains("no acting user: pass --user EMAIL").and(contains("--unix-user")));
    db.cmd()
        .env("TENANTRY_PASSWORD", PASSWORD)
        .args(["--user", "ops@example.com", "customer", "add", "Acme"])
        .assert()
        .success()
        .stdout("acme\n");
    db.cmd()
        .env("TENANTRY_PASSWORD", "wrong password")
        .args(["--user", "ops@example.com", "customer", "list"])
        .assert()
        .code(1)
        .stderr("tenantry: email or password is incorrect\n");
    db.cmd()
        .args(["--user", "ops@example.com", "customer", "list"])
        .assert()
        .code(2)
        .stderr(contains("set TENANTRY_PASSWORD"));
}

#[test]
fn a_missing_or_busy_database_is_reported_plainly() {
    let db = Db::empty();
    db.run(&["customer", "list"])
        .code(1)
        .stderr(contains("no database at").and(contains("tenantry init")));
    assert!(!db.path().exists());
    let db = init();
    let holder = tenantry::store::Store::open(
        &db.path(),
        tenantry::store::OpenMode::Existing,
        &Default::default(),
    )
    .unwrap();
    let expected = format!(
        "tenantry: database in use by pid {} (user ",
        std::process::id()
    );
    db.run(&["customer", "list"])
        .code(3)
        .stderr(contains(expected));
    drop(holder);
    db.run(&["customer", "list"]).success();
}

#[test]
fn a_corrupt_database_exits_4_naming_tree_and_key() {
    let db = init();
    {
        let raw = common::raw_sled(&db.path());
        let customers = raw.open_tree("customers").unwrap();
        let (key, _) = customers.iter().next().unwrap().unwrap();
        customers.insert(key, vec![1, 2, 3]).unwrap();
        raw.flush().unwrap();
    }
    db.run(&["customer", "list"]).code(4).stderr(
        contains("corrupt value in tree customers at key").and(contains(
            "Restore the latest backup with `tenantry restore FILE --db NEW_PATH`",
        )),
    );
}

#[test]
fn trash_lifecycle_and_purge_expired() {
    let db = init();
    db.run(&["customer", "add", "Acme"]).success();
    db.run(&["customer", "delete", "acme"])
        .success()
        .stdout(contains("moved acme to the trash"));
    db.run(&[
        "customer",
        "purge",
        "acme",
        "--yes",
        "--user",
        "nobody@example.com",
    ])
    .code(2);
    db.run(&["trash", "purge-expired"])
        .success()
        .stdout("0 expired customer(s) purged\n");
    db.run(&["customer", "restore", "acme"])
        .success()
        .stdout("restored acme\n");
    db.run(&["customer", "delete", "acme"]).success();
    db.run(&["customer", "purge", "acme", "--yes"])
        .success()
        .stdout("purged acme\n");
    db.run(&["customer", "list", "--trash", "--format", "csv"])
        .success()
        .stdout(contains("acme").not());
    let log = db.stdout(&["log", "--customer", "acme", "--format", "json"]);
    let events: serde_json::Value = serde_json::from_str(&log).unwrap();
    let actions: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "customer.purge",
            "customer.delete",
            "customer.restore",
            "customer.delete",
            "customer.add"
        ]
    );
}

#[test]
fn settings_and_staff() {
    let db = init();
    db.run(&["settings", "set", "trash.retention_days", "7"])
        .success()
        .stdout("trash.retention_days = 7\n");
    db.run(&["settings", "get", "trash.retention_days"])
        .success()
        .stdout("7\n");
    db.run(&["settings", "set", "company.name", "Example Hosting AG"])
        .success();
    db.run(&["settings", "list"])
        .success()
        .stdout("KEY                        VALUE\ntrash.retention_days       7\ncompany.name               Example Hosting AG\nmail.from\nmail.outbox\nportal.url\nimpersonation.max_minutes  30\nimpersonation.notify       off\naudit.retention_days       off\n");
    db.run(&[
        "staff",
        "add",
        "--email",
        "aud@example.com",
        "--first",
        "Au",
        "--last",
        "Ditor",
        "--role",
        "auditor",
    ])
    .success();
    let staff = db.stdout(&["staff", "list"]);
    assert!(
        staff.contains("aud@example.com") && staff.contains("auditor") && staff.contains("invited")
    );
    db.run(&["staff", "disable", "ops@example.com"])
        .code(1)
        .stderr(contains("cannot disable your own account"));
}

#[test]
fn check_reports_a_consistent_database_then_a_broken_index() {
    let db = init();
    db.run(&["customer", "add", "Acme"]).success();
    db.run(&["check"])
        .success()
        .stdout(contains("database consistent: 2 customers, 2 audit events"));
    {
        let raw = common::raw_sled(&db.path());
        raw.open_tree("customer_slug_to_id")
            .unwrap()
            .remove("acme")
            .unwrap();
        raw.flush().unwrap();
    }
    db.run(&["check"])
        .code(1)
        .stdout(contains("has slug acme but the slug index says None"))
        .stderr(contains(
            "1 problem found in the database; nothing was changed",
        ));
}

#[test]
fn log_verify_passes_then_names_the_first_bad_sequence() {
    let db = init();
    db.run(&["customer", "add", "Acme"]).success();
    db.run(&["log", "verify"])
        .success()
        .stdout("audit chain verified: 2 events, no break\n");
    {
        let raw = common::raw_sled(&db.path());
        raw.open_tree("audit")
            .unwrap()
            .insert(2u64.to_be_bytes(), vec![1, 0, 0, 0, 0])
            .unwrap();
        raw.flush().unwrap();
    }
    db.run(&["log", "verify"]).code(1).stderr(contains(
        "audit chain broken at event 2: event does not decode",
    ));
}

#[test]
fn backup_and_restore_give_an_identical_listing() {
    let db = init();
    for name in ["Acme", "Beta", "北京 Trading", "Zeta"] {
        db.run(&["customer", "add", name]).success();
    }
    db.run(&["customer", "delete", "zeta"]).success();
    let file = db.dir.path().join("nightly.backup");
    let file_arg = file.to_str().unwrap();
    db.run(&["backup", file_arg])
        .success()
        .stdout(contains("wrote"));
    db.run(&["backup", file_arg])
        .code(1)
        .stderr(contains("--force"));
    db.run(&["backup", file_arg, "--force"]).success();
    let restored = db.dir.path().join("restored");
    db.cmd()
        .args(["restore", file_arg, "--db", restored.to_str().unwrap()])
        .assert()
        .success()
        .stdout(contains("verified"));
    let list = |path: &std::path::Path, trash: &str| {
        let mut args = vec![
            "--db",
            path.to_str().unwrap(),
            "customer",
            "list",
            "--format",
            "json",
        ];
        if trash == "trash" {
            args.push("--trash");
        }
        String::from_utf8(
            db.cmd()
                .args(&args)
                .assert()
                .success()
                .get_output()
                .stdout
                .clone(),
        )
        .unwrap()
    };
    assert_eq!(list(&db.path(), "live"), list(&restored, "live"));
    assert_eq!(list(&db.path(), "trash"), list(&restored, "trash"));
    db.cmd()
        .args(["--db", restored.to_str().unwrap(), "log", "verify"])
        .assert()
        .success();
}

#[test]
fn completions_and_manpage_come_from_the_definitions() {
    let db = Db::empty();
    db.run(&["completions", "bash"])
        .success()
        .stdout(contains("purge-expired"));
    let pages = db.dir.path().join("man");
    db.run(&["manpage", "--dir", pages.to_str().unwrap()])
        .success()
        .stdout(contains("manual pages"));
    for page in [
        "tenantry.1",
        "tenantry-customer.1",
        "tenantry-customer-add.1",
        "tenantry-import-customers.1",
    ] {
        let text = std::fs::read_to_string(pages.join(page)).unwrap();
        assert!(text.contains(".TH"), "{page}");
    }
    db.run(&["manpage"])
        .success()
        .stdout(contains(".TH tenantry"));
    db.run(&["customer", "add", "--help"])
        .success()
        .stdout(contains("--owner-email"));
}
