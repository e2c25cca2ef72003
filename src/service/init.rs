//! Initialising a database: the provider company and the first staff owner, in one audited
//! transaction. Refused when the database already has a provider.

use serde::{Deserialize, Serialize};

use super::auth::hash_password;
use super::customers::customer_ref;
use super::{Ctx, Service, ServiceError, Session, fail, record};
use crate::domain::customer::clean_customer_name;
use crate::domain::text::clean_email;
use crate::domain::user::{check_password_policy, clean_person_name, clean_unix_user};
use crate::domain::{
    Customer, CustomerId, CustomerKind, CustomerRole, CustomerStatus, Membership, StaffRole, User,
    UserId, UserStatus, slugify,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitRequest {
    pub company: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub password: String,
    /// The Unix account signed in as this owner without a password.
    pub unix_user: Option<String>,
}

impl Service {
    /// Refuses when the database already has a provider company.
    pub fn refuse_if_initialised(&self) -> Result<(), ServiceError> {
        if let Some(id) = self.store.provider_id()? {
            let name = self.store.customer(id)?.map(|c| c.name).unwrap_or_default();
            return Err(ServiceError::AlreadyInitialised {
                company: crate::domain::text::display_safe(&name),
            });
        }
        Ok(())
    }

    /// Creates the provider company and its first owner; returns the owner's session.
    pub fn init(&self, req: &InitRequest) -> Result<Session, ServiceError> {
        // Every refused field at once, in the setup form's order (D68).
        let company = clean_customer_name(&req.company).map_err(|mut e| {
            e.field = "company".into();
            e
        });
        let slug = company.clone().and_then(|c| slugify("company", &c));
        let email = clean_email("email", &req.email);
        let first_name = clean_person_name("first name", &req.first_name);
        let last_name = clean_person_name("last name", &req.last_name);
        let policy = match (&email, &first_name, &last_name) {
            (Ok(e), Ok(f), Ok(l)) => check_password_policy(&req.password, e, f, l),
            _ => Ok(()),
        };
        let unix_user = req.unix_user.as_deref().map(clean_unix_user).transpose();
        ServiceError::from_problems([
            company.as_ref().err(),
            slug.as_ref().err(),
            email.as_ref().err(),
            first_name.as_ref().err(),
            last_name.as_ref().err(),
            policy.as_ref().err(),
            unix_user.as_ref().err(),
        ])?;
        let (company, slug, email) = (company?, slug?, email?);
        let (first_name, last_name, unix_user) = (first_name?, last_name?, unix_user?);
        self.refuse_if_initialised()?;
        let hash = hash_password(&req.password)?;
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let now = self.now();
        let session = self.store.transact(|tx| {
            if tx.provider_id()?.is_some() {
                return fail(ServiceError::AlreadyInitialised {
                    company: company.clone(),
                });
            }
            let user_id = UserId(tx.next_id()?);
            let company_id = CustomerId(tx.next_id()?);
            let mut user = User::new(
                user_id,
                email.clone(),
                first_name.clone(),
                last_name.clone(),
                now,
            );
            user.status = UserStatus::Active;
            user.password_hash = Some(hash.clone());
            user.staff_role = Some(StaffRole::Owner);
            user.unix_user = unix_user.clone();
            let provider = Customer {
                id: company_id,
                name: company.clone(),
                slug: slug.clone(),
                kind: CustomerKind::Corporate,
                status: CustomerStatus::Active,
                language: "en".into(),
                owner: Some(user_id),
                contact_email: None,
                contact_phone: None,
                is_provider: true,
                created_at: now,
                updated_at: now,
                deleted: None,
                postal_address: None,
                website: None,
                services: Vec::new(),
                system: crate::domain::systems::FIRST_SYSTEM,
                plan: None,
                independent: None,
                fields: Vec::new(),
            };
            tx.save_user(&user)?;
            tx.save_customer(&provider)?;
            tx.put_membership(
                company_id,
                user_id,
                Membership::active(CustomerRole::Administrator, now),
            )?;
            tx.put_provider_id(company_id)?;
            tx.put_settings(&crate::domain::Settings::default())?;
            let session = Session::staff(&user).ok_or_else(|| {
                crate::store::abort(ServiceError::Refused("the first owner is not staff".into()))
            })?;
            let ctx = Ctx {
                session: &session,
                now,
            };
            let link = unix_user
                .as_deref()
                .map(|u| format!(", linked to Unix user {u}"))
                .unwrap_or_default();
            let summary =
                format!("initialised: provider company created, first owner {email}{link}");
            record(
                tx,
                &ctx,
                Some(customer_ref(&provider)),
                crate::domain::AuditAction::PlatformInit,
                summary,
            )?;
            Ok(session)
        })?;
        self.store.flush()?;
        Ok(session)
    }
}
