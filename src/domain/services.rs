//! The catalogue of services a customer can have (Websites, Email, DNS, …): each with a
//! number, a name and whether a customer has it by default, and what a customer's overrides
//! make of it. Pure: a catalogue and its rules, stored under its own meta record (absent
//! means the defaults).

use serde::{Deserialize, Serialize};

use super::ValidationError;
use super::text::{clean_line, preview};

/// The longest name of a service, system or plan.
pub const MAX_SERVICE_NAME: usize = 40;
/// The most services a catalogue holds.
pub const MAX_SERVICES: usize = 64;

/// A service's lasting number: a customer's override names the service by it, so a renamed
/// service keeps its overrides. Never reused.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct ServiceId(pub u32);

/// One service of the catalogue. Stored: append fields only through a migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceDef {
    pub id: ServiceId,
    pub name: String,
    /// Whether a customer that does not say otherwise has it.
    pub default_on: bool,
}

impl super::named::Named for ServiceDef {
    fn name(&self) -> &str {
        &self.name
    }
}

/// The services in the order they were added, and the number the next one gets (schema 5).
/// Stored: append fields only through a migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCatalogue {
    pub services: Vec<ServiceDef>,
    pub next_id: u32,
}

/// A customer's own choice for one service, instead of the catalogue's default. Stored:
/// append fields only through a migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceOverride {
    pub service: ServiceId,
    pub on: bool,
}

/// Where a customer's setting of a service comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServiceSource {
    /// The catalogue's default, followed when the default changes.
    Inherited,
    /// The customer's own choice, kept when the default changes.
    Overridden,
}

impl ServiceSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Inherited => "inherited",
            Self::Overridden => "overridden",
        }
    }
}

/// One service as a customer has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerService {
    pub name: String,
    pub on: bool,
    pub source: ServiceSource,
}

/// The catalogue's services as a customer with `overrides` has them, in catalogue order.
/// An override of a service no longer in the catalogue counts for nothing.
pub fn customer_services(
    catalogue: &ServiceCatalogue,
    overrides: &[ServiceOverride],
) -> Vec<CustomerService> {
    catalogue
        .services
        .iter()
        .map(|def| match overrides.iter().find(|o| o.service == def.id) {
            Some(o) => CustomerService {
                name: def.name.clone(),
                on: o.on,
                source: ServiceSource::Overridden,
            },
            None => CustomerService {
                name: def.name.clone(),
                on: def.default_on,
                source: ServiceSource::Inherited,
            },
        })
        .collect()
}

impl Default for ServiceCatalogue {
    /// Websites, Email, DNS and Backups on; Storage and Workflow off; numbered 1 to 6.
    fn default() -> Self {
        let names = [
            ("Websites", true),
            ("Email", true),
            ("DNS", true),
            ("Backups", true),
            ("Storage", false),
            ("Workflow", false),
        ];
        let mut catalogue = Self {
            services: Vec::new(),
            next_id: 1,
        };
        for (name, default_on) in names {
            catalogue.push(name.into(), default_on);
        }
        catalogue
    }
}

impl ServiceCatalogue {
    /// Adds a service with the next number and returns it.
    pub fn push(&mut self, name: String, default_on: bool) -> ServiceDef {
        let def = ServiceDef {
            id: ServiceId(self.next_id),
            name,
            default_on,
        };
        self.next_id = self.next_id.saturating_add(1);
        self.services.push(def.clone());
        def
    }

    /// The position of the service called `name`, any case.
    pub fn find(&self, name: &str) -> Option<usize> {
        super::named::find(&self.services, name)
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

/// Checks a service name (see [`clean_setting_name`]).
pub fn clean_service_name(raw: &str) -> Result<String, ValidationError> {
    clean_setting_name("service", raw)
}

/// Checks the name of something in settings (a service, a system, a plan): one line of 1–40
/// characters of letters, digits, spaces, `-`, `_`, `&` and `.`, so it reads the same in a
/// table, a CSV column and a comma-separated flag.
pub fn clean_setting_name(field: &'static str, raw: &str) -> Result<String, ValidationError> {
    let name = clean_line(field, raw, 1, MAX_SERVICE_NAME)?;
    let allowed = name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '&' | '.'));
    if !allowed {
        return Err(ValidationError::new(
            field,
            format!(
                "\"{}\" may hold letters, digits, spaces, - _ & and . only",
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
