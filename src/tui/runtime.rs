//! Carries out [`Effect`]s: opens and closes the database, signs in, runs commands and
//! queries through a [`Backend`], loads the compact customer list on a worker thread, and runs
//! imports on another. Every
//! result comes back as [`Action`]s for `App::update`.
//!
//! The runtime owns the backend (which keeps the session); the app never sees either. It
//! draws nothing and never writes to the terminal.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::thread::JoinHandle;

use super::action::{Action, Effect};
use super::import_worker::{self, ImportWorker};
use super::people_loader::People;
use crate::backend::{Backend, BackendExt, CustomerRows, Local};
use crate::domain::fields::FieldTarget;
use crate::domain::text::display_safe;
use crate::import::ImportOptions;
use crate::service::query::{ShowCustomer, SlugHolder, SlugTaken};
use crate::service::{
    CustomerQuery, FieldRow, IndexEntry, ListFields, Outcome, Service, ServiceError, Session,
};
use crate::store::OpenMode;

/// Rows the first page shows before the whole list is loaded.
pub const FIRST_PAGE: usize = 200;

/// A background list load: the compact customer list, or a people tab's list.
struct Loader {
    cancel: Arc<AtomicBool>,
    rx: Receiver<Action>,
    handle: Option<JoinHandle<()>>,
}

impl Loader {
    /// Moves what the thread sent into `out`; true once the thread is gone.
    fn drain(&self, out: &mut Vec<Action>) -> bool {
        loop {
            match self.rx.try_recv() {
                Ok(action) => out.push(action),
                Err(TryRecvError::Empty) => return false,
                Err(TryRecvError::Disconnected) => return true,
            }
        }
    }

    /// Cancels the thread and waits for it.
    fn stop(mut self) {
        self.cancel.store(true, Ordering::SeqCst);
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

pub struct Runtime {
    db_path: PathBuf,
    backend: Option<Arc<dyn Backend>>,
    unix_user: Option<String>,
    force_sign_in: bool,
    /// From the configuration file read at start-up, for every (re)open.
    store_options: crate::store::StoreOptions,
    /// How messages leave (templates, delivery command), for every (re)open.
    mail: Option<crate::mail::MailSetup>,
    loader: Option<Loader>,
    /// The background loads of the Users and Invitations lists (D90), one each.
    users_loader: Option<Loader>,
    invitations_loader: Option<Loader>,
    /// The Logs tab's free-text search (`log_search.rs`).
    search_loader: Option<Loader>,
    import: Option<ImportWorker>,
    /// The custom fields of customers shown as columns, as the last first page found them:
    /// the index entries keep their values.
    field_columns: Vec<String>,
    /// Load the list in the calling thread (tests and benchmarks).
    pub inline_loads: bool,
    /// The console's state file (`tui::state`); `None` remembers nothing (tests).
    pub state_file: Option<PathBuf>,
}

impl Runtime {
    pub fn new(db_path: PathBuf, unix_user: Option<String>, force_sign_in: bool) -> Self {
        Self {
            db_path,
            backend: None,
            unix_user,
            force_sign_in,
            store_options: crate::store::StoreOptions::default(),
            mail: None,
            loader: None,
            users_loader: None,
            invitations_loader: None,
            search_loader: None,
            import: None,
            inline_loads: false,
            field_columns: Vec::new(),
            state_file: None,
        }
    }

    /// A runtime over a service that is already open and signed in (the demo, tests).
    pub fn with_service(db_path: PathBuf, service: Service, session: Session) -> Self {
        Self::with_backend(
            db_path,
            Arc::new(Local::signed_in(Arc::new(service), session)),
        )
    }

    /// A runtime over a backend that is already open and signed in. After a lock the runtime
    /// opens `db_path` in process again.
    pub fn with_backend(db_path: PathBuf, backend: Arc<dyn Backend>) -> Self {
        let mut rt = Self::new(db_path, None, true);
        rt.backend = Some(backend);
        rt
    }

    /// The store options every open uses (the configuration file's).
    pub fn set_store_options(&mut self, options: crate::store::StoreOptions) {
        self.store_options = options;
    }

    /// How messages leave for every (re)open (the configuration file's).
    pub fn set_mail(&mut self, mail: crate::mail::MailSetup) {
        self.mail = Some(mail);
    }

    /// The Unix user whose linked staff account may resume after a lock.
    pub fn set_unix_user(&mut self, unix_user: Option<String>) {
        self.unix_user = unix_user;
    }

    pub fn is_open(&self) -> bool {
        self.backend.is_some()
    }

    /// Carries out one effect.
    pub fn run(&mut self, effect: Effect) -> Vec<Action> {
        match self.try_run(effect) {
            Ok(actions) => actions,
            // The app ends an impersonation that is over, whatever load found out.
            Err(err @ ServiceError::ImpersonationOver { .. }) => vec![Action::CommandFailed(err)],
            Err(err) => vec![Action::Failed(display_safe(&err.to_string()))],
        }
    }

    fn backend(&self) -> Result<Arc<dyn Backend>, ServiceError> {
        self.backend
            .clone()
            .ok_or_else(|| ServiceError::Refused("the database is closed; sign in again".into()))
    }

    fn open(&mut self) -> Result<Arc<dyn Backend>, ServiceError> {
        if let Some(backend) = &self.backend {
            return Ok(backend.clone());
        }
        let mail = self
            .mail
            .clone()
            .unwrap_or_else(|| crate::mail::MailSetup::beside(&self.db_path));
        let backend: Arc<dyn Backend> = Arc::new(Local::open_with_mail(
            &self.db_path,
            OpenMode::CreateIfMissing,
            &self.store_options,
            mail,
        )?);
        self.backend = Some(backend.clone());
        Ok(backend)
    }

    fn try_run(&mut self, effect: Effect) -> Result<Vec<Action>, ServiceError> {
        Ok(match effect {
            Effect::OpenDatabase => {
                let backend = match self.open() {
                    Ok(s) => s,
                    Err(e) => return Ok(vec![Action::OpenFailed(e)]),
                };
                if !backend.is_initialised()? {
                    return Ok(vec![Action::Opened {
                        initialised: false,
                        signed_in: None,
                    }]);
                }
                let mut actions = vec![purge_expired(backend.as_ref())];
                let mut signed_in = None;
                if !self.force_sign_in {
                    if let Some(unix) = &self.unix_user {
                        match backend.peer_authenticate(unix) {
                            Ok(Some(info)) => signed_in = Some(info.email),
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
            Effect::Init(request) => match self.open()?.init(&request) {
                Ok(info) => vec![Action::SignedIn { email: info.email }],
                Err(e) => vec![Action::SignInFailed(e)],
            },
            Effect::SignIn { email, password } => {
                let backend = match self.open() {
                    Ok(s) => s,
                    Err(e) => return Ok(vec![Action::SignInFailed(e)]),
                };
                match backend.sign_in(&email, &password) {
                    Ok(info) => super::customer_loads::signed_in(backend.as_ref(), info)?,
                    Err(e) => vec![Action::SignInFailed(e)],
                }
            }
            Effect::SignInAsUnixUser => {
                let backend = match self.open() {
                    Ok(s) => s,
                    Err(e) => return Ok(vec![Action::SignInFailed(e)]),
                };
                let unix = self.unix_user.clone().unwrap_or_default();
                match backend.peer_authenticate(&unix) {
                    Ok(Some(info)) => vec![Action::SignedIn { email: info.email }],
                    Err(e) => vec![Action::SignInFailed(e)],
                    Ok(None) => vec![Action::SignInFailed(ServiceError::Refused(format!(
                        "Unix user {} is not linked to a staff member; sign in with email and password",
                        display_safe(&unix)
                    )))],
                }
            }
            Effect::LoadFirstPage => {
                let query = CustomerQuery {
                    limit: Some(FIRST_PAGE),
                    ..CustomerQuery::default()
                };
                let backend = self.backend()?;
                let fields: Vec<FieldRow> = backend
                    .ask(ListFields)?
                    .into_iter()
                    .filter(|f| f.target == FieldTarget::Customers && !f.removed)
                    .collect();
                self.field_columns = crate::tui::tabs::customers::field_columns(&fields);
                let rows = backend.ask(query)?.rows;
                vec![Action::CustomerFields(fields), Action::FirstPage(rows)]
            }
            Effect::StartIndexLoad { offset } => self.start_loader(offset)?,
            Effect::LoadTrash => {
                let query = CustomerQuery {
                    trash: true,
                    ..CustomerQuery::default()
                };
                let backend = self.backend()?;
                let rows =
                    CustomerRows::new(backend.as_ref(), query).collect::<Result<Vec<_>, _>>()?;
                vec![Action::TrashLoaded(rows)]
            }
            Effect::LoadUsers => self.load_people(People::Users)?,
            Effect::LoadInvitations => self.load_people(People::Invitations)?,
            Effect::LoadUser(_) | Effect::RefreshUser(_) | Effect::LoadWelcome(_) => {
                super::people_loads::load(self.backend()?.as_ref(), effect)?
            }
            Effect::RequestReset { .. }
            | Effect::AcceptInvitation { .. }
            | Effect::ResetPassword { .. } => match self.open() {
                Ok(backend) => super::people_loads::entry(backend.as_ref(), effect),
                Err(e) => vec![Action::EntryFailed(e)],
            },
            Effect::StartImpersonation { .. }
            | Effect::EndImpersonation(_)
            | Effect::EnterCustomer(_)
            | Effect::LoadOverview(_)
            | Effect::LoadCustomerLog
            | Effect::LoadLog { .. }
            | Effect::ExportLog(_)
            | Effect::LoadMyAccount
            | Effect::LoadStats
            | Effect::ChangeOwnPassword { .. } => {
                super::customer_loads::run(self.backend()?.as_ref(), effect)?
            }
            Effect::SearchLog(query) => self.start_search(*query)?,
            Effect::StopSearch => {
                if let Some(search) = self.search_loader.take() {
                    search.stop();
                }
                Vec::new()
            }
            Effect::LoadDetail(slug) => {
                let detail = self.backend()?.ask(ShowCustomer { slug })?;
                vec![Action::DetailLoaded(detail)]
            }
            Effect::CheckSlug(slug) => {
                // One index look-up per keystroke, not a whole customer with its members.
                let holder = self.backend()?.ask(SlugHolder { slug: slug.clone() })?;
                let taken_by = match holder {
                    Some(SlugTaken {
                        name,
                        trashed: true,
                    }) => Some(format!("\"{}\" (in the trash)", display_safe(&name))),
                    Some(SlugTaken { name, .. }) => Some(format!("\"{}\"", display_safe(&name))),
                    None => None,
                };
                vec![Action::SlugChecked { slug, taken_by }]
            }
            Effect::Execute { command, done } => {
                let action = command.action();
                match self.backend()?.execute(command) {
                    Ok(outcome) => vec![Action::CommandDone {
                        outcome: Box::new(outcome),
                        action,
                        done,
                    }],
                    Err(e) => vec![Action::CommandFailed(e)],
                }
            }
            Effect::PurgeExpired => vec![purge_expired(self.backend()?.as_ref())],
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
            Effect::RememberColumns { table, hidden } => self.remember_columns(table, hidden),
            Effect::Quit => {
                self.close();
                Vec::new()
            }
        })
    }

    /// Writes a table's hidden columns into the state file, keeping the other tables'.
    fn remember_columns(&self, table: String, hidden: Vec<String>) -> Vec<Action> {
        let Some(path) = &self.state_file else {
            return Vec::new();
        };
        // Bad content was reported at start-up; what is remembered now replaces it.
        let (mut state, _) = crate::tui::state::ViewState::load(path);
        state.columns.insert(table, hidden);
        match state.save(path) {
            Ok(()) => Vec::new(),
            Err(e) => vec![Action::Failed(display_safe(&format!(
                "could not remember the columns in {}: {e}",
                path.display()
            )))],
        }
    }

    fn start_loader(&mut self, offset: usize) -> Result<Vec<Action>, ServiceError> {
        self.stop_loader();
        let backend = self.backend()?;
        if self.inline_loads {
            let query = CustomerQuery {
                offset,
                ..CustomerQuery::default()
            };
            let entries = CustomerRows::new(backend.as_ref(), query)
                .page_size(super::index_loader::CHUNK)
                .map(|r| r.map(|row| IndexEntry::from_row(&row, &self.field_columns)))
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(vec![Action::IndexChunk(entries), Action::IndexLoaded]);
        }
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = channel();
        let stop = cancel.clone();
        let columns = self.field_columns.clone();
        let handle = std::thread::Builder::new()
            .name("customer-list".into())
            .spawn(move || {
                super::index_loader::load(backend.as_ref(), offset, &columns, &stop, &tx)
            })
            .map_err(|e| ServiceError::Refused(format!("could not start the list loader: {e}")))?;
        self.loader = Some(Loader {
            cancel,
            rx,
            handle: Some(handle),
        });
        Ok(Vec::new())
    }

    /// The first page of a people tab now; the rest from the people loader, on its thread or
    /// (with `inline_loads`) here (D90). A load started again replaces the one running.
    fn load_people(&mut self, kind: People) -> Result<Vec<Action>, ServiceError> {
        let backend = self.backend()?;
        let inline = self.inline_loads;
        let slot = match kind {
            People::Users => &mut self.users_loader,
            People::Invitations => &mut self.invitations_loader,
        };
        if let Some(old) = slot.take() {
            old.stop();
        }
        let (first, next) = super::people_loads::first(backend.as_ref(), kind)?;
        let Some(next) = next else {
            return Ok(vec![first, super::people_loader::done(kind)]);
        };
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = channel();
        if inline {
            super::people_loader::load(backend.as_ref(), kind, Some(next), &cancel, &tx);
            let mut actions = vec![first];
            actions.extend(rx.try_iter());
            return Ok(actions);
        }
        let stop = cancel.clone();
        let handle = std::thread::Builder::new()
            .name("people-list".into())
            .spawn(move || {
                super::people_loader::load(backend.as_ref(), kind, Some(next), &stop, &tx)
            })
            .map_err(|e| ServiceError::Refused(format!("could not start the list loader: {e}")))?;
        *slot = Some(Loader {
            cancel,
            rx,
            handle: Some(handle),
        });
        Ok(vec![first])
    }

    /// Starts the Logs tab's search on its own thread (in the calling thread with
    /// `inline_loads`), stopping one already running.
    fn start_search(
        &mut self,
        query: crate::service::LogQuery,
    ) -> Result<Vec<Action>, ServiceError> {
        if let Some(old) = self.search_loader.take() {
            old.stop();
        }
        let backend = self.backend()?;
        let total = backend.ask(crate::service::LogHead)?.seq;
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = channel();
        if self.inline_loads {
            super::log_search::search(backend.as_ref(), query, total, &cancel, &tx);
            return Ok(rx.try_iter().collect());
        }
        let stop = cancel.clone();
        let handle = std::thread::Builder::new()
            .name("log-search".into())
            .spawn(move || super::log_search::search(backend.as_ref(), query, total, &stop, &tx))
            .map_err(|e| ServiceError::Refused(format!("could not start the search: {e}")))?;
        self.search_loader = Some(Loader {
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
        let worker = ImportWorker::start(self.backend()?, path, options)
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
        for slot in [
            &mut self.loader,
            &mut self.users_loader,
            &mut self.invitations_loader,
            &mut self.search_loader,
        ] {
            let finished = slot.as_ref().is_some_and(|loader| loader.drain(&mut out));
            if finished {
                if let Some(loader) = slot.take() {
                    loader.stop();
                }
            }
        }
        out
    }

    fn stop_loader(&mut self) {
        if let Some(loader) = self.loader.take() {
            loader.stop();
        }
    }

    /// Stops the loader, forgets the session and closes the database (releasing its lock).
    pub fn close(&mut self) {
        self.stop_loader();
        for slot in [
            &mut self.users_loader,
            &mut self.invitations_loader,
            &mut self.search_loader,
        ] {
            if let Some(loader) = slot.take() {
                loader.stop();
            }
        }
        if let Some(worker) = self.import.take() {
            worker.join();
        }
        if let Some(backend) = self.backend.take() {
            if let Err(e) = backend.close() {
                tracing::warn!(error = %e, "flush on close failed");
            }
            drop(backend);
        }
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        self.close();
    }
}

/// Purges expired trash as the system actor; failures are reported, not fatal.
fn purge_expired(backend: &dyn Backend) -> Action {
    match backend.purge_expired() {
        Ok(Outcome::Purged(slugs)) => Action::Purged(slugs),
        Ok(_) => Action::Purged(Vec::new()),
        Err(e) => Action::Failed(format!("purging expired trash: {e}")),
    }
}
