//! The runtime's part of the customer's own view and of impersonation: signing a customer's
//! user in (or into another of their customers), starting and ending an impersonation, and
//! the loads of the view's own tabs, and the staff Logs tab's pages. Each effect becomes actions; refusals come back as
//! [`Action::CommandFailed`] so the form or status line that asked shows them.

use super::action::{Action, Effect};
use super::tabs::customer_log::LOG_ROWS;
use crate::backend::{Backend, BackendExt};
use crate::service::query::ShowCustomer;
use crate::service::{
    LogQuery, MyAccount, MyCustomers, ServiceError, SessionInfo, SessionKind, Stats,
};

/// What a sign-in's session becomes: the staff view, or a customer's user with the
/// customers they may enter.
pub(super) fn signed_in(
    backend: &dyn Backend,
    info: SessionInfo,
) -> Result<Vec<Action>, ServiceError> {
    if info.kind == SessionKind::Staff {
        return Ok(vec![Action::SignedIn { email: info.email }]);
    }
    let choices = backend.ask(MyCustomers)?;
    Ok(vec![Action::MemberSignedIn {
        info: Box::new(info),
        choices,
    }])
}

/// Carries out one customer effect.
pub(super) fn run(backend: &dyn Backend, effect: Effect) -> Result<Vec<Action>, ServiceError> {
    Ok(match effect {
        Effect::StartImpersonation { slug, reason } => {
            match backend.start_impersonation(&slug, &reason) {
                Ok(info) => match backend.ask(MyCustomers)?.into_iter().next() {
                    Some(customer) => vec![Action::ImpersonationStarted {
                        info: Box::new(info),
                        customer,
                    }],
                    None => vec![Action::CommandFailed(ServiceError::not_found(
                        "customer", slug,
                    ))],
                },
                Err(e) => vec![Action::CommandFailed(e)],
            }
        }
        Effect::EndImpersonation(how) => vec![Action::ImpersonationEnded {
            how,
            result: backend.end_impersonation(how).map(|info| info.email),
        }],
        Effect::EnterCustomer(slug) => match backend.enter_customer(&slug) {
            Ok(info) => signed_in(backend, info)?,
            Err(e) => vec![Action::CommandFailed(e)],
        },
        Effect::LoadOverview(slug) => {
            vec![Action::OverviewLoaded(backend.ask(ShowCustomer { slug })?)]
        }
        Effect::LoadLog { query, older } => match backend.ask(query) {
            Ok(page) => vec![Action::LogLoaded {
                rows: page.rows,
                next: page.next,
                older,
            }],
            // The tab stops waiting (a first page shows no rows rather than "reading" for
            // ever); the status line says why.
            Err(e) => vec![
                Action::LogLoaded {
                    rows: Vec::new(),
                    next: None,
                    older,
                },
                Action::Failed(crate::domain::text::display_safe(&e.to_string())),
            ],
        },
        Effect::ExportLog(export) => match backend.export_log(&export) {
            Ok(done) => {
                let t = &done.trailer;
                vec![Action::LogExported(format!(
                    "exported {} event(s) to {} ({}; head {}:{})",
                    t.rows,
                    crate::domain::text::display_safe(&done.file),
                    t.scope.as_str(),
                    t.head_seq,
                    t.head_hash.get(..12).unwrap_or_default()
                ))]
            }
            Err(e) => vec![Action::CommandFailed(e)],
        },
        Effect::LoadCustomerLog => {
            let page = backend.ask(LogQuery {
                limit: Some(LOG_ROWS),
                ..LogQuery::default()
            })?;
            vec![Action::CustomerLogLoaded(page.rows)]
        }
        Effect::LoadMyAccount => vec![Action::MyAccountLoaded(Box::new(backend.ask(MyAccount)?))],
        Effect::LoadStats => vec![Action::StatsLoaded(Box::new(backend.ask(Stats)?))],
        Effect::ChangeOwnPassword { current, new } => {
            match backend.change_own_password(&current, &new) {
                Ok(()) => vec![Action::PasswordChanged],
                Err(e) => vec![Action::CommandFailed(e)],
            }
        }
        _ => Vec::new(),
    })
}
