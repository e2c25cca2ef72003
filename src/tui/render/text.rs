//! Text as the screen shows it: user strings made safe (R10), cut to a column width by
//! display width (so CJK and emoji keep columns aligned), times in local time and relative when
//! recent, and the colour theme (none with `NO_COLOR`).

use chrono::{FixedOffset, TimeZone};
use ratatui::style::{Color, Modifier, Style};
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

/// Local time to the minute, or relative within the last day ("just now", "5 min ago",
/// "3 h ago").
pub fn when(at: Timestamp, now: Timestamp, utc_offset_secs: i32) -> String {
    let ago = now.0 - at.0;
    if (0..60_000).contains(&ago) {
        return "just now".into();
    }
    if (0..3_600_000).contains(&ago) {
        return format!("{} min ago", ago / 60_000);
    }
    if (0..86_400_000).contains(&ago) {
        return format!("{} h ago", ago / 3_600_000);
    }
    local(at, utc_offset_secs)
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
    fn times_are_relative_when_recent() {
        let now = Timestamp(1_795_440_123_456);
        assert_eq!(when(now, now, 0), "just now");
        assert_eq!(when(now.plus_millis(-5 * 60_000), now, 0), "5 min ago");
        assert_eq!(when(now.plus_millis(-3 * 3_600_000), now, 0), "3 h ago");
        assert_eq!(when(Timestamp(0), now, 3600), "1970-01-01 01:00");
        assert_eq!(days_left(now.plus_days(2), now), 2);
        assert_eq!(days_left(now.plus_millis(1), now), 1);
    }
}
