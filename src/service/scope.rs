//! What a customer-side session may do: the one gate every command passes before it is
//! prepared ([`Service::authorize`]). Staff are checked by privilege as always. A customer's
//! user, and staff impersonating a customer, act in one customer with one role there
//! (administrator for an impersonation): a command must name that customer (or act on one of
//! its people), need no more than that role, and give no role above it; anything else —
//! another customer, a staff-only command, a role above its own — gets the one
//! [`ServiceError::OutsideSession`] message, whatever the front end (D94).
//!
//! Each area says what its commands ask of a customer session (`customer_need`); this module
//! holds the rule once and must not know an area's fields.

use super::{Command, Service, ServiceError, Session};
use crate::domain::text::email_key;
use crate::domain::{CustomerId, CustomerRole};

/// What one command asks of a customer session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CustomerNeed<'a> {
    /// The customer the command names (its slug), when it names one: it must be the
    /// session's own.
    pub customer: Option<&'a str>,
    /// The least role in the customer the command needs.
    pub least: CustomerRole,
    /// The role the command gives someone: never above the session's own, and below it
    /// unless the session is an administrator (a moderator invites members).
    pub grants: Option<CustomerRole>,
    /// The person the command acts on, by email: must belong to (or be invited to) the
    /// session's customer.
    pub user: Option<&'a str>,
    /// True when the command changes that person's whole account (names, language, status),
    /// not only their place in this customer: refused for someone who also belongs to another
    /// customer or is staff, whose account is not this customer's to change.
    pub whole_account: bool,
}

impl<'a> CustomerNeed<'a> {
    /// A command on the customer `slug` needing `least`.
    pub(crate) fn in_customer(slug: &'a str, least: CustomerRole) -> Self {
        Self {
            customer: Some(slug),
            least,
            grants: None,
            user: None,
            whole_account: false,
        }
    }

    /// A command on the person `email`, a member of the session's customer, needing `least`.
    pub(crate) fn on_member(email: &'a str, least: CustomerRole) -> Self {
        Self {
            customer: None,
            least,
            grants: None,
            user: Some(email),
            whole_account: false,
        }
    }
}

impl Service {
    /// Refuses `command` unless `session` may run it: staff by the privilege the command
    /// names; a customer-side session by the rules above; self-service (one's own account)
    /// for any signed-in user but never while impersonating.
    pub(crate) fn authorize(
        &self,
        session: &Session,
        command: &Command,
    ) -> Result<(), ServiceError> {
        let (action, privilege) = command.spec();
        if command.is_self_service() {
            if session.impersonating().is_some() {
                return Err(ServiceError::NotWhileImpersonating {
                    action: "changing your own account",
                });
            }
            return match session.user_id() {
                Some(_) => Ok(()),
                None => Err(ServiceError::Refused(
                    "only a signed-in user has an account to change".into(),
                )),
            };
        }
        let Some((customer, role)) = session.customer_scope() else {
            return session.require(privilege, action.as_str());
        };
        let outside = || Session::outside(action.as_str());
        let need = command.customer_need().ok_or_else(outside)?;
        if let Some(slug) = need.customer {
            if self.store().customer_id_by_slug(slug.trim())? != Some(customer) {
                return Err(outside());
            }
        }
        if !role.at_least(need.least) {
            return Err(outside());
        }
        if let Some(given) = need.grants {
            let within = role == CustomerRole::Administrator || given.rank() < role.rank();
            if !within {
                return Err(outside());
            }
        }
        if let Some(email) = need.user {
            self.check_member_target(customer, email, need.whole_account)
                .map_err(|e| e.unwrap_or_else(outside))?;
        }
        Ok(())
    }

    /// The person `email` must belong to (or be invited to) `customer`; with `whole_account`
    /// also belong to no other customer and not be staff. `Err(None)` is the outside refusal
    /// (nothing said about who exists elsewhere); `Err(Some(e))` a refusal worth its words.
    fn check_member_target(
        &self,
        customer: CustomerId,
        email: &str,
        whole_account: bool,
    ) -> Result<(), Option<ServiceError>> {
        let store = self.store();
        let key = email_key(email.trim());
        let user = store
            .user_id_by_email(&key)
            .map_err(|e| Some(e.into()))?
            .map(|id| store.user(id))
            .transpose()
            .map_err(|e| Some(e.into()))?
            .flatten()
            .ok_or(None)?;
        if store
            .membership(customer, user.id)
            .map_err(|e| Some(e.into()))?
            .is_none()
        {
            return Err(None);
        }
        if whole_account {
            let elsewhere = store
                .customers_of(user.id)
                .map_err(|e| Some(e.into()))?
                .len()
                > 1;
            if elsewhere || user.staff_role.is_some() {
                return Err(Some(ServiceError::Refused(format!(
                    "{} also has access beyond this customer, so only the provider's staff change their account; remove them from this customer instead",
                    crate::domain::text::display_safe(&user.email)
                ))));
            }
        }
        Ok(())
    }
}

impl Service {
    /// The customer a read is confined to: `Ok(None)` for a staff session (which `staff`
    /// checked), `Ok(Some(own))` for a customer-side session holding at least `least` whose
    /// read names no other customer than its own (`named`, a slug). Anything else is the
    /// outside refusal.
    pub(crate) fn read_scope(
        &self,
        session: &Session,
        what: &'static str,
        least: CustomerRole,
        named: Option<&str>,
        staff: impl FnOnce(&Session) -> Result<(), ServiceError>,
    ) -> Result<Option<CustomerId>, ServiceError> {
        let Some((own, role)) = session.customer_scope() else {
            staff(session)?;
            return Ok(None);
        };
        if !role.at_least(least) {
            return Err(Session::outside(what));
        }
        if let Some(slug) = named {
            if self.store().customer_id_by_slug(slug.trim())? != Some(own) {
                return Err(Session::outside(what));
            }
        }
        Ok(Some(own))
    }

    /// True when the person `user` belongs to (or is invited to) `customer`.
    pub(crate) fn is_member(
        &self,
        customer: CustomerId,
        user: crate::domain::UserId,
    ) -> Result<bool, ServiceError> {
        Ok(self.store().membership(customer, user)?.is_some())
    }
}
