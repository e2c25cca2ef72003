//! Where a read of the audit log takes its events from, given its filters: a customer's index
//! (`audit_by_customer`), the acting user's index (`audit_by_user`, when the actor filter
//! names someone who has that email now), both walked together when both are given, or else
//! the whole log through the store's byte sieve built from the filter's needles (free text,
//! an actor email matched as stored, the `system` actor). Every source yields candidates in sequence order with
//! the event decoded only when it may match; the caller's exact filter decides (D111, D112).
//!
//! Must not: decide a match (an index or the sieve only narrows), or read the log whole into
//! memory.

use std::iter::Peekable;

use super::log_filter::{ActorFilter, LogFilter};
use super::{Service, ServiceError};
use crate::domain::{CustomerId, UserId};
use crate::store::{AuditSieve, SiftedEvent, StoreError};

/// Candidates of a read: each entry's sequence and, when it may match, the event.
pub(crate) type Candidates<'a> = Box<dyn Iterator<Item = Result<SiftedEvent, ServiceError>> + 'a>;

/// Which way a read walks the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Walk {
    /// Newest first, below a sequence (all when `None`): a page.
    NewestBelow(Option<u64>),
    /// Oldest first: an export.
    OldestFirst,
}

type Seqs<'a> = Box<dyn Iterator<Item = Result<u64, StoreError>> + 'a>;

impl Service {
    /// The sieve for `filter`: its needles, and an actor filter of `system`.
    pub(crate) fn log_sieve(filter: &LogFilter) -> AuditSieve {
        let sieve = AuditSieve::new(&filter.needles());
        match filter.actor() {
            Some(ActorFilter::System) => sieve.system_actor_only(),
            _ => sieve,
        }
    }

    /// The events `filter` (and `customer`, when given) may let through, in `walk` order.
    /// What an interrupted prune left at or below its checkpoint is passed over: it is no
    /// longer part of the log.
    pub(crate) fn log_candidates<'a>(
        &'a self,
        customer: Option<CustomerId>,
        filter: &LogFilter,
        sieve: &'a AuditSieve,
        walk: Walk,
    ) -> Candidates<'a> {
        let start = match self.store.audit_start() {
            Ok(start) => start,
            Err(e) => return Box::new(std::iter::once(Err(e.into()))),
        };
        let all = self.candidates_from(customer, filter, sieve, walk);
        if start <= 1 {
            return all;
        }
        Box::new(all.filter(move |c| c.as_ref().map_or(true, |c| c.seq >= start)))
    }

    fn candidates_from<'a>(
        &'a self,
        customer: Option<CustomerId>,
        filter: &LogFilter,
        sieve: &'a AuditSieve,
        walk: Walk,
    ) -> Candidates<'a> {
        let user = match filter.actor() {
            Some(ActorFilter::User { id, .. }) => Some(*id),
            _ => None,
        };
        let seqs = match (customer, user) {
            (None, None) => return self.whole_log(sieve, walk),
            (Some(c), None) => self.customer_seqs(c, walk),
            (None, Some(u)) => self.user_seqs(u, walk),
            (Some(c), Some(u)) => Box::new(Both {
                a: self.customer_seqs(c, walk).peekable(),
                b: self.user_seqs(u, walk).peekable(),
                newest_first: walk != Walk::OldestFirst,
            }),
        };
        Box::new(seqs.filter_map(move |seq| {
            let found = seq.and_then(|seq| self.store.audit_event_sifted(seq, sieve));
            found.map_err(ServiceError::from).transpose()
        }))
    }

    fn whole_log<'a>(&'a self, sieve: &'a AuditSieve, walk: Walk) -> Candidates<'a> {
        let err = |e: StoreError| ServiceError::from(e);
        match walk {
            Walk::NewestBelow(before) => Box::new(
                self.store
                    .audit_newest_sifted(before, sieve)
                    .map(move |e| e.map_err(err)),
            ),
            Walk::OldestFirst => Box::new(
                self.store
                    .audit_oldest_sifted(sieve)
                    .map(move |e| e.map_err(err)),
            ),
        }
    }

    fn customer_seqs(&self, customer: CustomerId, walk: Walk) -> Seqs<'_> {
        match walk {
            Walk::NewestBelow(before) => {
                Box::new(self.store.audit_seqs_for_before(customer, before))
            }
            Walk::OldestFirst => Box::new(self.store.audit_seqs_oldest_for(customer)),
        }
    }

    fn user_seqs(&self, user: UserId, walk: Walk) -> Seqs<'_> {
        match walk {
            Walk::NewestBelow(before) => {
                Box::new(self.store.audit_seqs_for_user_before(user, before))
            }
            Walk::OldestFirst => Box::new(self.store.audit_seqs_oldest_for_user(user)),
        }
    }
}

/// The sequences two index walks in the same order both hold, without reading any event.
struct Both<'a> {
    a: Peekable<Seqs<'a>>,
    b: Peekable<Seqs<'a>>,
    newest_first: bool,
}

impl Iterator for Both<'_> {
    type Item = Result<u64, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (x, y) = match (self.a.peek()?, self.b.peek()?) {
                (Ok(x), Ok(y)) => (*x, *y),
                (Err(_), _) => return self.a.next(),
                (_, Err(_)) => return self.b.next(),
            };
            if x == y {
                self.b.next();
                return self.a.next();
            }
            // Step the one that is further from where the other stands.
            if (x > y) == self.newest_first {
                self.a.next();
            } else {
                self.b.next();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seqs(v: &'static [u64]) -> Seqs<'static> {
        Box::new(v.iter().copied().map(Ok))
    }

    fn both(a: &'static [u64], b: &'static [u64], newest_first: bool) -> Vec<u64> {
        Both {
            a: seqs(a).peekable(),
            b: seqs(b).peekable(),
            newest_first,
        }
        .map(Result::unwrap)
        .collect()
    }

    #[test]
    fn two_index_walks_meet_on_the_sequences_both_hold() {
        assert_eq!(both(&[9, 7, 5, 2, 1], &[8, 7, 2], true), [7, 2]);
        assert_eq!(both(&[1, 2, 5, 7, 9], &[2, 7, 8], false), [2, 7]);
        assert_eq!(both(&[3], &[], true), [0u64; 0]);
        assert_eq!(both(&[4, 3], &[4, 3], true), [4, 3]);
    }
}
