//! The half of `App::update` that keeps the console from acting blind or by accident: what
//! the session is offered where (hints, help), the help's scrolling within its bounds, and
//! where a bracketed paste may go. Like `app.rs`, it performs no I/O.

use ratatui_textarea::{Input, Key};

use super::action::{Action, Effect};
use super::app::{App, Screen, StatusKind};
use super::keymap::Context;
use super::layout;
use super::modals::Modal;
use super::modals::form::paste_line;
use super::modals::help::{self, HelpLine};
use crate::domain::Timestamp;

impl App {
    /// True when `action` is offered where `context` is: a tab's actions on its selected row
    /// follow what the service allows this session (D69); everything else is always offered.
    pub fn offers(&self, context: Context, action: &Action) -> bool {
        match action {
            Action::BackToStaff => return self.impersonating(),
            Action::SwitchCustomer => {
                return self
                    .customer_view
                    .as_ref()
                    .is_some_and(|v| v.impersonation.is_none() && v.choices.len() > 1);
            }
            _ => {}
        }
        match context {
            Context::Customers
            | Context::Detail
            | Context::Trash
            | Context::Users
            | Context::UserDetail
            | Context::Welcome
            | Context::Invitations
            | Context::Overview
            | Context::CustomerLog
            | Context::MySettings
            | Context::Global => {
                !matches!(self.screen, Screen::Main) || self.tabs.get(self.tab).offers(action)
            }
            // The sign-in screen's other forms open from the sign-in screen only.
            Context::Entry => match action {
                Action::AcceptInvitationForm | Action::ForgotPassword | Action::ResetCodeForm => {
                    matches!(self.screen, Screen::SignIn(_))
                }
                Action::Cancel => matches!(
                    &self.screen,
                    Screen::SignIn(f) if f.kind != super::modals::FormKind::SignIn
                ),
                _ => true,
            },
            _ => true,
        }
    }

    /// The help's lines for `context`: every key of the context but those the session's role
    /// may not use there (D69).
    pub fn help_lines(&self, context: Context) -> Vec<HelpLine> {
        let on_tab = matches!(
            context,
            Context::Customers
                | Context::Detail
                | Context::Trash
                | Context::Users
                | Context::UserDetail
                | Context::Welcome
                | Context::Invitations
                | Context::Overview
                | Context::CustomerLog
                | Context::MySettings
                | Context::Global
        ) && matches!(self.screen, Screen::Main);
        help::lines(
            &self.keymap,
            context,
            &|a| {
                (!on_tab || self.tabs.get(self.tab).role_offers(a))
                    && self.customer_view.as_ref().is_none_or(|v| v.offers_key(a))
            },
            &|a, what| {
                self.customer_view
                    .as_ref()
                    .map_or(what, |v| v.key_words(a, what))
            },
        )
    }

    /// Keys in the help: scrolling within its bounds, closing.
    pub(super) fn help_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(Modal::Help { context, .. }) = self.modals.last() else {
            return Vec::new();
        };
        let count = self.help_lines(*context).len();
        let page = help::page(self.areas().content, count);
        let max = help::max_scroll(self.areas().content, count);
        if let Some(Modal::Help { scroll, .. }) = self.modals.last_mut() {
            if !help::scroll(scroll, &action, page, max) && matches!(action, Action::Back) {
                self.modals.pop();
            }
        }
        Vec::new()
    }

    /// A bracketed paste (D67). Where text is typed (a form's text field, the sign-in and setup
    /// screens, the filter, the import path, the slug of a purge) it is inserted as one line
    /// at the cursor; on the customers list it opens the filter with it; anywhere else, and
    /// on a choice field, it is dropped with a note. A paste never reaches a list as keys.
    pub fn handle_paste(&mut self, text: &str, now: Timestamp) -> Vec<Effect> {
        self.now = now;
        self.last_input = now;
        if layout::is_too_small(self.width, self.height) {
            return Vec::new();
        }
        let context = self.context();
        let on_choice = match (self.modals.last(), &self.screen) {
            (Some(Modal::Form(f)), _) => f.focused_is_choice(),
            (None, Screen::Setup(f) | Screen::SignIn(f)) => f.focused_is_choice(),
            _ => false,
        };
        let mut effects = Vec::new();
        if context == Context::Customers {
            effects.extend(self.update(Action::StartFilter));
        } else if !context.takes_text() || on_choice {
            self.set_status(
                StatusKind::Info,
                "pasted text not used: nothing here takes text",
            );
            return Vec::new();
        }
        for c in paste_line(text).chars() {
            effects.extend(self.update(Action::Type(Input {
                key: Key::Char(c),
                ..Input::default()
            })));
        }
        // Only the last slug check still matters.
        let last_check = effects
            .iter()
            .rposition(|e| matches!(e, Effect::CheckSlug(_)));
        let mut i = 0;
        effects.retain(|e| {
            i += 1;
            !matches!(e, Effect::CheckSlug(_)) || Some(i - 1) == last_check
        });
        effects
    }
}
