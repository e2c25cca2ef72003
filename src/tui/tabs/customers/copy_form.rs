//! The copy dialog of a customer: the new name, then one checkbox per service the source has
//! on (each checked at first). Submitting asks the service for the copy; which services may be
//! copied, and everything else, is the service's rule.

use crate::domain::AuditAction;
use crate::service::{CopyCustomer, CustomerCommand, CustomerDetail};
use crate::tui::action::Effect;
use crate::tui::modals::{Field, FormKind, FormState};

use super::forms::Submitted;

/// The key every service checkbox shares; its label is the service's name.
const SERVICE_KEY: &str = "service";
const COPY: &str = "copy";
const SKIP: &str = "leave out";

/// The dialog for copying the customer `detail` shows.
pub fn copy_form(detail: &CustomerDetail) -> FormState {
    let row = &detail.row;
    let mut fields = vec![Field::text("New name", "name", "")];
    for service in detail.account.services.iter().filter(|s| s.on) {
        fields.push(Field::choice(
            service.name.clone(),
            SERVICE_KEY,
            vec![COPY, SKIP],
            0,
        ));
    }
    let mut form = FormState::new(
        FormKind::CopyCustomer {
            slug: row.slug.clone(),
        },
        "Copy customer",
        fields,
    );
    form.note = Some(format!(
        "A new pending customer like {}: the services checked (Space changes one), its plan, system and groups without members. No users or invitations.",
        crate::domain::text::display_safe(&row.slug)
    ));
    form
}

/// Turns the copy dialog into its command.
pub fn submit(form: &mut FormState) -> Submitted {
    let FormKind::CopyCustomer { slug } = form.kind.clone() else {
        return Submitted::NotOurs;
    };
    let services: Vec<String> = form
        .fields
        .iter()
        .filter(|f| f.key == SERVICE_KEY && f.value() == COPY)
        .map(|f| f.label.to_string())
        .collect();
    Submitted::Run(Box::new(Effect::Execute {
        command: CustomerCommand::Copy(CopyCustomer {
            source: slug,
            name: form.value("name"),
            services: Some(services),
        })
        .into(),
        done: AuditAction::CustomerCopy.done_phrase().into(),
    }))
}
