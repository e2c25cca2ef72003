//! `tenantry serve`: runs the server of the database in the foreground, starts one in the
//! background, or says whether one runs (`--status`); and [`connect`], the CLI's choice of
//! reaching the database through its server rather than opening it.
//!
//! The server itself is `crate::server`; this module only turns its options and answers into
//! the CLI's, and must not serve anything itself.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use clap::Args;

use super::args::GlobalArgs;
use super::{CliError, database_path, mail_setup};
use crate::backend::Remote;
use crate::domain::text::display_safe;
use crate::server::{self, ServeOptions, ServerError};
use crate::service::ServiceError;
use crate::store::{OpenMode, StoreError};

/// How long `serve --background` waits for the new server to answer.
const START_WAIT: Duration = Duration::from_secs(15);

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Shared mode: give the socket directory (--socket-dir) to this Unix group, 0750, and
    /// the socket 0660, so the group's members can connect
    #[arg(long, value_name = "GROUP", requires = "socket_dir")]
    pub group: Option<String>,
    /// Start the server as a process of its own and return once it answers
    #[arg(long, conflicts_with = "status")]
    pub background: bool,
    /// Say whether a server of the database runs: its pid, clients and version (exit 0
    /// running, 1 not)
    #[arg(long)]
    pub status: bool,
}

impl From<ServerError> for CliError {
    fn from(e: ServerError) -> Self {
        match e {
            ServerError::Service(e) => Self::Service(e),
            ServerError::Io { path, detail } => {
                Self::Service(ServiceError::Store(StoreError::Io { path, detail }))
            }
            ServerError::Unsafe(why) | ServerError::Refused(why) => {
                Self::Service(ServiceError::Refused(why))
            }
        }
    }
}

/// The server of the database at `db`, when one runs and the command may use it: not with
/// `--no-server`, and not for `init` (no server serves a database that does not exist).
pub(super) fn connect(
    global: &GlobalArgs,
    db: &Path,
    mode: OpenMode,
) -> Result<Option<Remote>, CliError> {
    if global.no_server || mode != OpenMode::Existing {
        return Ok(None);
    }
    let remote = Remote::connect(db, global.socket_dir.as_deref())?;
    if let Some(remote) = &remote {
        tracing::debug!(server = remote.server_pid(), "through the server");
    }
    Ok(remote)
}

pub(super) fn run(
    global: &GlobalArgs,
    args: ServeArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let db = database_path(global)?;
    let shown = display_safe(&db.display().to_string());
    if args.status {
        return match server::status(&db, global.socket_dir.as_deref())? {
            Some(s) => {
                writeln!(out, "running: pid {}, version {}", s.pid, s.version)?;
                writeln!(out, "database: {}", s.database)?;
                writeln!(out, "clients: {} (this one included)", s.clients)?;
                writeln!(out, "connections served: {}", s.connections_served)?;
                writeln!(out, "requests served: {}", s.requests_served)?;
                Ok(())
            }
            None => Err(CliError::CheckFailed(format!(
                "no server runs for the database at {shown}"
            ))),
        };
    }
    if args.background {
        return start_background(global, &args, &db, out);
    }
    // A storage call that never returns would hang every client: the server ends as a
    // damaged database, exit 4, as a command does.
    crate::store::watchdog::start(
        crate::store::watchdog::limit_from_env(),
        super::end_on_stall,
    );
    let options = ServeOptions {
        mail: mail_setup(global, &db),
        db,
        socket_dir: global.socket_dir.clone(),
        group: args.group,
        store: global.store.clone(),
        limits: server::Limits::default(),
    };
    let mut ready = |socket: &Path| {
        let _ = writeln!(
            out,
            "serving {shown} on {} (pid {}); stop with SIGTERM or Ctrl-C",
            display_safe(&socket.display().to_string()),
            std::process::id()
        );
        let _ = out.flush();
    };
    server::serve(options, &mut ready)?;
    writeln!(out, "stopped")?;
    Ok(())
}

/// Starts `tenantry serve` as a process of its own (its own process group, no terminal),
/// then waits until a server answers. Several started at once race for the database's lock:
/// one wins, the others' servers stop at once, and each of their starters connects again
/// and finds the winner, so however many start, one server runs and every start succeeds.
fn start_background(
    global: &GlobalArgs,
    args: &ServeArgs,
    db: &Path,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    use std::os::unix::process::CommandExt;
    let shown = display_safe(&db.display().to_string());
    if let Some(s) = server::status(db, global.socket_dir.as_deref())? {
        writeln!(out, "a server of {shown} already runs (pid {})", s.pid)?;
        return Ok(());
    }
    let exe = std::env::current_exe()
        .map_err(|e| CliError::Usage(format!("cannot find this program's path: {e}")))?;
    let db = std::path::absolute(db).unwrap_or_else(|_| db.to_path_buf());
    let mut command = std::process::Command::new(exe);
    command.arg("--db").arg(&db).arg("serve");
    if let Some(dir) = &global.socket_dir {
        command
            .arg("--socket-dir")
            .arg(std::path::absolute(dir).unwrap_or_else(|_| dir.clone()));
    }
    if let Some(group) = &args.group {
        command.arg("--group").arg(group);
    }
    command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .process_group(0);
    let mut child = command.spawn()?;
    let ours = child.id();
    let started = Instant::now();
    let mut stopped = None;
    loop {
        if stopped.is_none() {
            stopped = child.try_wait()?;
        }
        if let Some(s) = server::status(&db, global.socket_dir.as_deref())? {
            if s.pid == ours {
                writeln!(out, "started the server of {shown} (pid {})", s.pid)?;
            } else {
                writeln!(out, "a server of {shown} already runs (pid {})", s.pid)?;
            }
            return Ok(());
        }
        if started.elapsed() > START_WAIT {
            let why = match stopped {
                Some(status) => format!(
                    "the server stopped at once ({status}) and no other answers; run `tenantry serve` in the foreground to see why"
                ),
                None => format!(
                    "the server (pid {ours}) did not answer within {} s",
                    START_WAIT.as_secs()
                ),
            };
            return Err(CliError::Service(ServiceError::Refused(why)));
        }
        // A server that stopped at once lost the race to another start, or cannot run: wait
        // a little for the winner before saying so.
        if stopped.is_some() && started.elapsed() > Duration::from_secs(3) {
            return Err(CliError::Service(ServiceError::Refused(format!(
                "the server stopped at once ({}) and no other answers; run `tenantry serve` in the foreground to see why",
                stopped.map(|s| s.to_string()).unwrap_or_default()
            ))));
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}
