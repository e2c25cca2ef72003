//! `export customers`: every customer (or the trash) streamed as CSV with the import's column
//! names, or as JSON rows. The provider company is not exported. Every CSV cell goes through
//! [`csv_cell_out`] so no spreadsheet runs it as a formula; import undoes that escape, so an
//! export imported again exports the same file. JSON is written as stored.

use std::io::Write;

use super::cells::csv_cell_out;
use super::columns::EXPORT_HEADERS;
use crate::backend::{Backend, BackendExt, CustomerRows};
use crate::domain::fields::FieldTarget;
use crate::service::{CustomerQuery, ListFields, ServiceError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}

/// Writes the customers to `out`; returns how many were written.
pub fn export_customers(
    service: &dyn Backend,
    trash: bool,
    format: ExportFormat,
    out: &mut dyn Write,
) -> Result<u64, ExportError> {
    let query = CustomerQuery {
        trash,
        ..CustomerQuery::default()
    };
    let rows =
        CustomerRows::new(service, query).filter(|r| !matches!(r, Ok(row) if row.is_provider));
    let mut count = 0u64;
    match format {
        ExportFormat::Csv => {
            // Each custom field of customers in use is one more column, named by the field,
            // which import reads back.
            let custom: Vec<String> = service
                .ask(ListFields)?
                .into_iter()
                .filter(|f| f.target == FieldTarget::Customers && !f.removed)
                .map(|f| f.name)
                .collect();
            let mut csv = csv::Writer::from_writer(out);
            csv.write_record(
                EXPORT_HEADERS
                    .iter()
                    .map(|h| (*h).to_owned())
                    .chain(custom.iter().map(|n| csv_cell_out(n).into_owned())),
            )?;
            for row in rows {
                let row = row?;
                let cells = [
                    row.name.as_str(),
                    row.slug.as_str(),
                    row.kind.as_str(),
                    row.status.as_str(),
                    row.language.as_str(),
                    row.owner_email.as_deref().unwrap_or(""),
                    row.owner_first_name.as_deref().unwrap_or(""),
                    row.owner_last_name.as_deref().unwrap_or(""),
                    row.contact_email.as_deref().unwrap_or(""),
                    row.contact_phone.as_deref().unwrap_or(""),
                    row.postal_address.as_deref().unwrap_or(""),
                    row.website.as_deref().unwrap_or(""),
                ];
                let values = custom
                    .iter()
                    .map(|n| row.fields.get(n).map_or("", String::as_str));
                csv.write_record(
                    cells
                        .into_iter()
                        .chain(values)
                        .map(|c| csv_cell_out(c).into_owned()),
                )?;
                count += 1;
            }
            csv.flush()?;
        }
        ExportFormat::Json => {
            write!(out, "[")?;
            for row in rows {
                let row = row?;
                write!(out, "{}\n  ", if count == 0 { "" } else { "," })?;
                crate::json::to_writer(&mut *out, &row)?;
                count += 1;
            }
            writeln!(out, "{}]", if count == 0 { "" } else { "\n" })?;
        }
    }
    Ok(count)
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Service(#[from] ServiceError),
    #[error("writing the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("writing the export: {0}")]
    Csv(#[from] csv::Error),
}
