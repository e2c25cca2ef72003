//! The two passes of an import: check every row (reporting each as it goes), then, unless
//! refused or a dry run, write the new rows in batches, each one transaction flushed before
//! it counts.

use std::path::Path;

use super::rows::{RowPlan, judge};
use super::source::{self, FileFacts};
use super::{
    ALREADY, INVALID, ImportError, ImportObserver, ImportOptions, ImportSummary, NEW, Problem,
    Progress, RowOutcome, RowReader, RowReport, Seen, delimiter_name, file_name,
};
use crate::backend::{self, Backend, BackendExt};
use crate::domain::Privilege;
use crate::domain::fields::{FieldDef, FieldTarget};
use crate::service::query::{CreatedByAny, ImportsOfFile, RunningImport, SlugHolder};
use crate::service::{
    Command, FieldRow, Holder, ImportCommand, ImportStart, ListFields, Outcome, ServiceError,
    UniqueField,
};

/// Imports customers from the CSV file at `path`. Every row's report goes to the observer in
/// file order during the checking pass; its `progress` follows the writing pass (called once
/// with nothing written when writing starts).
pub fn import_customers(
    service: &dyn Backend,
    path: &Path,
    options: &ImportOptions,
    observer: &mut dyn ImportObserver,
) -> Result<ImportSummary, ImportError> {
    backend::require(
        service,
        Privilege::ManageCustomers,
        crate::domain::AuditAction::ImportCustomers.as_str(),
    )?;
    let facts = source::inspect(path, options.delimiter)?;
    // A column named as a custom field of customers in use holds its values.
    let fields: Vec<FieldDef> = service
        .ask(ListFields)?
        .iter()
        .filter(|f| f.target == FieldTarget::Customers && !f.removed)
        .map(FieldRow::to_def)
        .collect();
    let input = Input {
        path,
        facts: &facts,
        fields: &fields,
    };
    let earlier = service.ask(ImportsOfFile {
        sha256: facts.sha256.clone(),
    })?;
    let (states, mut summary, warnings) =
        check_pass(service, &input, &earlier, options.max_rows, observer)?;
    summary.warnings = warnings;
    if summary.errors > 0 && !options.skip_invalid {
        return Err(ImportError::Refused {
            path: path.display().to_string(),
            errors: summary.errors,
            warnings: summary.warnings,
        });
    }
    summary.dry_run = options.dry_run;
    let nothing_to_resume = summary.new == 0
        && service
            .ask(RunningImport {
                sha256: facts.sha256.clone(),
            })?
            .is_none();
    if options.dry_run || nothing_to_resume {
        return Ok(summary);
    }
    let import = write_pass(service, &input, &states, &summary, options, observer)?;
    summary.import = Some(import);
    Ok(summary)
}

type CheckResult = (Vec<u8>, ImportSummary, Vec<String>);

/// The file both passes read: where it is, what was learnt of it, and the custom fields its
/// columns may name.
struct Input<'a> {
    path: &'a Path,
    facts: &'a FileFacts,
    fields: &'a [FieldDef],
}

fn check_pass(
    service: &dyn Backend,
    input: &Input<'_>,
    earlier: &[u64],
    max_rows: u64,
    observer: &mut dyn ImportObserver,
) -> Result<CheckResult, ImportError> {
    let (path, facts) = (input.path, input.facts);
    let shown = path.display().to_string();
    let mut reader = RowReader::open(path, facts, input.fields)?;
    let mut warnings = Vec::new();
    if !reader.columns.unknown.is_empty() {
        warnings.push(format!(
            "unknown column(s) ignored: {}",
            super::columns::listed(&reader.columns.unknown)
        ));
    }
    let mut seen = Seen::default();
    let mut states = Vec::new();
    let mut summary = ImportSummary {
        file: super::file_name(path),
        sha256: facts.sha256.clone(),
        delimiter: if facts.detected {
            format!("{} (detected)", delimiter_name(facts.delimiter))
        } else {
            delimiter_name(facts.delimiter)
        },
        rows: 0,
        new: 0,
        already_imported: 0,
        errors: 0,
        warnings: Vec::new(),
        dry_run: false,
        import: None,
    };
    // The report of the last row waits until the end: only then is it known whether the file
    // ends inside an unclosed quote that swallowed the rest of it.
    let mut pending: Option<(RowReport, u64)> = None;
    while let Some(raw) = reader.next_row() {
        if observer.cancelled() {
            return Err(ImportError::Cancelled { path: shown });
        }
        if let Some((report, _)) = pending.take() {
            observer.row(&report);
        }
        summary.rows += 1;
        if summary.rows > max_rows {
            return Err(ImportError::File {
                path: shown,
                reason: format!(
                    "line {}: the file has more than {max_rows} rows; split it and import the parts",
                    raw.line
                ),
            });
        }
        let report = match raw.fields {
            Err(p) => error_report(raw.line, p),
            Ok(fields) => judge_row(
                service,
                &mut seen,
                earlier,
                raw.line,
                &fields,
                &reader.columns,
            )?,
        };
        tally(&mut summary, &mut states, &report);
        pending = Some((report, raw.byte));
    }
    if let Some(line) = reader.too_long() {
        return Err(ImportError::File {
            path: shown,
            reason: format!(
                "line {line}: a record is longer than {} bytes; nothing imported",
                source::MAX_RECORD_BYTES
            ),
        });
    }
    if let Some((mut report, byte)) = pending {
        if source::ends_inside_quotes(path, byte + facts.bom, facts)? {
            untally(&mut summary, &report);
            report = error_report(
                report.line,
                Problem {
                    line: report.line,
                    column: String::new(),
                    reason: "unclosed quote: a quoted field starting on this line runs to the end of the file".into(),
                    preview: report.name.clone(),
                },
            );
            if let Some(last) = states.last_mut() {
                *last = INVALID;
            }
            summary.errors += 1;
        }
        observer.row(&report);
    }
    if summary.rows == 0 {
        return Err(ImportError::File {
            path: shown,
            reason: "the file has a header but no rows".into(),
        });
    }
    Ok((states, summary, warnings))
}

fn tally(summary: &mut ImportSummary, states: &mut Vec<u8>, report: &RowReport) {
    let state = match report.outcome {
        RowOutcome::New => {
            summary.new += 1;
            NEW
        }
        RowOutcome::AlreadyImported => {
            summary.already_imported += 1;
            ALREADY
        }
        RowOutcome::Error => {
            summary.errors += 1;
            INVALID
        }
    };
    states.push(state);
}

fn untally(summary: &mut ImportSummary, report: &RowReport) {
    match report.outcome {
        RowOutcome::New => summary.new -= 1,
        RowOutcome::AlreadyImported => summary.already_imported -= 1,
        RowOutcome::Error => summary.errors -= 1,
    }
}

fn error_report(line: u64, problem: Problem) -> RowReport {
    RowReport {
        line,
        name: problem.preview.clone(),
        slug: String::new(),
        owner: String::new(),
        outcome: RowOutcome::Error,
        problems: vec![problem],
    }
}

/// Judges a row on its own, then against the file so far and the database.
fn judge_row(
    service: &dyn Backend,
    seen: &mut Seen,
    earlier: &[u64],
    line: u64,
    fields: &[String],
    columns: &super::columns::Columns,
) -> Result<RowReport, ServiceError> {
    let (labels, judged) = judge(line, fields, columns);
    let mut report = RowReport {
        line,
        name: labels.name,
        slug: labels.slug,
        owner: labels.owner,
        outcome: RowOutcome::New,
        problems: Vec::new(),
    };
    let plan = match judged {
        Ok(plan) => plan,
        Err(problems) => {
            report.outcome = RowOutcome::Error;
            report.problems = problems;
            return Ok(report);
        }
    };
    let slug_column = columns
        .slug
        .map(|i| columns.label(i))
        .unwrap_or_else(|| columns.label(columns.name));
    let clash = |reason: String| Problem {
        line,
        column: slug_column.clone(),
        reason,
        preview: plan.slug.clone(),
    };
    if let Some(first) = seen.claim_slug(&plan.slug, line) {
        report.outcome = RowOutcome::Error;
        report.problems.push(clash(format!(
            "slug \"{}\" is also on line {first}",
            plan.slug
        )));
        return Ok(report);
    }
    let holder = service.ask(SlugHolder {
        slug: plan.slug.clone(),
    })?;
    if let Some(crate::service::query::SlugTaken {
        name: holder,
        trashed,
    }) = holder
    {
        let created = service.ask(CreatedByAny {
            imports: earlier.to_vec(),
            slug: plan.slug.clone(),
        })?;
        if created {
            report.outcome = RowOutcome::AlreadyImported;
            return Ok(report);
        }
        report.outcome = RowOutcome::Error;
        let taken = ServiceError::Taken {
            field: UniqueField::Slug,
            value: plan.slug.to_string(),
            holder: Holder::Customer {
                name: holder,
                trashed,
            },
        };
        report.problems.push(clash(taken.to_string()));
        return Ok(report);
    }
    check_owner(service, seen, line, &plan, columns, &mut report)?;
    Ok(report)
}

fn check_owner(
    service: &dyn Backend,
    seen: &mut Seen,
    line: u64,
    plan: &RowPlan,
    columns: &super::columns::Columns,
    report: &mut RowReport,
) -> Result<(), ServiceError> {
    let Some((email, has_names)) = &plan.owner else {
        return Ok(());
    };
    if seen.owner_is_known(service, email)? {
        return Ok(());
    }
    if !has_names {
        report.outcome = RowOutcome::Error;
        let column = columns
            .owner_email
            .map(|i| columns.label(i))
            .unwrap_or_default();
        report.problems.push(Problem {
            line,
            column,
            reason: format!("no user has the email {email}; a new owner needs Owner First Name and Owner Last Name (or Owner Name)"),
            preview: super::preview(email),
        });
        return Ok(());
    }
    // A new owner whose address passes for an existing account's is refused, as `customer
    // add` refuses it (D84).
    if let Some(existing) = service.ask(crate::service::query::LookalikeAccount {
        email: email.clone(),
    })? {
        report.outcome = RowOutcome::Error;
        report.problems.push(Problem {
            line,
            column: columns
                .owner_email
                .map(|i| columns.label(i))
                .unwrap_or_default(),
            reason: format!(
                "{email} looks like the existing account {existing}; use an address that cannot be mistaken for it"
            ),
            preview: super::preview(email),
        });
        return Ok(());
    }
    seen.add_new_owner(email);
    Ok(())
}

fn write_pass(
    service: &dyn Backend,
    input: &Input<'_>,
    states: &[u8],
    summary: &ImportSummary,
    options: &ImportOptions,
    observer: &mut dyn ImportObserver,
) -> Result<crate::service::ImportRow, ImportError> {
    let (path, facts) = (input.path, input.facts);
    let start = ImportStart {
        file_name: file_name(path),
        sha256: facts.sha256.clone(),
        rows: summary.rows,
    };
    let Outcome::Import(record) = service.execute(Command::Import(ImportCommand::Start(start)))?
    else {
        return Err(ServiceError::Refused("the import could not start".into()).into());
    };
    let mut reader = RowReader::open(path, facts, input.fields)?;
    let mut batch = Vec::with_capacity(options.batch_size);
    let mut progress = Progress {
        written: 0,
        to_write: summary.new,
    };
    observer.progress(progress);
    let mut index = 0usize;
    while let Some(raw) = reader.next_row() {
        let state = states.get(index).copied().unwrap_or(INVALID);
        index += 1;
        if state != NEW {
            continue;
        }
        let Ok(fields) = raw.fields else { continue };
        let (_, Ok(plan)) = judge(raw.line, &fields, &reader.columns) else {
            continue;
        };
        batch.push(plan.customer);
        if batch.len() >= options.batch_size {
            progress.written += write_batch(service, record.id, &mut batch)?;
            observer.progress(progress);
            if observer.cancelled() {
                return Err(ImportError::Cancelled {
                    path: path.display().to_string(),
                });
            }
        }
    }
    if !batch.is_empty() {
        progress.written += write_batch(service, record.id, &mut batch)?;
        observer.progress(progress);
    }
    let finish = Command::Import(ImportCommand::Finish {
        import_id: record.id,
        already: summary.already_imported,
        skipped: summary.errors,
    });
    match service.execute(finish)? {
        Outcome::Import(row) => Ok(row),
        _ => Err(ServiceError::Refused("the import could not finish".into()).into()),
    }
}

fn write_batch(
    service: &dyn Backend,
    import_id: u64,
    batch: &mut Vec<crate::service::NewCustomer>,
) -> Result<u64, ServiceError> {
    let customers = std::mem::take(batch);
    let count = customers.len() as u64;
    service.execute(Command::Import(ImportCommand::Customers {
        import_id,
        customers,
    }))?;
    Ok(count)
}
