//! The built-in help and the manual pages: every option and argument is described, global
//! options are listed apart from the command's own, every command's help ends with examples
//! naming it, and the manual has ENVIRONMENT, FILES and EXIT STATUS sections with each
//! sub-page's synopsis naming the full command.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;

use clap::CommandFactory;
use tenantry::cli::Cli;

/// Every command of the built tree with its path (`["customer", "add"]`), the top one first.
fn every_command() -> Vec<(Vec<String>, clap::Command)> {
    fn walk(cmd: &clap::Command, path: Vec<String>, out: &mut Vec<(Vec<String>, clap::Command)>) {
        out.push((path.clone(), cmd.clone()));
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut next = path.clone();
            next.push(sub.get_name().to_owned());
            walk(sub, next, out);
        }
    }
    let mut root = Cli::command();
    root.build();
    let mut out = Vec::new();
    walk(&root, Vec::new(), &mut out);
    out
}

fn full_name(path: &[String]) -> String {
    std::iter::once("tenantry")
        .chain(path.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_option_and_argument_has_help() {
    let mut missing = Vec::new();
    for (path, cmd) in every_command() {
        for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
            let help = arg
                .get_help()
                .or(arg.get_long_help())
                .map(|h| h.to_string())
                .unwrap_or_default();
            if help.trim().is_empty() {
                missing.push(format!("{}: {}", full_name(&path), arg.get_id()));
            }
        }
    }
    assert!(missing.is_empty(), "no help for:\n{}", missing.join("\n"));
}

#[test]
fn every_command_help_ends_with_examples_of_itself() {
    for (path, mut cmd) in every_command() {
        let name = full_name(&path);
        let help = cmd.render_help().to_string();
        let lines: Vec<&str> = help.lines().filter(|l| !l.trim().is_empty()).collect();
        let heading = lines
            .iter()
            .rposition(|l| l.starts_with("Example"))
            .unwrap_or_else(|| panic!("{name}: no examples in\n{help}"));
        let examples = &lines[heading + 1..];
        assert!(
            !examples.is_empty() && examples.len() <= 4,
            "{name}: one or two examples at the end:\n{help}"
        );
        assert!(
            examples
                .iter()
                .any(|l| l.contains(&format!("{name} ")) || l.trim_end().ends_with(&name)),
            "{name}: the examples do not run it:\n{help}"
        );
    }
}

#[test]
fn global_options_are_listed_apart_from_the_command_s_own() {
    for (path, mut cmd) in every_command() {
        let name = full_name(&path);
        let help = cmd.render_help().to_string();
        let global = help
            .find("Global options:")
            .unwrap_or_else(|| panic!("{name}: no global options heading\n{help}"));
        let (own, globals) = help.split_at(global);
        assert!(
            globals.contains("--db <PATH>") && globals.contains("--user <EMAIL>"),
            "{name}"
        );
        assert!(
            !own.contains("--db <PATH>") && !own.contains("--user <EMAIL>"),
            "{name}: {own}"
        );
    }
}

#[test]
fn the_manual_has_environment_files_and_exit_status_naming_every_variable() {
    let db = common::cli::CliDb::empty();
    let page = db.stdout(&["manpage"]);
    for section in ["ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES"] {
        assert!(
            page.contains(&format!(".SH \"{section}\""))
                || page.contains(&format!(".SH {section}\n")),
            "no {section} section"
        );
    }
    let environment = &page[page.find("ENVIRONMENT").unwrap()..page.find("\"FILES\"").unwrap()];
    for (_, cmd) in every_command() {
        for arg in cmd.get_arguments() {
            if let Some(var) = arg.get_env() {
                let var = var.to_str().unwrap();
                assert!(environment.contains(var), "{var} is not in ENVIRONMENT");
            }
        }
    }
    for status in ["0", "1", "2", "3", "4", "128+N"] {
        assert!(
            page.contains(&format!("\\fB{status}\\fR")),
            "exit status {status}"
        );
    }
}

#[test]
fn every_manual_sub_page_names_the_full_command_in_its_synopsis() {
    let db = common::cli::CliDb::empty();
    let dir = db.dir.path().join("man");
    db.run(&["manpage", "--dir", dir.to_str().unwrap()])
        .success();
    for (path, _) in every_command() {
        let file = dir.join(format!("{}.1", full_name(&path).replace(' ', "-")));
        let page = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
        let synopsis = page
            .lines()
            .skip_while(|l| *l != ".SH SYNOPSIS")
            .nth(1)
            .unwrap_or_else(|| panic!("{file:?}: no synopsis"));
        let expected = format!("\\fB{}\\fR", full_name(&path).replace('-', "\\-"));
        assert!(synopsis.starts_with(&expected), "{file:?}: {synopsis}");
    }
}
