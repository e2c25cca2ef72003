//! The custom field schema (`tenantry field list|add|edit|remove|cleanup`) as
//! [`FieldCommand`]. Owners (the *manage settings* privilege) change it; every staff member
//! reads it, and a customer's own users read the fields the customer sees. Names are unique
//! per target as CSV headers compare them, and no field takes a built-in column's name.
//! Removing a field marks it removed and keeps its values; a confirmed cleanup of a removed
//! field deletes its values from every customer or user and then the field itself. The values
//! themselves are `field_values.rs`'s.

use serde::{Deserialize, Serialize};

use super::{Ctx, Outcome, Service, ServiceError, Session, TxResult, fail, invalid, record};
use crate::domain::fields::{
    FieldDef, FieldId, FieldKind, FieldSchema, FieldTarget, MAX_FIELDS, clean_choices,
    clean_field_name,
};
use crate::domain::text::preview;
use crate::domain::{AuditAction, CustomerId, Privilege, UserId, ValidationError};
use crate::store::Tx;

/// A new field, as asked for; text arrives raw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewField {
    pub target: FieldTarget,
    pub name: String,
    pub kind: FieldKind,
    pub choices: Vec<String>,
    pub required: bool,
    pub customer_visible: bool,
    pub column: bool,
}

/// Changes to a field; `None` leaves a property as it is. Choices are only added: a stored
/// value keeps meaning what it meant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct FieldChanges {
    pub rename: Option<String>,
    pub required: Option<bool>,
    pub customer_visible: Option<bool>,
    pub column: Option<bool>,
    pub add_choices: Vec<String>,
}

/// A change to the schema; names arrive raw, any case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldCommand {
    Add(NewField),
    Edit {
        target: FieldTarget,
        name: String,
        changes: FieldChanges,
    },
    Remove {
        target: FieldTarget,
        name: String,
    },
    /// Deletes a removed field's values everywhere, then the field.
    Cleanup {
        target: FieldTarget,
        name: String,
    },
}

/// One field as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldRow {
    pub target: FieldTarget,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: FieldKind,
    pub choices: Vec<String>,
    pub required: bool,
    pub customer_visible: bool,
    pub column: bool,
    pub removed: bool,
}

impl FieldRow {
    /// The field as the domain checks values against it (its number is not listed: zero).
    pub fn to_def(&self) -> FieldDef {
        FieldDef {
            id: FieldId(0),
            target: self.target,
            name: self.name.clone(),
            kind: self.kind,
            choices: self.choices.clone(),
            required: self.required,
            customer_visible: self.customer_visible,
            removed: self.removed,
            column: self.column,
        }
    }

    pub fn new(def: &FieldDef) -> Self {
        Self {
            target: def.target,
            name: def.name.clone(),
            kind: def.kind,
            choices: def.choices.clone(),
            required: def.required,
            customer_visible: def.customer_visible,
            column: def.column,
            removed: def.removed,
        }
    }
}

/// The schema's listing query: every field, removed ones marked, for staff; the live
/// customer-visible ones for a customer's user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListFields;

/// A command ready for its transaction: a cleanup carries the records that hold a value of
/// the field, found before it (no value of a removed field can be added meanwhile).
pub(crate) enum PreparedField {
    Change(FieldCommand),
    Cleanup {
        target: FieldTarget,
        id: FieldId,
        customers: Vec<CustomerId>,
        users: Vec<UserId>,
    },
}

fn refused<T>(reason: String) -> TxResult<T> {
    fail(ValidationError::new("field", reason).into())
}

fn no_field(target: FieldTarget, name: &str) -> ValidationError {
    ValidationError::new(
        "field",
        format!("no field \"{}\" for {}", preview(name), target.as_str()),
    )
}

impl FieldCommand {
    pub fn spec(&self) -> (AuditAction, Privilege) {
        let action = match self {
            Self::Add(_) => AuditAction::FieldAdd,
            Self::Edit { .. } => AuditAction::FieldEdit,
            Self::Remove { .. } => AuditAction::FieldRemove,
            Self::Cleanup { .. } => AuditAction::FieldCleanup,
        };
        (action, Privilege::ManageSettings)
    }

    pub(crate) fn prepare(self, service: &Service) -> Result<PreparedField, ServiceError> {
        Ok(PreparedField::Change(match self {
            Self::Add(new) => Self::Add(NewField {
                name: clean_field_name(&new.name)?,
                choices: clean_choices(new.kind, &new.choices)?,
                ..new
            }),
            Self::Edit {
                target,
                name,
                changes,
            } => {
                if changes == FieldChanges::default() {
                    return Err(ValidationError::new(
                        "field",
                        "nothing to change: give a new name, --required, --visible, --column or choices to add",
                    )
                    .into());
                }
                let rename = changes
                    .rename
                    .as_deref()
                    .map(clean_field_name)
                    .transpose()?;
                Self::Edit {
                    target,
                    name,
                    changes: FieldChanges { rename, ..changes },
                }
            }
            Self::Cleanup { target, name } => return service.plan_cleanup(target, &name),
            remove @ Self::Remove { .. } => remove,
        }))
    }
}

impl Service {
    /// Finds the records holding a value of the removed field `name`: the scan a transaction
    /// does not make.
    fn plan_cleanup(&self, target: FieldTarget, name: &str) -> Result<PreparedField, ServiceError> {
        let schema: FieldSchema = self.store.catalogue()?;
        let def = schema
            .find(target, name)
            .ok_or_else(|| no_field(target, name))?;
        if !def.removed {
            return Err(ServiceError::Refused(format!(
                "field {} is in use; remove it first (tenantry field remove)",
                def.name
            )));
        }
        let (mut customers, mut users) = (Vec::new(), Vec::new());
        match target {
            FieldTarget::Customers => {
                for customer in self.store.customers() {
                    let customer = customer?;
                    if customer.fields.iter().any(|v| v.field == def.id) {
                        customers.push(customer.id);
                    }
                }
            }
            FieldTarget::Users => {
                for item in self.store.all_user_fields() {
                    let (user, values) = item?;
                    if values.iter().any(|v| v.field == def.id) {
                        users.push(user);
                    }
                }
            }
        }
        Ok(PreparedField::Cleanup {
            target,
            id: def.id,
            customers,
            users,
        })
    }

    /// The fields in their order. Staff see all of them, removed ones marked; a customer's
    /// user sees the live ones the customer sees.
    pub fn list_fields(&self, session: &Session) -> Result<Vec<FieldRow>, ServiceError> {
        let session = &self.acting(session)?;
        let schema: FieldSchema = self.store.catalogue()?;
        let staff = !session.is_customer_side();
        if staff {
            session.require_staff("listing fields")?;
        }
        Ok(schema
            .fields
            .iter()
            .filter(|f| staff || (f.customer_visible && !f.removed))
            .map(FieldRow::new)
            .collect())
    }
}

impl PreparedField {
    pub(crate) fn apply(
        &self,
        tx: &Tx<'_, ServiceError>,
        ctx: &Ctx<'_>,
        action: AuditAction,
    ) -> TxResult<Outcome> {
        let mut schema: FieldSchema = tx.catalogue()?;
        let summary = match self {
            Self::Change(command) => change(&mut schema, command)?,
            Self::Cleanup {
                target,
                id,
                customers,
                users,
            } => {
                let Some(def) = schema.get(*id).filter(|f| f.removed).cloned() else {
                    return fail(ServiceError::Refused(
                        "the field changed meanwhile; try again".into(),
                    ));
                };
                let mut cleared = 0u64;
                for id in customers {
                    if let Some(mut customer) = tx.customer(*id)? {
                        customer.fields.retain(|v| v.field != def.id);
                        tx.save_customer(&customer)?;
                        cleared = cleared.saturating_add(1);
                    }
                }
                for id in users {
                    let mut values = tx.user_fields(*id)?;
                    values.retain(|v| v.field != def.id);
                    tx.put_user_fields(*id, &values)?;
                    cleared = cleared.saturating_add(1);
                }
                schema.fields.retain(|f| f.id != def.id);
                format!(
                    "cleaned up removed field {} of {}: its value deleted from {cleared} {}",
                    def.name,
                    target.as_str(),
                    target.as_str()
                )
            }
        };
        tx.put_catalogue(&schema)?;
        record(tx, ctx, None, action, summary)?;
        Ok(Outcome::Fields(
            schema.fields.iter().map(FieldRow::new).collect(),
        ))
    }
}

/// Applies an add, edit or remove to `schema`; returns the event's summary.
fn change(schema: &mut FieldSchema, command: &FieldCommand) -> TxResult<String> {
    let position = |schema: &FieldSchema, target: FieldTarget, name: &str| {
        schema
            .position(target, name)
            .ok_or_else(|| invalid(no_field(target, name)))
    };
    Ok(match command {
        FieldCommand::Add(new) => {
            if let Some(old) = schema.find(new.target, &new.name) {
                let hint = if old.removed {
                    " (removed: clean it up first with tenantry field cleanup)"
                } else {
                    ""
                };
                return refused(format!("\"{}\" is already a field{hint}", old.name));
            }
            if schema.fields.len() >= MAX_FIELDS {
                return refused(format!("there are at most {MAX_FIELDS} fields"));
            }
            let def = schema.push(FieldDef {
                id: FieldId(0),
                target: new.target,
                name: new.name.clone(),
                kind: new.kind,
                choices: new.choices.clone(),
                required: new.required,
                customer_visible: new.customer_visible,
                removed: false,
                column: new.column,
            });
            format!(
                "added field {} of {}: {}",
                def.name,
                def.target.as_str(),
                describe(&def)
            )
        }
        FieldCommand::Edit {
            target,
            name,
            changes,
        } => {
            let i = position(schema, *target, name)?;
            if let Some(to) = &changes.rename
                && schema
                    .find(*target, to)
                    .is_some_and(|f| f.id != schema.fields[i].id)
            {
                return refused(format!("\"{to}\" is already a field"));
            }
            let def = &mut schema.fields[i];
            if def.removed {
                return fail(ServiceError::Refused(format!(
                    "field {} is removed; clean it up (tenantry field cleanup) and add it anew",
                    def.name
                )));
            }
            let before = def.clone();
            if let Some(to) = &changes.rename {
                def.name = to.clone();
            }
            for (change, slot) in [
                (changes.required, &mut def.required),
                (changes.customer_visible, &mut def.customer_visible),
                (changes.column, &mut def.column),
            ] {
                if let Some(value) = change {
                    *slot = value;
                }
            }
            if !changes.add_choices.is_empty() {
                let mut all = def.choices.clone();
                all.extend(changes.add_choices.iter().cloned());
                def.choices = clean_choices(def.kind, &all).map_err(invalid)?;
            }
            if *def == before {
                return fail(ServiceError::Refused(format!(
                    "field {} already is so",
                    def.name
                )));
            }
            let renamed = if def.name == before.name {
                String::new()
            } else {
                format!(" (renamed from {})", before.name)
            };
            format!(
                "field {}{renamed} of {}: {} → {}",
                def.name,
                def.target.as_str(),
                describe(&before),
                describe(def)
            )
        }
        FieldCommand::Remove { target, name } => {
            let i = position(schema, *target, name)?;
            let def = &mut schema.fields[i];
            if def.removed {
                return fail(ServiceError::Refused(format!(
                    "field {} is already removed",
                    def.name
                )));
            }
            def.removed = true;
            format!(
                "removed field {} of {} (its values are kept until a cleanup)",
                def.name,
                def.target.as_str()
            )
        }
        FieldCommand::Cleanup { .. } => {
            return fail(ServiceError::Refused("a cleanup is prepared first".into()));
        }
    })
}

/// A field's properties in a few words: `choice (Gold, Silver), required, visible, column`.
pub fn describe(def: &FieldDef) -> String {
    let mut parts = vec![if def.choices.is_empty() {
        def.kind.as_str().to_owned()
    } else {
        format!("{} ({})", def.kind.as_str(), def.choices.join(", "))
    }];
    for (on, word) in [
        (def.required, "required"),
        (def.customer_visible, "visible to the customer"),
        (def.column, "shown as a column"),
    ] {
        if on {
            parts.push(word.to_owned());
        }
    }
    parts.join(", ")
}
