//! The `tenantry` binary: parses arguments, sets up error reporting and logging, and hands
//! over to the CLI (or, with no command, the console).
#![forbid(unsafe_code)]

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use tenantry::cli::{self, Cli};
use tenantry::domain::text::display_safe;

fn main() -> ExitCode {
    if let Err(report) = color_eyre::install() {
        eprintln!("tenantry: {report}");
    }
    let args = Cli::parse();
    let _log = tenantry::logging::init();
    let Some(command) = args.command else {
        eprintln!(
            "tenantry: the console is not available in this build; use a command (see `tenantry --help`)"
        );
        return ExitCode::from(2);
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result =
        cli::run(&args.global, command, &mut out).and_then(|()| out.flush().map_err(Into::into));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.is_broken_pipe() => ExitCode::SUCCESS,
        Err(err) => {
            drop(out);
            tracing::warn!(error = %err, "command failed");
            eprintln!("tenantry: {}", display_safe(&err.to_string()));
            if err.is_corruption() {
                eprintln!(
                    "tenantry: the database is damaged and was not changed; restore the latest backup with `tenantry restore FILE --db NEW_PATH`"
                );
            }
            ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(1))
        }
    }
}
