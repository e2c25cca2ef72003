//! Backup signatures: an Ed25519 key pair the operator keeps outside the database.
//!
//! A backup's CRCs and SHA-256 catch accidents (a torn copy, a flipped bit); anyone can
//! recompute them, so they prove nothing about who wrote the file. A signature made with a
//! secret key that never enters the database proves the backup was written by someone holding
//! that key and not changed since: `restore --verify-with PUBKEY` refuses anything else.
//!
//! The `S` record follows the `E` record; its 96-byte payload is the signer's 32-byte public
//! key and the 64-byte signature of `SIGNED_CONTEXT ‖ E payload` (entry count and SHA-256 of
//! everything before `E`), so it covers every byte of the backup.
//!
//! Key files are one line of text: `tenantry-backup-secret-v1 HEX` (0600, never readable by
//! others; loading refuses a wider mode) and `tenantry-backup-public-v1 HEX`. Either is
//! refused when another user could replace it: owned by someone other than us or root, or in
//! a directory (or below one) that others may write without the sticky bit
//! ([`crate::files::replaceable_by_others`]); `backup-keygen` refuses such a directory too. This module does
//! file I/O for keys only; it must not touch the database.

use std::io::Write;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use ed25519_dalek::{Signer, Verifier};

use super::StoreError;
use crate::domain::text::display_safe;

const SECRET_LABEL: &str = "tenantry-backup-secret-v1";
const PUBLIC_LABEL: &str = "tenantry-backup-public-v1";
const SIGNED_CONTEXT: &[u8] = b"tenantry-backup-signature-v1\0";
/// Payload length of the `S` record.
pub const SIGNATURE_RECORD_LEN: usize = 96;
pub const SECRET_FILE: &str = "tenantry-backup.key";
pub const PUBLIC_FILE: &str = "tenantry-backup.pub";

fn refused(path: &Path, detail: impl Into<String>) -> StoreError {
    StoreError::Refused {
        path: display_safe(&path.display().to_string()),
        detail: detail.into(),
    }
}

/// The secret half, loaded from a key file.
pub struct SigningKey(ed25519_dalek::SigningKey);

/// The public half, loaded from a public key file.
pub struct VerifyingKey(ed25519_dalek::VerifyingKey);

/// Refuses a key file another user could replace (see the module documentation).
fn refuse_replaceable(path: &Path, what: &str) -> Result<(), StoreError> {
    match crate::files::replaceable_by_others(path) {
        Ok(None) => Ok(()),
        Ok(Some(reason)) => Err(refused(
            path,
            format!(
                "another user could replace this {what} file: {reason}; keep keys in a private directory you own"
            ),
        )),
        Err(e) => Err(StoreError::io(path, &e)),
    }
}

impl SigningKey {
    /// Reads a secret key file, refusing one that group or others may read or write, or that
    /// another user could replace.
    pub fn load(path: &Path) -> Result<Self, StoreError> {
        let meta = std::fs::metadata(path).map_err(|e| StoreError::io(path, &e))?;
        refuse_replaceable(path, "secret key")?;
        if meta.mode() & 0o077 != 0 {
            return Err(refused(
                path,
                format!(
                    "secret key file has mode {:04o}; other users could read it (chmod 600)",
                    meta.mode() & 0o7777
                ),
            ));
        }
        let bytes = read_key(path, SECRET_LABEL)?;
        Ok(Self(ed25519_dalek::SigningKey::from_bytes(&bytes)))
    }

    /// The secret bytes, for a client handing the key to the server that writes the backup
    /// (over the server's private socket; D118).
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// The key from its secret bytes, as [`SigningKey::to_bytes`] gave them.
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        Self(ed25519_dalek::SigningKey::from_bytes(bytes))
    }

    /// The `S` record's payload for an `E` record's payload.
    pub fn sign_end(&self, end: &[u8]) -> Vec<u8> {
        let signature = self.0.sign(&signed_message(end));
        let mut out = Vec::with_capacity(SIGNATURE_RECORD_LEN);
        out.extend_from_slice(self.0.verifying_key().as_bytes());
        out.extend_from_slice(&signature.to_bytes());
        out
    }
}

impl VerifyingKey {
    /// Reads a public key file, refusing one that group or others may write (they could put
    /// their own key there and sign a forged backup with it), or that another user owns or
    /// could replace through its directory.
    pub fn load(path: &Path) -> Result<Self, StoreError> {
        let meta = std::fs::metadata(path).map_err(|e| StoreError::io(path, &e))?;
        refuse_replaceable(path, "public key")?;
        if meta.mode() & 0o022 != 0 {
            return Err(refused(
                path,
                format!(
                    "public key file has mode {:04o}; other users could replace it (chmod 644)",
                    meta.mode() & 0o7777
                ),
            ));
        }
        let bytes = read_key(path, PUBLIC_LABEL)?;
        ed25519_dalek::VerifyingKey::from_bytes(&bytes)
            .map(Self)
            .map_err(|_| refused(path, "not a valid public key"))
    }

    /// Checks an `S` record's payload against the `E` record's; the reason when it fails.
    pub fn check(&self, end: &[u8], record: &[u8]) -> Result<(), String> {
        if record.len() != SIGNATURE_RECORD_LEN {
            return Err("signature record has the wrong length".into());
        }
        if record[..32] != self.0.as_bytes()[..] {
            return Err(format!(
                "signed by a different key ({}…), not the one given",
                hex::encode(&record[..8])
            ));
        }
        let mut sig = [0u8; 64];
        sig.copy_from_slice(&record[32..]);
        let sig = ed25519_dalek::Signature::from_bytes(&sig);
        self.0
            .verify(&signed_message(end), &sig)
            .map_err(|_| "signature does not match the content".into())
    }
}

/// Checks that an `S` record's payload is a well-formed signature of the `E` payload by the
/// public key it carries, whoever that is: its length, a usable (not weak) key and a signature
/// that verifies strictly. A restore without `--verify-with` still refuses a record that
/// fails this, so "signed" is never reported for bytes that are not a signature. The reason
/// when it fails.
pub fn check_well_formed(end: &[u8], record: &[u8]) -> Result<(), String> {
    if record.len() != SIGNATURE_RECORD_LEN {
        return Err(format!(
            "signature record has {} bytes, not {SIGNATURE_RECORD_LEN}",
            record.len()
        ));
    }
    let mut key = [0u8; 32];
    key.copy_from_slice(&record[..32]);
    let key = ed25519_dalek::VerifyingKey::from_bytes(&key)
        .ok()
        .filter(|k| !k.is_weak())
        .ok_or_else(|| "signature record does not hold a valid public key".to_string())?;
    let mut sig = [0u8; 64];
    sig.copy_from_slice(&record[32..]);
    let sig = ed25519_dalek::Signature::from_bytes(&sig);
    key.verify_strict(&signed_message(end), &sig)
        .map_err(|_| "signature record is malformed: it does not sign this content".to_string())
}

fn signed_message(end: &[u8]) -> Vec<u8> {
    [SIGNED_CONTEXT, end].concat()
}

/// A key file is one short line; anything longer is not one.
const MAX_KEY_FILE: u64 = 4096;

/// Reads a key file: only a regular file (opened without blocking, so a named pipe cannot hang
/// the command), at most [`MAX_KEY_FILE`] bytes, holding `label` and 64 hex digits.
fn read_key(path: &Path, label: &str) -> Result<[u8; 32], StoreError> {
    use std::io::Read;
    let (file, meta) = crate::files::open_regular(path).map_err(|e| match e {
        crate::files::OpenRegularError::Io(e) => StoreError::io(path, &e),
        crate::files::OpenRegularError::NotRegular(what) => {
            refused(path, format!("is {what}, not a key file"))
        }
    })?;
    if meta.len() > MAX_KEY_FILE {
        return Err(refused(path, format!("not a {label} key file")));
    }
    let mut text = String::new();
    file.take(MAX_KEY_FILE)
        .read_to_string(&mut text)
        .map_err(|e| StoreError::io(path, &e))?;
    let hex_part = text
        .trim()
        .strip_prefix(label)
        .map(str::trim)
        .ok_or_else(|| refused(path, format!("not a {label} key file")))?;
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(hex_part, &mut bytes)
        .map_err(|_| refused(path, format!("not a {label} key file")))?;
    Ok(bytes)
}

/// Makes a new key pair in directory `dir` (created 0700 if missing): the secret key 0600 and
/// the public key 0644, both created exclusively so an existing key is never replaced. A
/// directory another user could write in (or owns) is refused before anything is written:
/// keys there could be swapped, and loading them would be refused anyway.
/// Returns the paths written.
pub fn generate_key_pair(dir: &Path) -> Result<(PathBuf, PathBuf), StoreError> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| StoreError::io(dir, &e))?;
    match crate::files::dir_writable_by_others(dir) {
        Ok(None) => {}
        Ok(Some(reason)) => {
            return Err(refused(
                dir,
                format!(
                    "another user could replace keys written here: {reason}; use a private directory you own"
                ),
            ));
        }
        Err(e) => return Err(StoreError::io(dir, &e)),
    }
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed)
        .map_err(|e| StoreError::io(dir, &std::io::Error::other(e.to_string())))?;
    let key = ed25519_dalek::SigningKey::from_bytes(&seed);
    let secret = dir.join(SECRET_FILE);
    let public = dir.join(PUBLIC_FILE);
    for path in [&secret, &public] {
        if std::fs::symlink_metadata(path).is_ok() {
            return Err(refused(path, "exists; a key is never replaced"));
        }
    }
    let secret_line = format!("{SECRET_LABEL} {}\n", hex::encode(seed));
    write_new(&secret, secret_line.as_bytes(), 0o600)?;
    let public_line = format!(
        "{PUBLIC_LABEL} {}\n",
        hex::encode(key.verifying_key().as_bytes())
    );
    write_new(&public, public_line.as_bytes(), 0o644)?;
    Ok((secret, public))
}

fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<(), StoreError> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .map_err(|e| StoreError::io(path, &e))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| StoreError::io(path, &e))
}
