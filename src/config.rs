//! The configuration file (`$XDG_CONFIG_HOME/tenantry/config.toml`, or `TENANTRY_CONFIG`):
//! read once at start-up, never written. Defaults live in code; a missing file means all
//! defaults, and a file that does not parse is reported and ignored rather than fatal.
//!
//! This module reads the settings the engine needs (`[storage]`); the console reads its own
//! sections from the same file.

use serde::Deserialize;

use crate::store::StoreOptions;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Config {
    pub storage: StorageConfig,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct StorageConfig {
    /// sled's page cache in MiB (sled's own default would be 1 GiB).
    pub cache_mb: u64,
}

impl Default for StorageConfig {
    fn default() -> Self {
        Self { cache_mb: 4 }
    }
}

impl Config {
    /// Loads the file if there is one. Returns the configuration and, when the file could not
    /// be used, a one-line warning naming it.
    pub fn load() -> (Self, Option<String>) {
        let Some(path) = crate::paths::config_file() else {
            return (Self::default(), None);
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Self::default(), None),
            Err(e) => {
                return (
                    Self::default(),
                    Some(format!("{}: {e}; using defaults", path.display())),
                );
            }
        };
        match toml::from_str::<Config>(&text) {
            Ok(config) => (config, None),
            Err(e) => {
                let first = e.to_string().lines().next().unwrap_or_default().to_owned();
                (
                    Self::default(),
                    Some(format!("{}: {first}; using defaults", path.display())),
                )
            }
        }
    }

    /// Store options, with `TENANTRY_CACHE_MB` overriding the file.
    pub fn store_options(&self) -> StoreOptions {
        let cache_mb = std::env::var("TENANTRY_CACHE_MB")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|mb| *mb > 0)
            .unwrap_or(self.storage.cache_mb)
            .clamp(4, 64 * 1024);
        StoreOptions {
            cache_bytes: cache_mb * 1024 * 1024,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_files_keep_defaults_for_the_rest() {
        let config: Config =
            toml::from_str("[storage]\ncache_mb = 16\n[console]\nidle_lock_minutes = 5\n").unwrap();
        assert_eq!(config.storage.cache_mb, 16);
        let empty: Config = toml::from_str("").unwrap();
        assert_eq!(empty.storage.cache_mb, 4);
    }
}
