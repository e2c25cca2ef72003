//! The runtime's half for the people tabs and the sign-in screen's session-less forms: the
//! loads of the Users and Invitations tabs (every page, with whether the session may change
//! them), one user, a welcome preview, and the calls that need no session (accepting an
//! invitation, asking for and using a reset code). Every result comes back as actions.
//!
//! It draws nothing; it never logs or shows a code it is given.

use super::action::{Action, Effect};
use crate::backend::{Backend, BackendExt, every_page};
use crate::domain::Privilege;
use crate::domain::text::display_safe;
use crate::service::{InvitationQuery, ServiceError, ShowUser, UserQuery, WelcomePreview};

/// True when the session may change users and invitations (the tabs' hints follow it; the
/// service checks every command again).
fn may_manage(backend: &dyn Backend) -> Result<bool, ServiceError> {
    Ok(backend
        .session()?
        .and_then(|s| s.staff_role)
        .is_some_and(|r| r.has(Privilege::ManageCustomers)))
}

/// Carries out a people load.
pub(super) fn load(backend: &dyn Backend, effect: Effect) -> Result<Vec<Action>, ServiceError> {
    Ok(match effect {
        Effect::LoadUsers => {
            let rows = every_page(None, |after, limit| {
                backend.ask(UserQuery {
                    after,
                    limit: Some(limit),
                    ..UserQuery::default()
                })
            })?;
            vec![Action::UsersLoaded {
                rows,
                may_manage: may_manage(backend)?,
            }]
        }
        Effect::LoadUser(email) => match backend.ask(ShowUser { email }) {
            Ok(detail) => vec![Action::UserLoaded(detail)],
            Err(e) => vec![Action::CommandFailed(e)],
        },
        Effect::LoadInvitations => {
            let rows = every_page(None, |after, limit| {
                backend.ask(InvitationQuery {
                    after,
                    limit: Some(limit),
                    ..InvitationQuery::default()
                })
            })?;
            vec![Action::InvitationsLoaded {
                rows,
                may_manage: may_manage(backend)?,
            }]
        }
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
