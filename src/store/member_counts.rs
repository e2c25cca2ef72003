//! How many memberships (pending or in force) each customer has, in the `member_counts` tree
//! (schema 5): kept by `put_membership` and `remove_membership` in the transaction that
//! changes the membership, so a plan's user limit is checked without a scan. Migration 5
//! counts once; `check` compares with a count of `customer_users`. Enforces no rule.

use std::collections::BTreeMap;

use super::tx::{Tx, TxError};
use super::{Store, StoreError, TreeName, keys};
use crate::domain::CustomerId;

impl<E: From<StoreError>> Tx<'_, E> {
    /// The memberships `customer` has.
    pub fn member_count(&self, customer: CustomerId) -> Result<u64, TxError<E>> {
        Ok(self
            .get_id(TreeName::MemberCounts, &keys::u64_key(customer.0))?
            .unwrap_or(0))
    }

    /// One more (`up`) or one fewer membership of `customer`; a count at zero is removed.
    pub(super) fn count_member_of(&self, customer: CustomerId, up: bool) -> Result<(), TxError<E>> {
        let key = keys::u64_key(customer.0);
        let now = self.member_count(customer)?;
        let next = if up {
            now.saturating_add(1)
        } else {
            now.saturating_sub(1)
        };
        if next == 0 {
            self.remove(TreeName::MemberCounts, &key)
        } else {
            self.put_raw(TreeName::MemberCounts, &key, &keys::u64_key(next))
        }
    }
}

impl Store {
    /// The memberships `customer` has.
    pub fn member_count(&self, customer: CustomerId) -> Result<u64, StoreError> {
        Ok(self
            .get_id(TreeName::MemberCounts, &keys::u64_key(customer.0))?
            .unwrap_or(0))
    }

    /// Each customer's memberships as a walk of `customer_users` finds them (keys only).
    pub(crate) fn recount_members(&self) -> Result<BTreeMap<u64, u64>, StoreError> {
        let mut out = BTreeMap::new();
        for item in self.raw_entries(TreeName::CustomerUsers) {
            let (key, _) = item?;
            let (customer, _) = keys::read_pair(TreeName::CustomerUsers.as_str(), &key)?;
            let n: &mut u64 = out.entry(customer).or_default();
            *n = n.saturating_add(1);
        }
        Ok(out)
    }

    /// Where the stored member counts differ from a recount, one line each.
    pub(crate) fn member_count_differences(&self) -> Result<Vec<String>, StoreError> {
        let counted = self.recount_members()?;
        let mut stored = BTreeMap::new();
        for item in self.raw_entries(TreeName::MemberCounts) {
            let (key, value) = item?;
            let tree = TreeName::MemberCounts.as_str();
            stored.insert(keys::read_u64(tree, &key)?, keys::read_u64(tree, &value)?);
        }
        let mut ids: Vec<u64> = stored.keys().chain(counted.keys()).copied().collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(ids
            .into_iter()
            .filter_map(|id| {
                let s = stored.get(&id).copied().unwrap_or(0);
                let n = counted.get(&id).copied().unwrap_or(0);
                (s != n).then(|| format!("customer {id} is counted with {s} members but has {n}"))
            })
            .collect())
    }
}
