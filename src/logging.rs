//! The log file: `tracing` events go to `tenantry.log` (0600) in the state directory, never
//! to the terminal, so the console's screen and the CLI's stdout stay clean. `TENANTRY_LOG`
//! sets the filter (default `info`).
//!
//! The log names customers and staff, so it is as private as the database: its directory must
//! belong to the user and be writable by nobody else (created 0700; an existing one that group
//! or others can write is refused, never changed), and the file is opened without following a
//! symbolic link and made 0600 whatever mode it had. When that cannot be had, the program runs without a log and says why
//! in one line on stderr; it never writes through a link or into a shared directory.

use std::fs::{DirBuilder, File, OpenOptions, Permissions};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

use tracing_subscriber::EnvFilter;

use crate::domain::text::display_safe;

pub const LOG_FILE: &str = "tenantry.log";

/// Starts logging to the log file; returns a guard that flushes it when dropped. Logging is
/// best effort: when the directory cannot be written, the program runs without a log.
pub fn init() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = crate::paths::log_dir()?;
    let file = match open_log(&dir) {
        Ok(file) => file,
        Err(Unsafe(reason)) => {
            // Not `eprintln!`, which panics when stderr is closed.
            let _ = std::io::Write::write_fmt(
                &mut std::io::stderr(),
                format_args!(
                    "tenantry: warning: not logging: {}\n",
                    display_safe(&reason)
                ),
            );
            return None;
        }
    };
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

/// Why the log was not opened.
pub struct Unsafe(pub String);

fn io_reason(path: &Path, e: &std::io::Error) -> Unsafe {
    Unsafe(format!("{}: {e}", path.display()))
}

/// Opens (creating it if needed) the log file in `dir` under the rules in the module docs.
pub fn open_log(dir: &Path) -> Result<File, Unsafe> {
    DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| io_reason(dir, &e))?;
    let me = nix::unistd::geteuid().as_raw();
    let meta = std::fs::metadata(dir).map_err(|e| io_reason(dir, &e))?;
    if meta.uid() != me {
        return Err(Unsafe(format!(
            "log directory {} belongs to uid {}, not to this user (uid {me})",
            dir.display(),
            meta.uid()
        )));
    }
    // Refused rather than narrowed: a shared directory (such as /tmp) is not ours to change,
    // and others may already have planted files in it.
    if meta.mode() & 0o022 != 0 {
        return Err(Unsafe(format!(
            "other users can write to the log directory {} (mode {:04o})",
            dir.display(),
            meta.mode() & 0o7777
        )));
    }
    let path = dir.join(LOG_FILE);
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        // No link followed; a planted FIFO fails at once instead of blocking.
        .custom_flags((nix::fcntl::OFlag::O_NOFOLLOW | nix::fcntl::OFlag::O_NONBLOCK).bits())
        .open(&path)
        .map_err(|e| {
            if e.raw_os_error() == Some(nix::errno::Errno::ELOOP as i32) {
                Unsafe(format!(
                    "log file {} is a symbolic link; remove it",
                    path.display()
                ))
            } else {
                io_reason(&path, &e)
            }
        })?;
    let meta = file.metadata().map_err(|e| io_reason(&path, &e))?;
    if !meta.is_file() || meta.uid() != me {
        return Err(Unsafe(format!(
            "log file {} is not a regular file of this user",
            path.display()
        )));
    }
    if meta.mode() & 0o077 != 0 {
        file.set_permissions(Permissions::from_mode(0o600))
            .map_err(|e| io_reason(&path, &e))?;
    }
    Ok(file)
}
