//! Refusing a new account whose email looks like an existing one's: `аdmin@example.com` with
//! a Cyrillic `а`, `rnary@…` beside `mary@…`. Two addresses are look-alikes when their UTS #39
//! skeletons ([`email_lookalike_key`]) are equal but their keys are not.
//!
//! The check scans every user before the transaction (no scans inside one, R1 notes): linear
//! in the number of users, about a skeleton per user, which is why it runs only for `staff add`
//! (a rare command, and the one the attack needs), including the promotion of an existing
//! customer user. Adding a customer with a new owner does not run it: at 100 000 users a scan
//! per add made every add slow and building a large database quadratic. An index of skeletons
//! would make it constant-time and let customer users be checked too; existing accounts are
//! never re-judged.

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
        let key = email_key(email);
        let look = email_lookalike_key(email);
        for user in self.store.users() {
            let user = user?;
            if user.email_key() != key && email_lookalike_key(&user.email) == look {
                return Err(ServiceError::Refused(format!(
                    "{field}: \"{}\" looks like the existing account {}; use an address that cannot be mistaken for it",
                    preview(email),
                    display_safe(&user.email)
                )));
            }
        }
        Ok(())
    }
}
