//! The command-line contract of `tenantry customer …` and `tenantry trash …`: verbs, flags and
//! their help (see `args.rs`).

use clap::{Args, Subcommand};

use super::args::{KindArg, ListOutput, ShowFormat, StatusArg};
use super::examples as ex;

#[derive(Debug, Subcommand)]
pub enum CustomerCommand {
    /// Add a customer; prints its slug as the last line
    #[command(after_help = ex::CUSTOMER_ADD)]
    Add(AddArgs),
    /// List customers in slug order
    #[command(after_help = ex::CUSTOMER_LIST)]
    List(ListArgs),
    /// Show every field of one customer and its members
    #[command(after_help = ex::CUSTOMER_SHOW)]
    Show {
        /// The customer's slug
        slug: String,
        /// Output format: key/value lines and a member table, or one JSON object
        #[arg(long, value_enum, default_value = "table")]
        format: ShowFormat,
    },
    /// Change a customer's fields (the slug only with --slug)
    #[command(after_help = ex::CUSTOMER_EDIT)]
    Edit(EditArgs),
    /// Turn services on or off for a customer, or back to the catalogue's default
    #[command(after_help = ex::CUSTOMER_SERVICES)]
    Services {
        /// The customer's slug
        slug: String,
        /// Services to turn on (comma-separated or repeated)
        #[arg(long, value_name = "SERVICE", value_delimiter = ',')]
        enable: Vec<String>,
        /// Services to turn off
        #[arg(long, value_name = "SERVICE", value_delimiter = ',')]
        disable: Vec<String>,
        /// Services to follow the catalogue's default again
        #[arg(long, value_name = "SERVICE", value_delimiter = ',')]
        inherit: Vec<String>,
    },
    /// Move a customer to another target system
    #[command(after_help = ex::CUSTOMER_SYSTEM)]
    System {
        /// The customer's slug
        slug: String,
        /// The system, any case (`tenantry system list`)
        system: String,
    },
    /// Give a customer a service plan, or none (needs "manage service plans")
    #[command(after_help = ex::CUSTOMER_PLAN)]
    Plan {
        /// The customer's slug
        slug: String,
        /// The plan, any case (`tenantry plan list`)
        #[arg(required_unless_present = "none", conflicts_with = "none")]
        plan: Option<String>,
        /// Take the customer's plan away
        #[arg(long)]
        none: bool,
    },
    /// Suspend a customer
    #[command(after_help = ex::CUSTOMER_SUSPEND)]
    Suspend {
        /// The customer's slug
        slug: String,
    },
    /// Activate a suspended customer
    #[command(after_help = ex::CUSTOMER_ACTIVATE)]
    Activate {
        /// The customer's slug
        slug: String,
    },
    /// Move a customer to the trash (restorable until purged)
    #[command(after_help = ex::CUSTOMER_DELETE)]
    Delete {
        /// The customer's slug
        slug: String,
    },
    /// Bring a customer back from the trash
    #[command(after_help = ex::CUSTOMER_RESTORE)]
    Restore {
        /// The trashed customer's slug
        slug: String,
    },
    /// Add a new, pending customer like another: its services, plan, target system and user
    /// groups (without members); no users, invitations or contact details. Prints the new slug
    #[command(after_help = ex::CUSTOMER_COPY)]
    Copy {
        /// The customer to copy
        slug: String,
        /// The new customer's name (its slug is derived from it)
        new_name: String,
        /// Only these of its services (comma-separated); all it has on without
        #[arg(long, value_name = "SERVICE", value_delimiter = ',')]
        services: Option<Vec<String>>,
    },
    /// Make a customer an independent organisation: it then manages its own users,
    /// invitations and groups; staff no longer impersonate or delete it, and only its own
    /// administrators hand it back
    #[command(after_help = ex::CUSTOMER_MAKE_INDEPENDENT)]
    MakeIndependent {
        /// The customer's slug
        slug: String,
        /// Confirm: only the customer's own administrators can undo it
        #[arg(long)]
        yes: bool,
    },
    /// Permanently delete a customer that is in the trash
    #[command(after_help = ex::CUSTOMER_PURGE)]
    Purge {
        /// The trashed customer's slug
        slug: String,
        /// Confirm that this cannot be undone
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Display name (1–100 characters); the slug is derived from it
    pub name: String,
    /// Keep this slug instead of deriving one
    #[arg(long)]
    pub slug: Option<String>,
    /// The owner: an existing user, or a new one with --owner-first and --owner-last
    #[arg(long, value_name = "EMAIL")]
    pub owner_email: Option<String>,
    /// A new owner's first name (needs --owner-email)
    #[arg(long, value_name = "FIRST", requires = "owner_email")]
    pub owner_first: Option<String>,
    /// A new owner's last name (needs --owner-email)
    #[arg(long, value_name = "LAST", requires = "owner_email")]
    pub owner_last: Option<String>,
    /// The customer type
    #[arg(
        long = "type",
        value_name = "TYPE",
        value_enum,
        default_value = "corporate"
    )]
    pub kind: KindArg,
    /// Language code such as en, de or pt-BR
    #[arg(long, value_name = "CODE", default_value = "en")]
    pub language: String,
    /// Contact email
    #[arg(long)]
    pub email: Option<String>,
    /// Contact phone
    #[arg(long)]
    pub phone: Option<String>,
    /// Postal address, on one line ("Bahnhofstrasse 1, 8001 Zürich")
    #[arg(long)]
    pub address: Option<String>,
    /// Website (https://…)
    #[arg(long)]
    pub website: Option<String>,
    /// The target system (`tenantry system list`); the default one without it
    #[arg(long, value_name = "SYSTEM")]
    pub system: Option<String>,
    /// A custom field's value (`tenantry field list`); repeat for more fields
    #[arg(long = "field", value_name = "NAME=VALUE", value_parser = field_value)]
    pub fields: Vec<(String, String)>,
    /// The status it starts with: pending (the default) until its users are added and it is
    /// activated
    #[arg(long, value_enum, value_name = "STATUS")]
    pub status: Option<StatusArg>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// List the trash instead
    #[arg(long)]
    pub trash: bool,
    #[command(flatten)]
    pub filters: ListFilters,
}

/// What `customer list` and `trash list` share: the filters, the page and the output.
#[derive(Debug, Args)]
pub struct ListFilters {
    /// Case-insensitive text in name, slug or owner email
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Only customers with this status
    #[arg(long, value_enum)]
    pub status: Option<StatusArg>,
    /// Only customers of this type
    #[arg(long = "type", value_name = "TYPE", value_enum)]
    pub kind: Option<KindArg>,
    /// Print at most N rows
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Skip the first N matching rows
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: usize,
    #[command(flatten)]
    pub output: ListOutput,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The customer's slug
    pub slug: String,
    /// A new display name (1–100 characters); the slug stays unless --slug is given
    #[arg(long)]
    pub name: Option<String>,
    /// A new slug (a-z, 0-9 and single hyphens); audited
    #[arg(long = "slug", value_name = "NEW")]
    pub new_slug: Option<String>,
    /// A new customer type
    #[arg(long = "type", value_name = "TYPE", value_enum)]
    pub kind: Option<KindArg>,
    /// A new language code such as en, de or pt-BR
    #[arg(long, value_name = "CODE")]
    pub language: Option<String>,
    /// Contact email ("" clears it)
    #[arg(long)]
    pub email: Option<String>,
    /// Contact phone ("" clears it)
    #[arg(long)]
    pub phone: Option<String>,
    /// Postal address, on one line ("" clears it)
    #[arg(long)]
    pub address: Option<String>,
    /// Website, https://… ("" clears it)
    #[arg(long)]
    pub website: Option<String>,
    /// A custom field's value; an empty value clears it; repeat for more fields
    #[arg(long = "field", value_name = "NAME=VALUE", value_parser = field_value)]
    pub fields: Vec<(String, String)>,
}

/// `NAME=VALUE` as `--field` takes it: the name before the first `=`, the value after it
/// (which may be empty, or hold more `=`).
pub fn field_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!(
            "\"{}\" is not NAME=VALUE (e.g. --field \"Cost centre=CC-7\")",
            crate::domain::text::preview(text)
        )),
    }
}

#[derive(Debug, Subcommand)]
pub enum TrashCommand {
    /// Purge trashed customers whose retention has run out (as the system actor)
    #[command(after_help = ex::TRASH_PURGE_EXPIRED)]
    PurgeExpired,
    /// List the trash (same as `customer list --trash`)
    #[command(after_help = ex::TRASH_LIST)]
    List(ListFilters),
}
