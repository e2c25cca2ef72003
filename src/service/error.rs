//! Errors of the service layer, each with the exit status the CLI gives it.

use crate::domain::ValidationError;
use crate::store::StoreError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    #[error("no {what} {key}")]
    NotFound { what: &'static str, key: String },
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Refused(String),
    #[error("permission denied: {action} needs the \"{privilege}\" privilege")]
    PermissionDenied {
        action: &'static str,
        privilege: &'static str,
    },
    /// The one message for an unknown email, a wrong password, or an unusable account (R8).
    #[error("email or password is incorrect")]
    BadCredentials,
    #[error("too many failed sign-ins for this email; try again in {minutes} minute(s)")]
    LockedOut { minutes: i64 },
    #[error("this database is already initialised (provider company {company})")]
    AlreadyInitialised { company: String },
    #[error("command {index} of the batch failed: {source}")]
    InBatch {
        index: usize,
        #[source]
        source: Box<ServiceError>,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ServiceError {
    /// The CLI exit status: 1 refused or not found, 3 database in use, 4 storage error,
    /// 128 + N for a backup or restore stopped by signal N.
    pub fn exit_code(&self) -> i32 {
        match self {
            Self::Store(StoreError::InUse { .. }) => 3,
            Self::Store(
                StoreError::NoDatabase { .. }
                | StoreError::NotInitialised { .. }
                | StoreError::Refused { .. },
            ) => 1,
            // 128 + signal, as a shell reports a command killed by it.
            Self::Store(StoreError::Interrupted { signal, .. }) => 128 + signal,
            Self::Store(_) => 4,
            Self::InBatch { source, .. } => source.exit_code(),
            _ => 1,
        }
    }

    pub fn not_found(what: &'static str, key: impl Into<String>) -> Self {
        Self::NotFound {
            what,
            key: crate::domain::text::preview(&key.into()),
        }
    }
}
