//! The Users tab: every user (a first page when the tab opens, the rest from the people
//! loader in the background, D90; after a change only the changed user is read again, D92), the live `/` filter and
//! the sort over that list, the detail view of one user (memberships, recent events), the
//! preview of a user's welcome message, and the actions on the selected user, each asked to
//! confirm (D66) and offered only when the session may take them (D69).
//!
//! It changes only itself and the modal stack; every service call leaves as an effect.

mod actions;
mod columns;
mod detail;
pub mod forms;
mod keys;
mod list;

pub use columns::{UserSort, customers, full_name};
pub use keys::{detail_keys, keys, welcome_keys};

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;

use super::{TabCtx, TabPane};
use crate::domain::AuditAction;
use crate::service::{Outcome, UserDetail, UserRow};
use crate::tui::action::{Action, Effect};
use crate::tui::app::StatusKind;
use crate::tui::keymap::Context;
use crate::tui::layout;
use crate::tui::modals::Modal;
use crate::tui::render::text::zone;
use crate::tui::table::{RowSource, TableView, VecSource, View, draw_empty};
use columns::COLUMNS;

/// A user's welcome message as it would be written, and as the preview shows it.
#[derive(Debug, Clone)]
pub struct Welcome {
    pub email: String,
    /// The RFC 5322 message.
    pub text: String,
    /// Its headers and body decoded ([`detail::readable`]).
    pub lines: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct UsersTab {
    pub table: TableView<VecSource<UserRow, UserSort>>,
    /// Every user loaded; the table holds those of `customer` when it is set.
    pub all: Vec<UserRow>,
    /// Only the users of this customer (slug), as a customer's detail view asked.
    pub customer: Option<String>,
    /// The tab is part of a customer's own view: `customer` is the session's own and stays
    /// (Esc shows no one else), and deleting a user, which only staff do, is not offered.
    pub own_customer: bool,
    /// Staff impersonate the customer: password resets stay with the people (the service
    /// refuses them), so they are not offered.
    pub impersonating: bool,
    /// Only the users of this status (`invited`, `active`, `disabled`); the status key steps it.
    pub status: Option<&'static str>,
    pub loaded: bool,
    /// How the list is arriving from the people loader (D90).
    pub arrival: super::arrival::Arrival<UserRow>,
    /// The session may change users (staff with the manage-customers privilege), as the
    /// runtime read it with the list.
    pub may_manage: bool,
    pub detail: Option<Box<UserDetail>>,
    pub welcome: Option<Welcome>,
    /// Lines scrolled off the top of the detail view or the preview.
    pub scroll: u16,
}

impl Default for UsersTab {
    fn default() -> Self {
        let mut table = TableView::new(VecSource::default(), COLUMNS);
        table.source.sort_by(UserSort::Email, false);
        Self {
            table,
            all: Vec::new(),
            customer: None,
            own_customer: false,
            impersonating: false,
            status: None,
            loaded: false,
            arrival: Default::default(),
            may_manage: false,
            detail: None,
            welcome: None,
            scroll: 0,
        }
    }
}

/// The user statuses the status key steps through; `None` shows every user.
const STATUS_CYCLE: [Option<&str>; 4] = [Some("invited"), Some("active"), Some("disabled"), None];

/// The privilege refusal of a user command, as the service words it.
fn refused(action: AuditAction) -> String {
    super::customers::no_privilege(action)
}

impl UsersTab {
    pub fn selected(&self) -> Option<&UserRow> {
        self.table.selected()
    }

    /// Every user loaded, in the order given.
    pub fn rows(&self) -> &[UserRow] {
        &self.all
    }

    /// The user an action applies to: the one in the detail view, else the selected row.
    fn target(&self) -> Option<&UserRow> {
        match &self.detail {
            Some(d) => Some(&d.row),
            None => self.selected(),
        }
    }

    /// The loads that bring the tab up to date after a command's `outcome`, once shown: a
    /// user or an invitation command changes one user, so that user is read again and its
    /// row replaced (D92), and the user in the detail view with it; a customer command may
    /// change any row's memberships, so the list is read again in the background.
    pub fn reload(&self, outcome: &Outcome) -> Vec<Effect> {
        if !self.loaded {
            return Vec::new();
        }
        let mut effects = match outcome {
            Outcome::User { email, .. } => vec![Effect::RefreshUser(email.clone())],
            Outcome::Invitation { row, .. } => vec![Effect::RefreshUser(row.email.clone())],
            Outcome::Customer(_) | Outcome::Purged(_) => vec![Effect::LoadUsers],
            _ => return Vec::new(),
        };
        if let (Some(d), Outcome::User { email, .. }) = (&self.detail, outcome) {
            if d.row.email == *email {
                effects.push(Effect::LoadUser(email.clone()));
            }
        }
        effects
    }

    fn title<'a>(&self, view: &View) -> Vec<Span<'a>> {
        let theme = view.theme;
        let (sort, arrow) = match self.table.source.sorted_by() {
            Some((key, true)) => (key.label(), "↓"),
            Some((key, false)) => (key.label(), "↑"),
            None => ("email", "↑"),
        };
        let mut of = match &self.customer {
            Some(slug) if self.own_customer => format!(" of {slug}"),
            Some(slug) => format!(" of {slug} (Esc: everyone)"),
            None => String::new(),
        };
        if let Some(status) = self.status {
            of = format!(" {status}{of}");
        }
        if self.loaded && !self.arrival.complete {
            of.push_str(" · loading…");
        }
        vec![
            Span::styled(format!("Users{of}"), theme.header()),
            Span::styled(
                // The count is the table's own "row N of M".
                format!(
                    " · sorted by {sort} {arrow} · dates {}",
                    zone(view.utc_offset_secs)
                ),
                theme.dim(),
            ),
        ]
    }
}

impl TabPane for UsersTab {
    fn context(&self) -> Context {
        if self.table.filtering {
            Context::Filter
        } else if self.welcome.is_some() {
            Context::Welcome
        } else if self.detail.is_some() {
            Context::UserDetail
        } else {
            Context::Users
        }
    }

    fn update(&mut self, action: Action, cx: &mut TabCtx<'_>) -> Vec<Effect> {
        let h = cx.height();
        match action {
            Action::UsersLoaded { rows, may_manage } => {
                self.may_manage = may_manage;
                if self.arrival.first(&mut self.all, rows) {
                    self.loaded = true;
                    self.show(h);
                }
                return Vec::new();
            }
            Action::UsersChunk { rows, done } => {
                if self.arrival.appending(done) {
                    self.append(rows, h);
                } else if self.arrival.chunk(&mut self.all, rows, done) {
                    self.show(h);
                }
                return Vec::new();
            }
            Action::UserRefreshed { email, row } => {
                self.refreshed(&email, row.map(|r| *r), h);
                return Vec::new();
            }
            Action::UserLoaded(detail) => {
                let same = self
                    .detail
                    .as_ref()
                    .is_some_and(|d| d.row.id == detail.row.id);
                self.detail = Some(detail);
                if !same {
                    self.scroll = 0;
                }
                return Vec::new();
            }
            Action::WelcomeLoaded { email, text } => {
                let lines = crate::mail::readable::readable(&text);
                self.welcome = Some(Welcome { email, text, lines });
                self.scroll = 0;
                return Vec::new();
            }
            Action::ResetConfirmed { email } => return vec![Effect::RequestReset { email }],
            _ => {}
        }
        if self.welcome.is_some() {
            return self.welcome_action(action, cx);
        }
        if self.detail.is_some() {
            if self.scroll_detail(&action, h) {
                return Vec::new();
            }
            return self.command(action, cx);
        }
        // Esc with no text filter shows everyone again after a customer's detail view.
        if matches!(action, Action::ClearFilter)
            && self.customer.is_some()
            && !self.own_customer
            && self.table.filter_text().is_empty()
        {
            self.only_customer(None, h);
            cx.set_status(StatusKind::Info, "showing every user");
            return Vec::new();
        }
        if matches!(action, Action::CycleStatus) {
            let at = STATUS_CYCLE.iter().position(|s| *s == self.status);
            self.status = STATUS_CYCLE
                .get(at.map_or(0, |i| (i + 1) % STATUS_CYCLE.len()))
                .copied()
                .flatten();
            self.show(h);
            let shown = self.status.unwrap_or("every status");
            cx.set_status(StatusKind::Info, format!("showing {shown}"));
            return Vec::new();
        }
        if self.table.handle(&action, h) {
            return Vec::new();
        }
        if let Some((changed, text)) = self.table.column_action(&action, cx.list().header.width, h)
        {
            cx.set_status(StatusKind::Info, text);
            return super::customers::remember(changed, "users", self.table.hidden_names());
        }
        match action {
            Action::AddUser if !self.may_manage => {
                cx.set_status(StatusKind::Error, refused(AuditAction::UserAdd));
            }
            Action::AddUser if self.own_customer => {
                let slug = self.customer.clone().unwrap_or_default();
                cx.push(Modal::Form(Box::new(forms::add_form_in_own(&slug))));
            }
            Action::AddUser => {
                let slug = match &self.customer {
                    Some(slug) => slug.clone(),
                    None => self
                        .selected()
                        .and_then(|r| r.customers.first())
                        .map_or("", |c| c.slug.as_str())
                        .to_owned(),
                };
                cx.push(Modal::Form(Box::new(forms::add_form(&slug))));
            }
            other => return self.command(other, cx),
        }
        Vec::new()
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, view: &View) {
        if self.welcome.is_some() {
            return self.draw_welcome(frame, area, view);
        }
        if self.detail.is_some() {
            return self.draw_detail(frame, area, view);
        }
        let list = layout::list_areas(area);
        self.table.draw(frame, list, self.title(view), view);
        if self.table.is_empty() {
            let text = if !self.loaded {
                "Loading the users…"
            } else if self.status.is_some() && self.table.filter_text().is_empty() {
                "No user has this status. f shows the next one."
            } else if self.own_customer && self.table.filter_text().is_empty() {
                "This customer has no users yet."
            } else if self.customer.is_some() && self.table.filter_text().is_empty() {
                "This customer has no users yet. Esc shows everyone."
            } else if self.table.filter_text().is_empty() {
                "No users yet. Press a to add one to a customer, or invite one (Invitations tab)."
            } else {
                "No user matches the filter. Esc clears it."
            };
            draw_empty(frame, list, text, 3, view);
        }
    }

    fn reset(&mut self) {
        // The columns hidden are the operator's view, not data: they survive a lock.
        let hidden = self.table.hidden;
        *self = Self::default();
        self.table.hidden = hidden;
    }

    /// Reads the list when shown, in the background (D90), unless a load is under way.
    fn shown(&mut self) -> Vec<Effect> {
        if self.arrival.busy(self.loaded) {
            return Vec::new();
        }
        vec![Effect::LoadUsers]
    }

    fn role_offers(&self, action: &Action) -> bool {
        let changes = matches!(
            action,
            Action::AddUser
                | Action::EditUser
                | Action::ToggleUser
                | Action::DeleteUser
                | Action::PreviewWelcome
                | Action::WriteWelcome
                | Action::SendReset
        );
        (!changes || self.may_manage) && self.withheld(action).is_none()
    }

    /// The changes as the session may make them, and only with a user to make them to.
    fn offers(&self, action: &Action) -> bool {
        if self.withheld(action).is_some() {
            return false;
        }
        match action {
            Action::AddUser => self.may_manage,
            Action::WriteWelcome => self.may_manage && self.welcome.is_some(),
            Action::ToggleUser => self.may_manage && self.target().is_some_and(|r| !r.is_staff()),
            Action::DeleteUser => {
                self.may_manage && self.target().is_some_and(|r| r.may_be_deleted())
            }
            Action::EditUser | Action::PreviewWelcome | Action::SendReset => {
                self.may_manage && self.target().is_some()
            }
            Action::OpenDetail => self.target().is_some(),
            _ => true,
        }
    }

    fn hint_label(&self, action: &Action) -> Option<&'static str> {
        match action {
            Action::ToggleUser => Some(match self.target() {
                Some(r) if r.status == "disabled" => "enable",
                _ => "disable",
            }),
            _ => None,
        }
    }

    fn resize(&mut self, height: usize) {
        self.table.reselect(None, height);
    }

    fn click(&mut self, column: u16, row: u16, cx: &mut TabCtx<'_>) -> Vec<Effect> {
        if self.detail.is_none() && self.welcome.is_none() {
            self.table.click(cx.list(), column, row);
        }
        Vec::new()
    }
}
