//! Text as the screen shows it: user strings made safe (R10), cut to a column width by
//! display width (so CJK and emoji keep columns aligned; in the middle where the end tells
//! rows apart), times in local time (tables: a date, or today's time; the zone named apart),
//! and the colour theme (none with `NO_COLOR`).

use chrono::{FixedOffset, TimeZone};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::domain::Timestamp;
use crate::domain::text::display_safe;

/// `text` made safe and cut to `width` columns, ending in `…` when cut.
pub fn fit(text: &str, width: usize) -> String {
    let safe = display_safe(text);
    if safe.width() <= width {
        return safe;
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in safe.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `text` made safe and cut to `width` columns in the middle when it is too long, keeping
/// its start and its end (`wonka-l…s-276`): rows that differ only at their end stay apart.
/// About a third of the room goes to the end.
pub fn fit_middle(text: &str, width: usize) -> String {
    let safe = display_safe(text);
    if safe.width() <= width {
        return safe;
    }
    if width < 5 {
        return fit(&safe, width);
    }
    let room = width - 1;
    let tail_room = room.div_ceil(3);
    let mut tail: Vec<char> = Vec::new();
    let mut used = 0;
    for c in safe.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > tail_room {
            break;
        }
        tail.push(c);
        used += w;
    }
    let head_room = room - used;
    let mut out = String::new();
    let mut head_used = 0;
    for c in safe.chars() {
        let w = c.width().unwrap_or(0);
        if head_used + w > head_room {
            break;
        }
        out.push(c);
        head_used += w;
    }
    out.push('…');
    out.extend(tail.into_iter().rev());
    out
}

/// `text` (already safe) cut from the left to `width` columns: for paths.
pub fn fit_left(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut kept: Vec<char> = Vec::new();
    let mut used = 0;
    for c in text.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        kept.push(c);
        used += w;
    }
    kept.push('…');
    kept.into_iter().rev().collect()
}

/// A table's date, one form per column: `today 13:22` for today (local time), else the
/// local date `2026-11-20`. The time zone is named once, by [`zone`], not in every cell.
pub fn day(at: Timestamp, now: Timestamp, utc_offset_secs: i32) -> String {
    let date = |t: Timestamp| local(t, utc_offset_secs).get(..10).map(str::to_owned);
    let stamp = local(at, utc_offset_secs);
    match (date(at), date(now)) {
        (Some(a), Some(n)) if a == n => format!("today {}", stamp.get(11..).unwrap_or("")),
        (Some(a), _) => a,
        _ => stamp,
    }
}

/// [`day`] of an RFC 3339 time as rows carry it (an audit row's `at`); the text itself when
/// it does not parse.
pub fn day_of(at: &str, now: Timestamp, utc_offset_secs: i32) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|d| day(Timestamp::from_datetime(d.to_utc()), now, utc_offset_secs))
        .unwrap_or_else(|_| at.to_owned())
}

/// `text` padded with spaces to `width` display columns (a plain-text table's cell).
pub fn pad(text: &str, width: usize) -> String {
    let w = text.width();
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

/// The local time zone as the title names it: `UTC`, `UTC+01:00`, `UTC-05:30`.
pub fn zone(utc_offset_secs: i32) -> String {
    if utc_offset_secs == 0 {
        return "UTC".into();
    }
    let sign = if utc_offset_secs < 0 { '-' } else { '+' };
    let m = utc_offset_secs.unsigned_abs() / 60;
    format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
}

/// Local time of day to the second, for the message log.
pub fn clock_time(at: Timestamp, utc_offset_secs: i32) -> String {
    let offset = FixedOffset::east_opt(utc_offset_secs)
        .or_else(|| FixedOffset::east_opt(0))
        .map(|o| o.from_utc_datetime(&at.to_datetime().naive_utc()));
    match offset {
        Some(t) => t.format("%H:%M:%S").to_string(),
        None => at.to_rfc3339(),
    }
}

/// Local time to the minute.
pub fn local(at: Timestamp, utc_offset_secs: i32) -> String {
    let offset = FixedOffset::east_opt(utc_offset_secs)
        .or_else(|| FixedOffset::east_opt(0))
        .map(|o| o.from_utc_datetime(&at.to_datetime().naive_utc()));
    match offset {
        Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
        None => at.to_rfc3339(),
    }
}

/// Whole days from `now` until `at`, rounded up, never below 0.
pub fn days_left(at: Timestamp, now: Timestamp) -> i64 {
    ((at.0 - now.0).max(0) + Timestamp::MILLIS_PER_DAY - 1) / Timestamp::MILLIS_PER_DAY
}

/// Styles, with or without colour. Without colour only modifiers (bold, reverse) are used,
/// so everything stays readable.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn fg(self, color: Color) -> Style {
        if self.color {
            Style::default().fg(color)
        } else {
            Style::default()
        }
    }

    pub fn selected(self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    pub fn header(self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    pub fn dim(self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default()
        }
    }

    pub fn ok(self) -> Style {
        self.fg(Color::Green)
    }

    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn warn(self) -> Style {
        self.fg(Color::Yellow)
    }

    pub fn accent(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
}

/// The top of a detail view: the heading (`Customer Acme · times UTC`, the zone named once)
/// and one line per field, its label right-aligned in a 16-column gutter. The values come
/// already fitted and made visible-safe by the caller.
pub fn detail_head(
    theme: Theme,
    heading: String,
    utc_offset_secs: i32,
    fields: Vec<(&str, String)>,
) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(vec![
        Span::styled(heading, theme.header()),
        Span::styled(format!(" · times {}", zone(utc_offset_secs)), theme.dim()),
    ])];
    for (label, value) in fields {
        lines.push(Line::from(vec![
            Span::styled(format!("{label:>16}  "), theme.dim()),
            Span::raw(value),
        ]));
    }
    lines
}

/// A detail view's "Custom fields" section: a heading and one line per field, its value cut
/// to `width`, a missing value dimmed (warned when the field is required). Nothing when no
/// field is in use.
pub fn custom_field_lines(
    theme: Theme,
    fields: &[crate::service::FieldShown],
    width: usize,
) -> Vec<Line<'static>> {
    if fields.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![Line::from(Span::styled("Custom fields", theme.header()))];
    for field in fields {
        let (value, style) = match (&field.value, field.required) {
            (Some(v), _) => (fit_middle(v, width), Style::default()),
            (None, true) => ("— (required: e to give it)".to_owned(), theme.warn()),
            (None, false) => ("—".to_owned(), theme.dim()),
        };
        lines.push(Line::from(vec![
            Span::raw(format!("  {:<24}", fit_middle(&field.name, 24))),
            Span::styled(value, style),
        ]));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_by_display_width_and_shows_hidden_characters() {
        assert_eq!(fit("Acme", 10), "Acme");
        assert_eq!(fit("北京贸易有限公司", 7), "北京贸…");
        assert_eq!(fit("北京贸易有限公司", 7).width(), 7);
        assert_eq!(fit("🎉🎉🎉🎉", 5).width(), 5);
        assert_eq!(fit("a\u{202E}b", 20), "a<U+202E>b");
        assert_eq!(fit("x\ny", 20), "x<U+000A>y");
        assert_eq!(fit_left("/very/long/path/db", 8), "…path/db");
    }

    #[test]
    fn a_middle_cut_keeps_the_end_that_tells_rows_apart() {
        let a = fit_middle("wonka-labs-276", 10);
        let b = fit_middle("wonka-labs-76", 10);
        assert_ne!(a, b);
        assert_eq!(a, "wonka-…276");
        assert_eq!(a.width(), 10);
        assert_eq!(fit_middle("wonka-labs-76", 20), "wonka-labs-76");
        assert_eq!(fit_middle("北京贸易有限公司", 7).width(), 7);
        assert_eq!(fit_middle("a\u{202E}bcdefghijklmnop", 12), "a<U+202…mnop");
    }

    #[test]
    fn dates_take_one_form_and_the_zone_is_named_apart() {
        let now = Timestamp(1_795_440_123_456);
        assert_eq!(days_left(now.plus_days(2), now), 2);
        // Tables: one form per column, the zone named apart.
        const DAY_MS: i64 = Timestamp::MILLIS_PER_DAY;
        assert_eq!(day(now.plus_millis(-3 * 3_600_000), now, 0), "today 10:22");
        assert_eq!(day(now.plus_millis(-DAY_MS), now, 0), "2026-11-22");
        assert_eq!(day(Timestamp(0), now, 3600), "1970-01-01");
        assert_eq!(zone(0), "UTC");
        assert_eq!(zone(3600), "UTC+01:00");
        assert_eq!(zone(-19_800), "UTC-05:30");
        assert_eq!(days_left(now.plus_millis(1), now), 1);
    }
}
