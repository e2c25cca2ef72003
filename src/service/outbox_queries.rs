//! Reads of the outbox and of messages not yet written: what waits in the outbox (its
//! headers, read back with `mail-parser`), one message whole, and a preview of a user's
//! welcome message. Listing needs "manage customers"; reading a message whole needs "manage
//! staff", since a reset message carries the code that sets an account's password, staff
//! accounts included.

use serde::{Deserialize, Serialize};

use super::messages::Addressee;
use super::{Service, ServiceError, Session};
use crate::domain::Privilege;
use crate::domain::text::email_key;
use crate::mail::MessageKind;

/// The outbox, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListOutbox;

/// One message of the outbox, whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShowOutboxMessage {
    pub id: String,
}

/// The welcome message a user would get, not written anywhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WelcomePreview {
    pub email: String,
}

/// One message waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxRow {
    pub id: String,
    pub to: String,
    pub subject: String,
    pub date: String,
    pub bytes: u64,
}

impl OutboxRow {
    pub const COLUMNS: [&'static str; 5] = ["id", "to", "subject", "date", "bytes"];

    pub fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.to.clone(),
            self.subject.clone(),
            self.date.clone(),
            self.bytes.to_string(),
        ]
    }
}

impl Service {
    pub fn list_outbox(&self, session: &Session) -> Result<Vec<OutboxRow>, ServiceError> {
        let session = &self.acting(session)?;
        session.require(Privilege::ManageCustomers, "listing the outbox")?;
        self.reconcile_outbox()?;
        let outbox = self.outbox()?;
        let files = outbox
            .list()
            .map_err(|e| ServiceError::Refused(e.to_string()))?;
        let mut rows = Vec::new();
        for file in files {
            let bytes = outbox.read(&file.id).unwrap_or_default();
            let parsed = mail_parser::MessageParser::default().parse_headers(&bytes);
            let text = |s: Option<&str>| crate::domain::text::display_safe(s.unwrap_or(""));
            let (to, subject, date) = match &parsed {
                Some(m) => (
                    text(m.to().and_then(|a| a.first()).and_then(|a| a.address())),
                    text(m.subject()),
                    m.date().map(|d| d.to_rfc3339()).unwrap_or_default(),
                ),
                None => (String::new(), String::new(), String::new()),
            };
            rows.push(OutboxRow {
                id: file.id,
                to,
                subject,
                date,
                bytes: file.bytes,
            });
        }
        Ok(rows)
    }

    pub fn show_outbox_message(&self, session: &Session, id: &str) -> Result<String, ServiceError> {
        let session = &self.acting(session)?;
        session.require(Privilege::ManageStaff, "reading an outbox message")?;
        let bytes = self
            .outbox()?
            .read(id.trim())
            .map_err(|e| ServiceError::Refused(e.to_string()))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    pub fn welcome_preview(&self, session: &Session, email: &str) -> Result<String, ServiceError> {
        let session = &self.acting(session)?;
        let scope = self.read_scope(
            session,
            "previewing a welcome message",
            crate::domain::CustomerRole::Administrator,
            None,
            |s| s.require(Privilege::ManageCustomers, "previewing a welcome message"),
        )?;
        if let Some(own) = scope {
            let member = self
                .store()
                .user_id_by_email(&crate::domain::text::email_key(email.trim()))?
                .map(|id| self.is_member(own, id))
                .transpose()?
                .unwrap_or(false);
            if !member {
                return Err(ServiceError::not_found("user", email));
            }
        }
        let composed = self.compose_welcome(email, scope)?;
        Ok(String::from_utf8_lossy(&composed.bytes).into_owned())
    }

    /// The welcome message of the user with `email`, naming the customer `scope` (a customer
    /// session's own), else their first customer.
    pub(crate) fn compose_welcome(
        &self,
        email: &str,
        scope: Option<crate::domain::CustomerId>,
    ) -> Result<super::messages::Composed, ServiceError> {
        let missing = || ServiceError::not_found("user", email);
        let id = self
            .store()
            .user_id_by_email(&email_key(email.trim()))?
            .ok_or_else(missing)?;
        let user = self.store().user(id)?.ok_or_else(missing)?;
        let named = match scope {
            Some(own) => Some(own),
            None => self.store().customers_of(id)?.first().copied(),
        };
        let customer = match named {
            Some(c) => self.store().customer(c)?.map(|c| c.name),
            None => None,
        };
        self.compose(
            MessageKind::Welcome,
            &Addressee {
                email: &user.email,
                first_name: &user.first_name,
                last_name: &user.last_name,
                language: &user.language,
                customer: customer.as_deref(),
                role: None,
            },
            None,
            None,
        )
    }
}
