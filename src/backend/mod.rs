//! The one seam front ends reach the service through. The console, the CLI and the importer
//! hold a [`Backend`] and nothing else of the service: they sign in (or authenticate as
//! their Unix user) through it, and it keeps the session, as a connection to a server will;
//! they execute [`Command`]s and ask [`Query`] values, and get owned rows back.
//!
//! Two implementations: [`Local`], in process over an `Arc<Service>`, and [`Remote`], over a
//! Unix socket to `tenantry serve` (`crate::server`). Every argument and answer here is a
//! serde value or a path the server side opens, and no session ever crosses the seam — the
//! server keeps it per connection.
//!
//! **Live updates** will be a subscription opened here (`fn subscribe(&self, …)` returning a
//! receiver of change events for the listings a console shows). It does not exist yet; the
//! console refreshes from command outcomes and its own queries until it does.
//!
//! This module must not hold store handles, and front ends must not get at the `Service` or
//! the `Session` through it.

mod local;
mod pages;
mod remote;

pub use local::Local;
pub use pages::{CustomerRows, every_page};
pub use remote::Remote;

use std::path::Path;

use crate::domain::ImpersonationEnd;
use crate::service::{
    Accepted, Answer, Command, ImportRow, InitRequest, Outcome, Query, Request, ServiceError,
    SessionInfo,
};
use crate::store::backup::BackupSummary;
use crate::store::backup_sign::SigningKey;

/// What a front end may ask of tenantry. `Send + Sync` so the console's worker threads can
/// share one through an `Arc`. Every method that acts or reads does so for the session the
/// backend keeps, as re-read by the service on that call.
pub trait Backend: Send + Sync {
    /// True once `init` has created the provider company.
    fn is_initialised(&self) -> Result<bool, ServiceError>;

    /// Refuses, naming the provider company, when `init` has already run.
    fn refuse_if_initialised(&self) -> Result<(), ServiceError>;

    /// Creates the provider company and its first owner, and signs that owner in.
    fn init(&self, request: &InitRequest) -> Result<SessionInfo, ServiceError>;

    /// Signs a staff member in with email and password; the backend keeps the session.
    fn sign_in(&self, email: &str, password: &str) -> Result<SessionInfo, ServiceError>;

    /// Signs a customer's user in to the customer `slug`; the backend keeps the session.
    fn sign_in_member(
        &self,
        email: &str,
        password: &str,
        slug: &str,
    ) -> Result<SessionInfo, ServiceError>;

    /// Accepts the invitation whose code is `token`, setting `password` when the account has
    /// none yet (`PasswordNeeded` without it). Needs no session.
    fn accept_invitation(
        &self,
        token: &str,
        password: Option<&str>,
    ) -> Result<Accepted, ServiceError>;

    /// Asks for a password-reset message to `email`; the answer is the same whether or not
    /// the email has an account. Needs no session.
    fn request_password_reset(&self, email: &str) -> Result<String, ServiceError>;

    /// Sets `password` with the reset code `token`; answers the account's email. Needs no
    /// session.
    fn reset_password(&self, token: &str, password: &str) -> Result<String, ServiceError>;

    /// Signs in the staff member linked to `unix_user` (peer authentication); `Ok(None)` when
    /// no one is linked. In process the caller names the account it runs as; a server will
    /// take it from the socket's peer credentials instead.
    fn peer_authenticate(&self, unix_user: &str) -> Result<Option<SessionInfo>, ServiceError>;

    /// Who acts now, re-read from the store: `None` when not signed in, an error when the
    /// session can no longer act (disabled, no longer staff).
    fn session(&self) -> Result<Option<SessionInfo>, ServiceError>;

    /// Forgets the session; an impersonation it held ends first (as signed out).
    fn sign_out(&self);

    /// Starts impersonating the customer `slug` for `reason` (staff with *impersonate*); the
    /// backend then acts as that customer's administrators would until the impersonation
    /// ends.
    fn start_impersonation(&self, slug: &str, reason: &str) -> Result<SessionInfo, ServiceError>;

    /// Ends the impersonation the backend holds, saying `how`, and returns to the staff
    /// session it came from.
    fn end_impersonation(&self, how: ImpersonationEnd) -> Result<SessionInfo, ServiceError>;

    /// Enters, or switches to, the customer `slug` (a customer's user of several customers).
    fn enter_customer(&self, slug: &str) -> Result<SessionInfo, ServiceError>;

    /// Changes the signed-in user's own password.
    fn change_own_password(&self, current: &str, new: &str) -> Result<(), ServiceError>;

    /// Executes one command as one transaction.
    fn execute(&self, command: Command) -> Result<Outcome, ServiceError>;

    /// Executes several commands as one transaction (all or nothing).
    fn execute_batch(&self, commands: Vec<Command>) -> Result<Vec<Outcome>, ServiceError>;

    /// Purges expired trash as the built-in system actor, which can do nothing else.
    fn purge_expired(&self) -> Result<Outcome, ServiceError>;

    /// Prunes the audit log to `audit.retention_days` as the system actor (a no-op while the
    /// setting is off).
    fn prune_log(&self) -> Result<Outcome, ServiceError>;

    /// Answers one read.
    fn query(&self, query: Query) -> Result<Answer, ServiceError>;

    /// Moves the customers import `id` created to the trash.
    fn undo_import(&self, id: u64) -> Result<ImportRow, ServiceError>;

    /// Writes a backup of the whole database to `file` (on the machine holding the database).
    fn backup(
        &self,
        file: &Path,
        overwrite: bool,
        sign_with: Option<&SigningKey>,
    ) -> Result<BackupSummary, ServiceError>;

    /// Exports the log (or what a filter lets through) to a file on the machine holding the
    /// database, recorded as a `log.export` event.
    fn export_log(
        &self,
        export: &crate::service::LogExport,
    ) -> Result<crate::service::LogExportSummary, ServiceError>;

    /// Forgets the session and flushes: the front end is done with this backend.
    fn close(&self) -> Result<(), ServiceError>;

    /// The refusal every write gets while the database is recorded as damaged (its
    /// `damaged` file), or `None` when it is not. Asks nothing of the database.
    fn damaged(&self) -> Option<ServiceError> {
        None
    }
}

/// Typed reads over any backend: `backend.ask(ShowCustomer { slug })` gives a
/// `CustomerDetail`, not an [`Answer`] to match.
pub trait BackendExt {
    fn ask<R: Request>(&self, request: R) -> Result<R::Output, ServiceError>;
}

impl<B: Backend + ?Sized> BackendExt for B {
    fn ask<R: Request>(&self, request: R) -> Result<R::Output, ServiceError> {
        R::from_answer(self.query(request.into_query())?)
            .ok_or_else(|| ServiceError::Refused("the backend answered another query".into()))
    }
}

/// Refuses unless the backend's session, as it stands now, holds `privilege`: the check a
/// front end makes before work that only ends in a command (an import's checking pass), so
/// it fails first instead of last. The service checks again on the command itself.
pub fn require(
    backend: &(impl Backend + ?Sized),
    privilege: crate::domain::Privilege,
    action: &'static str,
) -> Result<(), ServiceError> {
    let info = backend.session()?.ok_or_else(not_signed_in)?;
    if info.staff_role.is_some_and(|r| r.has(privilege)) {
        Ok(())
    } else {
        Err(ServiceError::PermissionDenied {
            action,
            privilege: privilege.label(),
        })
    }
}

/// The refusal for acting or reading before anyone signed in.
pub(crate) fn not_signed_in() -> ServiceError {
    ServiceError::Refused("not signed in".into())
}
