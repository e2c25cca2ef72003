//! Staff roles (platform operators), customer roles (a user's role inside one customer) and the
//! privileges each staff role grants. Variant order is part of the stored format: append only.

use serde::{Deserialize, Serialize};

use super::error::ValidationError;

/// What a staff member may do. Reading customers needs no privilege beyond being staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Privilege {
    ManageCustomers,
    ManageServicePlans,
    Impersonate,
    Purge,
    ManageStaff,
    ViewLogs,
    ManageSettings,
}

impl Privilege {
    pub fn label(self) -> &'static str {
        match self {
            Self::ManageCustomers => "manage customers",
            Self::ManageServicePlans => "manage service plans",
            Self::Impersonate => "impersonate",
            Self::Purge => "purge",
            Self::ManageStaff => "manage staff",
            Self::ViewLogs => "view logs",
            Self::ManageSettings => "manage settings",
        }
    }
}

/// A platform operator's role. Stored: never reorder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StaffRole {
    Owner,
    Administrator,
    Operator,
    Auditor,
}

impl StaffRole {
    pub const ALL: [StaffRole; 4] = [
        Self::Owner,
        Self::Administrator,
        Self::Operator,
        Self::Auditor,
    ];

    /// The privileges of this role. Owners hold all; auditors only read.
    pub fn privileges(self) -> &'static [Privilege] {
        use Privilege::*;
        match self {
            Self::Owner => &[
                ManageCustomers,
                ManageServicePlans,
                Impersonate,
                Purge,
                ManageStaff,
                ViewLogs,
                ManageSettings,
            ],
            Self::Administrator => &[
                ManageCustomers,
                ManageServicePlans,
                Impersonate,
                Purge,
                ManageStaff,
                ViewLogs,
            ],
            Self::Operator => &[ManageCustomers, Impersonate, ViewLogs],
            Self::Auditor => &[ViewLogs],
        }
    }

    pub fn has(self, privilege: Privilege) -> bool {
        self.privileges().contains(&privilege)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Administrator => "administrator",
            Self::Operator => "operator",
            Self::Auditor => "auditor",
        }
    }
}

/// A user's role inside one customer. Stored: never reorder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CustomerRole {
    Member,
    Moderator,
    Administrator,
}

impl CustomerRole {
    /// The order of authority, lowest first: what a role may grant is compared by it (the
    /// stored variant order is kept apart from it on purpose).
    pub const fn rank(self) -> u8 {
        match self {
            Self::Member => 0,
            Self::Moderator => 1,
            Self::Administrator => 2,
        }
    }

    /// True when this role holds at least the authority of `other`.
    pub const fn at_least(self, other: Self) -> bool {
        self.rank() >= other.rank()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Moderator => "moderator",
            Self::Administrator => "administrator",
        }
    }
}

macro_rules! text_enum {
    ($ty:ty, $field:literal, [$($variant:expr),+]) => {
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl std::str::FromStr for $ty {
            type Err = ValidationError;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                let wanted = text.trim().to_ascii_lowercase();
                [$($variant),+]
                    .into_iter()
                    .find(|v: &$ty| v.as_str() == wanted)
                    .ok_or_else(|| {
                        let names: Vec<&str> = [$($variant),+].iter().map(|v: &$ty| v.as_str()).collect();
                        ValidationError::new(
                            $field,
                            format!(
                                "\"{}\" is not one of {}",
                                $crate::domain::text::preview(text),
                                names.join(", ")
                            ),
                        )
                    })
            }
        }
    };
}
pub(crate) use text_enum;

text_enum!(
    StaffRole,
    "role",
    [
        StaffRole::Owner,
        StaffRole::Administrator,
        StaffRole::Operator,
        StaffRole::Auditor
    ]
);
text_enum!(
    CustomerRole,
    "role",
    [
        CustomerRole::Member,
        CustomerRole::Moderator,
        CustomerRole::Administrator
    ]
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auditors_only_read_and_owners_hold_everything() {
        assert_eq!(StaffRole::Auditor.privileges(), &[Privilege::ViewLogs]);
        assert!(StaffRole::Owner.has(Privilege::ManageSettings));
        assert!(!StaffRole::Administrator.has(Privilege::ManageSettings));
        assert!(!StaffRole::Operator.has(Privilege::Purge));
        assert!(StaffRole::Operator.has(Privilege::ManageCustomers));
    }

    #[test]
    fn roles_parse_case_insensitively_and_name_the_choices() {
        assert_eq!("Owner".parse::<StaffRole>().unwrap(), StaffRole::Owner);
        assert_eq!(
            " moderator ".parse::<CustomerRole>().unwrap(),
            CustomerRole::Moderator
        );
        let err = "boss".parse::<StaffRole>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "role: \"boss\" is not one of owner, administrator, operator, auditor"
        );
    }
}
