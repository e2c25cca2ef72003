//! The Logs tab's free-text search, on a worker thread: the log is read in steps of
//! [`SEARCH_STEP`] events (the service's `LogQuery::scan`), each step's matches sent as they
//! are found with how far the search has got, until the oldest event, a stop, or a closed
//! channel. The search is the service's `grep` filter; this module only walks it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;

use super::action::Action;
use crate::backend::{Backend, BackendExt};
use crate::service::LogQuery;
use crate::service::query::MAX_PAGE_ROWS;

/// Events one step of a search looks at.
pub const SEARCH_STEP: usize = 20_000;

/// The search's body: sends a [`Action::SearchProgress`] per step.
pub(super) fn search(
    backend: &dyn Backend,
    query: LogQuery,
    total: u64,
    cancel: &AtomicBool,
    tx: &Sender<Action>,
) {
    let mut before = None;
    let mut scanned = 0u64;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return;
        }
        let step = LogQuery {
            scan: Some(SEARCH_STEP),
            limit: Some(MAX_PAGE_ROWS),
            before: before.take(),
            ..query.clone()
        };
        match backend.ask(step) {
            Ok(page) => {
                let done = page.next.is_none();
                scanned = if done {
                    total
                } else {
                    scanned.saturating_add(SEARCH_STEP as u64).min(total)
                };
                let progress = Action::SearchProgress {
                    rows: page.rows,
                    scanned,
                    total,
                    done,
                };
                if tx.send(progress).is_err() || done {
                    return;
                }
                before = page.next;
            }
            Err(e) => {
                let _ = tx.send(Action::SearchProgress {
                    rows: Vec::new(),
                    scanned,
                    total,
                    done: true,
                });
                let _ = tx.send(Action::Failed(crate::domain::text::display_safe(&format!(
                    "searching the log: {e}"
                ))));
                return;
            }
        }
    }
}
