//! Plain types and the rules that need no storage: customers, users, roles, audit events,
//! settings, the slug rule and the text validation every front end shares.
//!
//! Nothing here performs I/O, reads the clock or names a storage or terminal crate. Constructors
//! validate and return [`ValidationError`] so every front end reports the same words.

pub mod audit;
pub mod audit_action;
pub mod customer;
pub mod error;
pub mod fields;
pub mod groups;
pub mod impersonation;
pub mod import;
pub mod invitation;
pub mod membership;
pub mod named;
pub mod plans;
pub mod roles;
pub mod services;
pub mod settings;
pub mod slug;
pub mod systems;
pub mod text;
pub mod time;
pub mod unicode;
pub mod user;

pub use audit::{Actor, AuditEvent, CustomerRef};
pub use audit_action::AuditAction;
pub use customer::{Customer, CustomerId, CustomerKind, CustomerStatus, Deletion, Independence};
pub use error::ValidationError;
pub use impersonation::{Impersonation, ImpersonationEnd, ImpersonationEnding};
pub use invitation::{
    Invitation, InvitationId, InvitationState, InvitationStatus, ResetRequests, ResetToken,
};
pub use membership::{Membership, MembershipStatus};
pub use roles::{CustomerRole, Privilege, StaffRole};
pub use settings::{AuditSettings, ImpersonationSettings, Settings};
pub use slug::{Slug, slugify};
pub use time::Timestamp;
pub use user::{User, UserId, UserOrigin, UserStatus};
