//! The customer area: its commands ([`CustomerCommand`]), what each needs before its
//! transaction (`prepare.rs`) and what each does inside it (`apply.rs`). A new customer command
//! is a variant here, its arm in [`CustomerCommand::spec`], [`CustomerCommand::prepare`] and
//! [`Prepared::apply`], and its transaction function in `apply.rs` (or `trash.rs`): nothing outside this
//! directory changes.
//!
//! Every rule about customers is enforced here, whatever the front end. Nothing in this area
//! scans inside a transaction or hashes a password inside one.

pub(crate) mod apply;
mod copy;
mod prepare;
mod trash;

use serde::{Deserialize, Serialize};

use super::{Ctx, Outcome, Service, ServiceError, TxResult};
use crate::domain::{AuditAction, CustomerKind, CustomerStatus, Privilege};
use crate::store::Tx;

pub(crate) use apply::{by_slug, create, customer_ref};
pub use copy::CopyCustomer;
pub(crate) use prepare::{PreparedCustomer, clearable, prepare_customer};
pub(crate) use trash::{move_to_trash, purge};

/// The owner named when adding a customer: an existing user by email, or a new one (first and
/// last name required; without a password the owner is `invited`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerSpec {
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub password: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NewCustomer {
    pub name: String,
    /// Kept instead of the derived slug when given (must already be a valid slug).
    pub slug: Option<String>,
    pub kind: CustomerKind,
    /// `pending` without one: a new customer gets its users first and is then activated
    /// (D127). An import or an operator may name another status.
    pub status: Option<CustomerStatus>,
    pub language: Option<String>,
    pub owner: Option<OwnerSpec>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub postal_address: Option<String>,
    pub website: Option<String>,
    /// The target system by name; the first that can be chosen without one.
    pub system: Option<String>,
    /// Custom field values by field name, raw (D131).
    #[serde(default)]
    pub fields: Vec<(String, String)>,
}

/// Changes to a customer; `None` leaves a field as it is. For the contact fields an empty
/// string clears the value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CustomerChanges {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub kind: Option<CustomerKind>,
    pub language: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub postal_address: Option<String>,
    pub website: Option<String>,
    /// Custom field values by field name, raw; an empty value clears one (D131).
    #[serde(default)]
    pub fields: Vec<(String, String)>,
}

impl CustomerChanges {
    /// True when only custom field values change: the event is then `customer.fields`.
    pub fn only_fields(&self) -> bool {
        !self.fields.is_empty()
            && Self {
                fields: Vec::new(),
                ..self.clone()
            } == Self::default()
    }
}

/// A change to one customer. Text arrives raw; the service validates it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CustomerCommand {
    Add(NewCustomer),
    Edit {
        slug: String,
        changes: CustomerChanges,
    },
    SetStatus {
        slug: String,
        status: CustomerStatus,
    },
    /// Moves a customer to the trash.
    SoftDelete {
        slug: String,
    },
    /// Takes a customer out of the trash.
    Restore {
        slug: String,
    },
    /// Removes a trashed customer for good.
    Purge {
        slug: String,
    },
    /// A new customer like another: its services, plan, system and groups (no people).
    Copy(CopyCustomer),
}

impl CustomerCommand {
    /// The audit action it writes (also what permission messages call it) and the privilege
    /// it needs.
    pub fn spec(&self) -> (AuditAction, Privilege) {
        use AuditAction as A;
        match self {
            Self::Add(_) => (A::CustomerAdd, Privilege::ManageCustomers),
            Self::Edit { changes, .. } if changes.only_fields() => {
                (A::CustomerFields, Privilege::ManageCustomers)
            }
            Self::Edit { .. } => (A::CustomerEdit, Privilege::ManageCustomers),
            Self::SetStatus {
                status: CustomerStatus::Active,
                ..
            } => (A::CustomerActivate, Privilege::ManageCustomers),
            Self::SetStatus { .. } => (A::CustomerSuspend, Privilege::ManageCustomers),
            Self::SoftDelete { .. } => (A::CustomerDelete, Privilege::ManageCustomers),
            Self::Restore { .. } => (A::CustomerRestore, Privilege::ManageCustomers),
            Self::Purge { .. } => (A::CustomerPurge, Privilege::Purge),
            Self::Copy(_) => (A::CustomerCopy, Privilege::ManageCustomers),
        }
    }

    /// What the command asks of a customer session (see `scope.rs`): a customer's
    /// administrators edit its contact details, and nobody in the customer changes its name,
    /// slug, type, language or status, or anything else.
    pub(crate) fn customer_need(&self) -> Option<crate::service::scope::CustomerNeed<'_>> {
        match self {
            Self::Edit { slug, changes }
                if changes.name.is_none()
                    && changes.slug.is_none()
                    && changes.kind.is_none()
                    && changes.language.is_none() =>
            {
                Some(crate::service::scope::CustomerNeed::in_customer(
                    slug,
                    crate::domain::CustomerRole::Administrator,
                ))
            }
            _ => None,
        }
    }

    /// Validates and reads what the command needs before its transaction.
    pub(crate) fn prepare(self, service: &Service) -> Result<Prepared, ServiceError> {
        Ok(match self {
            Self::Add(new) => {
                let prepared = prepare_customer(new)?;
                // A new owner's address must not pass for another account's (D84); the same
                // address is not a look-alike, so an existing owner passes.
                if let Some(owner) = &prepared.owner {
                    service.refuse_lookalike_email("owner email", &owner.email)?;
                }
                Prepared::Add(prepared)
            }
            Self::Edit { slug, changes } => {
                if changes.kind == Some(CustomerKind::Individual) {
                    service.refuse_individual_with_people(&slug)?;
                }
                Prepared::Edit(prepare::prepare_edit(slug, changes)?)
            }
            Self::SetStatus { slug, status } => Prepared::SetStatus { slug, status },
            Self::SoftDelete { slug } => Prepared::SoftDelete { slug },
            Self::Restore { slug } => Prepared::Restore { slug },
            Self::Purge { slug } => Prepared::Purge(service.plan_purge(&slug)?),
            Self::Copy(copy) => Prepared::Copy(copy::prepare(copy)?),
        })
    }
}

/// A customer command ready for its transaction.
pub(crate) enum Prepared {
    Add(PreparedCustomer),
    Edit(prepare::PreparedEdit),
    SetStatus {
        slug: String,
        status: CustomerStatus,
    },
    SoftDelete {
        slug: String,
    },
    Restore {
        slug: String,
    },
    Purge(prepare::PurgePlan),
    Copy(copy::PreparedCopy),
}

impl Prepared {
    /// Applies the command inside the transaction; `action` is what its event records.
    pub(crate) fn apply(
        &self,
        tx: &Tx<'_, ServiceError>,
        ctx: &Ctx<'_>,
        action: AuditAction,
    ) -> TxResult<Outcome> {
        match self {
            Self::Add(c) => apply::add(tx, ctx, action, c),
            Self::Edit(e) => apply::edit(tx, ctx, action, e),
            Self::SetStatus { slug, status } => apply::set_status(tx, ctx, action, slug, *status),
            Self::SoftDelete { slug } => trash::soft_delete(tx, ctx, action, slug),
            Self::Restore { slug } => trash::restore(tx, ctx, action, slug),
            Self::Purge(plan) => trash::purge(tx, ctx, action, plan),
            Self::Copy(c) => copy::apply(tx, ctx, action, c),
        }
    }
}
