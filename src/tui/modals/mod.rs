//! The modal stack's layers: a form, the import flow, a confirm dialog (which carries the action it confirms
//! and knows nothing of what it does), a message, the help popup and the message log. The top modal takes the
//! keys first. Plain state; drawing lives in `render/`.

pub mod custom_fields;
pub mod form;
pub mod help;
pub mod import;

use ratatui::style::Style;
use ratatui_textarea::TextArea;

use super::action::Action;
use super::keymap::Context;
pub use form::{Field, FormKind, FormState};
pub use import::{ImportState, Stage};

/// One layer of the modal stack.
#[derive(Debug, Clone)]
pub enum Modal {
    Form(Box<FormState>),
    Confirm(Box<ConfirmState>),
    Message {
        title: String,
        text: String,
    },
    Help {
        context: Context,
        scroll: u16,
    },
    /// The session's message log, newest first, scrolled by `scroll` lines.
    Messages {
        scroll: u16,
    },
    Import(Box<ImportState>),
}

impl Modal {
    pub fn confirm(state: ConfirmState) -> Self {
        Self::Confirm(Box::new(state))
    }

    /// The keymap context of this layer.
    pub fn context(&self) -> Context {
        match self {
            Self::Form(_) => Context::Form,
            Self::Confirm(c) if c.typed.is_some() => Context::ConfirmTyped,
            Self::Confirm(_) => Context::Confirm,
            Self::Message { .. } => Context::Message,
            Self::Help { .. } => Context::Help,
            Self::Messages { .. } => Context::Messages,
            Self::Import(state) => match state.stage {
                Stage::Path { .. } => Context::ImportPath,
                Stage::Preview { .. } => Context::ImportPreview,
                Stage::Checking { .. } | Stage::Writing { .. } => Context::ImportRunning,
                Stage::Done { .. } => Context::ImportDone,
            },
        }
    }
}

/// A question with the action to run on "yes". With `require` set, the answer is typing that
/// text (a slug) and pressing Enter.
///
/// The default answer (Enter) is always the safe one, "no" (D66); the dialog names what each
/// answer does (`yes`, `no`: e.g. "suspend" and "keep") beside the keys that give it.
#[derive(Debug, Clone)]
pub struct ConfirmState {
    pub title: String,
    pub text: String,
    pub on_yes: Box<Action>,
    pub require: Option<String>,
    pub typed: Option<TextArea<'static>>,
    /// What "yes" does, in a word or two ("suspend").
    pub yes: String,
    /// What "no" does ("keep").
    pub no: String,
}

impl ConfirmState {
    pub fn new(title: impl Into<String>, text: impl Into<String>, on_yes: Action) -> Self {
        Self {
            title: title.into(),
            text: text.into(),
            on_yes: Box::new(on_yes),
            require: None,
            typed: None,
            yes: "yes".into(),
            no: "no".into(),
        }
    }

    /// Names what each answer does, for the dialog's key line.
    pub fn answers(mut self, yes: impl Into<String>, no: impl Into<String>) -> Self {
        self.yes = yes.into();
        self.no = no.into();
        self
    }

    /// Asks for `text` to be typed before "yes" counts.
    pub fn requiring(mut self, text: impl Into<String>) -> Self {
        let mut input = TextArea::default();
        input.set_cursor_line_style(Style::default());
        self.require = Some(text.into());
        self.typed = Some(input);
        self
    }

    /// True when no typing is needed or the typed text matches.
    pub fn is_satisfied(&self) -> bool {
        match (&self.require, &self.typed) {
            (Some(want), Some(input)) => input.lines().concat() == *want,
            _ => true,
        }
    }
}
