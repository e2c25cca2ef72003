//! What actions do on the Customers and Trash tabs: moving the selection, filtering and
//! sorting, mouse clicks, and asking (through confirm dialogs where it matters) for the
//! commands that change the selected customer. No I/O: commands leave as effects.

use crate::domain::text::display_safe;
use crate::domain::{AuditAction, CustomerStatus};
use crate::service::{AllowedActions, CustomerAction, CustomerCommand, Denial};
use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, StatusKind};
use crate::tui::layout;
use crate::tui::modals::{ConfirmState, Field, FormKind, FormState, Modal};
use crate::tui::tabs::Tab;

/// Lines of the detail view above its member list (title, fields, a possible deletion line and
/// the members heading), for bounding its scroll.
const DETAIL_FIELD_LINES: usize = 17;

impl App {
    /// Keys on the Customers tab (table, filter line and detail view).
    pub(in crate::tui) fn customers_action(&mut self, action: Action) -> Vec<Effect> {
        let h = self.list_height();
        let len = self.customers.len();
        let tab = &mut self.customers;
        if let Some(detail) = &tab.detail {
            // The detail view scrolls; the table's selection stays where it was.
            let lines = DETAIL_FIELD_LINES + detail.members.len();
            let max = u16::try_from(lines.saturating_sub(h)).unwrap_or(u16::MAX);
            let page = u16::try_from(h).unwrap_or(u16::MAX);
            let scroll = &mut tab.detail_scroll;
            match action {
                Action::SelectNext | Action::ScrollDown => {
                    *scroll = scroll.saturating_add(1).min(max)
                }
                Action::SelectPrev | Action::ScrollUp => *scroll = scroll.saturating_sub(1),
                Action::PageDown => *scroll = scroll.saturating_add(page).min(max),
                Action::PageUp => *scroll = scroll.saturating_sub(page),
                Action::SelectFirst => *scroll = 0,
                Action::SelectLast => *scroll = max,
                Action::Back => {
                    tab.detail = None;
                    tab.detail_scroll = 0;
                }
                _ => return self.customer_command(action),
            }
            return Vec::new();
        }
        match action {
            Action::SelectNext | Action::ScrollDown => tab.cursor.move_by(1, len, h),
            Action::SelectPrev | Action::ScrollUp => tab.cursor.move_by(-1, len, h),
            Action::PageDown => tab.cursor.move_by(h as isize, len, h),
            Action::PageUp => tab.cursor.move_by(-(h as isize), len, h),
            Action::SelectFirst => tab.cursor.select(0, len, h),
            Action::SelectLast => tab.cursor.select(len.saturating_sub(1), len, h),
            Action::StartFilter => tab.filtering = true,
            Action::ClearFilter => tab.clear_filter(h),
            Action::SortNext => tab.sort_next(h),
            Action::SortReverse => {
                let (key, descending) = tab.index.sort();
                tab.sort(key, !descending, h);
            }
            Action::Submit if tab.filtering => tab.filtering = false,
            Action::Cancel if tab.filtering => tab.clear_filter(h),
            Action::Type(input) if tab.filtering => tab.type_filter(input, h),
            Action::AddCustomer => self.modals.push(Modal::Form(Box::new(Self::add_form()))),
            Action::ImportCustomers => return self.open_import(),
            _ => return self.customer_command(action),
        }
        Vec::new()
    }

    /// Actions on the selected customer (or the one in the detail view).
    fn customer_command(&mut self, action: Action) -> Vec<Effect> {
        let target = match &self.customers.detail {
            Some(d) => Some((d.row.slug.clone(), d.row.name.clone(), d.row.allowed)),
            None => self
                .customers
                .selected()
                .map(|e| (e.slug.clone(), e.name.clone(), e.allowed)),
        };
        let Some((slug, name, allowed)) = target else {
            return Vec::new();
        };
        // The service computed what this session may do to the customer; the console offers
        // only that, and says the service's reason for the rest.
        let wanted = match action {
            Action::EditCustomer => Some(CustomerAction::Edit),
            Action::ChangeSlug => Some(CustomerAction::ChangeSlug),
            Action::ToggleStatus => Some(toggle(allowed)),
            Action::DeleteCustomer => Some(CustomerAction::Delete),
            _ => None,
        };
        if let Some(reason) = wanted.and_then(|a| allowed.refusal(a, &slug, &name)) {
            self.set_status(StatusKind::Error, reason);
            return Vec::new();
        }
        match action {
            Action::OpenDetail => vec![Effect::LoadDetail(slug)],
            Action::EditCustomer => match &self.customers.detail {
                Some(d) => {
                    let form = Self::edit_form(&d.row);
                    self.modals.push(Modal::Form(Box::new(form)));
                    Vec::new()
                }
                None => {
                    self.customers.pending_edit = Some(slug.clone());
                    vec![Effect::LoadDetail(slug)]
                }
            },
            Action::ChangeSlug => {
                let mut form = FormState::new(
                    FormKind::ChangeSlug {
                        slug: slug.clone(),
                        name: name.clone(),
                    },
                    format!("Change the slug of {}", display_safe(&name)),
                    vec![Field::text("New slug", "slug", &slug)],
                );
                form.note = Some(format!(
                    "current slug: {slug}; you will be asked to confirm"
                ));
                self.modals.push(Modal::Form(Box::new(form)));
                Vec::new()
            }
            Action::ToggleStatus => {
                let (status, done) = if toggle(allowed) == CustomerAction::Activate {
                    (
                        CustomerStatus::Active,
                        AuditAction::CustomerActivate.past_tense(),
                    )
                } else {
                    (
                        CustomerStatus::Suspended,
                        AuditAction::CustomerSuspend.past_tense(),
                    )
                };
                vec![Effect::Execute {
                    command: CustomerCommand::SetStatus { slug, status }.into(),
                    done: done.into(),
                }]
            }
            Action::DeleteCustomer => {
                let text = format!(
                    "Move \"{}\" ({slug}) to the trash? It can be restored from the Trash tab until it is purged automatically.",
                    display_safe(&name)
                );
                let run = Action::Run {
                    command: Box::new(CustomerCommand::SoftDelete { slug }.into()),
                    done: "moved to the trash:".into(),
                };
                self.modals.push(Modal::confirm(ConfirmState::new(
                    "Delete customer",
                    text,
                    run,
                )));
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Keys on the Trash tab.
    pub(in crate::tui) fn trash_action(&mut self, action: Action) -> Vec<Effect> {
        let h = self.list_height();
        let len = self.trash.rows.len();
        let cursor = &mut self.trash.cursor;
        match action {
            Action::SelectNext | Action::ScrollDown => cursor.move_by(1, len, h),
            Action::SelectPrev | Action::ScrollUp => cursor.move_by(-1, len, h),
            Action::PageDown => cursor.move_by(h as isize, len, h),
            Action::PageUp => cursor.move_by(-(h as isize), len, h),
            Action::SelectFirst => cursor.select(0, len, h),
            Action::SelectLast => cursor.select(len.saturating_sub(1), len, h),
            Action::RestoreCustomer => {
                if let Some(row) = self.trash.selected() {
                    let allowed = row.allowed;
                    if let Some(reason) =
                        allowed.refusal(CustomerAction::Restore, &row.slug, &row.name)
                    {
                        self.set_status(StatusKind::Error, reason);
                        return Vec::new();
                    }
                    return vec![Effect::Execute {
                        command: CustomerCommand::Restore {
                            slug: row.slug.clone(),
                        }
                        .into(),
                        done: AuditAction::CustomerRestore.past_tense().into(),
                    }];
                }
            }
            Action::PurgeCustomer => {
                if let Some(row) = self.trash.selected() {
                    if let Some(reason) =
                        row.allowed
                            .refusal(CustomerAction::Purge, &row.slug, &row.name)
                    {
                        self.set_status(StatusKind::Error, reason);
                        return Vec::new();
                    }
                    let text = format!(
                        "Permanently delete \"{}\" and its memberships? This cannot be undone. Type its slug, {}, and press Enter.",
                        display_safe(&row.name),
                        row.slug
                    );
                    let run = Action::Run {
                        command: Box::new(
                            CustomerCommand::Purge {
                                slug: row.slug.clone(),
                            }
                            .into(),
                        ),
                        done: "permanently deleted".into(),
                    };
                    let confirm = ConfirmState::new("Delete permanently", text, run)
                        .requiring(row.slug.clone());
                    self.modals.push(Modal::confirm(confirm));
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// A click: a tab, a column header (sorts) or a row (selects).
    pub(in crate::tui) fn click(&mut self, column: u16, row: u16) -> Vec<Effect> {
        let areas = layout::areas(self.width, self.height);
        if row == areas.tabs.y {
            let hit = layout::tab_spans()
                .into_iter()
                .find(|(_, x, w)| column >= *x && column < x + w);
            if let Some((tab, _, _)) = hit {
                return self.update(Action::GoTab(tab.position()));
            }
            return Vec::new();
        }
        let list = layout::list_areas(areas.content);
        let h = self.list_height();
        if self.tab == Tab::Customers && self.customers.detail.is_none() {
            if row == list.header.y {
                if let Some(key) = layout::customer_column_at(self.width, column) {
                    self.customers.sort_by_column(key, h);
                }
            } else if row >= list.body.y && row < list.body.y + list.body.height {
                let n = self.customers.cursor.offset + usize::from(row - list.body.y);
                let len = self.customers.len();
                if n < len {
                    self.customers.cursor.select(n, len, h);
                }
            }
        } else if self.tab == Tab::Trash
            && row >= list.body.y
            && row < list.body.y + list.body.height
        {
            let n = self.trash.cursor.offset + usize::from(row - list.body.y);
            let len = self.trash.rows.len();
            if n < len {
                self.trash.cursor.select(n, len, h);
            }
        }
        Vec::new()
    }
}

/// What the status key does to a customer: activate one the service says is already
/// suspended, otherwise suspend.
fn toggle(allowed: AllowedActions) -> CustomerAction {
    match allowed.denial(CustomerAction::Suspend) {
        Some(Denial::AlreadyStatus(_)) => CustomerAction::Activate,
        _ => CustomerAction::Suspend,
    }
}
