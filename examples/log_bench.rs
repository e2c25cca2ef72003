//! The audit log at scale: builds a database of N events (default 1 000 000, appended through
//! the store's own chain append in batches), then times the release binary's `log export`
//! (JSON Lines and CSV), `log verify` (the stored chain), `log verify --from-export` and a
//! full-scan `log --grep`, beside a plain SHA-256 of the export's bytes in this process (the
//! limit a verifier cannot beat). Prints a Markdown table.
//!
//! cargo build --release && cargo run --release --example log_bench [-- N]

#[path = "bench_support/mod.rs"]
mod bench_support;

use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::time::Instant;

use sha2::{Digest, Sha256};
use tenantry::domain::{Actor, AuditEvent, CustomerId, CustomerRef, Timestamp, UserId};
use tenantry::service::{InitRequest, Service, ServiceError};
use tenantry::store::{OpenMode, StoreOptions};

type Error = Box<dyn std::error::Error>;

fn main() -> Result<(), Error> {
    let n: u64 = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(1_000_000);
    let bin = bench_support::release_binary()?;
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("db");
    let built = Instant::now();
    build(&db, n)?;
    eprintln!("built {n} events in {:.1} s", built.elapsed().as_secs_f64());
    let events = n + 1; // and platform.init
    println!("| {events} events | seconds | events/s | note |");
    println!("|---|---|---|---|");
    let jsonl = dir.path().join("audit.jsonl");
    let csv = dir.path().join("audit.csv");
    let run = |args: &[&str], note: &str| -> Result<(), Error> {
        let secs = time(&bin, &db, dir.path(), args)?;
        // Each export adds its own event, so later runs see a few more; not worth correcting.
        let shown: Vec<&str> = args
            .iter()
            .map(|a| if a.starts_with('/') { "FILE" } else { a })
            .collect();
        println!(
            "| `tenantry {}` | {secs:.2} | {:.0} | {note} |",
            shown.join(" "),
            events as f64 / secs
        );
        Ok(())
    };
    let out = |p: &Path| p.to_str().unwrap_or_default().to_owned();
    run(
        &[
            "log",
            "export",
            "--format",
            "jsonl",
            "--output",
            &out(&jsonl),
        ],
        "whole process, file synced",
    )?;
    run(
        &["log", "export", "--format", "csv", "--output", &out(&csv)],
        "whole process, file synced",
    )?;
    run(&["log", "verify"], "stored chain: decode, hash, link")?;
    run(
        &["log", "verify", "--from-export", &out(&jsonl)],
        "parse, hash, link, compare with the stored chain",
    )?;
    run(
        &["log", "verify", "--from-export", &out(&csv)],
        "likewise, CSV",
    )?;
    run(
        &["log", "--grep", "no such text", "--format", "jsonl"],
        "free text over every event, no match",
    )?;
    let bytes = std::fs::read(&jsonl)?;
    let start = Instant::now();
    let digest = Sha256::digest(&bytes);
    let secs = start.elapsed().as_secs_f64();
    println!(
        "| SHA-256 of the JSON Lines export ({} MB, in memory) | {secs:.2} | {:.0} | the limit; {} |",
        bytes.len() / 1_000_000,
        events as f64 / secs,
        &hex::encode(digest)[..8]
    );
    Ok(())
}

/// A database with `n` events after `init`, appended 10 000 a transaction.
fn build(db: &Path, n: u64) -> Result<(), Error> {
    let service = Service::open(db, OpenMode::CreateIfMissing, &StoreOptions::default())?;
    service.init(&InitRequest {
        company: "Bench Hosting".into(),
        email: "owner@example.com".into(),
        first_name: "Olga".into(),
        last_name: "Owner".into(),
        password: "correct horse battery".into(),
        unix_user: tenantry::system::current_unix_user(),
    })?;
    let store = service.store();
    let mut done = 0u64;
    while done < n {
        let batch = (n - done).min(10_000);
        store.transact(|tx| -> Result<(), tenantry::store::TxError<ServiceError>> {
            for i in done..done + batch {
                tx.append_audit(AuditEvent {
                    seq: 0,
                    at: Timestamp(1_767_225_600_000 + i as i64 * 1_000),
                    actor: Actor::User {
                        id: UserId(1),
                        email: "owner@example.com".into(),
                    },
                    impersonating: None,
                    customer: (i % 10 == 0).then(|| CustomerRef {
                        id: CustomerId(2),
                        slug: "bench-hosting".into(),
                        name: "Bench Hosting".into(),
                    }),
                    action: "customer.edit".into(),
                    summary: format!("name: Customer {i:07} → Customer {i:07} AG; phone: (none)"),
                    prev_hash: [0; 32],
                    hash: [0; 32],
                })?;
            }
            Ok(())
        })?;
        done += batch;
    }
    service.flush()?;
    Ok(())
}

/// Seconds one run of the binary takes; fails on a non-zero exit.
fn time(bin: &Path, db: &Path, dir: &Path, args: &[&str]) -> Result<f64, Error> {
    let start = Instant::now();
    let out = Process::new(bin)
        .arg("--db")
        .arg(db)
        .args(args)
        .env("TENANTRY_LOG_DIR", dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()?;
    let secs = start.elapsed().as_secs_f64();
    if !out.status.success() {
        return Err(format!("{args:?} failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(secs)
}
