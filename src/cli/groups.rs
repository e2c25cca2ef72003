//! `tenantry group …`: a customer's user groups. Every rule (unique names, who may be a
//! member, who may change them) is the service's; this module parses flags and prints.

use std::io::Write;

use clap::Subcommand;

use super::CliError;
use super::args::ListOutput;
use super::output::{TableSpec, write_listing};
use crate::backend::{Backend, BackendExt};
use crate::domain::text::display_safe;
use crate::service::query::ShowCustomer;
use crate::service::{Command, GroupCommand};

#[derive(Debug, Subcommand)]
pub enum GroupsCommand {
    /// List a customer's groups with their members
    #[command(after_help = super::examples::GROUP_LIST)]
    List {
        /// The customer's slug
        #[arg(long)]
        customer: String,
        #[command(flatten)]
        output: ListOutput,
    },
    /// Add an empty group to a customer
    #[command(after_help = super::examples::GROUP_ADD)]
    Add {
        /// The customer's slug
        #[arg(long)]
        customer: String,
        /// Its name: letters, digits, spaces, - _ & and . (at most 40 characters)
        name: String,
    },
    /// Remove a group (its members stay users of the customer)
    #[command(after_help = super::examples::GROUP_REMOVE)]
    Remove {
        /// The customer's slug
        #[arg(long)]
        customer: String,
        /// The group, any case
        name: String,
    },
    /// Put a user of the customer in a group
    #[command(after_help = super::examples::GROUP_ADD_MEMBER)]
    AddMember {
        /// The customer's slug
        #[arg(long)]
        customer: String,
        /// The group, any case
        group: String,
        /// The user's email
        email: String,
    },
    /// Take a user out of a group
    #[command(after_help = super::examples::GROUP_REMOVE_MEMBER)]
    RemoveMember {
        /// The customer's slug
        #[arg(long)]
        customer: String,
        /// The group, any case
        group: String,
        /// The user's email
        email: String,
    },
}

pub fn run(
    service: &dyn Backend,
    cmd: GroupsCommand,
    width: Option<usize>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let command = match cmd {
        GroupsCommand::List { customer, output } => {
            let detail = service.ask(ShowCustomer { slug: customer })?;
            let spec = TableSpec {
                headers: &["GROUP", "MEMBERS"],
                keep: &["GROUP"],
                width,
            };
            let rows = detail.groups.into_iter().map(Ok::<_, CliError>);
            return write_listing(out, output, &spec, rows, |g| {
                let members: Vec<String> = g.members.iter().map(|m| display_safe(m)).collect();
                vec![display_safe(&g.name), members.join(" ")]
            });
        }
        GroupsCommand::Add { customer, name } => GroupCommand::Add { customer, name },
        GroupsCommand::Remove { customer, name } => GroupCommand::Remove { customer, name },
        GroupsCommand::AddMember {
            customer,
            group,
            email,
        } => GroupCommand::AddMember {
            customer,
            group,
            email,
        },
        GroupsCommand::RemoveMember {
            customer,
            group,
            email,
        } => GroupCommand::RemoveMember {
            customer,
            group,
            email,
        },
    };
    let safe = |s: &str| display_safe(s.trim());
    let said = match &command {
        GroupCommand::Add { customer, name } => {
            format!("added group {} to {}", safe(name), safe(customer))
        }
        GroupCommand::Remove { customer, name } => {
            format!("removed group {} of {}", safe(name), safe(customer))
        }
        GroupCommand::AddMember { group, email, .. } => {
            format!("{} is in group {}", safe(email), safe(group))
        }
        GroupCommand::RemoveMember { group, email, .. } => {
            format!("{} left group {}", safe(email), safe(group))
        }
    };
    service.execute(Command::Group(command))?;
    writeln!(out, "{said}")?;
    Ok(())
}
