//! Platform settings kept in the database, with their defaults and the keys the CLI names.

use serde::{Deserialize, Serialize};

use super::error::ValidationError;
use super::text::preview;

/// Settings stored as one value. Stored: append fields only through a migration (the mail
/// and portal fields arrived with schema version 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Days a customer stays in the trash before it is purged automatically.
    pub trash_retention_days: u32,
    /// The `From` of every message (an address, optionally with a display name); none means
    /// `tenantry@localhost` under the company's name.
    pub mail_from: Option<String>,
    /// The directory messages are written to; none means `outbox/` beside the database.
    pub mail_outbox: Option<String>,
    /// The customer portal's address, which messages point people to (`{portal_url}`).
    pub portal_url: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            trash_retention_days: 30,
            mail_from: None,
            mail_outbox: None,
            portal_url: None,
        }
    }
}

/// The longest retention accepted: ten years.
pub const MAX_RETENTION_DAYS: u32 = 3650;

/// The setting keys, as `settings get|set` names them.
pub const SETTING_KEYS: [&str; 8] = [
    "trash.retention_days",
    "company.name",
    "mail.from",
    "mail.outbox",
    "portal.url",
    "impersonation.max_minutes",
    "impersonation.notify",
    "audit.retention_days",
];

/// How impersonation is bounded: a record of its own beside [`Settings`] (meta key
/// `impersonation`), so a database that never set it reads the defaults and no stored type
/// changed (D93). Stored: append fields only through a migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpersonationSettings {
    /// Minutes an impersonation lasts at most before the console returns to the staff view.
    pub max_minutes: u32,
    /// Whether the customer's administrators get a message when an impersonation starts.
    pub notify: bool,
}

impl Default for ImpersonationSettings {
    fn default() -> Self {
        Self {
            max_minutes: 30,
            notify: false,
        }
    }
}

/// How long the audit log keeps its events: a record of its own (meta key `audit`), absent in
/// a database that never set it, so no stored type changed. Stored: append fields only
/// through a migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AuditSettings {
    /// Days an event is kept before `log prune` may remove it; `None` (the default) keeps
    /// every event for ever.
    pub retention_days: Option<u32>,
}

/// The shortest audit retention accepted: a month, so a mistyped value cannot empty the log.
pub const MIN_AUDIT_RETENTION_DAYS: u32 = 30;
/// The longest: a hundred years.
pub const MAX_AUDIT_RETENTION_DAYS: u32 = 36_500;

/// Parses `audit.retention_days`: `off`, or whole days from 30 to 36 500.
pub fn parse_audit_retention(raw: &str) -> Result<Option<u32>, ValidationError> {
    let text = raw.trim();
    if text.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    match text.parse::<u32>() {
        Ok(d) if (MIN_AUDIT_RETENTION_DAYS..=MAX_AUDIT_RETENTION_DAYS).contains(&d) => Ok(Some(d)),
        _ => Err(ValidationError::new(
            "audit.retention_days",
            format!(
                "\"{}\" is not off or a whole number of days from \
                 {MIN_AUDIT_RETENTION_DAYS} to {MAX_AUDIT_RETENTION_DAYS}",
                preview(raw)
            ),
        )),
    }
}

/// The longest impersonation accepted: one working day.
pub const MAX_IMPERSONATION_MINUTES: u32 = 480;

/// Parses `impersonation.max_minutes`: whole minutes, 1 to 480.
pub fn parse_impersonation_minutes(raw: &str) -> Result<u32, ValidationError> {
    match raw.trim().parse::<u32>() {
        Ok(m) if (1..=MAX_IMPERSONATION_MINUTES).contains(&m) => Ok(m),
        _ => Err(ValidationError::new(
            "impersonation.max_minutes",
            format!(
                "\"{}\" is not a whole number of minutes from 1 to {MAX_IMPERSONATION_MINUTES}",
                preview(raw)
            ),
        )),
    }
}

/// Parses an on/off setting such as `impersonation.notify`.
pub fn parse_on_off(key: &'static str, raw: &str) -> Result<bool, ValidationError> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "on" | "true" | "yes" => Ok(true),
        "off" | "false" | "no" => Ok(false),
        _ => Err(ValidationError::new(
            key,
            format!("\"{}\" is not on or off", preview(raw)),
        )),
    }
}

/// The refusal of a key that is not one of [`SETTING_KEYS`].
pub fn unknown_setting_key(key: &str) -> ValidationError {
    ValidationError::new(
        "key",
        format!(
            "\"{}\" is not a setting; known: {}",
            preview(key),
            SETTING_KEYS.join(", ")
        ),
    )
}

/// Parses a retention in whole days, 1 to 3650.
pub fn parse_retention_days(raw: &str) -> Result<u32, ValidationError> {
    match raw.trim().parse::<u32>() {
        Ok(days) if (1..=MAX_RETENTION_DAYS).contains(&days) => Ok(days),
        _ => Err(ValidationError::new(
            "trash.retention_days",
            format!(
                "\"{}\" is not a whole number of days from 1 to {MAX_RETENTION_DAYS}",
                preview(raw)
            ),
        )),
    }
}

/// The longest text setting accepted.
const MAX_SETTING_TEXT: usize = 2_000;

/// A text setting's value: empty (or blank) clears it; otherwise one clean line.
fn text_value(key: &'static str, raw: &str) -> Result<Option<String>, ValidationError> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(None);
    }
    super::text::clean_line(key, text, 1, MAX_SETTING_TEXT).map(Some)
}

/// `mail.from`: an address, or `Display Name <address>`; empty clears it.
pub fn parse_mail_from(raw: &str) -> Result<Option<String>, ValidationError> {
    let Some(text) = text_value("mail.from", raw)? else {
        return Ok(None);
    };
    let address = match (text.rfind('<'), text.ends_with('>')) {
        (Some(open), true) => &text[open + 1..text.len() - 1],
        _ => text.as_str(),
    };
    super::text::clean_email("mail.from", address)?;
    Ok(Some(text))
}

/// `mail.outbox`: an absolute directory path; empty clears it (the default beside the
/// database).
pub fn parse_outbox_dir(raw: &str) -> Result<Option<String>, ValidationError> {
    let Some(text) = text_value("mail.outbox", raw)? else {
        return Ok(None);
    };
    if !text.starts_with('/') {
        return Err(ValidationError::new(
            "mail.outbox",
            format!("\"{}\" is not an absolute path", preview(&text)),
        ));
    }
    Ok(Some(text))
}

/// `portal.url`: an `https://` or `http://` address without spaces; empty clears it.
pub fn parse_portal_url(raw: &str) -> Result<Option<String>, ValidationError> {
    let Some(text) = text_value("portal.url", raw)? else {
        return Ok(None);
    };
    let scheme = text.starts_with("https://") || text.starts_with("http://");
    if !scheme || text.contains(char::is_whitespace) || text.len() < 10 {
        return Err(ValidationError::new(
            "portal.url",
            format!(
                "\"{}\" is not an https:// or http:// address",
                preview(&text)
            ),
        ));
    }
    Ok(Some(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_bounds() {
        assert_eq!(parse_retention_days(" 7 ").unwrap(), 7);
        assert!(parse_retention_days("0").is_err());
        assert!(parse_retention_days("-1").is_err());
        assert!(parse_retention_days("3651").is_err());
        assert_eq!(Settings::default().trash_retention_days, 30);
    }

    #[test]
    fn text_settings_validate_and_clear() {
        assert_eq!(
            parse_mail_from("Example Hosting <noreply@example.com>").unwrap(),
            Some("Example Hosting <noreply@example.com>".into())
        );
        assert_eq!(parse_mail_from(" ").unwrap(), None);
        assert_eq!(
            parse_mail_from("Example <not an address>")
                .unwrap_err()
                .field,
            "mail.from"
        );
        assert!(parse_outbox_dir("relative/dir").is_err());
        assert_eq!(
            parse_outbox_dir("/var/spool/tenantry").unwrap(),
            Some("/var/spool/tenantry".into())
        );
        assert!(parse_portal_url("ftp://x.example").is_err());
        assert!(parse_portal_url("https://portal.example/a b").is_err());
        assert!(parse_portal_url("https://portal.example").is_ok());
    }

    #[test]
    fn impersonation_settings_have_bounds_and_words() {
        assert_eq!(ImpersonationSettings::default().max_minutes, 30);
        assert!(!ImpersonationSettings::default().notify);
        assert_eq!(parse_impersonation_minutes(" 45 ").unwrap(), 45);
        assert!(parse_impersonation_minutes("0").is_err());
        assert!(parse_impersonation_minutes("481").is_err());
        assert!(parse_on_off("impersonation.notify", "ON").unwrap());
        assert!(!parse_on_off("impersonation.notify", "off").unwrap());
        assert_eq!(
            parse_on_off("impersonation.notify", "maybe")
                .unwrap_err()
                .field,
            "impersonation.notify"
        );
    }
}
