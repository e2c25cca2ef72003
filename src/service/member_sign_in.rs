//! Sign-in of a customer's user into one customer: the same password path as staff
//! ([`Service::password_sign_in`]: lockout, argon2, counted failures, R8), admitting an active
//! user with an active membership in a live, active customer. Every other case, including a
//! right password for a customer the user does not belong to, gets the one message of a
//! wrong password, so nothing reveals who belongs where.

use super::{Service, ServiceError, Session};
use crate::domain::{CustomerStatus, Slug};

impl Service {
    /// Signs a customer's user in to the customer `slug`, for a session acting in that
    /// customer with the role held there.
    pub fn sign_in_member(
        &self,
        email: &str,
        password: &str,
        slug: &str,
    ) -> Result<Session, ServiceError> {
        let customer = match Slug::parse("slug", slug.trim()) {
            Ok(slug) => match self.store().customer_id_by_slug(slug.as_str())? {
                Some(id) => self.store().customer(id)?,
                None => None,
            },
            Err(_) => None,
        }
        .filter(|c| !c.is_trashed() && c.status == CustomerStatus::Active);
        let member_of = |user: &crate::domain::User| -> Option<crate::domain::CustomerRole> {
            let customer = customer.as_ref()?;
            let m = self.store().membership(customer.id, user.id).ok()??;
            m.in_force().then_some(m.role)
        };
        let user = self.password_sign_in(email, password, |u| member_of(u).is_some())?;
        match (customer.as_ref(), member_of(&user)) {
            (Some(customer), Some(role)) => Ok(Session::customer_user(&user, customer.id, role)),
            _ => Err(ServiceError::BadCredentials),
        }
    }
}
