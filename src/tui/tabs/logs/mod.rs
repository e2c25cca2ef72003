//! The Logs tab: the audit log newest first, a page at a time from the database (never the
//! log whole), with filters taken from the selected event (its customer, its actor, its
//! action's family) shown above the list and cleared with one key, the whole event on Enter
//! (both actors, the hashes), and follow mode, in which new events appear at the top while
//! the selection stays on the event it was on.
//!
//! Holds what it shows; every read leaves as an effect and the service checks the privilege.

use ratatui::Frame;
use ratatui::layout::Rect;

mod draw;
pub mod forms;

pub use forms::submit;
use forms::{event_text, export_form, search_form};

use super::{TabCtx, TabPane};
use crate::service::{AuditRow, Cursor, LogQuery};
use crate::tui::action::{Action, Effect};
use crate::tui::app::StatusKind;
use crate::tui::keymap::Context;
use crate::tui::modals::Modal;
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
    /// An action (`customer.add`) or family (`customer.*`).
    pub action: Option<String>,
    /// Times as typed: RFC 3339 or relative (`2h`, `7d`); the service reads them.
    pub since: Option<String>,
    pub until: Option<String>,
}

impl LogView {
    pub fn query(&self, before: Option<Cursor>) -> LogQuery {
        LogQuery {
            customer: self.customer.clone(),
            actor: self.actor.clone(),
            action: self.action.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
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
        if let Some(t) = &self.since {
            parts.push(format!("since {t}"));
        }
        if let Some(t) = &self.until {
            parts.push(format!("until {t}"));
        }
        parts.join(" · ")
    }
}

/// A free-text search of the whole log, as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    pub text: String,
    pub scanned: u64,
    pub total: u64,
    /// Still reading; false once done or stopped.
    pub running: bool,
}

#[derive(Debug, Clone, Default)]
pub struct LogsTab {
    /// The search whose matches the list shows, if any.
    pub search: Option<Search>,
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
        if !self.follow
            || self.loading
            || self.search.is_some()
            || now.0 - self.last_follow.0 < FOLLOW_EVERY_MS
        {
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
        let stop = self.search.take().is_some_and(|s| s.running);
        self.rows.clear();
        self.loaded = false;
        let mut effects: Vec<Effect> = stop.then_some(Effect::StopSearch).into_iter().collect();
        effects.extend(self.reload());
        effects
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
            Action::BeginSearch(text) => {
                let query = LogQuery {
                    grep: Some(text.clone()),
                    limit: None,
                    ..self.view.query(None)
                };
                self.search = Some(Search {
                    text,
                    scanned: 0,
                    total: 0,
                    running: true,
                });
                self.rows.clear();
                self.next = None;
                self.selected = 0;
                self.loaded = true;
                self.follow = false;
                return vec![Effect::SearchLog(Box::new(query))];
            }
            Action::SearchProgress {
                rows,
                scanned,
                total,
                done,
            } => {
                if let Some(search) = self.search.as_mut().filter(|s| s.running) {
                    self.rows.extend(rows);
                    search.scanned = scanned;
                    search.total = total;
                    search.running = !done;
                }
                return Vec::new();
            }
            Action::SearchLog => {
                cx.push(Modal::Form(Box::new(search_form())));
                return Vec::new();
            }
            Action::FilterLog => {
                cx.push(Modal::Form(Box::new(forms::filter_form(&self.view))));
                return Vec::new();
            }
            Action::ApplyLogFilter(view) => {
                let stop = self.search.take().is_some_and(|s| s.running);
                self.view = *view;
                self.rows.clear();
                self.loaded = false;
                let mut effects: Vec<Effect> =
                    stop.then_some(Effect::StopSearch).into_iter().collect();
                effects.extend(self.reload());
                return effects;
            }
            // Esc stops a running search, then clears it, then the filter.
            Action::ClearFilter if self.search.as_ref().is_some_and(|s| s.running) => {
                if let Some(search) = self.search.as_mut() {
                    search.running = false;
                }
                cx.set_status(StatusKind::Info, "search stopped; Esc again clears it");
                return vec![Effect::StopSearch];
            }
            Action::ClearFilter if self.search.is_some() => {
                self.search = None;
                self.rows.clear();
                self.loaded = false;
                return self.reload();
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
        let paging = self.loaded && !self.loading && self.search.is_none();
        match (&self.next, near_end && paging) {
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
        self.draw(frame, area, view);
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
            Action::ClearFilter => !self.view.is_empty() || self.search.is_some(),
            Action::OpenDetail
            | Action::LogByCustomer
            | Action::LogByActor
            | Action::LogByAction => !self.rows.is_empty(),
            _ => true,
        }
    }
}
