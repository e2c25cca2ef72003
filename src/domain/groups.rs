//! A customer's user groups: named sets of its users ("Billing", "Developers"), one record
//! per customer. Names are unique in the customer without regard to case; a member is a user
//! with a membership in that customer, and leaves every group when the membership ends (the
//! store keeps that in the same transaction).
//!
//! Pure rules only: reading and writing the record is the store's, who may change it the
//! service's.

use serde::{Deserialize, Serialize};

use super::services::clean_setting_name;
use super::text::preview;
use super::{UserId, ValidationError};

/// The groups of one customer. Stored: append fields only through a migration.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UserGroups {
    /// In the order they were added.
    pub groups: Vec<UserGroup>,
    /// The number the next group gets; numbers are never reused.
    pub next_id: u32,
}

/// One group. Stored: append fields only through a migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserGroup {
    pub id: u32,
    pub name: String,
    /// Users of the customer, each once, in the order they joined.
    pub members: Vec<UserId>,
}

/// The longest group name, as for every name in settings.
pub const MAX_GROUP_NAME: usize = super::services::MAX_SERVICE_NAME;
/// The most groups one customer has.
pub const MAX_GROUPS: usize = 200;

/// A group name as stored: one line of letters, digits, spaces and `- _ & .`.
pub fn clean_group_name(raw: &str) -> Result<String, ValidationError> {
    clean_setting_name("group", raw)
}

impl UserGroups {
    /// The index of the group named `name` (any case).
    pub fn find(&self, name: &str) -> Option<usize> {
        let wanted = name.trim().to_lowercase();
        self.groups
            .iter()
            .position(|g| g.name.to_lowercase() == wanted)
    }

    /// The index of the group named `name`, or why there is none.
    pub fn require(&self, name: &str) -> Result<usize, ValidationError> {
        self.find(name).ok_or_else(|| {
            ValidationError::new(
                "group",
                format!("no group \"{}\" in this customer", preview(name.trim())),
            )
        })
    }

    /// Adds an empty group; refused when the name is taken or the customer has the most
    /// groups it may.
    pub fn add(&mut self, raw: &str) -> Result<&UserGroup, ValidationError> {
        let name = clean_group_name(raw)?;
        if self.find(&name).is_some() {
            return Err(ValidationError::new(
                "group",
                format!("a group \"{}\" already exists", preview(&name)),
            ));
        }
        if self.groups.len() >= MAX_GROUPS {
            return Err(ValidationError::new(
                "group",
                format!("a customer has at most {MAX_GROUPS} groups"),
            ));
        }
        let id = self.next_id;
        self.next_id = self.next_id.saturating_add(1);
        self.groups.push(UserGroup {
            id,
            name,
            members: Vec::new(),
        });
        let last = self.groups.len() - 1;
        Ok(&self.groups[last])
    }

    /// Takes `user` out of every group; true when they were in one.
    pub fn drop_member(&mut self, user: UserId) -> bool {
        let mut dropped = false;
        for group in &mut self.groups {
            let before = group.members.len();
            group.members.retain(|m| *m != user);
            dropped |= group.members.len() != before;
        }
        dropped
    }

    /// The same groups without members, numbered afresh: what a copy of the customer gets.
    pub fn without_members(&self) -> Self {
        let groups: Vec<UserGroup> = self
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| UserGroup {
                id: i as u32,
                name: g.name.clone(),
                members: Vec::new(),
            })
            .collect();
        Self {
            next_id: groups.len() as u32,
            groups,
        }
    }

    /// What is wrong with a stored record beyond its numbering (which `check` tests as for
    /// every numbered list): names that are not clean or repeat, members listed twice.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (i, g) in self.groups.iter().enumerate() {
            if clean_group_name(&g.name).as_deref() != Ok(g.name.as_str()) {
                problems.push(format!("group {} has a name that is not clean", g.id));
            }
            if self.groups[..i]
                .iter()
                .any(|o| o.name.to_lowercase() == g.name.to_lowercase())
            {
                problems.push(format!("group name of {} is used twice", g.id));
            }
            if g.members
                .iter()
                .enumerate()
                .any(|(j, m)| g.members[..j].contains(m))
            {
                problems.push(format!("group {} lists a member twice", g.id));
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_without_case_and_numbers_are_not_reused() {
        let mut g = UserGroups::default();
        assert_eq!(g.add("Billing").unwrap().id, 0);
        assert_eq!(g.add(" Developers ").unwrap().name, "Developers");
        let err = g.add("BILLING").unwrap_err();
        assert!(err.reason.contains("already exists"), "{err}");
        assert!(g.add("bad/name").is_err());
        assert!(g.add(&"x".repeat(MAX_GROUP_NAME + 1)).is_err());
        g.groups.remove(0);
        assert_eq!(g.add("Billing").unwrap().id, 2, "a number is not reused");
        assert_eq!(g.require("billing").unwrap(), 1);
        assert!(g.require("nobody").is_err());
        assert!(g.problems().is_empty());
    }

    #[test]
    fn a_member_leaves_every_group_and_a_copy_has_none() {
        let mut g = UserGroups::default();
        g.add("A").unwrap();
        g.add("B").unwrap();
        g.groups[0].members.push(UserId(7));
        g.groups[1].members.push(UserId(7));
        g.groups[1].members.push(UserId(8));
        assert!(g.drop_member(UserId(7)));
        assert!(!g.drop_member(UserId(7)));
        assert_eq!(g.groups[1].members, [UserId(8)]);
        let copy = g.without_members();
        assert_eq!(copy.groups.len(), 2);
        assert!(copy.groups.iter().all(|g| g.members.is_empty()));
        assert!(copy.problems().is_empty());
    }

    #[test]
    fn a_damaged_record_is_described() {
        let mut g = UserGroups::default();
        g.add("A").unwrap();
        g.groups.push(g.groups[0].clone());
        g.groups[0].members = vec![UserId(1), UserId(1)];
        let problems = g.problems();
        assert!(
            problems.iter().any(|p| p.contains("used twice")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("member twice")),
            "{problems:?}"
        );
    }
}
