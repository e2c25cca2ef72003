//! Which characters can deceive a reader, decided by Unicode properties rather than a
//! hand-kept list (R10): characters that draw nothing or reorder text, code points with no
//! agreed meaning, runs of combining marks, and the UTS #39 skeleton under which two strings
//! look alike.
//!
//! Pure functions over `char` and `&str`; this module never allocates more than its output,
//! performs no I/O and knows nothing of where text is stored or shown. The property tables come
//! from `unicode-properties` (general category) and `unicode-security` (identifier type and
//! confusables), both built from the same Unicode version.

use std::fmt::Write;

use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
use unicode_security::GeneralSecurityProfile;
use unicode_security::general_security_profile::IdentifierType;

/// The most combining marks accepted on one character. Real text in every script the
/// project has met needs at most three after NFC (a Tibetan stack: base, two subjoined
/// consonants, a vowel sign); "Zalgo" text stacks dozens, which terminals draw outside the
/// cell.
pub const MAX_MARKS_PER_BASE: usize = 3;

/// True for characters that can hide, reorder or rewrite text on a terminal, or whose width
/// no two programs agree on:
/// - controls (C0, C1, including tab and newline) and line/paragraph separators;
/// - format characters (general category Cf: bidi controls, zero-width characters, the
///   byte-order mark, soft hyphen, tag characters U+E0000–E007F, interlinear annotation
///   U+FFF9–FFFB, …);
/// - every other default-ignorable code point (Hangul fillers U+115F, U+1160, U+3164, U+FFA0,
///   variation selectors, the combining grapheme joiner, …);
/// - unassigned code points (including noncharacters) and private-use characters.
pub fn is_hidden_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    matches!(
        c.general_category(),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::Unassigned
            | GeneralCategory::PrivateUse
            | GeneralCategory::Surrogate
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
    ) || c.identifier_type() == Some(IdentifierType::Default_Ignorable)
}

/// True for combining marks (general categories Mn, Mc and Me), which draw on the character
/// before them.
pub fn is_mark(c: char) -> bool {
    !c.is_ascii()
        && matches!(
            c.general_category(),
            GeneralCategory::NonspacingMark
                | GeneralCategory::SpacingMark
                | GeneralCategory::EnclosingMark
        )
}

/// One piece of text made visible: a character shown as it is, or one shown as `<U+XXXX>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    Shown(char),
    Escaped(char),
}

impl Piece {
    /// Appends the piece to `out`.
    pub fn push_to(self, out: &mut String) {
        match self {
            Self::Shown(c) => out.push(c),
            // Writing to a String cannot fail.
            Self::Escaped(c) => {
                let _ = write!(out, "<U+{:04X}>", u32::from(c));
            }
        }
    }

    /// How many characters [`Piece::push_to`] appends.
    pub fn chars(self) -> usize {
        match self {
            Self::Shown(_) => 1,
            Self::Escaped(c) => {
                let bits = 32 - u32::from(c).leading_zeros() as usize;
                bits.div_ceil(4).max(4) + 4
            }
        }
    }
}

/// The pieces of `text` as [`crate::domain::text::display_safe`] shows them: hidden characters
/// escaped, and every combining mark past [`MAX_MARKS_PER_BASE`] on one character escaped too.
/// An escape ends a run of marks (its `>` is what later marks draw on).
pub fn pieces(text: &str) -> impl Iterator<Item = Piece> + '_ {
    let mut marks = 0usize;
    text.chars().map(move |c| {
        if is_hidden_char(c) {
            marks = 0;
            return Piece::Escaped(c);
        }
        if !is_mark(c) {
            marks = 0;
            return Piece::Shown(c);
        }
        marks += 1;
        if marks > MAX_MARKS_PER_BASE {
            marks = 0;
            Piece::Escaped(c)
        } else {
            Piece::Shown(c)
        }
    })
}

/// True when [`pieces`] would escape something in `text`.
pub fn needs_escaping(text: &str) -> bool {
    pieces(text).any(|p| matches!(p, Piece::Escaped(_)))
}

/// The first character with more than [`MAX_MARKS_PER_BASE`] combining marks on it, as the
/// index (in characters) of the first mark too many.
pub fn excess_marks(text: &str) -> Option<(usize, char)> {
    let mut marks = 0usize;
    for (i, c) in text.chars().enumerate() {
        if is_mark(c) {
            marks += 1;
            if marks > MAX_MARKS_PER_BASE {
                return Some((i, c));
            }
        } else {
            marks = 0;
        }
    }
    None
}

/// The UTS #39 skeleton of `text`: two strings with the same skeleton look alike to a reader
/// (`аdmin` with a Cyrillic `а`, `rn` and `m`, `I` and `l`). Compare skeletons of strings that
/// are already NFC and, for emails, lowercase.
pub fn skeleton(text: &str) -> String {
    unicode_security::skeleton(text).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_and_undefined_characters_are_hidden() {
        for c in [
            '\u{115F}',
            '\u{1160}',
            '\u{3164}',
            '\u{FFA0}', // Hangul fillers
            '\u{E0001}',
            '\u{E0041}',
            '\u{E007F}', // tags
            '\u{FE00}',
            '\u{FE0F}',
            '\u{E0100}', // variation selectors
            '\u{FFF9}',
            '\u{FFFA}',
            '\u{FFFB}', // interlinear annotation
            '\u{034F}',
            '\u{200B}',
            '\u{200D}',
            '\u{202E}',
            '\u{2066}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{180E}',
            '\u{061C}',
            '\u{2028}',
            '\u{2029}',
            '\u{0085}',
            '\u{009B}',
            '\u{1B}',
            '\u{E000}',
            '\u{F8FF}',
            '\u{F0000}',
            '\u{10FFFD}', // private use
            '\u{0378}',
            '\u{FDD0}',
            '\u{FFFF}',
            '\u{E0080}', // unassigned, noncharacters
        ] {
            assert!(is_hidden_char(c), "U+{:04X}", u32::from(c));
        }
        for c in [
            'a', 'é', 'ß', '北', '🎉', 'ก', '\u{0301}', ' ', '\u{00A0}', 'Ж',
        ] {
            assert!(!is_hidden_char(c), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn mark_runs_past_the_limit_are_found_and_escaped() {
        let ok = format!("a{}", "\u{0301}".repeat(MAX_MARKS_PER_BASE));
        assert_eq!(excess_marks(&ok), None);
        assert!(!needs_escaping(&ok));
        let zalgo = format!("a{}b", "\u{0301}".repeat(MAX_MARKS_PER_BASE + 2));
        assert_eq!(excess_marks(&zalgo), Some((4, '\u{0301}')));
        let escaped: Vec<Piece> = pieces(&zalgo).collect();
        assert_eq!(escaped[4], Piece::Escaped('\u{0301}'));
        assert_eq!(escaped[5], Piece::Shown('\u{0301}'));
        assert_eq!(excess_marks("བསྒྲུབས"), None);
    }

    #[test]
    fn look_alikes_share_a_skeleton() {
        assert_eq!(
            skeleton("\u{0430}dmin@example.com"),
            skeleton("admin@example.com")
        );
        assert_eq!(skeleton("rnary@example.com"), skeleton("mary@example.com"));
        assert_ne!(skeleton("ann@example.com"), skeleton("anne@example.com"));
    }

    #[test]
    fn piece_lengths_match_what_is_pushed() {
        for c in ['x', '\u{1B}', '\u{E0041}', '\u{10FFFD}'] {
            for piece in [Piece::Shown(c), Piece::Escaped(c)] {
                let mut out = String::new();
                piece.push_to(&mut out);
                assert_eq!(out.chars().count(), piece.chars());
            }
        }
    }
}
