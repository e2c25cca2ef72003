//! `tenantry service list|add|edit|remove`: the catalogue of services customers can have.
//! Every rule (unique names, who may change it) is the service's; this module parses flags
//! and prints.

use std::io::Write;

use clap::{Subcommand, ValueEnum};

use super::CliError;
use super::args::ListOutput;
use super::output::{TableSpec, write_listing};
use crate::backend::{Backend, BackendExt};
use crate::domain::text::display_safe;
use crate::service::{Command, ListServices, Outcome, ServiceCommand};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

#[derive(Debug, Subcommand)]
pub enum ServiceCatalogueCommand {
    /// List the catalogue: each service and whether customers have it by default
    #[command(after_help = super::examples::SERVICE_LIST)]
    List {
        #[command(flatten)]
        output: ListOutput,
    },
    /// Add a service to the catalogue (on by default unless --default off; needs "manage
    /// settings")
    #[command(after_help = super::examples::SERVICE_ADD)]
    Add {
        /// Its name: letters, digits, spaces, - & and . (at most 40 characters)
        name: String,
        /// Whether customers have it unless they say otherwise
        #[arg(long, value_enum, default_value = "on")]
        default: OnOff,
    },
    /// Change a service's default or its name (needs "manage settings")
    #[command(after_help = super::examples::SERVICE_EDIT)]
    Edit {
        /// The service, any case
        name: String,
        /// Whether customers have it unless they say otherwise
        #[arg(long, value_enum)]
        default: Option<OnOff>,
        /// A new name
        #[arg(long, value_name = "NEW")]
        rename: Option<String>,
    },
    /// Remove a service from the catalogue (needs "manage settings")
    #[command(after_help = super::examples::SERVICE_REMOVE)]
    Remove {
        /// The service, any case
        name: String,
    },
}

pub fn run(
    service: &dyn Backend,
    cmd: ServiceCatalogueCommand,
    width: Option<usize>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let on = |v: OnOff| v == OnOff::On;
    let command = match cmd {
        ServiceCatalogueCommand::List { output } => {
            let rows = service.ask(ListServices)?;
            let spec = TableSpec {
                headers: &["SERVICE", "DEFAULT"],
                keep: &["SERVICE"],
                width,
            };
            let rows = rows.into_iter().map(Ok::<_, CliError>);
            return write_listing(out, output, &spec, rows, |r| {
                vec![
                    r.name.clone(),
                    if r.default_on { "on" } else { "off" }.to_owned(),
                ]
            });
        }
        ServiceCatalogueCommand::Add { name, default } => ServiceCommand::Add {
            name,
            default_on: on(default),
        },
        ServiceCatalogueCommand::Edit {
            name,
            default,
            rename,
        } => ServiceCommand::Edit {
            name,
            default_on: default.map(on),
            rename,
        },
        ServiceCatalogueCommand::Remove { name } => ServiceCommand::Remove { name },
    };
    let removing = matches!(command, ServiceCommand::Remove { .. });
    if let Outcome::Service(row) = service.execute(Command::Service(command))? {
        let name = display_safe(&row.name);
        if removing {
            writeln!(out, "removed {name}")?;
        } else {
            let default = if row.default_on { "on" } else { "off" };
            writeln!(out, "{name}: {default} by default")?;
        }
    }
    Ok(())
}
