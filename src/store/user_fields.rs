//! Each user's values of the users' custom fields, one `Vec<FieldValue>` per user in the
//! `user_fields` tree (D131); no entry means no value. `delete_user` removes the entry in the
//! same transaction, and `check` reports an entry of a user that does not exist. Which values
//! are valid is the schema's business (the service's); this module enforces no rule.

use super::tx::{Tx, TxError};
use super::{Store, StoreError, TreeName, keys};
use crate::domain::UserId;
use crate::domain::fields::FieldValue;

impl<E: From<StoreError>> Tx<'_, E> {
    /// The values of `user` (none when never set).
    pub fn user_fields(&self, user: UserId) -> Result<Vec<FieldValue>, TxError<E>> {
        Ok(self
            .get(TreeName::UserFields, &keys::u64_key(user.0))?
            .unwrap_or_default())
    }

    /// Writes the values of `user`; no value at all removes the entry.
    pub fn put_user_fields(&self, user: UserId, values: &[FieldValue]) -> Result<(), TxError<E>> {
        let key = keys::u64_key(user.0);
        if values.is_empty() {
            return self.remove(TreeName::UserFields, &key);
        }
        self.put(TreeName::UserFields, &key, &values.to_vec())
    }

    /// Removes the values of a user who is deleted.
    pub(super) fn forget_user_fields(&self, user: UserId) -> Result<(), TxError<E>> {
        self.remove(TreeName::UserFields, &keys::u64_key(user.0))
    }
}

impl Store {
    /// The values of `user` (none when never set).
    pub fn user_fields(&self, user: UserId) -> Result<Vec<FieldValue>, StoreError> {
        Ok(self
            .get_value(TreeName::UserFields, &keys::u64_key(user.0))?
            .unwrap_or_default())
    }

    /// Every user's values, in user id order.
    pub fn all_user_fields(
        &self,
    ) -> impl Iterator<Item = Result<(UserId, Vec<FieldValue>), StoreError>> + '_ {
        let tree = TreeName::UserFields;
        self.raw_entries(tree).map(move |item| {
            let (key, value) = item?;
            let id = keys::read_u64(tree.as_str(), &key)?;
            let values = super::codec::decode(&value)
                .map_err(|e| StoreError::corrupt(tree.as_str(), &key, e))?;
            Ok((UserId(id), values))
        })
    }

    /// An entry of a user that does not exist. An entry that does not decode was reported by
    /// `check_entries`.
    pub(crate) fn check_user_fields(&self, problems: &mut Vec<String>) -> Result<(), StoreError> {
        let tree = TreeName::UserFields;
        for item in self.raw_entries(tree) {
            let (key, _) = item?;
            let Ok(id) = keys::read_u64(tree.as_str(), &key) else {
                continue;
            };
            if self.user(UserId(id))?.is_none() {
                problems.push(format!("custom field values of user {id}: no such user"));
            }
        }
        Ok(())
    }
}
