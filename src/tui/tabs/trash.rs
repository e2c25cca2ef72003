//! The Trash tab: the trashed customers (a short list, loaded whole when the tab opens and
//! kept current from command outcomes), restoring one, and purging one after its slug is
//! typed. Its list is a [`TableView`] over a [`VecSource`]; newest deletion first.
//!
//! It changes only itself and the modal stack; restore and purge leave as effects.

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;

use super::{TabCtx, TabPane};
use crate::domain::AuditAction;
use crate::domain::text::display_safe;
use crate::service::{CustomerAction, CustomerCommand, CustomerRow, Outcome};
use crate::tui::action::{Action, Effect};
use crate::tui::app::StatusKind;
use crate::tui::keymap::Context;
use crate::tui::layout;
use crate::tui::modals::{ConfirmState, Modal};
use crate::tui::render::text::{day, days_left, zone};
use crate::tui::table::{
    Cell, Column, Cut, ListRow, TableView, Unsorted, VecSource, View, Width, draw_empty,
};

impl ListRow for CustomerRow {
    fn id(&self) -> u64 {
        self.id
    }

    fn matches(&self, needle: &str) -> bool {
        self.name.to_lowercase().contains(needle) || self.slug.contains(needle)
    }
}

/// Days left at or below which the count is shown as a warning.
const DAYS_LEFT_WARNING: i64 = 3;

/// Name and slug share the row (the slug whole when it fits); who deleted, then when, give
/// way on a narrow screen. Days left never does: it says when the row is gone for good.
const COLUMNS: &[Column<CustomerRow, Unsorted>] = &[
    Column {
        title: Cow::Borrowed("Name"),
        width: Width::Share(4),
        cell: |r, _| Cell::new(r.name.as_str()),
        sort: None,
        drop: 0,
        cut: Cut::Middle,
    },
    Column {
        title: Cow::Borrowed("Slug"),
        width: Width::Whole,
        cell: |r, _| Cell::new(r.slug.as_str()),
        sort: None,
        drop: 0,
        cut: Cut::Middle,
    },
    Column {
        title: Cow::Borrowed("Deleted"),
        width: Width::Fixed(11),
        cell: |r, v| {
            Cell::new(
                r.deleted_at
                    .map_or("—".into(), |t| day(t, v.now, v.utc_offset_secs)),
            )
        },
        sort: None,
        drop: 1,
        cut: Cut::End,
    },
    Column {
        title: Cow::Borrowed("Deleted by"),
        width: Width::Share(3),
        cell: |r, _| Cell::new(r.deleted_by.as_deref().unwrap_or("—")),
        sort: None,
        drop: 2,
        cut: Cut::Middle,
    },
    Column {
        title: Cow::Borrowed("Days left"),
        width: Width::Fixed(9),
        cell: |r, v| {
            let left = r.purge_at.map(|p| days_left(p, v.now));
            let style = if left.is_some_and(|d| d <= DAYS_LEFT_WARNING) {
                v.theme.warn()
            } else {
                Style::default()
            };
            Cell::new(left.map_or("—".to_owned(), |d| d.to_string())).styled(style)
        },
        sort: None,
        drop: 0,
        cut: Cut::End,
    },
];

#[derive(Debug, Clone)]
pub struct TrashTab {
    pub table: TableView<VecSource<CustomerRow, Unsorted>>,
    pub loaded: bool,
}

impl Default for TrashTab {
    fn default() -> Self {
        Self {
            table: TableView::new(VecSource::default(), COLUMNS),
            loaded: false,
        }
    }
}

impl TrashTab {
    pub fn selected(&self) -> Option<&CustomerRow> {
        self.table.selected()
    }

    /// Every trashed customer, newest deletion first.
    pub fn rows(&self) -> &[CustomerRow] {
        self.table.source.rows()
    }

    pub fn set_rows(&mut self, mut rows: Vec<CustomerRow>, height: usize) {
        rows.sort_by(|a, b| b.deleted_at.cmp(&a.deleted_at).then(a.slug.cmp(&b.slug)));
        self.table.source.set_rows(rows);
        self.loaded = true;
        self.table.reselect(None, height);
    }

    /// Adds or replaces a trashed customer, as an outcome reports it.
    pub fn upsert(&mut self, row: CustomerRow, height: usize) {
        let mut rows = self.table.source.take_rows();
        rows.retain(|r| r.id != row.id);
        rows.push(row);
        self.set_rows(rows, height);
    }

    pub fn remove(&mut self, id: u64, height: usize) {
        self.table.source.retain(|r| r.id != id);
        self.table.reselect(None, height);
    }

    pub fn remove_slug(&mut self, slug: &str, height: usize) {
        self.table.source.retain(|r| r.slug != slug);
        self.table.reselect(None, height);
    }

    fn purge_confirm(row: &CustomerRow) -> Modal {
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
            done: AuditAction::CustomerPurge.done_phrase().into(),
        };
        Modal::confirm(
            ConfirmState::new("Delete permanently", text, run)
                .requiring(row.slug.clone())
                .answers("delete permanently", "keep"),
        )
    }
}

impl TabPane for TrashTab {
    fn context(&self) -> Context {
        Context::Trash
    }

    fn update(&mut self, action: Action, cx: &mut TabCtx<'_>) -> Vec<Effect> {
        let h = cx.height();
        match action {
            Action::TrashLoaded(rows) => self.set_rows(rows, h),
            Action::Purged(slugs) => {
                for slug in &slugs {
                    self.remove_slug(slug, h);
                }
                if !slugs.is_empty() {
                    cx.set_status(
                        StatusKind::Info,
                        format!("purged {} expired customer(s) from the trash", slugs.len()),
                    );
                }
            }
            Action::RestoreCustomer => {
                if let Some(row) = self.selected() {
                    if let Some(reason) =
                        row.allowed
                            .refusal(CustomerAction::Restore, &row.slug, &row.name)
                    {
                        cx.set_status(StatusKind::Error, reason);
                        return Vec::new();
                    }
                    // Restoring makes a customer live again: asked first, like every change (D66).
                    let text = format!(
                        "Restore \"{}\" ({}) from the trash? It becomes a live customer again.",
                        display_safe(&row.name),
                        row.slug
                    );
                    let run = Action::Run {
                        command: Box::new(
                            CustomerCommand::Restore {
                                slug: row.slug.clone(),
                            }
                            .into(),
                        ),
                        done: AuditAction::CustomerRestore.done_phrase().into(),
                    };
                    cx.push(Modal::confirm(
                        ConfirmState::new("Restore customer", text, run)
                            .answers("restore", "keep in the trash"),
                    ));
                }
            }
            Action::PurgeCustomer => {
                if let Some(row) = self.selected() {
                    match row
                        .allowed
                        .refusal(CustomerAction::Purge, &row.slug, &row.name)
                    {
                        Some(reason) => cx.set_status(StatusKind::Error, reason),
                        None => cx.push(Self::purge_confirm(row)),
                    }
                }
            }
            other => {
                let width = cx.list().header.width;
                if let Some((changed, text)) = self.table.column_action(&other, width, h) {
                    cx.set_status(StatusKind::Info, text);
                    let hidden = self.table.hidden_names();
                    return super::customers::remember(changed, "trash", hidden);
                }
                self.table.handle(&other, h);
            }
        }
        Vec::new()
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, view: &View) {
        let theme = view.theme;
        let list = layout::list_areas(area);
        let title = vec![
            Span::styled("Trash", theme.header()),
            Span::styled(
                format!(
                    " · purged automatically when no days are left · dates {}",
                    zone(view.utc_offset_secs)
                ),
                theme.dim(),
            ),
        ];
        self.table.draw(frame, list, title, view);
        if self.rows().is_empty() {
            let text = if self.loaded {
                "The trash is empty."
            } else {
                "Loading the trash…"
            };
            draw_empty(frame, list, text, 1, view);
        }
    }

    fn reset(&mut self) {
        // The columns hidden are the operator's view, not data: they survive a lock.
        let hidden = self.table.hidden;
        *self = Self::default();
        self.table.hidden = hidden;
    }

    fn apply(&mut self, outcome: &Outcome, _action: AuditAction, height: usize) {
        match outcome {
            Outcome::Customer(row) if row.deleted_at.is_some() => self.upsert(row.clone(), height),
            Outcome::Customer(row) => self.remove(row.id, height),
            Outcome::Purged(slugs) => {
                for slug in slugs {
                    self.remove_slug(slug, height);
                }
            }
            _ => {}
        }
    }

    fn shown(&mut self) -> Vec<Effect> {
        vec![Effect::LoadTrash]
    }

    fn role_offers(&self, action: &Action) -> bool {
        let lacks = |a: CustomerAction| {
            self.selected().is_some_and(|r| {
                matches!(
                    r.allowed.denial(a),
                    Some(crate::service::Denial::Privilege(_))
                )
            })
        };
        match action {
            Action::RestoreCustomer => !lacks(CustomerAction::Restore),
            Action::PurgeCustomer => !lacks(CustomerAction::Purge),
            _ => true,
        }
    }

    /// Restore and purge as the service allows them on the selected row.
    fn offers(&self, action: &Action) -> bool {
        let allows = |a: CustomerAction| self.selected().is_some_and(|r| r.allowed.allows(a));
        match action {
            Action::RestoreCustomer => allows(CustomerAction::Restore),
            Action::PurgeCustomer => allows(CustomerAction::Purge),
            _ => true,
        }
    }

    fn resize(&mut self, height: usize) {
        self.table.reselect(None, height);
    }

    fn click(&mut self, column: u16, row: u16, cx: &mut TabCtx<'_>) -> Vec<Effect> {
        self.table.click(cx.list(), column, row);
        Vec::new()
    }
}
