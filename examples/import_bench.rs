//! Import benchmark: generates customer CSVs (name, owner email and name, type, language),
//! imports each with the real `tenantry` binary, and in the same run writes the same keys with
//! raw sled transactions (the ceiling of the engine) and loads the same file into SQLite with a
//! primary key on the name (rusqlite, bundled SQLite).
//!
//! Run: `cargo build --release && cargo run --release --example import_bench -- [N,N,…]`
//! (default 100000,1000000). Prints a table; figures are recorded in docs/performance.md.

#[path = "bench_support/mod.rs"]
mod bench_support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::Instant;

use tenantry::domain::{
    Actor, AuditEvent, Customer, CustomerId, CustomerRef, Slug, Timestamp, User, UserId, UserStatus,
};
use tenantry::service::{InitRequest, Service};
use tenantry::store::{OpenMode, StoreOptions, codec};

type Error = Box<dyn std::error::Error>;

fn main() -> Result<(), Error> {
    let sizes: Vec<usize> = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "100000,1000000".into())
        .split(',')
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let bin = bench_support::release_binary()?;
    println!(
        "(tenantry measured twice per size: without custom fields, and with 5 defined and a column each filled)\n"
    );
    println!(
        "| rows | custom fields | tenantry rows/s | raw sled rows/s | sqlite rows/s | tenantry / sled | tenantry / sqlite | tenantry peak RSS | raw sled peak RSS |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for n in sizes {
        let dir = tempfile::tempdir()?;
        let csv = generate(dir.path(), n, false)?;
        let (rate, rss) = tenantry_import(&bin, dir.path(), &csv, n, false)?;
        let sled_rate = raw_sled(&dir.path().join("raw"), n, 1000)?;
        let sled_rss = bench_support::self_peak_rss_mb();
        let sqlite_rate = sqlite(&dir.path().join("bench.sqlite"), &csv, n)?;
        let with_csv = generate(dir.path(), n, true)?;
        let (with_rate, with_rss) = tenantry_import(&bin, dir.path(), &with_csv, n, true)?;
        for (label, rate, rss) in [("none", rate, rss), ("5, filled", with_rate, with_rss)] {
            println!(
                "| {n} | {label} | {rate:.0} | {sled_rate:.0} | {sqlite_rate:.0} | {:.0}% | {:.0}% | {rss} | {sled_rss:.0} MB (this process so far) |",
                100.0 * rate / sled_rate,
                100.0 * rate / sqlite_rate
            );
        }
    }
    Ok(())
}

/// The file of `n` customers; with `fields`, five more columns hold the custom fields.
fn generate(dir: &Path, n: usize, fields: bool) -> Result<PathBuf, Error> {
    let path = dir.join(format!(
        "customers-{n}{}.csv",
        if fields { "-fields" } else { "" }
    ));
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    write!(
        out,
        "Name,Owner Email,Owner First Name,Owner Last Name,Type,Language"
    )?;
    if fields {
        write!(out, ",{}", bench_support::fields::names().join(","))?;
    }
    writeln!(out)?;
    for i in 0..n {
        let kind = if i % 3 == 0 {
            "individual"
        } else {
            "corporate"
        };
        write!(
            out,
            "Customer {i:07},owner{i}@example.com,First{i},Last{i},{kind},en"
        )?;
        if fields {
            write!(out, ",{}", bench_support::fields::values(i).join(","))?;
        }
        writeln!(out)?;
    }
    out.flush()?;
    Ok(path)
}

/// Rows per second of a whole `tenantry import customers` process, and its peak RSS.
/// With `fields`, the database has the five custom fields the file's extra columns fill.
fn tenantry_import(
    bin: &Path,
    dir: &Path,
    csv: &Path,
    n: usize,
    fields: bool,
) -> Result<(f64, String), Error> {
    let db = dir.join(if fields { "db-fields" } else { "db" });
    let service = Service::open(&db, OpenMode::CreateIfMissing, &StoreOptions::default())?;
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
    drop(service);
    let timer = Path::new("/usr/bin/time");
    let mut cmd = if timer.exists() {
        let mut c = Process::new(timer);
        c.args(["-f", "%M"]).arg(bin);
        c
    } else {
        Process::new(bin)
    };
    let start = Instant::now();
    let out = cmd
        .arg("--db")
        .arg(&db)
        .args(["import", "customers"])
        .arg(csv)
        .env("TENANTRY_LOG_DIR", dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()?;
    let secs = start.elapsed().as_secs_f64();
    if !out.status.success() {
        return Err(format!("import failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    let rss = String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()
        .and_then(|l| l.trim().parse::<f64>().ok())
        .map(|kb| format!("{:.0} MB", kb / 1024.0))
        .unwrap_or_else(|| "n/a".into());
    Ok((n as f64 / secs, rss))
}

/// The keys one imported row writes, straight to sled: customer and slug index, owner user
/// and email index, membership both ways, audit event and its index, the import link, and the
/// meta counters; one transaction and one flush per batch.
fn raw_sled(path: &Path, n: usize, batch: usize) -> Result<f64, Error> {
    use sled::Transactional;
    let db = sled::Config::new()
        .path(path)
        .cache_capacity(StoreOptions::default().cache_bytes)
        .open()?;
    let names = [
        "customers",
        "customer_slug_to_id",
        "users",
        "user_email_to_id",
        "customer_users",
        "user_customers",
        "audit",
        "audit_by_customer",
        "import_customers",
        "meta",
    ];
    let trees: Vec<sled::Tree> = names
        .iter()
        .map(|n| db.open_tree(n))
        .collect::<Result<_, _>>()?;
    let pair = |a: u64, b: u64| {
        let mut k = a.to_be_bytes().to_vec();
        k.extend_from_slice(&b.to_be_bytes());
        k
    };
    let start = Instant::now();
    let mut i = 0;
    while i < n {
        let end = (i + batch).min(n);
        let rows: Vec<_> = (i..end)
            .map(|k| encoded_row(k as u64))
            .collect::<Result<_, Error>>()?;
        trees
            .as_slice()
            .transaction(|t| {
                for (k, (slug, email, customer, user, event)) in rows.iter().enumerate() {
                    let row = (i + k) as u64;
                    let (cid, uid, seq) = (2 * row + 10, 2 * row + 11, row + 1);
                    t[0].insert(&cid.to_be_bytes(), customer.as_slice())?;
                    t[1].insert(slug.as_bytes(), &cid.to_be_bytes())?;
                    t[2].insert(&uid.to_be_bytes(), user.as_slice())?;
                    t[3].insert(email.as_bytes(), &uid.to_be_bytes())?;
                    t[4].insert(pair(cid, uid), &[2u8][..])?;
                    t[5].insert(pair(uid, cid), &[])?;
                    t[6].insert(&seq.to_be_bytes(), event.as_slice())?;
                    t[7].insert(pair(cid, seq), &[])?;
                    t[8].insert(pair(1, cid), &[])?;
                    t[9].insert("next_id", &uid.to_be_bytes())?;
                    t[9].insert("audit_head", &seq.to_be_bytes())?;
                }
                Ok::<(), sled::transaction::ConflictableTransactionError<()>>(())
            })
            .map_err(|e| format!("{e:?}"))?;
        db.flush()?;
        i = end;
    }
    Ok(n as f64 / start.elapsed().as_secs_f64())
}

type EncodedRow = (String, String, Vec<u8>, Vec<u8>, Vec<u8>);

fn encoded_row(row: u64) -> Result<EncodedRow, Error> {
    let slug = format!("customer-{row:07}");
    let email = format!("owner{row}@example.com");
    let customer = Customer {
        id: CustomerId(2 * row + 10),
        name: format!("Customer {row:07}"),
        slug: Slug::from_stored(slug.clone()),
        kind: Default::default(),
        status: Default::default(),
        language: "en".into(),
        owner: Some(UserId(2 * row + 11)),
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
    let mut user = User::new(
        UserId(2 * row + 11),
        email.clone(),
        format!("First{row}"),
        format!("Last{row}"),
        Timestamp(0),
    );
    user.status = UserStatus::Invited;
    user.origin = tenantry::domain::UserOrigin::Import;
    user.created_by = Some(UserId(1));
    let event = AuditEvent {
        seq: row + 1,
        at: Timestamp(0),
        actor: Actor::System,
        impersonating: None,
        customer: Some(CustomerRef { id: customer.id, slug: slug.clone(), name: customer.name.clone() }),
        action: "customer.add".into(),
        summary: format!("added corporate customer, active, language en, owner {email} (new, invited); imported from customers.csv (import 1)"),
        prev_hash: [0; 32],
        hash: [0; 32],
    }
    .seal([0; 32]);
    Ok((
        slug,
        email,
        codec::encode(&customer)?,
        codec::encode(&user)?,
        codec::encode(&event)?,
    ))
}

/// Rows per second loading the CSV into SQLite with a primary key on the name, in one
/// transaction with a prepared statement (what the sqlite3 shell's `.import` does).
fn sqlite(path: &Path, csv_path: &Path, n: usize) -> Result<f64, Error> {
    let start = Instant::now();
    let mut conn = rusqlite::Connection::open(path)?;
    conn.execute_batch(
        "CREATE TABLE customers (name TEXT PRIMARY KEY, owner_email TEXT, owner_first TEXT, owner_last TEXT, type TEXT, language TEXT);",
    )?;
    let tx = conn.transaction()?;
    {
        let mut insert = tx.prepare("INSERT INTO customers VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
        let mut reader = csv::Reader::from_path(csv_path)?;
        for record in reader.records() {
            let r = record?;
            insert.execute(rusqlite::params![&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]])?;
        }
    }
    tx.commit()?;
    Ok(n as f64 / start.elapsed().as_secs_f64())
}
