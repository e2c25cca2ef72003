//! One state struct per tab, and the tab list itself.

mod actions;
pub mod customers;
pub mod placeholder;
pub mod trash;

/// The tabs, in the order of the tab bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Customers,
    Users,
    Invitations,
    Trash,
    Logs,
    Dashboard,
}

impl Tab {
    pub const ALL: [Tab; 6] = [
        Self::Customers,
        Self::Users,
        Self::Invitations,
        Self::Trash,
        Self::Logs,
        Self::Dashboard,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Self::Customers => "Customers",
            Self::Users => "Users",
            Self::Invitations => "Invitations",
            Self::Trash => "Trash",
            Self::Logs => "Logs",
            Self::Dashboard => "Dashboard",
        }
    }

    pub fn position(self) -> usize {
        Self::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}
