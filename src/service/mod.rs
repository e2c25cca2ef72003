//! The single gate to data. Every change arrives as a [`Command`] executed for a [`Session`]:
//! the service validates it, checks the session's permissions, applies it with its audit
//! event in one store transaction, and flushes before reporting it done (R1). Reads are
//! queries returning plain rows.
//!
//! The service knows neither sled nor any terminal crate. Front ends never write to the store.

mod auth;
mod clock;
mod command;
mod customer_index;
mod customers;
mod error;
mod imports;
mod init;
mod lookalike;
mod prepare;
mod prepare_staff;
mod queries;
pub mod query;
pub mod rows;
mod session;
mod staff;

pub use auth::{MAX_FAILED_SIGN_INS, hash_password};
pub use clock::{Clock, FixedClock, SystemClock};
pub use command::{
    Command, CustomerChanges, NewCustomer, NewStaff, Outcome, OwnerSpec, StaffChanges,
};
pub use customer_index::{CustomerIndex, IndexEntry, SortKey};
pub use error::ServiceError;
pub use imports::{ImportRow, ImportStart};
pub use init::InitRequest;
pub use queries::{CustomerQuery, LogQuery};
pub use query::{Answer, Cursor, Page, Query, Request};
pub use rows::{AuditRow, CustomerDetail, CustomerRow, MemberRow, StaffRow};
pub use session::{Principal, Session, SessionInfo, SessionKind};

use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::domain::{AuditEvent, CustomerRef, Timestamp};
use crate::store::{OpenMode, Store, StoreOptions, Tx, TxError, abort};
use prepare::Prepared;

/// The error type inside a transaction body.
type TxResult<T> = Result<T, TxError<ServiceError>>;

/// Aborts the current transaction with a service error.
fn fail<T>(err: ServiceError) -> TxResult<T> {
    Err(abort(err))
}

/// The service over one open store.
pub struct Service {
    store: Store,
    clock: Arc<dyn Clock>,
    /// Serialises writers in this process, so the reads a command makes before its
    /// transaction (which sled transactions cannot scan) are still true inside it. Other
    /// processes are kept out by the store's lock.
    write_lock: Mutex<()>,
    /// Whether a Unix account exists on this machine: [`crate::system::unix_account_exists`]
    /// unless a test gives its own ([`Service::with_unix_accounts`]).
    unix_accounts: Arc<dyn Fn(&str) -> bool + Send + Sync>,
}

/// What one command's transaction knows about who acts and when.
pub(crate) struct Ctx<'a> {
    pub session: &'a Session,
    pub now: Timestamp,
}

impl Service {
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            clock,
            write_lock: Mutex::new(()),
            unix_accounts: Arc::new(crate::system::unix_account_exists),
        }
    }

    /// The same service with another answer to "does this Unix account exist?" — for tests,
    /// whose staff link accounts this machine does not have.
    pub fn with_unix_accounts(
        mut self,
        exists: impl Fn(&str) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.unix_accounts = Arc::new(exists);
        self
    }

    /// Whether the Unix account `name` exists, by the look-up this service was given.
    pub(crate) fn unix_account_exists(&self, name: &str) -> bool {
        (self.unix_accounts)(name)
    }

    /// Opens the database at `path` with the system clock.
    pub fn open(path: &Path, mode: OpenMode, options: &StoreOptions) -> Result<Self, ServiceError> {
        Self::open_with_clock(path, mode, options, Arc::new(SystemClock))
    }

    /// Opens the database at `path` with the given clock (the demo's shifted one, tests).
    pub fn open_with_clock(
        path: &Path,
        mode: OpenMode,
        options: &StoreOptions,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, ServiceError> {
        let store = Store::open(path, mode, options)?;
        Ok(Self::new(store, clock))
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Writes everything to disk (the console calls this before closing the database).
    pub fn flush(&self) -> Result<(), ServiceError> {
        Ok(self.store.flush()?)
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// True once `init` has created the provider company.
    pub fn is_initialised(&self) -> Result<bool, ServiceError> {
        Ok(self.store.provider_id()?.is_some())
    }

    fn require_initialised(&self) -> Result<(), ServiceError> {
        if self.is_initialised()? {
            Ok(())
        } else {
            Err(crate::store::StoreError::NotInitialised {
                path: self.store.path().display().to_string(),
            }
            .into())
        }
    }

    /// Executes one command as one transaction and flushes it before returning.
    pub fn execute(&self, session: &Session, command: Command) -> Result<Outcome, ServiceError> {
        if matches!(command, Command::PurgeExpired) {
            return self.purge_expired(session);
        }
        let mut outcomes = self
            .execute_batch(session, vec![command])
            .map_err(|e| match e {
                ServiceError::InBatch { source, .. } => *source,
                other => other,
            })?;
        outcomes
            .pop()
            .ok_or_else(|| ServiceError::Refused("nothing was executed".into()))
    }

    /// Executes several commands as one transaction (all or nothing) with one flush: the bulk
    /// path. An error names the index of the command that failed.
    pub fn execute_batch(
        &self,
        session: &Session,
        commands: Vec<Command>,
    ) -> Result<Vec<Outcome>, ServiceError> {
        self.require_initialised()?;
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        // Re-read who acts under the write lock, so a member disabled or demoted by the
        // command before this one is already refused or acting with the new role.
        let session = &self.acting(session)?;
        let now = self.clock.now();
        let in_batch = |index: usize, e: ServiceError| ServiceError::InBatch {
            index,
            source: Box::new(e),
        };
        let mut prepared = Vec::with_capacity(commands.len());
        for (index, command) in commands.into_iter().enumerate() {
            let action = command.action();
            if matches!(command, Command::PurgeExpired) {
                return Err(in_batch(
                    index,
                    ServiceError::Refused("purge-expired cannot be batched".into()),
                ));
            }
            self.check_permission(session, &command)
                .map_err(|e| in_batch(index, e))?;
            let p = self
                .prepare(session, command)
                .map_err(|e| in_batch(index, e))?;
            prepared.push((action, p));
        }
        let ctx = Ctx { session, now };
        let outcomes = self.store.transact(|tx| {
            let mut outcomes = Vec::with_capacity(prepared.len());
            for (index, (action, p)) in prepared.iter().enumerate() {
                match self.apply(tx, &ctx, action, p) {
                    Ok(outcome) => outcomes.push(outcome),
                    Err(e) => return Err(wrap_batch_error(e, index)),
                }
            }
            Ok(outcomes)
        })?;
        self.store.flush()?;
        Ok(outcomes)
    }

    fn apply(
        &self,
        tx: &Tx<'_, ServiceError>,
        ctx: &Ctx<'_>,
        action: &'static str,
        p: &Prepared,
    ) -> TxResult<Outcome> {
        match p {
            Prepared::AddCustomer(c) => customers::add(tx, ctx, action, c),
            Prepared::EditCustomer(e) => customers::edit(tx, ctx, action, e),
            Prepared::SetStatus { slug, status } => {
                customers::set_status(tx, ctx, action, slug, *status)
            }
            Prepared::SoftDelete { slug } => customers::soft_delete(tx, ctx, action, slug),
            Prepared::Restore { slug } => customers::restore(tx, ctx, action, slug),
            Prepared::Purge(plan) => customers::purge(tx, ctx, action, plan),
            Prepared::SetRetention(days) => staff::set_retention(tx, ctx, action, *days),
            Prepared::SetCompanyName(name) => staff::set_company_name(tx, ctx, action, name),
            Prepared::AddStaff(s) => staff::add(tx, ctx, action, s),
            Prepared::EditStaff(s) => staff::edit(tx, ctx, action, s),
            Prepared::DisableStaff {
                email_key,
                other_owners,
            } => staff::disable(tx, ctx, action, email_key, other_owners),
            Prepared::EnableStaff { email_key } => staff::enable(tx, ctx, action, email_key),
            Prepared::StartImport { start, resume } => imports::start(tx, ctx, start, *resume),
            Prepared::ImportCustomers {
                import_id,
                customers,
            } => imports::add_batch(tx, ctx, *import_id, customers),
            Prepared::FinishImport {
                import_id,
                already,
                skipped,
            } => imports::finish(tx, ctx, *import_id, *already, *skipped),
        }
    }

    /// Purges every trashed customer whose retention has run out, one transaction each, as
    /// the session given (the system actor from cron or console start-up).
    fn purge_expired(&self, session: &Session) -> Result<Outcome, ServiceError> {
        self.require_initialised()?;
        let session = &self.acting(session)?;
        if !session.is_system() {
            session.require(crate::domain::Privilege::Purge, "trash.purge_expired")?;
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
                .transact(|tx| customers::purge(tx, &ctx, "trash.purge_expired", &plan))?;
            self.store.flush()?;
            tracing::info!(slug = %crate::domain::text::display_safe(&slug), "purged expired customer");
            purged.push(slug);
        }
        self.purge_expired_sign_in_failures(now)?;
        Ok(Outcome::Purged(purged))
    }
}

/// Names the failing command's index in a batch of more than one.
fn wrap_batch_error(err: TxError<ServiceError>, index: usize) -> TxError<ServiceError> {
    err.map_abort(|e| ServiceError::InBatch {
        index,
        source: Box::new(e),
    })
}

/// Writes one audit event for the command being applied. The summary is made visible-safe
/// here, the one place every event passes, so a value that reached it from a file name or
/// from data stored under older rules cannot carry a hidden character into the log (R10).
pub(crate) fn record(
    tx: &Tx<'_, ServiceError>,
    ctx: &Ctx<'_>,
    customer: Option<CustomerRef>,
    action: &str,
    summary: String,
) -> TxResult<AuditEvent> {
    let impersonating = match ctx.session.impersonating() {
        Some(id) => tx.customer(id)?.map(|c| CustomerRef {
            id: c.id,
            slug: c.slug.to_string(),
            name: c.name.clone(),
        }),
        None => None,
    };
    tx.append_audit(AuditEvent {
        seq: 0,
        at: ctx.now,
        actor: ctx.session.actor(),
        impersonating,
        customer,
        action: action.to_owned(),
        summary: crate::domain::text::display_safe(&summary),
        prev_hash: [0; 32],
        hash: [0; 32],
    })
}
