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

    /// True when stored data turned out to be damaged (the operator should restore a backup).
    pub fn is_corruption(&self) -> bool {
        match self {
            Self::Service(ServiceError::Store(e)) => e.is_corruption(),
            Self::Service(ServiceError::InBatch { source, .. }) => {
                matches!(source.as_ref(), ServiceError::Store(e) if e.is_corruption())
            }
            Self::Import(crate::import::ImportError::Service(ServiceError::Store(e)))
            | Self::Export(crate::import::ExportError::Service(ServiceError::Store(e))) => {
                e.is_corruption()
            }
            _ => false,
        }
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
