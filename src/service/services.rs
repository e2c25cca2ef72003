//! The service catalogue area: `tenantry service add|edit|remove` as [`ServiceCommand`], and
//! its listing. Owners (the *manage settings* privilege) change it; every staff role reads it.
//! Names are unique without regard to case. What a customer has of the catalogue (inherited
//! or overridden) is the customer record's, not this module's.

use serde::{Deserialize, Serialize};

use super::{Ctx, Outcome, Service, ServiceError, Session, TxResult, fail, invalid, record};
use crate::domain::services::{MAX_SERVICES, clean_service_name};
use crate::domain::{AuditAction, Privilege, ValidationError};
use crate::store::Tx;

/// A change to the catalogue; names arrive raw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServiceCommand {
    Add {
        name: String,
        default_on: bool,
    },
    /// Changes the default, the name, or both (`None` leaves it).
    Edit {
        name: String,
        default_on: Option<bool>,
        rename: Option<String>,
    },
    Remove {
        name: String,
    },
}

/// One service as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRow {
    pub name: String,
    pub default_on: bool,
}

/// The catalogue's listing query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListServices;

impl ServiceCommand {
    pub fn spec(&self) -> (AuditAction, Privilege) {
        let action = match self {
            Self::Add { .. } => AuditAction::ServiceAdd,
            Self::Edit { .. } => AuditAction::ServiceEdit,
            Self::Remove { .. } => AuditAction::ServiceRemove,
        };
        (action, Privilege::ManageSettings)
    }

    /// Checks the names given; an edit that changes nothing is refused.
    pub(crate) fn prepare(self) -> Result<Self, ServiceError> {
        Ok(match self {
            Self::Add { name, default_on } => Self::Add {
                name: clean_service_name(&name)?,
                default_on,
            },
            Self::Edit {
                name,
                default_on,
                rename,
            } => {
                if default_on.is_none() && rename.is_none() {
                    return Err(ValidationError::new(
                        "service",
                        "nothing to change: give a new default or a new name",
                    )
                    .into());
                }
                Self::Edit {
                    name,
                    default_on,
                    rename: rename.as_deref().map(clean_service_name).transpose()?,
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
        let mut catalogue = tx.service_catalogue()?;
        let on_off = |on: bool| if on { "on" } else { "off" };
        let (summary, row) = match self {
            Self::Add { name, default_on } => {
                if let Some(i) = catalogue.find(name) {
                    let taken = &catalogue.services[i].name;
                    return refused(format!("\"{taken}\" is already in the catalogue"));
                }
                if catalogue.services.len() >= MAX_SERVICES {
                    return refused(format!(
                        "the catalogue holds at most {MAX_SERVICES} services"
                    ));
                }
                let def = catalogue.push(name.clone(), *default_on);
                (
                    format!("added service {name}, {} by default", on_off(*default_on)),
                    def,
                )
            }
            Self::Edit {
                name,
                default_on,
                rename,
            } => {
                let i = catalogue.require(name).map_err(invalid)?;
                if let Some(new) = rename
                    && catalogue.find(new).is_some_and(|j| j != i)
                {
                    return refused(format!("\"{new}\" is already in the catalogue"));
                }
                let def = &mut catalogue.services[i];
                let mut changes = Vec::new();
                if let Some(on) = default_on
                    && *on != def.default_on
                {
                    changes.push(format!(
                        "default: {} → {}",
                        on_off(def.default_on),
                        on_off(*on)
                    ));
                    def.default_on = *on;
                }
                if let Some(new) = rename
                    && *new != def.name
                {
                    changes.push(format!("name: {} → {new}", def.name));
                    def.name = new.clone();
                }
                if changes.is_empty() {
                    return fail(ServiceError::Refused(format!(
                        "service {} already is so",
                        def.name
                    )));
                }
                (
                    format!("service {}: {}", def.name, changes.join(", ")),
                    def.clone(),
                )
            }
            Self::Remove { name } => {
                let i = catalogue.require(name).map_err(invalid)?;
                let def = catalogue.services.remove(i);
                (format!("removed service {}", def.name), def)
            }
        };
        tx.put_service_catalogue(&catalogue)?;
        record(tx, ctx, None, action, summary)?;
        Ok(Outcome::Service(ServiceRow {
            name: row.name,
            default_on: row.default_on,
        }))
    }
}

/// The transaction's refusal of a catalogue change, named by the `service` field.
fn refused<T>(reason: String) -> TxResult<T> {
    fail(ValidationError::new("service", reason).into())
}

impl Service {
    /// The catalogue in its order. Staff only.
    pub fn list_services(&self, session: &Session) -> Result<Vec<ServiceRow>, ServiceError> {
        let session = &self.acting(session)?;
        session.require_staff("listing services")?;
        Ok(self
            .store
            .service_catalogue()?
            .services
            .into_iter()
            .map(|s| ServiceRow {
                name: s.name,
                default_on: s.default_on,
            })
            .collect())
    }
}
