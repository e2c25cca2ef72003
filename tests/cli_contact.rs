#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! A customer's contact details through the CLI and CSV: postal address and website beside
//! email and phone, each checked where it enters (`customer add|edit`, `import customers`) with
//! a one-line message naming the field, or the line and column, and the database unchanged;
//! shown by `customer show`, exported and imported again as the same columns.

mod common;

use common::cli::CliDb;

#[test]
fn contact_details_are_checked_shown_cleared_and_refused_by_field() {
    let db = CliDb::init();
    db.stdout(&[
        "customer",
        "add",
        "Acme Corp",
        "--email",
        "billing@acme.example",
        "--address",
        "Bahnhofstrasse 1, 8001 Zürich",
        "--website",
        "https://acme.example",
    ]);
    let shown = db.stdout(&["customer", "show", "acme-corp"]);
    assert!(
        shown.contains("address       Bahnhofstrasse 1, 8001 Zürich"),
        "{shown}"
    );
    assert!(
        shown.contains("website       https://acme.example"),
        "{shown}"
    );
    let before = db.stdout(&["log", "--format", "jsonl"]);
    for (flag, value, field) in [
        ("--website", "acme.example", "website:"),
        ("--website", "javascript:alert(1)", "website:"),
        ("--address", "line one\nline two", "address:"),
    ] {
        let out = db.output(&["customer", "edit", "acme-corp", flag, value]);
        assert_eq!(out.status.code(), Some(1), "{value}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(field), "{err}");
    }
    assert_eq!(
        db.stdout(&["log", "--format", "jsonl"]),
        before,
        "nothing changed"
    );
    db.stdout(&["customer", "edit", "acme-corp", "--website", ""]);
    let json = db.stdout(&["customer", "show", "acme-corp", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let row = json.get("row").unwrap_or(&json);
    assert_eq!(row["website"], serde_json::Value::Null, "{json}");
    assert_eq!(
        row["postal_address"], "Bahnhofstrasse 1, 8001 Zürich",
        "{json}"
    );
}

#[test]
fn contact_columns_import_checked_and_export_again() {
    let db = CliDb::init();
    let dir = db.dir.path();
    let good = dir.join("good.csv");
    std::fs::write(
        &good,
        "Name,Contact Email,Phone,Address,Website\n\
         Acme,billing@acme.example,+41 44 555 01 02,\"Gasse 1, 3000 Bern\",https://acme.example\n\
         Globex,,,,\n",
    )
    .unwrap();
    db.stdout(&["import", "customers", good.to_str().unwrap()]);
    let exported = db.stdout(&["export", "customers"]);
    // Exported and imported into a fresh database, the same rows come out.
    let again = CliDb::init();
    let file = again.dir.path().join("exported.csv");
    std::fs::write(&file, &exported).unwrap();
    again.stdout(&["import", "customers", file.to_str().unwrap()]);
    assert_eq!(again.stdout(&["export", "customers"]), exported);
    assert!(
        // The phone's `+` is written as text for spreadsheets (`'+41…`); import removes the `'`.
        exported.contains("Acme,acme,corporate,pending,en,,,,billing@acme.example,'+41 44 555 01 02,\"Gasse 1, 3000 Bern\",https://acme.example"),
        "{exported}"
    );
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "Name,Website\nInitech,initech.example\n").unwrap();
    let out = db.output(&["import", "customers", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.lines()
            .any(|l| l.starts_with("2 ") && l.contains("column Website")),
        "{said}"
    );
    assert!(said.contains("nothing imported"), "{said}");
    assert!(!db.stdout(&["customer", "list"]).contains("initech"));
}
