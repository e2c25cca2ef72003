//! Platform settings kept in the database, with their defaults and the keys the CLI names.

use serde::{Deserialize, Serialize};

use super::error::ValidationError;
use super::text::preview;

/// Settings stored as one value. Stored: append fields only through a migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Days a customer stays in the trash before it is purged automatically.
    pub trash_retention_days: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            trash_retention_days: 30,
        }
    }
}

/// The longest retention accepted: ten years.
pub const MAX_RETENTION_DAYS: u32 = 3650;

/// The setting keys, as `settings get|set` names them.
pub const SETTING_KEYS: [&str; 2] = ["trash.retention_days", "company.name"];

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
}
