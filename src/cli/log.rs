//! `tenantry log [FILTERS]`, `log export`, `log verify [--from-export FILE] [--head SEQ:HASH]`
//! and `log head`. The listing streams page by page (newest first); every rule about which
//! events match, and the export itself, is the service's. Checking an export file is
//! `audit_file::verify`; this module feeds it the stored chain and prints what it found.

use std::io::Write;

use super::CliError;
use super::args::{ListFormat, ListOutput, LogAction, LogArgs, LogExportFormat, LogFormat};
use super::args::{LogExportArgs, ShowFormat};
use super::output::{TableSpec, write_listing};
use crate::audit_file::ExportFormat;
use crate::audit_file::verify::{KeptHead, StoredEvent, verify_export};
use crate::backend::{Backend, BackendExt};
use crate::domain::ValidationError;
use crate::domain::text::{display_safe, preview};
use crate::service::log_filter::{ACTION, ACTOR, GREP, SINCE, UNTIL};
use crate::service::query::{MAX_PAGE_ROWS, VerifyLog};
use crate::service::{AuditRow, LogExport, LogHashes, LogHead, LogQuery, ServiceError};

/// A refused filter named by its flag (`--action: …`), as the user typed it.
fn flag_named(err: ServiceError) -> CliError {
    match err {
        ServiceError::Invalid(v)
            if [ACTOR, ACTION, SINCE, UNTIL, GREP].contains(&v.field.as_str()) =>
        {
            ServiceError::Invalid(ValidationError::new(format!("--{}", v.field), v.reason)).into()
        }
        other => other.into(),
    }
}

pub fn run(
    service: &dyn Backend,
    args: LogArgs,
    width: Option<usize>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    match args.action {
        Some(LogAction::Verify { from_export, head }) => {
            let kept = head.as_deref().map(parse_head).transpose()?;
            match from_export {
                Some(file) => verify_file(service, &file, kept.as_ref(), out),
                None => verify_stored(service, kept.as_ref(), out),
            }
        }
        Some(LogAction::Head { format }) => {
            let head = service.ask(LogHead)?;
            match format {
                ShowFormat::Table => writeln!(out, "{}:{}", head.seq, head.hash)?,
                ShowFormat::Json => {
                    crate::json::to_writer(&mut *out, &head)?;
                    writeln!(out)?;
                }
            }
            Ok(())
        }
        Some(LogAction::Export(export)) => export_file(service, export, out),
        Some(LogAction::Prune) => super::admin::prune_log(service, out),
        None => list(service, &args, width, out),
    }
}

fn parse_head(text: &str) -> Result<KeptHead, CliError> {
    KeptHead::parse(text).ok_or_else(|| {
        ServiceError::Invalid(ValidationError::new(
            "--head",
            format!(
                "must be SEQ:HASH (a sequence, a colon, 64 hex digits, as `log head` prints), not {}",
                preview(text)
            ),
        ))
        .into()
    })
}

/// The events newest first, one page at a time, up to `limit`.
fn pages<'a>(
    service: &'a dyn Backend,
    query: LogQuery,
    limit: Option<usize>,
) -> impl Iterator<Item = Result<AuditRow, CliError>> + 'a {
    let mut left = limit.unwrap_or(usize::MAX);
    let mut cursor = None;
    let mut done = false;
    let mut buffer = std::collections::VecDeque::new();
    std::iter::from_fn(move || {
        loop {
            if let Some(row) = buffer.pop_front() {
                return Some(Ok(row));
            }
            if done || left == 0 {
                return None;
            }
            let page = service.ask(LogQuery {
                limit: Some(left.min(crate::service::query::PAGE_ROWS)),
                before: cursor.take(),
                ..query.clone()
            });
            let page = match page {
                Ok(page) => page,
                Err(e) => {
                    done = true;
                    return Some(Err(flag_named(e)));
                }
            };
            left = left.saturating_sub(page.rows.len());
            buffer.extend(page.rows);
            match page.next {
                Some(next) => cursor = Some(next),
                None => done = true,
            }
        }
    })
}

fn list(
    service: &dyn Backend,
    args: &LogArgs,
    width: Option<usize>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let mut rows = pages(service, args.filters.query(), args.limit).peekable();
    // A refused filter is one line on stderr, not a table header followed by an error.
    if let Some(Err(_)) = rows.peek()
        && let Some(Err(e)) = rows.next()
    {
        return Err(e);
    }
    let format = match args.format {
        LogFormat::Table => ListFormat::Table,
        LogFormat::Json => ListFormat::Json,
        LogFormat::Csv => ListFormat::Csv,
        LogFormat::Jsonl => {
            for row in rows {
                crate::json::to_writer(&mut *out, &row?)?;
                writeln!(out)?;
            }
            return Ok(());
        }
    };
    let spec = TableSpec {
        headers: &[
            "SEQ",
            "TIME (UTC)",
            "ACTOR",
            "CUSTOMER",
            "ACTION",
            "SUMMARY",
        ],
        keep: &["SEQ", "TIME (UTC)"],
        width,
    };
    let output = ListOutput {
        format,
        no_header: args.no_header,
    };
    write_listing(out, output, &spec, rows, |r| {
        let actor = if r.actor_kind == "system" {
            "system".to_owned()
        } else {
            r.actor_email
        };
        let customer = if r.impersonated_slug.is_empty() {
            r.customer_slug
        } else {
            format!("{} (as {})", r.customer_slug, r.impersonated_slug)
        };
        vec![
            r.seq.to_string(),
            r.at,
            actor,
            customer,
            r.action,
            r.summary,
        ]
    })
}

/// "1 event", "7 events".
fn events(n: u64) -> String {
    if n == 1 {
        "1 event".into()
    } else {
        format!("{n} events")
    }
}

fn export_file(
    service: &dyn Backend,
    args: LogExportArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let format = match args.format {
        LogExportFormat::Csv => ExportFormat::Csv,
        LogExportFormat::Jsonl => ExportFormat::Jsonl,
    };
    let summary = service
        .export_log(&LogExport {
            query: args.filters.query(),
            format,
            file: args.output,
            force: args.force,
        })
        .map_err(flag_named)?;
    let t = &summary.trailer;
    let what = match t.scope {
        crate::audit_file::Scope::Complete => "complete".to_owned(),
        crate::audit_file::Scope::Filtered => format!("filtered by {}", display_safe(&t.filter)),
    };
    writeln!(
        out,
        "wrote {}: {} ({what}), head {}:{}",
        summary.file,
        events(t.rows),
        t.head_seq,
        t.head_hash
    )?;
    Ok(())
}

fn verify_stored(
    service: &dyn Backend,
    kept: Option<&KeptHead>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    // A chain that verifies says nothing of the rest of a database found damaged.
    if let Some(refusal) = service.damaged() {
        return Err(refusal.into());
    }
    let report = service.ask(VerifyLog)?;
    if let Some(b) = report.first_break {
        return Err(CliError::CheckFailed(format!(
            "audit chain broken at event {}: {} ({} events read)",
            b.seq, b.reason, report.events
        )));
    }
    let head = service.ask(LogHead)?;
    let checkpoint = head.checkpoint_seq.zip(head.checkpoint_hash);
    if let (Some(k), Some((cut, hash))) = (kept, &checkpoint)
        && k.seq <= *cut
    {
        if k.seq < *cut || k.hash != *hash {
            return Err(CliError::CheckFailed(format!(
                "event {}, the kept head, is at or before the checkpoint of a prune (event {cut}, \
                 hash {hash}): the log no longer holds it to compare",
                k.seq
            )));
        }
    } else if let Some(k) = kept {
        let found = service.ask(LogHashes {
            from: k.seq,
            limit: 1,
        })?;
        match found.first() {
            Some((seq, hash)) if *seq == k.seq && *hash == k.hash => {}
            Some((seq, _)) if *seq == k.seq => {
                return Err(CliError::CheckFailed(format!(
                    "event {}: hash differs from the kept head {}: the log was changed at or before it",
                    k.seq, k.hash
                )));
            }
            _ => {
                return Err(CliError::CheckFailed(format!(
                    "event {}, the kept head, is not in the log ({} events): events were removed",
                    k.seq, report.events
                )));
            }
        }
    }
    let anchored = kept.map_or(String::new(), |k| {
        format!("; event {} matches the kept head", k.seq)
    });
    let from = checkpoint.map_or(String::new(), |(cut, hash)| {
        format!(
            " from the checkpoint of a prune (event {cut}, hash {})",
            hash.get(..12).unwrap_or_default()
        )
    });
    writeln!(
        out,
        "audit chain verified: {} events{from}, no break{anchored}",
        report.events
    )?;
    Ok(())
}

/// The stored hashes, read a page at a time in sequence order as the file asks for them.
struct StoredPages<'a> {
    service: &'a dyn Backend,
    page: Vec<(u64, String)>,
    /// The checkpoint of the last prune: events at or below it are no longer stored.
    checkpoint: Option<(u64, String)>,
}

impl StoredPages<'_> {
    fn event(&mut self, seq: u64) -> Result<StoredEvent, String> {
        if let Some((cut, hash)) = &self.checkpoint {
            if seq == *cut {
                return Ok(StoredEvent::Hash(hash.clone()));
            }
            if seq < *cut {
                return Ok(StoredEvent::Pruned);
            }
        }
        Ok(match self.hash_of(seq)? {
            Some(hash) => StoredEvent::Hash(hash),
            None => StoredEvent::Missing,
        })
    }

    fn hash_of(&mut self, seq: u64) -> Result<Option<String>, String> {
        let inside = match (self.page.first(), self.page.last()) {
            (Some((first, _)), Some((last, _))) => *first <= seq && seq <= *last,
            _ => false,
        };
        if !inside {
            self.page = self
                .service
                .ask(LogHashes {
                    from: seq,
                    limit: MAX_PAGE_ROWS,
                })
                .map_err(|e| e.to_string())?;
        }
        Ok(self
            .page
            .binary_search_by_key(&seq, |(s, _)| *s)
            .ok()
            .and_then(|i| self.page.get(i))
            .map(|(_, h)| h.clone()))
    }
}

fn verify_file(
    service: &dyn Backend,
    file: &std::path::Path,
    kept: Option<&KeptHead>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let shown = display_safe(&file.display().to_string());
    // The session must be able to read the log before a file is compared with it.
    let head = service.ask(LogHead)?;
    let input = std::fs::File::open(file)
        .map_err(|e| CliError::CheckFailed(format!("{shown}: cannot be read: {e}")))?;
    let mut stored = StoredPages {
        service,
        page: Vec::new(),
        checkpoint: head.checkpoint_seq.zip(head.checkpoint_hash),
    };
    let mut lookup = |seq: u64| stored.event(seq);
    let report = verify_export(std::io::BufReader::new(input), Some(&mut lookup), kept)
        .map_err(|e| CliError::CheckFailed(format!("reading the stored log: {e}")))?
        .map_err(|e| CliError::CheckFailed(format!("{shown}: {e}")))?;
    if report.ok() {
        let t = report.trailer.as_ref();
        let what = t.map_or(String::new(), |t| match t.scope {
            crate::audit_file::Scope::Complete => "complete".to_owned(),
            crate::audit_file::Scope::Filtered => {
                format!("filtered by {}", display_safe(&t.filter))
            }
        });
        let head = t.map_or(String::new(), |t| format!("{}:{}", t.head_seq, t.head_hash));
        let anchored = kept.map_or(String::new(), |k| {
            format!("; event {} matches the kept head", k.seq)
        });
        let pruned = match report.pruned {
            0 => String::new(),
            n => format!(
                " ({} before the checkpoint of a prune, checked by their links only)",
                events(n)
            ),
        };
        writeln!(
            out,
            "export verified: {} ({what}), head {head}; every event matches the stored chain{pruned}{anchored}",
            events(report.events)
        )?;
        return Ok(());
    }
    for problem in &report.problems {
        writeln!(out, "{}", display_safe(problem))?;
    }
    let total = report.problems.len() as u64 + report.more_problems;
    Err(CliError::CheckFailed(format!(
        "{shown}: the export does not verify: {total} problem{}",
        if total == 1 { "" } else { "s" }
    )))
}
