//! The Customers tab's detail view: every field of one customer, its custom fields, its
//! members, its groups and its services, scrolled by the list keys while the table's selection stays where it was. Draws
//! and scrolls only.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::CustomersTab;
use crate::tui::action::Action;
use crate::tui::render::text::{custom_field_lines, detail_head, fit_middle, local};
use crate::tui::table::View;

/// Lines of the detail view above its services and members (title, fields with system and
/// plan, a possible deletion line and the members heading), for bounding its scroll.
const DETAIL_FIELD_LINES: usize = 19;

impl CustomersTab {
    /// Scrolls the open detail view, or closes it on Back. Returns false for any other action
    /// (the tab applies it to the customer shown).
    pub(super) fn scroll_detail(&mut self, action: &Action, height: usize) -> bool {
        let Some(detail) = &self.detail else {
            return false;
        };
        let services = match detail.account.services.len() {
            0 => 0,
            n => n + 1,
        };
        let groups = match detail.groups.len() {
            0 => 0,
            n => n + 1,
        };
        let custom = match detail.fields.len() {
            0 => 0,
            n => n + 1,
        };
        let lines = DETAIL_FIELD_LINES + services + groups + custom + detail.members.len();
        let max = u16::try_from(lines.saturating_sub(height)).unwrap_or(u16::MAX);
        let page = u16::try_from(height).unwrap_or(u16::MAX);
        let scroll = &mut self.detail_scroll;
        match action {
            Action::SelectNext | Action::ScrollDown => *scroll = scroll.saturating_add(1).min(max),
            Action::SelectPrev | Action::ScrollUp => *scroll = scroll.saturating_sub(1),
            Action::PageDown => *scroll = scroll.saturating_add(page).min(max),
            Action::PageUp => *scroll = scroll.saturating_sub(page),
            Action::SelectFirst => *scroll = 0,
            Action::SelectLast => *scroll = max,
            Action::Back => {
                self.detail = None;
                self.detail_scroll = 0;
            }
            _ => return false,
        }
        true
    }

    pub(super) fn draw_detail(&self, frame: &mut Frame<'_>, area: Rect, view: &View) {
        let Some(detail) = &self.detail else {
            return;
        };
        let theme = view.theme;
        let row = &detail.row;
        let offset = view.utc_offset_secs;
        let w = usize::from(area.width.saturating_sub(20));
        // Names, slugs and emails keep their end when cut: it often tells customers apart.
        let opt = |v: &Option<String>| v.as_deref().map_or("—".to_owned(), |s| fit_middle(s, w));
        let mut fields: Vec<(&str, String)> = vec![
            ("Name", fit_middle(&row.name, w)),
            ("Slug", fit_middle(&row.slug, w)),
            ("Type", row.kind.as_str().to_owned()),
            ("Status", row.status.as_str().to_owned()),
            ("Language", row.language.clone()),
            ("Owner", opt(&row.owner_name)),
            ("Owner email", opt(&row.owner_email)),
            ("Contact email", opt(&row.contact_email)),
            ("Contact phone", opt(&row.contact_phone)),
            ("Address", opt(&row.postal_address)),
            ("Website", opt(&row.website)),
            ("System", fit_middle(&detail.account.system, w)),
            (
                "Provider",
                if row.is_provider {
                    "yes (the platform's own company)".into()
                } else {
                    "no".into()
                },
            ),
            ("Created", local(row.created_at, offset)),
            ("Updated", local(row.updated_at, offset)),
            ("Audit events", detail.audit_events.to_string()),
            ("Id", row.id.to_string()),
        ];
        if let Some(at) = row.deleted_at {
            fields.push(("Deleted", local(at, offset)));
        }
        if let Some(since) = &detail.account.independent {
            let at = fields
                .iter()
                .position(|(label, _)| *label == "Provider")
                .map_or(fields.len(), |i| i + 1);
            let text = format!(
                "since {}, by {} (manages its own users)",
                local(since.since, offset),
                fit_middle(&since.by, 32)
            );
            fields.insert(at, ("Independent", text));
        }
        // Shown only to those who may see plans (the service leaves it out for the rest).
        if let Some(plan) = &detail.account.plan {
            let after_system = fields
                .iter()
                .position(|(label, _)| *label == "System")
                .map_or(fields.len(), |i| i + 1);
            fields.insert(after_system, ("Plan", fit_middle(&plan.describe(), w)));
        }
        let mut lines = detail_head(
            theme,
            format!("Customer {}", fit_middle(&row.name, w)),
            offset,
            fields,
        );
        lines.extend(custom_field_lines(theme, &detail.fields, w));
        lines.push(Line::from(Span::styled(
            format!("Members ({})", detail.members.len()),
            theme.header(),
        )));
        for m in &detail.members {
            let owner = if m.is_owner { " (owner)" } else { "" };
            lines.push(Line::from(format!(
                "  {}  {}  {}  {}{owner}",
                fit_middle(&m.name, 24),
                fit_middle(&m.email, 32),
                m.role,
                m.status
            )));
        }
        if !detail.groups.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("Groups ({})", detail.groups.len()),
                theme.header(),
            )));
            for group in &detail.groups {
                let members: Vec<String> =
                    group.members.iter().map(|m| fit_middle(m, 32)).collect();
                let members = match members.len() {
                    0 => "no members".to_owned(),
                    _ => members.join(", "),
                };
                lines.push(Line::from(vec![
                    Span::raw(format!("  {:<24}", fit_middle(&group.name, 24))),
                    Span::styled(members, theme.dim()),
                ]));
            }
        }
        if !detail.account.services.is_empty() {
            lines.push(Line::from(Span::styled(
                "Services (inherited from the catalogue unless overridden)",
                theme.header(),
            )));
            for service in &detail.account.services {
                let (on, style) = if service.on {
                    ("on ", theme.ok())
                } else {
                    ("off", theme.dim())
                };
                lines.push(Line::from(vec![
                    Span::raw(format!("  {:<24}", fit_middle(&service.name, 24))),
                    Span::styled(on, style),
                    Span::raw(format!("  {}", service.source.as_str())),
                ]));
            }
        }
        frame.render_widget(Paragraph::new(lines).scroll((self.detail_scroll, 0)), area);
    }
}
