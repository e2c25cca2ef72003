//! Messages to people: invitations, password resets and welcome messages, rendered from
//! templates ([`templates`]), built as RFC 5322 bytes ([`message`]) and written to an outbox
//! directory ([`outbox`]), or piped to a sendmail-compatible command ([`deliver`]) when one is
//! configured. tenantry speaks no SMTP.
//!
//! This module performs the file and process I/O of messages and nothing else: which message
//! is written, to whom and when is the service's business, and a token appears only in the
//! message itself, never in a log line.

pub mod message;
pub mod outbox;
pub mod readable;
pub mod templates;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

pub use message::{Mailbox, Message};
pub use outbox::{Outbox, OutboxError, OutboxFile, Staged};
pub use templates::{MessageKind, Rendered, TemplateError, Templates};

/// How messages leave: the templates, where the outbox is when the `mail.outbox` setting is
/// unset, and the delivery command, if any.
#[derive(Debug, Clone)]
pub struct MailSetup {
    pub templates: Templates,
    /// The outbox unless the `mail.outbox` setting names another.
    pub default_outbox: PathBuf,
    /// A sendmail-compatible command and its arguments (`[mail] command`), or none.
    pub command: Option<Vec<String>>,
}

impl MailSetup {
    /// The built-in templates and no command, with the outbox beside the database directory
    /// `db` (`DB/../outbox`).
    pub fn beside(db: &std::path::Path) -> Self {
        let parent = db
            .parent()
            .map_or_else(|| PathBuf::from("."), PathBuf::from);
        Self {
            templates: Templates::load(None).unwrap_or_else(|_| Templates::empty()),
            default_outbox: parent.join("outbox"),
            command: None,
        }
    }
}

/// Pipes `message` to `command` (`sendmail -t -i` reads the recipients from the headers).
/// `Err` says why it failed, in one line.
pub fn deliver(command: &[String], message: &[u8]) -> Result<(), String> {
    let Some((program, args)) = command.split_first() else {
        return Err("the mail command is empty".into());
    };
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!(
                "{} did not start: {e}",
                crate::domain::text::display_safe(program)
            )
        })?;
    // A command that stops reading early (it failed at once) closes the pipe: what it exits
    // with says more than the broken pipe, so the write error is kept only for the end.
    let written = match child.stdin.take() {
        Some(mut stdin) => stdin.write_all(message),
        None => Ok(()),
    };
    let out = child.wait_with_output().map_err(|e| {
        format!(
            "waiting for {}: {e}",
            crate::domain::text::display_safe(program)
        )
    })?;
    if out.status.success() {
        return written.map_err(|e| {
            format!(
                "{} did not take the whole message: {e}",
                crate::domain::text::display_safe(program)
            )
        });
    }
    let said = String::from_utf8_lossy(&out.stderr);
    let first = said.lines().next().unwrap_or("").trim();
    Err(format!(
        "{} exited with {}{}",
        crate::domain::text::display_safe(program),
        out.status
            .code()
            .map_or_else(|| "a signal".to_owned(), |c| format!("status {c}")),
        if first.is_empty() {
            String::new()
        } else {
            format!(": {}", crate::domain::text::preview(first))
        }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_that_fails_without_reading_is_reported_by_its_exit_status() {
        // Larger than a pipe's buffer: the write meets the closed pipe for certain.
        let message = vec![b'x'; 1 << 20];
        let command = ["/bin/sh".to_owned(), "-c".to_owned(), "exit 3".to_owned()];
        let err = deliver(&command, &message).unwrap_err();
        assert_eq!(err, "/bin/sh exited with status 3");
        let taken = [
            "/bin/sh".to_owned(),
            "-c".to_owned(),
            "cat > /dev/null".to_owned(),
        ];
        assert_eq!(deliver(&taken, &message), Ok(()));
    }
}
