//! The work a command needs before its transaction: permission checks, validation of every
//! raw text field into its clean form, password hashing (slow, so never inside a transaction)
//! and the scans a purge needs (sled transactions cannot scan). Staff commands are prepared in
//! `prepare_staff.rs`.

use super::auth::hash_password;
use super::{Command, Service, ServiceError, Session};
use crate::domain::customer::{
    clean_contact_email, clean_customer_name, clean_language, clean_phone,
};
use crate::domain::settings::{parse_retention_days, unknown_setting_key};
use crate::domain::text::{clean_email, email_key};
use crate::domain::user::{check_password_policy, clean_person_name};
use crate::domain::{CustomerId, CustomerKind, CustomerStatus, Privilege, Slug, UserId, slugify};

pub(crate) struct PreparedOwner {
    pub email: String,
    pub email_key: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub password_hash: Option<String>,
}

pub(crate) struct PreparedCustomer {
    pub name: String,
    pub slug: Slug,
    pub kind: CustomerKind,
    pub status: CustomerStatus,
    pub language: String,
    pub owner: Option<PreparedOwner>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
}

pub(crate) struct PreparedEdit {
    pub slug: String,
    pub name: Option<String>,
    pub new_slug: Option<Slug>,
    pub kind: Option<CustomerKind>,
    pub language: Option<String>,
    /// `Some(None)` clears the field.
    pub contact_email: Option<Option<String>>,
    pub contact_phone: Option<Option<String>>,
}

/// What a purge will remove, read before its transaction and re-checked inside it.
pub(crate) struct PurgePlan {
    pub slug: String,
    pub id: CustomerId,
    /// Members, each with whether it will be left with no membership and no staff role.
    pub members: Vec<(UserId, bool)>,
    /// Imports that recorded creating this customer.
    pub imports: Vec<u64>,
}

pub(crate) use super::prepare_staff::{PreparedStaff, PreparedStaffEdit};

pub(crate) enum Prepared {
    AddCustomer(PreparedCustomer),
    EditCustomer(PreparedEdit),
    SetStatus {
        slug: String,
        status: CustomerStatus,
    },
    SoftDelete {
        slug: String,
    },
    Restore {
        slug: String,
    },
    Purge(PurgePlan),
    SetRetention(u32),
    SetCompanyName(String),
    AddStaff(PreparedStaff),
    EditStaff(PreparedStaffEdit),
    DisableStaff {
        email_key: String,
        other_owners: Vec<crate::domain::UserId>,
    },
    EnableStaff {
        email_key: String,
    },
    StartImport {
        start: super::imports::ImportStart,
        resume: Option<u64>,
    },
    ImportCustomers {
        import_id: u64,
        customers: Vec<PreparedCustomer>,
    },
    FinishImport {
        import_id: u64,
        already: u64,
        skipped: u64,
    },
}

/// An optional text field where empty means "clear".
pub(crate) fn clearable<F>(
    raw: &Option<String>,
    clean: F,
) -> Result<Option<Option<String>>, ServiceError>
where
    F: Fn(&str) -> Result<String, crate::domain::ValidationError>,
{
    match raw {
        None => Ok(None),
        Some(text) if text.trim().is_empty() => Ok(Some(None)),
        Some(text) => Ok(Some(Some(clean(text)?))),
    }
}

impl Service {
    pub(crate) fn check_permission(
        &self,
        session: &Session,
        command: &Command,
    ) -> Result<(), ServiceError> {
        let action = command.action();
        match command {
            Command::AddCustomer(_)
            | Command::EditCustomer { .. }
            | Command::SetCustomerStatus { .. }
            | Command::SoftDeleteCustomer { .. }
            | Command::RestoreCustomer { .. } => {
                session.require(Privilege::ManageCustomers, action)
            }
            Command::PurgeCustomer { .. } | Command::PurgeExpired => {
                session.require(Privilege::Purge, action)
            }
            Command::SetSetting { .. } => session.require(Privilege::ManageSettings, action),
            Command::AddStaff(_)
            | Command::EditStaff { .. }
            | Command::DisableStaff { .. }
            | Command::EnableStaff { .. } => session.require(Privilege::ManageStaff, action),
            Command::StartImport(_)
            | Command::ImportCustomers { .. }
            | Command::FinishImport { .. } => session.require(Privilege::ManageCustomers, action),
        }
    }

    pub(crate) fn prepare(
        &self,
        session: &Session,
        command: Command,
    ) -> Result<Prepared, ServiceError> {
        Ok(match command {
            Command::AddCustomer(new) => {
                let customer = prepare_customer(new)?;
                if let Some(owner) = &customer.owner {
                    self.refuse_lookalike_email("owner email", &owner.email)?;
                }
                Prepared::AddCustomer(customer)
            }
            Command::EditCustomer { slug, changes } => Prepared::EditCustomer(PreparedEdit {
                slug,
                name: changes
                    .name
                    .as_deref()
                    .map(clean_customer_name)
                    .transpose()?,
                new_slug: changes
                    .slug
                    .as_deref()
                    .map(|s| Slug::parse("slug", s.trim()))
                    .transpose()?,
                kind: changes.kind,
                language: changes
                    .language
                    .as_deref()
                    .map(clean_language)
                    .transpose()?,
                contact_email: clearable(&changes.contact_email, clean_contact_email)?,
                contact_phone: clearable(&changes.contact_phone, clean_phone)?,
            }),
            Command::SetCustomerStatus { slug, status } => Prepared::SetStatus { slug, status },
            Command::SoftDeleteCustomer { slug } => Prepared::SoftDelete { slug },
            Command::RestoreCustomer { slug } => Prepared::Restore { slug },
            Command::PurgeCustomer { slug } => Prepared::Purge(self.plan_purge(&slug)?),
            Command::PurgeExpired => {
                return Err(ServiceError::Refused(
                    "purge-expired runs on its own".into(),
                ));
            }
            Command::SetSetting { key, value } => match key.trim() {
                "trash.retention_days" => Prepared::SetRetention(parse_retention_days(&value)?),
                "company.name" => Prepared::SetCompanyName(clean_customer_name(&value)?),
                other => return Err(unknown_setting_key(other).into()),
            },
            Command::AddStaff(new) => {
                let staff = self.prepare_add_staff(session, new)?;
                self.refuse_lookalike_email("email", &staff.email)?;
                Prepared::AddStaff(staff)
            }
            Command::EditStaff { email, changes } => {
                Prepared::EditStaff(self.prepare_edit_staff(session, &email, changes)?)
            }
            Command::StartImport(start) => Prepared::StartImport {
                resume: self.running_import(session, &start.sha256)?,
                start,
            },
            Command::ImportCustomers {
                import_id,
                customers,
            } => Prepared::ImportCustomers {
                import_id,
                customers: customers
                    .into_iter()
                    .map(prepare_customer)
                    .collect::<Result<_, _>>()?,
            },
            Command::FinishImport {
                import_id,
                already,
                skipped,
            } => Prepared::FinishImport {
                import_id,
                already,
                skipped,
            },
            Command::EnableStaff { email } => {
                let key = email_key(email.trim());
                self.refuse_owner_change_by_non_owner(session, &key)?;
                Prepared::EnableStaff { email_key: key }
            }
            Command::DisableStaff { email } => {
                let key = email_key(email.trim());
                self.refuse_owner_change_by_non_owner(session, &key)?;
                Prepared::DisableStaff {
                    other_owners: self.other_owners_who_can_sign_in(&key)?,
                    email_key: key,
                }
            }
        })
    }

    /// Reads what purging `slug` will remove. Refuses the provider and live customers here
    /// too, so the message is the same as from inside the transaction.
    pub(crate) fn plan_purge(&self, slug: &str) -> Result<PurgePlan, ServiceError> {
        let id = self
            .store
            .customer_id_by_slug(slug.trim())?
            .ok_or_else(|| ServiceError::not_found("customer", slug))?;
        let mut members = Vec::new();
        for (user_id, _) in self.store.members_of(id)? {
            let others = self
                .store
                .customers_of(user_id)?
                .into_iter()
                .filter(|c| *c != id)
                .count();
            let staff = self
                .store
                .user(user_id)?
                .is_some_and(|u| u.staff_role.is_some());
            members.push((user_id, others == 0 && !staff));
        }
        let mut imports = Vec::new();
        for record in self.store.imports() {
            let record = record?;
            if self.store.import_created(record.id, id)? {
                imports.push(record.id);
            }
        }
        Ok(PurgePlan {
            slug: slug.trim().to_owned(),
            id,
            members,
            imports,
        })
    }
}

pub(crate) fn prepare_customer(
    new: crate::service::NewCustomer,
) -> Result<PreparedCustomer, ServiceError> {
    let name = clean_customer_name(&new.name)?;
    let slug = match new.slug.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(given) => Slug::parse("slug", given)?,
        None => slugify("name", &name)?,
    };
    let owner = match new.owner {
        None => None,
        Some(spec) => {
            let email = clean_email("owner email", &spec.email)?;
            let first_name = spec
                .first_name
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|n| clean_person_name("owner first name", n))
                .transpose()?;
            let last_name = spec
                .last_name
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|n| clean_person_name("owner last name", n))
                .transpose()?;
            let password_hash = match (&spec.password, &first_name, &last_name) {
                (Some(pw), Some(f), Some(l)) => {
                    check_password_policy(pw, &email, f, l).map_err(|mut e| {
                        e.field = "owner password".into();
                        e
                    })?;
                    Some(hash_password(pw)?)
                }
                _ => None,
            };
            Some(PreparedOwner {
                email_key: email_key(&email),
                email,
                first_name,
                last_name,
                password_hash,
            })
        }
    };
    Ok(PreparedCustomer {
        name,
        slug,
        kind: new.kind,
        status: new.status,
        language: match new.language.as_deref() {
            Some(l) => clean_language(l)?,
            None => "en".to_owned(),
        },
        owner,
        contact_email: new
            .contact_email
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(clean_contact_email)
            .transpose()?,
        contact_phone: new
            .contact_phone
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(clean_phone)
            .transpose()?,
    })
}
