//! Forms, confirm dialogs, messages and the help popup, drawn centred over the content (the
//! import modal draws itself in `import.rs`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::super::action::Action;
use super::super::app::App;
use super::super::keymap::Context;
use super::super::layout::centered;
use super::super::modals::form::CHOICE_KEYS;
use super::super::modals::help::{self, HelpLine};
use super::super::modals::{ConfirmState, FormKind, FormState, Modal};
use super::boxed;
use super::text::{Theme, fit};

const LABEL_W: u16 = 19;

/// Lines a text takes at `width` when wrapped at spaces (as `Wrap { trim: true }` does, a
/// word longer than the width broken across lines), each of its own lines at least one.
fn wrapped_height(text: &str, width: u16) -> u16 {
    let w = usize::from(width.max(1));
    let mut total = 0usize;
    for line in text.split('\n') {
        let (mut lines, mut used) = (1usize, 0usize);
        for word in line.split(' ') {
            // A run of spaces counts inside a line; at a break it is trimmed.
            if word.is_empty() {
                if used > 0 && used < w {
                    used += 1;
                }
                continue;
            }
            let ww = unicode_width::UnicodeWidthStr::width(word);
            if used > 0 && used + 1 + ww <= w {
                used += 1 + ww;
                continue;
            }
            if used > 0 {
                lines += 1;
            }
            used = ww;
            while used > w {
                lines += 1;
                used -= w;
            }
        }
        total += lines;
    }
    u16::try_from(total).unwrap_or(u16::MAX)
}

/// The first field to draw so that field `focus` fits in `room` lines, given each field's
/// `heights` (a line saying what is above counts when the first is not field 0).
fn first_shown(heights: &[u16], focus: usize, room: u16) -> usize {
    let upto = focus.min(heights.len().saturating_sub(1));
    let needed = |start: usize| {
        let lines: u16 = heights[start..=upto].iter().sum();
        lines + u16::from(start > 0)
    };
    (0..=upto)
        .find(|&start| needed(start) <= room)
        .unwrap_or(upto)
}

pub fn draw_form(frame: &mut Frame<'_>, area: Rect, form: &FormState, theme: Theme, app: &App) {
    let width = area.width.saturating_sub(4).min(76);
    let inner_w = width.saturating_sub(2);
    let error_w = inner_w.saturating_sub(LABEL_W);
    let mut height = form.fields.len() as u16 + 2;
    if form.kind == FormKind::AddCustomer {
        height += 1;
    }
    if let Some(note) = &form.note {
        height += wrapped_height(note, inner_w) + 1;
    }
    if let Some(general) = &form.general_error {
        height += wrapped_height(general, inner_w) + 1;
    }
    // Every problem under its field; where the whole list does not fit, each takes one line
    // (cut), so the fields themselves stay on screen.
    let wrapped: u16 = form
        .errors
        .iter()
        .map(|(_, r)| wrapped_height(&error_text(r), error_w))
        .sum();
    let one_line = height + wrapped > area.height;
    height += if one_line {
        form.errors.len() as u16
    } else {
        wrapped
    };
    let rect = centered(area, width, height.min(area.height));
    let inner = boxed(frame, rect, &form.title, theme);
    let mut y = inner.y;
    let bottom = inner.y + inner.height;
    if let Some(note) = &form.note {
        let h = wrapped_height(note, inner.width);
        frame.render_widget(
            Paragraph::new(Span::styled(note.as_str(), theme.dim())).wrap(Wrap { trim: true }),
            Rect::new(inner.x, y, inner.width, h.min(bottom - y)),
        );
        y += h + 1;
    }
    // A form taller than the screen (a long list of custom fields) scrolls so that the
    // focused field is shown, with a line saying how many are above.
    let heights: Vec<u16> = (0..form.fields.len())
        .map(|i| {
            let slug = form.kind == FormKind::AddCustomer
                && form.fields.get(i).is_some_and(|f| f.key == "slug");
            let error = form.error_at(i).map_or(0, |r| {
                if one_line {
                    1
                } else {
                    wrapped_height(&error_text(r), error_w)
                }
            });
            1 + u16::from(slug) + error
        })
        .collect();
    let start = first_shown(&heights, form.focus, bottom.saturating_sub(y));
    if start > 0 && y < bottom {
        let above = format!("↑ {start} more above (Shift-Tab)");
        frame.render_widget(
            Paragraph::new(Span::styled(above, theme.dim())),
            Rect::new(inner.x + LABEL_W, y, inner.width.saturating_sub(LABEL_W), 1),
        );
        y += 1;
    }
    for (i, field) in form.fields.iter().enumerate().skip(start) {
        if y >= bottom {
            break;
        }
        if i > form.focus && bottom - y == 1 && i + 1 < form.fields.len() {
            let below = format!("↓ {} more below (Tab)", form.fields.len() - i);
            frame.render_widget(
                Paragraph::new(Span::styled(below, theme.dim())),
                Rect::new(inner.x + LABEL_W, y, inner.width.saturating_sub(LABEL_W), 1),
            );
            break;
        }
        let focused = i == form.focus;
        let label_style = if focused { theme.header() } else { theme.dim() };
        let marker = if focused { "›" } else { " " };
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!("{marker}{:>w$} ", field.label, w = usize::from(LABEL_W) - 2),
                label_style,
            )),
            Rect::new(inner.x, y, LABEL_W, 1),
        );
        let input_rect = Rect::new(inner.x + LABEL_W, y, inner.width.saturating_sub(LABEL_W), 1);
        match &field.choices {
            // The chosen option is marked `(•)`, readable without colour; the focused choice
            // says which keys change it.
            Some((options, chosen)) => {
                let mut spans: Vec<Span<'_>> = options
                    .iter()
                    .enumerate()
                    .flat_map(|(n, o)| {
                        let (mark, style) = if n == *chosen {
                            ("(•)", theme.selected())
                        } else {
                            ("( )", theme.dim())
                        };
                        [Span::styled(format!("{mark} {o}"), style), Span::raw("  ")]
                    })
                    .collect();
                if focused {
                    spans.push(Span::styled(CHOICE_KEYS, theme.dim()));
                }
                frame.render_widget(Paragraph::new(Line::from(spans)), input_rect);
            }
            None => frame.render_widget(&field.input, input_rect),
        }
        y += 1;
        if form.kind == FormKind::AddCustomer && field.key == "slug" && y < bottom {
            let line = match &form.slug_taken {
                Some(by) => Span::styled(fit(&format!("already taken by {by}"), 60), theme.error()),
                None if form.slug_edited => Span::styled("as typed", theme.dim()),
                None => Span::styled("follows the name until you edit it", theme.dim()),
            };
            frame.render_widget(
                Paragraph::new(line),
                Rect::new(inner.x + LABEL_W, y, inner.width.saturating_sub(LABEL_W), 1),
            );
            y += 1;
        }
        if let Some(reason) = form.error_at(i) {
            if y < bottom {
                let text = error_text(reason);
                let h = if one_line {
                    1
                } else {
                    wrapped_height(&text, error_w).min(bottom - y)
                };
                let text = if one_line {
                    fit(&text, usize::from(error_w))
                } else {
                    text
                };
                frame.render_widget(
                    Paragraph::new(Span::styled(text, theme.error())).wrap(Wrap { trim: true }),
                    Rect::new(inner.x + LABEL_W, y, error_w, h),
                );
                y += h;
            }
        }
    }
    if let Some(general) = &form.general_error {
        if y + 1 < bottom {
            y += 1;
            let text = format!("! {}", fit(general, 400));
            frame.render_widget(
                Paragraph::new(Span::styled(text, theme.error())).wrap(Wrap { trim: true }),
                Rect::new(inner.x, y, inner.width, bottom - y),
            );
        }
    }
    let _ = app;
}

fn error_text(reason: &str) -> String {
    format!("! {}", fit(reason, 400))
}

pub fn draw_modal(frame: &mut Frame<'_>, area: Rect, modal: &Modal, app: &App, theme: Theme) {
    match modal {
        Modal::Form(form) => draw_form(frame, area, form, theme, app),
        Modal::Confirm(confirm) => {
            let width = area.width.saturating_sub(8).min(64);
            let text_h = wrapped_height(&confirm.text, width.saturating_sub(2)) + 1;
            let typed_h = if confirm.typed.is_some() { 2 } else { 0 };
            let line = answer_line(app, modal.context(), confirm);
            let answer_h = wrapped_height(&line, width.saturating_sub(2));
            let rect = centered(area, width, text_h + typed_h + answer_h + 2);
            let inner = boxed(frame, rect, &confirm.title, theme);
            frame.render_widget(
                Paragraph::new(confirm.text.as_str()).wrap(Wrap { trim: true }),
                Rect::new(inner.x, inner.y, inner.width, text_h),
            );
            let mut y = inner.y + text_h;
            if let Some(input) = &confirm.typed {
                frame.render_widget(Paragraph::new("slug › "), Rect::new(inner.x, y, 7, 1));
                frame.render_widget(
                    input,
                    Rect::new(inner.x + 7, y, inner.width.saturating_sub(7), 1),
                );
                y += 2;
            }
            let y = y.min(inner.y + inner.height.saturating_sub(answer_h));
            frame.render_widget(
                Paragraph::new(Span::styled(line, theme.header())).wrap(Wrap { trim: true }),
                Rect::new(inner.x, y, inner.width, answer_h),
            );
        }
        // A message stays until closed; its last line says how.
        Modal::Message { title, text } => {
            let width = area.width.saturating_sub(8).min(100);
            let h = wrapped_height(text, width.saturating_sub(2));
            let rect = centered(area, width, h + 4);
            let inner = boxed(frame, rect, title, theme);
            frame.render_widget(
                Paragraph::new(text.as_str()).wrap(Wrap { trim: true }),
                Rect::new(
                    inner.x,
                    inner.y,
                    inner.width,
                    inner.height.saturating_sub(2),
                ),
            );
            let keys = app
                .keymap
                .bindings(Context::Message)
                .iter()
                .find(|b| matches!(b.action, Action::ConfirmNo))
                .map(|b| b.keys_label())
                .unwrap_or_default();
            frame.render_widget(
                Paragraph::new(Span::styled(format!("[{keys}] close"), theme.header())),
                Rect::new(
                    inner.x,
                    inner.y + inner.height.saturating_sub(1),
                    inner.width,
                    1,
                ),
            );
        }
        Modal::Help { context, scroll } => draw_help(frame, area, *context, *scroll, app, theme),
        Modal::Messages { scroll } => {
            super::messages::draw_messages(frame, area, app, *scroll, theme)
        }
        Modal::Import(state) => super::import::draw_import(frame, area, state, theme),
    }
}

/// The confirm dialog's key line, from the keymap (so overrides show): each answer's keys in
/// brackets and what it does, the default marked, e.g. `[y] suspend   [n/esc/enter] keep`.
fn answer_line(app: &App, context: Context, confirm: &ConfirmState) -> String {
    let keys = |wanted: fn(&Action) -> bool| {
        app.keymap
            .bindings(context)
            .iter()
            .find(|b| wanted(&b.action))
            .map(|b| b.keys_label())
            .unwrap_or_default()
    };
    let yes = keys(|a| matches!(a, Action::ConfirmYes));
    let no = keys(|a| matches!(a, Action::ConfirmNo));
    if confirm.typed.is_some() {
        format!(
            "type the slug, then [{yes}] {}   [{no}] {}",
            confirm.yes, confirm.no
        )
    } else {
        format!("[{yes}] {}   [{no}] {} (default)", confirm.yes, confirm.no)
    }
}

fn draw_help(
    frame: &mut Frame<'_>,
    _area: Rect,
    context: Context,
    scroll: u16,
    app: &App,
    theme: Theme,
) {
    let all = app.help_lines(context);
    let count = all.len();
    let page = help::page(app.areas().content, count);
    let max = help::max_scroll(app.areas().content, count);
    let scroll = usize::from(scroll).min(max);
    // The keys column as wide as its widest entry, so a narrow help keeps the descriptions.
    let keys_w = all
        .iter()
        .map(|l| match l {
            HelpLine::Binding { keys, .. } => unicode_width::UnicodeWidthStr::width(keys.as_str()),
            _ => 0,
        })
        .max()
        .unwrap_or(0)
        .min(18);
    let lines: Vec<Line<'_>> = all
        .into_iter()
        .skip(scroll)
        .take(page)
        .map(|line| match line {
            HelpLine::Heading(title) => Line::from(Span::styled(title, theme.header())),
            HelpLine::Blank => Line::from(""),
            HelpLine::Binding { keys, what } => Line::from(vec![
                Span::styled(format!(" {keys:>keys_w$}  "), theme.accent()),
                Span::raw(what),
            ]),
        })
        .collect();
    let rect = help::help_box(app.areas().content, count);
    let inner = boxed(frame, rect, "Keys (Esc closes)", theme);
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(inner.x, inner.y, inner.width, page as u16),
    );
    if count > page {
        let y = inner.y + inner.height.saturating_sub(1);
        frame.render_widget(
            Paragraph::new(Span::styled(
                fit(
                    &help::position(scroll, page, count),
                    usize::from(inner.width),
                ),
                theme.dim(),
            )),
            Rect::new(inner.x, y, inner.width, 1),
        );
    }
}
