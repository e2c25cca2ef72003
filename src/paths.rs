//! Where things live by default, following the XDG base directories: the database under the
//! data directory, the log under the state directory, the config under the config directory.
//! Nothing here creates a file.

use std::path::PathBuf;

fn dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "tenantry")
}

/// `$XDG_DATA_HOME/tenantry/db`.
pub fn default_database() -> Option<PathBuf> {
    dirs().map(|d| d.data_dir().join("db"))
}

/// `$XDG_STATE_HOME/tenantry` (falls back to the data directory).
pub fn log_dir() -> Option<PathBuf> {
    std::env::var_os("TENANTRY_LOG_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            dirs().map(|d| {
                d.state_dir()
                    .map(|p| p.to_path_buf())
                    .unwrap_or_else(|| d.data_dir().to_path_buf())
            })
        })
}

/// `$XDG_STATE_HOME/tenantry/console.toml` (falls back to the data directory): what the
/// console remembers between runs.
pub fn console_state_file() -> Option<PathBuf> {
    dirs().map(|d| {
        d.state_dir()
            .map(|p| p.to_path_buf())
            .unwrap_or_else(|| d.data_dir().to_path_buf())
            .join("console.toml")
    })
}

/// Message templates: `templates/` beside the config file.
pub fn templates_dir() -> Option<PathBuf> {
    config_file().and_then(|f| f.parent().map(|d| d.join("templates")))
}

/// `$TENANTRY_CONFIG`, else `$XDG_CONFIG_HOME/tenantry/config.toml`.
pub fn config_file() -> Option<PathBuf> {
    std::env::var_os("TENANTRY_CONFIG")
        .map(PathBuf::from)
        .or_else(|| dirs().map(|d| d.config_dir().join("config.toml")))
}
