//! User commands inside their transaction. The rules of people in customers live here:
//! only corporate customers have users beyond their owner; an owner stays an administrator
//! and a member; a corporate customer keeps an active administrator; a user never renames
//! themselves; staff accounts are changed through the staff commands. These functions must
//! not scan: what needs a scan was read before the transaction and is re-read here.

use super::prepare::{PreparedDelete, PreparedRemove, PreparedUser, PreparedUserEdit};
use crate::domain::fields::FieldTarget;
use crate::domain::text::display_safe;
use crate::domain::{
    AuditAction, Customer, CustomerKind, CustomerRole, Membership, User, UserId, UserStatus,
};
use crate::service::customers::{by_slug, customer_ref};
use crate::service::{Ctx, Outcome, ServiceError, TxResult, fail, record};
use crate::store::Tx;

type T<'a> = Tx<'a, ServiceError>;

/// What a user command reports: the user it acted on.
pub(super) fn outcome(user: &User) -> Outcome {
    Outcome::User {
        id: user.id.0,
        email: user.email.clone(),
    }
}

pub(super) fn user_by_key(tx: &T<'_>, email_key: &str) -> TxResult<User> {
    let missing = || ServiceError::not_found("user", email_key);
    let Some(id) = tx.user_id_by_email(email_key)? else {
        return fail(missing());
    };
    match tx.user(id)? {
        Some(u) => Ok(u),
        None => fail(missing()),
    }
}

/// A customer that can take people beyond its owner: live and corporate (the one rule of it,
/// for users and invitations alike). `what` names what is refused ("further users").
pub(crate) fn customer_for_people(tx: &T<'_>, slug: &str, what: &str) -> TxResult<Customer> {
    let customer = by_slug(tx, slug)?;
    if customer.is_trashed() {
        return fail(ServiceError::Refused(format!(
            "customer \"{}\" is in the trash; restore it first",
            customer.slug
        )));
    }
    if customer.kind == CustomerKind::Individual {
        return fail(ServiceError::Refused(format!(
            "\"{}\" is an individual customer: its only user is its owner; only corporate customers take {what}",
            customer.slug
        )));
    }
    Ok(customer)
}

/// Refuses a change to a staff member's account through a user command, naming the staff
/// command that makes it (which needs the "manage staff" privilege).
pub(super) fn refuse_staff(user: &User, what: &str, command: &str) -> TxResult<()> {
    if let Some(role) = user.staff_role {
        return fail(ServiceError::Refused(format!(
            "{} is a staff member ({}); {what} with `tenantry staff {command}`",
            display_safe(&user.email),
            role.as_str()
        )));
    }
    Ok(())
}

/// A corporate customer keeps an active administrator: `others` are the other active
/// administrators read before the transaction, re-read here.
pub(crate) fn keep_an_admin(
    tx: &T<'_>,
    customer: &Customer,
    user: &User,
    others: &[UserId],
    what: &str,
) -> TxResult<()> {
    for id in others {
        let admin = tx
            .membership(customer.id, *id)?
            .is_some_and(|m| m.in_force() && m.role == CustomerRole::Administrator);
        // A disabled administrator cannot act for the customer; an invited one soon can.
        let active = tx
            .user(*id)?
            .is_some_and(|u| u.status != UserStatus::Disabled);
        if admin && active {
            return Ok(());
        }
    }
    fail(ServiceError::Refused(format!(
        "{} is the last administrator of \"{}\"; make another user an administrator before {what}",
        display_safe(&user.email),
        customer.slug
    )))
}

pub(crate) fn add(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    new: &PreparedUser,
) -> TxResult<Outcome> {
    let customer = customer_for_people(tx, &new.customer, "further users")?;
    let (user, note, created) = match tx.user_id_by_email(&new.email_key)? {
        // A customer's administrator does not link another tenant's person into theirs.
        Some(_) if new.origin == crate::domain::UserOrigin::CustomerAdmin => {
            return fail(super::prepare::not_here());
        }
        Some(id) => {
            let Some(user) = tx.user(id)? else {
                return fail(ServiceError::not_found("user", &new.email));
            };
            if let Some(m) = tx.membership(customer.id, id)? {
                return fail(ServiceError::Refused(format!(
                    "{} is already a {} of \"{}\"",
                    display_safe(&user.email),
                    m.role.as_str(),
                    customer.slug
                )));
            }
            (user, "existing user", false)
        }
        None => {
            let mut user = User::new(
                UserId(tx.next_id()?),
                new.email.clone(),
                new.first_name.clone(),
                new.last_name.clone(),
                ctx.now,
            );
            user.language = new
                .language
                .clone()
                .unwrap_or_else(|| customer.language.clone());
            user.origin = new.origin;
            user.created_by = ctx.session.user_id();
            tx.save_user(&user)?;
            (user, "new, invited", true)
        }
    };
    crate::service::accounts::refuse_another_user(tx, &customer)?;
    let before = tx.user_fields(user.id)?;
    let (values, fields_said) = crate::service::field_values::apply_values(
        tx,
        ctx,
        FieldTarget::Users,
        &before,
        &new.fields,
        created,
    )?;
    tx.put_user_fields(user.id, &values)?;
    tx.put_membership(customer.id, user.id, Membership::active(new.role, ctx.now))?;
    let event = record(
        tx,
        ctx,
        Some(customer_ref(&customer)),
        action,
        format!(
            "added user {} as {} ({note}){}",
            user.email,
            new.role.as_str(),
            fields_said
                .iter()
                .map(|s| format!(", {s}"))
                .collect::<String>()
        ),
    )?;
    tx.index_audit_for_user(user.id, event.seq)?;
    Ok(outcome(&user))
}

pub(crate) fn edit(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    e: &PreparedUserEdit,
) -> TxResult<Outcome> {
    let mut user = user_by_key(tx, &e.email_key)?;
    let mut changes = Vec::new();
    let renames = [
        ("first name", &e.first_name, &user.first_name),
        ("last name", &e.last_name, &user.last_name),
    ]
    .iter()
    .any(|(_, new, old)| new.as_ref().is_some_and(|n| n != *old));
    if renames {
        if ctx.session.user_id() == Some(user.id) {
            return fail(ServiceError::Refused(
                "you cannot change your own name; a staff member can".into(),
            ));
        }
        refuse_staff(&user, "change their name", "edit")?;
    }
    for (label, field, new) in [
        ("first name", &mut user.first_name, &e.first_name),
        ("last name", &mut user.last_name, &e.last_name),
        ("language", &mut user.language, &e.language),
    ] {
        if let Some(new) = new {
            if field != new {
                changes.push(format!("{label}: {field} → {new}"));
                *field = new.clone();
            }
        }
    }
    if let Some(on) = e.notifications {
        if user.notifications != on {
            changes.push(format!("notifications: {}", if on { "on" } else { "off" }));
            user.notifications = on;
        }
    }
    let before = tx.user_fields(user.id)?;
    let (values, fields_said) = crate::service::field_values::apply_values(
        tx,
        ctx,
        FieldTarget::Users,
        &before,
        &e.fields,
        false,
    )?;
    if !fields_said.is_empty() {
        tx.put_user_fields(user.id, &values)?;
        changes.extend(fields_said);
    }
    let mut about = None;
    if let Some(change) = &e.role {
        let customer = by_slug(tx, &change.customer)?;
        let Some(mut m) = tx.membership(customer.id, user.id)? else {
            return fail(ServiceError::Refused(format!(
                "{} is not a member of \"{}\"",
                display_safe(&user.email),
                customer.slug
            )));
        };
        if m.role != change.role {
            if customer.owner == Some(user.id) {
                return fail(ServiceError::Refused(format!(
                    "{} owns \"{}\", and an owner is an administrator",
                    display_safe(&user.email),
                    customer.slug
                )));
            }
            if m.role == CustomerRole::Administrator && m.in_force() {
                keep_an_admin(
                    tx,
                    &customer,
                    &user,
                    &change.other_admins,
                    "changing the role",
                )?;
            }
            changes.push(format!(
                "role in {}: {} → {}",
                customer.slug,
                m.role.as_str(),
                change.role.as_str()
            ));
            m.role = change.role;
            tx.put_membership(customer.id, user.id, m)?;
        }
        about = Some(customer_ref(&customer));
    }
    if changes.is_empty() {
        return fail(ServiceError::Refused(format!(
            "nothing to change for {}",
            display_safe(&user.email)
        )));
    }
    user.updated_at = ctx.now;
    tx.save_user(&user)?;
    let summary = format!("user {}: {}", user.email, changes.join(", "));
    let event = record(tx, ctx, about, action, summary)?;
    tx.index_audit_for_user(user.id, event.seq)?;
    Ok(outcome(&user))
}

pub(crate) fn delete(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    d: &PreparedDelete,
) -> TxResult<Outcome> {
    let user = user_by_key(tx, &d.email_key)?;
    if let Some(role) = user.staff_role {
        return fail(ServiceError::Refused(format!(
            "{} holds the staff role {}; a staff member is not deleted as a user",
            display_safe(&user.email),
            role.as_str()
        )));
    }
    // Every membership as it stands, before anything is removed.
    let mut held = Vec::new();
    for id in &d.customers {
        if let (Some(m), Some(customer)) = (tx.membership(*id, user.id)?, tx.customer(*id)?) {
            held.push((customer, m));
        }
    }
    let owned: Vec<String> = held
        .iter()
        .filter(|(c, _)| c.owner == Some(user.id))
        .map(|(c, _)| c.slug.to_string())
        .collect();
    if !owned.is_empty() {
        return fail(ServiceError::Refused(format!(
            "{} owns {}; give {} another owner first",
            display_safe(&user.email),
            owned.join(", "),
            if owned.len() == 1 {
                "that customer"
            } else {
                "those customers"
            }
        )));
    }
    for (customer, m) in &held {
        let admin = m.in_force() && m.role == CustomerRole::Administrator;
        if admin && customer.kind == CustomerKind::Corporate {
            let others = d
                .other_admins
                .iter()
                .find(|(c, _)| *c == customer.id)
                .map_or(&[][..], |(_, o)| o.as_slice());
            keep_an_admin(tx, customer, &user, others, "deleting them")?;
        }
    }
    for (customer, _) in &held {
        tx.remove_membership(customer.id, user.id)?;
    }
    for id in &d.invitations {
        tx.delete_invitation(*id)?;
    }
    for hash in &d.reset_tokens {
        tx.remove_reset_token(hash)?;
    }
    tx.delete_user(user.id)?;
    let left = held.len();
    let summary = format!(
        "deleted user {} ({left} membership{})",
        user.email,
        if left == 1 { "" } else { "s" }
    );
    let event = record(tx, ctx, None, action, summary)?;
    tx.index_audit_for_user(user.id, event.seq)?;
    Ok(outcome(&user))
}

pub(crate) fn remove(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    r: &PreparedRemove,
) -> TxResult<Outcome> {
    let user = user_by_key(tx, &r.email_key)?;
    let customer = by_slug(tx, &r.customer)?;
    let Some(m) = tx.membership(customer.id, user.id)? else {
        return fail(ServiceError::Refused(format!(
            "{} is not a member of \"{}\"",
            display_safe(&user.email),
            customer.slug
        )));
    };
    if m.status == crate::domain::MembershipStatus::Pending {
        return fail(ServiceError::Refused(format!(
            "{} has a pending invitation to \"{}\"; revoke or delete the invitation instead",
            display_safe(&user.email),
            customer.slug
        )));
    }
    if customer.owner == Some(user.id) {
        return fail(ServiceError::Refused(format!(
            "{} owns \"{}\"; give it another owner before removing them",
            display_safe(&user.email),
            customer.slug
        )));
    }
    if customer.kind == CustomerKind::Corporate
        && m.in_force()
        && m.role == CustomerRole::Administrator
    {
        keep_an_admin(tx, &customer, &user, &r.other_admins, "removing them")?;
    }
    tx.remove_membership(customer.id, user.id)?;
    let summary = format!("removed user {} ({})", user.email, m.role.as_str());
    let event = record(tx, ctx, Some(customer_ref(&customer)), action, summary)?;
    tx.index_audit_for_user(user.id, event.seq)?;
    Ok(outcome(&user))
}
