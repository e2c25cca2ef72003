//! The trees of the database, named for what they map. The discriminant is the index into
//! [`crate::store::Store`]'s tree list; the names are what sled stores on disk.

/// Every tree, in the order they are opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeName {
    /// customer id → `Customer`
    Customers,
    /// slug → customer id (live and trashed: a trashed slug stays reserved)
    CustomerSlugToId,
    /// user id → `User`
    Users,
    /// lowercase email → user id
    UserEmailToId,
    /// Unix account name → staff user id
    UnixUserToId,
    /// customer id ‖ user id → `Membership` (a `CustomerRole` before schema version 2)
    CustomerUsers,
    /// user id ‖ customer id → ()
    UserCustomers,
    /// deleted-at ‖ customer id → ()
    TrashByTime,
    /// sequence → `AuditEvent`
    Audit,
    /// customer id ‖ sequence → ()
    AuditByCustomer,
    /// normalised email → `SignInFailures`
    SignInFailures,
    /// named values: schema version, settings, provider id, id counter, audit head
    Meta,
    /// import id → `ImportRecord`
    Imports,
    /// import id ‖ customer id → () for every customer an import created
    ImportCustomers,
    /// user id ‖ sequence → () for every event a user did or that concerns them (schema 2)
    AuditByUser,
    /// invitation id → `Invitation` (schema 2)
    Invitations,
    /// SHA-256 of an invitation's current token → invitation id (schema 2)
    InvitationTokenToId,
    /// customer id ‖ lowercase email → invitation id: one invitation per person and customer
    /// (schema 2)
    CustomerInvitations,
    /// SHA-256 of a password-reset token → `ResetToken` (schema 2)
    ResetTokens,
    /// normalised email → `ResetRequests`, the reset messages of the current hour (schema 2)
    ResetRequests,
    /// UTS #39 skeleton of a user's email ‖ 0 ‖ user id → (): finds look-alike addresses
    /// without a scan (schema 2)
    UserLookalike,
    /// start-event sequence → `Impersonation`: one record per impersonation (a new tree,
    /// empty in older databases; D93)
    Impersonations,
    /// counter name (‖ 0 ‖ time key for a bucket) → u64: what the database holds, kept in the
    /// same transaction as the records counted (schema 3; `counters.rs`)
    Counters,
    /// customer id → u64: the customer's memberships, pending or in force, kept by
    /// `put_membership` and `remove_membership` so a plan's user limit is checked in the
    /// command's transaction without a scan (schema 5)
    MemberCounts,
    /// customer id → `UserGroups`: the customer's user groups; absent until its first group
    /// (a new tree, empty in older databases; D128)
    UserGroups,
    /// user id → `Vec<FieldValue>`: the user's values of the users' custom fields; absent
    /// until the first (a new tree, empty in older databases; D131)
    UserFields,
}

impl TreeName {
    pub const ALL: [TreeName; 26] = [
        Self::Customers,
        Self::CustomerSlugToId,
        Self::Users,
        Self::UserEmailToId,
        Self::UnixUserToId,
        Self::CustomerUsers,
        Self::UserCustomers,
        Self::TrashByTime,
        Self::Audit,
        Self::AuditByCustomer,
        Self::SignInFailures,
        Self::Meta,
        Self::Imports,
        Self::ImportCustomers,
        Self::AuditByUser,
        Self::Invitations,
        Self::InvitationTokenToId,
        Self::CustomerInvitations,
        Self::ResetTokens,
        Self::ResetRequests,
        Self::UserLookalike,
        Self::Impersonations,
        Self::Counters,
        Self::MemberCounts,
        Self::UserGroups,
        Self::UserFields,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customers => "customers",
            Self::CustomerSlugToId => "customer_slug_to_id",
            Self::Users => "users",
            Self::UserEmailToId => "user_email_to_id",
            Self::UnixUserToId => "unix_user_to_id",
            Self::CustomerUsers => "customer_users",
            Self::UserCustomers => "user_customers",
            Self::TrashByTime => "trash_by_time",
            Self::Audit => "audit",
            Self::AuditByCustomer => "audit_by_customer",
            Self::SignInFailures => "sign_in_failures",
            Self::Meta => "meta",
            Self::Imports => "imports",
            Self::ImportCustomers => "import_customers",
            Self::AuditByUser => "audit_by_user",
            Self::Invitations => "invitations",
            Self::InvitationTokenToId => "invitation_token_to_id",
            Self::CustomerInvitations => "customer_invitations",
            Self::ResetTokens => "reset_tokens",
            Self::ResetRequests => "reset_requests",
            Self::UserLookalike => "user_lookalike",
            Self::Impersonations => "impersonations",
            Self::Counters => "counters",
            Self::MemberCounts => "member_counts",
            Self::UserGroups => "user_groups",
            Self::UserFields => "user_fields",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

/// Keys of the `meta` tree.
pub mod meta_key {
    pub const SCHEMA_VERSION: &[u8] = b"schema_version";
    pub const SETTINGS: &[u8] = b"settings";
    pub const PROVIDER_ID: &[u8] = b"provider_id";
    pub const NEXT_ID: &[u8] = b"next_id";
    pub const AUDIT_HEAD: &[u8] = b"audit_head";
    pub const NEXT_IMPORT_ID: &[u8] = b"next_import_id";
    /// Where an unfinished migration stands (`migrate::MigrationPlace`); absent otherwise.
    pub const MIGRATION: &[u8] = b"migration";
    /// `ImpersonationSettings`; absent until first set (the defaults apply).
    pub const IMPERSONATION: &[u8] = b"impersonation";
    /// `AuditSettings`; absent until first set (every event is kept).
    pub const AUDIT_SETTINGS: &[u8] = b"audit";
    /// `AuditCheckpoint`: where the chain begins after a prune; absent until the first.
    pub const AUDIT_CHECKPOINT: &[u8] = b"audit_checkpoint";
    /// `ServiceCatalogue`; absent until first changed (the default catalogue applies).
    pub const SERVICES: &[u8] = b"services";
    /// `u64`: the checkpoint up to which the audit index entries were removed.
    pub const AUDIT_SWEPT: &[u8] = b"audit_swept";
    /// `SystemList`; absent until first changed (one system, `main`).
    pub const SYSTEMS: &[u8] = b"systems";
    /// `PlanList`; absent until the first plan.
    pub const PLANS: &[u8] = b"plans";
    /// `FieldSchema`; absent until the first custom field.
    pub const FIELDS: &[u8] = b"fields";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discriminants_index_the_list() {
        for (i, t) in TreeName::ALL.iter().enumerate() {
            assert_eq!(*t as usize, i);
            assert_eq!(TreeName::from_name(t.as_str()), Some(*t));
        }
    }
}
