//! Import commands inside their transaction (start or resume, one batch of customers, finish)
//! and undo, which runs its own transactions. Its counts are stored numbers, so arithmetic
//! here is checked (denied by clippy): a forged count saturates rather than wraps or panics.
#![deny(clippy::arithmetic_side_effects)]

use super::{ImportRow, ImportStart};
use crate::domain::import::{ImportRecord, ImportStatus};
use crate::domain::{AuditAction, CustomerId, Privilege};
use crate::service::customers::{PreparedCustomer, create, move_to_trash};
use crate::service::{Ctx, Outcome, Service, ServiceError, Session, TxResult, fail, record};
use crate::store::Tx;

type T<'a> = Tx<'a, ServiceError>;

/// How many customers one undo transaction moves to the trash.
const UNDO_BATCH: usize = 2_000;

pub(crate) fn start(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    start: &ImportStart,
    resume: Option<u64>,
) -> TxResult<Outcome> {
    if let Some(id) = resume {
        if let Some(record) = tx.import(id)? {
            if record.status == ImportStatus::Running {
                return Ok(Outcome::Import(ImportRow::new(&record)));
            }
        }
    }
    let record = ImportRecord {
        id: tx.next_import_id()?,
        started_at: ctx.now,
        finished_at: None,
        actor: ctx.session.actor().label(),
        // A file name is shown in reports, listings and the audit log: kept visible-safe.
        file_name: crate::domain::text::display_safe(&start.file_name),
        sha256: start.sha256.clone(),
        rows: start.rows,
        created: 0,
        already: 0,
        skipped: 0,
        status: ImportStatus::Running,
        undone: 0,
    };
    tx.put_import(&record)?;
    Ok(Outcome::Import(ImportRow::new(&record)))
}

fn running(tx: &T<'_>, id: u64) -> TxResult<ImportRecord> {
    match tx.import(id)? {
        Some(r) if r.status == ImportStatus::Running => Ok(r),
        Some(r) => fail(ServiceError::Refused(format!(
            "import {id} is {}",
            r.status.as_str()
        ))),
        None => fail(ServiceError::not_found("import", id.to_string())),
    }
}

pub(crate) fn add_batch(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    id: u64,
    customers: &[PreparedCustomer],
) -> TxResult<Outcome> {
    let mut record = running(tx, id)?;
    for new in customers {
        create(
            tx,
            ctx,
            AuditAction::CustomerAdd,
            new,
            Some((id, &record.file_name)),
        )?;
    }
    // Stored counts come from data a backup may have forged: they saturate, never wrap.
    record.created = record.created.saturating_add(customers.len() as u64);
    tx.put_import(&record)?;
    Ok(Outcome::Imported {
        created: customers.len() as u64,
    })
}

pub(crate) fn finish(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    id: u64,
    already: u64,
    skipped: u64,
) -> TxResult<Outcome> {
    let mut record = running(tx, id)?;
    record.status = ImportStatus::Completed;
    record.finished_at = Some(ctx.now);
    record.already = already;
    record.skipped = skipped;
    tx.put_import(&record)?;
    let summary = format!(
        "import {id} of {} (sha256 {}): {} rows, {} created, {} already imported, {} invalid skipped",
        record.file_name,
        record.sha256,
        record.rows,
        record.created,
        record.already,
        record.skipped
    );
    record_event(tx, ctx, AuditAction::ImportCustomers, summary)?;
    Ok(Outcome::Import(ImportRow::new(&record)))
}

fn record_event(tx: &T<'_>, ctx: &Ctx<'_>, action: AuditAction, summary: String) -> TxResult<()> {
    record(tx, ctx, None, action, summary).map(|_| ())
}

/// Moves the given customers of import `id` that are still live to the trash; with `last`,
/// also marks the import undone and writes its audit event.
fn undo_chunk(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    id: u64,
    chunk: &[CustomerId],
    last: bool,
    moved_before: u64,
) -> TxResult<u64> {
    let mut import = match tx.import(id)? {
        Some(r) if r.status != ImportStatus::Undone => r,
        Some(_) => {
            return fail(ServiceError::Refused(format!(
                "import {id} is already undone"
            )));
        }
        None => return fail(ServiceError::not_found("import", id.to_string())),
    };
    let mut moved = 0u64;
    for customer_id in chunk {
        let Some(mut customer) = tx.customer(*customer_id)? else {
            continue;
        };
        if customer.is_trashed() || customer.is_provider {
            continue;
        }
        move_to_trash(
            tx,
            ctx,
            &mut customer,
            AuditAction::CustomerDelete,
            format!("moved to the trash by undo of import {id}"),
        )?;
        moved = moved.saturating_add(1);
    }
    if last {
        import.status = ImportStatus::Undone;
        import.undone = moved_before.saturating_add(moved);
        tx.put_import(&import)?;
        let summary = format!(
            "undid import {id} of {} (sha256 {}): {} customers moved to the trash",
            import.file_name, import.sha256, import.undone
        );
        record_event(tx, ctx, AuditAction::ImportUndo, summary)?;
    }
    Ok(moved)
}

impl Service {
    /// Every import, newest first.
    pub fn list_imports(&self, session: &Session) -> Result<Vec<ImportRow>, ServiceError> {
        let session = &self.acting(session)?;
        session.require_staff("listing imports")?;
        let mut rows = Vec::new();
        for record in self.store.imports() {
            rows.push(ImportRow::new(&record?));
        }
        rows.reverse();
        Ok(rows)
    }

    /// Ids of earlier imports of a file with this SHA-256.
    pub fn imports_of_file(
        &self,
        session: &Session,
        sha256: &str,
    ) -> Result<Vec<u64>, ServiceError> {
        self.acting(session)?.require_staff("looking up imports")?;
        let mut ids = Vec::new();
        for record in self.store.imports() {
            let record = record?;
            if record.sha256 == sha256 {
                ids.push(record.id);
            }
        }
        Ok(ids)
    }

    /// True when one of `imports` created the customer with this slug.
    pub fn created_by_any(
        &self,
        session: &Session,
        imports: &[u64],
        slug: &str,
    ) -> Result<bool, ServiceError> {
        self.acting(session)?.require_staff("looking up imports")?;
        let Some(id) = self.store.customer_id_by_slug(slug)? else {
            return Ok(false);
        };
        for import in imports {
            if self.store.import_created(*import, id)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The running (interrupted) import of a file with this SHA-256, if any.
    pub fn running_import(
        &self,
        session: &Session,
        sha256: &str,
    ) -> Result<Option<u64>, ServiceError> {
        self.acting(session)?.require_staff("looking up imports")?;
        for record in self.store.imports() {
            let record = record?;
            if record.sha256 == sha256 && record.status == ImportStatus::Running {
                return Ok(Some(record.id));
            }
        }
        Ok(None)
    }

    /// Moves every customer import `id` created that is still live to the trash, in
    /// transactions of a few thousand, the last of which marks the import undone with one
    /// `import.undo` event. Interrupted, it can be run again: trashed customers are skipped.
    pub fn undo_import(&self, session: &Session, id: u64) -> Result<ImportRow, ServiceError> {
        self.require_initialised()?;
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let session = &self.acting(session)?;
        session.require(Privilege::ManageCustomers, AuditAction::ImportUndo.as_str())?;
        let candidates: Vec<CustomerId> = self
            .store
            .customers_of_import(id)
            .collect::<Result<_, _>>()?;
        match self.store.import(id)? {
            None => return Err(ServiceError::not_found("import", id.to_string())),
            Some(r) if r.status == ImportStatus::Undone => {
                return Err(ServiceError::Refused(format!(
                    "import {id} is already undone"
                )));
            }
            Some(_) => {}
        }
        let now = self.clock.now();
        let ctx = Ctx { session, now };
        let chunks: Vec<&[CustomerId]> = if candidates.is_empty() {
            vec![&[]]
        } else {
            candidates.chunks(UNDO_BATCH).collect()
        };
        let mut moved = 0u64;
        for (i, chunk) in chunks.iter().enumerate() {
            let last = i.saturating_add(1) == chunks.len();
            moved = moved.saturating_add(
                self.store
                    .transact(|tx| undo_chunk(tx, &ctx, id, chunk, last, moved))?,
            );
            self.store.flush()?;
        }
        let record = self
            .store
            .import(id)?
            .ok_or_else(|| ServiceError::not_found("import", id.to_string()))?;
        Ok(ImportRow::new(&record))
    }
}
