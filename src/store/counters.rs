//! Counters of what the database holds, kept in the `counters` tree and changed in the same
//! transaction as the records they count, so reading them never walks the records (schema
//! version 3). Each record contributes a few [`Counter`]s; a write takes away the contributions
//! of the stored record and adds those of the new one. The same contribution functions
//! compute a full recount, which `check` compares with the stored counters and migration 3
//! writes once. What the numbers mean to a person (which invitations have expired by now, for
//! example) is the service's to say; this module only counts.

use std::collections::BTreeMap;

use super::tx::{Tx, TxError};
use super::{Store, StoreError, TreeName, keys};
use crate::domain::{
    Customer, CustomerRole, CustomerStatus, Invitation, InvitationStatus, Membership, StaffRole,
    Timestamp, User,
};

const HOUR_MS: i64 = 3_600_000;
const WEEK_MS: i64 = 7 * Timestamp::MILLIS_PER_DAY;
/// 1970-01-01 was a Thursday: weeks start on Mondays, the first of them four days later.
const MONDAY_OFFSET_MS: i64 = 4 * Timestamp::MILLIS_PER_DAY;

/// One stored counter. Its key is a name, and for the bucketed ones a 0 byte and a time key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Counter {
    /// Customers not in the trash, by status (the provider company is not counted).
    CustomersByStatus(CustomerStatus),
    /// Customers in the trash.
    CustomersTrashed,
    /// Customers, live or in the trash, created in the week (Monday 00:00 UTC) starting
    /// then. A purged customer no longer counts: the counters count what is stored, so a
    /// recount can prove them.
    CustomersCreatedInWeek(Timestamp),
    /// Every user, staff or not.
    Users,
    StaffByRole(StaffRole),
    /// Memberships by role, pending or in force.
    MembersByRole(CustomerRole),
    /// Pending invitations by the hour (UTC) their expiry falls in.
    InvitationsPendingExpiringIn(Timestamp),
    InvitationsAccepted,
    InvitationsRevoked,
}

const STATUSES: [CustomerStatus; 3] = [
    CustomerStatus::Active,
    CustomerStatus::Suspended,
    CustomerStatus::Pending,
];
const MEMBER_ROLES: [CustomerRole; 3] = [
    CustomerRole::Member,
    CustomerRole::Moderator,
    CustomerRole::Administrator,
];

impl Counter {
    pub fn key(self) -> Vec<u8> {
        let timed = |name: &str, at: Timestamp| {
            let mut key = name.as_bytes().to_vec();
            key.push(0);
            key.extend_from_slice(&keys::time_key(at));
            key
        };
        match self {
            Self::CustomersByStatus(s) => format!("customers.status.{}", s.as_str()).into_bytes(),
            Self::CustomersTrashed => b"customers.trashed".to_vec(),
            Self::CustomersCreatedInWeek(at) => timed("customers.created_week", at),
            Self::Users => b"users".to_vec(),
            Self::StaffByRole(r) => format!("staff.role.{}", r.as_str()).into_bytes(),
            Self::MembersByRole(r) => format!("members.role.{}", r.as_str()).into_bytes(),
            Self::InvitationsPendingExpiringIn(at) => timed("invitations.pending_expiry", at),
            Self::InvitationsAccepted => b"invitations.accepted".to_vec(),
            Self::InvitationsRevoked => b"invitations.revoked".to_vec(),
        }
    }

    /// The counter as a person reads it: its key's name, and a bucket's time.
    pub fn name(self) -> String {
        let at = |t: Timestamp| t.to_rfc3339_minutes();
        match self {
            Self::CustomersCreatedInWeek(t) => format!("customers.created_week {}", at(t)),
            Self::InvitationsPendingExpiringIn(t) => {
                format!("invitations.pending_expiry {}", at(t))
            }
            other => String::from_utf8_lossy(&other.key()).into_owned(),
        }
    }

    /// The counter a stored key names, or why it names none.
    pub fn from_key(key: &[u8]) -> Result<Self, String> {
        if let Some(zero) = key.iter().position(|b| *b == 0) {
            let (name, rest) = key.split_at(zero);
            let at: [u8; 8] = rest
                .get(1..)
                .and_then(|t| t.try_into().ok())
                .ok_or("a bucketed counter's key does not end in a time")?;
            let at = keys::read_time(at);
            return match name {
                b"customers.created_week" => Ok(Self::CustomersCreatedInWeek(at)),
                b"invitations.pending_expiry" => Ok(Self::InvitationsPendingExpiringIn(at)),
                _ => Err("no such bucketed counter".to_owned()),
            };
        }
        let all = STATUSES
            .into_iter()
            .map(Self::CustomersByStatus)
            .chain(StaffRole::ALL.into_iter().map(Self::StaffByRole))
            .chain(MEMBER_ROLES.into_iter().map(Self::MembersByRole))
            .chain([
                Self::CustomersTrashed,
                Self::Users,
                Self::InvitationsAccepted,
                Self::InvitationsRevoked,
            ]);
        all.into_iter()
            .find(|c| c.key() == key)
            .ok_or_else(|| "no such counter".to_owned())
    }
}

/// The Monday 00:00 UTC that starts the week `at` is in.
pub fn week_start(at: Timestamp) -> Timestamp {
    let shifted = at.0.saturating_sub(MONDAY_OFFSET_MS);
    let week = shifted.div_euclid(WEEK_MS);
    Timestamp(
        week.saturating_mul(WEEK_MS)
            .saturating_add(MONDAY_OFFSET_MS),
    )
}

/// The start of the hour `at` is in.
pub fn hour_start(at: Timestamp) -> Timestamp {
    Timestamp(at.0.div_euclid(HOUR_MS).saturating_mul(HOUR_MS))
}

/// What a stored customer counts towards: its state, and the week it was created in.
fn of_customer(c: &Customer) -> Vec<Counter> {
    customer_counts(c.is_provider, c.is_trashed(), c.status, c.created_at)
}

/// The same from the fields it looks at, so a customer of an older stored form counts alike.
fn customer_counts(
    provider: bool,
    trashed: bool,
    status: CustomerStatus,
    created: Timestamp,
) -> Vec<Counter> {
    if provider {
        return Vec::new();
    }
    let state = if trashed {
        Counter::CustomersTrashed
    } else {
        Counter::CustomersByStatus(status)
    };
    vec![state, Counter::CustomersCreatedInWeek(week_start(created))]
}

fn of_user(u: &User) -> Vec<Counter> {
    let mut out = vec![Counter::Users];
    out.extend(u.staff_role.map(Counter::StaffByRole));
    out
}

fn of_membership(m: &Membership) -> Vec<Counter> {
    vec![Counter::MembersByRole(m.role)]
}

fn of_invitation(i: &Invitation) -> Vec<Counter> {
    vec![match i.status {
        InvitationStatus::Pending => {
            Counter::InvitationsPendingExpiringIn(hour_start(i.expires_at))
        }
        InvitationStatus::Accepted => Counter::InvitationsAccepted,
        InvitationStatus::Revoked => Counter::InvitationsRevoked,
    }]
}

/// The stored form customers are read in by a recount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CustomerForm {
    Current,
    /// As schema versions 1 to 3 stored them.
    V3,
}

/// Counters and their values, in key order (a bucket's entries in time order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts(BTreeMap<Vec<u8>, (Counter, u64)>);

impl Counts {
    /// The value of `counter` (0 when absent).
    pub fn get(&self, counter: Counter) -> u64 {
        self.0.get(&counter.key()).map_or(0, |(_, n)| *n)
    }

    /// Every counter that is not zero, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (Counter, u64)> + '_ {
        self.0.values().copied()
    }

    fn set(&mut self, counter: Counter, n: u64) {
        self.0.insert(counter.key(), (counter, n));
    }

    /// Adds one to `counter`.
    fn tally(&mut self, counter: Counter) {
        let slot = self.0.entry(counter.key()).or_insert((counter, 0));
        slot.1 = slot.1.saturating_add(1);
    }
}

impl<E: From<StoreError>> Tx<'_, E> {
    /// Moves the counters from what `before` counted to what `after` counts.
    fn recount_change(&self, before: &[Counter], after: &[Counter]) -> Result<(), TxError<E>> {
        for c in before.iter().filter(|c| !after.contains(c)) {
            self.add_to(*c, false)?;
        }
        for c in after.iter().filter(|c| !before.contains(c)) {
            self.add_to(*c, true)?;
        }
        Ok(())
    }

    /// One more (`up`) or one fewer of `counter`. A counter at zero is removed, so the buckets
    /// of the past do not pile up; one that would go below zero stays at zero (it was already
    /// wrong, which `check` reports) rather than refusing the change it follows.
    fn add_to(&self, counter: Counter, up: bool) -> Result<(), TxError<E>> {
        let key = counter.key();
        let now = self.get_id(TreeName::Counters, &key)?.unwrap_or(0);
        let next = if up {
            now.saturating_add(1)
        } else {
            if now == 0 {
                tracing::warn!(?counter, "a counter was already zero; `check` will say so");
            }
            now.saturating_sub(1)
        };
        if next == 0 {
            self.remove(TreeName::Counters, &key)
        } else {
            self.put_raw(TreeName::Counters, &key, &keys::u64_key(next))
        }
    }

    pub(super) fn count_customer(
        &self,
        before: Option<&Customer>,
        after: Option<&Customer>,
    ) -> Result<(), TxError<E>> {
        self.recount_change(
            &before.map(of_customer).unwrap_or_default(),
            &after.map(of_customer).unwrap_or_default(),
        )
    }

    pub(super) fn count_user(
        &self,
        before: Option<&User>,
        after: Option<&User>,
    ) -> Result<(), TxError<E>> {
        self.recount_change(
            &before.map(of_user).unwrap_or_default(),
            &after.map(of_user).unwrap_or_default(),
        )
    }

    pub(super) fn count_membership(
        &self,
        before: Option<&Membership>,
        after: Option<&Membership>,
    ) -> Result<(), TxError<E>> {
        self.recount_change(
            &before.map(of_membership).unwrap_or_default(),
            &after.map(of_membership).unwrap_or_default(),
        )
    }

    pub(super) fn count_invitation(
        &self,
        before: Option<&Invitation>,
        after: Option<&Invitation>,
    ) -> Result<(), TxError<E>> {
        self.recount_change(
            &before.map(of_invitation).unwrap_or_default(),
            &after.map(of_invitation).unwrap_or_default(),
        )
    }
}

impl Store {
    /// Every stored counter (a few dozen entries: the buckets of the weeks and hours that
    /// have any). A key or value that is not a counter's is corruption.
    pub fn counters(&self) -> Result<Counts, StoreError> {
        let tree = TreeName::Counters;
        let mut out = Counts::default();
        for item in self.raw_entries(tree) {
            let (key, value) = item?;
            let counter = Counter::from_key(&key)
                .map_err(|reason| StoreError::corrupt(tree.as_str(), &key, reason))?;
            out.set(counter, keys::read_u64(tree.as_str(), &value)?);
        }
        Ok(out)
    }

    /// The counters as a walk of every customer, user, membership and invitation finds
    /// them: what the stored ones must equal. Reads only.
    pub fn recount(&self) -> Result<Counts, StoreError> {
        self.recount_from(CustomerForm::Current)
    }

    /// [`Store::recount`] with the customers read in the stored form `form`: migration 3 runs
    /// on customers that later migrations have not converted yet.
    pub(crate) fn recount_from(&self, form: CustomerForm) -> Result<Counts, StoreError> {
        let mut out = Counts::default();
        for item in self.raw_entries(TreeName::Customers) {
            let (key, bytes) = item?;
            let corrupt = |e| StoreError::corrupt(TreeName::Customers.as_str(), &key, e);
            let counts = match form {
                CustomerForm::Current => {
                    of_customer(&super::codec::decode::<Customer>(&bytes).map_err(corrupt)?)
                }
                CustomerForm::V3 => {
                    let c: super::legacy::CustomerV3 =
                        super::codec::decode(&bytes).map_err(corrupt)?;
                    customer_counts(c.is_provider, c.deleted.is_some(), c.status, c.created_at)
                }
            };
            for c in counts {
                out.tally(c);
            }
        }
        for user in self.users() {
            for c in of_user(&user?) {
                out.tally(c);
            }
        }
        for membership in self.values::<Membership>(TreeName::CustomerUsers) {
            for c in of_membership(&membership?) {
                out.tally(c);
            }
        }
        for invitation in self.invitations() {
            for c in of_invitation(&invitation?) {
                out.tally(c);
            }
        }
        Ok(out)
    }

    /// Where the stored counters differ from a recount, one line each; empty when they agree.
    pub fn counter_differences(&self) -> Result<Vec<String>, StoreError> {
        let stored = self.counters()?;
        let counted = self.recount()?;
        let mut all: Vec<&Vec<u8>> = stored.0.keys().chain(counted.0.keys()).collect();
        all.sort();
        all.dedup();
        Ok(all
            .into_iter()
            .filter_map(|key| {
                let value = |c: &Counts| c.0.get(key).map_or(0, |(_, n)| *n);
                let (s, n) = (value(&stored), value(&counted));
                let name = stored
                    .0
                    .get(key)
                    .or(counted.0.get(key))
                    .map(|(c, _)| c.name());
                (s != n).then(|| {
                    let name = name.unwrap_or_default();
                    format!("counter {name} is {s} but a recount finds {n}")
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday_and_hours_on_the_hour() {
        // 2026-12-02T05:08:00Z is a Wednesday; its week starts on Monday 2026-11-30.
        let wed = Timestamp(1_796_188_080_000);
        let monday = Timestamp(1_795_996_800_000);
        assert_eq!(week_start(wed), monday);
        assert_eq!(week_start(monday), monday);
        assert_eq!(week_start(Timestamp(monday.0 - 1)).0, monday.0 - WEEK_MS);
        assert_eq!(hour_start(wed), Timestamp(1_796_187_600_000));
        // The extremes saturate instead of overflowing.
        assert!(week_start(Timestamp(i64::MIN)) > Timestamp(i64::MIN));
        assert!(week_start(Timestamp(i64::MAX)) <= Timestamp(i64::MAX));
    }

    #[test]
    fn every_counter_key_reads_back_as_its_counter() {
        let at = Timestamp(1_796_083_200_000);
        let all = [
            Counter::CustomersByStatus(CustomerStatus::Suspended),
            Counter::CustomersTrashed,
            Counter::CustomersCreatedInWeek(at),
            Counter::Users,
            Counter::StaffByRole(StaffRole::Auditor),
            Counter::MembersByRole(CustomerRole::Moderator),
            Counter::InvitationsPendingExpiringIn(at),
            Counter::InvitationsAccepted,
            Counter::InvitationsRevoked,
        ];
        for c in all {
            assert_eq!(Counter::from_key(&c.key()), Ok(c));
        }
        assert!(Counter::from_key(b"customers.status.gone").is_err());
        assert!(Counter::from_key(b"customers.created_week\0abc").is_err());
    }
}
