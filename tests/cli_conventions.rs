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

/// Every listing command.
const LISTINGS: [&[&str]; 6] = [
    &["customer", "list"],
    &["trash", "list"],
    &["staff", "list"],
    &["import", "list"],
    &["settings", "list"],
    &["log"],
];

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
        vec!["customer", "add", "Zeta"],
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

fn with(base: &[&str], extra: &[&str]) -> Vec<String> {
    base.iter().chain(extra).map(|s| (*s).to_owned()).collect()
}

fn stdout_of(db: &Db, args: &[String]) -> String {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    db.stdout(&args)
}

/// The keys of the first object of a JSON array printed one object per line, in order.
fn first_object_keys(json: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    let first = value
        .as_array()
        .unwrap()
        .first()
        .unwrap()
        .as_object()
        .unwrap();
    let line = json.lines().nth(1).unwrap();
    let mut keys: Vec<(usize, String)> = first
        .keys()
        .map(|k| (line.find(&format!("\"{k}\":")).unwrap(), k.clone()))
        .collect();
    keys.sort();
    keys.into_iter().map(|(_, k)| k).collect()
}

#[test]
fn every_listing_prints_table_json_and_csv_with_the_json_names() {
    let db = populated();
    for listing in LISTINGS {
        let json = stdout_of(&db, &with(listing, &["--format", "json"]));
        let keys = first_object_keys(&json);
        let csv = stdout_of(&db, &with(listing, &["--format", "csv"]));
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(
            header, keys,
            "{listing:?}: the CSV header is the JSON keys in order"
        );
        let rows = reader.records().count();
        let objects = serde_json::from_str::<Vec<serde_json::Value>>(&json)
            .unwrap()
            .len();
        assert_eq!(
            rows, objects,
            "{listing:?}: as many CSV rows as JSON objects"
        );
        let table = stdout_of(&db, &with(listing, &["--format", "table"]));
        assert_eq!(table.lines().count(), objects + 1, "{listing:?}: {table}");
    }
}

#[test]
fn no_header_leaves_out_the_header_of_tables_and_csv() {
    let db = populated();
    for listing in LISTINGS {
        for format in ["table", "csv"] {
            let with_header = stdout_of(&db, &with(listing, &["--format", format]));
            let without = stdout_of(&db, &with(listing, &["--format", format, "--no-header"]));
            let mut lines = with_header.lines();
            lines.next();
            let rest: Vec<&str> = lines.collect();
            assert!(!rest.is_empty(), "{listing:?} {format}: no rows to compare");
            if format == "csv" {
                assert_eq!(
                    without.lines().collect::<Vec<_>>(),
                    rest,
                    "{listing:?} {format}"
                );
            } else {
                assert_eq!(
                    without.lines().count(),
                    rest.len(),
                    "{listing:?}: {without}"
                );
                assert!(
                    !without
                        .lines()
                        .next()
                        .unwrap()
                        .starts_with(&with_header.lines().next().unwrap()[..3]),
                    "{listing:?}: {without}"
                );
            }
        }
    }
}

const LONG_NAME: &str = "Wonka Labs Confectionery and Chocolate Factory International 276";

#[test]
fn a_table_to_a_pipe_is_never_cut() {
    let db = populated();
    let slug = db.stdout(&[
        "customer",
        "add",
        LONG_NAME,
        "--email",
        "a-rather-long-contact@wonka-labs.example",
    ]);
    for listing in LISTINGS {
        let table = stdout_of(&db, &with(listing, &[]));
        assert!(!table.contains('…'), "{listing:?} was cut: {table}");
    }
    let table = db.stdout(&["customer", "list"]);
    assert!(table.contains(LONG_NAME), "{table}");
    let slug = slug.trim();
    assert!(table.contains(slug), "{table}");
    let shown = db.stdout(&["customer", "show", slug]);
    assert!(
        shown.contains("a-rather-long-contact@wonka-labs.example"),
        "{shown}"
    );
}

/// Runs `args` with stdout on a pty `columns` wide; returns what it printed.
fn on_a_terminal(db: &Db, args: &[&str], columns: u16) -> String {
    use std::io::Read;
    let size = nix::pty::Winsize {
        ws_row: 24,
        ws_col: columns,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    let pty = nix::pty::openpty(Some(&size), None).unwrap();
    let mut child = db
        .std_cmd()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::from(pty.slave))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{args:?}: {status}");
    // Every copy of the slave end is closed now, so reading ends (EIO) after the output.
    let mut master = std::fs::File::from(pty.master);
    let mut bytes = Vec::new();
    let _ = master.read_to_end(&mut bytes);
    String::from_utf8(bytes).unwrap().replace("\r\n", "\n")
}

#[test]
fn a_table_on_a_terminal_fits_its_width() {
    use unicode_width::UnicodeWidthStr;
    let db = populated();
    db.run(&["customer", "add", LONG_NAME]).success();
    for columns in [60u16, 80, 120] {
        for listing in LISTINGS {
            let text = on_a_terminal(&db, listing, columns);
            assert!(text.lines().count() >= 2, "{listing:?}: {text:?}");
            for line in text.lines() {
                assert!(
                    line.width() <= usize::from(columns),
                    "{listing:?} at {columns}: {line:?} is {} wide",
                    line.width()
                );
            }
        }
    }
    let wide = on_a_terminal(&db, &["customer", "list"], 200);
    assert!(wide.contains(LONG_NAME), "{wide}");
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
