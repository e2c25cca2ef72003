//! The command-line contract: nouns, verbs, flags and their help. `completions` and `manpage`
//! are generated from these definitions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::domain::{CustomerKind, CustomerStatus, StaffRole};

#[derive(Debug, Parser)]
#[command(
    name = "tenantry",
    version,
    about = "Operate a multi-tenant platform's customers, users, trash and audit log",
    long_about = "Operate a multi-tenant platform's customers, users, trash and audit log.\n\nWith no command, opens the terminal console. Every command acts as the staff member linked to the Unix user running it, or as --user EMAIL with a password from TENANTRY_PASSWORD or a prompt.",
    after_help = "Exit status: 0 done; 1 refused, not found or a failed check; 2 usage; 3 database in use by another process; 4 storage error."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    /// Console: ask for email and password even when this Unix user is linked to a staff member
    #[arg(long)]
    pub sign_in: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// Database directory [default: $XDG_DATA_HOME/tenantry/db]
    #[arg(long, global = true, env = "TENANTRY_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Act as this staff member (password from TENANTRY_PASSWORD, else a prompt)
    #[arg(long, global = true, env = "TENANTRY_USER", value_name = "EMAIL")]
    pub user: Option<String>,
    /// Not an argument: the width tables fit, the terminal's when stdout is one (`main` sets
    /// it), `None` for a pipe or a file, where no cell is cut (D76).
    #[arg(skip)]
    pub table_width: Option<usize>,
    /// Not an argument: the store options from the configuration file, which `main` reads
    /// once at start-up and sets here before running the command.
    #[arg(skip)]
    pub store: crate::store::StoreOptions,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database, the provider company and the first staff owner
    Init(InitArgs),
    /// Add, list, show, edit, suspend, delete, restore and purge customers
    #[command(subcommand)]
    Customer(CustomerCommand),
    /// The trash of deleted customers
    #[command(subcommand)]
    Trash(TrashCommand),
    /// Platform settings
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Staff members (platform operators)
    #[command(subcommand)]
    Staff(StaffCommand),
    /// The audit log, newest first; `log verify` checks its hash chain
    Log(LogArgs),
    /// Import customers from CSV; list past imports; undo one
    #[command(subcommand)]
    Import(ImportCommand),
    /// Export customers as CSV (the import's columns) or JSON
    #[command(subcommand)]
    Export(ExportCommand),
    /// Write a consistent, checksummed copy of the whole database to FILE (0600)
    Backup {
        file: PathBuf,
        /// Replace FILE if it exists (a symbolic link there is replaced, never followed)
        #[arg(long)]
        force: bool,
        /// Sign the backup with this secret key file (made by `backup-keygen`)
        #[arg(long, value_name = "KEYFILE")]
        sign: Option<PathBuf>,
    },
    /// Make a key pair for signing backups in DIR: tenantry-backup.key (secret, 0600) and
    /// tenantry-backup.pub; keep both outside the database and away from other users
    BackupKeygen { dir: PathBuf },
    /// Rebuild a backup into the empty path given by --db, then verify it
    Restore {
        file: PathBuf,
        /// Refuse the backup unless it is signed by the key in this public key file
        #[arg(long, value_name = "PUBKEYFILE")]
        verify_with: Option<PathBuf>,
    },
    /// Check the whole database (indexes against records, stored values, audit chain) without
    /// changing anything; exit 1 naming the problems found
    Check,
    /// Open the console on a throwaway sample database in a temporary directory
    Demo,
    /// Print a shell completion script
    Completions { shell: clap_complete::Shell },
    /// Print the manual page (roff), or with --dir write one page per command into DIR
    Manpage {
        /// Write tenantry.1, tenantry-customer.1, tenantry-customer-add.1 … into this directory
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The provider company's name
    #[arg(long)]
    pub company: String,
    #[arg(long, value_name = "EMAIL")]
    pub admin_email: String,
    #[arg(long, value_name = "FIRST")]
    pub admin_first: String,
    #[arg(long, value_name = "LAST")]
    pub admin_last: String,
    /// Do not link the owner to the Unix user running this command
    #[arg(long)]
    pub no_unix_user: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Json,
    Csv,
}

/// The output options of every listing.
#[derive(Debug, Clone, Copy, Args)]
pub struct ListOutput {
    /// Output format: an aligned table for people, a JSON array, or CSV with a header of the
    /// JSON field names
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
    /// Leave out the header line of a table or CSV
    #[arg(long)]
    pub no_header: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ShowFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum KindArg {
    Corporate,
    Individual,
}

impl From<KindArg> for CustomerKind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::Corporate => CustomerKind::Corporate,
            KindArg::Individual => CustomerKind::Individual,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum StatusArg {
    Active,
    Suspended,
}

impl From<StatusArg> for CustomerStatus {
    fn from(s: StatusArg) -> Self {
        match s {
            StatusArg::Active => CustomerStatus::Active,
            StatusArg::Suspended => CustomerStatus::Suspended,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum RoleArg {
    Owner,
    Administrator,
    Operator,
    Auditor,
}

impl From<RoleArg> for StaffRole {
    fn from(r: RoleArg) -> Self {
        match r {
            RoleArg::Owner => StaffRole::Owner,
            RoleArg::Administrator => StaffRole::Administrator,
            RoleArg::Operator => StaffRole::Operator,
            RoleArg::Auditor => StaffRole::Auditor,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum CustomerCommand {
    /// Add a customer; prints its slug as the last line
    Add(AddArgs),
    /// List customers in slug order
    List(ListArgs),
    /// Show every field of one customer and its members
    Show {
        slug: String,
        #[arg(long, value_enum, default_value = "table")]
        format: ShowFormat,
    },
    /// Change a customer's fields (the slug only with --slug)
    Edit(EditArgs),
    /// Suspend a customer
    Suspend { slug: String },
    /// Activate a suspended customer
    Activate { slug: String },
    /// Move a customer to the trash (restorable until purged)
    Delete { slug: String },
    /// Bring a customer back from the trash
    Restore { slug: String },
    /// Permanently delete a customer that is in the trash
    Purge {
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
    #[arg(long, value_name = "FIRST", requires = "owner_email")]
    pub owner_first: Option<String>,
    #[arg(long, value_name = "LAST", requires = "owner_email")]
    pub owner_last: Option<String>,
    #[arg(long = "type", value_enum, default_value = "corporate")]
    pub kind: KindArg,
    /// Language code such as en, de or pt-BR
    #[arg(long, default_value = "en")]
    pub language: String,
    /// Contact email
    #[arg(long)]
    pub email: Option<String>,
    /// Contact phone
    #[arg(long)]
    pub phone: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// List the trash instead
    #[arg(long)]
    pub trash: bool,
    /// Case-insensitive text in name, slug or owner email
    #[arg(long)]
    pub filter: Option<String>,
    /// Only customers with this status
    #[arg(long, value_enum)]
    pub status: Option<StatusArg>,
    /// Only customers of this type
    #[arg(long = "type", value_enum)]
    pub kind: Option<KindArg>,
    #[arg(long)]
    pub limit: Option<usize>,
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    #[command(flatten)]
    pub output: ListOutput,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    pub slug: String,
    #[arg(long)]
    pub name: Option<String>,
    /// A new slug (a-z, 0-9 and single hyphens); audited
    #[arg(long = "slug", value_name = "NEW")]
    pub new_slug: Option<String>,
    #[arg(long = "type", value_enum)]
    pub kind: Option<KindArg>,
    #[arg(long)]
    pub language: Option<String>,
    /// Contact email ("" clears it)
    #[arg(long)]
    pub email: Option<String>,
    /// Contact phone ("" clears it)
    #[arg(long)]
    pub phone: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum TrashCommand {
    /// Purge trashed customers whose retention has run out (as the system actor)
    PurgeExpired,
    /// List the trash (same as `customer list --trash`)
    List(ListArgs),
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Print one setting
    Get { key: String },
    /// Change one setting
    Set { key: String, value: String },
    /// Print every setting
    List {
        #[command(flatten)]
        output: ListOutput,
    },
}

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Add a staff member (invited until a password is set or a Unix user is linked)
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        first: String,
        #[arg(long)]
        last: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Sign this Unix account in as the new staff member
        #[arg(long, value_name = "NAME")]
        unix_user: Option<String>,
    },
    /// List staff members
    List {
        #[command(flatten)]
        output: ListOutput,
    },
    /// Change a staff member
    Edit {
        email: String,
        #[arg(long)]
        first: Option<String>,
        #[arg(long)]
        last: Option<String>,
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
    Disable { email: String },
    /// Enable a disabled staff member again
    Enable { email: String },
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct LogArgs {
    #[command(subcommand)]
    pub action: Option<LogAction>,
    /// Only events concerning this customer (also after a purge)
    #[arg(long, value_name = "SLUG")]
    pub customer: Option<String>,
    #[arg(long)]
    pub limit: Option<usize>,
    #[command(flatten)]
    pub output: ListOutput,
}

#[derive(Debug, Subcommand)]
pub enum LogAction {
    /// Read every stored event and check the hash chain; exit 1 at the first break
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Check a whole CSV file, report every row, then import it (all or nothing by default)
    Customers(ImportArgs),
    /// Past imports, newest first
    List {
        #[command(flatten)]
        output: ListOutput,
    },
    /// Move every customer an import created, and that is not yet in the trash, to the trash
    Undo { id: u64 },
}

#[derive(Debug, Args)]
pub struct ImportArgs {
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
    #[arg(long, value_enum, default_value = "table")]
    pub format: ShowFormat,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Every customer except the provider company, streamed
    Customers {
        /// Export the trash instead
        #[arg(long)]
        trash: bool,
        #[arg(long, value_enum, default_value = "csv")]
        format: ExportFormatArg,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExportFormatArg {
    Csv,
    Json,
}
