//! Audit events and their SHA-256 hash chain. `docs/audit-format.md` specifies the exact bytes
//! [`AuditEvent::compute_hash`] covers, so anyone can verify an export with their own code.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

use super::customer::CustomerId;
use super::time::Timestamp;
use super::user::UserId;

/// The domain-separation prefix of every hashed event.
pub const HASH_PREFIX: &[u8] = b"tenantry-audit-v1\n";

/// Who did something. Stored: never reorder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Actor {
    /// The built-in actor of automatic work (expired-trash purges).
    System,
    User {
        id: UserId,
        email: String,
    },
}

impl Actor {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::System => "system",
            Self::User { .. } => "user",
        }
    }

    /// What tables and `deleted_by` show: the email, or `system`.
    pub fn label(&self) -> String {
        match self {
            Self::System => "system".to_owned(),
            Self::User { email, .. } => email.clone(),
        }
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// A customer as it was when the event happened, so the log stays readable after a purge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRef {
    pub id: CustomerId,
    pub slug: String,
    pub name: String,
}

/// One entry of the audit log. `hash` covers every other field and `prev_hash`, which is the
/// hash of the event before it (all zeros for the first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub seq: u64,
    pub at: Timestamp,
    pub actor: Actor,
    pub impersonating: Option<CustomerRef>,
    pub customer: Option<CustomerRef>,
    /// A dotted verb such as `customer.add`.
    pub action: String,
    /// What changed, in a few words; never a password, hash or token.
    pub summary: String,
    pub prev_hash: [u8; 32],
    pub hash: [u8; 32],
}

impl AuditEvent {
    /// The fields in hashed order, as text. This is the published canonical form.
    pub fn canonical_fields(&self) -> [String; 14] {
        let (actor_id, actor_email) = match &self.actor {
            Actor::System => (String::new(), String::new()),
            Actor::User { id, email } => (id.0.to_string(), email.clone()),
        };
        let part = |r: &Option<CustomerRef>| match r {
            Some(r) => (r.id.0.to_string(), r.slug.clone(), r.name.clone()),
            None => (String::new(), String::new(), String::new()),
        };
        let (imp_id, imp_slug, imp_name) = part(&self.impersonating);
        let (cust_id, cust_slug, cust_name) = part(&self.customer);
        [
            self.seq.to_string(),
            self.at.to_rfc3339(),
            self.actor.kind().to_owned(),
            actor_id,
            actor_email,
            imp_id,
            imp_slug,
            imp_name,
            cust_id,
            cust_slug,
            cust_name,
            self.action.clone(),
            self.summary.clone(),
            hex::encode(self.prev_hash),
        ]
    }

    /// SHA-256 over [`HASH_PREFIX`] then each canonical field as a 4-byte big-endian byte
    /// length followed by its UTF-8 bytes.
    pub fn compute_hash(&self) -> [u8; 32] {
        hash_canonical(self.canonical_fields().iter().map(String::as_str))
    }

    /// Fills `prev_hash` and `hash`, sealing the event onto the chain.
    pub fn seal(mut self, prev_hash: [u8; 32]) -> Self {
        self.prev_hash = prev_hash;
        self.hash = self.compute_hash();
        self
    }
}

/// The chain hash of an event given as its 14 canonical fields in order (as text, the way an
/// export carries them): SHA-256 over [`HASH_PREFIX`] then each field as a 4-byte big-endian
/// byte length followed by its UTF-8 bytes. The one definition every verifier here uses.
pub fn hash_canonical<'a>(fields: impl IntoIterator<Item = &'a str>) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(HASH_PREFIX);
    for field in fields {
        let len = u32::try_from(field.len()).unwrap_or(u32::MAX);
        hasher.update(len.to_be_bytes());
        hasher.update(field.as_bytes());
    }
    hasher.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> AuditEvent {
        AuditEvent {
            seq: 1,
            at: Timestamp(0),
            actor: Actor::User {
                id: UserId(2),
                email: "ann@example.com".into(),
            },
            impersonating: None,
            customer: Some(CustomerRef {
                id: CustomerId(3),
                slug: "acme".into(),
                name: "Acme".into(),
            }),
            action: "customer.add".into(),
            summary: "added".into(),
            prev_hash: [0; 32],
            hash: [0; 32],
        }
    }

    #[test]
    fn hash_is_pinned_and_covers_every_field() {
        let sealed = event().seal([0; 32]);
        assert_eq!(hex::encode(sealed.hash), hex::encode(sealed.compute_hash()),);
        // Pinned: docs/audit-format.md shows how to reproduce this value.
        assert_eq!(
            hex::encode(sealed.hash),
            "9167e3dade8b504c0419ba3faa84f32ce64168752d943aaaa16bb7256acbda26"
        );
        let mut changed = sealed.clone();
        changed.summary.push('!');
        assert_ne!(changed.compute_hash(), sealed.hash);
        let mut moved = sealed.clone();
        moved.prev_hash[0] = 1;
        assert_ne!(moved.compute_hash(), sealed.hash);
    }
}
