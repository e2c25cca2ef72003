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
    let with_fields = dir.path().join("db-fields");

    println!("tenantry engine benchmark: {n} customers, batches of {batch}");
    println!(
        "(each measured on a database without custom fields and on one with 5 defined and filled)\n"
    );
    let created = create_all(&db, &with_fields, &dir.path().join("raw"), n, batch)?;
    let plain = Listing::measure(&bin, &db)?;
    let fields = Listing::measure(&bin, &with_fields)?;

    println!(
        "| measure | no custom fields | 5 custom fields, filled | raw sled (ceiling) | target |"
    );
    println!("|---|---|---|---|---|");
    println!(
        "| customers created per second | {:.0} ({:.0}% of raw) | {:.0} ({:.0}% of raw) | {:.0} / {:.0} (without / with the values) | ≥ 70% of raw |",
        created.plain,
        100.0 * created.plain / created.raw,
        created.fields,
        100.0 * created.fields / created.raw_fields,
        created.raw,
        created.raw_fields
    );
    let row = |measure: &str, a: String, b: String, target: &str| {
        println!("| {measure} | {a} | {b} | | {target} |");
    };
    row(
        "process start → first 50 rows (`customer list --limit 50`)",
        ms(plain.first_page),
        ms(fields.first_page),
        "< 300 ms",
    );
    row(
        "filtered list (`--filter`, whole process)",
        ms(plain.filtered),
        ms(fields.filtered),
        "",
    );
    row(
        "full scan (`--format csv`, all rows, whole process)",
        ms(plain.full_scan),
        ms(fields.full_scan),
        "",
    );
    row(
        "disk size",
        format!("{:.1} MB", plain.disk as f64 / 1e6),
        format!("{:.1} MB", fields.disk as f64 / 1e6),
        "",
    );
    row(
        "peak RSS, listing processes (largest)",
        plain.child_rss,
        fields.child_rss,
        "< 200 MB",
    );
    println!(
        "\npeak RSS, creating (this process, all four databases): {:.0} MB (target < 200 MB)",
        created.rss_mb
    );
    Ok(())
}

/// The listing processes' figures on one database.
struct Listing {
    first_page: Duration,
    filtered: Duration,
    full_scan: Duration,
    disk: u64,
    child_rss: String,
}

impl Listing {
    fn measure(bin: &Path, db: &Path) -> Result<Self, Box<dyn std::error::Error>> {
        let first_page = time_process(bin, db, &["customer", "list", "--limit", "50"], 5)?;
        let filtered = time_process(
            bin,
            db,
            &["customer", "list", "--filter", "customer 9999"],
            3,
        )?;
        let full_scan = time_process(bin, db, &["customer", "list", "--format", "csv"], 3)?;
        let child_rss = [
            &["customer", "list", "--limit", "50"][..],
            &["customer", "list", "--filter", "customer 9999"],
            &["customer", "list", "--format", "csv"],
        ]
        .iter()
        .map(|args| process_peak_rss_mb(bin, db, args))
        .collect::<Option<Vec<f64>>>()
        .map(|v| format!("{:.0} MB", v.into_iter().fold(0.0, f64::max)))
        .unwrap_or_else(|| "n/a (needs /usr/bin/time)".into());
        Ok(Self {
            first_page,
            filtered,
            full_scan,
            disk: dir_size(&db.join("sled")),
            child_rss,
        })
    }
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// The service side: a database with its provider and owner, filled batch by batch.
struct ServiceWriter {
    service: Service,
    owner: tenantry::service::Session,
    /// Whether the five custom fields are defined and every customer fills them.
    fields: bool,
}

impl ServiceWriter {
    fn open(db: &Path, fields: bool) -> Result<Self, Box<dyn std::error::Error>> {
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
        if fields {
            bench_support::fields::define(&service, &owner)?;
        }
        Ok(Self {
            service,
            owner,
            fields,
        })
    }

    /// Creates customers `range` through the service in one batch; returns the time taken.
    fn write(&self, range: std::ops::Range<usize>) -> Result<Duration, Box<dyn std::error::Error>> {
        let commands = range
            .map(|k| {
                CustomerCommand::Add(NewCustomer {
                    name: format!("Customer {k:06}"),
                    fields: if self.fields {
                        bench_support::fields::pairs(k)
                    } else {
                        Vec::new()
                    },
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
    /// Whether each record carries the five custom field values (and its event says so), as
    /// the service's records with fields do.
    fields: bool,
}

impl RawWriter {
    fn open(path: &Path, fields: bool) -> Result<Self, Box<dyn std::error::Error>> {
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
        Ok(Self { db, trees, fields })
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
                let mut customer = customer;
                let mut summary =
                    "added corporate customer, pending, language en, no owner".to_owned();
                if self.fields {
                    summary.push_str(", 5 custom fields set");
                    let values = bench_support::fields::values(k);
                    for (i, value) in values.into_iter().enumerate() {
                        customer.fields.push(tenantry::domain::fields::FieldValue {
                            field: tenantry::domain::fields::FieldId(i as u32 + 1),
                            value,
                        });
                    }
                }
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
                    summary,
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

/// Creation rates (customers per second) and this process's peak RSS.
struct Created {
    plain: f64,
    fields: f64,
    raw: f64,
    /// Raw sled writing the records with their field values.
    raw_fields: f64,
    rss_mb: f64,
}

/// Creates `n` customers four ways (the service and raw sled, each without custom fields and
/// with five filled), alternating batch by batch so that whatever else the machine does slows
/// all alike.
fn create_all(
    plain: &Path,
    with_fields: &Path,
    raw: &Path,
    n: usize,
    batch: usize,
) -> Result<Created, Box<dyn std::error::Error>> {
    let plain = ServiceWriter::open(plain, false)?;
    let fields = ServiceWriter::open(with_fields, true)?;
    let raw_plain = RawWriter::open(&raw.join("plain"), false)?;
    let raw_fields = RawWriter::open(&raw.join("fields"), true)?;
    let mut times = [Duration::ZERO; 4];
    let mut i = 0;
    while i < n {
        let end = (i + batch).min(n);
        times[0] += raw_plain.write(i..end)?;
        times[1] += plain.write(i..end)?;
        times[2] += raw_fields.write(i..end)?;
        times[3] += fields.write(i..end)?;
        i = end;
    }
    let rate = |t: Duration| n as f64 / t.as_secs_f64();
    Ok(Created {
        raw: rate(times[0]),
        plain: rate(times[1]),
        raw_fields: rate(times[2]),
        fields: rate(times[3]),
        rss_mb: bench_support::self_peak_rss_mb(),
    })
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
