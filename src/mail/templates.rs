//! The texts of messages to people: one template per kind and language, English the
//! fallback. Defaults live in code; an operator overrides any of them with a file
//! `templates/<kind>.<lang>.txt` in the config directory, whose first line is the subject
//! and the rest the body. Variables are written `{name}`; `{{` and `}}` are literal braces.
//! A template naming a variable its kind does not have is refused when the templates are
//! loaded, naming the file and line, never at send time.
//!
//! Nothing here sends or writes: rendering is a pure function of a template and values.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The kinds of message tenantry writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MessageKind {
    Invitation,
    Reset,
    Welcome,
    /// Tells a customer's administrators that staff started impersonating their customer.
    ImpersonationNotice,
}

impl MessageKind {
    pub const ALL: [MessageKind; 4] = [
        Self::Invitation,
        Self::Reset,
        Self::Welcome,
        Self::ImpersonationNotice,
    ];

    /// The name in template file names and outbox file names.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::Reset => "reset",
            Self::Welcome => "welcome",
            Self::ImpersonationNotice => "impersonation",
        }
    }

    /// The variables a template of this kind may use.
    pub fn variables(self) -> &'static [&'static str] {
        match self {
            Self::Invitation => &[
                "first_name",
                "last_name",
                "customer",
                "company",
                "portal_url",
                "token",
                "expires",
                "role",
            ],
            Self::Reset => &[
                "first_name",
                "last_name",
                "company",
                "portal_url",
                "token",
                "expires",
            ],
            Self::Welcome => &[
                "first_name",
                "last_name",
                "customer",
                "company",
                "portal_url",
            ],
            Self::ImpersonationNotice => &[
                "first_name",
                "last_name",
                "customer",
                "company",
                "portal_url",
                "staff",
                "reason",
                "until",
            ],
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// Why the templates could not be loaded: names the file, and the line where it applies.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("{file}:{line}: unknown variable {{{name}}}; a {kind} message has {known}")]
    UnknownVariable {
        file: String,
        line: usize,
        name: String,
        kind: &'static str,
        known: String,
    },
    #[error("{file}:{line}: a brace that opens no variable; write {{{{ or }}}} for a brace")]
    StrayBrace { file: String, line: usize },
    #[error("{file}:1: {{token}} may not be in the subject, which the outbox lists")]
    TokenInSubject { file: String },
    #[error("{file}: {reason}")]
    Unreadable { file: String, reason: String },
}

/// One template: its subject line and body, each split into text and variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    subject: Vec<Piece>,
    body: Vec<Piece>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Variable(String),
}

/// A rendered message: subject and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

impl Template {
    /// Parses `text` (subject on the first line) for `kind`; `file` names it in errors.
    pub fn parse(kind: MessageKind, file: &str, text: &str) -> Result<Self, TemplateError> {
        let (subject, body) = text.split_once('\n').unwrap_or((text, ""));
        let subject = pieces(kind, file, 1, subject.trim_end_matches('\r'))?;
        if subject.contains(&Piece::Variable("token".into())) {
            return Err(TemplateError::TokenInSubject {
                file: file.to_owned(),
            });
        }
        Ok(Self {
            subject,
            body: pieces(kind, file, 2, body)?,
        })
    }

    /// Fills in `values`; a variable without a value renders empty.
    pub fn render(&self, values: &BTreeMap<&str, String>) -> Rendered {
        let fill = |pieces: &[Piece]| {
            let mut out = String::new();
            for piece in pieces {
                match piece {
                    Piece::Text(t) => out.push_str(t),
                    Piece::Variable(v) => {
                        out.push_str(values.get(v.as_str()).map_or("", String::as_str))
                    }
                }
            }
            out
        };
        Rendered {
            subject: fill(&self.subject).replace(['\r', '\n'], " "),
            body: fill(&self.body),
        }
    }
}

/// Splits one part of a template, whose first line is `first_line` of the file.
fn pieces(
    kind: MessageKind,
    file: &str,
    first_line: usize,
    text: &str,
) -> Result<Vec<Piece>, TemplateError> {
    let mut out = Vec::new();
    let mut literal = String::new();
    let mut line = first_line;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => {
                line = line.saturating_add(1);
                literal.push(c);
            }
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let mut name = String::new();
                let mut closed = false;
                for n in chars.by_ref() {
                    if n == '}' {
                        closed = true;
                        break;
                    }
                    name.push(n);
                }
                let name = name.trim().to_owned();
                let valid =
                    !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
                if !closed || !valid {
                    return Err(TemplateError::StrayBrace {
                        file: file.to_owned(),
                        line,
                    });
                }
                if !kind.variables().contains(&name.as_str()) {
                    return Err(TemplateError::UnknownVariable {
                        file: file.to_owned(),
                        line,
                        name,
                        kind: kind.as_str(),
                        known: kind
                            .variables()
                            .iter()
                            .map(|v| format!("{{{v}}}"))
                            .collect::<Vec<_>>()
                            .join(", "),
                    });
                }
                if !literal.is_empty() {
                    out.push(Piece::Text(std::mem::take(&mut literal)));
                }
                out.push(Piece::Variable(name));
            }
            '}' => {
                return Err(TemplateError::StrayBrace {
                    file: file.to_owned(),
                    line,
                });
            }
            other => literal.push(other),
        }
    }
    if !literal.is_empty() {
        out.push(Piece::Text(literal));
    }
    Ok(out)
}

/// The built-in English templates.
fn default_text(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Invitation => {
            "You are invited to {customer}\n\
             Hello {first_name} {last_name},\n\
             \n\
             you have been invited to join {customer} on {company} as {role}.\n\
             \n\
             To accept, open {portal_url} and choose \"I have an invitation\", or run\n\
             \n\
             \x20   tenantry invite accept {token}\n\
             \n\
             The invitation is valid until {expires}. If you did not expect it, you can\n\
             ignore this message.\n\
             \n\
             {company}\n"
        }
        MessageKind::Reset => {
            "Reset your password\n\
             Hello {first_name} {last_name},\n\
             \n\
             someone asked to reset the password of your {company} account. To choose a new\n\
             password, open {portal_url} and choose \"Forgot password?\", or run\n\
             \n\
             \x20   tenantry password reset {token}\n\
             \n\
             The code is valid until {expires} and works once. If you did not ask for it,\n\
             ignore this message: your password stays as it is.\n\
             \n\
             {company}\n"
        }
        MessageKind::Welcome => {
            "Welcome to {company}\n\
             Hello {first_name} {last_name},\n\
             \n\
             we have set up your account for {customer}. To sign in for the first time, open\n\
             {portal_url}, choose \"Forgot password?\" and enter your email address; you will\n\
             get a message to set your password.\n\
             \n\
             {company}\n"
        }
        MessageKind::ImpersonationNotice => {
            "{company} staff are viewing {customer} as you see it\n\
             Hello {first_name} {last_name},\n\
             \n\
             {staff} of {company} has started to view and act in {customer} as one of its\n\
             administrators would, until {until} at the latest, for this reason:\n\
             \n\
             \x20   {reason}\n\
             \n\
             Everything done meanwhile is in your customer's log, marked as done by staff.\n\
             \n\
             {company}\n"
        }
    }
}

/// Every template, by kind and language.
#[derive(Debug, Clone)]
pub struct Templates {
    by_kind: BTreeMap<(MessageKind, String), Template>,
}

impl Templates {
    /// No templates at all (every message kind then has none to render).
    pub fn empty() -> Self {
        Self {
            by_kind: BTreeMap::new(),
        }
    }

    /// The built-in templates, overridden by the files in `dir` (`<kind>.<lang>.txt`), when
    /// given and present. Files of another name are ignored.
    pub fn load(dir: Option<&Path>) -> Result<Self, TemplateError> {
        let mut by_kind = BTreeMap::new();
        for kind in MessageKind::ALL {
            let file = format!("(built-in {}.en)", kind.as_str());
            by_kind.insert(
                (kind, "en".to_owned()),
                Template::parse(kind, &file, default_text(kind))?,
            );
        }
        let Some(dir) = dir else {
            return Ok(Self { by_kind });
        };
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self { by_kind }),
            Err(e) => {
                return Err(TemplateError::Unreadable {
                    file: dir.display().to_string(),
                    reason: e.to_string(),
                });
            }
        };
        let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for path in files {
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let Some((kind, lang)) = name
                .strip_suffix(".txt")
                .and_then(|stem| stem.split_once('.'))
                .and_then(|(k, l)| Some((MessageKind::from_name(k)?, l.to_owned())))
            else {
                continue;
            };
            let shown = crate::domain::text::display_safe(&path.display().to_string());
            let text = read_template(&path).map_err(|reason| TemplateError::Unreadable {
                file: shown.clone(),
                reason,
            })?;
            by_kind.insert((kind, lang), Template::parse(kind, &shown, &text)?);
        }
        Ok(Self { by_kind })
    }

    /// The template for `kind` in `language`: the exact tag, then its language alone
    /// (`fr` for `fr-CH`), then English.
    pub fn get(&self, kind: MessageKind, language: &str) -> Option<&Template> {
        let base = language.split('-').next().unwrap_or(language);
        [language, base, "en"]
            .into_iter()
            .find_map(|lang| self.by_kind.get(&(kind, lang.to_owned())))
    }
}

/// Reads a template file: a regular file of at most 64 KiB of UTF-8.
fn read_template(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let (file, meta) = crate::files::open_regular(path).map_err(|e| match e {
        crate::files::OpenRegularError::Io(e) => e.to_string(),
        crate::files::OpenRegularError::NotRegular(what) => format!("is {what}, not a file"),
    })?;
    if meta.len() > 64 * 1024 {
        return Err("is larger than 64 KiB".into());
    }
    let mut text = String::new();
    file.take(64 * 1024)
        .read_to_string(&mut text)
        .map_err(|e| format!("is not UTF-8 text ({e})"))?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_filled_and_braces_escape() {
        let t = Template::parse(
            MessageKind::Reset,
            "t",
            "Hi {first_name}\nCode {{literal}}: {token}.\n",
        )
        .unwrap();
        let values = BTreeMap::from([("first_name", "Zoë".to_owned()), ("token", "abc".into())]);
        let r = t.render(&values);
        assert_eq!(r.subject, "Hi Zoë");
        assert_eq!(r.body, "Code {literal}: abc.\n");
    }

    #[test]
    fn an_unknown_variable_names_the_file_and_line() {
        let err = Template::parse(
            MessageKind::Welcome,
            "welcome.de.txt",
            "S\nline two\n{token}\n",
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("welcome.de.txt:3: unknown variable {token}; a welcome message has"),
            "{err}"
        );
        let subject = Template::parse(MessageKind::Reset, "r.txt", "Code {token}\nbody\n");
        assert!(matches!(subject, Err(TemplateError::TokenInSubject { .. })));
        let stray = Template::parse(MessageKind::Reset, "r.txt", "S {first_name\n").unwrap_err();
        assert_eq!(
            stray,
            TemplateError::StrayBrace {
                file: "r.txt".into(),
                line: 1
            }
        );
    }

    #[test]
    fn a_language_falls_back_to_its_base_and_then_english() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("reset.fr.txt"), "Réinitialiser\n{token}\n").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
        let templates = Templates::load(Some(dir.path())).unwrap();
        let values = BTreeMap::from([("token", "t".to_owned())]);
        let fr = templates.get(MessageKind::Reset, "fr-CH").unwrap();
        assert_eq!(fr.render(&values).subject, "Réinitialiser");
        let de = templates.get(MessageKind::Reset, "de").unwrap();
        assert_eq!(de.render(&values).subject, "Reset your password");
        std::fs::write(dir.path().join("invitation.de.txt"), "S\n{nope}\n").unwrap();
        let err = Templates::load(Some(dir.path())).unwrap_err();
        assert!(err.to_string().contains("invitation.de.txt:2"), "{err}");
    }
}
