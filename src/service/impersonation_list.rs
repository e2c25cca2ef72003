//! The query of past and current impersonations (`impersonation list`): records newest first,
//! of one customer or all, for staff who may read the log.

use serde::{Deserialize, Serialize};

/// Impersonations, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ImpersonationList {
    /// Only impersonations of this customer (slug).
    pub customer: Option<String>,
    pub limit: Option<usize>,
}
