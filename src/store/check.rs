//! Proofs that stored data is consistent: every index entry points at a live record and back,
//! and the audit hash chain verifies. Used by `log verify`, by `restore`, and after every
//! test that changes data.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::{Store, StoreError, TreeName, keys};
use crate::domain::text::{display_safe, email_key};
use crate::domain::{AuditEvent, CustomerId, UserId};

/// The outcome of walking the audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainReport {
    /// Events read, decodable or not.
    pub events: u64,
    /// The first sequence at which the chain breaks, and why.
    pub first_break: Option<ChainBreak>,
    /// The checkpoint of the last prune the walk began at, if the log was pruned.
    #[serde(default)]
    pub checkpoint: Option<u64>,
    /// The `log.prune` event that names that checkpoint.
    #[serde(default)]
    pub prune_event: Option<u64>,
}

/// How a `log.prune` event's summary names its checkpoint: `checkpoint SEQ:HASH`. The prune
/// writes it and [`Store::verify_chain`] looks for it, so both take it from here.
pub fn checkpoint_words(seq: u64, hash: &[u8; 32]) -> String {
    format!("checkpoint {seq}:{}", hex::encode(hash))
}

/// True for a `log.prune` event whose summary names the checkpoint `seq`:`hash`.
pub fn names_checkpoint(action: &str, summary: &str, seq: u64, hash: &[u8; 32]) -> bool {
    action == crate::domain::AuditAction::LogPrune.as_str()
        && summary.contains(&checkpoint_words(seq, hash))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
        // The sequence the next stored event must have; `None` after an event stored at
        // u64::MAX, which nothing may follow. Every step is checked: a stored sequence is data,
        // and data can be anything.
        let mut first_break: Option<ChainBreak> = None;
        let mut note = |seq: u64, reason: String| {
            if first_break.is_none() {
                first_break = Some(ChainBreak { seq, reason });
            }
        };
        // After a prune the chain begins at its checkpoint: the next event links to the hash
        // of the newest one removed (what an interrupted prune left below it is passed over).
        let checkpoint = match self.audit_checkpoint() {
            Ok(c) => c,
            Err(err) if err.is_corruption() => {
                note(
                    0,
                    format!("the checkpoint of a prune does not decode: {err}"),
                );
                None
            }
            Err(err) => return Err(err),
        };
        let cut = checkpoint.map_or(0, |c| c.seq);
        let mut expected: Option<u64> = cut.checked_add(1);
        let mut last_seq = cut;
        let mut prev_hash = checkpoint.map_or([0u8; 32], |c| c.hash);
        let mut events = 0u64;
        let mut prune_event = None;
        for item in self.audit_oldest_first() {
            if let Ok((seq, _)) = &item
                && *seq <= cut
            {
                continue;
            }
            let (seq, event) = match item {
                Ok(entry) => entry,
                Err(err) if err.is_corruption() => {
                    note(expected.unwrap_or(u64::MAX), err.to_string());
                    prev_hash = [0xFF; 32];
                    continue;
                }
                Err(err) => return Err(err),
            };
            events = events.saturating_add(1);
            match expected {
                Some(want) if want == seq => {}
                Some(want) => note(
                    want,
                    format!("event {want} is missing (next stored is {seq})"),
                ),
                None => note(seq, "an event follows the largest sequence".to_owned()),
            }
            expected = seq.checked_add(1);
            last_seq = seq;
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
            if let Some(c) = checkpoint
                && prune_event.is_none()
                && names_checkpoint(&event.action, &event.summary, c.seq, &c.hash)
            {
                prune_event = Some(seq);
            }
            prev_hash = event.hash;
        }
        let head = match self.audit_head() {
            Ok(head) => head,
            Err(err) if err.is_corruption() => {
                note(
                    last_seq,
                    format!("the recorded head does not decode: {err}"),
                );
                return Ok(ChainReport {
                    events,
                    first_break,
                    checkpoint: checkpoint.map(|c| c.seq),
                    prune_event,
                });
            }
            Err(err) => return Err(err),
        };
        if head.seq != last_seq || (head.seq > 0 && head.hash != prev_hash) {
            note(
                head.seq.min(last_seq.saturating_add(1)),
                format!(
                    "recorded head is event {} but the log ends at {last_seq}",
                    head.seq
                ),
            );
        }
        // A checkpoint no prune recorded was written by something else: what it hides below
        // it is not known to have been removed by retention.
        if checkpoint.is_some() && prune_event.is_none() {
            note(
                cut.saturating_add(1),
                format!(
                    "the log begins after a checkpoint (event {cut}) that no log.prune event names"
                ),
            );
        }
        Ok(ChainReport {
            events,
            first_break,
            checkpoint: checkpoint.map(|c| c.seq),
            prune_event,
        })
    }

    /// Checks that every stored key and value has its shape (see [`Store::check_entries`]),
    /// that the id counters are above what they count, that the stored counts equal a
    /// recount, that every index entry points at a live record and every record has its index
    /// entries, and that the audit chain verifies.
    /// Returns the problems found (empty when consistent); damaged data is itself reported as
    /// a problem, and only a storage fault stops the walk with an error.
    pub fn check_invariants(&self) -> Result<Vec<String>, StoreError> {
        let mut problems = Vec::new();
        self.check_entries(&mut problems)?;
        self.check_stored_text(&mut problems)?;
        let mut customer_ids = HashSet::new();
        let mut user_ids = HashSet::new();

        // Values that do not decode were reported by `check_entries`; here they are skipped.
        for item in self.customers() {
            let Some(customer) = soft(item)? else {
                continue;
            };
            customer_ids.insert(customer.id);
            match soft(self.customer_id_by_slug(customer.slug.as_str()))? {
                Some(Some(id)) if id == customer.id => {}
                None => {}
                Some(other) => problems.push(format!(
                    "customer {} has slug {} but the slug index says {other:?}",
                    customer.id, customer.slug
                )),
            }
            if let Some(d) = &customer.deleted {
                if !self.has(TreeName::TrashByTime, &keys::trash_key(d.at, customer.id))? {
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
            let Some((slug, id)) = soft(item)? else {
                continue;
            };
            match soft(self.customer(id))? {
                Some(Some(c)) if c.slug == slug => {}
                None => {}
                Some(_) => problems.push(format!(
                    "slug {slug} points at customer {id}, which does not have it"
                )),
            }
        }
        for item in self.trash_entries() {
            let Some((at, id)) = soft(item)? else {
                continue;
            };
            match soft(self.customer(id))? {
                Some(Some(c)) if c.deleted.as_ref().is_some_and(|d| d.at == at) => {}
                None => {}
                Some(_) => problems.push(format!(
                    "trash entry for customer {id} at {} has no trashed customer",
                    at.0
                )),
            }
        }
        for item in self.users() {
            let Some(user) = soft(item)? else {
                continue;
            };
            user_ids.insert(user.id);
            if soft(self.user_id_by_email(&user.email_key()))? != Some(Some(user.id)) {
                problems.push(format!("user {} is missing from the email index", user.id));
            }
            if let Some(unix) = &user.unix_user {
                if soft(self.user_id_by_unix(unix))? != Some(Some(user.id)) {
                    problems.push(format!(
                        "user {} is missing from the Unix user index",
                        user.id
                    ));
                }
            }
        }
        self.check_user_indexes(&mut problems)?;
        self.check_lookalike_index(&mut problems)?;
        self.check_pairs(&mut problems, &customer_ids, &user_ids)?;
        self.check_invitations(&mut problems)?;
        self.check_impersonations(&mut problems)?;
        self.check_user_groups(&mut problems)?;
        self.check_user_fields(&mut problems)?;
        if let Some(Some(provider)) = soft(self.provider_id())? {
            match soft(self.customer(provider))? {
                Some(Some(c)) if c.is_provider && c.deleted.is_none() => {}
                None => {}
                Some(_) => problems.push(format!(
                    "provider id {provider} is not a live provider customer"
                )),
            }
        }
        // A counter or record that does not decode was reported above.
        if let Some(differences) = soft(self.counter_differences())? {
            problems.extend(differences);
        }
        if let Some(differences) = soft(self.member_count_differences())? {
            problems.extend(differences);
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

    /// The email and Unix-user indexes point at users that have that email or account.
    fn check_user_indexes(&self, problems: &mut Vec<String>) -> Result<(), StoreError> {
        for (tree, what) in [
            (TreeName::UserEmailToId, "email"),
            (TreeName::UnixUserToId, "Unix user"),
        ] {
            for item in self.raw_entries(tree) {
                let (k, v) = item?;
                let Some(id) = soft(keys::read_u64(tree.as_str(), &v))? else {
                    continue;
                };
                let id = UserId(id);
                let key = String::from_utf8_lossy(&k).into_owned();
                match soft(self.user(id))? {
                    Some(Some(u)) => {
                        let matches = match tree {
                            TreeName::UserEmailToId => email_key(&u.email) == key,
                            _ => u.unix_user.as_deref() == Some(key.as_str()),
                        };
                        if !matches {
                            let key = display_safe(&key);
                            problems.push(format!("{what} index entry {key} points at user {id}, which does not have it"));
                        }
                    }
                    Some(None) => problems.push(format!(
                        "{what} index entry {} points at missing user {id}",
                        display_safe(&key)
                    )),
                    None => {}
                }
            }
        }
        Ok(())
    }

    /// Every user has its look-alike entry, and every entry points at a user whose email has
    /// that skeleton.
    fn check_lookalike_index(&self, problems: &mut Vec<String>) -> Result<(), StoreError> {
        for item in self.users() {
            let Some(user) = soft(item)? else {
                continue;
            };
            let key = keys::lookalike_key(
                &crate::domain::text::email_lookalike_key(&user.email),
                user.id,
            );
            if !self.has(TreeName::UserLookalike, &key)? {
                problems.push(format!(
                    "user {} is missing from the look-alike index",
                    user.id
                ));
            }
        }
        for item in self.raw_entries(TreeName::UserLookalike) {
            let (k, _) = item?;
            let Some((skeleton, id)) = soft(keys::read_lookalike("user_lookalike", &k))? else {
                continue;
            };
            match soft(self.user(id))? {
                Some(Some(u)) if crate::domain::text::email_lookalike_key(&u.email) == skeleton => {
                }
                Some(_) => problems.push(format!(
                    "look-alike index entry points at user {id}, whose email is not its"
                )),
                None => {}
            }
        }
        Ok(())
    }

    /// Memberships in both directions, the per-customer audit index and the import index.
    fn check_pairs(
        &self,
        problems: &mut Vec<String>,
        customer_ids: &HashSet<CustomerId>,
        user_ids: &HashSet<UserId>,
    ) -> Result<(), StoreError> {
        let cut = soft(self.audit_checkpoint())?
            .flatten()
            .map_or(0, |c| c.seq);
        let pairs = |tree: TreeName| {
            self.raw_entries(tree).filter_map(move |item| match item {
                Ok((k, _)) => keys::read_pair(tree.as_str(), &k).ok().map(Ok),
                Err(e) => Some(Err(e)),
            })
        };
        for item in pairs(TreeName::CustomerUsers) {
            let (c, u) = item?;
            if !customer_ids.contains(&CustomerId(c)) || !user_ids.contains(&UserId(u)) {
                problems.push(format!(
                    "membership {c}/{u} points at a missing customer or user"
                ));
            }
            if !self.has(TreeName::UserCustomers, &keys::pair_key(u, c))? {
                problems.push(format!("membership {c}/{u} has no reverse entry"));
            }
        }
        for item in pairs(TreeName::UserCustomers) {
            let (u, c) = item?;
            if !self.has(TreeName::CustomerUsers, &keys::pair_key(c, u))? {
                problems.push(format!("reverse membership {u}/{c} has no forward entry"));
            }
        }
        for item in pairs(TreeName::AuditByCustomer) {
            let (c, seq) = item?;
            match soft(self.audit_event(seq))? {
                Some(Some(e)) => {
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
                // An interrupted prune leaves index entries at or below its checkpoint.
                Some(None) if seq <= cut => {}
                Some(None) => {
                    problems.push(format!("audit index {c}/{seq} points at a missing event"))
                }
                None => {}
            }
        }
        for item in self.audit_oldest_first() {
            let (seq, event) = item?;
            let Some(event) = soft(event)? else {
                continue;
            };
            if let crate::domain::Actor::User { id, .. } = event.actor {
                if !self.has(TreeName::AuditByUser, &keys::pair_key(id.0, seq))? {
                    problems.push(format!("event {seq} is missing from its actor's index"));
                }
            }
        }
        for item in pairs(TreeName::AuditByUser) {
            let (u, seq) = item?;
            if seq > cut && !self.has(TreeName::Audit, &keys::u64_key(seq))? {
                problems.push(format!(
                    "user audit index {u}/{seq} points at a missing event"
                ));
            }
        }
        for item in pairs(TreeName::ImportCustomers) {
            let (import, c) = item?;
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
        Ok(())
    }

    fn has(&self, tree: TreeName, key: &[u8]) -> Result<bool, StoreError> {
        super::engine::guard(&self.path, || self.tree(tree).contains_key(key))?
            .map_err(|e| StoreError::from_sled(&self.path, e))
    }
}

/// Splits a read's outcome three ways: the value (`Some`), damaged data (`None`: the shape
/// pass, [`Store::check_entries`], reports every damaged key and value once), or a storage
/// fault, which stops the check.
pub(super) fn soft<T>(result: Result<T, StoreError>) -> Result<Option<T>, StoreError> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(err) if err.is_corruption() => Ok(None),
        Err(err) => Err(err),
    }
}
