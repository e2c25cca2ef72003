//! Invitations of people into a customer, and the one-time tokens of invitations and password
//! resets (R9). A token is shown once and only its SHA-256 is stored; whether it still works
//! is decided by the stored record and the time, never by the token's text.
//!
//! Stored types: variant order of the enums and field order of the structs are part of the
//! stored format. Append variants only; change fields only through a numbered migration.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

use super::customer::CustomerId;
use super::error::ValidationError;
use super::roles::CustomerRole;
use super::time::Timestamp;
use super::user::UserId;

/// Days an invitation is valid unless the inviter says otherwise, and the most allowed.
pub const DEFAULT_INVITATION_DAYS: u32 = 7;
pub const MAX_INVITATION_DAYS: u32 = 30;
/// How long a password-reset token is valid: one hour.
pub const RESET_TOKEN_MS: i64 = 60 * 60 * 1000;
/// Reset messages written per email per hour, at most.
pub const MAX_RESETS_PER_HOUR: u32 = 3;
/// Random bytes in a token (160 bits, above R9's 128).
pub const TOKEN_BYTES: usize = 20;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct InvitationId(pub u64);

impl fmt::Display for InvitationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What was last done to an invitation. Stored: never reorder. Expiry is not stored: a
/// pending invitation past its time is expired ([`Invitation::state`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Revoked,
}

/// An invitation as people see it at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InvitationState {
    Pending,
    Accepted,
    Revoked,
    Expired,
}

impl InvitationState {
    pub const ALL: [InvitationState; 4] =
        [Self::Pending, Self::Accepted, Self::Revoked, Self::Expired];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Revoked => "revoked",
            Self::Expired => "expired",
        }
    }
}

super::roles::text_enum!(
    InvitationState,
    "status",
    [
        InvitationState::Pending,
        InvitationState::Accepted,
        InvitationState::Revoked,
        InvitationState::Expired
    ]
);

/// An invitation of one person into one customer. Stored: append fields only through a
/// migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub id: InvitationId,
    pub customer: CustomerId,
    /// The user the invitation is for: created by it, or an existing user with that email.
    pub user: UserId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub language: String,
    pub role: CustomerRole,
    pub invited_by: Option<UserId>,
    pub created_at: Timestamp,
    /// Days it is valid from when it was (re)sent.
    pub valid_days: u32,
    pub expires_at: Timestamp,
    pub status: InvitationStatus,
    /// The SHA-256 of the token sent last; earlier tokens no longer match.
    pub token_hash: [u8; 32],
    /// Messages sent for it (the first and every resend).
    pub sent: u32,
    /// When it was accepted or revoked.
    pub resolved_at: Option<Timestamp>,
    /// True when this invitation created its user (so deleting it deletes that user too,
    /// unless the user has another membership or a staff role).
    pub created_user: bool,
}

impl Invitation {
    /// True while it can be resent or revoked: not accepted, not revoked (an expired one is
    /// still pending in store, and a resend revives it). The one rule the commands and the
    /// rows the console offers actions on both follow.
    pub fn is_open(&self) -> bool {
        self.status == InvitationStatus::Pending
    }

    /// The state at `now`.
    pub fn state(&self, now: Timestamp) -> InvitationState {
        match self.status {
            InvitationStatus::Accepted => InvitationState::Accepted,
            InvitationStatus::Revoked => InvitationState::Revoked,
            InvitationStatus::Pending if self.expires_at <= now => InvitationState::Expired,
            InvitationStatus::Pending => InvitationState::Pending,
        }
    }
}

/// A password-reset token's record, stored under the token's SHA-256. Stored: append fields
/// only through a migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetToken {
    pub user: UserId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    /// The user's password epoch when issued: a password change since ends the token.
    pub password_epoch: u32,
}

/// Reset messages written for one email within the current hour. Stored: append fields only
/// through a migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetRequests {
    pub window_start: Timestamp,
    pub count: u32,
}

/// The SHA-256 stored for a token.
pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.trim().as_bytes()).into()
}

/// The text form of a token's random bytes: lowercase hex.
pub fn token_text(bytes: &[u8; TOKEN_BYTES]) -> String {
    hex::encode(bytes)
}

/// True when `text` has the form of a token (so no lookup is made for anything else; the
/// answer to a malformed token is the same as to an unknown one).
pub fn looks_like_token(text: &str) -> bool {
    let text = text.trim();
    text.len() == TOKEN_BYTES * 2 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Checks the days an invitation is valid: 1 to 30.
pub fn check_invitation_days(days: u32) -> Result<u32, ValidationError> {
    if (1..=MAX_INVITATION_DAYS).contains(&days) {
        Ok(days)
    } else {
        Err(ValidationError::new(
            "expires-days",
            format!("{days} is not a number of days from 1 to {MAX_INVITATION_DAYS}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invitation(status: InvitationStatus, expires_at: i64) -> Invitation {
        Invitation {
            id: InvitationId(1),
            customer: CustomerId(2),
            user: UserId(3),
            email: "a@b.co".into(),
            first_name: "A".into(),
            last_name: "B".into(),
            language: "en".into(),
            role: CustomerRole::Member,
            invited_by: None,
            created_at: Timestamp(0),
            valid_days: 7,
            expires_at: Timestamp(expires_at),
            status,
            token_hash: [0; 32],
            sent: 1,
            resolved_at: None,
            created_user: true,
        }
    }

    #[test]
    fn a_pending_invitation_expires_at_its_time_and_resolved_ones_never_do() {
        let pending = invitation(InvitationStatus::Pending, 100);
        assert_eq!(pending.state(Timestamp(99)), InvitationState::Pending);
        assert_eq!(pending.state(Timestamp(100)), InvitationState::Expired);
        let accepted = invitation(InvitationStatus::Accepted, 100);
        assert_eq!(accepted.state(Timestamp(500)), InvitationState::Accepted);
        let revoked = invitation(InvitationStatus::Revoked, 100);
        assert_eq!(revoked.state(Timestamp(500)), InvitationState::Revoked);
    }

    #[test]
    fn tokens_are_recognised_by_form_and_stored_as_their_hash() {
        let token = token_text(&[0xab; TOKEN_BYTES]);
        assert!(looks_like_token(&token));
        assert!(looks_like_token(&format!(" {token}\n")));
        assert!(!looks_like_token("abc"));
        assert!(!looks_like_token(&token.replace('a', "g")));
        assert_eq!(token_hash(&token), token_hash(&format!("{token}\n")));
        assert_ne!(
            token_hash(&token),
            token_hash(&token_text(&[0xac; TOKEN_BYTES]))
        );
        assert_eq!(check_invitation_days(7).unwrap(), 7);
        assert!(check_invitation_days(0).is_err());
        assert!(check_invitation_days(31).is_err());
    }
}
