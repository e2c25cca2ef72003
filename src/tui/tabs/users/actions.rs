//! The Users tab's actions on one user: which audit action each change is, the privilege
//! refusal before any form or dialog, and the form or confirm dialog each opens (D66, D89).
//! Nothing here runs a command: a confirm dialog carries it, and the app runs it on "yes".

use super::{UsersTab, customers, forms, refused};
use crate::domain::AuditAction;
use crate::domain::text::display_safe;
use crate::service::{UserCommand, UserRow};
use crate::tui::action::{Action, Effect};
use crate::tui::app::StatusKind;
use crate::tui::modals::{ConfirmState, Modal};
use crate::tui::tabs::TabCtx;

impl UsersTab {
    /// The action's audit action, for the changes this tab makes.
    fn change_of(action: &Action, row: &UserRow) -> Option<AuditAction> {
        Some(match action {
            Action::AddUser => AuditAction::UserAdd,
            Action::EditUser => AuditAction::UserEdit,
            Action::ToggleUser if row.status == "disabled" => AuditAction::UserEnable,
            Action::ToggleUser => AuditAction::UserDisable,
            Action::DeleteUser => AuditAction::UserDelete,
            Action::PreviewWelcome | Action::WriteWelcome => AuditAction::UserWelcome,
            Action::SendReset => AuditAction::PasswordResetRequest,
            _ => return None,
        })
    }

    /// Why this view does not offer `action` at all, whatever the privileges: deleting a
    /// user is staff's (not a customer's administrators'), and a password reset is not made
    /// while impersonating. The service refuses both anyway; this keeps them off the hints
    /// and the help, and says why when the key is pressed.
    pub(super) fn withheld(&self, action: &Action) -> Option<&'static str> {
        match action {
            Action::DeleteUser if self.own_customer => {
                Some("deleting a user is for the platform's staff; disable them instead (s)")
            }
            Action::SendReset if self.impersonating => {
                Some("not while impersonating: passwords stay with the people")
            }
            _ => None,
        }
    }

    /// Actions on the user an action applies to.
    pub(super) fn command(&mut self, action: Action, cx: &mut TabCtx<'_>) -> Vec<Effect> {
        let Some(row) = self.target().cloned() else {
            return Vec::new();
        };
        if let Some(why) = self.withheld(&action) {
            cx.set_status(StatusKind::Error, why);
            return Vec::new();
        }
        // What the service refuses for this row, said before asking.
        let row_refusal = match &action {
            Action::ToggleUser if row.is_staff() => Some(format!(
                "{} is a staff member: `tenantry staff disable|enable` changes their access",
                crate::domain::text::display_safe(&row.email)
            )),
            Action::DeleteUser if !row.may_be_deleted() => Some(format!(
                "{} is a staff member or a customer's owner, and is not deleted as a user",
                crate::domain::text::display_safe(&row.email)
            )),
            _ => None,
        };
        if let Some(why) = row_refusal {
            cx.set_status(StatusKind::Error, why);
            return Vec::new();
        }
        if let Some(change) = Self::change_of(&action, &row) {
            if !self.may_manage {
                cx.set_status(StatusKind::Error, refused(change));
                return Vec::new();
            }
        }
        let email = row.email.clone();
        let shown = display_safe(&email);
        let confirm = |title: &str, text: String, command: UserCommand, yes: &str, no: &str| {
            let done = command.spec().0.done_phrase();
            let run = Action::Run {
                command: Box::new(command.into()),
                done: done.into(),
            };
            Modal::confirm(ConfirmState::new(title, text, run).answers(yes, no))
        };
        match action {
            Action::OpenDetail => return vec![Effect::LoadUser(email)],
            Action::EditUser => {
                let form = match (&self.customer, self.own_customer) {
                    (Some(slug), true) => forms::edit_form_in_own(&row, slug),
                    _ => forms::edit_form(&row),
                };
                cx.push(Modal::Form(Box::new(form)));
            }
            Action::ToggleUser if row.status == "disabled" => cx.push(confirm(
                "Enable user",
                format!("Enable {shown} again? They can sign in again."),
                UserCommand::Enable { email },
                "enable",
                "keep disabled",
            )),
            Action::ToggleUser => cx.push(confirm(
                "Disable user",
                format!("Disable {shown}? They cannot sign in until someone enables them."),
                UserCommand::Disable { email },
                "disable",
                "keep enabled",
            )),
            Action::DeleteUser => cx.push(confirm(
                "Delete user",
                format!(
                    "Delete {shown} and their memberships in {}? This cannot be undone.",
                    display_safe(&customers(&row))
                ),
                UserCommand::Delete { email },
                "delete",
                "keep",
            )),
            Action::PreviewWelcome => return vec![Effect::LoadWelcome(email)],
            Action::SendReset => {
                let text = format!(
                    "Send {shown} a password-reset message? Its code is valid for one hour."
                );
                cx.push(Modal::confirm(
                    ConfirmState::new("Send reset", text, Action::ResetConfirmed { email })
                        .answers("send", "don't send"),
                ));
            }
            _ => {}
        }
        Vec::new()
    }
}
