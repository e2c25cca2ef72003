//! Judging one data row: every field checked by the same domain rules the service applies,
//! each problem reported as (line, column, reason) with a sanitised preview of the value.

use serde::Serialize;

use super::cells::csv_cell_in;
use super::columns::Columns;
use crate::domain::customer::{
    clean_contact_email, clean_customer_name, clean_language, clean_phone, clean_postal_address,
    clean_website,
};
use crate::domain::text::clean_email;
use crate::domain::user::clean_person_name;
use crate::domain::{CustomerKind, CustomerStatus, Slug, ValidationError, slugify};
use crate::service::{NewCustomer, OwnerSpec};

/// The largest field accepted, in bytes.
pub const MAX_FIELD_BYTES: usize = 4096;

/// One problem in one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub line: u64,
    /// The column's header as written; empty when the problem concerns the whole row.
    pub column: String,
    pub reason: String,
    /// The offending value, hidden characters made visible, cut to 40 characters.
    pub preview: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.reason
        )
    }
}

pub use crate::domain::text::preview;

/// A row that passed every check on its own (clashes are judged by the caller).
#[derive(Debug, Clone)]
pub struct RowPlan {
    pub customer: NewCustomer,
    pub slug: String,
    /// The owner's email when the row names one, and whether it gave first and last names.
    pub owner: Option<(String, bool)>,
}

/// What a row shows in the report even when it is invalid.
#[derive(Debug, Clone, Default)]
pub struct RowLabels {
    pub name: String,
    pub slug: String,
    pub owner: String,
}

/// The trimmed value of column `index`, with the spreadsheet escape that export adds undone
/// (see [`csv_cell_in`]).
fn cell(fields: &[String], index: Option<usize>) -> &str {
    index
        .and_then(|i| fields.get(i))
        .map(|s| csv_cell_in(s.trim()))
        .unwrap_or("")
}

/// Checks one row's fields. Returns the plan, or every problem found in the row.
pub fn judge(
    line: u64,
    fields: &[String],
    columns: &Columns,
) -> (RowLabels, Result<RowPlan, Vec<Problem>>) {
    let mut problems = Vec::new();
    let mut labels = RowLabels::default();
    let mut report = |index: usize, value: &str, err: ValidationError| {
        problems.push(Problem {
            line,
            column: columns.label(index),
            reason: err.reason,
            preview: preview(value),
        });
    };

    let raw_name = cell(fields, Some(columns.name));
    labels.name = preview(raw_name);
    let name = match clean_customer_name(raw_name) {
        Ok(n) => Some(n),
        Err(e) => {
            report(columns.name, raw_name, e);
            None
        }
    };
    let raw_slug = cell(fields, columns.slug);
    let slug = match (columns.slug.filter(|_| !raw_slug.is_empty()), &name) {
        (Some(i), _) => Slug::parse("slug", raw_slug)
            .map_err(|e| report(i, raw_slug, e))
            .ok(),
        (None, Some(n)) => slugify("name", n)
            .map_err(|e| report(columns.name, raw_name, e))
            .ok(),
        (None, None) => None,
    };
    labels.slug = slug
        .as_ref()
        .map(|s| s.to_string())
        .unwrap_or_else(|| preview(raw_slug));

    let raw_email = cell(fields, columns.owner_email);
    let mut owner = None;
    if let Some(i) = columns.owner_email.filter(|_| !raw_email.is_empty()) {
        labels.owner = preview(raw_email);
        match clean_email("owner email", raw_email) {
            Ok(email) => owner = Some(email),
            Err(e) => report(i, raw_email, e),
        }
    }
    let (mut first, mut last) = (
        cell(fields, columns.owner_first).to_owned(),
        cell(fields, columns.owner_last).to_owned(),
    );
    let full = cell(fields, columns.owner_name);
    if first.is_empty() && last.is_empty() && !full.is_empty() {
        match full.rsplit_once(' ') {
            Some((f, l)) => (first, last) = (f.trim().to_owned(), l.trim().to_owned()),
            None => last = full.to_owned(),
        }
    }
    let name_column = |own: Option<usize>| own.or(columns.owner_name).unwrap_or(columns.name);
    let mut person = |value: &str, field: &str, column: usize| -> Option<String> {
        if value.is_empty() {
            return None;
        }
        clean_person_name(field, value)
            .map_err(|e| report(column, value, e))
            .ok()
    };
    let first = person(&first, "owner first name", name_column(columns.owner_first));
    let last = person(&last, "owner last name", name_column(columns.owner_last));
    if owner.is_none() && (first.is_some() || last.is_some()) && raw_email.is_empty() {
        report(
            name_column(columns.owner_first),
            &format!(
                "{} {}",
                first.clone().unwrap_or_default(),
                last.clone().unwrap_or_default()
            ),
            ValidationError::new("owner", "an owner name needs an Owner Email"),
        );
    }

    let parse_enum =
        |index: Option<usize>| -> (&str, Option<usize>) { (cell(fields, index), index) };
    let (raw_kind, kind_col) = parse_enum(columns.kind);
    let kind = match (raw_kind.is_empty(), kind_col) {
        (false, Some(i)) => raw_kind
            .parse::<CustomerKind>()
            .map_err(|e| report(i, raw_kind, e))
            .ok(),
        _ => Some(CustomerKind::Corporate),
    };
    let (raw_status, status_col) = parse_enum(columns.status);
    let status = match (raw_status.is_empty(), status_col) {
        (false, Some(i)) => raw_status
            .parse::<CustomerStatus>()
            .map_err(|e| report(i, raw_status, e))
            .ok()
            .map(Some),
        // The service's default: pending.
        _ => Some(None),
    };
    let (raw_language, language_col) = parse_enum(columns.language);
    let language = match (raw_language.is_empty(), language_col) {
        (false, Some(i)) => clean_language(raw_language)
            .map_err(|e| report(i, raw_language, e))
            .ok(),
        _ => Some("en".to_owned()),
    };

    // The contact details: each optional, each checked as the service checks it.
    let mut contact = |index: Option<usize>, clean: fn(&str) -> Result<String, ValidationError>| {
        let raw = cell(fields, index);
        match index.filter(|_| !raw.is_empty()) {
            Some(i) => clean(raw).map_err(|e| report(i, raw, e)).ok(),
            None => None,
        }
    };
    let contact_email = contact(columns.contact_email, clean_contact_email);
    let contact_phone = contact(columns.contact_phone, clean_phone);
    let postal_address = contact(columns.postal_address, clean_postal_address);
    let website = contact(columns.website, clean_website);

    // Custom fields: each value checked against its field's type, as the service checks it.
    let (mut custom, mut missing) = (Vec::new(), Vec::new());
    for (index, def) in &columns.fields {
        let raw = cell(fields, *index);
        match (index, raw.is_empty()) {
            (Some(i), false) => match def.clean_value(raw) {
                Ok(value) => custom.push((def.name.clone(), value)),
                Err(e) => report(*i, raw, e),
            },
            _ if def.required => missing.push(Problem {
                line,
                column: index.map_or_else(|| def.name.clone(), |i| columns.label(i)),
                reason: "needs a value (a required custom field)".into(),
                preview: String::new(),
            }),
            _ => {}
        }
    }
    problems.extend(missing);

    let (Some(name), Some(slug), Some(kind), Some(status), Some(language)) =
        (name, slug, kind, status, language)
    else {
        return (labels, Err(problems));
    };
    if !problems.is_empty() {
        return (labels, Err(problems));
    }
    let has_names = first.is_some() && last.is_some();
    let plan = RowPlan {
        slug: slug.to_string(),
        owner: owner.as_ref().map(|e| (e.clone(), has_names)),
        customer: NewCustomer {
            name,
            slug: Some(slug.to_string()),
            kind,
            status,
            language: Some(language),
            owner: owner.map(|email| OwnerSpec {
                email,
                first_name: first,
                last_name: last,
                password: None,
            }),
            contact_email,
            contact_phone,
            postal_address,
            website,
            system: None,
            fields: custom,
        },
    };
    (labels, Ok(plan))
}
