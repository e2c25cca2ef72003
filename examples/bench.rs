//! Engine benchmark: creates N customers through the service in batches and measures the same
//! writes on raw sled in the same run (the ceiling), then times whole CLI processes.
//!
//! Run: `cargo build --release && cargo run --release --example bench -- [N] [BATCH]`
//! (defaults 100000 and 500). Prints a table; figures are recorded in docs/performance.md.

#[path = "bench_support/mod.rs"]
mod bench_support;

use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tenantry::domain::{Actor, AuditEvent, Customer, CustomerId, CustomerRef, Slug, Timestamp};
use tenantry::service::{CustomerCommand, InitRequest, NewCustomer, Service, SystemClock};
use tenantry::store::{OpenMode, Store, StoreOptions, codec};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(100_000);
    let batch: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(500);
    let dir = tempfile::tempdir()?;
    let db = match std::env::var_os("BENCH_DB") {
        Some(path) => std::path::PathBuf::from(path),
        None => dir.path().join("db"),
    };
    let bin = bench_support::release_binary()?;

    println!("tenantry engine benchmark: {n} customers, batches of {batch}\n");
    let (service_rate, raw_rate, rss_after_create) =
        create_both(&db, &dir.path().join("raw"), n, batch)?;

    let first_page = time_process(&bin, &db, &["customer", "list", "--limit", "50"], 5)?;
    let filtered = time_process(
        &bin,
        &db,
        &["customer", "list", "--filter", "customer 9999"],
        3,
    )?;
    let full_scan = time_process(&bin, &db, &["customer", "list", "--format", "csv"], 3)?;
    let child_rss = [
        &["customer", "list", "--limit", "50"][..],
        &["customer", "list", "--filter", "customer 9999"],
        &["customer", "list", "--format", "csv"],
    ]
    .iter()
    .map(|args| process_peak_rss_mb(&bin, &db, args))
    .collect::<Option<Vec<f64>>>()
    .map(|v| format!("{:.0} MB", v.into_iter().fold(0.0, f64::max)))
    .unwrap_or_else(|| "n/a (needs /usr/bin/time)".into());
    let disk = dir_size(&db.join("sled"));

    println!("| measure | tenantry | raw sled (ceiling) | ratio | target |");
    println!("|---|---|---|---|---|");
    println!(
        "| customers created per second | {service_rate:.0} | {raw_rate:.0} | {:.0}% | ≥ 70% |",
        100.0 * service_rate / raw_rate
    );
    println!(
        "| process start → first 50 rows (`customer list --limit 50`) | {} | | | < 300 ms |",
        ms(first_page)
    );
    println!(
        "| filtered list (`--filter`, whole process) | {} | | | |",
        ms(filtered)
    );
    println!(
        "| full scan (`--format csv`, all rows, whole process) | {} | | | |",
        ms(full_scan)
    );
    println!("| disk size | {:.1} MB | | | |", disk as f64 / 1e6);
    println!(
        "| peak RSS, creating (this process, both databases) | {rss_after_create:.0} MB | | | < 200 MB |"
    );
    println!("| peak RSS, listing processes (largest) | {child_rss} | | | < 200 MB |");
    Ok(())
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// The service side: a database with its provider and owner, filled batch by batch.
struct ServiceWriter {
    service: Service,
    owner: tenantry::service::Session,
}

impl ServiceWriter {
    fn open(db: &Path) -> Result<Self, Box<dyn std::error::Error>> {
        let service = Service::new(
            Store::open(db, OpenMode::CreateIfMissing, &StoreOptions::default())?,
            Arc::new(SystemClock),
        );
        let owner = service.init(&InitRequest {
            company: "Bench Hosting".into(),
            email: "owner@example.com".into(),
            first_name: "Olga".into(),
            last_name: "Owner".into(),
            password: "correct horse battery".into(),
            unix_user: tenantry::system::current_unix_user(),
        })?;
        Ok(Self { service, owner })
    }

    /// Creates customers `range` through the service in one batch; returns the time taken.
    fn write(&self, range: std::ops::Range<usize>) -> Result<Duration, Box<dyn std::error::Error>> {
        let commands = range
            .map(|k| {
                CustomerCommand::Add(NewCustomer {
                    name: format!("Customer {k:06}"),
                    ..Default::default()
                })
                .into()
            })
            .collect();
        let start = Instant::now();
        self.service.execute_batch(&self.owner, commands)?;
        Ok(start.elapsed())
    }
}

/// The ceiling: the same rows written straight to sled (customer, slug index, audit event,
/// audit index and the meta counters), one transaction and one flush per batch.
struct RawWriter {
    db: sled::Db,
    trees: Vec<sled::Tree>,
}

impl RawWriter {
    fn open(path: &Path) -> Result<Self, Box<dyn std::error::Error>> {
        let db = sled::Config::new()
            .path(path)
            .cache_capacity(StoreOptions::default().cache_bytes)
            .open()?;
        let names = [
            "customers",
            "customer_slug_to_id",
            "audit",
            "audit_by_customer",
            "meta",
        ];
        let trees = names
            .iter()
            .map(|n| db.open_tree(n))
            .collect::<Result<_, _>>()?;
        Ok(Self { db, trees })
    }

    /// Writes rows `range` in one transaction and flushes; returns the time taken, counting
    /// the encoding as the service's time counts its own.
    fn write(&self, range: std::ops::Range<usize>) -> Result<Duration, Box<dyn std::error::Error>> {
        use sled::Transactional;
        let start = Instant::now();
        let first = range.start;
        let rows: Vec<(Vec<u8>, Vec<u8>, Vec<u8>)> = range
            .map(|k| {
                let id = k as u64 + 10;
                let slug = format!("customer-{k:06}");
                let customer = Customer {
                    id: CustomerId(id),
                    name: format!("Customer {k:06}"),
                    slug: Slug::from_stored(slug.clone()),
                    kind: Default::default(),
                    status: Default::default(),
                    language: "en".into(),
                    owner: None,
                    contact_email: None,
                    contact_phone: None,
                    is_provider: false,
                    created_at: Timestamp(0),
                    updated_at: Timestamp(0),
                    deleted: None,
                    postal_address: None,
                    website: None,
                    services: Vec::new(),
                    system: tenantry::domain::systems::FIRST_SYSTEM,
                    plan: None,
                    independent: None,
                    fields: Vec::new(),
                };
                let event = AuditEvent {
                    seq: k as u64,
                    at: Timestamp(0),
                    actor: Actor::System,
                    impersonating: None,
                    customer: Some(CustomerRef {
                        id: CustomerId(id),
                        slug: slug.clone(),
                        name: customer.name.clone(),
                    }),
                    action: "customer.add".into(),
                    summary: "added corporate customer, active, language en, no owner".into(),
                    prev_hash: [0; 32],
                    hash: [0; 32],
                }
                .seal([0; 32]);
                (
                    slug.into_bytes(),
                    codec::encode(&customer).unwrap_or_default(),
                    codec::encode(&event).unwrap_or_default(),
                )
            })
            .collect();
        self.trees
            .as_slice()
            .transaction(|t| {
                for (k, (slug, customer, event)) in rows.iter().enumerate() {
                    let id = ((first + k) as u64 + 10).to_be_bytes();
                    let seq = ((first + k) as u64).to_be_bytes();
                    t[0].insert(&id, customer.as_slice())?;
                    t[1].insert(slug.as_slice(), &id)?;
                    t[2].insert(&seq, event.as_slice())?;
                    let mut pair = id.to_vec();
                    pair.extend_from_slice(&seq);
                    t[3].insert(pair, &[])?;
                    t[4].insert("next_id", &id)?;
                    t[4].insert("audit_head", &seq)?;
                }
                Ok::<(), sled::transaction::ConflictableTransactionError<()>>(())
            })
            .map_err(|e| format!("{e:?}"))?;
        self.db.flush()?;
        Ok(start.elapsed())
    }
}

/// Creates `n` customers both ways, alternating batch by batch so that whatever else the
/// machine does slows both sides alike. Returns (service rate, raw rate, peak RSS in MB).
fn create_both(
    db: &Path,
    raw: &Path,
    n: usize,
    batch: usize,
) -> Result<(f64, f64, f64), Box<dyn std::error::Error>> {
    let service = ServiceWriter::open(db)?;
    let raw = RawWriter::open(raw)?;
    let (mut service_time, mut raw_time) = (Duration::ZERO, Duration::ZERO);
    let mut i = 0;
    while i < n {
        let end = (i + batch).min(n);
        raw_time += raw.write(i..end)?;
        service_time += service.write(i..end)?;
        i = end;
    }
    let rate = |t: Duration| n as f64 / t.as_secs_f64();
    Ok((
        rate(service_time),
        rate(raw_time),
        bench_support::self_peak_rss_mb(),
    ))
}

/// The best of `runs` whole-process timings (start to exit), output discarded.
fn time_process(
    bin: &Path,
    db: &Path,
    args: &[&str],
    runs: usize,
) -> Result<Duration, Box<dyn std::error::Error>> {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let start = Instant::now();
        let status = Process::new(bin)
            .arg("--db")
            .arg(db)
            .args(args)
            .env("TENANTRY_LOG_DIR", db.parent().unwrap_or(db))
            .stdout(Stdio::null())
            .status()?;
        let took = start.elapsed();
        if !status.success() {
            return Err(format!("{args:?} failed: {status}").into());
        }
        best = best.min(took);
    }
    Ok(best)
}

/// Peak RSS of one CLI process, measured by `/usr/bin/time` (a child forked from this large
/// process would report this process's size, not its own).
fn process_peak_rss_mb(bin: &Path, db: &Path, args: &[&str]) -> Option<f64> {
    let out = Process::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(bin)
        .arg("--db")
        .arg(db)
        .args(args)
        .env("TENANTRY_LOG_DIR", db.parent().unwrap_or(db))
        .stdout(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stderr);
    let kb: f64 = text.lines().last()?.trim().parse().ok()?;
    Some(kb / 1024.0)
}

fn dir_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}
