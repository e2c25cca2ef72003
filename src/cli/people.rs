//! `tenantry user|invite|password|outbox …`: the people of each customer, their invitations,
//! password resets and the outbox. Each subcommand maps onto one command or query of the
//! service; every listing goes through `output::write_listing`. Accepting an invitation and
//! both password commands need no session: the code or the email is all there is.

use std::io::Write;

use serde::Serialize;

use super::args::{
    InviteCommand, ListOutput, OnOff, OutboxCommand, PasswordCommand, PersonArgs, ShowFormat,
    UserCommand, UserEditArgs, UserListArgs,
};
use super::error::CliError;
use super::output::{TableSpec, write_fields, write_listing};
use super::session::read_new_password;
use crate::backend::{Backend, BackendExt};
use crate::domain::text::display_safe;
use crate::service::query::Cursor;
use crate::service::{
    self, Command, InvitationQuery, InvitationRow, ListOutbox, NewInvitation, NewUser, Outcome,
    ShowOutboxMessage, ShowUser, UserChanges, UserQuery, UserRow, WelcomePreview,
};

/// Users on one page of a listing, when `--limit` asks for none.
const PAGE: usize = 1_000;

pub fn user(
    service: &dyn Backend,
    cmd: UserCommand,
    width: Option<usize>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let command = match cmd {
        UserCommand::List(args) => return list_users(service, args, width, out),
        UserCommand::Show { email, format } => return show_user(service, &email, format, out),
        UserCommand::Welcome { email, print: true } => {
            let text = service.ask(WelcomePreview { email })?;
            out.write_all(text.replace("\r\n", "\n").as_bytes())?;
            return Ok(());
        }
        UserCommand::Welcome {
            email,
            print: false,
        } => service::UserCommand::Welcome { email },
        UserCommand::Add { person, fields } => service::UserCommand::Add(NewUser {
            fields,
            ..new_user(person)
        }),
        UserCommand::Edit(args) => edit(args)?,
        UserCommand::Disable { email } => service::UserCommand::Disable { email },
        UserCommand::Enable { email } => service::UserCommand::Enable { email },
        UserCommand::Delete { email } => service::UserCommand::Delete { email },
        UserCommand::Remove { email, customer } => service::UserCommand::Remove { email, customer },
    };
    let verb = command.spec().0.done_phrase();
    match service.execute(Command::User(command))? {
        Outcome::User { email, .. } => writeln!(out, "{verb} {}", display_safe(&email))?,
        Outcome::Message { to, message } => writeln!(
            out,
            "welcome message for {}: {}",
            display_safe(&to),
            display_safe(&message)
        )?,
        other => writeln!(out, "{other:?}")?,
    }
    Ok(())
}

fn new_user(p: PersonArgs) -> NewUser {
    NewUser {
        customer: p.customer,
        email: p.email,
        first_name: p.first,
        last_name: p.last,
        role: p.role.into(),
        language: p.language,
        fields: Vec::new(),
    }
}

fn edit(args: UserEditArgs) -> Result<service::UserCommand, CliError> {
    let changes = UserChanges {
        first_name: args.first,
        last_name: args.last,
        language: args.language,
        notifications: args.notifications.map(|n| n == OnOff::On),
        role: args.role.map(Into::into),
        customer: args.customer,
        fields: args.fields,
    };
    // As `staff edit` and `customer edit`: no option is a usage error, exit 2.
    if changes == UserChanges::default() {
        return Err(CliError::Usage(
            "nothing to change: give --first, --last, --language, --notifications, --field or --role with --customer"
                .into(),
        ));
    }
    Ok(service::UserCommand::Edit {
        email: args.email,
        changes,
    })
}

/// A user as one CSV record: the customers as `slug:role` pairs (pending ones marked `?`).
#[derive(Serialize, serde::Deserialize)]
struct UserCsv {
    email: String,
    first_name: String,
    last_name: String,
    status: String,
    email_verified: bool,
    language: String,
    customers: String,
    last_sign_in: String,
}

fn list_users(
    service: &dyn Backend,
    args: UserListArgs,
    width: Option<usize>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let wanted = args.limit.unwrap_or(usize::MAX);
    let mut query = UserQuery {
        customer: args.customer,
        role: args.role.map(Into::into),
        status: args.status.map(Into::into),
        filter: args.filter,
        after: None,
        limit: Some(wanted.min(PAGE)),
    };
    let mut rows: Vec<UserRow> = Vec::new();
    loop {
        let page = service.ask(query.clone())?;
        rows.extend(page.rows);
        match page.next {
            Some(next) if rows.len() < wanted => query.after = Some(next),
            _ => break,
        }
    }
    rows.truncate(wanted);
    let spec = TableSpec {
        headers: &[
            "EMAIL",
            "NAME",
            "STATUS",
            "VERIFIED",
            "CUSTOMERS",
            "LAST SIGN-IN",
        ],
        keep: &["EMAIL"],
        width,
    };
    if args.output.format == super::args::ListFormat::Csv {
        let flat = rows.into_iter().map(|r| {
            let cells = r.cells();
            Ok::<_, CliError>(UserCsv {
                email: r.email,
                first_name: r.first_name,
                last_name: r.last_name,
                status: r.status,
                email_verified: r.email_verified,
                language: r.language,
                customers: cells[6].clone(),
                last_sign_in: cells[7].clone(),
            })
        });
        return write_listing(out, args.output, &spec, flat, |_| Vec::new());
    }
    let rows = rows.into_iter().map(Ok::<_, CliError>);
    write_listing(out, args.output, &spec, rows, |r| {
        let cells = r.cells();
        vec![
            r.email,
            format!("{} {}", r.first_name, r.last_name),
            r.status,
            if r.email_verified { "yes" } else { "no" }.into(),
            cells[6].clone(),
            cells[7].clone(),
        ]
    })
}

fn show_user(
    service: &dyn Backend,
    email: &str,
    format: ShowFormat,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let detail = service.ask(ShowUser {
        email: email.to_owned(),
    })?;
    if format == ShowFormat::Json {
        crate::json::to_writer_pretty(&mut *out, &detail)?;
        writeln!(out)?;
        return Ok(());
    }
    let r = &detail.row;
    let or_dash = |v: Option<String>| v.unwrap_or_else(|| "-".into());
    let fields = vec![
        ("email", r.email.clone()),
        ("name", format!("{} {}", r.first_name, r.last_name)),
        ("status", r.status.clone()),
        (
            "email verified",
            if r.email_verified { "yes" } else { "no" }.into(),
        ),
        ("language", r.language.clone()),
        (
            "notifications",
            if r.notifications { "on" } else { "off" }.into(),
        ),
        ("staff role", or_dash(r.staff_role.clone())),
        (
            "created",
            format!("{} ({})", r.created_at.to_rfc3339(), r.origin),
        ),
        ("created by", or_dash(r.created_by.clone())),
        (
            "last sign-in",
            or_dash(r.last_sign_in.map(|t| t.to_rfc3339())),
        ),
    ];
    write_fields(out, &fields)?;
    writeln!(out)?;
    super::fields::write_shown(out, &detail.fields)?;
    for c in &r.customers {
        let owner = if c.is_owner { ", owner" } else { "" };
        writeln!(
            out,
            "  {}  {} ({}{owner})",
            display_safe(&c.slug),
            c.role,
            c.status
        )?;
    }
    if !detail.recent_events.is_empty() {
        writeln!(out)?;
        for e in &detail.recent_events {
            let (action, summary) = (display_safe(&e.action), display_safe(&e.summary));
            writeln!(out, "  {}  {}  {action}  {summary}", e.seq, e.at)?;
        }
    }
    Ok(())
}

pub fn invite(
    service: &dyn Backend,
    cmd: InviteCommand,
    width: Option<usize>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let command = match cmd {
        InviteCommand::Accept { token } => {
            // A code of the wrong form gets the one answer at once, before any prompt.
            if !crate::domain::invitation::looks_like_token(&token) {
                return Err(service::ServiceError::InvalidToken.into());
            }
            // An account that already has a password keeps it: ask for one only when the
            // invitation sets the first.
            let accepted = match service.accept_invitation(&token, None) {
                Err(service::ServiceError::PasswordNeeded) => {
                    let password = read_new_password("TENANTRY_NEW_PASSWORD")?;
                    service.accept_invitation(&token, Some(&password))?
                }
                other => other?,
            };
            writeln!(
                out,
                "accepted: {} can now sign in to {}",
                accepted.email, accepted.customer
            )?;
            return Ok(());
        }
        InviteCommand::List {
            customer,
            status,
            output,
        } => return list_invitations(service, customer, status, output, width, out),
        InviteCommand::Create {
            person,
            expires_days,
        } => service::InvitationCommand::Create(NewInvitation {
            customer: person.customer,
            email: person.email,
            first_name: person.first,
            last_name: person.last,
            role: person.role.into(),
            language: person.language,
            expires_days: Some(expires_days),
        }),
        InviteCommand::Resend(a) => service::InvitationCommand::Resend {
            email: a.email,
            customer: a.customer,
        },
        InviteCommand::Revoke(a) => service::InvitationCommand::Revoke {
            email: a.email,
            customer: a.customer,
        },
        InviteCommand::Delete(a) => service::InvitationCommand::Delete {
            email: a.email,
            customer: a.customer,
        },
    };
    let verb = command.spec().0.done_phrase();
    let Outcome::Invitation {
        row,
        token,
        message,
    } = service.execute(Command::Invitation(command))?
    else {
        return Ok(());
    };
    writeln!(
        out,
        "{verb} {} to {} ({}, until {})",
        display_safe(&row.email),
        row.customer,
        row.status.as_str(),
        row.expires_at.to_rfc3339()
    )?;
    if !message.is_empty() {
        writeln!(out, "message: {message}")?;
    }
    // The code is shown once, as the last line, so a script can take it with `tail -1`.
    if !token.is_empty() {
        writeln!(out, "{token}")?;
    }
    Ok(())
}

fn list_invitations(
    service: &dyn Backend,
    customer: Option<String>,
    status: Option<super::args::InvitationStatusArg>,
    output: ListOutput,
    width: Option<usize>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let rows = crate::backend::every_page(None, |after: Option<Cursor>, limit| {
        service.ask(InvitationQuery {
            customer: customer.clone(),
            status: status.map(Into::into),
            after,
            limit: Some(limit),
        })
    })?;
    let spec = TableSpec {
        headers: &[
            "EMAIL",
            "CUSTOMER",
            "ROLE",
            "STATUS",
            "EXPIRES",
            "INVITED BY",
            "SENT",
        ],
        keep: &["EMAIL", "CUSTOMER"],
        width,
    };
    let rows = rows.into_iter().map(Ok::<InvitationRow, CliError>);
    write_listing(out, output, &spec, rows, |r| r.cells())
}

pub fn password(
    service: &dyn Backend,
    cmd: PasswordCommand,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    match cmd {
        PasswordCommand::ResetRequest { email } => {
            writeln!(out, "{}", service.request_password_reset(&email)?)?;
        }
        PasswordCommand::Reset { token } => {
            if !crate::domain::invitation::looks_like_token(&token) {
                return Err(service::ServiceError::InvalidToken.into());
            }
            let password = read_new_password("TENANTRY_NEW_PASSWORD")?;
            let email = service.reset_password(&token, &password)?;
            writeln!(out, "password set for {email}")?;
        }
    }
    Ok(())
}

pub fn outbox(
    service: &dyn Backend,
    cmd: OutboxCommand,
    width: Option<usize>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    match cmd {
        OutboxCommand::List { output } => {
            let rows = service.ask(ListOutbox)?;
            let spec = TableSpec {
                headers: &["ID", "TO", "SUBJECT", "DATE", "BYTES"],
                keep: &["ID"],
                width,
            };
            let rows = rows.into_iter().map(Ok::<_, CliError>);
            write_listing(out, output, &spec, rows, |r| r.cells())
        }
        OutboxCommand::Show { id, raw: true } => {
            let text = service.ask(ShowOutboxMessage { id })?;
            out.write_all(text.as_bytes())?;
            Ok(())
        }
        OutboxCommand::Show { id, raw: false } => {
            let text = service.ask(ShowOutboxMessage { id })?;
            for line in crate::mail::readable::readable(&text) {
                writeln!(out, "{}", crate::domain::text::display_safe(&line))?;
            }
            Ok(())
        }
    }
}
