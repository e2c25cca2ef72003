//! `tenantry import customers|list|undo` and `tenantry export customers`.

use std::io::Write;

use super::CliError;
use super::args::{ExportFormatArg, ImportArgs, ImportCommand, ShowFormat};
use super::output::{TableSpec, write_listing};
use super::table::{Layout, Table};
use crate::backend::{Backend, BackendExt, every_page};
use crate::domain::text::display_safe;
use crate::import::{
    ExportFormat, ImportObserver, ImportOptions, Progress, RowOutcome, RowReport, export_customers,
    import_customers,
};
use crate::service::query::ListImports;

pub fn run(
    service: &dyn Backend,
    cmd: ImportCommand,
    width: Option<usize>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    match cmd {
        ImportCommand::Customers(args) => customers(service, args, width, out),
        ImportCommand::List { output } => {
            let rows = every_page(None, |before, limit| {
                service.ask(ListImports {
                    before,
                    limit: Some(limit),
                })
            })?;
            let spec = TableSpec {
                headers: &[
                    "ID", "STARTED", "ACTOR", "FILE", "ROWS", "CREATED", "ALREADY", "SKIPPED",
                    "STATUS",
                ],
                keep: &["ID"],
                width,
            };
            let rows = rows.into_iter().map(Ok::<_, CliError>);
            write_listing(out, output, &spec, rows, |r| {
                vec![
                    r.id.to_string(),
                    r.started_at.to_local_minutes(),
                    r.actor,
                    r.file,
                    r.rows.to_string(),
                    r.created.to_string(),
                    r.already.to_string(),
                    r.skipped.to_string(),
                    r.status,
                ]
            })
        }
        ImportCommand::Undo { id } => {
            let row = service.undo_import(id)?;
            writeln!(
                out,
                "undid import {id} ({}): {} customer(s) moved to the trash; restore any with `tenantry customer restore SLUG`",
                display_safe(&row.file),
                row.undone
            )?;
            Ok(())
        }
    }
}

fn parse_delimiter(text: &str) -> Result<u8, CliError> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        t if t.len() == 1 && t.is_ascii() && t != "\"" && t != "\n" => Ok(t.as_bytes()[0]),
        other => Err(CliError::Usage(format!(
            "--delimiter: \"{}\" is not one ASCII character (or \"tab\")",
            crate::domain::text::preview(other)
        ))),
    }
}

fn outcome_text(row: &RowReport) -> String {
    match row.outcome {
        RowOutcome::New => "new".into(),
        RowOutcome::AlreadyImported => "already imported".into(),
        RowOutcome::Error => {
            let reasons: Vec<String> = row
                .problems
                .iter()
                .map(|p| match p.column.as_str() {
                    "" => p.reason.clone(),
                    column => format!("column {column}: {}", p.reason),
                })
                .collect();
            format!("error: {}", reasons.join("; "))
        }
    }
}

fn customers(
    service: &dyn Backend,
    args: ImportArgs,
    width: Option<usize>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let options = ImportOptions {
        dry_run: args.dry_run,
        skip_invalid: args.skip_invalid,
        delimiter: args.delimiter.as_deref().map(parse_delimiter).transpose()?,
        ..ImportOptions::default()
    };
    let json = args.format == ShowFormat::Json;
    let mut report = ReportWriter::new(out, json, width)?;
    let result = import_customers(service, &args.file, &options, &mut report);
    // The import's own failure says more than a report that could not be written.
    if let Some(e) = report.error.take() {
        result?;
        return Err(e.into());
    }
    report.finish(result.as_ref().ok())?;
    let warnings = match &result {
        Ok(summary) => summary.warnings.clone(),
        Err(crate::import::ImportError::Refused { warnings, .. }) => warnings.clone(),
        Err(_) => Vec::new(),
    };
    for warning in &warnings {
        let _ = writeln!(
            std::io::stderr(),
            "tenantry: warning: {}",
            display_safe(warning)
        );
    }
    let summary = result?;
    if !json {
        let verb = if summary.dry_run {
            "dry run, nothing written:"
        } else {
            "imported"
        };
        let record = summary
            .import
            .as_ref()
            .map(|r| format!(" as import {}", r.id))
            .unwrap_or_default();
        writeln!(
            out,
            "{verb} {} new, {} already imported, {} invalid{} of {} rows from {}{record} (delimiter: {})",
            summary.new,
            summary.already_imported,
            summary.errors,
            if summary.errors > 0 && !summary.dry_run {
                " skipped"
            } else {
                ""
            },
            summary.rows,
            display_safe(&summary.file),
            display_safe(&summary.delimiter)
        )?;
    }
    Ok(())
}

/// The per-row report: a table (its header written with the first row, so a file refused as
/// a whole prints no empty table), or a JSON object with the rows and the summary.
struct ReportWriter<'a> {
    /// The output until the table takes it over (always kept for JSON).
    out: Option<&'a mut dyn Write>,
    table: Option<Table<'a, dyn Write + 'a>>,
    json: bool,
    /// The width the table fits (`None`: never cut).
    width: Option<usize>,
    rows: u64,
    /// The first write that failed; reported once the import returns.
    error: Option<std::io::Error>,
    /// Progress of the writing pass on stderr, when stderr is a terminal.
    meter: Option<ProgressMeter>,
}

/// A one-line progress meter on stderr for the writing pass: rows written, rows per second and
/// time left, redrawn in place. Only used when stderr is a terminal, so scripts see nothing.
struct ProgressMeter {
    started: std::time::Instant,
}

impl ProgressMeter {
    fn start() -> Option<Self> {
        use std::io::IsTerminal;
        std::io::stderr().is_terminal().then(|| Self {
            started: std::time::Instant::now(),
        })
    }

    fn show(&self, progress: Progress) {
        let secs = self.started.elapsed().as_secs_f64().max(0.001);
        let rate = progress.written as f64 / secs;
        let left = progress.to_write.saturating_sub(progress.written);
        let eta = if rate > 0.0 {
            format!("{:.0} s left", left as f64 / rate)
        } else {
            "…".into()
        };
        let done = progress.written >= progress.to_write;
        let _ = write!(
            std::io::stderr(),
            "\rwriting {} / {} customers · {rate:.0} rows/s · {}\x1b[K{}",
            progress.written,
            progress.to_write,
            if done { "done".to_owned() } else { eta },
            if done { "\n" } else { "" }
        );
    }
}

impl ImportObserver for ReportWriter<'_> {
    fn row(&mut self, report: &RowReport) {
        if self.error.is_none() {
            self.error = self.write_row(report).err();
        }
    }

    /// The whole report is on screen before the (long) writing pass starts.
    fn progress(&mut self, progress: Progress) {
        if progress.written == 0 && self.error.is_none() {
            self.error = self.flush_output().err();
            self.meter = ProgressMeter::start();
        }
        if let Some(meter) = &self.meter {
            meter.show(progress);
        }
    }
}

const COLUMNS: [&str; 5] = ["LINE", "NAME", "SLUG", "OWNER", "OUTCOME"];

impl<'a> ReportWriter<'a> {
    fn new(out: &'a mut dyn Write, json: bool, width: Option<usize>) -> std::io::Result<Self> {
        if json {
            write!(out, "{{\"rows\": [")?;
        }
        Ok(Self {
            out: Some(out),
            table: None,
            json,
            width,
            rows: 0,
            error: None,
            meter: None,
        })
    }

    fn flush_output(&mut self) -> std::io::Result<()> {
        match (self.out.as_mut(), self.table.as_mut()) {
            (Some(out), _) => out.flush(),
            (None, Some(table)) => table.flush(),
            (None, None) => Ok(()),
        }
    }

    fn write_row(&mut self, row: &RowReport) -> std::io::Result<()> {
        self.rows += 1;
        if self.json {
            let Some(out) = self.out.as_mut() else {
                return Ok(());
            };
            write!(out, "{}\n  ", if self.rows == 1 { "" } else { "," })?;
            return crate::json::to_writer(&mut **out, row);
        }
        if self.table.is_none() {
            if let Some(out) = self.out.take() {
                let layout = Layout {
                    width: self.width,
                    header: true,
                };
                // What is wrong with a row is never cut: the report is the operator's record.
                let table = Table::new(out, &COLUMNS, layout).keep(&["LINE", "SLUG"]);
                self.table = Some(table.whole_last());
            }
        }
        match self.table.as_mut() {
            Some(table) => table.row(&[
                row.line.to_string(),
                row.name.clone(),
                row.slug.clone(),
                row.owner.clone(),
                outcome_text(row),
            ]),
            None => Ok(()),
        }
    }

    fn finish(self, summary: Option<&crate::import::ImportSummary>) -> std::io::Result<()> {
        if let Some(table) = self.table {
            table.finish()?;
        }
        if let (true, Some(out)) = (self.json, self.out) {
            write!(out, "\n], \"summary\": ")?;
            crate::json::to_writer(&mut *out, &summary)?;
            writeln!(out, "}}")?;
        }
        Ok(())
    }
}

pub fn export(
    service: &dyn Backend,
    trash: bool,
    format: ExportFormatArg,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let format = match format {
        ExportFormatArg::Csv => ExportFormat::Csv,
        ExportFormatArg::Json => ExportFormat::Json,
    };
    export_customers(service, trash, format, out)?;
    Ok(())
}
