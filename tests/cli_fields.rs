#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! Custom fields through the CLI and CSV: `field add|list|edit|remove|cleanup`, values given
//! with `--field NAME=VALUE` and refused with a one-line message naming the field, the database
//! unchanged; `customer show` and listings carrying them; import checking each column by its
//! field's type (line and column named) and export writing them so a re-import gives the same
//! file.

mod common;

use common::cli::CliDb;

fn fields_db() -> CliDb {
    let db = CliDb::init();
    for args in [
        &[
            "field",
            "add",
            "Cost centre",
            "--type",
            "text",
            "--required",
        ][..],
        &[
            "field",
            "add",
            "Tier",
            "--type",
            "choice",
            "--choices",
            "Gold,Silver",
        ],
        &["field", "add", "Contract end", "--type", "date"],
        &["field", "add", "Seats", "--type", "number", "--column"],
    ] {
        db.stdout(args);
    }
    db
}

/// Runs a command that must fail with exit 1 and one line on stderr; returns that line.
fn refused(db: &CliDb, args: &[&str]) -> String {
    let out = db.output(args);
    assert_eq!(out.status.code(), Some(1), "{args:?}");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(err.lines().count(), 1, "{err}");
    err
}

#[test]
fn values_are_checked_by_type_and_a_refusal_changes_nothing() {
    let db = fields_db();
    let listed = db.stdout(&["field", "list"]);
    assert!(listed.contains("Tier"), "{listed}");
    assert!(listed.contains("required"), "{listed}");
    let before = db.stdout(&["log", "--format", "jsonl"]);
    for (args, names) in [
        (&["customer", "add", "Acme"][..], "Cost centre:"),
        (
            &[
                "customer",
                "add",
                "Acme",
                "--field",
                "Cost centre=CC",
                "--field",
                "Seats=many",
            ],
            "Seats:",
        ),
        (
            &[
                "customer",
                "add",
                "Acme",
                "--field",
                "Cost centre=CC",
                "--field",
                "Tier=Bronze",
            ],
            "Gold, Silver",
        ),
        (
            &[
                "customer",
                "add",
                "Acme",
                "--field",
                "Cost centre=CC",
                "--field",
                "contract end=31.12.2026",
            ],
            "Contract end:",
        ),
        (
            &[
                "customer",
                "add",
                "Acme",
                "--field",
                "Cost centre=CC",
                "--field",
                "Colour=red",
            ],
            "Cost centre, Tier, Contract end, Seats",
        ),
    ] {
        let err = refused(&db, args);
        assert!(err.contains(names), "{args:?}: {err}");
    }
    let out = db.output(&["customer", "add", "Acme", "--field", "no equals sign"]);
    assert_eq!(out.status.code(), Some(2), "a usage error");
    assert_eq!(
        db.stdout(&["log", "--format", "jsonl"]),
        before,
        "nothing changed"
    );
    let slug = db.stdout(&[
        "customer",
        "add",
        "Acme",
        "--field",
        "cost_centre=CC-7",
        "--field",
        "tier=silver",
        "--field",
        "Seats=+040",
    ]);
    assert_eq!(slug.trim(), "acme");
    let shown = db.stdout(&["customer", "show", "acme"]);
    assert!(shown.contains("custom fields:"), "{shown}");
    assert!(shown.contains("Cost centre   CC-7"), "{shown}");
    assert!(shown.contains("Tier          Silver"), "{shown}");
    assert!(shown.contains("Seats         40"), "{shown}");
    assert!(shown.contains("Contract end  -"), "{shown}");
    db.stdout(&["customer", "edit", "acme", "--field", "Seats="]);
    let json = db.stdout(&["customer", "list", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    let acme = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["slug"] == "acme")
        .unwrap();
    assert_eq!(acme["fields"]["Tier"], "Silver", "{json}");
    assert!(acme["fields"].get("Seats").is_none(), "cleared: {json}");
    let csv = db.stdout(&["customer", "list", "--format", "csv"]);
    let header = csv.lines().next().unwrap();
    assert!(
        header.ends_with(",purge_at,Cost centre,Tier,Contract end,Seats"),
        "{header}"
    );
    let line = csv.lines().find(|l| l.contains(",acme,")).unwrap();
    assert!(line.ends_with(",CC-7,Silver,,"), "{line}");
}

#[test]
fn import_checks_each_field_column_and_export_imports_again_unchanged() {
    let db = fields_db();
    let dir = db.dir.path();
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "Name,Cost_Centre,Tier,Seats\nAcme,,Gold,1\nGlobex,G-1,Bronze,x\n",
    )
    .unwrap();
    let out = db.output(&["import", "customers", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stdout);
    let line = |n: &str| said.lines().find(|l| l.starts_with(n)).unwrap().to_owned();
    assert!(
        line("2 ").contains("column Cost_Centre: needs a value"),
        "{said}"
    );
    assert!(
        line("3 ").contains("column Tier: \"Bronze\" is not one of Gold, Silver"),
        "{said}"
    );
    assert!(line("3 ").contains("column Seats:"), "{said}");
    assert!(!db.stdout(&["customer", "list"]).contains("globex"));
    let good = dir.join("good.csv");
    std::fs::write(
        &good,
        "Name,Cost Centre,Tier,Contract End,Seats,Notes\n\
         Acme,=CC-1,gold,2026-12-31,007,ignored\n\
         Globex,G-1,,,,\n",
    )
    .unwrap();
    let out = db.output(&["import", "customers", good.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Notes"),
        "an unknown column is named"
    );
    let shown = db.stdout(&["customer", "show", "acme"]);
    assert!(shown.contains("Cost centre   =CC-1"), "{shown}");
    assert!(shown.contains("Seats         7"), "{shown}");
    let exported = db.stdout(&["export", "customers"]);
    assert!(
        exported.starts_with(
            "Name,Slug,Type,Status,Language,Owner Email,Owner First Name,Owner Last Name,\
             Contact Email,Contact Phone,Address,Website,Cost centre,Tier,Contract end,Seats\n"
        ),
        "{exported}"
    );
    // A formula-like value is written as text for spreadsheets, and read back as it was.
    assert!(
        exported.contains(",'=CC-1,Gold,2026-12-31,7\n"),
        "{exported}"
    );
    let again = fields_db();
    let file = again.dir.path().join("exported.csv");
    std::fs::write(&file, &exported).unwrap();
    again.stdout(&["import", "customers", file.to_str().unwrap()]);
    assert_eq!(again.stdout(&["export", "customers"]), exported);
}

#[test]
fn a_removed_field_is_kept_until_a_confirmed_cleanup() {
    let db = fields_db();
    db.stdout(&[
        "customer",
        "add",
        "Acme",
        "--field",
        "Cost centre=CC",
        "--field",
        "Tier=Gold",
    ]);
    db.stdout(&["field", "remove", "tier"]);
    let listed = db.stdout(&["field", "list", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&listed).unwrap();
    let tier = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Tier")
        .unwrap();
    assert_eq!(tier["removed"], true);
    assert!(!db.stdout(&["customer", "show", "acme"]).contains("Tier"));
    let err = refused(&db, &["customer", "edit", "acme", "--field", "Tier=Silver"]);
    assert!(err.contains("no field \"Tier\""), "{err}");
    let out = db.output(&["field", "cleanup", "tier"]);
    assert_eq!(out.status.code(), Some(2), "cleanup wants --yes");
    assert!(db.stdout(&["field", "list"]).contains("removed"));
    let said = db.stdout(&["field", "cleanup", "tier", "--yes"]);
    assert!(said.contains("cleaned up field tier"), "{said}");
    assert!(!db.stdout(&["field", "list"]).contains("Tier"));
    let log = db.stdout(&["log", "--format", "jsonl"]);
    assert!(log.contains("deleted from 1 customers"), "{log}");
    db.stdout(&["field", "add", "Tier", "--type", "text"]);
    assert!(
        db.stdout(&["customer", "show", "acme"])
            .contains("Tier          -")
    );
}

#[test]
fn users_take_values_of_the_users_fields() {
    let db = CliDb::init();
    db.stdout(&["customer", "add", "Acme"]);
    db.stdout(&[
        "field",
        "add",
        "Employee no",
        "--for",
        "users",
        "--type",
        "number",
    ]);
    let err = refused(
        &db,
        &[
            "user",
            "add",
            "--customer",
            "acme",
            "--email",
            "bo@acme.example",
            "--first",
            "Bo",
            "--last",
            "Lee",
            "--field",
            "Employee no=x",
        ],
    );
    assert!(err.contains("Employee no:"), "{err}");
    db.stdout(&[
        "user",
        "add",
        "--customer",
        "acme",
        "--email",
        "bo@acme.example",
        "--first",
        "Bo",
        "--last",
        "Lee",
        "--field",
        "employee no=12",
    ]);
    db.stdout(&[
        "user",
        "edit",
        "bo@acme.example",
        "--field",
        "Employee no=13",
    ]);
    let shown = db.stdout(&["user", "show", "bo@acme.example"]);
    assert!(shown.contains("Employee no  13"), "{shown}");
    // A users' field is not a customers' one.
    let err = refused(
        &db,
        &["customer", "edit", "acme", "--field", "Employee no=1"],
    );
    assert!(err.contains("no custom fields for customers"), "{err}");
}
