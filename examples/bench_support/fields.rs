//! The five custom fields the benchmarks define and fill, one of each type and a second text
//! field, so a run measures what exists with and without them side by side.

use tenantry::domain::fields::{FieldKind, FieldTarget};
use tenantry::service::{FieldCommand, NewField, Service, Session};

/// Name, type and whether it is a column of the console's table.
pub const FIELDS: [(&str, FieldKind, bool); 5] = [
    ("Cost centre", FieldKind::Text, true),
    ("Seats", FieldKind::Number, false),
    ("Contract end", FieldKind::Date, false),
    ("Tier", FieldKind::Choice, true),
    ("Account manager", FieldKind::Text, false),
];

/// The CSV header cells of the five fields, in order.
pub fn names() -> Vec<&'static str> {
    FIELDS.iter().map(|(name, _, _)| *name).collect()
}

/// Defines the five fields for customers (the first required).
pub fn define(service: &Service, owner: &Session) -> Result<(), Box<dyn std::error::Error>> {
    for (i, (name, kind, column)) in FIELDS.into_iter().enumerate() {
        service.execute(
            owner,
            FieldCommand::Add(NewField {
                target: FieldTarget::Customers,
                name: name.into(),
                kind,
                choices: if kind == FieldKind::Choice {
                    vec!["Gold".into(), "Silver".into(), "Bronze".into()]
                } else {
                    Vec::new()
                },
                required: i == 0,
                customer_visible: false,
                column,
            }),
        )?;
    }
    Ok(())
}

/// The raw values of row `k`, one per field in order.
pub fn values(k: usize) -> [String; 5] {
    [
        format!("CC-{:04}", k % 10_000),
        (k % 500).to_string(),
        format!("2027-{:02}-{:02}", k % 12 + 1, k % 28 + 1),
        ["Gold", "Silver", "Bronze"][k % 3].to_owned(),
        format!("Manager {}", k % 97),
    ]
}

/// Row `k`'s values as a command carries them.
pub fn pairs(k: usize) -> Vec<(String, String)> {
    names()
        .into_iter()
        .map(str::to_owned)
        .zip(values(k))
        .collect()
}
