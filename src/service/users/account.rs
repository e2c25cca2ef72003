//! User commands on one account's standing rather than its place in customers: disabling
//! and enabling, the user's own notifications, and the welcome message's audit event. Like
//! `apply.rs`, these run inside the command's transaction and never scan.

use super::apply::{outcome, refuse_staff, user_by_key};
use crate::domain::text::display_safe;
use crate::domain::{AuditAction, UserId, UserStatus};
use crate::service::{Ctx, Outcome, ServiceError, TxResult, fail, record};
use crate::store::Tx;

type T<'a> = Tx<'a, ServiceError>;

pub(crate) fn set_enabled(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    email_key: &str,
    enabled: bool,
) -> TxResult<Outcome> {
    let mut user = user_by_key(tx, email_key)?;
    refuse_staff(
        &user,
        if enabled {
            "enable them"
        } else {
            "disable them"
        },
        if enabled { "enable" } else { "disable" },
    )?;
    let before = user.status;
    user.status = match (enabled, before) {
        (false, UserStatus::Disabled) | (true, UserStatus::Active | UserStatus::Invited) => {
            return fail(ServiceError::Refused(format!(
                "{} is already {}",
                display_safe(&user.email),
                before.as_str()
            )));
        }
        (false, _) => UserStatus::Disabled,
        (true, _) if user.password_hash.is_some() => UserStatus::Active,
        (true, _) => UserStatus::Invited,
    };
    user.updated_at = ctx.now;
    tx.save_user(&user)?;
    let summary = format!(
        "user {}: status: {} → {}",
        user.email,
        before.as_str(),
        user.status.as_str()
    );
    let event = record(tx, ctx, None, action, summary)?;
    tx.index_audit_for_user(user.id, event.seq)?;
    Ok(outcome(&user))
}

pub(crate) fn own_notifications(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    id: UserId,
    on: bool,
) -> TxResult<Outcome> {
    let Some(mut user) = tx.user(id)? else {
        return fail(ServiceError::not_found("user", id.to_string()));
    };
    let word = if on { "on" } else { "off" };
    if user.notifications == on {
        return fail(ServiceError::Refused(format!(
            "notifications are already {word}"
        )));
    }
    user.notifications = on;
    user.updated_at = ctx.now;
    tx.save_user(&user)?;
    let summary = format!("user {}: notifications: {word}", user.email);
    let event = record(tx, ctx, None, action, summary)?;
    tx.index_audit_for_user(user.id, event.seq)?;
    Ok(outcome(&user))
}

pub(crate) fn welcome(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    email_key: &str,
    message_id: &str,
) -> TxResult<Outcome> {
    let user = user_by_key(tx, email_key)?;
    let summary = format!("welcome message {message_id} for {}", user.email);
    let event = record(tx, ctx, None, action, summary)?;
    tx.index_audit_for_user(user.id, event.seq)?;
    Ok(Outcome::Message {
        to: user.email.clone(),
        message: String::new(),
    })
}
