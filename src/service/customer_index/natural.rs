//! Natural order for names: runs of ASCII digits compare by their value, so "Wonka Labs 76"
//! comes before "Wonka Labs 276" and "Unit 9" before "Unit 10". Everything else compares by
//! character. Pure; computed when sorting, never stored.

use std::cmp::Ordering;
use std::iter::Peekable;
use std::str::Chars;

/// `a` and `b` in natural order; equal only when the strings are equal.
pub fn compare(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let (m, n) = (digits(&mut x), digits(&mut y));
                let o = number(&m).cmp(&number(&n));
                if o != Ordering::Equal {
                    return o;
                }
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(&d);
                }
                x.next();
                y.next();
            }
        }
    }
}

/// Takes a run of ASCII digits.
fn digits(chars: &mut Peekable<Chars<'_>>) -> String {
    let mut run = String::new();
    while let Some(c) = chars.next_if(char::is_ascii_digit) {
        run.push(c);
    }
    run
}

/// A digit run as something ordered by its value, however long: (significant digits, digits).
fn number(run: &str) -> (usize, &str) {
    let significant = run.trim_start_matches('0');
    (significant.len(), significant)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_inside_names_compare_by_value() {
        let mut names = vec![
            "wonka labs 276",
            "wonka labs 76",
            "wonka labs 7",
            "wonka labs",
            "unit 10",
            "unit 9",
            "unit 09",
            "acme",
            "99999999999999999999999 big",
            "100000000000000000000000 bigger",
        ];
        names.sort_by(|a, b| compare(a, b));
        assert_eq!(
            names,
            [
                "99999999999999999999999 big",
                "100000000000000000000000 bigger",
                "acme",
                "unit 09",
                "unit 9",
                "unit 10",
                "wonka labs",
                "wonka labs 7",
                "wonka labs 76",
                "wonka labs 276",
            ]
        );
        assert_eq!(compare("a", "a"), Ordering::Equal);
        assert_ne!(compare("unit 09", "unit 9"), Ordering::Equal);
    }
}
