//! Drawing the Logs tab: the title line (the filter, the search and how far it got), the
//! header and the events, the selected one highlighted and staff acting as a customer marked.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::forms::thousands;
use super::{LogsTab, actor_cell};
use crate::tui::render::text::{fit, fit_middle, pad};
use crate::tui::table::View;

impl LogsTab {
    pub(super) fn draw(&self, frame: &mut Frame<'_>, area: Rect, view: &View) {
        let theme = view.theme;
        let areas = crate::tui::layout::list_areas(area);
        let width = usize::from(area.width);
        let more = if self.next.is_some() { "+" } else { "" };
        let mut title = format!(
            "Log · newest first · {}{more} event(s) · times {}",
            self.rows.len(),
            crate::tui::render::text::zone(view.utc_offset_secs)
        );
        if self.follow {
            title.push_str(" · following");
        }
        if !self.view.is_empty() {
            title = format!(
                "Log · {} (Esc clears) · {}{more}",
                self.view.describe(),
                self.rows.len()
            );
        }
        if let Some(search) = &self.search {
            let filter = if self.view.is_empty() {
                String::new()
            } else {
                format!(" · {}", self.view.describe())
            };
            let state = if search.running {
                format!(
                    "searching… {} of {} (Esc stops)",
                    thousands(search.scanned),
                    thousands(search.total)
                )
            } else if search.scanned < search.total {
                format!(
                    "stopped at {} of {} (Esc clears)",
                    thousands(search.scanned),
                    thousands(search.total)
                )
            } else {
                format!("searched all {} (Esc clears)", thousands(search.total))
            };
            title = format!(
                "Log · \"{}\"{filter} · {} match(es) · {state}",
                crate::domain::text::display_safe(&search.text),
                self.rows.len()
            );
        }
        frame.render_widget(
            Paragraph::new(Span::styled(fit(&title, width), theme.header())),
            areas.title,
        );
        // Below 100 columns who, where and what give way, so the summary keeps room.
        let (seq_w, who_w, cust_w, act_w) = if width < 100 {
            (6, 16, 14, 18)
        } else {
            (7, 22, 18, 20)
        };
        let header = format!(
            "{} {} {} {} {} SUMMARY",
            pad("SEQ", seq_w),
            pad("TIME", 11),
            pad("ACTOR", who_w),
            pad("CUSTOMER", cust_w),
            pad("ACTION", act_w)
        );
        frame.render_widget(
            Paragraph::new(Span::styled(fit(&header, width), theme.dim())),
            areas.header,
        );
        if !self.loaded {
            crate::tui::render::centered_text(frame, areas.body, &["Reading the log…".into()]);
            return;
        }
        if self.rows.is_empty() {
            let text = match &self.search {
                Some(s) if s.running => "Searching…",
                _ => "No events match.",
            };
            crate::tui::render::centered_text(frame, areas.body, &[text.into()]);
            return;
        }
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
                let mut style = if row.impersonated_slug.is_empty() {
                    ratatui::style::Style::default()
                } else {
                    theme.warn()
                };
                if i == self.selected {
                    style = style.patch(theme.selected());
                }
                let line = format!(
                    "{} {} {} {} {} {}",
                    pad(&row.seq.to_string(), seq_w),
                    pad(&at, 11),
                    pad(&fit_middle(&actor_cell(row), who_w), who_w),
                    pad(&fit_middle(&row.customer_slug, cust_w), cust_w),
                    pad(&fit_middle(&row.action, act_w), act_w),
                    row.summary
                );
                Line::from(Span::styled(fit(&line, width), style))
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), areas.body);
    }
}
