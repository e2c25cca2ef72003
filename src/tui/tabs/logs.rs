//! The Logs tab: the audit log newest first, a page at a time from the database (never the
//! log whole), with filters taken from the selected event (its customer, its actor, its
//! action's family) shown above the list and cleared with one key, the whole event on Enter
//! (both actors, the hashes), and follow mode, in which new events appear at the top while
//! the selection stays on the event it was on.
//!
//! Holds what it shows; every read leaves as an effect and the service checks the privilege.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{TabCtx, TabPane};
use crate::service::{AuditRow, Cursor, LogQuery};
use crate::tui::action::{Action, Effect};
use crate::tui::app::StatusKind;
use crate::tui::keymap::Context;
use crate::tui::modals::Modal;
use crate::tui::render::text::{fit, fit_middle};
use crate::tui::table::View;

/// Events one read brings.
pub const LOG_PAGE: usize = 200;
/// How often follow mode looks for new events.
pub const FOLLOW_EVERY_MS: i64 = 2_000;

/// The filters the tab reads with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogView {
    pub customer: Option<String>,
    pub actor: Option<String>,
    /// An action family (`customer.*`).
    pub action: Option<String>,
}

impl LogView {
    pub fn query(&self, before: Option<Cursor>) -> LogQuery {
        LogQuery {
            customer: self.customer.clone(),
            actor: self.actor.clone(),
            action: self.action.clone(),
            limit: Some(LOG_PAGE),
            before,
            ..LogQuery::default()
        }
    }

    fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The filter line: `customer acme · actor ann@example.com`.
    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(c) = &self.customer {
            parts.push(format!("customer {c}"));
        }
        if let Some(a) = &self.actor {
            parts.push(format!("actor {a}"));
        }
        if let Some(a) = &self.action {
            parts.push(format!("action {a}"));
        }
        parts.join(" · ")
    }
}

#[derive(Debug, Clone, Default)]
pub struct LogsTab {
    pub view: LogView,
    pub rows: Vec<AuditRow>,
    /// Where the next older page starts; `None` once the oldest is loaded.
    pub next: Option<Cursor>,
    pub loaded: bool,
    /// A read is under way (no second one is asked for).
    pub loading: bool,
    pub follow: bool,
    pub last_follow: crate::domain::Timestamp,
    pub selected: usize,
}

/// Who did it: the actor, and the customer they acted as while impersonating.
pub fn actor_cell(row: &AuditRow) -> String {
    if row.impersonated_slug.is_empty() {
        row.actor_email.clone()
    } else {
        format!("{} as {}", row.actor_email, row.impersonated_slug)
    }
}

/// One event whole, for the dialog Enter opens: one line per field, each made visible-safe
/// on its own (the line breaks are the dialog's).
fn event_text(row: &AuditRow) -> String {
    use crate::domain::text::display_safe as safe;
    let customer = if row.customer_slug.is_empty() {
        "—".to_owned()
    } else {
        format!(
            "{} ({})",
            safe(&row.customer_name),
            safe(&row.customer_slug)
        )
    };
    let impersonating = if row.impersonated_slug.is_empty() {
        "no".to_owned()
    } else {
        format!(
            "yes: staff acted as {} ({})",
            safe(&row.impersonated_name),
            safe(&row.impersonated_slug)
        )
    };
    [
        format!("Sequence: {}", row.seq),
        format!("Time: {}", row.at),
        format!("Actor: {} {}", row.actor_kind, safe(&row.actor_email)),
        format!("Impersonating: {impersonating}"),
        format!("Customer: {customer}"),
        format!("Action: {}", safe(&row.action)),
        format!("Summary: {}", safe(&row.summary)),
        format!("Hash: {}", row.hash),
        format!("Previous hash: {}", row.prev_hash),
    ]
    .join("\n")
}

/// The form of an export of what the filter shows.
fn export_form(view: &LogView) -> crate::tui::modals::FormState {
    use crate::tui::modals::{Field, FormKind, FormState};
    let mut query = view.query(None);
    query.limit = None;
    let mut form = FormState::new(
        FormKind::ExportLog {
            query: Box::new(query),
        },
        "Export the log",
        vec![
            Field::text("File", "file", ""),
            Field::choice("Format", "format", vec!["jsonl", "csv"], 0),
        ],
    );
    let scope = if view.is_empty() {
        "every event".to_owned()
    } else {
        format!("the events of {}", view.describe())
    };
    form.note = Some(format!(
        "Writes {scope}, oldest first, with a trailer naming the chain head, to a new file (0600; an existing one is not replaced). `tenantry log verify --from-export FILE` checks it later."
    ));
    form
}

/// What submitting the export form asks for; `None` for another form.
pub fn submit(form: &mut crate::tui::modals::FormState) -> Option<Effect> {
    let crate::tui::modals::FormKind::ExportLog { query } = form.kind.clone() else {
        return None;
    };
    let file = form.value("file").trim().to_owned();
    if file.is_empty() {
        form.refuse(&crate::domain::ValidationError::new(
            "file",
            "type the file to write",
        ));
        return None;
    }
    let format = match form.value("format").as_str() {
        "csv" => crate::audit_file::ExportFormat::Csv,
        _ => crate::audit_file::ExportFormat::Jsonl,
    };
    Some(Effect::ExportLog(Box::new(crate::service::LogExport {
        query: *query,
        format,
        file: crate::tui::import_worker::expand_home(&file),
        force: false,
    })))
}

/// `text` padded with spaces to `width` display columns.
fn pad(text: &str, width: usize) -> String {
    let w = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

impl LogsTab {
    /// Reads the newest page again with the filters shown.
    fn reload(&mut self) -> Vec<Effect> {
        self.loading = true;
        vec![Effect::LoadLog {
            query: self.view.query(None),
            older: false,
        }]
    }

    /// Follow mode's look for new events, at most every [`FOLLOW_EVERY_MS`].
    pub fn follow_tick(&mut self, now: crate::domain::Timestamp) -> Vec<Effect> {
        if !self.follow || self.loading || now.0 - self.last_follow.0 < FOLLOW_EVERY_MS {
            return Vec::new();
        }
        self.last_follow = now;
        self.loading = true;
        vec![Effect::LoadLog {
            query: self.view.query(None),
            older: false,
        }]
    }

    /// A page read: older rows go below; a newest page keeps what was loaded and puts only
    /// the events newer than the top one above, so the selection stays on its event.
    fn page(&mut self, rows: Vec<AuditRow>, next: Option<Cursor>, older: bool) {
        self.loading = false;
        if older {
            self.rows.extend(rows);
            self.next = next;
            return;
        }
        match self.rows.first().map(|r| r.seq) {
            Some(top) if self.loaded => {
                let newer: Vec<AuditRow> = rows.into_iter().filter(|r| r.seq > top).collect();
                if !newer.is_empty() && self.selected > 0 {
                    self.selected += newer.len();
                }
                self.rows.splice(0..0, newer);
            }
            _ => {
                self.rows = rows;
                self.next = next;
                self.selected = 0;
            }
        }
        self.loaded = true;
    }

    /// Applies a filter taken from the selected event and reads again.
    fn narrow(&mut self, how: &Action, cx: &mut TabCtx<'_>) -> Vec<Effect> {
        let Some(row) = self.rows.get(self.selected) else {
            return Vec::new();
        };
        let value = |v: &str| (!v.is_empty()).then(|| v.to_owned());
        match how {
            Action::LogByCustomer => match value(&row.customer_slug) {
                Some(slug) => self.view.customer = Some(slug),
                None => {
                    cx.set_status(StatusKind::Info, "this event concerns no customer");
                    return Vec::new();
                }
            },
            Action::LogByActor => {
                self.view.actor = Some(if row.actor_kind == "system" {
                    "system".to_owned()
                } else {
                    row.actor_email.clone()
                });
            }
            _ => {
                let family = row.action.split('.').next().unwrap_or_default();
                self.view.action = Some(format!("{family}.*"));
            }
        }
        self.rows.clear();
        self.loaded = false;
        self.reload()
    }
}

impl TabPane for LogsTab {
    fn context(&self) -> Context {
        Context::Logs
    }

    fn update(&mut self, action: Action, cx: &mut TabCtx<'_>) -> Vec<Effect> {
        let page = cx.height().max(1);
        let last = self.rows.len().saturating_sub(1);
        let effects = match action {
            Action::LogLoaded { rows, next, older } => {
                self.page(rows, next, older);
                Vec::new()
            }
            Action::SelectNext | Action::ScrollDown => {
                self.selected = (self.selected + 1).min(last);
                Vec::new()
            }
            Action::SelectPrev | Action::ScrollUp => {
                self.selected = self.selected.saturating_sub(1);
                Vec::new()
            }
            Action::PageDown => {
                self.selected = (self.selected + page).min(last);
                Vec::new()
            }
            Action::PageUp => {
                self.selected = self.selected.saturating_sub(page);
                Vec::new()
            }
            Action::SelectFirst => {
                self.selected = 0;
                Vec::new()
            }
            Action::SelectLast => {
                self.selected = last;
                Vec::new()
            }
            Action::OpenDetail => {
                if let Some(row) = self.rows.get(self.selected) {
                    cx.push(Modal::Message {
                        title: format!("Event {}", row.seq),
                        text: event_text(row),
                    });
                }
                Vec::new()
            }
            Action::LogByCustomer | Action::LogByActor | Action::LogByAction => {
                return self.narrow(&action, cx);
            }
            Action::ClearFilter if !self.view.is_empty() => {
                self.view = LogView::default();
                self.rows.clear();
                self.loaded = false;
                return self.reload();
            }
            Action::ExportLog => {
                cx.push(Modal::Form(Box::new(export_form(&self.view))));
                Vec::new()
            }
            Action::ToggleFollow => {
                self.follow = !self.follow;
                let word = if self.follow {
                    "on: new events appear at the top"
                } else {
                    "off"
                };
                cx.set_status(StatusKind::Info, format!("follow {word}"));
                Vec::new()
            }
            _ => Vec::new(),
        };
        // Near the end of what is loaded, the next older page is read.
        let near_end = self.selected + page >= self.rows.len();
        match (&self.next, near_end && self.loaded && !self.loading) {
            (Some(next), true) => {
                self.loading = true;
                vec![Effect::LoadLog {
                    query: self.view.query(Some(next.clone())),
                    older: true,
                }]
            }
            _ => effects,
        }
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, view: &View) {
        let theme = view.theme;
        let areas = crate::tui::layout::list_areas(area);
        let width = usize::from(area.width);
        let more = if self.next.is_some() { "+" } else { "" };
        let mut title = format!(
            "Log · newest first · {}{more} event(s) · times {}",
            self.rows.len(),
            crate::tui::render::text::zone(view.utc_offset_secs)
        );
        if self.follow {
            title.push_str(" · following");
        }
        if !self.view.is_empty() {
            title = format!(
                "Log · {} (Esc clears) · {}{more}",
                self.view.describe(),
                self.rows.len()
            );
        }
        frame.render_widget(
            Paragraph::new(Span::styled(fit(&title, width), theme.header())),
            areas.title,
        );
        let header = format!(
            "{} {} {} {} SUMMARY",
            pad("SEQ", 7),
            pad("TIME", 11),
            pad("ACTOR", 26),
            pad("ACTION", 20)
        );
        frame.render_widget(
            Paragraph::new(Span::styled(fit(&header, width), theme.dim())),
            areas.header,
        );
        if !self.loaded {
            crate::tui::render::centered_text(frame, areas.body, &["Reading the log…".into()]);
            return;
        }
        if self.rows.is_empty() {
            crate::tui::render::centered_text(frame, areas.body, &["No events match.".into()]);
            return;
        }
        let height = usize::from(areas.body.height).max(1);
        let top = self.selected.saturating_sub(height - 1);
        let lines: Vec<Line<'_>> = self
            .rows
            .iter()
            .enumerate()
            .skip(top)
            .take(height)
            .map(|(i, row)| {
                let at = chrono::DateTime::parse_from_rfc3339(&row.at)
                    .map(|d| {
                        let t = crate::domain::Timestamp::from_datetime(d.to_utc());
                        crate::tui::render::text::day(t, view.now, view.utc_offset_secs)
                    })
                    .unwrap_or_else(|_| row.at.clone());
                let mut style = if row.impersonated_slug.is_empty() {
                    ratatui::style::Style::default()
                } else {
                    theme.warn()
                };
                if i == self.selected {
                    style = style.patch(theme.selected());
                }
                let line = format!(
                    "{} {} {} {} {}",
                    pad(&row.seq.to_string(), 7),
                    pad(&at, 11),
                    pad(&fit_middle(&actor_cell(row), 26), 26),
                    pad(&row.action, 20),
                    row.summary
                );
                Line::from(Span::styled(fit(&line, width), style))
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), areas.body);
    }

    fn reset(&mut self) {
        *self = Self::default();
    }

    fn shown(&mut self) -> Vec<Effect> {
        if self.loading {
            return Vec::new();
        }
        self.reload()
    }

    fn offers(&self, action: &Action) -> bool {
        match action {
            Action::ClearFilter => !self.view.is_empty(),
            Action::OpenDetail
            | Action::LogByCustomer
            | Action::LogByActor
            | Action::LogByAction => !self.rows.is_empty(),
            _ => true,
        }
    }
}
