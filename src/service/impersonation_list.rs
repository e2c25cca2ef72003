//! The query of past and current impersonations (`impersonation list`): records newest first,
//! of one customer or all, for staff who may read the log, as rows of text ready for a table
//! or JSON.

use serde::{Deserialize, Serialize};

use crate::domain::{Impersonation, Timestamp};

/// Impersonations, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ImpersonationList {
    /// Only impersonations of this customer (slug).
    pub customer: Option<String>,
    pub limit: Option<usize>,
}

/// One impersonation as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpersonationRow {
    /// The sequence of its start event.
    pub id: u64,
    pub staff_email: String,
    pub customer_slug: String,
    pub customer_name: String,
    pub reason: String,
    pub started: String,
    pub until: String,
    /// `active`; `ended`; or `lapsed` — past its time limit with no end recorded (the
    /// process holding it was killed), which counts as ended at the limit.
    pub state: String,
    /// How it ended (`returned`, `time-limit`, …), empty while active or lapsed.
    pub how: String,
    pub ended: String,
    /// Whole minutes it lasted (so far, for an active one).
    pub minutes: i64,
}

impl ImpersonationRow {
    pub fn new(record: &Impersonation, now: Timestamp) -> Self {
        let (state, how, ended, end) = match record.ended {
            Some(e) => ("ended", e.how.as_str(), e.at.to_rfc3339(), e.at),
            None if record.until <= now => ("lapsed", "", String::new(), record.until),
            None => ("active", "", String::new(), now),
        };
        Self {
            id: record.id,
            staff_email: record.staff_email.clone(),
            customer_slug: record.customer.slug.clone(),
            customer_name: record.customer.name.clone(),
            reason: record.reason.clone(),
            started: record.started.to_rfc3339(),
            until: record.until.to_rfc3339(),
            state: state.to_owned(),
            how: how.to_owned(),
            ended,
            minutes: end.0.saturating_sub(record.started.0).max(0) / 60_000,
        }
    }

    /// The cells of `impersonation list`'s table, in its header's order.
    pub fn cells(&self) -> Vec<String> {
        use crate::domain::text::display_safe;
        vec![
            self.id.to_string(),
            self.started.clone(),
            display_safe(&self.staff_email),
            display_safe(&self.customer_slug),
            self.state.clone(),
            self.how.clone(),
            self.minutes.to_string(),
            display_safe(&self.reason),
        ]
    }
}
