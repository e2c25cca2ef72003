//! Customer commands before their transaction: validation of every raw text field into its
//! clean form, the new owner's password hashing (slow, so never inside a transaction) and the
//! scans a purge needs (sled transactions cannot scan). Nothing here writes.

use super::{CustomerChanges, NewCustomer};
use crate::domain::customer::{
    clean_contact_email, clean_customer_name, clean_language, clean_phone, clean_postal_address,
    clean_website,
};
use crate::domain::text::{clean_email, email_key};
use crate::domain::user::{check_password_policy, clean_person_name};
use crate::domain::{
    CustomerId, CustomerKind, CustomerStatus, Slug, UserId, ValidationError, slugify,
};
use crate::service::auth::hash_password;
use crate::service::{Service, ServiceError};

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
    pub postal_address: Option<String>,
    pub website: Option<String>,
    /// The target system's name as given (found in the transaction).
    pub system: Option<String>,
    /// Custom field values, raw: the schema checks them in the transaction.
    pub fields: Vec<(String, String)>,
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
    pub postal_address: Option<Option<String>>,
    pub website: Option<Option<String>>,
    /// Custom field values, raw: the schema checks them in the transaction.
    pub fields: Vec<(String, String)>,
}

/// What a purge will remove, read before its transaction and re-checked inside it.
pub(crate) struct PurgePlan {
    pub slug: String,
    pub id: CustomerId,
    /// Members, each with whether it will be left with no membership and no staff role.
    pub members: Vec<(UserId, bool)>,
    /// Imports that recorded creating this customer.
    pub imports: Vec<u64>,
    /// Invitations into this customer, and those of members the purge removes.
    pub invitations: Vec<crate::domain::InvitationId>,
    /// Reset tokens of the members the purge removes.
    pub reset_tokens: Vec<[u8; 32]>,
}

/// An optional text field where empty means "clear".
pub(crate) fn clearable<F>(
    raw: &Option<String>,
    clean: F,
) -> Result<Option<Option<String>>, ValidationError>
where
    F: Fn(&str) -> Result<String, ValidationError>,
{
    match raw {
        None => Ok(None),
        Some(text) if text.trim().is_empty() => Ok(Some(None)),
        Some(text) => Ok(Some(Some(clean(text)?))),
    }
}

/// Validates every field of an edit into its clean form; every refused field is reported at
/// once (D68).
pub(crate) fn prepare_edit(
    slug: String,
    changes: CustomerChanges,
) -> Result<PreparedEdit, ServiceError> {
    let name = changes.name.as_deref().map(clean_customer_name).transpose();
    let new_slug = changes
        .slug
        .as_deref()
        .map(|s| Slug::parse("slug", s.trim()))
        .transpose();
    let language = changes.language.as_deref().map(clean_language).transpose();
    let contact_email = clearable(&changes.contact_email, clean_contact_email);
    let contact_phone = clearable(&changes.contact_phone, clean_phone);
    let postal_address = clearable(&changes.postal_address, clean_postal_address);
    let website = clearable(&changes.website, clean_website);
    ServiceError::from_problems([
        name.as_ref().err(),
        new_slug.as_ref().err(),
        language.as_ref().err(),
        contact_email.as_ref().err(),
        contact_phone.as_ref().err(),
        postal_address.as_ref().err(),
        website.as_ref().err(),
    ])?;
    Ok(PreparedEdit {
        slug,
        name: name?,
        new_slug: new_slug?,
        kind: changes.kind,
        language: language?,
        contact_email: contact_email?,
        contact_phone: contact_phone?,
        postal_address: postal_address?,
        website: website?,
        fields: changes.fields,
    })
}

impl Service {
    /// Refuses to make the customer `slug` individual while it has users beside its owner or
    /// invitations: an individual customer's only user is its owner.
    pub(crate) fn refuse_individual_with_people(&self, slug: &str) -> Result<(), ServiceError> {
        let Some(id) = self.store.customer_id_by_slug(slug.trim())? else {
            return Ok(());
        };
        let owner = self.store.customer(id)?.and_then(|c| c.owner);
        let others = self
            .store
            .members_of(id)?
            .into_iter()
            .filter(|(user, _)| Some(*user) != owner)
            .count();
        let invitations = self.store.invitations_of(id)?.len();
        if others + invitations > 0 {
            return Err(ServiceError::Refused(format!(
                "\"{}\" has {others} user(s) besides its owner and {invitations} invitation(s); an individual customer's only user is its owner, so remove them first",
                crate::domain::text::preview(slug.trim())
            )));
        }
        Ok(())
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
        let orphans: Vec<UserId> = members
            .iter()
            .filter(|(_, orphan)| *orphan)
            .map(|(id, _)| *id)
            .collect();
        let invitations = self.invitations_concerning(Some(id), &orphans)?;
        let reset_tokens = self.reset_tokens_of(&orphans)?;
        Ok(PurgePlan {
            reset_tokens,
            slug: slug.trim().to_owned(),
            id,
            members,
            imports,
            invitations,
        })
    }

    /// The invitations into `customer` and those of `users` (a scan of every invitation:
    /// a revoked invitation elsewhere still names its user).
    pub(crate) fn invitations_concerning(
        &self,
        customer: Option<CustomerId>,
        users: &[UserId],
    ) -> Result<Vec<crate::domain::InvitationId>, ServiceError> {
        let mut out = Vec::new();
        for inv in self.store.invitations() {
            let inv = inv?;
            if Some(inv.customer) == customer || users.contains(&inv.user) {
                out.push(inv.id);
            }
        }
        Ok(out)
    }
}

/// An optional text field of a new record: empty or absent is `None`, otherwise cleaned.
fn optional<F>(raw: Option<&str>, clean: F) -> Result<Option<String>, ValidationError>
where
    F: Fn(&str) -> Result<String, ValidationError>,
{
    raw.filter(|s| !s.trim().is_empty()).map(clean).transpose()
}

/// Validates every field of a new customer into its clean form; every refused field is
/// reported at once, in the order of the fields (D68), before the owner's password is hashed.
pub(crate) fn prepare_customer(new: NewCustomer) -> Result<PreparedCustomer, ServiceError> {
    let name = clean_customer_name(&new.name);
    let slug = match new.slug.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(given) => Slug::parse("slug", given),
        // A name refused already says why there is no slug.
        None => name.clone().and_then(|n| slugify("name", &n)),
    };
    let language = match new.language.as_deref() {
        Some(l) => clean_language(l),
        None => Ok("en".to_owned()),
    };
    let contact_email = optional(new.contact_email.as_deref(), clean_contact_email);
    let contact_phone = optional(new.contact_phone.as_deref(), clean_phone);
    let postal_address = optional(new.postal_address.as_deref(), clean_postal_address);
    let website = optional(new.website.as_deref(), clean_website);
    let owner = new.owner.map(|spec| {
        let email = clean_email("owner email", &spec.email);
        let first_name = optional(spec.first_name.as_deref(), |n| {
            clean_person_name("owner first name", n)
        });
        let last_name = optional(spec.last_name.as_deref(), |n| {
            clean_person_name("owner last name", n)
        });
        let policy = match (&spec.password, &email, &first_name, &last_name) {
            (Some(pw), Ok(e), Ok(Some(f)), Ok(Some(l))) => check_password_policy(pw, e, f, l)
                .map_err(|mut e| {
                    e.field = "owner password".into();
                    e
                }),
            _ => Ok(()),
        };
        (spec.password, email, first_name, last_name, policy)
    });
    let owner_problems = owner.iter().flat_map(|(_, e, f, l, p)| {
        [
            e.as_ref().err(),
            f.as_ref().err(),
            l.as_ref().err(),
            p.as_ref().err(),
        ]
    });
    ServiceError::from_problems(
        [
            name.as_ref().err(),
            slug.as_ref().err(),
            language.as_ref().err(),
        ]
        .into_iter()
        .chain(owner_problems)
        .chain([
            contact_email.as_ref().err(),
            contact_phone.as_ref().err(),
            postal_address.as_ref().err(),
            website.as_ref().err(),
        ]),
    )?;
    let owner = match owner {
        None => None,
        Some((password, email, first_name, last_name, _)) => {
            let (email, first_name, last_name) = (email?, first_name?, last_name?);
            let password_hash = match (&password, &first_name, &last_name) {
                (Some(pw), Some(_), Some(_)) => Some(hash_password(pw)?),
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
        name: name?,
        slug: slug?,
        kind: new.kind,
        status: new.status.unwrap_or(CustomerStatus::Pending),
        language: language?,
        owner,
        contact_email: contact_email?,
        contact_phone: contact_phone?,
        postal_address: postal_address?,
        website: website?,
        system: new.system,
        fields: new.fields,
    })
}
