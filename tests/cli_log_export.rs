#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! `tenantry log export` and `log verify --from-export` through the real binary: a private
//! file ending with the trailer, refused over an existing file, itself audited; the round trip
//! in both formats; a changed, removed, duplicated or reordered line, removed oldest events, an
//! empty or cut export and a non-integer sequence each caught by sequence; hostile files
//! refused in one line; and the Python verifier of docs/audit-format.md agreeing with ours.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::cli::{CliDb, populated};
use serde_json::Value;

fn export(db: &CliDb, format: &str, name: &str, extra: &[&str]) -> PathBuf {
    let file = db.dir.path().join(name);
    let path = file.to_str().unwrap();
    let mut args = vec!["log", "export", "--format", format, "--output", path];
    args.extend_from_slice(extra);
    db.stdout(&args);
    file
}

/// Exit status, stdout and stderr of `log verify --from-export FILE [extra]`.
fn verify(db: &CliDb, file: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["log", "verify", "--from-export", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = db.output(&args);
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn lines(file: &Path) -> Vec<String> {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn write(db: &CliDb, name: &str, lines: &[String]) -> PathBuf {
    let file = db.dir.path().join(name);
    let mut text = lines.join("\n");
    text.push('\n');
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn an_export_is_private_oldest_first_ends_with_its_trailer_and_is_audited() {
    let db = populated();
    let head = db.stdout(&["log", "head"]).trim().to_owned();
    let file = export(&db, "jsonl", "audit.jsonl", &[]);
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let rows: Vec<Value> = lines(&file)
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (trailer, events) = rows.split_last().unwrap();
    let seqs: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(
        seqs,
        (1..=seqs.len() as u64).collect::<Vec<_>>(),
        "oldest first"
    );
    assert_eq!(trailer["trailer"], "tenantry-audit-export-v1");
    assert_eq!(trailer["scope"], "complete");
    assert_eq!(trailer["rows"].as_u64(), Some(events.len() as u64));
    assert_eq!(
        format!(
            "{}:{}",
            trailer["head_seq"],
            trailer["head_hash"].as_str().unwrap()
        ),
        head
    );
    // Recorded in the log, naming the count.
    let newest: Vec<Value> =
        serde_json::from_str(&db.stdout(&["log", "--limit", "1", "--format", "json"])).unwrap();
    assert_eq!(newest[0]["action"], "log.export");
    let summary = newest[0]["summary"].as_str().unwrap();
    assert!(
        summary.contains(&format!("{} events", events.len())),
        "{summary}"
    );
    // Never over an existing file without --force; the file is left as it was.
    let before = std::fs::read(&file).unwrap();
    let out = db.output(&[
        "log",
        "export",
        "--format",
        "csv",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(std::fs::read(&file).unwrap(), before);
    export(&db, "csv", "audit.jsonl", &["--force"]);
    assert!(lines(&file)[0].starts_with("seq,at,"));
    // Never inside the database directory.
    let inside = db.path().join("audit.csv");
    let out = db.output(&[
        "log",
        "export",
        "--format",
        "csv",
        "--output",
        inside.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("inside the database directory"));
    assert!(!inside.exists());
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(db.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn both_formats_round_trip_and_csv_cells_are_spreadsheet_safe() {
    let db = populated();
    db.run(&["customer", "add", "=SUM Corp"]).success();
    for format in ["csv", "jsonl"] {
        let file = export(&db, format, &format!("all.{format}"), &[]);
        let (code, out, err) = verify(&db, &file, &[]);
        assert_eq!(code, 0, "{format}: {out}{err}");
        assert!(out.contains("(complete)"), "{out}");
        let filtered = export(
            &db,
            format,
            &format!("acme.{format}"),
            &["--customer", "acme"],
        );
        let (code, out, err) = verify(&db, &filtered, &[]);
        assert_eq!(code, 0, "{format}: {out}{err}");
        assert!(out.contains("filtered by customer=acme"), "{out}");
    }
    let csv = std::fs::read_to_string(db.dir.path().join("all.csv")).unwrap();
    assert!(
        csv.contains(",'=SUM Corp,"),
        "the formula is written as text"
    );
    assert!(!csv.contains(",=SUM Corp,"));
}

/// Copies of a good export, each tampered one way, with what must be reported.
fn tampered(db: &CliDb, good: &Path) -> Vec<(PathBuf, &'static str)> {
    let all = lines(good);
    let (trailer, events) = all.split_last().unwrap();
    let with = |events: Vec<String>| {
        let mut v = events;
        v.push(trailer.clone());
        v
    };
    let mut changed = events.to_vec();
    changed[3] = changed[3].replace("added", "edited");
    let mut removed = events.to_vec();
    removed.remove(4);
    let mut swapped = events.to_vec();
    swapped.swap(2, 3);
    let mut duplicated = events.to_vec();
    duplicated.insert(6, events[5].clone());
    let oldest_removed = events[2..].to_vec();
    let mut not_a_number = events.to_vec();
    not_a_number[1] = not_a_number[1].replacen("\"seq\":2", "\"seq\":\"2x\"", 1);
    vec![
        (
            write(db, "changed", &with(changed)),
            "event 4: content does not match its hash",
        ),
        (write(db, "removed", &with(removed)), "event 5: missing"),
        (
            write(db, "swapped", &with(swapped)),
            "event 3: out of order, after event 4",
        ),
        (
            write(db, "duplicated", &with(duplicated)),
            "event 6: appears twice",
        ),
        (
            write(db, "oldest", &with(oldest_removed)),
            "events 1..2: missing",
        ),
        (write(db, "cut", events), "no trailer after events 1.."),
        (write(db, "only-trailer", &with(Vec::new())), "events 1.."),
        (
            write(db, "nan", &with(not_a_number)),
            "line 2: seq must be a whole number",
        ),
    ]
}

#[test]
fn each_tampering_is_caught_by_sequence() {
    let db = populated();
    let good = export(&db, "jsonl", "good.jsonl", &[]);
    for (file, needle) in tampered(&db, &good) {
        let (code, out, err) = verify(&db, &file, &[]);
        assert_eq!(code, 1, "{}: {out}{err}", file.display());
        assert!(
            out.contains(needle) || err.contains(needle),
            "{}: wanted {needle:?} in {out}{err}",
            file.display()
        );
        assert!(!out.contains("11..9"), "{out}");
    }
    let empty = write(&db, "empty", &[]);
    std::fs::write(&empty, "").unwrap();
    let (code, out, _) = verify(&db, &empty, &[]);
    assert_eq!(code, 1);
    assert!(out.contains("empty"), "{out}");
}

#[test]
fn an_event_rehashed_in_the_file_differs_from_the_stored_one() {
    let db = populated();
    let good = export(&db, "jsonl", "good.jsonl", &[]);
    let mut all = lines(&good);
    let mut event: Value = serde_json::from_str(&all[1]).unwrap();
    event["summary"] = "nothing happened".into();
    let names = [
        "at",
        "actor_kind",
        "actor_id",
        "actor_email",
        "impersonated_id",
        "impersonated_slug",
        "impersonated_name",
        "customer_id",
        "customer_slug",
        "customer_name",
        "action",
        "summary",
        "prev_hash",
    ];
    let seq = event["seq"].to_string();
    let mut fields = vec![seq.as_str()];
    fields.extend(names.iter().map(|n| event[*n].as_str().unwrap()));
    let hash = hex::encode(tenantry::domain::audit::hash_canonical(fields));
    event["hash"] = hash.into();
    all[1] = event.to_string();
    let file = write(&db, "rehashed", &all);
    let (code, out, _) = verify(&db, &file, &[]);
    assert_eq!(code, 1);
    assert!(
        out.contains("event 2: differs from the stored event"),
        "{out}"
    );
    assert!(out.contains("event 3: does not link to event 2"), "{out}");
}

#[test]
fn a_kept_head_must_be_in_the_export_with_its_hash() {
    let db = populated();
    let kept = db.stdout(&["log", "head"]).trim().to_owned();
    let good = export(&db, "csv", "good.csv", &[]);
    let (code, out, err) = verify(&db, &good, &["--head", &kept]);
    assert_eq!(code, 0, "{out}{err}");
    let older = export(&db, "csv", "acme.csv", &["--customer", "acme"]);
    let (code, out, _) = verify(&db, &older, &["--head", &kept]);
    assert_eq!(code, 1);
    assert!(out.contains("the kept head, is not in the export"), "{out}");
}

#[test]
fn hostile_files_are_refused_in_one_line_naming_file_and_line() {
    let db = populated();
    let good = export(&db, "csv", "good.csv", &[]);
    let all = lines(&good);
    let mut wrong_columns = all.clone();
    wrong_columns[2] = wrong_columns[2].replacen(',', ";", 1);
    let cases: Vec<(PathBuf, &str)> = vec![
        (
            write(&db, "columns.csv", &wrong_columns),
            "line 3: 15 columns expected",
        ),
        (
            {
                let f = db.dir.path().join("utf8.csv");
                let mut bytes = format!("{}\n", all[0]).into_bytes();
                bytes.extend_from_slice(b"1,\xff\xfe,user,,,,,,,,,,,,\n");
                std::fs::write(&f, bytes).unwrap();
                f
            },
            "line 2: column at is not valid UTF-8",
        ),
        (
            {
                let f = db.dir.path().join("huge.jsonl");
                let mut bytes = b"{\"seq\":\"".to_vec();
                bytes.resize(3 << 20, b'a');
                std::fs::write(&f, bytes).unwrap();
                f
            },
            "line 1: longer than",
        ),
        (
            write(&db, "garbage", &["hello".into()]),
            "line 1: not a tenantry audit export",
        ),
    ];
    for (file, needle) in cases {
        let (code, out, err) = verify(&db, &file, &[]);
        assert_eq!(code, 1, "{}: {out}{err}", file.display());
        assert_eq!(err.lines().count(), 1, "{err}");
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(err.contains(name) && err.contains(needle), "{err}");
    }
}

/// The ```python block of docs/audit-format.md that starts with the shebang.
fn doc_verifier() -> String {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/audit-format.md"))
            .unwrap();
    let start = doc.find("```python\n#!/usr/bin/env python3").unwrap() + "```python\n".len();
    let len = doc[start..].find("\n```").unwrap();
    doc[start..start + len + 1].to_owned()
}

#[test]
fn the_documented_python_verifier_agrees_with_log_verify() {
    if std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_err()
    {
        println!("skipped: python3 is not installed");
        return;
    }
    let db = populated();
    let script = db.dir.path().join("verify_audit.py");
    std::fs::write(&script, doc_verifier()).unwrap();
    let kept = db.stdout(&["log", "head"]).trim().to_owned();
    let good = export(&db, "jsonl", "good.jsonl", &[]);
    let csv = export(&db, "csv", "good.csv", &[]);
    let filtered = export(&db, "csv", "acme.csv", &["--customer", "acme"]);
    let empty = db.dir.path().join("empty");
    std::fs::write(&empty, "").unwrap();
    let mut files: Vec<(PathBuf, Vec<&str>)> = vec![
        (good.clone(), vec![]),
        (good.clone(), vec!["--head", &kept]),
        (csv, vec!["--head", &kept]),
        (filtered.clone(), vec![]),
        (filtered, vec!["--head", &kept]),
        (empty, vec![]),
    ];
    files.extend(tampered(&db, &good).into_iter().map(|(f, _)| (f, vec![])));
    for (file, extra) in files {
        let (code, out, _) = verify(&db, &file, &extra);
        let py = std::process::Command::new("python3")
            .arg(&script)
            .arg(&file)
            .args(&extra)
            .output()
            .unwrap();
        let py_out = String::from_utf8_lossy(&py.stdout);
        assert_eq!(
            py.status.code(),
            Some(code),
            "{}: ours {out} python {py_out}",
            file.display()
        );
        if code == 1 && out.lines().count() > 0 {
            // The same problems in the same words (a file that is not an export aside).
            assert_eq!(out, py_out, "{}", file.display());
        }
    }
}
