//! The log file: `tracing` events go to `tenantry.log` (0600) in the state directory, never
//! to the terminal, so the console's screen and the CLI's stdout stay clean. `TENANTRY_LOG`
//! sets the filter (default `info`).

use std::fs::{DirBuilder, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};

use tracing_subscriber::EnvFilter;

/// Starts logging to the log file; returns a guard that flushes it when dropped. Logging is
/// best effort: when the directory cannot be written, the program runs without a log.
pub fn init() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = crate::paths::log_dir()?;
    DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&dir)
        .ok()?;
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(dir.join("tenantry.log"))
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = EnvFilter::try_from_env("TENANTRY_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(guard)
}
