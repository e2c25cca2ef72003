//! `log export`: the log (or the part a filter lets through) streamed oldest first into a
//! private file, ending with the trailer, and recorded as a `log.export` event naming the
//! filter and the row count. Needs "view logs".
//!
//! The file is written as a backup is: into a 0600 temporary file beside the target, renamed
//! over the name only once complete (a killed export leaves no half file under it), never
//! replacing an existing file without `force`, never inside the database directory. The
//! export reads up to the head it records, so events written meanwhile are left for the next
//! export. Only after the rename is the event written; if that fails the file is removed, so
//! no export exists that the log does not record (D103).

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Ctx, LogQuery, Service, ServiceError, Session, record};
use crate::audit_file::{EXPORT_FORMAT, ExportFormat, ExportWriter, Scope, Trailer};
use crate::domain::text::display_safe;
use crate::domain::{AuditAction, CustomerRef, Privilege};
use crate::store::StoreError;
use crate::store::backup_file::{
    Interrupt, parent_dir, refuse_existing, sync_dir, temp_file_beside,
};

/// What to export, as what, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogExport {
    /// The filters (`limit` and `before` are not used: an export holds every match).
    pub query: LogQuery,
    pub format: ExportFormat,
    /// The file to write, on the machine holding the database.
    pub file: PathBuf,
    /// Replace `file` if it exists.
    pub force: bool,
}

/// What an export wrote: its trailer, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogExportSummary {
    pub file: String,
    pub trailer: Trailer,
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> ServiceError + '_ {
    move |e| StoreError::io(path, &e).into()
}

/// Refuses a file inside the database directory, where it would be taken for the database's.
fn refuse_inside_database(file: &Path, db: &Path) -> Result<(), ServiceError> {
    let dir = parent_dir(file);
    let dir = dir.canonicalize().map_err(io_error(&dir))?;
    let db = db.canonicalize().map_err(io_error(db))?;
    if dir.starts_with(&db) {
        return Err(StoreError::Refused {
            path: display_safe(&file.display().to_string()),
            detail: format!(
                "is inside the database directory {}; write exports elsewhere",
                display_safe(&db.display().to_string())
            ),
        }
        .into());
    }
    Ok(())
}

impl Service {
    /// Writes the export and records it; see the module documentation.
    pub fn export_log(
        &self,
        session: &Session,
        export: &LogExport,
    ) -> Result<LogExportSummary, ServiceError> {
        self.require_initialised()?;
        let session = &self.acting(session)?;
        session.require(Privilege::ViewLogs, "exporting the log")?;
        // The export's event could not be written: refuse before writing a file.
        if let Some(refusal) = self.store.damage_refusal() {
            return Err(refusal.into());
        }
        let filter = self.log_filter(&export.query)?;
        let sieve = Self::log_sieve(&filter);
        let slug = export.query.customer.as_deref().map(str::trim);
        let customer = slug.map(|s| self.log_customer_id(s)).transpose()?;
        let file = export.file.as_path();
        refuse_existing(file, export.force)?;
        refuse_inside_database(file, self.store.path())?;
        let interrupt = Interrupt::register(file)?;
        let mut temp = temp_file_beside(file)?;
        let head = self.store.audit_head()?;
        let mut words = Vec::new();
        if let Some(slug) = slug {
            words.push(format!("customer={slug}"));
        }
        words.extend(filter.describe());
        let scope = if words.is_empty() {
            Scope::Complete
        } else {
            Scope::Filtered
        };
        let mut writer = ExportWriter::new(BufWriter::new(temp.as_file_mut()), export.format)
            .map_err(io_error(file))?;
        let checkpoint = self.store.audit_checkpoint()?;
        let start = checkpoint.map_or(1, |c| c.seq.saturating_add(1));
        for event in self.log_events_oldest_first(customer, &filter, &sieve, head.seq, start) {
            writer
                .push(&super::AuditRow::new(&event?))
                .map_err(io_error(file))?;
            if writer.rows() % 4096 == 0 {
                interrupt.check(file)?;
            }
        }
        let trailer = Trailer {
            trailer: EXPORT_FORMAT.to_owned(),
            head_seq: head.seq,
            head_hash: hex::encode(head.hash),
            scope,
            filter: words.join(" "),
            rows: writer.rows(),
            start_seq: start,
            start_prev_hash: checkpoint.map(|c| hex::encode(c.hash)).unwrap_or_default(),
        };
        let mut out = writer.finish(&trailer).map_err(io_error(file))?;
        out.flush().map_err(io_error(file))?;
        drop(out);
        temp.as_file().sync_all().map_err(io_error(file))?;
        interrupt.check(file)?;
        let persisted = if export.force {
            temp.persist(file)
        } else {
            temp.persist_noclobber(file)
        };
        persisted.map_err(|e| -> ServiceError {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                StoreError::Refused {
                    path: display_safe(&file.display().to_string()),
                    detail: "file exists; choose another name or pass --force".into(),
                }
                .into()
            } else {
                StoreError::io(file, &e.error).into()
            }
        })?;
        sync_dir(&parent_dir(file))?;
        if let Err(e) = self.record_export(session, customer, export.format, &trailer) {
            let _ = std::fs::remove_file(file);
            return Err(e);
        }
        Ok(LogExportSummary {
            file: display_safe(&file.display().to_string()),
            trailer,
        })
    }

    /// Writes the `log.export` event: format, scope and filter, rows, and the head exported.
    fn record_export(
        &self,
        session: &Session,
        customer: Option<crate::domain::CustomerId>,
        format: ExportFormat,
        trailer: &Trailer,
    ) -> Result<(), ServiceError> {
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let session = &self.acting(session)?;
        let customer = match customer {
            Some(id) => self.store.customer(id)?.map(|c| CustomerRef {
                id: c.id,
                slug: c.slug.to_string(),
                name: c.name.clone(),
            }),
            None => None,
        };
        let what = match trailer.scope {
            Scope::Complete => "complete".to_owned(),
            Scope::Filtered => format!("filtered by {}", trailer.filter),
        };
        let summary = format!(
            "exported {} event{} as {} ({what}) up to event {}",
            trailer.rows,
            if trailer.rows == 1 { "" } else { "s" },
            format.as_str(),
            trailer.head_seq
        );
        let ctx = Ctx {
            session,
            now: self.clock.now(),
        };
        self.store.transact(|tx| {
            record(
                tx,
                &ctx,
                customer.clone(),
                AuditAction::LogExport,
                summary.clone(),
            )
        })?;
        self.store.flush()?;
        Ok(())
    }
}
