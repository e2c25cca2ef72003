//! The import modal's state: the path field, the running check, the preview (a bounded list of
//! row reports with exact totals), the writing pass and the summary. One value moves through
//! these stages as actions arrive.
//!
//! Plain state: it starts no work and reads no files; the app asks for those as effects and
//! `render/import.rs` draws it.

use ratatui::style::{Modifier, Style};
use ratatui_textarea::{Input, TextArea};

use crate::import::{ImportSummary, RowOutcome, RowReport};

/// Rows the preview keeps from the start of a file.
pub const FIRST_ROWS: usize = 1_000;
/// Error rows kept after the first rows, so a huge file's problems are still listed.
pub const MORE_ERRORS: usize = 1_000;

/// What a check or an import reports back: exact totals, and a bounded list of rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub summary: ImportSummary,
    pub kept: KeptRows,
}

/// The rows kept for display: the first [`FIRST_ROWS`], then errors up to [`MORE_ERRORS`]
/// more; the rest are only counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeptRows {
    pub rows: Vec<RowReport>,
    /// Rows checked but not kept.
    pub left_out: u64,
}

impl KeptRows {
    /// Keeps `row` if it is among the first rows or an error within the cap.
    pub fn keep(&mut self, row: &RowReport) {
        let kept = self.rows.len();
        let wanted = kept < FIRST_ROWS
            || (row.outcome == RowOutcome::Error && kept < FIRST_ROWS + MORE_ERRORS);
        if wanted {
            self.rows.push(row.clone());
        } else {
            self.left_out += 1;
        }
    }
}

/// Where the import modal is.
#[derive(Debug, Clone)]
pub enum Stage {
    /// Typing the path; `error` is the reason the last path was refused.
    Path { error: Option<String> },
    /// The dry run is going through the file.
    Checking { rows: u64 },
    /// The dry run's result; `scroll` is the selected row (its problems are shown in full).
    Preview {
        report: Box<ImportReport>,
        scroll: usize,
    },
    /// Writing; `elapsed_ms` is the time since writing started.
    Writing {
        report: Box<ImportReport>,
        /// Rows checked again before writing (the file is read twice).
        checked: u64,
        /// True once the writing pass has begun.
        started: bool,
        written: u64,
        to_write: u64,
        elapsed_ms: u64,
        stopping: bool,
    },
    /// Finished (or stopped): totals, the import id, and the rows with errors; `scroll` is the
    /// selected row.
    Done {
        report: Box<ImportReport>,
        scroll: usize,
        /// Why it ended early, when it did.
        stopped: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub struct ImportState {
    pub path: TextArea<'static>,
    pub stage: Stage,
}

impl Default for ImportState {
    fn default() -> Self {
        let mut path = TextArea::default();
        path.set_cursor_line_style(Style::default());
        path.set_cursor_style(Style::default().add_modifier(Modifier::REVERSED));
        Self {
            path,
            stage: Stage::Path { error: None },
        }
    }
}

impl ImportState {
    /// The path as typed.
    pub fn path_text(&self) -> String {
        self.path.lines().concat()
    }

    /// Types into the path field (only while it is shown); clears a shown error on a change.
    pub fn input(&mut self, input: Input) {
        let Stage::Path { error } = &mut self.stage else {
            return;
        };
        if crate::tui::table::line_edit::edit_line(&mut self.path, input) {
            *error = None;
        }
    }

    /// True while a worker runs for this modal.
    pub fn is_running(&self) -> bool {
        matches!(self.stage, Stage::Checking { .. } | Stage::Writing { .. })
    }

    /// The report on screen, if any.
    pub fn report(&self) -> Option<&ImportReport> {
        match &self.stage {
            Stage::Preview { report, .. }
            | Stage::Writing { report, .. }
            | Stage::Done { report, .. } => Some(report),
            _ => None,
        }
    }

    /// Moves the selected row by `delta` (the list scrolls to keep it on screen).
    pub fn scroll_by(&mut self, delta: isize, _height: usize) {
        let len = self.report().map_or(0, |r| r.kept.rows.len());
        let last = len.saturating_sub(1) as isize;
        if let Stage::Preview { scroll, .. } | Stage::Done { scroll, .. } = &mut self.stage {
            *scroll = (*scroll as isize + delta).clamp(0, last.max(0)) as usize;
        }
    }

    /// Rows per second and seconds left while writing, once there is anything to go by.
    pub fn rate(&self) -> Option<(f64, f64)> {
        let Stage::Writing {
            written,
            to_write,
            elapsed_ms,
            ..
        } = &self.stage
        else {
            return None;
        };
        if *written == 0 || *elapsed_ms == 0 {
            return None;
        }
        let per_sec = *written as f64 * 1000.0 / *elapsed_ms as f64;
        let left = to_write.saturating_sub(*written) as f64 / per_sec;
        Some((per_sec, left))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: u64, outcome: RowOutcome) -> RowReport {
        RowReport {
            line,
            name: format!("n{line}"),
            slug: String::new(),
            owner: String::new(),
            outcome,
            problems: Vec::new(),
        }
    }

    #[test]
    fn the_kept_rows_are_bounded_but_errors_past_the_start_are_kept() {
        let mut report = KeptRows::default();
        for line in 0..5_000u64 {
            let outcome = if line % 2 == 0 {
                RowOutcome::Error
            } else {
                RowOutcome::New
            };
            report.keep(&row(line, outcome));
        }
        assert_eq!(report.rows.len(), FIRST_ROWS + MORE_ERRORS);
        assert_eq!(report.left_out, 5_000 - report.rows.len() as u64);
        assert!(
            report.rows[FIRST_ROWS..]
                .iter()
                .all(|r| r.outcome == RowOutcome::Error)
        );
    }
}
