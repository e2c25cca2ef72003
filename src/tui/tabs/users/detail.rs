//! The Users tab's two views over the list: one user's fields, customers and recent events,
//! and the preview of the user's welcome message (scrolled; a key writes it, asked first).
//! Draws and scrolls; writing leaves as a confirmed command.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::UsersTab;
use crate::domain::AuditAction;
use crate::domain::text::display_safe;
use crate::service::UserCommand;
use crate::tui::action::{Action, Effect};
use crate::tui::app::StatusKind;
use crate::tui::modals::{ConfirmState, Modal};
use crate::tui::render::text::{custom_field_lines, detail_head, fit, fit_middle, local};
use crate::tui::table::View;
use crate::tui::tabs::TabCtx;

/// Lines of the detail view besides its customers and events (title, fields, headings).
const DETAIL_FIELD_LINES: usize = 16;

/// Moves `scroll` by a list action within `lines` lines shown `height` at a time; false for
/// any other action.
fn scroll_by(scroll: &mut u16, action: &Action, lines: usize, height: usize) -> bool {
    let max = u16::try_from(lines.saturating_sub(height)).unwrap_or(u16::MAX);
    let page = u16::try_from(height).unwrap_or(u16::MAX);
    match action {
        Action::SelectNext | Action::ScrollDown => *scroll = scroll.saturating_add(1).min(max),
        Action::SelectPrev | Action::ScrollUp => *scroll = scroll.saturating_sub(1),
        Action::PageDown => *scroll = scroll.saturating_add(page).min(max),
        Action::PageUp => *scroll = scroll.saturating_sub(page),
        Action::SelectFirst => *scroll = 0,
        Action::SelectLast => *scroll = max,
        _ => return false,
    }
    true
}

impl UsersTab {
    /// Scrolls the open detail view, or closes it on Back; false for any other action (the
    /// tab applies it to the user shown).
    pub(super) fn scroll_detail(&mut self, action: &Action, height: usize) -> bool {
        let Some(detail) = &self.detail else {
            return false;
        };
        if matches!(action, Action::Back) {
            self.detail = None;
            self.scroll = 0;
            return true;
        }
        let custom = match detail.fields.len() {
            0 => 0,
            n => n + 1,
        };
        let lines =
            DETAIL_FIELD_LINES + custom + detail.row.customers.len() + detail.recent_events.len();
        scroll_by(&mut self.scroll, action, lines, height)
    }

    /// Keys while the welcome preview is open: scrolling, back, and writing it (asked first).
    pub(super) fn welcome_action(&mut self, action: Action, cx: &mut TabCtx<'_>) -> Vec<Effect> {
        let Some(welcome) = &self.welcome else {
            return Vec::new();
        };
        let lines = welcome.lines.len() + 1;
        if scroll_by(&mut self.scroll, &action, lines, cx.height()) {
            return Vec::new();
        }
        match action {
            Action::Back => {
                self.welcome = None;
                self.scroll = 0;
            }
            Action::WriteWelcome if !self.may_manage => {
                cx.set_status(StatusKind::Error, super::refused(AuditAction::UserWelcome))
            }
            Action::WriteWelcome => {
                let text = format!(
                    "Write this welcome message to {} into the outbox (or hand it to the mail command)?",
                    display_safe(&welcome.email)
                );
                let run = Action::Run {
                    command: Box::new(
                        UserCommand::Welcome {
                            email: welcome.email.clone(),
                        }
                        .into(),
                    ),
                    done: AuditAction::UserWelcome.done_phrase().into(),
                };
                cx.push(Modal::confirm(
                    ConfirmState::new("Write welcome message", text, run)
                        .answers("write", "don't write"),
                ));
            }
            _ => {}
        }
        Vec::new()
    }

    pub(super) fn draw_welcome(&self, frame: &mut Frame<'_>, area: Rect, view: &View) {
        let Some(welcome) = &self.welcome else {
            return;
        };
        let theme = view.theme;
        let w = usize::from(area.width);
        let mut lines = vec![Line::from(vec![
            Span::styled(
                fit_middle(
                    &format!("Welcome message to {}", welcome.email),
                    w.saturating_sub(24),
                ),
                theme.header(),
            ),
            Span::styled(" · as it would be written, decoded", theme.dim()),
        ])];
        // The message holds the user's own text: every line made safe and cut to the width.
        lines.extend(welcome.lines.iter().map(|l| Line::from(fit(l, w))));
        frame.render_widget(Paragraph::new(lines).scroll((self.scroll, 0)), area);
    }

    pub(super) fn draw_detail(&self, frame: &mut Frame<'_>, area: Rect, view: &View) {
        let Some(detail) = &self.detail else {
            return;
        };
        let theme = view.theme;
        let row = &detail.row;
        let offset = view.utc_offset_secs;
        let w = usize::from(area.width.saturating_sub(20));
        let opt = |v: &Option<String>| v.as_deref().map_or("—".to_owned(), |s| fit_middle(s, w));
        let fields: Vec<(&str, String)> = vec![
            ("Email", fit_middle(&row.email, w)),
            ("Name", fit_middle(&super::full_name(row), w)),
            ("Status", row.status.clone()),
            (
                "Verified",
                if row.email_verified { "yes" } else { "no" }.into(),
            ),
            ("Language", fit(&row.language, w)),
            (
                "Notifications",
                if row.notifications { "on" } else { "off" }.into(),
            ),
            ("Staff role", opt(&row.staff_role)),
            ("Created", local(row.created_at, offset)),
            ("Created how", row.origin.clone()),
            ("Created by", opt(&row.created_by)),
            (
                "Last sign-in",
                row.last_sign_in
                    .map_or("never".into(), |t| local(t, offset)),
            ),
        ];
        let mut lines = detail_head(
            theme,
            format!("User {}", fit_middle(&row.email, w)),
            offset,
            fields,
        );
        lines.extend(custom_field_lines(theme, &detail.fields, w));
        lines.push(Line::from(Span::styled(
            format!("Customers ({})", row.customers.len()),
            theme.header(),
        )));
        for c in &row.customers {
            let owner = if c.is_owner { " (owner)" } else { "" };
            lines.push(Line::from(format!(
                "  {}  {}  {}  {}{owner}",
                fit_middle(&c.slug, 24),
                fit_middle(&c.name, 28),
                c.role,
                c.status
            )));
        }
        lines.push(Line::from(Span::styled(
            format!("Recent events ({})", detail.recent_events.len()),
            theme.header(),
        )));
        let room = usize::from(area.width).saturating_sub(24);
        for e in &detail.recent_events {
            let at = e.at.get(..16).unwrap_or(&e.at).replace('T', " ");
            lines.push(Line::from(format!(
                "  {at}  {}",
                fit(&format!("{} {}", e.action, e.summary), room)
            )));
        }
        frame.render_widget(Paragraph::new(lines).scroll((self.scroll, 0)), area);
    }
}
