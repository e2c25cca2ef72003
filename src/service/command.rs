//! Every change is a [`Command`] value and every result an [`Outcome`]: plain, serialisable
//! values with no references into the store, so any front end (and later a server) can carry
//! them. Text arrives raw; the service validates it.

use serde::{Deserialize, Serialize};

use super::rows::{CustomerRow, StaffRow};
use crate::domain::{AuditAction, CustomerKind, CustomerStatus, StaffRole};

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
    pub status: CustomerStatus,
    pub language: Option<String>,
    pub owner: Option<OwnerSpec>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
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
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewStaff {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: StaffRole,
    pub unix_user: Option<String>,
    pub password: Option<String>,
}

/// Changes to a staff member; `unix_user: Some("")` removes the link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct StaffChanges {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub role: Option<StaffRole>,
    pub unix_user: Option<String>,
    pub password: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Command {
    AddCustomer(NewCustomer),
    EditCustomer {
        slug: String,
        changes: CustomerChanges,
    },
    SetCustomerStatus {
        slug: String,
        status: CustomerStatus,
    },
    SoftDeleteCustomer {
        slug: String,
    },
    RestoreCustomer {
        slug: String,
    },
    PurgeCustomer {
        slug: String,
    },
    /// Purges every trashed customer whose retention has run out.
    PurgeExpired,
    SetSetting {
        key: String,
        value: String,
    },
    AddStaff(NewStaff),
    EditStaff {
        email: String,
        changes: StaffChanges,
    },
    DisableStaff {
        email: String,
    },
    EnableStaff {
        email: String,
    },
    /// Starts an import of a file, or resumes the interrupted run of the same file.
    StartImport(super::imports::ImportStart),
    /// Creates one batch of an import's customers in one transaction.
    ImportCustomers {
        import_id: u64,
        customers: Vec<NewCustomer>,
    },
    /// Completes an import and writes its audit event.
    FinishImport {
        import_id: u64,
        already: u64,
        skipped: u64,
    },
}

impl Command {
    /// The audit action name and what permission messages call it.
    pub fn action(&self) -> AuditAction {
        match self {
            Self::AddCustomer(_) => AuditAction::CustomerAdd,
            Self::EditCustomer { .. } => AuditAction::CustomerEdit,
            Self::SetCustomerStatus {
                status: CustomerStatus::Active,
                ..
            } => AuditAction::CustomerActivate,
            Self::SetCustomerStatus { .. } => AuditAction::CustomerSuspend,
            Self::SoftDeleteCustomer { .. } => AuditAction::CustomerDelete,
            Self::RestoreCustomer { .. } => AuditAction::CustomerRestore,
            Self::PurgeCustomer { .. } => AuditAction::CustomerPurge,
            Self::PurgeExpired => AuditAction::TrashPurgeExpired,
            Self::SetSetting { .. } => AuditAction::SettingsSet,
            Self::AddStaff(_) => AuditAction::StaffAdd,
            Self::EditStaff { .. } => AuditAction::StaffEdit,
            Self::DisableStaff { .. } => AuditAction::StaffDisable,
            Self::EnableStaff { .. } => AuditAction::StaffEnable,
            Self::StartImport(_) | Self::ImportCustomers { .. } | Self::FinishImport { .. } => {
                AuditAction::ImportCustomers
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    Customer(CustomerRow),
    /// Slugs of the customers purged.
    Purged(Vec<String>),
    Setting {
        key: String,
        value: String,
    },
    Staff(StaffRow),
    Import(super::imports::ImportRow),
    Imported {
        created: u64,
    },
}
