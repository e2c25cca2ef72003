//! The inputs a form gives the custom fields (one per field in use: a choice field a choice
//! with "—" for none, any other a text line), and the values they send. Which values are
//! valid is the service's to say: a refusal names the field, and the form shows it there.

use std::collections::BTreeMap;

use super::form::{Field, FormState};
use crate::domain::fields::FieldKind;
use crate::service::{FieldRow, FieldShown};

/// The choice that means "no value".
pub const NONE: &str = "—";

/// One input per field of `fields` in use, holding its value among `values` (by name); a
/// required field's label ends in `*`.
pub fn inputs(fields: &[FieldRow], values: &BTreeMap<String, String>) -> Vec<Field> {
    fields
        .iter()
        .filter(|f| !f.removed)
        .map(|f| {
            let value = values.get(&f.name).map_or("", String::as_str);
            input(&f.name, f.kind, &f.choices, f.required, value)
        })
        .collect()
}

/// One input per field a detail view shows (for a customer's own administrators, the fields
/// the customer sees), holding its value.
pub fn inputs_shown(fields: &[FieldShown]) -> Vec<Field> {
    fields
        .iter()
        .map(|f| {
            let value = f.value.as_deref().unwrap_or("");
            input(&f.name, f.kind, &f.choices, f.required, value)
        })
        .collect()
}

fn input(name: &str, kind: FieldKind, choices: &[String], required: bool, value: &str) -> Field {
    let label = if required {
        format!("{name} *")
    } else {
        name.to_owned()
    };
    let mut field = match kind {
        FieldKind::Choice => {
            let options: Vec<String> = std::iter::once(NONE.to_owned())
                .chain(choices.iter().cloned())
                .collect();
            let chosen = options.iter().position(|o| o == value).unwrap_or(0);
            Field::choice(label, name.to_owned(), options, chosen)
        }
        FieldKind::Text | FieldKind::Number | FieldKind::Date => {
            Field::text(label, name.to_owned(), value)
        }
    };
    field.custom = true;
    field
}

/// The custom fields' values as a command carries them, (name, value) with "" for none:
/// every one, or with `only_changed` those the operator changed.
pub fn values(form: &FormState, only_changed: bool) -> Vec<(String, String)> {
    form.fields
        .iter()
        .filter(|f| f.custom && (!only_changed || f.is_changed()))
        .map(|f| {
            let value = f.value();
            let value = if value == NONE { String::new() } else { value };
            (f.key.to_string(), value)
        })
        .collect()
}
