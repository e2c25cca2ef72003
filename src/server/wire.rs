//! The wire between `tenantry serve` and its clients: frames of JSON, each a u32 big-endian
//! length then that many bytes, at most [`MAX_FRAME`]; the first exchange is a [`Hello`]
//! handshake naming the protocol and the crate version, and every later one is a
//! [`Request`] answered by a [`Response`]. Requests are the [`Backend`](crate::backend::Backend)
//! calls, carrying the service's own commands and queries; answers are its own outcomes, rows
//! and [`ServiceError`]s (D116).
//!
//! This module only frames and names values. It must not open the database or hold a
//! session, and nothing it decodes may panic on bad input: a bad frame is a [`WireError`].

use std::io::{Read, Write};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::domain::ImpersonationEnd;
use crate::service::{
    Accepted, Answer, Command, ImportRow, InitRequest, LogExport, LogExportSummary, Outcome, Query,
    ServiceError, SessionInfo,
};
use crate::store::backup::BackupSummary;

/// The protocol's version: raised whenever a request or a response changes shape. Client and
/// server also compare the crate version, since the service's values may change with it.
pub const PROTOCOL: u32 = 1;

/// The crate version both sides compare in the handshake.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The largest frame either side reads: 16 MiB, far above any page of rows.
pub const MAX_FRAME: u32 = 16 << 20;

/// The client's first frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    pub protocol: u32,
    pub version: String,
}

impl Hello {
    /// The hello of this build.
    pub fn ours() -> Self {
        Self {
            protocol: PROTOCOL,
            version: VERSION.to_owned(),
        }
    }
}

/// One call of the seam, as a client sends it. There is no session in it: the server keeps
/// the connection's own.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Request {
    /// The server's pid, clients and version (`serve --status`).
    Status,
    IsInitialised,
    RefuseIfInitialised,
    Init(InitRequest),
    SignIn {
        email: String,
        password: String,
    },
    SignInMember {
        email: String,
        password: String,
        slug: String,
    },
    AcceptInvitation {
        token: String,
        password: Option<String>,
    },
    RequestPasswordReset {
        email: String,
    },
    ResetPassword {
        token: String,
        password: String,
    },
    /// Signs in the staff member linked to the Unix account the server reads from the socket.
    PeerAuthenticate,
    Session,
    SignOut,
    StartImpersonation {
        slug: String,
        reason: String,
    },
    EndImpersonation(ImpersonationEnd),
    EnterCustomer {
        slug: String,
    },
    ChangeOwnPassword {
        current: String,
        new: String,
    },
    Execute(Command),
    ExecuteBatch(Vec<Command>),
    PurgeExpired,
    PruneLog,
    Query(Query),
    UndoImport(u64),
    Backup {
        file: PathBuf,
        overwrite: bool,
        /// The signing key's secret bytes (D118).
        sign_with: Option<Vec<u8>>,
    },
    ExportLog(LogExport),
    Damaged,
}

impl Request {
    /// True for a request that reads only: lost on the way, it changed nothing and can be
    /// asked again.
    pub fn only_reads(&self) -> bool {
        matches!(
            self,
            Self::Status
                | Self::IsInitialised
                | Self::RefuseIfInitialised
                | Self::Session
                | Self::Query(_)
                | Self::Damaged
        )
    }
}

/// What a server says to one frame.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Response {
    /// The handshake accepted.
    Welcome {
        version: String,
        pid: u32,
    },
    /// The connection is refused (a version mismatch, too many connections): the text says
    /// why and what to do, and the server closes it.
    Refused(String),
    /// A frame that was not a request; the connection stays open.
    BadRequest(String),
    Status(ServerStatus),
    /// The answer of one seam call (boxed: an answer is a page of rows, far larger than the
    /// other variants).
    Done(Box<Result<Reply, ServiceError>>),
}

/// `serve --status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerStatus {
    pub pid: u32,
    pub version: String,
    pub database: String,
    /// Connections open now, this one included.
    pub clients: usize,
    /// Connections accepted since the server started, this one included.
    pub connections_served: u64,
    /// Requests answered since the server started.
    pub requests_served: u64,
}

/// The value of one seam call, variant for the method's return type.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Reply {
    Unit,
    Bool(bool),
    Session(SessionInfo),
    MaybeSession(Option<SessionInfo>),
    Accepted(Accepted),
    Text(String),
    Outcome(Outcome),
    Outcomes(Vec<Outcome>),
    Answer(Answer),
    Import(ImportRow),
    Backup(BackupSummary),
    LogExport(LogExportSummary),
    Damaged(Option<ServiceError>),
}

/// A frame that could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    /// The peer closed the connection between frames.
    #[error("the connection was closed")]
    Closed,
    #[error("a frame of {0} bytes is over the limit of {MAX_FRAME}")]
    TooLarge(u32),
    /// The connection ended, timed out or failed in the middle of a frame.
    #[error("reading or writing a frame: {0}")]
    Io(#[from] std::io::Error),
    #[error("a frame that is not a valid message: {0}")]
    Malformed(String),
}

/// Writes `value` as one frame.
pub fn write_frame<T: Serialize>(to: &mut impl Write, value: &T) -> Result<(), WireError> {
    let body = serde_json::to_vec(value).map_err(|e| WireError::Malformed(e.to_string()))?;
    let len = u32::try_from(body.len())
        .ok()
        .filter(|n| *n <= MAX_FRAME)
        .ok_or(WireError::TooLarge(u32::MAX))?;
    let mut frame = Vec::with_capacity(body.len() + 4);
    frame.extend_from_slice(&len.to_be_bytes());
    frame.extend_from_slice(&body);
    to.write_all(&frame)?;
    to.flush()?;
    Ok(())
}

/// Reads one frame's bytes. A frame over [`MAX_FRAME`] is refused before any of its body is
/// read or any memory is set aside for it.
pub fn read_body(from: &mut impl Read) -> Result<Vec<u8>, WireError> {
    let mut head = [0u8; 4];
    let mut got = 0;
    while got < head.len() {
        match from.read(&mut head[got..]) {
            Ok(0) if got == 0 => return Err(WireError::Closed),
            Ok(0) => return Err(WireError::Io(std::io::ErrorKind::UnexpectedEof.into())),
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(WireError::Io(e)),
        }
    }
    let len = u32::from_be_bytes(head);
    if len > MAX_FRAME {
        return Err(WireError::TooLarge(len));
    }
    let mut body = vec![0u8; len as usize];
    from.read_exact(&mut body)?;
    Ok(body)
}

/// Decodes a frame's bytes as `T`.
pub fn decode<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, WireError> {
    serde_json::from_slice(body).map_err(|e| WireError::Malformed(e.to_string()))
}

/// Reads and decodes one frame.
pub fn read_frame<T: for<'de> Deserialize<'de>>(from: &mut impl Read) -> Result<T, WireError> {
    decode(&read_body(from)?)
}

/// The server's answer to a client's hello: `None` when the two match, else the refusal,
/// saying which side to restart.
pub fn mismatch(client: &Hello) -> Option<String> {
    if client.protocol == PROTOCOL && client.version == VERSION {
        return None;
    }
    let restart = if older(&client.version, VERSION) {
        "this client is older: run the tenantry of the server's version, or stop the server and start `tenantry serve` from this one"
    } else {
        "the server is older: stop it (`tenantry serve --status` gives its pid) and start `tenantry serve` from this version"
    };
    Some(format!(
        "the tenantry server runs version {VERSION} (protocol {PROTOCOL}) and this tenantry is version {} (protocol {}); {restart}",
        crate::domain::text::display_safe(&client.version),
        client.protocol
    ))
}

/// Whether version `a` is older than `b`, comparing dotted numbers (text that is not a
/// number compares as 0).
fn older(a: &str, b: &str) -> bool {
    let parts = |v: &str| -> Vec<u64> {
        v.split(['.', '-', '+'])
            .map(|p| p.parse().unwrap_or(0))
            .collect()
    };
    parts(a) < parts(b)
}

#[cfg(test)]
#[path = "wire_tests.rs"]
mod tests;
