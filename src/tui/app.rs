//! The console's whole state and its one entry point, [`App::update`]: an action in, UI state
//! changed, effects out. Keys reach it through the keymap of the current context (the top
//! modal, else the screen or active tab). The app routes: an action goes to the top modal,
//! the entry screen or the active tab ([`super::tabs`], which own their state, keys and
//! drawing); results of effects go to the tab that asked for them.
//!
//! Nothing here performs I/O, reads the clock or talks to the service: time arrives in
//! actions and every service call leaves as an [`Effect`].

use crossterm::event::{KeyEvent, MouseEvent, MouseEventKind};

use super::action::{Action, Effect};
use super::config::Config;
use super::keymap::{Context, Keymap};
use super::layout;
use super::message_log::Before;
pub use super::message_log::{LoggedMessage, MESSAGE_LOG_MAX};
use super::modals::{ConfirmState, FormState, Modal};
use super::table::View;
use super::tabs::{Tab, TabCtx, Tabs};
use crate::domain::Timestamp;
use crate::service::ServiceError;

/// How long the console waits before trying a held database again.
pub(super) const RETRY_OPEN_MS: i64 = 5_000;
/// Expired trash is purged this often while the console runs.
pub const PURGE_EVERY_MS: i64 = 60 * 60 * 1000;

/// What fills the screen.
#[derive(Debug, Clone)]
pub enum Screen {
    /// Before the database is open.
    Opening,
    /// Another process holds the database.
    InUse {
        pid: String,
        user: String,
        since: String,
    },
    /// The database could not be opened for another reason.
    Failed(String),
    Setup(Box<FormState>),
    SignIn(Box<FormState>),
    /// Signed in: the tabs.
    Main,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Ok,
    Error,
    Info,
}

/// The status line: the latest result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub kind: StatusKind,
    pub text: String,
}

/// Fixed facts the app is started with.
#[derive(Debug, Clone)]
pub struct AppOptions {
    pub config: Config,
    /// The database path as shown on screen.
    pub db_label: String,
    /// The Unix user running the console, for linking at setup and resuming after a lock.
    pub unix_user: Option<String>,
    /// `--sign-in`: never sign in as the Unix user's linked account.
    pub force_sign_in: bool,
    /// Offset of local time from UTC, in seconds, for showing times.
    pub utc_offset_secs: i32,
    pub color: bool,
    /// A line shown on the sign-in screen (the demo's credentials).
    pub sign_in_note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct App {
    pub screen: Screen,
    /// The active tab.
    pub tab: Tab,
    pub tabs: Tabs,
    pub modals: Vec<Modal>,
    pub status: Option<Status>,
    /// Every status message of the session, oldest first (at most [`MESSAGE_LOG_MAX`]).
    pub messages: Vec<LoggedMessage>,
    /// Messages dropped from the front of the log.
    pub messages_dropped: usize,
    /// How deep `update` is in itself (an action may apply another): only the outermost call
    /// logs and clears messages, so one message is logged once.
    pub(super) depth: u8,
    pub signed_in: Option<String>,
    pub keymap: Keymap,
    pub opts: AppOptions,
    pub width: u16,
    pub height: u16,
    pub now: Timestamp,
    pub idle_lock_ms: i64,
    pub last_input: Timestamp,
    pub last_purge: Timestamp,
    pub last_open_attempt: Timestamp,
    pub quit: bool,
    /// A customer form the lock closed, with who was filling it in: given back to them after
    /// they sign in again (D69), dropped if someone else signs in.
    pub kept_form: Option<(String, Box<FormState>)>,
    /// The customer's own view the session is in (a customer's user, or staff impersonating);
    /// `None` in the staff view.
    pub customer_view: Option<super::customer_view::CustomerView>,
}

impl App {
    pub fn new(opts: AppOptions, width: u16, height: u16, now: Timestamp) -> Self {
        let mut tabs = Tabs::default();
        let mut problems = opts.config.problems.clone();
        problems.extend(tabs.hide_columns(&opts.config.columns));
        let status = (!problems.is_empty()).then(|| Status {
            kind: StatusKind::Error,
            text: problems.join("; "),
        });
        Self {
            screen: Screen::Opening,
            tab: Tab::Customers,
            tabs,
            modals: Vec::new(),
            messages: Self::first_messages(status.as_ref(), now),
            messages_dropped: 0,
            depth: 0,
            status,
            signed_in: None,
            keymap: opts.config.keymap.clone(),
            idle_lock_ms: i64::from(opts.config.idle_lock_minutes) * 60_000,
            opts,
            width,
            height,
            now,
            last_input: now,
            last_purge: now,
            last_open_attempt: now,
            quit: false,
            kept_form: None,
            customer_view: None,
        }
    }

    /// The keymap context that receives the next key.
    pub fn context(&self) -> Context {
        if let Some(modal) = self.modals.last() {
            return modal.context();
        }
        match &self.screen {
            Screen::Opening | Screen::InUse { .. } | Screen::Failed(_) => Context::InUse,
            Screen::Setup(_) | Screen::SignIn(_) => Context::Entry,
            Screen::Main => self.tabs.get(self.tab).context(),
        }
    }

    /// Where things are on screen now: below the impersonation bar while there is one.
    pub fn areas(&self) -> layout::Areas {
        layout::areas_below(self.width, self.height, u16::from(self.impersonating()))
    }

    /// Rows a list shows at the current size.
    pub fn list_height(&self) -> usize {
        usize::from(layout::list_areas(self.areas().content).body.height)
    }

    /// What cells and tabs draw with: the time now, the local offset and the theme.
    pub fn view(&self) -> View {
        View {
            now: self.now,
            utc_offset_secs: self.opts.utc_offset_secs,
            theme: super::render::text::Theme {
                color: self.opts.color,
            },
        }
    }

    /// Hands `action` to `tab` with the modal stack and the status line.
    pub(super) fn route_to(&mut self, tab: Tab, action: Action) -> Vec<Effect> {
        let content = self.areas().content;
        let mut cx = TabCtx {
            modals: &mut self.modals,
            status: &mut self.status,
            content,
        };
        self.tabs.get_mut(tab).update(action, &mut cx)
    }

    /// Resolves a key through the keymap and applies it. While the terminal is too small to
    /// draw in, only quit acts: nothing may happen that the operator cannot see (D65).
    pub fn handle_key(&mut self, key: &KeyEvent, now: Timestamp) -> Vec<Effect> {
        self.now = now;
        self.last_input = now;
        let context = self.context();
        if layout::is_too_small(self.width, self.height) {
            let quits = [context, Context::Global]
                .into_iter()
                .any(|c| matches!(self.keymap.resolve(c, key), Some(Action::Quit)));
            return if quits { self.ask_quit() } else { Vec::new() };
        }
        // The way back from an impersonation works from every screen and dialog.
        if self.impersonating()
            && matches!(
                self.keymap.resolve(Context::Global, key),
                Some(Action::BackToStaff)
            )
        {
            return self.update(Action::BackToStaff);
        }
        match self.keymap.resolve(context, key) {
            Some(action) => self.update(action),
            None if context.takes_text() => self.update(Action::Type((*key).into())),
            None => Vec::new(),
        }
    }

    pub fn handle_mouse(&mut self, mouse: &MouseEvent, now: Timestamp) -> Vec<Effect> {
        self.now = now;
        self.last_input = now;
        if layout::is_too_small(self.width, self.height) {
            return Vec::new();
        }
        match mouse.kind {
            MouseEventKind::ScrollDown => self.update(Action::ScrollDown),
            MouseEventKind::ScrollUp => self.update(Action::ScrollUp),
            MouseEventKind::Down(_) => self.update(Action::Click {
                column: mouse.column,
                row: mouse.row,
            }),
            _ => Vec::new(),
        }
    }

    pub fn set_status(&mut self, kind: StatusKind, text: impl Into<String>) {
        self.status = Some(Status {
            kind,
            text: text.into(),
        });
    }

    /// Applies one action; returns the work it asks for. A status message it sets is added to
    /// the message log; when it changes the context (another tab, a modal closed or opened)
    /// without setting one, the old message is cleared: it stays in the log
    /// ([`super::message_log`]).
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        if self.depth > 0 {
            return self.apply(action);
        }
        let before = Before::of(self);
        self.depth += 1;
        let effects = self.apply(action);
        self.depth -= 1;
        self.after(before);
        effects
    }

    fn apply(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Quit => self.ask_quit(),
            Action::QuitNow => {
                self.quit = true;
                vec![Effect::Quit]
            }
            Action::DiscardForm => {
                if matches!(self.modals.last(), Some(Modal::Form(_))) {
                    self.modals.pop();
                }
                Vec::new()
            }
            Action::Help => {
                let context = self.context();
                self.modals.push(Modal::Help { context, scroll: 0 });
                Vec::new()
            }
            Action::NextTab => {
                let n = self.tab_set().len();
                self.go_tab((self.tab_index() + 1) % n)
            }
            Action::PrevTab => {
                let n = self.tab_set().len();
                self.go_tab((self.tab_index() + n - 1) % n)
            }
            Action::GoTab(n) => self.go_tab(n),
            Action::Lock => self.lock("locked; the database is closed until you sign in"),
            Action::Messages => {
                self.open_messages();
                Vec::new()
            }
            Action::Resize { width, height } => {
                self.width = width;
                self.height = height;
                let h = self.list_height();
                self.tabs.resize(h);
                Vec::new()
            }
            Action::Tick(now) => self.tick(now),
            Action::RetryOpen => {
                self.last_open_attempt = self.now;
                vec![Effect::OpenDatabase]
            }
            Action::Run { command, done } => vec![Effect::Execute {
                command: *command,
                done,
            }],
            Action::Failed(text) => {
                self.set_status(StatusKind::Error, text);
                Vec::new()
            }
            Action::ConfirmYes | Action::ConfirmNo => self.answer_confirm(action),
            // The import modal sits on the modal stack, not on a tab. A session that may not
            // add customers is refused before it picks a file (D69).
            Action::ImportCustomers if !self.offers(self.context(), &Action::ImportCustomers) => {
                self.set_status(
                    StatusKind::Error,
                    super::tabs::customers::no_privilege(
                        crate::domain::AuditAction::ImportCustomers,
                    ),
                );
                Vec::new()
            }
            Action::ImportCustomers => self.open_import(),
            Action::Impersonate if self.modals.is_empty() => self.impersonate(),
            Action::BackToStaff => self.back_to_staff(true),
            Action::BackToStaffNow => self.back_to_staff(false),
            Action::SwitchCustomer if self.modals.is_empty() => self.switch_customer(),
            Action::CommandFailed(ServiceError::ImpersonationOver { why }) => {
                self.impersonation_over(why)
            }
            Action::MemberSignedIn { .. }
            | Action::ImpersonationStarted { .. }
            | Action::ImpersonationEnded { .. }
            | Action::OverviewLoaded(_)
            | Action::CustomerLogLoaded(_)
            | Action::MyAccountLoaded(_)
            | Action::PasswordChanged => self.customer_result(action),
            Action::LogLoaded { .. } | Action::SearchProgress { .. } => {
                self.route_to(Tab::Logs, action)
            }
            Action::StatsLoaded(_) => self.route_to(Tab::Dashboard, action),
            Action::LogExported(text) => {
                if matches!(self.modals.last(), Some(Modal::Form(_))) {
                    self.modals.pop();
                }
                self.set_status(StatusKind::Ok, text);
                Vec::new()
            }
            Action::CustomerUsers | Action::CustomerInvitations => self.customer_people(&action),
            Action::Opened { .. }
            | Action::OpenFailed(_)
            | Action::SignedIn { .. }
            | Action::SignInFailed(_) => self.session_result(action),
            Action::CustomerFields(_)
            | Action::FirstPage(_)
            | Action::IndexChunk(_)
            | Action::IndexLoaded
            | Action::TrashLoaded(_)
            | Action::DetailLoaded(_)
            | Action::SlugChecked { .. }
            | Action::CommandDone { .. }
            | Action::CommandFailed(_)
            | Action::Purged(_) => self.data_result(action),
            Action::UsersLoaded { .. }
            | Action::UsersChunk { .. }
            | Action::UserRefreshed { .. }
            | Action::UserLoaded(_)
            | Action::InvitationsLoaded { .. }
            | Action::InvitationsChunk { .. }
            | Action::WelcomeLoaded { .. }
            | Action::ResetRequested(_)
            | Action::EntryDone(_)
            | Action::EntryFailed(_) => self.people_result(action),
            Action::RunImport { .. }
            | Action::ImportChecked(_)
            | Action::ImportPreviewed(_)
            | Action::ImportWriting { .. }
            | Action::ImportFinished(_)
            | Action::ImportFailed { .. }
            | Action::SaveReportOverwrite { .. }
            | Action::ReportSaved(_)
            | Action::ReportExists(_)
            | Action::ReportFailed(_) => self.import_result(action),
            Action::Click { column, row } => {
                if self.modals.is_empty() && matches!(self.screen, Screen::Main) {
                    self.click(column, row)
                } else {
                    Vec::new()
                }
            }
            other => self.route(other),
        }
    }

    /// Sends an action to the top modal, the entry screen or the active tab.
    fn route(&mut self, action: Action) -> Vec<Effect> {
        match self.modals.last() {
            Some(Modal::Form(_)) => return self.form_action(action),
            Some(Modal::Help { .. }) => return self.help_action(action),
            Some(Modal::Confirm(_)) => {
                if let (Action::Type(input), Some(Modal::Confirm(c))) =
                    (&action, self.modals.last_mut())
                {
                    if let Some(typed) = &mut c.typed {
                        let newline = matches!(input.key, ratatui_textarea::Key::Enter);
                        if !newline {
                            typed.input(input.clone());
                        }
                    }
                }
                return Vec::new();
            }
            Some(Modal::Message { .. }) => return Vec::new(),
            Some(Modal::Messages { .. }) => {
                self.messages_action(&action);
                return Vec::new();
            }
            Some(Modal::Import(_)) => return self.import_action(action),
            None => {}
        }
        match &self.screen {
            Screen::Setup(_) | Screen::SignIn(_) => self.entry_action(action),
            Screen::Main => self.route_to(self.tab, action),
            _ => Vec::new(),
        }
    }

    fn go_tab(&mut self, n: usize) -> Vec<Effect> {
        let Some(&tab) = self.tab_set().get(n) else {
            return Vec::new();
        };
        self.tab = tab;
        if self.signed_in.is_some() {
            return self.tabs.get_mut(tab).shown();
        }
        Vec::new()
    }

    fn ask_quit(&mut self) -> Vec<Effect> {
        let dirty = self
            .modals
            .iter()
            .any(|m| matches!(m, Modal::Form(f) if f.is_dirty()))
            || matches!(&self.screen, Screen::Setup(f) if f.is_dirty());
        let asking = matches!(self.modals.last(), Some(Modal::Confirm(_)));
        if self.import_running() && !asking {
            self.modals.push(Modal::confirm(ConfirmState::new(
                "Quit during the import?",
                "The import stops after the batch being written; batches already written stay, and importing the same file again resumes it.",
                Action::QuitNow,
            ).answers("quit", "stay")));
            return Vec::new();
        }
        if dirty && !asking {
            self.modals.push(Modal::confirm(
                ConfirmState::new(
                    "Quit?",
                    "What you typed in the form will be lost.",
                    Action::QuitNow,
                )
                .answers("quit", "stay"),
            ));
            return Vec::new();
        }
        self.quit = true;
        vec![Effect::Quit]
    }

    fn answer_confirm(&mut self, action: Action) -> Vec<Effect> {
        match self.modals.last() {
            Some(Modal::Confirm(c)) => {
                if matches!(action, Action::ConfirmYes) && !c.is_satisfied() {
                    self.set_status(
                        StatusKind::Error,
                        "type the slug exactly as shown to confirm, or Esc to cancel",
                    );
                    return Vec::new();
                }
                let on_yes = (*c.on_yes).clone();
                self.modals.pop();
                if matches!(action, Action::ConfirmNo) {
                    return Vec::new();
                }
                self.update(on_yes)
            }
            Some(Modal::Message { .. }) => {
                self.modals.pop();
                Vec::new()
            }
            _ => Vec::new(),
        }
    }
}
