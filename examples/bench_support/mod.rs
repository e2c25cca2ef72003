//! Helpers shared by the benchmark programs: where the release binary is, and how much memory
//! this process has used. Not an example itself (cargo only builds `examples/*.rs`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The `tenantry` binary built beside the running example (`target/release/tenantry`).
pub fn release_binary() -> Result<PathBuf, Box<dyn std::error::Error>> {
    let bin = std::env::current_exe()?
        .parent()
        .and_then(Path::parent)
        .map(|p| p.join("tenantry"))
        .filter(|p| p.exists())
        .ok_or("build the binary first: cargo build --release")?;
    Ok(bin)
}

/// This process's peak resident memory so far, in MB (`VmHWM`).
pub fn self_peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// The keys of a filter benchmark: each word typed and erased again, so both narrowing and
/// widening count, until `n` keys.
pub fn filter_keys(words: &[&str], n: usize) -> Vec<crossterm::event::KeyCode> {
    use crossterm::event::KeyCode;
    words
        .iter()
        .cycle()
        .flat_map(|word| {
            word.chars().map(KeyCode::Char).chain(std::iter::repeat_n(
                KeyCode::Backspace,
                word.chars().count(),
            ))
        })
        .take(n)
        .collect()
}
