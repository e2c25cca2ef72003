//! The Logs tab's dialogs and forms: one event whole, the search's text, the filter, an
//! export's file, and what submitting them asks for. Pure: no state of the tab, no I/O. The
//! filter's values are checked by the service's own parser (`service::log_filter`), never by
//! rules of this module.

use super::LogView;
use crate::service::AuditRow;
use crate::tui::action::Effect;

/// One event whole, for the dialog Enter opens: one line per field, each made visible-safe
/// on its own (the line breaks are the dialog's).
pub(super) fn event_text(row: &AuditRow) -> String {
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

/// `1234567` as `1 234 567`.
pub(super) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// The form asking what to search the log for.
pub(super) fn search_form() -> crate::tui::modals::FormState {
    use crate::tui::modals::{Field, FormKind, FormState};
    let mut form = FormState::new(
        FormKind::SearchLog,
        "Search the log",
        vec![Field::text("Text", "text", "")],
    );
    form.note = Some(
        "Every event's action, summary, actor, customer slug and name, ignoring case, newest first, with the filter shown. Matches appear as they are found; Esc stops."
            .into(),
    );
    form
}

/// The form of an export of what the filter shows.
pub(super) fn export_form(view: &LogView) -> crate::tui::modals::FormState {
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
        // A relative name is taken from where the console was started, and said in full.
        file: absolute(crate::tui::import_worker::expand_home(&file)),
        force: false,
    })))
}

/// The form of the whole filter, filled with the one shown.
pub(super) fn filter_form(view: &LogView) -> crate::tui::modals::FormState {
    use crate::tui::modals::{Field, FormKind, FormState};
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut form = FormState::new(
        FormKind::FilterLog,
        "Filter the log",
        vec![
            Field::text("Customer", "customer", &text(&view.customer)),
            Field::text("Actor", "actor", &text(&view.actor)),
            Field::text("Action", "action", &text(&view.action)),
            Field::text("Since", "since", &text(&view.since)),
            Field::text("Until", "until", &text(&view.until)),
        ],
    );
    form.note = Some(
        "All given must hold. Action: customer.add or customer.*; times: RFC 3339 or back from now (2h, 7d)."
            .into(),
    );
    form
}

/// The filter the form describes, its values checked as the service checks them (a bad one
/// stays in the form, named); `None` for another form or a refusal.
pub fn submit_filter(
    form: &mut crate::tui::modals::FormState,
    now: crate::domain::Timestamp,
) -> Option<LogView> {
    if form.kind != crate::tui::modals::FormKind::FilterLog {
        return None;
    }
    let value = |form: &crate::tui::modals::FormState, key: &str| {
        let v = form.value(key).trim().to_owned();
        (!v.is_empty()).then_some(v)
    };
    let view = LogView {
        customer: value(form, "customer"),
        actor: value(form, "actor"),
        action: value(form, "action"),
        since: value(form, "since"),
        until: value(form, "until"),
    };
    // The query the tab will read with, checked as the service checks it.
    match view.query(None).filter(now) {
        Ok(_) => Some(view),
        Err(crate::service::ServiceError::Invalid(e)) => {
            form.refuse(&e);
            None
        }
        Err(e) => {
            form.refuse(&crate::domain::ValidationError::new(
                "filter",
                e.to_string(),
            ));
            None
        }
    }
}

/// `path` made absolute against the working directory, so the status line can say where.
fn absolute(path: std::path::PathBuf) -> std::path::PathBuf {
    if path.is_absolute() {
        return path;
    }
    std::env::current_dir().map_or(path.clone(), |dir| dir.join(&path))
}
