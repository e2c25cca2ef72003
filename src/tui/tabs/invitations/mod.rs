//! The Invitations tab: every invitation (loaded whole when the tab opens and after a
//! command that may change one), shown by status (a key cycles pending, expired, accepted,
//! revoked, all) and the `/` filter, with a countdown to each expiry; inviting through a
//! form, and resending, revoking and deleting, each asked to confirm (D66) and offered only
//! when the session may (D69). The code a create or resend makes is shown once, by the app,
//! from the command's outcome.
//!
//! It changes only itself and the modal stack; every service call leaves as an effect.

mod columns;
pub mod forms;
mod list;

pub use columns::{InvitationSort, countdown, state_at};
pub use forms::keys;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;

use super::{TabCtx, TabPane};
use crate::domain::text::display_safe;
use crate::domain::{AuditAction, InvitationState};
use crate::service::{InvitationCommand, InvitationRow, Outcome};
use crate::tui::action::{Action, Effect};
use crate::tui::app::StatusKind;
use crate::tui::keymap::Context;
use crate::tui::layout;
use crate::tui::modals::{ConfirmState, Modal};
use crate::tui::table::{RowSource, TableView, VecSource, View, draw_empty};
use columns::COLUMNS;

/// The statuses the status key steps through; `None` shows every invitation.
const STATUS_CYCLE: [Option<InvitationState>; 5] = [
    Some(InvitationState::Pending),
    Some(InvitationState::Expired),
    Some(InvitationState::Accepted),
    Some(InvitationState::Revoked),
    None,
];

#[derive(Debug, Clone)]
pub struct InvitationsTab {
    pub table: TableView<VecSource<InvitationRow, InvitationSort>>,
    /// Every invitation loaded; the table holds those of the status shown.
    pub all: Vec<InvitationRow>,
    /// The status shown; `None` for all.
    pub status: Option<InvitationState>,
    /// Only the invitations into this customer (slug), as a customer's detail view asked.
    pub customer: Option<String>,
    /// The tab is part of a customer's own view: `customer` is the session's own and stays.
    pub own_customer: bool,
    pub loaded: bool,
    /// How the list is arriving from the people loader (D90).
    pub arrival: super::arrival::Arrival<InvitationRow>,
    pub may_manage: bool,
}

impl Default for InvitationsTab {
    fn default() -> Self {
        let mut table = TableView::new(VecSource::default(), COLUMNS);
        table.source.sort_by(InvitationSort::Expires, false);
        Self {
            table,
            all: Vec::new(),
            status: None,
            customer: None,
            own_customer: false,
            loaded: false,
            arrival: Default::default(),
            may_manage: false,
        }
    }
}

impl InvitationsTab {
    pub fn selected(&self) -> Option<&InvitationRow> {
        self.table.selected()
    }

    /// Every invitation at once, as a complete list.
    pub fn set_rows(&mut self, rows: Vec<InvitationRow>, height: usize) {
        self.all = rows;
        self.loaded = true;
        self.arrival = Default::default();
        self.arrival.complete = true;
        self.show(height);
    }

    /// Shows only the invitations into the customer `slug` (`None`: every customer).
    pub fn only_customer(&mut self, slug: Option<String>, height: usize) {
        self.customer = slug;
        self.show(height);
    }

    /// The load that brings the list up to date after a command's `outcome`, once shown.
    /// What an outcome asks of the list: an invitation's own outcome was put in place by
    /// [`InvitationsTab::changed`]; a user's or a purge may change many rows, so the list is
    /// read again in the background.
    pub fn reload(&self, outcome: &Outcome) -> Vec<Effect> {
        let concerns = matches!(outcome, Outcome::User { .. } | Outcome::Purged(_));
        if self.loaded && concerns {
            vec![Effect::LoadInvitations]
        } else {
            Vec::new()
        }
    }

    fn command(&mut self, action: Action, cx: &mut TabCtx<'_>) -> Vec<Effect> {
        let change = match action {
            Action::Invite => AuditAction::InvitationCreate,
            Action::ResendInvitation => AuditAction::InvitationResend,
            Action::RevokeInvitation => AuditAction::InvitationRevoke,
            Action::DeleteInvitation => AuditAction::InvitationDelete,
            _ => return Vec::new(),
        };
        if !self.may_manage {
            cx.set_status(StatusKind::Error, super::customers::no_privilege(change));
            return Vec::new();
        }
        if matches!(action, Action::Invite) {
            let slug = self
                .customer
                .as_deref()
                .or(self.selected().map(|r| r.customer.as_str()))
                .unwrap_or("");
            let form = if self.own_customer {
                forms::invite_form_in_own(slug)
            } else {
                forms::invite_form(slug)
            };
            cx.push(Modal::Form(Box::new(form)));
            return Vec::new();
        }
        let Some(row) = self.selected() else {
            return Vec::new();
        };
        // What the service refuses for this row, said before asking.
        let row_refusal = match action {
            Action::ResendInvitation | Action::RevokeInvitation if !row.open => Some(format!(
                "the invitation of {} is {}: there is nothing to {}",
                display_safe(&row.email),
                row.status.as_str(),
                if matches!(action, Action::ResendInvitation) {
                    "resend; delete it and invite again"
                } else {
                    "revoke"
                }
            )),
            Action::DeleteInvitation if row.of_owner => Some(format!(
                "{} owns {}; give it another owner before deleting the invitation",
                display_safe(&row.email),
                row.customer
            )),
            _ => None,
        };
        if let Some(why) = row_refusal {
            cx.set_status(StatusKind::Error, why);
            return Vec::new();
        }
        let (email, customer) = (row.email.clone(), row.customer.clone());
        let who = format!("{} ({})", display_safe(&email), customer);
        let (title, text, command, yes, no) = match action {
            Action::ResendInvitation => (
                "Resend invitation",
                format!(
                    "Send {who} a new invitation with a new code and a new expiry? The code sent before stops working at once."
                ),
                InvitationCommand::Resend { email, customer },
                "resend",
                "don't send",
            ),
            Action::RevokeInvitation => (
                "Revoke invitation",
                format!(
                    "Revoke the invitation of {who}? Its code stops working; it stays listed until deleted."
                ),
                InvitationCommand::Revoke { email, customer },
                "revoke",
                "keep",
            ),
            _ => (
                "Delete invitation",
                format!(
                    "Delete the invitation of {who}? The user it created goes too, unless they belong to another customer or are staff."
                ),
                InvitationCommand::Delete { email, customer },
                "delete",
                "keep",
            ),
        };
        let run = Action::Run {
            command: Box::new(command.into()),
            done: change.done_phrase().into(),
        };
        cx.push(Modal::confirm(
            ConfirmState::new(title, text, run).answers(yes, no),
        ));
        Vec::new()
    }

    fn title<'a>(&self, view: &View) -> Vec<Span<'a>> {
        let theme = view.theme;
        let shown = self.status.map_or("all", InvitationState::as_str);
        let (sort, arrow) = match self.table.source.sorted_by() {
            Some((key, true)) => (key.label(), "↓"),
            Some((key, false)) => (key.label(), "↑"),
            None => ("expiry", "↑"),
        };
        let of = match &self.customer {
            Some(slug) if self.own_customer => format!(" into {slug}"),
            Some(slug) => format!(" into {slug} (Esc: all)"),
            None => String::new(),
        };
        let loading = if self.loaded && !self.arrival.complete {
            " · loading…"
        } else {
            ""
        };
        vec![
            Span::styled(format!("Invitations{of}{loading}"), theme.header()),
            Span::styled(
                format!(
                    " · {shown}: {} of {} · sorted by {sort} {arrow}",
                    self.table.len(),
                    self.all.len()
                ),
                theme.dim(),
            ),
        ]
    }
}

impl TabPane for InvitationsTab {
    fn context(&self) -> Context {
        if self.table.filtering {
            Context::Filter
        } else {
            Context::Invitations
        }
    }

    fn update(&mut self, action: Action, cx: &mut TabCtx<'_>) -> Vec<Effect> {
        let h = cx.height();
        match action {
            Action::InvitationsLoaded { rows, may_manage } => {
                self.may_manage = may_manage;
                if self.arrival.first(&mut self.all, rows) {
                    self.loaded = true;
                    self.show(h);
                }
                return Vec::new();
            }
            Action::InvitationsChunk { rows, done } => {
                if self.arrival.appending(done) {
                    self.append(rows, h);
                } else if self.arrival.chunk(&mut self.all, rows, done) {
                    self.show(h);
                }
                return Vec::new();
            }
            _ => {}
        }
        if matches!(action, Action::ClearFilter)
            && self.customer.is_some()
            && !self.own_customer
            && self.table.filter_text().is_empty()
        {
            self.only_customer(None, h);
            cx.set_status(StatusKind::Info, "showing every customer's invitations");
            return Vec::new();
        }
        if self.table.handle(&action, h) {
            return Vec::new();
        }
        if let Some((changed, text)) = self.table.column_action(&action, cx.list().header.width, h)
        {
            cx.set_status(StatusKind::Info, text);
            return super::customers::remember(changed, "invitations", self.table.hidden_names());
        }
        if matches!(action, Action::CycleStatus) {
            let at = STATUS_CYCLE.iter().position(|s| *s == self.status);
            let next = at.map_or(0, |i| (i + 1) % STATUS_CYCLE.len());
            self.status = STATUS_CYCLE.get(next).copied().flatten();
            self.show(h);
            let shown = self.status.map_or("every status", InvitationState::as_str);
            cx.set_status(StatusKind::Info, format!("showing {shown}"));
            return Vec::new();
        }
        self.command(action, cx)
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, view: &View) {
        let list = layout::list_areas(area);
        self.table.draw(frame, list, self.title(view), view);
        if self.table.is_empty() {
            let text = if !self.loaded {
                "Loading the invitations…"
            } else if !self.table.filter_text().is_empty() {
                "No invitation matches the filter. Esc clears it."
            } else if self.all.is_empty() && self.own_customer {
                "No invitations yet."
            } else if self.all.is_empty() {
                "No invitations yet. Press a to invite someone into a corporate customer."
            } else {
                "No invitation has this status. f shows the next one."
            };
            draw_empty(frame, list, text, 3, view);
        }
    }

    fn reset(&mut self) {
        let hidden = self.table.hidden;
        *self = Self::default();
        self.table.hidden = hidden;
    }

    /// Reads the list when shown, in the background (D90), unless a load is under way.
    fn shown(&mut self) -> Vec<Effect> {
        if self.arrival.busy(self.loaded) {
            return Vec::new();
        }
        vec![Effect::LoadInvitations]
    }

    fn apply(&mut self, outcome: &Outcome, action: AuditAction, height: usize) {
        if let (Outcome::Invitation { row, .. }, true) = (outcome, self.loaded) {
            self.changed(row, action, height);
        }
    }

    fn role_offers(&self, action: &Action) -> bool {
        let changes = matches!(
            action,
            Action::Invite
                | Action::ResendInvitation
                | Action::RevokeInvitation
                | Action::DeleteInvitation
        );
        !changes || self.may_manage
    }

    fn offers(&self, action: &Action) -> bool {
        match action {
            Action::Invite => self.may_manage,
            // What the service would refuse for the selected row is not offered (its row
            // says so).
            Action::ResendInvitation | Action::RevokeInvitation => {
                self.may_manage && self.selected().is_some_and(|r| r.open)
            }
            Action::DeleteInvitation => {
                self.may_manage && self.selected().is_some_and(|r| !r.of_owner)
            }
            _ => true,
        }
    }

    fn resize(&mut self, height: usize) {
        self.table.reselect(None, height);
    }

    fn click(&mut self, column: u16, row: u16, cx: &mut TabCtx<'_>) -> Vec<Effect> {
        self.table.click(cx.list(), column, row);
        Vec::new()
    }
}
