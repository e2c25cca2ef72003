//! Text rules shared by every input (R10): which characters are refused, NFC normalisation,
//! length limits, and [`display_safe`], the one function that makes hidden characters visible
//! before any user-derived text reaches a screen, a log or stderr.

use unicode_normalization::UnicodeNormalization;

use super::error::ValidationError;
pub use super::unicode::{MAX_MARKS_PER_BASE, is_hidden_char};
use super::unicode::{excess_marks, needs_escaping, pieces, skeleton};

/// Makes hidden characters (see [`is_hidden_char`]) and combining marks past
/// [`MAX_MARKS_PER_BASE`] on one character visible as `<U+XXXX>`, so no stored string can move
/// the cursor, change colours, reorder what is around it or draw wider than its columns.
/// Other text passes unchanged, and what is stored is never changed: only how it is shown.
pub fn display_safe(text: &str) -> String {
    if !needs_escaping(text) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for piece in pieces(text) {
        piece.push_to(&mut out);
    }
    out
}

/// How many characters of a value a message, a report or a log line echoes at most.
pub const PREVIEW_CHARS: usize = 40;

/// The one form in which a user- or file-derived value is echoed back (in a refusal, a report
/// or a log line): made visible by [`display_safe`] and cut to [`PREVIEW_CHARS`] characters
/// with a trailing `…`. Only the start of the value is looked at, so echoing a 128 KB value
/// costs no more than echoing a short one.
pub fn preview(value: &str) -> String {
    let mut safe = String::new();
    let mut count = 0usize;
    for piece in pieces(value) {
        piece.push_to(&mut safe);
        count += piece.chars();
        if count > PREVIEW_CHARS {
            break;
        }
    }
    if count <= PREVIEW_CHARS {
        return safe;
    }
    let mut cut: String = safe.chars().take(PREVIEW_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// Trims, NFC-normalises and checks a line of human text (a name): every Unicode space
/// becomes U+0020, no hidden characters (see [`is_hidden_char`]) nor the braille blank, at most [`MAX_MARKS_PER_BASE`] combining marks on one character, and
/// between `min` and `max` characters. Applies to new input only: stored text is never
/// re-validated, so data written under older rules stays readable.
pub fn clean_line(
    field: &str,
    raw: &str,
    min: usize,
    max: usize,
) -> Result<String, ValidationError> {
    if let Some(c) = raw.chars().find(|c| is_hidden_char(*c)) {
        return Err(ValidationError::new(
            field,
            format!(
                "\"{}\" contains a hidden or control character (U+{:04X})",
                preview(raw),
                u32::from(c)
            ),
        ));
    }
    if let Some(c) = raw.chars().find(|c| draws_nothing(*c)) {
        return Err(ValidationError::new(
            field,
            format!(
                "\"{}\" contains a character that draws nothing (U+{:04X})",
                preview(raw),
                u32::from(c)
            ),
        ));
    }
    // Every other space (no-break, ideographic, en/em, thin, …) is the plain space a reader
    // takes it for, so `Acme\u{A0}Corp` and `Acme Corp` are one name, not two.
    let spaced: String = raw.chars().map(plain_space).collect();
    let text: String = spaced.trim().nfc().collect();
    if let Some((_, mark)) = excess_marks(&text) {
        return Err(ValidationError::new(
            field,
            format!(
                "\"{}\" stacks more than {MAX_MARKS_PER_BASE} combining marks on one character (U+{:04X})",
                preview(&text),
                u32::from(mark)
            ),
        ));
    }
    let count = text.chars().count();
    if count < min {
        let reason = if min == 1 {
            "must not be empty".to_owned()
        } else {
            format!("must be at least {min} characters")
        };
        return Err(ValidationError::new(field, reason));
    }
    if count > max {
        return Err(ValidationError::new(
            field,
            format!(
                "\"{}\" is {count} characters; at most {max} are allowed",
                preview(&text)
            ),
        ));
    }
    Ok(text)
}

/// Blank symbols that are not spaces and draw nothing: the braille pattern blank U+2800
/// (a favourite for "empty" names). Hangul fillers are already hidden characters.
fn draws_nothing(c: char) -> bool {
    c == '\u{2800}'
}

/// A space separator (general category Zs: U+00A0, U+1680, U+2000–200A, U+202F, U+205F,
/// U+3000) as U+0020; every other character unchanged.
fn plain_space(c: char) -> char {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    if !c.is_ascii() && c.general_category() == GeneralCategory::SpaceSeparator {
        ' '
    } else {
        c
    }
}

/// The longest email address accepted (RFC 5321's path limit).
pub const MAX_EMAIL_LEN: usize = 254;

/// Checks an email address's shape (one `@`, a non-empty local part, a dotted domain, no
/// spaces or hidden characters) and returns it trimmed and NFC-normalised. Case is kept for
/// display; [`email_key`] gives the case-insensitive identity.
pub fn clean_email(field: &str, raw: &str) -> Result<String, ValidationError> {
    let text = clean_line(field, raw, 1, MAX_EMAIL_LEN)?;
    let bad = |why: &str| {
        ValidationError::new(
            field,
            format!(
                "\"{}\" is not a valid email address ({why})",
                preview(&text)
            ),
        )
    };
    if text.chars().any(char::is_whitespace) {
        return Err(bad("contains a space"));
    }
    let Some((local, domain)) = text.rsplit_once('@') else {
        return Err(bad("no @"));
    };
    if local.is_empty() || local.contains('@') {
        return Err(bad("one @ after a non-empty name"));
    }
    let labels_ok = domain
        .split('.')
        .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'));
    if !domain.contains('.') || !labels_ok {
        return Err(bad("the domain needs a dot and no empty parts"));
    }
    Ok(text)
}

/// The identity of an email address: trimmed, NFC-normalised and lowercase, as the unique
/// index stores it, so a look-up finds the address however it was typed.
pub fn email_key(email: &str) -> String {
    email.trim().nfc().collect::<String>().to_lowercase()
}

/// What an email address looks like: the UTS #39 skeleton of its [`email_key`]. Two
/// different addresses with the same look-alike key (`аdmin@example.com` with a Cyrillic `а`,
/// and `admin@example.com`) would be told apart by no reader.
pub fn email_lookalike_key(email: &str) -> String {
    let key: String = email_key(email).chars().map(small_capital_letter).collect();
    skeleton(&key)
}

/// The Latin small capitals (`ᴍ` U+1D0D, `ʀ` U+0280, …) as the lowercase letter they pass for
/// in a lowercase address; UTS #39 maps several of them to other scripts' letters (`ᴍ` to
/// Cyrillic `м`) rather than to `m`, so `admin@example.coᴍ` would not look like `.com`.
/// Every other character is returned unchanged.
fn small_capital_letter(c: char) -> char {
    match c {
        '\u{1D00}' => 'a',
        '\u{0299}' => 'b',
        '\u{1D04}' => 'c',
        '\u{1D05}' => 'd',
        '\u{1D07}' => 'e',
        '\u{A730}' => 'f',
        '\u{0262}' => 'g',
        '\u{029C}' => 'h',
        '\u{026A}' => 'i',
        '\u{1D0A}' => 'j',
        '\u{1D0B}' => 'k',
        '\u{029F}' => 'l',
        '\u{1D0D}' => 'm',
        '\u{0274}' => 'n',
        '\u{1D0F}' => 'o',
        '\u{1D18}' => 'p',
        '\u{A7AF}' => 'q',
        '\u{0280}' => 'r',
        '\u{A731}' => 's',
        '\u{1D1B}' => 't',
        '\u{1D1C}' => 'u',
        '\u{1D20}' => 'v',
        '\u{1D21}' => 'w',
        '\u{028F}' => 'y',
        '\u{1D22}' => 'z',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_safe_shows_hidden_characters() {
        assert_eq!(display_safe("plain"), "plain");
        assert_eq!(display_safe("a\u{202E}b"), "a<U+202E>b");
        assert_eq!(display_safe("\x1b[31mred"), "<U+001B>[31mred");
        assert_eq!(display_safe("x\ny"), "x<U+000A>y");
        assert_eq!(display_safe("zero\u{200B}width"), "zero<U+200B>width");
        assert_eq!(display_safe("北京 🎉"), "北京 🎉");
    }

    #[test]
    fn preview_cuts_long_values_and_shows_hidden_characters() {
        assert_eq!(preview("short"), "short");
        let exact = "x".repeat(PREVIEW_CHARS);
        assert_eq!(preview(&exact), exact);
        let long = preview(&"y".repeat(128 * 1024));
        assert_eq!(long.chars().count(), PREVIEW_CHARS);
        assert!(long.ends_with('…'));
        assert!(preview("a\x1b[2Jb").starts_with("a<U+001B>[2Jb"));
        assert!(!preview(&"\x1b".repeat(1000)).contains('\x1b'));
    }

    #[test]
    fn clean_line_trims_normalises_and_limits() {
        assert_eq!(clean_line("name", "  Acme  ", 1, 100).unwrap(), "Acme");
        let decomposed = "Cafe\u{301}";
        assert_eq!(clean_line("name", decomposed, 1, 100).unwrap(), "Café");
        assert_eq!(
            clean_line("name", "   ", 1, 100).unwrap_err().reason,
            "must not be empty"
        );
        assert!(clean_line("name", &"x".repeat(101), 1, 100).is_err());
        assert!(clean_line("name", &"é".repeat(100), 1, 100).is_ok());
    }

    #[test]
    fn clean_line_refuses_hidden_characters_by_code_point() {
        for bad in [
            "a\u{202E}b",
            "a\nb",
            "a\u{200B}b",
            "a\u{2028}b",
            "\x1b[2J",
            "a\tb",
        ] {
            let err = clean_line("name", bad, 1, 100).unwrap_err();
            assert_eq!(err.field, "name");
            assert!(
                err.reason.contains("hidden or control character"),
                "{bad:?}"
            );
            assert!(!err.reason.chars().any(is_hidden_char), "{:?}", err.reason);
        }
    }

    #[test]
    fn email_shapes() {
        assert_eq!(
            clean_email("email", " Ann@Example.com ").unwrap(),
            "Ann@Example.com"
        );
        assert_eq!(email_key("Ann@Example.COM"), "ann@example.com");
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.com",
            "ann@example",
            "a b@example.com",
            "ann@ex..com",
            "a@b@example.com",
        ] {
            assert!(clean_email("email", bad).is_err(), "{bad:?}");
        }
    }
}
