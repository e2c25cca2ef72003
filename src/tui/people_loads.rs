//! The runtime's half for the people tabs and the sign-in screen's session-less forms: the
//! first page of the Users and Invitations tabs (with whether the session may change them;
//! `people_loader` reads the rest), one user again after a change, one user, a welcome preview, and the calls that need no session (accepting an
//! invitation, asking for and using a reset code). Every result comes back as actions.
//!
//! It draws nothing; it never logs or shows a code it is given.

use super::action::{Action, Effect};
use super::people_loader::People;
use crate::backend::{Backend, BackendExt};
use crate::domain::Privilege;
use crate::domain::text::display_safe;
use crate::service::{Cursor, InvitationQuery, ServiceError, ShowUser, UserQuery, WelcomePreview};

/// True when the session may change users and invitations: staff who manage customers, and a
/// customer's administrators (the tabs' hints follow it; the service checks every command
/// again).
fn may_manage(backend: &dyn Backend) -> Result<bool, ServiceError> {
    let Some(s) = backend.session()? else {
        return Ok(false);
    };
    Ok(match s.kind {
        crate::service::SessionKind::Staff => s
            .staff_role
            .is_some_and(|r| r.has(Privilege::ManageCustomers)),
        // A customer's administrators manage their own people (an impersonation too).
        crate::service::SessionKind::CustomerUser | crate::service::SessionKind::Impersonating => {
            s.customer_role == Some(crate::domain::CustomerRole::Administrator)
        }
        _ => false,
    })
}

/// Rows the first page of a people tab shows before the loader brings the rest (D90).
pub const FIRST_PAGE: usize = 200;

/// The first page of `kind`, as the loaded action, and where the rest starts (`None`: there
/// is no more).
pub(super) fn first(
    backend: &dyn Backend,
    kind: People,
) -> Result<(Action, Option<Cursor>), ServiceError> {
    let may_manage = may_manage(backend)?;
    Ok(match kind {
        People::Users => {
            let page = backend.ask(UserQuery {
                limit: Some(FIRST_PAGE),
                ..UserQuery::default()
            })?;
            let action = Action::UsersLoaded {
                rows: page.rows,
                may_manage,
            };
            (action, page.next)
        }
        People::Invitations => {
            let page = backend.ask(InvitationQuery {
                limit: Some(FIRST_PAGE),
                ..InvitationQuery::default()
            })?;
            let action = Action::InvitationsLoaded {
                rows: page.rows,
                may_manage,
            };
            (action, page.next)
        }
    })
}

/// Carries out a people load of one thing.
pub(super) fn load(backend: &dyn Backend, effect: Effect) -> Result<Vec<Action>, ServiceError> {
    Ok(match effect {
        Effect::RefreshUser(email) => match backend.ask(ShowUser {
            email: email.clone(),
        }) {
            Ok(detail) => vec![Action::UserRefreshed {
                email,
                row: Some(Box::new(detail.row)),
            }],
            Err(ServiceError::NotFound { .. }) => vec![Action::UserRefreshed { email, row: None }],
            Err(e) => vec![Action::CommandFailed(e)],
        },
        Effect::LoadUser(email) => match backend.ask(ShowUser { email }) {
            Ok(detail) => vec![Action::UserLoaded(detail)],
            Err(e) => vec![Action::CommandFailed(e)],
        },
        Effect::LoadWelcome(email) => match backend.ask(WelcomePreview {
            email: email.clone(),
        }) {
            Ok(text) => vec![Action::WelcomeLoaded { email, text }],
            Err(e) => vec![Action::CommandFailed(e)],
        },
        _ => Vec::new(),
    })
}

/// Carries out a call that needs no session.
pub(super) fn entry(backend: &dyn Backend, effect: Effect) -> Vec<Action> {
    let result = match effect {
        Effect::RequestReset { email } => {
            return vec![match backend.request_password_reset(&email) {
                Ok(answer) => Action::ResetRequested(answer),
                Err(e) => Action::EntryFailed(e),
            }];
        }
        Effect::AcceptInvitation { token, password } => backend
            .accept_invitation(token.trim(), Some(&password))
            .map(|a| {
                format!(
                    "invitation accepted: {} is now a member of {}",
                    display_safe(&a.email),
                    a.customer
                )
            }),
        Effect::ResetPassword { token, password } => backend
            .reset_password(token.trim(), &password)
            .map(|email| format!("password set for {}", display_safe(&email))),
        _ => return Vec::new(),
    };
    vec![match result {
        Ok(text) => Action::EntryDone(text),
        Err(e) => Action::EntryFailed(e),
    }]
}
