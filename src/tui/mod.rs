//! The terminal console. A synchronous loop: draw from `&App` → read one event → resolve it
//! through the keymap of the current context → `App::update(Action) -> Vec<Effect>` → the
//! runtime carries out the effects through a backend and feeds the results back as actions.
//! No async runtime; the only threads are the loader of the compact customer list and the
//! import worker, which report over channels.
//!
//! Only this module names ratatui, crossterm or ratatui-textarea. Nothing is printed to the
//! terminal while the console owns it (logs go to the log file).

pub mod action;
pub mod app;
pub mod config;
mod customer_flow;
mod customer_loads;
pub mod customer_view;
pub mod demo;
mod demo_story;
mod import_flow;
mod import_report;
mod import_worker;
mod index_loader;
pub mod keymap;
mod keymap_defaults;
mod keyspec;
pub mod layout;
mod log_search;
mod message_log;
pub mod modals;
mod people_flow;
mod people_loader;
mod people_loads;
pub mod render;
pub mod runtime;
mod safety_flow;
mod session_flow;
pub mod state;
pub mod table;
pub mod tabs;
pub mod terminal;
mod update;

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use std::sync::mpsc::RecvTimeoutError;

use crossterm::event::{Event, KeyEventKind};

use action::{Action, Effect};
use app::{App, AppOptions};
use config::Config;
use runtime::Runtime;

use crate::backend::Backend;
use crate::service::{Clock, SystemClock};

#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    /// The storage engine stopped on a damaged database (a contained panic); the console ends
    /// and prints this message after restoring the terminal.
    #[error("{0}")]
    Damaged(String),
}

/// How the console starts.
pub struct ConsoleOptions {
    pub db_path: PathBuf,
    /// `--sign-in`: ask for email and password even when the Unix user is linked.
    pub force_sign_in: bool,
    /// Start signed in on this backend (the demo) instead of opening `db_path`.
    pub signed_in: Option<Arc<dyn Backend>>,
    pub sign_in_note: Option<String>,
    /// The configuration file as read at start-up.
    pub config: crate::config::Config,
}

/// The local time zone's offset from UTC now, in seconds.
pub fn local_utc_offset() -> i32 {
    chrono::Local::now().offset().local_minus_utc()
}

/// Runs the console until the user quits or a signal arrives. Returns the exit status.
pub fn run(opts: ConsoleOptions) -> Result<u8, TuiError> {
    let state_file = crate::paths::console_state_file();
    let (state, state_problems) = state_file
        .as_deref()
        .map(state::ViewState::load)
        .unwrap_or_default();
    let mut config = Config::from_file(&opts.config).with_state(state, state_problems);
    let (mail, mail_problem) = opts.config.mail_setup(&opts.db_path);
    config.problems.extend(mail_problem);
    for problem in &config.problems {
        tracing::warn!(problem = %crate::domain::text::display_safe(problem), "configuration");
    }
    let store_options = opts.config.store_options();
    let unix_user = crate::system::current_unix_user();
    let clock = SystemClock;
    let app_opts = AppOptions {
        config,
        db_label: crate::domain::text::display_safe(&opts.db_path.display().to_string()),
        unix_user: unix_user.clone(),
        force_sign_in: opts.force_sign_in,
        utc_offset_secs: local_utc_offset(),
        color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        sign_in_note: opts.sign_in_note,
    };
    let signals = terminal::Signals::register()?;
    terminal::install_panic_hook();
    // After the terminal hook, so a panic contained in the storage engine leaves the screen
    // alone: the loop below ends the console with its message instead.
    crate::store::engine::quiet_contained_panics();
    let mut term = terminal::enter()?;
    let size = term.size()?;
    let mut app = App::new(app_opts, size.width, size.height, clock.now());
    let mut pending: VecDeque<Effect> = VecDeque::new();
    let demo = opts.signed_in.is_some();
    let mut rt = match opts.signed_in {
        Some(backend) => {
            let email = backend
                .session()
                .ok()
                .flatten()
                .map(|info| info.email)
                .unwrap_or_default();
            let rt = Runtime::with_backend(opts.db_path, backend);
            pending.extend(app.update(Action::Opened {
                initialised: true,
                signed_in: Some(email),
            }));
            rt
        }
        None => {
            pending.push_back(Effect::OpenDatabase);
            Runtime::new(opts.db_path, unix_user, opts.force_sign_in)
        }
    };
    rt.set_store_options(store_options);
    rt.set_mail(mail);
    // The demo writes nothing outside its temporary directory: it remembers no view.
    if !demo {
        rt.state_file = state_file;
    }
    let result = match event_loop(&mut term, &mut app, &mut rt, &signals, &clock, pending) {
        // Writing to a terminal that hung up fails; that is a hangup, not an error to report.
        Err(_) if terminal::is_gone() => Ok(HANGUP),
        other => other,
    };
    rt.close();
    terminal::release(term);
    terminal::restore();
    result
}

fn event_loop(
    term: &mut terminal::Term,
    app: &mut App,
    rt: &mut Runtime,
    signals: &terminal::Signals,
    clock: &dyn Clock,
    mut pending: VecDeque<Effect>,
) -> Result<u8, TuiError> {
    let events = terminal::spawn_input_reader()?;
    let mut last_tick = Instant::now();
    let mut dirty = true;
    loop {
        while let Some(effect) = pending.pop_front() {
            if let Some(signal) = signals.received() {
                return Ok(128u8.saturating_add(signal as u8));
            }
            if effect.draw_first() {
                term.draw(|f| render::draw(f, app))?;
            }
            for result in rt.run(effect) {
                pending.extend(app.update(result));
            }
            damaged()?;
            dirty = true;
        }
        if app.quit {
            return Ok(0);
        }
        if let Some(signal) = signals.received() {
            return Ok(128u8.saturating_add(signal as u8));
        }
        for result in rt.poll() {
            pending.extend(app.update(result));
            dirty = true;
        }
        damaged()?;
        if !pending.is_empty() {
            continue;
        }
        if dirty {
            term.draw(|f| render::draw(f, app))?;
            dirty = false;
        }
        match events.recv_timeout(Duration::from_millis(100)) {
            Ok(first) => {
                // Handle everything that is already waiting before drawing again.
                for event in std::iter::once(first).chain(events.try_iter()) {
                    // A terminal that can no longer be read is gone: treat it as a hangup.
                    let Ok(event) = event else {
                        return Ok(HANGUP);
                    };
                    pending.extend(handle_event(app, event, clock.now()));
                }
                dirty = true;
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Ok(HANGUP),
        }
        if last_tick.elapsed() >= Duration::from_secs(1) {
            last_tick = Instant::now();
            if terminal::is_gone() {
                return Ok(HANGUP);
            }
            pending.extend(app.update(Action::Tick(clock.now())));
            dirty = true;
        }
    }
}

/// Ends the console once the storage engine stopped on damaged data (on any thread): nothing
/// it does afterwards can be trusted.
fn damaged() -> Result<(), TuiError> {
    match crate::store::engine::contained_panic() {
        Some(message) => Err(TuiError::Damaged(message)),
        None => Ok(()),
    }
}

/// The exit status after the terminal went away: as if SIGHUP had arrived.
const HANGUP: u8 = 128 + 1;

fn handle_event(app: &mut App, event: Event, now: crate::domain::Timestamp) -> Vec<Effect> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => app.handle_key(&key, now),
        Event::Mouse(mouse) => app.handle_mouse(&mouse, now),
        Event::Paste(text) => app.handle_paste(&text, now),
        Event::Resize(width, height) => app.update(Action::Resize { width, height }),
        _ => Vec::new(),
    }
}

/// Shown in the CLI's place when the console has no terminal.
pub const NOT_A_TERMINAL: &str = "the console needs a terminal (stdin and stdout must be a TTY); for scripts use the commands, e.g. `tenantry customer list` (see `tenantry --help`)";
