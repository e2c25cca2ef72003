//! Who acts, resolved once at the edge: `--user EMAIL` with a password (TENANTRY_PASSWORD,
//! else a prompt on a terminal), or else the staff member linked to the Unix user running the
//! command, as PostgreSQL's peer authentication does. With `--impersonate SLUG --reason TEXT`
//! that staff member then impersonates the customer for the one command: the impersonation
//! starts before it and ends when the command is done ([`Acting`]), each end with its event.

use std::io::IsTerminal;

use super::CliError;
use super::args::{Command, GlobalArgs, InviteCommand, TrashCommand};
use crate::backend::Backend;
use crate::domain::ImpersonationEnd;
use crate::domain::text::display_safe;
use crate::service::{ServiceError, SessionInfo};
use crate::system::current_unix_user;

/// Signs the backend in as whoever the command acts as, and says who that is. An empty or blank `--user` / `TENANTRY_USER` counts as not
/// given (peer authentication), never as an email to sign in with: a variable exported empty
/// must not turn peer authentication off.
pub fn resolve<'a>(service: &'a dyn Backend, global: &GlobalArgs) -> Result<Acting<'a>, CliError> {
    authenticate(service, global)?;
    let Some(slug) = global.impersonate.as_deref() else {
        return Ok(Acting {
            backend: service,
            impersonating: false,
        });
    };
    let reason = global.reason.as_deref().unwrap_or_default();
    service.start_impersonation(slug, reason)?;
    Ok(Acting {
        backend: service,
        impersonating: true,
    })
}

/// Who acts for one command. While it impersonates, dropping it ends the impersonation, so
/// the end event follows the command whether it succeeded or failed.
pub struct Acting<'a> {
    backend: &'a dyn Backend,
    impersonating: bool,
}

impl Drop for Acting<'_> {
    fn drop(&mut self) {
        if self.impersonating {
            if let Err(e) = self
                .backend
                .end_impersonation(ImpersonationEnd::CommandDone)
            {
                tracing::warn!(error = %e, "the end of the impersonation was not recorded");
            }
        }
    }
}

/// Refuses `--impersonate` with a command that acts as nobody, or that stays with the
/// people themselves (passwords, accepting invitations).
pub fn refuse_impersonating(command: &Command) -> Result<(), CliError> {
    let own = |action| Err(ServiceError::NotWhileImpersonating { action }.into());
    match command {
        Command::Password(_) => own("setting a password"),
        Command::Invite(InviteCommand::Accept { .. }) => own("accepting an invitation"),
        Command::Init(_)
        | Command::Trash(TrashCommand::PurgeExpired)
        | Command::Log(crate::cli::args::LogArgs {
            action: Some(crate::cli::args::LogAction::Prune),
            ..
        })
        | Command::BackupKeygen { .. }
        | Command::Restore { .. }
        | Command::Demo
        | Command::Serve(_)
        | Command::Completions { .. }
        | Command::Manpage { .. } => Err(CliError::Usage(
            "--impersonate goes with a command that acts in a customer, such as `user list`".into(),
        )),
        _ => Ok(()),
    }
}

fn authenticate(service: &dyn Backend, global: &GlobalArgs) -> Result<SessionInfo, CliError> {
    let email = global
        .user
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty());
    if let Some(email) = email {
        let password = read_password("Password: ", "TENANTRY_PASSWORD")?;
        return Ok(service.sign_in(email, &password)?);
    }
    let unix = current_unix_user();
    if let Some(name) = &unix {
        if let Some(session) = service.peer_authenticate(name)? {
            return Ok(session);
        }
    }
    let Some(name) = unix else {
        return Err(ServiceError::Refused(format!(
            "no acting user: the Unix account running tenantry (uid {}) has no name in the password database, so peer authentication cannot find it; pass --user EMAIL (password from TENANTRY_PASSWORD or a prompt)",
            crate::system::current_uid()
        ))
        .into());
    };
    let shown = display_safe(&name);
    Err(ServiceError::Refused(format!(
        "no acting user: pass --user EMAIL (password from TENANTRY_PASSWORD or a prompt), or link Unix user {shown} to a staff member with `tenantry staff edit EMAIL --unix-user {shown}`"
    ))
    .into())
}

/// A password from the environment variable `var`, else typed at a prompt without echo.
pub fn read_password(prompt: &str, var: &str) -> Result<String, CliError> {
    if let Some(password) = password_from_env(var)? {
        return Ok(password);
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(format!(
            "a password is needed: set {var} or run on a terminal"
        )));
    }
    let typed = rpassword::prompt_password(prompt)
        .map_err(|e| CliError::Usage(format!("could not read the password: {e}")))?;
    if typed.is_empty() {
        // Enter on its own is no attempt: it must not count towards a lockout.
        return Err(CliError::Usage("no password was typed".into()));
    }
    Ok(typed)
}

/// The password in environment variable `var`. An empty value counts as unset (a careless
/// `TENANTRY_PASSWORD=` in a cron line must not be a sign-in attempt, counted and locking the
/// account out); a value that is not UTF-8 is a usage error naming the variable.
fn password_from_env(var: &str) -> Result<Option<String>, CliError> {
    match std::env::var(var) {
        Ok(password) if password.is_empty() => Ok(None),
        Ok(password) => Ok(Some(password)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(CliError::Usage(format!("{var} is not valid UTF-8")))
        }
    }
}

/// A new password from `var`, else typed twice at a prompt.
pub fn read_new_password(var: &str) -> Result<String, CliError> {
    if let Some(password) = password_from_env(var)? {
        return Ok(password);
    }
    let first = read_password("New password: ", var)?;
    let second = rpassword::prompt_password("Repeat password: ")
        .map_err(|e| CliError::Usage(format!("could not read the password: {e}")))?;
    if first != second {
        return Err(ServiceError::Invalid(crate::domain::ValidationError::new(
            "password",
            "the two passwords differ",
        ))
        .into());
    }
    Ok(first)
}
