//! Lists of settings found by name (the service catalogue, the target systems, the service
//! plans): any case, surrounding spaces ignored; and the refusals that name what there is.
//! One way to look a setting up, whatever the list. Pure.

use super::ValidationError;
use super::text::preview;

/// An entry of a list of settings.
pub trait Named {
    fn name(&self) -> &str;
    /// Removed entries stay listed for what still uses them, and can no longer be chosen.
    fn removed(&self) -> bool {
        false
    }
}

/// The position of the entry called `name`, removed ones included.
pub fn find<T: Named>(items: &[T], name: &str) -> Option<usize> {
    let wanted = name.trim().to_lowercase();
    items.iter().position(|i| i.name().to_lowercase() == wanted)
}

/// The position of `name`, or a refusal (`what` names the field and the kind of entry):
/// `no plan "x"`.
pub fn require<T: Named>(
    items: &[T],
    name: &str,
    what: &'static str,
) -> Result<usize, ValidationError> {
    find(items, name)
        .ok_or_else(|| ValidationError::new(what, format!("no {what} \"{}\"", preview(name))))
}

/// The entry called `name` that can still be chosen, or a refusal saying it was removed or
/// is none, with the names that can be chosen (`empty` when there is none).
pub fn require_in_use<'a, T: Named>(
    items: &'a [T],
    name: &str,
    what: &'static str,
    empty: &str,
) -> Result<&'a T, ValidationError> {
    match find(items, name).map(|i| &items[i]) {
        Some(item) if !item.removed() => Ok(item),
        found => {
            let names: Vec<&str> = items
                .iter()
                .filter(|i| !i.removed())
                .map(Named::name)
                .collect();
            let state = if found.is_some() {
                "was removed".to_owned()
            } else {
                format!("is not a {what}")
            };
            let choose = if names.is_empty() {
                empty.to_owned()
            } else {
                format!("choose one of {}", names.join(", "))
            };
            Err(ValidationError::new(
                what,
                format!("\"{}\" {state}; {choose}", preview(name)),
            ))
        }
    }
}
