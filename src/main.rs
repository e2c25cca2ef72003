//! The `tenantry` binary: parses arguments, sets up error reporting and logging, and hands
//! over to the CLI or, with no command (or `demo`), the console.
#![forbid(unsafe_code)]

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use tenantry::cli::{self, args::Command};
use tenantry::domain::text::display_safe;
use tenantry::tui;

fn main() -> ExitCode {
    if let Err(report) = color_eyre::install() {
        let _ = writeln!(std::io::stderr(), "tenantry: {report}");
    }
    // Outermost: a panic raised inside the storage engine is reported as a damaged database
    // by the store, so its hook prints no report and no backtrace.
    tenantry::store::engine::quiet_contained_panics();
    let mut args = match cli::usage::parse_args() {
        Ok(args) => args,
        Err(code) => return code,
    };
    // Read once, here; each front end shows the warnings and logs them (configuration.md).
    let config = tenantry::config::Config::load();
    args.global.store = config.store_options();
    args.global.mail_command = config.mail_command.clone();
    match args.command {
        None => {
            let _log = tenantry::logging::init();
            let db_path = match cli::database_path(&args.global) {
                Ok(path) => path,
                Err(err) => return fail_usage(&err.to_string()),
            };
            console(tui::ConsoleOptions {
                db_path,
                force_sign_in: args.sign_in,
                signed_in: None,
                sign_in_note: None,
                config,
            })
        }
        // The demo writes nothing outside its temporary directory: no log file either.
        Some(Command::Demo) => demo(config),
        Some(command) => {
            let _log = tenantry::logging::init();
            warn_config(&config);
            args.global.table_width = table_width();
            run_cli(&args.global, command)
        }
    }
}

/// The width tables fit: `None` unless stdout is a terminal, where it is `COLUMNS` when set
/// to a number, else the terminal's own width (D76).
fn table_width() -> Option<usize> {
    let stdout = std::io::stdout();
    if !stdout.is_terminal() {
        return None;
    }
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|c| *c > 0);
    columns.or_else(|| {
        terminal_size::terminal_size_of(&stdout).map(|(terminal_size::Width(w), _)| usize::from(w))
    })
}

/// Reports an error on stderr; when stderr is gone (a closed terminal) there is no one to tell.
/// Reports wrong use (exit 2) in the one form of usage errors (`cli::usage`).
fn fail_usage(message: &str) -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let _ = std::io::stderr().write_all(cli::usage::usage_error(message, &args).as_bytes());
    ExitCode::from(2)
}

fn fail(message: &str, code: u8) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "tenantry: {}", display_safe(message));
    ExitCode::from(code)
}

fn console(opts: tui::ConsoleOptions) -> ExitCode {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return fail_usage(tui::NOT_A_TERMINAL);
    }
    match tui::run(opts) {
        Ok(code) => ExitCode::from(code),
        Err(err @ tui::TuiError::Damaged(_)) => fail(&err.to_string(), 4),
        Err(err) => fail(&err.to_string(), 1),
    }
}

/// The configuration file's warnings, for a CLI command: one line each on stderr and in the log.
fn warn_config(config: &tenantry::config::Config) {
    for warning in &config.warnings {
        let warning = display_safe(warning);
        tracing::warn!(warning = %warning, "configuration");
        let _ = writeln!(std::io::stderr(), "tenantry: warning: {warning}");
    }
}

fn demo(config: tenantry::config::Config) -> ExitCode {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return fail_usage(tui::NOT_A_TERMINAL);
    }
    let demo = match tui::demo::create(300) {
        Ok(demo) => demo,
        Err(err) => return fail(&format!("demo: {err}"), 1),
    };
    let tui::demo::Demo { backend, dir } = demo;
    let code = console(tui::ConsoleOptions {
        db_path: dir.path().join("db"),
        force_sign_in: true,
        signed_in: Some(backend),
        sign_in_note: Some(format!(
            "Demo: sign in as {} (staff) or {} (a customer's user), password {}",
            tui::demo::DEMO_EMAIL,
            tui::demo::DEMO_CUSTOMER_EMAIL,
            tui::demo::DEMO_PASSWORD
        )),
        config,
    });
    drop(dir);
    code
}

fn run_cli(global: &cli::args::GlobalArgs, command: Command) -> ExitCode {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(cli::output::PipeWatch::new(stdout.lock()));
    let result = cli::run(global, command, &mut out).and_then(|()| out.flush().map_err(Into::into));
    let reader_gone = out.get_ref().reader_gone();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of stdout went away (`| head`): nothing is wrong and no one is listening.
        Err(err) if reader_gone && err.is_output_failure() => ExitCode::SUCCESS,
        Err(err) => {
            drop(out);
            let message = err.to_string();
            tracing::warn!(error = %display_safe(&message), "command failed");
            let mut stderr = std::io::stderr();
            if let cli::CliError::Usage(usage) = &err {
                let args: Vec<String> = std::env::args().skip(1).collect();
                let _ = stderr.write_all(cli::usage::usage_error(usage, &args).as_bytes());
                return ExitCode::from(2);
            }
            let _ = writeln!(stderr, "tenantry: {}", display_safe(&message));
            // A damaged database's message already says how to restore: one line is enough.
            if err.needs_restore_hint() {
                let _ = writeln!(
                    stderr,
                    "tenantry: the database is damaged and was not changed; restore the latest backup with `tenantry restore FILE --db NEW_PATH`"
                );
            }
            ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(1))
        }
    }
}
