//! The loader thread's body: streams live customers through the backend, page after page, as
//! compact index entries, in chunks, until the list ends or the runtime cancels it. It only reads, and it
//! reports over the channel the runtime polls; it never touches the console's state.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;

use super::action::Action;
use crate::backend::{Backend, CustomerRows};
use crate::service::{CustomerQuery, IndexEntry};

/// Rows per page asked for and per message from the loader thread.
pub(super) const CHUNK: usize = 5_000;

/// The loader thread: streams live customers from `offset` in chunks until done or cancelled.
/// `columns` are the custom fields whose values the entries keep.
pub(super) fn load(
    backend: &dyn Backend,
    offset: usize,
    columns: &[String],
    cancel: &AtomicBool,
    tx: &Sender<Action>,
) {
    let query = CustomerQuery {
        offset,
        ..CustomerQuery::default()
    };
    let rows = CustomerRows::new(backend, query).page_size(CHUNK);
    let mut chunk = Vec::with_capacity(CHUNK);
    for row in rows {
        if cancel.load(Ordering::Relaxed) {
            return;
        }
        match row {
            Ok(row) => chunk.push(IndexEntry::from_row(&row, columns)),
            Err(e) => {
                let _ = tx.send(Action::Failed(format!("loading customers: {e}")));
                return;
            }
        }
        if chunk.len() == CHUNK
            && tx
                .send(Action::IndexChunk(std::mem::take(&mut chunk)))
                .is_err()
        {
            return;
        }
    }
    let _ = tx.send(Action::IndexChunk(chunk));
    let _ = tx.send(Action::IndexLoaded);
}
