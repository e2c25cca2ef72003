//! Proofs that stored data is consistent: every index entry points at a live record and back,
//! and the audit hash chain verifies. Used by `log verify`, by `restore`, and after every
//! test that changes data.

use std::collections::HashSet;

use serde::Serialize;

use super::{Store, StoreError, TreeName, codec, keys};
use crate::domain::{AuditEvent, CustomerId, CustomerRole, UserId, text::email_key};

/// The outcome of walking the audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainReport {
    /// Events read, decodable or not.
    pub events: u64,
    /// The first sequence at which the chain breaks, and why.
    pub first_break: Option<ChainBreak>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainBreak {
    pub seq: u64,
    pub reason: String,
}

impl Store {
    /// Walks every stored event from the first: sequences must run 1, 2, 3 … without gaps,
    /// each event must decode, link to the hash of the one before and hash to its own stored
    /// hash, and the last must be the recorded head. An undecodable event is reported as a
    /// broken link; the walk never stops early on bad data.
    pub fn verify_chain(&self) -> Result<ChainReport, StoreError> {
        let mut expected_seq = 1u64;
        let mut prev_hash = [0u8; 32];
        let mut events = 0u64;
        let mut first_break: Option<ChainBreak> = None;
        let mut note = |seq: u64, reason: String| {
            if first_break.is_none() {
                first_break = Some(ChainBreak { seq, reason });
            }
        };
        for item in self.audit_oldest_first() {
            let (seq, event) = item?;
            events += 1;
            if seq != expected_seq {
                note(
                    expected_seq,
                    format!("event {expected_seq} is missing (next stored is {seq})"),
                );
            }
            expected_seq = seq + 1;
            let event: AuditEvent = match event {
                Ok(event) => event,
                Err(err) => {
                    note(seq, format!("event does not decode: {err}"));
                    prev_hash = [0xFF; 32];
                    continue;
                }
            };
            if event.seq != seq {
                note(
                    seq,
                    format!("event stored at {seq} says it is {}", event.seq),
                );
            }
            if event.prev_hash != prev_hash {
                note(seq, "does not link to the event before it".to_owned());
            }
            if event.compute_hash() != event.hash {
                note(seq, "content does not match its hash".to_owned());
            }
            prev_hash = event.hash;
        }
        let head = self.audit_head()?;
        if head.seq != expected_seq - 1 || (head.seq > 0 && head.hash != prev_hash) {
            note(
                head.seq.min(expected_seq),
                format!(
                    "recorded head is event {} but the log ends at {}",
                    head.seq,
                    expected_seq - 1
                ),
            );
        }
        Ok(ChainReport {
            events,
            first_break,
        })
    }

    /// Checks that every index entry points at a live record and every record has its index
    /// entries. Returns the problems found (empty when consistent); a value that does not
    /// decode is itself reported as a problem.
    pub fn check_invariants(&self) -> Result<Vec<String>, StoreError> {
        let mut problems = Vec::new();
        let mut customer_ids = HashSet::new();
        let mut user_ids = HashSet::new();
        let mut max_id = 0u64;

        for item in self.customers() {
            let customer = match item {
                Ok(c) => c,
                Err(e) => {
                    problems.push(e.to_string());
                    continue;
                }
            };
            max_id = max_id.max(customer.id.0);
            customer_ids.insert(customer.id);
            match self.customer_id_by_slug(customer.slug.as_str())? {
                Some(id) if id == customer.id => {}
                other => problems.push(format!(
                    "customer {} has slug {} but the slug index says {other:?}",
                    customer.id, customer.slug
                )),
            }
            let trash_key = customer
                .deleted
                .as_ref()
                .map(|d| keys::trash_key(d.at, customer.id));
            if let Some(key) = trash_key {
                if !self.has(TreeName::TrashByTime, &key)? {
                    problems.push(format!(
                        "trashed customer {} has no trash entry",
                        customer.id
                    ));
                }
            }
            if let Some(owner) = customer.owner {
                let key = keys::pair_key(customer.id.0, owner.0);
                if !self.has(TreeName::CustomerUsers, &key)? {
                    problems.push(format!(
                        "customer {} owner {owner} is not a member",
                        customer.id
                    ));
                }
            }
        }
        for item in self.slugs_from("") {
            let (slug, id) = item?;
            match self.customer(id) {
                Ok(Some(c)) if c.slug == slug => {}
                Ok(_) => problems.push(format!(
                    "slug {slug} points at customer {id}, which does not have it"
                )),
                Err(e) => problems.push(e.to_string()),
            }
        }
        for item in self.trash_entries() {
            let (at, id) = item?;
            match self.customer(id) {
                Ok(Some(c)) if c.deleted.as_ref().is_some_and(|d| d.at == at) => {}
                Ok(_) => problems.push(format!(
                    "trash entry for customer {id} at {} has no trashed customer",
                    at.0
                )),
                Err(e) => problems.push(e.to_string()),
            }
        }
        for item in self.users() {
            let user = match item {
                Ok(u) => u,
                Err(e) => {
                    problems.push(e.to_string());
                    continue;
                }
            };
            max_id = max_id.max(user.id.0);
            user_ids.insert(user.id);
            if self.user_id_by_email(&user.email_key())? != Some(user.id) {
                problems.push(format!("user {} is missing from the email index", user.id));
            }
            if let Some(unix) = &user.unix_user {
                if self.user_id_by_unix(unix)? != Some(user.id) {
                    problems.push(format!(
                        "user {} is missing from the Unix user index",
                        user.id
                    ));
                }
            }
        }
        for (tree, what) in [
            (TreeName::UserEmailToId, "email"),
            (TreeName::UnixUserToId, "Unix user"),
        ] {
            for item in self.raw_entries(tree) {
                let (k, v) = item?;
                let id = UserId(keys::read_u64(tree.as_str(), &v)?);
                let key = String::from_utf8_lossy(&k).into_owned();
                match self.user(id) {
                    Ok(Some(u)) => {
                        let matches = match tree {
                            TreeName::UserEmailToId => email_key(&u.email) == key,
                            _ => u.unix_user.as_deref() == Some(key.as_str()),
                        };
                        if !matches {
                            problems.push(format!("{what} index entry {key} points at user {id}, which does not have it"));
                        }
                    }
                    Ok(None) => problems.push(format!(
                        "{what} index entry {key} points at missing user {id}"
                    )),
                    Err(e) => problems.push(e.to_string()),
                }
            }
        }
        for item in self.raw_entries(TreeName::CustomerUsers) {
            let (k, v) = item?;
            let (c, u) = keys::read_pair("customer_users", &k)?;
            if let Err(e) = codec::decode::<CustomerRole>(&v) {
                problems.push(StoreError::corrupt("customer_users", &k, e).to_string());
            }
            if !customer_ids.contains(&CustomerId(c)) || !user_ids.contains(&UserId(u)) {
                problems.push(format!(
                    "membership {c}/{u} points at a missing customer or user"
                ));
            }
            if !self.has(TreeName::UserCustomers, &keys::pair_key(u, c))? {
                problems.push(format!("membership {c}/{u} has no reverse entry"));
            }
        }
        for item in self.raw_entries(TreeName::UserCustomers) {
            let (k, _) = item?;
            let (u, c) = keys::read_pair("user_customers", &k)?;
            if !self.has(TreeName::CustomerUsers, &keys::pair_key(c, u))? {
                problems.push(format!("reverse membership {u}/{c} has no forward entry"));
            }
        }
        for item in self.raw_entries(TreeName::AuditByCustomer) {
            let (k, _) = item?;
            let (c, seq) = keys::read_pair("audit_by_customer", &k)?;
            match self.audit_event(seq) {
                Ok(Some(e)) => {
                    let concerns = [&e.customer, &e.impersonating]
                        .into_iter()
                        .flatten()
                        .any(|r| r.id == CustomerId(c));
                    if !concerns {
                        problems.push(format!(
                            "audit index {c}/{seq} points at an event about another customer"
                        ));
                    }
                }
                Ok(None) => {
                    problems.push(format!("audit index {c}/{seq} points at a missing event"))
                }
                Err(e) => problems.push(e.to_string()),
            }
        }
        for item in self.raw_entries(TreeName::ImportCustomers) {
            let (k, _) = item?;
            let (import, c) = keys::read_pair("import_customers", &k)?;
            if !self.has(TreeName::Imports, &keys::u64_key(import))? {
                problems.push(format!(
                    "import index {import}/{c} points at a missing import"
                ));
            }
            if !customer_ids.contains(&CustomerId(c)) {
                problems.push(format!(
                    "import index {import}/{c} points at a missing customer"
                ));
            }
        }
        if let Some(provider) = self.provider_id()? {
            match self.customer(provider) {
                Ok(Some(c)) if c.is_provider && c.deleted.is_none() => {}
                Ok(_) => problems.push(format!(
                    "provider id {provider} is not a live provider customer"
                )),
                Err(e) => problems.push(e.to_string()),
            }
        }
        let next: u64 = self
            .tree(TreeName::Meta)
            .get(super::trees::meta_key::NEXT_ID)
            .map_err(|e| StoreError::from_sled(&self.path, e))?
            .map(|b| codec::decode(&b))
            .transpose()
            .map_err(|e| StoreError::corrupt("meta", b"next_id", e))?
            .unwrap_or(1);
        if max_id >= next {
            problems.push(format!(
                "id counter {next} is not above the largest id {max_id}"
            ));
        }
        let chain = self.verify_chain()?;
        if let Some(b) = chain.first_break {
            problems.push(format!(
                "audit chain breaks at event {}: {}",
                b.seq, b.reason
            ));
        }
        Ok(problems)
    }

    fn has(&self, tree: TreeName, key: &[u8]) -> Result<bool, StoreError> {
        super::engine::guard(&self.path, || self.tree(tree).contains_key(key))?
            .map_err(|e| StoreError::from_sled(&self.path, e))
    }
}
