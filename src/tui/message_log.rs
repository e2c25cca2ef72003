//! The message log: every status message of the session, with the time the last action
//! brought (the app reads no clock), and the rule that an action changing the context clears
//! the status line's old message (it stays in the log). `App::update` takes a [`Before`] of
//! the app, applies the action, and hands it back to [`App::after`]. Also the log modal's keys.
//!
//! State only; `render/messages.rs` draws the log. No I/O.

use super::action::Action;
use super::app::{App, Screen, Status, StatusKind};
use super::modals::Modal;
use super::tabs::Tab;
use crate::domain::Timestamp;

/// One line of the message log: a status message as it was shown, with when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedMessage {
    pub at: Timestamp,
    pub kind: StatusKind,
    pub text: String,
}

/// Messages the log keeps; older ones are dropped (and counted).
pub const MESSAGE_LOG_MAX: usize = 1_000;

/// What `App::after` compares with: the status line, tab, modal count and screen before an
/// action.
pub struct Before {
    status: Option<Status>,
    tab: Tab,
    modals: usize,
    main: bool,
}

impl Before {
    pub fn of(app: &App) -> Self {
        Self {
            status: app.status.clone(),
            tab: app.tab,
            modals: app.modals.len(),
            main: matches!(app.screen, Screen::Main),
        }
    }
}

impl App {
    /// Logs the message the action set, or clears the old one when the context changed; a
    /// lock starts a new log (the next sign-in may be another operator's).
    pub(super) fn after(&mut self, before: Before) {
        if self.status != before.status {
            if let Some(s) = self.status.clone() {
                self.log_message(s.kind, s.text);
            }
        } else if self.tab != before.tab || self.modals.len() != before.modals {
            self.status = None;
        }
        if before.main && !matches!(self.screen, Screen::Main) {
            let last = self.messages.pop();
            self.messages.clear();
            self.messages_dropped = 0;
            self.messages.extend(last);
        }
    }

    /// The log as a new app starts it: the start-up problems, if any.
    pub(super) fn first_messages(status: Option<&Status>, now: Timestamp) -> Vec<LoggedMessage> {
        status
            .map(|s| LoggedMessage {
                at: now,
                kind: s.kind,
                text: s.text.clone(),
            })
            .into_iter()
            .collect()
    }

    fn log_message(&mut self, kind: StatusKind, text: String) {
        if self.messages.len() >= MESSAGE_LOG_MAX {
            self.messages.remove(0);
            self.messages_dropped += 1;
        }
        self.messages.push(LoggedMessage {
            at: self.now,
            kind,
            text,
        });
    }

    /// Opens the log, unless it is on top already.
    pub(super) fn open_messages(&mut self) {
        if !matches!(self.modals.last(), Some(Modal::Messages { .. })) {
            self.modals.push(Modal::Messages { scroll: 0 });
        }
    }

    /// Scrolls or closes the message log on top.
    pub(super) fn messages_action(&mut self, action: &Action) {
        let page = u16::try_from(self.list_height()).unwrap_or(u16::MAX);
        let max = u16::try_from(self.messages.len().saturating_sub(1)).unwrap_or(u16::MAX);
        let Some(Modal::Messages { scroll }) = self.modals.last_mut() else {
            return;
        };
        match action {
            Action::SelectNext | Action::ScrollDown => *scroll = scroll.saturating_add(1).min(max),
            Action::SelectPrev | Action::ScrollUp => *scroll = scroll.saturating_sub(1),
            Action::PageDown => *scroll = scroll.saturating_add(page).min(max),
            Action::PageUp => *scroll = scroll.saturating_sub(page),
            Action::SelectFirst => *scroll = 0,
            Action::Back => {
                self.modals.pop();
            }
            _ => {}
        }
    }
}
