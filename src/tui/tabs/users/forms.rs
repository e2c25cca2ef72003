//! The Users tab's forms: add and edit, and what submitting each asks for. Pure: a
//! submission becomes a command to run, "nothing changed", or "not ours"; the service checks
//! every value and its refusals come back to the field they name.

use crate::domain::text::display_safe;
use crate::domain::{AuditAction, CustomerRole};
use crate::service::{NewUser, UserChanges, UserCommand, UserRow};
use crate::tui::action::Effect;
use crate::tui::modals::{Field, FormKind, FormState};
use crate::tui::tabs::customers::forms::Submitted;

/// The customer roles, in the order of the forms' choice.
pub const ROLES: [CustomerRole; 3] = [
    CustomerRole::Member,
    CustomerRole::Moderator,
    CustomerRole::Administrator,
];

pub fn role_names() -> Vec<&'static str> {
    ROLES.iter().map(|r| r.as_str()).collect()
}

/// The role chosen in a form (the choice offers only `ROLES`).
pub fn role_of(value: &str) -> CustomerRole {
    ROLES
        .into_iter()
        .find(|r| r.as_str() == value)
        .unwrap_or(CustomerRole::Member)
}

const SWITCH: [&str; 2] = ["on", "off"];

/// Adds a user to a customer; `customer` prefills the slug (the one the operator came from).
pub fn add_form(customer: &str) -> FormState {
    let mut form = FormState::new(
        FormKind::AddUser,
        "Add user",
        vec![
            Field::text("Customer (slug)", "customer", customer),
            Field::text("Email", "email", ""),
            Field::text("First name", "first name", ""),
            Field::text("Last name", "last name", ""),
            Field::choice("Role", "role", role_names(), 0),
            Field::text("Language", "language", ""),
        ],
    );
    form.note = Some(
        "No message is sent: the user sets a password through a reset (r on the Users tab). An empty language is the customer's."
            .into(),
    );
    form
}

/// Adds a user to the customer of a customer's own view: the customer is the session's own
/// and cannot be typed over (a choice of one), and the password comes from a reset the user
/// asks for on the sign-in screen.
pub fn add_form_in_own(customer: &str) -> FormState {
    let mut form = add_form(customer);
    if let Some(field) = form.fields.first_mut() {
        *field = Field::choice("Customer", "customer", vec![customer.to_owned()], 0);
    }
    form.next_field();
    form.note = Some(
        "No message is sent: the user sets a password with \"forgot password\" on the sign-in screen. An empty language is the customer's."
            .into(),
    );
    form
}

/// Edits names, language, notifications, and the role in one of the user's customers.
pub fn edit_form(row: &UserRow) -> FormState {
    let first = row.customers.first();
    let role = first
        .and_then(|c| ROLES.iter().position(|r| r.as_str() == c.role))
        .unwrap_or(0);
    let mut form = FormState::new(
        FormKind::EditUser {
            email: row.email.clone(),
        },
        format!("Edit {}", display_safe(&row.email)),
        vec![
            Field::text("First name", "first name", &row.first_name),
            Field::text("Last name", "last name", &row.last_name),
            Field::text("Language", "language", &row.language),
            Field::choice(
                "Notifications",
                "notifications",
                SWITCH.to_vec(),
                usize::from(!row.notifications),
            ),
            Field::text(
                "Role in (slug)",
                "customer",
                first.map_or("", |c| c.slug.as_str()),
            ),
            Field::choice("Role", "role", role_names(), role),
        ],
    );
    form.note = Some(format!(
        "customers: {}",
        display_safe(&super::columns::customers(row))
    ));
    form
}

/// Edits a user in the customer of a customer's own view: the role is the one in that
/// customer, named as a fixed choice rather than a slug to type.
pub fn edit_form_in_own(row: &UserRow, customer: &str) -> FormState {
    let mut form = edit_form(row);
    if let Some(field) = form.fields.iter_mut().find(|f| f.key == "customer") {
        *field = Field::choice("Role in", "customer", vec![customer.to_owned()], 0);
    }
    form
}

/// Turns a Users form's values into what it asks for.
pub fn submit(form: &FormState) -> Submitted {
    let optional = |key: &str| Some(form.value(key)).filter(|v| !v.trim().is_empty());
    let changed = |key: &str| {
        form.fields
            .iter()
            .find(|f| f.key == key && f.is_changed())
            .map(Field::value)
    };
    match &form.kind {
        FormKind::AddUser => Submitted::Run(Box::new(Effect::Execute {
            command: UserCommand::Add(NewUser {
                customer: form.value("customer"),
                email: form.value("email"),
                first_name: form.value("first name"),
                last_name: form.value("last name"),
                role: role_of(&form.value("role")),
                language: optional("language"),
                fields: Vec::new(),
            })
            .into(),
            done: AuditAction::UserAdd.done_phrase().into(),
        })),
        FormKind::EditUser { email } => {
            // A role is changed in the customer named; naming another customer with the
            // same role is a change too.
            let role = (changed("role").is_some() || changed("customer").is_some())
                .then(|| role_of(&form.value("role")));
            let changes = UserChanges {
                first_name: changed("first name"),
                last_name: changed("last name"),
                language: changed("language"),
                notifications: changed("notifications").map(|v| v == "on"),
                customer: role.and(optional("customer")),
                role,
                fields: Vec::new(),
            };
            if changes == UserChanges::default() {
                return Submitted::Unchanged;
            }
            Submitted::Run(Box::new(Effect::Execute {
                command: UserCommand::Edit {
                    email: email.clone(),
                    changes,
                }
                .into(),
                done: AuditAction::UserEdit.done_phrase().into(),
            }))
        }
        _ => Submitted::NotOurs,
    }
}
