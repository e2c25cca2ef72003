//! Console benchmark with 100 000 customers (run with `cargo run --release --example
//! tui_bench [COUNT]`). Prints a table: opening the database to the first customers screen
//! drawn, loading the compact in-memory list, per-keystroke update + render time (p50/p99 over
//! 1 000 keys) for moving the selection and for typing a filter, and the bytes written to the
//! terminal to move the selection one row. Drawing goes through the real crossterm backend
//! into a byte counter, at 120x36. Figures belong in `docs/performance.md` ("Console").

#[path = "bench_support/mod.rs"]
mod bench_support;

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use tenantry::domain::{CustomerKind, Timestamp};
use tenantry::service::{
    CustomerCommand, IndexEntry, InitRequest, NewCustomer, OwnerSpec, Service, SystemClock,
};
use tenantry::store::{OpenMode, Store, StoreOptions};
use tenantry::tui::action::Action;
use tenantry::tui::app::{App, AppOptions};
use tenantry::tui::config::Config;
use tenantry::tui::render;
use tenantry::tui::runtime::Runtime;

/// Counts the bytes the backend writes.
#[derive(Clone, Default)]
struct Counter(Arc<AtomicUsize>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.fetch_add(buf.len(), Ordering::Relaxed);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

type Term = Terminal<CrosstermBackend<Counter>>;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn terminal(counter: &Counter) -> Result<Term> {
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, 120, 36)),
    };
    Ok(Terminal::with_options(
        CrosstermBackend::new(counter.clone()),
        options,
    )?)
}

/// Creates `count` customers; with `fields`, each fills the five custom fields.
fn fill(
    service: &Service,
    session: &tenantry::service::Session,
    count: usize,
    fields: bool,
) -> Result<()> {
    const A: [&str; 10] = [
        "Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Tyrell", "Wonka",
        "Monarch",
    ];
    const B: [&str; 6] = ["Logistics", "Hosting", "Labs", "Foods", "Media", "Bank"];
    let mut i = 0;
    while i < count {
        let commands = (i..(i + 1000).min(count))
            .map(|n| {
                CustomerCommand::Add(NewCustomer {
                    name: format!("{} {} {n}", A[n % A.len()], B[(n / A.len()) % B.len()]),
                    kind: if n % 3 == 2 {
                        CustomerKind::Individual
                    } else {
                        CustomerKind::Corporate
                    },
                    owner: Some(OwnerSpec {
                        email: format!("owner{n}@customer{n}.example"),
                        first_name: Some("Ann".into()),
                        last_name: Some(format!("Owner{n}")),
                        password: None,
                    }),
                    fields: if fields {
                        bench_support::fields::pairs(n)
                    } else {
                        Vec::new()
                    },
                    ..NewCustomer::default()
                })
                .into()
            })
            .collect();
        service.execute_batch(session, commands)?;
        i += 1000;
    }
    Ok(())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() -> Result<()> {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let plain = measure(count, false)?;
    let fields = measure(count, true)?;
    let build = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!("Console, {count} customers, 120x36, {build} build");
    println!("| measure | no custom fields | 5 custom fields, filled (2 of them columns) |");
    println!("| --- | --- | --- |");
    for (measure, a, b) in [
        (
            "open database → first customers screen drawn (of which opening the database)",
            format!("{} ({})", ms(plain.first_screen), ms(plain.opened)),
            format!("{} ({})", ms(fields.first_screen), ms(fields.opened)),
        ),
        (
            "load the in-memory list (whole table)",
            ms(plain.load),
            ms(fields.load),
        ),
        (
            "move selection, update + render, p50 / p99 (1 000 keys)",
            format!("{} / {}", ms(plain.moves.0), ms(plain.moves.1)),
            format!("{} / {}", ms(fields.moves.0), ms(fields.moves.1)),
        ),
        (
            "type a filter, update + render, p50 / p99 (1 000 keys)",
            format!("{} / {}", ms(plain.typing.0), ms(plain.typing.1)),
            format!("{} / {}", ms(fields.typing.0), ms(fields.typing.1)),
        ),
        (
            "bytes written to move the selection one row",
            format!("{} B", plain.bytes_per_move),
            format!("{} B", fields.bytes_per_move),
        ),
        (
            "for comparison: `tenantry customer list --limit 50` process, start → exit",
            plain.cli.map_or("skipped".into(), ms),
            fields.cli.map_or("skipped".into(), ms),
        ),
        (
            "`tenantry` process start → first customers screen drawn (pty)",
            plain
                .pty
                .map_or("skipped: build the binary first".into(), ms),
            fields
                .pty
                .map_or("skipped: build the binary first".into(), ms),
        ),
    ] {
        println!("| {measure} | {a} | {b} |");
    }
    Ok(())
}

/// One run's figures.
struct Figures {
    first_screen: Duration,
    opened: Duration,
    load: Duration,
    /// p50 and p99.
    moves: (Duration, Duration),
    typing: (Duration, Duration),
    bytes_per_move: usize,
    cli: Option<Duration>,
    pty: Option<Duration>,
}

/// Creates a database of `count` customers (with the five custom fields filled when
/// `fields`), then does what the console does on it.
fn measure(count: usize, fields: bool) -> Result<Figures> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("db");
    let started = Instant::now();
    {
        let store = Store::open(&path, OpenMode::CreateIfMissing, &StoreOptions::default())?;
        let service = Service::new(store, Arc::new(SystemClock));
        let session = service.init(&InitRequest {
            company: "Bench Hosting".into(),
            email: "bench@bench.example".into(),
            first_name: "Bea".into(),
            last_name: "Bench".into(),
            password: "bench password 123".into(),
            unix_user: tenantry::system::current_unix_user(),
        })?;
        if fields {
            bench_support::fields::define(&service, &session)?;
        }
        fill(&service, &session, count, fields)?;
    }
    eprintln!(
        "created {count} customers in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // Open → first customers screen drawn (what the console does before the loader starts).
    let counter = Counter::default();
    let open_started = Instant::now();
    let service = Service::open(&path, OpenMode::Existing, &StoreOptions::default())?;
    let session = service
        .session_for_unix_user(&tenantry::system::current_unix_user().unwrap_or_default())?
        .ok_or("no staff member linked to the bench user")?;
    let opened = open_started.elapsed();
    let mut rt = Runtime::with_service(path.clone(), service, session);
    rt.inline_loads = true;
    let opts = AppOptions {
        config: Config::default(),
        db_label: path.display().to_string(),
        unix_user: None,
        force_sign_in: false,
        utc_offset_secs: 0,
        color: true,
        sign_in_note: None,
    };
    let now = Timestamp(0);
    let mut app = App::new(opts, 120, 36, now);
    let mut effects = app.update(Action::SignedIn {
        email: "bench@bench.example".into(),
    });
    // Only the first page before the first draw; the whole list loads afterwards.
    let first_page = effects.remove(0);
    for action in rt.run(first_page) {
        let _ = app.update(action);
    }
    let mut term = terminal(&counter)?;
    term.draw(|f| render::draw(f, &app))?;
    let first_screen = open_started.elapsed();

    let load_started = Instant::now();
    let entries = rest_of_list(&mut rt, app.tabs.customers.index().len());
    app.update(Action::IndexChunk(entries));
    app.update(Action::IndexLoaded);
    let load = load_started.elapsed();
    if app.tabs.customers.len() < count {
        return Err("the list did not load".into());
    }

    // Moving the selection.
    let mut moves = Vec::with_capacity(1000);
    for n in 0..1000 {
        let code = if (n / 250) % 2 == 0 {
            KeyCode::Char('j')
        } else {
            KeyCode::Char('k')
        };
        let t = Instant::now();
        let _ = app.handle_key(&key(code), now);
        term.draw(|f| render::draw(f, &app))?;
        moves.push(t.elapsed());
    }
    let before = counter.0.load(Ordering::Relaxed);
    let _ = app.handle_key(&key(KeyCode::Char('j')), now);
    term.draw(|f| render::draw(f, &app))?;
    let bytes_per_move = counter.0.load(Ordering::Relaxed) - before;

    // Typing a filter: words typed and erased again, so both narrowing and widening count.
    let _ = app.handle_key(&key(KeyCode::Char('/')), now);
    let mut typing = Vec::with_capacity(1000);
    for code in bench_support::filter_keys(&["acme", "owner42", "labs 9", "wonka", "zzz"], 1000) {
        let t = Instant::now();
        let _ = app.handle_key(&key(code), now);
        term.draw(|f| render::draw(f, &app))?;
        typing.push(t.elapsed());
    }
    moves.sort();
    typing.sort();

    drop(app);
    drop(rt);
    Ok(Figures {
        first_screen,
        opened,
        load,
        moves: (percentile(&moves, 0.5), percentile(&moves, 0.99)),
        typing: (percentile(&typing, 0.5), percentile(&typing, 0.99)),
        bytes_per_move,
        cli: cli_first_rows(&path)?,
        pty: process_start_to_first_screen(&path)?,
    })
}

fn release_binary() -> Result<Option<std::path::PathBuf>> {
    let exe = std::env::current_exe()?;
    Ok(exe
        .parent()
        .and_then(|p| p.parent())
        .map(|p| p.join("tenantry"))
        .filter(|p| p.exists()))
}

/// Times the CLI's first page, which opens the database the same way.
fn cli_first_rows(db: &std::path::Path) -> Result<Option<Duration>> {
    let Some(bin) = release_binary()? else {
        return Ok(None);
    };
    let started = Instant::now();
    let out = std::process::Command::new(bin)
        .args([
            "customer", "list", "--limit", "50", "--format", "csv", "--db",
        ])
        .arg(db)
        .env("TENANTRY_LOG_DIR", db.join("log"))
        .output()?;
    let elapsed = started.elapsed();
    Ok(out.status.success().then_some(elapsed))
}

/// Runs the release binary in a pseudo-terminal and times it until the customers table's
/// title has been written.
fn process_start_to_first_screen(db: &std::path::Path) -> Result<Option<Duration>> {
    use std::io::Read;
    let Some((mut child, mut master, started)) = bench_support::console_in_pty(db)? else {
        return Ok(None);
    };
    let mut seen = Vec::new();
    let mut buf = [0u8; 65536];
    let mut elapsed = None;
    while started.elapsed() < Duration::from_secs(10) {
        let n = master.read(&mut buf)?;
        if n == 0 {
            break;
        }
        seen.extend_from_slice(&buf[..n]);
        // "by slug" is only in the customers table's title.
        if String::from_utf8_lossy(&seen).contains("by slug") {
            elapsed = Some(started.elapsed());
            break;
        }
    }
    master.write_all(b"q")?;
    let _ = child.wait();
    Ok(elapsed)
}

/// The rest of the list after the first page, as the loader thread reads it.
fn rest_of_list(rt: &mut Runtime, offset: usize) -> Vec<IndexEntry> {
    let actions = rt.run(tenantry::tui::action::Effect::StartIndexLoad { offset });
    actions
        .into_iter()
        .filter_map(|a| match a {
            Action::IndexChunk(entries) => Some(entries),
            _ => None,
        })
        .flatten()
        .collect()
}
