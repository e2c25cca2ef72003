//! Staff and settings commands inside their transaction. Staff are users with a staff role;
//! the last active owner can never be demoted or disabled, so the platform always has one.

use super::customers::customer_ref;
use super::prepare::{PreparedStaff, PreparedStaffEdit};
use super::rows::StaffRow;
use super::{Ctx, Outcome, ServiceError, TxResult, fail, record};
use crate::domain::text::display_safe;
use crate::domain::{StaffRole, User, UserId, UserStatus};
use crate::store::Tx;

type T<'a> = Tx<'a, ServiceError>;

pub(crate) fn set_retention(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: &str,
    days: u32,
) -> TxResult<Outcome> {
    let mut settings = tx.settings()?;
    let before = settings.trash_retention_days;
    settings.trash_retention_days = days;
    tx.put_settings(&settings)?;
    record(
        tx,
        ctx,
        None,
        action,
        format!("trash.retention_days: {before} → {days}"),
    )?;
    Ok(Outcome::Setting {
        key: "trash.retention_days".into(),
        value: days.to_string(),
    })
}

pub(crate) fn set_company_name(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: &str,
    name: &str,
) -> TxResult<Outcome> {
    let Some(id) = tx.provider_id()? else {
        return fail(ServiceError::Refused(
            "no provider company; run `tenantry init`".into(),
        ));
    };
    let Some(mut company) = tx.customer(id)? else {
        return fail(ServiceError::not_found("provider company", id.to_string()));
    };
    let before = customer_ref(&company);
    let summary = format!("company.name: {} → {name}", company.name);
    company.name = name.to_owned();
    company.updated_at = ctx.now;
    tx.put_customer(&company)?;
    record(tx, ctx, Some(before), action, summary)?;
    Ok(Outcome::Setting {
        key: "company.name".into(),
        value: name.to_owned(),
    })
}

fn link_unix(tx: &T<'_>, user: &User, unix: &str) -> TxResult<()> {
    if let Some(other) = tx.user_id_by_unix(unix)? {
        if other != user.id {
            return fail(ServiceError::Conflict(format!(
                "Unix user \"{}\" is already linked to another staff member",
                display_safe(unix)
            )));
        }
    }
    tx.put_unix(unix, user.id)
}

pub(crate) fn add(tx: &T<'_>, ctx: &Ctx<'_>, action: &str, s: &PreparedStaff) -> TxResult<Outcome> {
    let existing = match tx.user_id_by_email(&s.email_key)? {
        Some(id) => tx.user(id)?,
        None => None,
    };
    let mut user = match existing {
        Some(u) if u.staff_role.is_some() => {
            return fail(ServiceError::Conflict(format!(
                "{} is already a staff member ({})",
                display_safe(&u.email),
                u.staff_role.map(|r| r.as_str()).unwrap_or_default()
            )));
        }
        // One identity per email: a customer user becomes staff too.
        Some(u) => u,
        None => {
            let id = UserId(tx.next_id()?);
            tx.put_email(&s.email_key, id)?;
            User {
                id,
                email: s.email.clone(),
                first_name: s.first_name.clone(),
                last_name: s.last_name.clone(),
                status: UserStatus::Invited,
                password_hash: None,
                staff_role: None,
                unix_user: None,
                created_at: ctx.now,
                updated_at: ctx.now,
            }
        }
    };
    user.staff_role = Some(s.role);
    if let Some(hash) = &s.password_hash {
        user.password_hash = Some(hash.clone());
        user.status = UserStatus::Active;
    }
    if let Some(unix) = &s.unix_user {
        link_unix(tx, &user, unix)?;
        user.unix_user = Some(unix.clone());
        if user.status == UserStatus::Invited {
            user.status = UserStatus::Active;
        }
    }
    user.updated_at = ctx.now;
    tx.put_user(&user)?;
    let link = s
        .unix_user
        .as_deref()
        .map(|u| format!(", Unix user {u}"))
        .unwrap_or_default();
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

/// Refuses a change that would leave no active owner. Counting owners needs a scan, which a
/// transaction cannot do, so the count comes from the service's read before the transaction.
fn keep_an_owner(user: &User, other_active_owners: usize) -> TxResult<()> {
    let is_active_owner =
        user.staff_role == Some(StaffRole::Owner) && user.status != UserStatus::Disabled;
    if is_active_owner && other_active_owners == 0 {
        return fail(ServiceError::Refused(format!(
            "{} is the last active owner; make someone else an owner first",
            display_safe(&user.email)
        )));
    }
    Ok(())
}

pub(crate) fn edit(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: &str,
    s: &PreparedStaffEdit,
) -> TxResult<Outcome> {
    let mut user = staff_by_key(tx, &s.email_key)?;
    let mut changes = Vec::new();
    if let Some(role) = s.role {
        if Some(role) != user.staff_role {
            if role != StaffRole::Owner {
                keep_an_owner(&user, s.other_active_owners)?;
            }
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
            if let Some(old) = &user.unix_user {
                tx.remove_unix(old)?;
            }
            if let Some(new) = unix {
                link_unix(tx, &user, new)?;
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
        if user.status == UserStatus::Invited {
            user.status = UserStatus::Active;
        }
        changes.push("password changed".into());
    }
    if !changes.is_empty() {
        user.updated_at = ctx.now;
        tx.put_user(&user)?;
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
    action: &str,
    email_key: &str,
    other_active_owners: usize,
) -> TxResult<Outcome> {
    let mut user = staff_by_key(tx, email_key)?;
    if user.status == UserStatus::Disabled {
        return fail(ServiceError::Refused(format!(
            "{} is already disabled",
            display_safe(&user.email)
        )));
    }
    if let crate::domain::Actor::User { id, .. } = &ctx.session.actor {
        if *id == user.id {
            return fail(ServiceError::Refused(
                "you cannot disable your own account".into(),
            ));
        }
    }
    keep_an_owner(&user, other_active_owners)?;
    user.status = UserStatus::Disabled;
    user.updated_at = ctx.now;
    tx.put_user(&user)?;
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
    action: &str,
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
    tx.put_user(&user)?;
    record(
        tx,
        ctx,
        None,
        action,
        format!("enabled staff {} ({})", user.email, user.status.as_str()),
    )?;
    Ok(Outcome::Staff(StaffRow::new(&user)))
}
