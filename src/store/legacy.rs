//! Stored types as older schema versions wrote them, frozen. Only the migrations read them
//! (and the decoder fuzzing): they are never written again, and never change. A type lands
//! here when a migration changes its stored form; its name carries the last schema version
//! that wrote it.

use serde::{Deserialize, Serialize};

use crate::domain::{
    CustomerId, CustomerKind, CustomerStatus, Deletion, Slug, StaffRole, Timestamp, UserId,
    UserStatus,
};

/// The settings as schema version 1 stored them in `meta.settings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsV1 {
    pub trash_retention_days: u32,
}

/// A user as schema version 1 stored it in `users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserV1 {
    pub id: UserId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub status: UserStatus,
    pub password_hash: Option<String>,
    pub staff_role: Option<StaffRole>,
    pub unix_user: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

// A membership in schema version 1 was a bare `CustomerRole` in `customer_users`; the type
// itself is unchanged, so it needs no frozen copy.

/// A customer as schema versions 1 to 3 stored it in `customers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerV3 {
    pub id: CustomerId,
    pub name: String,
    pub slug: Slug,
    pub kind: CustomerKind,
    pub status: CustomerStatus,
    pub language: String,
    pub owner: Option<UserId>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub is_provider: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub deleted: Option<Deletion>,
}

/// A customer as schema version 4 stored it in `customers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerV4 {
    pub id: CustomerId,
    pub name: String,
    pub slug: Slug,
    pub kind: CustomerKind,
    pub status: CustomerStatus,
    pub language: String,
    pub owner: Option<UserId>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub is_provider: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub deleted: Option<Deletion>,
    pub postal_address: Option<String>,
    pub website: Option<String>,
}

/// A service of the catalogue as schema version 4 stored it (in `meta.services`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceDefV4 {
    pub name: String,
    pub default_on: bool,
}

/// The service catalogue as schema version 4 stored it in `meta.services`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCatalogueV4 {
    pub services: Vec<ServiceDefV4>,
}
