//! The single gate to data. Every change arrives as a [`Command`] executed for a [`Session`]:
//! the service validates it, checks the session's permissions, applies it with its audit
//! event in one store transaction, and flushes before reporting it done (R1). Reads are
//! queries returning plain rows.
//!
//! The service knows neither sled nor any terminal crate. Front ends never write to the store.

mod accounts;
mod allowed;
mod auth;
mod clock;
mod command;
mod customer_index;
mod customers;
mod error;
pub(crate) mod field_values;
mod fields;
mod groups;
mod impersonation;
mod impersonation_list;
mod impersonation_notice;
mod imports;
mod independence;
mod init;
mod invitation_queries;
pub mod invitation_rows;
mod invitations;
mod log_export;
pub mod log_filter;
pub mod log_prune;
mod log_queries;
mod log_sources;
mod lookalike;
mod maintenance;
mod member_sign_in;
mod messages;
mod outbox_queries;
mod own_password;
mod plans;
mod queries;
pub mod query;
pub mod rows;
pub(crate) mod scope;
mod services;
mod session;
mod settings;
mod staff;
pub mod stats;
mod systems;
mod tokens;
mod user_queries;
pub mod user_rows;
mod users;

pub use accounts::{AccountCommand, AccountView, PlanView};
pub use allowed::{AllowedActions, CustomerAction, Denial, Subject};
pub use auth::{MAX_FAILED_SIGN_INS, hash_password};
pub use clock::{Clock, FixedClock, SystemClock};
pub use command::{Command, Outcome};
pub use customer_index::{CustomerIndex, IndexEntry, SortKey};
pub use customers::{CopyCustomer, CustomerChanges, CustomerCommand, NewCustomer, OwnerSpec};
pub use error::{CustomerRefusal, Holder, ImpersonationRefusal, ServiceError, UniqueField};
pub use field_values::FieldShown;
pub use fields::{FieldChanges, FieldCommand, FieldRow, ListFields, NewField};
pub use groups::{GroupCommand, GroupRow};
pub use impersonation_list::{ImpersonationList, ImpersonationRow};
pub use imports::{ImportCommand, ImportRow, ImportStart};
pub use independence::IndependenceCommand;
pub use init::InitRequest;
pub use invitation_queries::InvitationQuery;
pub use invitation_rows::InvitationRow;
pub use invitations::{InvitationCommand, NewInvitation};
pub use log_export::{LogExport, LogExportSummary};
pub use log_queries::{ChainHead, LogHashes, LogHead};
pub use maintenance::MaintenanceCommand;
pub use member_sign_in::{CustomerChoice, MyCustomers};
pub use messages::{OsTokens, TokenSource};
pub use outbox_queries::{ListOutbox, OutboxRow, ShowOutboxMessage, WelcomePreview};
pub use plans::{ListPlans, PlanCommand, PlanRow};
pub use queries::{CustomerQuery, LogQuery};
pub use query::{Answer, Cursor, Page, Query, Request};
pub use rows::{AuditRow, CustomerDetail, CustomerRow, MemberRow, StaffRow};
pub use services::{ListServices, ServiceCommand, ServiceRow};
pub use session::{Principal, Session, SessionInfo, SessionKind};
pub use settings::SettingsCommand;
pub use staff::{NewStaff, StaffChanges, StaffCommand};
pub use stats::{Stats, StatsReport};
pub use systems::{ListSystems, SystemCommand, SystemRow};
pub use tokens::{Accepted, RESET_REQUESTED};
pub use user_queries::{MyAccount, ShowUser, UserQuery};
pub use user_rows::{UserCustomer, UserDetail, UserRow};
pub use users::{NewUser, UserChanges, UserCommand};

use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::domain::{AuditAction, AuditEvent, CustomerRef, Timestamp};
use crate::store::{OpenMode, Store, StoreOptions, Tx, TxError, abort};
use command::Prepared;

/// The error type inside a transaction body.
type TxResult<T> = Result<T, TxError<ServiceError>>;

/// Aborts the current transaction with a service error.
fn fail<T>(err: ServiceError) -> TxResult<T> {
    Err(abort(err))
}

/// The abort of a transaction for an input found invalid inside it (a name the stored list
/// does not hold, say): `.map_err(invalid)?`.
fn invalid(err: crate::domain::ValidationError) -> TxError<ServiceError> {
    abort(err.into())
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
    /// Where token bytes come from (R9): the OS unless a test gives its own.
    tokens: Arc<dyn messages::TokenSource>,
    /// How messages leave: templates, default outbox, delivery command.
    mail: crate::mail::MailSetup,
}

/// What one command's transaction knows about who acts and when.
pub(crate) struct Ctx<'a> {
    pub session: &'a Session,
    pub now: Timestamp,
}

impl Service {
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        let path = store.path().to_path_buf();
        Self {
            store,
            clock,
            write_lock: Mutex::new(()),
            unix_accounts: Arc::new(crate::system::unix_account_exists),
            tokens: Arc::new(messages::OsTokens),
            mail: crate::mail::MailSetup::beside(&path),
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
        let store = Store::open_at(path, mode, options, clock.now())?;
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

    /// Executes one command as one transaction and flushes it before returning. Takes a
    /// [`Command`] or any area's command (`CustomerCommand::Suspend { .. }`).
    pub fn execute(
        &self,
        session: &Session,
        command: impl Into<Command>,
    ) -> Result<Outcome, ServiceError> {
        let command = command.into();
        if let Command::Maintenance(m) = command {
            return self.run_maintenance(session, m);
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
        let mut prepared: Vec<(AuditAction, Prepared)> = Vec::with_capacity(commands.len());
        for (index, command) in commands.into_iter().enumerate() {
            if command.runs_alone() {
                return Err(in_batch(
                    index,
                    ServiceError::Refused("purge-expired cannot be batched".into()),
                ));
            }
            let action = command.action();
            self.authorize(session, &command)
                .map_err(|e| in_batch(index, e))?;
            let p = command
                .prepare(self, session)
                .map_err(|e| in_batch(index, e))?;
            prepared.push((action, p));
        }
        let ctx = Ctx { session, now };
        let outcomes = self.store.transact(|tx| {
            let mut outcomes = Vec::with_capacity(prepared.len());
            for (index, (action, p)) in prepared.iter().enumerate() {
                match p.apply(tx, &ctx, *action) {
                    Ok(outcome) => outcomes.push(outcome),
                    Err(e) => return Err(wrap_batch_error(e, index)),
                }
            }
            Ok(outcomes)
        });
        // On an error, returning drops what was prepared, which removes any staged message.
        let mut outcomes = outcomes?;
        self.store.flush()?;
        for ((_, p), outcome) in prepared.into_iter().zip(outcomes.iter_mut()) {
            let note = p.after_commit(self);
            if let (
                Some(note),
                Outcome::Invitation { message, .. } | Outcome::Message { message, .. },
            ) = (note, &mut *outcome)
            {
                *message = note;
            }
        }
        Ok(outcomes)
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
    action: AuditAction,
    summary: String,
) -> TxResult<AuditEvent> {
    let reference = |c: crate::domain::Customer| CustomerRef {
        id: c.id,
        slug: c.slug.to_string(),
        name: c.name.clone(),
    };
    let impersonating = match ctx.session.impersonating() {
        Some(id) => tx.customer(id)?.map(reference),
        None => None,
    };
    // What a customer's user does is in their customer's log, even a change to an account
    // that names no customer itself.
    let customer = match (customer, ctx.session.customer_scope()) {
        (None, Some((own, _))) => tx.customer(own)?.map(reference),
        (customer, _) => customer,
    };
    tx.append_audit(AuditEvent {
        seq: 0,
        at: ctx.now,
        actor: ctx.session.actor(),
        impersonating,
        customer,
        action: action.as_str().to_owned(),
        summary: crate::domain::text::display_safe(&summary),
        prev_hash: [0; 32],
        hash: [0; 32],
    })
}
