//! The Customers tab's forms: add, edit and change slug, and what submitting each asks for;
//! and the dialog that makes a customer independent.
//! Pure: a submission becomes a command to run, a confirm dialog, a refusal shown in the
//! form, or "nothing changed"; the app carries that out.

use std::collections::BTreeMap;

use crate::domain::text::display_safe;
use crate::domain::{AuditAction, CustomerKind, Slug, ValidationError};
use crate::service::{
    CustomerChanges, CustomerCommand, CustomerRow, FieldRow, IndependenceCommand, NewCustomer,
    OwnerSpec,
};
use crate::tui::action::{Action, Effect};
use crate::tui::modals::custom_fields;
use crate::tui::modals::{ConfirmState, Field, FormKind, FormState};

/// The customer types, in the order of the form's choice.
const KINDS: [CustomerKind; 2] = [CustomerKind::Corporate, CustomerKind::Individual];

fn kind_names() -> Vec<&'static str> {
    KINDS.iter().map(|k| k.as_str()).collect()
}

/// The type chosen in a form (the choice offers only `KINDS`).
fn kind_of(form_value: &str) -> CustomerKind {
    KINDS
        .into_iter()
        .find(|k| k.as_str() == form_value)
        .unwrap_or_default()
}

/// The add form; `fields` are the custom fields of customers in use, asked after the rest.
pub fn add_form(fields: &[FieldRow]) -> FormState {
    let mut form = FormState::new(
        FormKind::AddCustomer,
        "Add customer",
        vec![
            Field::text("Name", "name", ""),
            Field::text("Slug", "slug", ""),
            Field::choice("Type", "type", kind_names(), 0),
            Field::text("Language", "language", "en"),
            Field::text("Owner email", "owner email", ""),
            Field::text("Owner first name", "owner first name", ""),
            Field::text("Owner last name", "owner last name", ""),
            Field::text("Contact email", "email", ""),
            Field::text("Contact phone", "phone", ""),
            Field::text("Address", "address", ""),
            Field::text("Website", "website", ""),
        ],
    );
    with_custom_fields(&mut form, fields, &BTreeMap::new());
    form
}

/// Adds the inputs of the custom fields to `form`, holding `values`.
fn with_custom_fields(
    form: &mut FormState,
    fields: &[FieldRow],
    values: &BTreeMap<String, String>,
) {
    let inputs = custom_fields::inputs(fields, values);
    if inputs.iter().any(|f| f.label.ends_with('*')) {
        form.note = Some(match form.note.take() {
            Some(note) => format!("{note}; * a value is required"),
            None => "* a value is required".to_owned(),
        });
    }
    form.fields.extend(inputs);
}

/// The edit form of `row`; `fields` are the custom fields of customers in use.
pub fn edit_form(row: &CustomerRow, fields: &[FieldRow]) -> FormState {
    let kind = row.kind;
    let choice = KINDS.iter().position(|k| *k == kind).unwrap_or(0);
    let mut form = FormState::new(
        FormKind::EditCustomer {
            slug: row.slug.clone(),
        },
        format!("Edit {}", display_safe(&row.name)),
        vec![
            Field::text("Name", "name", &row.name),
            Field::choice("Type", "type", kind_names(), choice),
            Field::text("Language", "language", &row.language),
            Field::text(
                "Contact email",
                "email",
                row.contact_email.as_deref().unwrap_or(""),
            ),
            Field::text(
                "Contact phone",
                "phone",
                row.contact_phone.as_deref().unwrap_or(""),
            ),
            Field::text(
                "Address",
                "address",
                row.postal_address.as_deref().unwrap_or(""),
            ),
            Field::text("Website", "website", row.website.as_deref().unwrap_or("")),
        ],
    );
    form.note = Some(format!(
        "slug: {} (change it with c, asked to confirm)",
        row.slug
    ));
    with_custom_fields(&mut form, fields, &row.fields);
    form
}

pub fn change_slug_form(slug: &str, name: &str) -> FormState {
    let mut form = FormState::new(
        FormKind::ChangeSlug {
            slug: slug.to_owned(),
            name: name.to_owned(),
        },
        format!("Change the slug of {}", display_safe(name)),
        vec![Field::text("New slug", "slug", slug)],
    );
    form.note = Some(format!(
        "current slug: {slug}; you will be asked to confirm"
    ));
    form
}

/// What submitting a customer form asks for.
#[derive(Debug)]
pub enum Submitted {
    Run(Box<Effect>),
    /// The edit changed nothing: close the form and say so.
    Unchanged,
    Confirm(Box<ConfirmState>),
    /// The form shows why (its error is set).
    Refused,
    /// Not a customer form.
    NotOurs,
}

/// Turns a customer form's values into what it asks for.
pub fn submit(form: &mut FormState) -> Submitted {
    let optional = |key: &str| Some(form.value(key)).filter(|v| !v.trim().is_empty());
    match form.kind.clone() {
        FormKind::AddCustomer => {
            let owner = optional("owner email").map(|email| OwnerSpec {
                email,
                first_name: optional("owner first name"),
                last_name: optional("owner last name"),
                password: None,
            });
            let new = NewCustomer {
                name: form.value("name"),
                // The slug field as shown: the name's slug unless the operator edited it.
                slug: optional("slug"),
                kind: kind_of(&form.value("type")),
                status: None,
                language: Some(form.value("language")),
                owner,
                contact_email: optional("email"),
                contact_phone: optional("phone"),
                postal_address: optional("address"),
                website: optional("website"),
                system: None,
                fields: custom_fields::values(form, false)
                    .into_iter()
                    .filter(|(_, v)| !v.is_empty())
                    .collect(),
            };
            Submitted::Run(Box::new(Effect::Execute {
                command: CustomerCommand::Add(new).into(),
                done: crate::domain::AuditAction::CustomerAdd.done_phrase().into(),
            }))
        }
        FormKind::EditCustomer { slug } => {
            let changed = |key: &str| {
                form.fields
                    .iter()
                    .find(|f| f.key == key && f.is_changed())
                    .map(Field::value)
            };
            let changes = CustomerChanges {
                name: changed("name"),
                slug: None,
                kind: changed("type").map(|k| kind_of(&k)),
                language: changed("language"),
                contact_email: changed("email"),
                contact_phone: changed("phone"),
                postal_address: changed("address"),
                website: changed("website"),
                fields: custom_fields::values(form, true),
            };
            if changes == CustomerChanges::default() {
                return Submitted::Unchanged;
            }
            Submitted::Run(Box::new(Effect::Execute {
                command: CustomerCommand::Edit { slug, changes }.into(),
                done: crate::domain::AuditAction::CustomerEdit
                    .done_phrase()
                    .into(),
            }))
        }
        FormKind::ChangeSlug { slug, name } => {
            let new = form.value("slug").trim().to_owned();
            if new == slug {
                form.refuse(&ValidationError::new("slug", "that is already its slug"));
                return Submitted::Refused;
            }
            if let Err(e) = Slug::parse("slug", &new) {
                form.refuse(&e);
                return Submitted::Refused;
            }
            let text = format!(
                "Change the slug of \"{}\" from {slug} to {new}? Scripts and links that use {slug} will stop working.",
                display_safe(&name)
            );
            let run = Action::Run {
                command: Box::new(
                    CustomerCommand::Edit {
                        slug,
                        changes: CustomerChanges {
                            slug: Some(new),
                            ..CustomerChanges::default()
                        },
                    }
                    .into(),
                ),
                done: crate::domain::AuditAction::SLUG_CHANGED.into(),
            };
            Submitted::Confirm(Box::new(
                ConfirmState::new("Change slug", text, run).answers("change the slug", "keep"),
            ))
        }
        _ => Submitted::NotOurs,
    }
}

/// Asks before a customer becomes an independent organisation, with its slug typed: only its
/// own administrators can undo it.
pub fn make_independent_confirm(slug: &str, name: &str) -> ConfirmState {
    let text = format!(
        "Make \"{}\" ({slug}) an independent organisation? It then manages its own users, invitations and groups; staff can no longer impersonate or delete it, and only its own administrators can hand it back. Type its slug to confirm.",
        display_safe(name)
    );
    let run = Action::Run {
        command: Box::new(
            IndependenceCommand::MakeIndependent {
                slug: slug.to_owned(),
            }
            .into(),
        ),
        done: AuditAction::CustomerIndependent.done_phrase().into(),
    };
    ConfirmState::new("Make independent", text, run)
        .answers("make independent", "keep managing it")
        .requiring(slug)
}
