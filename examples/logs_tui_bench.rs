//! The console's Logs tab at scale: builds N customers (default 100 000) and events up to a
//! total (default 1 000 000; `bench_support/log_data.rs` says what they are), reopens the
//! database and does what the console does, drawing through the real crossterm backend into a
//! byte counter at 120x36: the Logs tab's first page, scrolling (pages read as the selection
//! nears the end), filters by customer and by actor from the selected event, and free-text
//! searches on the search thread (first matches, completion), and the Dashboard (key to
//! drawn, and redraws). In the same run it times what the same reads cost without the byte
//! sieve and the actor index (every event decoded and matched), the real binary in a
//! pseudo-terminal from process start to the Logs tab's first screen, and `tenantry log
//! --grep` / `--actor` as whole processes. Prints a Markdown table; figures belong in `docs/performance.md` ("Audit log").
//!
//! cargo build --release --bin tenantry --example logs_tui_bench
//! ./target/release/examples/logs_tui_bench [CUSTOMERS] [EVENTS] [--db DIR]   (DIR is kept)

#[path = "bench_support/mod.rs"]
mod bench_support;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bench_support::log_data::{self, FREQUENT_WORD};
use bench_support::{Counter, key, ms, percentile};
use crossterm::event::KeyCode;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use tenantry::backend::{Backend, BackendExt, Local};
use tenantry::domain::Timestamp;
use tenantry::service::log_filter::{LogFilter, RawFilters};
use tenantry::service::{LogQuery, Service};
use tenantry::store::{OpenMode, StoreOptions};
use tenantry::tui::action::{Action, Effect};
use tenantry::tui::app::{App, AppOptions};
use tenantry::tui::config::Config;
use tenantry::tui::render;
use tenantry::tui::runtime::Runtime;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;
type Term = Terminal<CrosstermBackend<Counter>>;

/// One row of the printed table.
struct Row {
    measure: String,
    result: String,
    target: &'static str,
}

struct Bench {
    rt: Runtime,
    app: App,
    term: Term,
    rows: Vec<Row>,
}

impl Bench {
    fn put(&mut self, measure: impl Into<String>, result: String, target: &'static str) {
        self.rows.push(Row {
            measure: measure.into(),
            result,
            target,
        });
    }

    fn draw(&mut self) -> Result<()> {
        let app = &self.app;
        self.term.draw(|f| render::draw(f, app))?;
        Ok(())
    }

    /// Updates the app with `action`, runs the effects it brings as the console's loop
    /// does, and draws.
    fn act(&mut self, action: Action) -> Result<()> {
        let effects = self.app.update(action);
        self.run(effects);
        self.draw()
    }

    fn run(&mut self, effects: Vec<Effect>) {
        let mut pending = std::collections::VecDeque::from(effects);
        while let Some(effect) = pending.pop_front() {
            for action in self.rt.run(effect) {
                pending.extend(self.app.update(action));
            }
        }
    }

    fn press(&mut self, code: KeyCode) -> Result<()> {
        let effects = self.app.handle_key(&key(code), Timestamp(0));
        self.run(effects);
        self.draw()
    }

    /// Clears the tab's filters or search back to the newest page.
    fn clear(&mut self) -> Result<()> {
        while self.app.tabs.logs.search.is_some() || self.app.tabs.logs.view != Default::default() {
            self.act(Action::ClearFilter)?;
        }
        Ok(())
    }

    /// A free-text search from the tab: when its first matches were drawn, when it was done,
    /// and how many it found.
    fn search(&mut self, text: &str) -> Result<(Option<Duration>, Duration, usize)> {
        self.clear()?;
        let started = Instant::now();
        self.act(Action::BeginSearch(text.to_owned()))?;
        let mut first = None;
        loop {
            let actions = self.rt.poll();
            if actions.is_empty() {
                std::thread::sleep(Duration::from_micros(500));
            }
            for action in actions {
                self.act(action)?;
            }
            let tab = &self.app.tabs.logs;
            if first.is_none() && !tab.rows.is_empty() {
                first = Some(started.elapsed());
            }
            if !tab.search.as_ref().is_some_and(|s| s.running) {
                break;
            }
            if started.elapsed() > Duration::from_secs(120) {
                return Err(format!("the search for {text:?} did not end").into());
            }
        }
        let found = self.app.tabs.logs.rows.len();
        Ok((first, started.elapsed(), found))
    }

    /// Selects the first loaded row `pick` accepts, applies the filter `how` from it and
    /// times it to the first page drawn.
    fn narrow(
        &mut self,
        pick: impl Fn(&tenantry::service::AuditRow) -> bool,
        how: Action,
    ) -> Result<Option<Duration>> {
        self.clear()?;
        let Some(i) = self.app.tabs.logs.rows.iter().position(pick) else {
            return Ok(None);
        };
        self.app.tabs.logs.selected = i;
        let t = Instant::now();
        self.act(how)?;
        Ok(Some(t.elapsed()))
    }
}

fn main() -> Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let kept = match args.iter().position(|a| a == "--db") {
        Some(i) if i + 1 < args.len() => {
            let dir = PathBuf::from(args.remove(i + 1));
            args.remove(i);
            Some(dir)
        }
        _ => None,
    };
    let customers: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let events: u64 = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let temp = tempfile::tempdir()?;
    let path = kept.unwrap_or_else(|| temp.path().join("db"));
    log_data::build(&path, customers, events)?;

    let open_started = Instant::now();
    let service = Arc::new(Service::open(
        &path,
        OpenMode::Existing,
        &StoreOptions::default(),
    )?);
    let session = service
        .session_for_unix_user(&tenantry::system::current_unix_user().unwrap_or_default())?
        .ok_or("no staff member linked to the bench user")?;
    let backend: Arc<dyn Backend> = Arc::new(Local::signed_in(service.clone(), session));
    let total = backend.ask(tenantry::service::LogHead)?.seq;
    let opts = AppOptions {
        config: Config::default(),
        db_label: path.display().to_string(),
        unix_user: None,
        force_sign_in: false,
        utc_offset_secs: 0,
        color: true,
        sign_in_note: None,
    };
    let mut bench = Bench {
        rt: Runtime::with_backend(path.clone(), backend.clone()),
        app: App::new(opts, 120, 36, Timestamp(0)),
        term: Terminal::with_options(
            CrosstermBackend::new(Counter::default()),
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, 120, 36)),
            },
        )?,
        rows: Vec::new(),
    };
    let mut effects = bench.app.update(Action::SignedIn {
        email: "owner@example.com".into(),
    });
    // The customers' first page, as the console draws it first; their loader is left out.
    let first_page = effects.remove(0);
    bench.run(vec![first_page]);
    bench.draw()?;
    let tab_started = Instant::now();
    bench.press(KeyCode::Char('5'))?;
    let tab = tab_started.elapsed();
    bench.put(
        format!(
            "open database → Logs tab first screen drawn ({} rows; of which key `5` → drawn)",
            bench.app.tabs.logs.rows.len()
        ),
        format!("{} ({})", ms(open_started.elapsed()), ms(tab)),
        "",
    );

    let mut scroll = Vec::with_capacity(1200);
    for i in 0..1200 {
        let code = if i % 6 == 5 {
            KeyCode::PageDown
        } else {
            KeyCode::Char('j')
        };
        let t = Instant::now();
        bench.press(code)?;
        scroll.push(t.elapsed());
    }
    scroll.sort();
    let loaded = bench.app.tabs.logs.rows.len();
    bench.put(
        format!("scroll: 1 000 × `j` and 200 × PgDn, update + pages read + render, p50 / p99 / max ({loaded} rows loaded by then)"),
        format!(
            "{} / **{}** / {}",
            ms(percentile(&scroll, 0.5)),
            ms(percentile(&scroll, 0.99)),
            ms(scroll.last().copied().unwrap_or_default())
        ),
        "p99 < 16 ms",
    );

    let mut by_customer = Vec::new();
    for n in 0..20 {
        let slug = |r: &tenantry::service::AuditRow| !r.customer_slug.is_empty();
        let skip = |r: &tenantry::service::AuditRow| slug(r) && r.seq % 20 == n;
        if let Some(d) = bench.narrow(skip, Action::LogByCustomer)? {
            by_customer.push(d);
        }
    }
    by_customer.sort();
    bench.put(
        format!(
            "`c`: a customer's events, key → first page drawn, p50 / max ({} customers)",
            by_customer.len()
        ),
        format!(
            "{} / **{}**",
            ms(percentile(&by_customer, 0.5)),
            ms(by_customer.last().copied().unwrap_or_default())
        ),
        "< 50 ms",
    );
    let frequent = log_data::staff_email(0);
    if let Some(d) = bench.narrow(|r| r.actor_email == frequent, Action::LogByActor)? {
        bench.put(
            "`a`: a staff member's events (one in nine), key → first page drawn",
            ms(d),
            "",
        );
    }
    // Filters by hand for what the first page may not show.
    let rare = log_data::staff_email(log_data::STAFF - 1);
    for (who, what) in [
        (rare.as_str(), "the rare staff member (1 in 10 000 events)"),
        ("system", "`system` (1 in 500; no index)"),
    ] {
        let t = Instant::now();
        let page = backend.ask(LogQuery {
            actor: Some(who.into()),
            limit: Some(200),
            ..LogQuery::default()
        })?;
        bench.put(
            format!(
                "actor filter, {what}: first page of {} through the service",
                page.rows.len()
            ),
            ms(t.elapsed()),
            "",
        );
    }
    let t = Instant::now();
    let old = decode_every_event(
        &service,
        RawFilters {
            actor: Some(&rare),
            ..RawFilters::default()
        },
        200,
    )?;
    bench.put(
        format!("the same rare actor's first page, every event decoded and matched ({old} found; the read before the index)"),
        ms(t.elapsed()),
        "",
    );

    for (needle, what) in [
        (FREQUENT_WORD, "a word in one event of fifty"),
        ("café zürich 0099007", "one customer's name, non-ASCII"),
        ("no such text", "no match"),
        ("zürich", "the sieve looks for `rich` and `ü` or `Ü`"),
        ("ü", "no ASCII: the sieve looks for `ü` or `Ü`"),
    ] {
        let (first, done, found) = bench.search(needle)?;
        let first = first.map_or("none".to_owned(), |d| format!("**{}**", ms(d)));
        bench.put(
            format!("search `{needle}` ({what}): first matches drawn; all {total} searched ({found} found)"),
            format!("{first}; **{}**", ms(done)),
            "< 100 ms; < 2 s",
        );
    }
    let t = Instant::now();
    let old = decode_every_event(
        &service,
        RawFilters {
            text: Some("no such text"),
            ..RawFilters::default()
        },
        usize::MAX,
    )?;
    bench.put(
        format!("search `no such text`, every event decoded and matched ({old} found; the search before the sieve)"),
        ms(t.elapsed()),
        "",
    );

    // The Dashboard: key `6` → drawn (its one Stats read included), then redraws alone.
    bench.clear()?;
    let t = Instant::now();
    bench.press(KeyCode::Char('6'))?;
    let shown = t.elapsed();
    let mut frames = Vec::with_capacity(200);
    for _ in 0..200 {
        let t = Instant::now();
        bench.draw()?;
        frames.push(t.elapsed());
    }
    frames.sort();
    let t = Instant::now();
    backend.ask(tenantry::service::Stats)?;
    bench.put(
        "Dashboard: key `6` → drawn (Stats read included); one Stats read; redraw p99",
        format!(
            "{}; {}; **{}**",
            ms(shown),
            ms(t.elapsed()),
            ms(percentile(&frames, 0.99))
        ),
        "< 16 ms",
    );

    // The real binary, once this process has let the database go.
    drop(bench.rt);
    let rows = bench.rows;
    drop(backend);
    drop(service);
    let mut rows = rows;
    // Five starts; the median, and the customers' screen on the way (database opened).
    let mut starts = Vec::new();
    for _ in 0..5 {
        match bench_support::console_in_pty(&path)? {
            Some(console) => starts.extend(pty_logs_screen(console)?),
            None => break,
        }
    }
    starts.sort();
    let pty = match starts.get(starts.len() / 2) {
        Some((customers, logs)) => format!(
            "**{}** (customers' screen at {}; {} of 5 runs, all: {})",
            ms(*logs),
            ms(*customers),
            starts.len(),
            starts
                .iter()
                .map(|(_, l)| format!("{:.0}", l.as_secs_f64() * 1000.0))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => "not measured: no release binary beside the example, or no Logs screen".into(),
    };
    rows.insert(
        0,
        Row {
            measure:
                "`tenantry` process start → `5` → Logs tab first screen drawn (pty), median of 5"
                    .into(),
            result: pty,
            target: "< 300 ms",
        },
    );
    if let Ok(bin) = bench_support::release_binary() {
        for args in [
            vec!["log", "--grep", "no such text", "--format", "jsonl"],
            vec!["log", "--grep", FREQUENT_WORD, "--limit", "50"],
            vec!["log", "--actor", &rare, "--format", "jsonl"],
        ] {
            let t = Instant::now();
            let out = std::process::Command::new(&bin)
                .arg("--db")
                .arg(&path)
                .args(&args)
                .env("TENANTRY_LOG_DIR", path.join("log"))
                .output()?;
            if !out.status.success() {
                return Err(format!("{args:?}: {}", String::from_utf8_lossy(&out.stderr)).into());
            }
            rows.push(Row {
                measure: format!("`tenantry {}`, whole process", args.join(" ")),
                result: ms(t.elapsed()),
                target: "",
            });
        }
    }

    let build = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!("Logs tab, {customers} customers, {total} events, 120x36, {build} build");
    println!("| measure | result | target |");
    println!("| --- | --- | --- |");
    for r in rows {
        println!("| {} | {} | {} |", r.measure, r.result, r.target);
    }
    Ok(())
}

/// The read before the sieve and the actor index: every event newest first, decoded and
/// matched with the service's own filter, until `limit` match. Returns how many matched.
fn decode_every_event(service: &Service, raw: RawFilters<'_>, limit: usize) -> Result<usize> {
    let filter = LogFilter::parse(raw, Timestamp(0))?;
    let mut found = 0;
    for event in service.store().audit_newest_before(None) {
        if filter.matches(&event?) {
            found += 1;
            if found >= limit {
                break;
            }
        }
    }
    Ok(found)
}

/// Presses `5` once the customers' first screen is written, and times the console from its
/// start until then and until the Logs tab's title and first events are on the screen.
fn pty_logs_screen(console: bench_support::PtyConsole) -> Result<Option<(Duration, Duration)>> {
    use std::io::{Read, Write};
    let (mut child, mut master, started) = console;
    let (Some(rows), Some(cols)) = (
        std::num::NonZeroU16::new(36),
        std::num::NonZeroU16::new(120),
    ) else {
        return Ok(None);
    };
    let mut screen = vt100::Parser::new(rows, cols, 0);
    let mut buf = [0u8; 65536];
    let mut customers = None;
    let mut elapsed = None;
    while started.elapsed() < Duration::from_secs(20) {
        let n = master.read(&mut buf)?;
        if n == 0 {
            break;
        }
        screen.process(&buf[..n]);
        let text = screen.screen().contents();
        if customers.is_none() && text.contains("by slug") {
            customers = Some(started.elapsed());
            master.write_all(b"5")?;
        } else if customers.is_some()
            && text.contains("Log · newest first")
            && text.contains("@bench.example")
        {
            elapsed = Some(started.elapsed());
            break;
        }
    }
    master.write_all(b"q")?;
    let _ = child.wait();
    Ok(customers.zip(elapsed))
}
