//! The settings area: `settings set KEY VALUE` as [`SettingsCommand`], each key parsed before
//! the transaction and written with its audit event inside it. A new setting is a key in
//! [`SettingsCommand::prepare`], a variant of [`Prepared`] and its write below.

use serde::{Deserialize, Serialize};

use super::customers::customer_ref;
use super::{Ctx, Outcome, ServiceError, TxResult, fail, record};
use crate::domain::customer::clean_customer_name;
use crate::domain::settings::{
    parse_audit_retention, parse_impersonation_minutes, parse_mail_from, parse_on_off,
    parse_outbox_dir, parse_portal_url, parse_retention_days, unknown_setting_key,
};
use crate::domain::{AuditAction, Privilege};
use crate::store::Tx;

type T<'a> = Tx<'a, ServiceError>;

/// A change to a platform setting; the value arrives as raw text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SettingsCommand {
    Set { key: String, value: String },
}

impl SettingsCommand {
    /// The audit action it writes and the privilege it needs.
    pub fn spec(&self) -> (AuditAction, Privilege) {
        (AuditAction::SettingsSet, Privilege::ManageSettings)
    }

    /// Parses the key and its value.
    pub(crate) fn prepare(self) -> Result<Prepared, ServiceError> {
        let Self::Set { key, value } = self;
        Ok(match key.trim() {
            "trash.retention_days" => Prepared::Retention(parse_retention_days(&value)?),
            "company.name" => Prepared::CompanyName(clean_customer_name(&value)?),
            "mail.from" => Prepared::Text(TextSetting::MailFrom, parse_mail_from(&value)?),
            "mail.outbox" => Prepared::Text(TextSetting::MailOutbox, parse_outbox_dir(&value)?),
            "portal.url" => Prepared::Text(TextSetting::PortalUrl, parse_portal_url(&value)?),
            "impersonation.max_minutes" => {
                Prepared::ImpersonationMinutes(parse_impersonation_minutes(&value)?)
            }
            "impersonation.notify" => {
                Prepared::ImpersonationNotify(parse_on_off("impersonation.notify", &value)?)
            }
            "audit.retention_days" => Prepared::AuditRetention(parse_audit_retention(&value)?),
            other => return Err(unknown_setting_key(other).into()),
        })
    }
}

/// A setting ready to be written.
pub(crate) enum Prepared {
    Retention(u32),
    CompanyName(String),
    /// A text setting and its new value (`None` clears it).
    Text(TextSetting, Option<String>),
    ImpersonationMinutes(u32),
    ImpersonationNotify(bool),
    AuditRetention(Option<u32>),
}

/// The optional text settings, each a field of [`crate::domain::Settings`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum TextSetting {
    MailFrom,
    MailOutbox,
    PortalUrl,
}

impl TextSetting {
    pub(crate) fn key(self) -> &'static str {
        match self {
            Self::MailFrom => "mail.from",
            Self::MailOutbox => "mail.outbox",
            Self::PortalUrl => "portal.url",
        }
    }

    pub(crate) fn field(self, settings: &mut crate::domain::Settings) -> &mut Option<String> {
        match self {
            Self::MailFrom => &mut settings.mail_from,
            Self::MailOutbox => &mut settings.mail_outbox,
            Self::PortalUrl => &mut settings.portal_url,
        }
    }
}

impl Prepared {
    pub(crate) fn apply(
        &self,
        tx: &T<'_>,
        ctx: &Ctx<'_>,
        action: AuditAction,
    ) -> TxResult<Outcome> {
        match self {
            Self::Retention(days) => set_retention(tx, ctx, action, *days),
            Self::CompanyName(name) => set_company_name(tx, ctx, action, name),
            Self::Text(which, value) => set_text(tx, ctx, action, *which, value.as_deref()),
            Self::ImpersonationMinutes(m) => set_impersonation(tx, ctx, action, Some(*m), None),
            Self::ImpersonationNotify(on) => set_impersonation(tx, ctx, action, None, Some(*on)),
            Self::AuditRetention(days) => set_audit_retention(tx, ctx, action, *days),
        }
    }
}

fn set_retention(tx: &T<'_>, ctx: &Ctx<'_>, action: AuditAction, days: u32) -> TxResult<Outcome> {
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

fn set_company_name(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
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
    tx.save_customer(&company)?;
    record(tx, ctx, Some(before), action, summary)?;
    Ok(Outcome::Setting {
        key: "company.name".into(),
        value: name.to_owned(),
    })
}

fn set_text(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    which: TextSetting,
    value: Option<&str>,
) -> TxResult<Outcome> {
    let mut settings = tx.settings()?;
    let field = which.field(&mut settings);
    let shown = |v: Option<&str>| v.map_or_else(|| "(unset)".to_owned(), str::to_owned);
    let summary = format!(
        "{}: {} → {}",
        which.key(),
        shown(field.as_deref()),
        shown(value)
    );
    *field = value.map(str::to_owned);
    tx.put_settings(&settings)?;
    record(tx, ctx, None, action, summary)?;
    Ok(Outcome::Setting {
        key: which.key().into(),
        value: value.unwrap_or_default().to_owned(),
    })
}

/// Sets one of the impersonation bounds (the other keeps its value).
fn set_impersonation(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    minutes: Option<u32>,
    notify: Option<bool>,
) -> TxResult<Outcome> {
    let mut bounds = tx.impersonation_settings()?;
    let on_off = |on: bool| if on { "on" } else { "off" };
    let (key, before, after) = match (minutes, notify) {
        (Some(m), _) => {
            let before = bounds.max_minutes.to_string();
            bounds.max_minutes = m;
            ("impersonation.max_minutes", before, m.to_string())
        }
        (None, Some(on)) => {
            let before = on_off(bounds.notify).to_owned();
            bounds.notify = on;
            ("impersonation.notify", before, on_off(on).to_owned())
        }
        (None, None) => return fail(ServiceError::Refused("nothing to set".into())),
    };
    tx.put_impersonation_settings(&bounds)?;
    record(tx, ctx, None, action, format!("{key}: {before} → {after}"))?;
    Ok(Outcome::Setting {
        key: key.into(),
        value: after,
    })
}

/// Turns the audit retention on (days) or off; the events go only at the next `log prune`.
fn set_audit_retention(
    tx: &T<'_>,
    ctx: &Ctx<'_>,
    action: AuditAction,
    days: Option<u32>,
) -> TxResult<Outcome> {
    let mut audit = tx.audit_settings()?;
    let shown = |d: Option<u32>| d.map_or_else(|| "off".to_owned(), |d| d.to_string());
    let summary = format!(
        "audit.retention_days: {} → {}",
        shown(audit.retention_days),
        shown(days)
    );
    audit.retention_days = days;
    tx.put_audit_settings(&audit)?;
    record(tx, ctx, None, action, summary)?;
    Ok(Outcome::Setting {
        key: "audit.retention_days".into(),
        value: shown(days),
    })
}
