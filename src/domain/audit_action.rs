//! What an audit event records as its `action`, as a value code can match on.
//!
//! An event stores the action as text (the `action` field of [`super::AuditEvent`], covered by
//! the chain hash and exported as is), so the text form of each variant is fixed forever:
//! [`AuditAction::as_str`] must return exactly the bytes events have always carried. Code builds
//! and compares actions through this enum and turns it into text only where an event is written
//! or a message names it. This module must not change a text form or reuse one.

use std::fmt;

/// Every action tenantry writes to the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum AuditAction {
    PlatformInit,
    CustomerAdd,
    CustomerEdit,
    CustomerSuspend,
    CustomerActivate,
    CustomerDelete,
    CustomerRestore,
    CustomerPurge,
    TrashPurgeExpired,
    SettingsSet,
    StaffAdd,
    StaffEdit,
    StaffDisable,
    StaffEnable,
    ImportCustomers,
    ImportUndo,
    UserLockout,
    SchemaMigrate,
    UserAdd,
    UserEdit,
    UserDisable,
    UserEnable,
    UserDelete,
    UserRemove,
    InvitationCreate,
    InvitationResend,
    InvitationRevoke,
    InvitationDelete,
    InvitationAccept,
    PasswordResetRequest,
    PasswordReset,
    UserWelcome,
    ImpersonationStart,
    ImpersonationEnd,
    PasswordChange,
    /// Appended: an export of the log to a file (`tenantry log export`).
    LogExport,
    /// Appended: events older than `audit.retention_days` removed behind a checkpoint.
    LogPrune,
    /// Appended: the service catalogue (`tenantry service add|edit|remove`).
    ServiceAdd,
    ServiceEdit,
    ServiceRemove,
    /// Appended: accounts in depth (a customer's services, system, plan, custom fields, copy
    /// and independence; target systems, service plans, custom fields and user groups).
    CustomerServices,
    CustomerSystem,
    CustomerPlan,
    CustomerFields,
    CustomerCopy,
    CustomerIndependent,
    CustomerHandBack,
    SystemAdd,
    SystemEdit,
    SystemRemove,
    PlanAdd,
    PlanEdit,
    PlanRemove,
    FieldAdd,
    FieldEdit,
    FieldRemove,
    FieldCleanup,
    GroupAdd,
    GroupRemove,
    GroupAddMember,
    GroupRemoveMember,
}

impl AuditAction {
    /// Every action, in the order above.
    pub const ALL: [AuditAction; 61] = [
        Self::PlatformInit,
        Self::CustomerAdd,
        Self::CustomerEdit,
        Self::CustomerSuspend,
        Self::CustomerActivate,
        Self::CustomerDelete,
        Self::CustomerRestore,
        Self::CustomerPurge,
        Self::TrashPurgeExpired,
        Self::SettingsSet,
        Self::StaffAdd,
        Self::StaffEdit,
        Self::StaffDisable,
        Self::StaffEnable,
        Self::ImportCustomers,
        Self::ImportUndo,
        Self::UserLockout,
        Self::SchemaMigrate,
        Self::UserAdd,
        Self::UserEdit,
        Self::UserDisable,
        Self::UserEnable,
        Self::UserDelete,
        Self::UserRemove,
        Self::InvitationCreate,
        Self::InvitationResend,
        Self::InvitationRevoke,
        Self::InvitationDelete,
        Self::InvitationAccept,
        Self::PasswordResetRequest,
        Self::PasswordReset,
        Self::UserWelcome,
        Self::ImpersonationStart,
        Self::ImpersonationEnd,
        Self::PasswordChange,
        Self::LogExport,
        Self::LogPrune,
        Self::ServiceAdd,
        Self::ServiceEdit,
        Self::ServiceRemove,
        Self::CustomerServices,
        Self::CustomerSystem,
        Self::CustomerPlan,
        Self::CustomerFields,
        Self::CustomerCopy,
        Self::CustomerIndependent,
        Self::CustomerHandBack,
        Self::SystemAdd,
        Self::SystemEdit,
        Self::SystemRemove,
        Self::PlanAdd,
        Self::PlanEdit,
        Self::PlanRemove,
        Self::FieldAdd,
        Self::FieldEdit,
        Self::FieldRemove,
        Self::FieldCleanup,
        Self::GroupAdd,
        Self::GroupRemove,
        Self::GroupAddMember,
        Self::GroupRemoveMember,
    ];

    /// The stored and exported text: never change one (the audit hash covers it).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::PlatformInit => "platform.init",
            Self::CustomerAdd => "customer.add",
            Self::CustomerEdit => "customer.edit",
            Self::CustomerSuspend => "customer.suspend",
            Self::CustomerActivate => "customer.activate",
            Self::CustomerDelete => "customer.delete",
            Self::CustomerRestore => "customer.restore",
            Self::CustomerPurge => "customer.purge",
            Self::TrashPurgeExpired => "trash.purge_expired",
            Self::SettingsSet => "settings.set",
            Self::StaffAdd => "staff.add",
            Self::StaffEdit => "staff.edit",
            Self::StaffDisable => "staff.disable",
            Self::StaffEnable => "staff.enable",
            Self::ImportCustomers => "import.customers",
            Self::ImportUndo => "import.undo",
            Self::UserLockout => "user.lockout",
            Self::SchemaMigrate => "schema.migrate",
            Self::UserAdd => "user.add",
            Self::UserEdit => "user.edit",
            Self::UserDisable => "user.disable",
            Self::UserEnable => "user.enable",
            Self::UserDelete => "user.delete",
            Self::UserRemove => "user.remove",
            Self::InvitationCreate => "invitation.create",
            Self::InvitationResend => "invitation.resend",
            Self::InvitationRevoke => "invitation.revoke",
            Self::InvitationDelete => "invitation.delete",
            Self::InvitationAccept => "invitation.accept",
            Self::PasswordResetRequest => "password.reset_request",
            Self::PasswordReset => "password.reset",
            Self::UserWelcome => "user.welcome",
            Self::ImpersonationStart => "impersonation.start",
            Self::ImpersonationEnd => "impersonation.end",
            Self::PasswordChange => "password.change",
            Self::LogExport => "log.export",
            Self::LogPrune => "log.prune",
            Self::ServiceAdd => "service.add",
            Self::ServiceEdit => "service.edit",
            Self::ServiceRemove => "service.remove",
            Self::CustomerServices => "customer.services",
            Self::CustomerSystem => "customer.system",
            Self::CustomerPlan => "customer.plan",
            Self::CustomerFields => "customer.fields",
            Self::CustomerCopy => "customer.copy",
            Self::CustomerIndependent => "customer.independent",
            Self::CustomerHandBack => "customer.hand_back",
            Self::SystemAdd => "system.add",
            Self::SystemEdit => "system.edit",
            Self::SystemRemove => "system.remove",
            Self::PlanAdd => "plan.add",
            Self::PlanEdit => "plan.edit",
            Self::PlanRemove => "plan.remove",
            Self::FieldAdd => "field.add",
            Self::FieldEdit => "field.edit",
            Self::FieldRemove => "field.remove",
            Self::FieldCleanup => "field.cleanup",
            Self::GroupAdd => "group.add",
            Self::GroupRemove => "group.remove",
            Self::GroupAddMember => "group.add_member",
            Self::GroupRemoveMember => "group.remove_member",
        }
    }

    /// The action a stored text names, if tenantry writes it. Stored events keep their text,
    /// so an unknown one (from a newer version) is `None`, never an error.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == text)
    }

    /// The words messages use for what happened, both forms in the one list:
    /// - `past`: the past-tense verb refusals read ("cannot be suspended", "cannot be
    ///   deleted") and the CLI prints before a slug;
    /// - `done`: what the console's status line says after the command succeeded, before the
    ///   slug ("suspended acme", "moved to the trash: acme").
    pub const fn words(self) -> Words {
        let (past, done) = match self {
            Self::PlatformInit => ("initialised", "initialised"),
            Self::CustomerAdd | Self::StaffAdd => ("added", "added"),
            Self::CustomerEdit | Self::StaffEdit => ("edited", "saved"),
            Self::CustomerSuspend => ("suspended", "suspended"),
            Self::CustomerActivate => ("activated", "activated"),
            Self::CustomerDelete => ("deleted", "moved to the trash:"),
            Self::CustomerRestore => ("restored", "restored"),
            Self::CustomerPurge => ("purged", "permanently deleted"),
            Self::TrashPurgeExpired => ("purged", "purged"),
            Self::SettingsSet => ("set", "set"),
            Self::StaffDisable => ("disabled", "disabled"),
            Self::StaffEnable => ("enabled", "enabled"),
            Self::ImportCustomers => ("imported", "imported"),
            Self::ImportUndo => ("undone", "undone"),
            Self::UserLockout => ("locked", "locked"),
            Self::SchemaMigrate => ("migrated", "migrated"),
            Self::UserAdd => ("added", "added"),
            Self::UserEdit => ("edited", "saved"),
            Self::UserDisable => ("disabled", "disabled"),
            Self::UserEnable => ("enabled", "enabled"),
            Self::UserDelete => ("deleted", "deleted"),
            Self::UserRemove => ("removed", "removed from the customer:"),
            Self::InvitationCreate => ("invited", "invited"),
            Self::InvitationResend => ("resent", "resent the invitation:"),
            Self::InvitationRevoke => ("revoked", "revoked the invitation:"),
            Self::InvitationDelete => ("deleted", "deleted the invitation:"),
            Self::InvitationAccept => ("accepted", "accepted the invitation:"),
            Self::PasswordResetRequest => ("requested", "reset requested:"),
            Self::PasswordReset => ("reset", "password reset:"),
            Self::UserWelcome => ("welcomed", "welcome message written:"),
            Self::ImpersonationStart => ("started", "impersonating"),
            Self::ImpersonationEnd => ("ended", "back to the staff view:"),
            Self::PasswordChange => ("changed", "password changed:"),
            Self::LogExport => ("exported", "exported the log:"),
            Self::LogPrune => ("pruned", "pruned the log:"),
            Self::ServiceAdd => ("added", "service added:"),
            Self::ServiceEdit => ("changed", "service changed:"),
            Self::ServiceRemove => ("removed", "service removed:"),
            Self::CustomerServices => ("changed services of", "services changed:"),
            Self::CustomerSystem => ("moved", "system changed:"),
            Self::CustomerPlan => ("changed the plan of", "plan changed:"),
            Self::CustomerFields => ("changed fields of", "fields saved:"),
            Self::CustomerCopy => ("copied", "copied:"),
            Self::CustomerIndependent => ("made independent", "made independent:"),
            Self::CustomerHandBack => ("handed back", "handed back:"),
            Self::SystemAdd => ("added", "system added:"),
            Self::SystemEdit => ("changed", "system changed:"),
            Self::SystemRemove => ("removed", "system removed:"),
            Self::PlanAdd => ("added", "plan added:"),
            Self::PlanEdit => ("changed", "plan changed:"),
            Self::PlanRemove => ("removed", "plan removed:"),
            Self::FieldAdd => ("added", "field added:"),
            Self::FieldEdit => ("changed", "field changed:"),
            Self::FieldRemove => ("removed", "field removed:"),
            Self::FieldCleanup => ("cleaned up", "field cleaned up:"),
            Self::GroupAdd => ("added", "group added:"),
            Self::GroupRemove => ("removed", "group removed:"),
            Self::GroupAddMember => ("added to a group", "added to the group:"),
            Self::GroupRemoveMember => ("removed from a group", "removed from the group:"),
        };
        Words { past, done }
    }

    /// The past-tense verb of [`AuditAction::words`]: "suspended", "deleted".
    pub const fn past_tense(self) -> &'static str {
        self.words().past
    }

    /// What a status line says once the command succeeded, of [`AuditAction::words`].
    pub const fn done_phrase(self) -> &'static str {
        self.words().done
    }

    /// The success line of a customer edit that changes only the slug (the console asks for
    /// it as an action of its own), which says more than the edit's "saved".
    pub const SLUG_CHANGED: &'static str = "changed the slug:";
}

/// The two forms of an action's words; see [`AuditAction::words`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    pub past: &'static str,
    pub done: &'static str,
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_round_trips_through_its_text_and_no_two_share_one() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
        let mut texts: Vec<_> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        texts.sort_unstable();
        texts.dedup();
        assert_eq!(texts.len(), AuditAction::ALL.len());
        assert_eq!(AuditAction::parse("customer.frobnicate"), None);
    }
}
