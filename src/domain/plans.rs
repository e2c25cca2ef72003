//! Service plans: named sets of limits (most users, storage in GB, websites) kept in settings.
//! A customer has at most one; without one nothing is limited. A removed plan is kept, marked
//! removed, so the customers still on it keep its limits and name it; it can no longer be
//! given. Pure: the plans, and the words of a refusal over a limit.

use serde::{Deserialize, Serialize};

use super::ValidationError;

/// The most plans the list holds, removed ones included.
pub const MAX_PLANS: usize = 64;

/// A plan's lasting number, by which a customer names it. Never reused.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct PlanId(pub u32);

/// What a plan allows at most; `None` is no limit. Stored: append fields only through a
/// migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PlanLimits {
    pub max_users: Option<u32>,
    pub storage_gb: Option<u32>,
    pub websites: Option<u32>,
}

/// One service plan. Stored: append fields only through a migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub id: PlanId,
    pub name: String,
    pub limits: PlanLimits,
    /// Can no longer be given; the customers on it keep it.
    pub removed: bool,
}

impl super::named::Named for Plan {
    fn name(&self) -> &str {
        &self.name
    }
    fn removed(&self) -> bool {
        self.removed
    }
}

/// The plans in the order they were added (none at first). Stored: append fields only
/// through a migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanList {
    pub plans: Vec<Plan>,
    pub next_id: u32,
}

impl Default for PlanList {
    fn default() -> Self {
        Self {
            plans: Vec::new(),
            next_id: 1,
        }
    }
}

impl PlanLimits {
    /// The limits as `max users 10, storage 50 GB, websites 3` (`no limits` when none).
    pub fn describe(&self) -> String {
        let parts: Vec<String> = [
            self.max_users.map(|n| format!("max users {n}")),
            self.storage_gb.map(|n| format!("storage {n} GB")),
            self.websites.map(|n| format!("websites {n}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        if parts.is_empty() {
            "no limits".into()
        } else {
            parts.join(", ")
        }
    }
}

impl PlanList {
    /// The plan numbered `id`, removed or not.
    pub fn get(&self, id: PlanId) -> Option<&Plan> {
        self.plans.iter().find(|p| p.id == id)
    }

    /// What a customer with `plan` shows: `none`, the plan's name, `(removed)` after a
    /// removed one, or the number of one the list no longer holds.
    pub fn label(&self, plan: Option<PlanId>) -> String {
        match plan.map(|id| (id, self.get(id))) {
            None => "none".into(),
            Some((_, Some(p))) if p.removed => format!("{} (removed)", p.name),
            Some((_, Some(p))) => p.name.clone(),
            Some((id, None)) => format!("plan #{}", id.0),
        }
    }

    /// The limits a customer with `plan` is held to (none without a plan).
    pub fn limits(&self, plan: Option<PlanId>) -> PlanLimits {
        plan.and_then(|id| self.get(id))
            .map(|p| p.limits)
            .unwrap_or_default()
    }

    /// The position of the plan called `name` (any case), removed ones included.
    pub fn find(&self, name: &str) -> Option<usize> {
        super::named::find(&self.plans, name)
    }

    /// The plan called `name` that can still be given, or a refusal naming those that can.
    pub fn require_givable(&self, name: &str) -> Result<&Plan, ValidationError> {
        super::named::require_in_use(
            &self.plans,
            name,
            "plan",
            "there are no plans (tenantry plan add)",
        )
    }

    /// Adds a plan with the next number and returns it.
    pub fn push(&mut self, name: String, limits: PlanLimits) -> Plan {
        let plan = Plan {
            id: PlanId(self.next_id),
            name,
            limits,
            removed: false,
        };
        self.next_id = self.next_id.saturating_add(1);
        self.plans.push(plan.clone());
        plan
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_name_their_limits_and_removed_ones_still_hold() {
        let mut list = PlanList::default();
        assert!(
            list.require_givable("gold")
                .unwrap_err()
                .reason
                .contains("there are no plans")
        );
        let limits = PlanLimits {
            max_users: Some(10),
            storage_gb: None,
            websites: Some(3),
        };
        let gold = list.push("Gold".into(), limits);
        assert_eq!(gold.id, PlanId(1));
        assert_eq!(limits.describe(), "max users 10, websites 3");
        assert_eq!(PlanLimits::default().describe(), "no limits");
        list.plans[0].removed = true;
        assert_eq!(list.label(Some(gold.id)), "Gold (removed)");
        assert_eq!(list.limits(Some(gold.id)).max_users, Some(10));
        assert_eq!(list.limits(None), PlanLimits::default());
        assert_eq!(list.label(None), "none");
        assert!(
            list.require_givable("GOLD")
                .unwrap_err()
                .reason
                .contains("was removed")
        );
    }
}
