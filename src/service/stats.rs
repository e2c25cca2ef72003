//! The platform's numbers at a glance, for the console's Dashboard tab and `tenantry stats`:
//! customers by status, new customers per week, users by role, invitations by how soon they
//! expire, the trash with its next automatic purges, the newest events. Every number comes
//! from the store's counters (`store::counters`), kept in the same transaction as each change,
//! plus a handful of bounded reads (the oldest trash entries, the newest events), so a
//! dashboard costs the same at a million records as at ten. Staff only; it must not walk any
//! records.

use serde::{Deserialize, Serialize};

use super::rows::AuditRow;
use super::{Service, ServiceError, Session};
use crate::domain::{CustomerRole, CustomerStatus, StaffRole, Timestamp};
use crate::store::counters::{Counter, Counts, week_start};

/// Weeks of new customers shown, the current one last.
pub const WEEKS: usize = 12;
/// Trashed customers whose automatic purge is listed, soonest first.
pub const NEXT_PURGES: usize = 5;
/// Newest events listed.
pub const LAST_EVENTS: usize = 10;
/// How far ahead an invitation counts as expiring soon.
pub const EXPIRING_WITHIN_HOURS: i64 = 48;

const HOUR_MS: i64 = 3_600_000;

/// The dashboard's query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats;

/// A name and how many have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub name: String,
    pub count: u64,
}

/// Customers created in one week that still exist (live or in the trash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekTally {
    /// Monday 00:00 UTC, as RFC 3339.
    pub week_of: String,
    pub count: u64,
}

/// Invitations by what they are now.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationTally {
    /// Open and not yet expired (including those expiring soon).
    pub pending: u64,
    /// Of the pending, those whose expiry falls within the next 48 hours.
    pub expiring_soon: u64,
    /// Never accepted or revoked, and past their expiry.
    pub expired: u64,
    pub accepted: u64,
    pub revoked: u64,
}

/// A trashed customer and when it is purged automatically.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeRow {
    pub slug: String,
    pub name: String,
    pub deleted_at: String,
    pub purge_at: String,
}

/// Everything the dashboard shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsReport {
    /// When the numbers were read (RFC 3339).
    pub at: String,
    /// Live customers by status, then `trashed`; the provider company is not counted.
    pub customers: Vec<Tally>,
    /// The last [`WEEKS`] weeks, oldest first, the current week last, empty weeks as 0.
    pub new_customers: Vec<WeekTally>,
    pub users: u64,
    /// Memberships of customers by role, highest first.
    pub members_by_role: Vec<Tally>,
    /// Staff by role, highest first.
    pub staff_by_role: Vec<Tally>,
    pub invitations: InvitationTally,
    pub trash_retention_days: u32,
    /// The next automatic purges, soonest first (at most [`NEXT_PURGES`]).
    pub next_purges: Vec<PurgeRow>,
    /// The newest events, newest first (at most [`LAST_EVENTS`]).
    pub last_events: Vec<AuditRow>,
}

impl StatsReport {
    /// Customers counted under `name` (a status or `trashed`).
    pub fn customers_named(&self, name: &str) -> u64 {
        self.customers
            .iter()
            .find(|t| t.name == name)
            .map_or(0, |t| t.count)
    }
}

/// Pending invitations split by `now`: an hour's bucket counts as expired once the whole hour
/// is past, so an invitation reads as expired at most an hour late, never early.
fn invitations(counts: &Counts, now: Timestamp) -> InvitationTally {
    let soon_until = now
        .0
        .saturating_add(EXPIRING_WITHIN_HOURS.saturating_mul(HOUR_MS));
    let mut tally = InvitationTally {
        accepted: counts.get(Counter::InvitationsAccepted),
        revoked: counts.get(Counter::InvitationsRevoked),
        ..InvitationTally::default()
    };
    for (counter, n) in counts.iter() {
        let Counter::InvitationsPendingExpiringIn(hour) = counter else {
            continue;
        };
        if hour.0.saturating_add(HOUR_MS) <= now.0 {
            tally.expired = tally.expired.saturating_add(n);
        } else {
            tally.pending = tally.pending.saturating_add(n);
            if hour.0 < soon_until {
                tally.expiring_soon = tally.expiring_soon.saturating_add(n);
            }
        }
    }
    tally
}

/// The last [`WEEKS`] weeks ending with the one `now` is in.
fn weeks(counts: &Counts, now: Timestamp) -> Vec<WeekTally> {
    let this = week_start(now);
    let week_ms = 7 * Timestamp::MILLIS_PER_DAY;
    (0..WEEKS as i64)
        .rev()
        .map(|back| {
            let start = Timestamp(this.0.saturating_sub(back.saturating_mul(week_ms)));
            WeekTally {
                week_of: start.to_rfc3339(),
                count: counts.get(Counter::CustomersCreatedInWeek(start)),
            }
        })
        .collect()
}

fn staff_roles(counts: &Counts) -> Vec<Tally> {
    StaffRole::ALL
        .into_iter()
        .map(|r| Tally {
            name: r.as_str().to_owned(),
            count: counts.get(Counter::StaffByRole(r)),
        })
        .collect()
}

fn member_roles(counts: &Counts) -> Vec<Tally> {
    [
        CustomerRole::Administrator,
        CustomerRole::Moderator,
        CustomerRole::Member,
    ]
    .into_iter()
    .map(|r| Tally {
        name: r.as_str().to_owned(),
        count: counts.get(Counter::MembersByRole(r)),
    })
    .collect()
}

impl Service {
    /// The dashboard's numbers. Staff only: a customer session has its own overview.
    pub fn stats(&self, session: &Session) -> Result<StatsReport, ServiceError> {
        let session = &self.acting(session)?;
        session.require_staff("reading the platform's numbers")?;
        let now = self.clock.now();
        let counts = self.store.counters()?;
        let mut customers: Vec<Tally> = [
            CustomerStatus::Active,
            CustomerStatus::Pending,
            CustomerStatus::Suspended,
        ]
        .into_iter()
        .map(|s| Tally {
            name: s.as_str().to_owned(),
            count: counts.get(Counter::CustomersByStatus(s)),
        })
        .collect();
        customers.push(Tally {
            name: "trashed".to_owned(),
            count: counts.get(Counter::CustomersTrashed),
        });
        let retention = self.store.settings()?.trash_retention_days;
        let mut next_purges = Vec::new();
        for entry in self.store.trash_entries().take(NEXT_PURGES) {
            let (deleted_at, id) = entry?;
            let Some(customer) = self.store.customer(id)? else {
                continue;
            };
            let purge_at = deleted_at.plus_days(retention);
            next_purges.push(PurgeRow {
                slug: customer.slug.to_string(),
                name: customer.name,
                deleted_at: deleted_at.to_rfc3339(),
                purge_at: purge_at.to_rfc3339(),
            });
        }
        let mut last_events = Vec::new();
        for event in self.store.audit_newest_first().take(LAST_EVENTS) {
            last_events.push(AuditRow::new(&event?));
        }
        Ok(StatsReport {
            at: now.to_rfc3339(),
            customers,
            new_customers: weeks(&counts, now),
            users: counts.get(Counter::Users),
            members_by_role: member_roles(&counts),
            staff_by_role: staff_roles(&counts),
            invitations: invitations(&counts, now),
            trash_retention_days: retention,
            next_purges,
            last_events,
        })
    }
}
