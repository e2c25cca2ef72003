//! Reads of invitations: a page in creation order, filtered by customer and state. Any staff
//! member may read them, and a customer's moderators and administrators their own customer's;
//! their tokens are never read out.

use serde::{Deserialize, Serialize};

use super::invitation_rows::InvitationRow;
use super::query::{Cursor, Page, page_of, page_rows};
use super::{Service, ServiceError, Session};
use crate::domain::{InvitationId, InvitationState};

/// Invitations, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct InvitationQuery {
    /// Only invitations into this customer (slug).
    pub customer: Option<String>,
    pub status: Option<InvitationState>,
    pub after: Option<Cursor>,
    pub limit: Option<usize>,
}

impl Service {
    pub fn invitations_page(
        &self,
        session: &Session,
        query: &InvitationQuery,
    ) -> Result<Page<InvitationRow>, ServiceError> {
        let session = &self.acting(session)?;
        let scope = self.read_scope(
            session,
            "listing invitations",
            crate::domain::CustomerRole::Moderator,
            query.customer.as_deref(),
            |s| s.require_staff("listing invitations"),
        )?;
        // A customer session reads its own customer's invitations whatever it named.
        let own_slug = match scope {
            Some(id) => self.store().customer(id)?.map(|c| c.slug.to_string()),
            None => None,
        };
        let query = &InvitationQuery {
            customer: own_slug.or_else(|| query.customer.clone()),
            ..query.clone()
        };
        let limit = page_rows(query.limit);
        let after = Cursor::user(query.after.as_ref())?;
        let now = self.now();
        let ids: Vec<InvitationId> = match &query.customer {
            Some(slug) => {
                let customer = self
                    .store()
                    .customer_id_by_slug(slug.trim())?
                    .ok_or_else(|| ServiceError::not_found("customer", slug))?;
                let mut ids = self.store().invitations_of(customer)?;
                ids.sort();
                ids
            }
            None => Vec::new(),
        };
        let all: Box<dyn Iterator<Item = Result<crate::domain::Invitation, ServiceError>>> =
            if query.customer.is_some() {
                Box::new(ids.into_iter().filter_map(|id| {
                    self.store()
                        .invitation(id)
                        .map_err(ServiceError::from)
                        .transpose()
                }))
            } else {
                Box::new(
                    self.store()
                        .invitations()
                        .map(|i| i.map_err(ServiceError::from)),
                )
            };
        let mut found = Vec::new();
        for inv in all {
            let inv = inv?;
            if after.is_some_and(|a| inv.id.0 <= a) {
                continue;
            }
            if query.status.is_some_and(|s| s != inv.state(now)) {
                continue;
            }
            let Some(customer) = self.store().customer(inv.customer)? else {
                continue;
            };
            let by = match inv.invited_by {
                Some(id) => self.store().user(id)?.map(|u| u.email),
                None => None,
            };
            found.push(InvitationRow::new(&inv, &customer, by, now));
            if found.len() > limit {
                break;
            }
        }
        Ok(page_of(found, limit, |row| Cursor::after_user(row.id)))
    }
}
