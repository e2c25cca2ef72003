#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! `tenantry log` with filters through the real binary: filters combine, `--format jsonl` has
//! the JSON field names, a refused filter is one line naming the flag and the value (exit 1),
//! `log head` prints the newest event, and `log verify --head` proves a kept head.

mod common;

use common::cli::{CliDb, populated};
use serde_json::Value;

fn jsonl(db: &CliDb, args: &[&str]) -> Vec<Value> {
    let mut full = vec!["log", "--format", "jsonl"];
    full.extend_from_slice(args);
    db.stdout(&full)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn seqs(rows: &[Value]) -> Vec<u64> {
    rows.iter().map(|r| r["seq"].as_u64().unwrap()).collect()
}

#[test]
fn filters_combine_and_jsonl_has_the_json_field_names() {
    let db = populated();
    let all = jsonl(&db, &[]);
    let json: Vec<Value> = serde_json::from_str(&db.stdout(&["log", "--format", "json"])).unwrap();
    assert_eq!(all, json, "jsonl is the JSON array's objects, one a line");
    let customer = jsonl(&db, &["--action", "customer.*"]);
    assert!(!customer.is_empty());
    assert!(
        customer
            .iter()
            .all(|r| r["action"].as_str().unwrap().starts_with("customer."))
    );
    assert!(customer.len() < all.len());
    let beta = jsonl(&db, &["--grep", "BETA", "--action", "customer.add"]);
    assert_eq!(beta.len(), 1, "{beta:?}");
    assert_eq!(beta[0]["customer_slug"], "beta-labs");
    let by_owner = jsonl(&db, &["--actor", "OPS@example.com", "--since", "1h"]);
    assert_eq!(
        seqs(&by_owner),
        seqs(&all),
        "every event is the owner's, just now"
    );
    assert!(jsonl(&db, &["--until", "1h"]).is_empty());
    assert!(jsonl(&db, &["--actor", "system"]).is_empty());
    let gamma = jsonl(&db, &["--customer", "gamma", "--action", "customer.delete"]);
    assert_eq!(gamma.len(), 1);
    let limited = jsonl(&db, &["--action", "customer.*", "--limit", "2"]);
    assert_eq!(seqs(&limited), seqs(&customer)[..2]);
}

#[test]
fn a_refused_filter_is_one_line_naming_the_flag_and_value() {
    let db = populated();
    for (args, flag, value) in [
        (&["--action", "customer"][..], "--action", "customer"),
        (&["--action", "custmer.*"][..], "--action", "custmer.*"),
        (&["--since", "7y"][..], "--since", "7y"),
        (&["--until", "tomorrow"][..], "--until", "tomorrow"),
        (&["--actor", "bob"][..], "--actor", "bob"),
    ] {
        let mut full = vec!["log"];
        full.extend_from_slice(args);
        let out = db.output(&full);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(flag) && stderr.contains(value), "{stderr}");
        assert!(out.stdout.is_empty(), "no table before the refusal");
    }
}

#[test]
fn log_head_prints_the_newest_sequence_and_hash() {
    let db = populated();
    let newest = &jsonl(&db, &["--limit", "1"])[0];
    let head = db.stdout(&["log", "head"]);
    assert_eq!(
        head.trim(),
        format!("{}:{}", newest["seq"], newest["hash"].as_str().unwrap())
    );
    let json: Value =
        serde_json::from_str(&db.stdout(&["log", "head", "--format", "json"])).unwrap();
    assert_eq!(json["seq"], newest["seq"]);
    assert_eq!(json["hash"], newest["hash"]);
}

#[test]
fn verify_with_a_kept_head_proves_it_is_still_there() {
    let db = populated();
    let kept = db.stdout(&["log", "head"]).trim().to_owned();
    db.run(&["customer", "add", "Delta"]).success();
    let out = db.stdout(&["log", "verify", "--head", &kept]);
    assert!(out.contains("matches the kept head"), "{out}");
    let (seq, hash) = kept.split_once(':').unwrap();
    let wrong = format!(
        "{seq}:{}",
        hash.replace(&hash[..1], if &hash[..1] == "0" { "1" } else { "0" })
    );
    let later = format!("{}:{hash}", seq.parse::<u64>().unwrap() + 100);
    for (head, needle) in [
        (wrong.as_str(), "hash differs from the kept head"),
        (later.as_str(), "is not in the log"),
        ("12:nothex", "--head"),
    ] {
        let out = db.output(&["log", "verify", "--head", head]);
        assert_eq!(out.status.code(), Some(1), "{head}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains(needle), "{head}: {stderr}");
    }
}
