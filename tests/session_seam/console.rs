//! A console without a terminal: the real `App` fed key events through the real keymap
//! (`App::handle_key`), its effects carried out by the real `Runtime` over whatever backend a
//! test gives it, every resulting action fed back, as the event loop does.

use std::collections::VecDeque;
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tenantry::backend::Backend;
use tenantry::domain::Timestamp;
use tenantry::tui::action::{Action, Effect};
use tenantry::tui::app::{App, AppOptions};
use tenantry::tui::config::Config;
use tenantry::tui::keymap::KeySpec;
use tenantry::tui::runtime::Runtime;

/// 2026-11-23 13:22:03 UTC.
pub const T0: Timestamp = Timestamp(1_795_440_123_456);

pub struct Console {
    pub app: App,
    pub rt: Runtime,
}

fn key_event(spec: &str) -> KeyEvent {
    let key = KeySpec::parse(spec).expect("a key the keymap knows");
    let mut modifiers = KeyModifiers::NONE;
    if key.ctrl {
        modifiers |= KeyModifiers::CONTROL;
    }
    if matches!(key.code, KeyCode::BackTab) {
        modifiers |= KeyModifiers::SHIFT;
    }
    KeyEvent::new(key.code, modifiers)
}

impl Console {
    /// A console signed in as whoever `backend` keeps, on the customers tab, its list loaded.
    pub fn open(backend: Arc<dyn Backend>, db: std::path::PathBuf) -> Self {
        let email = backend
            .session()
            .expect("session")
            .expect("signed in")
            .email;
        let options = AppOptions {
            config: Config::default(),
            db_label: "/srv/tenantry/db".into(),
            unix_user: None,
            force_sign_in: true,
            utc_offset_secs: 0,
            color: false,
            sign_in_note: None,
        };
        let mut rt = Runtime::with_backend(db, backend);
        rt.inline_loads = true;
        let mut console = Self {
            app: App::new(options, 120, 36, T0),
            rt,
        };
        console.act(Action::Opened {
            initialised: true,
            signed_in: Some(email),
        });
        console
    }

    pub fn run(&mut self, effects: Vec<Effect>) -> Vec<Effect> {
        let mut seen = Vec::new();
        let mut pending = VecDeque::from(effects);
        while let Some(effect) = pending.pop_front() {
            seen.push(effect.clone());
            for action in self.rt.run(effect) {
                pending.extend(self.app.update(action));
            }
        }
        seen
    }

    pub fn act(&mut self, action: Action) -> Vec<Effect> {
        let effects = self.app.update(action);
        self.run(effects)
    }

    /// Presses keys given as keymap names, separated by spaces (`"j j enter"`).
    pub fn press(&mut self, keys: &str) -> Vec<Effect> {
        let mut all = Vec::new();
        for k in keys.split_whitespace() {
            let effects = self.app.handle_key(&key_event(k), T0);
            all.extend(self.run(effects));
        }
        all
    }

    pub fn status(&self) -> String {
        self.app
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default()
    }

    pub fn selected_slug(&self) -> String {
        self.app
            .tabs
            .customers
            .selected()
            .map(|e| e.slug.clone())
            .unwrap_or_default()
    }

    pub fn screen(&self) -> String {
        crate::common::screen::screen(&self.app)
    }
}
