//! Keys are data: for each [`Context`] a list of bindings (keys → action, with a description).
//! The same table resolves key presses, fills the help popup and the one-line hint, and is
//! written out as `docs/keys.md`, so none of them can disagree. Users override bindings per
//! context and action in the config file; a bad entry is reported and its default kept.
//!
//! This module decides nothing about what an action does.

use std::collections::BTreeMap;

use crossterm::event::KeyEvent;

use super::action::{Action, action_by_name, action_name};
pub use super::keymap_defaults::markdown;
pub use super::keyspec::KeySpec;

/// Which part of the console receives a key: the top modal, else the screen or active tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Context {
    /// Keys that work on every tab unless the tab binds them itself.
    Global,
    Customers,
    Detail,
    Trash,
    Users,
    /// One user's memberships and recent events.
    UserDetail,
    /// The scrollable preview of a user's welcome message.
    Welcome,
    Invitations,
    /// The Dashboard.
    Dashboard,
    /// The audit log.
    Logs,
    /// A customer's own Overview tab.
    Overview,
    /// A customer's own Log tab.
    CustomerLog,
    /// The signed-in user's My settings tab.
    MySettings,
    Filter,
    Form,
    /// The setup and sign-in screens.
    Entry,
    Confirm,
    /// A confirm dialog that needs the slug typed.
    ConfirmTyped,
    Message,
    Help,
    /// The session's message log.
    Messages,
    /// The database is held by another process.
    InUse,
    /// The import modal's path field.
    ImportPath,
    /// The import modal's preview of a checked file.
    ImportPreview,
    /// The import modal while a check or an import runs.
    ImportRunning,
    /// The import modal's summary.
    ImportDone,
}

/// What happens to a key a context does not bind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unbound {
    /// Nothing.
    Dropped,
    /// The global bindings apply (the tabs).
    Global,
    /// It is typed into the focused text field.
    Typed,
}

/// Every context once: its config name (`[keys.NAME]`), its heading in the help and in
/// `docs/keys.md`, and what happens to keys it does not bind. Listed in the order the help
/// and the docs show them; adding a context is a variant and a row here.
const CONTEXTS: [(Context, &str, &str, Unbound); 26] = [
    (
        Context::Global,
        "global",
        "Everywhere on the tabs",
        Unbound::Dropped,
    ),
    (
        Context::Customers,
        "customers",
        "Customers table",
        Unbound::Global,
    ),
    (
        Context::Detail,
        "detail",
        "Customer detail",
        Unbound::Global,
    ),
    (Context::Trash, "trash", "Trash", Unbound::Global),
    (Context::Users, "users", "Users table", Unbound::Global),
    (
        Context::UserDetail,
        "user_detail",
        "User detail",
        Unbound::Global,
    ),
    (
        Context::Welcome,
        "welcome",
        "Welcome message preview",
        Unbound::Global,
    ),
    (
        Context::Invitations,
        "invitations",
        "Invitations table",
        Unbound::Global,
    ),
    (
        Context::Dashboard,
        "dashboard",
        "Dashboard",
        Unbound::Global,
    ),
    (Context::Logs, "logs", "Logs", Unbound::Global),
    (
        Context::Overview,
        "overview",
        "A customer's own Overview",
        Unbound::Global,
    ),
    (
        Context::CustomerLog,
        "customer_log",
        "A customer's own Log",
        Unbound::Global,
    ),
    (
        Context::MySettings,
        "my_settings",
        "My settings",
        Unbound::Global,
    ),
    (Context::Filter, "filter", "Typing a filter", Unbound::Typed),
    (Context::Form, "form", "Forms", Unbound::Typed),
    (
        Context::Entry,
        "entry",
        "Setup and sign-in screens",
        Unbound::Typed,
    ),
    (
        Context::Confirm,
        "confirm",
        "Confirm dialog",
        Unbound::Dropped,
    ),
    (
        Context::ConfirmTyped,
        "confirm_typed",
        "Confirm by typing the slug",
        Unbound::Typed,
    ),
    (Context::Message, "message", "Message", Unbound::Dropped),
    (Context::Help, "help", "Help", Unbound::Dropped),
    (
        Context::Messages,
        "messages",
        "Message log",
        Unbound::Dropped,
    ),
    (
        Context::InUse,
        "in_use",
        "Database in use",
        Unbound::Dropped,
    ),
    (
        Context::ImportPath,
        "import_path",
        "Import: the file's path",
        Unbound::Typed,
    ),
    (
        Context::ImportPreview,
        "import_preview",
        "Import: preview",
        Unbound::Dropped,
    ),
    (
        Context::ImportRunning,
        "import_running",
        "Import: checking or writing",
        Unbound::Dropped,
    ),
    (
        Context::ImportDone,
        "import_done",
        "Import: summary",
        Unbound::Dropped,
    ),
];

impl Context {
    pub const ALL: [Context; CONTEXTS.len()] = {
        let mut all = [Context::Global; CONTEXTS.len()];
        let mut i = 0;
        while i < CONTEXTS.len() {
            all[i] = CONTEXTS[i].0;
            i += 1;
        }
        all
    };

    fn row(self) -> (Context, &'static str, &'static str, Unbound) {
        CONTEXTS
            .into_iter()
            .find(|row| row.0 == self)
            .unwrap_or(CONTEXTS[0])
    }

    /// The name used in the config file's `[keys.NAME]` tables.
    pub fn name(self) -> &'static str {
        self.row().1
    }

    pub fn title(self) -> &'static str {
        self.row().2
    }

    /// True when the global bindings apply after this context's own.
    pub fn inherits_global(self) -> bool {
        self.row().3 == Unbound::Global
    }

    /// True when unbound keys are typed into a text field.
    pub fn takes_text(self) -> bool {
        self.row().3 == Unbound::Typed
    }
}

/// Keys bound to one action in one context.
#[derive(Debug, Clone)]
pub struct Binding {
    pub keys: Vec<KeySpec>,
    pub action: Action,
    pub description: &'static str,
    /// Shown in the one-line hint (the help popup shows every binding).
    pub hint: bool,
}

impl Binding {
    /// The keys as the hint and help show them, e.g. `j/Down`.
    pub fn keys_label(&self) -> String {
        self.keys
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// Every binding of every context.
#[derive(Debug, Clone)]
pub struct Keymap {
    contexts: BTreeMap<Context, Vec<Binding>>,
}

impl Keymap {
    /// The built-in bindings.
    pub fn defaults() -> Self {
        let mut contexts = BTreeMap::new();
        for context in Context::ALL {
            let bindings = super::keymap_defaults::defaults(context)
                .iter()
                .map(|(keys, action, description, hint)| Binding {
                    keys: keys.iter().filter_map(|k| KeySpec::parse(k).ok()).collect(),
                    action: action.clone(),
                    description,
                    hint: *hint,
                })
                .collect();
            contexts.insert(context, bindings);
        }
        Self { contexts }
    }

    /// The bindings of one context (not including the global ones).
    pub fn bindings(&self, context: Context) -> &[Binding] {
        self.contexts.get(&context).map_or(&[], Vec::as_slice)
    }

    /// The action a key means in `context`, falling back to the global bindings.
    pub fn resolve(&self, context: Context, key: &KeyEvent) -> Option<Action> {
        let spec = KeySpec::from_event(key);
        let find = |ctx: Context| {
            self.bindings(ctx)
                .iter()
                .find(|b| b.keys.contains(&spec))
                .map(|b| b.action.clone())
        };
        find(context).or_else(|| {
            if context.inherits_global() {
                find(Context::Global)
            } else {
                None
            }
        })
    }

    /// The one-line hint for a context: the global hinted bindings (help, quit) first, then
    /// the context's own; each with its first key only, to fit a narrow terminal.
    pub fn hint(&self, context: Context) -> Vec<(String, &'static str)> {
        self.hint_with(context, &|_| true, |_| None)
    }

    /// The one-line hint without the actions `offered` says are not available (D69), with
    /// `label` choosing the word for an action where it gives one.
    pub fn hint_with(
        &self,
        context: Context,
        offered: &dyn Fn(&Action) -> bool,
        label: impl Fn(&Action) -> Option<&'static str>,
    ) -> Vec<(String, &'static str)> {
        let first = |b: &Binding| {
            b.keys
                .first()
                .filter(|_| b.hint && offered(&b.action))
                .map(|k| {
                    let what = label(&b.action).unwrap_or_else(|| b.description_short());
                    (k.to_string(), what)
                })
        };
        let mut out: Vec<(String, &'static str)> = Vec::new();
        if context.inherits_global() {
            out.extend(self.bindings(Context::Global).iter().filter_map(first));
        }
        out.extend(self.bindings(context).iter().filter_map(first));
        out
    }

    /// Applies `[keys.CONTEXT] action = "key"` or `["key", …]` overrides. Returns one message
    /// per entry that was refused; the default stays for those.
    pub fn apply_overrides(&mut self, table: &toml::Table) -> Vec<String> {
        let mut problems = Vec::new();
        for (context_name, entries) in table {
            let Some(context) = Context::ALL
                .iter()
                .copied()
                .find(|c| c.name() == context_name)
            else {
                problems.push(format!("keys.{context_name}: no such context"));
                continue;
            };
            let Some(entries) = entries.as_table() else {
                problems.push(format!("keys.{context_name}: expected a table"));
                continue;
            };
            for (action, value) in entries {
                if let Err(why) = self.override_one(context, action, value) {
                    problems.push(format!("keys.{context_name}.{action}: {why}"));
                }
            }
        }
        problems
    }

    fn override_one(
        &mut self,
        context: Context,
        action: &str,
        value: &toml::Value,
    ) -> Result<(), String> {
        let wanted = action_by_name(action).ok_or_else(|| "no such action".to_owned())?;
        let texts: Vec<&str> = match value {
            toml::Value::String(s) => vec![s.as_str()],
            toml::Value::Array(items) => items
                .iter()
                .map(|v| v.as_str().ok_or_else(|| "keys must be strings".to_owned()))
                .collect::<Result<_, _>>()?,
            _ => return Err("expected a key or a list of keys".into()),
        };
        let keys = texts
            .iter()
            .map(|t| KeySpec::parse(t))
            .collect::<Result<Vec<_>, _>>()?;
        if keys.is_empty() {
            return Err("no key given".into());
        }
        let bindings = self.contexts.entry(context).or_default();
        let binding = bindings
            .iter_mut()
            .find(|b| action_name(&b.action) == action_name(&wanted))
            .ok_or_else(|| format!("not available in {}", context.name()))?;
        binding.keys = keys;
        Ok(())
    }
}

impl Binding {
    /// The description's first words, for the hint line.
    pub fn description_short(&self) -> &'static str {
        self.description
            .split_once(" (")
            .map_or(self.description, |(short, _)| short)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    #[test]
    fn every_context_is_listed_once() {
        for (i, context) in Context::ALL.iter().enumerate() {
            assert_eq!(
                Context::ALL.iter().filter(|c| *c == context).count(),
                1,
                "{context:?}"
            );
            assert_eq!(CONTEXTS[i].0, *context);
        }
        let names: std::collections::BTreeSet<&str> =
            Context::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(names.len(), Context::ALL.len(), "config names are unique");
        assert!(Context::Trash.inherits_global() && !Context::Trash.takes_text());
        assert!(Context::Filter.takes_text() && !Context::Filter.inherits_global());
        assert!(!Context::Confirm.takes_text() && !Context::Confirm.inherits_global());
    }

    /// A context's key that is also a global key would hide the global one there (the
    /// message log's `M`, say) without a word.
    #[test]
    fn no_default_key_of_a_context_hides_a_global_one() {
        let keymap = Keymap::defaults();
        let global: Vec<KeySpec> = keymap
            .bindings(Context::Global)
            .iter()
            .flat_map(|b| b.keys.iter().copied())
            .collect();
        for context in Context::ALL {
            if context == Context::Global || !context.inherits_global() {
                continue;
            }
            for binding in keymap.bindings(context) {
                for key in &binding.keys {
                    assert!(
                        !global.contains(key),
                        "{key} of {context:?} ({:?}) hides the global binding",
                        binding.action
                    );
                }
            }
        }
    }

    #[test]
    fn every_default_key_reads_back_from_how_it_is_shown() {
        let keymap = Keymap::defaults();
        for context in Context::ALL {
            for binding in keymap.bindings(context) {
                assert!(!binding.keys.is_empty(), "{context:?} {:?}", binding.action);
                for key in &binding.keys {
                    assert_eq!(KeySpec::parse(&key.to_string()), Ok(*key), "{key}");
                }
            }
        }
    }

    #[test]
    fn shifted_letters_and_control_keys_resolve() {
        let keymap = Keymap::defaults();
        let shifted_g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert!(matches!(
            keymap.resolve(Context::Customers, &shifted_g),
            Some(Action::SelectLast)
        ));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert!(matches!(
            keymap.resolve(Context::Trash, &ctrl_c),
            Some(Action::Quit)
        ));
        let back_tab = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert!(matches!(
            keymap.resolve(Context::Form, &back_tab),
            Some(Action::PrevField)
        ));
        assert!(KeySpec::parse("ctrl-").is_err());
        assert!(KeySpec::parse("hyper-x").is_err());
    }
}
