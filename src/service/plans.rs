//! Service plans (`tenantry plan add|edit|remove|list`) as [`PlanCommand`]: named limits.
//! Viewing or changing them needs the *manage service plans* privilege. Names are unique
//! without regard to case. Removing a plan marks it removed: the customers on it keep it and
//! its limits, and it can no longer be given.

use serde::{Deserialize, Serialize};

use super::{Ctx, Outcome, Service, ServiceError, Session, TxResult, fail, invalid, record};
use crate::domain::named;
use crate::domain::plans::{MAX_PLANS, PlanLimits, PlanList};
use crate::domain::services::clean_setting_name;
use crate::domain::{AuditAction, Privilege, ValidationError};
use crate::store::Tx;

/// A change to one limit: `None` leaves it, `Some(None)` removes it.
pub type LimitChange = Option<Option<u32>>;

/// A change to the plans; names arrive raw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlanCommand {
    Add {
        name: String,
        limits: PlanLimits,
    },
    Edit {
        name: String,
        rename: Option<String>,
        max_users: LimitChange,
        storage_gb: LimitChange,
        websites: LimitChange,
    },
    Remove {
        name: String,
    },
}

/// One plan as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRow {
    pub name: String,
    pub max_users: Option<u32>,
    pub storage_gb: Option<u32>,
    pub websites: Option<u32>,
    pub removed: bool,
}

/// The plans' listing query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListPlans;

fn refused<T>(reason: String) -> TxResult<T> {
    fail(ValidationError::new("plan", reason).into())
}

fn rows(list: &PlanList) -> Vec<PlanRow> {
    list.plans
        .iter()
        .map(|p| PlanRow {
            name: p.name.clone(),
            max_users: p.limits.max_users,
            storage_gb: p.limits.storage_gb,
            websites: p.limits.websites,
            removed: p.removed,
        })
        .collect()
}

impl PlanCommand {
    pub fn spec(&self) -> (AuditAction, Privilege) {
        let action = match self {
            Self::Add { .. } => AuditAction::PlanAdd,
            Self::Edit { .. } => AuditAction::PlanEdit,
            Self::Remove { .. } => AuditAction::PlanRemove,
        };
        (action, Privilege::ManageServicePlans)
    }

    pub(crate) fn prepare(self) -> Result<Self, ServiceError> {
        Ok(match self {
            Self::Add { name, limits } => Self::Add {
                name: clean_setting_name("plan", &name)?,
                limits,
            },
            Self::Edit {
                name,
                rename,
                max_users,
                storage_gb,
                websites,
            } => {
                if rename.is_none()
                    && max_users.is_none()
                    && storage_gb.is_none()
                    && websites.is_none()
                {
                    return Err(ValidationError::new(
                        "plan",
                        "nothing to change: give a new name or a limit",
                    )
                    .into());
                }
                Self::Edit {
                    name,
                    rename: rename
                        .as_deref()
                        .map(|n| clean_setting_name("plan", n))
                        .transpose()?,
                    max_users,
                    storage_gb,
                    websites,
                }
            }
            Self::Remove { name } => Self::Remove { name },
        })
    }

    pub(crate) fn apply(
        &self,
        tx: &Tx<'_, ServiceError>,
        ctx: &Ctx<'_>,
        action: AuditAction,
    ) -> TxResult<Outcome> {
        let mut list: PlanList = tx.catalogue()?;
        let position = |list: &PlanList, name: &str| {
            named::require(&list.plans, name, "plan").map_err(invalid)
        };
        let summary = match self {
            Self::Add { name, limits } => {
                if let Some(i) = list.find(name) {
                    return refused(format!("\"{}\" is already a plan", list.plans[i].name));
                }
                if list.plans.len() >= MAX_PLANS {
                    return refused(format!("there are at most {MAX_PLANS} plans"));
                }
                list.push(name.clone(), *limits);
                format!("added plan {name}: {}", limits.describe())
            }
            Self::Edit {
                name,
                rename,
                max_users,
                storage_gb,
                websites,
            } => {
                let i = position(&list, name)?;
                if let Some(to) = rename
                    && list.find(to).is_some_and(|j| j != i)
                {
                    return refused(format!("\"{to}\" is already a plan"));
                }
                let plan = &mut list.plans[i];
                let before = (plan.name.clone(), plan.limits);
                if let Some(to) = rename {
                    plan.name = to.clone();
                }
                for (change, slot) in [
                    (max_users, &mut plan.limits.max_users),
                    (storage_gb, &mut plan.limits.storage_gb),
                    (websites, &mut plan.limits.websites),
                ] {
                    if let Some(value) = change {
                        *slot = *value;
                    }
                }
                if (plan.name.clone(), plan.limits) == before {
                    return fail(ServiceError::Refused(format!(
                        "plan {} already is so",
                        plan.name
                    )));
                }
                let renamed = if plan.name == before.0 {
                    String::new()
                } else {
                    format!(" (renamed from {})", before.0)
                };
                format!(
                    "plan {}{renamed}: {} → {}",
                    plan.name,
                    before.1.describe(),
                    plan.limits.describe()
                )
            }
            Self::Remove { name } => {
                let i = position(&list, name)?;
                let plan = &mut list.plans[i];
                if plan.removed {
                    return fail(ServiceError::Refused(format!(
                        "plan {} is already removed",
                        plan.name
                    )));
                }
                plan.removed = true;
                format!(
                    "removed plan {} (its customers keep it and its limits)",
                    plan.name
                )
            }
        };
        tx.put_catalogue(&list)?;
        record(tx, ctx, None, action, summary)?;
        Ok(Outcome::Plans(rows(&list)))
    }
}

impl Service {
    /// The plans in their order, removed ones marked. Needs *manage service plans*.
    pub fn list_plans(&self, session: &Session) -> Result<Vec<PlanRow>, ServiceError> {
        let session = &self.acting(session)?;
        session.require_staff("listing plans")?;
        session.require(Privilege::ManageServicePlans, "listing plans")?;
        Ok(rows(&self.store.catalogue()?))
    }
}
