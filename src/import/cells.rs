//! Spreadsheet-safe CSV cells: the one escape every CSV the program writes applies to each
//! cell, and its exact inverse, which import applies to each cell it reads.
//!
//! A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
//! as a formula ("CSV injection"). Such a cell is written with a leading `'`, which spreadsheets
//! take as "this is text". So that a name that really starts with `'` survives the round trip,
//! the escape also adds one `'` to a cell made of one or more `'` followed by one of those
//! characters; import removes exactly one `'` from exactly those cells. Every other cell passes
//! unchanged both ways, so export → import → export gives the same file.
//!
//! Pure string functions: no I/O, no knowledge of columns or of the `csv` crate.

use std::borrow::Cow;

/// True for the characters that make a spreadsheet read a cell as a formula.
fn is_formula_start(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// True when `text` starts with a formula character after zero or more `'`.
fn starts_like_formula(text: &str) -> bool {
    text.trim_start_matches('\'')
        .chars()
        .next()
        .is_some_and(is_formula_start)
}

/// A cell as written to a CSV file: `text` with a leading `'` when a spreadsheet would
/// otherwise run it (or when it is already `'`-prefixed formula-like text), else unchanged.
/// A hidden or control character (which valid data never holds, but a crafted backup can
/// plant) is written as `<U+XXXX>` through `display_safe`, never raw: ESC and BEL in a cell
/// reach whatever terminal the file is printed on. Tab, CR and LF are the exception: CSV
/// quoting carries them, a leading one gets the formula escape, and reading back inverts it.
pub fn csv_cell_out(text: &str) -> Cow<'_, str> {
    let dangerous =
        |c: char| crate::domain::text::is_hidden_char(c) && !matches!(c, '\t' | '\r' | '\n');
    if text.chars().any(dangerous) {
        let shown = crate::domain::text::display_safe(text);
        return Cow::Owned(csv_cell_out(&shown).into_owned());
    }
    if starts_like_formula(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A cell as read from a CSV file: the inverse of [`csv_cell_out`]. One leading `'` is removed
/// only when what follows is formula-like text, so `'quoted` and `'` stay as they are.
pub fn csv_cell_in(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if starts_like_formula(rest) => rest,
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_written_as_text() {
        for (cell, written) in [
            ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
            ("+41 44 123", "'+41 44 123"),
            ("-2", "'-2"),
            ("@cmd", "'@cmd"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'=x", "''=x"),
            ("''@x", "'''@x"),
        ] {
            assert_eq!(csv_cell_out(cell), written, "{cell:?}");
        }
        for plain in [
            "",
            "Acme",
            "'quoted'",
            "'",
            "''",
            "a=b",
            " =x",
            "O'Brien",
            "2026-01-01",
        ] {
            assert!(matches!(csv_cell_out(plain), Cow::Borrowed(_)), "{plain:?}");
        }
    }

    #[test]
    fn reading_back_inverts_the_escape_exactly() {
        for cell in [
            "", "=1+1", "'=1+1", "''=1+1", "'", "''", "'quoted", "+", "-", "@", "'@", "Acme", "\t",
            "'\r", "x'=y",
        ] {
            assert_eq!(csv_cell_in(&csv_cell_out(cell)), cell, "{cell:?}");
        }
        assert_eq!(csv_cell_in("'plain"), "'plain");
        assert_eq!(csv_cell_in("'=x"), "=x");
    }
}
