//! Impersonation records: who impersonated which customer, why, for how long, and how it
//! ended. One record per impersonation, keyed by the sequence of its `impersonation.start`
//! event, so `impersonation list` reads records instead of scanning the log. The events stay
//! the proof; a record is their index. Stored: append fields and variants only.

use serde::{Deserialize, Serialize};

use super::audit::CustomerRef;
use super::error::ValidationError;
use super::time::Timestamp;
use super::user::UserId;

/// The longest reason accepted, in characters.
pub const MAX_REASON_CHARS: usize = 200;

/// How an impersonation ended. Stored: never reorder, append only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ImpersonationEnd {
    /// The operator went back to the staff view (Ctrl-B).
    Returned,
    /// The time limit passed.
    TimeLimit,
    /// The console locked itself after the idle time.
    IdleLock,
    /// The operator signed out or closed the console.
    SignOut,
    /// The one command a CLI impersonation ran has finished.
    CommandDone,
    /// The staff member no longer holds the *impersonate* privilege.
    PrivilegeLost,
    /// The customer was suspended, trashed or purged meanwhile.
    CustomerChanged,
}

impl ImpersonationEnd {
    /// The word tables and JSON show.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Returned => "returned",
            Self::TimeLimit => "time-limit",
            Self::IdleLock => "idle-lock",
            Self::SignOut => "sign-out",
            Self::CommandDone => "command-done",
            Self::PrivilegeLost => "privilege-lost",
            Self::CustomerChanged => "customer-changed",
        }
    }

    /// Why it ended, in the words the console says after returning to the staff view.
    pub const fn describe(self) -> &'static str {
        match self {
            Self::Returned => "back to the staff view",
            Self::TimeLimit => "its time limit passed",
            Self::IdleLock => "the console locked after the idle time",
            Self::SignOut => "signed out",
            Self::CommandDone => "the command finished",
            Self::PrivilegeLost => "the impersonate privilege was withdrawn",
            Self::CustomerChanged => "the customer was suspended or deleted meanwhile",
        }
    }
}

/// When and how an impersonation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpersonationEnding {
    pub at: Timestamp,
    pub how: ImpersonationEnd,
}

/// One impersonation, from its start event on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Impersonation {
    /// The sequence of its `impersonation.start` event.
    pub id: u64,
    pub staff: UserId,
    pub staff_email: String,
    pub customer: CustomerRef,
    pub reason: String,
    pub started: Timestamp,
    /// When the time limit ends it.
    pub until: Timestamp,
    pub ended: Option<ImpersonationEnding>,
}

/// The reason an impersonation is started for: required, one line of at most
/// [`MAX_REASON_CHARS`] characters.
pub fn clean_reason(raw: &str) -> Result<String, ValidationError> {
    if raw.trim().is_empty() {
        return Err(ValidationError::new(
            "reason",
            "is required: say why you impersonate (a ticket number, a request)",
        ));
    }
    super::text::clean_line("reason", raw, 1, MAX_REASON_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_required_one_line_and_bounded() {
        assert_eq!(clean_reason("  ticket 4411 ").unwrap(), "ticket 4411");
        assert_eq!(clean_reason("  ").unwrap_err().field, "reason");
        assert!(clean_reason(&"x".repeat(MAX_REASON_CHARS)).is_ok());
        assert!(clean_reason(&"x".repeat(MAX_REASON_CHARS + 1)).is_err());
        assert!(clean_reason("two\nlines").is_err());
    }

    #[test]
    fn every_ending_has_a_distinct_word() {
        use ImpersonationEnd::*;
        let all = [
            Returned,
            TimeLimit,
            IdleLock,
            SignOut,
            CommandDone,
            PrivilegeLost,
            CustomerChanged,
        ];
        let mut words: Vec<_> = all.iter().map(|e| e.as_str()).collect();
        words.sort_unstable();
        words.dedup();
        assert_eq!(words.len(), all.len());
    }
}
