//! The import worker: runs `import_customers` (a dry run for the preview, or the real import)
//! on its own thread and reports over a channel as actions: rows checked, writing progress
//! with the time since writing began, and the result with a bounded list of rows. Also writes
//! the saved summary file (0600, never replacing a file unless told to).
//!
//! Owned by the runtime; it draws nothing and never touches the app's state.

use std::fs::OpenOptions;
use std::io::{ErrorKind, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::thread::JoinHandle;
use std::time::Instant;

use super::action::Action;
use super::modals::import::{ImportReport, KeptRows};
use crate::backend::Backend;
use crate::domain::text::display_safe;
use crate::import::{
    ImportError, ImportObserver, ImportOptions, Progress, RowReport, import_customers,
};

/// Rows between two "rows checked" messages.
const CHECKED_EVERY: u64 = 1_000;

/// A running check or import.
pub struct ImportWorker {
    cancel: Arc<AtomicBool>,
    rx: Receiver<Action>,
    handle: Option<JoinHandle<()>>,
}

impl ImportWorker {
    /// Starts `import_customers` on a thread. `path` is as typed (`~` is the home directory).
    pub fn start(
        backend: Arc<dyn Backend>,
        path: &str,
        options: ImportOptions,
    ) -> std::io::Result<Self> {
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = channel();
        let stop = cancel.clone();
        let path = expand_home(path);
        let handle = std::thread::Builder::new()
            .name("import".into())
            .spawn(move || run(backend.as_ref(), &path, &options, stop, tx))?;
        Ok(Self {
            cancel,
            rx,
            handle: Some(handle),
        })
    }

    /// Asks the worker to stop at the next row (checking) or after the batch being written.
    pub fn stop(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }

    /// What the worker sent since the last call, and whether it has finished.
    pub fn poll(&mut self) -> (Vec<Action>, bool) {
        let mut out = Vec::new();
        loop {
            match self.rx.try_recv() {
                Ok(action) => out.push(action),
                Err(TryRecvError::Empty) => return (out, false),
                Err(TryRecvError::Disconnected) => return (out, true),
            }
        }
    }

    /// Stops the worker and waits for it (a batch being written is finished first).
    pub fn join(mut self) {
        self.stop();
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

/// Follows the import: keeps the rows for display, counts them, and times the writing.
struct Observer {
    tx: Sender<Action>,
    cancel: Arc<AtomicBool>,
    kept: KeptRows,
    rows: u64,
    writing_since: Option<Instant>,
}

impl ImportObserver for Observer {
    fn row(&mut self, report: &RowReport) {
        self.kept.keep(report);
        self.rows += 1;
        if self.rows % CHECKED_EVERY == 0 {
            let _ = self.tx.send(Action::ImportChecked(self.rows));
        }
    }

    fn progress(&mut self, progress: Progress) {
        let since = *self.writing_since.get_or_insert_with(Instant::now);
        let _ = self.tx.send(Action::ImportWriting {
            written: progress.written,
            to_write: progress.to_write,
            elapsed_ms: since.elapsed().as_millis() as u64,
        });
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

fn run(
    backend: &dyn Backend,
    path: &Path,
    options: &ImportOptions,
    cancel: Arc<AtomicBool>,
    tx: Sender<Action>,
) {
    let mut observer = Observer {
        tx: tx.clone(),
        cancel,
        kept: KeptRows::default(),
        rows: 0,
        writing_since: None,
    };
    let result = import_customers(backend, path, options, &mut observer);
    let kept = std::mem::take(&mut observer.kept);
    let action = match result {
        Ok(summary) => {
            let report = Box::new(ImportReport { summary, kept });
            if options.dry_run {
                Action::ImportPreviewed(report)
            } else {
                Action::ImportFinished(report)
            }
        }
        Err(err) => Action::ImportFailed {
            reason: failure(&err, options.dry_run),
            kept: Box::new(kept),
        },
    };
    let _ = tx.send(action);
}

/// A failure as the modal shows it: a file's problem without repeating the path.
fn failure(err: &ImportError, dry_run: bool) -> String {
    match err {
        ImportError::File { reason, .. } => display_safe(reason),
        ImportError::Cancelled { .. } if dry_run => {
            "the check was stopped; nothing was written".into()
        }
        ImportError::Cancelled { .. } => {
            "stopped: written batches stay, and importing the same file again resumes".into()
        }
        other => display_safe(&other.to_string()),
    }
}

/// `~` or `~/…` made absolute with `$HOME`; anything else as typed.
pub fn expand_home(text: &str) -> PathBuf {
    let text = text.trim();
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty());
    match (text.strip_prefix('~'), home) {
        (Some(""), Some(home)) => PathBuf::from(home),
        (Some(rest), Some(home)) if rest.starts_with('/') => {
            PathBuf::from(home).join(rest.trim_start_matches('/'))
        }
        _ => PathBuf::from(text),
    }
}

/// Writes a saved summary, readable by its owner only. Without `overwrite` an existing file
/// is left alone and reported as [`Action::ReportExists`].
pub fn save_report(path: &str, text: &str, overwrite: bool) -> Action {
    let target = expand_home(path);
    let mut options = OpenOptions::new();
    options.write(true).mode(0o600);
    if overwrite {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let written = options.open(&target).and_then(|mut file| {
        // An existing file keeps its mode when replaced; make it 0600 too.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        file.write_all(text.as_bytes())?;
        file.sync_all()
    });
    let shown = display_safe(&target.display().to_string());
    match written {
        Ok(()) => Action::ReportSaved(shown),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Action::ReportExists(path.to_owned()),
        Err(e) => Action::ReportFailed(format!("{shown}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_report_is_private_and_not_replaced_without_asking() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.txt").display().to_string();
        assert!(matches!(
            save_report(&path, "one", false),
            Action::ReportSaved(_)
        ));
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(matches!(
            save_report(&path, "two", false),
            Action::ReportExists(p) if p == path
        ));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one");
        assert!(matches!(
            save_report(&path, "two", true),
            Action::ReportSaved(_)
        ));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        let missing = dir.path().join("no/such/dir/r.txt").display().to_string();
        assert!(matches!(
            save_report(&missing, "x", false),
            Action::ReportFailed(_)
        ));
    }

    #[test]
    fn a_tilde_is_the_home_directory() {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        if let Some(home) = home.filter(|h| !h.as_os_str().is_empty()) {
            assert_eq!(expand_home("~/a.csv"), home.join("a.csv"));
            assert_eq!(expand_home("~"), home);
        }
        assert_eq!(expand_home("~x/a.csv"), PathBuf::from("~x/a.csv"));
        assert_eq!(expand_home(" /tmp/a.csv "), PathBuf::from("/tmp/a.csv"));
    }
}
