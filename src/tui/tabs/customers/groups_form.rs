//! The groups dialog of a customer's detail view: one change to its user groups at a time —
//! add or remove a group, put a user in one or take them out. The group is typed (any case)
//! and the user chosen from the customer's members. Who may, and what is valid, is the
//! service's rule.

use crate::domain::AuditAction;
use crate::service::{Command, CustomerDetail, GroupCommand};
use crate::tui::action::Effect;
use crate::tui::modals::{Field, FormKind, FormState};

use super::forms::Submitted;

const ADD_MEMBER: &str = "add a member";
const REMOVE_MEMBER: &str = "remove a member";
const ADD_GROUP: &str = "add a group";
const REMOVE_GROUP: &str = "remove a group";

/// The dialog for the customer `detail` shows; with no group yet it starts at adding one.
pub fn groups_form(detail: &CustomerDetail) -> FormState {
    let first = detail.groups.first().map_or("", |g| g.name.as_str());
    let todo = vec![ADD_MEMBER, REMOVE_MEMBER, ADD_GROUP, REMOVE_GROUP];
    let start = if detail.groups.is_empty() { 2 } else { 0 };
    let mut fields = vec![
        Field::choice("Change", "change", todo, start),
        Field::text("Group", "group", first),
    ];
    let emails: Vec<String> = detail.members.iter().map(|m| m.email.clone()).collect();
    if !emails.is_empty() {
        fields.push(Field::choice("Member", "email", emails, 0));
    }
    let mut form = FormState::new(
        FormKind::Groups {
            slug: detail.row.slug.clone(),
        },
        "User groups",
        fields,
    );
    form.note = Some(
        "Choose the change with Space; the group by name, any case; the member from its users."
            .into(),
    );
    form
}

/// Turns the groups dialog into its command.
pub fn submit(form: &mut FormState) -> Submitted {
    let FormKind::Groups { slug } = form.kind.clone() else {
        return Submitted::NotOurs;
    };
    let customer = slug;
    let group = form.value("group");
    let email = form.value("email");
    let safe = crate::domain::text::display_safe;
    let said_group = safe(group.trim());
    let said_member = format!("{} ({said_group})", safe(email.trim()));
    let (command, action, what) = match form.value("change").as_str() {
        ADD_GROUP => (
            GroupCommand::Add {
                customer,
                name: group,
            },
            AuditAction::GroupAdd,
            said_group,
        ),
        REMOVE_GROUP => (
            GroupCommand::Remove {
                customer,
                name: group,
            },
            AuditAction::GroupRemove,
            said_group,
        ),
        REMOVE_MEMBER => (
            GroupCommand::RemoveMember {
                customer,
                group,
                email,
            },
            AuditAction::GroupRemoveMember,
            said_member,
        ),
        _ => (
            GroupCommand::AddMember {
                customer,
                group,
                email,
            },
            AuditAction::GroupAddMember,
            said_member,
        ),
    };
    Submitted::Run(Box::new(Effect::Execute {
        command: Command::Group(command),
        // The outcome is the customer's groups; the line says which changed.
        done: format!("{} {what}", action.done_phrase()),
    }))
}
