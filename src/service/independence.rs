//! Independent organisations (D129): a customer that manages itself. Staff who manage
//! customers make one independent ([`IndependenceCommand::MakeIndependent`], confirmed in the
//! front ends); from then on staff neither impersonate it, change its users, invitations or
//! groups, nor delete it, and only its own administrators, signed in to it (not an
//! impersonation), hand management back ([`IndependenceCommand::HandBack`]). It stays listed,
//! with a marker.
//!
//! [`refuse_staff`] is the one check every such command makes in its transaction; this module
//! must not know those commands' fields.

use serde::{Deserialize, Serialize};

use super::customers::apply::{changeable, customer_ref, row};
use super::scope::CustomerNeed;
use super::session::Principal;
use super::{Ctx, CustomerRefusal, Outcome, ServiceError, Session, TxResult, fail, record};
use crate::domain::{AuditAction, Customer, CustomerRole, Independence, Privilege};
use crate::store::Tx;

/// Making a customer independent, or handing it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum IndependenceCommand {
    MakeIndependent { slug: String },
    HandBack { slug: String },
}

/// True for a session of the customer's own users (not staff, not an impersonation).
fn is_own_user(session: &Session) -> bool {
    matches!(session.principal(), Principal::CustomerUser { .. })
}

/// Refuses `action` on an independent `customer` unless one of its own users does it.
pub(crate) fn refuse_staff(
    ctx: &Ctx<'_>,
    customer: &Customer,
    action: AuditAction,
) -> TxResult<()> {
    refuse_staff_now(ctx.session, customer, action).map_err(crate::store::abort)
}

/// The same check outside a transaction, for what is refused before one starts (an
/// impersonation).
pub(crate) fn refuse_staff_now(
    session: &Session,
    customer: &Customer,
    action: AuditAction,
) -> Result<(), ServiceError> {
    if customer.independent.is_some() && !is_own_user(session) {
        return Err(ServiceError::CustomerRefused {
            slug: customer.slug.to_string(),
            action,
            reason: CustomerRefusal::Independent,
        });
    }
    Ok(())
}

impl IndependenceCommand {
    pub fn spec(&self) -> (AuditAction, Privilege) {
        match self {
            Self::MakeIndependent { .. } => {
                (AuditAction::CustomerIndependent, Privilege::ManageCustomers)
            }
            Self::HandBack { .. } => (AuditAction::CustomerHandBack, Privilege::ManageCustomers),
        }
    }

    fn slug(&self) -> &str {
        match self {
            Self::MakeIndependent { slug } | Self::HandBack { slug } => slug,
        }
    }

    /// Only handing back is a customer's own: its administrators do it. Staff make a
    /// customer independent.
    pub(crate) fn customer_need(&self) -> Option<CustomerNeed<'_>> {
        match self {
            Self::HandBack { slug } => {
                Some(CustomerNeed::in_customer(slug, CustomerRole::Administrator))
            }
            Self::MakeIndependent { .. } => None,
        }
    }

    pub(crate) fn apply(
        &self,
        tx: &Tx<'_, ServiceError>,
        ctx: &Ctx<'_>,
        action: AuditAction,
    ) -> TxResult<Outcome> {
        let mut customer = changeable(tx, self.slug(), action)?;
        let refused = |reason| {
            fail(ServiceError::CustomerRefused {
                slug: customer.slug.to_string(),
                action,
                reason,
            })
        };
        let summary = match self {
            Self::MakeIndependent { .. } => {
                if customer.independent.is_some() {
                    return refused(CustomerRefusal::Independent);
                }
                customer.independent = Some(Independence {
                    since: ctx.now,
                    by: ctx.session.actor().label(),
                });
                format!(
                    "{} is an independent organisation: it manages its own users",
                    customer.slug
                )
            }
            Self::HandBack { .. } => {
                if customer.independent.is_none() {
                    return refused(CustomerRefusal::NotIndependent);
                }
                // The scope gate lets only the customer's administrators through; staff and
                // an impersonation are refused here.
                if !is_own_user(ctx.session) {
                    return refused(CustomerRefusal::Independent);
                }
                customer.independent = None;
                format!("{} handed management back to the provider", customer.slug)
            }
        };
        customer.updated_at = ctx.now;
        tx.save_customer(&customer)?;
        record(tx, ctx, Some(customer_ref(&customer)), action, summary)?;
        row(tx, ctx, &customer)
    }
}

impl super::Service {
    /// Refuses `action` by anyone but the customer's own users when the customer `slug`, or
    /// any customer the user `email` belongs to, is independent. Read before the command's
    /// transaction, with the reads that command makes there (a user's customers cannot be
    /// listed inside one).
    pub(crate) fn refuse_staff_on_people(
        &self,
        session: &Session,
        slug: Option<&str>,
        email: Option<&str>,
        action: AuditAction,
    ) -> Result<(), ServiceError> {
        if is_own_user(session) {
            return Ok(());
        }
        let mut customers = Vec::new();
        if let Some(id) = slug.and_then(|s| self.store.customer_id_by_slug(s.trim()).transpose()) {
            customers.push(id?);
        }
        let user = email.map(|e| {
            self.store
                .user_id_by_email(&crate::domain::text::email_key(e))
        });
        if let Some(id) = user.transpose()?.flatten() {
            customers.extend(self.store.customers_of(id)?);
        }
        for id in customers {
            if let Some(customer) = self.store.customer(id)? {
                refuse_staff_now(session, &customer, action)?;
            }
        }
        Ok(())
    }
}
