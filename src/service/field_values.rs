//! Custom field values as the commands that carry them apply them: a new or edited customer
//! (`NewCustomer::fields`, `CustomerChanges::fields`) and a new or edited user. One rule for
//! all: each named field must be a live field of the target, each value is checked against
//! its type, an empty value clears it, and every required field must hold a value after the
//! change. A customer's own users (and an impersonation) change only the fields the customer
//! sees. What each front end shows is `FieldShown`.

use serde::{Deserialize, Serialize};

use super::{Ctx, ServiceError, TxResult, fail, invalid};
use crate::domain::ValidationError;
use crate::domain::fields::{FieldKind, FieldSchema, FieldTarget, FieldValue};
use crate::store::Tx;

/// A live field with its value as front ends show it: the field's name, the canonical value
/// (none when not set) and whether it is required (a required field without a value, which
/// records from before the field was added may be, asks for one at the next change).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldShown {
    pub name: String,
    pub value: Option<String>,
    pub required: bool,
    /// Its type and a choice field's choices, for a form that asks for it.
    #[serde(rename = "type")]
    pub kind: FieldKind,
    pub choices: Vec<String>,
}

/// The values after `changes` (field name, raw value) over `before`, and the change of each
/// as the event names it (`Cost centre: (none) → CC-7`; for a new record, how many it has).
/// With `creating`, the required fields are checked even when nothing is named.
pub(crate) fn apply_values(
    tx: &Tx<'_, ServiceError>,
    ctx: &Ctx<'_>,
    target: FieldTarget,
    before: &[FieldValue],
    changes: &[(String, String)],
    creating: bool,
) -> TxResult<(Vec<FieldValue>, Vec<String>)> {
    if changes.is_empty() && !creating {
        return Ok((before.to_vec(), Vec::new()));
    }
    let schema = tx.field_schema()?;
    if ctx.session.is_customer_side() {
        for (name, _) in changes {
            if let Some(def) = schema.find(target, name)
                && !def.customer_visible
            {
                return fail(ServiceError::Invalid(ValidationError::new(
                    def.name.clone(),
                    "is kept by the provider's staff; the customer does not change it",
                )));
            }
        }
    }
    let after = schema.apply(target, before, changes).map_err(invalid)?;
    // A new record's event counts its values, as it leaves out its contact details: the
    // record holds them, and a later change names the old value it replaces.
    if creating {
        let said = match after.len() {
            0 => Vec::new(),
            1 => vec!["1 custom field set".to_owned()],
            n => vec![format!("{n} custom fields set")],
        };
        return Ok((after, said));
    }
    let mut said = Vec::new();
    for def in schema.live(target) {
        let (old, new) = (
            FieldSchema::value_of(def, before),
            FieldSchema::value_of(def, &after),
        );
        if old != new {
            said.push(format!(
                "{}: {} → {}",
                def.name,
                old.unwrap_or("(none)"),
                new.unwrap_or("(none)")
            ));
        }
    }
    Ok((after, said))
}

/// The live fields of `target` with their values, in schema order; only the customer-visible
/// ones when `customer_side`.
pub fn shown(
    schema: &FieldSchema,
    target: FieldTarget,
    values: &[FieldValue],
    customer_side: bool,
) -> Vec<FieldShown> {
    schema
        .live(target)
        .filter(|def| !customer_side || def.customer_visible)
        .map(|def| FieldShown {
            name: def.name.clone(),
            value: FieldSchema::value_of(def, values).map(str::to_owned),
            required: def.required,
            kind: def.kind,
            choices: def.choices.clone(),
        })
        .collect()
}
