//! Customer commands inside their transaction: add, edit, suspend/activate (moving to and out
//! of the trash, and purging, are in `trash.rs`). Every rule about customers is enforced here
//! or there, whatever the front end. These functions must not scan.

use super::prepare::{PreparedCustomer, PreparedEdit, PreparedOwner};
use crate::domain::AuditAction;
use crate::domain::systems::{SystemId, SystemList};
use crate::domain::text::display_safe;
use crate::domain::{
    Customer, CustomerId, CustomerRef, CustomerRole, CustomerStatus, Membership, Slug, User,
    UserId, UserOrigin, UserStatus, ValidationError,
};
use crate::service::error::{CustomerRefusal, Holder, UniqueField};
use crate::service::rows::CustomerRow;
use crate::service::{Ctx, Outcome, ServiceError, TxResult, fail, record};
use crate::store::Tx;

type T<'a> = Tx<'a, ServiceError>;

pub(crate) fn customer_ref(c: &Customer) -> CustomerRef {
    CustomerRef {
        id: c.id,
        slug: c.slug.to_string(),
        name: c.name.clone(),
    }
}

/// The outcome row for a customer as it now stands.
pub(crate) fn row(tx: &T<'_>, ctx: &Ctx<'_>, customer: &Customer) -> TxResult<Outcome> {
    let owner = match customer.owner {
        Some(id) => tx.user(id)?,
        None => None,
    };
    let retention = tx.settings()?.trash_retention_days;
    Ok(Outcome::Customer(CustomerRow::new(
        customer,
        owner.as_ref(),
        retention,
        &*tx.field_schema()?,
        ctx.session,
    )))
}

pub(super) fn slug_taken(tx: &T<'_>, slug: &Slug) -> TxResult<()> {
    if let Some(id) = tx.customer_id_by_slug(slug)? {
        let holder = match tx.customer(id)? {
            Some(c) => Holder::Customer {
                trashed: c.is_trashed(),
                name: c.name,
            },
            None => Holder::Unknown,
        };
        return fail(ServiceError::Taken {
            field: UniqueField::Slug,
            value: slug.to_string(),
            holder,
        });
    }
    Ok(())
}

/// Loads the customer a slug names.
pub(crate) fn by_slug(tx: &T<'_>, slug: &str) -> TxResult<Customer> {
    let missing = || ServiceError::not_found("customer", slug);
    let Ok(parsed) = Slug::parse("slug", slug.trim()) else {
        return fail(missing());
    };
    let Some(id) = tx.customer_id_by_slug(&parsed)? else {
        return fail(missing());
    };
    match tx.customer(id)? {
        Some(c) => Ok(c),
        None => fail(missing()),
    }
}

/// Loads a customer that an ordinary customer command may change: not the provider, not in
/// the trash.
pub(crate) fn changeable(tx: &T<'_>, slug: &str, action: AuditAction) -> TxResult<Customer> {
    let customer = by_slug(tx, slug)?;
    refuse_provider(&customer, action)?;
    if customer.is_trashed() {
        return fail(ServiceError::CustomerRefused {
            slug: customer.slug.to_string(),
            action,
            reason: CustomerRefusal::InTrash,
        });
    }
    Ok(customer)
}

/// The provider company is changed only through settings; `action` names what was tried.
pub(super) fn refuse_provider(customer: &Customer, action: AuditAction) -> TxResult<()> {
    if customer.is_provider {
        return fail(ServiceError::CustomerRefused {
            slug: customer.slug.to_string(),
            action,
            reason: CustomerRefusal::ProviderCompany,
        });
    }
    Ok(())
}

/// Finds or creates the owner; returns the user id and a note for the audit summary.
fn resolve_owner(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    owner: &PreparedOwner,
    origin: UserOrigin,
) -> TxResult<(UserId, String)> {
    if let Some(id) = tx.user_id_by_email(&owner.email_key)? {
        return Ok((id, format!("owner {} (existing)", owner.email)));
    }
    let (Some(first_name), Some(last_name)) = (&owner.first_name, &owner.last_name) else {
        return fail(ServiceError::Invalid(crate::domain::ValidationError::new(
            "owner first name",
            format!(
                "no user has the email {}; give the new owner's first and last name",
                display_safe(&owner.email)
            ),
        )));
    };
    let id = UserId(tx.next_id()?);
    let status = if owner.password_hash.is_some() {
        UserStatus::Active
    } else {
        UserStatus::Invited
    };
    let mut user = User::new(
        id,
        owner.email.clone(),
        first_name.clone(),
        last_name.clone(),
        ctx.now,
    );
    user.status = status;
    user.password_hash = owner.password_hash.clone();
    user.origin = origin;
    user.created_by = ctx.session.user_id();
    tx.save_user(&user)?;
    Ok((
        id,
        format!("owner {} (new, {})", owner.email, status.as_str()),
    ))
}

/// The system called `name`, or the default one: the first that can be chosen.
fn target_system(tx: &T<'_>, name: Option<&str>) -> TxResult<SystemId> {
    let systems: SystemList = tx.catalogue()?;
    let found = match name {
        Some(name) => systems.require_choosable(name).map(|s| s.id),
        None => systems
            .default_system()
            .map(|s| s.id)
            .ok_or_else(|| ValidationError::new("system", "no system can be chosen")),
    };
    found.map_err(crate::service::invalid)
}

pub(crate) fn add(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    new: &PreparedCustomer,
) -> TxResult<Outcome> {
    let customer = create(tx, ctx, action, new, None)?;
    row(tx, ctx, &customer)
}

/// Creates a customer with its slug index entry, its owner (found or created) and its audit
/// event. With `import`, the customer is also recorded as created by that import.
pub(crate) fn create(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    new: &PreparedCustomer,
    import: Option<(u64, &str)>,
) -> TxResult<Customer> {
    slug_taken(tx, &new.slug)?;
    let system = target_system(tx, new.system.as_deref())?;
    let id = CustomerId(tx.next_id()?);
    let (owner, owner_note) = match &new.owner {
        Some(o) => {
            let origin = match import {
                Some(_) => UserOrigin::Import,
                None => UserOrigin::Staff,
            };
            let (uid, note) = resolve_owner(tx, ctx, o, origin)?;
            (Some(uid), note)
        }
        None => (None, "no owner".to_owned()),
    };
    let (fields, fields_said) = crate::service::field_values::apply_values(
        tx,
        ctx,
        crate::domain::fields::FieldTarget::Customers,
        &[],
        &new.fields,
        true,
    )?;
    let customer = Customer {
        id,
        name: new.name.clone(),
        slug: new.slug.clone(),
        kind: new.kind,
        status: new.status,
        language: new.language.clone(),
        owner,
        contact_email: new.contact_email.clone(),
        contact_phone: new.contact_phone.clone(),
        is_provider: false,
        created_at: ctx.now,
        updated_at: ctx.now,
        deleted: None,
        postal_address: new.postal_address.clone(),
        website: new.website.clone(),
        services: Vec::new(),
        system,
        plan: None,
        independent: None,
        fields,
    };
    tx.save_customer(&customer)?;
    if let Some(uid) = owner {
        tx.put_membership(
            id,
            uid,
            Membership::active(CustomerRole::Administrator, ctx.now),
        )?;
    }
    let mut summary = format!(
        "added {} customer, {}, language {}, {owner_note}",
        customer.kind.as_str(),
        customer.status.as_str(),
        customer.language
    );
    for said in fields_said {
        summary.push_str(&format!(", {said}"));
    }
    if let Some((import_id, file)) = import {
        tx.put_import_customer(import_id, id)?;
        summary.push_str(&format!("; imported from {file} (import {import_id})"));
    }
    record(tx, ctx, Some(customer_ref(&customer)), action, summary)?;
    Ok(customer)
}

fn change<V: PartialEq + Clone + std::fmt::Display>(
    changes: &mut Vec<String>,
    label: &str,
    field: &mut V,
    new: &V,
) {
    if field != new {
        changes.push(format!("{label}: {field} → {new}"));
        *field = new.clone();
    }
}

fn change_opt(
    changes: &mut Vec<String>,
    label: &str,
    field: &mut Option<String>,
    new: &Option<String>,
) {
    if field != new {
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
        changes.push(format!("{label}: {} → {}", show(field), show(new)));
        field.clone_from(new);
    }
}

pub(crate) fn edit(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    e: &PreparedEdit,
) -> TxResult<Outcome> {
    let mut customer = changeable(tx, &e.slug, action)?;
    let before = customer_ref(&customer);
    let mut changes = Vec::new();
    if let Some(name) = &e.name {
        change(&mut changes, "name", &mut customer.name, name);
    }
    if let Some(kind) = e.kind {
        if customer.kind != kind {
            changes.push(format!(
                "type: {} → {}",
                customer.kind.as_str(),
                kind.as_str()
            ));
            customer.kind = kind;
        }
    }
    if let Some(language) = &e.language {
        change(&mut changes, "language", &mut customer.language, language);
    }
    if let Some(email) = &e.contact_email {
        change_opt(&mut changes, "email", &mut customer.contact_email, email);
    }
    if let Some(phone) = &e.contact_phone {
        change_opt(&mut changes, "phone", &mut customer.contact_phone, phone);
    }
    if let Some(address) = &e.postal_address {
        change_opt(
            &mut changes,
            "address",
            &mut customer.postal_address,
            address,
        );
    }
    if let Some(website) = &e.website {
        change_opt(&mut changes, "website", &mut customer.website, website);
    }
    let (fields, fields_said) = crate::service::field_values::apply_values(
        tx,
        ctx,
        crate::domain::fields::FieldTarget::Customers,
        &customer.fields,
        &e.fields,
        false,
    )?;
    customer.fields = fields;
    changes.extend(fields_said);
    if let Some(new_slug) = &e.new_slug {
        if *new_slug != customer.slug {
            slug_taken(tx, new_slug)?;
            changes.push(format!("slug: {} → {new_slug}", customer.slug));
            customer.slug = new_slug.clone();
        }
    }
    if changes.is_empty() {
        return row(tx, ctx, &customer);
    }
    customer.updated_at = ctx.now;
    tx.save_customer(&customer)?;
    record(tx, ctx, Some(before), action, changes.join("; "))?;
    row(tx, ctx, &customer)
}

pub(crate) fn set_status(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    slug: &str,
    status: CustomerStatus,
) -> TxResult<Outcome> {
    let mut customer = changeable(tx, slug, action)?;
    let refuse = |reason| {
        fail(ServiceError::CustomerRefused {
            slug: customer.slug.to_string(),
            action,
            reason,
        })
    };
    match (customer.status, status) {
        // Activation puts a customer in use: it needs someone to use it.
        (CustomerStatus::Pending, CustomerStatus::Active) if tx.member_count(customer.id)? == 0 => {
            return refuse(CustomerRefusal::NoUsers);
        }
        (CustomerStatus::Pending, CustomerStatus::Suspended) => {
            return refuse(CustomerRefusal::Pending);
        }
        (from, CustomerStatus::Pending) if from != CustomerStatus::Pending => {
            return fail(ServiceError::Refused(format!(
                "customer \"{}\" was activated; a customer is pending only until then",
                customer.slug
            )));
        }
        _ => {}
    }
    if customer.status == status {
        return fail(ServiceError::Refused(format!(
            "customer \"{}\" is already {}",
            customer.slug,
            status.as_str()
        )));
    }
    let summary = format!("status: {} → {}", customer.status.as_str(), status.as_str());
    customer.status = status;
    customer.updated_at = ctx.now;
    tx.save_customer(&customer)?;
    record(tx, ctx, Some(customer_ref(&customer)), action, summary)?;
    row(tx, ctx, &customer)
}
