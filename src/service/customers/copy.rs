//! Copying a customer (`customer copy`, the table's copy dialog): a new, pending customer with
//! the source's type and language, the services chosen (of those the source has on), its
//! plan, its target system and its user groups without members. Users, invitations and
//! contact details are not copied. The copy's first event names the source.

use serde::{Deserialize, Serialize};

use super::apply::{changeable, customer_ref, row, slug_taken};
use crate::domain::customer::clean_customer_name;
use crate::domain::groups::UserGroups;
use crate::domain::plans::PlanList;
use crate::domain::services::{ServiceCatalogue, ServiceOverride, customer_services};
use crate::domain::systems::SystemList;
use crate::domain::text::preview;
use crate::domain::{
    AuditAction, Customer, CustomerId, CustomerStatus, Privilege, Slug, ValidationError, slugify,
};
use crate::service::{Ctx, Outcome, ServiceError, TxResult, invalid, record};
use crate::store::Tx;

/// What to copy: the source by slug, the copy's name, and which of the source's services it
/// gets (all the source has on when `None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyCustomer {
    pub source: String,
    pub name: String,
    pub services: Option<Vec<String>>,
}

/// A copy with its name checked and its slug derived.
pub(crate) struct PreparedCopy {
    source: String,
    name: String,
    slug: Slug,
    services: Option<Vec<String>>,
}

pub(crate) fn prepare(copy: CopyCustomer) -> Result<PreparedCopy, ServiceError> {
    let name = clean_customer_name(&copy.name)?;
    let slug = slugify("name", &name)?;
    Ok(PreparedCopy {
        source: copy.source,
        name,
        slug,
        services: copy.services,
    })
}

/// The overrides that give a copy exactly the services `on` (catalogue numbers): only where
/// the catalogue's default differs, so the rest follows the catalogue as a new customer's do.
fn overrides_for(catalogue: &ServiceCatalogue, on: &[u32]) -> Vec<ServiceOverride> {
    catalogue
        .services
        .iter()
        .filter(|def| on.contains(&def.id.0) != def.default_on)
        .map(|def| ServiceOverride {
            service: def.id,
            on: !def.default_on,
        })
        .collect()
}

/// `a, b`, or `none`.
fn listed_or_none<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let list: Vec<&str> = names.collect();
    if list.is_empty() {
        "none".into()
    } else {
        list.join(", ")
    }
}

pub(crate) fn apply(
    tx: &Tx<'_, ServiceError>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    copy: &PreparedCopy,
) -> TxResult<Outcome> {
    let source = changeable(tx, &copy.source, action)?;
    slug_taken(tx, &copy.slug)?;
    let catalogue: ServiceCatalogue = tx.catalogue()?;
    let has = customer_services(&catalogue, &source.services);
    let mut chosen = Vec::new();
    match &copy.services {
        None => {
            for (def, service) in catalogue.services.iter().zip(&has) {
                if service.on {
                    chosen.push(def.id.0);
                }
            }
        }
        Some(names) => {
            for name in names {
                let i = catalogue.require(name).map_err(invalid)?;
                if !has.get(i).is_some_and(|s| s.on) {
                    return Err(invalid(ValidationError::new(
                        "services",
                        format!(
                            "{} is off for {}: only services it has are copied",
                            preview(&catalogue.services[i].name),
                            source.slug
                        ),
                    )));
                }
                chosen.push(catalogue.services[i].id.0);
            }
        }
    }
    let mut notes = Vec::new();
    let systems: SystemList = tx.catalogue()?;
    let system = match systems.get(source.system).filter(|s| !s.removed) {
        Some(s) => s.id,
        None => {
            let Some(default) = systems.default_system() else {
                return Err(invalid(ValidationError::new(
                    "system",
                    "no system can be chosen",
                )));
            };
            notes.push(format!(
                "its system {} is removed, so the copy is on {}",
                systems.label(source.system),
                default.name
            ));
            default.id
        }
    };
    let plans: PlanList = tx.catalogue()?;
    let plan = match source.plan.and_then(|id| plans.get(id)) {
        Some(_) if !ctx.session.has(Privilege::ManageServicePlans) => {
            notes.push("no plan: giving one needs \"manage service plans\"".into());
            None
        }
        Some(plan) if plan.removed => {
            notes.push(format!("no plan: {} is removed", plan.name));
            None
        }
        Some(plan) => Some(plan.id),
        None => None,
    };
    // The account's custom facts (a tier, a contract type) come along; a removed field's
    // values stay with the source.
    let schema = tx.field_schema()?;
    let fields: Vec<_> = source
        .fields
        .iter()
        .filter(|v| schema.get(v.field).is_some_and(|d| !d.removed))
        .cloned()
        .collect();
    let id = CustomerId(tx.next_id()?);
    let new = Customer {
        id,
        name: copy.name.clone(),
        slug: copy.slug.clone(),
        status: CustomerStatus::Pending,
        owner: None,
        contact_email: None,
        contact_phone: None,
        postal_address: None,
        website: None,
        is_provider: false,
        created_at: ctx.now,
        updated_at: ctx.now,
        deleted: None,
        services: overrides_for(&catalogue, &chosen),
        system,
        plan,
        independent: None,
        fields,
        ..source.clone()
    };
    tx.save_customer(&new)?;
    let groups: UserGroups = tx.user_groups(source.id)?.without_members();
    if !groups.groups.is_empty() {
        tx.put_user_groups(id, &groups)?;
    }
    let services = catalogue
        .services
        .iter()
        .filter(|d| chosen.contains(&d.id.0))
        .map(|d| d.name.as_str());
    let mut summary = format!(
        "copied from {} ({}): services {}; system {}; plan {}; groups {}; pending, with no users",
        source.slug,
        source.name,
        listed_or_none(services),
        systems.label(system),
        plans.label(plan),
        listed_or_none(groups.groups.iter().map(|g| g.name.as_str())),
    );
    for note in notes {
        summary.push_str("; ");
        summary.push_str(&note);
    }
    record(tx, ctx, Some(customer_ref(&new)), action, summary)?;
    row(tx, ctx, &new)
}
