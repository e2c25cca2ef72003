//! The import flow's half of `App::update`: the keys of the import modal (path → preview →
//! confirm → progress → summary → save) and the results the import worker sends back.
//!
//! Like the rest of the update logic it performs no I/O: checking, writing and saving leave as
//! effects, and their results arrive as actions.

use super::action::{Action, Effect};
use super::app::{App, StatusKind};
use super::import_report::{report_file_name, report_text};
use super::layout;
use super::modals::{ConfirmState, Field, FormKind, FormState, ImportState, Modal, Stage};
use crate::domain::ValidationError;
use crate::domain::text::display_safe;

impl App {
    /// The import modal, wherever it is in the stack.
    fn import_state(&mut self) -> Option<&mut ImportState> {
        self.modals.iter_mut().rev().find_map(|m| match m {
            Modal::Import(state) => Some(state.as_mut()),
            _ => None,
        })
    }

    /// True while a check or an import runs (the idle lock waits for it).
    pub fn import_running(&self) -> bool {
        self.modals
            .iter()
            .any(|m| matches!(m, Modal::Import(s) if s.is_running()))
    }

    pub(super) fn open_import(&mut self) -> Vec<Effect> {
        if self.signed_in.is_some() {
            self.modals.push(Modal::Import(Box::default()));
        }
        Vec::new()
    }

    /// Keys while the import modal is on top.
    pub(super) fn import_action(&mut self, action: Action) -> Vec<Effect> {
        let h = layout::import_rows_height(self.width, self.height);
        let Some(Modal::Import(state)) = self.modals.last_mut() else {
            return Vec::new();
        };
        match (&mut state.stage, action) {
            (Stage::Path { .. }, Action::Type(input)) => state.input(input),
            (Stage::Path { error }, Action::Submit) => {
                let path = state.path.lines().concat();
                if path.trim().is_empty() {
                    *error = Some("type the path of a CSV file".into());
                    return Vec::new();
                }
                state.stage = Stage::Checking { rows: 0 };
                return vec![Effect::CheckImport { path }];
            }
            (Stage::Path { .. }, Action::Cancel) => {
                self.modals.pop();
            }
            (Stage::Checking { .. } | Stage::Writing { .. }, Action::Cancel) => {
                if let Stage::Writing { stopping, .. } = &mut state.stage {
                    *stopping = true;
                }
                return vec![Effect::StopImport];
            }
            (Stage::Preview { .. }, Action::Back) => state.stage = Stage::Path { error: None },
            (Stage::Preview { report, .. }, Action::Submit) => {
                let s = &report.summary;
                if s.new == 0 {
                    self.set_status(
                        StatusKind::Info,
                        "nothing to import: no row is new (fix the errors, or every row is already imported)",
                    );
                    return Vec::new();
                }
                let (title, text) = if s.errors > 0 {
                    (
                        "Import the valid rows?",
                        format!(
                            "{} of {} rows have errors and will be skipped. Import the {} valid new customer(s) and skip the invalid rows?",
                            s.errors, s.rows, s.new
                        ),
                    )
                } else {
                    (
                        "Import",
                        format!(
                            "Import {} customer(s) from {}?",
                            s.new,
                            display_safe(&s.file)
                        ),
                    )
                };
                let run = Action::RunImport {
                    skip_invalid: s.errors > 0,
                };
                self.modals.push(Modal::confirm(
                    ConfirmState::new(title, text, run).answers("import", "not now"),
                ));
            }
            (Stage::Done { .. }, Action::Back) => {
                self.modals.pop();
            }
            (Stage::Done { report, .. } | Stage::Preview { report, .. }, Action::SaveReport) => {
                let name = report_file_name(report);
                let mut form = FormState::new(
                    FormKind::SaveReport,
                    "Save the import summary",
                    vec![Field::text("File", "path", &name)],
                );
                form.note = Some(
                    "Written readable by you only (0600); an existing file is not replaced without asking."
                        .into(),
                );
                self.modals.push(Modal::Form(Box::new(form)));
            }
            (Stage::Preview { .. } | Stage::Done { .. }, action) => {
                let delta = match action {
                    Action::SelectNext | Action::ScrollDown => 1,
                    Action::SelectPrev | Action::ScrollUp => -1,
                    Action::PageDown => h as isize,
                    Action::PageUp => -(h as isize),
                    Action::SelectFirst => isize::MIN / 2,
                    Action::SelectLast => isize::MAX / 2,
                    _ => 0,
                };
                state.scroll_by(delta, h);
            }
            _ => {}
        }
        Vec::new()
    }

    /// Results from the import worker and the report writer, and the actions confirm dialogs
    /// carry for the import.
    pub(super) fn import_result(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::RunImport { skip_invalid } => {
                let Some(state) = self.import_state() else {
                    return Vec::new();
                };
                let path = state.path_text();
                let Stage::Preview { report, .. } = &state.stage else {
                    return Vec::new();
                };
                state.stage = Stage::Writing {
                    report: report.clone(),
                    checked: 0,
                    started: false,
                    written: 0,
                    to_write: report.summary.new,
                    elapsed_ms: 0,
                    stopping: false,
                };
                return vec![Effect::RunImport { path, skip_invalid }];
            }
            Action::ImportChecked(n) => match self.import_state().map(|s| &mut s.stage) {
                Some(Stage::Checking { rows }) => *rows = n,
                Some(Stage::Writing { checked, .. }) => *checked = n,
                _ => {}
            },
            Action::ImportWriting {
                written: w,
                to_write: t,
                elapsed_ms: e,
            } => {
                if let Some(Stage::Writing {
                    started,
                    written,
                    to_write,
                    elapsed_ms,
                    ..
                }) = self.import_state().map(|s| &mut s.stage)
                {
                    (*started, *written, *to_write, *elapsed_ms) = (true, w, t, e);
                }
            }
            Action::ImportPreviewed(report) => {
                if let Some(state) = self.import_state() {
                    if matches!(state.stage, Stage::Checking { .. }) {
                        state.stage = Stage::Preview { report, scroll: 0 };
                    }
                }
            }
            Action::ImportFinished(report) => return self.import_finished(report, None),
            Action::ImportFailed { reason, kept } => {
                let Some(state) = self.import_state() else {
                    return Vec::new();
                };
                match &state.stage {
                    Stage::Writing {
                        report,
                        written,
                        to_write,
                        ..
                    } => {
                        let reason = format!("{written} of {to_write} written, then {reason}");
                        let mut report = report.clone();
                        report.kept = *kept;
                        report.summary.dry_run = false;
                        return self.import_finished(report, Some(reason));
                    }
                    _ => {
                        state.stage = Stage::Path {
                            error: Some(reason),
                        }
                    }
                }
            }
            Action::SaveReportOverwrite { path } => return self.save_report(path, true),
            Action::ReportSaved(path) => {
                if matches!(self.modals.last(), Some(Modal::Form(f)) if f.kind == FormKind::SaveReport)
                {
                    self.modals.pop();
                }
                self.set_status(
                    StatusKind::Ok,
                    format!("saved the import summary to {}", display_safe(&path)),
                );
            }
            Action::ReportExists(path) => {
                let text = format!(
                    "{} already exists. Replace it with this summary?",
                    display_safe(&path)
                );
                let again = Action::SaveReportOverwrite { path };
                self.modals.push(Modal::confirm(
                    ConfirmState::new("Replace?", text, again).answers("replace", "keep the file"),
                ));
            }
            Action::ReportFailed(reason) => match self.modals.last_mut() {
                Some(Modal::Form(form)) if form.kind == FormKind::SaveReport => {
                    form.refuse(&ValidationError::new("path", reason));
                }
                _ => self.set_status(StatusKind::Error, reason),
            },
            _ => {}
        }
        Vec::new()
    }

    fn import_finished(
        &mut self,
        report: Box<super::modals::import::ImportReport>,
        stopped: Option<String>,
    ) -> Vec<Effect> {
        let Some(state) = self.import_state() else {
            return Vec::new();
        };
        let created = report.summary.import.as_ref().map_or(0, |i| i.created);
        state.stage = Stage::Done {
            report,
            scroll: 0,
            stopped: stopped.clone(),
        };
        match stopped {
            Some(why) => self.set_status(StatusKind::Error, why),
            None => self.set_status(StatusKind::Ok, format!("imported {created} customer(s)")),
        }
        // The list loads again; customers already shown are kept, new ones join them.
        self.tabs.customers.loading = true;
        vec![Effect::StartIndexLoad { offset: 0 }]
    }

    /// Asks for the summary to be written to `path`.
    pub(super) fn save_report(&mut self, path: String, overwrite: bool) -> Vec<Effect> {
        let Some(state) = self.import_state() else {
            return Vec::new();
        };
        let text = match &state.stage {
            Stage::Done {
                report, stopped, ..
            } => report_text(report, stopped.as_deref()),
            // The preview's report: a dry run, nothing written (whether or not any row is good).
            Stage::Preview { report, .. } => report_text(report, None),
            _ => return Vec::new(),
        };
        vec![Effect::SaveReport {
            path,
            text,
            overwrite,
        }]
    }
}
