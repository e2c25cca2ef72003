//! Parsing the command line with argument errors made safe to print: clap echoes a refused
//! value whole (`invalid value '…' for '--format'`), so a 128 KB argument gave a 128 KB line
//! and a terminal could receive control characters from it. Here every value clap quotes is
//! cut to a [`preview`] and every line of the message passes through [`display_safe`] (R10).
//!
//! Help and version output are printed as clap makes them: they hold no user input.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use clap::error::{ContextValue, ErrorKind};

use super::Cli;
use crate::domain::text::{display_safe, preview};

/// Parses the process arguments; on an argument error prints the safe message and returns
/// the exit status (2 for wrong use, 0 for `--help` and `--version`).
pub fn parse_args() -> Result<Cli, ExitCode> {
    match Cli::try_parse() {
        Ok(cli) => Ok(cli),
        Err(err) => {
            let code = u8::try_from(err.exit_code()).unwrap_or(2);
            if matches!(
                err.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                let _ = err.print();
            } else {
                let _ = std::io::stderr().write_all(safe_message(&err).as_bytes());
            }
            Err(ExitCode::from(code))
        }
    }
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
