//! The My settings tab: the signed-in user's own account. They turn their own notifications
//! on or off and change their own password (with the current one); their first and last
//! name are shown but not theirs to change (the customer's administrators or the provider
//! change them). While staff impersonate, nothing here changes: their own account is not the
//! customer's, and passwords stay with the people themselves.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

use super::{TabCtx, TabPane};
use crate::service::{UserCommand, UserRow};
use crate::tui::action::{Action, Effect};
use crate::tui::app::StatusKind;
use crate::tui::keymap::Context;
use crate::tui::modals::{ConfirmState, Field, FormKind, FormState, Modal};
use crate::tui::render::text::{detail_head, fit_middle, local};
use crate::tui::table::View;
use crate::tui::tabs::customers::forms::Submitted;

#[derive(Debug, Clone, Default)]
pub struct MySettingsTab {
    pub account: Option<Box<UserRow>>,
    /// True while staff impersonate: shown, never changed.
    pub read_only: bool,
}

/// The form of a new password: the current one, then the new one twice.
pub fn password_form() -> FormState {
    let mut form = FormState::new(
        FormKind::ChangeOwnPassword,
        "Change your password",
        vec![
            Field::secret("Current password", "current password"),
            Field::secret("New password", "new password"),
            Field::secret("Repeat new password", "repeat password"),
        ],
    );
    form.note =
        Some("At least 12 characters. Codes of earlier reset messages stop working.".into());
    form
}

/// Turns the password form into its effect, once both new passwords agree.
pub fn submit(form: &mut FormState) -> Submitted {
    if form.kind != FormKind::ChangeOwnPassword {
        return Submitted::NotOurs;
    }
    let (current, new) = (form.value("current password"), form.value("new password"));
    if current.is_empty() {
        form.refuse(&crate::domain::ValidationError::new(
            "current password",
            "type your current password",
        ));
        return Submitted::Refused;
    }
    if new != form.value("repeat password") {
        form.refuse(&crate::domain::ValidationError::new(
            "repeat password",
            "the two new passwords differ",
        ));
        return Submitted::Refused;
    }
    Submitted::Run(Box::new(Effect::ChangeOwnPassword { current, new }))
}

impl MySettingsTab {
    fn refuse_impersonating(&self, cx: &mut TabCtx<'_>) -> bool {
        if self.read_only {
            cx.set_status(
                StatusKind::Error,
                "your own settings are not changed while impersonating",
            );
        }
        self.read_only
    }
}

impl TabPane for MySettingsTab {
    fn context(&self) -> Context {
        Context::MySettings
    }

    fn update(&mut self, action: Action, cx: &mut TabCtx<'_>) -> Vec<Effect> {
        match action {
            Action::MyAccountLoaded(row) => self.account = Some(row),
            Action::ToggleNotifications if self.refuse_impersonating(cx) => {}
            Action::ToggleNotifications => {
                let Some(account) = &self.account else {
                    return Vec::new();
                };
                let on = !account.notifications;
                let word = if on { "on" } else { "off" };
                cx.push(Modal::confirm(
                    ConfirmState::new(
                        "Notifications",
                        format!("Turn your notifications {word}?"),
                        Action::Run {
                            command: Box::new(UserCommand::SetOwnNotifications { on }.into()),
                            done: format!("notifications {word}:"),
                        },
                    )
                    .answers(format!("turn {word}"), "keep"),
                ));
            }
            Action::ChangeOwnPassword if self.refuse_impersonating(cx) => {}
            Action::ChangeOwnPassword => cx.push(Modal::Form(Box::new(password_form()))),
            _ => {}
        }
        Vec::new()
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, view: &View) {
        let Some(account) = &self.account else {
            crate::tui::render::centered_text(frame, area, &["Loading your account…".into()]);
            return;
        };
        let w = usize::from(area.width.saturating_sub(20));
        let on_off = if account.notifications { "on" } else { "off" };
        let last = account
            .last_sign_in
            .map_or("never".to_owned(), |t| local(t, view.utc_offset_secs));
        let fields = vec![
            ("Email", fit_middle(&account.email, w)),
            ("First name", fit_middle(&account.first_name, w)),
            ("Last name", fit_middle(&account.last_name, w)),
            ("Language", account.language.clone()),
            ("Notifications", on_off.to_owned()),
            ("Last sign-in", last),
        ];
        let mut lines = detail_head(
            view.theme,
            "My settings".into(),
            view.utc_offset_secs,
            fields,
        );
        lines.push(ratatui::text::Line::from(""));
        let note = if self.read_only {
            "You are impersonating: your own settings are not changed from a customer's view."
        } else {
            "Your names are changed by your customer's administrators. n: notifications, p: password."
        };
        lines.push(ratatui::text::Line::styled(note, view.theme.dim()));
        frame.render_widget(Paragraph::new(lines), area);
    }

    fn reset(&mut self) {
        *self = Self::default();
    }

    fn shown(&mut self) -> Vec<Effect> {
        vec![Effect::LoadMyAccount]
    }

    fn offers(&self, action: &Action) -> bool {
        !matches!(
            action,
            Action::ToggleNotifications | Action::ChangeOwnPassword
        ) || !self.read_only
    }

    fn role_offers(&self, action: &Action) -> bool {
        self.offers(action)
    }
}
