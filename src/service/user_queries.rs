//! Reads of the users area: a page of users in email order, filtered by customer, role,
//! status and text, and one user with their recent history. Any staff member may read
//! users; a customer's moderators and administrators read their own customer's people only,
//! and see of them nothing beyond that customer (no other membership, no other event).
//!
//! A page reads only what it shows (the email index, then each user on it), so the first
//! page does not wait for every user; a filter reads on until the page is full.

use serde::{Deserialize, Serialize};

use super::query::{Cursor, Page, page_of, page_rows};
use super::rows::AuditRow;
use super::user_rows::{UserCustomer, UserDetail, UserRow};
use super::{Service, ServiceError, Session};
use crate::domain::text::email_key;
use crate::domain::{CustomerId, CustomerRole, Membership, User, UserId, UserStatus};

/// Events a user's detail shows.
const RECENT_EVENTS: usize = 20;

/// Users in email order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct UserQuery {
    /// Only members of this customer (slug).
    pub customer: Option<String>,
    /// Only users holding this role in some customer (in `customer` when given).
    pub role: Option<CustomerRole>,
    pub status: Option<UserStatus>,
    /// Only users whose name or email contains this text (case-insensitive).
    pub filter: Option<String>,
    pub after: Option<Cursor>,
    pub limit: Option<usize>,
}

/// The session's own account (My settings), as its customer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyAccount;

/// One user by email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShowUser {
    pub email: String,
}

impl Service {
    /// One page of users matching `query`.
    pub fn users_page(
        &self,
        session: &Session,
        query: &UserQuery,
    ) -> Result<Page<UserRow>, ServiceError> {
        let session = &self.acting(session)?;
        let scope = self.read_scope(
            session,
            "listing users",
            CustomerRole::Moderator,
            query.customer.as_deref(),
            |s| s.require_staff("listing users"),
        )?;
        let limit = page_rows(query.limit);
        let after = Cursor::email(query.after.as_ref())?;
        let needle = query.filter.as_deref().map(str::to_lowercase);
        let only: Option<CustomerId> = match &query.customer {
            _ if scope.is_some() => scope,
            Some(slug) => Some(
                self.store()
                    .customer_id_by_slug(slug.trim())?
                    .ok_or_else(|| ServiceError::not_found("customer", slug))?,
            ),
            None => None,
        };
        // Members of one customer are found through it, then put in email order.
        let candidates: Box<dyn Iterator<Item = Result<(String, UserId), ServiceError>>> =
            match only {
                Some(customer) => {
                    let mut members = Vec::new();
                    for (id, _) in self.store().members_of(customer)? {
                        if let Some(user) = self.store().user(id)? {
                            let key = user.email_key();
                            if after.is_none_or(|a| key.as_str() > a) {
                                members.push((key, id));
                            }
                        }
                    }
                    members.sort();
                    Box::new(members.into_iter().map(Ok))
                }
                None => Box::new(
                    self.store()
                        .emails_after(after)
                        .map(|item| item.map_err(ServiceError::from)),
                ),
            };
        let mut found = Vec::new();
        for item in candidates {
            let (key, id) = item?;
            let Some(user) = self.store().user(id)? else {
                continue;
            };
            if query.status.is_some_and(|s| s != user.status) {
                continue;
            }
            if let Some(needle) = &needle {
                let hit = user.email.to_lowercase().contains(needle)
                    || user.full_name().to_lowercase().contains(needle);
                if !hit {
                    continue;
                }
            }
            let memberships = self.memberships_of(&user, scope)?;
            if let Some(role) = query.role {
                let holds = memberships
                    .iter()
                    .any(|(c, m)| m.role == role && only.is_none_or(|o| o == c.id));
                if !holds {
                    continue;
                }
            }
            found.push((key, self.user_row(&user, &memberships, scope)?));
            if found.len() > limit {
                break;
            }
        }
        let page = page_of(found, limit, |(key, _)| Cursor::after_email(key));
        Ok(Page {
            rows: page.rows.into_iter().map(|(_, row)| row).collect(),
            next: page.next,
        })
    }

    /// One user with their memberships and recent events.
    pub fn show_user(&self, session: &Session, email: &str) -> Result<UserDetail, ServiceError> {
        let session = &self.acting(session)?;
        let scope = self.read_scope(
            session,
            "showing a user",
            CustomerRole::Moderator,
            None,
            |s| s.require_staff("showing a user"),
        )?;
        let missing = || ServiceError::not_found("user", email);
        let id = self
            .store()
            .user_id_by_email(&email_key(email.trim()))?
            .ok_or_else(missing)?;
        let user = self.store().user(id)?.ok_or_else(missing)?;
        // Someone outside the session's customer is as unknown to it as no one.
        if let Some(own) = scope {
            if !self.is_member(own, id)? {
                return Err(missing());
            }
        }
        let memberships = self.memberships_of(&user, scope)?;
        let mut recent_events = Vec::new();
        let mut seqs = self.store().audit_seqs_for_user(id);
        while recent_events.len() < RECENT_EVENTS {
            let Some(seq) = seqs.next() else { break };
            let Some(event) = self.store().audit_event(seq?)? else {
                continue;
            };
            let concerns = |r: &Option<crate::domain::CustomerRef>| {
                r.as_ref().is_some_and(|r| Some(r.id) == scope)
            };
            if scope.is_none() || concerns(&event.customer) || concerns(&event.impersonating) {
                recent_events.push(AuditRow::new(&event));
            }
        }
        Ok(UserDetail {
            row: self.user_row(&user, &memberships, scope)?,
            recent_events,
            fields: super::field_values::shown(
                &self.store.catalogue()?,
                crate::domain::fields::FieldTarget::Users,
                &self.store.user_fields(user.id)?,
                session.is_customer_side(),
            ),
        })
    }

    /// The session's own user, any signed-in user's to read; in a customer session with
    /// that customer's membership only.
    pub fn my_account(&self, session: &Session) -> Result<UserRow, ServiceError> {
        let session = &self.acting(session)?;
        let id = session
            .user_id()
            .ok_or_else(|| ServiceError::Refused("only a signed-in user has an account".into()))?;
        let user = self
            .store()
            .user(id)?
            .ok_or_else(|| ServiceError::not_found("user", id.to_string()))?;
        let scope = session.customer_scope().map(|(c, _)| c);
        let memberships = self.memberships_of(&user, scope)?;
        self.user_row(&user, &memberships, scope)
    }

    /// The customers a user belongs to, with each membership; only `scope` when given.
    fn memberships_of(
        &self,
        user: &User,
        scope: Option<CustomerId>,
    ) -> Result<Vec<(crate::domain::Customer, Membership)>, ServiceError> {
        let mut out = Vec::new();
        for customer_id in self.store().customers_of(user.id)? {
            if scope.is_some_and(|own| own != customer_id) {
                continue;
            }
            let Some(customer) = self.store().customer(customer_id)? else {
                continue;
            };
            if let Some(m) = self.store().membership(customer_id, user.id)? {
                out.push((customer, m));
            }
        }
        Ok(out)
    }

    /// A user's row. Read in a customer's scope, who created the user is named only when
    /// that person is of the same customer; staff show as the provider.
    fn user_row(
        &self,
        user: &User,
        memberships: &[(crate::domain::Customer, Membership)],
        scope: Option<CustomerId>,
    ) -> Result<UserRow, ServiceError> {
        let creator = match user.created_by {
            Some(id) => self.store().user(id)?,
            None => None,
        };
        let created_by = match (creator, scope) {
            (Some(c), None) => Some(c.email),
            (Some(c), Some(own)) if self.is_member(own, c.id)? => Some(c.email),
            (Some(c), Some(_)) if c.staff_role.is_some() => Some("provider staff".to_owned()),
            _ => None,
        };
        let customers = memberships
            .iter()
            .map(|(c, m)| UserCustomer::new(c, user, m))
            .collect();
        let mut row = UserRow::new(user, created_by, customers);
        let Some(own) = scope else {
            return Ok(row);
        };
        row.staff_role = None;
        let pending = memberships
            .iter()
            .any(|(c, m)| c.id == own && m.status == crate::domain::MembershipStatus::Pending);
        if pending {
            self.as_invited(&mut row, own)?;
        }
        Ok(row)
    }

    /// Someone invited into `own` and not yet joined is, to that customer, what its
    /// invitation says: the names typed, invited, nothing of an account they may hold
    /// elsewhere (its real name, status, sign-ins, where it came from).
    fn as_invited(&self, row: &mut UserRow, own: CustomerId) -> Result<(), ServiceError> {
        let invitation = match self.store().invitation_for(own, &email_key(&row.email))? {
            Some(id) => self.store().invitation(id)?,
            None => None,
        };
        if let Some(inv) = invitation {
            row.first_name = inv.first_name;
            row.last_name = inv.last_name;
            row.language = inv.language;
            row.created_at = inv.created_at;
        }
        row.status = UserStatus::Invited.as_str().to_owned();
        row.email_verified = false;
        row.notifications = true;
        row.origin = crate::domain::UserOrigin::Invitation.as_str().to_owned();
        row.created_by = None;
        row.last_sign_in = None;
        Ok(())
    }
}
