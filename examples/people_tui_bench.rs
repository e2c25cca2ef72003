//! The console's Users tab at scale (run with `cargo run --release --example people_tui_bench
//! [N] [INVITATIONS]`; default N = 100 000 customers, 3N users, N/2 invitations). Builds the
//! data through the service in batches, reopens the database and does what the console does,
//! drawing through the real crossterm backend into a byte counter at 120x36: signs in by peer
//! authentication, draws the first customers page, switches to the Users tab and draws its
//! first page (the people loader thread starts then, D90), waits for the loader, then presses
//! keys through the keymap and `App::update`, drawing after each: 1 000 moves (`j`/`k`) and
//! 1 000 filter keys (words typed and erased). Figures belong in `docs/performance.md`
//! ("People").

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
use tenantry::domain::{CustomerRole, Timestamp};
use tenantry::service::{
    Command, CustomerCommand, InitRequest, InvitationCommand, NewCustomer, NewInvitation, NewUser,
    Service, Session, UserCommand,
};
use tenantry::store::{OpenMode, StoreOptions};
use tenantry::tui::action::Action;
use tenantry::tui::app::{App, AppOptions};
use tenantry::tui::config::Config;
use tenantry::tui::render;
use tenantry::tui::runtime::Runtime;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

const BATCH: usize = 500;

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

fn batches(service: &Service, owner: &Session, commands: Vec<Command>) -> Result<Vec<String>> {
    let mut slugs = Vec::new();
    let mut commands = commands.into_iter().peekable();
    while commands.peek().is_some() {
        let batch: Vec<Command> = commands.by_ref().take(BATCH).collect();
        for outcome in service.execute_batch(owner, batch)? {
            if let tenantry::service::Outcome::Customer(row) = outcome {
                slugs.push(row.slug);
            }
        }
    }
    Ok(slugs)
}

fn build(path: &std::path::Path, n: usize, invitations: usize) -> Result<()> {
    let service = Service::open(path, OpenMode::CreateIfMissing, &StoreOptions::default())?;
    let owner = service.init(&InitRequest {
        company: "Bench Hosting".into(),
        email: "owner@example.com".into(),
        first_name: "Olga".into(),
        last_name: "Owner".into(),
        password: "correct horse battery".into(),
        unix_user: tenantry::system::current_unix_user(),
    })?;
    let started = Instant::now();
    let customers = (0..n)
        .map(|i| {
            CustomerCommand::Add(NewCustomer {
                name: format!("Customer {i:07}"),
                ..NewCustomer::default()
            })
            .into()
        })
        .collect();
    let slugs = batches(&service, &owner, customers)?;
    let users = (0..3 * n)
        .map(|i| {
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
    batches(&service, &owner, users)?;
    let invites = (0..invitations)
        .map(|i| {
            InvitationCommand::Create(NewInvitation {
                customer: slugs[i % n].clone(),
                email: format!("guest{i:07}@bench.example"),
                first_name: format!("Guest{i}"),
                last_name: "Invited".into(),
                role: CustomerRole::Member,
                language: None,
                expires_days: Some(7),
            })
            .into()
        })
        .collect();
    batches(&service, &owner, invites)?;
    eprintln!(
        "built {n} customers, {} users, {invitations} invitations in {:.1} s",
        3 * n,
        started.elapsed().as_secs_f64()
    );
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

/// Runs effects and the effects their actions bring, as the console's loop does.
fn run(rt: &mut Runtime, app: &mut App, effects: Vec<tenantry::tui::action::Effect>) {
    let mut pending = std::collections::VecDeque::from(effects);
    while let Some(effect) = pending.pop_front() {
        for action in rt.run(effect) {
            pending.extend(app.update(action));
        }
    }
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let invitations: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(n / 2);
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("db");
    build(&path, n, invitations)?;

    let counter = Counter::default();
    let open_started = Instant::now();
    let service = Service::open(&path, OpenMode::Existing, &StoreOptions::default())?;
    let session = service
        .session_for_unix_user(&tenantry::system::current_unix_user().unwrap_or_default())?
        .ok_or("no staff member linked to the bench user")?;
    let opened = open_started.elapsed();
    let mut rt = Runtime::with_service(path.clone(), service, session);
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
        email: "owner@example.com".into(),
    });
    // The customers' first page, as the console draws it first; their loader is left out.
    let first_page = effects.remove(0);
    run(&mut rt, &mut app, vec![first_page]);
    let mut term = Terminal::with_options(
        CrosstermBackend::new(counter.clone()),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 120, 36)),
        },
    )?;
    term.draw(|f| render::draw(f, &app))?;
    let tab_started = Instant::now();
    let effects = app.handle_key(&key(KeyCode::Char('2')), now);
    run(&mut rt, &mut app, effects);
    term.draw(|f| render::draw(f, &app))?;
    let users_screen = tab_started.elapsed();
    let first_screen = open_started.elapsed();
    let first_rows = app.tabs.users.table.len();

    let load_started = Instant::now();
    let mut chunks = Vec::new();
    while !app.tabs.users.arrival.complete {
        let actions = rt.poll();
        if actions.is_empty() {
            std::thread::sleep(Duration::from_millis(2));
        }
        for action in actions {
            // What each chunk costs the UI thread: the update, and the frame after it.
            let t = Instant::now();
            let effects = app.update(action);
            run(&mut rt, &mut app, effects);
            term.draw(|f| render::draw(f, &app))?;
            chunks.push(t.elapsed());
        }
        if load_started.elapsed() > Duration::from_secs(600) {
            return Err("the users did not load".into());
        }
    }
    let load = load_started.elapsed();
    let total = app.tabs.users.table.len();
    term.draw(|f| render::draw(f, &app))?;

    let mut moves = Vec::with_capacity(1000);
    for i in 0..1000 {
        let code = KeyCode::Char(if (i / 250) % 2 == 0 { 'j' } else { 'k' });
        let t = Instant::now();
        let _ = app.handle_key(&key(code), now);
        term.draw(|f| render::draw(f, &app))?;
        moves.push(t.elapsed());
    }

    let _ = app.handle_key(&key(KeyCode::Char('/')), now);
    let mut typing = Vec::with_capacity(1000);
    for code in bench_support::filter_keys(&["user01", "first42", "last 9", "bench", "zzz"], 1000) {
        let t = Instant::now();
        let _ = app.handle_key(&key(code), now);
        term.draw(|f| render::draw(f, &app))?;
        typing.push(t.elapsed());
    }
    let _ = app.handle_key(&key(KeyCode::Esc), now);

    // One change: the command, the one user read again (D92), the table rebuilt, drawn.
    let t = Instant::now();
    let disable = UserCommand::Disable {
        email: "user0000123@bench.example".into(),
    };
    let effect = tenantry::tui::action::Effect::Execute {
        command: disable.into(),
        done: "disabled".into(),
    };
    run(&mut rt, &mut app, vec![effect]);
    term.draw(|f| render::draw(f, &app))?;
    let change = t.elapsed();
    moves.sort();
    typing.sort();
    chunks.sort();

    let build = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!(
        "Users tab, {n} customers, {total} users, {invitations} invitations, 120x36, {build} build"
    );
    println!("| measure | result |");
    println!("| --- | --- |");
    println!(
        "| open database → Users tab first screen drawn ({first_rows} rows; of which opening the database; of which key `2` → drawn) | {} ({}; {}) |",
        ms(first_screen),
        ms(opened),
        ms(users_screen)
    );
    println!(
        "| the rest of the users from the loader thread | {} |",
        ms(load)
    );
    println!(
        "| each loader chunk on the UI thread, update + render, p50 / p99 / max ({} chunks) | {} / {} / {} |",
        chunks.len(),
        ms(percentile(&chunks, 0.5)),
        ms(percentile(&chunks, 0.99)),
        ms(chunks.last().copied().unwrap_or_default())
    );
    println!(
        "| move selection, update + render, p50 / p99 (1 000 keys) | {} / {} |",
        ms(percentile(&moves, 0.5)),
        ms(percentile(&moves, 0.99))
    );
    println!(
        "| type a filter, update + render, p50 / p99 (1 000 keys) | {} / {} |",
        ms(percentile(&typing, 0.5)),
        ms(percentile(&typing, 0.99))
    );
    println!(
        "| disable one user: command, that user read again, table rebuilt, drawn | {} |",
        ms(change)
    );
    // The real binary, in a pseudo-terminal, once this process has let the database go.
    drop(app);
    drop(rt);
    match process_start_to_users_screen(&path)? {
        Some(d) => println!(
            "| `tenantry` process start → `2` → Users tab first screen drawn (pty) | {} |",
            ms(d)
        ),
        None => println!(
            "| `tenantry` process start → Users tab (pty) | not measured: no release binary beside the example, or no Users screen within 20 s |"
        ),
    }
    Ok(())
}

/// Runs the release binary in a pseudo-terminal, presses `2` once the customers' first screen
/// is written, and times it from the start until the Users tab's title is written.
fn process_start_to_users_screen(db: &std::path::Path) -> Result<Option<Duration>> {
    use std::io::Read;
    let Some((mut child, mut master, started)) = bench_support::console_in_pty(db)? else {
        return Ok(None);
    };
    // The screen as a terminal shows it: ratatui writes only the cells that changed.
    let (Some(rows), Some(cols)) = (
        std::num::NonZeroU16::new(36),
        std::num::NonZeroU16::new(120),
    ) else {
        return Ok(None);
    };
    let mut screen = vt100::Parser::new(rows, cols, 0);
    let mut buf = [0u8; 65536];
    let mut pressed = false;
    let mut elapsed = None;
    while started.elapsed() < Duration::from_secs(20) {
        let n = master.read(&mut buf)?;
        if n == 0 {
            break;
        }
        screen.process(&buf[..n]);
        let text = screen.screen().contents();
        // "by slug" is only in the customers table's title; the users' first rows are in.
        if !pressed && text.contains("by slug") {
            master.write_all(b"2")?;
            pressed = true;
        } else if pressed && text.contains("by email") && text.contains("@bench.example") {
            elapsed = Some(started.elapsed());
            break;
        }
    }
    master.write_all(b"q")?;
    let _ = child.wait();
    Ok(elapsed)
}
