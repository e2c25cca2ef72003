//! Errors of the CLI and the exit status each gives.

use crate::service::ServiceError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Service(#[from] ServiceError),
    /// Wrong use that clap cannot see (exit 2).
    #[error("{0}")]
    Usage(String),
    /// An input file named on the command line (a CSV to import, a backup to restore, a key
    /// file) does not exist: the same status, 1, for every command that reads one (D79).
    #[error("{what} {path} does not exist")]
    MissingInput { what: &'static str, path: String },
    /// A check that ran and failed, such as a broken audit chain (exit 1).
    #[error("{0}")]
    CheckFailed(String),
    #[error("writing output: {0}")]
    Output(#[from] std::io::Error),
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
    #[error(transparent)]
    Export(#[from] crate::import::ExportError),
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        Self::Service(e.into())
    }
}

impl CliError {
    /// `Ok` when `path` exists; else the missing-input error naming it as `what` ("the CSV
    /// file", "the backup"). Checked before anything else is done, so a typo costs no sign-in;
    /// any other problem opening the file is left to the command that reads it.
    pub fn require_input(what: &'static str, path: &std::path::Path) -> Result<(), Self> {
        match std::fs::symlink_metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Self::MissingInput {
                what,
                path: crate::domain::text::display_safe(&path.display().to_string()),
            }),
            _ => Ok(()),
        }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Self::Service(e) => e.exit_code(),
            Self::Usage(_) => 2,
            Self::CheckFailed(_) | Self::MissingInput { .. } => 1,
            Self::Output(_) => 4,
            Self::Import(crate::import::ImportError::Service(e)) => e.exit_code(),
            Self::Import(_) => 1,
            Self::Export(crate::import::ExportError::Service(e)) => e.exit_code(),
            Self::Export(_) => 4,
        }
    }

    /// The storage error under this one, through the layers that wrap it.
    fn store_error(&self) -> Option<&StoreError> {
        match self {
            Self::Service(ServiceError::Store(e)) => Some(e),
            Self::Service(ServiceError::InBatch { source, .. }) => match source.as_ref() {
                ServiceError::Store(e) => Some(e),
                _ => None,
            },
            Self::Import(crate::import::ImportError::Service(ServiceError::Store(e)))
            | Self::Export(crate::import::ExportError::Service(ServiceError::Store(e))) => Some(e),
            _ => None,
        }
    }

    /// True when stored data turned out to be damaged (the operator should restore a backup).
    pub fn is_corruption(&self) -> bool {
        self.store_error().is_some_and(StoreError::is_corruption)
    }

    /// True when the operator should be told to restore a backup in a line of its own: damaged
    /// data whose message does not already say so (a corrupt value; a damaged database's
    /// message names `tenantry restore` itself). Decided by the kind, never the text.
    pub fn needs_restore_hint(&self) -> bool {
        matches!(self.store_error(), Some(StoreError::Corrupt { .. }))
    }

    /// True when the error is the failure of a write to the command's output (stdout),
    /// whatever the layer that wrapped it. `main` stays quiet about such a failure when the
    /// output's reader went away (`| head`), which [`super::output::PipeWatch`] records.
    pub fn is_output_failure(&self) -> bool {
        matches!(
            self,
            Self::Output(_)
                | Self::Export(crate::import::ExportError::Io(_))
                | Self::Export(crate::import::ExportError::Csv(_))
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_restore_hint_line_is_chosen_by_the_kind_of_damage() {
        let corrupt = CliError::from(StoreError::corrupt("customers", b"k", "bad"));
        assert!(corrupt.is_corruption() && corrupt.needs_restore_hint());
        assert!(!corrupt.to_string().contains("tenantry restore"));
        let damaged = CliError::from(StoreError::Damaged {
            path: "/srv/db".into(),
            detail: "a torn page".into(),
        });
        assert!(damaged.is_corruption() && !damaged.needs_restore_hint());
        assert!(damaged.to_string().contains("tenantry restore"));
        let refused = CliError::Usage("nothing to change".into());
        assert!(!refused.needs_restore_hint());
    }
}
