//! One message as RFC 5322 bytes: `From`, `To`, `Subject`, `Date`, `Message-ID`,
//! `MIME-Version` and a UTF-8 `text/plain` body, built with `mail-builder`, which encodes
//! non-ASCII names and subjects as RFC 2047 requires. Nothing here writes a file.

use crate::domain::Timestamp;

/// A mailbox: a display name (may be empty) and an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    pub name: String,
    pub address: String,
}

impl Mailbox {
    /// Reads `Name <address>` or a bare address (already validated by the settings).
    pub fn parse(text: &str, default_name: &str) -> Self {
        let text = text.trim();
        match (text.rfind('<'), text.ends_with('>')) {
            (Some(open), true) => Self {
                name: text[..open].trim().trim_matches('"').to_owned(),
                address: text[open + 1..text.len() - 1].trim().to_owned(),
            },
            _ => Self {
                name: default_name.to_owned(),
                address: text.to_owned(),
            },
        }
    }

    /// The domain of the address (`localhost` when it has none).
    pub fn domain(&self) -> &str {
        self.address
            .rsplit_once('@')
            .map_or("localhost", |(_, domain)| domain)
    }
}

/// What a message says and to whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub from: Mailbox,
    pub to: Mailbox,
    pub subject: String,
    pub body: String,
    pub date: Timestamp,
    /// Without angle brackets: `local@domain`.
    pub message_id: String,
}

impl Message {
    /// The RFC 5322 bytes (CRLF line ends).
    pub fn to_bytes(&self) -> Result<Vec<u8>, std::io::Error> {
        mail_builder::MessageBuilder::new()
            .from((self.from.name.as_str(), self.from.address.as_str()))
            .to((self.to.name.as_str(), self.to.address.as_str()))
            .subject(self.subject.as_str())
            .date(self.date.0.div_euclid(1000))
            .message_id(self.message_id.as_str())
            .text_body(self.body.as_str())
            .write_to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_parses_back_with_its_encoded_names_and_body() {
        let message = Message {
            from: Mailbox::parse("Example Hosting <noreply@example.com>", ""),
            to: Mailbox {
                name: "Zoë Müller".into(),
                address: "zoe@example.com".into(),
            },
            subject: "Willkommen, Zoë".into(),
            body: "Grüezi\nline two\n".into(),
            date: Timestamp(1_767_225_600_000),
            message_id: "abc@example.com".into(),
        };
        let bytes = message.to_bytes().unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("MIME-Version: 1.0"), "{text}");
        assert!(
            !text
                .lines()
                .any(|l| l.starts_with("To:") && l.contains('ë')),
            "{text}"
        );
        let parsed = mail_parser::MessageParser::default().parse(&bytes).unwrap();
        assert_eq!(parsed.subject(), Some("Willkommen, Zoë"));
        let to = parsed.to().and_then(|a| a.first()).unwrap();
        assert_eq!(to.name(), Some("Zoë Müller"));
        assert_eq!(to.address(), Some("zoe@example.com"));
        let from = parsed.from().and_then(|a| a.first()).unwrap();
        assert_eq!(from.name(), Some("Example Hosting"));
        assert_eq!(parsed.message_id(), Some("abc@example.com"));
        assert_eq!(
            parsed.body_text(0).unwrap().replace("\r\n", "\n"),
            "Grüezi\nline two\n"
        );
        assert_eq!(parsed.date().unwrap().to_timestamp(), 1_767_225_600);
    }
}
