//! What the Customers tab offers for the customer an action would apply to: read from what
//! the service computed for that row ([`AllowedActions`]), never from a rule of its own. The
//! hint line asks [`offers`] (this row), the help [`role_offers`] (the session's role, D69).

use crate::domain::AuditAction;
use crate::service::{AllowedActions, CustomerAction, Denial, ServiceError};
use crate::tui::action::Action;

/// The service's refusal of `action` for a session without the privilege to manage customers.
pub fn no_privilege(action: AuditAction) -> String {
    ServiceError::PermissionDenied {
        action: action.as_str(),
        privilege: CustomerAction::Edit.privilege().label(),
    }
    .to_string()
}

/// True when the row `allowed` describes (none: an empty list) lets the session take
/// `action`. Adding and importing follow the session's privilege as the row reports it.
pub fn offers(allowed: Option<AllowedActions>, action: &Action) -> bool {
    let allows = |a: CustomerAction| allowed.is_some_and(|t| t.allows(a));
    match action {
        Action::EditCustomer => allows(CustomerAction::Edit),
        Action::CopyCustomer => allows(CustomerAction::Copy),
        Action::CustomerGroups => allows(CustomerAction::Groups),
        Action::CustomerServices => allows(CustomerAction::Services),
        Action::ChangeSlug => allows(CustomerAction::ChangeSlug),
        Action::ToggleStatus => allows(CustomerAction::Suspend) || allows(CustomerAction::Activate),
        Action::DeleteCustomer => allows(CustomerAction::Delete),
        Action::MakeIndependent => allows(CustomerAction::MakeIndependent),
        Action::AddCustomer | Action::ImportCustomers => role_offers(allowed, action),
        _ => true,
    }
}

/// False only when the session lacks the privilege `action` needs, whatever the row.
pub fn role_offers(allowed: Option<AllowedActions>, action: &Action) -> bool {
    let Some(allowed) = allowed else {
        return true;
    };
    let lacks = |a: CustomerAction| matches!(allowed.denial(a), Some(Denial::Privilege(_)));
    match action {
        Action::EditCustomer | Action::AddCustomer | Action::ImportCustomers => {
            !lacks(CustomerAction::Edit)
        }
        Action::CopyCustomer => !lacks(CustomerAction::Copy),
        Action::CustomerGroups => !lacks(CustomerAction::Groups),
        Action::CustomerServices => !lacks(CustomerAction::Services),
        Action::ChangeSlug => !lacks(CustomerAction::ChangeSlug),
        Action::ToggleStatus => !lacks(CustomerAction::Suspend),
        Action::DeleteCustomer => !lacks(CustomerAction::Delete),
        Action::MakeIndependent => !lacks(CustomerAction::MakeIndependent),
        _ => true,
    }
}
