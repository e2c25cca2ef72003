//! Listings read page by page through a backend, as one stream of rows: the CLI and the
//! export write each page as it comes, so output starts at once and memory stays at one page.
//! Nothing here decides what is listed; the query says that.

use std::collections::VecDeque;

use super::{Backend, BackendExt};
use crate::service::query::PAGE_ROWS;
use crate::service::{Cursor, CustomerQuery, CustomerRow, Page, ServiceError};

/// Customers matching a query, every page of them: `offset` skips rows before the first
/// page, `limit` bounds the whole stream (all when `None`).
pub struct CustomerRows<'a, B: Backend + ?Sized> {
    backend: &'a B,
    query: CustomerQuery,
    left: usize,
    buffer: VecDeque<CustomerRow>,
    done: bool,
    page: usize,
}

impl<'a, B: Backend + ?Sized> CustomerRows<'a, B> {
    pub fn new(backend: &'a B, query: CustomerQuery) -> Self {
        Self {
            backend,
            left: query.limit.unwrap_or(usize::MAX),
            query,
            buffer: VecDeque::new(),
            done: false,
            page: PAGE_ROWS,
        }
    }

    /// Asks for pages of `rows` rows (the service caps them at its maximum).
    pub fn page_size(mut self, rows: usize) -> Self {
        self.page = rows.max(1);
        self
    }

    fn fetch(&mut self) -> Result<(), ServiceError> {
        let page = self.backend.ask(CustomerQuery {
            limit: Some(self.left.min(self.page)),
            ..self.query.clone()
        })?;
        self.left = self.left.saturating_sub(page.rows.len());
        self.buffer.extend(page.rows);
        match page.next {
            Some(next) if self.left > 0 => {
                self.query.after = Some(next);
                self.query.offset = 0;
            }
            _ => self.done = true,
        }
        Ok(())
    }
}

impl<B: Backend + ?Sized> Iterator for CustomerRows<'_, B> {
    type Item = Result<CustomerRow, ServiceError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.buffer.is_empty() && !self.done && self.left > 0 {
            if let Err(e) = self.fetch() {
                self.done = true;
                return Some(Err(e));
            }
        }
        self.buffer.pop_front().map(Ok)
    }
}

/// Every row of a paged listing, up to `limit` (all when `None`): `ask` gets the cursor of
/// the page wanted (`None` for the first) and the most rows to put on it.
pub fn every_page<T>(
    limit: Option<usize>,
    mut ask: impl FnMut(Option<Cursor>, usize) -> Result<Page<T>, ServiceError>,
) -> Result<Vec<T>, ServiceError> {
    let mut left = limit.unwrap_or(usize::MAX);
    let mut rows = Vec::new();
    let mut cursor = None;
    while left > 0 {
        let page = ask(cursor.take(), left.min(PAGE_ROWS))?;
        left = left.saturating_sub(page.rows.len());
        rows.extend(page.rows);
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    Ok(rows)
}
