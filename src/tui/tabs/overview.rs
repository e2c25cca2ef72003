//! The Overview tab of a customer's own view: the customer's profile and contact details as
//! its users see them, and, for its administrators, the contact details' form. Nobody in the
//! customer changes its name, slug, type or status; the form has no such fields and the
//! service refuses them from a customer session whatever is sent.
//!
//! Holds what it shows and nothing else; loads leave as effects.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{TabCtx, TabPane};
use crate::domain::AuditAction;
use crate::service::{
    CustomerChanges, CustomerCommand, CustomerDetail, IndependenceCommand, Outcome,
};
use crate::tui::action::{Action, Effect};
use crate::tui::app::StatusKind;
use crate::tui::keymap::Context;
use crate::tui::modals::{ConfirmState, Field, FormKind, FormState, Modal};
use crate::tui::render::text::{custom_field_lines, detail_head, fit_middle, local};
use crate::tui::table::View;
use crate::tui::tabs::customers::forms::Submitted;

#[derive(Debug, Clone, Default)]
pub struct OverviewTab {
    /// The customer this view acts in (slug), set when the view is entered.
    pub slug: Option<String>,
    /// Whether the session may edit the contact details (its administrators).
    pub may_edit: bool,
    pub detail: Option<Box<CustomerDetail>>,
    scroll: u16,
}

/// The form of the contact details.
pub fn contact_form(detail: &CustomerDetail) -> FormState {
    let row = &detail.row;
    let mut form = FormState::new(
        FormKind::EditContact {
            slug: row.slug.clone(),
        },
        "Contact details",
        vec![
            Field::text("Email", "email", row.contact_email.as_deref().unwrap_or("")),
            Field::text("Phone", "phone", row.contact_phone.as_deref().unwrap_or("")),
            Field::text(
                "Address",
                "address",
                row.postal_address.as_deref().unwrap_or(""),
            ),
            Field::text("Website", "website", row.website.as_deref().unwrap_or("")),
        ],
    );
    form.fields
        .extend(crate::tui::modals::custom_fields::inputs_shown(
            &detail.fields,
        ));
    form.note =
        Some("Empty clears a detail. The name, slug and type are the provider's to change.".into());
    form
}

/// Turns the contact form into its command.
pub fn submit(form: &mut FormState) -> Submitted {
    let FormKind::EditContact { slug } = form.kind.clone() else {
        return Submitted::NotOurs;
    };
    let changed = |key: &str| {
        form.fields
            .iter()
            .find(|f| f.key == key && f.is_changed())
            .map(Field::value)
    };
    let changes = CustomerChanges {
        contact_email: changed("email"),
        contact_phone: changed("phone"),
        postal_address: changed("address"),
        website: changed("website"),
        fields: crate::tui::modals::custom_fields::values(form, true),
        ..CustomerChanges::default()
    };
    if changes == CustomerChanges::default() {
        return Submitted::Unchanged;
    }
    Submitted::Run(Box::new(Effect::Execute {
        command: CustomerCommand::Edit { slug, changes }.into(),
        done: AuditAction::CustomerEdit.done_phrase().into(),
    }))
}

impl OverviewTab {
    /// An independent organisation's administrators hand management back, after a question.
    fn hand_back(&self, cx: &mut TabCtx<'_>) {
        let Some(detail) = &self.detail else {
            return;
        };
        if !self.may_edit {
            cx.set_status(
                StatusKind::Error,
                "only the customer's administrators hand management back",
            );
            return;
        }
        if detail.account.independent.is_none() {
            cx.set_status(
                StatusKind::Info,
                "your provider manages this customer: there is nothing to hand back",
            );
            return;
        }
        let text = "Hand management back to the provider? Its staff can then manage your users, invitations and groups again, impersonate and delete this customer; only the provider can make it independent again.";
        let run = Action::Run {
            command: Box::new(
                IndependenceCommand::HandBack {
                    slug: detail.row.slug.clone(),
                }
                .into(),
            ),
            done: AuditAction::CustomerHandBack.done_phrase().into(),
        };
        cx.push(Modal::confirm(
            ConfirmState::new("Hand back", text, run).answers("hand back", "keep managing it"),
        ));
    }
}

impl TabPane for OverviewTab {
    fn context(&self) -> Context {
        Context::Overview
    }

    fn update(&mut self, action: Action, cx: &mut TabCtx<'_>) -> Vec<Effect> {
        match action {
            Action::OverviewLoaded(detail) => {
                self.detail = Some(detail);
            }
            Action::EditContact if !self.may_edit => cx.set_status(
                StatusKind::Error,
                "only the customer's administrators change its contact details",
            ),
            Action::EditContact => {
                if let Some(detail) = &self.detail {
                    cx.push(Modal::Form(Box::new(contact_form(detail))));
                }
            }
            Action::HandBack => self.hand_back(cx),
            Action::SelectNext | Action::ScrollDown => self.scroll = self.scroll.saturating_add(1),
            Action::SelectPrev | Action::ScrollUp => self.scroll = self.scroll.saturating_sub(1),
            Action::SelectFirst => self.scroll = 0,
            _ => {}
        }
        Vec::new()
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, view: &View) {
        let Some(detail) = &self.detail else {
            crate::tui::render::centered_text(frame, area, &["Loading the customer…".into()]);
            return;
        };
        let theme = view.theme;
        let row = &detail.row;
        let w = usize::from(area.width.saturating_sub(20));
        let opt = |v: &Option<String>| v.as_deref().map_or("—".to_owned(), |s| fit_middle(s, w));
        let managed = match &detail.account.independent {
            Some(since) => format!(
                "yourselves, an independent organisation since {} (its administrators hand it back: H)",
                local(since.since, view.utc_offset_secs)
            ),
            None => "your provider".to_owned(),
        };
        let fields = vec![
            ("Name", fit_middle(&row.name, w)),
            ("Slug", fit_middle(&row.slug, w)),
            ("Type", row.kind.as_str().to_owned()),
            ("Status", row.status.as_str().to_owned()),
            ("Language", row.language.clone()),
            ("Owner", opt(&row.owner_email)),
            ("Contact email", opt(&row.contact_email)),
            ("Contact phone", opt(&row.contact_phone)),
            ("Address", opt(&row.postal_address)),
            ("Website", opt(&row.website)),
            ("Created", local(row.created_at, view.utc_offset_secs)),
            ("Managed by", managed),
        ];
        let mut lines = detail_head(
            theme,
            format!("{} · your customer", fit_middle(&row.name, w)),
            view.utc_offset_secs,
            fields,
        );
        lines.extend(custom_field_lines(theme, &detail.fields, w));
        if !detail.members.is_empty() {
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                format!("People ({})", detail.members.len()),
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
        }
        frame.render_widget(Paragraph::new(lines).scroll((self.scroll, 0)), area);
    }

    fn reset(&mut self) {
        *self = Self::default();
    }

    fn shown(&mut self) -> Vec<Effect> {
        self.slug
            .clone()
            .map(Effect::LoadOverview)
            .into_iter()
            .collect()
    }

    fn apply(&mut self, outcome: &Outcome, _action: AuditAction, _height: usize) {
        if let (Outcome::Customer(row), Some(detail)) = (outcome, self.detail.as_mut()) {
            if row.id == detail.row.id {
                detail.refresh_row(row);
                // Handed back: the provider manages it again.
                if !row.independent {
                    detail.account.independent = None;
                }
            }
        }
    }

    fn offers(&self, action: &Action) -> bool {
        match action {
            Action::EditContact => self.may_edit && self.detail.is_some(),
            Action::HandBack => {
                self.may_edit
                    && self
                        .detail
                        .as_ref()
                        .is_some_and(|d| d.account.independent.is_some())
            }
            _ => true,
        }
    }

    fn role_offers(&self, action: &Action) -> bool {
        !matches!(action, Action::EditContact | Action::HandBack) || self.may_edit
    }
}
