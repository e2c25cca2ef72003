//! One function writes every listing (`customer list`, `trash list`, `staff list`, `import
//! list`, `settings list`, `log`) in the format asked for, so every listing offers the same
//! `--format table|json|csv` and `--no-header`, with a CSV header of the JSON names (D77). It
//! decides nothing about what a row holds: the caller gives the rows and the table cells.

use std::io::Write;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::CliError;
use super::args::{ListFormat, ListOutput};
use super::output::{CsvRows, JsonArray};
use super::table::{Layout, Table};

/// The table part of a listing: its headers, the columns kept whole on a terminal, and the
/// width to fit (`None` for a pipe or a file).
pub struct TableSpec<'h> {
    pub headers: &'h [&'h str],
    pub keep: &'h [&'h str],
    pub width: Option<usize>,
}

/// Writes `rows` as `output` asks: a table of `cells(row)` under `spec`, a JSON array of the
/// rows, or CSV of their fields. Rows stream; the first failed row ends the listing.
pub fn write_listing<T, E, I, F>(
    out: &mut dyn Write,
    output: ListOutput,
    spec: &TableSpec<'_>,
    rows: I,
    cells: F,
) -> Result<(), CliError>
where
    T: Serialize + DeserializeOwned,
    E: Into<CliError>,
    I: IntoIterator<Item = Result<T, E>>,
    F: Fn(T) -> Vec<String>,
{
    match output.format {
        ListFormat::Table => {
            let layout = Layout {
                width: spec.width,
                header: !output.no_header,
            };
            let mut table = Table::new(out, spec.headers, layout).keep(spec.keep);
            for row in rows {
                table.row(&cells(row.map_err(Into::into)?))?;
            }
            table.finish()?;
        }
        ListFormat::Json => {
            let mut array = JsonArray::new(out)?;
            for row in rows {
                array.push(&row.map_err(Into::into)?)?;
            }
            array.finish()?;
        }
        ListFormat::Csv => {
            let mut csv = CsvRows::new::<T>(out, !output.no_header)?;
            for row in rows {
                csv.push(&row.map_err(Into::into)?)?;
            }
            csv.finish()?;
        }
    }
    Ok(())
}
