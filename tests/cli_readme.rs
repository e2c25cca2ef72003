//! The README's CLI tour runs as written, top to bottom, on a fresh machine: its shell blocks
//! are taken from README.md as they stand and run by `bash -e` in an empty home directory,
//! with only the built binary added to `PATH`.
#![cfg(test)] // test code: clippy.toml lets it unwrap, expect and panic (D59)

use std::path::Path;
use std::process::Command;

/// The fenced `sh` blocks of the README section headed `heading`, in order.
fn shell_blocks(readme: &str, heading: &str) -> Vec<String> {
    let start = readme
        .find(&format!("\n## {heading}\n"))
        .unwrap_or_else(|| panic!("README has no section {heading:?}"));
    let section = &readme[start + 1..];
    let end = section[3..].find("\n## ").map_or(section.len(), |e| e + 3);
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in section[..end].lines() {
        match (&mut current, line.trim_end()) {
            (None, "```sh") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn the_readme_cli_tour_runs_as_written_on_a_fresh_machine() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let install = shell_blocks(&readme, "Install").join("\n");
    assert!(
        install.contains("cargo install --path ."),
        "the README says how to install"
    );
    let blocks = shell_blocks(&readme, "A short CLI tour");
    assert!(blocks.len() >= 2, "the tour has no shell blocks");
    let script = blocks.join("\n");
    for must in [
        "tenantry init",
        "tenantry import customers",
        "tenantry restore",
    ] {
        assert!(script.contains(must), "the tour no longer shows {must}");
    }

    let machine = tempfile::tempdir().unwrap();
    let home = machine.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_tenantry")).parent().unwrap();
    let path = format!("{}:/usr/local/bin:/usr/bin:/bin", bin.display());
    let out = Command::new("bash")
        .args(["-e", "-u", "-o", "pipefail", "-c", &script])
        .env_clear()
        .env("PATH", path)
        .env("HOME", &home)
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_STATE_HOME", home.join(".local/state"))
        .current_dir(&home)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the tour stopped ({}):\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        out.status
    );
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(stdout.contains("cafe-zurich-gmbh"), "{stdout}");
    assert!(stdout.contains("audit chain verified"), "{stdout}");
    assert!(home.join(".local/share/tenantry/db").is_dir());
    assert!(home.join("tenantry-tour/db-checked").is_dir());
    assert!(home.join("tenantry-tour/export.csv").is_file());
}
