//! Driving every subcommand of the binary, success and refusal, with control characters
//! planted in arguments, paths, file names and file contents, for the raw-control grep test.

use std::path::Path;

use super::common::PASSWORD;
use super::common::cli::CliDb as Db;
use tenantry::domain::text::display_safe;

/// Planted everywhere: an ESC colour sequence, a C1 CSI, a bell and a backspace.
pub const PLANT: &str = "\u{1b}[31m\u{9b}2J\u{7}\u{8}";

/// Every subcommand, success and refusal, with controls planted in what it is given.
pub fn drive_every_command(db: &Db, odd: &Path) -> Vec<(String, std::process::Output)> {
    let p = |s: &str| s.replace('~', PLANT);
    let path = |name: &str| odd.join(p(name)).to_string_lossy().into_owned();
    let csv = path("cust~.csv");
    std::fs::write(
        &csv,
        format!(
            "Name,Slug,Owner Email,Owner First Name,Owner Last Name\nGood Co,good-co,ann@good.example,Ann,Lee\nBad{PLANT}Name,bad,x{PLANT}@bad.example,B{PLANT},C\n"
        ),
    )
    .unwrap();
    let (new_db, backup, restored) = (path("db~"), path("backup~.tnb"), path("restored~"));
    let mut runs: Vec<Vec<String>> = vec![
        vec![
            "--db",
            &new_db,
            "init",
            "--company",
            "~Co",
            "--admin-email",
            "a@b.example",
            "--admin-first",
            "A",
            "--admin-last",
            "B",
        ],
        vec![
            "--db",
            &new_db,
            "init",
            "--company",
            "Odd Co",
            "--admin-email",
            "a@b.example",
            "--admin-first",
            "A",
            "--admin-last",
            "B",
        ],
        vec!["customer", "add", "~Acme"],
        vec!["customer", "add", "Acme", "--slug", "~acme"],
        vec!["customer", "add", "Acme", "--language", "~de"],
        vec!["customer", "add", "Acme", "--email", "~@x.example"],
        vec!["customer", "add", "Acme", "--phone", "~123"],
        vec!["customer", "add", "Acme", "--owner-email", "~o@x.example"],
        vec![
            "customer",
            "add",
            "Acme",
            "--owner-email",
            "o@x.example",
            "--owner-first",
            "~",
            "--owner-last",
            "L",
        ],
        vec!["customer", "add", "Acme", "--type", "~"],
        vec!["customer", "add", "Acme"],
        vec!["customer", "edit", "acme", "--name", "~"],
        vec!["customer", "edit", "acme", "--slug", "~"],
        vec!["customer", "edit", "~", "--name", "x"],
        vec!["customer", "show", "~"],
        vec!["customer", "show", "acme", "--format", "json"],
        vec!["customer", "suspend", "~"],
        vec!["customer", "activate", "~"],
        vec!["customer", "delete", "~"],
        vec!["customer", "restore", "~"],
        vec!["customer", "purge", "~"],
        vec!["customer", "purge", "~", "--yes"],
        vec!["customer", "list", "--filter", "~"],
        vec!["customer", "list", "--format", "~"],
        vec!["customer", "list", "--format", "csv"],
        vec!["trash", "list"],
        vec!["trash", "purge-expired"],
        vec!["settings", "get", "~"],
        vec!["settings", "set", "~", "1"],
        vec!["settings", "set", "company.name", "~"],
        vec!["settings", "set", "trash.retention_days", "~"],
        vec!["settings", "list"],
        vec![
            "staff",
            "add",
            "--email",
            "~s@x.example",
            "--first",
            "S",
            "--last",
            "T",
            "--role",
            "operator",
        ],
        vec![
            "staff",
            "add",
            "--email",
            "s@x.example",
            "--first",
            "~",
            "--last",
            "T",
            "--role",
            "operator",
        ],
        vec![
            "staff",
            "add",
            "--email",
            "s@x.example",
            "--first",
            "S",
            "--last",
            "T",
            "--role",
            "operator",
            "--unix-user",
            "~",
        ],
        vec![
            "staff",
            "add",
            "--email",
            "s@x.example",
            "--first",
            "S",
            "--last",
            "T",
            "--role",
            "~",
        ],
        vec![
            "staff",
            "add",
            "--email",
            "s@x.example",
            "--first",
            "S",
            "--last",
            "T",
            "--role",
            "operator",
        ],
        vec!["staff", "edit", "s@x.example", "--unix-user", "~"],
        vec!["staff", "edit", "~", "--first", "x"],
        vec!["staff", "disable", "~"],
        vec!["staff", "enable", "~"],
        vec!["staff", "list"],
        vec!["staff", "list", "--format", "json"],
        vec!["--user", "~", "customer", "list"],
        vec!["import", "customers", &csv, "--delimiter", "~"],
        vec!["import", "customers", &csv, "--dry-run"],
        vec!["import", "customers", &csv],
        vec!["import", "customers", &csv, "--skip-invalid"],
        vec![
            "import",
            "customers",
            &csv,
            "--skip-invalid",
            "--format",
            "json",
        ],
        vec!["import", "customers", &path("missing~.csv")],
        vec!["import", "list"],
        vec!["import", "list", "--format", "json"],
        vec!["import", "undo", "~"],
        vec!["import", "undo", "1"],
        vec!["log"],
        vec!["log", "--format", "json"],
        vec!["log", "--customer", "~"],
        vec!["log", "verify"],
        vec!["export", "customers"],
        vec!["export", "customers", "--format", "json"],
        vec!["export", "customers", "--trash"],
        vec!["backup", &backup],
        vec!["backup", &path("no-such-dir~/b.tnb")],
        vec!["--db", &restored, "restore", &backup],
        vec!["--db", &restored, "restore", &path("missing~.tnb")],
        vec!["--db", &path("nothing~"), "customer", "list"],
        vec!["check"],
        vec!["demo"],
        vec!["~"],
        vec!["completions", "bash"],
        vec!["manpage", "--dir", &path("man~")],
    ]
    .into_iter()
    .map(|args| args.into_iter().map(p).collect())
    .collect();
    runs.push(vec!["settings".into(), "get".into(), "company.name".into()]);
    runs.into_iter()
        .map(|args| {
            let out = db
                .cmd()
                .env("TENANTRY_PASSWORD", PASSWORD)
                .env("TENANTRY_LOG", "debug")
                .args(&args)
                .output()
                .unwrap();
            (display_safe(&args.join(" ")), out)
        })
        .collect()
}
