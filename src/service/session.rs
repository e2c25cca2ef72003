//! Who is acting. A [`Session`] is made only by the service — sign-in, peer authentication,
//! `init`, or the built-in system actor — and cannot be built, edited or deserialised anywhere
//! else: its fields are private and it implements neither `Deserialize` nor a public
//! constructor that takes an identity. Front ends hold one (or, through
//! a backend, not even that) and may read a [`SessionInfo`] describing it.
//!
//! A session names its [`Principal`] by id. Before every command and query the service
//! re-reads that user ([`Service::acting`]): someone disabled, deleted or moved out of staff
//! since signing in is refused from that moment, and a demoted staff member acts with the role
//! stored now, never the one copied at sign-in. This module must not trust a role it was given.

use serde::{Deserialize, Serialize};

use super::{Service, ServiceError};
use crate::domain::text::display_safe;
use crate::domain::{
    Actor, CustomerId, CustomerRole, CustomerStatus, ImpersonationEnd, Privilege, StaffRole,
    Timestamp, User, UserId, UserStatus,
};

/// Who a session acts as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// The built-in actor of automatic work; holds no privilege.
    System,
    /// A signed-in staff member, with the role read from the store for this call.
    Staff {
        id: UserId,
        email: String,
        role: StaffRole,
    },
    /// A customer's user acting in one customer with their role there.
    CustomerUser {
        id: UserId,
        email: String,
        customer: CustomerId,
        role: CustomerRole,
    },
    /// A staff member acting as a customer's administrator would, for a stated reason, until
    /// a time limit. Holds no staff privilege while it lasts (D94).
    Impersonating {
        id: UserId,
        email: String,
        role: StaffRole,
        customer: CustomerId,
        reason: String,
        until: Timestamp,
        /// When it started, and the sequence of its `impersonation.start` event (its id).
        started: Timestamp,
        start_seq: u64,
    },
    /// A customer's user who signed in and has not yet chosen one of their customers: may
    /// only list their customers and enter one.
    Member { id: UserId, email: String },
}

/// A session the service made. Cloning it is harmless: every use is checked again against
/// the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    principal: Principal,
}

/// The kind of principal, as front ends see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionKind {
    System,
    Staff,
    CustomerUser,
    Impersonating,
    /// Signed in as a customer's user, before choosing a customer.
    Member,
}

/// A read-only description of who acts, for front ends to choose tabs, hints and banners.
/// It grants nothing: handing it back to the service is not possible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub kind: SessionKind,
    /// The acting user's email, or `system`.
    pub email: String,
    /// The staff role (staff and impersonating sessions).
    pub staff_role: Option<StaffRole>,
    /// The role in the customer (customer users).
    pub customer_role: Option<CustomerRole>,
    /// The customer acted in or impersonated.
    pub customer: Option<CustomerId>,
    /// Why, and until when, a staff member impersonates `customer` (the impersonation bar).
    pub reason: Option<String>,
    pub until: Option<Timestamp>,
    /// When the impersonation started.
    pub started: Option<Timestamp>,
}

impl Session {
    /// The built-in actor of automatic work. It holds no privilege: it can only run what a
    /// setting already decided (purging expired trash).
    pub fn system() -> Self {
        Self {
            principal: Principal::System,
        }
    }

    /// The session of a customer's user acting in `customer` with `role` there, made by
    /// [`Service::sign_in_member`].
    pub(crate) fn customer_user(user: &User, customer: CustomerId, role: CustomerRole) -> Self {
        Self {
            principal: Principal::CustomerUser {
                id: user.id,
                email: user.email.clone(),
                customer,
                role,
            },
        }
    }

    /// The session of an active staff member, made by sign-in, peer authentication and
    /// `init`. `None` for a user who is not staff.
    pub(crate) fn staff(user: &User) -> Option<Self> {
        Some(Self {
            principal: Principal::Staff {
                id: user.id,
                email: user.email.clone(),
                role: user.staff_role?,
            },
        })
    }

    /// A session of the given shape, for the service's own constructors (impersonation,
    /// choosing a customer) once their checks passed.
    pub(crate) fn from_principal(principal: Principal) -> Self {
        Self { principal }
    }

    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    pub fn is_system(&self) -> bool {
        matches!(self.principal, Principal::System)
    }

    /// The actor events name.
    pub fn actor(&self) -> Actor {
        match &self.principal {
            Principal::System => Actor::System,
            Principal::Staff { id, email, .. }
            | Principal::CustomerUser { id, email, .. }
            | Principal::Impersonating { id, email, .. }
            | Principal::Member { id, email } => Actor::User {
                id: *id,
                email: email.clone(),
            },
        }
    }

    /// The acting user's id; `None` for the system actor.
    pub fn user_id(&self) -> Option<UserId> {
        match &self.principal {
            Principal::System => None,
            Principal::Staff { id, .. }
            | Principal::CustomerUser { id, .. }
            | Principal::Impersonating { id, .. }
            | Principal::Member { id, .. } => Some(*id),
        }
    }

    /// The staff role this session acts with; `None` for the system actor and customer users.
    pub fn staff_role(&self) -> Option<StaffRole> {
        match &self.principal {
            Principal::Staff { role, .. } | Principal::Impersonating { role, .. } => Some(*role),
            Principal::System | Principal::CustomerUser { .. } | Principal::Member { .. } => None,
        }
    }

    /// The customer being impersonated, if any: every event is also logged in its log.
    pub fn impersonating(&self) -> Option<CustomerId> {
        match &self.principal {
            Principal::Impersonating { customer, .. } => Some(*customer),
            _ => None,
        }
    }

    /// The customer this session acts in and the customer role it acts with: a customer's
    /// user's own role, and administrator for an impersonation. `None` for staff, the system
    /// actor and a member who has not chosen a customer.
    pub fn customer_scope(&self) -> Option<(CustomerId, CustomerRole)> {
        match &self.principal {
            Principal::CustomerUser { customer, role, .. } => Some((*customer, *role)),
            Principal::Impersonating { customer, .. } => {
                Some((*customer, CustomerRole::Administrator))
            }
            _ => None,
        }
    }

    /// True for every session on the customer side: a customer's user (chosen a customer or
    /// not) and an impersonation. These hold no staff privilege.
    pub fn is_customer_side(&self) -> bool {
        matches!(
            self.principal,
            Principal::CustomerUser { .. }
                | Principal::Impersonating { .. }
                | Principal::Member { .. }
        )
    }

    /// The refusal a customer-side session gets for `action`, outside its customer or role.
    pub(crate) fn outside(action: impl Into<String>) -> ServiceError {
        ServiceError::OutsideSession {
            action: action.into(),
        }
    }

    /// What front ends may know about this session.
    pub fn info(&self) -> SessionInfo {
        let (kind, customer_role, customer) = match &self.principal {
            Principal::System => (SessionKind::System, None, None),
            Principal::Staff { .. } => (SessionKind::Staff, None, None),
            Principal::CustomerUser { customer, role, .. } => {
                (SessionKind::CustomerUser, Some(*role), Some(*customer))
            }
            Principal::Impersonating { customer, .. } => (
                SessionKind::Impersonating,
                Some(CustomerRole::Administrator),
                Some(*customer),
            ),
            Principal::Member { .. } => (SessionKind::Member, None, None),
        };
        let (reason, until, started) = match &self.principal {
            Principal::Impersonating {
                reason,
                until,
                started,
                ..
            } => (Some(reason.clone()), Some(*until), Some(*started)),
            _ => (None, None, None),
        };
        SessionInfo {
            kind,
            email: self.actor().label(),
            staff_role: self.staff_role(),
            customer_role,
            customer,
            reason,
            until,
            started,
        }
    }

    /// True when this is a staff session whose role grants `privilege`. An impersonation
    /// holds none: it acts as the customer's administrator would.
    pub fn has(&self, privilege: Privilege) -> bool {
        match &self.principal {
            Principal::Staff { role, .. } => role.has(privilege),
            _ => false,
        }
    }

    /// Refuses unless the session holds `privilege`; `action` names what was attempted. A
    /// customer-side session gets the one refusal of everything outside it.
    pub fn require(&self, privilege: Privilege, action: &'static str) -> Result<(), ServiceError> {
        if self.has(privilege) {
            Ok(())
        } else if self.is_customer_side() {
            Err(Self::outside(action))
        } else {
            Err(ServiceError::PermissionDenied {
                action,
                privilege: privilege.label(),
            })
        }
    }

    /// Any signed-in staff member may read customers; nobody on the customer side may.
    pub fn require_staff(&self, action: &'static str) -> Result<(), ServiceError> {
        match &self.principal {
            Principal::Staff { .. } => Ok(()),
            _ if self.is_customer_side() => Err(Self::outside(action)),
            _ => Err(ServiceError::Refused(format!(
                "{action} needs a signed-in staff member"
            ))),
        }
    }
}

/// Why a session may no longer act, in the words shown to the operator.
fn ended(email: &str, why: &str) -> ServiceError {
    ServiceError::Refused(format!(
        "{} {why}; this session can no longer act, sign in again",
        display_safe(email)
    ))
}

impl Service {
    /// The session as it stands now: the acting user re-read from the store. Refuses a user
    /// who was deleted, disabled or is no longer staff, and an impersonation past its time
    /// limit; otherwise returns a session carrying the stored role and email. Every command
    /// and query passes through here before its permission check.
    pub fn acting(&self, session: &Session) -> Result<Session, ServiceError> {
        let (id, email) = match &session.principal {
            Principal::System => return Ok(session.clone()),
            Principal::Staff { id, email, .. }
            | Principal::CustomerUser { id, email, .. }
            | Principal::Impersonating { id, email, .. }
            | Principal::Member { id, email } => (*id, email.as_str()),
        };
        let Some(user) = self.store.user(id)? else {
            return Err(ended(email, "no longer exists"));
        };
        if user.status != UserStatus::Active {
            return Err(ended(&user.email, &format!("is {}", user.status.as_str())));
        }
        let principal = match &session.principal {
            Principal::System => Principal::System,
            Principal::Staff { .. } => Principal::Staff {
                id,
                email: user.email.clone(),
                role: user
                    .staff_role
                    .ok_or_else(|| ended(&user.email, "is no longer a staff member"))?,
            },
            Principal::Impersonating {
                customer,
                reason,
                until,
                started,
                start_seq,
                ..
            } => {
                if *until <= self.now() {
                    return Err(ServiceError::ImpersonationOver {
                        why: ImpersonationEnd::TimeLimit,
                    });
                }
                // Ended is ended: a copy of the session kept elsewhere acts no more.
                match self.store.impersonation(*start_seq)? {
                    Some(record) => {
                        if let Some(ending) = record.ended {
                            return Err(ServiceError::ImpersonationOver { why: ending.how });
                        }
                    }
                    None => {
                        return Err(ServiceError::ImpersonationOver {
                            why: ImpersonationEnd::Returned,
                        });
                    }
                }
                let role = user
                    .staff_role
                    .filter(|r| r.has(Privilege::Impersonate))
                    .ok_or(ServiceError::ImpersonationOver {
                        why: ImpersonationEnd::PrivilegeLost,
                    })?;
                if self.impersonation_refusal(*customer)?.is_some() {
                    return Err(ServiceError::ImpersonationOver {
                        why: ImpersonationEnd::CustomerChanged,
                    });
                }
                Principal::Impersonating {
                    id,
                    email: user.email.clone(),
                    role,
                    customer: *customer,
                    reason: reason.clone(),
                    until: *until,
                    started: *started,
                    start_seq: *start_seq,
                }
            }
            Principal::Member { .. } => Principal::Member {
                id,
                email: user.email.clone(),
            },
            Principal::CustomerUser { customer, .. } => {
                let usable = self
                    .store
                    .customer(*customer)?
                    .is_some_and(|c| !c.is_trashed() && c.status == CustomerStatus::Active);
                if !usable {
                    return Err(ended(
                        &user.email,
                        "acts in a customer that is suspended, deleted or gone",
                    ));
                }
                let role = self
                    .store
                    .membership(*customer, id)?
                    .filter(|m| m.in_force())
                    .map(|m| m.role)
                    .ok_or_else(|| ended(&user.email, "is no longer a member of the customer"))?;
                Principal::CustomerUser {
                    id,
                    email: user.email.clone(),
                    customer: *customer,
                    role,
                }
            }
        };
        Ok(Session { principal })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_system_session_holds_no_privilege_and_describes_itself() {
        let s = Session::system();
        assert!(!s.has(Privilege::ViewLogs));
        assert!(s.require_staff("x").is_err());
        let info = s.info();
        assert_eq!(info.kind, SessionKind::System);
        assert_eq!(info.email, "system");
        assert_eq!(info.staff_role, None);
    }

    #[test]
    fn an_impersonating_session_acts_as_its_staff_member_and_names_the_customer() {
        let s = Session {
            principal: Principal::Impersonating {
                id: UserId(7),
                email: "ops@example.com".into(),
                role: StaffRole::Operator,
                customer: CustomerId(9),
                reason: "ticket 42".into(),
                until: Timestamp(1_000),
                started: Timestamp(10),
                start_seq: 5,
            },
        };
        assert_eq!(s.impersonating(), Some(CustomerId(9)));
        assert_eq!(s.user_id(), Some(UserId(7)));
        assert!(!s.has(Privilege::ManageCustomers));
        assert!(matches!(
            s.require_staff("listing customers"),
            Err(ServiceError::OutsideSession { .. })
        ));
        assert_eq!(
            s.customer_scope(),
            Some((CustomerId(9), CustomerRole::Administrator))
        );
        let info = s.info();
        assert_eq!(info.kind, SessionKind::Impersonating);
        assert_eq!(info.customer, Some(CustomerId(9)));
        assert_eq!(info.reason.as_deref(), Some("ticket 42"));
        assert_eq!(info.until, Some(Timestamp(1_000)));
    }

    #[test]
    fn a_customer_user_holds_no_staff_privilege() {
        let s = Session {
            principal: Principal::CustomerUser {
                id: UserId(3),
                email: "ann@acme.example".into(),
                customer: CustomerId(4),
                role: CustomerRole::Administrator,
            },
        };
        assert!(matches!(
            s.require_staff("listing customers"),
            Err(ServiceError::OutsideSession { .. })
        ));
        assert_eq!(s.info().customer_role, Some(CustomerRole::Administrator));
    }
}
