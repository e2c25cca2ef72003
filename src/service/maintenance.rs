//! The maintenance area: work that runs on its own rather than as one transaction, today the
//! purge of expired trash (one transaction and flush per customer, so a long purge never holds
//! everything up and an interruption keeps what was done). It may run as the built-in system
//! actor, the one command that actor is allowed.

use serde::{Deserialize, Serialize};

use super::{Ctx, Outcome, Service, ServiceError, Session, customers};
use crate::domain::{AuditAction, Privilege};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum MaintenanceCommand {
    /// Purges every trashed customer whose retention has run out.
    PurgeExpired,
    /// Removes the audit events older than `audit.retention_days` behind a checkpoint.
    PruneLog,
}

impl MaintenanceCommand {
    /// The audit action it writes and the privilege a signed-in session needs for it.
    pub fn spec(&self) -> (AuditAction, Privilege) {
        match self {
            Self::PurgeExpired => (AuditAction::TrashPurgeExpired, Privilege::Purge),
            Self::PruneLog => (AuditAction::LogPrune, Privilege::ManageSettings),
        }
    }
}

impl Service {
    pub(crate) fn run_maintenance(
        &self,
        session: &Session,
        command: MaintenanceCommand,
    ) -> Result<Outcome, ServiceError> {
        match command {
            MaintenanceCommand::PurgeExpired => self.purge_expired(session),
            MaintenanceCommand::PruneLog => self.prune_log(session),
        }
    }

    /// Purges every trashed customer whose retention has run out, one transaction each, as
    /// the session given (the system actor from cron or console start-up).
    fn purge_expired(&self, session: &Session) -> Result<Outcome, ServiceError> {
        self.require_initialised()?;
        let session = &self.acting(session)?;
        let (action, privilege) = MaintenanceCommand::PurgeExpired.spec();
        if !session.is_system() {
            session.require(privilege, action.as_str())?;
        }
        let now = self.clock.now();
        let retention = self.store.settings()?.trash_retention_days;
        let mut expired = Vec::new();
        for entry in self.store.trash_entries() {
            let (at, id) = entry?;
            if at.plus_days(retention) > now {
                break;
            }
            if let Some(customer) = self.store.customer(id)? {
                expired.push(customer.slug.to_string());
            }
        }
        let mut purged = Vec::new();
        for slug in expired {
            let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
            let plan = self.plan_purge(&slug)?;
            let ctx = Ctx { session, now };
            self.store
                .transact(|tx| customers::purge(tx, &ctx, action, &plan))?;
            self.store.flush()?;
            tracing::info!(slug = %crate::domain::text::display_safe(&slug), "purged expired customer");
            purged.push(slug);
        }
        self.purge_expired_sign_in_failures(now)?;
        self.purge_expired_reset_tokens(now)?;
        Ok(Outcome::Purged(purged))
    }
}
