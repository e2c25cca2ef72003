//! Passwords and sign-in. Hashes are argon2id at the OWASP parameters (m=19456 KiB, t=2,
//! p=1). A stored hash whose parameters fall outside the policy bounds is refused rather than
//! trusted (R7) and an outdated one is rehashed on a successful sign-in. Unknown emails take
//! the same path as wrong passwords, and failures are counted per email string whether or not
//! an account has it, so nothing reveals which accounts exist (R8).

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};

use super::{Ctx, Service, ServiceError, Session, record};
use crate::domain::text::{display_safe, email_key};
use crate::domain::user::SignInFailures;
use crate::domain::{Timestamp, User, UserStatus};

/// Failed sign-ins within [`FAILURE_WINDOW_MS`] that lock an email.
pub const MAX_FAILED_SIGN_INS: u32 = 5;
pub const FAILURE_WINDOW_MS: i64 = 15 * 60 * 1000;
pub const LOCKOUT_MS: i64 = 15 * 60 * 1000;

const POLICY_M_KIB: u32 = 19_456;
const POLICY_T: u32 = 2;
const POLICY_P: u32 = 1;
/// Above these a stored hash is refused too: it could make one sign-in take minutes.
const CAP_M_KIB: u32 = 1 << 20;
const CAP_T: u32 = 16;
const CAP_P: u32 = 16;

fn hasher() -> Result<Argon2<'static>, ServiceError> {
    let params = Params::new(POLICY_M_KIB, POLICY_T, POLICY_P, None)
        .map_err(|e| ServiceError::Refused(format!("password hashing parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password with the current policy; the result is a PHC string.
pub fn hash_password(password: &str) -> Result<String, ServiceError> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::Refused(format!("password could not be hashed: {e}")))
}

/// How a stored hash compares with the policy.
#[derive(Debug, PartialEq, Eq)]
enum HashCheck {
    Current,
    /// Within bounds but not the current parameters: rehash after a successful sign-in.
    Outdated,
    /// Not argon2id, unparsable, or parameters outside the bounds: never verified.
    Refused,
}

fn check_hash(hash: &PasswordHash<'_>) -> HashCheck {
    if hash.algorithm != argon2::ARGON2ID_IDENT {
        return HashCheck::Refused;
    }
    let get = |name: &str| hash.params.get_decimal(name);
    let (Some(m), Some(t), Some(p)) = (get("m"), get("t"), get("p")) else {
        return HashCheck::Refused;
    };
    let in_bounds = (POLICY_M_KIB..=CAP_M_KIB).contains(&m)
        && (POLICY_T..=CAP_T).contains(&t)
        && (POLICY_P..=CAP_P).contains(&p);
    match (in_bounds, (m, t, p) == (POLICY_M_KIB, POLICY_T, POLICY_P)) {
        (false, _) => HashCheck::Refused,
        (true, true) => HashCheck::Current,
        (true, false) => HashCheck::Outdated,
    }
}

/// Verifies `password` against a stored PHC string under the policy bounds.
fn verify(stored: &str, password: &str) -> (bool, HashCheck) {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return (false, HashCheck::Refused);
    };
    let check = check_hash(&parsed);
    if check == HashCheck::Refused {
        tracing::warn!("refused a stored password hash outside the policy bounds");
        dummy_verify(password);
        return (false, check);
    }
    let ok = Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    (ok, check)
}

/// Spends the same time as a real verification, for unknown or unusable accounts.
fn dummy_verify(password: &str) {
    static DUMMY: OnceLock<Option<String>> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash_password("tenantry dummy password for timing").ok());
    if let Some(hash) = dummy.as_deref().and_then(|d| PasswordHash::new(d).ok()) {
        let _ = Argon2::default().verify_password(password.as_bytes(), &hash);
    }
}

fn minutes_left(until: Timestamp, now: Timestamp) -> i64 {
    until.0.saturating_sub(now.0).max(0).saturating_add(59_999) / 60_000
}

/// Expired failure entries removed on each counted failure, at most: more than one, so
/// removal outpaces creation, and few, so a sign-in stays cheap.
pub const SWEEP_PER_FAILURE: usize = 8;

/// True when `key` (a normalised email) could be an account's address: within the length
/// limit and of the form every stored email has. Checked before anything is stored.
fn could_be_an_address(key: &str) -> bool {
    key.len() <= crate::domain::text::MAX_EMAIL_LEN
        && crate::domain::text::clean_email("email", key).is_ok()
}

/// A failure entry that neither counts towards a lockout nor holds one any more.
fn failure_expired(record: &SignInFailures, now: Timestamp) -> bool {
    record.window_start.plus_millis(FAILURE_WINDOW_MS) <= now
        && record.locked_until.is_none_or(|until| until <= now)
}

/// Removes those of `keys` whose entries are still expired when the transaction reads them.
fn remove_if_expired(
    tx: &crate::store::Tx<'_, ServiceError>,
    keys: &[String],
    now: Timestamp,
) -> Result<u64, crate::store::TxError<ServiceError>> {
    let mut removed = 0u64;
    for key in keys {
        if tx
            .sign_in_failures(key)?
            .is_some_and(|r| failure_expired(&r, now))
        {
            tx.remove_sign_in_failures(key)?;
            removed = removed.saturating_add(1);
        }
    }
    Ok(removed)
}

impl Service {
    /// Signs a staff member or a customer's user in with email and password (a customer's
    /// user of several customers then chooses one). Every failure, whatever its cause,
    /// gives [`ServiceError::BadCredentials`] or [`ServiceError::LockedOut`].
    pub fn sign_in(&self, email: &str, password: &str) -> Result<Session, ServiceError> {
        // Active staff, and customers' users with a customer they can use, sign in here. Any
        // other account takes the same path as an unknown email (a dummy verification, a
        // counted failure, the same message), so a right password on an account that cannot
        // act reveals nothing.
        let user = self.password_sign_in(email, password, |u| {
            u.staff_role.is_some()
                || self.usable_memberships(u).is_ok_and(|m| !m.is_empty())
                || self.inactive_customer(u).is_ok_and(|e| e.is_some())
        })?;
        match user.staff_role {
            Some(_) => staff_session(&user),
            None => self.member_session(&user),
        }
    }

    /// The one path of every password sign-in: the lockout check, an argon2 verification
    /// (a dummy one when there is no usable account), a counted failure, and after success
    /// the clearing of failures, a rehash if due and the time of the sign-in. `admits` says
    /// which active accounts with a password this sign-in accepts; every other account gets
    /// the unknown email's path and message.
    pub(crate) fn password_sign_in(
        &self,
        email: &str,
        password: &str,
        admits: impl Fn(&User) -> bool,
    ) -> Result<User, ServiceError> {
        self.require_initialised()?;
        let now = self.now();
        let key = email_key(email.trim());
        if let Some(record) = self.store.sign_in_failures(&key)? {
            if let Some(until) = record.locked_until.filter(|u| *u > now) {
                return Err(ServiceError::LockedOut {
                    minutes: minutes_left(until, now),
                });
            }
        }
        let user = match self.store.user_id_by_email(&key)? {
            Some(id) => self.store.user(id)?,
            None => None,
        };
        let usable = user
            .as_ref()
            .filter(|u| u.status == UserStatus::Active && admits(u))
            .and_then(|u| u.password_hash.as_deref().map(|h| (u, h)));
        let (ok, check) = match usable {
            Some((_, hash)) => verify(hash, password),
            None => {
                dummy_verify(password);
                (false, HashCheck::Refused)
            }
        };
        let Some(user) = user.filter(|_| ok) else {
            return Err(self.record_failure(&key, now)?);
        };
        self.after_success(&key, &user, check == HashCheck::Outdated, password)?;
        Ok(user)
    }

    /// Counts one failed sign-in for `key` and returns the error to show. A key that cannot be
    /// an email address (too long, or not of the form) is refused with the same message but
    /// neither counted nor stored: no account can have it, and storing it would let anyone
    /// grow the database without credentials. Each count also removes a few expired entries
    /// (bounded work, see [`SWEEP_PER_FAILURE`]).
    fn record_failure(&self, key: &str, now: Timestamp) -> Result<ServiceError, ServiceError> {
        if !could_be_an_address(key) {
            return Ok(ServiceError::BadCredentials);
        }
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let expired = self.expired_failures_near(key, now)?;
        let session = Session::system();
        let ctx = Ctx {
            session: &session,
            now,
        };
        let locked = self.store.transact(|tx| {
            remove_if_expired(tx, &expired, now)?;
            let mut failures = tx
                .sign_in_failures(key)?
                .filter(|r| r.window_start.plus_millis(FAILURE_WINDOW_MS) > now)
                .unwrap_or(SignInFailures {
                    count: 0,
                    window_start: now,
                    locked_until: None,
                });
            failures.count = failures.count.saturating_add(1);
            let locks = failures.count >= MAX_FAILED_SIGN_INS;
            if locks {
                failures.locked_until = Some(now.plus_millis(LOCKOUT_MS));
                if let Some(id) = tx.user_id_by_email(key)? {
                    if let Some(user) = tx.user(id)? {
                        let summary = format!(
                            "sign-in locked for 15 minutes after {} failed attempts for {}",
                            failures.count, user.email
                        );
                        record(
                            tx,
                            &ctx,
                            None,
                            crate::domain::AuditAction::UserLockout,
                            summary,
                        )?;
                    }
                }
            }
            tx.put_sign_in_failures(key, &failures)?;
            Ok(locks)
        })?;
        self.store.flush()?;
        if locked {
            tracing::warn!(email = %display_safe(key), "sign-in locked after repeated failures");
            return Ok(ServiceError::LockedOut {
                minutes: minutes_left(now.plus_millis(LOCKOUT_MS), now),
            });
        }
        Ok(ServiceError::BadCredentials)
    }

    /// Keys of expired failure entries among the few stored after `key` (wrapping round).
    fn expired_failures_near(
        &self,
        key: &str,
        now: Timestamp,
    ) -> Result<Vec<String>, ServiceError> {
        Ok(self
            .store
            .sign_in_failures_after(key, SWEEP_PER_FAILURE, true)?
            .into_iter()
            .filter(|(k, r)| k != key && failure_expired(r, now))
            .map(|(k, _)| k)
            .collect())
    }

    /// Removes every expired sign-in failure entry, in batches of one transaction each; run
    /// by `trash purge-expired`, so a cron job keeps the tree to the last 15 minutes of
    /// failures. Returns how many were removed.
    pub(crate) fn purge_expired_sign_in_failures(
        &self,
        now: Timestamp,
    ) -> Result<u64, ServiceError> {
        const BATCH: usize = 500;
        let mut after = String::new();
        let mut removed = 0u64;
        loop {
            let page = self.store.sign_in_failures_after(&after, BATCH, false)?;
            let Some((last, _)) = page.last() else {
                return Ok(removed);
            };
            after = last.clone();
            let expired: Vec<String> = page
                .into_iter()
                .filter(|(_, r)| failure_expired(r, now))
                .map(|(k, _)| k)
                .collect();
            if expired.is_empty() {
                continue;
            }
            let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
            removed = removed.saturating_add(
                self.store
                    .transact(|tx| remove_if_expired(tx, &expired, now))?,
            );
            self.store.flush()?;
        }
    }

    fn after_success(
        &self,
        key: &str,
        user: &User,
        rehash: bool,
        password: &str,
    ) -> Result<(), ServiceError> {
        let new_hash = if rehash {
            Some(hash_password(password)?)
        } else {
            None
        };
        let had_failures = self.store.sign_in_failures(key)?.is_some();
        let now = self.now();
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let written = self
            .store
            .transact(|tx: &crate::store::Tx<'_, ServiceError>| {
                tx.remove_sign_in_failures(key)?;
                if let Some(mut stored) = tx.user(user.id)? {
                    if let Some(hash) = &new_hash {
                        stored.password_hash = Some(hash.clone());
                    }
                    stored.last_sign_in = Some(now);
                    tx.save_user(&stored)?;
                }
                Ok(())
            })
            .and_then(|()| Ok(self.store.flush()?));
        match written {
            Ok(()) => Ok(()),
            // Clearing failures and rehashing must happen; the sign-in time alone is a
            // record that must not stop a read-only database from being read.
            Err(e) if new_hash.is_none() && !had_failures => {
                tracing::warn!(error = %e, "the time of a sign-in could not be recorded");
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// Peer authentication: the active staff member linked to a Unix account. `Ok(None)` when
    /// no staff member is linked to it. A linked member who cannot act (disabled) is a
    /// [`ServiceError::Refused`] naming them, so the message says why instead of suggesting a
    /// link that already exists.
    pub fn session_for_unix_user(&self, unix_user: &str) -> Result<Option<Session>, ServiceError> {
        self.require_initialised()?;
        let Some(id) = self.store.user_id_by_unix(unix_user)? else {
            return Ok(None);
        };
        let Some(user) = self.store.user(id)?.filter(|u| u.staff_role.is_some()) else {
            return Ok(None);
        };
        if user.status != UserStatus::Active {
            return Err(ServiceError::Refused(format!(
                "Unix user {} is linked to staff member {}, whose account is {}; an owner or administrator can enable it with `tenantry staff enable {}`",
                display_safe(unix_user),
                display_safe(&user.email),
                user.status.as_str(),
                display_safe(&user.email),
            )));
        }
        staff_session(&user).map(Some)
    }
}

/// The session of a staff member who just proved who they are.
fn staff_session(user: &User) -> Result<Session, ServiceError> {
    Session::staff(user).ok_or(ServiceError::BadCredentials)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_use_the_policy_and_verify() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert_eq!(
            verify(&hash, "correct horse battery"),
            (true, HashCheck::Current)
        );
        assert!(!verify(&hash, "wrong horse battery").0);
    }

    #[test]
    fn weak_or_huge_parameters_are_refused_even_with_the_right_password() {
        let weak_params = Params::new(8, 1, 1, None).unwrap();
        let weak = Argon2::new(Algorithm::Argon2id, Version::V0x13, weak_params)
            .hash_password(b"correct horse battery", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        assert_eq!(
            verify(&weak, "correct horse battery"),
            (false, HashCheck::Refused)
        );
        let huge = "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";
        assert_eq!(verify(huge, "x").1, HashCheck::Refused);
        assert_eq!(verify("not a phc string", "x"), (false, HashCheck::Refused));
    }

    #[test]
    fn stronger_parameters_verify_and_ask_for_a_rehash() {
        let params = Params::new(POLICY_M_KIB, 3, 1, None).unwrap();
        let hash = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(b"correct horse battery", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        assert_eq!(
            verify(&hash, "correct horse battery"),
            (true, HashCheck::Outdated)
        );
    }
}
