//! Helpers shared by the benchmark programs: where the release binary is, how much memory
//! this process has used, a byte-counting terminal, percentiles, and the Logs bench data
//! (`log_data.rs`). Not an example itself (cargo only builds `examples/*.rs`).
#![allow(dead_code)]

pub mod fields;
pub mod log_data;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// A terminal's output that only counts the bytes the backend writes.
#[derive(Clone, Default)]
pub struct Counter(Arc<AtomicUsize>);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.fetch_add(buf.len(), Ordering::Relaxed);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The `p` quantile (0 to 1) of sorted durations.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// A key press without modifiers.
pub fn key(c: crossterm::event::KeyCode) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(c, crossterm::event::KeyModifiers::NONE)
}

/// Milliseconds with two decimals.
pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// The `tenantry` binary built beside the running example (`target/release/tenantry`).
pub fn release_binary() -> Result<PathBuf, Box<dyn std::error::Error>> {
    let bin = std::env::current_exe()?
        .parent()
        .and_then(Path::parent)
        .map(|p| p.join("tenantry"))
        .filter(|p| p.exists())
        .ok_or("build the binary first: cargo build --release")?;
    Ok(bin)
}

/// This process's peak resident memory so far, in MB (`VmHWM`).
pub fn self_peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// The keys of a filter benchmark: each word typed and erased again, so both narrowing and
/// widening count, until `n` keys.
pub fn filter_keys(words: &[&str], n: usize) -> Vec<crossterm::event::KeyCode> {
    use crossterm::event::KeyCode;
    words
        .iter()
        .cycle()
        .flat_map(|word| {
            word.chars().map(KeyCode::Char).chain(std::iter::repeat_n(
                KeyCode::Backspace,
                word.chars().count(),
            ))
        })
        .take(n)
        .collect()
}

/// A console started in a pseudo-terminal: the process, the terminal's master end, and when
/// it started.
pub type PtyConsole = (std::process::Child, std::fs::File, std::time::Instant);

/// The release binary started as a console on `db` in a pseudo-terminal of 120x36 (its own
/// session, no configuration file, its log beside the database), with the moment it started:
/// what the process-start figures time. `None` when no release binary is beside the example.
pub fn console_in_pty(db: &Path) -> Result<Option<PtyConsole>, Box<dyn std::error::Error>> {
    use std::process::{Command, Stdio};
    let Ok(bin) = release_binary() else {
        return Ok(None);
    };
    let size = nix::pty::Winsize {
        ws_row: 36,
        ws_col: 120,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    let pty = nix::pty::openpty(Some(&size), None)?;
    let mut cmd = Command::new("/usr/bin/setsid");
    cmd.arg(&bin)
        .arg("--db")
        .arg(db)
        .env("TENANTRY_CONFIG", db.join("no-config.toml"))
        .env("TENANTRY_LOG_DIR", db.join("log"))
        .stdin(Stdio::from(pty.slave.try_clone()?))
        .stdout(Stdio::from(pty.slave.try_clone()?))
        .stderr(Stdio::from(pty.slave));
    let started = std::time::Instant::now();
    let child = cmd.spawn()?;
    Ok(Some((child, std::fs::File::from(pty.master), started)))
}
