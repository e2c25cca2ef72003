//! Writing results for people and scripts: the watched stdout, cell fitting, key/value lines,
//! and the JSON and CSV forms of every listing (tables are in [`super::table`]). JSON and CSV
//! stream one row at a time so memory does not grow with the listing; both name a field as
//! `serde` does, so a CSV header is the JSON object's keys in order (D77). Every CSV cell goes
//! through `import::csv_cell_out` and every JSON value through `crate::json`; nothing here
//! writes raw user text.

use std::io::{self, Write};

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::CliError;
use super::args::{ListFormat, ListOutput};
use super::table::{Layout, Table};
use crate::domain::text::display_safe;

/// The command's stdout, remembering whether its reader went away: the first write or flush
/// that fails with `BrokenPipe` (`tenantry log | head -1`; Rust ignores SIGPIPE, so a closed
/// pipe is an error, not a signal) sets [`reader_gone`](Self::reader_gone). Whatever layer
/// wrapped that error on its way up (JSON, CSV, the export), `main` then ends the command
/// quietly with status 0: the one mechanism for every output command (D75).
pub struct PipeWatch<W: Write> {
    inner: W,
    gone: bool,
}

impl<W: Write> PipeWatch<W> {
    pub fn new(inner: W) -> Self {
        Self { inner, gone: false }
    }

    /// True once a write or flush found the reader gone.
    pub fn reader_gone(&self) -> bool {
        self.gone
    }

    fn watch<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &result
            && e.kind() == io::ErrorKind::BrokenPipe
        {
            self.gone = true;
        }
        result
    }
}

impl<W: Write> Write for PipeWatch<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let result = self.inner.write(buf);
        self.watch(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = self.inner.flush();
        self.watch(result)
    }
}

/// Cuts `text` to at most `width` display columns, marking a cut with `…`.
pub fn fit(text: &str, width: usize) -> String {
    let safe = display_safe(text);
    if safe.width() <= width {
        return safe;
    }
    let mut out = String::new();
    let mut used = 0;
    for c in safe.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Pads `text` with spaces to exactly `width` display columns (after [`fit`]).
pub fn pad(text: &str, width: usize) -> String {
    let fitted = fit(text, width);
    let fill = width.saturating_sub(fitted.width());
    format!("{fitted}{}", " ".repeat(fill))
}

/// Key/value lines for one record.
pub fn write_fields<W: Write + ?Sized, K: AsRef<str>>(
    out: &mut W,
    fields: &[(K, String)],
) -> io::Result<()> {
    let keys: Vec<String> = fields
        .iter()
        .map(|(k, _)| display_safe(k.as_ref()))
        .collect();
    let width = keys.iter().map(|k| k.width()).max().unwrap_or(0);
    for (key, (_, value)) in keys.iter().zip(fields) {
        writeln!(out, "{}  {}", pad(key, width), display_safe(value))?;
    }
    Ok(())
}

/// A JSON array written one element at a time.
pub struct JsonArray<'a, W: Write + ?Sized> {
    out: &'a mut W,
    first: bool,
}

impl<'a, W: Write + ?Sized> JsonArray<'a, W> {
    pub fn new(out: &'a mut W) -> io::Result<Self> {
        write!(out, "[")?;
        Ok(Self { out, first: true })
    }

    pub fn push<T: Serialize>(&mut self, value: &T) -> io::Result<()> {
        if !self.first {
            write!(self.out, ",")?;
        }
        self.first = false;
        write!(self.out, "\n  ")?;
        crate::json::to_writer(&mut *self.out, value)
    }

    pub fn finish(self) -> io::Result<()> {
        if self.first {
            writeln!(self.out, "]")
        } else {
            writeln!(self.out, "\n]")
        }
    }
}

/// Writes `rows` as one JSON array (what every `--format json` listing prints).
pub fn write_json_array<W, T, I>(out: &mut W, rows: I) -> io::Result<()>
where
    W: Write + ?Sized,
    T: Serialize,
    I: IntoIterator<Item = T>,
{
    let mut array = JsonArray::new(out)?;
    for row in rows {
        array.push(&row)?;
    }
    array.finish()
}

/// The fields of `T` in serialisation order, as `serde` names them (renames applied, skipped
/// fields left out), read from its `Deserialize` impl: the header of a CSV listing, known even
/// when no row follows. Empty for a type that is not a plain struct.
pub fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut names = None;
    let _ = T::deserialize(FieldNames(&mut names));
    names.unwrap_or(&[])
}

/// A deserializer that only records the field list a struct asks for.
struct FieldNames<'a>(&'a mut Option<&'static [&'static str]>);

impl<'de> Deserializer<'de> for FieldNames<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = Some(fields);
        Err(de::Error::custom("field names read"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// A CSV error as the I/O error under it (a closed pipe stays `BrokenPipe`).
pub fn csv_io(err: csv::Error) -> io::Error {
    match err.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// A CSV listing written one row at a time: an optional header of the row type's field names,
/// then each row's fields as `serde` writes them, every cell through `csv_cell_out`.
pub struct CsvRows<'a, W: Write + ?Sized> {
    csv: csv::Writer<&'a mut W>,
}

impl<'a, W: Write + ?Sized> CsvRows<'a, W> {
    /// Starts the listing of rows of type `T`, with the header unless `header` is false.
    pub fn new<T: DeserializeOwned>(out: &'a mut W, header: bool) -> io::Result<Self> {
        let mut csv = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(out);
        if header {
            csv.write_record(field_names::<T>()).map_err(csv_io)?;
        }
        Ok(Self { csv })
    }

    pub fn push<T: Serialize>(&mut self, row: &T) -> io::Result<()> {
        let cells = serde_cells(row)?;
        self.csv
            .write_record(
                cells
                    .iter()
                    .map(|c| crate::import::csv_cell_out(c).into_owned()),
            )
            .map_err(csv_io)
    }

    pub fn finish(mut self) -> io::Result<()> {
        self.csv.flush()
    }
}

/// The cells `serde` writes for `row` as one CSV record, before the spreadsheet escape.
fn serde_cells<T: Serialize>(row: &T) -> io::Result<Vec<String>> {
    let mut one = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    one.serialize(row).map_err(csv_io)?;
    let bytes = one
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes.as_slice());
    let mut record = csv::StringRecord::new();
    reader.read_record(&mut record).map_err(csv_io)?;
    Ok(record.iter().map(str::to_owned).collect())
}

/// One setting as `settings list` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SettingRow {
    pub key: String,
    pub value: String,
}

// Every listing (`customer list`, `trash list`, `staff list`, `import list`, `settings list`,
// `log`) is written by `write_listing`, so every listing offers the same `--format
// table|json|csv` and `--no-header`, with a CSV header of the JSON names (D77). It decides
// nothing about what a row holds: the caller gives the rows and the table cells.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_counts_display_columns() {
        assert_eq!(pad("北京", 6), "北京  ");
        assert_eq!(pad("abc", 5), "abc  ");
        assert_eq!(fit("abcdefgh", 5), "abcd…");
        assert_eq!(fit("北京北京", 5), "北京…");
        assert_eq!(pad("a\u{202E}b", 12), "a<U+202E>b  ");
    }

    #[test]
    fn csv_rows_name_the_json_fields_and_escape_formulas() {
        let mut out = Vec::new();
        let mut rows = CsvRows::new::<SettingRow>(&mut out, true).unwrap();
        rows.push(&SettingRow {
            key: "company.name".into(),
            value: "=HYPERLINK(1)".into(),
        })
        .unwrap();
        rows.finish().unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "key,value\ncompany.name,'=HYPERLINK(1)\n");
        let json = serde_json::to_value(SettingRow {
            key: "k".into(),
            value: "v".into(),
        })
        .unwrap();
        let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["key", "value"]);
    }
}
