//! What a session may do to one customer, computed by the service from the session's
//! privileges and the stored record, and carried on every [`super::CustomerRow`] and
//! [`super::IndexEntry`]. Front ends read it to offer only what is allowed (and to say why
//! not) instead of copying the rules; the service still checks every command it executes.
//!
//! This module holds the rules a front end may ask about. It must not do I/O, and it must agree
//! with the refusals of `customers.rs` (the provider company is changed only through settings,
//! a trashed customer only restored or purged, a live one never purged).

use crate::domain::{
    AuditAction, Customer, CustomerStatus, Privilege, StaffRole, text::display_safe,
};

use super::{CustomerRefusal, ServiceError, Session};

/// An action on one customer that a front end may offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CustomerAction {
    Edit,
    ChangeSlug,
    Suspend,
    Activate,
    Delete,
    Restore,
    Purge,
    /// Makes it an independent organisation (D129).
    MakeIndependent,
    /// Copies it into a new customer (D130).
    Copy,
    /// Changes its user groups (D128); its people, which an independent organisation keeps.
    Groups,
    /// Turns its services on, off or back to the catalogue's default.
    Services,
}

impl CustomerAction {
    pub const ALL: [CustomerAction; 11] = [
        Self::Edit,
        Self::ChangeSlug,
        Self::Suspend,
        Self::Activate,
        Self::Delete,
        Self::Restore,
        Self::Purge,
        Self::MakeIndependent,
        Self::Copy,
        Self::Groups,
        Self::Services,
    ];

    const fn bit(self) -> u16 {
        1 << self as u16
    }

    /// The audit action the command for it writes.
    pub const fn audit_action(self) -> AuditAction {
        match self {
            Self::Edit | Self::ChangeSlug => AuditAction::CustomerEdit,
            Self::Suspend => AuditAction::CustomerSuspend,
            Self::Activate => AuditAction::CustomerActivate,
            Self::Delete => AuditAction::CustomerDelete,
            Self::Restore => AuditAction::CustomerRestore,
            Self::Purge => AuditAction::CustomerPurge,
            Self::MakeIndependent => AuditAction::CustomerIndependent,
            Self::Copy => AuditAction::CustomerCopy,
            Self::Groups => AuditAction::GroupAdd,
            Self::Services => AuditAction::CustomerServices,
        }
    }

    /// The privilege the session needs for it.
    pub const fn privilege(self) -> Privilege {
        match self {
            Self::Purge => Privilege::Purge,
            _ => Privilege::ManageCustomers,
        }
    }
}

/// Why an action is not offered, most fundamental reason first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial {
    /// The session lacks the privilege.
    Privilege(Privilege),
    /// The provider company is changed only through `settings`.
    ProviderCompany,
    /// The customer is in the trash: it can only be restored or purged.
    InTrash,
    /// The customer is live: only a trashed customer can be restored or purged.
    NotInTrash,
    /// The customer already has the status the action would set.
    AlreadyStatus(CustomerStatus),
    /// An independent organisation is not deleted by staff (D129).
    Independent,
}

/// What the rule looks at in a customer record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject {
    pub is_provider: bool,
    pub trashed: bool,
    pub status: CustomerStatus,
    pub independent: bool,
}

impl Subject {
    pub fn of(customer: &Customer) -> Self {
        Self {
            is_provider: customer.is_provider,
            trashed: customer.is_trashed(),
            status: customer.status,
            independent: customer.independent.is_some(),
        }
    }
}

/// The one rule for offering `action` on a customer to someone who holds the privileges `has`
/// says.
fn denial(has: &dyn Fn(Privilege) -> bool, c: Subject, action: CustomerAction) -> Option<Denial> {
    use CustomerAction as A;
    if !has(action.privilege()) {
        return Some(Denial::Privilege(action.privilege()));
    }
    if c.is_provider && action != A::Restore {
        return Some(Denial::ProviderCompany);
    }
    let wants_trash = matches!(action, A::Restore | A::Purge);
    if c.trashed != wants_trash {
        return Some(if wants_trash {
            Denial::NotInTrash
        } else {
            Denial::InTrash
        });
    }
    if c.independent && matches!(action, A::Delete | A::MakeIndependent | A::Groups) {
        return Some(Denial::Independent);
    }
    match (action, c.status) {
        (A::Suspend, CustomerStatus::Suspended | CustomerStatus::Pending)
        | (A::Activate, CustomerStatus::Active) => Some(Denial::AlreadyStatus(c.status)),
        _ => None,
    }
}

/// The set of actions a session may take on one customer, with the reason for each one it may
/// not. Small and `Copy`, so the console's compact index can hold one per customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AllowedActions {
    allowed: u16,
    /// The reasons, one per action in [`CustomerAction::ALL`] order (`None` when allowed).
    denials: [Option<Denial>; CustomerAction::ALL.len()],
}

impl AllowedActions {
    /// Computes the set for `session` and `customer` as stored now.
    pub fn for_customer(session: &Session, customer: &Customer) -> Self {
        Self::compute(&|p| session.has(p), Subject::of(customer))
    }

    /// The set a staff member with `role` has on a customer like `subject` (for rows a front
    /// end builds itself, such as a console test's).
    pub fn for_role(role: StaffRole, subject: Subject) -> Self {
        Self::compute(&|p| role.has(p), subject)
    }

    fn compute(has: &dyn Fn(Privilege) -> bool, subject: Subject) -> Self {
        let mut set = Self::default();
        for (i, action) in CustomerAction::ALL.into_iter().enumerate() {
            match denial(has, subject, action) {
                None => set.allowed |= action.bit(),
                Some(d) => set.denials[i] = Some(d),
            }
        }
        set
    }

    pub fn allows(self, action: CustomerAction) -> bool {
        self.allowed & action.bit() != 0
    }

    /// Why `action` is not offered; `None` when it is.
    pub fn denial(self, action: CustomerAction) -> Option<Denial> {
        self.denials[action as usize]
    }

    /// The one-line message for a refused `action` on the customer `slug`, or `None` when it
    /// is allowed. The customer's name is not shown: the refusal names the slug, with the same
    /// text and hint as the service's own refusal of the command.
    pub fn refusal(self, action: CustomerAction, slug: &str, _name: &str) -> Option<String> {
        let customer_refusal = |reason| {
            ServiceError::CustomerRefused {
                slug: slug.to_owned(),
                action: action.audit_action(),
                reason,
            }
            .to_string()
        };
        let slug = display_safe(slug);
        Some(match self.denial(action)? {
            Denial::Privilege(privilege) => ServiceError::PermissionDenied {
                action: action.audit_action().as_str(),
                privilege: privilege.label(),
            }
            .to_string(),
            // The same texts, and hints fitting the action, as the service's own refusals.
            Denial::ProviderCompany => customer_refusal(CustomerRefusal::ProviderCompany),
            Denial::InTrash => customer_refusal(CustomerRefusal::InTrash),
            Denial::NotInTrash => customer_refusal(CustomerRefusal::NotInTrash),
            Denial::Independent => customer_refusal(CustomerRefusal::Independent),
            Denial::AlreadyStatus(CustomerStatus::Pending) => {
                customer_refusal(CustomerRefusal::Pending)
            }
            Denial::AlreadyStatus(status) => {
                format!("customer \"{slug}\" is already {}", status.as_str())
            }
        })
    }
}
