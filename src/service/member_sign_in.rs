//! Sign-in of a customer's user: the same password path as staff
//! ([`Service::password_sign_in`]: lockout, argon2, counted failures, R8), admitting an active
//! user with an active membership in a live, active customer. Every other case, including a
//! right password for a customer the user does not belong to, gets the one message of a
//! wrong password, so nothing reveals who belongs where.
//!
//! A user of several customers signs in first as a member who has chosen none
//! ([`super::Principal::Member`]), lists their customers and enters one; they may switch to
//! another later without signing in again. This module must not admit a customer that
//! `acting` would refuse.

use serde::{Deserialize, Serialize};

use super::session::Principal;
use super::{Service, ServiceError, Session};
use crate::domain::{Customer, CustomerRole, CustomerStatus, Slug, User};

/// A customer a signed-in user may enter, with their role there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerChoice {
    pub id: crate::domain::CustomerId,
    pub slug: String,
    pub name: String,
    pub role: CustomerRole,
}

/// The customers the session's user may enter (query `MyCustomers`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyCustomers;

impl Service {
    /// The live, active customers where `user` holds an active membership, by name.
    pub(crate) fn usable_memberships(
        &self,
        user: &User,
    ) -> Result<Vec<(Customer, CustomerRole)>, ServiceError> {
        let mut all = self.live_memberships(user)?;
        all.retain(|(c, _)| c.status == CustomerStatus::Active);
        Ok(all)
    }

    /// Why a customer's user with no usable customer cannot sign in, when it is the state of
    /// a customer of theirs (pending or suspended) rather than their account: the error to
    /// give once their password is proven.
    pub(crate) fn inactive_customer(
        &self,
        user: &User,
    ) -> Result<Option<ServiceError>, ServiceError> {
        Ok(self
            .live_memberships(user)?
            .into_iter()
            .find(|(c, _)| c.status != CustomerStatus::Active)
            .map(|(c, _)| ServiceError::CustomerNotActive {
                customer: c.name,
                status: c.status,
            }))
    }

    /// The customers not in the trash where `user` holds an active membership, by name.
    fn live_memberships(&self, user: &User) -> Result<Vec<(Customer, CustomerRole)>, ServiceError> {
        let mut out = Vec::new();
        for id in self.store().customers_of(user.id)? {
            let Some(customer) = self.store().customer(id)? else {
                continue;
            };
            if customer.is_trashed() {
                continue;
            }
            if let Some(m) = self
                .store()
                .membership(id, user.id)?
                .filter(|m| m.in_force())
            {
                out.push((customer, m.role));
            }
        }
        out.sort_by_key(|(c, _)| c.name.to_lowercase());
        Ok(out)
    }

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
        .filter(|c| !c.is_trashed());
        let member_of = |user: &User| -> Option<CustomerRole> {
            let customer = customer.as_ref()?;
            let m = self.store().membership(customer.id, user.id).ok()??;
            m.in_force().then_some(m.role)
        };
        let user = self.password_sign_in(email, password, |u| member_of(u).is_some())?;
        let role = member_of(&user);
        match (customer, role) {
            (Some(c), Some(role)) if c.status == CustomerStatus::Active => {
                Ok(Session::customer_user(&user, c.id, role))
            }
            // The password is proven: say why the customer cannot be entered.
            (Some(c), Some(_)) => Err(ServiceError::CustomerNotActive {
                customer: c.name,
                status: c.status,
            }),
            _ => Err(ServiceError::BadCredentials),
        }
    }

    /// The session a customer's user gets after a password sign-in: in their one customer
    /// directly, or, with several, a member's session that must choose one.
    pub(crate) fn member_session(&self, user: &User) -> Result<Session, ServiceError> {
        let usable = self.usable_memberships(user)?;
        Ok(match usable.as_slice() {
            [(customer, role)] => Session::customer_user(user, customer.id, *role),
            [] => {
                return Err(self
                    .inactive_customer(user)?
                    .unwrap_or(ServiceError::BadCredentials));
            }
            _ => Session::from_principal(Principal::Member {
                id: user.id,
                email: user.email.clone(),
            }),
        })
    }

    /// The customers the session's own user may enter: for a customer's user, every usable
    /// membership (so the console can offer a switch); for an impersonation, only its
    /// customer.
    pub fn my_customers(&self, session: &Session) -> Result<Vec<CustomerChoice>, ServiceError> {
        let session = &self.acting(session)?;
        let choice = |c: &Customer, role| CustomerChoice {
            id: c.id,
            slug: c.slug.to_string(),
            name: c.name.clone(),
            role,
        };
        match session.principal() {
            Principal::Member { id, .. } | Principal::CustomerUser { id, .. } => {
                let user = self
                    .store()
                    .user(*id)?
                    .ok_or(ServiceError::BadCredentials)?;
                Ok(self
                    .usable_memberships(&user)?
                    .iter()
                    .map(|(c, role)| choice(c, *role))
                    .collect())
            }
            Principal::Impersonating { customer, .. } => Ok(self
                .store()
                .customer(*customer)?
                .map(|c| choice(&c, CustomerRole::Administrator))
                .into_iter()
                .collect()),
            // Staff act in every customer through their own view: none to choose here.
            Principal::Staff { .. } | Principal::System => Ok(Vec::new()),
        }
    }

    /// Enters (or switches to) the customer `slug` for a signed-in customer's user; refuses,
    /// with the one outside message, a customer they cannot use.
    pub fn enter_customer(&self, session: &Session, slug: &str) -> Result<Session, ServiceError> {
        let session = &self.acting(session)?;
        let id = match session.principal() {
            Principal::Member { id, .. } | Principal::CustomerUser { id, .. } => *id,
            _ => {
                return Err(ServiceError::Refused(
                    "only a customer's user chooses a customer".into(),
                ));
            }
        };
        let user = self.store().user(id)?.ok_or(ServiceError::BadCredentials)?;
        self.usable_memberships(&user)?
            .into_iter()
            .find(|(c, _)| c.slug.as_str() == slug.trim())
            .map(|(c, role)| Session::customer_user(&user, c.id, role))
            .ok_or_else(|| Session::outside("entering a customer"))
    }
}
