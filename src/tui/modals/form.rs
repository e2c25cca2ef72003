//! Form state: labelled single-line text fields (ratatui-textarea) and choice fields, one
//! focused at a time, with a reason shown at the field a refused submission names. Used by the
//! add/edit/change-slug modals and by the setup and sign-in screens.
//!
//! A form knows its fields and how to read them; what a submission does is the app's business.

use std::borrow::Cow;

use ratatui::style::{Modifier, Style};
use ratatui_textarea::{Input, Key, TextArea};

use crate::domain::ValidationError;

/// What a form is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    Setup,
    SignIn,
    AddCustomer,
    EditCustomer {
        slug: String,
    },
    ChangeSlug {
        slug: String,
        name: String,
    },
    /// The services of the customer `slug`.
    Services {
        slug: String,
    },
    /// One change to the user groups of the customer `slug`.
    Groups {
        slug: String,
    },
    /// A new customer like the customer `slug`.
    CopyCustomer {
        slug: String,
    },
    /// The file name for an import's summary.
    SaveReport,
    AddUser,
    /// Edits the user with this email.
    EditUser {
        email: String,
    },
    Invite,
    /// The sign-in screen's "I have an invitation": code and a new password twice.
    AcceptInvitation,
    /// The sign-in screen's "Forgot password?": an email.
    ForgotPassword,
    /// The sign-in screen's "I have a reset code": code and a new password twice.
    ResetPassword,
    /// A customer's own contact details (its administrators).
    EditContact {
        slug: String,
    },
    /// My settings: the current password and a new one twice.
    ChangeOwnPassword,
    /// Why the operator impersonates the customer `slug`.
    ImpersonationReason {
        slug: String,
    },
    /// The text a search of the log looks for.
    SearchLog,
    /// The Logs tab's whole filter.
    FilterLog,
    /// The file an export of the log (with these filters) is written to.
    ExportLog {
        query: Box<crate::service::LogQuery>,
    },
    /// Which of their customers a customer's user enters; `slugs` in the choice's order.
    ChooseCustomer {
        slugs: Vec<String>,
    },
}

/// One field. `key` is the name the service uses in `ValidationError::field`.
#[derive(Debug, Clone)]
pub struct Field {
    /// Most labels are fixed words; a list of checkboxes (services to copy) names its own.
    pub label: Cow<'static, str>,
    /// Most keys are fixed words; a custom field's is the field's name.
    pub key: Cow<'static, str>,
    /// A custom field: its value is sent by its key among the command's `fields`.
    pub custom: bool,
    pub input: TextArea<'static>,
    /// For a choice field: the options and which is chosen.
    pub choices: Option<(Vec<String>, usize)>,
    pub masked: bool,
    initial: String,
}

impl Field {
    pub fn text(
        label: impl Into<Cow<'static, str>>,
        key: impl Into<Cow<'static, str>>,
        value: &str,
    ) -> Self {
        let mut input = TextArea::new(vec![value.to_owned()]);
        input.set_cursor_line_style(Style::default());
        input.move_cursor(ratatui_textarea::CursorMove::End);
        Self {
            label: label.into(),
            key: key.into(),
            custom: false,
            input,
            choices: None,
            masked: false,
            initial: value.to_owned(),
        }
    }

    pub fn secret(label: &'static str, key: &'static str) -> Self {
        let mut field = Self::text(label, key, "");
        field.masked = true;
        field.input.set_mask_char('•');
        field
    }

    pub fn choice<S: Into<String>>(
        label: impl Into<Cow<'static, str>>,
        key: impl Into<Cow<'static, str>>,
        options: Vec<S>,
        chosen: usize,
    ) -> Self {
        let options: Vec<String> = options.into_iter().map(Into::into).collect();
        let initial = options.get(chosen).cloned().unwrap_or_default();
        let mut field = Self::text(label, key, "");
        field.initial = initial;
        field.choices = Some((options, chosen));
        field
    }

    /// The field's current value (the chosen option for a choice field).
    pub fn value(&self) -> String {
        match &self.choices {
            Some((options, chosen)) => options.get(*chosen).cloned().unwrap_or_default(),
            None => self.input.lines().concat(),
        }
    }

    pub fn is_changed(&self) -> bool {
        self.value() != self.initial
    }
}

/// Pasted text as one line for a single-line field (D67): each line break (CR, LF or CRLF) and
/// tab becomes a space, other control characters are dropped (a terminal must never receive
/// them raw), and trailing whitespace goes, so a copied line's final newline neither submits
/// nor lingers. Nothing pasted can submit a form.
pub fn paste_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// The keys that change a choice field, as its hint shows them.
pub const CHOICE_KEYS: &str = "space/←/→ change";

/// A form on screen.
#[derive(Debug, Clone)]
pub struct FormState {
    pub kind: FormKind,
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// A refused submission's reasons, each at the field it names (field index, reason), in
    /// the order of the fields: every problem of the input at once (D68).
    pub errors: Vec<(usize, String)>,
    /// A reason that belongs to no field.
    pub general_error: Option<String>,
    /// The add form's live slug preview and, once checked, who already has it.
    pub slug_preview: Option<String>,
    pub slug_taken: Option<String>,
    /// The add form's slug field was typed into: it no longer follows the name (emptying it
    /// makes it follow again).
    pub slug_edited: bool,
    pub note: Option<String>,
}

impl FormState {
    pub fn new(kind: FormKind, title: impl Into<String>, fields: Vec<Field>) -> Self {
        let mut form = Self {
            kind,
            title: title.into(),
            fields,
            focus: 0,
            errors: Vec::new(),
            general_error: None,
            slug_preview: None,
            slug_taken: None,
            slug_edited: false,
            note: None,
        };
        form.show_cursor();
        form
    }

    /// The value of the field with this key ("" when there is none).
    pub fn value(&self, key: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map(Field::value)
            .unwrap_or_default()
    }

    /// True when something was typed or chosen.
    pub fn is_dirty(&self) -> bool {
        self.fields.iter().any(Field::is_changed)
    }

    pub fn next_field(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len().max(1);
        self.show_cursor();
    }

    pub fn prev_field(&mut self) {
        let n = self.fields.len().max(1);
        self.focus = (self.focus + n - 1) % n;
        self.show_cursor();
    }

    /// Focuses the field `key` names (or the closest one) and shows `reason` there.
    pub fn refuse(&mut self, err: &ValidationError) {
        self.refuse_all(std::slice::from_ref(err));
    }

    /// Shows every problem at its field (a problem naming no field of this form goes to the
    /// general line) and focuses the first field with a problem.
    pub fn refuse_all(&mut self, problems: &[ValidationError]) {
        self.errors.clear();
        let mut general = Vec::new();
        for err in problems {
            let field = err.field.as_str();
            let index = self.fields.iter().position(|f| f.key == field).or_else(|| {
                self.fields
                    .iter()
                    .position(|f| !f.custom && field.starts_with(&*f.key))
            });
            match index {
                Some(i) if !self.errors.iter().any(|(at, _)| *at == i) => {
                    self.errors.push((i, err.reason.clone()))
                }
                Some(_) => {}
                None => general.push(err.to_string()),
            }
        }
        self.errors.sort_by_key(|(i, _)| *i);
        self.general_error = (!general.is_empty()).then(|| general.join("; "));
        if let Some((first, _)) = self.errors.first() {
            self.focus = *first;
            self.show_cursor();
        }
    }

    /// The reason shown at field `index`, if any.
    pub fn error_at(&self, index: usize) -> Option<&str> {
        self.errors
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, reason)| reason.as_str())
    }

    /// Replaces the text of the field `key` (the cursor at its end).
    pub fn set_value(&mut self, key: &str, text: &str) {
        if let Some(field) = self.fields.iter_mut().find(|f| f.key == key) {
            let mut input = TextArea::new(vec![text.to_owned()]);
            input.set_cursor_line_style(Style::default());
            input.move_cursor(ratatui_textarea::CursorMove::End);
            field.input = input;
        }
        self.show_cursor();
    }

    /// Types one key into the focused field; returns true when its text changed.
    pub fn input(&mut self, input: Input) -> bool {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return false;
        };
        // A choice changes only on Space and the arrow keys ([`CHOICE_KEYS`]): a letter typed
        // while it has the focus (text meant for the next field) changes nothing.
        if let Some((options, chosen)) = &mut field.choices {
            let n = options.len().max(1);
            match input.key {
                Key::Left => *chosen = (*chosen + n - 1) % n,
                Key::Right | Key::Char(' ') if !input.ctrl && !input.alt => {
                    *chosen = (*chosen + 1) % n
                }
                _ => return false,
            }
            return true;
        }
        let newline = matches!(input.key, Key::Enter | Key::Char('\n' | '\r'))
            || (input.ctrl && input.key == Key::Char('m'));
        if newline {
            return false;
        }
        // Ctrl-U clears to the start of the field, as in a shell.
        let changed = if input.ctrl && input.key == Key::Char('u') {
            field.input.delete_line_by_head()
        } else {
            field.input.input(input)
        };
        if changed {
            let focus = self.focus;
            self.errors.retain(|(i, _)| *i != focus);
        }
        changed
    }

    /// True when the focused field is a choice (text typed or pasted there is not its value).
    pub fn focused_is_choice(&self) -> bool {
        self.fields
            .get(self.focus)
            .is_some_and(|f| f.choices.is_some())
    }

    /// Toggles the focused choice field.
    pub fn toggle_choice(&mut self) -> bool {
        if self
            .fields
            .get(self.focus)
            .is_some_and(|f| f.choices.is_some())
        {
            return self.input(Input {
                key: Key::Right,
                ..Input::default()
            });
        }
        false
    }

    fn show_cursor(&mut self) {
        let focus = self.focus;
        for (i, field) in self.fields.iter_mut().enumerate() {
            let style = if i == focus {
                Style::default().add_modifier(Modifier::REVERSED)
            } else {
                Style::default()
            };
            field.input.set_cursor_style(style);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(c: char) -> Input {
        Input {
            key: Key::Char(c),
            ..Input::default()
        }
    }

    #[test]
    fn typing_fills_the_focused_field_and_refusals_land_at_their_field() {
        let mut form = FormState::new(
            FormKind::AddCustomer,
            "Add",
            vec![
                Field::text("Name", "name", ""),
                Field::choice("Type", "type", vec!["corporate", "individual"], 0),
                Field::text("Owner email", "owner email", ""),
            ],
        );
        assert!(!form.is_dirty());
        form.input(typed('A'));
        form.input(Input {
            key: Key::Enter,
            ..Input::default()
        });
        assert_eq!(form.value("name"), "A");
        form.next_field();
        assert!(!form.input(typed('i')), "a letter does not change a choice");
        assert_eq!(form.value("type"), "corporate");
        form.input(typed(' '));
        assert_eq!(form.value("type"), "individual");
        form.refuse(&ValidationError::new("owner email", "bad"));
        assert_eq!(form.focus, 2);
        assert_eq!(form.errors, vec![(2, "bad".to_owned())]);
        form.refuse(&ValidationError::new("owner first name", "missing"));
        assert!(form.general_error.is_some());
        assert!(form.is_dirty());
    }
}
