//! The console's settings from `$XDG_CONFIG_HOME/tenantry/config.toml` (or `$TENANTRY_CONFIG`):
//! the idle-lock delay, key overrides and hidden table columns (`[columns] customers =
//! ["owner"]`, which override the remembered view of [`super::state`]). Defaults live in code;
//! a missing file is normal and nothing is ever written to it. A bad entry is reported once
//! (on the status line and in the log) and its default kept. The file was read and parsed at
//! start-up (`crate::config`); this module only interprets the parsed table and never reads
//! the file itself.

use super::keymap::Keymap;
use super::state::ViewState;

/// Minutes without input before the console locks, unless configured.
pub const DEFAULT_IDLE_LOCK_MINUTES: u32 = 15;

#[derive(Debug, Clone)]
pub struct Config {
    /// 0 turns the idle lock off.
    pub idle_lock_minutes: u32,
    pub keymap: Keymap,
    /// Hidden table columns: the remembered view ([`super::state`]), overridden per table by
    /// the config's own `[columns]`.
    pub columns: ViewState,
    /// One line per refused entry, shown once at start-up.
    pub problems: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            idle_lock_minutes: DEFAULT_IDLE_LOCK_MINUTES,
            keymap: Keymap::defaults(),
            columns: ViewState::default(),
            problems: Vec::new(),
        }
    }
}

impl Config {
    /// The console's settings from the configuration file read at start-up. `problems` holds
    /// the file's own warnings first, then one line per console setting refused.
    pub fn from_file(file: &crate::config::Config) -> Self {
        let mut config = Self {
            problems: file.warnings.clone(),
            ..Self::default()
        };
        config.apply(&file.table);
        config
    }

    /// Adds the remembered view read from the state file (and its problems); the config's own
    /// `[columns]` entries keep the upper hand.
    pub fn with_state(mut self, state: ViewState, problems: Vec<String>) -> Self {
        self.columns = state.overridden_by(&self.columns);
        self.problems.extend(problems);
        self
    }

    /// Parses config text; anything refused is listed in `problems`.
    pub fn parse(text: &str) -> Self {
        Self::from_file(&crate::config::Config::parse(text, "file"))
    }

    fn apply(&mut self, table: &toml::Table) {
        let config = self;
        for (key, value) in table {
            match key.as_str() {
                "idle_lock_minutes" => match value.as_integer().map(u32::try_from) {
                    Some(Ok(n)) if n <= 24 * 60 => config.idle_lock_minutes = n,
                    _ => config.problems.push(format!(
                        "idle_lock_minutes: expected whole minutes from 0 to 1440, got {value}"
                    )),
                },
                "keys" => match value.as_table() {
                    Some(keys) => {
                        let problems = config.keymap.apply_overrides(keys);
                        config.problems.extend(problems);
                    }
                    None => config.problems.push("keys: expected a table".into()),
                },
                "columns" => {
                    let mut one = toml::Table::new();
                    one.insert(key.clone(), value.clone());
                    let (columns, problems) = ViewState::from_table(&one, "config");
                    config.columns = columns;
                    config.problems.extend(problems);
                }
                // Read by the engine's configuration (`crate::config`).
                "storage" => {}
                other => config.problems.push(format!("{other}: unknown setting")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::Context;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    #[test]
    fn overrides_apply_and_bad_entries_keep_their_default() {
        let config = Config::parse(
            r#"
idle_lock_minutes = 5
[keys.customers]
delete_customer = ["x", "delete"]
add_customer = "ctrl-nope"
no_such_action = "z"
[keys.nowhere]
quit = "q"
"#,
        );
        assert_eq!(config.idle_lock_minutes, 5);
        assert_eq!(config.problems.len(), 3, "{:?}", config.problems);
        let press = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        let km = &config.keymap;
        assert!(matches!(
            km.resolve(Context::Customers, &press('x')),
            Some(crate::tui::action::Action::DeleteCustomer)
        ));
        assert!(km.resolve(Context::Customers, &press('d')).is_none());
        assert!(matches!(
            km.resolve(Context::Customers, &press('a')),
            Some(crate::tui::action::Action::AddCustomer)
        ));
    }

    #[test]
    fn the_files_own_warnings_reach_the_console() {
        let file = crate::config::Config::parse(
            "idle_lock_minutes = 5\nnope = 1\n[storage]\ncache_mb = \"lots\"\n",
            "t",
        );
        let config = Config::from_file(&file);
        assert_eq!(config.idle_lock_minutes, 5);
        assert_eq!(config.problems.len(), 2, "{:?}", config.problems);
        assert!(
            config.problems[0].contains("[storage]"),
            "{:?}",
            config.problems
        );
        assert!(config.problems[1].contains("nope"), "{:?}", config.problems);
    }

    #[test]
    fn a_broken_file_is_reported_not_fatal() {
        let config = Config::parse("idle_lock_minutes = [");
        assert_eq!(config.idle_lock_minutes, DEFAULT_IDLE_LOCK_MINUTES);
        assert_eq!(config.problems.len(), 1);
        let config = Config::parse("idle_lock_minutes = -3");
        assert_eq!(config.idle_lock_minutes, DEFAULT_IDLE_LOCK_MINUTES);
    }
}
