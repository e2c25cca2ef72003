//! A message of the outbox as a person reads it, for `outbox show` and the console's preview:
//! the headers a reader looks at, decoded (RFC 2047 names), and the text body decoded from its
//! transfer encoding, by the mail parser. Reads only what it is given.

/// The message as a person reads it: From, To, Subject and Date decoded (RFC 2047 names),
/// a blank line, and the body decoded from its transfer encoding. The raw text, line by line,
/// when it does not parse.
pub fn readable(text: &str) -> Vec<String> {
    let Some(m) = mail_parser::MessageParser::default().parse(text.as_bytes()) else {
        return text.lines().map(str::to_owned).collect();
    };
    let who = |a: Option<&mail_parser::Address<'_>>| {
        a.and_then(|a| a.first())
            .map_or(String::new(), |a| match (a.name(), a.address()) {
                (Some(n), Some(e)) => format!("{n} <{e}>"),
                (None, Some(e)) => e.to_owned(),
                (Some(n), None) => n.to_owned(),
                (None, None) => String::new(),
            })
    };
    let mut lines = vec![
        format!("From: {}", who(m.from())),
        format!("To: {}", who(m.to())),
        format!("Subject: {}", m.subject().unwrap_or("")),
        format!(
            "Date: {}",
            m.date().map(|d| d.to_rfc3339()).unwrap_or_default()
        ),
        String::new(),
    ];
    let body = m
        .body_text(0)
        .map(|b| b.replace("\r\n", "\n"))
        .unwrap_or_default();
    lines.extend(body.lines().map(str::to_owned));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_reads_decoded_and_text_that_is_no_message_reads_as_it_is() {
        let raw = "From: =?utf-8?q?Zo=C3=AB?= <z@example.com>\r\nTo: a@example.com\r\n\
                   Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\nContent-Type: text/plain; charset=utf-8\r\n\
                   Content-Transfer-Encoding: quoted-printable\r\n\r\nHallo M=C3=BCller=\r\n, bye\r\n";
        let lines = readable(raw);
        assert_eq!(lines[0], "From: Zoë <z@example.com>");
        assert_eq!(lines[2], "Subject: Grüße");
        assert!(lines.iter().any(|l| l == "Hallo Müller, bye"), "{lines:?}");
    }
}
