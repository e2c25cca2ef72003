//! The Users table's columns as data (title, width rule, cell, sort key) and what the `/`
//! filter searches in a user's row. Cells only format; they change nothing.

use std::borrow::Cow;

use std::cmp::Ordering;

use crate::service::UserRow;
use crate::tui::render::text::day;
use crate::tui::table::{Cell, Column, Cut, ListRow, SortBy, Width};

impl ListRow for UserRow {
    fn id(&self) -> u64 {
        self.id
    }

    /// The live filter looks at the email and the name (first and last, either order).
    fn matches(&self, needle: &str) -> bool {
        self.email.to_lowercase().contains(needle)
            || full_name(self).to_lowercase().contains(needle)
            || format!("{} {}", self.last_name, self.first_name)
                .to_lowercase()
                .contains(needle)
    }

    fn search_text(&self) -> Option<String> {
        Some(
            format!(
                "{}\n{} {}\n{} {}",
                self.email, self.first_name, self.last_name, self.last_name, self.first_name
            )
            .to_lowercase(),
        )
    }
}

/// What the Users table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserSort {
    Email,
    Name,
    Customers,
    Status,
    LastSignIn,
}

impl UserSort {
    pub fn label(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Name => "name",
            Self::Customers => "customers",
            Self::Status => "status",
            Self::LastSignIn => "last sign-in",
        }
    }
}

impl SortBy<UserRow> for UserSort {
    fn compare(self, a: &UserRow, b: &UserRow) -> Ordering {
        match self {
            Self::Email => a.email.to_lowercase().cmp(&b.email.to_lowercase()),
            Self::Name => full_name(a)
                .to_lowercase()
                .cmp(&full_name(b).to_lowercase()),
            Self::Customers => customers(a).cmp(&customers(b)),
            Self::Status => a.status.cmp(&b.status),
            Self::LastSignIn => a.last_sign_in.cmp(&b.last_sign_in),
        }
    }
}

pub fn full_name(row: &UserRow) -> String {
    format!("{} {}", row.first_name, row.last_name)
}

/// The customers as `slug:role`, a pending membership marked `slug:role?` (as the CLI's
/// table shows them), joined by spaces.
pub fn customers(row: &UserRow) -> String {
    memberships(row, |role| role)
}

/// A role as the table's narrow column shows it: `admin`, `mod`, `member`.
fn short_role(role: &str) -> &str {
    match role {
        "administrator" => "admin",
        "moderator" => "mod",
        other => other,
    }
}

fn memberships(row: &UserRow, role: impl Fn(&str) -> &str) -> String {
    row.customers
        .iter()
        .map(|c| {
            let pending = if c.status == "pending" { "?" } else { "" };
            format!("{}:{}{pending}", c.slug, role(&c.role))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Email, name and customers share the row (the name the least: the email names a user, the
/// customers say where they belong); verified, then last sign-in give way on a narrow screen. Customers and
/// status never do: they say where the user belongs and what the status key will do.
pub(super) const COLUMNS: &[Column<UserRow, UserSort>] = &[
    Column {
        title: Cow::Borrowed("Email"),
        width: Width::Share(5),
        cell: |r, _| Cell::new(r.email.as_str()),
        sort: Some(UserSort::Email),
        drop: 0,
        cut: Cut::Middle,
    },
    Column {
        title: Cow::Borrowed("Name"),
        width: Width::Share(3),
        cell: |r, _| Cell::new(full_name(r)),
        sort: Some(UserSort::Name),
        drop: 0,
        cut: Cut::Middle,
    },
    Column {
        title: Cow::Borrowed("Customers"),
        width: Width::Share(4),
        cell: |r, _| {
            // Roles shortened so a slug and its role fit the narrow column (D86).
            let text = memberships(r, short_role);
            Cell::new(if text.is_empty() {
                "—".to_owned()
            } else {
                text
            })
        },
        sort: Some(UserSort::Customers),
        drop: 0,
        // The role is at the end: a cut keeps it.
        cut: Cut::Middle,
    },
    Column {
        title: Cow::Borrowed("Status"),
        width: Width::Fixed(8),
        cell: |r, v| {
            let cell = Cell::new(r.status.as_str());
            if r.status == "disabled" {
                cell.styled(v.theme.warn())
            } else {
                cell
            }
        },
        sort: Some(UserSort::Status),
        drop: 0,
        cut: Cut::End,
    },
    Column {
        title: Cow::Borrowed("Verified"),
        width: Width::Fixed(8),
        cell: |r, _| Cell::new(if r.email_verified { "yes" } else { "no" }),
        sort: None,
        drop: 3,
        cut: Cut::End,
    },
    Column {
        title: Cow::Borrowed("Last sign-in"),
        width: Width::Fixed(12),
        cell: |r, v| {
            Cell::new(
                r.last_sign_in
                    .map_or("never".to_owned(), |t| day(t, v.now, v.utc_offset_secs)),
            )
        },
        sort: Some(UserSort::LastSignIn),
        drop: 2,
        cut: Cut::End,
    },
];
