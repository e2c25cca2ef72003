#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)
//! The audit log's retention: off by default; `audit.retention_days` refused outside its range;
//! a prune removes exactly the events older than the retention in one audited step and keeps a
//! checkpoint, after which the stored chain, `check`, exports (ours and the documented Python
//! verifier) and an export taken before the prune all still verify, while tampering with an
//! event or the checkpoint is still caught. A prune stopped after its checkpoint is finished by
//! the next one.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use common::{PASSWORD, fixture};
use tenantry::domain::{Actor, AuditEvent};
use tenantry::service::Clock;
use tenantry::service::{
    CustomerChanges, CustomerCommand, MaintenanceCommand, Outcome, Session, SettingsCommand,
};
use tenantry::store::audit_prune::AuditCheckpoint;
use tenantry::store::{OpenMode, Store, StoreOptions, TreeName, keys};
use tenantry::store::{StoreError, Tx};

fn set(f: &common::Fixture, key: &str, value: &str) -> Result<Outcome, String> {
    f.exec(SettingsCommand::Set {
        key: key.into(),
        value: value.into(),
    })
    .map_err(|e| e.to_string())
}

fn prune(f: &common::Fixture) -> tenantry::service::log_prune::PruneReport {
    match f
        .service
        .execute(&Session::system(), MaintenanceCommand::PruneLog)
        .unwrap()
    {
        Outcome::Pruned(report) => report,
        other => panic!("{other:?}"),
    }
}

/// Customers edited on day 0 to 99, one day apart, then the clock at day 100.
fn a_hundred_days(f: &common::Fixture) -> String {
    let acme = f.add("Acme");
    for day in 0..100u32 {
        f.exec(CustomerCommand::Edit {
            slug: acme.clone(),
            changes: CustomerChanges {
                contact_phone: Some(format!("+41 44 555 00 {day:02}")),
                ..CustomerChanges::default()
            },
        })
        .unwrap();
        f.clock.advance_days(1);
    }
    acme
}

#[test]
fn retention_is_off_by_default_and_checked_when_set() {
    let f = fixture();
    let before = f.service.store().audit_count();
    let report = prune(&f);
    assert_eq!(report.removed, 0);
    assert_eq!(report.checkpoint_seq, None);
    assert!(report.note.unwrap().contains("off"));
    assert_eq!(
        f.service.store().audit_count(),
        before,
        "a no-op writes no event"
    );
    for bad in ["29", "0", "-5", "36501", "soon", ""] {
        let err = set(&f, "audit.retention_days", bad).unwrap_err();
        assert!(err.contains("audit.retention_days"), "{bad}: {err}");
    }
    set(&f, "audit.retention_days", "30").unwrap();
    set(&f, "audit.retention_days", "OFF").unwrap();
    set(&f, "audit.retention_days", "400").unwrap();
    let got = f
        .service
        .get_setting(&f.owner, "audit.retention_days")
        .unwrap();
    assert_eq!(got, "400");
}

#[test]
fn a_prune_removes_only_the_old_events_and_the_rest_still_verifies() {
    let f = fixture();
    let acme = a_hundred_days(&f);
    let store = f.service.store();
    let total = store.audit_count() as u64;
    set(&f, "audit.retention_days", "30").unwrap();
    let report = prune(&f);
    let cut = report.checkpoint_seq.unwrap();
    // Every event of day 70 or later is kept; the newest older one is the checkpoint.
    let now = f.clock.now();
    let oldest_kept = store.audit_oldest_from(0).next().unwrap().unwrap();
    assert_eq!(oldest_kept.seq, cut + 1);
    assert!(oldest_kept.at.0 >= now.0 - 30 * 86_400_000);
    assert_eq!(report.removed, cut);
    // The setting and the prune each wrote one event.
    assert_eq!(store.audit_count() as u64, total + 2 - cut);
    let checkpoint = store.audit_checkpoint().unwrap().unwrap();
    assert_eq!(checkpoint.seq, cut);
    assert!(checkpoint.at.0 < now.0 - 30 * 86_400_000);
    assert_eq!(oldest_kept.prev_hash, checkpoint.hash);
    // One audited step, naming the checkpoint.
    let newest = store.audit_newest_first().next().unwrap().unwrap();
    assert_eq!(newest.action, "log.prune");
    assert!(
        newest.summary.contains(&format!("checkpoint {cut}:")),
        "{}",
        newest.summary
    );
    let chain = store.verify_chain().unwrap();
    assert!(chain.first_break.is_none(), "{chain:?}");
    assert_eq!(chain.checkpoint, Some(cut));
    assert!(store.check_invariants().unwrap().is_empty());
    // The customer's own history now begins after the checkpoint; the customer stays.
    let detail = f.service.show_customer(&f.owner, &acme).unwrap();
    assert_eq!(detail.row.slug, acme);
    // A second prune the same day has nothing to cut and writes nothing.
    let count = store.audit_count();
    let again = prune(&f);
    assert_eq!(again.removed, 0);
    assert_eq!(again.checkpoint_seq, Some(cut));
    assert_eq!(store.audit_count(), count);
    // No index entry is left for a removed event.
    let (_dir, db) = closed(f);
    let raw = common::raw_sled(&db);
    for tree in [TreeName::AuditByCustomer, TreeName::AuditByUser] {
        let entries: Vec<_> = raw
            .open_tree(tree.as_str())
            .unwrap()
            .iter()
            .keys()
            .collect();
        assert!(!entries.is_empty());
        for key in entries {
            let (_, seq) = keys::read_pair("t", &key.unwrap()).unwrap();
            assert!(seq > cut, "{tree:?} keeps {seq}");
        }
    }
}

#[test]
fn a_prune_stopped_after_its_checkpoint_is_finished_by_the_next() {
    let f = fixture();
    a_hundred_days(&f);
    let store = f.service.store();
    // What the first transaction of a prune leaves if the process dies right after it.
    let cut = store.audit_oldest_from(20).next().unwrap().unwrap();
    store
        .transact(|tx: &Tx<'_, StoreError>| {
            tx.put_audit_checkpoint(&AuditCheckpoint {
                seq: cut.seq,
                hash: cut.hash,
                at: cut.at,
            })?;
            tx.append_audit(AuditEvent {
                seq: 0,
                at: cut.at,
                actor: Actor::System,
                impersonating: None,
                customer: None,
                action: "log.prune".into(),
                summary: tenantry::store::check::checkpoint_words(cut.seq, &cut.hash),
                prev_hash: [0; 32],
                hash: [0; 32],
            })?;
            Ok(())
        })
        .unwrap();
    assert!(store.verify_chain().unwrap().first_break.is_none());
    assert!(
        store.check_invariants().unwrap().is_empty(),
        "leftovers are not damage"
    );
    assert_eq!(store.remove_pruned_events().unwrap(), cut.seq);
    assert_eq!(
        store.audit_oldest_from(0).next().unwrap().unwrap().seq,
        cut.seq + 1
    );
    assert!(store.check_invariants().unwrap().is_empty());
}

/// The database of `f`, closed, for the binary to open.
fn closed(f: common::Fixture) -> (std::sync::Arc<tempfile::TempDir>, PathBuf) {
    let dir = f.dir.clone();
    drop(f);
    let db = dir.path().join("db");
    (dir, db)
}

fn run(dir: &Path, db: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Process::new(env!("CARGO_BIN_EXE_tenantry"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("TENANTRY_USER", "owner@example.com")
        .env("TENANTRY_PASSWORD", PASSWORD)
        .env("TENANTRY_LOG_DIR", dir.join("log"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn exports_before_and_after_a_prune_verify_and_a_cut_one_does_not() {
    let f = fixture();
    a_hundred_days(&f);
    set(&f, "audit.retention_days", "30").unwrap();
    let (dir, db) = closed(f);
    let d = dir.path();
    let before = d.join("before.jsonl");
    let b = before.to_str().unwrap();
    assert_eq!(
        run(
            d,
            &db,
            &["log", "export", "--format", "jsonl", "--output", b]
        )
        .0,
        0
    );
    let (code, out, err) = run(d, &db, &["log", "prune"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("the log begins after checkpoint"), "{out}");
    let (code, out, _) = run(d, &db, &["log", "verify"]);
    assert_eq!(code, 0);
    assert!(out.contains("from the checkpoint of a prune"), "{out}");
    let (_, head, _) = run(d, &db, &["log", "head", "--format", "json"]);
    let head: serde_json::Value = serde_json::from_str(&head).unwrap();
    let cut = head["checkpoint_seq"].as_u64().unwrap();
    assert!(cut > 0);
    assert_eq!(run(d, &db, &["check"]).0, 0);
    // An export taken before the prune still verifies against the pruned database.
    let (code, out, err) = run(d, &db, &["log", "verify", "--from-export", b]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("before the checkpoint of a prune"), "{out}");
    // Exports taken after it begin after the checkpoint, and say so.
    for format in ["jsonl", "csv"] {
        let after = d.join(format!("after.{format}"));
        let a = after.to_str().unwrap();
        assert_eq!(
            run(
                d,
                &db,
                &["log", "export", "--format", format, "--output", a]
            )
            .0,
            0
        );
        let (code, out, err) = run(d, &db, &["log", "verify", "--from-export", a]);
        assert_eq!(code, 0, "{format}: {out}{err}");
        python_agrees(d, &after, true);
    }
    // Removing the oldest event of a pruned export is caught, by both verifiers.
    let after = d.join("after.jsonl");
    let text = std::fs::read_to_string(&after).unwrap();
    let cut_file = d.join("cut.jsonl");
    std::fs::write(
        &cut_file,
        text.lines().skip(1).collect::<Vec<_>>().join("\n") + "\n",
    )
    .unwrap();
    let (code, out, _) = run(
        d,
        &db,
        &["log", "verify", "--from-export", cut_file.to_str().unwrap()],
    );
    assert_eq!(code, 1);
    assert!(
        out.contains(&format!("event {}: missing", cut + 1)),
        "{out}"
    );
    python_agrees(d, &cut_file, false);
}

#[test]
fn tampering_after_a_prune_is_still_caught() {
    let f = fixture();
    a_hundred_days(&f);
    set(&f, "audit.retention_days", "30").unwrap();
    let cut = prune(&f).checkpoint_seq.unwrap();
    let (dir, db) = closed(f);
    // A checkpoint moved to a hash of someone's choosing no longer meets the chain.
    {
        let store = Store::open(&db, OpenMode::Existing, &StoreOptions::default()).unwrap();
        let mut checkpoint = store.audit_checkpoint().unwrap().unwrap();
        checkpoint.hash[0] ^= 1;
        store
            .transact(
                |tx: &tenantry::store::Tx<'_, tenantry::store::StoreError>| {
                    tx.put_audit_checkpoint(&checkpoint)
                },
            )
            .unwrap();
        let chain = store.verify_chain().unwrap();
        let broken = chain.first_break.unwrap();
        assert_eq!(broken.seq, cut + 1, "{broken:?}");
        assert!(broken.reason.contains("link"), "{broken:?}");
    }
    let (code, _, err) = run(dir.path(), &db, &["log", "verify"]);
    assert_eq!(code, 1, "{err}");
}

/// The Python verifier of `docs/audit-format.md` on `file`: passes exactly when `ok`.
fn python_agrees(dir: &Path, file: &Path, ok: bool) {
    if Process::new("python3").arg("--version").output().is_err() {
        println!("skipped the Python verifier: python3 is not installed");
        return;
    }
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/audit-format.md"))
            .unwrap();
    let start = doc.find("```python\n#!/usr/bin/env python3").unwrap() + "```python\n".len();
    let len = doc[start..].find("\n```").unwrap();
    let script = dir.join("verify_audit.py");
    std::fs::write(&script, &doc[start..start + len + 1]).unwrap();
    let out = Process::new("python3")
        .arg(&script)
        .arg(file)
        .output()
        .unwrap();
    assert_eq!(
        out.status.success(),
        ok,
        "{}: {}{}",
        file.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_checkpoint_no_prune_wrote_is_a_break() {
    let f = fixture();
    a_hundred_days(&f);
    let (_dir, db) = closed(f);
    let store = Store::open(&db, OpenMode::Existing, &StoreOptions::default()).unwrap();
    // Someone who can write the database hides events 1..50 behind a checkpoint of their own.
    let fake = store.audit_oldest_from(50).next().unwrap().unwrap();
    store
        .transact(|tx: &Tx<'_, StoreError>| {
            tx.put_audit_checkpoint(&AuditCheckpoint {
                seq: fake.seq,
                hash: fake.hash,
                at: fake.at,
            })
        })
        .unwrap();
    let chain = store.verify_chain().unwrap();
    let broken = chain.first_break.expect("a checkpoint no prune names");
    assert!(broken.reason.contains("no log.prune event"), "{broken:?}");
}

#[test]
fn an_export_whose_oldest_events_were_cut_and_its_start_moved_is_caught() {
    let f = fixture();
    a_hundred_days(&f);
    let (dir, db) = closed(f);
    let d = dir.path();
    let full = d.join("full.jsonl");
    let path = full.to_str().unwrap();
    assert_eq!(
        run(
            d,
            &db,
            &["log", "export", "--format", "jsonl", "--output", path]
        )
        .0,
        0
    );
    let text = std::fs::read_to_string(&full).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let kept: Vec<serde_json::Value> = lines[20..lines.len() - 1]
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut trailer: serde_json::Value = serde_json::from_str(lines[lines.len() - 1]).unwrap();
    trailer["start_seq"] = kept[0]["seq"].clone();
    trailer["start_prev_hash"] = kept[0]["prev_hash"].clone();
    trailer["rows"] = serde_json::json!(kept.len());
    let forged = d.join("forged.jsonl");
    let mut out: Vec<String> = kept.iter().map(|v| v.to_string()).collect();
    out.push(trailer.to_string());
    std::fs::write(&forged, out.join("\n") + "\n").unwrap();
    let (code, out, _) = run(
        d,
        &db,
        &["log", "verify", "--from-export", forged.to_str().unwrap()],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("no log.prune event in the file"), "{out}");
    assert!(out.contains("the stored log begins at event 1"), "{out}");
    python_agrees(d, &forged, false);
}
