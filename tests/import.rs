//! CSV import and export through the real binary: a corpus of bad files in
//! `tests/fixtures/csv/` with their exact reports (insta snapshots), the round trip, an import
//! killed mid-write and resumed, and undo followed by restore.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;

use common::cli::{CliDb as Db, fixtures};

/// Exit status, stdout and stderr in one text, for a snapshot.
fn transcript(out: &Output) -> String {
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The database the corpus is checked against: a live and a trashed customer, and a user.
fn corpus_db() -> Db {
    let db = Db::init();
    db.stdout(&[
        "customer",
        "add",
        "Existing Customer",
        "--owner-email",
        "known@example.com",
        "--owner-first",
        "Kno",
        "--owner-last",
        "Wn",
    ]);
    db.stdout(&["customer", "add", "Trashed Customer"]);
    db.stdout(&["customer", "delete", "trashed-customer"]);
    db
}

#[test]
fn every_fixture_gets_its_exact_report_and_leaves_the_database_unchanged() {
    let db = corpus_db();
    let before = db.stdout(&["customer", "list", "--format", "json"]);
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    names.sort();
    assert!(names.len() >= 17, "{names:?}");
    for name in &names {
        let out = db.output(&["import", "customers", name, "--dry-run"]);
        insta::assert_snapshot!(
            format!("csv_{}", name.trim_end_matches(".csv")),
            transcript(&out)
        );
    }
    assert_eq!(db.stdout(&["customer", "list", "--format", "json"]), before);
}

#[test]
fn a_field_over_4_kib_is_refused_by_line_and_column() {
    let db = corpus_db();
    let file = db.dir.path().join("big-field.csv");
    let big = "x".repeat(1 << 20);
    std::fs::write(
        &file,
        format!("Name,Type\nSmall,corporate\n{big},corporate\n"),
    )
    .unwrap();
    let out = db.output(&["import", "customers", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("column Name: field is 1048576 bytes; at most 4096 are allowed"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).ends_with(&format!(
        "1 error in {}; nothing imported\n",
        file.display()
    )));
}

#[test]
fn json_report_carries_rows_problems_and_summary() {
    let db = corpus_db();
    let out = db.output(&["import", "customers", "semicolon.csv", "--format", "json"]);
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["rows"][0]["outcome"], "new");
    assert_eq!(report["rows"][0]["line"], 2);
    assert_eq!(report["summary"]["new"], 2);
    assert_eq!(report["summary"]["delimiter"], "semicolon (detected)");
    assert!(report["summary"]["import"]["id"].is_u64());
}

#[test]
fn skip_invalid_imports_the_valid_rows_and_reports_the_rest() {
    let db = corpus_db();
    let out = db.stdout(&["import", "customers", "ragged.csv", "--skip-invalid"]);
    assert!(
        out.contains("imported 1 new, 0 already imported, 2 invalid skipped of 3 rows"),
        "{out}"
    );
    let list = db.stdout(&["customer", "list", "--format", "csv"]);
    assert!(list.contains(",right,Right,"));
    assert!(!list.contains("short"));
}

#[test]
fn export_then_import_into_a_fresh_database_gives_the_same_rows() {
    let db = corpus_db();
    db.stdout(&["import", "customers", "semicolon.csv"]);
    db.stdout(&["import", "customers", "tab.csv"]);
    // Every status goes out and comes back: pending (tab.csv names none), and the statuses
    // semicolon.csv names.
    db.stdout(&["customer", "activate", "existing-customer"]);
    db.stdout(&["customer", "suspend", "existing-customer"]);
    let exported = db.stdout(&["export", "customers"]);
    assert!(exported.starts_with(
        "Name,Slug,Type,Status,Language,Owner Email,Owner First Name,Owner Last Name,Contact Email,Contact Phone,Address,Website\n"
    ));
    assert!(
        !exported.contains("example-hosting"),
        "the provider is not exported"
    );
    let file = db.dir.path().join("export.csv");
    std::fs::write(&file, &exported).unwrap();
    let fresh = Db::init();
    fresh.stdout(&["import", "customers", file.to_str().unwrap()]);
    assert_eq!(fresh.stdout(&["export", "customers"]), exported);
    let trash = db.stdout(&["export", "customers", "--trash"]);
    assert!(trash.contains("Trashed Customer,trashed-customer,"));
}

fn big_csv(dir: &Path, rows: usize) -> PathBuf {
    let path = dir.join("big.csv");
    let mut text =
        String::from("Name,Owner Email,Owner First Name,Owner Last Name,Type,Language\n");
    for i in 0..rows {
        text.push_str(&format!(
            "Customer {i:06},owner{i}@example.com,First{i},Last{i},corporate,en\n"
        ));
    }
    std::fs::write(&path, text).unwrap();
    path
}

/// Starts an import of `file` and kills it `delay` after its report is complete (the report
/// is flushed before the writing pass starts).
fn kill_during_write(db: &Db, file: &Path, rows: usize, delay: std::time::Duration) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tenantry"))
        .args([
            "--db",
            db.path().to_str().unwrap(),
            "import",
            "customers",
            file.to_str().unwrap(),
        ])
        .env("TENANTRY_LOG_DIR", db.dir.path().join("log"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut lines = 0;
        for _ in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            lines += 1;
            if lines == rows + 1 {
                let _ = tx.send(());
            }
        }
    });
    rx.recv_timeout(std::time::Duration::from_secs(120))
        .expect("the report was never complete");
    std::thread::sleep(delay);
    child.kill().unwrap();
    child.wait().unwrap();
    reader.join().unwrap();
}

#[test]
fn an_import_killed_mid_write_leaves_whole_batches_and_a_rerun_completes_it() {
    let rows = 12_000;
    let mut delay = std::time::Duration::from_millis(150);
    for _attempt in 0..8 {
        let db = Db::init();
        let file = big_csv(db.dir.path(), rows);
        kill_during_write(&db, &file, rows, delay);
        let imports: serde_json::Value =
            serde_json::from_str(&db.stdout(&["import", "list", "--format", "json"])).unwrap();
        let created = imports[0]["created"].as_u64().unwrap_or(0);
        if imports[0]["status"] != "running" || created == 0 {
            // Killed before the first batch, or after the last: try again with another delay.
            delay = if created == 0 { delay * 2 } else { delay / 2 };
            continue;
        }
        assert_eq!(created % 1000, 0, "only whole batches count: {created}");
        let live = db
            .stdout(&["customer", "list", "--format", "csv"])
            .lines()
            .count()
            - 2;
        assert_eq!(live as u64, created);
        db.stdout(&["log", "verify"]);
        let out = db.stdout(&["import", "customers", file.to_str().unwrap()]);
        let summary = out.lines().last().unwrap();
        assert_eq!(
            summary,
            format!(
                "imported {} new, {created} already imported, 0 invalid of {rows} rows from big.csv as import 1 (delimiter: comma (detected))",
                rows as u64 - created
            )
        );
        let live = db
            .stdout(&["customer", "list", "--format", "csv"])
            .lines()
            .count()
            - 2;
        assert_eq!(live, rows);
        let imports: serde_json::Value =
            serde_json::from_str(&db.stdout(&["import", "list", "--format", "json"])).unwrap();
        assert_eq!(
            imports.as_array().unwrap().len(),
            1,
            "the rerun resumes the same import"
        );
        assert_eq!(imports[0]["status"], "completed");
        assert_eq!(imports[0]["created"], rows as u64);
        db.stdout(&["log", "verify"]);
        return;
    }
    panic!("never caught the import between its first and last batch");
}

#[test]
fn undo_moves_the_import_to_the_trash_and_restore_brings_one_back() {
    let db = corpus_db();
    db.stdout(&["import", "customers", "crlf.csv"]);
    db.stdout(&["customer", "delete", "return-ltd"]);
    let out = db.stdout(&["import", "undo", "1"]);
    assert!(
        out.starts_with("undid import 1 (crlf.csv): 1 customer(s) moved to the trash"),
        "{out}"
    );
    let trash = db.stdout(&["customer", "list", "--trash", "--format", "csv"]);
    assert!(trash.contains("carriage-co") && trash.contains("return-ltd"));
    db.stdout(&["customer", "restore", "carriage-co"]);
    assert!(
        db.stdout(&["customer", "list", "--format", "csv"])
            .contains("carriage-co")
    );
    let again = db.output(&["import", "undo", "1"]);
    assert_eq!(
        String::from_utf8_lossy(&again.stderr),
        "tenantry: import 1 is already undone\n"
    );
    let log = db.stdout(&["log", "--limit", "3", "--format", "json"]);
    assert!(log.contains("\"action\":\"import.undo\""), "{log}");
    db.stdout(&["log", "verify"]);
}
