//! The session half of `App::update`: the clock's tick (retrying a held database, the idle
//! lock, purging expired trash), locking, and the results of opening the database and signing
//! in. Like `app.rs`, it performs no I/O: opening and closing leave as effects.

use super::action::{Action, Effect};
use super::app::{App, PURGE_EVERY_MS, RETRY_OPEN_MS, Screen, StatusKind};
use super::modals::{FormKind, Modal};
use super::tabs::Tab;
use crate::domain::Timestamp;
use crate::domain::text::display_safe;
use crate::service::ServiceError;
use crate::store::StoreError;

impl App {
    pub(super) fn tick(&mut self, now: Timestamp) -> Vec<Effect> {
        self.now = now;
        match &self.screen {
            Screen::InUse { .. } if now.0 - self.last_open_attempt.0 >= RETRY_OPEN_MS => {
                self.last_open_attempt = now;
                vec![Effect::OpenDatabase]
            }
            // An import in progress is not left behind a lock screen.
            Screen::Main
                if self.idle_lock_ms > 0
                    && now.0 - self.last_input.0 >= self.idle_lock_ms
                    && !self.import_running() =>
            {
                let minutes = self.idle_lock_ms / 60_000;
                self.lock(&format!(
                    "locked after {minutes} idle minute(s); the database is closed until you sign in"
                ))
            }
            Screen::Main if self.impersonating() => self.impersonation_tick(),
            Screen::Main
                if self.tab == Tab::Logs
                    && self.tabs.logs.follow
                    && now.0 - self.tabs.logs.last_follow.0
                        >= super::tabs::logs::FOLLOW_EVERY_MS =>
            {
                self.tabs.logs.follow_tick(now)
            }
            Screen::Main if now.0 - self.last_purge.0 >= PURGE_EVERY_MS => {
                self.last_purge = now;
                vec![Effect::PurgeExpired]
            }
            _ => Vec::new(),
        }
    }

    /// Back to the sign-in screen, forgetting every customer shown, and closing the database.
    /// A customer, user or invitation form being filled in is kept for whoever was signed in
    /// (D69).
    pub fn lock(&mut self, why: &str) -> Vec<Effect> {
        let form = self.modals.iter().rev().find_map(|m| match m {
            Modal::Form(f)
                if matches!(
                    f.kind,
                    FormKind::AddCustomer
                        | FormKind::EditCustomer { .. }
                        | FormKind::ChangeSlug { .. }
                        | FormKind::AddUser
                        | FormKind::EditUser { .. }
                        | FormKind::Invite
                ) && f.is_dirty() =>
            {
                Some(f.clone())
            }
            _ => None,
        });
        self.kept_form = self.signed_in.clone().zip(form);
        let why = if self.kept_form.is_some() {
            format!("{why}; the form you were filling in comes back when you sign in")
        } else {
            why.to_owned()
        };
        // An impersonation ends before the database closes, its end event naming the lock.
        let mut effects = Vec::new();
        let mut why = why;
        if let Some(view) = self.customer_view.take() {
            if view.impersonation.is_some() {
                effects.push(Effect::EndImpersonation(
                    crate::domain::ImpersonationEnd::IdleLock,
                ));
                // First, so a narrow status line still says it.
                why = format!(
                    "the impersonation of {} ended; {why}",
                    display_safe(&view.customer.name)
                );
            }
        }
        self.modals.clear();
        self.tabs.reset();
        self.signed_in = None;
        self.tab = Tab::Customers;
        self.screen = Screen::SignIn(Box::new(self.sign_in_form()));
        self.set_status(StatusKind::Info, why);
        effects.push(Effect::CloseDatabase);
        effects
    }

    pub(super) fn session_result(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Opened {
                initialised: false, ..
            } => {
                self.screen = Screen::Setup(Box::new(self.setup_form()));
                Vec::new()
            }
            Action::Opened {
                signed_in: Some(email),
                ..
            } => self.update(Action::SignedIn { email }),
            Action::Opened { .. } => {
                if !matches!(self.screen, Screen::SignIn(_)) {
                    self.screen = Screen::SignIn(Box::new(self.sign_in_form()));
                }
                Vec::new()
            }
            Action::OpenFailed(err) => {
                match (&mut self.screen, err) {
                    (
                        Screen::SignIn(form),
                        ServiceError::Store(StoreError::InUse {
                            pid, user, since, ..
                        }),
                    ) => {
                        form.general_error = Some(format!(
                            "the database is in use by pid {pid} (user {user}, since {since}); try again when it is free"
                        ));
                    }
                    (
                        _,
                        ServiceError::Store(StoreError::InUse {
                            pid, user, since, ..
                        }),
                    ) => {
                        self.screen = Screen::InUse { pid, user, since };
                    }
                    (_, other) => self.screen = Screen::Failed(other.to_string()),
                }
                Vec::new()
            }
            Action::SignedIn { email } => {
                self.customer_view = None;
                self.signed_in = Some(email.clone());
                self.screen = Screen::Main;
                self.tab = Tab::Customers;
                self.tabs.reset();
                self.last_input = self.now;
                self.last_purge = self.now;
                self.set_status(StatusKind::Ok, format!("signed in as {email}"));
                // The form the lock closed comes back to the one who was filling it in.
                match self.kept_form.take() {
                    Some((who, form)) if who == email => {
                        self.modals.push(Modal::Form(form));
                        self.set_status(
                            StatusKind::Info,
                            format!("signed in as {email}; here is the form you were filling in"),
                        );
                    }
                    _ => {}
                }
                // What the configuration file got wrong stays on screen until read (D69).
                if !self.opts.config.problems.is_empty() {
                    let text = self
                        .opts
                        .config
                        .problems
                        .iter()
                        .map(|p| format!("• {}", display_safe(p)))
                        .collect::<Vec<_>>()
                        .join("\n");
                    self.modals.push(Modal::Message {
                        title: "The configuration file has problems".into(),
                        text: format!(
                            "{text}\nThe defaults are used instead; the log file has these lines too."
                        ),
                    });
                }
                vec![Effect::LoadFirstPage]
            }
            Action::SignInFailed(err) => {
                let form = match &mut self.screen {
                    Screen::Setup(f) | Screen::SignIn(f) => f,
                    _ => return Vec::new(),
                };
                match err {
                    ServiceError::Invalid(_) | ServiceError::InvalidFields(_) => {
                        form.refuse_all(err.field_problems())
                    }
                    ServiceError::Store(StoreError::InUse {
                        pid, user, since, ..
                    }) => {
                        form.general_error = Some(format!(
                            "the database is in use by pid {pid} (user {user}, since {since}); try again when it is free"
                        ));
                    }
                    other => {
                        form.errors.clear();
                        form.general_error = Some(other.to_string());
                        if form.kind == FormKind::SignIn {
                            if let Some(pw) = form.fields.get_mut(1) {
                                pw.input.select_all();
                                pw.input.cut();
                            }
                        }
                    }
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }
}
