//! User commands before their transaction: validating names, emails and languages, and the
//! scans a transaction cannot make (a user's memberships, a customer's other
//! administrators). The transaction re-reads everything read here. Nothing here writes.

use super::{NewUser, UserChanges};
use crate::domain::customer::clean_language;
use crate::domain::text::{clean_email, email_key};
use crate::domain::user::clean_person_name;
use crate::domain::{CustomerId, CustomerRole, UserId, UserOrigin};
use crate::service::{Service, ServiceError, Session};

pub(crate) struct PreparedUser {
    pub customer: String,
    pub email: String,
    pub email_key: String,
    pub first_name: String,
    pub last_name: String,
    pub role: CustomerRole,
    pub language: Option<String>,
    pub origin: UserOrigin,
    /// Custom field values, raw: the schema checks them in the transaction.
    pub fields: Vec<(String, String)>,
}

pub(crate) struct PreparedUserEdit {
    pub email_key: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub language: Option<String>,
    pub notifications: Option<bool>,
    /// The customer (slug) whose role changes, the new role, and that customer's other
    /// active administrators (read before the transaction).
    pub role: Option<RoleChange>,
    /// Custom field values, raw: the schema checks them in the transaction.
    pub fields: Vec<(String, String)>,
}

pub(crate) struct RoleChange {
    pub customer: String,
    pub role: CustomerRole,
    pub other_admins: Vec<UserId>,
}

pub(crate) struct PreparedDelete {
    pub email_key: String,
    /// The customers the user belongs to, read before the transaction.
    pub customers: Vec<CustomerId>,
    /// The user's invitations, read before the transaction.
    pub invitations: Vec<crate::domain::InvitationId>,
    /// The hashes of the user's password-reset tokens, removed with the user.
    pub reset_tokens: Vec<[u8; 32]>,
    /// Per customer of the user, its other active administrators (the last one stays).
    pub other_admins: Vec<(CustomerId, Vec<UserId>)>,
}

pub(crate) struct PreparedRemove {
    pub email_key: String,
    pub customer: String,
    /// The customer's other active administrators, read before the transaction.
    pub other_admins: Vec<UserId>,
}

/// The one refusal a customer's administrator gets for an address that already has an
/// account or looks like one: it names no other account and no other tenant.
pub(crate) fn not_here() -> ServiceError {
    crate::domain::ValidationError::new(
        "email",
        "this address cannot be added here; ask the provider's staff",
    )
    .into()
}

/// The lookup key of an email as typed.
pub(crate) fn key(email: &str) -> Result<String, ServiceError> {
    let text = email.trim();
    if text.is_empty() {
        return Err(crate::domain::ValidationError::new("email", "is empty").into());
    }
    Ok(email_key(text))
}

pub(crate) fn add(
    service: &Service,
    session: &Session,
    new: NewUser,
) -> Result<PreparedUser, ServiceError> {
    let email = clean_email("email", &new.email);
    let first_name = clean_person_name("first name", &new.first_name);
    let last_name = clean_person_name("last name", &new.last_name);
    let language = new.language.as_deref().map(clean_language).transpose();
    // Every problem of the input at once, each naming its field, as the customer forms do.
    ServiceError::from_problems([
        email.as_ref().err(),
        first_name.as_ref().err(),
        last_name.as_ref().err(),
        language.as_ref().err(),
    ])?;
    let (Ok(email), Ok(first_name), Ok(last_name), Ok(language)) =
        (email, first_name, last_name, language)
    else {
        return Err(ServiceError::Refused("the new user is not valid".into()));
    };
    let origin = match session.customer_scope() {
        Some(_) => UserOrigin::CustomerAdmin,
        None => UserOrigin::Staff,
    };
    match (service.refuse_lookalike_email("email", &email), origin) {
        (Ok(()), _) => {}
        // A customer's administrator is not told whose account another tenant's address
        // looks like.
        (Err(_), UserOrigin::CustomerAdmin) => return Err(not_here()),
        (Err(e), _) => return Err(e),
    }
    Ok(PreparedUser {
        customer: new.customer.trim().to_owned(),
        email_key: email_key(&email),
        email,
        first_name,
        last_name,
        role: new.role,
        language,
        origin,
        fields: new.fields,
    })
}

pub(crate) fn edit(
    service: &Service,
    _session: &Session,
    email: &str,
    changes: UserChanges,
) -> Result<PreparedUserEdit, ServiceError> {
    let email_key = key(email)?;
    let role = match (changes.role, changes.customer) {
        (Some(role), Some(customer)) => Some(RoleChange {
            other_admins: service.other_admins(customer.trim(), &email_key)?,
            customer: customer.trim().to_owned(),
            role,
        }),
        (Some(_), None) => {
            return Err(crate::domain::ValidationError::new(
                "customer",
                "a role belongs to one customer: name it with the role",
            )
            .into());
        }
        (None, _) => None,
    };
    Ok(PreparedUserEdit {
        email_key,
        first_name: changes
            .first_name
            .as_deref()
            .map(|n| clean_person_name("first name", n))
            .transpose()?,
        last_name: changes
            .last_name
            .as_deref()
            .map(|n| clean_person_name("last name", n))
            .transpose()?,
        language: changes
            .language
            .as_deref()
            .map(clean_language)
            .transpose()?,
        notifications: changes.notifications,
        role,
        fields: changes.fields,
    })
}

pub(crate) fn delete(service: &Service, email: &str) -> Result<PreparedDelete, ServiceError> {
    let email_key = key(email)?;
    let Some(id) = service.store().user_id_by_email(&email_key)? else {
        return Ok(PreparedDelete {
            email_key,
            customers: Vec::new(),
            invitations: Vec::new(),
            reset_tokens: Vec::new(),
            other_admins: Vec::new(),
        });
    };
    let customers = service.store().customers_of(id)?;
    let mut other_admins = Vec::new();
    for customer in &customers {
        other_admins.push((*customer, service.other_admins_of(*customer, Some(id))?));
    }
    Ok(PreparedDelete {
        email_key,
        invitations: service.invitations_concerning(None, &[id])?,
        reset_tokens: service.reset_tokens_of(&[id])?,
        customers,
        other_admins,
    })
}

pub(crate) fn remove(
    service: &Service,
    email: &str,
    customer: &str,
) -> Result<PreparedRemove, ServiceError> {
    let email_key = key(email)?;
    Ok(PreparedRemove {
        other_admins: service.other_admins(customer.trim(), &email_key)?,
        email_key,
        customer: customer.trim().to_owned(),
    })
}

impl Service {
    /// The active administrators of the customer `slug` other than the user with
    /// `email_key` (empty when the customer does not exist: the transaction reports that).
    fn other_admins(&self, slug: &str, email_key: &str) -> Result<Vec<UserId>, ServiceError> {
        let Some(customer) = self.store().customer_id_by_slug(slug)? else {
            return Ok(Vec::new());
        };
        let me = self.store().user_id_by_email(email_key)?;
        self.other_admins_of(customer, me)
    }

    /// The active administrators of `customer` other than `me`.
    pub(crate) fn other_admins_of(
        &self,
        customer: CustomerId,
        me: Option<UserId>,
    ) -> Result<Vec<UserId>, ServiceError> {
        Ok(self
            .store()
            .members_of(customer)?
            .into_iter()
            .filter(|(id, m)| {
                Some(*id) != me && m.in_force() && m.role == CustomerRole::Administrator
            })
            .map(|(id, _)| id)
            .collect())
    }
}

impl Service {
    /// The hashes of every password-reset token of `users` (a scan of the reset tokens, which
    /// live an hour at most).
    pub(crate) fn reset_tokens_of(&self, users: &[UserId]) -> Result<Vec<[u8; 32]>, ServiceError> {
        let mut out = Vec::new();
        for item in self.store().reset_tokens() {
            let (hash, token) = item?;
            if users.contains(&token.user) {
                out.push(hash);
            }
        }
        Ok(out)
    }
}
