//! docs/cli.md against the binary: every command has a section (its own heading, or its
//! parent's), every option of a command is named in that section, and every option the doc
//! names exists in the binary. The clap definitions are the truth; the doc is fixed to match.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

use std::collections::BTreeSet;
use std::path::Path;

use clap::CommandFactory;
use tenantry::cli::Cli;

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

fn doc() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/cli.md")).unwrap()
}

/// The sections of the doc: each heading's text and the body up to the next heading.
fn sections(doc: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![(String::new(), String::new())];
    let mut fenced = false;
    for line in doc.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        }
        if !fenced && line.starts_with('#') {
            out.push((
                line.trim_start_matches('#').trim().to_owned(),
                String::new(),
            ));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

/// The body of the section about `path`: the heading naming it, else its parent's.
fn section_for<'d>(sections: &'d [(String, String)], path: &[String]) -> Option<&'d str> {
    for depth in (1..=path.len()).rev() {
        let name = path[..depth].join(" ");
        let found = sections
            .iter()
            .find(|(heading, _)| heading.split(", ").any(|part| part == name));
        if let Some((_, body)) = found {
            return Some(body);
        }
    }
    None
}

fn is_global(arg: &clap::Arg) -> bool {
    arg.get_help_heading() == Some(tenantry::cli::args::GLOBAL_OPTIONS)
}

#[test]
fn every_command_and_option_of_the_binary_is_in_the_doc() {
    let doc = doc();
    let sections = sections(&doc);
    let mut missing = Vec::new();
    for (path, cmd) in every_command().into_iter().skip(1) {
        let name = path.join(" ");
        let Some(body) = section_for(&sections, &path) else {
            missing.push(format!("{name}: no section"));
            continue;
        };
        if path.len() > 1
            && !body.contains(&format!("tenantry {name}"))
            && !sections
                .iter()
                .any(|(h, _)| h.split(", ").any(|p| p == name))
        {
            missing.push(format!("{name}: not named in its parent's section"));
        }
        for arg in cmd
            .get_arguments()
            .filter(|a| !a.is_hide_set() && !is_global(a))
        {
            let Some(long) = arg.get_long() else { continue };
            if matches!(long, "help" | "version") {
                continue;
            }
            let shown = format!("--{long}");
            let named = body.match_indices(&shown).any(|(at, _)| {
                !body[at + shown.len()..]
                    .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-')
            });
            if !named {
                missing.push(format!("{name}: {shown}"));
            }
            // An option with a fixed set of values: each value is named in the section.
            if arg.get_action().takes_values() {
                for value in arg.get_possible_values() {
                    let value = value.get_name();
                    let word =
                        |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-');
                    let said = body.match_indices(value).any(|(at, _)| {
                        !word(body[..at].chars().last())
                            && !word(body[at + value.len()..].chars().next())
                    });
                    if !said {
                        missing.push(format!("{name}: {shown} {value}"));
                    }
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "docs/cli.md lacks:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_option_the_doc_names_exists_in_the_binary() {
    let mut known = BTreeSet::new();
    for (_, cmd) in every_command() {
        for arg in cmd.get_arguments() {
            if let Some(long) = arg.get_long() {
                known.insert(format!("--{long}"));
            }
        }
    }
    let doc = doc();
    let mut unknown = BTreeSet::new();
    for (at, _) in doc.match_indices("--") {
        let rest = &doc[at + 2..];
        let word: String = rest
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '-')
            .collect();
        let before = doc[..at].chars().last();
        if word.is_empty()
            || word.starts_with('-')
            || before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            continue;
        }
        let option = format!("--{}", word.trim_end_matches('-'));
        if !known.contains(&option) {
            unknown.insert(option);
        }
    }
    assert!(
        unknown.is_empty(),
        "docs/cli.md names options the binary does not have: {unknown:?}"
    );
}
