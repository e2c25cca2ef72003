//! Custom fields: a schema in settings of extra fields for customers and for users, each with
//! a name, a type (text, number, date, choice), whether it is required and whether the
//! customer sees it; and the checking of a value against its field. Values are stored as
//! canonical text (a number as written by Rust, a date as `YYYY-MM-DD`, a choice as the
//! schema spells it), so a stored value reads the same whatever the schema becomes. A removed
//! field is kept, marked removed, with its values, until a confirmed cleanup. Pure.

use serde::{Deserialize, Serialize};

use super::ValidationError;
use super::text::{clean_line, preview};

/// The most fields the schema holds, removed ones included.
pub const MAX_FIELDS: usize = 32;
/// The most choices a choice field offers.
pub const MAX_CHOICES: usize = 32;
/// The longest text value.
pub const MAX_TEXT_VALUE: usize = 200;

/// A field's lasting number, by which a stored value names it. Never reused.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct FieldId(pub u32);

/// What a field belongs to. Stored: append variants only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldTarget {
    Customers,
    Users,
}

/// The type of a field's values. Stored: append variants only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    Text,
    Number,
    Date,
    Choice,
}

impl FieldTarget {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customers => "customers",
            Self::Users => "users",
        }
    }
}

impl FieldKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Number => "number",
            Self::Date => "date",
            Self::Choice => "choice",
        }
    }
}

super::roles::text_enum!(
    FieldTarget,
    "for",
    [FieldTarget::Customers, FieldTarget::Users]
);
super::roles::text_enum!(
    FieldKind,
    "type",
    [
        FieldKind::Text,
        FieldKind::Number,
        FieldKind::Date,
        FieldKind::Choice
    ]
);

/// The columns of the customers' and users' CSV files, as [`column_key`] spells them: a
/// custom field may not take one of these names, since a file's columns name fields too.
pub const BUILT_IN_COLUMNS: [&str; 22] = [
    "name",
    "slug",
    "type",
    "status",
    "language",
    "owner email",
    "owner first name",
    "owner last name",
    "owner name",
    "contact email",
    "contact phone",
    "phone",
    "address",
    "postal address",
    "website",
    "system",
    "plan",
    "email",
    "first name",
    "last name",
    "role",
    "customer",
];

/// A column header or field name as compared: trimmed, any case, `-` and `_` read as spaces,
/// runs of spaces as one (`Owner_Email` and ` owner  email ` are the same column).
pub fn column_key(header: &str) -> String {
    column_chars(header).collect()
}

/// True when two headers or names are the same column, as [`column_key`] compares them,
/// without building either key.
pub fn same_column(a: &str, b: &str) -> bool {
    a == b || column_chars(a).eq(column_chars(b))
}

/// The characters of [`column_key`]: the words (split at spaces, `_` and `-`) lowercased and
/// joined by one space.
fn column_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|word| !word.is_empty())
        .enumerate()
        .flat_map(|(i, word)| {
            (i > 0)
                .then_some(' ')
                .into_iter()
                .chain(word.chars().flat_map(char::to_lowercase))
        })
}

/// A field's name: a setting name (letters, digits, spaces, `- _ & .`, at most 40) that is
/// not a built-in column's.
pub fn clean_field_name(raw: &str) -> Result<String, ValidationError> {
    let name = super::services::clean_setting_name("field", raw)?;
    if BUILT_IN_COLUMNS.contains(&column_key(&name).as_str()) {
        return Err(ValidationError::new(
            "field",
            format!("\"{name}\" is a built-in column of the CSV files; choose another name"),
        ));
    }
    Ok(name)
}

/// The choices of a field of `kind`: one at least for a choice field (each a setting name,
/// unique in any case, at most [`MAX_CHOICES`]), none for the other types.
pub fn clean_choices(kind: FieldKind, raw: &[String]) -> Result<Vec<String>, ValidationError> {
    if kind != FieldKind::Choice {
        if raw.is_empty() {
            return Ok(Vec::new());
        }
        return Err(ValidationError::new(
            "choices",
            format!(
                "only a choice field has choices (this one is {})",
                kind.as_str()
            ),
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for choice in raw {
        let choice = super::services::clean_setting_name("choice", choice)?;
        if out
            .iter()
            .any(|c| c.to_lowercase() == choice.to_lowercase())
        {
            return Err(ValidationError::new(
                "choices",
                format!("\"{choice}\" is named twice"),
            ));
        }
        out.push(choice);
    }
    if out.is_empty() {
        return Err(ValidationError::new(
            "choices",
            "a choice field needs its choices (e.g. --choices Gold,Silver)",
        ));
    }
    if out.len() > MAX_CHOICES {
        return Err(ValidationError::new(
            "choices",
            format!("a field offers at most {MAX_CHOICES} choices"),
        ));
    }
    Ok(out)
}

/// One custom field. Stored: append fields only through a migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDef {
    pub id: FieldId,
    pub target: FieldTarget,
    pub name: String,
    pub kind: FieldKind,
    /// The values a choice field takes, in order; empty for other types.
    pub choices: Vec<String>,
    pub required: bool,
    /// Whether the customer's own users see it (and its administrators change it).
    pub customer_visible: bool,
    /// Removed: no longer shown, asked or checked; its values stay until a cleanup.
    pub removed: bool,
    /// Shown as an extra column of the customers' (or users') table, in the console and in
    /// `customer list`.
    pub column: bool,
}

/// Every custom field in the order it was added. Stored: append fields only through a
/// migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSchema {
    pub fields: Vec<FieldDef>,
    pub next_id: u32,
}

impl Default for FieldSchema {
    fn default() -> Self {
        Self {
            fields: Vec::new(),
            next_id: 1,
        }
    }
}

/// One stored value of a custom field. Stored: append fields only through a migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldValue {
    pub field: FieldId,
    pub value: String,
}

impl FieldSchema {
    /// The fields of `target` in use (not removed), in order.
    pub fn live(&self, target: FieldTarget) -> impl Iterator<Item = &FieldDef> {
        self.fields
            .iter()
            .filter(move |f| f.target == target && !f.removed)
    }

    /// The field of `target` called `name` (matched as a CSV header is: any case, `-` and `_`
    /// as spaces), removed ones included.
    pub fn find(&self, target: FieldTarget, name: &str) -> Option<&FieldDef> {
        self.position(target, name).map(|i| &self.fields[i])
    }

    /// Where [`find`](Self::find)'s field stands in the list.
    pub fn position(&self, target: FieldTarget, name: &str) -> Option<usize> {
        self.fields
            .iter()
            .position(|f| f.target == target && same_column(&f.name, name))
    }

    /// The field numbered `id`, removed ones included.
    pub fn get(&self, id: FieldId) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// The live fields of `target` shown as table columns, in order.
    pub fn columns(&self, target: FieldTarget) -> impl Iterator<Item = &FieldDef> {
        self.live(target).filter(|f| f.column)
    }

    /// Adds a field with the next number and returns it.
    pub fn push(&mut self, mut def: FieldDef) -> FieldDef {
        def.id = FieldId(self.next_id);
        self.next_id = self.next_id.saturating_add(1);
        self.fields.push(def.clone());
        def
    }

    /// `values` with each of `changes` (a live field's name and its raw value; an empty value
    /// clears it) checked and applied; then every required live field of `target` must have a
    /// value. Values of removed fields are kept as they are.
    pub fn apply(
        &self,
        target: FieldTarget,
        values: &[FieldValue],
        changes: &[(String, String)],
    ) -> Result<Vec<FieldValue>, ValidationError> {
        let mut out = values.to_vec();
        for (name, raw) in changes {
            let def = self
                .find(target, name)
                .filter(|f| !f.removed)
                .ok_or_else(|| self.unknown(target, name))?;
            out.retain(|v| v.field != def.id);
            if !raw.trim().is_empty() {
                out.push(FieldValue {
                    field: def.id,
                    value: def.clean_value(raw)?,
                });
            }
        }
        for def in self.live(target).filter(|f| f.required) {
            if !out.iter().any(|v| v.field == def.id) {
                return Err(ValidationError::new(
                    def.name.clone(),
                    "needs a value (a required custom field)",
                ));
            }
        }
        out.sort_by_key(|v| v.field);
        Ok(out)
    }

    /// The value of the field `def` among `values`.
    pub fn value_of<'v>(def: &FieldDef, values: &'v [FieldValue]) -> Option<&'v str> {
        values
            .iter()
            .find(|v| v.field == def.id)
            .map(|v| v.value.as_str())
    }

    fn unknown(&self, target: FieldTarget, name: &str) -> ValidationError {
        let names: Vec<&str> = self.live(target).map(|f| f.name.as_str()).collect();
        let known = if names.is_empty() {
            format!("there are no custom fields for {}", target.as_str())
        } else {
            format!(
                "the fields for {} are {}",
                target.as_str(),
                names.join(", ")
            )
        };
        ValidationError::new("field", format!("no field \"{}\"; {known}", preview(name)))
    }
}

impl FieldDef {
    /// Checks `raw` against the field's type and returns its canonical text: text one line of
    /// at most 200 characters; a number as decimal digits with an optional sign and fraction
    /// (`-3`, `2.50` becomes `2.5`); a date `YYYY-MM-DD` that exists; a choice one of the
    /// field's choices, any case, as the schema spells it. The error names the field.
    pub fn clean_value(&self, raw: &str) -> Result<String, ValidationError> {
        let text = clean_line(&self.name, raw, 1, MAX_TEXT_VALUE)?;
        let refuse = |what: String| Err(ValidationError::new(self.name.clone(), what));
        match self.kind {
            FieldKind::Text => Ok(text),
            FieldKind::Number => match canonical_number(&text) {
                Some(n) => Ok(n),
                None => refuse(format!("\"{}\" is not a number", preview(&text))),
            },
            FieldKind::Date => match chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
                Ok(d) if text.len() == 10 => Ok(d.format("%Y-%m-%d").to_string()),
                _ => refuse(format!(
                    "\"{}\" is not a date (YYYY-MM-DD, e.g. 2026-12-31)",
                    preview(&text)
                )),
            },
            FieldKind::Choice => {
                let wanted = text.to_lowercase();
                match self.choices.iter().find(|c| c.to_lowercase() == wanted) {
                    Some(c) => Ok(c.clone()),
                    None => refuse(format!(
                        "\"{}\" is not one of {}",
                        preview(&text),
                        self.choices.join(", ")
                    )),
                }
            }
        }
    }
}

/// A decimal number of at most 30 characters (`-12`, `3.25`, `+0.5`), with the sign, leading
/// zeros of the whole part and trailing zeros of the fraction dropped: `+007.50` is `7.5`.
fn canonical_number(text: &str) -> Option<String> {
    if text.len() > 30 {
        return None;
    }
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty()
        || !all_digits(whole)
        || !all_digits(fraction)
        || digits.ends_with('.')
    {
        return None;
    }
    let whole = whole.trim_start_matches('0');
    let fraction = fraction.trim_end_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let zero = whole == "0" && fraction.is_empty();
    let sign = if negative && !zero { "-" } else { "" };
    Some(if fraction.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(kind: FieldKind) -> FieldDef {
        FieldDef {
            id: FieldId(0),
            target: FieldTarget::Customers,
            name: "Cost centre".into(),
            kind,
            choices: vec!["Gold".into(), "Silver".into()],
            required: false,
            customer_visible: false,
            removed: false,
            column: false,
        }
    }

    #[test]
    fn each_type_checks_and_canonicalises_its_values_naming_the_field() {
        let number = field(FieldKind::Number);
        for (raw, canonical) in [
            ("42", "42"),
            (" -3 ", "-3"),
            ("+007.50", "7.5"),
            ("0.0", "0"),
            ("-0", "0"),
            (".5", "0.5"),
        ] {
            assert_eq!(number.clean_value(raw).unwrap(), canonical, "{raw:?}");
        }
        for bad in ["", "1e5", "4.", "1,5", "--1", "x", "12 3", &"1".repeat(31)] {
            let err = number.clean_value(bad).unwrap_err();
            assert_eq!(err.field, "Cost centre", "{bad:?}");
        }
        let date = field(FieldKind::Date);
        assert_eq!(date.clean_value("2026-02-28").unwrap(), "2026-02-28");
        for bad in ["2026-02-30", "2026-2-3", "28.02.2026", "2026-02-28T00:00"] {
            assert!(date.clean_value(bad).is_err(), "{bad:?}");
        }
        let choice = field(FieldKind::Choice);
        assert_eq!(choice.clean_value("silver").unwrap(), "Silver");
        assert!(
            choice
                .clean_value("Bronze")
                .unwrap_err()
                .reason
                .contains("Gold, Silver")
        );
        let text = field(FieldKind::Text);
        assert_eq!(text.clean_value("  CC 7 ").unwrap(), "CC 7");
        assert!(text.clean_value("a\nb").is_err());
        assert!(text.clean_value(&"x".repeat(201)).is_err());
    }

    #[test]
    fn columns_compare_by_words_in_any_case_with_dashes_and_underscores_as_spaces() {
        assert_eq!(column_key("  Owner__EMAIL "), "owner email");
        assert_eq!(column_key("cost-centre"), "cost centre");
        for (a, b) in [
            ("Cost centre", "cost_centre"),
            ("Cost centre", " COST   CENTRE "),
            ("Straße", "STRASSE".to_lowercase().as_str()),
        ] {
            assert_eq!(
                same_column(a, b),
                column_key(a) == column_key(b),
                "{a} / {b}"
            );
        }
        assert!(same_column("Cost centre", "cost-centre"));
        assert!(!same_column("Cost centre", "Cost centres"));
        assert!(!same_column("Tier", ""));
    }

    #[test]
    fn applying_checks_names_required_fields_and_keeps_removed_values() {
        let mut schema = FieldSchema::default();
        let mut required = field(FieldKind::Text);
        required.required = true;
        let cost = schema.push(required);
        let mut old = field(FieldKind::Number);
        old.name = "Old".into();
        old.removed = true;
        let old = schema.push(old);
        let stored = vec![FieldValue {
            field: old.id,
            value: "7".into(),
        }];
        let err = schema
            .apply(FieldTarget::Customers, &stored, &[])
            .unwrap_err();
        assert_eq!(err.field, "Cost centre");
        let set = schema
            .apply(
                FieldTarget::Customers,
                &stored,
                &[("cost CENTRE".into(), "CC-1".into())],
            )
            .unwrap();
        assert_eq!(set.len(), 2);
        assert_eq!(FieldSchema::value_of(&cost, &set), Some("CC-1"));
        let err = schema
            .apply(FieldTarget::Customers, &set, &[("Old".into(), "1".into())])
            .unwrap_err();
        assert!(
            err.reason
                .contains("the fields for customers are Cost centre")
        );
        assert!(
            schema
                .apply(
                    FieldTarget::Users,
                    &[],
                    &[("Cost centre".into(), "x".into())]
                )
                .unwrap_err()
                .reason
                .contains("no custom fields for users")
        );
        assert!(
            schema
                .apply(
                    FieldTarget::Customers,
                    &set,
                    &[("Cost centre".into(), " ".into())]
                )
                .is_err(),
            "clearing a required field"
        );
    }
}
