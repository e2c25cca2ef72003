//! The catalogue of services a customer can have (Websites, Email, DNS, …): each with a
//! name and whether a new customer has it by default. Pure: a catalogue and its rules, stored
//! under its own meta record (absent means the defaults), so no stored type changed.

use serde::{Deserialize, Serialize};

use super::ValidationError;
use super::text::{clean_line, preview};

/// The longest service name.
pub const MAX_SERVICE_NAME: usize = 40;
/// The most services a catalogue holds.
pub const MAX_SERVICES: usize = 64;

/// One service of the catalogue. Stored: append fields only through a migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceDef {
    pub name: String,
    /// Whether a customer that does not say otherwise has it.
    pub default_on: bool,
}

/// The services in the order they were added. Stored: append fields only through a
/// migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCatalogue {
    pub services: Vec<ServiceDef>,
}

impl Default for ServiceCatalogue {
    /// Websites, Email, DNS and Backups on; Storage and Workflow off.
    fn default() -> Self {
        let def = |name: &str, default_on| ServiceDef {
            name: name.into(),
            default_on,
        };
        Self {
            services: vec![
                def("Websites", true),
                def("Email", true),
                def("DNS", true),
                def("Backups", true),
                def("Storage", false),
                def("Workflow", false),
            ],
        }
    }
}

impl ServiceCatalogue {
    /// The position of the service called `name`, any case.
    pub fn find(&self, name: &str) -> Option<usize> {
        let wanted = name.trim().to_lowercase();
        self.services
            .iter()
            .position(|s| s.name.to_lowercase() == wanted)
    }

    /// The position of `name`, or a refusal naming the services there are.
    pub fn require(&self, name: &str) -> Result<usize, ValidationError> {
        self.find(name).ok_or_else(|| {
            let names: Vec<&str> = self.services.iter().map(|s| s.name.as_str()).collect();
            ValidationError::new(
                "service",
                format!(
                    "no service \"{}\"; the catalogue has {}",
                    preview(name),
                    names.join(", ")
                ),
            )
        })
    }
}

/// Checks a service name: one line of 1–40 characters of letters, digits, spaces, `-`, `&`
/// and `.`, so it reads the same in a table, a CSV column and a flag.
pub fn clean_service_name(raw: &str) -> Result<String, ValidationError> {
    let name = clean_line("service", raw, 1, MAX_SERVICE_NAME)?;
    let allowed = name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '&' | '.'));
    if !allowed {
        return Err(ValidationError::new(
            "service",
            format!(
                "\"{}\" may hold letters, digits, spaces, - & and . only",
                preview(&name)
            ),
        ));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_catalogue_and_its_names() {
        let c = ServiceCatalogue::default();
        let on: Vec<&str> = c
            .services
            .iter()
            .filter(|s| s.default_on)
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(on, ["Websites", "Email", "DNS", "Backups"]);
        assert_eq!(c.find(" dns "), Some(2));
        assert!(
            c.require("Mail")
                .unwrap_err()
                .reason
                .contains("Websites, Email")
        );
        assert_eq!(
            clean_service_name(" Object Storage ").unwrap(),
            "Object Storage"
        );
        for bad in ["", "a/b", "x\ny", &"s".repeat(41)] {
            assert_eq!(
                clean_service_name(bad).unwrap_err().field,
                "service",
                "{bad:?}"
            );
        }
    }
}
