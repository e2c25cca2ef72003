//! A customer (tenant) and the validation of its fields.

use serde::{Deserialize, Serialize};
use std::fmt;

use super::error::ValidationError;
use super::fields::FieldValue;
use super::plans::PlanId;
use super::roles::text_enum;
use super::services::ServiceOverride;
use super::slug::Slug;
use super::systems::SystemId;
use super::text::{clean_email, clean_line, preview};
use super::time::Timestamp;
use super::user::UserId;

/// Display names are 1 to 100 characters after trimming.
pub const MAX_CUSTOMER_NAME: usize = 100;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct CustomerId(pub u64);

impl fmt::Display for CustomerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Stored: never reorder. Stored values carry the variant's position, never its name, so
/// the lowercase names serde gives it (for JSON rows) leave stored bytes unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CustomerKind {
    #[default]
    Corporate,
    Individual,
}

impl CustomerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Corporate => "corporate",
            Self::Individual => "individual",
        }
    }
}

/// Stored: never reorder. As with [`CustomerKind`], serde's lowercase names appear only in
/// JSON rows, never in stored bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CustomerStatus {
    #[default]
    Active,
    Suspended,
    /// Set up but not yet in use (schema 5): its users cannot sign in until it is activated.
    Pending,
}

impl CustomerStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Suspended => "suspended",
            Self::Pending => "pending",
        }
    }
}

text_enum!(
    CustomerKind,
    "type",
    [CustomerKind::Corporate, CustomerKind::Individual]
);
text_enum!(
    CustomerStatus,
    "status",
    [
        CustomerStatus::Active,
        CustomerStatus::Suspended,
        CustomerStatus::Pending
    ]
);

/// When and by whom a customer was moved to the trash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deletion {
    pub at: Timestamp,
    /// The actor's label at the time (an email, or `system`).
    pub by: String,
}

/// A customer (tenant). The provider company is a customer with `is_provider` set; the service
/// refuses every customer command that would change it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: CustomerId,
    pub name: String,
    pub slug: Slug,
    pub kind: CustomerKind,
    pub status: CustomerStatus,
    pub language: String,
    pub owner: Option<UserId>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub is_provider: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub deleted: Option<Deletion>,
    /// A postal address on one line (`Bahnhofstrasse 1, 8001 Zürich`); schema 4.
    pub postal_address: Option<String>,
    /// The customer's website, `https://` or `http://`; schema 4.
    pub website: Option<String>,
    /// The customer's own choices against the service catalogue's defaults; schema 5.
    pub services: Vec<ServiceOverride>,
    /// The system (region, cluster) the customer runs on; schema 5.
    pub system: SystemId,
    /// The customer's service plan, if it has one; schema 5.
    pub plan: Option<PlanId>,
    /// Set while the customer manages itself as an independent organisation; schema 5.
    pub independent: Option<Independence>,
    /// Values of the customers' custom fields, by field number; schema 5.
    pub fields: Vec<FieldValue>,
}

/// When and by whom a customer was made independent. Stored: append fields only through a
/// migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Independence {
    pub since: Timestamp,
    /// The actor's label at the time.
    pub by: String,
}

impl Customer {
    pub fn is_trashed(&self) -> bool {
        self.deleted.is_some()
    }
}

/// Checks a display name: 1–100 characters after trimming, no hidden characters, NFC.
pub fn clean_customer_name(raw: &str) -> Result<String, ValidationError> {
    clean_line("name", raw, 1, MAX_CUSTOMER_NAME)
}

/// Checks a language tag of the form `ll` or `ll-RR` (ISO 639-1 and an optional region) and
/// returns it in canonical case, e.g. `pt-BR`.
pub fn clean_language(raw: &str) -> Result<String, ValidationError> {
    let text = raw.trim().replace('_', "-");
    let (lang, region) = match text.split_once('-') {
        Some((l, r)) => (l, Some(r)),
        None => (text.as_str(), None),
    };
    let lang_ok = (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_alphabetic());
    let region_ok =
        region.is_none_or(|r| r.len() == 2 && r.bytes().all(|b| b.is_ascii_alphabetic()));
    if !lang_ok || !region_ok {
        return Err(ValidationError::new(
            "language",
            format!(
                "\"{}\" is not a language code such as en, de or pt-BR",
                preview(raw)
            ),
        ));
    }
    Ok(match region {
        Some(r) => format!("{}-{}", lang.to_ascii_lowercase(), r.to_ascii_uppercase()),
        None => lang.to_ascii_lowercase(),
    })
}

/// Checks a contact phone number: digits with optional `+`, spaces, dots, dashes and
/// parentheses; 3 to 32 characters with at least 3 digits.
pub fn clean_phone(raw: &str) -> Result<String, ValidationError> {
    let text = clean_line("phone", raw, 1, 32)?;
    let allowed = text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '.' | '-' | '(' | ')'));
    let digits = text.chars().filter(char::is_ascii_digit).count();
    if !allowed || digits < 3 {
        return Err(ValidationError::new(
            "phone",
            format!(
                "\"{}\" is not a phone number (digits, spaces and + - . ( ) only)",
                preview(&text)
            ),
        ));
    }
    Ok(text)
}

/// Checks a postal address: one line of 1–200 characters (commas separate its parts), no
/// hidden characters.
pub fn clean_postal_address(raw: &str) -> Result<String, ValidationError> {
    clean_line("address", raw, 1, 200)
}

/// Checks a website: an `https://` or `http://` address with a host, at most 200 characters,
/// no spaces. The scheme is required, so what is shown can be followed as it is.
pub fn clean_website(raw: &str) -> Result<String, ValidationError> {
    let text = clean_line("website", raw, 1, 200)?;
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or_default());
    let host_ok = host.is_some_and(|h| {
        let h = h.rsplit_once('@').map_or(h, |(_, h)| h);
        !h.is_empty()
            && (h.contains('.') || h.starts_with("localhost"))
            && h.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
    });
    if !host_ok || text.contains(char::is_whitespace) {
        return Err(ValidationError::new(
            "website",
            format!(
                "\"{}\" is not a website address (https://example.com)",
                preview(&text)
            ),
        ));
    }
    Ok(text)
}

/// Checks a contact email (same rule as user emails).
pub fn clean_contact_email(raw: &str) -> Result<String, ValidationError> {
    clean_email("email", raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn websites_need_a_scheme_and_a_host_and_addresses_one_line() {
        assert_eq!(
            clean_website(" https://acme.example/about ").unwrap(),
            "https://acme.example/about"
        );
        assert!(clean_website("http://localhost:8080").is_ok());
        for bad in [
            "acme.example",
            "https://",
            "https:// acme.example",
            "ftp://acme.example",
            "https://acme",
            "https://a b.example",
            "javascript:alert(1)",
        ] {
            let err = clean_website(bad).unwrap_err();
            assert_eq!(err.field, "website", "{bad:?}");
        }
        assert_eq!(
            clean_postal_address(" Bahnhofstrasse 1, 8001 Zürich ").unwrap(),
            "Bahnhofstrasse 1, 8001 Zürich"
        );
        assert_eq!(clean_postal_address("a\nb").unwrap_err().field, "address");
        assert!(clean_postal_address(&"x".repeat(201)).is_err());
    }

    #[test]
    fn names_are_trimmed_and_limited() {
        assert_eq!(clean_customer_name("  Acme ").unwrap(), "Acme");
        assert!(clean_customer_name("").is_err());
        assert!(clean_customer_name(&"a".repeat(101)).is_err());
    }

    #[test]
    fn languages_take_canonical_case() {
        assert_eq!(clean_language("EN").unwrap(), "en");
        assert_eq!(clean_language("pt_br").unwrap(), "pt-BR");
        for bad in ["", "e", "english", "en-", "en-USA", "1n"] {
            let err = clean_language(bad).unwrap_err();
            assert_eq!(err.field, "language", "{bad:?}");
        }
    }

    #[test]
    fn phones() {
        assert_eq!(
            clean_phone(" +41 (44) 123-45.67 ").unwrap(),
            "+41 (44) 123-45.67"
        );
        assert!(clean_phone("call me").is_err());
        assert!(clean_phone("12").is_err());
    }

    #[test]
    fn kinds_and_statuses_parse() {
        assert_eq!(
            "Individual".parse::<CustomerKind>().unwrap(),
            CustomerKind::Individual
        );
        assert_eq!(
            "suspended".parse::<CustomerStatus>().unwrap(),
            CustomerStatus::Suspended
        );
        assert_eq!("x".parse::<CustomerKind>().unwrap_err().field, "type");
    }
}
