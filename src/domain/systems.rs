//! The target systems a customer runs on (regions or clusters): a list in settings, each with
//! a lasting number and a name. Every customer is on one; a new customer is on the first
//! unless told otherwise. A removed system is kept, marked removed, so the customers still on
//! it name it; it can no longer be chosen. Pure.

use serde::{Deserialize, Serialize};

use super::ValidationError;

/// The most systems the list holds, removed ones included.
pub const MAX_SYSTEMS: usize = 64;

/// A system's lasting number, by which a customer names it. Never reused.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct SystemId(pub u32);

/// One target system. Stored: append fields only through a migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetSystem {
    pub id: SystemId,
    pub name: String,
    /// Removed from choice; kept so the customers still on it name it.
    pub removed: bool,
}

impl super::named::Named for TargetSystem {
    fn name(&self) -> &str {
        &self.name
    }
    fn removed(&self) -> bool {
        self.removed
    }
}

/// The systems in the order they were added. Stored: append fields only through a migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemList {
    pub systems: Vec<TargetSystem>,
    pub next_id: u32,
}

/// The system every customer of a database from before systems existed is on, and the only
/// one of a new database: number 1, called `main`.
pub const FIRST_SYSTEM: SystemId = SystemId(1);

impl Default for SystemList {
    fn default() -> Self {
        Self {
            systems: vec![TargetSystem {
                id: FIRST_SYSTEM,
                name: "main".into(),
                removed: false,
            }],
            next_id: 2,
        }
    }
}

impl SystemList {
    /// The systems that can be chosen, in order.
    pub fn choosable(&self) -> impl Iterator<Item = &TargetSystem> {
        self.systems.iter().filter(|s| !s.removed)
    }

    /// The system a new customer is on when none is named: the first that can be chosen.
    pub fn default_system(&self) -> Option<&TargetSystem> {
        self.choosable().next()
    }

    /// The system numbered `id`, removed or not.
    pub fn get(&self, id: SystemId) -> Option<&TargetSystem> {
        self.systems.iter().find(|s| s.id == id)
    }

    /// What a customer on `id` shows: its name, `(removed)` after a removed one, and the
    /// number of one the list no longer holds.
    pub fn label(&self, id: SystemId) -> String {
        match self.get(id) {
            Some(s) if s.removed => format!("{} (removed)", s.name),
            Some(s) => s.name.clone(),
            None => format!("system #{}", id.0),
        }
    }

    /// The position of the system called `name` (any case), removed ones included.
    pub fn find(&self, name: &str) -> Option<usize> {
        super::named::find(&self.systems, name)
    }

    /// The system called `name` that can be chosen, or a refusal naming those that can.
    pub fn require_choosable(&self, name: &str) -> Result<&TargetSystem, ValidationError> {
        super::named::require_in_use(
            &self.systems,
            name,
            "system",
            "no system can be chosen (tenantry system add)",
        )
    }

    /// Adds a system with the next number and returns it.
    pub fn push(&mut self, name: String) -> TargetSystem {
        let system = TargetSystem {
            id: SystemId(self.next_id),
            name,
            removed: false,
        };
        self.next_id = self.next_id.saturating_add(1);
        self.systems.push(system.clone());
        system
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_choosable_system_is_the_default_and_removed_ones_keep_their_name() {
        let mut list = SystemList::default();
        assert_eq!(list.default_system().map(|s| s.id), Some(FIRST_SYSTEM));
        let eu = list.push("eu-west".into());
        assert_eq!(eu.id, SystemId(2));
        list.systems[0].removed = true;
        assert_eq!(list.default_system().map(|s| s.id), Some(eu.id));
        assert_eq!(list.label(FIRST_SYSTEM), "main (removed)");
        assert_eq!(list.label(SystemId(9)), "system #9");
        let err = list.require_choosable("MAIN").unwrap_err();
        assert_eq!(err.field, "system");
        assert!(err.reason.contains("was removed; choose one of eu-west"));
        assert!(list.require_choosable("nowhere").is_err());
        assert_eq!(list.require_choosable(" EU-west ").unwrap().id, eu.id);
    }
}
