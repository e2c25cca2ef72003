//! What the service needs to write messages: the random source of tokens (injected like the
//! clock, R9), the outbox in force (the `mail.outbox` setting, else beside the database),
//! and composing one message from its template. The service decides which message is
//! written; `crate::mail` writes it.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Service, ServiceError};
use crate::domain::invitation::{TOKEN_BYTES, token_hash, token_text};
use crate::domain::{Settings, Timestamp};
use crate::mail::{Mailbox, Message, MessageKind, Outbox};

/// Where token bytes come from: the OS random source, or a test's sequence.
pub trait TokenSource: Send + Sync {
    fn fill(&self, bytes: &mut [u8]) -> Result<(), ServiceError>;
}

/// The OS random source (`getrandom`).
pub struct OsTokens;

impl TokenSource for OsTokens {
    fn fill(&self, bytes: &mut [u8]) -> Result<(), ServiceError> {
        getrandom::fill(bytes)
            .map_err(|e| ServiceError::Refused(format!("the system's random source failed: {e}")))
    }
}

/// A token: its text (shown once) and the SHA-256 stored.
pub(crate) struct NewToken {
    pub text: String,
    pub hash: [u8; 32],
}

/// Who a message goes to, and what its template may say.
pub(crate) struct Addressee<'a> {
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub language: &'a str,
    pub customer: Option<&'a str>,
    pub role: Option<&'a str>,
}

/// A composed message: its outbox id and bytes.
#[derive(Debug)]
pub(crate) struct Composed {
    pub id: String,
    pub bytes: Vec<u8>,
}

impl Service {
    /// Replaces the random source (tests, benchmarks).
    pub fn with_tokens(mut self, tokens: Arc<dyn TokenSource>) -> Self {
        self.tokens = tokens;
        self
    }

    /// Replaces how messages leave: templates, default outbox and delivery command.
    pub fn with_mail(mut self, mail: crate::mail::MailSetup) -> Self {
        self.mail = mail;
        self
    }

    pub(crate) fn new_token(&self) -> Result<NewToken, ServiceError> {
        let mut bytes = [0u8; TOKEN_BYTES];
        self.tokens.fill(&mut bytes)?;
        let text = token_text(&bytes);
        let hash = token_hash(&text);
        Ok(NewToken { text, hash })
    }

    /// The outbox messages go to now.
    pub fn outbox(&self) -> Result<Outbox, ServiceError> {
        let settings = self.store().settings()?;
        Ok(Outbox::new(match settings.mail_outbox {
            Some(dir) => dir.into(),
            None => self.mail.default_outbox.clone(),
        }))
    }

    /// Renders the `kind` message for `to` and builds its bytes, dated now.
    pub(crate) fn compose(
        &self,
        kind: MessageKind,
        to: &Addressee<'_>,
        token: Option<&str>,
        expires: Option<Timestamp>,
    ) -> Result<Composed, ServiceError> {
        self.compose_with(kind, to, token, expires, &[])
    }

    /// [`Service::compose`] with values of the kind's own variables besides the common ones.
    pub(crate) fn compose_with(
        &self,
        kind: MessageKind,
        to: &Addressee<'_>,
        token: Option<&str>,
        expires: Option<Timestamp>,
        extra: &[(&'static str, String)],
    ) -> Result<Composed, ServiceError> {
        let settings: Settings = self.store().settings()?;
        let company = match self.store().provider_id()? {
            Some(id) => self
                .store()
                .customer(id)?
                .map(|c| c.name)
                .unwrap_or_default(),
            None => String::new(),
        };
        let template = self.mail.templates.get(kind, to.language).ok_or_else(|| {
            ServiceError::Refused(format!("no {} message template", kind.as_str()))
        })?;
        let mut values: BTreeMap<&str, String> = BTreeMap::new();
        values.insert("first_name", to.first_name.to_owned());
        values.insert("last_name", to.last_name.to_owned());
        values.insert("company", company.clone());
        values.insert(
            "portal_url",
            settings
                .portal_url
                .clone()
                .unwrap_or_else(|| "the customer portal".to_owned()),
        );
        if let Some(customer) = to.customer {
            values.insert("customer", customer.to_owned());
        }
        if let Some(role) = to.role {
            values.insert("role", role.to_owned());
        }
        if let Some(token) = token {
            values.insert("token", token.to_owned());
        }
        if let Some(expires) = expires {
            values.insert("expires", expires.to_rfc3339_minutes());
        }
        for (name, value) in extra {
            values.insert(name, value.clone());
        }
        let rendered = template.render(&values);
        let now = self.now();
        let mut nonce = [0u8; 6];
        self.tokens.fill(&mut nonce)?;
        let from = Mailbox::parse(
            settings
                .mail_from
                .as_deref()
                .unwrap_or("tenantry@localhost"),
            &company,
        );
        let id = format!(
            "{}-{}-{}",
            now.to_datetime().format("%Y%m%dT%H%M%SZ-%3f"),
            kind.as_str(),
            hex::encode(nonce)
        );
        let message = Message {
            message_id: format!("{id}@{}", from.domain()),
            from,
            to: Mailbox {
                name: format!("{} {}", to.first_name, to.last_name),
                address: to.email.to_owned(),
            },
            subject: rendered.subject,
            body: rendered.body,
            date: now,
        };
        let bytes = message
            .to_bytes()
            .map_err(|e| ServiceError::Refused(format!("the message could not be built: {e}")))?;
        Ok(Composed { id, bytes })
    }

    /// Sends the committed message `id` through the configured command, if any, and says
    /// what became of it: left in the outbox, or delivered (and removed from it).
    pub(crate) fn deliver(&self, outbox: &Outbox, id: &str) -> String {
        let Some(command) = &self.mail.command else {
            return format!("written to the outbox as {id}.eml");
        };
        let sent = outbox
            .read(id)
            .map_err(|e| e.to_string())
            .and_then(|bytes| crate::mail::deliver(command, &bytes));
        match sent {
            Ok(()) => {
                let _ = outbox.remove(id);
                format!("handed to {}", command.join(" "))
            }
            Err(why) => {
                tracing::warn!(message = id, %why, "a message was left in the outbox");
                format!("left in the outbox as {id}.eml: {why}")
            }
        }
    }

    /// Finishes what a process killed between staging a message and committing left in the
    /// outbox (see `crate::mail::outbox`).
    pub fn reconcile_outbox(&self) -> Result<(usize, usize), ServiceError> {
        let outbox = self.outbox()?;
        let store = self.store();
        outbox
            .reconcile(|hex_hash| {
                let Ok(bytes) = hex::decode(hex_hash) else {
                    return false;
                };
                let Ok(hash) = <[u8; 32]>::try_from(bytes.as_slice()) else {
                    return false;
                };
                matches!(store.invitation_id_by_token(&hash), Ok(Some(_)))
                    || matches!(store.reset_token(&hash), Ok(Some(_)))
            })
            .map_err(|e| ServiceError::Refused(e.to_string()))
    }
}
