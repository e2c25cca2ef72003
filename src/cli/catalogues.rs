//! `tenantry system …` and `tenantry plan …`: the target systems customers run on and the
//! service plans they can have. Every rule (unique names, who may change or see them, what
//! removing one means) is the service's; this module parses flags and prints.

use std::io::Write;

use clap::Subcommand;

use super::CliError;
use super::args::ListOutput;
use super::output::{TableSpec, write_listing};
use crate::backend::{Backend, BackendExt};
use crate::domain::plans::PlanLimits;
use crate::service::{Command, ListPlans, ListSystems, PlanCommand, SystemCommand};

#[derive(Debug, Subcommand)]
pub enum SystemsCommand {
    /// List the systems; the first that is not removed is where new customers go
    #[command(after_help = super::examples::SYSTEM_LIST)]
    List {
        #[command(flatten)]
        output: ListOutput,
    },
    /// Add a system (needs "manage settings")
    #[command(after_help = super::examples::SYSTEM_ADD)]
    Add {
        /// Its name: letters, digits, spaces, - _ & and . (at most 40 characters)
        name: String,
    },
    /// Rename a system (needs "manage settings")
    #[command(after_help = super::examples::SYSTEM_RENAME)]
    Rename {
        /// The system, any case
        name: String,
        /// Its new name
        to: String,
    },
    /// Remove a system from choice; its customers stay on it (needs "manage settings")
    #[command(after_help = super::examples::SYSTEM_REMOVE)]
    Remove {
        /// The system, any case
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum PlansCommand {
    /// List the service plans and their limits (needs "manage service plans")
    #[command(after_help = super::examples::PLAN_LIST)]
    List {
        #[command(flatten)]
        output: ListOutput,
    },
    /// Add a plan; a limit left out is no limit (needs "manage service plans")
    #[command(after_help = super::examples::PLAN_ADD)]
    Add {
        /// Its name: letters, digits, spaces, - _ & and . (at most 40 characters)
        name: String,
        /// The most users a customer on it may have
        #[arg(long, value_name = "N")]
        max_users: Option<u32>,
        /// Storage in GB
        #[arg(long, value_name = "N")]
        storage_gb: Option<u32>,
        /// The most websites
        #[arg(long, value_name = "N")]
        websites: Option<u32>,
    },
    /// Change a plan's name or limits; `none` lifts a limit (needs "manage service plans")
    #[command(after_help = super::examples::PLAN_EDIT)]
    Edit {
        /// The plan, any case
        name: String,
        /// A new name
        #[arg(long, value_name = "NEW")]
        rename: Option<String>,
        /// The most users, or none
        #[arg(long, value_name = "N|none", value_parser = limit)]
        max_users: Option<Limit>,
        /// Storage in GB, or none
        #[arg(long, value_name = "N|none", value_parser = limit)]
        storage_gb: Option<Limit>,
        /// The most websites, or none
        #[arg(long, value_name = "N|none", value_parser = limit)]
        websites: Option<Limit>,
    },
    /// Remove a plan from choice; its customers keep it (needs "manage service plans")
    #[command(after_help = super::examples::PLAN_REMOVE)]
    Remove {
        /// The plan, any case
        name: String,
    },
}

/// A limit as given to `plan edit`: a number, or `none` for no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit(Option<u32>);

fn limit(text: &str) -> Result<Limit, String> {
    if text.eq_ignore_ascii_case("none") {
        return Ok(Limit(None));
    }
    text.parse::<u32>()
        .map(|n| Limit(Some(n)))
        .map_err(|_| format!("\"{text}\" is not a whole number or none"))
}

fn safe(name: &str) -> String {
    crate::domain::text::display_safe(name.trim())
}

fn or_dash(n: Option<u32>) -> String {
    n.map_or_else(|| "-".to_owned(), |n| n.to_string())
}

pub fn systems(
    service: &dyn Backend,
    cmd: SystemsCommand,
    width: Option<usize>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let command = match cmd {
        SystemsCommand::List { output } => {
            let rows = service.ask(ListSystems)?;
            let spec = TableSpec {
                headers: &["SYSTEM", "STATE"],
                keep: &["SYSTEM"],
                width,
            };
            let rows = rows.into_iter().map(Ok::<_, CliError>);
            return write_listing(out, output, &spec, rows, |r| {
                let state = match (r.removed, r.default) {
                    (true, _) => "removed",
                    (false, true) => "default",
                    (false, false) => "",
                };
                vec![r.name.clone(), state.to_owned()]
            });
        }
        SystemsCommand::Add { name } => SystemCommand::Add { name },
        SystemsCommand::Rename { name, to } => SystemCommand::Rename { name, to },
        SystemsCommand::Remove { name } => SystemCommand::Remove { name },
    };
    let said = match &command {
        SystemCommand::Add { name } => format!("added system {}", safe(name)),
        SystemCommand::Rename { name, to } => {
            format!("renamed system {} to {}", safe(name), safe(to))
        }
        SystemCommand::Remove { name } => {
            format!("removed system {}; its customers stay on it", safe(name))
        }
    };
    service.execute(Command::System(command))?;
    writeln!(out, "{said}")?;
    Ok(())
}

pub fn plans(
    service: &dyn Backend,
    cmd: PlansCommand,
    width: Option<usize>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let command = match cmd {
        PlansCommand::List { output } => {
            let rows = service.ask(ListPlans)?;
            let spec = TableSpec {
                headers: &["PLAN", "MAX USERS", "STORAGE GB", "WEBSITES", "STATE"],
                keep: &["PLAN"],
                width,
            };
            let rows = rows.into_iter().map(Ok::<_, CliError>);
            return write_listing(out, output, &spec, rows, |r| {
                vec![
                    r.name.clone(),
                    or_dash(r.max_users),
                    or_dash(r.storage_gb),
                    or_dash(r.websites),
                    if r.removed { "removed" } else { "" }.to_owned(),
                ]
            });
        }
        PlansCommand::Add {
            name,
            max_users,
            storage_gb,
            websites,
        } => PlanCommand::Add {
            name,
            limits: PlanLimits {
                max_users,
                storage_gb,
                websites,
            },
        },
        PlansCommand::Edit {
            name,
            rename,
            max_users,
            storage_gb,
            websites,
        } => PlanCommand::Edit {
            name,
            rename,
            max_users: max_users.map(|l| l.0),
            storage_gb: storage_gb.map(|l| l.0),
            websites: websites.map(|l| l.0),
        },
        PlansCommand::Remove { name } => PlanCommand::Remove { name },
    };
    let said = match &command {
        PlanCommand::Add { name, limits } => {
            format!("added plan {}: {}", safe(name), limits.describe())
        }
        PlanCommand::Edit { name, .. } => format!("changed plan {}", safe(name)),
        PlanCommand::Remove { name } => {
            format!("removed plan {}; its customers keep it", safe(name))
        }
    };
    service.execute(Command::Plan(command))?;
    writeln!(out, "{said}")?;
    Ok(())
}
