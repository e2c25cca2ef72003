//! The terminal's modes and the process's signals: raw mode, the alternate screen, mouse
//! capture and bracketed paste (a paste arrives as one event, never as keys) on entry;
//! everything undone on exit, on a panic (before the report is printed) and after SIGHUP,
//! SIGTERM or SIGINT (R11). Signals only set a flag that the loop polls, so
//! the database is closed by ordinary code, not inside a signal handler. Terminal input is
//! read on its own thread, so a terminal that hangs up cannot keep the loop from exiting.

use std::io::{self, BufWriter, IsTerminal, Stdout, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, channel};

use crossterm::cursor::{Hide, Show};
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Term = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// Puts the terminal into the console's modes.
pub fn enter() -> io::Result<Term> {
    enable_raw_mode()?;
    let mut out = BufWriter::with_capacity(64 * 1024, io::stdout());
    if let Err(e) = execute!(
        out,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste,
        Hide
    ) {
        restore();
        return Err(e);
    }
    Terminal::new(CrosstermBackend::new(out))
}

/// Lets go of the ratatui terminal. When the terminal has hung up, showing the cursor fails and
/// ratatui's drop would report that with `eprintln!`, which panics on a closed stderr; so the
/// value is then forgotten instead of dropped (its buffered output has nowhere to go).
pub fn release(mut term: Term) {
    if term.show_cursor().is_ok() {
        drop(term);
    } else {
        std::mem::forget(term);
    }
}

/// Leaves the console's modes; safe to call more than once and when the terminal is gone.
pub fn restore() {
    let _ = disable_raw_mode();
    let mut out = io::stdout();
    let _ = execute!(
        out,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        Show
    );
    let _ = out.flush();
}

/// Reads terminal events on their own thread and hands them over a channel. The loop waits
/// on the channel with a timeout, so it always gets back to checking for signals: once the
/// terminal hangs up, crossterm's reader may never return.
pub fn spawn_input_reader() -> io::Result<Receiver<io::Result<Event>>> {
    let (tx, rx) = channel();
    std::thread::Builder::new()
        .name("terminal-input".into())
        .spawn(move || {
            loop {
                let event = crossterm::event::read();
                let failed = event.is_err();
                if tx.send(event).is_err() || failed {
                    return;
                }
            }
        })?;
    Ok(rx)
}

/// True when the terminal has gone away (the SSH connection or the terminal window closed)
/// even if no SIGHUP reached this process.
pub fn is_gone() -> bool {
    !io::stdin().is_terminal() || !io::stdout().is_terminal()
}

/// Restores the terminal before the previous panic hook prints its report.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// SIGHUP, SIGTERM and SIGINT, as a number the loop checks.
pub struct Signals {
    received: Arc<AtomicUsize>,
}

impl Signals {
    pub fn register() -> io::Result<Self> {
        let received = Arc::new(AtomicUsize::new(0));
        for signal in [
            signal_hook::consts::SIGHUP,
            signal_hook::consts::SIGTERM,
            signal_hook::consts::SIGINT,
        ] {
            signal_hook::flag::register_usize(signal, received.clone(), signal as usize)?;
        }
        Ok(Self { received })
    }

    /// The last signal received, if any.
    pub fn received(&self) -> Option<i32> {
        match self.received.load(Ordering::SeqCst) {
            0 => None,
            n => i32::try_from(n).ok(),
        }
    }
}
