//! Invitation commands inside their transaction. The rules: only a live corporate customer
//! takes invitations; a person has one invitation per customer (resend it, or delete it to
//! start again); an invitation creates the user (or reuses the one with that email) with a
//! pending membership; resend replaces the token and the expiry; revoke ends it and its
//! pending membership; delete removes it with its membership, and the user it created unless
//! that user has another membership or a staff role. No token text reaches an event.

use super::{PreparedCreate, PreparedResend, inviter};
use crate::domain::text::display_safe;
use crate::domain::{
    AuditAction, Customer, CustomerId, CustomerKind, Invitation, InvitationId, InvitationState,
    InvitationStatus, Membership, MembershipStatus, User, UserId, UserOrigin,
};
use crate::service::customers::{by_slug, customer_ref};
use crate::service::invitation_rows::InvitationRow;
use crate::service::{Ctx, Outcome, ServiceError, TxResult, fail, record};
use crate::store::Tx;

type T<'a> = Tx<'a, ServiceError>;

/// A customer that takes people (`users::customer_for_people`) and is active.
fn takes_people(tx: &T<'_>, slug: &str) -> TxResult<Customer> {
    let customer = crate::service::users::customer_for_people(tx, slug, "invitations")?;
    // Its code could not be accepted while the customer is suspended.
    if customer.status == crate::domain::CustomerStatus::Suspended {
        return fail(ServiceError::Refused(format!(
            "customer \"{}\" is suspended, and an invitation to it could not be accepted; activate it first",
            customer.slug
        )));
    }
    Ok(customer)
}

/// The invitation of `email_key` into the customer `slug`.
fn find(tx: &T<'_>, email_key: &str, slug: &str) -> TxResult<(Customer, Invitation)> {
    let customer = by_slug(tx, slug)?;
    let missing = || {
        ServiceError::not_found(
            "invitation",
            format!("for {email_key} to {}", customer.slug),
        )
    };
    let Some(id) = tx.invitation_for(customer.id, email_key)? else {
        return fail(missing());
    };
    match tx.invitation(id)? {
        Some(invitation) => Ok((customer, invitation)),
        None => fail(missing()),
    }
}

fn row(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    customer: &Customer,
    inv: &Invitation,
) -> TxResult<InvitationRow> {
    let by = match inv.invited_by {
        Some(id) => tx.user(id)?.map(|u| u.email),
        None => None,
    };
    Ok(InvitationRow::new(inv, customer, by, ctx.now))
}

pub(crate) fn create(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    c: &PreparedCreate,
) -> TxResult<Outcome> {
    let customer = takes_people(tx, &c.customer)?;
    if let Some(id) = tx.invitation_for(customer.id, &c.email_key)? {
        let state = tx
            .invitation(id)?
            .map_or(InvitationState::Pending, |i| i.state(ctx.now));
        return fail(ServiceError::Refused(format!(
            "{} already has an invitation to \"{}\" ({}); resend it, or delete it first",
            display_safe(&c.email),
            customer.slug,
            state.as_str()
        )));
    }
    let (user, created_user) = match tx.user_id_by_email(&c.email_key)? {
        Some(id) => {
            let Some(user) = tx.user(id)? else {
                return fail(ServiceError::not_found("user", &c.email));
            };
            if let Some(m) = tx.membership(customer.id, id)? {
                return fail(ServiceError::Refused(format!(
                    "{} is already a {} of \"{}\"",
                    display_safe(&user.email),
                    m.role.as_str(),
                    customer.slug
                )));
            }
            (user, false)
        }
        None => {
            let mut user = User::new(
                UserId(tx.next_id()?),
                c.email.clone(),
                c.first_name.clone(),
                c.last_name.clone(),
                ctx.now,
            );
            user.language = c.language.clone();
            user.origin = UserOrigin::Invitation;
            user.created_by = inviter(ctx.session);
            tx.save_user(&user)?;
            (user, true)
        }
    };
    crate::service::accounts::refuse_another_user(tx, &customer)?;
    tx.put_membership(
        customer.id,
        user.id,
        Membership {
            role: c.role,
            status: MembershipStatus::Pending,
            since: ctx.now,
        },
    )?;
    let invitation = Invitation {
        id: InvitationId(tx.next_id()?),
        customer: customer.id,
        user: user.id,
        email: c.email.clone(),
        first_name: c.first_name.clone(),
        last_name: c.last_name.clone(),
        language: c.language.clone(),
        role: c.role,
        invited_by: inviter(ctx.session),
        created_at: ctx.now,
        valid_days: c.days,
        expires_at: c.message.expires_at,
        status: InvitationStatus::Pending,
        token_hash: c.message.hash,
        sent: 1,
        resolved_at: None,
        created_user,
    };
    tx.save_invitation(&invitation)?;
    // Whether the address already had an account is not the customer's to learn (its log is
    // read by its administrators): said only for staff outside a customer's view.
    let known = match (ctx.session.is_customer_side(), created_user) {
        (true, _) => String::new(),
        (false, true) => " (new user)".to_owned(),
        (false, false) => " (existing user)".to_owned(),
    };
    let summary = format!(
        "invited {} as {}{known}, valid until {}",
        invitation.email,
        c.role.as_str(),
        invitation.expires_at.to_rfc3339()
    );
    let event = record(tx, ctx, Some(customer_ref(&customer)), action, summary)?;
    tx.index_audit_for_user(user.id, event.seq)?;
    Ok(Outcome::Invitation {
        row: row(tx, ctx, &customer, &invitation)?,
        token: shown_token(ctx, &c.message.token),
        message: String::new(),
    })
}

pub(crate) fn resend(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    r: &PreparedResend,
) -> TxResult<Outcome> {
    let (customer, mut inv) = find(tx, &r.email_key, &r.customer)?;
    let customer = takes_people(tx, customer.slug.as_str())?;
    match inv.status {
        InvitationStatus::Accepted => {
            return fail(ServiceError::Refused(format!(
                "the invitation of {} to \"{}\" was accepted; there is nothing to resend",
                display_safe(&inv.email),
                customer.slug
            )));
        }
        InvitationStatus::Revoked => {
            return fail(ServiceError::Refused(format!(
                "the invitation of {} to \"{}\" was revoked; delete it and invite again",
                display_safe(&inv.email),
                customer.slug
            )));
        }
        InvitationStatus::Pending => {}
    }
    let was = inv.state(ctx.now);
    inv.token_hash = r.message.hash;
    inv.expires_at = r.message.expires_at;
    inv.sent = inv.sent.saturating_add(1);
    tx.save_invitation(&inv)?;
    let summary = format!(
        "resent the invitation of {} ({}), new token, valid until {}",
        inv.email,
        was.as_str(),
        inv.expires_at.to_rfc3339()
    );
    let event = record(tx, ctx, Some(customer_ref(&customer)), action, summary)?;
    tx.index_audit_for_user(inv.user, event.seq)?;
    Ok(Outcome::Invitation {
        row: row(tx, ctx, &customer, &inv)?,
        token: shown_token(ctx, &r.message.token),
        message: String::new(),
    })
}

pub(crate) fn revoke(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    email_key: &str,
    slug: &str,
) -> TxResult<Outcome> {
    let (customer, mut inv) = find(tx, email_key, slug)?;
    if !inv.is_open() {
        return fail(ServiceError::Refused(format!(
            "the invitation of {} to \"{}\" is already {}",
            display_safe(&inv.email),
            customer.slug,
            inv.state(ctx.now).as_str()
        )));
    }
    let was = inv.state(ctx.now);
    inv.status = InvitationStatus::Revoked;
    inv.resolved_at = Some(ctx.now);
    tx.save_invitation(&inv)?;
    drop_pending_membership(tx, customer.id, inv.user)?;
    let summary = format!("revoked the invitation of {} ({})", inv.email, was.as_str());
    let event = record(tx, ctx, Some(customer_ref(&customer)), action, summary)?;
    tx.index_audit_for_user(inv.user, event.seq)?;
    Ok(Outcome::Invitation {
        row: row(tx, ctx, &customer, &inv)?,
        token: String::new(),
        message: String::new(),
    })
}

fn drop_pending_membership(tx: &T<'_>, customer: CustomerId, user: UserId) -> TxResult<()> {
    if tx
        .membership(customer, user)?
        .is_some_and(|m| m.status == MembershipStatus::Pending)
    {
        tx.remove_membership(customer, user)?;
    }
    Ok(())
}

pub(crate) fn delete(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    email_key: &str,
    slug: &str,
    reads: &super::DeleteReads,
) -> TxResult<Outcome> {
    let (customer, inv) = find(tx, email_key, slug)?;
    if customer.owner == Some(inv.user) {
        return fail(ServiceError::Refused(format!(
            "{} owns \"{}\"; give it another owner before deleting the invitation",
            display_safe(&inv.email),
            customer.slug
        )));
    }
    let state = inv.state(ctx.now);
    tx.delete_invitation(inv.id)?;
    // The membership goes with the invitation that made it: pending, or activated by its
    // acceptance. A revoked invitation's membership was removed then; one there now was
    // made by someone else since and stays.
    let membership = tx.membership(customer.id, inv.user)?;
    if let (Some(m), false) = (membership, inv.status == InvitationStatus::Revoked) {
        let admin = m.in_force() && m.role == crate::domain::CustomerRole::Administrator;
        if admin && customer.kind == CustomerKind::Corporate {
            if let Some(user) = tx.user(inv.user)? {
                crate::service::users::keep_an_admin(
                    tx,
                    &customer,
                    &user,
                    &reads.other_admins,
                    "deleting the invitation",
                )?;
            }
        }
        tx.remove_membership(customer.id, inv.user)?;
    }
    let mut user_note = String::new();
    if let Some(user) = tx.user(inv.user)? {
        let mut memberships = false;
        for other in &reads.customers_of_user {
            if tx.membership(*other, user.id)?.is_some() {
                memberships = true;
            }
        }
        if inv.created_user && !memberships && user.staff_role.is_none() {
            for other in &reads.invitations_of_user {
                tx.delete_invitation(*other)?;
            }
            for hash in &reads.reset_tokens {
                tx.remove_reset_token(hash)?;
            }
            tx.delete_user(user.id)?;
            user_note = "; the user it created was deleted too".to_owned();
        }
    }
    let summary = format!(
        "deleted the invitation of {} ({}){user_note}",
        inv.email,
        state.as_str()
    );
    let event = record(tx, ctx, Some(customer_ref(&customer)), action, summary)?;
    tx.index_audit_for_user(inv.user, event.seq)?;
    Ok(Outcome::Invitation {
        row: row(tx, ctx, &customer, &inv)?,
        token: String::new(),
        message: String::new(),
    })
}

/// The code an outcome shows: to staff, once; never to a customer session (an
/// impersonation too), whose people receive it in their message only, so no one in a
/// customer holds a code that accepts for someone else.
fn shown_token(ctx: &Ctx<'_>, token: &str) -> String {
    if ctx.session.is_customer_side() {
        String::new()
    } else {
        token.to_owned()
    }
}
