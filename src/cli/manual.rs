//! The manual pages, made from the clap definitions with `clap_mangen`: one for `tenantry`
//! and, with `manpage --dir`, one per command. Each page's synopsis names the full command
//! (`tenantry customer add`), its examples are an EXAMPLES section, and the top page adds the
//! ENVIRONMENT, FILES and EXIT STATUS sections, written here as roff. Nothing here decides
//! what a command does.

use std::io::Write;

use super::CliError;

/// The environment variables tenantry reads, with what each does.
const ENVIRONMENT: [(&str, &str); 12] = [
    (
        "TENANTRY_DB",
        "The database directory, as --db (which wins). Default $XDG_DATA_HOME/tenantry/db.",
    ),
    (
        "TENANTRY_USER",
        "Act as this staff member, as --user; an empty value counts as not set.",
    ),
    (
        "TENANTRY_PASSWORD",
        "The password for --user, and the first owner's password for init; empty counts as not set, and then tenantry prompts on a terminal.",
    ),
    (
        "TENANTRY_NEW_PASSWORD",
        "The new password for staff edit --password, invite accept and password reset; else a prompt typed twice.",
    ),
    (
        "TENANTRY_OWNER_PASSWORD",
        "A password for a new owner created by customer add; without it the owner is invited.",
    ),
    (
        "TENANTRY_CONFIG",
        "The configuration file. Default $XDG_CONFIG_HOME/tenantry/config.toml.",
    ),
    (
        "TENANTRY_CACHE_MB",
        "The storage page cache in MiB, overriding the configuration file.",
    ),
    (
        "TENANTRY_LOG",
        "The log filter (tracing EnvFilter syntax, e.g. debug). Default info.",
    ),
    (
        "TENANTRY_LOG_DIR",
        "The directory of tenantry.log. Default $XDG_STATE_HOME/tenantry.",
    ),
    (
        "TENANTRY_SOCKET_DIR",
        "The socket directory of a shared-mode server (tenantry serve). Default $XDG_RUNTIME_DIR/tenantry.",
    ),
    (
        "TENANTRY_STALL_SECONDS",
        "How long a storage call may make no progress before the database is reported damaged (default 30).",
    ),
    (
        "COLUMNS",
        "The width tables fit when stdout is a terminal (else the terminal's width); tables to a pipe or a file are never cut.",
    ),
];

/// The files tenantry uses.
const FILES: [(&str, &str); 8] = [
    (
        "$XDG_DATA_HOME/tenantry/db",
        "The database directory (0700): sled/ holds the data, tenantry.lock names the process that has it open, quarantine/ keeps half-written files moved aside.",
    ),
    (
        "$XDG_CONFIG_HOME/tenantry/config.toml",
        "The configuration file: console keys and storage options. Never written by tenantry.",
    ),
    (
        "$XDG_STATE_HOME/tenantry/tenantry.log",
        "The log file (0600), only appended to.",
    ),
    (
        "$XDG_RUNTIME_DIR/tenantry/db-HASH.sock",
        "The socket of the server of a database (tenantry serve), in a directory of 0700; /tmp/tenantry-UID/ when XDG_RUNTIME_DIR is unset.",
    ),
    (
        "DB/damaged",
        "Written when a command finds the database damaged; writing is refused until check finds no problem.",
    ),
    (
        "$XDG_DATA_HOME/tenantry/outbox",
        "The outbox (0700, unless the mail.outbox setting names another): one RFC 5322 message per file (ID.eml, 0600).",
    ),
    (
        "$XDG_CONFIG_HOME/tenantry/templates",
        "Message templates overriding the built-in ones: KIND.LANG.txt, the first line the subject.",
    ),
    (
        "tenantry-backup.key, tenantry-backup.pub",
        "The key pair made by backup-keygen, for backup --sign and restore --verify-with.",
    ),
];

/// The exit statuses, as docs/cli.md gives them.
const EXIT_STATUS: [(&str, &str); 6] = [
    (
        "0",
        "Done; also when stdout was closed early (tenantry log | head).",
    ),
    (
        "1",
        "Refused, invalid, not found (also a missing input file), permission denied, wrong credentials, or a failed check.",
    ),
    (
        "2",
        "Usage: an unknown command or option, a bad option value, a missing argument, nothing to change, purge without --yes, a password needed but no way to read one.",
    ),
    ("3", "The database is in use by another process."),
    (
        "4",
        "Storage error: a damaged database or value, a newer schema, a full disk, a file that cannot be read or written.",
    ),
    (
        "128+N",
        "backup or restore stopped by signal N; nothing was written.",
    ),
];

/// Text made safe for a roff line: backslashes and hyphens escaped, a leading control
/// character neutralised.
fn roff(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with('.') || escaped.starts_with('\'') {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

/// A section of `.TP` entries.
fn tagged_section(
    out: &mut dyn Write,
    title: &str,
    entries: &[(&str, &str)],
) -> std::io::Result<()> {
    writeln!(out, ".SH \"{title}\"")?;
    for (tag, text) in entries {
        writeln!(out, ".TP\n\\fB{}\\fR\n{}", roff(tag), roff(text))?;
    }
    Ok(())
}

/// One manual page for `cmd` (built as part of the whole command tree, so its synopsis names
/// the full command); `top` adds the sections of the top page.
fn render_page(cmd: clap::Command, top: bool, out: &mut dyn Write) -> Result<(), CliError> {
    let examples = cmd.get_after_help().map(|h| h.to_string());
    let has_args = cmd.get_arguments().any(|a| !a.is_hide_set());
    let has_subcommands = cmd.get_subcommands().any(|s| !s.is_hide_set());
    // `clap_mangen` unwraps the version when rendering its section: only the top has one.
    let has_version = cmd.get_version().is_some() || cmd.get_long_version().is_some();
    let man = clap_mangen::Man::new(cmd);
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    if has_args {
        man.render_options_section(out)?;
    }
    if has_subcommands {
        man.render_subcommands_section(out)?;
    }
    if let Some(examples) = examples {
        writeln!(out, ".SH EXAMPLES")?;
        for line in examples.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            writeln!(out, ".nf\n{}\n.fi", roff(line.trim()))?;
        }
    }
    if top {
        tagged_section(out, "ENVIRONMENT", &ENVIRONMENT)?;
        tagged_section(out, "FILES", &FILES)?;
        tagged_section(out, "EXIT STATUS", &EXIT_STATUS)?;
    }
    if has_version {
        man.render_version_section(out)?;
    }
    Ok(())
}

/// The whole command tree, built so that every subcommand knows its full name.
fn built() -> clap::Command {
    let mut cmd = <super::Cli as clap::CommandFactory>::command();
    cmd.build();
    cmd
}

/// The top manual page, `tenantry.1`.
pub fn render_top(out: &mut dyn Write) -> Result<(), CliError> {
    render_page(built(), true, out)
}

/// Writes one manual page per command and subcommand (`tenantry-customer-add.1`, …), so the
/// `SEE ALSO` references of each page resolve. Returns how many pages were written.
pub fn write_manpages(dir: &std::path::Path) -> Result<usize, CliError> {
    std::fs::create_dir_all(dir)?;
    let root = built();
    let mut pending = vec![(root, "tenantry".to_owned())];
    let mut written = 0;
    while let Some((cmd, name)) = pending.pop() {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let sub_name = format!("{name}-{}", sub.get_name());
            pending.push((sub.clone().display_name(sub_name.clone()), sub_name));
        }
        let top = name == "tenantry";
        let mut page = Vec::new();
        render_page(cmd, top, &mut page)?;
        std::fs::write(dir.join(format!("{name}.1")), page)?;
        written += 1;
    }
    Ok(written)
}
