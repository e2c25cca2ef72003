//! The services dialog of a customer's detail view: one choice per service of the catalogue —
//! follow the catalogue's default, or on, or off for this customer. Only the services changed
//! are sent; the rules are the service's.

use crate::domain::AuditAction;
use crate::domain::services::ServiceSource;
use crate::service::{AccountCommand, Command, CustomerDetail};
use crate::tui::action::Effect;
use crate::tui::modals::{Field, FormKind, FormState};

use super::forms::Submitted;

/// The key every service's choice shares; its label is the service's name.
const SERVICE_KEY: &str = "service";
const INHERIT: &str = "catalogue's default";
const ON: &str = "on";
const OFF: &str = "off";

/// The dialog for the customer `detail` shows, each choice at the customer's current setting.
pub fn services_form(detail: &CustomerDetail) -> FormState {
    let fields = detail
        .account
        .services
        .iter()
        .map(|s| {
            let chosen = match (s.source, s.on) {
                (ServiceSource::Inherited, _) => 0,
                (ServiceSource::Overridden, true) => 1,
                (ServiceSource::Overridden, false) => 2,
            };
            Field::choice(s.name.clone(), SERVICE_KEY, vec![INHERIT, ON, OFF], chosen)
        })
        .collect();
    let mut form = FormState::new(
        FormKind::Services {
            slug: detail.row.slug.clone(),
        },
        "Services",
        fields,
    );
    form.note = Some(
        "Space changes a choice. The catalogue's default follows the catalogue when it changes."
            .into(),
    );
    form
}

/// Turns the services dialog into its command: the choices changed, or nothing.
pub fn submit(form: &mut FormState) -> Submitted {
    let FormKind::Services { slug } = form.kind.clone() else {
        return Submitted::NotOurs;
    };
    let (mut enable, mut disable, mut inherit) = (Vec::new(), Vec::new(), Vec::new());
    for field in form
        .fields
        .iter()
        .filter(|f| f.key == SERVICE_KEY && f.is_changed())
    {
        let name = field.label.to_string();
        match field.value().as_str() {
            ON => enable.push(name),
            OFF => disable.push(name),
            _ => inherit.push(name),
        }
    }
    if enable.is_empty() && disable.is_empty() && inherit.is_empty() {
        return Submitted::Unchanged;
    }
    Submitted::Run(Box::new(Effect::Execute {
        command: Command::Account(AccountCommand::Services {
            slug,
            enable,
            disable,
            inherit,
        }),
        done: AuditAction::CustomerServices.done_phrase().into(),
    }))
}
