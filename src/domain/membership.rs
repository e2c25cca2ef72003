//! A user's membership in one customer: the customer role held there and whether it is in
//! force yet (a membership an invitation created is pending until the invitation is
//! accepted). Stored in `customer_users` (customer id ‖ user id → [`Membership`]).
//!
//! Stored types: variant order of the enums and field order of the struct are part of the
//! stored format. Append variants only, and change fields only through a numbered migration.

use serde::{Deserialize, Serialize};

use super::error::ValidationError;
use super::roles::{CustomerRole, text_enum};
use super::time::Timestamp;

/// Stored: never reorder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MembershipStatus {
    /// Created by an invitation that is not accepted yet: grants nothing.
    Pending,
    /// In force.
    Active,
}

impl MembershipStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Active => "active",
        }
    }
}

text_enum!(
    MembershipStatus,
    "membership",
    [MembershipStatus::Pending, MembershipStatus::Active]
);

/// One user's place in one customer. Stored: append fields only through a migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub role: CustomerRole,
    pub status: MembershipStatus,
    /// When the membership was created (for memberships older than schema version 2, the
    /// user's creation time).
    pub since: Timestamp,
}

impl Membership {
    /// A membership in force from `since`.
    pub fn active(role: CustomerRole, since: Timestamp) -> Self {
        Self {
            role,
            status: MembershipStatus::Active,
            since,
        }
    }

    /// True when the membership grants its role (it is not waiting for an invitation).
    pub fn in_force(&self) -> bool {
        self.status == MembershipStatus::Active
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_active_membership_is_in_force() {
        let mut m = Membership::active(CustomerRole::Member, Timestamp(0));
        assert!(m.in_force());
        m.status = MembershipStatus::Pending;
        assert!(!m.in_force());
        assert_eq!(
            "Pending".parse::<MembershipStatus>().unwrap(),
            MembershipStatus::Pending
        );
    }
}
