//! One client connection of `tenantry serve`, on its own thread: the handshake, then one
//! request at a time, each answered through the connection's own [`Local`] backend, which
//! keeps the connection's session. Who the peer is comes from the kernel (SO_PEERCRED), never
//! from the client: peer authentication resolves that uid's account name exactly as the
//! direct path resolves the account running the process.
//!
//! It must not let one client affect another: every read and write has a timeout, a bad frame
//! gets an answer or the connection is dropped, and nothing here panics on what a client sends.

use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::Shared;
use super::wire::{self, Hello, Reply, Request, Response, WireError};
use crate::backend::{Backend, Local};
use crate::service::ServiceError;
use crate::store::backup_sign::SigningKey;

/// Serves `stream` until the client leaves, a frame cannot be read, or the server stops.
pub(super) fn serve_connection(shared: &Arc<Shared>, mut stream: UnixStream, uid: u32) {
    let limits = shared.limits;
    let timeouts = stream
        .set_read_timeout(Some(limits.handshake))
        .and_then(|()| stream.set_write_timeout(Some(limits.write)));
    if timeouts.is_err() {
        return;
    }
    let hello = match wire::read_frame::<Hello>(&mut stream) {
        Ok(hello) => hello,
        Err(e) => {
            tracing::info!(uid, error = %e, "a connection without a valid handshake");
            let _ = wire::write_frame(
                &mut stream,
                &Response::Refused(format!("expected the handshake: {e}")),
            );
            return;
        }
    };
    if let Some(refusal) = wire::mismatch(&hello) {
        tracing::warn!(uid, client = %crate::domain::text::display_safe(&hello.version), "version mismatch");
        let _ = wire::write_frame(&mut stream, &Response::Refused(refusal));
        return;
    }
    let welcome = Response::Welcome {
        version: wire::VERSION.to_owned(),
        pid: std::process::id(),
    };
    if wire::write_frame(&mut stream, &welcome).is_err()
        || stream.set_read_timeout(Some(limits.idle)).is_err()
    {
        return;
    }
    let backend = shared.root.connection();
    let peer = super::socket::account_name(uid);
    loop {
        let body = match wire::read_body(&mut stream) {
            Ok(body) => body,
            Err(WireError::Closed) => break,
            Err(e @ WireError::TooLarge(_)) => {
                tracing::warn!(uid, error = %e, "an oversized frame; connection dropped");
                let _ = wire::write_frame(&mut stream, &Response::Refused(e.to_string()));
                break;
            }
            Err(e) => {
                tracing::info!(uid, error = %e, "connection dropped");
                break;
            }
        };
        let response = match wire::decode::<Request>(&body) {
            Ok(request) => answer(shared, &backend, peer.as_deref(), request),
            Err(e) => Response::BadRequest(e.to_string()),
        };
        shared.requests_served.fetch_add(1, Ordering::Relaxed);
        if let Err(e) = wire::write_frame(&mut stream, &response) {
            tracing::info!(uid, error = %e, "a client that does not read; connection dropped");
            break;
        }
    }
    // An impersonation the connection held ends with it, as signed out.
    backend.sign_out();
}

/// The response to one request.
fn answer(shared: &Shared, backend: &Local, peer: Option<&str>, request: Request) -> Response {
    if let Request::Status = request {
        return Response::Status(shared.status());
    }
    Response::Done(Box::new(call(backend, peer, request)))
}

/// Makes the seam call `request` names on the connection's backend.
fn call(backend: &Local, peer: Option<&str>, request: Request) -> Result<Reply, ServiceError> {
    use Reply as R;
    Ok(match request {
        Request::Status => R::Unit,
        Request::IsInitialised => R::Bool(backend.is_initialised()?),
        Request::RefuseIfInitialised => {
            backend.refuse_if_initialised()?;
            R::Unit
        }
        Request::Init(request) => R::Session(backend.init(&request)?),
        Request::SignIn { email, password } => R::Session(backend.sign_in(&email, &password)?),
        Request::SignInMember {
            email,
            password,
            slug,
        } => R::Session(backend.sign_in_member(&email, &password, &slug)?),
        Request::AcceptInvitation { token, password } => {
            R::Accepted(backend.accept_invitation(&token, password.as_deref())?)
        }
        Request::RequestPasswordReset { email } => R::Text(backend.request_password_reset(&email)?),
        Request::ResetPassword { token, password } => {
            R::Text(backend.reset_password(&token, &password)?)
        }
        Request::PeerAuthenticate => match peer {
            Some(name) => R::MaybeSession(backend.peer_authenticate(name)?),
            None => R::MaybeSession(None),
        },
        Request::Session => R::MaybeSession(backend.session()?),
        Request::SignOut => {
            backend.sign_out();
            R::Unit
        }
        Request::StartImpersonation { slug, reason } => {
            R::Session(backend.start_impersonation(&slug, &reason)?)
        }
        Request::EndImpersonation(how) => R::Session(backend.end_impersonation(how)?),
        Request::EnterCustomer { slug } => R::Session(backend.enter_customer(&slug)?),
        Request::ChangeOwnPassword { current, new } => {
            backend.change_own_password(&current, &new)?;
            R::Unit
        }
        Request::Execute(command) => R::Outcome(backend.execute(command)?),
        Request::ExecuteBatch(commands) => R::Outcomes(backend.execute_batch(commands)?),
        Request::PurgeExpired => R::Outcome(backend.purge_expired()?),
        Request::PruneLog => R::Outcome(backend.prune_log()?),
        Request::Query(query) => R::Answer(backend.query(query)?),
        Request::UndoImport(id) => R::Import(backend.undo_import(id)?),
        Request::Backup {
            file,
            overwrite,
            sign_with,
        } => {
            let key = match sign_with {
                Some(bytes) => {
                    let bytes: [u8; 32] = bytes
                        .try_into()
                        .map_err(|_| ServiceError::Refused("a signing key is 32 bytes".into()))?;
                    Some(SigningKey::from_bytes(&bytes))
                }
                None => None,
            };
            R::Backup(backend.backup(&file, overwrite, key.as_ref())?)
        }
        Request::ExportLog(export) => R::LogExport(backend.export_log(&export)?),
        Request::Damaged => R::Damaged(backend.damaged()),
    })
}
