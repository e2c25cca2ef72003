//! The import summary as saved to a file: the totals, the import record, and every kept row
//! with an error (line, column, reason, a visible preview of the value). Also the default name
//! of that file.
//!
//! Pure text building; writing the file is the runtime's job.

use std::fmt::Write;

use super::modals::import::ImportReport;
use crate::domain::text::display_safe;
use crate::import::RowOutcome;

/// `import-<id>-report.txt`, or `import-<file>-report.txt` when nothing was written.
pub fn report_file_name(report: &ImportReport) -> String {
    match &report.summary.import {
        Some(import) => format!("import-{}-report.txt", import.id),
        None => {
            let stem: String = report
                .summary
                .file
                .chars()
                .take_while(|c| *c != '.')
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            format!(
                "import-{}-report.txt",
                if stem.is_empty() { "csv" } else { &stem }
            )
        }
    }
}

/// The summary and the rows with errors, as plain text (every value made visible-safe).
pub fn report_text(report: &ImportReport, stopped: Option<&str>) -> String {
    let s = &report.summary;
    let mut out = String::new();
    let _ = writeln!(out, "tenantry import summary");
    let _ = writeln!(out, "file: {}", display_safe(&s.file));
    let _ = writeln!(out, "sha256: {}", s.sha256);
    let _ = writeln!(out, "delimiter: {}", s.delimiter);
    let _ = writeln!(
        out,
        "rows: {}  new: {}  already imported: {}  errors: {}",
        s.rows, s.new, s.already_imported, s.errors
    );
    match &s.import {
        Some(import) => {
            let _ = writeln!(
                out,
                "import id: {}  status: {}  created: {}  already: {}  skipped: {}",
                import.id,
                display_safe(&import.status),
                import.created,
                import.already,
                import.skipped
            );
            let _ = writeln!(out, "actor: {}", display_safe(&import.actor));
            let _ = writeln!(
                out,
                "undo with: tenantry import undo {} (moves what it created to the trash)",
                import.id
            );
        }
        None => {
            let _ = writeln!(out, "import id: none (nothing was written)");
        }
    }
    if let Some(why) = stopped {
        let _ = writeln!(out, "stopped: {}", display_safe(why));
    }
    for warning in &s.warnings {
        let _ = writeln!(out, "warning: {}", display_safe(warning));
    }
    let errors: Vec<_> = report
        .kept
        .rows
        .iter()
        .filter(|r| r.outcome == RowOutcome::Error)
        .collect();
    let _ = writeln!(out, "\nrows with errors ({}):", s.errors);
    for row in &errors {
        for p in &row.problems {
            let column = if p.column.is_empty() {
                "(row)".to_owned()
            } else {
                display_safe(&p.column)
            };
            let _ = writeln!(
                out,
                "line {}: {column}: {} [{}]",
                p.line,
                display_safe(&p.reason),
                display_safe(&p.preview)
            );
        }
    }
    let listed = errors.len() as u64;
    if s.errors > listed {
        let _ = writeln!(
            out,
            "… {} more row(s) with errors are not listed; `tenantry import customers FILE --dry-run` lists them all",
            s.errors - listed
        );
    }
    out
}
