//! Reads: plain rows with paging done close to the data, so the first rows of a listing never
//! wait for the rest. Any staff member may read customers; the log (in `log_queries.rs`)
//! needs "view logs". Each
//! read re-reads who acts ([`Service::acting`]) before checking what they may see; front ends
//! reach these through [`Query`](super::query::Query) values.

use serde::{Deserialize, Serialize};

pub use super::log_queries::LogQuery;
use super::query::{Cursor, DatabaseSummary, ListImports, ListStaff, Page, SlugTaken};
use super::query::{page_of, page_rows};
use super::rows::{CustomerDetail, CustomerRow, MemberRow, StaffRow};
use super::{ImportRow, Service, ServiceError, Session};
use crate::domain::fields::FieldSchema;
use crate::domain::{Customer, CustomerKind, CustomerRole, CustomerStatus, Privilege, Settings};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CustomerQuery {
    /// List the trash instead of live customers.
    pub trash: bool,
    /// Case-insensitive text looked for in name, slug and owner email.
    pub filter: Option<String>,
    /// Only customers with this status.
    pub status: Option<CustomerStatus>,
    /// Only customers of this type.
    pub kind: Option<CustomerKind>,
    /// Matching rows to skip first (the CLI's `--offset`).
    pub offset: usize,
    /// Rows wanted: all for [`Service::list_customers`]; one page (at most
    /// [`MAX_PAGE_ROWS`](super::query::MAX_PAGE_ROWS)) for a query.
    pub limit: Option<usize>,
    /// Start after this position, from the previous page.
    pub after: Option<Cursor>,
}

/// True when `needle` (already lowercase) occurs in the row's name, slug or owner email.
pub fn row_matches(row: &CustomerRow, needle: &str) -> bool {
    needle.is_empty()
        || row.name.to_lowercase().contains(needle)
        || row.slug.contains(needle)
        || row
            .owner_email
            .as_deref()
            .is_some_and(|e| e.to_lowercase().contains(needle))
}

impl Service {
    fn row_for(
        &self,
        session: &Session,
        customer: &Customer,
        settings: &Settings,
        schema: &FieldSchema,
    ) -> Result<CustomerRow, ServiceError> {
        let owner = match customer.owner {
            Some(id) => self.store.user(id)?,
            None => None,
        };
        Ok(CustomerRow::new(
            customer,
            owner.as_ref(),
            settings.trash_retention_days,
            schema,
            session,
        ))
    }

    /// Customers in slug order, streamed: live ones, or with `trash` the trashed ones.
    pub fn list_customers<'a>(
        &'a self,
        session: &Session,
        query: &CustomerQuery,
    ) -> Result<impl Iterator<Item = Result<CustomerRow, ServiceError>> + 'a, ServiceError> {
        let session = &self.acting(session)?;
        session.require_staff("listing customers")?;
        self.require_initialised()?;
        let settings = self.store.settings()?;
        let schema: FieldSchema = self.store.catalogue()?;
        let needle = query
            .filter
            .as_deref()
            .map(str::to_lowercase)
            .unwrap_or_default();
        let (trash, status, kind) = (query.trash, query.status, query.kind);
        // Each row says what this session may do; the stream outlives the borrow.
        let session = session.clone();
        // Slugs are printable ASCII, so the first key after `slug` is `slug` + NUL.
        let from = Cursor::slug(query.after.as_ref())?
            .map(|slug| format!("{slug}\0"))
            .unwrap_or_default();
        let rows = self
            .store
            .slugs_from(&from)
            .map(move |item| -> Result<Option<CustomerRow>, ServiceError> {
                let (_, id) = item?;
                let Some(customer) = self.store.customer(id)? else {
                    return Ok(None);
                };
                let excluded = customer.is_trashed() != trash
                    || status.is_some_and(|s| s != customer.status)
                    || kind.is_some_and(|k| k != customer.kind);
                if excluded {
                    return Ok(None);
                }
                let row = self.row_for(&session, &customer, &settings, &schema)?;
                Ok(row_matches(&row, &needle).then_some(row))
            })
            .filter_map(Result::transpose)
            .skip(query.offset)
            .take(query.limit.unwrap_or(usize::MAX));
        Ok(rows)
    }

    /// One page of customers in slug order, with the cursor to the next.
    pub fn customers_page(
        &self,
        session: &Session,
        query: &CustomerQuery,
    ) -> Result<Page<CustomerRow>, ServiceError> {
        let limit = page_rows(query.limit);
        let wanted = CustomerQuery {
            limit: Some(limit.saturating_add(1)),
            ..query.clone()
        };
        let rows = self
            .list_customers(session, &wanted)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(page_of(rows, limit, |r| Cursor::after_slug(&r.slug)))
    }

    /// Customers stored, live and trashed; a full scan of the customers tree.
    pub fn customer_count(&self, session: &Session) -> Result<u64, ServiceError> {
        let session = &self.acting(session)?;
        session.require_staff("counting customers")?;
        Ok(self.store.customer_count() as u64)
    }

    /// Where the database is and how much it holds.
    pub fn describe(&self, session: &Session) -> Result<DatabaseSummary, ServiceError> {
        let session = &self.acting(session)?;
        session.require_staff("describing the database")?;
        Ok(DatabaseSummary {
            path: self.store.path().display().to_string(),
            customers: self.store.customer_count() as u64,
            audit_events: self.store.audit_count() as u64,
        })
    }

    /// One customer with its members, by slug (live or trashed).
    pub fn show_customer(
        &self,
        session: &Session,
        slug: &str,
    ) -> Result<CustomerDetail, ServiceError> {
        let session = &self.acting(session)?;
        self.read_scope(
            session,
            "showing a customer",
            CustomerRole::Member,
            Some(slug),
            |s| s.require_staff("showing a customer"),
        )?;
        let id = self
            .store
            .customer_id_by_slug(slug.trim())?
            .ok_or_else(|| ServiceError::not_found("customer", slug))?;
        // Members of a customer see its profile, not its people.
        let sees_people = match session.customer_scope() {
            Some((_, role)) => role.at_least(CustomerRole::Moderator),
            None => true,
        };
        let customer = self
            .store
            .customer(id)?
            .ok_or_else(|| ServiceError::not_found("customer", slug))?;
        let settings = self.store.settings()?;
        let schema: FieldSchema = self.store.catalogue()?;
        let mut members = Vec::new();
        let people = if sees_people {
            self.store.members_of(id)?
        } else {
            Vec::new()
        };
        let scoped = session.customer_scope().is_some();
        for (user_id, membership) in people {
            if let Some(user) = self.store.user(user_id)? {
                let owner = customer.owner == Some(user_id);
                let mut row = MemberRow::new(&user, membership.role, owner);
                // An invited person is, to the customer, what the invitation says.
                if scoped && membership.status == crate::domain::MembershipStatus::Pending {
                    let key = crate::domain::text::email_key(&user.email);
                    if let Some(inv) = self.store.invitation_for(id, &key)? {
                        if let Some(inv) = self.store.invitation(inv)? {
                            row.name = format!("{} {}", inv.first_name, inv.last_name);
                        }
                    }
                    row.status = crate::domain::UserStatus::Invited.as_str().to_owned();
                }
                members.push(row);
            }
        }
        Ok(CustomerDetail {
            row: self.row_for(session, &customer, &settings, &schema)?,
            members,
            audit_events: self.store.audit_seqs_for(id).count() as u64,
            account: self.account_view(session, &customer)?,
            groups: if sees_people {
                self.group_rows(&customer)?
            } else {
                Vec::new()
            },
            fields: super::field_values::shown(
                &schema,
                crate::domain::fields::FieldTarget::Customers,
                &customer.fields,
                session.is_customer_side(),
            ),
        })
    }

    /// Staff members in id order.
    pub fn list_staff(&self, session: &Session) -> Result<Vec<StaffRow>, ServiceError> {
        let session = &self.acting(session)?;
        session.require_staff("listing staff")?;
        let mut rows = Vec::new();
        for user in self.store.users() {
            let user = user?;
            if user.staff_role.is_some() {
                rows.push(StaffRow::new(&user));
            }
        }
        Ok(rows)
    }

    /// One page of staff members in id order.
    pub fn staff_page(
        &self,
        session: &Session,
        query: &ListStaff,
    ) -> Result<Page<StaffRow>, ServiceError> {
        let session = &self.acting(session)?;
        session.require_staff("listing staff")?;
        let limit = page_rows(query.limit);
        let after = Cursor::user(query.after.as_ref())?.map(crate::domain::UserId);
        let mut found = Vec::new();
        for user in self.store.users_after(after) {
            let user = user?;
            if user.staff_role.is_some() {
                found.push((user.id.0, StaffRow::new(&user)));
                if found.len() > limit {
                    break;
                }
            }
        }
        let page = page_of(found, limit, |(id, _)| Cursor::after_user(*id));
        Ok(Page {
            rows: page.rows.into_iter().map(|(_, row)| row).collect(),
            next: page.next,
        })
    }

    /// One page of imports, newest first.
    pub fn imports_page(
        &self,
        session: &Session,
        query: &ListImports,
    ) -> Result<Page<ImportRow>, ServiceError> {
        let limit = page_rows(query.limit);
        let before = Cursor::import(query.before.as_ref())?;
        let rows: Vec<ImportRow> = self
            .list_imports(session)?
            .into_iter()
            .filter(|r| before.is_none_or(|b| r.id < b))
            .take(limit + 1)
            .collect();
        Ok(page_of(rows, limit, |r| Cursor::before_import(r.id)))
    }

    /// Checks the whole database: every index entry against its record and back, every
    /// stored value decodes, and the audit chain. Returns the problems found (empty when
    /// consistent). Reads only, but for the damage record: problems found are recorded as
    /// damage (later writes are refused), and a check that finds none removes an earlier
    /// record.
    pub fn check_database(&self, session: &Session) -> Result<Vec<String>, ServiceError> {
        let session = &self.acting(session)?;
        session.require(Privilege::ViewLogs, "checking the database")?;
        let problems = self.store.check_invariants()?;
        match problems.first() {
            Some(first) if problems.len() == 1 => self
                .store
                .record_damage(&format!("check found 1 problem: {first}")),
            Some(first) => self.store.record_damage(&format!(
                "check found {} problems, first: {first}",
                problems.len()
            )),
            None => {
                self.store.clear_damage()?;
            }
        }
        Ok(problems)
    }

    /// The value of a setting, as text.
    pub fn get_setting(&self, session: &Session, key: &str) -> Result<String, ServiceError> {
        let session = &self.acting(session)?;
        session.require_staff("reading settings")?;
        match key.trim() {
            "trash.retention_days" => Ok(self.store.settings()?.trash_retention_days.to_string()),
            "company.name" => {
                let id = self
                    .store
                    .provider_id()?
                    .ok_or_else(|| ServiceError::not_found("provider company", ""))?;
                Ok(self.store.customer(id)?.map(|c| c.name).unwrap_or_default())
            }
            "mail.from" => Ok(self.store.settings()?.mail_from.unwrap_or_default()),
            "mail.outbox" => Ok(self.store.settings()?.mail_outbox.unwrap_or_default()),
            "portal.url" => Ok(self.store.settings()?.portal_url.unwrap_or_default()),
            "impersonation.max_minutes" => {
                Ok(self.store.impersonation_settings()?.max_minutes.to_string())
            }
            "audit.retention_days" => Ok(self
                .store
                .audit_settings()?
                .retention_days
                .map_or_else(|| "off".to_owned(), |d| d.to_string())),
            "impersonation.notify" => Ok(if self.store.impersonation_settings()?.notify {
                "on".into()
            } else {
                "off".into()
            }),
            other => Err(crate::domain::settings::unknown_setting_key(other).into()),
        }
    }
}

impl Service {
    /// Writes a backup of the whole database. Backups hold password hashes, so only staff
    /// who may manage settings (owners) can take one.
    pub fn backup(
        &self,
        session: &Session,
        file: &std::path::Path,
        overwrite: bool,
        sign_with: Option<&crate::store::backup_sign::SigningKey>,
    ) -> Result<crate::store::backup::BackupSummary, ServiceError> {
        let session = &self.acting(session)?;
        session.require(Privilege::ManageSettings, "backup")?;
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        Ok(self.store.write_backup(file, overwrite, sign_with)?)
    }

    /// Rebuilds a backup into the empty directory `target` and verifies it (invariants, audit
    /// chain, and the signature when `verify_with` is given); on failure nothing is left at
    /// `target`.
    pub fn restore(
        file: &std::path::Path,
        target: &std::path::Path,
        options: &crate::store::StoreOptions,
        verify_with: Option<&crate::store::backup_sign::VerifyingKey>,
    ) -> Result<(Self, crate::store::backup::BackupSummary), ServiceError> {
        let (store, summary) =
            crate::store::Store::restore_backup(file, target, options, verify_with)?;
        Ok((
            Self::new(store, std::sync::Arc::new(super::SystemClock)),
            summary,
        ))
    }
}

/// Look-ups the importer needs to judge a row before anything is written.
impl Service {
    /// The name of the customer holding `slug`, and whether it is in the trash.
    pub fn slug_holder(
        &self,
        session: &Session,
        slug: &str,
    ) -> Result<Option<SlugTaken>, ServiceError> {
        let session = &self.acting(session)?;
        session.require_staff("looking up a slug")?;
        let Some(id) = self.store.customer_id_by_slug(slug)? else {
            return Ok(None);
        };
        Ok(self.store.customer(id)?.map(|c| SlugTaken {
            trashed: c.is_trashed(),
            name: c.name,
        }))
    }

    /// True when a user has this email (case-insensitive).
    pub fn user_exists(&self, session: &Session, email: &str) -> Result<bool, ServiceError> {
        let session = &self.acting(session)?;
        session.require_staff("looking up an email")?;
        Ok(self
            .store
            .user_id_by_email(&crate::domain::text::email_key(email))?
            .is_some())
    }
}
