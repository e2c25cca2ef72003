//! The one way to write or remove a customer or a user inside a transaction: each function
//! writes the record together with every index entry that points at it, so no caller can leave
//! a record without its index or an index entry without its record.
//!
//! | Function | Record | Index entries kept with it |
//! |---|---|---|
//! | [`Tx::save_customer`] | `customers` | `customer_slug_to_id` (follows a slug change), `trash_by_time` (follows deletion and restore) |
//! | [`Tx::delete_customer`] | `customers` | the same two, and `import_customers` for the imports named |
//! | [`Tx::save_user`] | `users` | `user_email_to_id`, `user_lookalike` and `unix_user_to_id` (each follows a change) |
//! | [`Tx::delete_user`] | `users` | the same three |
//!
//! Each also moves the counters of `counters.rs` from what the stored record counted to what
//! the new one counts. Memberships are written both ways by `Tx::put_membership` (`tx.rs`). Each function reads the
//! stored record first (a transaction sees its own writes), so the old index keys come from what
//! is stored, never from a caller's copy. Whether a slug, email or Unix account is free is a rule
//! the service checks before calling: these functions enforce no rules.

use super::tx::{Tx, TxError};
use super::{StoreError, TreeName, keys};
use crate::domain::text::email_lookalike_key;
use crate::domain::{Customer, CustomerId, Deletion, User, UserId};

impl<E: From<StoreError>> Tx<'_, E> {
    /// Writes `customer` (new or changed) with its slug entry and, while it is in the trash, its
    /// trash entry; entries for a slug or deletion time it no longer has are removed.
    pub fn save_customer(&self, customer: &Customer) -> Result<(), TxError<E>> {
        let before = self.customer(customer.id)?;
        let old_slug = before.as_ref().map(|c| &c.slug);
        if old_slug != Some(&customer.slug) {
            if let Some(old) = old_slug {
                self.remove(TreeName::CustomerSlugToId, old.as_str().as_bytes())?;
            }
            self.put_raw(
                TreeName::CustomerSlugToId,
                customer.slug.as_str().as_bytes(),
                &keys::customer_key(customer.id),
            )?;
        }
        let old_deleted = before.as_ref().and_then(|c| c.deleted.as_ref());
        let old_at = old_deleted.map(|d| d.at);
        let new_at = customer.deleted.as_ref().map(|d| d.at);
        if old_at != new_at {
            if let Some(Deletion { at, .. }) = old_deleted {
                self.remove(TreeName::TrashByTime, &keys::trash_key(*at, customer.id))?;
            }
            if let Some(at) = new_at {
                self.put_raw(
                    TreeName::TrashByTime,
                    &keys::trash_key(at, customer.id),
                    &[],
                )?;
            }
        }
        self.count_customer(before.as_ref(), Some(customer))?;
        self.put(
            TreeName::Customers,
            &keys::customer_key(customer.id),
            customer,
        )
    }

    /// Removes the customer `id` with its slug entry, its trash entry, and the entries of
    /// `imports` recording that they created it, and its user groups. Memberships are removed by the caller first
    /// (`remove_membership`), since which members go is the caller's plan. Returns the record
    /// removed, if there was one.
    pub fn delete_customer(
        &self,
        id: CustomerId,
        imports: &[u64],
    ) -> Result<Option<Customer>, TxError<E>> {
        let Some(customer) = self.customer(id)? else {
            return Ok(None);
        };
        for import in imports {
            self.remove(TreeName::ImportCustomers, &keys::pair_key(*import, id.0))?;
        }
        if let Some(deletion) = &customer.deleted {
            self.remove(TreeName::TrashByTime, &keys::trash_key(deletion.at, id))?;
        }
        self.remove(
            TreeName::CustomerSlugToId,
            customer.slug.as_str().as_bytes(),
        )?;
        self.remove(TreeName::Customers, &keys::customer_key(id))?;
        self.forget_groups(id)?;
        self.count_customer(Some(&customer), None)?;
        Ok(Some(customer))
    }

    /// Writes `user` (new or changed) with its email entry and, when linked, its Unix entry;
    /// entries for an email or Unix account it no longer has are removed.
    pub fn save_user(&self, user: &User) -> Result<(), TxError<E>> {
        let before = self.user(user.id)?;
        let new_email = user.email_key();
        let old_email = before.as_ref().map(User::email_key);
        if old_email.as_deref() != Some(new_email.as_str()) {
            if let Some(old) = &old_email {
                self.remove(TreeName::UserEmailToId, old.as_bytes())?;
            }
            self.put_raw(
                TreeName::UserEmailToId,
                new_email.as_bytes(),
                &keys::user_key(user.id),
            )?;
        }
        let new_look = email_lookalike_key(&user.email);
        let old_look = before.as_ref().map(|u| email_lookalike_key(&u.email));
        if old_look.as_deref() != Some(new_look.as_str()) {
            if let Some(old) = &old_look {
                self.remove(TreeName::UserLookalike, &keys::lookalike_key(old, user.id))?;
            }
            self.put_raw(
                TreeName::UserLookalike,
                &keys::lookalike_key(&new_look, user.id),
                &[],
            )?;
        }
        let old_unix = before.as_ref().and_then(|u| u.unix_user.as_deref());
        let new_unix = user.unix_user.as_deref();
        if old_unix != new_unix {
            if let Some(old) = old_unix {
                self.remove(TreeName::UnixUserToId, old.as_bytes())?;
            }
            if let Some(new) = new_unix {
                self.put_raw(
                    TreeName::UnixUserToId,
                    new.as_bytes(),
                    &keys::user_key(user.id),
                )?;
            }
        }
        self.count_user(before.as_ref(), Some(user))?;
        self.put(TreeName::Users, &keys::user_key(user.id), user)
    }

    /// Removes the user `id` with its email and Unix entries. Memberships are removed by the
    /// caller first. Returns the record removed, if there was one.
    pub fn delete_user(&self, id: UserId) -> Result<Option<User>, TxError<E>> {
        let Some(user) = self.user(id)? else {
            return Ok(None);
        };
        self.remove(TreeName::UserEmailToId, user.email_key().as_bytes())?;
        self.remove(
            TreeName::UserLookalike,
            &keys::lookalike_key(&email_lookalike_key(&user.email), id),
        )?;
        if let Some(unix) = &user.unix_user {
            self.remove(TreeName::UnixUserToId, unix.as_bytes())?;
        }
        self.remove(TreeName::Users, &keys::user_key(id))?;
        self.forget_user_fields(id)?;
        self.count_user(Some(&user), None)?;
        Ok(Some(user))
    }
}
