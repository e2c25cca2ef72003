//! The people half of `App::update`: where the Users and Invitations loads go, what a
//! people command's outcome shows (the new invitation code once, in a dialog, with where its
//! message went), and the sign-in screen's other forms: "I have an invitation", "Forgot
//! password?" and "I have a reset code". Like `app.rs`, it performs no I/O.

use super::action::{Action, Effect};
use super::app::{App, Screen, StatusKind};
use super::modals::{Field, FormKind, FormState, Modal};
use super::tabs::Tab;
use crate::domain::ValidationError;
use crate::domain::text::display_safe;
use crate::service::{Outcome, ServiceError};

/// The sign-in screen's forms that need no session.
fn entry_form(kind: FormKind) -> FormState {
    let (title, fields, note) = match kind {
        FormKind::AcceptInvitation => (
            "I have an invitation",
            vec![
                Field::text("Invitation code", "token", ""),
                Field::secret("New password", "password"),
                Field::secret("Repeat password", "repeat password"),
            ],
            "The code is in the invitation message. Esc goes back to sign-in.",
        ),
        FormKind::ResetPassword => (
            "I have a reset code",
            vec![
                Field::text("Reset code", "token", ""),
                Field::secret("New password", "password"),
                Field::secret("Repeat password", "repeat password"),
            ],
            "The code is in the reset message; it is valid for one hour. Esc goes back to sign-in.",
        ),
        _ => (
            "Forgot password?",
            vec![Field::text("Email", "email", "")],
            "A reset message goes to this email if it has an account. Esc goes back to sign-in.",
        ),
    };
    let mut form = FormState::new(kind, title, fields);
    form.note = Some(note.into());
    form
}

impl App {
    /// Results of the people loads and of the sign-in screen's session-less forms.
    pub(super) fn people_result(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::UsersLoaded { .. }
            | Action::UsersChunk { .. }
            | Action::UserRefreshed { .. }
            | Action::UserLoaded(_)
            | Action::WelcomeLoaded { .. } => self.route_to(Tab::Users, action),
            Action::InvitationsLoaded { .. } | Action::InvitationsChunk { .. } => {
                self.route_to(Tab::Invitations, action)
            }
            Action::ResetRequested(answer) | Action::EntryDone(answer) => {
                if matches!(self.screen, Screen::SignIn(_)) {
                    let mut form = self.sign_in_form();
                    form.note = Some(display_safe(&answer));
                    self.screen = Screen::SignIn(Box::new(form));
                }
                self.set_status(StatusKind::Ok, answer);
                Vec::new()
            }
            Action::EntryFailed(err) => {
                match &mut self.screen {
                    Screen::SignIn(form) => match err {
                        ServiceError::Invalid(_) | ServiceError::InvalidFields(_) => {
                            form.refuse_all(err.field_problems())
                        }
                        other => form.general_error = Some(other.to_string()),
                    },
                    _ => self.set_status(StatusKind::Error, err.to_string()),
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// What a people command's outcome adds once the tabs saw it: the loads that bring the
    /// people tabs up to date, and for a new invitation code the dialog that shows it once.
    pub(super) fn people_outcome(&mut self, outcome: &Outcome) -> Vec<Effect> {
        if let Outcome::Invitation {
            row,
            token,
            message,
        } = outcome
        {
            if !token.is_empty() {
                // Shown once: the operator may have to pass it on; it is kept nowhere else.
                self.modals.push(Modal::Message {
                    title: "Invitation code (shown once)".into(),
                    text: format!(
                        "Code for {} ({}):\n{token}\nIt works until {} UTC, once. The message: {}.",
                        display_safe(&row.email),
                        row.customer,
                        row.expires_at
                            .to_rfc3339()
                            .get(..16)
                            .unwrap_or("")
                            .replace('T', " "),
                        display_safe(message)
                    ),
                });
            }
        }
        let mut effects = self.tabs.users.reload(outcome);
        effects.extend(self.tabs.invitations.reload(outcome));
        effects
    }

    /// From a customer's detail view, the Users or Invitations tab showing only that
    /// customer's (Esc on the tab shows everyone again).
    pub(super) fn customer_people(&mut self, action: &Action) -> Vec<Effect> {
        let slug = match (&self.screen, self.tab, &self.tabs.customers.detail) {
            (Screen::Main, Tab::Customers, Some(d)) if self.modals.is_empty() => d.row.slug.clone(),
            _ => return Vec::new(),
        };
        let h = self.list_height();
        let tab = if matches!(action, Action::CustomerUsers) {
            self.tabs.users.only_customer(Some(slug), h);
            Tab::Users
        } else {
            self.tabs.invitations.only_customer(Some(slug), h);
            Tab::Invitations
        };
        let n = self.tab_set().iter().position(|t| *t == tab).unwrap_or(0);
        self.update(Action::GoTab(n))
    }

    /// The sign-in screen's other forms: opening one, going back, submitting. Gives the
    /// action back when it is none of these.
    pub(super) fn other_entry(&mut self, action: Action) -> Result<Vec<Effect>, Action> {
        let Screen::SignIn(form) = &mut self.screen else {
            return Err(action);
        };
        let kind = form.kind.clone();
        match action {
            Action::AcceptInvitationForm | Action::ForgotPassword | Action::ResetCodeForm => {
                let kind = match action {
                    Action::AcceptInvitationForm => FormKind::AcceptInvitation,
                    Action::ForgotPassword => FormKind::ForgotPassword,
                    _ => FormKind::ResetPassword,
                };
                self.screen = Screen::SignIn(Box::new(entry_form(kind)));
                Ok(Vec::new())
            }
            Action::Cancel if kind != FormKind::SignIn => {
                self.screen = Screen::SignIn(Box::new(self.sign_in_form()));
                Ok(Vec::new())
            }
            Action::Submit if kind == FormKind::ForgotPassword => {
                form.errors.clear();
                form.general_error = None;
                let email = form.value("email").trim().to_owned();
                if email.is_empty() {
                    form.refuse(&ValidationError::new("email", "type your email"));
                    return Ok(Vec::new());
                }
                Ok(vec![Effect::RequestReset { email }])
            }
            Action::Submit
                if matches!(kind, FormKind::AcceptInvitation | FormKind::ResetPassword) =>
            {
                form.errors.clear();
                form.general_error = None;
                let token = form.value("token").trim().to_owned();
                let password = form.value("password");
                let mut problems = Vec::new();
                if token.is_empty() {
                    problems.push(ValidationError::new(
                        "token",
                        "type the code from the message",
                    ));
                }
                if password.is_empty() {
                    problems.push(ValidationError::new("password", "type a new password"));
                } else if password != form.value("repeat password") {
                    problems.push(ValidationError::new(
                        "repeat password",
                        "the two passwords differ",
                    ));
                }
                if !problems.is_empty() {
                    form.refuse_all(&problems);
                    return Ok(Vec::new());
                }
                Ok(vec![if kind == FormKind::AcceptInvitation {
                    Effect::AcceptInvitation { token, password }
                } else {
                    Effect::ResetPassword { token, password }
                }])
            }
            other => Err(other),
        }
    }
}
