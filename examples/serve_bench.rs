//! Server benchmark: the same reads direct and through `tenantry serve`, side by side in one
//! run, on one database of N customers (made by `init` and a CSV import):
//!
//! - a query's round trip (`customer list --limit 50`'s first page) in process against over
//!   the socket, p50 and p99;
//! - the whole `tenantry customer list --limit 50` process, direct against through the server;
//! - the server's resident memory with 20 clients connected and signed in.
//!
//! Run: `cargo build --release --locked --bin tenantry --example serve_bench &&
//! target/release/examples/serve_bench [N] [ROUNDS]` (defaults 20000 and 2000).

#[path = "bench_support/mod.rs"]
mod bench_support;

use std::io::BufRead;
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use bench_support::{ms, percentile};
use tenantry::backend::{Backend, Local, Remote};
use tenantry::service::{CustomerQuery, Query};
use tenantry::store::{OpenMode, StoreOptions};

type Error = Box<dyn std::error::Error>;

const PASSWORD: &str = "correct horse battery staple";

fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(20_000);
    let rounds: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(2_000);
    let bin = bench_support::release_binary()?;
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("db");
    let run = dir.path().join("run");
    std::fs::create_dir(&run)?;
    // The server, the CLI processes and this one find the socket in the same place.
    let cli = |args: &[&str]| -> Result<(), Error> {
        let status = Process::new(&bin)
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("XDG_RUNTIME_DIR", &run)
            .env("TENANTRY_LOG_DIR", dir.path())
            .env("TENANTRY_PASSWORD", PASSWORD)
            .stdout(Stdio::null())
            .status()?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("{args:?}: {status}").into())
        }
    };
    cli(&[
        "init",
        "--company",
        "Bench Hosting",
        "--admin-email",
        "ops@example.com",
        "--admin-first",
        "Olga",
        "--admin-last",
        "Ops",
    ])?;
    let csv = dir.path().join("customers.csv");
    let mut text = String::from("name\n");
    for i in 0..n {
        text.push_str(&format!("Customer {i:07}\n"));
    }
    std::fs::write(&csv, text)?;
    cli(&["import", "customers", csv.to_str().ok_or("path")?])?;
    println!("tenantry server benchmark: {n} customers, {rounds} rounds\n");

    let unix_user = tenantry::system::current_unix_user().ok_or("no Unix user name")?;
    let direct = {
        let local = Local::open(&db, OpenMode::Existing, &StoreOptions::default())?;
        local.peer_authenticate(&unix_user)?.ok_or("not linked")?;
        let times = round_trips(&local, rounds)?;
        local.close()?;
        times
    };
    let direct_process = time_process(&bin, &db, &run, &["--no-server"], 20)?;

    let mut server = Process::new(&bin)
        .arg("--db")
        .arg(&db)
        .arg("serve")
        .env("XDG_RUNTIME_DIR", &run)
        .env("TENANTRY_LOG_DIR", dir.path())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut line = String::new();
    std::io::BufReader::new(server.stdout.take().ok_or("stdout")?).read_line(&mut line)?;
    let socket_dir = run.join("tenantry");
    let remote = Remote::connect(&db, Some(&socket_dir))?.ok_or("no server")?;
    remote.peer_authenticate(&unix_user)?.ok_or("not linked")?;
    let through = round_trips(&remote, rounds)?;
    let through_process = time_process(&bin, &db, &run, &[], 20)?;
    let idle_rss = rss_mb(server.id());
    let clients: Vec<Remote> = (0..20)
        .map(|_| -> Result<Remote, Error> {
            let client = Remote::connect(&db, Some(&socket_dir))?.ok_or("no server")?;
            client.peer_authenticate(&unix_user)?;
            Ok(client)
        })
        .collect::<Result<_, _>>()?;
    let busy_rss = rss_mb(server.id());
    drop(clients);
    drop(remote);
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(i32::try_from(server.id())?),
        nix::sys::signal::Signal::SIGTERM,
    )?;
    server.wait()?;

    println!("| measure | direct | through the server |");
    println!("|---|---|---|");
    println!(
        "| first page of 50 customers, round trip p50 | {} | {} |",
        ms(percentile(&direct, 0.5)),
        ms(percentile(&through, 0.5))
    );
    println!(
        "| first page of 50 customers, round trip p99 | {} | {} |",
        ms(percentile(&direct, 0.99)),
        ms(percentile(&through, 0.99))
    );
    println!(
        "| `customer list --limit 50`, whole process (best of 20) | {} | {} |",
        ms(direct_process),
        ms(through_process)
    );
    println!("| server RSS, 1 client / 21 clients | | {idle_rss:.1} MB / {busy_rss:.1} MB |");
    Ok(())
}

/// Sorted durations of `rounds` first-page reads.
fn round_trips(backend: &dyn Backend, rounds: usize) -> Result<Vec<Duration>, Error> {
    let query = || {
        Query::Customers(CustomerQuery {
            limit: Some(50),
            ..CustomerQuery::default()
        })
    };
    for _ in 0..50 {
        backend.query(query())?;
    }
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let start = Instant::now();
        backend.query(query())?;
        times.push(start.elapsed());
    }
    times.sort();
    Ok(times)
}

/// The best of `runs` whole `customer list --limit 50` processes.
fn time_process(
    bin: &Path,
    db: &Path,
    run: &Path,
    extra: &[&str],
    runs: usize,
) -> Result<Duration, Error> {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let start = Instant::now();
        let status = Process::new(bin)
            .arg("--db")
            .arg(db)
            .args(extra)
            .args(["customer", "list", "--limit", "50"])
            .env("XDG_RUNTIME_DIR", run)
            .env("TENANTRY_LOG_DIR", db.parent().unwrap_or(db))
            .stdout(Stdio::null())
            .status()?;
        if !status.success() {
            return Err(format!("customer list {extra:?}: {status}").into());
        }
        best = best.min(start.elapsed());
    }
    Ok(best)
}

/// A process's resident memory now (`VmRSS`), in MB.
fn rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
