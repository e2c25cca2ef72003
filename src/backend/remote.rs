//! The backend over a Unix socket to `tenantry serve`: each seam call is one request frame
//! and one response frame on the one connection (see `server::wire`). The server keeps the
//! session; this side never holds or sends one, and peer authentication sends no name: the
//! server reads the client's uid from the socket.
//!
//! It adds no rule of its own and must not retry a request whose outcome it did not see: a
//! connection lost during a call is reported as an outcome unknown, with how to check.

use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use super::Backend;
use crate::domain::ImpersonationEnd;
use crate::domain::text::display_safe;
use crate::server::wire::{self, Hello, Reply, Request, Response, ServerStatus};
use crate::server::{ServerError, socket};
use crate::service::{
    Accepted, Answer, Command, ImportRow, InitRequest, LogExport, LogExportSummary, Outcome, Query,
    ServiceError, SessionInfo,
};
use crate::store::StoreError;
use crate::store::backup::BackupSummary;
use crate::store::backup_sign::SigningKey;

/// How long a server has to answer the handshake before the client gives up on it.
const HANDSHAKE: Duration = Duration::from_secs(10);

pub struct Remote {
    stream: Mutex<UnixStream>,
    socket: PathBuf,
    server_pid: u32,
}

impl Remote {
    /// Connects to the server of the database at `db`, looking in `socket_dir` or the
    /// personal socket directory: `Ok(None)` when none runs there (no socket, a socket no one
    /// listens on, as a killed server leaves, or a server that ends before its hello). A server of another version is an error
    /// saying which side to restart.
    pub fn connect(db: &Path, socket_dir: Option<&Path>) -> Result<Option<Self>, ServerError> {
        let dir = socket::socket_dir(socket_dir);
        let Some(path) = socket::socket_path(&dir, db) else {
            return Ok(None);
        };
        let mut stream = match UnixStream::connect(&path) {
            Ok(stream) => stream,
            Err(e) => {
                use std::io::ErrorKind as K;
                return match e.kind() {
                    K::NotFound | K::ConnectionRefused => Ok(None),
                    _ => Err(ServerError::io(&path, &e)),
                };
            }
        };
        stream
            .set_read_timeout(Some(HANDSHAKE))
            .and_then(|()| stream.set_write_timeout(Some(HANDSHAKE)))
            .map_err(|e| ServerError::io(&path, &e))?;
        let hello = wire::write_frame(&mut stream, &Hello::ours())
            .and_then(|()| wire::read_frame::<Response>(&mut stream));
        let server_pid = match hello {
            Ok(Response::Welcome { pid, .. }) => pid,
            Ok(Response::Refused(why)) => return Err(ServerError::Refused(display_safe(&why))),
            Ok(_) => {
                return Err(ServerError::Refused(
                    "the server answered the handshake with something else".into(),
                ));
            }
            // A server that dies (or hangs) before it has said hello has been asked nothing:
            // the caller opens the database itself, which works once the dead server's lock
            // is gone and otherwise names who holds it.
            Err(e) => {
                tracing::warn!(socket = %path.display(), error = %e, "the server did not complete the handshake");
                return Ok(None);
            }
        };
        // A request may take as long as it takes (a backup); the server bounds its own work.
        stream
            .set_read_timeout(None)
            .map_err(|e| ServerError::io(&path, &e))?;
        Ok(Some(Self {
            stream: Mutex::new(stream),
            socket: path,
            server_pid,
        }))
    }

    /// The pid of the server this backend talks to.
    pub fn server_pid(&self) -> u32 {
        self.server_pid
    }

    /// The server's own account of itself.
    pub fn status(&self) -> Result<ServerStatus, ServiceError> {
        match self.exchange(&Request::Status)? {
            Response::Status(status) => Ok(status),
            _ => Err(other_answer()),
        }
    }

    fn exchange(&self, request: &Request) -> Result<Response, ServiceError> {
        let mut stream = self.stream.lock().unwrap_or_else(|p| p.into_inner());
        wire::write_frame(&mut *stream, request).map_err(|e| self.lost(&e, request))?;
        wire::read_frame::<Response>(&mut *stream).map_err(|e| self.lost(&e, request))
    }

    /// Makes one seam call.
    fn call(&self, request: Request) -> Result<Reply, ServiceError> {
        match self.exchange(&request)? {
            Response::Done(answer) => *answer,
            Response::BadRequest(why) | Response::Refused(why) => Err(ServiceError::Refused(
                format!("the server refused the request: {}", display_safe(&why)),
            )),
            _ => Err(other_answer()),
        }
    }

    /// A connection lost during a call: a read changed nothing and can be run again; for a
    /// change, whether it took effect is unknown.
    fn lost(&self, e: &wire::WireError, request: &Request) -> ServiceError {
        let what = if request.only_reads() {
            "it was a read, so nothing was changed: run the command again"
        } else {
            "whether the change was made is unknown: look for it (e.g. `tenantry log --limit 5`) before repeating it"
        };
        ServiceError::Store(StoreError::Io {
            path: display_safe(&self.socket.display().to_string()),
            detail: format!(
                "the connection to the server (pid {}) failed: {e}; {what}",
                self.server_pid
            ),
        })
    }
}

fn other_answer() -> ServiceError {
    ServiceError::Refused("the server answered another call".into())
}

macro_rules! expect_reply {
    ($reply:expr, $variant:ident) => {
        match $reply? {
            Reply::$variant(value) => Ok(value),
            _ => Err(other_answer()),
        }
    };
}

fn unit(reply: Result<Reply, ServiceError>) -> Result<(), ServiceError> {
    match reply? {
        Reply::Unit => Ok(()),
        _ => Err(other_answer()),
    }
}

impl Backend for Remote {
    fn is_initialised(&self) -> Result<bool, ServiceError> {
        expect_reply!(self.call(Request::IsInitialised), Bool)
    }

    fn refuse_if_initialised(&self) -> Result<(), ServiceError> {
        unit(self.call(Request::RefuseIfInitialised))
    }

    fn init(&self, request: &InitRequest) -> Result<SessionInfo, ServiceError> {
        expect_reply!(self.call(Request::Init(request.clone())), Session)
    }

    fn sign_in(&self, email: &str, password: &str) -> Result<SessionInfo, ServiceError> {
        let request = Request::SignIn {
            email: email.to_owned(),
            password: password.to_owned(),
        };
        expect_reply!(self.call(request), Session)
    }

    fn sign_in_member(
        &self,
        email: &str,
        password: &str,
        slug: &str,
    ) -> Result<SessionInfo, ServiceError> {
        let request = Request::SignInMember {
            email: email.to_owned(),
            password: password.to_owned(),
            slug: slug.to_owned(),
        };
        expect_reply!(self.call(request), Session)
    }

    fn accept_invitation(
        &self,
        token: &str,
        password: Option<&str>,
    ) -> Result<Accepted, ServiceError> {
        let request = Request::AcceptInvitation {
            token: token.to_owned(),
            password: password.map(str::to_owned),
        };
        expect_reply!(self.call(request), Accepted)
    }

    fn request_password_reset(&self, email: &str) -> Result<String, ServiceError> {
        let request = Request::RequestPasswordReset {
            email: email.to_owned(),
        };
        expect_reply!(self.call(request), Text)
    }

    fn reset_password(&self, token: &str, password: &str) -> Result<String, ServiceError> {
        let request = Request::ResetPassword {
            token: token.to_owned(),
            password: password.to_owned(),
        };
        expect_reply!(self.call(request), Text)
    }

    /// The name is not sent: the server resolves the account from the socket's credentials.
    fn peer_authenticate(&self, _unix_user: &str) -> Result<Option<SessionInfo>, ServiceError> {
        expect_reply!(self.call(Request::PeerAuthenticate), MaybeSession)
    }

    fn session(&self) -> Result<Option<SessionInfo>, ServiceError> {
        expect_reply!(self.call(Request::Session), MaybeSession)
    }

    fn sign_out(&self) {
        if let Err(e) = self.call(Request::SignOut) {
            tracing::warn!(error = %e, "signing out through the server");
        }
    }

    fn start_impersonation(&self, slug: &str, reason: &str) -> Result<SessionInfo, ServiceError> {
        let request = Request::StartImpersonation {
            slug: slug.to_owned(),
            reason: reason.to_owned(),
        };
        expect_reply!(self.call(request), Session)
    }

    fn end_impersonation(&self, how: ImpersonationEnd) -> Result<SessionInfo, ServiceError> {
        expect_reply!(self.call(Request::EndImpersonation(how)), Session)
    }

    fn enter_customer(&self, slug: &str) -> Result<SessionInfo, ServiceError> {
        let request = Request::EnterCustomer {
            slug: slug.to_owned(),
        };
        expect_reply!(self.call(request), Session)
    }

    fn change_own_password(&self, current: &str, new: &str) -> Result<(), ServiceError> {
        unit(self.call(Request::ChangeOwnPassword {
            current: current.to_owned(),
            new: new.to_owned(),
        }))
    }

    fn execute(&self, command: Command) -> Result<Outcome, ServiceError> {
        expect_reply!(self.call(Request::Execute(command)), Outcome)
    }

    fn execute_batch(&self, commands: Vec<Command>) -> Result<Vec<Outcome>, ServiceError> {
        expect_reply!(self.call(Request::ExecuteBatch(commands)), Outcomes)
    }

    fn purge_expired(&self) -> Result<Outcome, ServiceError> {
        expect_reply!(self.call(Request::PurgeExpired), Outcome)
    }

    fn prune_log(&self) -> Result<Outcome, ServiceError> {
        expect_reply!(self.call(Request::PruneLog), Outcome)
    }

    fn query(&self, query: Query) -> Result<Answer, ServiceError> {
        expect_reply!(self.call(Request::Query(query)), Answer)
    }

    fn undo_import(&self, id: u64) -> Result<ImportRow, ServiceError> {
        expect_reply!(self.call(Request::UndoImport(id)), Import)
    }

    fn backup(
        &self,
        file: &Path,
        overwrite: bool,
        sign_with: Option<&SigningKey>,
    ) -> Result<BackupSummary, ServiceError> {
        // The server writes the file: a relative path means the client's directory.
        let file = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let request = Request::Backup {
            file,
            overwrite,
            sign_with: sign_with.map(|k| k.to_bytes().to_vec()),
        };
        expect_reply!(self.call(request), Backup)
    }

    fn export_log(&self, export: &LogExport) -> Result<LogExportSummary, ServiceError> {
        let mut export = export.clone();
        if let Ok(file) = std::path::absolute(&export.file) {
            export.file = file;
        }
        expect_reply!(self.call(Request::ExportLog(export)), LogExport)
    }

    fn close(&self) -> Result<(), ServiceError> {
        self.sign_out();
        Ok(())
    }

    fn damaged(&self) -> Option<ServiceError> {
        match self.call(Request::Damaged) {
            Ok(Reply::Damaged(refusal)) => refusal,
            _ => None,
        }
    }
}
