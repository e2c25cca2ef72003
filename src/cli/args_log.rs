//! The command-line contract of `tenantry log …`: listing with filters, `export`, `verify`
//! and `head` (see `args.rs`). The filters are one flattened struct, so the listing and the
//! export take exactly the same ones.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::args::ShowFormat;
use super::examples as ex;

/// The filters of `log` and `log export`; every one given must hold.
#[derive(Debug, Clone, Default, Args)]
pub struct LogFilterArgs {
    /// Only events concerning this customer (also after a purge)
    #[arg(long, value_name = "SLUG")]
    pub customer: Option<String>,
    /// Only events by this actor: the account that has EMAIL now (any case; a removed
    /// account by the email its events recorded), or `system`
    #[arg(long, value_name = "EMAIL")]
    pub actor: Option<String>,
    /// Only this action (customer.add) or family of actions (customer.*)
    #[arg(long, value_name = "ACTION")]
    pub action: Option<String>,
    /// Only events at or after this time: RFC 3339 (2026-11-23T13:00:00Z) or a span back
    /// from now (30m, 2h, 7d)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only events at or before this time, written like --since
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Only events whose action, summary, actor email, customer slug or name contains TEXT
    /// (any case)
    #[arg(long, value_name = "TEXT")]
    pub grep: Option<String>,
}

impl LogFilterArgs {
    /// The service's query for these filters.
    pub fn query(&self) -> crate::service::LogQuery {
        crate::service::LogQuery {
            customer: self.customer.clone(),
            actor: self.actor.clone(),
            action: self.action.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
            grep: self.grep.clone(),
            ..crate::service::LogQuery::default()
        }
    }
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct LogArgs {
    #[command(subcommand)]
    pub action: Option<LogAction>,
    #[command(flatten)]
    pub filters: LogFilterArgs,
    /// Print at most N events (the newest)
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Output format: an aligned table for people, a JSON array, JSON Lines (one object a
    /// line, the JSON field names), or CSV with a header of the JSON field names
    #[arg(long, value_enum, default_value = "table")]
    pub format: LogFormat,
    /// Leave out the header line of a table or CSV
    #[arg(long)]
    pub no_header: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LogFormat {
    Table,
    Json,
    Jsonl,
    Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LogExportFormat {
    Csv,
    Jsonl,
}

#[derive(Debug, Subcommand)]
pub enum LogAction {
    /// Check the stored hash chain (every event, oldest first), or an export file; exit 1
    /// naming each problem by sequence
    #[command(after_help = ex::LOG_VERIFY)]
    Verify {
        /// Check this export (made by `log export`) instead: each event's hash, the links, the
        /// trailer, and each event against this database's chain
        #[arg(long, value_name = "FILE")]
        from_export: Option<PathBuf>,
        /// Also prove that the event SEQ still has HASH (a head kept elsewhere, from `log head`)
        #[arg(long, value_name = "SEQ:HASH")]
        head: Option<String>,
    },
    /// Print the newest event's sequence and hash, to keep outside the machine
    /// Remove the events older than `audit.retention_days` (off by default: then nothing),
    /// keeping a checkpoint so the rest still verifies; recorded in the log. Runs as the
    /// system actor, for cron
    #[command(after_help = ex::LOG_PRUNE)]
    Prune,
    #[command(after_help = ex::LOG_HEAD)]
    Head {
        /// Output format
        #[arg(long, value_enum, default_value = "table")]
        format: ShowFormat,
    },
    /// Write the events (oldest first, each with its hash) and a trailer with the chain head
    /// to FILE (0600); recorded in the log
    #[command(after_help = ex::LOG_EXPORT)]
    Export(LogExportArgs),
}

#[derive(Debug, Args)]
pub struct LogExportArgs {
    /// File format: CSV (spreadsheet-safe cells) or JSON Lines
    #[arg(long, value_enum)]
    pub format: LogExportFormat,
    #[command(flatten)]
    pub filters: LogFilterArgs,
    /// The file to write (created 0600; not inside the database directory)
    #[arg(long, value_name = "FILE")]
    pub output: PathBuf,
    /// Replace FILE if it exists
    #[arg(long)]
    pub force: bool,
}
