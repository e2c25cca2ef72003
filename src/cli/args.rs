//! The command-line contract: nouns, verbs, flags and their help. `completions`, `manpage`
//! and the option tables of docs/cli.md (checked by a test) come from these definitions.
//! Every argument has a help line, the global options are listed under their own heading, and
//! every command's help ends with examples (`examples.rs`). The nouns' own subcommands are in
//! `args_customer.rs` and `args_admin.rs`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use super::args_admin::*;
pub use super::args_customer::*;
pub use super::args_log::*;
pub use super::args_people::*;
use super::examples as ex;
use crate::domain::{CustomerKind, CustomerStatus, StaffRole};

/// The heading the global options are listed under in every command's help.
pub const GLOBAL_OPTIONS: &str = "Global options";

#[derive(Debug, Parser)]
#[command(
    name = "tenantry",
    version,
    about = "Operate a multi-tenant platform's customers, users, trash and audit log",
    long_about = "Operate a multi-tenant platform's customers, users, trash and audit log.\n\nWith no command, opens the terminal console. Every command acts as the staff member linked to the Unix user running it, or as --user EMAIL with a password from TENANTRY_PASSWORD or a prompt; with --impersonate SLUG --reason TEXT, as that customer's administrators would.\n\nExit status: 0 done; 1 refused, not found or a failed check; 2 usage; 3 database in use by another process; 4 storage error; 128+N a backup or restore stopped by signal N.",
    after_help = ex::TENANTRY
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
    #[arg(long, global = true, env = "TENANTRY_DB", value_name = "PATH", help_heading = GLOBAL_OPTIONS)]
    pub db: Option<PathBuf>,
    /// Act as this staff member (password from TENANTRY_PASSWORD, else a prompt)
    #[arg(long, global = true, env = "TENANTRY_USER", value_name = "EMAIL", help_heading = GLOBAL_OPTIONS)]
    pub user: Option<String>,
    /// Run the command as the customer SLUG's administrators would, impersonating it for the
    /// command's length (needs "impersonate" and --reason; both ends are in the customer's log)
    #[arg(long, global = true, value_name = "SLUG", requires = "reason", help_heading = GLOBAL_OPTIONS)]
    pub impersonate: Option<String>,
    /// Why you impersonate, for the log (with --impersonate; at most 200 characters)
    #[arg(long, global = true, value_name = "TEXT", requires = "impersonate", help_heading = GLOBAL_OPTIONS)]
    pub reason: Option<String>,
    /// Open the database in this process even when a server of it runs (which then holds
    /// it: the command waits for nothing and is told the database is in use)
    #[arg(long, global = true, help_heading = GLOBAL_OPTIONS)]
    pub no_server: bool,
    /// The directory of a shared-mode server's socket [default: $XDG_RUNTIME_DIR/tenantry]
    #[arg(long, global = true, env = "TENANTRY_SOCKET_DIR", value_name = "DIR", help_heading = GLOBAL_OPTIONS)]
    pub socket_dir: Option<PathBuf>,
    /// Not an argument: the width tables fit, the terminal's when stdout is one (`main` sets
    /// it), `None` for a pipe or a file, where no cell is cut (D76).
    #[arg(skip)]
    pub table_width: Option<usize>,
    /// Not an argument: the store options from the configuration file, which `main` reads
    /// once at start-up and sets here before running the command.
    #[arg(skip)]
    pub store: crate::store::StoreOptions,
    /// Not an argument: `[mail] command` from the configuration file, set by `main`.
    #[arg(skip)]
    pub mail_command: Option<Vec<String>>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database, the provider company and the first staff owner
    #[command(after_help = ex::INIT)]
    Init(InitArgs),
    /// Add, list, show, edit, suspend, delete, restore and purge customers
    #[command(subcommand, after_help = ex::CUSTOMER)]
    Customer(CustomerCommand),
    /// The trash of deleted customers
    #[command(subcommand, after_help = ex::TRASH)]
    Trash(TrashCommand),
    /// Platform settings
    #[command(subcommand, after_help = ex::SETTINGS)]
    Settings(SettingsCommand),
    /// Staff members (platform operators)
    #[command(subcommand, after_help = ex::STAFF)]
    Staff(StaffCommand),
    /// The catalogue of services customers can have (Websites, Email, DNS, …)
    #[command(subcommand, after_help = ex::SERVICE)]
    Service(super::service_catalogue::ServiceCatalogueCommand),
    /// The target systems customers run on (regions, clusters)
    #[command(subcommand, after_help = ex::SYSTEM)]
    System(super::catalogues::SystemsCommand),
    /// Service plans: named limits on users, storage and websites
    #[command(subcommand, after_help = ex::PLAN)]
    Plan(super::catalogues::PlansCommand),
    /// Custom fields of customers and users: list, add, edit, remove, cleanup
    #[command(subcommand, after_help = ex::FIELD)]
    Field(super::fields::FieldsCommand),
    /// A customer's user groups: list, add, remove, add-member, remove-member
    #[command(subcommand, after_help = ex::GROUP)]
    Group(super::groups::GroupsCommand),
    /// The users of customers: add, list, show, edit, disable, enable, delete, remove, welcome
    #[command(subcommand, after_help = ex::USER)]
    User(UserCommand),
    /// Invitations into customers: create, list, resend, revoke, delete, accept
    #[command(subcommand, after_help = ex::INVITE)]
    Invite(InviteCommand),
    /// Password resets by message: request one, or set a password with its code
    #[command(subcommand, after_help = ex::PASSWORD)]
    Password(PasswordCommand),
    /// The outbox of messages to people (tenantry speaks no SMTP)
    #[command(subcommand, after_help = ex::OUTBOX)]
    Outbox(OutboxCommand),
    /// Impersonations of customers by staff, past and current
    #[command(subcommand, after_help = ex::IMPERSONATION)]
    Impersonation(ImpersonationCommand),
    /// The audit log, newest first and filtered; `log export`, `log verify`, `log head`
    #[command(after_help = ex::LOG)]
    Log(LogArgs),
    /// Import customers from CSV; list past imports; undo one
    #[command(subcommand, after_help = ex::IMPORT)]
    Import(ImportCommand),
    /// Export customers as CSV (the import's columns) or JSON
    #[command(subcommand, after_help = ex::EXPORT)]
    Export(ExportCommand),
    /// Write a consistent, checksummed copy of the whole database to FILE (0600)
    #[command(after_help = ex::BACKUP)]
    Backup {
        /// The backup file to write (not inside the database directory)
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
    #[command(after_help = ex::BACKUP_KEYGEN)]
    BackupKeygen {
        /// The directory for the two key files (created 0700 if missing)
        dir: PathBuf,
    },
    /// Rebuild a backup into the empty path given by --db, then verify it
    #[command(after_help = ex::RESTORE)]
    Restore {
        /// The backup file to restore
        file: PathBuf,
        /// Refuse the backup unless it is signed by the key in this public key file
        #[arg(long, value_name = "PUBKEYFILE")]
        verify_with: Option<PathBuf>,
    },
    /// Check the whole database (indexes against records, stored values, audit chain) without
    /// changing anything; exit 1 naming the problems found
    #[command(after_help = ex::CHECK)]
    Check,
    /// The dashboard's numbers: customers by status and by week, users by role, invitations,
    /// the trash's next purges (read from counters, so as quick at a million as at ten)
    #[command(after_help = ex::STATS)]
    Stats {
        /// Output format (the JSON adds the ten newest events)
        #[arg(long, value_enum, default_value = "table")]
        format: ShowFormat,
    },
    /// Own the database as a long-running server that consoles and commands reach over a
    /// Unix socket, so several can work at once
    #[command(after_help = ex::SERVE)]
    Serve(super::serve::ServeArgs),
    /// Open the console on a throwaway sample database in a temporary directory
    #[command(after_help = ex::DEMO)]
    Demo,
    /// Print a shell completion script
    #[command(after_help = ex::COMPLETIONS)]
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or with --dir write one page per command into DIR
    #[command(after_help = ex::MANPAGE)]
    Manpage {
        /// Write tenantry.1, tenantry-customer.1, tenantry-customer-add.1 … into this directory
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The provider company's name (1–100 characters)
    #[arg(long, value_name = "NAME")]
    pub company: String,
    /// The first owner's email
    #[arg(long, value_name = "EMAIL")]
    pub admin_email: String,
    /// The first owner's first name
    #[arg(long, value_name = "FIRST")]
    pub admin_first: String,
    /// The first owner's last name
    #[arg(long, value_name = "LAST")]
    pub admin_last: String,
    /// Do not link the owner to the Unix user running this command
    #[arg(long)]
    pub no_unix_user: bool,
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
pub enum ListFormat {
    Table,
    Json,
    Csv,
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
    Pending,
}

impl From<StatusArg> for CustomerStatus {
    fn from(s: StatusArg) -> Self {
        match s {
            StatusArg::Active => CustomerStatus::Active,
            StatusArg::Suspended => CustomerStatus::Suspended,
            StatusArg::Pending => CustomerStatus::Pending,
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

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExportFormatArg {
    Csv,
    Json,
}
