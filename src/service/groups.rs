//! A customer's user groups (`tenantry group …`, the customer detail's groups) as
//! [`GroupCommand`]. Staff who manage customers change them, and so do the customer's own
//! administrators (the scope gate, `scope.rs`). A member must have a membership in the
//! customer; when it ends the store takes them out of its groups in the same transaction.
//! Customers in the trash and the provider company have no groups to change.

use serde::{Deserialize, Serialize};

use super::customers::apply::{changeable, customer_ref};
use super::scope::CustomerNeed;
use super::{Ctx, Outcome, ServiceError, TxResult, fail, invalid, record};
use crate::domain::groups::{UserGroups, clean_group_name};
use crate::domain::text::{display_safe, email_key, preview};
use crate::domain::{AuditAction, Customer, CustomerRole, Privilege, UserId, ValidationError};
use crate::store::Tx;

/// A change to one customer's groups; names and emails arrive raw, any case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum GroupCommand {
    Add {
        customer: String,
        name: String,
    },
    Remove {
        customer: String,
        name: String,
    },
    AddMember {
        customer: String,
        group: String,
        email: String,
    },
    RemoveMember {
        customer: String,
        group: String,
        email: String,
    },
}

/// One group as shown: its name and its members' emails, in the order they joined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRow {
    pub name: String,
    pub members: Vec<String>,
}

impl GroupCommand {
    pub fn spec(&self) -> (AuditAction, Privilege) {
        let action = match self {
            Self::Add { .. } => AuditAction::GroupAdd,
            Self::Remove { .. } => AuditAction::GroupRemove,
            Self::AddMember { .. } => AuditAction::GroupAddMember,
            Self::RemoveMember { .. } => AuditAction::GroupRemoveMember,
        };
        (action, Privilege::ManageCustomers)
    }

    fn customer(&self) -> &str {
        match self {
            Self::Add { customer, .. }
            | Self::Remove { customer, .. }
            | Self::AddMember { customer, .. }
            | Self::RemoveMember { customer, .. } => customer,
        }
    }

    /// A customer's administrators manage its groups.
    pub(crate) fn customer_need(&self) -> CustomerNeed<'_> {
        CustomerNeed::in_customer(self.customer(), CustomerRole::Administrator)
    }

    /// Checks a new group's name before the transaction.
    pub(crate) fn prepare(self) -> Result<Self, ServiceError> {
        Ok(match self {
            Self::Add { customer, name } => Self::Add {
                customer,
                name: clean_group_name(&name)?,
            },
            other => other,
        })
    }

    pub(crate) fn apply(
        &self,
        tx: &Tx<'_, ServiceError>,
        ctx: &Ctx<'_>,
        action: AuditAction,
    ) -> TxResult<Outcome> {
        let customer = changeable(tx, self.customer(), action)?;
        super::independence::refuse_staff(ctx, &customer, action)?;
        let mut groups = tx.user_groups(customer.id)?;
        let summary = match self {
            Self::Add { name, .. } => {
                let added = groups.add(name).map_err(invalid)?;
                format!("added group {} to {}", added.name, customer.slug)
            }
            Self::Remove { name, .. } => {
                let i = groups.require(name).map_err(invalid)?;
                let gone = groups.groups.remove(i);
                format!(
                    "removed group {} of {} ({} members)",
                    gone.name,
                    customer.slug,
                    gone.members.len()
                )
            }
            Self::AddMember { group, email, .. } => {
                let i = groups.require(group).map_err(invalid)?;
                let user = member(tx, &customer, email)?;
                let group = &mut groups.groups[i];
                if group.members.contains(&user) {
                    return fail(ServiceError::Refused(format!(
                        "{} is already in group {}",
                        display_safe(email.trim()),
                        group.name
                    )));
                }
                group.members.push(user);
                format!(
                    "{} joined group {} of {}",
                    email.trim(),
                    group.name,
                    customer.slug
                )
            }
            Self::RemoveMember { group, email, .. } => {
                let i = groups.require(group).map_err(invalid)?;
                let user = member(tx, &customer, email)?;
                let group = &mut groups.groups[i];
                let before = group.members.len();
                group.members.retain(|m| *m != user);
                if group.members.len() == before {
                    return fail(ServiceError::Refused(format!(
                        "{} is not in group {}",
                        display_safe(email.trim()),
                        group.name
                    )));
                }
                format!(
                    "{} left group {} of {}",
                    email.trim(),
                    group.name,
                    customer.slug
                )
            }
        };
        tx.put_user_groups(customer.id, &groups)?;
        record(tx, ctx, Some(customer_ref(&customer)), action, summary)?;
        Ok(Outcome::Groups(rows_of(&groups, |id| {
            tx.user(id).map(|u| u.map(|u| u.email))
        })?))
    }
}

/// The user `email` names, who must have a membership in `customer`.
fn member(tx: &Tx<'_, ServiceError>, customer: &Customer, email: &str) -> TxResult<UserId> {
    let not_member = || {
        invalid(ValidationError::new(
            "email",
            format!(
                "{} is not a user of {}",
                preview(email.trim()),
                customer.slug
            ),
        ))
    };
    let Some(user) = tx.user_id_by_email(&email_key(email))? else {
        return Err(not_member());
    };
    match tx.membership(customer.id, user)? {
        Some(_) => Ok(user),
        None => Err(not_member()),
    }
}

/// The groups with their members' emails, `email` reading one user's (a member whose record
/// is gone is left out).
fn rows_of<E>(
    groups: &UserGroups,
    mut email: impl FnMut(UserId) -> Result<Option<String>, E>,
) -> Result<Vec<GroupRow>, E> {
    let mut rows = Vec::with_capacity(groups.groups.len());
    for group in &groups.groups {
        let mut members = Vec::with_capacity(group.members.len());
        for id in &group.members {
            if let Some(address) = email(*id)? {
                members.push(address);
            }
        }
        rows.push(GroupRow {
            name: group.name.clone(),
            members,
        });
    }
    Ok(rows)
}

impl super::Service {
    /// The groups of `customer` with their members' emails, for a reader who sees its people.
    pub(crate) fn group_rows(&self, customer: &Customer) -> Result<Vec<GroupRow>, ServiceError> {
        let groups = self.store.user_groups(customer.id)?;
        rows_of(&groups, |id| {
            Ok::<_, ServiceError>(self.store.user(id)?.map(|u| u.email))
        })
    }
}
