//! The people loader: after the Users or Invitations tab drew its first page, reads the
//! pages that follow (each resumed from the previous page's cursor, never a rescan) and sends
//! each as a chunk over the channel the runtime polls, the last one marked done (D90). It
//! stops when the runtime cancels it or the channel closes.
//!
//! It only reads; it never touches the console's state and never decides what is shown.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;

use super::action::Action;
use crate::backend::{Backend, BackendExt};
use crate::service::{Cursor, InvitationQuery, Page, ServiceError, UserQuery};

/// Rows per page asked for and per chunk sent.
pub(super) const CHUNK: usize = 5_000;

/// Which tab's list a load reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum People {
    Users,
    Invitations,
}

impl People {
    /// What a failure message names.
    fn what(self) -> &'static str {
        match self {
            Self::Users => "users",
            Self::Invitations => "invitations",
        }
    }
}

/// Reads one page of `kind` after `after`, as the chunk action it becomes.
fn page(
    backend: &dyn Backend,
    kind: People,
    after: Option<Cursor>,
) -> Result<(Action, Option<Cursor>), ServiceError> {
    Ok(match kind {
        People::Users => {
            let Page { rows, next } = backend.ask(UserQuery {
                after,
                limit: Some(CHUNK),
                ..UserQuery::default()
            })?;
            let done = next.is_none();
            (Action::UsersChunk { rows, done }, next)
        }
        People::Invitations => {
            let Page { rows, next } = backend.ask(InvitationQuery {
                after,
                limit: Some(CHUNK),
                ..InvitationQuery::default()
            })?;
            let done = next.is_none();
            (Action::InvitationsChunk { rows, done }, next)
        }
    })
}

/// The loader's body: sends every page of `kind` from `after` until the last, a failure, a
/// cancel or a closed channel.
pub(super) fn load(
    backend: &dyn Backend,
    kind: People,
    mut after: Option<Cursor>,
    cancel: &AtomicBool,
    tx: &Sender<Action>,
) {
    loop {
        if cancel.load(Ordering::Relaxed) {
            return;
        }
        match page(backend, kind, after.take()) {
            Ok((chunk, next)) => {
                let last = next.is_none();
                if tx.send(chunk).is_err() || last {
                    return;
                }
                after = next;
            }
            Err(e) => {
                let _ = tx.send(Action::Failed(format!("loading {}: {e}", kind.what())));
                return;
            }
        }
    }
}

/// The chunk a first page with nothing after it ends with.
pub(super) fn done(kind: People) -> Action {
    match kind {
        People::Users => Action::UsersChunk {
            rows: Vec::new(),
            done: true,
        },
        People::Invitations => Action::InvitationsChunk {
            rows: Vec::new(),
            done: true,
        },
    }
}
