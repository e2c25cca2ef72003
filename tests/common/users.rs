//! Small builders of user commands and refusals, shared by the people tests.

use tenantry::domain::CustomerRole;
use tenantry::service::{NewUser, Outcome, ServiceError, UserCommand};

/// Adds `email` to `customer` with `role` (Una User, the customer's language).
pub fn new_user(customer: &str, email: &str, role: CustomerRole) -> UserCommand {
    UserCommand::Add(NewUser {
        customer: customer.into(),
        email: email.into(),
        first_name: "Una".into(),
        last_name: "User".into(),
        role,
        language: None,
        fields: Vec::new(),
    })
}

/// The refusal's text; panics if the command went through.
pub fn refusal(result: Result<Outcome, ServiceError>) -> String {
    match result {
        Err(e) => e.to_string(),
        Ok(o) => panic!("expected a refusal, got {o:?}"),
    }
}
