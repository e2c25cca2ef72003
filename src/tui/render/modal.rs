//! Forms, confirm dialogs, messages and the help popup, drawn centred over the content (the
//! import modal draws itself in `import.rs`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::super::app::App;
use super::super::keymap::Context;
use super::super::layout::centered;
use super::super::modals::{FormKind, FormState, Modal};
use super::boxed;
use super::text::{Theme, fit};

const LABEL_W: u16 = 19;

/// Lines a wrapped text takes at `width`.
fn wrapped_height(text: &str, width: u16) -> u16 {
    let w = usize::from(width.max(1));
    let cols = unicode_width::UnicodeWidthStr::width(text);
    (cols.div_ceil(w)).max(1) as u16
}

pub fn draw_form(frame: &mut Frame<'_>, area: Rect, form: &FormState, theme: Theme, app: &App) {
    let width = area.width.saturating_sub(4).min(76);
    let inner_w = width.saturating_sub(2);
    let mut height = form.fields.len() as u16 + 2;
    if form.error.is_some() {
        height += wrapped_height(&error_text(form), inner_w.saturating_sub(LABEL_W));
    }
    if form.kind == FormKind::AddCustomer {
        height += 1;
    }
    if let Some(note) = &form.note {
        height += wrapped_height(note, inner_w) + 1;
    }
    if let Some(general) = &form.general_error {
        height += wrapped_height(general, inner_w) + 1;
    }
    let rect = centered(area, width, height);
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
    for (i, field) in form.fields.iter().enumerate() {
        if y >= bottom {
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
            Some((options, chosen)) => {
                let spans: Vec<Span<'_>> = options
                    .iter()
                    .enumerate()
                    .flat_map(|(n, o)| {
                        let style = if n == *chosen {
                            theme.selected()
                        } else {
                            theme.dim()
                        };
                        [Span::styled(format!(" {o} "), style), Span::raw(" ")]
                    })
                    .collect();
                frame.render_widget(Paragraph::new(Line::from(spans)), input_rect);
            }
            None => frame.render_widget(&field.input, input_rect),
        }
        y += 1;
        if form.kind == FormKind::AddCustomer && field.key == "name" && y < bottom {
            let mut spans = vec![Span::styled(
                format!("{:>w$}", "slug: ", w = usize::from(LABEL_W)),
                theme.dim(),
            )];
            match &form.slug_preview {
                Some(slug) => spans.push(Span::raw(slug.clone())),
                None => spans.push(Span::styled("(from the name)", theme.dim())),
            }
            if let Some(by) = &form.slug_taken {
                spans.push(Span::styled(
                    fit(&format!("  already taken by {by}"), 40),
                    theme.error(),
                ));
            }
            frame.render_widget(
                Paragraph::new(Line::from(spans)),
                Rect::new(inner.x, y, inner.width, 1),
            );
            y += 1;
        }
        if let Some((at, _)) = &form.error {
            if *at == i && y < bottom {
                let text = error_text(form);
                let w = inner.width.saturating_sub(LABEL_W);
                let h = wrapped_height(&text, w).min(bottom - y);
                frame.render_widget(
                    Paragraph::new(Span::styled(text, theme.error())).wrap(Wrap { trim: true }),
                    Rect::new(inner.x + LABEL_W, y, w, h),
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

fn error_text(form: &FormState) -> String {
    form.error
        .as_ref()
        .map(|(_, reason)| format!("! {}", fit(reason, 400)))
        .unwrap_or_default()
}

pub fn draw_modal(frame: &mut Frame<'_>, area: Rect, modal: &Modal, app: &App, theme: Theme) {
    match modal {
        Modal::Form(form) => draw_form(frame, area, form, theme, app),
        Modal::Confirm(confirm) => {
            let width = area.width.saturating_sub(8).min(64);
            let text_h = wrapped_height(&confirm.text, width.saturating_sub(2)) + 1;
            let typed_h = if confirm.typed.is_some() { 2 } else { 0 };
            let rect = centered(area, width, text_h + typed_h + 3);
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
            let hint: Vec<String> = app
                .keymap
                .hint(modal.context())
                .into_iter()
                .map(|(k, w)| format!("{k} {w}"))
                .collect();
            frame.render_widget(
                Paragraph::new(Span::styled(hint.join("   "), theme.header())),
                Rect::new(
                    inner.x,
                    y.min(inner.y + inner.height.saturating_sub(1)),
                    inner.width,
                    1,
                ),
            );
        }
        Modal::Message { title, text } => {
            let width = area.width.saturating_sub(8).min(64);
            let h = wrapped_height(text, width.saturating_sub(2));
            let rect = centered(area, width, h + 2);
            let inner = boxed(frame, rect, title, theme);
            frame.render_widget(
                Paragraph::new(text.as_str()).wrap(Wrap { trim: true }),
                inner,
            );
        }
        Modal::Help { context, scroll } => draw_help(frame, area, *context, *scroll, app, theme),
        Modal::Messages { scroll } => {
            super::messages::draw_messages(frame, area, app, *scroll, theme)
        }
        Modal::Import(state) => super::import::draw_import(frame, area, state, theme),
    }
}

fn draw_help(
    frame: &mut Frame<'_>,
    area: Rect,
    context: Context,
    scroll: u16,
    app: &App,
    theme: Theme,
) {
    let mut lines = vec![Line::from(Span::styled(context.title(), theme.header()))];
    let add = |ctx: Context, lines: &mut Vec<Line<'_>>| {
        for b in app.keymap.bindings(ctx) {
            lines.push(Line::from(vec![
                Span::styled(format!("{:>18}  ", b.keys_label()), theme.accent()),
                Span::raw(b.description),
            ]));
        }
    };
    add(context, &mut lines);
    if context.inherits_global() {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            Context::Global.title(),
            theme.header(),
        )));
        add(Context::Global, &mut lines);
    }
    let width = area.width.saturating_sub(8).min(72);
    let height = (lines.len() as u16 + 2).min(area.height);
    let title = if lines.len() as u16 + 2 > area.height {
        "Keys (j/k scroll, Esc closes)"
    } else {
        "Keys (Esc closes)"
    };
    let rect = centered(area, width, height);
    let inner = boxed(frame, rect, title, theme);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}
