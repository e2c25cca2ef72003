//! The form-, entry- and result-specific half of `App::update`: what an action does in a
//! form or on an entry screen, and how results of effects reach the tab they belong to. What
//! an action does on a tab lives with the tab (`tabs/`). Like `app.rs`, it performs no I/O.

use super::action::{Action, Effect};
use super::app::{App, Screen, StatusKind};
use super::layout;
use super::modals::{ConfirmState, Field, FormKind, FormState, Modal};
use super::tabs::TabCtx;
use super::tabs::customers::forms::{self, Submitted};
use crate::domain::text::display_safe;
use crate::domain::{AuditAction, CustomerStatus, Slug, ValidationError, slugify};
use crate::service::{CustomerRefusal, InitRequest, Outcome, ServiceError, UniqueField};

/// The add form's slug field after a change to the field `key`: while the operator has not
/// edited it, it follows the name (the live preview); once edited it is theirs until emptied.
/// A new slug is checked against the database.
fn follow_slug(form: &mut FormState, key: Option<&str>) -> Vec<Effect> {
    let from_name = |form: &FormState| {
        slugify("name", &form.value("name"))
            .ok()
            .map(|s| s.to_string())
    };
    match key {
        Some("name") if !form.slug_edited => {
            let slug = from_name(form);
            form.set_value("slug", slug.as_deref().unwrap_or(""));
        }
        Some("name") => {}
        Some("slug") => form.slug_edited = !form.value("slug").trim().is_empty(),
        _ => return Vec::new(),
    }
    // An empty slug field means the name's slug, as the service derives it.
    let typed = form.value("slug");
    let slug = if typed.trim().is_empty() {
        from_name(form)
    } else {
        Slug::parse("slug", typed.trim())
            .ok()
            .map(|s| s.to_string())
    };
    if slug == form.slug_preview {
        return Vec::new();
    }
    form.slug_preview = slug.clone();
    form.slug_taken = None;
    slug.map(Effect::CheckSlug).into_iter().collect()
}

impl App {
    pub fn setup_form(&self) -> FormState {
        let mut form = FormState::new(
            FormKind::Setup,
            "Set up tenantry",
            vec![
                Field::text("Company", "company", ""),
                Field::text("First name", "first name", ""),
                Field::text("Last name", "last name", ""),
                Field::text("Email", "email", ""),
                Field::secret("Password", "password"),
                Field::secret("Repeat password", "repeat password"),
            ],
        );
        form.note = Some(match &self.opts.unix_user {
            Some(u) => format!(
                "Creates the provider company and its first owner, linked to Unix user {}.",
                display_safe(u)
            ),
            None => "Creates the provider company and its first owner.".into(),
        });
        form
    }

    pub fn sign_in_form(&self) -> FormState {
        let mut form = FormState::new(
            FormKind::SignIn,
            "Sign in",
            vec![
                Field::text("Email", "email", ""),
                Field::secret("Password", "password"),
            ],
        );
        form.note = self.opts.sign_in_note.clone();
        if form.note.is_none() && !self.opts.force_sign_in {
            if let Some(u) = &self.opts.unix_user {
                form.note = Some(format!(
                    "Enter with an empty email continues as the staff member linked to Unix user {}, if any.",
                    display_safe(u)
                ));
            }
        }
        form
    }

    /// A form's keys: field moves, submit, cancel, typing.
    pub(super) fn form_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(Modal::Form(form)) = self.modals.last_mut() else {
            return Vec::new();
        };
        match action {
            Action::NextField => form.next_field(),
            Action::PrevField => form.prev_field(),
            Action::ToggleChoice if !form.toggle_choice() => {
                form.input(ratatui_textarea::Input {
                    key: ratatui_textarea::Key::Char(' '),
                    ..Default::default()
                });
            }
            Action::Cancel => {
                if form.is_dirty() {
                    self.modals.push(Modal::confirm(
                        ConfirmState::new(
                            "Discard?",
                            "Close the form and lose what you typed?",
                            Action::DiscardForm,
                        )
                        .answers("discard", "keep editing"),
                    ));
                } else {
                    self.modals.pop();
                }
            }
            Action::Type(input) => {
                let key = form.fields.get(form.focus).map(|f| f.key.clone());
                if form.input(input) && form.kind == FormKind::AddCustomer {
                    return follow_slug(form, key.as_deref());
                }
            }
            Action::Submit => return self.submit_form(),
            _ => {}
        }
        Vec::new()
    }

    fn submit_form(&mut self) -> Vec<Effect> {
        let Some(Modal::Form(form)) = self.modals.last_mut() else {
            return Vec::new();
        };
        form.errors.clear();
        form.general_error = None;
        if form.kind == FormKind::SaveReport {
            let path = form.value("path").trim().to_owned();
            if path.is_empty() {
                form.refuse(&ValidationError::new("path", "type a file name"));
                return Vec::new();
            }
            return self.save_report(path, false);
        }
        let mut submitted = forms::submit(form);
        if matches!(submitted, Submitted::NotOurs) {
            submitted = super::tabs::customers::copy_form::submit(form);
        }
        if matches!(submitted, Submitted::NotOurs) {
            submitted = super::tabs::customers::groups_form::submit(form);
        }
        if matches!(submitted, Submitted::NotOurs) {
            submitted = super::tabs::customers::services_form::submit(form);
        }
        if matches!(submitted, Submitted::NotOurs) {
            submitted = super::tabs::users::forms::submit(form);
        }
        if matches!(submitted, Submitted::NotOurs) {
            submitted = super::tabs::invitations::forms::submit(form);
        }
        if matches!(submitted, Submitted::NotOurs) {
            submitted = super::tabs::overview::submit(form);
        }
        if matches!(submitted, Submitted::NotOurs) {
            submitted = super::tabs::my_settings::submit(form);
        }
        if matches!(submitted, Submitted::NotOurs) {
            if let Some(effect) = super::customer_flow::submit(form) {
                submitted = Submitted::Run(Box::new(effect));
            }
        }
        if form.kind == FormKind::FilterLog {
            let Some(view) = super::tabs::logs::forms::submit_filter(form, self.now) else {
                return Vec::new();
            };
            self.modals.pop();
            return self.route_to(
                super::tabs::Tab::Logs,
                Action::ApplyLogFilter(Box::new(view)),
            );
        }
        if form.kind == FormKind::SearchLog {
            let text = form.value("text").trim().to_owned();
            if text.is_empty() {
                form.refuse(&ValidationError::new("text", "type what to look for"));
                return Vec::new();
            }
            self.modals.pop();
            return self.route_to(super::tabs::Tab::Logs, Action::BeginSearch(text));
        }
        if matches!(submitted, Submitted::NotOurs)
            && matches!(form.kind, FormKind::ExportLog { .. })
        {
            submitted = match super::tabs::logs::submit(form) {
                Some(effect) => Submitted::Run(Box::new(effect)),
                None => Submitted::Refused,
            };
        }
        match submitted {
            Submitted::Run(effect) => vec![*effect],
            Submitted::Unchanged => {
                self.modals.pop();
                self.set_status(StatusKind::Info, "nothing changed");
                Vec::new()
            }
            Submitted::Confirm(confirm) => {
                self.modals.push(Modal::Confirm(confirm));
                Vec::new()
            }
            Submitted::Refused | Submitted::NotOurs => Vec::new(),
        }
    }

    /// Keys on the setup and sign-in screens.
    pub(super) fn entry_action(&mut self, action: Action) -> Vec<Effect> {
        let action = match self.other_entry(action) {
            Ok(effects) => return effects,
            Err(action) => action,
        };
        let unix_user = self.opts.unix_user.clone();
        let may_resume = !self.opts.force_sign_in && unix_user.is_some();
        let form = match &mut self.screen {
            Screen::Setup(f) | Screen::SignIn(f) => f,
            _ => return Vec::new(),
        };
        match action {
            Action::NextField => form.next_field(),
            Action::PrevField => form.prev_field(),
            Action::Type(input) => {
                form.input(input);
            }
            Action::Submit => {
                form.errors.clear();
                form.general_error = None;
                if form.kind == FormKind::SignIn {
                    let email = form.value("email");
                    if email.trim().is_empty() && may_resume {
                        return vec![Effect::SignInAsUnixUser];
                    }
                    // Enter with no password is no attempt: it must not count towards a
                    // lockout (the CLI treats an empty TENANTRY_PASSWORD the same way).
                    if form.value("password").is_empty() {
                        form.refuse(&ValidationError::new("password", "type the password"));
                        return Vec::new();
                    }
                    return vec![Effect::SignIn {
                        email,
                        password: form.value("password"),
                    }];
                }
                if form.value("password") != form.value("repeat password") {
                    form.refuse(&ValidationError::new(
                        "repeat password",
                        "the two passwords differ",
                    ));
                    return Vec::new();
                }
                return vec![Effect::Init(InitRequest {
                    company: form.value("company"),
                    email: form.value("email"),
                    first_name: form.value("first name"),
                    last_name: form.value("last name"),
                    password: form.value("password"),
                    unix_user,
                })];
            }
            _ => {}
        }
        Vec::new()
    }

    /// Results of effects that carry data: each goes to the tab that asked for it, a slug
    /// check to the form on top, a command's outcome to every tab.
    pub(super) fn data_result(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::CustomerFields(_)
            | Action::FirstPage(_)
            | Action::IndexChunk(_)
            | Action::IndexLoaded
            | Action::DetailLoaded(_) => self.route_to(super::tabs::Tab::Customers, action),
            Action::TrashLoaded(_) | Action::Purged(_) => {
                self.route_to(super::tabs::Tab::Trash, action)
            }
            Action::SlugChecked { slug, taken_by } => {
                if let Some(Modal::Form(form)) = self.modals.last_mut() {
                    if form.slug_preview.as_deref() == Some(slug.as_str()) {
                        form.slug_taken = taken_by;
                    }
                }
                Vec::new()
            }
            Action::CommandDone {
                outcome,
                action,
                done,
            } => self.command_done(*outcome, action, &done),
            Action::CommandFailed(err) => {
                self.command_failed(err);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn command_done(&mut self, outcome: Outcome, action: AuditAction, done: &str) -> Vec<Effect> {
        if matches!(self.modals.last(), Some(Modal::Form(_))) {
            self.modals.pop();
        }
        let h = self.list_height();
        // The detail view shown reloads the rest of the customer (members, audit count).
        let reload = self.tabs.customers.detail_reload(&outcome);
        self.tabs.apply(&outcome, action, h);
        let mut effects: Vec<Effect> = reload.into_iter().collect();
        // My settings reads the account again after one of its own changes.
        if self.customer_view.is_some() && self.tab == super::tabs::Tab::MySettings {
            effects.push(Effect::LoadMyAccount);
        }
        effects.extend(self.people_outcome(&outcome));
        let text = match &outcome {
            // A new customer waits for its users; say how it goes on from there.
            Outcome::Customer(row)
                if action == AuditAction::CustomerAdd && row.status == CustomerStatus::Pending =>
            {
                format!(
                    "{done} {}, pending: add its users (Enter, u), then activate it (s)",
                    row.slug
                )
            }
            // The copy opens, so its users can be added.
            Outcome::Customer(row) if action == AuditAction::CustomerCopy => {
                effects.push(Effect::LoadDetail(row.slug.clone()));
                format!(
                    "{done} {}, pending: add its users (u), then activate it (s)",
                    row.slug
                )
            }
            Outcome::Customer(row) => format!("{done} {}", row.slug),
            Outcome::Purged(slugs) => format!("{done} {}", slugs.join(", ")),
            Outcome::User { email, .. } => format!("{done} {}", display_safe(email)),
            // Where the message went: the outbox, or what the mail command said.
            Outcome::Invitation { row, message, .. } => {
                format!(
                    "{done} {}; {}",
                    display_safe(&row.email),
                    display_safe(message)
                )
            }
            Outcome::Message { to, message } => {
                format!("{done} {}; {}", display_safe(to), display_safe(message))
            }
            _ => done.to_owned(),
        };
        self.set_status(StatusKind::Ok, text);
        effects
    }

    fn command_failed(&mut self, err: ServiceError) {
        let err = match err {
            ServiceError::InBatch { source, .. } => *source,
            other => other,
        };
        if let Some(Modal::Form(form)) = self.modals.last_mut() {
            match &err {
                ServiceError::Invalid(_) | ServiceError::InvalidFields(_) => {
                    form.refuse_all(err.field_problems())
                }
                // The add and change-slug forms both have a slug field: a clash is fixed there.
                ServiceError::Taken {
                    field: UniqueField::Slug,
                    ..
                } => {
                    let field = if form.fields.iter().any(|f| f.key == "slug") {
                        "slug"
                    } else {
                        "name"
                    };
                    form.refuse(&ValidationError::new(field, err.to_string()));
                }
                other => form.general_error = Some(other.to_string()),
            }
            return;
        }
        let text = match &err {
            // The service's hint names the CLI; here the way is a key away.
            ServiceError::CustomerRefused {
                slug,
                reason: CustomerRefusal::NoUsers,
                ..
            } => format!(
                "customer \"{}\" has no users yet: add one (Enter, u), then activate it",
                display_safe(slug)
            ),
            other => other.to_string(),
        };
        self.set_status(StatusKind::Error, text);
    }

    /// A click: a tab on the tab bar, else whatever the active tab has there.
    pub(super) fn click(&mut self, column: u16, row: u16) -> Vec<Effect> {
        let areas = self.areas();
        if row == areas.tabs.y {
            let hit = layout::tab_spans(self.tab_set())
                .into_iter()
                .position(|(_, x, w)| column >= x && column < x + w);
            if let Some(n) = hit {
                return self.update(Action::GoTab(n));
            }
            return Vec::new();
        }
        let mut cx = TabCtx {
            modals: &mut self.modals,
            status: &mut self.status,
            content: areas.content,
        };
        self.tabs.get_mut(self.tab).click(column, row, &mut cx)
    }
}
