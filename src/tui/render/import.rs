//! The import modal: the path field, the running check, the preview table with its totals,
//! the progress gauge with rows/s and time left, and the summary. Pure: it draws the state
//! and reads nothing; every value from the file goes through `fit`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph, Wrap};

use super::super::layout::{IMPORT_HEAD_LINES, IMPORT_REASON_LINES, centered};
use super::super::modals::import::{ImportReport, ImportState, Stage};
use super::boxed;
use super::import_table;
use super::text::{Theme, fit};

const STOP_NOTE: &str = "Esc stops after the batch being written: written batches stay, and importing the same file again resumes.";

pub fn draw_import(frame: &mut Frame<'_>, area: Rect, state: &ImportState, theme: Theme) {
    match &state.stage {
        Stage::Path { error } => draw_path(frame, area, state, error.as_deref(), theme),
        Stage::Checking { rows } => {
            let rect = centered(area, area.width.saturating_sub(4).min(76), 5);
            let inner = boxed(frame, rect, "Import customers", theme);
            let path = fit(
                &state.path_text(),
                usize::from(inner.width.saturating_sub(12)),
            );
            let lines = vec![
                Line::from(format!("Checking {path}…")),
                Line::from(format!("{} rows checked so far", thousands(*rows))),
                Line::from(Span::styled(
                    "Nothing is written while checking. Esc stops.",
                    theme.dim(),
                )),
            ];
            frame.render_widget(Paragraph::new(lines), inner);
        }
        Stage::Preview { report, scroll } => {
            let inner = boxed(frame, area, "Import customers: preview", theme);
            let note = if report.summary.new == 0 {
                Span::styled(
                    "Nothing to import: no row is new. The report can still be saved.",
                    theme.warn(),
                )
            } else if report.summary.errors > 0 {
                Span::styled(
                    format!(
                        "Nothing written yet; Enter offers to import the {} valid rows, skipping errors.",
                        report.summary.new
                    ),
                    theme.warn(),
                )
            } else {
                Span::styled(
                    "Nothing is written yet. Enter asks before importing.",
                    theme.dim(),
                )
            };
            draw_report(frame, inner, report, *scroll, note, theme);
        }
        Stage::Writing { .. } => draw_writing(frame, area, state, theme),
        Stage::Done {
            report,
            scroll,
            stopped,
        } => {
            let inner = boxed(frame, area, "Import customers: summary", theme);
            let note = match (stopped, &report.summary.import) {
                (Some(why), _) => Span::styled(format!("! {why}"), theme.error()),
                (None, Some(import)) => Span::styled(
                    format!(
                        "Import {}: {} created, {} already there, {} skipped. Undo: tenantry import undo {}",
                        import.id, import.created, import.already, import.skipped, import.id
                    ),
                    theme.ok(),
                ),
                (None, None) => Span::styled("Nothing was written.", theme.dim()),
            };
            draw_report(frame, inner, report, *scroll, note, theme);
        }
    }
}

fn draw_path(
    frame: &mut Frame<'_>,
    area: Rect,
    state: &ImportState,
    error: Option<&str>,
    theme: Theme,
) {
    let width = area.width.saturating_sub(4).min(76);
    let inner_w = width.saturating_sub(2);
    let error_text = error.map(|e| format!("! {}", fit(e, 400)));
    let error_h = error_text
        .as_deref()
        .map_or(0, |t| wrapped_height(t, inner_w.saturating_sub(7)));
    let rect = centered(area, width, 6 + error_h);
    let inner = boxed(frame, rect, "Import customers", theme);
    frame.render_widget(
        Paragraph::new(Span::styled(
            "A CSV file with a header row and a Name column; ~ is your home directory. A dry run comes first.",
            theme.dim(),
        ))
        .wrap(Wrap { trim: true }),
        Rect::new(inner.x, inner.y, inner.width, 2),
    );
    let y = inner.y + 3;
    frame.render_widget(
        Paragraph::new(Span::styled("Path › ", theme.header())),
        Rect::new(inner.x, y, 7, 1),
    );
    frame.render_widget(
        &state.path,
        Rect::new(inner.x + 7, y, inner.width.saturating_sub(7), 1),
    );
    if let Some(text) = error_text {
        frame.render_widget(
            Paragraph::new(Span::styled(text, theme.error())).wrap(Wrap { trim: true }),
            Rect::new(inner.x + 7, y + 1, inner.width.saturating_sub(7), error_h),
        );
    }
}

fn draw_writing(frame: &mut Frame<'_>, area: Rect, state: &ImportState, theme: Theme) {
    let Stage::Writing {
        report,
        checked,
        started,
        written,
        to_write,
        stopping,
        ..
    } = &state.stage
    else {
        return;
    };
    let rect = centered(area, area.width.saturating_sub(4).min(90), 10);
    let inner = boxed(frame, rect, "Import customers: writing", theme);
    let w = usize::from(inner.width);
    let s = &report.summary;
    let row = |n: u16| Rect::new(inner.x, inner.y + n, inner.width, 1);
    frame.render_widget(
        Paragraph::new(fit(
            &format!("File {} · {} rows", s.file, thousands(s.rows)),
            w,
        )),
        row(0),
    );
    let (ratio, label) = if *started {
        let ratio = if *to_write == 0 {
            1.0
        } else {
            (*written as f64 / *to_write as f64).clamp(0.0, 1.0)
        };
        let label = format!(
            "{} of {} written ({:.0}%)",
            thousands(*written),
            thousands(*to_write),
            ratio * 100.0
        );
        (ratio, label)
    } else {
        (
            0.0,
            format!(
                "checking the file again: {} of {} rows",
                thousands(*checked),
                thousands(s.rows)
            ),
        )
    };
    frame.render_widget(
        Gauge::default()
            .ratio(ratio)
            .label(label)
            .gauge_style(theme.accent())
            .use_unicode(true),
        row(2),
    );
    let speed = match state.rate() {
        Some((per_sec, left)) => {
            format!(
                "{} rows/s · about {} left",
                thousands(per_sec as u64),
                duration(left)
            )
        }
        None => "rows/s and time left follow the first batch".into(),
    };
    frame.render_widget(Paragraph::new(fit(&speed, w)), row(4));
    let note = if *stopping {
        Span::styled("Stopping after the batch being written…", theme.warn())
    } else {
        Span::styled(STOP_NOTE, theme.dim())
    };
    frame.render_widget(
        Paragraph::new(note).wrap(Wrap { trim: true }),
        Rect::new(inner.x, inner.y + 6, inner.width, 2),
    );
}

/// The head lines, the table of kept rows and the position line.
fn draw_report(
    frame: &mut Frame<'_>,
    inner: Rect,
    report: &ImportReport,
    scroll: usize,
    note: Span<'_>,
    theme: Theme,
) {
    let w = usize::from(inner.width);
    let s = &report.summary;
    let row = |n: u16| Rect::new(inner.x, inner.y + n, inner.width, 1);
    let mut file = format!("File {} · delimiter {}", s.file, s.delimiter);
    for warning in &s.warnings {
        file.push_str(&format!(" · {warning}"));
    }
    frame.render_widget(Paragraph::new(fit(&file, w)), row(0));
    let error_style = if s.errors > 0 {
        theme.error()
    } else {
        Style::default()
    };
    let totals = Line::from(vec![
        Span::raw(format!(
            "{} rows · {} new · {} already imported · ",
            thousands(s.rows),
            thousands(s.new),
            thousands(s.already_imported)
        )),
        Span::styled(format!("{} errors", thousands(s.errors)), error_style),
    ]);
    frame.render_widget(Paragraph::new(totals), row(1));
    let note_text = fit(&note.content, w);
    frame.render_widget(Paragraph::new(Span::styled(note_text, note.style)), row(2));
    let height = usize::from(
        inner
            .height
            .saturating_sub(IMPORT_HEAD_LINES + IMPORT_REASON_LINES + 1),
    );
    let kept = report.kept.rows.len();
    // `scroll` is the selected row; the list scrolls to keep it on screen.
    let selected = scroll.min(kept.saturating_sub(1));
    let offset = selected.saturating_sub(height.saturating_sub(1));
    let table_h = u16::try_from(height + 1).unwrap_or(u16::MAX);
    let shown = report
        .kept
        .rows
        .get(offset..(offset + height).min(kept))
        .unwrap_or_default();
    import_table::draw_rows(
        frame,
        Rect::new(inner.x, inner.y + 3, inner.width, table_h),
        shown,
        selected.checked_sub(offset),
        theme,
    );
    if let Some(r) = report.kept.rows.get(selected) {
        frame.render_widget(
            Paragraph::new(import_table::reasons(r, theme)).wrap(Wrap { trim: false }),
            Rect::new(
                inner.x,
                inner.y + 3 + table_h,
                inner.width,
                IMPORT_REASON_LINES,
            ),
        );
    }
    let mut position = if kept == 0 {
        "no rows".to_owned()
    } else {
        format!("row {} of {kept} listed", selected + 1)
    };
    if report.kept.left_out > 0 {
        position.push_str(&format!(
            " (the first 1 000 and then errors; {} not listed)",
            thousands(report.kept.left_out)
        ));
    }
    frame.render_widget(
        Paragraph::new(Span::styled(fit(&position, w), theme.dim())),
        row(inner.height.saturating_sub(1)),
    );
}

/// Lines a wrapped text takes at `width`.
fn wrapped_height(text: &str, width: u16) -> u16 {
    let w = usize::from(width.max(1));
    let cols = unicode_width::UnicodeWidthStr::width(text);
    (cols.div_ceil(w)).max(1) as u16
}

/// 1234567 → "1 234 567".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Seconds as "12 s", "3 min 5 s" or "2 h 10 min".
fn duration(secs: f64) -> String {
    let s = secs.max(0.0).round() as u64;
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, s % 3600 / 60),
    }
}
