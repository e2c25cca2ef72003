//! Staff commands inside their transaction. Staff are users with a staff role.
//! One rule guards every change to a staff account: the platform always keeps an owner who
//! can sign in ([`keep_a_way_in`]), so nobody is ever locked out of settings and backups.
//! These functions must not scan: the candidates for that rule are read before the
//! transaction and re-read here.

use super::prepare::{PreparedStaff, PreparedStaffEdit};
use crate::domain::AuditAction;
use crate::domain::text::display_safe;
use crate::domain::{StaffRole, User, UserId, UserStatus};
use crate::service::error::{Holder, UniqueField};
use crate::service::rows::StaffRow;
use crate::service::{Ctx, Outcome, ServiceError, TxResult, fail, record};
use crate::store::Tx;

type T<'a> = Tx<'a, ServiceError>;

/// Refuses a Unix account linked to someone else; `save_user` then writes the link.
fn unix_free(tx: &T<'_>, user: &User, unix: &str) -> TxResult<()> {
    if let Some(other) = tx.user_id_by_unix(unix)? {
        if other != user.id {
            return fail(ServiceError::Taken {
                field: UniqueField::UnixUser,
                value: unix.to_owned(),
                holder: Holder::OtherStaff,
            });
        }
    }
    Ok(())
}

pub(crate) fn add(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    s: &PreparedStaff,
) -> TxResult<Outcome> {
    let existing = match tx.user_id_by_email(&s.email_key)? {
        Some(id) => tx.user(id)?,
        None => None,
    };
    let mut cleared = false;
    let mut user = match existing {
        Some(User {
            email,
            staff_role: Some(role),
            ..
        }) => {
            return fail(ServiceError::Taken {
                field: UniqueField::StaffEmail,
                value: email,
                holder: Holder::Staff { role },
            });
        }
        // One identity per email: a customer user becomes staff too. A password set before
        // the promotion may have been chosen by someone else (an operator adding a customer's
        // owner), so it never carries over into a staff account: the person sets their own.
        Some(mut u) => {
            cleared = u.password_hash.take().is_some();
            if cleared {
                // A password change ends every reset token issued before it (R9).
                u.password_epoch = u.password_epoch.saturating_add(1);
            }
            if cleared && u.status == UserStatus::Active {
                u.status = UserStatus::Invited;
            }
            u
        }
        None => {
            let id = UserId(tx.next_id()?);
            let mut user = User::new(
                id,
                s.email.clone(),
                s.first_name.clone(),
                s.last_name.clone(),
                ctx.now,
            );
            user.created_by = ctx.session.user_id();
            user
        }
    };
    user.staff_role = Some(s.role);
    if let Some(hash) = &s.password_hash {
        user.password_hash = Some(hash.clone());
        user.password_epoch = user.password_epoch.saturating_add(1);
    }
    if let Some(unix) = &s.unix_user {
        unix_free(tx, &user, unix)?;
        user.unix_user = Some(unix.clone());
    }
    if user.status == UserStatus::Invited
        && (user.password_hash.is_some() || user.unix_user.is_some())
    {
        user.status = UserStatus::Active;
    }
    user.updated_at = ctx.now;
    tx.save_user(&user)?;
    let mut link = s
        .unix_user
        .as_deref()
        .map(|u| format!(", Unix user {u}"))
        .unwrap_or_default();
    if cleared {
        link.push_str(if s.password_hash.is_some() {
            "; earlier password replaced"
        } else {
            "; earlier password cleared"
        });
    }
    record(
        tx,
        ctx,
        None,
        action,
        format!("added staff {} as {}{link}", user.email, s.role.as_str()),
    )?;
    Ok(Outcome::Staff(StaffRow::new(&user)))
}

fn staff_by_key(tx: &T<'_>, email_key: &str) -> TxResult<User> {
    let missing = || ServiceError::not_found("staff member", email_key);
    let Some(id) = tx.user_id_by_email(email_key)? else {
        return fail(missing());
    };
    match tx.user(id)? {
        Some(u) if u.staff_role.is_some() => Ok(u),
        _ => fail(missing()),
    }
}

/// An owner who can sign in now: active, with a password or a linked Unix account. Invited
/// and disabled owners, and owners with no way to authenticate, do not count.
pub(crate) fn owner_who_can_sign_in(user: &User) -> bool {
    user.staff_role == Some(StaffRole::Owner)
        && user.status == UserStatus::Active
        && (user.password_hash.is_some() || user.unix_user.is_some())
}

/// The one rule for every change to a staff account (role, status, Unix link, password):
/// when `before` was an owner who can sign in and `after` no longer is, another such owner
/// must remain. Finding candidates needs a scan, which a transaction cannot do, so `others`
/// (the ids of the other owners who could sign in, read before the transaction) are re-read
/// here: an earlier command of the same batch may have changed them.
fn keep_a_way_in(tx: &T<'_>, before: &User, after: &User, others: &[UserId]) -> TxResult<()> {
    if !owner_who_can_sign_in(before) || owner_who_can_sign_in(after) {
        return Ok(());
    }
    for id in others {
        if *id == before.id {
            continue;
        }
        if tx.user(*id)?.is_some_and(|u| owner_who_can_sign_in(&u)) {
            return Ok(());
        }
    }
    fail(ServiceError::Refused(format!(
        "{} is the last owner who can sign in; first make another staff member an owner who can sign in",
        display_safe(&before.email)
    )))
}

pub(crate) fn edit(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    s: &PreparedStaffEdit,
) -> TxResult<Outcome> {
    let mut user = staff_by_key(tx, &s.email_key)?;
    let before = user.clone();
    let mut changes = Vec::new();
    if let Some(role) = s.role {
        if Some(role) != user.staff_role {
            changes.push(format!(
                "role: {} → {}",
                user.staff_role.map(|r| r.as_str()).unwrap_or(""),
                role.as_str()
            ));
            user.staff_role = Some(role);
        }
    }
    for (label, field, new) in [
        ("first name", &mut user.first_name, &s.first_name),
        ("last name", &mut user.last_name, &s.last_name),
    ] {
        if let Some(new) = new {
            if field != new {
                changes.push(format!("{label}: {field} → {new}"));
                field.clone_from(new);
            }
        }
    }
    if let Some(unix) = &s.unix_user {
        if *unix != user.unix_user {
            if let Some(new) = unix {
                unix_free(tx, &user, new)?;
                // A linked Unix account is a way to sign in: the member is no longer waiting.
                if user.status == UserStatus::Invited {
                    user.status = UserStatus::Active;
                }
            }
            let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
            changes.push(format!(
                "Unix user: {} → {}",
                show(&user.unix_user),
                show(unix)
            ));
            user.unix_user.clone_from(unix);
        }
    }
    if let Some(hash) = &s.password_hash {
        user.password_hash = Some(hash.clone());
        user.password_epoch = user.password_epoch.saturating_add(1);
        if user.status == UserStatus::Invited {
            user.status = UserStatus::Active;
        }
        changes.push("password changed".into());
    }
    keep_a_way_in(tx, &before, &user, &s.other_owners)?;
    if !changes.is_empty() {
        user.updated_at = ctx.now;
        tx.save_user(&user)?;
        record(
            tx,
            ctx,
            None,
            action,
            format!("{}: {}", user.email, changes.join("; ")),
        )?;
    }
    Ok(Outcome::Staff(StaffRow::new(&user)))
}

pub(crate) fn disable(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    email_key: &str,
    other_owners: &[UserId],
) -> TxResult<Outcome> {
    let mut user = staff_by_key(tx, email_key)?;
    if user.status == UserStatus::Disabled {
        return fail(ServiceError::Refused(format!(
            "{} is already disabled",
            display_safe(&user.email)
        )));
    }
    if let Some(id) = ctx.session.user_id() {
        if id == user.id {
            return fail(ServiceError::Refused(
                "you cannot disable your own account".into(),
            ));
        }
    }
    let before = user.clone();
    user.status = UserStatus::Disabled;
    keep_a_way_in(tx, &before, &user, other_owners)?;
    user.updated_at = ctx.now;
    tx.save_user(&user)?;
    record(
        tx,
        ctx,
        None,
        action,
        format!("disabled staff {}", user.email),
    )?;
    Ok(Outcome::Staff(StaffRow::new(&user)))
}

pub(crate) fn enable(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    email_key: &str,
) -> TxResult<Outcome> {
    let mut user = staff_by_key(tx, email_key)?;
    if user.status != UserStatus::Disabled {
        return fail(ServiceError::Refused(format!(
            "{} is not disabled",
            display_safe(&user.email)
        )));
    }
    user.status = if user.password_hash.is_some() || user.unix_user.is_some() {
        UserStatus::Active
    } else {
        UserStatus::Invited
    };
    user.updated_at = ctx.now;
    tx.save_user(&user)?;
    record(
        tx,
        ctx,
        None,
        action,
        format!("enabled staff {} ({})", user.email, user.status.as_str()),
    )?;
    Ok(Outcome::Staff(StaffRow::new(&user)))
}
