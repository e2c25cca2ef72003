//! Listings and tables: every listing has `--format table|json|csv` with the JSON names and
//! `--no-header`; a table to a pipe is never cut, a table on a terminal fits its width.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;

use std::process::Stdio;

use common::cli::{CliDb as Db, LISTINGS, populated};

fn with(base: &[&str], extra: &[&str]) -> Vec<String> {
    base.iter().chain(extra).map(|s| (*s).to_owned()).collect()
}

fn stdout_of(db: &Db, args: &[String]) -> String {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    db.stdout(&args)
}

/// The keys of the first object of a JSON array printed one object per line, in order.
fn first_object_keys(json: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    let first = value
        .as_array()
        .unwrap()
        .first()
        .unwrap()
        .as_object()
        .unwrap();
    let line = json.lines().nth(1).unwrap();
    let mut keys: Vec<(usize, String)> = first
        .keys()
        .map(|k| (line.find(&format!("\"{k}\":")).unwrap(), k.clone()))
        .collect();
    keys.sort();
    keys.into_iter().map(|(_, k)| k).collect()
}

#[test]
fn every_listing_prints_table_json_and_csv_with_the_json_names() {
    let db = populated();
    for listing in LISTINGS {
        let json = stdout_of(&db, &with(listing, &["--format", "json"]));
        let keys = first_object_keys(&json);
        let csv = stdout_of(&db, &with(listing, &["--format", "csv"]));
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(
            header, keys,
            "{listing:?}: the CSV header is the JSON keys in order"
        );
        let rows = reader.records().count();
        let objects = serde_json::from_str::<Vec<serde_json::Value>>(&json)
            .unwrap()
            .len();
        assert_eq!(
            rows, objects,
            "{listing:?}: as many CSV rows as JSON objects"
        );
        let table = stdout_of(&db, &with(listing, &["--format", "table"]));
        assert_eq!(table.lines().count(), objects + 1, "{listing:?}: {table}");
    }
}

#[test]
fn no_header_leaves_out_the_header_of_tables_and_csv() {
    let db = populated();
    for listing in LISTINGS {
        for format in ["table", "csv"] {
            let with_header = stdout_of(&db, &with(listing, &["--format", format]));
            let without = stdout_of(&db, &with(listing, &["--format", format, "--no-header"]));
            let mut lines = with_header.lines();
            lines.next();
            let rest: Vec<&str> = lines.collect();
            assert!(!rest.is_empty(), "{listing:?} {format}: no rows to compare");
            if format == "csv" {
                assert_eq!(
                    without.lines().collect::<Vec<_>>(),
                    rest,
                    "{listing:?} {format}"
                );
            } else {
                assert_eq!(
                    without.lines().count(),
                    rest.len(),
                    "{listing:?}: {without}"
                );
                assert!(
                    !without
                        .lines()
                        .next()
                        .unwrap()
                        .starts_with(&with_header.lines().next().unwrap()[..3]),
                    "{listing:?}: {without}"
                );
            }
        }
    }
}

const LONG_NAME: &str = "Wonka Labs Confectionery and Chocolate Factory International 276";

#[test]
fn a_table_to_a_pipe_is_never_cut() {
    let db = populated();
    let slug = db.stdout(&[
        "customer",
        "add",
        LONG_NAME,
        "--email",
        "a-rather-long-contact@wonka-labs.example",
    ]);
    for listing in LISTINGS {
        let table = stdout_of(&db, &with(listing, &[]));
        assert!(!table.contains('…'), "{listing:?} was cut: {table}");
    }
    let table = db.stdout(&["customer", "list"]);
    assert!(table.contains(LONG_NAME), "{table}");
    let slug = slug.trim();
    assert!(table.contains(slug), "{table}");
    let shown = db.stdout(&["customer", "show", slug]);
    assert!(
        shown.contains("a-rather-long-contact@wonka-labs.example"),
        "{shown}"
    );
}

/// Runs `args` with stdout on a pty `columns` wide; returns what it printed.
fn on_a_terminal(db: &Db, args: &[&str], columns: u16) -> String {
    on_a_terminal_with(db, args, columns, None)
}

/// As [`on_a_terminal`], with `COLUMNS` set to `env_columns` when given.
fn on_a_terminal_with(db: &Db, args: &[&str], columns: u16, env_columns: Option<&str>) -> String {
    use std::io::Read;
    let size = nix::pty::Winsize {
        ws_row: 24,
        ws_col: columns,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    let pty = nix::pty::openpty(Some(&size), None).unwrap();
    let mut cmd = db.std_cmd();
    if let Some(value) = env_columns {
        cmd.env("COLUMNS", value);
    }
    let mut child = cmd
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::from(pty.slave))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(cmd); // it holds copies of the pty's slave end, which would keep the read below open
    let status = child.wait().unwrap();
    assert!(status.code().is_some_and(|c| c <= 1), "{args:?}: {status}");
    // Every copy of the slave end is closed now, so reading ends (EIO) after the output.
    let mut master = std::fs::File::from(pty.master);
    let mut bytes = Vec::new();
    let _ = master.read_to_end(&mut bytes);
    String::from_utf8(bytes).unwrap().replace("\r\n", "\n")
}

#[test]
fn a_table_on_a_terminal_fits_its_width() {
    use unicode_width::UnicodeWidthStr;
    let db = populated();
    db.run(&["customer", "add", LONG_NAME]).success();
    for columns in [60u16, 80, 120] {
        for listing in LISTINGS {
            let text = on_a_terminal(&db, listing, columns);
            assert!(text.lines().count() >= 2, "{listing:?}: {text:?}");
            for line in text.lines() {
                assert!(
                    line.width() <= usize::from(columns),
                    "{listing:?} at {columns}: {line:?} is {} wide",
                    line.width()
                );
            }
        }
    }
    let wide = on_a_terminal(&db, &["customer", "list"], 200);
    assert!(wide.contains(LONG_NAME), "{wide}");
    // COLUMNS, when set, is the width to fit on a terminal.
    let narrow = on_a_terminal_with(&db, &["customer", "list"], 200, Some("50"));
    assert!(narrow.lines().all(|l| l.width() <= 50), "{narrow}");
}

#[test]
fn an_import_report_on_a_terminal_keeps_every_reason_whole() {
    use unicode_width::UnicodeWidthStr;
    let db = populated();
    let text = on_a_terminal(
        &db,
        &["import", "customers", "owner-without-name.csv", "--dry-run"],
        60,
    );
    let reason = "no user has the email nobody@example.com; a new owner needs Owner First Name and Owner Last Name (or Owner Name)";
    assert!(text.contains(reason), "{text}");
    assert!(text.lines().next().unwrap().width() <= 60, "{text}");
}
