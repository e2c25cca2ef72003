//! CLI conventions every command keeps: a closed pipe is never a panic, tables are never cut
//! for a pipe and fit a terminal, every listing has `--format table|json|csv` with the JSON
//! names, one form for usage errors and one status for a missing input file, and refusal
//! hints that fit the refusal.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;

use std::process::Stdio;

use common::cli::CliDb as Db;

/// A database with a few customers, one trashed, an import and a changed setting, so every
/// listing has rows to print.
fn populated() -> Db {
    let db = Db::init();
    for name in ["Acme", "Beta Labs", "Gamma"] {
        db.run(&["customer", "add", name]).success();
    }
    db.run(&["customer", "delete", "gamma"]).success();
    db.run(&["settings", "set", "trash.retention_days", "14"])
        .success();
    db.run(&["import", "customers", "semicolon.csv", "--skip-invalid"])
        .success();
    db
}

/// Every command that prints something, as the operator types it.
fn output_commands() -> Vec<Vec<&'static str>> {
    let mut commands: Vec<Vec<&str>> = vec![
        vec!["--version"],
        vec!["manpage"],
        vec!["log"],
        vec!["log", "verify"],
        vec!["export", "customers"],
        vec!["export", "customers", "--format", "json"],
        vec!["export", "customers", "--trash"],
        vec!["customer", "show", "acme"],
        vec!["customer", "show", "acme", "--format", "json"],
        vec!["settings", "get", "trash.retention_days"],
        vec!["check"],
    ];
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        commands.push(vec!["completions", shell]);
    }
    for listing in [
        &["customer", "list"][..],
        &["trash", "list"],
        &["staff", "list"],
        &["import", "list"],
        &["settings", "list"],
        &["log"],
    ] {
        for format in ["table", "json", "csv"] {
            if !format_supported(listing, format) {
                continue;
            }
            let mut command = listing.to_vec();
            command.extend(["--format", format]);
            commands.push(command);
        }
    }
    commands
}

fn format_supported(listing: &[&str], format: &str) -> bool {
    match listing {
        ["settings", "list"] => false,
        ["customer", "list"] | ["trash", "list"] => true,
        _ => format != "csv",
    }
}

/// Every command path of the binary (`customer add`, `log verify`, …), for `--help`.
fn command_paths() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: &[String], out: &mut Vec<Vec<String>>) {
        out.push(path.to_vec());
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut next = path.to_vec();
            next.push(sub.get_name().to_owned());
            walk(sub, &next, out);
        }
    }
    let mut out = Vec::new();
    walk(
        &<tenantry::cli::Cli as clap::CommandFactory>::command(),
        &[],
        &mut out,
    );
    out
}

/// Runs `args` with stdout a pipe whose reading end is already closed.
fn into_closed_pipe(db: &Db, args: &[String]) -> std::process::Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    db.std_cmd()
        .args(args)
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

#[test]
fn a_closed_pipe_ends_every_output_command_quietly() {
    let db = populated();
    let mut runs: Vec<Vec<String>> = output_commands()
        .into_iter()
        .map(|c| c.into_iter().map(String::from).collect())
        .collect();
    for mut path in command_paths() {
        path.push("--help".into());
        runs.push(path);
    }
    let mut failures = Vec::new();
    for args in &runs {
        let out = into_closed_pipe(&db, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.code() != Some(0) || !stderr.is_empty() {
            failures.push(format!(
                "tenantry {}: status {:?}, stderr {:?}",
                args.join(" "),
                out.status.code(),
                stderr.lines().take(3).collect::<Vec<_>>()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
