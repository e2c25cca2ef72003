//! People benchmark: a database of N customers, 3N users and N/2 invitations built through the
//! service, with, in the same run, the same user keys written by raw sled transactions (the
//! engine's ceiling), and the whole-process time of `tenantry user list --limit 50` with the
//! release binary.
//!
//! Run: `cargo build --release && cargo run --release --example people_bench -- [N]`
//! (default 100000). Prints a table; figures are recorded in docs/performance.md.

#[path = "bench_support/mod.rs"]
mod bench_support;

use std::path::Path;
use std::process::Command as Process;
use std::time::{Duration, Instant};

use tenantry::domain::text::email_lookalike_key;
use tenantry::domain::{
    Actor, AuditEvent, CustomerRef, CustomerRole, Membership, Timestamp, User, UserId,
};
use tenantry::service::{
    Command, CustomerCommand, InitRequest, InvitationCommand, NewCustomer, NewInvitation, NewUser,
    Service, UserCommand,
};
use tenantry::store::{OpenMode, StoreOptions, codec, keys};

type Error = Box<dyn std::error::Error>;

const BATCH: usize = 500;

fn main() -> Result<(), Error> {
    let n: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(100_000);
    let bin = bench_support::release_binary()?;
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("db");
    let service = Service::open(&db, OpenMode::CreateIfMissing, &StoreOptions::default())?;
    let owner = service.init(&InitRequest {
        company: "Bench Hosting".into(),
        email: "owner@example.com".into(),
        first_name: "Olga".into(),
        last_name: "Owner".into(),
        password: "correct horse battery".into(),
        unix_user: tenantry::system::current_unix_user(),
    })?;

    let started = Instant::now();
    let slugs = customers(&service, &owner, n)?;
    let customers_time = started.elapsed();

    let users = 3 * n;
    let started = Instant::now();
    for chunk in (0..users).collect::<Vec<_>>().chunks(BATCH) {
        let batch: Vec<Command> = chunk
            .iter()
            .map(|&i| {
                UserCommand::Add(NewUser {
                    customer: slugs[i % n].clone(),
                    email: format!("user{i:07}@bench.example"),
                    first_name: format!("First{i}"),
                    last_name: format!("Last{i}"),
                    role: CustomerRole::Member,
                    language: None,
                    fields: Vec::new(),
                })
                .into()
            })
            .collect();
        service.execute_batch(&owner, batch)?;
    }
    let service_rate = users as f64 / started.elapsed().as_secs_f64();
    let raw_rate = raw_users(&dir.path().join("raw"), users)?;

    let invitations = n / 2;
    let started = Instant::now();
    for chunk in (0..invitations).collect::<Vec<_>>().chunks(BATCH) {
        let batch: Vec<Command> = chunk
            .iter()
            .map(|&i| {
                InvitationCommand::Create(NewInvitation {
                    customer: slugs[i % n].clone(),
                    email: format!("invitee{i:07}@bench.example"),
                    first_name: format!("Invited{i}"),
                    last_name: "Person".into(),
                    role: CustomerRole::Member,
                    language: None,
                    expires_days: None,
                })
                .into()
            })
            .collect();
        service.execute_batch(&owner, batch)?;
    }
    let invitation_rate = invitations as f64 / started.elapsed().as_secs_f64();
    drop(service);

    let list = median_run(&bin, &db, &["user", "list", "--limit", "50"], 7)?;
    let filtered = median_run(
        &bin,
        &db,
        &["user", "list", "--limit", "50", "--filter", "user0299"],
        7,
    )?;

    println!("| measure | value |");
    println!("|---|---|");
    println!(
        "| {n} customers through the service | {:.1} s |",
        customers_time.as_secs_f64()
    );
    println!(
        "| {users} users through the service (batches of {BATCH}) | {service_rate:.0} users/s |"
    );
    println!("| the same user keys by raw sled transactions | {raw_rate:.0} users/s |");
    println!(
        "| service / raw sled | {:.0}% |",
        100.0 * service_rate / raw_rate
    );
    println!(
        "| {invitations} invitations through the service, each message an fsynced file | {invitation_rate:.0} invitations/s |"
    );
    println!(
        "| `tenantry user list --limit 50`, whole process, median of 7 | {} ms |",
        list.as_millis()
    );
    println!(
        "| `tenantry user list --limit 50 --filter user0299`, median of 7 | {} ms |",
        filtered.as_millis()
    );
    Ok(())
}

/// N corporate customers, in batches; returns their slugs.
fn customers(
    service: &Service,
    owner: &tenantry::service::Session,
    n: usize,
) -> Result<Vec<String>, Error> {
    let mut slugs = Vec::with_capacity(n);
    for chunk in (0..n).collect::<Vec<_>>().chunks(1_000) {
        let batch: Vec<Command> = chunk
            .iter()
            .map(|&i| {
                CustomerCommand::Add(NewCustomer {
                    name: format!("Customer {i:07}"),
                    ..NewCustomer::default()
                })
                .into()
            })
            .collect();
        for outcome in service.execute_batch(owner, batch)? {
            if let tenantry::service::Outcome::Customer(row) = outcome {
                slugs.push(row.slug);
            }
        }
    }
    Ok(slugs)
}

/// Writes, per user, the keys a user add writes: the user, its email and look-alike
/// entries, the membership both ways, the event with its customer and user index entries,
/// and the two counters; one transaction and flush per batch, as the service does.
fn raw_users(path: &Path, n: usize) -> Result<f64, Error> {
    use sled::Transactional;
    let db = sled::Config::new()
        .path(path)
        .cache_capacity(StoreOptions::default().cache_bytes)
        .open()?;
    let names = [
        "users",
        "user_email_to_id",
        "user_lookalike",
        "customer_users",
        "user_customers",
        "audit",
        "audit_by_customer",
        "audit_by_user",
        "meta",
    ];
    let trees: Vec<sled::Tree> = names
        .iter()
        .map(|n| db.open_tree(n))
        .collect::<Result<_, _>>()?;
    let start = Instant::now();
    let mut i = 0;
    while i < n {
        let end = (i + BATCH).min(n);
        let rows: Vec<_> = (i..end).map(encoded).collect::<Result<_, Error>>()?;
        trees
            .as_slice()
            .transaction(|t| {
                for (k, row) in rows.iter().enumerate() {
                    let (uid, cid, seq) = (
                        (i + k) as u64 + 200_000,
                        (i + k) as u64 % 1000,
                        (i + k) as u64 + 1,
                    );
                    t[0].insert(&uid.to_be_bytes(), row.user.as_slice())?;
                    t[1].insert(row.email.as_bytes(), &uid.to_be_bytes())?;
                    t[2].insert(row.lookalike.as_slice(), &[])?;
                    t[3].insert(&keys::pair_key(cid, uid), row.membership.as_slice())?;
                    t[4].insert(&keys::pair_key(uid, cid), &[])?;
                    t[5].insert(&seq.to_be_bytes(), row.event.as_slice())?;
                    t[6].insert(&keys::pair_key(cid, seq), &[])?;
                    t[7].insert(&keys::pair_key(1, seq), &[])?;
                    t[7].insert(&keys::pair_key(uid, seq), &[])?;
                    t[8].insert("next_id", &uid.to_be_bytes())?;
                    t[8].insert("audit_head", &seq.to_be_bytes())?;
                }
                Ok::<(), sled::transaction::ConflictableTransactionError<()>>(())
            })
            .map_err(|e| format!("{e:?}"))?;
        db.flush()?;
        i = end;
    }
    Ok(n as f64 / start.elapsed().as_secs_f64())
}

struct Encoded {
    email: String,
    lookalike: Vec<u8>,
    user: Vec<u8>,
    membership: Vec<u8>,
    event: Vec<u8>,
}

fn encoded(i: usize) -> Result<Encoded, Error> {
    let email = format!("user{i:07}@bench.example");
    let id = UserId(i as u64 + 200_000);
    let mut user = User::new(
        id,
        email.clone(),
        format!("First{i}"),
        format!("Last{i}"),
        Timestamp(0),
    );
    user.created_by = Some(UserId(1));
    let event = AuditEvent {
        seq: i as u64 + 1,
        at: Timestamp(0),
        actor: Actor::User {
            id: UserId(1),
            email: "owner@example.com".into(),
        },
        impersonating: None,
        customer: Some(CustomerRef {
            id: tenantry::domain::CustomerId(i as u64 % 1000),
            slug: format!("customer-{:07}", i % 1000),
            name: format!("Customer {:07}", i % 1000),
        }),
        action: "user.add".into(),
        summary: format!("added user {email} as member (new, invited)"),
        prev_hash: [0; 32],
        hash: [0; 32],
    }
    .seal([0; 32]);
    Ok(Encoded {
        lookalike: keys::lookalike_key(&email_lookalike_key(&email), id),
        email,
        user: codec::encode(&user)?,
        membership: codec::encode(&Membership::active(CustomerRole::Member, Timestamp(0)))?,
        event: codec::encode(&event)?,
    })
}

/// The median wall time of `runs` whole processes of the release binary on `db`, acting as
/// the staff member linked to this Unix user.
fn median_run(bin: &Path, db: &Path, args: &[&str], runs: usize) -> Result<Duration, Error> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let out = Process::new(bin)
            .arg("--db")
            .arg(db)
            .args(args)
            .env_remove("TENANTRY_USER")
            .output()?;
        let took = started.elapsed();
        if !out.status.success() {
            return Err(format!("{args:?}: {}", String::from_utf8_lossy(&out.stderr)).into());
        }
        times.push(took);
    }
    times.sort();
    Ok(times[runs / 2])
}
