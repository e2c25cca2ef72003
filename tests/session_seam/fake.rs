//! A backend with no database behind it: a few customers in memory, answering the queries the
//! console makes and recording every command it is sent. It shows that the console needs
//! nothing but the `Backend` trait.

use std::sync::Mutex;

use tenantry::backend::Backend;
use tenantry::domain::{CustomerStatus, StaffRole, Timestamp};
use tenantry::service::query::SlugTaken;
use tenantry::service::{
    AllowedActions, Answer, Command, CustomerDetail, CustomerRow, ImportRow, InitRequest, Outcome,
    Page, Query, ServiceError, SessionInfo, SessionKind, Subject,
};
use tenantry::store::backup::BackupSummary;
use tenantry::store::backup_sign::SigningKey;

pub struct Fake {
    pub rows: Mutex<Vec<CustomerRow>>,
    pub executed: Mutex<Vec<Command>>,
    pub asked: Mutex<Vec<String>>,
}

pub fn row(slug: &str, name: &str, at: Timestamp) -> CustomerRow {
    CustomerRow {
        id: slug.len() as u64,
        slug: slug.into(),
        name: name.into(),
        kind: tenantry::domain::CustomerKind::Corporate,
        status: tenantry::domain::CustomerStatus::Active,
        language: "en".into(),
        owner_email: Some(format!("owner@{slug}.example")),
        owner_name: Some("Ann Owner".into()),
        owner_first_name: Some("Ann".into()),
        owner_last_name: Some("Owner".into()),
        contact_email: None,
        contact_phone: None,
        postal_address: None,
        website: None,
        is_provider: false,
        independent: false,
        created_at: at,
        updated_at: at,
        deleted_at: None,
        deleted_by: None,
        purge_at: None,
        fields: Default::default(),
        allowed: operator_may(CustomerStatus::Active),
    }
}

/// What the service would let the fake's operator do to a live customer with `status`.
fn operator_may(status: CustomerStatus) -> AllowedActions {
    let subject = Subject {
        is_provider: false,
        trashed: false,
        status,
        independent: false,
    };
    AllowedActions::for_role(StaffRole::Operator, subject)
}

impl Fake {
    pub fn new(rows: Vec<CustomerRow>) -> Self {
        Self {
            rows: Mutex::new(rows),
            executed: Mutex::new(Vec::new()),
            asked: Mutex::new(Vec::new()),
        }
    }

    fn info() -> SessionInfo {
        SessionInfo {
            kind: SessionKind::Staff,
            email: "fake@example.com".into(),
            staff_role: Some(StaffRole::Operator),
            customer_role: None,
            customer: None,
            reason: None,
            until: None,
            started: None,
        }
    }

    fn find(&self, slug: &str) -> Result<CustomerRow, ServiceError> {
        self.rows
            .lock()
            .unwrap()
            .iter()
            .find(|r| r.slug == slug)
            .cloned()
            .ok_or_else(|| ServiceError::not_found("customer", slug))
    }
}

fn unanswered(what: &str) -> ServiceError {
    ServiceError::Refused(format!("the fake backend does not do {what}"))
}

impl Backend for Fake {
    fn sign_in_member(&self, _: &str, _: &str, _: &str) -> Result<SessionInfo, ServiceError> {
        Err(unanswered("member sign-in"))
    }
    fn accept_invitation(
        &self,
        _: &str,
        _: Option<&str>,
    ) -> Result<tenantry::service::Accepted, ServiceError> {
        Err(unanswered("invitations"))
    }
    fn request_password_reset(&self, _: &str) -> Result<String, ServiceError> {
        Err(unanswered("password resets"))
    }
    fn reset_password(&self, _: &str, _: &str) -> Result<String, ServiceError> {
        Err(unanswered("password resets"))
    }
    fn is_initialised(&self) -> Result<bool, ServiceError> {
        Ok(true)
    }
    fn refuse_if_initialised(&self) -> Result<(), ServiceError> {
        Ok(())
    }
    fn init(&self, _: &InitRequest) -> Result<SessionInfo, ServiceError> {
        Err(unanswered("init"))
    }
    fn sign_in(&self, _: &str, _: &str) -> Result<SessionInfo, ServiceError> {
        Ok(Self::info())
    }
    fn peer_authenticate(&self, _: &str) -> Result<Option<SessionInfo>, ServiceError> {
        Ok(None)
    }
    fn session(&self) -> Result<Option<SessionInfo>, ServiceError> {
        Ok(Some(Self::info()))
    }
    fn sign_out(&self) {}
    fn start_impersonation(&self, _: &str, _: &str) -> Result<SessionInfo, ServiceError> {
        Err(unanswered("impersonation"))
    }
    fn end_impersonation(
        &self,
        _: tenantry::domain::ImpersonationEnd,
    ) -> Result<SessionInfo, ServiceError> {
        Err(unanswered("impersonation"))
    }
    fn enter_customer(&self, _: &str) -> Result<SessionInfo, ServiceError> {
        Err(unanswered("customer sessions"))
    }
    fn change_own_password(&self, _: &str, _: &str) -> Result<(), ServiceError> {
        Err(unanswered("passwords"))
    }

    fn execute(&self, command: Command) -> Result<Outcome, ServiceError> {
        self.executed.lock().unwrap().push(command.clone());
        match command {
            Command::Customer(tenantry::service::CustomerCommand::SetStatus { slug, status }) => {
                let mut rows = self.rows.lock().unwrap();
                let row = rows
                    .iter_mut()
                    .find(|r| r.slug == slug)
                    .ok_or_else(|| ServiceError::not_found("customer", &slug))?;
                row.status = status;
                row.allowed = operator_may(status);
                Ok(Outcome::Customer(row.clone()))
            }
            _ => Err(unanswered("this command")),
        }
    }
    fn execute_batch(&self, _: Vec<Command>) -> Result<Vec<Outcome>, ServiceError> {
        Err(unanswered("batches"))
    }
    fn purge_expired(&self) -> Result<Outcome, ServiceError> {
        Ok(Outcome::Purged(Vec::new()))
    }

    fn prune_log(&self) -> Result<Outcome, ServiceError> {
        Ok(Outcome::Pruned(tenantry::service::log_prune::PruneReport {
            removed: 0,
            checkpoint_seq: None,
            checkpoint_hash: None,
            note: None,
        }))
    }

    fn query(&self, query: Query) -> Result<Answer, ServiceError> {
        self.asked.lock().unwrap().push(format!("{query:?}"));
        match query {
            // Few rows: every listing is one page, so the fake never needs a cursor.
            Query::Customers(q) => {
                let rows = self.rows.lock().unwrap();
                let rows = rows
                    .iter()
                    .filter(|r| r.deleted_at.is_some() == q.trash)
                    .skip(q.offset)
                    .take(q.limit.unwrap_or(usize::MAX))
                    .cloned()
                    .collect();
                Ok(Answer::Customers(Page { rows, next: None }))
            }
            Query::Customer(q) => Ok(Answer::Customer(Box::new(CustomerDetail {
                row: self.find(&q.slug)?,
                members: Vec::new(),
                audit_events: 0,
                account: Default::default(),
                groups: Vec::new(),
                fields: Vec::new(),
            }))),
            Query::SlugHolder(q) => Ok(Answer::SlugHolder(self.find(&q.slug).ok().map(|r| {
                SlugTaken {
                    name: r.name,
                    trashed: false,
                }
            }))),
            // This platform defines no custom fields.
            Query::Fields(_) => Ok(Answer::Fields(Vec::new())),
            other => Err(unanswered(&format!("{other:?}"))),
        }
    }

    fn undo_import(&self, _: u64) -> Result<ImportRow, ServiceError> {
        Err(unanswered("imports"))
    }
    fn backup(
        &self,
        _: &std::path::Path,
        _: bool,
        _: Option<&SigningKey>,
    ) -> Result<BackupSummary, ServiceError> {
        Err(unanswered("backups"))
    }
    fn export_log(
        &self,
        _: &tenantry::service::LogExport,
    ) -> Result<tenantry::service::LogExportSummary, ServiceError> {
        Err(unanswered("log exports"))
    }
    fn close(&self) -> Result<(), ServiceError> {
        Ok(())
    }
}
