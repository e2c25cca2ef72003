//! Drawing: one pure function of [`App`] per screen region. Nothing here changes state,
//! reads the clock or performs I/O; every user string goes through `text::fit`.

mod import;
mod import_table;
mod messages;
mod modal;
pub mod text;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::app::{App, Screen, StatusKind};
use super::layout::{self, FLOOR_HEIGHT, FLOOR_WIDTH};
use crate::domain::text::display_safe;
use text::{Theme, fit, fit_left, fit_middle};

/// Draws the whole screen.
pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let area = frame.area();
    if layout::is_too_small(area.width, area.height) {
        let text = vec![
            Line::from(format!(
                "terminal too small (needs {FLOOR_WIDTH}x{FLOOR_HEIGHT})"
            )),
            Line::from(format!("now {}x{}", area.width, area.height)),
            Line::from("only q and Ctrl-C work here"),
        ];
        let y = area.height.saturating_sub(3) / 2;
        let rect = Rect::new(0, y, area.width, 3.min(area.height));
        frame.render_widget(Paragraph::new(text).centered(), rect);
        return;
    }
    let theme = Theme {
        color: app.opts.color,
    };
    let areas = app.areas();
    match &app.screen {
        Screen::Opening => centered_text(frame, areas.content, &["Opening the database…".into()]),
        Screen::InUse { pid, user, since } => {
            let lines = [
                "The database is in use by another process:".to_owned(),
                format!("pid {pid}, user {user}, since {since}"),
                String::new(),
                "The console tries again every 5 seconds.".to_owned(),
                format!("Database: {}", app.opts.db_label),
            ];
            centered_text(frame, areas.content, &lines);
        }
        Screen::Failed(message) => {
            let lines = [
                "The database could not be opened:".to_owned(),
                fit(message, usize::from(areas.content.width)),
            ];
            centered_text(frame, areas.content, &lines);
        }
        Screen::Setup(form) | Screen::SignIn(form) => {
            modal::draw_form(frame, areas.content, form, theme, app);
        }
        Screen::Main => app
            .tabs
            .get(app.tab)
            .render(frame, areas.content, &app.view()),
    }
    // What lies under a dialog is dimmed, and the dialog clears its own box and margin.
    if !app.modals.is_empty() {
        frame.buffer_mut().set_style(
            areas.content,
            ratatui::style::Style::default().add_modifier(ratatui::style::Modifier::DIM),
        );
    }
    for modal in &app.modals {
        modal::draw_modal(frame, areas.content, modal, app, theme);
    }
    // After the dialogs: a dialog's cleared margin at the top of the content must not blank
    // the tab bar (it sits one row lower under the impersonation bar).
    frame.render_widget(Clear, areas.tabs);
    draw_tab_bar(frame, app, areas.tabs, theme);
    draw_status(frame, app, areas.status, theme);
    draw_hints(frame, app, areas.hints, theme);
    // Last, over everything: no screen, dialog or size hides it.
    draw_impersonation_bar(frame, app, theme);
}

/// The impersonation bar on the top row: black on bright yellow, or reverse video without
/// colour; it always says IMPERSONATING and how to get back.
fn draw_impersonation_bar(frame: &mut Frame<'_>, app: &App, theme: Theme) {
    let Some(view) = &app.customer_view else {
        return;
    };
    let Some(bar) = &view.impersonation else {
        return;
    };
    let width = frame.area().width;
    let back = app
        .keymap
        .bindings(super::keymap::Context::Global)
        .iter()
        .find(|b| matches!(b.action, super::action::Action::BackToStaff))
        .and_then(|b| b.keys.first())
        .map_or_else(
            || "Ctrl-B".to_owned(),
            |k| super::customer_view::key_label(&k.to_string()),
        );
    let text =
        super::customer_view::bar_text(&view.customer, bar, app.now, &back, usize::from(width));
    let style = if theme.color {
        ratatui::style::Style::default()
            .fg(ratatui::style::Color::Black)
            .bg(ratatui::style::Color::LightYellow)
            .add_modifier(ratatui::style::Modifier::BOLD)
    } else {
        ratatui::style::Style::default().add_modifier(ratatui::style::Modifier::REVERSED)
    };
    let padded = format!("{text:<w$}", w = usize::from(width));
    frame.render_widget(
        Paragraph::new(Span::styled(fit(&padded, usize::from(width)), style)),
        Rect::new(0, 0, width, 1),
    );
}

/// Lines centred in `area`, wrapped.
pub(super) fn centered_text(frame: &mut Frame<'_>, area: Rect, lines: &[String]) {
    let height = (lines.len() as u16).min(area.height);
    let rect = Rect::new(
        area.x,
        area.y + (area.height - height) / 2,
        area.width,
        height,
    );
    let text: Vec<Line<'_>> = lines.iter().map(|l| Line::from(l.clone())).collect();
    frame.render_widget(
        Paragraph::new(text).centered().wrap(Wrap { trim: true }),
        rect,
    );
}

fn draw_tab_bar(frame: &mut Frame<'_>, app: &App, area: Rect, theme: Theme) {
    let main = matches!(app.screen, Screen::Main);
    // A customer's user choosing a customer has no tabs yet: the staff ones are not theirs.
    let tabs: &[super::tabs::Tab] = if app.choosing_customer() {
        &[]
    } else {
        app.tab_set()
    };
    let mut spans = Vec::new();
    for (i, (tab, _, _)) in layout::tab_spans(tabs).into_iter().enumerate() {
        let label = format!(" {} {} ", i + 1, tab.title());
        let style = if main && tab == app.tab {
            theme.selected().patch(theme.header())
        } else {
            theme.dim()
        };
        spans.push(Span::styled(label, style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    let used: u16 = layout::tab_spans(tabs).iter().map(|(_, _, w)| w).sum();
    if let Some(email) = &app.signed_in {
        let room = usize::from(area.width.saturating_sub(used + 2));
        let who = fit_middle(email, room);
        let w = unicode_width::UnicodeWidthStr::width(who.as_str()) as u16;
        let rect = Rect::new(area.width.saturating_sub(w + 1), area.y, w, 1);
        frame.render_widget(Paragraph::new(Span::styled(who, theme.accent())), rect);
    }
}

/// The status line: the latest message across the whole width (cut, it ends with the message
/// log's key, `[M]`: the log holds it in full); with no message, the database path.
fn draw_status(frame: &mut Frame<'_>, app: &App, area: Rect, theme: Theme) {
    if let Some(status) = &app.status {
        let (prefix, style) = match status.kind {
            StatusKind::Ok => ("ok: ", theme.ok()),
            StatusKind::Error => ("error: ", theme.error()),
            StatusKind::Info => ("", theme.warn()),
        };
        let full = format!("{prefix}{}", status.text);
        let width = usize::from(area.width);
        let fits = unicode_width::UnicodeWidthStr::width(display_safe(&full).as_str()) <= width;
        let log_key = app
            .keymap
            .bindings(super::keymap::Context::Global)
            .iter()
            .find(|b| matches!(b.action, super::action::Action::Messages))
            .and_then(|b| b.keys.first())
            .map(|k| format!(" [{k}]"));
        let text = match log_key {
            Some(key) if !fits => {
                let room = width.saturating_sub(key.chars().count());
                format!("{}{key}", fit(&full, room))
            }
            _ => fit(&full, width),
        };
        frame.render_widget(Paragraph::new(Span::styled(text, style)), area);
        return;
    }
    let db = fit_left(
        &format!("db {}", app.opts.db_label),
        usize::from(area.width),
    );
    let db_w = unicode_width::UnicodeWidthStr::width(db.as_str()) as u16;
    frame.render_widget(
        Paragraph::new(Span::styled(db, theme.dim())),
        Rect::new(area.width.saturating_sub(db_w), area.y, db_w, 1),
    );
}

fn draw_hints(frame: &mut Frame<'_>, app: &App, area: Rect, theme: Theme) {
    let mut spans = Vec::new();
    let mut used = 0usize;
    let width = usize::from(area.width);
    let context = app.context();
    // Only what this session can do here (D69); the active tab words the actions whose
    // meaning follows what it shows.
    let tab_keys = app.modals.is_empty() && matches!(app.screen, Screen::Main);
    let tab = app.tabs.get(app.tab);
    let label = |action: &super::action::Action| tab_keys.then(|| tab.hint_label(action)).flatten();
    for (keys, what) in app
        .keymap
        .hint_with(context, &|a| app.offers(context, a), label)
    {
        let piece = format!("{keys} {what}");
        let w = unicode_width::UnicodeWidthStr::width(piece.as_str()) + 2;
        if used + w > width {
            break;
        }
        used += w;
        spans.push(Span::styled(keys, theme.header()));
        spans.push(Span::raw(format!(" {what}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A bordered box cleared of what is beneath it, with a cleared margin of one cell around it
/// (inside the content area), so the table never shows through beside the border.
pub(super) fn boxed(frame: &mut Frame<'_>, rect: Rect, title: &str, theme: Theme) -> Rect {
    let area = frame.area();
    let content = layout::areas(area.width, area.height).content;
    let margin = Rect::new(
        rect.x.saturating_sub(1),
        rect.y.saturating_sub(1),
        rect.width.saturating_add(2),
        rect.height.saturating_add(2),
    )
    .intersection(content)
    .union(rect);
    frame.render_widget(Clear, margin);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {title} "), theme.header()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}
