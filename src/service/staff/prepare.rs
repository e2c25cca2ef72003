//! Staff commands before their transaction: validating names, emails and Unix account names,
//! the password policy and hashing (slow, so never inside a transaction), the rule that only
//! an owner may touch an owner's account, and the other owners who can sign in (a scan the
//! transaction cannot do; it re-reads each of them).

use super::apply::owner_who_can_sign_in;
use super::{NewStaff, StaffChanges};
use crate::domain::text::{clean_email, email_key};
use crate::domain::user::{check_password_policy, clean_person_name, clean_unix_user};
use crate::domain::{StaffRole, UserId};
use crate::service::auth::hash_password;
use crate::service::customers::clearable;
use crate::service::{Service, ServiceError, Session};

pub(crate) struct PreparedStaff {
    pub email: String,
    pub email_key: String,
    pub first_name: String,
    pub last_name: String,
    pub role: StaffRole,
    pub unix_user: Option<String>,
    pub password_hash: Option<String>,
}

pub(crate) struct PreparedStaffEdit {
    pub email_key: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub role: Option<StaffRole>,
    /// `Some(None)` removes the link.
    pub unix_user: Option<Option<String>>,
    pub password_hash: Option<String>,
    /// Owners other than this user who could sign in, read before the transaction.
    pub other_owners: Vec<UserId>,
}

impl Service {
    pub(crate) fn prepare_add_staff(
        &self,
        session: &Session,
        new: NewStaff,
    ) -> Result<PreparedStaff, ServiceError> {
        let email = clean_email("email", &new.email)?;
        let first_name = clean_person_name("first name", &new.first_name)?;
        let last_name = clean_person_name("last name", &new.last_name)?;
        if new.role == StaffRole::Owner && session.staff_role() != Some(StaffRole::Owner) {
            return Err(ServiceError::Refused(
                "only an owner can add another owner".into(),
            ));
        }
        let password_hash = match &new.password {
            Some(pw) => {
                check_password_policy(pw, &email, &first_name, &last_name)?;
                Some(hash_password(pw)?)
            }
            None => None,
        };
        Ok(PreparedStaff {
            email_key: email_key(&email),
            email,
            first_name,
            last_name,
            role: new.role,
            unix_user: new
                .unix_user
                .as_deref()
                .map(|u| self.linkable(u))
                .transpose()?,
            password_hash,
        })
    }

    pub(crate) fn prepare_edit_staff(
        &self,
        session: &Session,
        email: &str,
        changes: StaffChanges,
    ) -> Result<PreparedStaffEdit, ServiceError> {
        let key = email_key(email.trim());
        self.refuse_owner_change_by_non_owner(session, &key)?;
        if changes.role == Some(StaffRole::Owner) && session.staff_role() != Some(StaffRole::Owner)
        {
            return Err(ServiceError::Refused(
                "only an owner can make another owner".into(),
            ));
        }
        let clean_name = |field: &str, value: &Option<String>| {
            value
                .as_deref()
                .map(|n| clean_person_name(field, n))
                .transpose()
        };
        let first_name = clean_name("first name", &changes.first_name)?;
        let last_name = clean_name("last name", &changes.last_name)?;
        let password_hash = match &changes.password {
            Some(pw) => {
                let user = self.staff_by_email(&key)?;
                check_password_policy(
                    pw,
                    &user.email,
                    first_name.as_deref().unwrap_or(&user.first_name),
                    last_name.as_deref().unwrap_or(&user.last_name),
                )?;
                Some(hash_password(pw)?)
            }
            None => None,
        };
        Ok(PreparedStaffEdit {
            other_owners: self.other_owners_who_can_sign_in(&key)?,
            email_key: key,
            first_name,
            last_name,
            role: changes.role,
            unix_user: clearable(&changes.unix_user, |u| self.linkable(u))?,
            password_hash,
        })
    }

    /// A Unix account name that is well formed and exists on this machine: a link to a
    /// missing account would make an owner look "able to sign in" when nobody can.
    fn linkable(&self, raw: &str) -> Result<String, crate::domain::ValidationError> {
        let name = clean_unix_user(raw)?;
        if !self.unix_account_exists(&name) {
            return Err(crate::domain::ValidationError::new(
                "unix-user",
                format!(
                    "there is no Unix account \"{}\" on this machine",
                    crate::domain::text::preview(&name)
                ),
            ));
        }
        Ok(name)
    }

    /// Only an owner may change an owner's account (role, password, Unix link, status), so
    /// no lesser role can take an owner's place.
    pub(crate) fn refuse_owner_change_by_non_owner(
        &self,
        session: &Session,
        key: &str,
    ) -> Result<(), ServiceError> {
        let target = self.staff_by_email(key)?;
        if target.staff_role == Some(StaffRole::Owner)
            && session.staff_role() != Some(StaffRole::Owner)
        {
            return Err(ServiceError::Refused(format!(
                "only an owner can change the account of owner {}",
                crate::domain::text::display_safe(&target.email)
            )));
        }
        Ok(())
    }

    /// The ids of owners who can sign in (see [`owner_who_can_sign_in`]) whose email is not
    /// `key`. The transaction re-reads each before relying on it.
    pub(crate) fn other_owners_who_can_sign_in(
        &self,
        key: &str,
    ) -> Result<Vec<UserId>, ServiceError> {
        let mut ids = Vec::new();
        for user in self.store.users() {
            let user = user?;
            if owner_who_can_sign_in(&user) && user.email_key() != key {
                ids.push(user.id);
            }
        }
        Ok(ids)
    }

    fn staff_by_email(&self, key: &str) -> Result<crate::domain::User, ServiceError> {
        let id = self
            .store
            .user_id_by_email(key)?
            .ok_or_else(|| ServiceError::not_found("staff member", key))?;
        self.store
            .user(id)?
            .filter(|u| u.staff_role.is_some())
            .ok_or_else(|| ServiceError::not_found("staff member", key))
    }
}
