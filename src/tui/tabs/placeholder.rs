//! Honest empty states for the tabs that later work fills: Users, Invitations, Logs and
//! Dashboard. They show what will be there and where to look meanwhile, never sample data.

/// The heading and explanation shown on a tab that is not built yet.
pub fn empty_state(tab: super::Tab) -> (&'static str, &'static str) {
    match tab {
        super::Tab::Users => (
            "Users are not shown in the console yet.",
            "Staff members: `tenantry staff list`. A customer's members: open the customer (Enter on the Customers tab).",
        ),
        super::Tab::Invitations => (
            "Invitations are not shown in the console yet.",
            "Invitations are not available in this version.",
        ),
        super::Tab::Logs => (
            "The audit log is not shown in the console yet.",
            "Read it with `tenantry log`, or `tenantry log --customer SLUG`; check it with `tenantry log verify`.",
        ),
        super::Tab::Dashboard => (
            "The dashboard is not built yet.",
            "Counts are on the Customers and Trash tabs meanwhile.",
        ),
        super::Tab::Customers | super::Tab::Trash => ("", ""),
    }
}
