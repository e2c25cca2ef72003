//! A watchdog for calls into the storage engine that never return. sled 0.34 can loop for
//! ever on some damaged files (`PageCache::pull` → `Log::read` retrying `pread` on a
//! truncated segment): 100% CPU, holding the process lock, no error, no panic. sled cannot be
//! fixed from here, so the process that notices is ended instead.
//!
//! Every guarded call ([`super::engine::guard`]) notes when the outermost call on its thread
//! began; [`start`] runs a thread that looks once a second and, when one call has run longer
//! than the limit, hands it to the front end's `on_stall` once and stops looking. Only a
//! single engine call is timed (one read, one step of a scan, one transaction, one flush):
//! a long walk that keeps stepping is progress, however long it takes.
//!
//! Must not: end the process itself (the front end decides: the CLI reports the damaged
//! database and exits 4), or time anything but calls into the engine. Cost on the hot path:
//! one uncontended lock per outermost guarded call.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::thread::ThreadId;
use std::time::{Duration, Instant};

/// The limit when [`LIMIT_ENV`] does not set one.
pub const DEFAULT_LIMIT: Duration = Duration::from_secs(30);

/// Environment variable: seconds one engine call may run before the watchdog fires (a
/// positive whole number; anything else gives [`DEFAULT_LIMIT`]).
pub const LIMIT_ENV: &str = "TENANTRY_STALL_SECONDS";

/// The outermost guarded call running on each thread: when it began and the database.
static RUNNING: Mutex<Option<HashMap<ThreadId, (Instant, PathBuf)>>> = Mutex::new(None);

/// The limit [`LIMIT_ENV`] sets, or [`DEFAULT_LIMIT`].
pub fn limit_from_env() -> Duration {
    std::env::var(LIMIT_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|s| *s > 0)
        .map_or(DEFAULT_LIMIT, Duration::from_secs)
}

fn running() -> std::sync::MutexGuard<'static, Option<HashMap<ThreadId, (Instant, PathBuf)>>> {
    RUNNING.lock().unwrap_or_else(|p| p.into_inner())
}

/// Notes that this thread's outermost engine call on `path` begins.
pub(crate) fn begin(path: &Path) {
    running().get_or_insert_with(HashMap::new).insert(
        std::thread::current().id(),
        (Instant::now(), path.to_path_buf()),
    );
}

/// Notes that this thread's outermost engine call returned (or panicked).
pub(crate) fn end() {
    if let Some(map) = running().as_mut() {
        map.remove(&std::thread::current().id());
    }
}

/// The database of an engine call that has run longer than `limit`, if any (on `only`, when
/// given).
fn stalled(limit: Duration, only: Option<&Path>) -> Option<(PathBuf, Duration)> {
    let guard = running();
    let map = guard.as_ref()?;
    map.values()
        .filter(|(_, path)| only.is_none_or(|only| only == path))
        .map(|(since, path)| (path, since.elapsed()))
        .filter(|(_, took)| *took >= limit)
        .max_by_key(|(_, took)| *took)
        .map(|(path, took)| (path.clone(), took))
}

/// Starts the watchdog: when one engine call has run for `limit`, `on_stall` gets the
/// database and how long the call has run, once; then the watchdog stops. A thread that
/// cannot be started is logged and leaves the process without a watchdog.
pub fn start(limit: Duration, on_stall: impl FnOnce(&Path, Duration) + Send + 'static) {
    watch(limit, None, on_stall);
}

/// [`start`], watching only the calls on the database `only` when given (tests, which share
/// the process with other tests' engine calls).
fn watch(
    limit: Duration,
    only: Option<PathBuf>,
    on_stall: impl FnOnce(&Path, Duration) + Send + 'static,
) {
    let tick = limit.min(Duration::from_secs(1));
    let spawned = std::thread::Builder::new()
        .name("tenantry-watchdog".into())
        .spawn(move || {
            loop {
                std::thread::sleep(tick);
                if let Some((path, took)) = stalled(limit, only.as_deref()) {
                    tracing::error!(db = %path.display(), seconds = took.as_secs(), "a storage engine call made no progress");
                    on_stall(&path, took);
                    return;
                }
            }
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "could not start the storage watchdog");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::engine::guard;

    #[test]
    fn an_engine_call_that_never_returns_is_reported_once() {
        let (tx, rx) = std::sync::mpsc::channel();
        let (busy_tx, busy_rx) = std::sync::mpsc::channel();
        let limit = Duration::from_millis(300);
        watch(limit, Some("/srv/stuck".into()), move |path, took| {
            let _ = tx.send((path.to_path_buf(), took));
        });
        watch(limit, Some("/srv/busy".into()), move |path, _| {
            let _ = busy_tx.send(path.to_path_buf());
        });
        // Short calls, however many, are progress.
        for _ in 0..20 {
            guard(Path::new("/srv/busy"), || {
                std::thread::sleep(Duration::from_millis(20))
            })
            .unwrap();
        }
        assert!(
            busy_rx.try_recv().is_err(),
            "short calls were taken for a stall"
        );
        // An injected stall: one call that does not return within the limit.
        guard(Path::new("/srv/stuck"), || {
            std::thread::sleep(Duration::from_millis(2500))
        })
        .unwrap();
        let (path, took) = rx.recv_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!(path, Path::new("/srv/stuck"));
        assert!(took >= Duration::from_millis(300));
    }

    #[test]
    fn the_limit_comes_from_the_environment_or_defaults() {
        // Read-only use of the variable: the test process does not set it.
        if std::env::var_os(LIMIT_ENV).is_none() {
            assert_eq!(limit_from_env(), DEFAULT_LIMIT);
        }
    }
}
