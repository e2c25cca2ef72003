//! Target systems (`tenantry system add|edit|remove|list`) as [`SystemCommand`]. Owners (the
//! *manage settings* privilege) change the list; every staff role reads it. Names are unique
//! without regard to case. Removing a system marks it removed: the customers on it stay, and
//! it can no longer be chosen; the last system that can be chosen is not removed.

use serde::{Deserialize, Serialize};

use super::{Ctx, Outcome, Service, ServiceError, Session, TxResult, fail, invalid, record};
use crate::domain::named;
use crate::domain::services::clean_setting_name;
use crate::domain::systems::{MAX_SYSTEMS, SystemList};
use crate::domain::{AuditAction, Privilege, ValidationError};
use crate::store::Tx;

/// A change to the list of systems; names arrive raw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SystemCommand {
    Add { name: String },
    Rename { name: String, to: String },
    Remove { name: String },
}

/// One system as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemRow {
    pub name: String,
    /// The first system that can be chosen: where a new customer goes without `--system`.
    pub default: bool,
    pub removed: bool,
}

/// The systems' listing query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListSystems;

fn refused<T>(reason: String) -> TxResult<T> {
    fail(ValidationError::new("system", reason).into())
}

fn rows(list: &SystemList) -> Vec<SystemRow> {
    let default = list.default_system().map(|s| s.id);
    list.systems
        .iter()
        .map(|s| SystemRow {
            name: s.name.clone(),
            default: Some(s.id) == default,
            removed: s.removed,
        })
        .collect()
}

impl SystemCommand {
    pub fn spec(&self) -> (AuditAction, Privilege) {
        let action = match self {
            Self::Add { .. } => AuditAction::SystemAdd,
            Self::Rename { .. } => AuditAction::SystemEdit,
            Self::Remove { .. } => AuditAction::SystemRemove,
        };
        (action, Privilege::ManageSettings)
    }

    pub(crate) fn prepare(self) -> Result<Self, ServiceError> {
        Ok(match self {
            Self::Add { name } => Self::Add {
                name: clean_setting_name("system", &name)?,
            },
            Self::Rename { name, to } => Self::Rename {
                name,
                to: clean_setting_name("system", &to)?,
            },
            Self::Remove { name } => Self::Remove { name },
        })
    }

    pub(crate) fn apply(
        &self,
        tx: &Tx<'_, ServiceError>,
        ctx: &Ctx<'_>,
        action: AuditAction,
    ) -> TxResult<Outcome> {
        let mut list: SystemList = tx.catalogue()?;
        let position = |list: &SystemList, name: &str| {
            named::require(&list.systems, name, "system").map_err(invalid)
        };
        let summary = match self {
            Self::Add { name } => {
                if let Some(i) = list.find(name) {
                    return refused(format!("\"{}\" is already a system", list.systems[i].name));
                }
                if list.systems.len() >= MAX_SYSTEMS {
                    return refused(format!("there are at most {MAX_SYSTEMS} systems"));
                }
                list.push(name.clone());
                format!("added system {name}")
            }
            Self::Rename { name, to } => {
                let i = position(&list, name)?;
                if list.find(to).is_some_and(|j| j != i) {
                    return refused(format!("\"{to}\" is already a system"));
                }
                let system = &mut list.systems[i];
                if system.name == *to {
                    return fail(ServiceError::Refused(format!(
                        "system {to} already has that name"
                    )));
                }
                let summary = format!("system {} renamed {to}", system.name);
                system.name = to.clone();
                summary
            }
            Self::Remove { name } => {
                let i = position(&list, name)?;
                if list.systems[i].removed {
                    return fail(ServiceError::Refused(format!(
                        "system {} is already removed",
                        list.systems[i].name
                    )));
                }
                if list.choosable().count() <= 1 {
                    return refused(format!(
                        "{} is the last system customers can be on; add another first",
                        list.systems[i].name
                    ));
                }
                list.systems[i].removed = true;
                format!(
                    "removed system {} (its customers stay on it)",
                    list.systems[i].name
                )
            }
        };
        tx.put_catalogue(&list)?;
        record(tx, ctx, None, action, summary)?;
        Ok(Outcome::Systems(rows(&list)))
    }
}

impl Service {
    /// The systems in their order, removed ones marked. Staff only.
    pub fn list_systems(&self, session: &Session) -> Result<Vec<SystemRow>, ServiceError> {
        let session = &self.acting(session)?;
        session.require_staff("listing systems")?;
        Ok(rows(&self.store.catalogue()?))
    }
}
