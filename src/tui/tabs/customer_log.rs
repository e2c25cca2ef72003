//! The Log tab of a customer's own view: the newest events of the customer, as its
//! administrators read them, with what staff did while impersonating the customer marked as
//! such. The service confines the read to the session's customer; this tab only shows it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{TabCtx, TabPane};
use crate::domain::AuditAction;
use crate::service::{AuditRow, Outcome};
use crate::tui::action::{Action, Effect};
use crate::tui::keymap::Context;
use crate::tui::render::text::{fit, fit_middle, pad};
use crate::tui::table::View;

/// Events the tab reads, newest first.
pub const LOG_ROWS: usize = 500;

#[derive(Debug, Clone, Default)]
pub struct CustomerLogTab {
    pub rows: Vec<AuditRow>,
    pub loaded: bool,
    /// The selected event.
    selected: usize,
}

/// Who did it, as the customer reads it: staff working in the customer's view are named as
/// staff, never as one of the customer's own people.
pub fn actor_label(row: &AuditRow) -> String {
    if row.impersonated_slug.is_empty() {
        row.actor_email.clone()
    } else {
        format!("staff·{}", row.actor_email)
    }
}

/// One event whole, for the dialog Enter opens: one line per field, each made visible-safe
/// on its own.
fn event_text(row: &AuditRow) -> String {
    use crate::domain::text::display_safe as safe;
    let by = if row.impersonated_slug.is_empty() {
        safe(&row.actor_email)
    } else {
        format!(
            "{} (the provider's staff, impersonating {})",
            safe(&row.actor_email),
            safe(&row.impersonated_slug)
        )
    };
    [
        format!("Event {}", row.seq),
        format!("Time: {}", row.at),
        format!("By: {by}"),
        format!("Action: {}", safe(&row.action)),
        format!("Summary: {}", safe(&row.summary)),
    ]
    .join("\n")
}

impl TabPane for CustomerLogTab {
    fn context(&self) -> Context {
        Context::CustomerLog
    }

    fn update(&mut self, action: Action, cx: &mut TabCtx<'_>) -> Vec<Effect> {
        let page = cx.height().max(1);
        let last = self.rows.len().saturating_sub(1);
        match action {
            Action::CustomerLogLoaded(rows) => {
                self.rows = rows;
                self.loaded = true;
                self.selected = 0;
            }
            Action::SelectNext | Action::ScrollDown => {
                self.selected = (self.selected + 1).min(last)
            }
            Action::SelectPrev | Action::ScrollUp => {
                self.selected = self.selected.saturating_sub(1)
            }
            Action::PageDown => self.selected = (self.selected + page).min(last),
            Action::PageUp => self.selected = self.selected.saturating_sub(page),
            Action::SelectFirst => self.selected = 0,
            Action::SelectLast => self.selected = last,
            Action::OpenDetail => {
                if let Some(row) = self.rows.get(self.selected) {
                    cx.push(crate::tui::modals::Modal::Message {
                        title: format!("Event {}", row.seq),
                        text: event_text(row),
                    });
                }
            }
            _ => {}
        }
        Vec::new()
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, view: &View) {
        let theme = view.theme;
        let areas = crate::tui::layout::list_areas(area);
        let title = if self.loaded {
            format!(
                "Log · the newest {} event(s) of your customer · times {}",
                self.rows.len(),
                crate::tui::render::text::zone(view.utc_offset_secs)
            )
        } else {
            "Log · loading…".to_owned()
        };
        let width = usize::from(area.width);
        // Below 100 columns who did it gives way, so the summary keeps room to be read.
        let who_w = if width < 100 { 20 } else { 26 };
        frame.render_widget(
            Paragraph::new(Span::styled(fit(&title, width), theme.header())),
            areas.title,
        );
        let header = format!(
            "{} {} {} SUMMARY",
            pad("TIME", 11),
            pad("WHO", who_w),
            pad("ACTION", 20)
        );
        frame.render_widget(
            Paragraph::new(Span::styled(fit(&header, width), theme.dim())),
            areas.header,
        );
        let height = usize::from(areas.body.height).max(1);
        let top = self.selected.saturating_sub(height - 1);
        let lines: Vec<Line<'_>> = self
            .rows
            .iter()
            .enumerate()
            .skip(top)
            .take(height)
            .map(|(i, row)| {
                let at = crate::tui::render::text::day_of(&row.at, view.now, view.utc_offset_secs);
                let who = fit_middle(&actor_label(row), who_w);
                let mut style = if row.impersonated_slug.is_empty() {
                    ratatui::style::Style::default()
                } else {
                    theme.warn()
                };
                if i == self.selected {
                    style = style.patch(theme.selected());
                }
                let line = format!(
                    "{} {} {} {}",
                    pad(&at, 11),
                    pad(&who, who_w),
                    pad(&row.action, 20),
                    row.summary
                );
                Line::from(Span::styled(fit(&line, width), style))
            })
            .collect();
        if self.loaded && self.rows.is_empty() {
            crate::tui::render::centered_text(frame, areas.body, &["No events yet.".into()]);
            return;
        }
        frame.render_widget(Paragraph::new(lines), areas.body);
    }

    fn reset(&mut self) {
        *self = Self::default();
    }

    fn shown(&mut self) -> Vec<Effect> {
        vec![Effect::LoadCustomerLog]
    }

    fn apply(&mut self, _outcome: &Outcome, _action: AuditAction, _height: usize) {
        // A change made in the view is in the log: read the newest again when shown.
        self.loaded = false;
    }
}
