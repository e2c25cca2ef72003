//! Who is acting. A [`Session`] is made only by the service (sign-in, peer authentication, or
//! the built-in system actor) and checked on every command; front ends only carry it.

use serde::{Deserialize, Serialize};

use super::ServiceError;
use crate::domain::{Actor, CustomerId, Privilege, StaffRole};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub actor: Actor,
    /// The staff role of a signed-in staff member; `None` for the system actor.
    pub staff_role: Option<StaffRole>,
    /// The customer being impersonated, if any: every event is also logged in its log.
    pub impersonating: Option<CustomerId>,
}

impl Session {
    /// The built-in actor of automatic work. It holds no privilege: it can only run what a
    /// setting already decided (purging expired trash).
    pub fn system() -> Self {
        Self {
            actor: Actor::System,
            staff_role: None,
            impersonating: None,
        }
    }

    pub fn is_system(&self) -> bool {
        matches!(self.actor, Actor::System)
    }

    pub fn has(&self, privilege: Privilege) -> bool {
        self.staff_role.is_some_and(|r| r.has(privilege))
    }

    /// Refuses unless the session holds `privilege`; `action` names what was attempted.
    pub fn require(&self, privilege: Privilege, action: &'static str) -> Result<(), ServiceError> {
        if self.has(privilege) {
            Ok(())
        } else {
            Err(ServiceError::PermissionDenied {
                action,
                privilege: privilege.label(),
            })
        }
    }

    /// Any signed-in staff member may read customers.
    pub fn require_staff(&self, action: &'static str) -> Result<(), ServiceError> {
        if self.staff_role.is_some() {
            Ok(())
        } else {
            Err(ServiceError::Refused(format!(
                "{action} needs a signed-in staff member"
            )))
        }
    }
}
