//! Customer commands inside their transaction: add, edit, suspend/activate, move to the trash,
//! restore and purge. Every rule about customers is enforced here, whatever the front end.

use super::prepare::{PreparedCustomer, PreparedEdit, PreparedOwner, PurgePlan};
use super::rows::CustomerRow;
use super::{Ctx, Outcome, ServiceError, TxResult, fail, record};
use crate::domain::text::display_safe;
use crate::domain::{
    Customer, CustomerId, CustomerRef, CustomerRole, CustomerStatus, Deletion, Slug, User, UserId,
    UserStatus,
};
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
fn row(tx: &T<'_>, customer: &Customer) -> TxResult<Outcome> {
    let owner = match customer.owner {
        Some(id) => tx.user(id)?,
        None => None,
    };
    let retention = tx.settings()?.trash_retention_days;
    Ok(Outcome::Customer(CustomerRow::new(
        customer,
        owner.as_ref(),
        retention,
    )))
}

fn slug_taken(tx: &T<'_>, slug: &Slug) -> TxResult<()> {
    if let Some(id) = tx.customer_id_by_slug(slug)? {
        let where_ = match tx.customer(id)? {
            Some(c) if c.is_trashed() => {
                format!(" by \"{}\", which is in the trash", display_safe(&c.name))
            }
            Some(c) => format!(" by \"{}\"", display_safe(&c.name)),
            None => String::new(),
        };
        return fail(ServiceError::Conflict(format!(
            "slug \"{slug}\" is already taken{where_}"
        )));
    }
    Ok(())
}

/// Loads the customer a slug names.
fn by_slug(tx: &T<'_>, slug: &str) -> TxResult<Customer> {
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
fn changeable(tx: &T<'_>, slug: &str, verb: &str) -> TxResult<Customer> {
    let customer = by_slug(tx, slug)?;
    refuse_provider(&customer, verb)?;
    if customer.is_trashed() {
        return fail(ServiceError::Refused(format!(
            "customer \"{}\" is in the trash; restore it first",
            customer.slug
        )));
    }
    Ok(customer)
}

fn refuse_provider(customer: &Customer, verb: &str) -> TxResult<()> {
    if customer.is_provider {
        return fail(ServiceError::Refused(format!(
            "\"{}\" is the provider company and cannot be {verb}; rename it with `tenantry settings set company.name NAME`",
            customer.slug
        )));
    }
    Ok(())
}

/// Finds or creates the owner; returns the user id and a note for the audit summary.
fn resolve_owner(tx: &T<'_>, ctx: &Ctx<'_>, owner: &PreparedOwner) -> TxResult<(UserId, String)> {
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
    let user = User {
        id,
        email: owner.email.clone(),
        first_name: first_name.clone(),
        last_name: last_name.clone(),
        status,
        password_hash: owner.password_hash.clone(),
        staff_role: None,
        unix_user: None,
        created_at: ctx.now,
        updated_at: ctx.now,
    };
    tx.put_user(&user)?;
    tx.put_email(&owner.email_key, id)?;
    Ok((
        id,
        format!("owner {} (new, {})", owner.email, status.as_str()),
    ))
}

pub(crate) fn add(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: &str,
    new: &PreparedCustomer,
) -> TxResult<Outcome> {
    let customer = create(tx, ctx, action, new, None)?;
    row(tx, &customer)
}

/// Creates a customer with its slug index entry, its owner (found or created) and its audit
/// event. With `import`, the customer is also recorded as created by that import.
pub(crate) fn create(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: &str,
    new: &PreparedCustomer,
    import: Option<(u64, &str)>,
) -> TxResult<Customer> {
    slug_taken(tx, &new.slug)?;
    let id = CustomerId(tx.next_id()?);
    let (owner, owner_note) = match &new.owner {
        Some(o) => {
            let (uid, note) = resolve_owner(tx, ctx, o)?;
            (Some(uid), note)
        }
        None => (None, "no owner".to_owned()),
    };
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
    };
    tx.put_customer(&customer)?;
    tx.put_slug(&customer.slug, id)?;
    if let Some(uid) = owner {
        tx.put_membership(id, uid, CustomerRole::Administrator)?;
    }
    let mut summary = format!(
        "added {} customer, {}, language {}, {owner_note}",
        customer.kind.as_str(),
        customer.status.as_str(),
        customer.language
    );
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

pub(crate) fn edit(tx: &T<'_>, ctx: &Ctx<'_>, action: &str, e: &PreparedEdit) -> TxResult<Outcome> {
    let mut customer = changeable(tx, &e.slug, "edited")?;
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
    if let Some(new_slug) = &e.new_slug {
        if *new_slug != customer.slug {
            slug_taken(tx, new_slug)?;
            tx.remove_slug(&customer.slug)?;
            tx.put_slug(new_slug, customer.id)?;
            changes.push(format!("slug: {} → {new_slug}", customer.slug));
            customer.slug = new_slug.clone();
        }
    }
    if changes.is_empty() {
        return row(tx, &customer);
    }
    customer.updated_at = ctx.now;
    tx.put_customer(&customer)?;
    record(tx, ctx, Some(before), action, changes.join("; "))?;
    row(tx, &customer)
}

pub(crate) fn set_status(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: &str,
    slug: &str,
    status: CustomerStatus,
) -> TxResult<Outcome> {
    let verb = match status {
        CustomerStatus::Active => "activated",
        CustomerStatus::Suspended => "suspended",
    };
    let mut customer = changeable(tx, slug, verb)?;
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
    tx.put_customer(&customer)?;
    record(tx, ctx, Some(customer_ref(&customer)), action, summary)?;
    row(tx, &customer)
}

pub(crate) fn soft_delete(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: &str,
    slug: &str,
) -> TxResult<Outcome> {
    let mut customer = changeable(tx, slug, "deleted")?;
    let retention = tx.settings()?.trash_retention_days;
    let summary = format!("moved to the trash; purged automatically after {retention} days");
    move_to_trash(tx, ctx, &mut customer, action, summary)?;
    row(tx, &customer)
}

/// Marks a customer deleted now by the acting session, enters it in the trash and writes the
/// event. The caller has checked that it may be deleted.
pub(crate) fn move_to_trash(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    customer: &mut Customer,
    action: &str,
    summary: String,
) -> TxResult<()> {
    customer.deleted = Some(Deletion {
        at: ctx.now,
        by: ctx.session.actor().label(),
    });
    customer.updated_at = ctx.now;
    tx.put_customer(customer)?;
    tx.put_trash(ctx.now, customer.id)?;
    record(tx, ctx, Some(customer_ref(customer)), action, summary)?;
    Ok(())
}

pub(crate) fn restore(tx: &T<'_>, ctx: &Ctx<'_>, action: &str, slug: &str) -> TxResult<Outcome> {
    let mut customer = by_slug(tx, slug)?;
    let Some(deletion) = customer.deleted.take() else {
        return fail(ServiceError::Refused(format!(
            "customer \"{}\" is not in the trash",
            customer.slug
        )));
    };
    customer.updated_at = ctx.now;
    tx.put_customer(&customer)?;
    tx.remove_trash(deletion.at, customer.id)?;
    let summary = format!(
        "restored from the trash (deleted {} by {})",
        deletion.at.to_rfc3339(),
        deletion.by
    );
    record(tx, ctx, Some(customer_ref(&customer)), action, summary)?;
    row(tx, &customer)
}

/// Removes a trashed customer for good: the record, its slug and trash entries, its
/// memberships, and members left with no membership and no staff role. Its audit events stay.
pub(crate) fn purge(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: &str,
    plan: &PurgePlan,
) -> TxResult<Outcome> {
    let customer = by_slug(tx, &plan.slug)?;
    refuse_provider(&customer, "purged")?;
    if customer.id != plan.id {
        return fail(ServiceError::Conflict(format!(
            "customer \"{}\" changed while purging; try again",
            customer.slug
        )));
    }
    let Some(deletion) = &customer.deleted else {
        return fail(ServiceError::Refused(format!(
            "customer \"{}\" is not in the trash; delete it first (only trashed customers can be purged)",
            customer.slug
        )));
    };
    let mut removed_users = Vec::new();
    for (user_id, orphan) in &plan.members {
        if tx.membership(customer.id, *user_id)?.is_none() {
            return fail(ServiceError::Conflict(format!(
                "customer \"{}\" changed while purging; try again",
                customer.slug
            )));
        }
        tx.remove_membership(customer.id, *user_id)?;
        if !orphan {
            continue;
        }
        if let Some(user) = tx.user(*user_id)? {
            if user.staff_role.is_some() {
                continue;
            }
            tx.remove_user(user.id)?;
            tx.remove_email(&user.email_key())?;
            if let Some(unix) = &user.unix_user {
                tx.remove_unix(unix)?;
            }
            removed_users.push(user.email.clone());
        }
    }
    for import in &plan.imports {
        tx.remove_import_customer(*import, customer.id)?;
    }
    tx.remove_trash(deletion.at, customer.id)?;
    tx.remove_slug(&customer.slug)?;
    tx.remove_customer(customer.id)?;
    let mut summary = format!(
        "purged permanently (was in the trash since {})",
        deletion.at.to_rfc3339()
    );
    if !removed_users.is_empty() {
        summary.push_str(&format!(
            "; removed users with no other membership: {}",
            removed_users.join(", ")
        ));
    }
    record(tx, ctx, Some(customer_ref(&customer)), action, summary)?;
    Ok(Outcome::Purged(vec![customer.slug.to_string()]))
}
