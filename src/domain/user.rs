//! Users: one identity per email (case-insensitive), who may hold a staff role and/or
//! memberships in customers, plus the password policy.

use serde::{Deserialize, Serialize};
use std::fmt;

use super::error::ValidationError;
use super::roles::{StaffRole, text_enum};
use super::text::{clean_line, email_key, preview};
use super::time::Timestamp;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct UserId(pub u64);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Stored: never reorder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UserStatus {
    Invited,
    Active,
    Disabled,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invited => "invited",
            Self::Active => "active",
            Self::Disabled => "disabled",
        }
    }
}

text_enum!(
    UserStatus,
    "status",
    [
        UserStatus::Invited,
        UserStatus::Active,
        UserStatus::Disabled
    ]
);

/// How a user came to exist. Stored: never reorder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UserOrigin {
    /// Created by a staff member (also the first owner, and every user older than schema
    /// version 2, whose origin was not recorded).
    Staff,
    /// Created by an administrator of one of the user's customers.
    CustomerAdmin,
    /// Created by an invitation.
    Invitation,
    /// Created by a CSV import (an imported customer's owner).
    Import,
}

impl UserOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Staff => "staff",
            Self::CustomerAdmin => "customer-admin",
            Self::Invitation => "invitation",
            Self::Import => "import",
        }
    }
}

/// A person. `password_hash` is an argon2id PHC string, never shown or logged.
///
/// Stored: field order is the stored format. The fields after `updated_at` arrived with
/// schema version 2 (migration 2 gives older users their defaults).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub status: UserStatus,
    pub password_hash: Option<String>,
    pub staff_role: Option<StaffRole>,
    /// The Unix account this staff member signs in as without a password.
    pub unix_user: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// The language messages to this user are written in (`en`, `de`, `fr-CH`).
    pub language: String,
    /// Whether the user gets notifications (on unless they turn them off).
    pub notifications: bool,
    /// Set at the first sign-in after an accepted invitation or a password reset.
    pub email_verified: bool,
    pub origin: UserOrigin,
    /// Who created the user, when known.
    pub created_by: Option<UserId>,
    pub last_sign_in: Option<Timestamp>,
    /// Grows by one at every password change; a reset token carries the value it was issued
    /// under, so a password change ends every reset token issued before it.
    pub password_epoch: u32,
}

impl User {
    /// A new user, invited (no password yet), created by staff, with the defaults of the
    /// fields a creator does not choose: language `en`, notifications on, email not verified,
    /// never signed in. Callers set what they know beyond that (status, origin, creator).
    pub fn new(
        id: UserId,
        email: String,
        first_name: String,
        last_name: String,
        at: Timestamp,
    ) -> Self {
        Self {
            id,
            email,
            first_name,
            last_name,
            status: UserStatus::Invited,
            password_hash: None,
            staff_role: None,
            unix_user: None,
            created_at: at,
            updated_at: at,
            language: "en".to_owned(),
            notifications: true,
            email_verified: false,
            origin: UserOrigin::Staff,
            created_by: None,
            last_sign_in: None,
            password_epoch: 0,
        }
    }

    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    pub fn email_key(&self) -> String {
        email_key(&self.email)
    }
}

/// First and last names: 1 to 64 characters each.
pub fn clean_person_name(field: &str, raw: &str) -> Result<String, ValidationError> {
    clean_line(field, raw, 1, 64)
}

/// Minimum password length in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Maximum password length, so hashing cost stays bounded.
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// The password policy: at least 12 characters, not equal to the email or the person's name
/// (compared case-insensitively). The password itself never appears in a message.
pub fn check_password_policy(
    password: &str,
    email: &str,
    first_name: &str,
    last_name: &str,
) -> Result<(), ValidationError> {
    let count = password.chars().count();
    if count < MIN_PASSWORD_CHARS {
        return Err(ValidationError::new(
            "password",
            format!("must be at least {MIN_PASSWORD_CHARS} characters (got {count})"),
        ));
    }
    if count > MAX_PASSWORD_CHARS {
        return Err(ValidationError::new(
            "password",
            format!("must be at most {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    let lower = password.to_lowercase();
    let full = format!("{first_name} {last_name}").to_lowercase();
    let forbidden = [
        email.to_lowercase(),
        first_name.to_lowercase(),
        last_name.to_lowercase(),
        full.clone(),
        full.replace(' ', ""),
    ];
    if forbidden.iter().any(|f| !f.is_empty() && *f == lower) {
        return Err(ValidationError::new(
            "password",
            "must not be the email address or the person's name",
        ));
    }
    Ok(())
}

/// Checks a Unix account name as `useradd` accepts it.
pub fn clean_unix_user(raw: &str) -> Result<String, ValidationError> {
    let text = raw.trim();
    let ok = !text.is_empty()
        && text.len() <= 32
        && !text.starts_with('-')
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'$'));
    if !ok {
        return Err(ValidationError::new(
            "unix-user",
            format!("\"{}\" is not a Unix account name", preview(raw)),
        ));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_policy() {
        let ok = check_password_policy("correct horse battery", "ann@example.com", "Ann", "Lee");
        assert!(ok.is_ok());
        let short = check_password_policy("short", "a@b.co", "A", "B").unwrap_err();
        assert_eq!(short.reason, "must be at least 12 characters (got 5)");
        let email = check_password_policy("Ann@Example.com", "ann@example.com", "Ann", "Lee");
        assert!(email.is_err());
        let name = check_password_policy("annabelle lee", "a@b.co", "Annabelle", "Lee");
        assert!(name.is_err());
    }

    #[test]
    fn unix_users() {
        assert_eq!(clean_unix_user(" root ").unwrap(), "root");
        assert!(clean_unix_user("no spaces").is_err());
        assert!(clean_unix_user("-x").is_err());
    }
}

/// Failed sign-ins counted for one normalised email string, whether or not an account has it
/// (R8). Stored: append fields only through a migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInFailures {
    /// Failures in the current window.
    pub count: u32,
    /// When the current window of failures started.
    pub window_start: Timestamp,
    /// Set once the limit is reached; sign-in is refused until then.
    pub locked_until: Option<Timestamp>,
}
