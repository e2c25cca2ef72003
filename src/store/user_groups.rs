//! Each customer's user groups, one `UserGroups` record per customer in the `user_groups`
//! tree (D128). A group's members are users with a membership in that customer:
//! `remove_membership` takes the user out of every group of the customer in the same
//! transaction, and `delete_customer` removes the record. `check` reports a member without a
//! membership and a record of a customer that does not exist. Enforces no other rule.

use super::tx::{Tx, TxError};
use super::{Store, StoreError, TreeName, keys};
use crate::domain::groups::UserGroups;
use crate::domain::{CustomerId, UserId};

impl<E: From<StoreError>> Tx<'_, E> {
    /// The groups of `customer` (none when it never had one).
    pub fn user_groups(&self, customer: CustomerId) -> Result<UserGroups, TxError<E>> {
        Ok(self
            .get(TreeName::UserGroups, &keys::u64_key(customer.0))?
            .unwrap_or_default())
    }

    /// Writes the groups of `customer`.
    pub fn put_user_groups(
        &self,
        customer: CustomerId,
        groups: &UserGroups,
    ) -> Result<(), TxError<E>> {
        self.put(TreeName::UserGroups, &keys::u64_key(customer.0), groups)
    }

    /// Takes `user` out of every group of `customer`: their membership there ends.
    pub(super) fn leave_groups(
        &self,
        customer: CustomerId,
        user: UserId,
    ) -> Result<(), TxError<E>> {
        let key = keys::u64_key(customer.0);
        let Some(mut groups) = self.get::<UserGroups>(TreeName::UserGroups, &key)? else {
            return Ok(());
        };
        if groups.drop_member(user) {
            self.put(TreeName::UserGroups, &key, &groups)?;
        }
        Ok(())
    }

    /// Removes the groups of a customer that is removed for good.
    pub(super) fn forget_groups(&self, customer: CustomerId) -> Result<(), TxError<E>> {
        self.remove(TreeName::UserGroups, &keys::u64_key(customer.0))
    }
}

impl Store {
    /// The groups of `customer` (none when it never had one).
    pub fn user_groups(&self, customer: CustomerId) -> Result<UserGroups, StoreError> {
        Ok(self
            .get_value(TreeName::UserGroups, &keys::u64_key(customer.0))?
            .unwrap_or_default())
    }

    /// Each record's own problems, a record of a customer that does not exist, and each
    /// member without a membership in the customer. A record that does not decode was
    /// reported by `check_entries`.
    pub(crate) fn check_user_groups(&self, problems: &mut Vec<String>) -> Result<(), StoreError> {
        let tree = TreeName::UserGroups.as_str();
        for item in self.raw_entries(TreeName::UserGroups) {
            let (key, value) = item?;
            let Ok(id) = keys::read_u64(tree, &key) else {
                continue;
            };
            let Ok(groups) = super::codec::decode::<UserGroups>(&value) else {
                continue;
            };
            for problem in groups.problems() {
                problems.push(format!("groups of customer {id}: {problem}"));
            }
            if self.customer(CustomerId(id))?.is_none() {
                problems.push(format!("groups of customer {id}: no such customer"));
                continue;
            }
            for group in &groups.groups {
                for member in &group.members {
                    if self.membership(CustomerId(id), *member)?.is_none() {
                        problems.push(format!(
                            "groups of customer {id}: group {} lists user {} who is not a member",
                            group.id, member.0
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}
