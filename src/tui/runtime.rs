//! Carries out [`Effect`]s: opens and closes the database, signs in, runs commands and
//! queries through the service, loads the compact customer list on a worker thread, and runs
//! imports on another. Every
//! result comes back as [`Action`]s for `App::update`.
//!
//! The runtime owns the `Service` and the `Session`; the app never sees either. It draws
//! nothing and never writes to the terminal.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::thread::JoinHandle;

use super::action::{Action, Effect};
use super::import_worker::{self, ImportWorker};
use crate::domain::text::display_safe;
use crate::import::ImportOptions;
use crate::service::{Command, CustomerQuery, IndexEntry, Outcome, Service, ServiceError, Session};
use crate::store::OpenMode;

/// Rows the first page shows before the whole list is loaded.
pub const FIRST_PAGE: usize = 200;
/// Rows per message from the loader thread.
const CHUNK: usize = 5_000;

/// The background load of the compact customer list.
struct Loader {
    cancel: Arc<AtomicBool>,
    rx: Receiver<Action>,
    handle: Option<JoinHandle<()>>,
}

pub struct Runtime {
    db_path: PathBuf,
    service: Option<Arc<Service>>,
    session: Option<Session>,
    unix_user: Option<String>,
    force_sign_in: bool,
    loader: Option<Loader>,
    import: Option<ImportWorker>,
    /// Load the list in the calling thread (tests and benchmarks).
    pub inline_loads: bool,
}

impl Runtime {
    pub fn new(db_path: PathBuf, unix_user: Option<String>, force_sign_in: bool) -> Self {
        Self {
            db_path,
            service: None,
            session: None,
            unix_user,
            force_sign_in,
            loader: None,
            import: None,
            inline_loads: false,
        }
    }

    /// A runtime over a service that is already open and signed in (the demo, tests).
    pub fn with_service(db_path: PathBuf, service: Service, session: Session) -> Self {
        let mut rt = Self::new(db_path, None, true);
        rt.service = Some(Arc::new(service));
        rt.session = Some(session);
        rt
    }

    /// The Unix user whose linked staff account may resume after a lock.
    pub fn set_unix_user(&mut self, unix_user: Option<String>) {
        self.unix_user = unix_user;
    }

    pub fn is_open(&self) -> bool {
        self.service.is_some()
    }

    /// Carries out one effect.
    pub fn run(&mut self, effect: Effect) -> Vec<Action> {
        match self.try_run(effect) {
            Ok(actions) => actions,
            Err(err) => vec![Action::Failed(display_safe(&err.to_string()))],
        }
    }

    fn service(&self) -> Result<Arc<Service>, ServiceError> {
        self.service
            .clone()
            .ok_or_else(|| ServiceError::Refused("the database is closed; sign in again".into()))
    }

    fn session(&self) -> Result<Session, ServiceError> {
        self.session
            .clone()
            .ok_or_else(|| ServiceError::Refused("not signed in".into()))
    }

    fn open(&mut self) -> Result<Arc<Service>, ServiceError> {
        if let Some(service) = &self.service {
            return Ok(service.clone());
        }
        let service = Arc::new(Service::open(
            &self.db_path,
            OpenMode::CreateIfMissing,
            &crate::config::Config::load().0.store_options(),
        )?);
        self.service = Some(service.clone());
        Ok(service)
    }

    fn try_run(&mut self, effect: Effect) -> Result<Vec<Action>, ServiceError> {
        Ok(match effect {
            Effect::OpenDatabase => {
                let service = match self.open() {
                    Ok(s) => s,
                    Err(e) => return Ok(vec![Action::OpenFailed(e)]),
                };
                if !service.is_initialised()? {
                    return Ok(vec![Action::Opened {
                        initialised: false,
                        signed_in: None,
                    }]);
                }
                let mut actions = vec![self.purge_expired(&service)];
                let mut signed_in = None;
                if !self.force_sign_in {
                    if let Some(unix) = &self.unix_user {
                        match service.session_for_unix_user(unix) {
                            Ok(Some(session)) => {
                                signed_in = Some(session.actor().label());
                                self.session = Some(session);
                            }
                            Ok(None) => {}
                            // A linked member who cannot act: the sign-in form says why.
                            Err(e @ ServiceError::Refused(_)) => {
                                actions.push(Action::SignInFailed(e));
                            }
                            Err(e) => return Err(e),
                        }
                    }
                }
                actions.insert(
                    0,
                    Action::Opened {
                        initialised: true,
                        signed_in,
                    },
                );
                actions
            }
            Effect::CloseDatabase => {
                self.close();
                Vec::new()
            }
            Effect::Init(request) => {
                let service = self.open()?;
                match service.init(&request) {
                    Ok(session) => {
                        let email = session.actor().label();
                        self.session = Some(session);
                        vec![Action::SignedIn { email }]
                    }
                    Err(e) => vec![Action::SignInFailed(e)],
                }
            }
            Effect::SignIn { email, password } => {
                let service = match self.open() {
                    Ok(s) => s,
                    Err(e) => return Ok(vec![Action::SignInFailed(e)]),
                };
                match service.sign_in(&email, &password) {
                    Ok(session) => self.signed_in(&service, session),
                    Err(e) => vec![Action::SignInFailed(e)],
                }
            }
            Effect::SignInAsUnixUser => {
                let service = match self.open() {
                    Ok(s) => s,
                    Err(e) => return Ok(vec![Action::SignInFailed(e)]),
                };
                let unix = self.unix_user.clone().unwrap_or_default();
                match service.session_for_unix_user(&unix) {
                    Ok(Some(session)) => self.signed_in(&service, session),
                    Err(e) => vec![Action::SignInFailed(e)],
                    Ok(None) => vec![Action::SignInFailed(ServiceError::Refused(format!(
                        "Unix user {} is not linked to a staff member; sign in with email and password",
                        display_safe(&unix)
                    )))],
                }
            }
            Effect::LoadFirstPage => {
                let service = self.service()?;
                let query = CustomerQuery {
                    limit: Some(FIRST_PAGE),
                    ..CustomerQuery::default()
                };
                let rows = service
                    .list_customers(&self.session()?, &query)?
                    .collect::<Result<Vec<_>, _>>()?;
                vec![Action::FirstPage(rows)]
            }
            Effect::StartIndexLoad { offset } => self.start_loader(offset)?,
            Effect::LoadTrash => {
                let service = self.service()?;
                let query = CustomerQuery {
                    trash: true,
                    ..CustomerQuery::default()
                };
                let rows = service
                    .list_customers(&self.session()?, &query)?
                    .collect::<Result<Vec<_>, _>>()?;
                vec![Action::TrashLoaded(rows)]
            }
            Effect::LoadDetail(slug) => {
                let detail = self.service()?.show_customer(&self.session()?, &slug)?;
                vec![Action::DetailLoaded(Box::new(detail))]
            }
            Effect::CheckSlug(slug) => {
                // One index look-up per keystroke, not a whole customer with its members.
                let taken_by = match self.service()?.slug_holder(&slug)? {
                    Some((name, true)) => {
                        Some(format!("\"{}\" (in the trash)", display_safe(&name)))
                    }
                    Some((name, false)) => Some(format!("\"{}\"", display_safe(&name))),
                    None => None,
                };
                vec![Action::SlugChecked { slug, taken_by }]
            }
            Effect::Execute { command, done } => {
                let service = self.service()?;
                match service.execute(&self.session()?, command) {
                    Ok(outcome) => vec![Action::CommandDone {
                        outcome: Box::new(outcome),
                        done,
                    }],
                    Err(e) => vec![Action::CommandFailed(e)],
                }
            }
            Effect::PurgeExpired => {
                let service = self.service()?;
                vec![self.purge_expired(&service)]
            }
            Effect::CheckImport { path } => self.start_import(&path, true, true)?,
            Effect::RunImport { path, skip_invalid } => {
                self.start_import(&path, false, skip_invalid)?
            }
            Effect::StopImport => {
                if let Some(worker) = &self.import {
                    worker.stop();
                }
                Vec::new()
            }
            Effect::SaveReport {
                path,
                text,
                overwrite,
            } => vec![import_worker::save_report(&path, &text, overwrite)],
            Effect::Quit => {
                self.close();
                Vec::new()
            }
        })
    }

    fn signed_in(&mut self, _service: &Arc<Service>, session: Session) -> Vec<Action> {
        let email = session.actor().label();
        self.session = Some(session);
        vec![Action::SignedIn { email }]
    }

    /// Purges expired trash as the system actor; failures are reported, not fatal.
    fn purge_expired(&self, service: &Service) -> Action {
        match service.execute(&Session::system(), Command::PurgeExpired) {
            Ok(Outcome::Purged(slugs)) => Action::Purged(slugs),
            Ok(_) => Action::Purged(Vec::new()),
            Err(e) => Action::Failed(format!("purging expired trash: {e}")),
        }
    }

    fn start_loader(&mut self, offset: usize) -> Result<Vec<Action>, ServiceError> {
        self.stop_loader();
        let service = self.service()?;
        let session = self.session()?;
        if self.inline_loads {
            let query = CustomerQuery {
                offset,
                ..CustomerQuery::default()
            };
            let entries = service
                .list_customers(&session, &query)?
                .map(|r| r.map(|row| IndexEntry::from_row(&row)))
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(vec![Action::IndexChunk(entries), Action::IndexLoaded]);
        }
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = channel();
        let stop = cancel.clone();
        let handle = std::thread::Builder::new()
            .name("customer-list".into())
            .spawn(move || load(&service, &session, offset, &stop, &tx))
            .map_err(|e| ServiceError::Refused(format!("could not start the list loader: {e}")))?;
        self.loader = Some(Loader {
            cancel,
            rx,
            handle: Some(handle),
        });
        Ok(Vec::new())
    }

    /// Starts a dry run (`dry_run`) or an import of the file at `path` on the import worker.
    fn start_import(
        &mut self,
        path: &str,
        dry_run: bool,
        skip_invalid: bool,
    ) -> Result<Vec<Action>, ServiceError> {
        if let Some(worker) = self.import.take() {
            worker.join();
        }
        let options = ImportOptions {
            dry_run,
            skip_invalid,
            ..ImportOptions::default()
        };
        let worker = ImportWorker::start(self.service()?, self.session()?, path, options)
            .map_err(|e| ServiceError::Refused(format!("could not start the import: {e}")))?;
        self.import = Some(worker);
        Ok(Vec::new())
    }

    /// What the loader and the import worker have sent since the last call.
    pub fn poll(&mut self) -> Vec<Action> {
        let mut out = Vec::new();
        if let Some(worker) = &mut self.import {
            let (actions, finished) = worker.poll();
            out.extend(actions);
            if finished {
                if let Some(worker) = self.import.take() {
                    worker.join();
                }
            }
        }
        let Some(loader) = &mut self.loader else {
            return out;
        };
        loop {
            match loader.rx.try_recv() {
                Ok(action) => out.push(action),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.stop_loader();
                    break;
                }
            }
        }
        out
    }

    fn stop_loader(&mut self) {
        if let Some(mut loader) = self.loader.take() {
            loader.cancel.store(true, Ordering::SeqCst);
            if let Some(handle) = loader.handle.take() {
                let _ = handle.join();
            }
        }
    }

    /// Stops the loader, forgets the session and closes the database (releasing its lock).
    pub fn close(&mut self) {
        self.stop_loader();
        if let Some(worker) = self.import.take() {
            worker.join();
        }
        self.session = None;
        if let Some(service) = self.service.take() {
            if let Err(e) = service.store().flush() {
                tracing::warn!(error = %e, "flush on close failed");
            }
            drop(service);
        }
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        self.close();
    }
}

/// The loader thread: streams live customers from `offset` in chunks until done or cancelled.
fn load(
    service: &Service,
    session: &Session,
    offset: usize,
    cancel: &AtomicBool,
    tx: &std::sync::mpsc::Sender<Action>,
) {
    let query = CustomerQuery {
        offset,
        ..CustomerQuery::default()
    };
    let rows = match service.list_customers(session, &query) {
        Ok(rows) => rows,
        Err(e) => {
            let _ = tx.send(Action::Failed(format!("loading customers: {e}")));
            return;
        }
    };
    let mut chunk = Vec::with_capacity(CHUNK);
    for row in rows {
        if cancel.load(Ordering::Relaxed) {
            return;
        }
        match row {
            Ok(row) => chunk.push(IndexEntry::from_row(&row)),
            Err(e) => {
                let _ = tx.send(Action::Failed(format!("loading customers: {e}")));
                return;
            }
        }
        if chunk.len() == CHUNK
            && tx
                .send(Action::IndexChunk(std::mem::take(&mut chunk)))
                .is_err()
        {
            return;
        }
    }
    let _ = tx.send(Action::IndexChunk(chunk));
    let _ = tx.send(Action::IndexLoaded);
}
