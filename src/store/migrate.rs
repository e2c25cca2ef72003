//! Numbered migrations of the stored format, run by [`Store::open_at`] when a database of an
//! older schema version opens. Each migration rewrites what changed in batches, one
//! transaction and one flush per batch, and keeps its place in `meta.migration` in the same
//! transaction: a migration stopped by `kill -9` or a full disk goes on where it stopped at
//! the next open, and a value is never converted twice. The last transaction of a migration
//! sets the new schema version, drops the place and appends a `schema.migrate` event, so the
//! audit chain records every migration and still verifies.
//!
//! A migration reads older values through the frozen types of [`super::legacy`] and writes
//! the current domain types. It must keep every record and every field: what a newer field
//! cannot know gets a stated default. Nothing here applies a business rule.

use serde::{Deserialize, Serialize};

use super::legacy::{CustomerV3, CustomerV4, ServiceCatalogueV4, SettingsV1, UserV1};
use super::trees::meta_key;
use super::tx::abort;
use super::{SCHEMA_VERSION, Store, StoreError, TreeName, codec};
use crate::domain::{
    Actor, AuditAction, AuditEvent, CustomerRole, Membership, Timestamp, User, UserOrigin,
};

/// Values converted per transaction: small enough that a transaction stays quick, large
/// enough that 300 000 users take a few hundred flushes.
const BATCH: usize = 1_000;

/// Where a migration that has not finished stands (`meta.migration`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MigrationPlace {
    /// The schema version the migration leads to.
    pub to: u32,
    /// Index into the migration's list of trees.
    pub stage: u32,
    /// The last key converted in that tree.
    pub after: Option<Vec<u8>>,
    /// Entries converted (or indexed) so far, per stage.
    pub converted: Vec<u64>,
}

/// What one migration did, for the log and the audit event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationReport {
    pub from: u32,
    pub to: u32,
    pub summary: String,
}

/// One entry a stage writes.
type Write = (TreeName, Vec<u8>, Vec<u8>);

/// What a stage does with one entry (key, stored bytes): the entries to write, or why the
/// entry does not decode.
type Convert = fn(&[u8], &[u8]) -> Result<Vec<Write>, String>;

/// One tree a migration walks and what it writes for each entry: the entry's new form, or
/// entries of a new index.
struct Stage {
    tree: TreeName,
    convert: Convert,
    /// What the summary calls the entries converted, one and many.
    noun: (&'static str, &'static str),
}

struct Migration {
    to: u32,
    what: &'static str,
    stages: &'static [Stage],
    /// Entries computed from the whole database once the stages are done, written in the
    /// migration's last transaction with the new version (so there is nothing to resume), and
    /// what the summary calls them.
    finish: Option<(Compute, (&'static str, &'static str))>,
}

/// Reads the database (the process holds it alone while migrating) and returns what to write.
type Compute = fn(&Store) -> Result<Vec<Write>, StoreError>;

/// Every migration, in order; migration `to: N` turns version N-1 into N.
const MIGRATIONS: &[Migration] = &[
    Migration {
        to: 2,
        what: "users gain language, notifications, email verification, origin, creator, last \
           sign-in and password epoch; memberships gain a status and a start time; events \
           are indexed by the user who acted; settings gain mail and portal fields; users' \
           emails are indexed by their look-alike skeleton",
        stages: &[
            Stage {
                tree: TreeName::Users,
                convert: user_v1_to_v2,
                noun: ("user", "users"),
            },
            Stage {
                tree: TreeName::CustomerUsers,
                convert: membership_v1_to_v2,
                noun: ("membership", "memberships"),
            },
            Stage {
                tree: TreeName::Audit,
                convert: index_event_by_actor,
                noun: ("event indexed", "events indexed"),
            },
            Stage {
                tree: TreeName::Meta,
                convert: settings_v1_to_v2,
                noun: ("settings record", "settings records"),
            },
        ],
        finish: None,
    },
    Migration {
        to: 3,
        what: "what the database holds is counted, and the counts are kept with every change \
           from now on",
        stages: &[],
        finish: Some((counters_from_recount, ("counter", "counters"))),
    },
    Migration {
        to: 4,
        what: "customers gain a postal address and a website (both unset)",
        stages: &[Stage {
            tree: TreeName::Customers,
            convert: customer_v3_to_v4,
            noun: ("customer", "customers"),
        }],
        finish: None,
    },
    Migration {
        to: 5,
        what: "customers gain service overrides (none: every service inherited), a target \
           system (the first), a service plan (none), independence (managed by the provider) \
           and custom field values (none); the service catalogue numbers its services; each \
           customer's memberships are counted",
        stages: &[
            Stage {
                tree: TreeName::Customers,
                convert: customer_v4_to_v5,
                noun: ("customer", "customers"),
            },
            Stage {
                tree: TreeName::Meta,
                convert: catalogue_v4_to_v5,
                noun: ("service catalogue", "service catalogues"),
            },
        ],
        finish: Some((member_counts, ("member count", "member counts"))),
    },
];

/// A customer of version 3 keeps every field; the address and website start unset. Only the
/// record changes: its indexes and counters look at fields that stay as they were.
fn customer_v3_to_v4(key: &[u8], bytes: &[u8]) -> Result<Vec<Write>, String> {
    let old: CustomerV3 = codec::decode(bytes).map_err(|e| e.to_string())?;
    let new = CustomerV4 {
        id: old.id,
        name: old.name,
        slug: old.slug,
        kind: old.kind,
        status: old.status,
        language: old.language,
        owner: old.owner,
        contact_email: old.contact_email,
        contact_phone: old.contact_phone,
        is_provider: old.is_provider,
        created_at: old.created_at,
        updated_at: old.updated_at,
        deleted: old.deleted,
        postal_address: None,
        website: None,
    };
    let bytes = codec::encode(&new).map_err(|e| e.to_string())?;
    Ok(vec![(TreeName::Customers, key.to_vec(), bytes)])
}

/// A customer of version 4 keeps every field and gains what a customer from before accounts
/// in depth is: every service inherited from the catalogue, on the first system, no plan,
/// managed by the provider, no custom field values. Its status keeps its meaning (`pending`
/// is new; no stored customer has it).
fn customer_v4_to_v5(key: &[u8], bytes: &[u8]) -> Result<Vec<Write>, String> {
    let old: CustomerV4 = codec::decode(bytes).map_err(|e| e.to_string())?;
    let new = crate::domain::Customer {
        id: old.id,
        name: old.name,
        slug: old.slug,
        kind: old.kind,
        status: old.status,
        language: old.language,
        owner: old.owner,
        contact_email: old.contact_email,
        contact_phone: old.contact_phone,
        is_provider: old.is_provider,
        created_at: old.created_at,
        updated_at: old.updated_at,
        deleted: old.deleted,
        postal_address: old.postal_address,
        website: old.website,
        services: Vec::new(),
        system: crate::domain::systems::FIRST_SYSTEM,
        plan: None,
        independent: None,
        fields: Vec::new(),
    };
    let bytes = codec::encode(&new).map_err(|e| e.to_string())?;
    Ok(vec![(TreeName::Customers, key.to_vec(), bytes)])
}

/// A changed service catalogue of version 4 keeps its services, names, defaults and order,
/// and numbers them 1, 2, … in that order (no customer names a service yet). Every other
/// `meta` entry is left as it is (and not counted); an unchanged catalogue is not stored, and
/// the default one is numbered the same way.
fn catalogue_v4_to_v5(key: &[u8], bytes: &[u8]) -> Result<Vec<Write>, String> {
    if key != meta_key::SERVICES {
        return Ok(Vec::new());
    }
    let old: ServiceCatalogueV4 = codec::decode(bytes).map_err(|e| e.to_string())?;
    let mut new = crate::domain::services::ServiceCatalogue {
        services: Vec::new(),
        next_id: 1,
    };
    for def in old.services {
        new.push(def.name, def.default_on);
    }
    let bytes = codec::encode(&new).map_err(|e| e.to_string())?;
    Ok(vec![(TreeName::Meta, key.to_vec(), bytes)])
}

/// Every counter as a walk of the records finds it (`counters.rs`).
fn counters_from_recount(store: &Store) -> Result<Vec<Write>, StoreError> {
    // Migration 4 converts the customers after this one: they are still in their old form.
    Ok(store
        .recount_from(super::counters::CustomerForm::V3)?
        .iter()
        .map(|(counter, n)| (TreeName::Counters, counter.key(), keys_u64(n)))
        .collect())
}

/// Each customer's memberships, counted from `customer_users` (whose keys every version
/// shares), for `member_counts`.
fn member_counts(store: &Store) -> Result<Vec<Write>, StoreError> {
    Ok(store
        .recount_members()?
        .into_iter()
        .map(|(customer, n)| (TreeName::MemberCounts, keys_u64(customer), keys_u64(n)))
        .collect())
}

fn keys_u64(n: u64) -> Vec<u8> {
    super::keys::u64_key(n).to_vec()
}

/// A version-1 user keeps every field; the new ones get the defaults a user created before
/// they existed must have: language `en`, notifications on, email verified when the user is
/// active (they have signed in or been given a password), origin `staff` with no creator
/// recorded, never signed in (unknown), password epoch 0.
fn user_v1_to_v2(key: &[u8], bytes: &[u8]) -> Result<Vec<Write>, String> {
    let old: UserV1 = codec::decode(bytes).map_err(|e| e.to_string())?;
    let verified = old.status == crate::domain::UserStatus::Active;
    let mut user = User::new(
        old.id,
        old.email,
        old.first_name,
        old.last_name,
        old.created_at,
    );
    user.status = old.status;
    user.password_hash = old.password_hash;
    user.staff_role = old.staff_role;
    user.unix_user = old.unix_user;
    user.updated_at = old.updated_at;
    user.email_verified = verified;
    user.origin = UserOrigin::Staff;
    let new = codec::encode(&user).map_err(|e| e.to_string())?;
    let skeleton = crate::domain::text::email_lookalike_key(&user.email);
    Ok(vec![
        (TreeName::Users, key.to_vec(), new),
        (
            TreeName::UserLookalike,
            super::keys::lookalike_key(&skeleton, user.id),
            Vec::new(),
        ),
    ])
}

/// A version-1 membership (a bare role) is in force; its start is not known, so it gets the
/// start of time (shown as unknown).
fn membership_v1_to_v2(key: &[u8], bytes: &[u8]) -> Result<Vec<Write>, String> {
    let role: CustomerRole = codec::decode(bytes).map_err(|e| e.to_string())?;
    let new = codec::encode(&Membership::active(role, Timestamp(0))).map_err(|e| e.to_string())?;
    Ok(vec![(TreeName::CustomerUsers, key.to_vec(), new)])
}

/// The settings keep their retention; the mail and portal settings start unset. Every other
/// `meta` entry is left as it is (and not counted).
fn settings_v1_to_v2(key: &[u8], bytes: &[u8]) -> Result<Vec<Write>, String> {
    if key != meta_key::SETTINGS {
        return Ok(Vec::new());
    }
    let old: SettingsV1 = codec::decode(bytes).map_err(|e| e.to_string())?;
    let new = crate::domain::Settings {
        trash_retention_days: old.trash_retention_days,
        ..crate::domain::Settings::default()
    };
    let bytes = codec::encode(&new).map_err(|e| e.to_string())?;
    Ok(vec![(TreeName::Meta, key.to_vec(), bytes)])
}

/// Every event a user did gets its entry in `audit_by_user`, as events written since do
/// (the users an event concerns beyond its actor were not recorded before version 2). The
/// event itself is not touched: its bytes and hash stay as they were.
fn index_event_by_actor(key: &[u8], bytes: &[u8]) -> Result<Vec<Write>, String> {
    let event: AuditEvent = codec::decode(bytes).map_err(|e| e.to_string())?;
    let seq = super::keys::read_u64("audit", key).map_err(|e| e.to_string())?;
    Ok(match event.actor {
        Actor::User { id, .. } => vec![(
            TreeName::AuditByUser,
            super::keys::pair_key(id.0, seq).to_vec(),
            Vec::new(),
        )],
        Actor::System => Vec::new(),
    })
}

impl Store {
    /// Brings a database of schema version `found` up to [`SCHEMA_VERSION`], one numbered
    /// migration at a time, resuming one that stopped. `now` dates the audit events.
    pub(crate) fn migrate(
        &self,
        found: u32,
        now: Timestamp,
    ) -> Result<Vec<MigrationReport>, StoreError> {
        let mut reports = Vec::new();
        for migration in MIGRATIONS.iter().filter(|m| m.to > found) {
            if migration.to > SCHEMA_VERSION {
                break;
            }
            reports.push(self.run_migration(migration, now)?);
        }
        Ok(reports)
    }

    fn run_migration(
        &self,
        migration: &Migration,
        now: Timestamp,
    ) -> Result<MigrationReport, StoreError> {
        let mut place = match self.migration_place()? {
            Some(place) if place.to == migration.to => place,
            _ => MigrationPlace {
                to: migration.to,
                stage: 0,
                after: None,
                converted: vec![0; migration.stages.len()],
            },
        };
        tracing::info!(
            to = migration.to,
            stage = place.stage,
            "migrating the database"
        );
        while let Some(stage) = migration.stages.get(place.stage as usize) {
            let keys = self.keys_after(stage.tree, place.after.as_deref(), BATCH)?;
            let next = if keys.len() < BATCH {
                MigrationPlace {
                    stage: place.stage.saturating_add(1),
                    after: None,
                    ..place.clone()
                }
            } else {
                MigrationPlace {
                    after: keys.last().cloned(),
                    ..place.clone()
                }
            };
            self.transact(|tx| {
                let mut count = 0u64;
                for key in &keys {
                    let Some(bytes) = tx.view(stage.tree).get(key)? else {
                        continue;
                    };
                    let writes = (stage.convert)(key, &bytes).map_err(|reason| {
                        abort(StoreError::corrupt(stage.tree.as_str(), key, reason))
                    })?;
                    if !writes.is_empty() {
                        count = count.saturating_add(1);
                    }
                    for (tree, key, value) in writes {
                        tx.put_raw(tree, &key, &value)?;
                    }
                }
                let mut next = next.clone();
                if let Some(n) = next.converted.get_mut(place.stage as usize) {
                    *n = n.saturating_add(count);
                }
                tx.put(TreeName::Meta, meta_key::MIGRATION, &next)?;
                Ok(next)
            })
            .map(|next| place = next)?;
            self.flush()?;
        }
        let mut counts: Vec<String> = migration
            .stages
            .iter()
            .zip(&place.converted)
            .map(|(stage, n)| {
                let noun = if *n == 1 { stage.noun.0 } else { stage.noun.1 };
                format!("{n} {noun}")
            })
            .collect();
        let finish = match &migration.finish {
            Some((compute, (one, many))) => {
                let writes = compute(self)?;
                let noun = if writes.len() == 1 { one } else { many };
                counts.push(format!("{} {noun}", writes.len()));
                writes
            }
            None => Vec::new(),
        };
        let from = migration.to.saturating_sub(1);
        let summary = format!(
            "schema version {from} → {}: {} ({})",
            migration.to,
            migration.what,
            counts.join(", ")
        );
        self.transact(|tx| {
            tx.put(TreeName::Meta, meta_key::SCHEMA_VERSION, &migration.to)?;
            tx.remove(TreeName::Meta, meta_key::MIGRATION)?;
            for (tree, key, value) in &finish {
                tx.put_raw(*tree, key, value)?;
            }
            tx.append_audit(AuditEvent {
                seq: 0,
                at: now,
                actor: Actor::System,
                impersonating: None,
                customer: None,
                action: AuditAction::SchemaMigrate.as_str().to_owned(),
                summary: summary.clone(),
                prev_hash: [0; 32],
                hash: [0; 32],
            })?;
            Ok::<_, super::TxError<StoreError>>(())
        })?;
        self.flush()?;
        tracing::info!(%summary, "database migrated");
        Ok(MigrationReport {
            from,
            to: migration.to,
            summary,
        })
    }

    fn migration_place(&self) -> Result<Option<MigrationPlace>, StoreError> {
        let meta = self.tree(TreeName::Meta);
        let found = super::engine::guard(&self.path, || meta.get(meta_key::MIGRATION))?
            .map_err(|e| StoreError::from_sled(&self.path, e))?;
        found
            .map(|bytes| {
                codec::decode(&bytes)
                    .map_err(|e| StoreError::corrupt("meta", meta_key::MIGRATION, e))
            })
            .transpose()
    }

    /// Up to `limit` keys of `tree` after `after` (from the start without it), in key order.
    fn keys_after(
        &self,
        tree: TreeName,
        after: Option<&[u8]>,
        limit: usize,
    ) -> Result<Vec<Vec<u8>>, StoreError> {
        use std::ops::Bound;
        let start = match after {
            Some(key) => Bound::Excluded(key.to_vec()),
            None => Bound::Unbounded,
        };
        let items = self
            .tree(tree)
            .range::<Vec<u8>, _>((start, Bound::Unbounded))
            .keys();
        let mut out = Vec::new();
        for key in super::engine::Guarded::new(&self.path, items).take(limit) {
            out.push(
                key.map_err(|e| StoreError::from_sled(&self.path, e))?
                    .to_vec(),
            );
        }
        Ok(out)
    }
}
