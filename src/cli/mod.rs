//! `tenantry <noun> <verb>`: each subcommand maps onto one service command or query. The CLI
//! opens a [`Backend`](crate::backend::Backend), signs it in as whoever acts, once, at the
//! edge, and talks to the service only through it; it prints results to stdout and one line per error to
//! stderr, and never starts the terminal UI.

mod admin;
pub mod args;
mod args_admin;
mod args_customer;
mod args_log;
mod args_people;
mod catalogues;
mod customer;
mod error;
mod examples;
mod fields;
mod groups;
mod impersonation;
mod import;
mod log;
mod manual;
pub mod output;
mod people;
mod serve;
mod service_catalogue;
mod session;
mod stats;
pub mod table;
pub mod usage;

pub use args::Cli;
pub use error::CliError;

use std::io::Write;
use std::path::PathBuf;

use args::{Command, GlobalArgs};

use crate::backend::{Backend, Local};
use crate::store::OpenMode;
use crate::store::backup_sign::{SigningKey, VerifyingKey};

/// Where the database lives when neither `--db` nor `TENANTRY_DB` says.
pub fn database_path(global: &GlobalArgs) -> Result<PathBuf, CliError> {
    match &global.db {
        Some(path) => Ok(path.clone()),
        None => crate::paths::default_database().ok_or_else(|| {
            CliError::Usage(
                "cannot find a home directory for the default database; pass --db PATH".into(),
            )
        }),
    }
}

/// The backend a command talks to: the server of its database when one runs (and
/// `--no-server` is not given), else the database opened in this process. From here on a
/// call into the storage engine that never returns (sled loops for ever on some damaged
/// files) ends the process as a damaged database, exit 4, after
/// [`watchdog::limit_from_env`](crate::store::watchdog::limit_from_env).
fn open(global: &GlobalArgs, mode: OpenMode) -> Result<Box<dyn Backend>, CliError> {
    let path = database_path(global)?;
    if let Some(remote) = serve::connect(global, &path, mode)? {
        return Ok(Box::new(remote));
    }
    crate::store::watchdog::start(crate::store::watchdog::limit_from_env(), end_on_stall);
    let mail = mail_setup(global, &path);
    Ok(Box::new(Local::open_with_mail(
        &path,
        mode,
        &global.store,
        mail,
    )?))
}

/// How messages leave for the database at `path`: the configured command and templates (a
/// warning, and the built-in ones, when the templates do not load).
fn mail_setup(global: &GlobalArgs, path: &std::path::Path) -> crate::mail::MailSetup {
    let mut mail = crate::mail::MailSetup::beside(path);
    mail.command = global.mail_command.clone();
    match crate::mail::Templates::load(crate::paths::templates_dir().as_deref()) {
        Ok(templates) => mail.templates = templates,
        Err(e) => {
            let warning = crate::domain::text::display_safe(&e.to_string());
            tracing::warn!(%warning, "message templates");
            let _ = writeln!(
                std::io::stderr(),
                "tenantry: warning: message templates: {warning}; using the built-in ones"
            );
        }
    }
    mail
}

/// The watchdog's verdict for the CLI: the database is recorded as damaged, the operator
/// gets the one damaged-database line, and the process ends with exit 4 (the engine call
/// cannot be interrupted; the process lock goes with the process).
fn end_on_stall(db: &std::path::Path, took: std::time::Duration) {
    let err = crate::store::StoreError::Damaged {
        path: crate::domain::text::display_safe(&db.display().to_string()),
        detail: format!(
            "the storage engine made no progress for {} s reading it",
            took.as_secs()
        ),
    };
    crate::store::record_damage_at(db, &err.to_string());
    let _ = writeln!(std::io::stderr(), "tenantry: {err}");
    std::process::exit(4);
}

/// Runs one subcommand, writing results to `out`. Returns the process exit status.
pub fn run(global: &GlobalArgs, command: Command, out: &mut dyn Write) -> Result<(), CliError> {
    let width = global.table_width;
    if global.impersonate.is_some() {
        session::refuse_impersonating(&command)?;
    }
    match command {
        Command::Init(args) => admin::init(&*open(global, OpenMode::CreateIfMissing)?, args, out),
        Command::Customer(cmd) => {
            let service = open(global, OpenMode::Existing)?;
            let _acting = session::resolve(&*service, global)?;
            customer::run(&*service, cmd, width, out)
        }
        Command::Trash(args::TrashCommand::PurgeExpired) => {
            let service = open(global, OpenMode::Existing)?;
            admin::purge_expired(&*service, out)
        }
        Command::Trash(args::TrashCommand::List(filters)) => {
            let service = open(global, OpenMode::Existing)?;
            let _acting = session::resolve(&*service, global)?;
            let list = args::ListArgs {
                trash: true,
                filters,
            };
            customer::run(&*service, args::CustomerCommand::List(list), width, out)
        }
        Command::Settings(cmd) => {
            let service = open(global, OpenMode::Existing)?;
            let _acting = session::resolve(&*service, global)?;
            admin::settings(&*service, cmd, width, out)
        }
        Command::Staff(cmd) => {
            let service = open(global, OpenMode::Existing)?;
            let _acting = session::resolve(&*service, global)?;
            admin::staff(&*service, cmd, width, out)
        }
        Command::Service(cmd) => {
            let service = open(global, OpenMode::Existing)?;
            let _acting = session::resolve(&*service, global)?;
            service_catalogue::run(&*service, cmd, width, out)
        }
        Command::System(cmd) => {
            let service = open(global, OpenMode::Existing)?;
            let _acting = session::resolve(&*service, global)?;
            catalogues::systems(&*service, cmd, width, out)
        }
        Command::Field(cmd) => {
            let service = open(global, OpenMode::Existing)?;
            let _acting = session::resolve(&*service, global)?;
            fields::run(&*service, cmd, width, out)
        }
        Command::Group(cmd) => {
            let service = open(global, OpenMode::Existing)?;
            let _acting = session::resolve(&*service, global)?;
            groups::run(&*service, cmd, width, out)
        }
        Command::Plan(cmd) => {
            let service = open(global, OpenMode::Existing)?;
            let _acting = session::resolve(&*service, global)?;
            catalogues::plans(&*service, cmd, width, out)
        }
        Command::User(cmd) => {
            let service = open(global, OpenMode::Existing)?;
            let _acting = session::resolve(&*service, global)?;
            people::user(&*service, cmd, width, out)
        }
        Command::Invite(cmd) => {
            let service = open(global, OpenMode::Existing)?;
            // Bound here, so an impersonation lasts until the command is done.
            let _acting = match cmd {
                args::InviteCommand::Accept { .. } => None,
                _ => Some(session::resolve(&*service, global)?),
            };
            people::invite(&*service, cmd, width, out)
        }
        Command::Password(cmd) => {
            // Needs no session: the email or the code is all there is.
            let service = open(global, OpenMode::Existing)?;
            people::password(&*service, cmd, out)
        }
        Command::Outbox(cmd) => {
            let service = open(global, OpenMode::Existing)?;
            let _acting = session::resolve(&*service, global)?;
            people::outbox(&*service, cmd, width, out)
        }
        Command::Impersonation(cmd) => {
            let service = open(global, OpenMode::Existing)?;
            let _acting = session::resolve(&*service, global)?;
            impersonation::list(&*service, cmd, width, out)
        }
        Command::Log(args::LogArgs {
            action: Some(args::LogAction::Prune),
            ..
        }) => {
            let service = open(global, OpenMode::Existing)?;
            admin::prune_log(&*service, out)
        }
        Command::Log(args) => {
            if let Some(args::LogAction::Verify {
                from_export: Some(file),
                ..
            }) = &args.action
            {
                CliError::require_input("the export", file)?;
            }
            let service = open(global, OpenMode::Existing)?;
            let _acting = session::resolve(&*service, global)?;
            log::run(&*service, args, width, out)
        }
        Command::Import(cmd) => {
            if let args::ImportCommand::Customers(import) = &cmd {
                CliError::require_input("the CSV file", &import.file)?;
            }
            let service = open(global, OpenMode::Existing)?;
            let _acting = session::resolve(&*service, global)?;
            import::run(&*service, cmd, width, out)
        }
        Command::Export(args::ExportCommand::Customers { trash, format }) => {
            let service = open(global, OpenMode::Existing)?;
            let _acting = session::resolve(&*service, global)?;
            import::export(&*service, trash, format, out)
        }
        Command::Backup { file, force, sign } => {
            // The key is read first, so a wrong key file costs no sign-in.
            if let Some(sign) = &sign {
                CliError::require_input("the secret key file", sign)?;
            }
            let key = sign.as_deref().map(SigningKey::load).transpose()?;
            let service = open(global, OpenMode::Existing)?;
            let _acting = session::resolve(&*service, global)?;
            admin::backup(&*service, &file, force, key.as_ref(), out)
        }
        Command::BackupKeygen { dir } => admin::backup_keygen(&dir, out),
        Command::Restore { file, verify_with } => {
            CliError::require_input("the backup", &file)?;
            if let Some(public) = &verify_with {
                CliError::require_input("the public key file", public)?;
            }
            let key = verify_with.as_deref().map(VerifyingKey::load).transpose()?;
            let target = database_path(global)?;
            admin::restore(&target, &file, &global.store, key.as_ref(), out)
        }
        Command::Check => {
            let service = open(global, OpenMode::Existing)?;
            let _acting = session::resolve(&*service, global)?;
            admin::check(&*service, out)
        }
        Command::Stats { format } => {
            let service = open(global, OpenMode::Existing)?;
            let _acting = session::resolve(&*service, global)?;
            stats::run(&*service, format, out)
        }
        Command::Serve(args) => serve::run(global, args, out),
        Command::Demo => Err(CliError::Usage(
            "`demo` opens the console; run it on a terminal".into(),
        )),
        Command::Completions { shell } => {
            // Rendered in memory: clap_complete panics when its writer fails (a closed pipe).
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "tenantry", &mut script);
            out.write_all(&script)?;
            Ok(())
        }
        Command::Manpage { dir: None } => manual::render_top(out),
        Command::Manpage { dir: Some(dir) } => {
            let written = manual::write_manpages(&dir)?;
            writeln!(
                out,
                "wrote {written} manual pages to {}",
                crate::domain::text::display_safe(&dir.display().to_string())
            )?;
            Ok(())
        }
    }
}
