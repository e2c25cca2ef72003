//! `tenantry serve`: one long-running process owns a database and answers the seam's calls
//! on a Unix socket, so several consoles and commands can work on it at once (D115). It
//! takes the database's process lock (the store's `tenantry.lock` flock) by opening the
//! database, before anything else touches the socket; only then is a stale socket left by a
//! killed server removed and a new one bound. One thread accepts; each connection has a
//! thread of its own ([`conn`]). SIGTERM, SIGINT and SIGHUP stop the accepting, let every
//! request in flight finish, flush, close the database and end the process with status 0.
//!
//! This module must not add rules of its own: every request goes to a [`Local`] backend, one
//! per connection, over the one service.

mod conn;
pub mod socket;
pub mod wire;

use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::backend::{Backend, Local};
use crate::domain::text::display_safe;
use crate::service::ServiceError;
use crate::store::{OpenMode, StoreOptions};

pub use wire::ServerStatus;

/// Errors of the server that are not the service's own.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Service(#[from] ServiceError),
    #[error("{path}: {detail}")]
    Io { path: String, detail: String },
    /// A socket directory or file that is not safe to use, and what to do about it.
    #[error("{0}")]
    Unsafe(String),
    /// The server answered with a refusal (a version mismatch).
    #[error("{0}")]
    Refused(String),
}

impl ServerError {
    pub fn io(path: &Path, err: &std::io::Error) -> Self {
        Self::Io {
            path: display_safe(&path.display().to_string()),
            detail: err.to_string(),
        }
    }

    /// The exit status: the service's own for its errors (3 when the database is in use), 1
    /// for a refusal, 4 for a failure of the machine.
    pub fn exit_code(&self) -> i32 {
        match self {
            Self::Service(e) => e.exit_code(),
            Self::Unsafe(_) | Self::Refused(_) => 1,
            Self::Io { .. } => 4,
        }
    }
}

/// The limits that keep one client from hurting the others.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections one Unix account may hold open at once.
    pub per_uid: usize,
    /// Connections open at once in all.
    pub total: usize,
    /// How long a new connection has to send its handshake.
    pub handshake: Duration,
    /// How long a connection may stay silent between requests before it is closed.
    pub idle: Duration,
    /// How long writing one response may take before the client counts as gone.
    pub write: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_uid: 32,
            total: 256,
            handshake: Duration::from_secs(5),
            idle: Duration::from_secs(3600),
            write: Duration::from_secs(10),
        }
    }
}

/// What `tenantry serve` serves, and where.
pub struct ServeOptions {
    pub db: PathBuf,
    pub socket_dir: Option<PathBuf>,
    pub group: Option<String>,
    pub store: StoreOptions,
    pub mail: crate::mail::MailSetup,
    pub limits: Limits,
}

/// What every connection thread shares.
struct Shared {
    root: Local,
    database: String,
    limits: Limits,
    open: Mutex<HashMap<u32, usize>>,
    /// Each open connection's stream, so stopping can end its reads.
    streams: Mutex<HashMap<u64, UnixStream>>,
    connections_served: AtomicU64,
    requests_served: AtomicU64,
}

impl Shared {
    fn status(&self) -> ServerStatus {
        ServerStatus {
            pid: std::process::id(),
            version: wire::VERSION.to_owned(),
            database: self.database.clone(),
            clients: lock(&self.open).values().sum(),
            connections_served: self.connections_served.load(Ordering::Relaxed),
            requests_served: self.requests_served.load(Ordering::Relaxed),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Serves the database until a signal says stop. `ready` is told the socket's path once
/// clients can connect.
pub fn serve(options: ServeOptions, ready: &mut dyn FnMut(&Path)) -> Result<(), ServerError> {
    let dir = socket::socket_dir(options.socket_dir.as_deref());
    socket::prepare_dir(&dir, options.group.as_deref())?;
    // The process lock first: from here on no other server of this database can run.
    let root = Local::open_with_mail(
        &options.db,
        OpenMode::Existing,
        &options.store,
        options.mail,
    )?;
    let path = socket::socket_path(&dir, &options.db).ok_or_else(|| ServerError::Io {
        path: display_safe(&options.db.display().to_string()),
        detail: "the database's path cannot be resolved".into(),
    })?;
    if socket::remove_stale(&path)? {
        tracing::info!(socket = %path.display(), "replaced the socket of a server that ended without closing");
    }
    let listener = UnixListener::bind(&path).map_err(|e| ServerError::io(&path, &e))?;
    let mode = if options.group.is_some() {
        0o660
    } else {
        0o600
    };
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| ServerError::io(&path, &e))?;
    let stopping = Arc::new(AtomicBool::new(false));
    watch_signals(&stopping, &path)?;
    let shared = Arc::new(Shared {
        root,
        database: display_safe(&options.db.display().to_string()),
        limits: options.limits,
        open: Mutex::new(HashMap::new()),
        streams: Mutex::new(HashMap::new()),
        connections_served: AtomicU64::new(0),
        requests_served: AtomicU64::new(0),
    });
    tracing::info!(socket = %path.display(), pid = std::process::id(), "serving");
    ready(&path);
    let workers = accept_until_stopped(&listener, &shared, &stopping);
    drop(listener);
    let _ = std::fs::remove_file(&path);
    // Stop every connection's reading: a request being answered is finished and answered,
    // and its next read sees the end.
    for stream in lock(&shared.streams).values() {
        let _ = stream.shutdown(std::net::Shutdown::Read);
    }
    for worker in workers {
        let _ = worker.join();
    }
    tracing::info!("stopping: every request answered; flushing");
    shared.root.close()?;
    Ok(())
}

/// Accepts connections until `stopping`, each on its own thread; returns the threads.
fn accept_until_stopped(
    listener: &UnixListener,
    shared: &Arc<Shared>,
    stopping: &AtomicBool,
) -> Vec<std::thread::JoinHandle<()>> {
    let mut workers: Vec<std::thread::JoinHandle<()>> = Vec::new();
    let mut next_id: u64 = 0;
    for incoming in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = incoming else { continue };
        workers.retain(|w| !w.is_finished());
        let Ok(uid) = socket::peer_uid(&stream) else {
            continue;
        };
        if let Some(refusal) = admit(shared, uid) {
            refuse(stream, shared.limits, &refusal);
            continue;
        }
        next_id += 1;
        let id = next_id;
        if let Ok(copy) = stream.try_clone() {
            lock(&shared.streams).insert(id, copy);
        }
        shared.connections_served.fetch_add(1, Ordering::Relaxed);
        let shared = Arc::clone(shared);
        let spawned = std::thread::Builder::new()
            .name(format!("conn-{id}"))
            .spawn(move || {
                conn::serve_connection(&shared, stream, uid);
                lock(&shared.streams).remove(&id);
                leave(&shared, uid);
            });
        match spawned {
            Ok(worker) => workers.push(worker),
            Err(e) => tracing::warn!(error = %e, "no thread for a connection"),
        }
    }
    workers
}

/// Counts a new connection of `uid` in, or says why not.
fn admit(shared: &Shared, uid: u32) -> Option<String> {
    let mut open = lock(&shared.open);
    let total: usize = open.values().sum();
    let mine = open.entry(uid).or_insert(0);
    if *mine >= shared.limits.per_uid {
        return Some(format!(
            "too many connections from this account ({} open); close some consoles",
            *mine
        ));
    }
    if total >= shared.limits.total {
        return Some(format!("the server has {total} connections, its limit"));
    }
    *mine += 1;
    None
}

fn leave(shared: &Shared, uid: u32) {
    let mut open = lock(&shared.open);
    if let Some(n) = open.get_mut(&uid) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            open.remove(&uid);
        }
    }
}

fn refuse(mut stream: UnixStream, limits: Limits, refusal: &str) {
    tracing::warn!(refusal, "connection refused");
    let _ = stream.set_write_timeout(Some(limits.handshake));
    let _ = wire::write_frame(&mut stream, &wire::Response::Refused(refusal.to_owned()));
}

/// On SIGTERM, SIGINT or SIGHUP: marks `stopping` and wakes the accepting thread with a
/// connection of its own.
fn watch_signals(stopping: &Arc<AtomicBool>, socket: &Path) -> Result<(), ServerError> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP])
        .map_err(|e| ServerError::io(socket, &e))?;
    let stopping = Arc::clone(stopping);
    let socket = socket.to_path_buf();
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                tracing::info!(signal, "stopping on a signal");
                stopping.store(true, Ordering::SeqCst);
                let _ = UnixStream::connect(&socket);
            }
        })
        .map_err(|e| ServerError::io(Path::new("signals"), &e))?;
    Ok(())
}

/// Asks the server of `db` how it is: `None` when none runs.
pub fn status(db: &Path, socket_dir: Option<&Path>) -> Result<Option<ServerStatus>, ServerError> {
    let Some(remote) = crate::backend::Remote::connect(db, socket_dir)? else {
        return Ok(None);
    };
    Ok(Some(remote.status()?))
}
