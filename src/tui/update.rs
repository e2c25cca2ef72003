//! The tab-, form- and result-specific half of `App::update`: what each action does on the
//! Customers and Trash tabs, in a form or on an entry screen, and how results of effects
//! change the state. Like `app.rs`, it performs no I/O.

use super::action::{Action, Effect};
use super::app::{App, Screen, StatusKind};
use super::modals::{ConfirmState, Field, FormKind, FormState, Modal};
use crate::domain::text::display_safe;
use crate::domain::{AuditAction, CustomerKind, CustomerStatus, Slug, ValidationError, slugify};
use crate::service::{
    CustomerChanges, CustomerCommand, CustomerRow, IndexEntry, InitRequest, NewCustomer, Outcome,
    OwnerSpec, ServiceError, UniqueField,
};

const KINDS: [&str; 2] = ["corporate", "individual"];

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

    pub(super) fn add_form() -> FormState {
        FormState::new(
            FormKind::AddCustomer,
            "Add customer",
            vec![
                Field::text("Name", "name", ""),
                Field::choice("Type", "type", KINDS.to_vec(), 0),
                Field::text("Language", "language", "en"),
                Field::text("Owner email", "owner email", ""),
                Field::text("Owner first name", "owner first name", ""),
                Field::text("Owner last name", "owner last name", ""),
                Field::text("Contact email", "email", ""),
                Field::text("Contact phone", "phone", ""),
            ],
        )
    }

    pub(super) fn edit_form(row: &CustomerRow) -> FormState {
        let kind = KINDS.iter().position(|k| *k == row.kind).unwrap_or(0);
        let mut form = FormState::new(
            FormKind::EditCustomer {
                slug: row.slug.clone(),
            },
            format!("Edit {}", display_safe(&row.name)),
            vec![
                Field::text("Name", "name", &row.name),
                Field::choice("Type", "type", KINDS.to_vec(), kind),
                Field::text("Language", "language", &row.language),
                Field::text(
                    "Contact email",
                    "email",
                    row.contact_email.as_deref().unwrap_or(""),
                ),
                Field::text(
                    "Contact phone",
                    "phone",
                    row.contact_phone.as_deref().unwrap_or(""),
                ),
            ],
        );
        form.note = Some(format!(
            "slug: {} (change it with c, asked to confirm)",
            row.slug
        ));
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
                    self.modals.push(Modal::confirm(ConfirmState::new(
                        "Discard?",
                        "Close the form and lose what you typed?",
                        Action::DiscardForm,
                    )));
                } else {
                    self.modals.pop();
                }
            }
            Action::Type(input) => {
                let on_name = form.fields.get(form.focus).is_some_and(|f| f.key == "name");
                if form.input(input) && on_name && form.kind == FormKind::AddCustomer {
                    let slug = slugify("name", &form.value("name"))
                        .ok()
                        .map(|s| s.to_string());
                    if slug != form.slug_preview {
                        form.slug_preview = slug.clone();
                        form.slug_taken = None;
                        if let Some(slug) = slug {
                            return vec![Effect::CheckSlug(slug)];
                        }
                    }
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
        form.error = None;
        form.general_error = None;
        let optional = |key: &str| Some(form.value(key)).filter(|v| !v.trim().is_empty());
        match form.kind.clone() {
            FormKind::AddCustomer => {
                let owner = optional("owner email").map(|email| OwnerSpec {
                    email,
                    first_name: optional("owner first name"),
                    last_name: optional("owner last name"),
                    password: None,
                });
                let new = NewCustomer {
                    name: form.value("name"),
                    slug: None,
                    kind: kind_of(&form.value("type")),
                    status: CustomerStatus::Active,
                    language: Some(form.value("language")),
                    owner,
                    contact_email: optional("email"),
                    contact_phone: optional("phone"),
                };
                vec![Effect::Execute {
                    command: CustomerCommand::Add(new).into(),
                    done: AuditAction::CustomerAdd.past_tense().into(),
                }]
            }
            FormKind::EditCustomer { slug } => {
                let changed = |key: &str| {
                    form.fields
                        .iter()
                        .find(|f| f.key == key && f.is_changed())
                        .map(Field::value)
                };
                let changes = CustomerChanges {
                    name: changed("name"),
                    slug: None,
                    kind: changed("type").map(|k| kind_of(&k)),
                    language: changed("language"),
                    contact_email: changed("email"),
                    contact_phone: changed("phone"),
                };
                if changes == CustomerChanges::default() {
                    self.modals.pop();
                    self.set_status(StatusKind::Info, "nothing changed");
                    return Vec::new();
                }
                vec![Effect::Execute {
                    command: CustomerCommand::Edit { slug, changes }.into(),
                    done: "saved".into(),
                }]
            }
            FormKind::ChangeSlug { slug, name } => {
                let new = form.value("slug").trim().to_owned();
                if new == slug {
                    form.refuse(&ValidationError::new("slug", "that is already its slug"));
                    return Vec::new();
                }
                if let Err(e) = Slug::parse("slug", &new) {
                    form.refuse(&e);
                    return Vec::new();
                }
                let text = format!(
                    "Change the slug of \"{}\" from {slug} to {new}? Scripts and links that use {slug} will stop working.",
                    display_safe(&name)
                );
                let run = Action::Run {
                    command: Box::new(
                        CustomerCommand::Edit {
                            slug,
                            changes: CustomerChanges {
                                slug: Some(new),
                                ..CustomerChanges::default()
                            },
                        }
                        .into(),
                    ),
                    done: "changed the slug:".into(),
                };
                self.modals
                    .push(Modal::confirm(ConfirmState::new("Change slug", text, run)));
                Vec::new()
            }
            FormKind::SaveReport => {
                let path = form.value("path").trim().to_owned();
                if path.is_empty() {
                    form.refuse(&ValidationError::new("path", "type a file name"));
                    return Vec::new();
                }
                self.save_report(path, false)
            }
            FormKind::Setup | FormKind::SignIn => Vec::new(),
        }
    }

    /// Keys on the setup and sign-in screens.
    pub(super) fn entry_action(&mut self, action: Action) -> Vec<Effect> {
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
                form.error = None;
                form.general_error = None;
                if form.kind == FormKind::SignIn {
                    let email = form.value("email");
                    if email.trim().is_empty() && may_resume {
                        return vec![Effect::SignInAsUnixUser];
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

    /// Results of effects that carry data.
    pub(super) fn data_result(&mut self, action: Action) -> Vec<Effect> {
        let h = self.list_height();
        match action {
            Action::FirstPage(rows) => {
                let n = rows.len();
                self.customers
                    .index
                    .extend(rows.iter().map(IndexEntry::from_row));
                self.customers.cursor.keep_visible(self.customers.len(), h);
                return vec![Effect::StartIndexLoad { offset: n }];
            }
            Action::IndexChunk(entries) => {
                let id = self.customers.selected().map(|e| e.id);
                self.customers.index.extend(entries);
                self.customers.reselect(id, h);
            }
            Action::IndexLoaded => self.customers.loading = false,
            Action::TrashLoaded(rows) => self.trash.set_rows(rows, h),
            Action::DetailLoaded(detail) => {
                if self.customers.pending_edit.take().as_deref() == Some(detail.row.slug.as_str()) {
                    let form = Self::edit_form(&detail.row);
                    self.modals.push(Modal::Form(Box::new(form)));
                } else {
                    self.customers.detail = Some(detail);
                    self.customers.detail_scroll = 0;
                }
            }
            Action::SlugChecked { slug, taken_by } => {
                if let Some(Modal::Form(form)) = self.modals.last_mut() {
                    if form.slug_preview.as_deref() == Some(slug.as_str()) {
                        form.slug_taken = taken_by;
                    }
                }
            }
            Action::CommandDone {
                outcome,
                action,
                done,
            } => self.command_done(*outcome, action, &done),
            Action::CommandFailed(err) => self.command_failed(err),
            Action::Purged(slugs) => {
                for slug in &slugs {
                    self.trash.remove_slug(slug, h);
                }
                if !slugs.is_empty() {
                    self.set_status(
                        StatusKind::Info,
                        format!("purged {} expired customer(s) from the trash", slugs.len()),
                    );
                }
            }
            _ => {}
        }
        Vec::new()
    }

    fn command_done(&mut self, outcome: Outcome, action: AuditAction, done: &str) {
        let h = self.list_height();
        if matches!(self.modals.last(), Some(Modal::Form(_))) {
            self.modals.pop();
        }
        match outcome {
            Outcome::Customer(row) => {
                let id = self.customers.selected().map(|e| e.id);
                if row.deleted_at.is_some() {
                    self.customers.index.remove(row.id);
                    self.customers.detail = None;
                    self.trash.upsert(row.clone(), h);
                } else {
                    self.customers.index.upsert(IndexEntry::from_row(&row));
                    self.trash.remove(row.id, h);
                    if let Some(d) = &mut self.customers.detail {
                        if d.row.id == row.id {
                            d.row = row.clone();
                        }
                    }
                }
                let keep = if action == AuditAction::CustomerAdd {
                    Some(row.id)
                } else {
                    id
                };
                self.customers.reselect(keep, h);
                self.set_status(StatusKind::Ok, format!("{done} {}", row.slug));
            }
            Outcome::Purged(slugs) => {
                for slug in &slugs {
                    self.trash.remove_slug(slug, h);
                }
                self.set_status(StatusKind::Ok, format!("{done} {}", slugs.join(", ")));
            }
            _ => self.set_status(StatusKind::Ok, done.to_owned()),
        }
    }

    fn command_failed(&mut self, err: ServiceError) {
        let err = match err {
            ServiceError::InBatch { source, .. } => *source,
            other => other,
        };
        if let Some(Modal::Form(form)) = self.modals.last_mut() {
            match &err {
                ServiceError::Invalid(v) => form.refuse(v),
                ServiceError::Taken {
                    field: UniqueField::Slug,
                    ..
                } => {
                    let field = if matches!(form.kind, FormKind::ChangeSlug { .. }) {
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
        self.set_status(StatusKind::Error, err.to_string());
    }
}

fn kind_of(text: &str) -> CustomerKind {
    if text == "individual" {
        CustomerKind::Individual
    } else {
        CustomerKind::Corporate
    }
}
