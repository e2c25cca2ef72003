//! The command-line contract of `tenantry settings|staff|log|import|export …`: verbs, flags
//! and their help (see `args.rs`).

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::args::{ExportFormatArg, ListOutput, RoleArg, ShowFormat};
use super::examples as ex;

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Print one setting
    #[command(after_help = ex::SETTINGS_GET)]
    Get {
        /// The setting: trash.retention_days or company.name
        key: String,
    },
    /// Change one setting
    #[command(after_help = ex::SETTINGS_SET)]
    Set {
        /// The setting: trash.retention_days or company.name
        key: String,
        /// Its new value
        value: String,
    },
    /// Print every setting
    #[command(after_help = ex::SETTINGS_LIST)]
    List {
        #[command(flatten)]
        output: ListOutput,
    },
}

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Add a staff member (invited until a password is set or a Unix user is linked)
    #[command(after_help = ex::STAFF_ADD)]
    Add {
        /// The staff member's email (their sign-in name)
        #[arg(long)]
        email: String,
        /// First name
        #[arg(long)]
        first: String,
        /// Last name
        #[arg(long)]
        last: String,
        /// Staff role (adding an owner needs an owner)
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Sign this Unix account in as the new staff member
        #[arg(long, value_name = "NAME")]
        unix_user: Option<String>,
    },
    /// List staff members
    #[command(after_help = ex::STAFF_LIST)]
    List {
        #[command(flatten)]
        output: ListOutput,
    },
    /// Change a staff member
    #[command(after_help = ex::STAFF_EDIT)]
    Edit {
        /// The staff member's email
        email: String,
        /// A new first name
        #[arg(long)]
        first: Option<String>,
        /// A new last name
        #[arg(long)]
        last: Option<String>,
        /// A new staff role (making or changing an owner needs an owner)
        #[arg(long, value_enum)]
        role: Option<RoleArg>,
        /// Link a Unix account ("" removes the link)
        #[arg(long, value_name = "NAME")]
        unix_user: Option<String>,
        /// Set a new password (from TENANTRY_NEW_PASSWORD, else a prompt typed twice)
        #[arg(long)]
        password: bool,
    },
    /// Disable a staff member (they can no longer sign in)
    #[command(after_help = ex::STAFF_DISABLE)]
    Disable {
        /// The staff member's email
        email: String,
    },
    /// Enable a disabled staff member again
    #[command(after_help = ex::STAFF_ENABLE)]
    Enable {
        /// The staff member's email
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Check a whole CSV file, report every row, then import it (all or nothing by default)
    #[command(after_help = ex::IMPORT_CUSTOMERS)]
    Customers(ImportArgs),
    /// Past imports, newest first
    #[command(after_help = ex::IMPORT_LIST)]
    List {
        #[command(flatten)]
        output: ListOutput,
    },
    /// Move every customer an import created, and that is not yet in the trash, to the trash
    #[command(after_help = ex::IMPORT_UNDO)]
    Undo {
        /// The import's number, as `import list` shows it
        id: u64,
    },
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV file to import (UTF-8, a header row naming the columns)
    pub file: PathBuf,
    /// Check and report only; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Import the valid rows and report the invalid ones instead of refusing the file
    #[arg(long)]
    pub skip_invalid: bool,
    /// Field delimiter (one character, or "tab"); detected from the header when absent
    #[arg(long, value_name = "C")]
    pub delimiter: Option<String>,
    /// Report format: a table of every row and a summary line, or one JSON object
    #[arg(long, value_enum, default_value = "table")]
    pub format: ShowFormat,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Every customer except the provider company, streamed
    #[command(after_help = ex::EXPORT_CUSTOMERS)]
    Customers {
        /// Export the trash instead
        #[arg(long)]
        trash: bool,
        /// Output format: CSV with the import's columns, or a JSON array
        #[arg(long, value_enum, default_value = "csv")]
        format: ExportFormatArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImpersonationCommand {
    /// Impersonations newest first: who, which customer, why, how long and how it ended
    /// (needs "view logs")
    #[command(after_help = ex::IMPERSONATION_LIST)]
    List {
        /// Only impersonations of this customer (slug)
        #[arg(long, value_name = "SLUG")]
        customer: Option<String>,
        /// At most this many (the newest)
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        #[command(flatten)]
        output: ListOutput,
    },
}
