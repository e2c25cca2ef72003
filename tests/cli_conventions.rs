//! CLI conventions every command keeps: a closed pipe is never a panic, one form for usage
//! errors and one status for a missing input file, and refusal hints that fit the refusal.
//! Tables and listing formats are in `cli_tables.rs`.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

mod common;

use std::process::Stdio;

use common::cli::{CliDb as Db, LISTINGS, populated};

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
        // Changes print a confirmation: the change is made and the closed pipe is quiet.
        vec!["customer", "add", "Zeta", "--status", "active"],
        vec!["customer", "suspend", "zeta"],
        vec!["customer", "activate", "zeta"],
        vec!["customer", "edit", "zeta", "--name", "Zeta Two"],
        vec!["settings", "set", "trash.retention_days", "20"],
        vec![
            "staff",
            "add",
            "--email",
            "sam@example.com",
            "--first",
            "Sam",
            "--last",
            "S",
            "--role",
            "operator",
        ],
        vec!["import", "customers", "semicolon.csv", "--dry-run"],
        vec![
            "import",
            "customers",
            "semicolon.csv",
            "--dry-run",
            "--format",
            "json",
        ],
        vec!["trash", "purge-expired"],
    ];
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        commands.push(vec!["completions", shell]);
    }
    for listing in LISTINGS {
        for format in ["table", "json", "csv"] {
            let mut command = listing.to_vec();
            command.extend(["--format", format]);
            commands.push(command);
        }
    }
    commands
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
    // The changes were made although nobody read their confirmation.
    assert!(
        db.stdout(&["customer", "show", "zeta"])
            .contains("Zeta Two")
    );
    assert_eq!(
        db.stdout(&["settings", "get", "trash.retention_days"]),
        "20\n"
    );
}

/// Runs `args`, which must be refused with status 1; returns the message.
fn refusal(db: &Db, args: &[&str]) -> String {
    let out = db.output(args);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn refusal_hints_fit_what_was_refused() {
    let db = populated();
    // Only editing the provider can be done another way: through its setting.
    let edit = refusal(&db, &["customer", "edit", "example-hosting", "--name", "X"]);
    assert!(edit.contains("settings set company.name"), "{edit}");
    for verb in ["delete", "suspend", "restore"] {
        let text = refusal(&db, &["customer", verb, "example-hosting"]);
        assert!(
            !text.contains("rename") && !text.contains("company.name"),
            "{verb}: {text}"
        );
    }
    let purge = refusal(&db, &["customer", "purge", "example-hosting", "--yes"]);
    assert!(!purge.contains("company.name"), "{purge}");
    // A trashed customer: deleting it again is not "restore it first".
    let again = refusal(&db, &["customer", "delete", "gamma"]);
    assert!(
        again.contains("already in the trash") && !again.contains("restore"),
        "{again}"
    );
    let edit = refusal(&db, &["customer", "suspend", "gamma"]);
    assert!(edit.contains("restore it first"), "{edit}");
    let purge = refusal(&db, &["customer", "purge", "acme", "--yes"]);
    assert!(purge.contains("customer delete acme"), "{purge}");
    let restore = refusal(&db, &["customer", "restore", "acme"]);
    assert!(!restore.contains(';'), "nothing to suggest: {restore}");
}

#[test]
fn every_usage_error_has_one_form() {
    let db = populated();
    let wrong: [(&[&str], &str); 11] = [
        // The console and the demo with stdout not a terminal.
        (&[], ""),
        (&["demo"], "demo"),
        (&["customer", "list", "--bogus"], "customer list"),
        (&["customer", "list", "--format", "xml"], "customer list"),
        (
            &["--db", "/nowhere", "customer", "list", "extra"],
            "customer list",
        ),
        (&["customr"], ""),
        (&["customer"], "customer"),
        (&["completions"], "completions"),
        (&["staff", "edit", "ops@example.com"], "staff edit"),
        (&["customer", "purge", "gamma"], "customer purge"),
        (
            &["import", "customers", "semicolon.csv", "--delimiter", "ab"],
            "import customers",
        ),
    ];
    for (args, path) in wrong {
        let out = db.output(args);
        let text = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {text}");
        let lines: Vec<&str> = text.lines().collect();
        let full = if path.is_empty() {
            "tenantry".to_owned()
        } else {
            format!("tenantry {path}")
        };
        assert!(lines.len() >= 3, "{args:?}: {text}");
        assert!(lines[0].starts_with("tenantry: "), "{args:?}: {text}");
        assert!(
            lines[lines.len() - 2].starts_with(&format!("Usage: {full} ")),
            "{args:?}: {text}"
        );
        assert_eq!(
            lines[lines.len() - 1],
            format!("Run '{full} --help' for more."),
            "{args:?}: {text}"
        );
        assert!(
            !text.contains("error:") && !text.lines().any(|l| l.trim().is_empty()),
            "{args:?}: {text}"
        );
    }
}

#[test]
fn a_missing_input_file_has_the_same_status_for_every_command() {
    let db = populated();
    let backup = db.dir.path().join("backup.tnb");
    let backup = backup.to_str().unwrap();
    db.run(&["backup", backup]).success();
    let target = db.dir.path().join("restored");
    let target = target.to_str().unwrap();
    let missing: [&[&str]; 4] = [
        &["import", "customers", "no-such.csv"],
        &["--db", target, "restore", "/no/such/backup.tnb"],
        &[
            "--db",
            target,
            "restore",
            backup,
            "--verify-with",
            "/no/such.pub",
        ],
        &["backup", "/tmp/never-written.tnb", "--sign", "/no/such.key"],
    ];
    for args in missing {
        let out = db.output(args);
        let text = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}: {text}");
        assert!(
            text.starts_with("tenantry: ") && text.contains("does not exist"),
            "{args:?}: {text}"
        );
        assert_eq!(text.lines().count(), 1, "{args:?}: {text}");
    }
    assert!(!std::path::Path::new(target).exists());
}

#[test]
fn a_closed_stderr_is_never_a_panic_either() {
    let db = populated();
    let refused: [(&[&str], i32); 4] = [
        (&["customer", "show", "nope"], 1),
        (&["customer", "list", "--bogus"], 2),
        (&["import", "customers", "no-such.csv"], 1),
        (&["customer", "purge", "gamma"], 2),
    ];
    for (args, code) in refused {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let status = db
            .std_cmd()
            .args(args)
            .stdin(Stdio::null())
            .stdout(writer.try_clone().unwrap())
            .stderr(writer)
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(code), "{args:?}");
    }
}
