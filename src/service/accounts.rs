//! A customer's account settings: which services of the catalogue it has (each inherited or
//! overridden), the target system it runs on, and its service plan. One [`AccountCommand`]
//! each; `customer services|system|plan` in the CLI and the profile's fields in the console.
//! Setting or viewing a plan needs the *manage service plans* privilege; the rest *manage
//! customers*. The provider company and customers in the trash are not changed.

use serde::{Deserialize, Serialize};

use super::customers::apply::{changeable, customer_ref, row};
use super::{Ctx, Outcome, ServiceError, TxResult, fail, invalid, record};
use crate::domain::plans::PlanList;
use crate::domain::services::{ServiceCatalogue, ServiceOverride};
use crate::domain::systems::SystemList;
use crate::domain::{AuditAction, Privilege, ValidationError};
use crate::store::Tx;

/// A change to one customer's account settings; names arrive raw, any case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountCommand {
    /// Turns services on or off for this customer (overrides), or back to the catalogue's
    /// default (inherited). A service may be named once across the three lists.
    Services {
        slug: String,
        enable: Vec<String>,
        disable: Vec<String>,
        inherit: Vec<String>,
    },
    /// Moves the customer to another target system.
    System { slug: String, system: String },
    /// Gives the customer a plan, or none.
    Plan { slug: String, plan: Option<String> },
}

impl AccountCommand {
    pub fn spec(&self) -> (AuditAction, Privilege) {
        match self {
            Self::Services { .. } => (AuditAction::CustomerServices, Privilege::ManageCustomers),
            Self::System { .. } => (AuditAction::CustomerSystem, Privilege::ManageCustomers),
            Self::Plan { .. } => (AuditAction::CustomerPlan, Privilege::ManageServicePlans),
        }
    }

    /// Refuses what cannot be right whatever the database holds: no service named, or one
    /// named twice.
    pub(crate) fn prepare(self) -> Result<Self, ServiceError> {
        if let Self::Services {
            enable,
            disable,
            inherit,
            ..
        } = &self
        {
            let all: Vec<String> = enable
                .iter()
                .chain(disable)
                .chain(inherit)
                .map(|n| n.trim().to_lowercase())
                .collect();
            if all.is_empty() {
                return Err(ValidationError::new(
                    "service",
                    "nothing to change: name a service to enable, disable or inherit",
                )
                .into());
            }
            if let Some(twice) = all
                .iter()
                .enumerate()
                .find_map(|(i, n)| all[..i].contains(n).then_some(n))
            {
                return Err(ValidationError::new(
                    "service",
                    format!(
                        "\"{}\" is named more than once",
                        crate::domain::text::preview(twice)
                    ),
                )
                .into());
            }
        }
        Ok(self)
    }

    pub(crate) fn apply(
        &self,
        tx: &Tx<'_, ServiceError>,
        ctx: &Ctx<'_>,
        action: AuditAction,
    ) -> TxResult<Outcome> {
        let slug = match self {
            Self::Services { slug, .. } | Self::System { slug, .. } | Self::Plan { slug, .. } => {
                slug
            }
        };
        let mut customer = changeable(tx, slug, action)?;
        let summary = match self {
            Self::Services {
                enable,
                disable,
                inherit,
                ..
            } => {
                let catalogue: ServiceCatalogue = tx.catalogue()?;
                let mut changes = Vec::new();
                let wanted = enable
                    .iter()
                    .map(|n| (n, Some(true)))
                    .chain(disable.iter().map(|n| (n, Some(false))))
                    .chain(inherit.iter().map(|n| (n, None)));
                for (name, on) in wanted {
                    let def = &catalogue.services[catalogue.require(name).map_err(invalid)?];
                    let before = customer.services.iter().find(|o| o.service == def.id);
                    if before.map(|o| o.on) == on && before.is_some() == on.is_some() {
                        continue;
                    }
                    customer.services.retain(|o| o.service != def.id);
                    if let Some(on) = on {
                        customer.services.push(ServiceOverride {
                            service: def.id,
                            on,
                        });
                    }
                    changes.push(match on {
                        Some(true) => format!("{} on", def.name),
                        Some(false) => format!("{} off", def.name),
                        None => format!(
                            "{} inherited ({})",
                            def.name,
                            if def.default_on { "on" } else { "off" }
                        ),
                    });
                }
                if changes.is_empty() {
                    return fail(ServiceError::Refused(format!(
                        "{} already has those services so",
                        customer.slug
                    )));
                }
                customer.services.sort_by_key(|o| o.service);
                format!("services of {}: {}", customer.slug, changes.join(", "))
            }
            Self::System { system, .. } => {
                let systems: SystemList = tx.catalogue()?;
                let to = systems.require_choosable(system).map_err(invalid)?;
                if to.id == customer.system {
                    return fail(ServiceError::Refused(format!(
                        "{} is already on {}",
                        customer.slug, to.name
                    )));
                }
                let from = systems.label(customer.system);
                customer.system = to.id;
                format!("moved {} from {from} to {}", customer.slug, to.name)
            }
            Self::Plan { plan, .. } => {
                let plans: PlanList = tx.catalogue()?;
                let to = match plan {
                    Some(name) => Some(plans.require_givable(name).map_err(invalid)?.id),
                    None => None,
                };
                if to == customer.plan {
                    return fail(ServiceError::Refused(format!(
                        "{} already has plan {}",
                        customer.slug,
                        plans.label(to)
                    )));
                }
                refuse_over_max_users(tx, &customer, &plans, to, 0)?;
                let summary = format!(
                    "plan of {}: {} → {}",
                    customer.slug,
                    plans.label(customer.plan),
                    plans.label(to)
                );
                customer.plan = to;
                summary
            }
        };
        customer.updated_at = ctx.now;
        tx.save_customer(&customer)?;
        record(tx, ctx, Some(customer_ref(&customer)), action, summary)?;
        row(tx, ctx, &customer)
    }
}

/// Refuses one more user for `customer` when its plan's *max users* is reached. Called by
/// every command that gives a customer a new membership (adding a user, inviting one), in
/// that command's transaction.
pub(crate) fn refuse_another_user(
    tx: &Tx<'_, ServiceError>,
    customer: &crate::domain::Customer,
) -> TxResult<()> {
    if customer.plan.is_none() {
        return Ok(());
    }
    let plans: PlanList = tx.catalogue()?;
    refuse_over_max_users(tx, customer, &plans, customer.plan, 1)
}

/// The one check of a plan's *max users*: refuses when `customer`, on `plan`, would have more
/// users than it allows once `adding` more join (0 when a plan is given to it).
fn refuse_over_max_users(
    tx: &Tx<'_, ServiceError>,
    customer: &crate::domain::Customer,
    plans: &PlanList,
    plan: Option<crate::domain::plans::PlanId>,
    adding: u64,
) -> TxResult<()> {
    let Some(max) = plan
        .and_then(|id| plans.get(id))
        .and_then(|p| p.limits.max_users)
    else {
        return Ok(());
    };
    let has = tx.member_count(customer.id)?.saturating_add(adding);
    if has > u64::from(max) {
        return fail(ServiceError::OverLimit {
            slug: customer.slug.to_string(),
            plan: plans.label(plan),
            limit: "max users".into(),
            max,
            has,
        });
    }
    Ok(())
}

impl PlanView {
    /// `Gold (max users 10, websites 3)`, or `none`.
    pub fn describe(&self) -> String {
        match &self.name {
            Some(name) => format!("{name} ({})", self.limits.describe()),
            None => "none".into(),
        }
    }
}

/// A customer's account settings as a reader sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AccountView {
    /// Every service of the catalogue, in its order, with where the setting comes from.
    pub services: Vec<crate::domain::services::CustomerService>,
    /// The target system's name (`(removed)` after one removed since).
    pub system: String,
    /// The plan: `None` when the reader may not see plans (*manage service plans*).
    pub plan: Option<PlanView>,
    /// Since when, and by whom, the customer manages itself.
    pub independent: Option<crate::domain::Independence>,
}

/// A customer's plan as shown: its name (`None` without one) and limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanView {
    pub name: Option<String>,
    pub limits: crate::domain::plans::PlanLimits,
}

impl super::Service {
    /// What `session` sees of `customer`'s account settings.
    pub(crate) fn account_view(
        &self,
        session: &super::Session,
        customer: &crate::domain::Customer,
    ) -> Result<AccountView, ServiceError> {
        let catalogue: ServiceCatalogue = self.store.catalogue()?;
        let systems: SystemList = self.store.catalogue()?;
        let plan = if session.has(Privilege::ManageServicePlans) {
            let plans: PlanList = self.store.catalogue()?;
            Some(PlanView {
                name: customer.plan.map(|_| plans.label(customer.plan)),
                limits: plans.limits(customer.plan),
            })
        } else {
            None
        };
        Ok(AccountView {
            services: crate::domain::services::customer_services(&catalogue, &customer.services),
            system: systems.label(customer.system),
            plan,
            independent: customer.independent.clone(),
        })
    }
}
