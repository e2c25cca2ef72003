//! Stored text that no release of tenantry would have accepted: a crafted backup (its
//! checksums can be recomputed by anyone) can plant a customer name holding ESC, BEL or the
//! C1 control U+009B (CSI), which a terminal or a spreadsheet then obeys. `check`, which every
//! restore runs, reports such values.
//!
//! The set checked is deliberately the *oldest* one every release has refused, frozen here:
//! controls (C0, DEL, C1), line and paragraph separators, bidi controls and zero-width
//! characters. The newer, stricter Unicode rules of `domain::unicode` (unassigned code points,
//! default-ignorables, combining-mark runs) are not applied, so data an older release stored
//! legitimately stays valid. This module only reads; it never changes what it finds.

use super::{Store, StoreError};
use crate::domain::text::preview;

/// Characters every release has refused in stored text: C0 and C1 controls and DEL, the line
/// and paragraph separators, the bidi embedding, override, isolate and mark characters, and
/// the zero-width space, joiners, word joiner and byte-order mark. Never widened: a value
/// with a character outside this set must keep passing `check`.
pub fn refused_by_every_release(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// The problem with `value`, field `field` of `what`, if it holds such a character.
fn bad_text(what: &str, field: &str, value: &str) -> Option<String> {
    let c = value.chars().find(|c| refused_by_every_release(*c))?;
    Some(format!(
        "{what} has a {field} with a control, bidi or zero-width character (U+{:04X}): {}",
        u32::from(c),
        preview(value)
    ))
}

impl Store {
    /// Reports every stored customer name, slug, language, contact email and phone, and every
    /// user's email, names and Unix account that holds a character of
    /// [`refused_by_every_release`]. Values that do not decode are skipped (the shape pass
    /// reports them); a storage fault stops the check.
    pub(super) fn check_stored_text(&self, problems: &mut Vec<String>) -> Result<(), StoreError> {
        for item in self.customers() {
            let customer = match item {
                Ok(c) => c,
                Err(e) if e.is_corruption() => continue,
                Err(e) => return Err(e),
            };
            let what = format!("customer {}", customer.id);
            let fields = [
                ("name", Some(customer.name.as_str())),
                ("slug", Some(customer.slug.as_str())),
                ("language", Some(customer.language.as_str())),
                ("contact email", customer.contact_email.as_deref()),
                ("contact phone", customer.contact_phone.as_deref()),
                ("address", customer.postal_address.as_deref()),
                ("website", customer.website.as_deref()),
            ];
            for (field, value) in fields {
                problems.extend(value.and_then(|v| bad_text(&what, field, v)));
            }
        }
        for item in self.users() {
            let user = match item {
                Ok(u) => u,
                Err(e) if e.is_corruption() => continue,
                Err(e) => return Err(e),
            };
            let what = format!("user {}", user.id);
            let fields = [
                ("email", Some(user.email.as_str())),
                ("first name", Some(user.first_name.as_str())),
                ("last name", Some(user.last_name.as_str())),
                ("Unix account", user.unix_user.as_deref()),
            ];
            for (field, value) in fields {
                problems.extend(value.and_then(|v| bad_text(&what, field, v)));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_old_set_holds_controls_bidi_and_zero_width_only() {
        for c in [
            '\u{1b}', '\u{7}', '\u{7f}', '\u{9b}', '\u{202e}', '\u{200b}', '\u{2028}',
        ] {
            assert!(refused_by_every_release(c), "{c:?}");
        }
        // Newer rules only: an unassigned code point and a Hangul filler stay valid here.
        for c in ['a', 'é', '\u{0378}', '\u{3164}', ' '] {
            assert!(!refused_by_every_release(c), "{c:?}");
        }
    }
}
