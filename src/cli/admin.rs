//! `tenantry init|trash|settings|staff|check|backup|restore` (`log` is in `log.rs`).

use std::io::Write;
use std::path::Path;

use super::CliError;
use super::args::{InitArgs, SettingsCommand, StaffCommand};
use super::output::SettingRow;
use super::output::{TableSpec, write_listing};
use super::session::read_new_password;
use crate::backend::{Backend, BackendExt, every_page};
use crate::domain::settings::SETTING_KEYS;
use crate::domain::text::display_safe;
use crate::service;
use crate::service::query::{CheckDatabase, DescribeDatabase, GetSetting, ListStaff};
use crate::service::{Command, InitRequest, NewStaff, Outcome, Service, StaffChanges};
use crate::store::StoreOptions;
use crate::store::backup_sign::{SigningKey, VerifyingKey, generate_key_pair};
use crate::system::current_unix_user;

pub fn init(service: &dyn Backend, args: InitArgs, out: &mut dyn Write) -> Result<(), CliError> {
    // Checked before asking for a password, so nobody types one for nothing.
    service.refuse_if_initialised()?;
    let unix_user = if args.no_unix_user {
        None
    } else {
        current_unix_user()
    };
    let password = read_new_password("TENANTRY_PASSWORD")?;
    let request = InitRequest {
        company: args.company,
        email: args.admin_email,
        first_name: args.admin_first,
        last_name: args.admin_last,
        password,
        unix_user: unix_user.clone(),
    };
    service.init(&request)?;
    writeln!(
        out,
        "initialised {}",
        display_safe(&service.ask(DescribeDatabase)?.path)
    )?;
    if let Some(unix) = unix_user {
        writeln!(
            out,
            "Unix user {} now acts as {} without a password",
            display_safe(&unix),
            display_safe(request.email.trim())
        )?;
    }
    Ok(())
}

pub fn purge_expired(service: &dyn Backend, out: &mut dyn Write) -> Result<(), CliError> {
    if let Outcome::Purged(slugs) = service.purge_expired()? {
        for slug in &slugs {
            writeln!(out, "purged {}", display_safe(slug))?;
        }
        writeln!(out, "{} expired customer(s) purged", slugs.len())?;
    }
    Ok(())
}

pub fn prune_log(service: &dyn Backend, out: &mut dyn Write) -> Result<(), CliError> {
    if let Outcome::Pruned(report) = service.prune_log()? {
        if let Some(note) = &report.note {
            writeln!(out, "{}", display_safe(note))?;
        }
        match (report.checkpoint_seq, &report.checkpoint_hash) {
            (Some(seq), Some(hash)) => writeln!(
                out,
                "{} event(s) removed; the log begins after checkpoint {seq}:{hash}",
                report.removed
            )?,
            _ => writeln!(out, "{} event(s) removed", report.removed)?,
        }
    }
    Ok(())
}

pub fn settings(
    service: &dyn Backend,
    cmd: SettingsCommand,
    width: Option<usize>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    match cmd {
        SettingsCommand::Get { key } => {
            writeln!(out, "{}", display_safe(&service.ask(GetSetting { key })?))?
        }
        SettingsCommand::List { output } => {
            let rows = SETTING_KEYS.iter().map(|key| {
                service
                    .ask(GetSetting {
                        key: (*key).to_owned(),
                    })
                    .map(|value| SettingRow {
                        key: (*key).to_owned(),
                        value,
                    })
            });
            let spec = TableSpec {
                headers: &["KEY", "VALUE"],
                keep: &["KEY"],
                width,
            };
            write_listing(out, output, &spec, rows, |r| vec![r.key, r.value])?;
        }
        SettingsCommand::Set { key, value } => {
            if let Outcome::Setting { key, value } =
                service.execute(Command::Settings(service::SettingsCommand::Set {
                    key,
                    value,
                }))?
            {
                writeln!(out, "{} = {}", display_safe(&key), display_safe(&value))?;
            }
        }
    }
    Ok(())
}

pub fn staff(
    service: &dyn Backend,
    cmd: StaffCommand,
    width: Option<usize>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let outcome = match cmd {
        StaffCommand::List { output } => {
            let rows = every_page(None, |after, limit| {
                service.ask(ListStaff {
                    after,
                    limit: Some(limit),
                })
            })?;
            let spec = TableSpec {
                headers: &["EMAIL", "NAME", "ROLE", "STATUS", "UNIX USER"],
                keep: &["EMAIL"],
                width,
            };
            let rows = rows.into_iter().map(Ok::<_, CliError>);
            return write_listing(out, output, &spec, rows, |r| {
                vec![
                    r.email,
                    format!("{} {}", r.first_name, r.last_name),
                    r.role,
                    r.status,
                    r.unix_user.unwrap_or_default(),
                ]
            });
        }
        StaffCommand::Add {
            email,
            first,
            last,
            role,
            unix_user,
        } => service.execute(Command::Staff(service::StaffCommand::Add(NewStaff {
            email,
            first_name: first,
            last_name: last,
            role: role.into(),
            unix_user,
            password: None,
        })))?,
        StaffCommand::Edit {
            email,
            first,
            last,
            role,
            unix_user,
            password,
        } => {
            let password = if password {
                Some(read_new_password("TENANTRY_NEW_PASSWORD")?)
            } else {
                None
            };
            let changes = StaffChanges {
                first_name: first,
                last_name: last,
                role: role.map(Into::into),
                unix_user,
                password,
            };
            if changes == StaffChanges::default() {
                return Err(CliError::Usage(
                    "nothing to change: give --first, --last, --role, --unix-user or --password"
                        .into(),
                ));
            }
            service.execute(Command::Staff(service::StaffCommand::Edit {
                email,
                changes,
            }))?
        }
        StaffCommand::Disable { email } => {
            service.execute(Command::Staff(service::StaffCommand::Disable { email }))?
        }
        StaffCommand::Enable { email } => {
            service.execute(Command::Staff(service::StaffCommand::Enable { email }))?
        }
    };
    if let Outcome::Staff(row) = outcome {
        writeln!(
            out,
            "{} {} ({}, {})",
            display_safe(&row.email),
            row.role,
            row.status,
            row.unix_user
                .as_deref()
                .map(|u| format!("Unix user {}", display_safe(u)))
                .unwrap_or_else(|| "no Unix user".into())
        )?;
    }
    Ok(())
}

pub fn check(service: &dyn Backend, out: &mut dyn Write) -> Result<(), CliError> {
    let recorded = service.damaged();
    let problems = service.ask(CheckDatabase)?;
    if problems.is_empty() {
        let summary = service.ask(DescribeDatabase)?;
        writeln!(
            out,
            "database consistent: {} customers, {} audit events; every index entry matches its record, every counter a recount, and the audit chain verifies",
            summary.customers, summary.audit_events
        )?;
        if recorded.is_some() && service.damaged().is_none() {
            writeln!(
                out,
                "removed the record `{}` of an earlier finding of damage: writing is allowed again",
                crate::store::DAMAGE_FILE
            )?;
        }
        return Ok(());
    }
    for problem in &problems {
        writeln!(out, "{}", display_safe(problem))?;
    }
    let found = match problems.len() {
        1 => "1 problem".to_owned(),
        n => format!("{n} problems"),
    };
    Err(CliError::CheckFailed(format!(
        "{found} found in the database; nothing was changed, and writing is refused until a check finds none. Restore the latest backup with `tenantry restore FILE --db NEW_PATH`"
    )))
}

pub fn backup(
    service: &dyn Backend,
    file: &Path,
    force: bool,
    key: Option<&SigningKey>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let summary = service.backup(file, force, key)?;
    writeln!(
        out,
        "wrote {} ({} bytes: {} entries, {} customers, {} audit events{})",
        display_safe(&file.display().to_string()),
        summary.bytes,
        summary.entries,
        summary.customers,
        summary.audit_events,
        if summary.signed { "; signed" } else { "" }
    )?;
    warn_if_shared(file);
    Ok(())
}

/// A backup in a directory others can write can be replaced by them: say so on stderr. A
/// sticky directory (such as /tmp) lets nobody else rename or remove the file, so it is not
/// flagged.
fn warn_if_shared(file: &Path) {
    use std::os::unix::fs::MetadataExt;
    let dir = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if let Ok(meta) = std::fs::metadata(dir)
        && meta.mode() & 0o022 != 0
        && meta.mode() & 0o1000 == 0
    {
        let _ = writeln!(
            std::io::stderr(),
            "tenantry: warning: other users can write to {} (mode {:04o}) and could replace this backup; keep backups in a private directory or sign them",
            display_safe(&dir.display().to_string()),
            meta.mode() & 0o7777
        );
    }
}

pub fn backup_keygen(dir: &Path, out: &mut dyn Write) -> Result<(), CliError> {
    let (secret, public) = generate_key_pair(dir)?;
    writeln!(
        out,
        "wrote {} (secret, 0600: sign with `backup --sign`) and {} (public: check with `restore --verify-with`)",
        display_safe(&secret.display().to_string()),
        display_safe(&public.display().to_string())
    )?;
    Ok(())
}

pub fn restore(
    target: &Path,
    file: &Path,
    options: &StoreOptions,
    key: Option<&VerifyingKey>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let (_service, summary) = Service::restore(file, target, options, key)?;
    let signature = match (key, summary.signed) {
        (Some(_), _) => "; signature verified",
        (None, true) => "; signed, signature not checked (pass --verify-with)",
        (None, false) => "",
    };
    writeln!(
        out,
        "restored {} into {}: {} entries, {} customers, {} audit events; invariants and audit chain verified{signature}",
        display_safe(&file.display().to_string()),
        display_safe(&target.display().to_string()),
        summary.entries,
        summary.customers,
        summary.audit_events
    )?;
    Ok(())
}
