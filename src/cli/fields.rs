//! `tenantry field …`: the custom field schema for customers and for users. Every rule (names,
//! types, choices, who may change it, what removing and cleaning up mean) is the service's;
//! this module parses flags and prints.

use std::io::Write;

use clap::{Subcommand, ValueEnum};

use super::CliError;
use super::args::ListOutput;
use super::args_people::OnOff;
use super::output::{TableSpec, write_fields, write_listing};
use crate::backend::{Backend, BackendExt};
use crate::domain::fields::{FieldKind, FieldTarget};
use crate::domain::text::display_safe;
use crate::service::{Command, FieldChanges, FieldCommand, FieldShown, ListFields, NewField};

/// What a field belongs to, as `--for` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ForArg {
    Customers,
    Users,
}

impl From<ForArg> for FieldTarget {
    fn from(f: ForArg) -> Self {
        match f {
            ForArg::Customers => Self::Customers,
            ForArg::Users => Self::Users,
        }
    }
}

/// A field's type, as `--type` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TypeArg {
    Text,
    Number,
    Date,
    Choice,
}

impl From<TypeArg> for FieldKind {
    fn from(t: TypeArg) -> Self {
        match t {
            TypeArg::Text => Self::Text,
            TypeArg::Number => Self::Number,
            TypeArg::Date => Self::Date,
            TypeArg::Choice => Self::Choice,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum FieldsCommand {
    /// List the custom fields of customers and users, removed ones marked
    #[command(after_help = super::examples::FIELD_LIST)]
    List {
        /// Only the fields of customers or of users
        #[arg(long = "for", value_enum, value_name = "customers|users")]
        target: Option<ForArg>,
        #[command(flatten)]
        output: ListOutput,
    },
    /// Add a custom field (needs "manage settings")
    #[command(after_help = super::examples::FIELD_ADD)]
    Add {
        /// Its name: letters, digits, spaces, - _ & and . (at most 40 characters); also its
        /// CSV column
        name: String,
        /// What it belongs to
        #[arg(
            long = "for",
            value_enum,
            default_value = "customers",
            value_name = "customers|users"
        )]
        target: ForArg,
        /// The type of its values
        #[arg(long = "type", value_enum, value_name = "text|number|date|choice")]
        kind: TypeArg,
        /// A choice field's values, comma-separated
        #[arg(long, value_name = "A,B", value_delimiter = ',')]
        choices: Vec<String>,
        /// Every customer (or user) must have a value from its next change on
        #[arg(long)]
        required: bool,
        /// The customer's own users see it, and its administrators change it
        #[arg(long)]
        visible: bool,
        /// Show it as a column of the customers' (or users') table
        #[arg(long)]
        column: bool,
    },
    /// Change a custom field's name, flags, or add choices (needs "manage settings")
    #[command(after_help = super::examples::FIELD_EDIT)]
    Edit {
        /// The field, any case
        name: String,
        /// What it belongs to
        #[arg(
            long = "for",
            value_enum,
            default_value = "customers",
            value_name = "customers|users"
        )]
        target: ForArg,
        /// A new name
        #[arg(long, value_name = "NEW")]
        rename: Option<String>,
        /// Whether a value is required
        #[arg(long, value_enum, value_name = "on|off")]
        required: Option<OnOff>,
        /// Whether the customer sees it
        #[arg(long, value_enum, value_name = "on|off")]
        visible: Option<OnOff>,
        /// Whether it is a table column
        #[arg(long, value_enum, value_name = "on|off")]
        column: Option<OnOff>,
        /// Choices to add to a choice field, comma-separated
        #[arg(long, value_name = "A,B", value_delimiter = ',')]
        add_choices: Vec<String>,
    },
    /// Remove a custom field from use; its values are kept until a cleanup (needs "manage
    /// settings")
    #[command(after_help = super::examples::FIELD_REMOVE)]
    Remove {
        /// The field, any case
        name: String,
        /// What it belongs to
        #[arg(
            long = "for",
            value_enum,
            default_value = "customers",
            value_name = "customers|users"
        )]
        target: ForArg,
    },
    /// Delete a removed field's values from every customer (or user), then the field (needs
    /// "manage settings")
    #[command(after_help = super::examples::FIELD_CLEANUP)]
    Cleanup {
        /// The removed field, any case
        name: String,
        /// What it belongs to
        #[arg(
            long = "for",
            value_enum,
            default_value = "customers",
            value_name = "customers|users"
        )]
        target: ForArg,
        /// Confirm: the values cannot be brought back
        #[arg(long)]
        yes: bool,
    },
}

/// The "custom fields:" block of `customer show` and `user show`, then a blank line; nothing
/// when no field is defined.
pub fn write_shown(out: &mut dyn Write, fields: &[FieldShown]) -> std::io::Result<()> {
    if fields.is_empty() {
        return Ok(());
    }
    let lines: Vec<(&str, String)> = fields
        .iter()
        .map(|f| {
            let value = match (&f.value, f.required) {
                (Some(v), _) => v.clone(),
                (None, true) => "- (required: give it a value)".into(),
                (None, false) => "-".into(),
            };
            (f.name.as_str(), value)
        })
        .collect();
    writeln!(out, "custom fields:")?;
    write_fields(out, &lines)?;
    writeln!(out)
}

fn on(flag: Option<OnOff>) -> Option<bool> {
    flag.map(|f| f == OnOff::On)
}

pub fn run(
    service: &dyn Backend,
    cmd: FieldsCommand,
    width: Option<usize>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let command = match cmd {
        FieldsCommand::List { target, output } => {
            let wanted = target.map(FieldTarget::from);
            let rows = service
                .ask(ListFields)?
                .into_iter()
                .filter(|r| wanted.is_none_or(|t| t == r.target))
                .map(Ok::<_, CliError>);
            let spec = TableSpec {
                headers: &["FIELD", "FOR", "TYPE", "FLAGS", "STATE"],
                keep: &["FIELD"],
                width,
            };
            return write_listing(out, output, &spec, rows, |r| {
                let kind = if r.choices.is_empty() {
                    r.kind.as_str().to_owned()
                } else {
                    format!("{} ({})", r.kind.as_str(), r.choices.join(", "))
                };
                let flags: Vec<&str> = [
                    (r.required, "required"),
                    (r.customer_visible, "visible"),
                    (r.column, "column"),
                ]
                .into_iter()
                .filter_map(|(on, word)| on.then_some(word))
                .collect();
                vec![
                    r.name.clone(),
                    r.target.as_str().to_owned(),
                    kind,
                    flags.join(", "),
                    if r.removed { "removed" } else { "" }.to_owned(),
                ]
            });
        }
        FieldsCommand::Add {
            name,
            target,
            kind,
            choices,
            required,
            visible,
            column,
        } => FieldCommand::Add(NewField {
            target: target.into(),
            name,
            kind: kind.into(),
            choices,
            required,
            customer_visible: visible,
            column,
        }),
        FieldsCommand::Edit {
            name,
            target,
            rename,
            required,
            visible,
            column,
            add_choices,
        } => FieldCommand::Edit {
            target: target.into(),
            name,
            changes: FieldChanges {
                rename,
                required: on(required),
                customer_visible: on(visible),
                column: on(column),
                add_choices,
            },
        },
        FieldsCommand::Remove { name, target } => FieldCommand::Remove {
            target: target.into(),
            name,
        },
        FieldsCommand::Cleanup { name, target, yes } => {
            if !yes {
                return Err(CliError::Usage(format!(
                    "cleaning up deletes every stored value of field {} for good; add --yes to confirm",
                    display_safe(name.trim())
                )));
            }
            FieldCommand::Cleanup {
                target: target.into(),
                name,
            }
        }
    };
    let said = match &command {
        FieldCommand::Add(new) => format!("added field {}", display_safe(new.name.trim())),
        FieldCommand::Edit { name, .. } => format!("changed field {}", display_safe(name.trim())),
        FieldCommand::Remove { name, .. } => format!(
            "removed field {}; its values are kept until `tenantry field cleanup`",
            display_safe(name.trim())
        ),
        FieldCommand::Cleanup { name, .. } => format!(
            "cleaned up field {}: its values are deleted",
            display_safe(name.trim())
        ),
    };
    service.execute(Command::Field(command))?;
    writeln!(out, "{said}")?;
    Ok(())
}
