//! The Invitations tab's form: inviting a person into a customer, and its keys. Pure: the
//! submission becomes the create command; the service checks every value and its refusals
//! come back to the field they name.

use crate::domain::{AuditAction, ValidationError};
use crate::service::{InvitationCommand, NewInvitation};
use crate::tui::action::{Action, Effect};
use crate::tui::keymap_defaults::{Row, navigation};
use crate::tui::modals::{Field, FormKind, FormState};
use crate::tui::tabs::customers::forms::Submitted;
use crate::tui::tabs::users::forms::{role_names, role_of};

/// Invites a person; `customer` prefills the slug (the selected invitation's).
pub fn invite_form(customer: &str) -> FormState {
    let mut form = FormState::new(
        FormKind::Invite,
        "Invite",
        vec![
            Field::text("Customer (slug)", "customer", customer),
            Field::text("Email", "email", ""),
            Field::text("First name", "first name", ""),
            Field::text("Last name", "last name", ""),
            Field::choice("Role", "role", role_names(), 0),
            Field::text("Language", "language", ""),
            Field::text("Valid for (days)", "expires-days", "7"),
        ],
    );
    form.note = Some(
        "The invitation message goes to the outbox; its code is shown once after saving. An empty language is the customer's."
            .into(),
    );
    form
}

/// Invites a person into the customer of a customer's own view: the customer is the
/// session's own, a fixed choice of one, and the form starts at the email.
pub fn invite_form_in_own(customer: &str) -> FormState {
    let mut form = invite_form(customer);
    if let Some(field) = form.fields.first_mut() {
        *field = Field::choice("Customer", "customer", vec![customer.to_owned()], 0);
    }
    form.next_field();
    form
}

/// Turns the invite form's values into the create command.
pub fn submit(form: &mut FormState) -> Submitted {
    if form.kind != FormKind::Invite {
        return Submitted::NotOurs;
    }
    let days = form.value("expires-days");
    let expires_days = match days.trim() {
        "" => None,
        text => match text.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                form.refuse(&ValidationError::new(
                    "expires-days",
                    "type a number of days from 1 to 30",
                ));
                return Submitted::Refused;
            }
        },
    };
    let language = Some(form.value("language")).filter(|v| !v.trim().is_empty());
    Submitted::Run(Box::new(Effect::Execute {
        command: InvitationCommand::Create(NewInvitation {
            customer: form.value("customer"),
            email: form.value("email"),
            first_name: form.value("first name"),
            last_name: form.value("last name"),
            role: role_of(&form.value("role")),
            language,
            expires_days,
        })
        .into(),
        done: AuditAction::InvitationCreate.done_phrase().into(),
    }))
}

pub fn keys() -> Vec<Row> {
    let mut rows = navigation();
    rows.extend([
        (
            &["/"][..],
            Action::StartFilter,
            "filter (email, name, customer)",
            true,
        ),
        (&["esc"][..], Action::ClearFilter, "clear the filter", false),
        (
            &["f"][..],
            Action::CycleStatus,
            "status shown (pending, expired, accepted, revoked, all)",
            true,
        ),
        (&["a"][..], Action::Invite, "invite", true),
        (
            &["r"][..],
            Action::ResendInvitation,
            "resend (a new code; the old one stops working; asks to confirm)",
            true,
        ),
        (
            &["x"][..],
            Action::RevokeInvitation,
            "revoke (asks to confirm)",
            true,
        ),
        (
            &["d", "delete"][..],
            Action::DeleteInvitation,
            "delete (asks to confirm)",
            false,
        ),
        (
            &["o"][..],
            Action::SortNext,
            "sort (by the next column)",
            false,
        ),
        (&["O"][..], Action::SortReverse, "reverse the sort", false),
        (
            &["-"][..],
            Action::HideColumn,
            "hide a column (the next that gives way; remembered)",
            false,
        ),
        (
            &["+"][..],
            Action::ShowColumn,
            "show the hidden column again (remembered)",
            false,
        ),
    ]);
    rows
}
