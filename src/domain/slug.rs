//! The slug rule: the unique, DNS-label-shaped handle derived from a customer's display name.
//!
//! Transliterate to ASCII, lowercase, turn every run of characters outside `a-z0-9` into one
//! `-`, trim `-` from both ends, and cut to at most 63 characters (never ending in `-`).

use serde::{Deserialize, Serialize};
use std::fmt;

use super::error::ValidationError;
use super::text::preview;

/// The longest slug: one DNS label.
pub const MAX_SLUG_LEN: usize = 63;

/// A slug known to follow the rule. Only [`slugify`] and [`Slug::parse`] make one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Slug(String);

impl Slug {
    /// Accepts text that is already a slug in normal form (what an operator types with
    /// `--slug` or a CSV `Slug` column). Text that is not is refused, naming the form it would
    /// take, so nothing is silently renamed.
    pub fn parse(field: &str, text: &str) -> Result<Self, ValidationError> {
        if text.is_empty() {
            return Err(ValidationError::new(field, "must not be empty"));
        }
        if is_normal_slug(text) {
            return Ok(Self(text.to_owned()));
        }
        let normal = slugify_text(text);
        let hint = if normal.is_empty() {
            "use a-z, 0-9 and single hyphens".to_owned()
        } else {
            format!("did you mean \"{}\"?", preview(&normal))
        };
        Err(ValidationError::new(
            field,
            format!(
                "\"{}\" is not a valid slug (a-z, 0-9 and single inner hyphens, at most {MAX_SLUG_LEN} characters); {hint}",
                preview(text)
            ),
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Rebuilds a slug read back from storage without re-checking it.
    pub fn from_stored(text: String) -> Self {
        Self(text)
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Derives the slug of a display name; refuses a name whose slug would be empty.
pub fn slugify(field: &str, name: &str) -> Result<Slug, ValidationError> {
    let slug = slugify_text(name);
    if slug.is_empty() {
        return Err(ValidationError::new(
            field,
            format!(
                "\"{}\" gives an empty slug; use at least one letter or digit",
                preview(name)
            ),
        ));
    }
    Ok(Slug(slug))
}

fn slugify_text(name: &str) -> String {
    let ascii = deunicode::deunicode(name).to_ascii_lowercase();
    let mut out = String::with_capacity(ascii.len().min(MAX_SLUG_LEN));
    let mut pending_dash = false;
    for c in ascii.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if pending_dash && !out.is_empty() {
                if out.len() + 1 >= MAX_SLUG_LEN {
                    break;
                }
                out.push('-');
            }
            pending_dash = false;
            if out.len() >= MAX_SLUG_LEN {
                break;
            }
            out.push(c);
        } else {
            pending_dash = true;
        }
    }
    out
}

fn is_normal_slug(text: &str) -> bool {
    text.len() <= MAX_SLUG_LEN
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(name: &str) -> String {
        slugify_text(name)
    }

    #[test]
    fn examples_from_the_rule() {
        assert_eq!(s("TEST CUSTOMER"), "test-customer");
        assert_eq!(s("Café  Zürich_GmbH"), "cafe-zurich-gmbh");
        assert_eq!(s("AT&T"), "at-t");
        assert_eq!(s("Café Zürich"), "cafe-zurich");
        assert_eq!(s("Straße"), "strasse");
        assert_eq!(s("北京"), "bei-jing");
        assert_eq!(s("  --Acme--  Corp--  "), "acme-corp");
        assert_eq!(s("100% Pure"), "100-pure");
    }

    #[test]
    fn empty_slug_is_refused_with_the_name() {
        let err = slugify("name", "!!!").unwrap_err();
        assert_eq!(err.field, "name");
        assert!(err.reason.contains("\"!!!\""), "{}", err.reason);
        assert!(slugify("name", "").is_err());
    }

    #[test]
    fn long_names_cut_to_a_dns_label_without_trailing_dash() {
        let long = "a".repeat(62) + " bcd";
        let slug = s(&long);
        assert_eq!(slug, "a".repeat(62));
        assert!(slug.len() <= MAX_SLUG_LEN);
        let exact = "b".repeat(70);
        assert_eq!(s(&exact).len(), MAX_SLUG_LEN);
    }

    #[test]
    fn parse_accepts_only_normal_form() {
        assert!(Slug::parse("slug", "acme-corp").is_ok());
        assert!(Slug::parse("slug", "a").is_ok());
        let err = Slug::parse("slug", "Acme Corp").unwrap_err();
        assert!(
            err.reason.contains("did you mean \"acme-corp\"?"),
            "{}",
            err.reason
        );
        assert!(Slug::parse("slug", "-acme").is_err());
        assert!(Slug::parse("slug", "acme--corp").is_err());
        assert!(Slug::parse("slug", &"x".repeat(64)).is_err());
        assert!(Slug::parse("slug", "").is_err());
    }

    proptest::proptest! {
        #[test]
        fn every_slug_is_normal(name in "\\PC{0,80}") {
            let slug = s(&name);
            proptest::prop_assert!(slug.is_empty() || is_normal_slug(&slug), "{slug:?}");
            proptest::prop_assert_eq!(s(&slug), slug.clone());
        }
    }
}
