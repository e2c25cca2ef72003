//! The customer half of `App::update`: entering a customer's own view (a customer's user
//! after sign-in, choosing among their customers and switching later), impersonating a
//! customer from the staff view and coming back (Ctrl-B, from any dialog; the time limit; the
//! idle lock), and the loads of the view's own tabs. Like `app.rs`, it performs no I/O.
//!
//! The staff view is kept whole while the operator impersonates (its tabs move aside and come
//! back), so the operator returns to exactly where they were.

use super::action::{Action, Effect};
use super::app::{App, Screen, StatusKind};
use super::customer_view::{CustomerView, ImpersonationBar, STAFF_TABS, StaffPlace};
use super::modals::{ConfirmState, Field, FormKind, FormState, Modal};
use super::tabs::{Tab, Tabs};
use crate::domain::text::display_safe;
use crate::domain::{CustomerRole, CustomerStatus, ImpersonationEnd};
use crate::service::{CustomerChoice, ServiceError, SessionInfo, SessionKind};

/// The form asking why the operator impersonates `name`.
fn reason_form(slug: &str, name: &str) -> FormState {
    let mut form = FormState::new(
        FormKind::ImpersonationReason {
            slug: slug.to_owned(),
        },
        format!("Impersonate {}", display_safe(name)),
        vec![Field::text("Reason", "reason", "")],
    );
    form.note = Some(
        "You will see the customer's own view as its administrators do. The reason (a ticket, a request; at most 200 characters) and everything you do are in its log. Ctrl-B comes back."
            .into(),
    );
    form
}

/// The form choosing one of the user's customers.
pub fn choose_form(choices: &[CustomerChoice], current: Option<&str>) -> FormState {
    let labels: Vec<String> = choices
        .iter()
        .map(|c| {
            format!(
                "{} ({}, {})",
                display_safe(&c.name),
                c.slug,
                c.role.as_str()
            )
        })
        .collect();
    let chosen = current
        .and_then(|slug| choices.iter().position(|c| c.slug == slug))
        .unwrap_or(0);
    let mut form = FormState::new(
        FormKind::ChooseCustomer {
            slugs: choices.iter().map(|c| c.slug.clone()).collect(),
        },
        "Choose a customer",
        vec![Field::choice("Customer", "customer", labels, chosen)],
    );
    let listed: Vec<String> = choices
        .iter()
        .map(|c| format!("{} ({})", display_safe(&c.name), c.role.as_str()))
        .collect();
    form.note = Some(format!(
        "You belong to {} customers: {}. Space or ←/→ changes, Enter enters; C switches later.",
        choices.len(),
        listed.join(", ")
    ));
    form
}

/// What submitting one of this module's forms asks for; `None` for another form.
pub fn submit(form: &mut FormState) -> Option<Effect> {
    match form.kind.clone() {
        FormKind::ImpersonationReason { slug } => Some(Effect::StartImpersonation {
            slug,
            reason: form.value("reason"),
        }),
        FormKind::ChooseCustomer { slugs } => {
            let chosen = form
                .fields
                .first()
                .and_then(|f| f.choices.as_ref())
                .map_or(0, |(_, i)| *i);
            slugs.get(chosen).cloned().map(Effect::EnterCustomer)
        }
        _ => None,
    }
}

impl App {
    /// The tabs this session sees, in the order of the tab bar.
    pub fn tab_set(&self) -> &'static [Tab] {
        match &self.customer_view {
            Some(view) => view.tabs(),
            None => &STAFF_TABS,
        }
    }

    /// The active tab's place on the tab bar.
    pub fn tab_index(&self) -> usize {
        self.tab_set()
            .iter()
            .position(|t| *t == self.tab)
            .unwrap_or(0)
    }

    /// True while staff impersonate a customer: the bar is drawn and Ctrl-B comes back.
    pub fn impersonating(&self) -> bool {
        self.customer_view
            .as_ref()
            .is_some_and(|v| v.impersonation.is_some())
    }

    /// True while a customer's user who just signed in chooses among their customers: no
    /// view is entered yet, so no tab (least of all a staff one) is offered.
    pub fn choosing_customer(&self) -> bool {
        self.customer_view.is_none()
            && self.modals.iter().any(
                |m| matches!(m, Modal::Form(f) if matches!(f.kind, FormKind::ChooseCustomer { .. })),
            )
    }

    /// `I` on a customer: asks for a reason, or says at once why it cannot be impersonated.
    pub(super) fn impersonate(&mut self) -> Vec<Effect> {
        if self.customer_view.is_some() || !matches!(self.screen, Screen::Main) {
            return Vec::new();
        }
        let customers = &self.tabs.customers;
        let target = match &customers.detail {
            Some(d) => Some((
                d.row.slug.clone(),
                d.row.name.clone(),
                d.row.is_provider,
                d.row.status,
                d.row.independent,
            )),
            None => customers.selected().map(|e| {
                (
                    e.slug.clone(),
                    e.name.clone(),
                    e.is_provider,
                    e.status,
                    e.independent,
                )
            }),
        };
        let Some((slug, name, is_provider, status, independent)) = target else {
            return Vec::new();
        };
        let why = if is_provider {
            Some("the provider company cannot be impersonated: it is the platform itself".into())
        } else if status == CustomerStatus::Suspended {
            Some("a suspended customer cannot be impersonated: its users cannot sign in".into())
        } else if independent {
            // The service's own refusal, as it would give it.
            Some(
                crate::service::ServiceError::ImpersonationRefused {
                    slug: slug.clone(),
                    reason: crate::service::ImpersonationRefusal::Independent,
                }
                .to_string(),
            )
        } else {
            None
        };
        match why {
            Some(why) => self.set_status(StatusKind::Error, why),
            None => self
                .modals
                .push(Modal::Form(Box::new(reason_form(&slug, &name)))),
        }
        Vec::new()
    }

    /// Ctrl-B: back to the staff view, asking first when a form holds unsaved input.
    pub(super) fn back_to_staff(&mut self, ask: bool) -> Vec<Effect> {
        if !self.impersonating() {
            if self.customer_view.is_some() {
                self.set_status(
                    StatusKind::Info,
                    "this is your customer's view; L locks, q quits",
                );
            }
            return Vec::new();
        }
        let dirty = self
            .modals
            .iter()
            .any(|m| matches!(m, Modal::Form(f) if f.is_dirty()));
        if ask && dirty {
            self.modals.push(Modal::confirm(
                ConfirmState::new(
                    "Back to the staff view?",
                    "What you typed in the form will be lost.",
                    Action::BackToStaffNow,
                )
                .answers("go back", "stay"),
            ));
            return Vec::new();
        }
        vec![Effect::EndImpersonation(ImpersonationEnd::Returned)]
    }

    /// The clock's part: an impersonation past its time limit ends (once).
    pub(super) fn impersonation_tick(&mut self) -> Vec<Effect> {
        let now = self.now;
        let past = self
            .customer_view
            .as_ref()
            .and_then(|v| v.impersonation.as_ref())
            .is_some_and(|bar| bar.until <= now);
        if past {
            self.impersonation_over(ImpersonationEnd::TimeLimit)
        } else {
            Vec::new()
        }
    }

    /// `C`: another of the user's customers.
    pub(super) fn switch_customer(&mut self) -> Vec<Effect> {
        let Some(view) = &self.customer_view else {
            return Vec::new();
        };
        if view.impersonation.is_some() || view.choices.len() < 2 {
            self.set_status(StatusKind::Info, "there is no other customer to switch to");
            return Vec::new();
        }
        let form = choose_form(&view.choices, Some(&view.customer.slug));
        self.modals.push(Modal::Form(Box::new(form)));
        Vec::new()
    }

    /// Results of the customer effects.
    pub(super) fn customer_result(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::MemberSignedIn { info, choices } => self.member_signed_in(*info, choices),
            Action::ImpersonationStarted { info, customer } => {
                self.impersonation_started(&info, customer)
            }
            Action::ImpersonationEnded { how, result } => self.impersonation_ended(how, result),
            Action::OverviewLoaded(_) => self.route_to(Tab::Overview, action),
            Action::CustomerLogLoaded(_) => self.route_to(Tab::CustomerLog, action),
            Action::MyAccountLoaded(_) => self.route_to(Tab::MySettings, action),
            Action::PasswordChanged => {
                if matches!(self.modals.last(), Some(Modal::Form(_))) {
                    self.modals.pop();
                }
                self.set_status(
                    StatusKind::Ok,
                    "password changed; codes of earlier reset messages no longer work",
                );
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn member_signed_in(&mut self, info: SessionInfo, choices: Vec<CustomerChoice>) -> Vec<Effect> {
        let chosen = choices
            .iter()
            .find(|c| Some(c.id) == info.customer)
            .cloned();
        let (SessionKind::CustomerUser, Some(customer), Some(role)) =
            (info.kind, chosen, info.customer_role)
        else {
            // Several customers: the choice comes first.
            self.modals.clear();
            self.modals
                .push(Modal::Form(Box::new(choose_form(&choices, None))));
            return Vec::new();
        };
        self.modals.clear();
        self.kept_form = None;
        self.signed_in = Some(info.email.clone());
        self.screen = Screen::Main;
        self.last_input = self.now;
        let name = display_safe(&customer.name);
        let view = CustomerView {
            customer,
            role,
            choices,
            impersonation: None,
        };
        self.set_status(
            StatusKind::Ok,
            format!("signed in as {} in {name}", info.email),
        );
        self.enter_view(view, Tabs::default())
    }

    fn impersonation_started(
        &mut self,
        info: &SessionInfo,
        customer: CustomerChoice,
    ) -> Vec<Effect> {
        if matches!(self.modals.last(), Some(Modal::Form(_))) {
            self.modals.pop();
        }
        let fresh = Tabs::default();
        let staff_tabs = std::mem::replace(&mut self.tabs, fresh);
        let place = StaffPlace {
            tabs: Box::new(staff_tabs),
            tab: self.tab,
        };
        let bar = ImpersonationBar {
            staff_email: info.email.clone(),
            reason: info.reason.clone().unwrap_or_default(),
            until: info.until.unwrap_or(self.now),
            place,
            ending: false,
        };
        let name = display_safe(&customer.name);
        let view = CustomerView {
            choices: vec![customer.clone()],
            customer,
            role: CustomerRole::Administrator,
            impersonation: Some(bar),
        };
        self.set_status(
            StatusKind::Info,
            format!("impersonating {name}: this is its own view; Ctrl-B comes back"),
        );
        let tabs = std::mem::take(&mut self.tabs);
        self.enter_view(view, tabs)
    }

    /// Shows `view` with `tabs` (fresh ones) on its first tab.
    fn enter_view(&mut self, view: CustomerView, mut tabs: Tabs) -> Vec<Effect> {
        self.modals.clear();
        tabs.overview.slug = Some(view.customer.slug.clone());
        tabs.overview.may_edit = view.administers();
        tabs.my_settings.read_only = view.impersonation.is_some();
        tabs.users.customer = Some(view.customer.slug.clone());
        tabs.users.own_customer = true;
        tabs.users.impersonating = view.impersonation.is_some();
        tabs.invitations.customer = Some(view.customer.slug.clone());
        tabs.invitations.own_customer = true;
        self.tabs = tabs;
        self.tab = Tab::Overview;
        self.customer_view = Some(view);
        super::tabs::TabPane::shown(&mut self.tabs.overview)
    }

    fn impersonation_ended(
        &mut self,
        how: ImpersonationEnd,
        result: Result<String, ServiceError>,
    ) -> Vec<Effect> {
        let view = match self.customer_view.take() {
            Some(view) if view.impersonation.is_some() => view,
            other => {
                // Already left (a lock came first): nothing to restore.
                self.customer_view = other;
                return Vec::new();
            }
        };
        let name = display_safe(&view.customer.name);
        self.modals.clear();
        if let Err(e) = result {
            return self.lock(&format!("the impersonation of {name} ended; {e}"));
        }
        if let Some(bar) = view.impersonation {
            self.tabs = *bar.place.tabs;
            self.tab = bar.place.tab;
        }
        let text = match how {
            ImpersonationEnd::Returned => {
                format!("back to the staff view; the impersonation of {name} ended")
            }
            // Why first: on a narrow status line the rest is what gives way.
            other => format!(
                "impersonation of {name} ended ({}); back to the staff view",
                other.describe()
            ),
        };
        self.set_status(StatusKind::Info, text);
        self.tabs.get_mut(self.tab).shown()
    }

    /// A refusal saying the impersonation is over: end it, saying why.
    pub(super) fn impersonation_over(&mut self, why: ImpersonationEnd) -> Vec<Effect> {
        match self
            .customer_view
            .as_mut()
            .and_then(|v| v.impersonation.as_mut())
        {
            Some(bar) if !bar.ending => {
                bar.ending = true;
                vec![Effect::EndImpersonation(why)]
            }
            _ => Vec::new(),
        }
    }
}
