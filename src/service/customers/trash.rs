//! The trash inside a transaction: moving a customer to it, restoring one, and purging one for
//! good (with the members it leaves with nothing). A purge follows the plan read before its
//! transaction and re-checks it here; nothing here scans.

use super::apply::{by_slug, changeable, customer_ref, refuse_provider, row};
use super::prepare::PurgePlan;
use crate::domain::{AuditAction, Customer, Deletion};
use crate::service::{Ctx, CustomerRefusal, Outcome, ServiceError, TxResult, fail, record};
use crate::store::Tx;

type T<'a> = Tx<'a, ServiceError>;

pub(crate) fn soft_delete(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    slug: &str,
) -> TxResult<Outcome> {
    let mut customer = changeable(tx, slug, action)?;
    crate::service::independence::refuse_staff(ctx, &customer, action)?;
    let retention = tx.settings()?.trash_retention_days;
    let summary = format!("moved to the trash; purged automatically after {retention} days");
    move_to_trash(tx, ctx, &mut customer, action, summary)?;
    row(tx, ctx, &customer)
}

/// Marks a customer deleted now by the acting session, enters it in the trash and writes the
/// event. The caller has checked that it may be deleted.
pub(crate) fn move_to_trash(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    customer: &mut Customer,
    action: AuditAction,
    summary: String,
) -> TxResult<()> {
    customer.deleted = Some(Deletion {
        at: ctx.now,
        by: ctx.session.actor().label(),
    });
    customer.updated_at = ctx.now;
    tx.save_customer(customer)?;
    record(tx, ctx, Some(customer_ref(customer)), action, summary)?;
    Ok(())
}

pub(crate) fn restore(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    slug: &str,
) -> TxResult<Outcome> {
    let mut customer = by_slug(tx, slug)?;
    let Some(deletion) = customer.deleted.take() else {
        return fail(ServiceError::CustomerRefused {
            slug: customer.slug.to_string(),
            action,
            reason: CustomerRefusal::NotInTrash,
        });
    };
    customer.updated_at = ctx.now;
    tx.save_customer(&customer)?;
    let summary = format!(
        "restored from the trash (deleted {} by {})",
        deletion.at.to_rfc3339(),
        deletion.by
    );
    record(tx, ctx, Some(customer_ref(&customer)), action, summary)?;
    row(tx, ctx, &customer)
}

/// Removes a trashed customer for good: the record, its slug and trash entries, its
/// memberships, and members left with no membership and no staff role. Its audit events stay.
pub(crate) fn purge(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    plan: &PurgePlan,
) -> TxResult<Outcome> {
    let customer = by_slug(tx, &plan.slug)?;
    refuse_provider(&customer, action)?;
    if customer.id != plan.id {
        return fail(ServiceError::Conflict(format!(
            "customer \"{}\" changed while purging; try again",
            customer.slug
        )));
    }
    let Some(deletion) = &customer.deleted else {
        return fail(ServiceError::CustomerRefused {
            slug: customer.slug.to_string(),
            action,
            reason: CustomerRefusal::NotInTrash,
        });
    };
    for id in &plan.invitations {
        tx.delete_invitation(*id)?;
    }
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
            tx.delete_user(user.id)?;
            removed_users.push(user.email.clone());
        }
    }
    for hash in &plan.reset_tokens {
        let owner = tx.reset_token(hash)?.map(|t| t.user);
        let gone = match owner {
            Some(user) => tx.user(user)?.is_none(),
            None => false,
        };
        if gone {
            tx.remove_reset_token(hash)?;
        }
    }
    tx.delete_customer(customer.id, &plan.imports)?;
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
