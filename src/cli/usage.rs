//! Parsing the command line with argument errors made safe to print: clap echoes a refused
//! value whole (`invalid value '…' for '--format'`), so a 128 KB argument gave a 128 KB line
//! and a terminal could receive control characters from it. Here every value clap quotes is
//! cut to a [`preview`] and every line of the message passes through [`display_safe`] (R10).
//!
//! Every usage error, clap's or the CLI's own ([`CliError::Usage`](super::CliError)), has one
//! form (docs/cli.md, "Usage errors"), exit status 2:
//!
//! ```text
//! tenantry: MESSAGE
//!   (any detail lines clap adds: possible values, a tip)
//! Usage: tenantry customer list [OPTIONS]
//! Run 'tenantry customer list --help' for more.
//! ```
//!
//! The synopsis is that of the command the arguments name, found by walking them through the
//! clap definitions. Help and version output are printed as clap makes them: they hold no
//! user input.

use std::io::Write;
use std::process::ExitCode;

use clap::error::{ContextValue, ErrorKind};
use clap::{CommandFactory, Parser};

use super::Cli;
use crate::domain::text::{display_safe, preview};

/// Parses the process arguments; on an argument error prints the safe message in the usage
/// form and returns the exit status (2 for wrong use, 0 for `--help` and `--version`).
pub fn parse_args() -> Result<Cli, ExitCode> {
    match Cli::try_parse() {
        Ok(cli) => Ok(cli),
        Err(err) => {
            let code = u8::try_from(err.exit_code()).unwrap_or(2);
            if matches!(
                err.kind(),
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
            ) {
                let _ = err.print();
            } else {
                let args: Vec<String> = std::env::args().skip(1).collect();
                let _ = std::io::stderr().write_all(clap_usage_error(&err, &args).as_bytes());
            }
            Err(ExitCode::from(code))
        }
    }
}

/// The usage form of one of our own usage errors, for the command `args` name (the process
/// arguments without the program name).
pub fn usage_error(message: &str, args: &[String]) -> String {
    format!("tenantry: {}\n{}", display_safe(message), synopsis(args))
}

/// The usage form of clap's error `err`: its message and detail lines, without clap's own
/// usage and help lines, then the synopsis of the command `args` name.
pub fn clap_usage_error(err: &clap::Error, args: &[String]) -> String {
    let text = if err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        missing_command(args)
    } else {
        safe_message(err)
    };
    let mut lines = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"));
    let first = lines.next().unwrap_or("wrong use");
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let mut out = format!("tenantry: {first}\n");
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&synopsis(args));
    out
}

/// "a command is needed" for `tenantry customer` and the like, naming the commands there are.
fn missing_command(args: &[String]) -> String {
    let root = Cli::command();
    let (cmd, path) = named_command(&root, args);
    let names: Vec<&str> = cmd
        .get_subcommands()
        .map(clap::Command::get_name)
        .filter(|n| *n != "help")
        .collect();
    format!(
        "{} needs a command: {}",
        if path.is_empty() {
            "tenantry".to_owned()
        } else {
            format!("tenantry {}", path.join(" "))
        },
        names.join(", ")
    )
}

/// The last two lines of the usage form: the synopsis of the command `args` name and where
/// its help is.
fn synopsis(args: &[String]) -> String {
    let mut root = Cli::command();
    root.build();
    let (cmd, path) = named_command(&root, args);
    let usage = cmd.clone().render_usage().to_string();
    let full = std::iter::once("tenantry")
        .chain(path.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ");
    format!("{}\nRun '{full} --help' for more.\n", usage.trim_end())
}

/// The deepest subcommand `args` name, and the names leading to it. Options are skipped, with
/// their value when they take one, so `--db PATH customer list` names `customer list`.
fn named_command<'c>(root: &'c clap::Command, args: &[String]) -> (&'c clap::Command, Vec<String>) {
    let mut cmd: &clap::Command = root;
    let mut path = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if let Some(long) = arg.strip_prefix("--") {
            if long.is_empty() {
                break;
            }
            let takes_value = !long.contains('=')
                && cmd
                    .get_arguments()
                    .any(|a| a.get_long() == Some(long) && a.get_action().takes_values());
            if takes_value {
                args.next();
            }
            continue;
        }
        if arg.starts_with('-') {
            continue;
        }
        match cmd.find_subcommand(arg) {
            Some(sub) => {
                path.push(sub.get_name().to_owned());
                cmd = sub;
            }
            None => break,
        }
    }
    (cmd, path)
}

/// clap's message for `err` as plain text, each quoted value cut to a preview and each line
/// made visible-safe.
pub fn safe_message(err: &clap::Error) -> String {
    let mut text = err.render().to_string();
    for (_, value) in err.context() {
        let values: Vec<&String> = match value {
            ContextValue::String(v) => vec![v],
            ContextValue::Strings(vs) => vs.iter().collect(),
            _ => continue,
        };
        for raw in values {
            // The rendered message has the value with escape sequences already stripped.
            let shown = clap::builder::StyledStr::from(raw.clone()).to_string();
            let short = preview(raw);
            if !shown.is_empty() && shown != short {
                text = text.replace(&shown, &short);
            }
        }
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        out.push_str(&display_safe(body));
        out.push_str(end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(args: &[&str]) -> String {
        match Cli::try_parse_from(args) {
            Ok(_) => panic!("{args:?} parsed"),
            Err(err) => safe_message(&err),
        }
    }

    fn usage_form(args: &[&str]) -> String {
        match Cli::try_parse_from(std::iter::once(&"tenantry").chain(args)) {
            Ok(_) => panic!("{args:?} parsed"),
            Err(err) => {
                let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
                clap_usage_error(&err, &args)
            }
        }
    }

    #[test]
    fn a_usage_error_names_the_full_command_and_its_help() {
        let text = usage_form(&["--db", "/x", "customer", "list", "--format", "xml"]);
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].starts_with("tenantry: invalid value 'xml'"),
            "{text}"
        );
        assert_eq!(
            lines[lines.len() - 2],
            "Usage: tenantry customer list [OPTIONS]",
            "{text}"
        );
        assert_eq!(
            lines[lines.len() - 1],
            "Run 'tenantry customer list --help' for more."
        );
        let missing = usage_form(&["customer"]);
        assert!(
            missing.starts_with("tenantry: tenantry customer needs a command: add, list"),
            "{missing}"
        );
    }

    #[test]
    fn a_long_refused_argument_is_echoed_as_a_preview() {
        let long = "x".repeat(128 * 1024);
        let text = message(&["tenantry", "customer", "list", "--format", &long]);
        assert!(text.len() < 600, "{} bytes", text.len());
        assert!(text.contains("--format"), "{text}");
        assert!(text.contains('…'), "{text}");
    }

    #[test]
    fn control_characters_in_a_refused_argument_are_made_visible() {
        let text = message(&["tenantry", "customer", "list", "--format", "a\u{9b}b\u{7}c"]);
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert!(text.contains("<U+009B>"), "{text}");
    }
}
