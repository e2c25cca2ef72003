//! Reads of the audit log: pages newest first with every filter (`log_filter.rs`), the chain
//! head, stored hashes for checking an export, and the chain walk. All need "view logs". A
//! filter by customer or by an actor with an account reads their index, the whole log is read
//! through the store's byte sieve (`log_sources.rs`), and the filters are matched while
//! paging, so a page is still `limit` matching events and no read loads the log whole.

use serde::{Deserialize, Serialize};

use super::log_filter::{LogFilter, RawFilters};
use super::log_sources::Walk;
use super::query::{Cursor, MAX_PAGE_ROWS, Page, page_of, page_rows};
use super::rows::AuditRow;
use super::{Service, ServiceError, Session};
use crate::domain::{AuditEvent, CustomerId, Privilege};
use crate::store::check::ChainReport;
use crate::store::{AuditSieve, SiftedEvent};

/// Which events to read, newest first. Every filter given must hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LogQuery {
    /// Only events concerning this customer (also after it was purged).
    pub customer: Option<String>,
    /// Only events by this actor: an email (exact, any case) or `system`.
    #[serde(default)]
    pub actor: Option<String>,
    /// Only this action (`customer.add`) or family of actions (`customer.*`).
    #[serde(default)]
    pub action: Option<String>,
    /// Only events at or after this time: RFC 3339, or a span back from now (`2h`, `7d`).
    #[serde(default)]
    pub since: Option<String>,
    /// Only events at or before this time, written like `since`.
    #[serde(default)]
    pub until: Option<String>,
    /// Only events whose action, summary, actor email, customer slug or name contains this
    /// text, ignoring case.
    #[serde(default)]
    pub grep: Option<String>,
    /// Events wanted: all for [`Service::audit_log`]; one page for a query.
    pub limit: Option<usize>,
    /// Look at no more than this many events for this page (one step of a search that shows
    /// how far it has got): the page holds the matches among them, and its cursor goes on
    /// after the last event looked at, matched or not. `None`: read on until the page is full.
    #[serde(default)]
    pub scan: Option<usize>,
    /// Only events older than this position, from the previous page.
    pub before: Option<Cursor>,
}

impl LogQuery {
    /// The filters other than the customer, checked (relative times back from `now`).
    pub(crate) fn filter(&self, now: crate::domain::Timestamp) -> Result<LogFilter, ServiceError> {
        let raw = RawFilters {
            actor: self.actor.as_deref(),
            action: self.action.as_deref(),
            since: self.since.as_deref(),
            until: self.until.as_deref(),
            text: self.grep.as_deref(),
        };
        Ok(LogFilter::parse(raw, now)?)
    }
}

/// The newest event's sequence and hash: what an operator keeps outside the machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogHead;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainHead {
    /// 0 for an empty log.
    pub seq: u64,
    /// 64 lowercase hex digits; all zeros for an empty log.
    pub hash: String,
    /// Where the stored chain begins after a prune (`log.prune`): the newest event removed,
    /// whose hash the first stored event links to. Absent when the log was never pruned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint_seq: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint_hash: Option<String>,
}

/// The stored hashes of events from sequence `from` on, oldest first, at most `limit`
/// (capped like a page): what checking an export against the database reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogHashes {
    pub from: u64,
    pub limit: usize,
}

impl Service {
    /// The query's filters, checked, with an actor email resolved to the user who has it now
    /// (so their index can be walked, and their events under an earlier email are found).
    pub(crate) fn log_filter(&self, query: &LogQuery) -> Result<LogFilter, ServiceError> {
        let mut filter = query.filter(self.clock.now())?;
        let mut failed = None;
        filter.resolve_actor(|email| {
            match self
                .store
                .user_id_by_email(&crate::domain::text::email_key(email))
            {
                Ok(id) => id,
                Err(e) => {
                    failed = Some(e);
                    None
                }
            }
        });
        match failed {
            Some(e) => Err(e.into()),
            None => Ok(filter),
        }
    }

    /// Audit events, newest first: all of them, or the `limit` newest.
    pub fn audit_log(
        &self,
        session: &Session,
        query: &LogQuery,
    ) -> Result<Vec<AuditRow>, ServiceError> {
        let mut left = query.limit.unwrap_or(usize::MAX);
        let mut rows = Vec::new();
        let mut page = LogQuery {
            limit: Some(left.min(MAX_PAGE_ROWS)),
            ..query.clone()
        };
        while left > 0 {
            let got = self.log_page(session, &page)?;
            left = left.saturating_sub(got.rows.len());
            rows.extend(got.rows);
            let Some(next) = got.next else { break };
            page.before = Some(next);
            page.limit = Some(left.min(MAX_PAGE_ROWS));
        }
        Ok(rows)
    }

    /// One page of audit events, newest first by sequence, below the query's cursor: the
    /// `limit` newest that pass every filter.
    pub fn log_page(
        &self,
        session: &Session,
        query: &LogQuery,
    ) -> Result<Page<AuditRow>, ServiceError> {
        let session = &self.acting(session)?;
        // A customer's administrators read their own customer's log, and nothing else of it.
        let own = self.read_scope(
            session,
            "reading the log",
            crate::domain::CustomerRole::Administrator,
            query.customer.as_deref(),
            |s| s.require(Privilege::ViewLogs, "reading the log"),
        )?;
        let filter = self.log_filter(query)?;
        let limit = page_rows(query.limit);
        let before = Cursor::seq(query.before.as_ref())?;
        let mut rows = Vec::new();
        let named = match own {
            Some(id) => Some(id),
            None => match query.customer.as_deref().map(str::trim) {
                Some(slug) => Some(self.log_customer_id(slug)?),
                None => None,
            },
        };
        let sieve = Self::log_sieve(&filter);
        let candidates = self.log_candidates(named, &filter, &sieve, Walk::NewestBelow(before));
        let mut looked = 0usize;
        for candidate in candidates {
            let SiftedEvent { seq, event } = candidate?;
            looked = looked.saturating_add(1);
            if let Some(event) = event.filter(|e| filter.matches(e)) {
                rows.push(AuditRow::new(&event));
                if rows.len() > limit {
                    break;
                }
            }
            // A search's step ends here, matched or not, and goes on after this event.
            if query.scan.is_some_and(|n| looked >= n) {
                let next = (seq > 1).then(|| Cursor::before_seq(seq));
                return Ok(Page { rows, next });
            }
        }
        Ok(page_of(rows, limit, |r| Cursor::before_seq(r.seq)))
    }

    /// The customer a log filter names: a live or trashed one by its slug, else a purged
    /// one (or a slug it had before a change) from the newest event naming the slug.
    pub(crate) fn log_customer_id(&self, slug: &str) -> Result<CustomerId, ServiceError> {
        match self.store.customer_id_by_slug(slug)? {
            Some(id) => Ok(id),
            None => self.purged_customer_id(slug),
        }
    }

    /// The id a purged customer had, found from the newest event that names its slug.
    fn purged_customer_id(&self, slug: &str) -> Result<CustomerId, ServiceError> {
        // The sieve takes lowercase needles: an equal stored slug lowercases to this one.
        let sieve = AuditSieve::new(&[&slug.to_lowercase()]);
        for candidate in self.store.audit_newest_sifted(None, &sieve) {
            let named = candidate?.event.and_then(|e| e.customer);
            if let Some(c) = named.filter(|c| c.slug == slug) {
                return Ok(c.id);
            }
        }
        Err(ServiceError::not_found("customer", slug))
    }

    /// Events oldest first, up to sequence `up_to`: a customer's or an actor's from their
    /// index, else the whole log through the filter's sieve, each passing `filter`. Streams:
    /// what an export writes (no privilege check here; the caller checked).
    pub(crate) fn log_events_oldest_first<'a>(
        &'a self,
        customer: Option<CustomerId>,
        filter: &'a LogFilter,
        sieve: &'a AuditSieve,
        up_to: u64,
        start: u64,
    ) -> impl Iterator<Item = Result<AuditEvent, ServiceError>> + 'a {
        self.log_candidates(customer, filter, sieve, Walk::OldestFirst)
            .take_while(move |c| c.as_ref().map_or(true, |c| c.seq <= up_to))
            // What an interrupted prune left below its checkpoint is not exported.
            .filter(move |c| c.as_ref().map_or(true, |c| c.seq >= start))
            .filter_map(move |c| match c {
                Ok(c) => c.event.filter(|e| filter.matches(e)).map(Ok),
                Err(e) => Some(Err(e)),
            })
    }

    /// The chain head as recorded with the newest event.
    pub fn log_head(&self, session: &Session) -> Result<ChainHead, ServiceError> {
        let session = &self.acting(session)?;
        session.require(Privilege::ViewLogs, "reading the log head")?;
        let head = self.store.audit_head()?;
        let checkpoint = self.store.audit_checkpoint()?;
        Ok(ChainHead {
            seq: head.seq,
            hash: hex::encode(head.hash),
            checkpoint_seq: checkpoint.map(|c| c.seq),
            checkpoint_hash: checkpoint.map(|c| hex::encode(c.hash)),
        })
    }

    /// Stored (sequence, hash) pairs from `from` on, oldest first.
    pub fn log_hashes(
        &self,
        session: &Session,
        query: &LogHashes,
    ) -> Result<Vec<(u64, String)>, ServiceError> {
        let session = &self.acting(session)?;
        session.require(Privilege::ViewLogs, "reading the log")?;
        let limit = page_rows(Some(query.limit));
        let mut out = Vec::with_capacity(limit.min(1024));
        let from = query.from.max(self.store.audit_start()?);
        for event in self.store.audit_oldest_from(from).take(limit) {
            let event = event?;
            out.push((event.seq, hex::encode(event.hash)));
        }
        Ok(out)
    }

    /// Walks the whole audit chain. A break is recorded as damage, as `check`'s problems are
    /// (later writes are refused until a clean check).
    pub fn verify_log(&self, session: &Session) -> Result<ChainReport, ServiceError> {
        let session = &self.acting(session)?;
        session.require(Privilege::ViewLogs, "verifying the log")?;
        let report = self.store.verify_chain()?;
        if let Some(b) = &report.first_break {
            self.store.record_damage(&format!(
                "log verify found the audit chain broken at event {}: {}",
                b.seq, b.reason
            ));
        }
        Ok(report)
    }
}
