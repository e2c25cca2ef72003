//! Containment of panics raised inside the storage engine. sled 0.34 panics on some damaged
//! data files instead of returning an error (a truncated segment gives "index out of bounds"
//! or "tried to serialize Uninitialized" while it recovers). Every call into sled that reads
//! or writes its files is meant to go through [`guard`] (or [`Guarded`] for iterators), which
//! turns such a panic into [`StoreError::Damaged`] naming the database and how to restore it.
//!
//! A panic hook is global, so containment works with a thread-local depth counter: while it is
//! above zero the panic came from code run by [`guard`], and the hook installed by
//! [`quiet_contained_panics`] logs it instead of printing a report and backtrace. Panics of
//! sled's own background threads (named `sled…`) are treated the same way. Every other panic
//! reaches the previous hook untouched.
//!
//! Must not: contain panics of tenantry's own code (a transaction closure runs inside a guard;
//! the hook recognises tenantry's source by its relative path and lets such a panic unwind on
//! as the bug it is), retry, or repair anything. Without the hook installed (library use,
//! unit tests) every panic inside a guard is contained. After a contained panic sled's state cannot be trusted: [`contained_panic`] tells
//! the store to leak its handles instead of letting sled flush on drop, and tells long-running
//! front ends (the console) to stop.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::StoreError;
use crate::domain::text::display_safe;

thread_local! {
    /// How many guarded calls are running on this thread.
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    /// Set by the hook when a panic inside a guarded call was raised by tenantry's own code
    /// (a transaction closure runs inside [`guard`]): [`guard`] lets that one go on unwinding.
    static OWN_PANIC: Cell<bool> = const { Cell::new(false) };
}

/// The first panic contained in this process, if any: the database it concerned (unknown for
/// sled's background threads) and the message to report.
static CONTAINED: Mutex<Option<(Option<PathBuf>, String)>> = Mutex::new(None);

/// What the operator is told when the engine panicked: its panic text goes to the log only.
const STOPPED: &str = "the storage engine stopped on damaged data";

/// Runs `f`, a call into sled, and turns a panic raised inside it into
/// [`StoreError::Damaged`] for the database at `path`.
pub(crate) fn guard<T>(path: &Path, f: impl FnOnce() -> T) -> Result<T, StoreError> {
    let outermost = DEPTH.with(|d| {
        let depth = d.get();
        d.set(depth.saturating_add(1));
        depth == 0
    });
    if outermost {
        super::watchdog::begin(path);
    }
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    if outermost {
        super::watchdog::end();
    }
    DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    if result.is_err() && OWN_PANIC.with(|o| o.replace(false)) {
        if let Err(payload) = result {
            panic::resume_unwind(payload);
        }
    }
    result.map_err(|payload| {
        let reason = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown failure".to_owned());
        // The engine's own words ("index out of bounds: the len is 3 …") are for the log;
        // the operator gets one clean line.
        tracing::error!(db = %display_safe(&path.display().to_string()), panic = %display_safe(&reason), "storage engine stopped on damaged data");
        let err = StoreError::Damaged {
            path: display_safe(&path.display().to_string()),
            detail: STOPPED.to_owned(),
        };
        remember(Some(path), err.to_string());
        err
    })
}

fn remember(path: Option<&Path>, message: String) {
    let mut contained = CONTAINED.lock().unwrap_or_else(|p| p.into_inner());
    contained.get_or_insert((path.map(Path::to_path_buf), message));
}

/// The message of the first panic contained in this process (a damaged database), if any.
pub fn contained_panic() -> Option<String> {
    let contained = CONTAINED.lock().unwrap_or_else(|p| p.into_inner());
    contained.as_ref().map(|(_, message)| message.clone())
}

/// True when a contained panic concerned the database at `path` (or an unknown one).
pub(crate) fn panicked_at(path: &Path) -> bool {
    let contained = CONTAINED.lock().unwrap_or_else(|p| p.into_inner());
    contained
        .as_ref()
        .is_some_and(|(at, _)| at.as_deref().is_none_or(|at| at == path))
}

/// True while this thread runs a guarded call, or when it is one of sled's own threads.
fn inside_engine() -> bool {
    DEPTH.with(|d| d.get() > 0)
        || std::thread::current()
            .name()
            .is_some_and(|n| n.starts_with("sled"))
}

/// Wraps the current panic hook so that a panic raised inside the storage engine is logged
/// (one `ERROR` line in the log file) and not printed: the caller reports it as a damaged
/// database. Call it after installing any other hook (color-eyre, the console's terminal
/// restore), so that it runs first.
pub fn quiet_contained_panics() {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if !inside_engine() {
            previous(info);
            return;
        }
        // tenantry's own code is compiled with relative source paths; sled and std are not.
        if info
            .location()
            .is_some_and(|l| !Path::new(l.file()).is_absolute())
        {
            OWN_PANIC.with(|o| o.set(true));
            previous(info);
            return;
        }
        let message = display_safe(&info.to_string());
        if DEPTH.with(|d| d.get() == 0) {
            // A background thread of sled: no guarded call will report it, so keep it here.
            remember(
                None,
                format!(
                    "{STOPPED}; restore the latest backup with `tenantry restore FILE --db NEW_PATH`"
                ),
            );
        }
        tracing::error!(panic = %message, "storage engine panicked; reported as a damaged database");
    }));
}

/// A sled iterator whose every step runs inside [`guard`]. A panic ends the iteration with
/// one `Corruption` error (reported by the store as a damaged database), and so does any
/// error sled yields: the iteration is fused after its first error.
pub(crate) struct Guarded<'p, I> {
    inner: Option<I>,
    path: &'p Path,
}

impl<'p, I> Guarded<'p, I> {
    pub(crate) fn new(path: &'p Path, inner: I) -> Self {
        Self {
            inner: Some(inner),
            path,
        }
    }

    fn step<T>(
        &mut self,
        next: impl FnOnce(&mut I) -> Option<sled::Result<T>>,
    ) -> Option<sled::Result<T>> {
        let inner = self.inner.as_mut()?;
        match guard(self.path, || next(inner)) {
            Ok(Some(Err(e))) => {
                // sled does not move past an entry it cannot read: asked again, it reads the
                // same damaged page and fails the same way, for ever. A caller that notes the
                // error and walks on (`verify_chain`) would spin, so the error ends the walk.
                self.inner = None;
                Some(Err(e))
            }
            Ok(item) => item,
            Err(_) => {
                // Do not touch an iterator that panicked again; leak it rather than drop it.
                std::mem::forget(self.inner.take());
                Some(Err(sled::Error::Corruption { at: None, bt: () }))
            }
        }
    }
}

impl<I, T> Iterator for Guarded<'_, I>
where
    I: Iterator<Item = sled::Result<T>>,
{
    type Item = sled::Result<T>;

    fn next(&mut self) -> Option<Self::Item> {
        self.step(Iterator::next)
    }
}

impl<I, T> DoubleEndedIterator for Guarded<'_, I>
where
    I: DoubleEndedIterator<Item = sled::Result<T>>,
{
    fn next_back(&mut self) -> Option<Self::Item> {
        self.step(DoubleEndedIterator::next_back)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A panic as sled raises it, as far as the hook can tell: `resume_unwind` runs no hook,
    /// so the location check cannot mistake it for tenantry's own.
    fn engine_panic(message: &'static str) -> ! {
        panic::resume_unwind(Box::new(message))
    }

    #[test]
    fn a_panic_inside_a_guard_is_a_damaged_database() {
        let err = guard(Path::new("/srv/db"), || -> u8 {
            engine_panic("index out of bounds")
        })
        .unwrap_err();
        let text = err.to_string();
        assert!(err.is_corruption(), "{text}");
        assert!(text.contains("/srv/db"), "{text}");
        assert!(!text.contains("index out of bounds"), "{text}");
        assert!(text.contains("tenantry restore"), "{text}");
        assert!(contained_panic().is_some());
        assert!(panicked_at(Path::new("/srv/db")));
        assert!(!panicked_at(Path::new("/srv/other")));
        assert_eq!(guard(Path::new("/srv/db"), || 7).unwrap(), 7);
    }

    #[test]
    fn a_guarded_iterator_ends_with_one_error_after_a_panic() {
        let items = (0..5).map(|i| {
            if i == 2 {
                engine_panic("damaged segment");
            }
            Ok::<_, sled::Error>(i)
        });
        let seen: Vec<_> = Guarded::new(Path::new("/srv/db"), items).collect();
        assert_eq!(seen.len(), 3);
        assert!(matches!(seen[2], Err(sled::Error::Corruption { .. })));
    }

    #[test]
    fn a_guarded_iterator_ends_after_the_first_error_sled_repeats_for_ever() {
        // What sled does on a page it cannot read: the same error on every call.
        let for_ever =
            std::iter::repeat_with(|| Err::<u8, _>(sled::Error::Corruption { at: None, bt: () }));
        let seen: Vec<_> = Guarded::new(Path::new("/srv/db"), for_ever)
            .take(1000)
            .collect();
        assert_eq!(seen.len(), 1, "the walk did not end at the error");
    }

    #[test]
    fn a_panic_of_tenantrys_own_code_inside_a_guard_unwinds_on() {
        static HOOK: std::sync::Once = std::sync::Once::new();
        HOOK.call_once(quiet_contained_panics);
        let path = Path::new("/srv/own-bug");
        let outcome = panic::catch_unwind(|| guard(path, || -> u8 { panic!("a bug in tenantry") }));
        assert!(
            outcome.is_err(),
            "the bug was reported as a damaged database"
        );
        assert!(!panicked_at(path));
    }
}
