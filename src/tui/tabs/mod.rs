//! The tabs: each is one module holding its state, what it does with the actions routed to
//! it, and how it draws, behind the small [`TabPane`] trait. The app only routes: it picks
//! the active pane from [`Tabs`], hands it the action with a [`TabCtx`] (the modal stack,
//! the status line and the list height), and resets every pane through [`Tabs::reset`].
//!
//! A pane performs no I/O and never calls the service: what it needs leaves as effects.

pub mod arrival;
pub mod customer_log;
pub mod customers;
pub mod dashboard;
pub mod invitations;
pub mod logs;
pub mod my_settings;
pub mod overview;
pub mod trash;
pub mod users;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::action::{Action, Effect};
use super::app::{Status, StatusKind};
use super::keymap::Context;
use super::layout::{self, ListAreas};
use super::modals::Modal;
use super::table::View;
use crate::domain::AuditAction;
use crate::service::Outcome;
use customer_log::CustomerLogTab;
use customers::CustomersTab;
use dashboard::DashboardTab;
use invitations::InvitationsTab;
use logs::LogsTab;
use my_settings::MySettingsTab;
use overview::OverviewTab;
use trash::TrashTab;
use users::UsersTab;

/// Every tab of the console: the staff view's six, then those of a customer's own view
/// (which shares Users and Invitations). Which a session sees, and in what order, is
/// [`crate::tui::customer_view`]'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Customers,
    Users,
    Invitations,
    Trash,
    Logs,
    Dashboard,
    /// A customer's own profile and contact details.
    Overview,
    /// A customer's own log.
    CustomerLog,
    /// The signed-in user's own settings.
    MySettings,
}

impl Tab {
    /// Every pane, for what concerns them all (reset, resize, outcomes).
    pub const ALL: [Tab; 9] = [
        Self::Customers,
        Self::Users,
        Self::Invitations,
        Self::Trash,
        Self::Logs,
        Self::Dashboard,
        Self::Overview,
        Self::CustomerLog,
        Self::MySettings,
    ];

    /// The label on the tab bar (the bar and its mouse hit-testing need it without state).
    pub fn title(self) -> &'static str {
        match self {
            Self::Customers => "Customers",
            Self::Users => "Users",
            Self::Invitations => "Invitations",
            Self::Trash => "Trash",
            Self::Logs => "Logs",
            Self::Dashboard => "Dashboard",
            Self::Overview => "Overview",
            Self::CustomerLog => "Log",
            Self::MySettings => "My settings",
        }
    }
}

/// What a pane may touch of the app while it handles an action: the modal stack (to open a
/// form or a confirm dialog), the status line, and where its list is on screen.
pub struct TabCtx<'a> {
    pub modals: &'a mut Vec<Modal>,
    pub status: &'a mut Option<Status>,
    /// The content area the pane is drawn in.
    pub content: Rect,
}

impl TabCtx<'_> {
    /// The list's title, header and body inside the content area.
    pub fn list(&self) -> ListAreas {
        layout::list_areas(self.content)
    }

    /// Rows a list shows.
    pub fn height(&self) -> usize {
        usize::from(self.list().body.height)
    }

    pub fn push(&mut self, modal: Modal) {
        self.modals.push(modal);
    }

    pub fn set_status(&mut self, kind: StatusKind, text: impl Into<String>) {
        *self.status = Some(Status {
            kind,
            text: text.into(),
        });
    }
}

/// One tab of the console.
pub trait TabPane {
    /// The keymap context that receives keys while this tab is shown.
    fn context(&self) -> Context;
    /// Applies an action routed to this tab; returns the work it asks for.
    fn update(&mut self, action: Action, cx: &mut TabCtx<'_>) -> Vec<Effect>;
    /// Draws the tab into the content area.
    fn render(&self, frame: &mut Frame<'_>, area: Rect, view: &View);
    /// Forgets everything shown (on lock and on sign-in).
    fn reset(&mut self);
    /// Brings what the tab shows up to date with a command's outcome; `action` says which
    /// command it was.
    fn apply(&mut self, _outcome: &Outcome, _action: AuditAction, _height: usize) {}
    /// Work to do when the tab is shown while signed in (a load).
    fn shown(&mut self) -> Vec<Effect> {
        Vec::new()
    }
    /// False for an action this tab would refuse for its selected row as the session stands
    /// (the service's `allowed`): the hint line and the help leave it out (D69).
    fn offers(&self, _action: &Action) -> bool {
        true
    }
    /// False for an action the session's role may not take at all, whatever the row (the
    /// help leaves it out; it still lists what only this row refuses).
    fn role_offers(&self, _action: &Action) -> bool {
        true
    }
    /// Keeps the selection on screen after the list height changed.
    fn resize(&mut self, _height: usize) {}
    /// A click at (`column`, `row`) inside the content area.
    fn click(&mut self, _column: u16, _row: u16, _cx: &mut TabCtx<'_>) -> Vec<Effect> {
        Vec::new()
    }
    /// The hint line's word for `action` when it depends on what is selected or shown (the
    /// status key says "activate" on a suspended customer); `None` keeps the keymap's.
    fn hint_label(&self, _action: &Action) -> Option<&'static str> {
        None
    }
}

/// Every tab's state, one field per tab.
#[derive(Debug, Clone, Default)]
pub struct Tabs {
    pub customers: CustomersTab,
    pub users: UsersTab,
    pub invitations: InvitationsTab,
    pub trash: TrashTab,
    pub logs: LogsTab,
    pub dashboard: DashboardTab,
    pub overview: OverviewTab,
    pub customer_log: CustomerLogTab,
    pub my_settings: MySettingsTab,
}

impl Tabs {
    pub fn get(&self, tab: Tab) -> &dyn TabPane {
        match tab {
            Tab::Customers => &self.customers,
            Tab::Users => &self.users,
            Tab::Invitations => &self.invitations,
            Tab::Trash => &self.trash,
            Tab::Logs => &self.logs,
            Tab::Dashboard => &self.dashboard,
            Tab::Overview => &self.overview,
            Tab::CustomerLog => &self.customer_log,
            Tab::MySettings => &self.my_settings,
        }
    }

    pub fn get_mut(&mut self, tab: Tab) -> &mut dyn TabPane {
        match tab {
            Tab::Customers => &mut self.customers,
            Tab::Users => &mut self.users,
            Tab::Invitations => &mut self.invitations,
            Tab::Trash => &mut self.trash,
            Tab::Logs => &mut self.logs,
            Tab::Dashboard => &mut self.dashboard,
            Tab::Overview => &mut self.overview,
            Tab::CustomerLog => &mut self.customer_log,
            Tab::MySettings => &mut self.my_settings,
        }
    }

    /// Hides the columns a remembered view names, per table (`customers`, `trash`, `users`, `invitations`); one line
    /// per table or column name that does not exist.
    pub fn hide_columns(&mut self, state: &crate::tui::state::ViewState) -> Vec<String> {
        let mut problems = Vec::new();
        for (table, names) in &state.columns {
            let unknown = match table.as_str() {
                "customers" => self.customers.table.hide_named(names),
                "trash" => self.trash.table.hide_named(names),
                "users" => self.users.table.hide_named(names),
                "invitations" => self.invitations.table.hide_named(names),
                other => {
                    problems.push(format!("columns.{other}: no such table"));
                    continue;
                }
            };
            for name in unknown {
                problems.push(format!(
                    "columns.{table}: {name}: no optional column of that name"
                ));
            }
        }
        problems
    }

    /// Resets every tab.
    pub fn reset(&mut self) {
        for tab in Tab::ALL {
            self.get_mut(tab).reset();
        }
    }

    pub fn resize(&mut self, height: usize) {
        for tab in Tab::ALL {
            self.get_mut(tab).resize(height);
        }
    }

    /// Lets every tab see a command's outcome.
    pub fn apply(&mut self, outcome: &Outcome, action: AuditAction, height: usize) {
        for tab in Tab::ALL {
            self.get_mut(tab).apply(outcome, action, height);
        }
    }
}
