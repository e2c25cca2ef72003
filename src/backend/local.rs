//! The in-process backend: an `Arc<Service>` and the session signed in through it. Clones of
//! the `Arc` are shared by the console's threads; the session sits behind a mutex so a sign-in
//! on one thread is seen by the others.
//!
//! It adds no rule of its own: every call goes to the service with the kept session, and the
//! service re-reads who acts. It must not hand the service or the session out.
//!
//! It is also the one place every front end's errors pass, so it is where damage is noticed:
//! each answer goes through [`Local::watch`], which records a damaged database durably (the
//! store then refuses every later write, here and in every later process) and gives a corrupt
//! value's error the database path and the restore hint.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use super::{Backend, not_signed_in};
use crate::domain::ImpersonationEnd;
use crate::domain::text::display_safe;
use crate::service::{
    Accepted, Answer, Command, ImportRow, InitRequest, MaintenanceCommand, Outcome, Query, Service,
    ServiceError, Session, SessionInfo,
};
use crate::store::backup::BackupSummary;
use crate::store::backup_sign::SigningKey;
use crate::store::{OpenMode, StoreError, StoreOptions};

pub struct Local {
    service: Arc<Service>,
    session: Mutex<Option<Session>>,
}

impl Local {
    /// A backend over `service` with nobody signed in yet.
    pub fn new(service: Arc<Service>) -> Self {
        Self {
            service,
            session: Mutex::new(None),
        }
    }

    /// A backend over `service` keeping a session the service made (the demo, tests).
    pub fn signed_in(service: Arc<Service>, session: Session) -> Self {
        Self {
            service,
            session: Mutex::new(Some(session)),
        }
    }

    /// Another backend over the same service, with nobody signed in: the one each connection
    /// to `tenantry serve` acts through, keeping that connection's session.
    pub fn connection(&self) -> Self {
        Self::new(self.service.clone())
    }

    /// Opens the database at `path` and serves it in process. A database the engine cannot
    /// even open because it is damaged is recorded as damaged.
    pub fn open(path: &Path, mode: OpenMode, options: &StoreOptions) -> Result<Self, ServiceError> {
        Self::open_with_mail(path, mode, options, crate::mail::MailSetup::beside(path))
    }

    /// [`Local::open`], with messages leaving as `mail` says (templates, delivery command).
    /// Messages a killed process left half-written are finished or removed first.
    pub fn open_with_mail(
        path: &Path,
        mode: OpenMode,
        options: &StoreOptions,
        mail: crate::mail::MailSetup,
    ) -> Result<Self, ServiceError> {
        match Service::open(path, mode, options) {
            Ok(service) => {
                let service = service.with_mail(mail);
                if let Err(e) = service.reconcile_outbox() {
                    tracing::warn!(error = %e, "the outbox could not be tidied");
                }
                Ok(Self::new(Arc::new(service)))
            }
            Err(ServiceError::Store(e)) if e.is_corruption() => {
                crate::store::record_damage_at(path, &e.to_string());
                Err(ServiceError::Store(e))
            }
            Err(e) => Err(e),
        }
    }

    /// Passes one answer of the service on. A damaged database (a corrupt value, damaged
    /// data, a contained engine panic: [`StoreError::is_corruption`]) is recorded as damaged,
    /// and a corrupt value's error, which cannot know the database, is reported as the
    /// damaged database at this path, with how to restore, in one line.
    fn watch<T>(&self, answer: Result<T, ServiceError>) -> Result<T, ServiceError> {
        answer.map_err(|e| match e {
            ServiceError::Store(e) => ServiceError::Store(self.noticed(e)),
            ServiceError::InBatch { index, source } => match *source {
                ServiceError::Store(e) => ServiceError::InBatch {
                    index,
                    source: Box::new(ServiceError::Store(self.noticed(e))),
                },
                other => ServiceError::InBatch {
                    index,
                    source: Box::new(other),
                },
            },
            other => other,
        })
    }

    fn noticed(&self, e: StoreError) -> StoreError {
        if !e.is_corruption() {
            return e;
        }
        let store = self.service.store();
        store.record_damage(&e.to_string());
        match e {
            StoreError::Corrupt { .. } => StoreError::Damaged {
                path: display_safe(&store.path().display().to_string()),
                detail: e.to_string(),
            },
            other => other,
        }
    }

    fn slot(&self) -> MutexGuard<'_, Option<Session>> {
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The kept session, cloned so no lock is held while the service works.
    fn current(&self) -> Result<Session, ServiceError> {
        self.slot().clone().ok_or_else(not_signed_in)
    }

    /// The service's refusal of `action` while the kept session impersonates.
    fn refuse_while_impersonating(&self, action: &'static str) -> Result<(), ServiceError> {
        match self.slot().clone() {
            Some(session) => self.service.refuse_while_impersonating(&session, action),
            None => Ok(()),
        }
    }

    fn keep(&self, session: Session) -> SessionInfo {
        let info = session.info();
        *self.slot() = Some(session);
        info
    }
}

impl Backend for Local {
    fn is_initialised(&self) -> Result<bool, ServiceError> {
        self.watch(self.service.is_initialised())
    }

    fn refuse_if_initialised(&self) -> Result<(), ServiceError> {
        self.watch(self.service.refuse_if_initialised())
    }

    fn init(&self, request: &InitRequest) -> Result<SessionInfo, ServiceError> {
        let session = self.watch(self.service.init(request))?;
        Ok(self.keep(session))
    }

    fn sign_in(&self, email: &str, password: &str) -> Result<SessionInfo, ServiceError> {
        // A failed attempt is a write (the count that locks an account out), which a database
        // recorded as damaged refuses: signing in there would let anyone guess passwords
        // uncounted. Peer authentication, which counts nothing, still works.
        if let Some(refusal) = self.damaged() {
            return Err(refusal);
        }
        let session = self.watch(self.service.sign_in(email, password))?;
        Ok(self.keep(session))
    }

    fn sign_in_member(
        &self,
        email: &str,
        password: &str,
        slug: &str,
    ) -> Result<SessionInfo, ServiceError> {
        if let Some(refusal) = self.damaged() {
            return Err(refusal);
        }
        let session = self.watch(self.service.sign_in_member(email, password, slug))?;
        Ok(self.keep(session))
    }

    fn accept_invitation(
        &self,
        token: &str,
        password: Option<&str>,
    ) -> Result<Accepted, ServiceError> {
        self.refuse_while_impersonating("accepting an invitation")?;
        self.watch(self.service.accept_invitation(token, password))
    }

    fn request_password_reset(&self, email: &str) -> Result<String, ServiceError> {
        self.refuse_while_impersonating("asking for a password reset")?;
        self.watch(self.service.request_password_reset(email))
            .map(str::to_owned)
    }

    fn reset_password(&self, token: &str, password: &str) -> Result<String, ServiceError> {
        self.refuse_while_impersonating("setting a password")?;
        self.watch(self.service.reset_password(token, password))
    }

    fn peer_authenticate(&self, unix_user: &str) -> Result<Option<SessionInfo>, ServiceError> {
        Ok(self
            .watch(self.service.session_for_unix_user(unix_user))?
            .map(|session| self.keep(session)))
    }

    fn session(&self) -> Result<Option<SessionInfo>, ServiceError> {
        let Some(session) = self.slot().clone() else {
            return Ok(None);
        };
        Ok(Some(self.watch(self.service.acting(&session))?.info()))
    }

    fn sign_out(&self) {
        let held = self.slot().take();
        if let Some(session) = held.filter(|s| s.impersonating().is_some()) {
            if let Err(e) = self
                .service
                .end_impersonation(&session, ImpersonationEnd::SignOut)
            {
                tracing::warn!(error = %e, "the end of an impersonation was not recorded");
            }
        }
    }

    fn start_impersonation(&self, slug: &str, reason: &str) -> Result<SessionInfo, ServiceError> {
        let session = self.watch(self.service.start_impersonation(
            &self.current()?,
            slug,
            reason,
        ))?;
        Ok(self.keep(session))
    }

    fn end_impersonation(&self, how: ImpersonationEnd) -> Result<SessionInfo, ServiceError> {
        let current = self.current()?;
        match self.watch(self.service.end_impersonation(&current, how)) {
            Ok(staff) => Ok(self.keep(staff)),
            Err(e) => {
                // Not impersonating: the session stays. Ended but unable to act: forget it.
                if current.impersonating().is_some() {
                    *self.slot() = None;
                }
                Err(e)
            }
        }
    }

    fn enter_customer(&self, slug: &str) -> Result<SessionInfo, ServiceError> {
        let session = self.watch(self.service.enter_customer(&self.current()?, slug))?;
        Ok(self.keep(session))
    }

    fn change_own_password(&self, current: &str, new: &str) -> Result<(), ServiceError> {
        self.watch(
            self.service
                .change_own_password(&self.current()?, current, new),
        )
    }

    fn execute(&self, command: Command) -> Result<Outcome, ServiceError> {
        self.watch(self.service.execute(&self.current()?, command))
    }

    fn execute_batch(&self, commands: Vec<Command>) -> Result<Vec<Outcome>, ServiceError> {
        self.watch(self.service.execute_batch(&self.current()?, commands))
    }

    fn purge_expired(&self) -> Result<Outcome, ServiceError> {
        self.watch(self.service.execute(
            &Session::system(),
            Command::Maintenance(MaintenanceCommand::PurgeExpired),
        ))
    }

    fn prune_log(&self) -> Result<Outcome, ServiceError> {
        self.watch(self.service.execute(
            &Session::system(),
            Command::Maintenance(MaintenanceCommand::PruneLog),
        ))
    }

    fn query(&self, query: Query) -> Result<Answer, ServiceError> {
        self.watch(self.service.query(&self.current()?, query))
    }

    fn undo_import(&self, id: u64) -> Result<ImportRow, ServiceError> {
        self.watch(self.service.undo_import(&self.current()?, id))
    }

    fn backup(
        &self,
        file: &Path,
        overwrite: bool,
        sign_with: Option<&SigningKey>,
    ) -> Result<BackupSummary, ServiceError> {
        self.watch(
            self.service
                .backup(&self.current()?, file, overwrite, sign_with),
        )
    }

    fn export_log(
        &self,
        export: &crate::service::LogExport,
    ) -> Result<crate::service::LogExportSummary, ServiceError> {
        self.watch(self.service.export_log(&self.current()?, export))
    }

    fn close(&self) -> Result<(), ServiceError> {
        self.sign_out();
        self.watch(self.service.flush())
    }

    fn damaged(&self) -> Option<ServiceError> {
        self.service
            .store()
            .damage_refusal()
            .map(ServiceError::Store)
    }
}
