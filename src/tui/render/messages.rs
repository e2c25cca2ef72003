//! The message log: every status message of the session in full, newest first, each with its
//! local time and kind, wrapped to the box; the database path in the title, since the status
//! line gives its width to the message. Pure drawing from the app's log.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::super::app::{App, StatusKind};
use super::boxed;
use super::text::{Theme, clock_time, fit_left, zone};
use crate::domain::text::display_safe;

pub fn draw_messages(frame: &mut Frame<'_>, area: Rect, app: &App, scroll: u16, theme: Theme) {
    let offset = app.opts.utc_offset_secs;
    let n = app.messages.len();
    let head = format!("Messages ({n}, newest first, times {}) · db ", zone(offset));
    let room = usize::from(area.width.saturating_sub(4)).saturating_sub(head.chars().count());
    let title = format!(
        "{head}{}",
        fit_left(&display_safe(&app.opts.db_label), room)
    );
    let inner = boxed(frame, area, &title, theme);
    let mut lines: Vec<Line<'_>> = Vec::new();
    if n == 0 {
        lines.push(Line::from(Span::styled(
            "No messages yet in this session.",
            theme.dim(),
        )));
    }
    for m in app.messages.iter().rev().skip(usize::from(scroll)) {
        let (label, style) = match m.kind {
            StatusKind::Ok => ("ok   ", theme.ok()),
            StatusKind::Error => ("error", theme.error()),
            StatusKind::Info => ("info ", theme.warn()),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", clock_time(m.at, offset)), theme.dim()),
            Span::styled(format!("{label} "), style),
            Span::raw(display_safe(&m.text)),
        ]));
    }
    if app.messages_dropped > 0 {
        lines.push(Line::from(Span::styled(
            format!("({} older messages dropped)", app.messages_dropped),
            theme.dim(),
        )));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
