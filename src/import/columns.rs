//! The header row: which column holds what. Names match case-insensitively with surrounding
//! spaces ignored (`Owner Email`, `owner_email` and ` OWNER EMAIL ` are the same column).

use super::ImportError;
use crate::domain::fields::{FieldDef, column_key, same_column};
use crate::domain::text::preview;

/// The most items an echoed list shows; the rest are counted, not shown.
pub const MAX_LISTED: usize = 10;

/// `items` for a message: at most [`MAX_LISTED`], each already made safe by the caller, then
/// "… and N more", so a message stays one short line whatever the file holds.
pub fn listed(items: &[String]) -> String {
    let shown = items.iter().take(MAX_LISTED).cloned().collect::<Vec<_>>();
    let mut text = shown.join(", ");
    if items.len() > MAX_LISTED {
        text.push_str(&format!(" … and {} more", items.len() - MAX_LISTED));
    }
    text
}

/// Positions of the known columns in a file's header.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    pub name: usize,
    pub slug: Option<usize>,
    pub owner_email: Option<usize>,
    pub owner_first: Option<usize>,
    pub owner_last: Option<usize>,
    pub owner_name: Option<usize>,
    pub kind: Option<usize>,
    pub status: Option<usize>,
    pub language: Option<usize>,
    pub contact_email: Option<usize>,
    pub contact_phone: Option<usize>,
    pub postal_address: Option<usize>,
    pub website: Option<usize>,
    /// The customers' custom fields in use, each with the column that holds it (`None` when
    /// the file has no such column), in the schema's order.
    pub fields: Vec<(Option<usize>, FieldDef)>,
    /// Header cells as written (as previews), for naming columns in messages.
    pub headers: Vec<String>,
    /// Columns that are not recognised (reported once, then ignored).
    pub unknown: Vec<String>,
}

/// The column names export writes and import reads, in export order.
pub const EXPORT_HEADERS: [&str; 12] = [
    "Name",
    "Slug",
    "Type",
    "Status",
    "Language",
    "Owner Email",
    "Owner First Name",
    "Owner Last Name",
    "Contact Email",
    "Contact Phone",
    "Address",
    "Website",
];

impl Columns {
    /// The columns of a header row; `fields` are the customers' custom fields in use, whose
    /// names are columns too.
    pub fn from_header(
        path: &str,
        cells: &[String],
        fields: &[FieldDef],
    ) -> Result<Self, ImportError> {
        let mut columns = Columns {
            headers: cells.iter().map(|c| preview(c.trim())).collect(),
            fields: fields.iter().map(|f| (None, f.clone())).collect(),
            ..Columns::default()
        };
        let mut name = None;
        for (i, cell) in cells.iter().enumerate() {
            let key = column_key(cell);
            let field = columns
                .fields
                .iter_mut()
                .find(|(_, f)| same_column(&f.name, &key));
            let slot = match key.as_str() {
                "name" => &mut name,
                "slug" => &mut columns.slug,
                "owner email" => &mut columns.owner_email,
                "owner first name" => &mut columns.owner_first,
                "owner last name" => &mut columns.owner_last,
                "owner name" => &mut columns.owner_name,
                "type" => &mut columns.kind,
                "status" => &mut columns.status,
                "language" => &mut columns.language,
                "contact email" => &mut columns.contact_email,
                "contact phone" | "phone" => &mut columns.contact_phone,
                "address" | "postal address" => &mut columns.postal_address,
                "website" => &mut columns.website,
                _ => match field {
                    Some((slot, _)) => slot,
                    None => {
                        if !cell.trim().is_empty() {
                            columns.unknown.push(preview(cell.trim()));
                        }
                        continue;
                    }
                },
            };
            if slot.is_some() {
                return Err(ImportError::File {
                    path: path.to_owned(),
                    reason: format!("the header names column \"{}\" twice", preview(cell.trim())),
                });
            }
            *slot = Some(i);
        }
        let Some(name) = name else {
            return Err(ImportError::File {
                path: path.to_owned(),
                reason: format!(
                    "the header has no Name column (found: {})",
                    listed(&columns.headers)
                ),
            });
        };
        columns.name = name;
        Ok(columns)
    }

    /// The header of column `index` as written, or its number.
    pub fn label(&self, index: usize) -> String {
        self.headers
            .get(index)
            .filter(|h| !h.is_empty())
            .cloned()
            .unwrap_or_else(|| format!("{}", index + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(cells: &[&str]) -> Result<Columns, ImportError> {
        Columns::from_header(
            "f.csv",
            &cells.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
            &[],
        )
    }

    #[test]
    fn headers_match_loosely_and_unknown_ones_are_kept_for_a_warning() {
        let c = cols(&[" NAME ", "owner_email", "Owner  First Name", "Colour"]).unwrap();
        assert_eq!(c.name, 0);
        assert_eq!(c.owner_email, Some(1));
        assert_eq!(c.owner_first, Some(2));
        assert_eq!(c.unknown, vec!["Colour"]);
    }

    #[test]
    fn missing_name_and_duplicates_are_refused() {
        let err = cols(&["Title", "Type"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "f.csv: the header has no Name column (found: Title, Type)"
        );
        let err = cols(&["Name", "name"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "f.csv: the header names column \"name\" twice"
        );
    }
}
