//! The configuration file (`$XDG_CONFIG_HOME/tenantry/config.toml`, or `TENANTRY_CONFIG`):
//! read and parsed once, by `main` at start-up ([`Config::load`]), and handed to the front end
//! that runs; never written. Defaults live in code; a missing file means all defaults, and a
//! file that cannot be read or parsed, or a setting that cannot be used, becomes a warning
//! (its default kept) rather than a failure.
//!
//! This module types the settings the engine needs (`[storage]`) and keeps the parsed file for
//! the console, which takes its own settings from it (`tui::config`). It must not read the file
//! again, print or log: each front end shows the warnings and writes them to the log.

use std::path::Path;

use serde::Deserialize;

use crate::store::StoreOptions;

/// Smallest and largest page cache accepted, in MiB.
const CACHE_MB_RANGE: std::ops::RangeInclusive<u64> = 4..=64 * 1024;

/// The configuration file as read at start-up.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub storage: StorageConfig,
    /// `[mail] command`: a sendmail-compatible program and its arguments, or none (messages
    /// stay in the outbox).
    pub mail_command: Option<Vec<String>>,
    /// The whole file as parsed (empty when there is none or it did not parse), for the
    /// sections a front end reads itself.
    pub table: toml::Table,
    /// One line per problem met reading the file, naming the file or the setting.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
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
    /// Reads the file at its usual place (see [`crate::paths::config_file`]), if there is one;
    /// `TENANTRY_CACHE_MB`, when set, overrides the file's `cache_mb`.
    pub fn load() -> Self {
        let mut config = Self::load_from(crate::paths::config_file().as_deref());
        if let Some(value) = std::env::var_os("TENANTRY_CACHE_MB") {
            config.override_cache_mb(&value.to_string_lossy());
        }
        config
    }

    /// Applies a `TENANTRY_CACHE_MB` value: a whole number of MiB, brought into range.
    fn override_cache_mb(&mut self, value: &str) {
        let Ok(cache_mb) = value.trim().parse::<u64>() else {
            self.warnings.push(format!(
                "TENANTRY_CACHE_MB: \"{}\" is not a whole number of MiB; ignored",
                crate::domain::text::preview(value)
            ));
            return;
        };
        self.storage.cache_mb = self.in_range("TENANTRY_CACHE_MB", cache_mb);
    }

    /// `cache_mb` brought into [`CACHE_MB_RANGE`], with a warning naming `setting` if it was not.
    fn in_range(&mut self, setting: &str, cache_mb: u64) -> u64 {
        let used = cache_mb.clamp(*CACHE_MB_RANGE.start(), *CACHE_MB_RANGE.end());
        if used != cache_mb {
            self.warnings.push(format!(
                "{setting}: {cache_mb} is outside {} to {}; using {used}",
                CACHE_MB_RANGE.start(),
                CACHE_MB_RANGE.end()
            ));
        }
        used
    }

    /// Reads the file at `path`, if there is one.
    pub fn load_from(path: Option<&Path>) -> Self {
        let Some(path) = path else {
            return Self::default();
        };
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text, &path.display().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Self::default(),
            Err(e) => Self {
                warnings: vec![format!("config {}: {e}; using defaults", path.display())],
                ..Self::default()
            },
        }
    }

    /// Parses the text of the file named `source` (for messages).
    pub fn parse(text: &str, source: &str) -> Self {
        let mut config = Self::default();
        config.table = match toml::from_str(text) {
            Ok(table) => table,
            Err(e) => {
                // "TOML parse error at line L, column C", then what was wrong.
                let first = format!(
                    "{}: {}",
                    first_line(&e.to_string()),
                    first_line(e.message())
                );
                config
                    .warnings
                    .push(format!("config {source}: {first}; using defaults"));
                return config;
            }
        };
        if let Some(storage) = config.table.get("storage") {
            match StorageConfig::deserialize(storage.clone()) {
                Ok(storage) => config.storage = storage,
                Err(e) => config.warnings.push(format!(
                    "config [storage]: {}; using its defaults",
                    first_line(&e.to_string())
                )),
            }
        }
        config.storage.cache_mb =
            config.in_range("config [storage] cache_mb", config.storage.cache_mb);
        config.mail_command = config.read_mail_command();
        config
    }

    /// `[mail] command`, as one string split at spaces (`"/usr/sbin/sendmail -t -i"`) or as
    /// an array of strings; anything else is a warning and no command.
    fn read_mail_command(&mut self) -> Option<Vec<String>> {
        let value = self.table.get("mail")?.get("command")?.clone();
        let words: Option<Vec<String>> = match value {
            toml::Value::String(s) => Some(s.split_whitespace().map(str::to_owned).collect()),
            toml::Value::Array(items) => items
                .into_iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => None,
        };
        match words.filter(|w| !w.is_empty() && w[0].starts_with('/')) {
            Some(words) => Some(words),
            None => {
                self.warnings.push(
                    "config [mail] command: not an absolute program path with its arguments; messages stay in the outbox"
                        .into(),
                );
                None
            }
        }
    }

    /// How messages leave for the database at `db`: the templates of the config directory
    /// (a broken one is a warning, naming file and line, and the built-in ones are used),
    /// the outbox beside the database, and `[mail] command`.
    pub fn mail_setup(&self, db: &Path) -> (crate::mail::MailSetup, Option<String>) {
        let mut mail = crate::mail::MailSetup::beside(db);
        mail.command = self.mail_command.clone();
        let dir = crate::paths::templates_dir();
        match crate::mail::Templates::load(dir.as_deref()) {
            Ok(templates) => {
                mail.templates = templates;
                (mail, None)
            }
            Err(e) => (
                mail,
                Some(format!("message templates: {e}; using the built-in ones")),
            ),
        }
    }

    /// The options every store opened by this process uses.
    pub fn store_options(&self) -> StoreOptions {
        // In range, so at most 64 GiB in bytes.
        let cache_mb = self
            .storage
            .cache_mb
            .clamp(*CACHE_MB_RANGE.start(), *CACHE_MB_RANGE.end());
        StoreOptions {
            cache_bytes: cache_mb * 1024 * 1024,
        }
    }
}

/// The first line of a parser's message (toml's go on to quote the file).
fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_files_keep_defaults_for_the_rest() {
        let config = Config::parse(
            "[storage]\ncache_mb = 16\n[console]\nidle_lock_minutes = 5\n",
            "t",
        );
        assert_eq!(config.storage.cache_mb, 16);
        assert!(config.warnings.is_empty(), "{:?}", config.warnings);
        assert!(config.table.contains_key("console"));
        let empty = Config::parse("", "t");
        assert_eq!(empty.storage.cache_mb, 4);
        assert!(empty.warnings.is_empty());
    }

    #[test]
    fn the_mail_command_is_a_string_or_an_array_and_must_name_a_program() {
        let one = Config::parse("[mail]\ncommand = \"/usr/sbin/sendmail -t -i\"\n", "t");
        assert_eq!(
            one.mail_command,
            Some(vec!["/usr/sbin/sendmail".into(), "-t".into(), "-i".into()])
        );
        let array = Config::parse("[mail]\ncommand = [\"/bin/msmtp\", \"-t\"]\n", "t");
        assert_eq!(array.mail_command.map(|c| c.len()), Some(2));
        let relative = Config::parse("[mail]\ncommand = \"sendmail -t\"\n", "t");
        assert_eq!(relative.mail_command, None);
        assert!(relative.warnings[0].contains("[mail] command"));
        assert_eq!(Config::parse("", "t").mail_command, None);
    }

    #[test]
    fn unusable_storage_settings_are_warnings_naming_them() {
        let wrong_type = Config::parse("[storage]\ncache_mb = \"lots\"\n", "t");
        assert_eq!(wrong_type.storage.cache_mb, 4);
        assert_eq!(wrong_type.warnings.len(), 1, "{:?}", wrong_type.warnings);
        assert!(wrong_type.warnings[0].contains("[storage]"));
        let unknown = Config::parse("[storage]\ncache = 16\n", "t");
        assert_eq!(unknown.warnings.len(), 1, "{:?}", unknown.warnings);
        assert!(unknown.warnings[0].contains("cache"));
        let tiny = Config::parse("[storage]\ncache_mb = 1\n", "t");
        assert_eq!(tiny.storage.cache_mb, 4);
        assert!(tiny.warnings[0].contains("cache_mb: 1 is outside"));
        let mut env = Config::parse("[storage]\ncache_mb = 16\n", "t");
        env.override_cache_mb(" 32 ");
        assert_eq!((env.storage.cache_mb, env.warnings.len()), (32, 0));
        env.override_cache_mb("lots");
        assert_eq!(env.storage.cache_mb, 32);
        assert!(env.warnings[0].starts_with("TENANTRY_CACHE_MB: "));
        env.override_cache_mb("0");
        assert_eq!((env.storage.cache_mb, env.warnings.len()), (4, 2));
        let broken = Config::parse("[storage", "/etc/t.toml");
        assert!(broken.warnings[0].starts_with("config /etc/t.toml: "));
        assert!(broken.table.is_empty());
    }
}
