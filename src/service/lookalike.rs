//! Refusing a new account whose email looks like an existing one's: `аdmin@example.com` with
//! a Cyrillic `а`, `rnary@…` beside `mary@…`. Two addresses are look-alikes when their UTS #39
//! skeletons ([`email_lookalike_key`]) are equal but their keys are not.
//!
//! The check reads the `user_lookalike` index (skeleton ‖ user id): constant work per
//! check whatever the number of users, so every command creating an account runs it (staff
//! add, user add, invitations). Existing accounts are never re-judged.

use super::{Service, ServiceError};
use crate::domain::text::{display_safe, email_key, email_lookalike_key, preview};

impl Service {
    /// Refuses `email` when another account's email looks the same but is a different
    /// address. The same address (any case) is not a look-alike: the caller decides what
    /// an existing account means for its command.
    pub(crate) fn refuse_lookalike_email(
        &self,
        field: &str,
        email: &str,
    ) -> Result<(), ServiceError> {
        match self.lookalike_of(email)? {
            Some(existing) => Err(ServiceError::Refused(format!(
                "{field}: \"{}\" looks like the existing account {}; use an address that cannot be mistaken for it",
                preview(email),
                display_safe(&existing)
            ))),
            None => Ok(()),
        }
    }

    /// The email of an existing account that `email` looks like without being it.
    fn lookalike_of(&self, email: &str) -> Result<Option<String>, ServiceError> {
        let key = email_key(email);
        let look = email_lookalike_key(email);
        for id in self.store.lookalike_users(&look)? {
            let Some(user) = self.store.user(id)? else {
                continue;
            };
            if user.email_key() != key {
                return Ok(Some(user.email));
            }
        }
        Ok(None)
    }

    /// For the import's checking pass (staff): the existing account a new owner's `email`
    /// looks like, if any.
    pub fn lookalike_account(
        &self,
        session: &super::Session,
        email: &str,
    ) -> Result<Option<String>, ServiceError> {
        let session = &self.acting(session)?;
        session.require_staff("looking up an email")?;
        self.lookalike_of(email)
    }
}
