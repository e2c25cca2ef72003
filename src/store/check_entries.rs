//! The shape pass of `check` and `restore`: every key of every tree has its length, every
//! value decodes as its tree's type (settings and counters in `meta` included), records sit
//! under their own id, and each counter is above everything it counts. A backup with valid
//! checksums can carry any bytes at all, so nothing here trusts a stored number.
//!
//! It reports problems as text and never repairs anything; the audit tree is left to
//! [`Store::verify_chain`], which decodes every event on its walk.

use serde::de::DeserializeOwned;

use super::trees::meta_key;
use super::tx::AuditHead;
use super::{SCHEMA_VERSION, Store, StoreError, TreeName, codec};
use crate::domain::import::ImportRecord;
use crate::domain::settings::MAX_RETENTION_DAYS;
use crate::domain::user::SignInFailures;
use crate::domain::{Customer, Membership, Settings, User};

/// What a tree's keys look like.
#[derive(Clone, Copy)]
enum KeyShape {
    /// A fixed number of bytes (ids, pairs).
    Fixed(usize),
    /// Non-empty UTF-8 text (slugs, emails, Unix accounts).
    Text,
    /// An 8-byte id followed by non-empty UTF-8 text (a customer and an email).
    IdAndText,
    /// UTF-8 text, a 0 byte and an 8-byte id (a skeleton and a user).
    TextAndId,
    /// The key of a [`super::counters::Counter`].
    Counter,
}

/// What a tree's values look like.
#[derive(Clone, Copy)]
enum ValueShape {
    Empty,
    BareId,
    Customer,
    User,
    Membership,
    Failures,
    Import,
    Invitation,
    ResetToken,
    ResetRequests,
    Impersonation,
    UserGroups,
    UserFields,
    /// `meta`: a different type per key.
    Meta,
    /// Left to another check.
    Unchecked,
}

fn shape(tree: TreeName) -> (KeyShape, ValueShape) {
    use KeyShape::{Fixed, IdAndText, Text, TextAndId};
    match tree {
        TreeName::Customers => (Fixed(8), ValueShape::Customer),
        TreeName::Users => (Fixed(8), ValueShape::User),
        TreeName::CustomerSlugToId | TreeName::UserEmailToId | TreeName::UnixUserToId => {
            (Text, ValueShape::BareId)
        }
        TreeName::CustomerUsers => (Fixed(16), ValueShape::Membership),
        TreeName::UserCustomers
        | TreeName::TrashByTime
        | TreeName::AuditByCustomer
        | TreeName::AuditByUser
        | TreeName::ImportCustomers => (Fixed(16), ValueShape::Empty),
        TreeName::Audit => (Fixed(8), ValueShape::Unchecked),
        TreeName::SignInFailures => (Text, ValueShape::Failures),
        TreeName::Meta => (Text, ValueShape::Meta),
        TreeName::Imports => (Fixed(8), ValueShape::Import),
        TreeName::Invitations => (Fixed(8), ValueShape::Invitation),
        TreeName::InvitationTokenToId => (Fixed(32), ValueShape::BareId),
        TreeName::CustomerInvitations => (IdAndText, ValueShape::BareId),
        TreeName::ResetTokens => (Fixed(32), ValueShape::ResetToken),
        TreeName::ResetRequests => (Text, ValueShape::ResetRequests),
        TreeName::UserLookalike => (TextAndId, ValueShape::Empty),
        TreeName::Impersonations => (Fixed(8), ValueShape::Impersonation),
        TreeName::Counters => (KeyShape::Counter, ValueShape::BareId),
        TreeName::MemberCounts => (Fixed(8), ValueShape::BareId),
        TreeName::UserGroups => (Fixed(8), ValueShape::UserGroups),
        TreeName::UserFields => (Fixed(8), ValueShape::UserFields),
    }
}

/// The largest ids found, for the counter checks.
#[derive(Default)]
struct Largest {
    id: u64,
    import_id: u64,
}

impl Store {
    /// Walks every entry of every tree and reports each key or value that does not have its
    /// tree's shape, each record stored under another record's id, and each counter that is
    /// not above the ids it has handed out. Only a storage fault is an error.
    pub fn check_entries(&self, problems: &mut Vec<String>) -> Result<(), StoreError> {
        let mut largest = Largest::default();
        let mut counters = Counters::default();
        for tree in TreeName::ALL {
            let (key_shape, value_shape) = shape(tree);
            for item in self.raw_entries(tree) {
                let (key, value) = item?;
                let name = tree.as_str();
                let key_ok = match key_shape {
                    KeyShape::Fixed(len) => key.len() == len,
                    KeyShape::Text => !key.is_empty() && std::str::from_utf8(&key).is_ok(),
                    KeyShape::IdAndText => key.len() > 8 && std::str::from_utf8(&key[8..]).is_ok(),
                    KeyShape::TextAndId => super::keys::read_lookalike(tree.as_str(), &key).is_ok(),
                    KeyShape::Counter => super::counters::Counter::from_key(&key).is_ok(),
                };
                if !key_ok {
                    let why = match key_shape {
                        KeyShape::Fixed(len) => format!("key is not {len} bytes"),
                        KeyShape::Text => "key is not non-empty UTF-8".to_owned(),
                        KeyShape::IdAndText => "key is not an id and text".to_owned(),
                        KeyShape::TextAndId => "key is not a skeleton, 0 and an id".to_owned(),
                        KeyShape::Counter => "key names no counter".to_owned(),
                    };
                    problems.push(StoreError::corrupt(name, &key, why).to_string());
                    continue;
                }
                let check = Entry {
                    tree,
                    key: &key,
                    value: &value,
                };
                let result = match value_shape {
                    ValueShape::Empty if value.is_empty() => Ok(()),
                    ValueShape::Empty => Err(check.bad("index entry is not empty")),
                    ValueShape::BareId if value.len() == 8 => Ok(()),
                    ValueShape::BareId => Err(check.bad("id is not 8 bytes")),
                    ValueShape::Customer => check.decode::<Customer>().and_then(|c| {
                        largest.id = largest.id.max(c.id.0);
                        check.own_id(c.id.0)
                    }),
                    ValueShape::User => check.decode::<User>().and_then(|u| {
                        largest.id = largest.id.max(u.id.0);
                        check.own_id(u.id.0)
                    }),
                    ValueShape::Membership => check.decode::<Membership>().map(drop),
                    ValueShape::Failures => check.decode::<SignInFailures>().map(drop),
                    ValueShape::Import => check.decode::<ImportRecord>().and_then(|r| {
                        largest.import_id = largest.import_id.max(r.id);
                        check.own_id(r.id)
                    }),
                    ValueShape::Invitation => {
                        check.decode::<crate::domain::Invitation>().and_then(|i| {
                            largest.id = largest.id.max(i.id.0);
                            check.own_id(i.id.0)
                        })
                    }
                    ValueShape::ResetToken => check.decode::<crate::domain::ResetToken>().map(drop),
                    ValueShape::ResetRequests => {
                        check.decode::<crate::domain::ResetRequests>().map(drop)
                    }
                    ValueShape::Impersonation => check
                        .decode::<crate::domain::Impersonation>()
                        .and_then(|i| check.own_id(i.id)),
                    ValueShape::UserGroups => check
                        .decode::<crate::domain::groups::UserGroups>()
                        .and_then(|g| numbered(&check, g.groups.iter().map(|g| g.id), g.next_id)),
                    ValueShape::UserFields => check
                        .decode::<Vec<crate::domain::fields::FieldValue>>()
                        .map(drop),
                    ValueShape::Meta => counters.read(&check),
                    ValueShape::Unchecked => Ok(()),
                };
                if let Err(problem) = result {
                    problems.push(problem);
                }
            }
        }
        counters.compare(&largest, problems);
        Ok(())
    }
}

/// One stored entry under examination.
struct Entry<'a> {
    tree: TreeName,
    key: &'a [u8],
    value: &'a [u8],
}

impl Entry<'_> {
    fn bad(&self, reason: impl std::fmt::Display) -> String {
        StoreError::corrupt(self.tree.as_str(), self.key, reason).to_string()
    }

    fn decode<T: DeserializeOwned>(&self) -> Result<T, String> {
        codec::decode(self.value).map_err(|e| self.bad(e))
    }

    /// A record must sit under its own id: a copy elsewhere would shadow another record.
    fn own_id(&self, id: u64) -> Result<(), String> {
        if self.key == id.to_be_bytes() {
            Ok(())
        } else {
            Err(self.bad(format!("the record says it is id {id}")))
        }
    }
}

/// A numbered settings list (services, systems, plans, fields) hands out each number once:
/// every number is unique and below the next one.
fn numbered(entry: &Entry<'_>, ids: impl Iterator<Item = u32>, next: u32) -> Result<(), String> {
    let mut seen = std::collections::HashSet::new();
    for id in ids {
        if id >= next || !seen.insert(id) {
            return Err(entry.bad(format!(
                "number {id} is given twice or not below the next ({next})"
            )));
        }
    }
    Ok(())
}

/// The counters read from `meta` (absent means never used: both start at 1).
#[derive(Default)]
struct Counters {
    next_id: Option<u64>,
    next_import_id: Option<u64>,
}

impl Counters {
    /// Decodes one `meta` value by its key; an unknown key is a problem too.
    fn read(&mut self, entry: &Entry<'_>) -> Result<(), String> {
        match entry.key {
            meta_key::SCHEMA_VERSION => match entry.decode::<u32>()? {
                SCHEMA_VERSION => Ok(()),
                other => Err(entry.bad(format!(
                    "schema version {other} is not this build's {SCHEMA_VERSION}"
                ))),
            },
            meta_key::SETTINGS => {
                let settings = entry.decode::<Settings>()?;
                let days = settings.trash_retention_days;
                if (1..=MAX_RETENTION_DAYS).contains(&days) {
                    Ok(())
                } else {
                    Err(entry.bad(format!(
                        "trash retention of {days} days is outside 1 to {MAX_RETENTION_DAYS}"
                    )))
                }
            }
            meta_key::IMPERSONATION => {
                let limit = entry
                    .decode::<crate::domain::ImpersonationSettings>()?
                    .max_minutes;
                let most = crate::domain::settings::MAX_IMPERSONATION_MINUTES;
                if (1..=most).contains(&limit) {
                    Ok(())
                } else {
                    Err(entry.bad(format!(
                        "impersonation limit of {limit} minutes is outside 1 to {most}"
                    )))
                }
            }
            meta_key::AUDIT_SETTINGS => match entry
                .decode::<crate::domain::AuditSettings>()?
                .retention_days
            {
                Some(d)
                    if !(crate::domain::settings::MIN_AUDIT_RETENTION_DAYS
                        ..=crate::domain::settings::MAX_AUDIT_RETENTION_DAYS)
                        .contains(&d) =>
                {
                    Err(entry.bad(format!("audit retention of {d} days is out of range")))
                }
                _ => Ok(()),
            },
            meta_key::AUDIT_CHECKPOINT => entry
                .decode::<super::audit_prune::AuditCheckpoint>()
                .map(drop),
            meta_key::AUDIT_SWEPT => entry.decode::<u64>().map(drop),
            meta_key::SERVICES => {
                let c = entry.decode::<crate::domain::services::ServiceCatalogue>()?;
                numbered(entry, c.services.iter().map(|s| s.id.0), c.next_id)
            }
            meta_key::SYSTEMS => {
                let c = entry.decode::<crate::domain::systems::SystemList>()?;
                if c.systems.iter().all(|s| s.removed) {
                    return Err(entry.bad("no system can be chosen"));
                }
                numbered(entry, c.systems.iter().map(|s| s.id.0), c.next_id)
            }
            meta_key::PLANS => {
                let c = entry.decode::<crate::domain::plans::PlanList>()?;
                numbered(entry, c.plans.iter().map(|p| p.id.0), c.next_id)
            }
            meta_key::FIELDS => {
                let c = entry.decode::<crate::domain::fields::FieldSchema>()?;
                numbered(entry, c.fields.iter().map(|f| f.id.0), c.next_id)
            }
            meta_key::PROVIDER_ID => entry.decode::<u64>().map(drop),
            meta_key::AUDIT_HEAD => entry.decode::<AuditHead>().map(drop),
            // A counter that does not decode is reported once, here, and not compared.
            meta_key::NEXT_ID => {
                let next = entry.decode::<u64>();
                self.next_id = Some(next.clone().unwrap_or(u64::MAX));
                next.map(drop)
            }
            meta_key::NEXT_IMPORT_ID => {
                let next = entry.decode::<u64>();
                self.next_import_id = Some(next.clone().unwrap_or(u64::MAX));
                next.map(drop)
            }
            _ => Err(entry.bad("unknown meta key")),
        }
    }

    /// Each counter must be above every id it has handed out, or the next allocation would
    /// hand out an id in use and overwrite that record.
    fn compare(&self, largest: &Largest, problems: &mut Vec<String>) {
        let pairs = [
            ("id counter", self.next_id, largest.id),
            ("import id counter", self.next_import_id, largest.import_id),
        ];
        for (what, counter, max) in pairs {
            let next = counter.unwrap_or(1);
            if max >= next {
                problems.push(format!(
                    "{what} {next} is not above the largest id {max} in use"
                ));
            } else if next == u64::MAX {
                // Only a damaged or forged value gets here (it takes 2^64 ids): the next
                // allocation could not move the counter on.
                problems.push(format!("{what} {next} is at its maximum and cannot grow"));
            }
        }
    }
}
