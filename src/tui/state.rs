//! What the console remembers between runs that is no setting: which optional table columns
//! the operator hid. It lives in its own small file, `$XDG_STATE_HOME/tenantry/console.toml`,
//! written whole and atomically (a 0600 temporary file in the same directory, renamed over the
//! old one), so the operator's hand-written `config.toml` is never rewritten; a `[columns]`
//! table in the config overrides it (see [`super::config`]). Bad content is reported once, like
//! a config error, and the defaults kept.
//!
//! The runtime reads and writes it; the app only hands over what to remember, as an effect.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// The remembered view: per table (`customers`, `trash`), the names of the hidden columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ViewState {
    pub columns: BTreeMap<String, Vec<String>>,
}

impl ViewState {
    /// Reads the `[columns]` table of `table` (the state file's, or the config's); one line per
    /// entry refused, naming `origin`.
    pub fn from_table(table: &toml::Table, origin: &str) -> (Self, Vec<String>) {
        let mut state = Self::default();
        let mut problems = Vec::new();
        for (key, value) in table {
            if key != "columns" {
                problems.push(format!("{origin}: {key}: unknown setting"));
                continue;
            }
            let Some(tables) = value.as_table() else {
                problems.push(format!("{origin}: columns: expected a table"));
                continue;
            };
            for (name, hidden) in tables {
                let names: Option<Vec<String>> = hidden.as_array().and_then(|a| {
                    a.iter()
                        .map(|v| v.as_str().map(str::to_owned))
                        .collect::<Option<Vec<_>>>()
                });
                match names {
                    Some(names) => {
                        state.columns.insert(name.clone(), names);
                    }
                    None => problems.push(format!(
                        "{origin}: columns.{name}: expected a list of column names"
                    )),
                }
            }
        }
        (state, problems)
    }

    /// Parses the state file's text.
    pub fn parse(text: &str, origin: &str) -> (Self, Vec<String>) {
        match text.parse::<toml::Table>() {
            Ok(table) => Self::from_table(&table, origin),
            Err(e) => (
                Self::default(),
                vec![format!(
                    "{origin}: not valid TOML ({}); the console's remembered view is reset",
                    e.message()
                )],
            ),
        }
    }

    /// Reads the state file; a missing file is the default, anything else wrong is one problem.
    pub fn load(path: &Path) -> (Self, Vec<String>) {
        let origin = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text, &origin),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Self::default(), Vec::new()),
            Err(e) => (Self::default(), vec![format!("{origin}: {e}")]),
        }
    }

    /// Entries of `other` replace this state's, table by table.
    pub fn overridden_by(mut self, other: &ViewState) -> Self {
        for (table, names) in &other.columns {
            self.columns.insert(table.clone(), names.clone());
        }
        self
    }

    /// The file's text.
    pub fn to_text(&self) -> String {
        let mut out = String::from(
            "# Written by tenantry: the console's remembered view (hidden columns per table).\n\
             # A [columns] table in config.toml overrides it.\n[columns]\n",
        );
        for (table, names) in &self.columns {
            let list = toml::Value::Array(names.iter().cloned().map(toml::Value::String).collect());
            let bare = !table.is_empty()
                && table
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            let key = if bare {
                table.clone()
            } else {
                toml::Value::String(table.clone()).to_string()
            };
            out.push_str(&format!("{key} = {list}\n"));
        }
        out
    }

    /// Writes the whole state to `path` atomically, readable by its owner only; creates the
    /// directory (0700) when missing.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        if !dir.exists() {
            use std::os::unix::fs::DirBuilderExt;
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)?;
        }
        let mut file = tempfile::NamedTempFile::new_in(dir)?;
        file.write_all(self.to_text().as_bytes())?;
        file.as_file().sync_all()?;
        file.persist(path).map_err(|e| e.error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn the_state_round_trips_through_a_private_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tenantry").join("console.toml");
        let mut state = ViewState::default();
        state
            .columns
            .insert("customers".into(), vec!["owner".into(), "created".into()]);
        state.save(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(ViewState::load(&path), (state, Vec::new()));
        assert_eq!(
            ViewState::load(&dir.path().join("missing.toml")),
            (ViewState::default(), Vec::new())
        );
    }

    #[test]
    fn bad_content_is_reported_and_the_defaults_kept() {
        let (state, problems) = ViewState::parse("[columns\n", "s");
        assert_eq!(state, ViewState::default());
        assert_eq!(problems.len(), 1, "{problems:?}");
        let (state, problems) = ViewState::parse(
            "colour = 1\n[columns]\ncustomers = [1]\ntrash = [\"deleted\"]\n",
            "s",
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(
            state.columns.get("trash"),
            Some(&vec!["deleted".to_owned()])
        );
        assert!(!state.columns.contains_key("customers"));
    }
}
