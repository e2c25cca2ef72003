//! The Invitations table's columns as data, the countdown to an invitation's expiry as the
//! table words it ("in 6 days", "expired 3 days ago") and what the `/` filter searches. The
//! time comes from the view (the app's clock arrives in actions); cells change nothing.

use std::borrow::Cow;

use std::cmp::Ordering;

use crate::domain::{InvitationState, Timestamp};
use crate::service::InvitationRow;
use crate::tui::table::{Cell, Column, Cut, ListRow, SortBy, Width};

impl ListRow for InvitationRow {
    fn id(&self) -> u64 {
        self.id
    }

    fn matches(&self, needle: &str) -> bool {
        self.email.to_lowercase().contains(needle)
            || format!("{} {}", self.first_name, self.last_name)
                .to_lowercase()
                .contains(needle)
            || self.customer.contains(needle)
            || self.customer_name.to_lowercase().contains(needle)
    }

    fn search_text(&self) -> Option<String> {
        Some(
            format!(
                "{}\n{} {}\n{}\n{}",
                self.email, self.first_name, self.last_name, self.customer, self.customer_name
            )
            .to_lowercase(),
        )
    }
}

/// What the Invitations table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationSort {
    Email,
    Customer,
    Status,
    Expires,
}

impl InvitationSort {
    pub fn label(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Customer => "customer",
            Self::Status => "status",
            Self::Expires => "expiry",
        }
    }
}

impl SortBy<InvitationRow> for InvitationSort {
    fn compare(self, a: &InvitationRow, b: &InvitationRow) -> Ordering {
        match self {
            Self::Email => a.email.to_lowercase().cmp(&b.email.to_lowercase()),
            Self::Customer => a.customer.cmp(&b.customer),
            Self::Status => a.status.as_str().cmp(b.status.as_str()),
            Self::Expires => a.expires_at.cmp(&b.expires_at),
        }
    }
}

/// The state at `now`: a pending invitation whose time is up is expired, even if it was
/// pending when it was read.
pub fn state_at(row: &InvitationRow, now: Timestamp) -> InvitationState {
    match row.status {
        InvitationState::Pending if row.expires_at <= now => InvitationState::Expired,
        other => other,
    }
}

/// `n unit` or `n units`.
fn count(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// A span of milliseconds in the largest whole unit it reaches (days, hours, minutes).
fn span(ms: i64, round_up: bool) -> String {
    let units = [
        (Timestamp::MILLIS_PER_DAY, "day"),
        (3_600_000, "hour"),
        (60_000, "minute"),
    ];
    for (size, unit) in units {
        if ms >= size {
            let n = if round_up {
                (ms + size - 1) / size
            } else {
                ms / size
            };
            return count(n, unit);
        }
    }
    count(1, "minute")
}

/// The countdown for a pending or expired invitation at `now`: "in 6 days", "in 5 hours",
/// "expired 3 days ago"; "—" for one accepted or revoked (its time no longer matters).
pub fn countdown(row: &InvitationRow, now: Timestamp) -> String {
    match state_at(row, now) {
        InvitationState::Pending => format!("in {}", span(row.expires_at.0 - now.0, true)),
        InvitationState::Expired => {
            format!("expired {} ago", span(now.0 - row.expires_at.0, false))
        }
        InvitationState::Accepted | InvitationState::Revoked => "—".into(),
    }
}

/// Email and customer share the row; the role, then who invited, then the name give way on
/// a narrow screen (the email and customer say who and where). Status and the countdown never do: they say whether the code still works.
pub(super) const COLUMNS: &[Column<InvitationRow, InvitationSort>] = &[
    Column {
        title: Cow::Borrowed("Email"),
        width: Width::Share(4),
        cell: |r, _| Cell::new(r.email.as_str()),
        sort: Some(InvitationSort::Email),
        drop: 0,
        cut: Cut::Middle,
    },
    Column {
        title: Cow::Borrowed("Name"),
        width: Width::Share(3),
        cell: |r, _| Cell::new(format!("{} {}", r.first_name, r.last_name)),
        sort: None,
        drop: 1,
        cut: Cut::Middle,
    },
    Column {
        title: Cow::Borrowed("Customer"),
        width: Width::Share(3),
        cell: |r, _| Cell::new(r.customer.as_str()),
        sort: Some(InvitationSort::Customer),
        drop: 0,
        cut: Cut::Middle,
    },
    Column {
        title: Cow::Borrowed("Role"),
        width: Width::Fixed(13),
        cell: |r, _| Cell::new(r.role.as_str()),
        sort: None,
        drop: 3,
        cut: Cut::End,
    },
    Column {
        title: Cow::Borrowed("Status"),
        width: Width::Fixed(8),
        cell: |r, v| {
            let state = state_at(r, v.now);
            let cell = Cell::new(state.as_str());
            match state {
                InvitationState::Expired | InvitationState::Revoked => cell.styled(v.theme.warn()),
                _ => cell,
            }
        },
        sort: Some(InvitationSort::Status),
        drop: 0,
        cut: Cut::End,
    },
    Column {
        title: Cow::Borrowed("Expires"),
        width: Width::Fixed(19),
        cell: |r, v| Cell::new(countdown(r, v.now)),
        sort: Some(InvitationSort::Expires),
        drop: 0,
        cut: Cut::End,
    },
    Column {
        title: Cow::Borrowed("Invited by"),
        width: Width::Share(3),
        cell: |r, _| Cell::new(r.invited_by.as_deref().unwrap_or("—")),
        sort: None,
        drop: 2,
        cut: Cut::Middle,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn row(expires_at: Timestamp, status: InvitationState) -> InvitationRow {
        InvitationRow {
            id: 1,
            email: "a@b.example".into(),
            first_name: "A".into(),
            last_name: "B".into(),
            customer: "acme".into(),
            customer_name: "Acme".into(),
            role: "member".into(),
            language: "en".into(),
            status,
            invited_by: None,
            created_at: Timestamp(0),
            expires_at,
            resolved_at: None,
            sent: 1,
            open: true,
            of_owner: false,
        }
    }

    #[test]
    fn the_countdown_names_the_largest_unit_and_says_when_it_expired() {
        let now = Timestamp(100 * Timestamp::MILLIS_PER_DAY);
        let day = Timestamp::MILLIS_PER_DAY;
        let pending = |ms| countdown(&row(now.plus_millis(ms), InvitationState::Pending), now);
        assert_eq!(pending(6 * day), "in 6 days");
        assert_eq!(pending(5 * day + 1), "in 6 days");
        assert_eq!(pending(day), "in 1 day");
        assert_eq!(pending(5 * 3_600_000), "in 5 hours");
        assert_eq!(pending(90_000), "in 2 minutes");
        // Read as pending, now past its time: expired, counted from the expiry.
        assert_eq!(pending(-3 * day - 5), "expired 3 days ago");
        assert_eq!(pending(-2 * 3_600_000), "expired 2 hours ago");
        let accepted = row(now.plus_millis(day), InvitationState::Accepted);
        assert_eq!(countdown(&accepted, now), "—");
    }
}
