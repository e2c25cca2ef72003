//! The import area: the service side of CSV imports. An import record per file run, batches
//! of customers created in one transaction each (with the record's count moved in the same
//! transaction, so a killed import leaves whole batches that the record accounts for), the
//! import's audit event, and undo. Parsing and validating files is the `import` front end's
//! job. A new import command is a variant of [`ImportCommand`], its arms here and its
//! function in `apply.rs`.
#![deny(clippy::arithmetic_side_effects)]

mod apply;

use serde::{Deserialize, Serialize};

use super::customers::{PreparedCustomer, prepare_customer};
use super::{Ctx, Outcome, Service, ServiceError, Session, TxResult};
use crate::domain::import::ImportRecord;
use crate::domain::time::as_rfc3339;
use crate::domain::{AuditAction, Privilege, Timestamp};
use crate::store::Tx;

/// One import as `import list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    pub id: u64,
    #[serde(with = "as_rfc3339")]
    pub started_at: Timestamp,
    #[serde(with = "as_rfc3339::option")]
    pub finished_at: Option<Timestamp>,
    pub actor: String,
    pub file: String,
    pub sha256: String,
    pub rows: u64,
    pub created: u64,
    pub already: u64,
    pub skipped: u64,
    pub undone: u64,
    pub status: String,
}

impl ImportRow {
    pub fn new(r: &ImportRecord) -> Self {
        Self {
            id: r.id,
            started_at: r.started_at,
            finished_at: r.finished_at,
            actor: r.actor.clone(),
            file: r.file_name.clone(),
            sha256: r.sha256.clone(),
            rows: r.rows,
            created: r.created,
            already: r.already,
            skipped: r.skipped,
            undone: r.undone,
            status: r.status.as_str().to_owned(),
        }
    }
}

/// Starts (or resumes, for a file whose earlier run was interrupted) an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportStart {
    pub file_name: String,
    pub sha256: String,
    pub rows: u64,
}

/// The steps of an import, each its own transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportCommand {
    /// Starts an import of a file, or resumes the interrupted run of the same file.
    Start(ImportStart),
    /// Creates one batch of an import's customers in one transaction.
    Customers {
        import_id: u64,
        customers: Vec<super::NewCustomer>,
    },
    /// Completes an import and writes its audit event.
    Finish {
        import_id: u64,
        already: u64,
        skipped: u64,
    },
}

impl ImportCommand {
    /// The audit action it writes (each customer a batch creates writes `customer.add`) and
    /// the privilege it needs.
    pub fn spec(&self) -> (AuditAction, Privilege) {
        (AuditAction::ImportCustomers, Privilege::ManageCustomers)
    }

    pub(crate) fn prepare(
        self,
        service: &Service,
        session: &Session,
    ) -> Result<Prepared, ServiceError> {
        Ok(match self {
            Self::Start(start) => Prepared::Start {
                resume: service.running_import(session, &start.sha256)?,
                start,
            },
            Self::Customers {
                import_id,
                customers,
            } => {
                let customers: Vec<_> = customers
                    .into_iter()
                    .map(prepare_customer)
                    .collect::<Result<_, _>>()?;
                // A new owner's address must not pass for another account's (D84), as in
                // `customer add`; the checking pass reported such rows already.
                for owner in customers.iter().filter_map(|c| c.owner.as_ref()) {
                    service.refuse_lookalike_email("owner email", &owner.email)?;
                }
                Prepared::Customers {
                    import_id,
                    customers,
                }
            }
            Self::Finish {
                import_id,
                already,
                skipped,
            } => Prepared::Finish {
                import_id,
                already,
                skipped,
            },
        })
    }
}

/// An import command ready for its transaction.
pub(crate) enum Prepared {
    Start {
        start: ImportStart,
        resume: Option<u64>,
    },
    Customers {
        import_id: u64,
        customers: Vec<PreparedCustomer>,
    },
    Finish {
        import_id: u64,
        already: u64,
        skipped: u64,
    },
}

impl Prepared {
    pub(crate) fn apply(&self, tx: &Tx<'_, ServiceError>, ctx: &Ctx<'_>) -> TxResult<Outcome> {
        match self {
            Self::Start { start, resume } => apply::start(tx, ctx, start, *resume),
            Self::Customers {
                import_id,
                customers,
            } => apply::add_batch(tx, ctx, *import_id, customers),
            Self::Finish {
                import_id,
                already,
                skipped,
            } => apply::finish(tx, ctx, *import_id, *already, *skipped),
        }
    }
}
