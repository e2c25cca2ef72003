//! The Customers tab: a [`TableView`] over the compact [`CustomerIndex`] (which answers the
//! filter and the sort per keystroke), the detail view of one customer, and the actions on
//! the selected customer, asked to confirm where it matters.
//!
//! It changes only itself and the modal stack; every service call leaves as an effect.

mod columns;
pub mod copy_form;
mod detail;
pub mod forms;
pub mod groups_form;
mod offers;
pub mod services_form;

use columns::COLUMNS;
pub use columns::column_widths;
pub use columns::field_columns;
pub use offers::no_privilege;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;

use super::{TabCtx, TabPane};
use crate::domain::text::display_safe;
use crate::domain::{AuditAction, CustomerStatus};
use crate::service::{
    AllowedActions, CustomerAction, CustomerCommand, CustomerDetail, CustomerIndex, Denial,
    IndexEntry, Outcome,
};
use crate::tui::action::{Action, Effect};
use crate::tui::app::StatusKind;
use crate::tui::keymap::Context;
use crate::tui::layout;
use crate::tui::modals::{ConfirmState, Modal};
use crate::tui::render::text::zone;
use crate::tui::table::{TableView, View, draw_empty};

#[derive(Debug, Clone)]
pub struct CustomersTab {
    pub table: TableView<CustomerIndex>,
    /// True until the background load of the whole list has finished.
    pub loading: bool,
    pub detail: Option<Box<CustomerDetail>>,
    /// Lines scrolled off the top of the detail view (a customer can have many members).
    pub detail_scroll: u16,
    /// A slug whose detail is being loaded to open the edit form rather than the view.
    pub pending_edit: Option<(String, FormAfterLoad)>,
    /// The custom fields of customers in use, for the forms.
    pub fields: Vec<crate::service::FieldRow>,
    /// Those shown as columns, whose values the index entries keep.
    pub field_columns: Vec<String>,
}

impl Default for CustomersTab {
    fn default() -> Self {
        Self {
            table: TableView::new(CustomerIndex::new(), COLUMNS),
            loading: true,
            detail: None,
            detail_scroll: 0,
            pending_edit: None,
            fields: Vec::new(),
            field_columns: Vec::new(),
        }
    }
}

/// The customer an action applies to: the one in the detail view, else the selected row.
/// The form a detail load was asked for, opened once the customer is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormAfterLoad {
    Edit,
    Copy,
}

struct Target {
    slug: String,
    name: String,
    /// What the service says this session may do to it.
    allowed: AllowedActions,
}

/// The effect remembering a table's hidden columns, when they changed.
pub(super) fn remember(changed: bool, table: &str, hidden: Vec<String>) -> Vec<Effect> {
    if changed {
        vec![Effect::RememberColumns {
            table: table.into(),
            hidden,
        }]
    } else {
        Vec::new()
    }
}

/// What the status key does: activate a customer the service says is already suspended,
/// otherwise suspend.
fn toggle(allowed: AllowedActions) -> CustomerAction {
    match allowed.denial(CustomerAction::Suspend) {
        Some(Denial::AlreadyStatus(_)) => CustomerAction::Activate,
        _ => CustomerAction::Suspend,
    }
}

impl CustomersTab {
    pub fn selected(&self) -> Option<&IndexEntry> {
        self.table.selected()
    }

    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// The compact list of live customers behind the table.
    pub fn index(&self) -> &CustomerIndex {
        &self.table.source
    }

    fn target(&self) -> Option<Target> {
        match &self.detail {
            Some(d) => Some(Target {
                slug: d.row.slug.clone(),
                name: d.row.name.clone(),
                allowed: d.row.allowed,
            }),
            None => self.selected().map(|e| Target {
                slug: e.slug.clone(),
                name: e.name.clone(),
                allowed: e.allowed,
            }),
        }
    }

    /// Results of the loads this tab asked for.
    fn loaded(&mut self, action: Action, cx: &mut TabCtx<'_>) -> Vec<Effect> {
        let h = cx.height();
        match action {
            Action::CustomerFields(fields) => {
                self.field_columns = columns::field_columns(&fields);
                self.table
                    .set_columns(columns::with_fields(&self.field_columns));
                self.fields = fields;
            }
            Action::FirstPage(rows) => {
                let n = rows.len();
                let names = &self.field_columns;
                self.table
                    .source
                    .extend(rows.iter().map(|r| IndexEntry::from_row(r, names)));
                self.table.reselect(None, h);
                return vec![Effect::StartIndexLoad { offset: n }];
            }
            Action::IndexChunk(entries) => {
                let id = self.selected().map(|e| e.id);
                self.table.source.extend(entries);
                self.table.reselect(id, h);
            }
            Action::IndexLoaded => self.loading = false,
            Action::DetailLoaded(detail) => {
                let pending = self.pending_edit.take();
                if let Some((_, form)) = pending.filter(|(slug, _)| *slug == detail.row.slug) {
                    let form = match form {
                        FormAfterLoad::Edit => forms::edit_form(&detail.row, &self.fields),
                        FormAfterLoad::Copy => copy_form::copy_form(&detail),
                    };
                    cx.push(Modal::Form(Box::new(form)));
                } else {
                    // A refresh of the customer shown keeps the scroll position.
                    let same = self
                        .detail
                        .as_ref()
                        .is_some_and(|d| d.row.id == detail.row.id);
                    self.detail = Some(detail);
                    if !same {
                        self.detail_scroll = 0;
                    }
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// Actions on the selected customer (or the one in the detail view).
    fn command(&mut self, action: Action, cx: &mut TabCtx<'_>) -> Vec<Effect> {
        let Some(Target {
            slug,
            name,
            allowed,
        }) = self.target()
        else {
            return Vec::new();
        };
        // The service computed what this session may do to the customer; the console offers
        // only that, and says the service's reason for the rest.
        let wanted = match action {
            Action::EditCustomer => Some(CustomerAction::Edit),
            Action::CopyCustomer => Some(CustomerAction::Copy),
            Action::CustomerGroups => Some(CustomerAction::Groups),
            Action::CustomerServices => Some(CustomerAction::Services),
            Action::ChangeSlug => Some(CustomerAction::ChangeSlug),
            Action::ToggleStatus => Some(toggle(allowed)),
            Action::DeleteCustomer => Some(CustomerAction::Delete),
            Action::MakeIndependent => Some(CustomerAction::MakeIndependent),
            _ => None,
        };
        if let Some(reason) = wanted.and_then(|a| allowed.refusal(a, &slug, &name)) {
            cx.set_status(StatusKind::Error, reason);
            return Vec::new();
        }
        match action {
            Action::OpenDetail => vec![Effect::LoadDetail(slug)],
            Action::EditCustomer => match &self.detail {
                Some(d) => {
                    cx.push(Modal::Form(Box::new(forms::edit_form(
                        &d.row,
                        &self.fields,
                    ))));
                    Vec::new()
                }
                None => {
                    self.pending_edit = Some((slug.clone(), FormAfterLoad::Edit));
                    vec![Effect::LoadDetail(slug)]
                }
            },
            Action::CustomerGroups => {
                if let Some(d) = &self.detail {
                    cx.push(Modal::Form(Box::new(groups_form::groups_form(d))));
                }
                Vec::new()
            }
            Action::CustomerServices => {
                if let Some(d) = &self.detail {
                    cx.push(Modal::Form(Box::new(services_form::services_form(d))));
                }
                Vec::new()
            }
            // The dialog lists the services the customer has on: read them first.
            Action::CopyCustomer => match &self.detail {
                Some(d) => {
                    cx.push(Modal::Form(Box::new(copy_form::copy_form(d))));
                    Vec::new()
                }
                None => {
                    self.pending_edit = Some((slug.clone(), FormAfterLoad::Copy));
                    vec![Effect::LoadDetail(slug)]
                }
            },
            Action::ChangeSlug => {
                cx.push(Modal::Form(Box::new(forms::change_slug_form(&slug, &name))));
                Vec::new()
            }
            // A status change asks first, the safe answer the default (D66).
            Action::ToggleStatus => {
                let shown = display_safe(&name);
                let pending = allowed.denial(CustomerAction::Suspend)
                    == Some(Denial::AlreadyStatus(CustomerStatus::Pending));
                let (status, done, title, text, yes, no) = match toggle(allowed) {
                    CustomerAction::Activate if pending => (
                        CustomerStatus::Active,
                        AuditAction::CustomerActivate.done_phrase(),
                        "Activate customer",
                        format!(
                            "Activate \"{shown}\" ({slug})? Its users can sign in from then on."
                        ),
                        "activate",
                        "keep pending",
                    ),
                    CustomerAction::Activate => (
                        CustomerStatus::Active,
                        AuditAction::CustomerActivate.done_phrase(),
                        "Activate customer",
                        format!("Activate \"{shown}\" ({slug}) again?"),
                        "activate",
                        "keep suspended",
                    ),
                    _ => (
                        CustomerStatus::Suspended,
                        AuditAction::CustomerSuspend.done_phrase(),
                        "Suspend customer",
                        format!(
                            "Suspend \"{shown}\" ({slug})? It stays suspended until someone activates it again."
                        ),
                        "suspend",
                        "keep active",
                    ),
                };
                let run = Action::Run {
                    command: Box::new(CustomerCommand::SetStatus { slug, status }.into()),
                    done: done.into(),
                };
                cx.push(Modal::confirm(
                    ConfirmState::new(title, text, run).answers(yes, no),
                ));
                Vec::new()
            }
            Action::MakeIndependent => {
                cx.push(Modal::confirm(forms::make_independent_confirm(
                    &slug, &name,
                )));
                Vec::new()
            }
            Action::DeleteCustomer => {
                let text = format!(
                    "Move \"{}\" ({slug}) to the trash? It can be restored from the Trash tab until it is purged automatically.",
                    display_safe(&name)
                );
                let run = Action::Run {
                    command: Box::new(CustomerCommand::SoftDelete { slug }.into()),
                    done: AuditAction::CustomerDelete.done_phrase().into(),
                };
                cx.push(Modal::confirm(
                    ConfirmState::new("Delete customer", text, run)
                        .answers("move to the trash", "keep"),
                ));
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// After a command changed the customer shown in the detail view, the load that brings
    /// the rest of it (members, audit count) up to date; the outcome's row is already shown.
    pub fn detail_reload(&self, outcome: &Outcome) -> Option<Effect> {
        let shown = self.detail.as_ref()?;
        // A change to its groups answers with the groups alone: read the customer again.
        if matches!(outcome, Outcome::Groups(_)) {
            return Some(Effect::LoadDetail(shown.row.slug.clone()));
        }
        let Outcome::Customer(row) = outcome else {
            return None;
        };
        (shown.row.id == row.id && row.deleted_at.is_none())
            .then(|| Effect::LoadDetail(row.slug.clone()))
    }

    fn title<'a>(&self, view: &View) -> Vec<Span<'a>> {
        let theme = view.theme;
        let (sort, descending) = self.index().sort();
        let arrow = if descending { "↓" } else { "↑" };
        let mut spans = vec![
            Span::styled("Customers", theme.header()),
            Span::styled(
                format!(
                    " · sorted by {} {arrow} · dates {}",
                    sort.label(),
                    zone(view.utc_offset_secs)
                ),
                theme.dim(),
            ),
        ];
        if self.loading {
            spans.push(Span::styled(
                format!(" · loading… {} so far", self.index().len()),
                theme.warn(),
            ));
        }
        spans
    }
}

impl TabPane for CustomersTab {
    fn context(&self) -> Context {
        if self.table.filtering {
            Context::Filter
        } else if self.detail.is_some() {
            Context::Detail
        } else {
            Context::Customers
        }
    }

    fn update(&mut self, action: Action, cx: &mut TabCtx<'_>) -> Vec<Effect> {
        match action {
            Action::CustomerFields(_)
            | Action::FirstPage(_)
            | Action::IndexChunk(_)
            | Action::IndexLoaded
            | Action::DetailLoaded(_) => return self.loaded(action, cx),
            _ => {}
        }
        if self.detail.is_some() {
            if self.scroll_detail(&action, cx.height()) {
                return Vec::new();
            }
            return self.command(action, cx);
        }
        if self.table.handle(&action, cx.height()) {
            return Vec::new();
        }
        if let Some((changed, text)) =
            self.table
                .column_action(&action, cx.list().header.width, cx.height())
        {
            cx.set_status(StatusKind::Info, text);
            return remember(changed, "customers", self.table.hidden_names());
        }
        match action {
            // Refused before the form opens, not after it was filled in (D69).
            Action::AddCustomer if !self.offers(&action) => {
                cx.set_status(StatusKind::Error, no_privilege(AuditAction::CustomerAdd));
                Vec::new()
            }
            Action::AddCustomer => {
                cx.push(Modal::Form(Box::new(forms::add_form(&self.fields))));
                Vec::new()
            }
            other => self.command(other, cx),
        }
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, view: &View) {
        if self.detail.is_some() {
            return self.draw_detail(frame, area, view);
        }
        let list = layout::list_areas(area);
        self.table.draw(frame, list, self.title(view), view);
        if self.is_empty() && !self.loading {
            let text = if self.table.filter_text().is_empty() {
                "No customers yet. Press a to add one."
            } else {
                "No customer matches the filter. Esc clears it."
            };
            draw_empty(frame, list, text, 3, view);
        }
    }

    fn reset(&mut self) {
        // The columns hidden are the operator's view, not data: they survive a lock.
        let hidden = self.table.hidden;
        *self = Self::default();
        self.table.hidden = hidden;
    }

    fn apply(&mut self, outcome: &Outcome, action: AuditAction, height: usize) {
        let Outcome::Customer(row) = outcome else {
            return;
        };
        let id = self.selected().map(|e| e.id);
        if row.deleted_at.is_some() {
            self.table.source.remove(row.id);
            self.detail = None;
        } else {
            self.table
                .source
                .upsert(IndexEntry::from_row(row, &self.field_columns));
            if let Some(d) = &mut self.detail {
                if d.row.id == row.id {
                    d.refresh_row(row);
                }
            }
        }
        let keep = if action == AuditAction::CustomerAdd {
            Some(row.id)
        } else {
            id
        };
        self.table.reselect(keep, height);
    }

    fn role_offers(&self, action: &Action) -> bool {
        offers::role_offers(self.target().map(|t| t.allowed), action)
    }

    fn offers(&self, action: &Action) -> bool {
        offers::offers(self.target().map(|t| t.allowed), action)
    }

    fn resize(&mut self, height: usize) {
        self.table.reselect(None, height);
    }

    fn hint_label(&self, action: &Action) -> Option<&'static str> {
        match action {
            Action::ToggleStatus => Some(match self.target().map(|t| toggle(t.allowed)) {
                Some(CustomerAction::Activate) => "activate",
                _ => "suspend",
            }),
            _ => None,
        }
    }

    fn click(&mut self, column: u16, row: u16, cx: &mut TabCtx<'_>) -> Vec<Effect> {
        if self.detail.is_none() {
            self.table.click(cx.list(), column, row);
        }
        Vec::new()
    }
}
