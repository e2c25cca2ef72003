//! Opening a file that must be a regular file: the one helper the importer and the restore
//! share so neither can be pointed at a pipe, a device or a directory.
//!
//! The file is opened with `O_NONBLOCK`, so a FIFO with no writer does not hang `open()` (a
//! process blocked there ignores nothing but also reaches no signal check), then its type is
//! taken from the open descriptor, not from the path, so nothing can swap the file between
//! the check and the read.
//!
//! It also says whether a file (a signing key) could be replaced by another user: owned by
//! someone other than us or root, or reached through a directory others may write.
//!
//! This module only opens and classifies; callers word the refusal and decide what to do.

use std::fs::{File, Metadata, OpenOptions};
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::Path;

/// Why [`open_regular`] did not return a file.
#[derive(Debug)]
pub enum OpenRegularError {
    /// The open or the `fstat` failed.
    Io(std::io::Error),
    /// The path names something other than a regular file; the text says what
    /// ("a directory", "a named pipe (FIFO)", …).
    NotRegular(&'static str),
}

/// Opens `path` read-only without blocking and returns it with its metadata, refusing
/// anything that is not a regular file (symbolic links are followed to what they name).
pub fn open_regular(path: &Path) -> Result<(File, Metadata), OpenRegularError> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(nix::fcntl::OFlag::O_NONBLOCK.bits())
        .open(path)
        .map_err(OpenRegularError::Io)?;
    let meta = file.metadata().map_err(OpenRegularError::Io)?;
    if meta.is_file() {
        return Ok((file, meta));
    }
    let kind = meta.file_type();
    let what = if kind.is_dir() {
        "a directory"
    } else if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else {
        "not a regular file"
    };
    Err(OpenRegularError::NotRegular(what))
}

/// Whether the owner `uid` is one we trust: ourselves (the effective uid) or root.
fn trusted_owner(uid: u32) -> bool {
    uid == 0 || uid == nix::unistd::geteuid().as_raw()
}

/// Why another user could replace or rewrite the file at `path`, if they could: the file
/// (followed through symbolic links) or any directory above it, or above the link itself, is
/// owned by a user other than us or root, or such a directory is writable by group or others
/// without the sticky bit (in a sticky directory only an entry's owner may replace it, and
/// the owner is checked). `Ok(None)` when nobody else can. Mode bits of the file itself are
/// the caller's business (a public key may be world-readable, a secret key may not).
pub fn replaceable_by_others(path: &Path) -> std::io::Result<Option<String>> {
    let link = std::fs::symlink_metadata(path)?;
    let real = path.canonicalize()?;
    let meta = std::fs::metadata(&real)?;
    if !trusted_owner(meta.uid()) {
        return Ok(Some(format!(
            "it is owned by uid {}, not by you or root",
            meta.uid()
        )));
    }
    if let Some(reason) = real
        .parent()
        .map(dir_writable_by_others)
        .transpose()?
        .flatten()
    {
        return Ok(Some(reason));
    }
    if link.file_type().is_symlink() {
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        return dir_writable_by_others(parent);
    }
    Ok(None)
}

/// Why another user could add, remove or rename entries in directory `dir`, if they could:
/// it or a directory above it is owned by a user other than us or root, or is writable by
/// group or others without the sticky bit.
pub fn dir_writable_by_others(dir: &Path) -> std::io::Result<Option<String>> {
    let real = dir.canonicalize()?;
    for dir in real.ancestors() {
        let m = std::fs::metadata(dir)?;
        let shown = crate::domain::text::display_safe(&dir.display().to_string());
        if !trusted_owner(m.uid()) {
            return Ok(Some(format!(
                "{shown} is owned by uid {}, not by you or root",
                m.uid()
            )));
        }
        if m.mode() & 0o022 != 0 && m.mode() & 0o1000 == 0 {
            return Ok(Some(format!(
                "other users can write to {shown} (mode {:04o})",
                m.mode() & 0o7777
            )));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_and_a_fifo_are_named_for_what_they_are() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            open_regular(dir.path()),
            Err(OpenRegularError::NotRegular("a directory"))
        ));
        let fifo = dir.path().join("f");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
        assert!(matches!(
            open_regular(&fifo),
            Err(OpenRegularError::NotRegular("a named pipe (FIFO)"))
        ));
        let file = dir.path().join("r");
        std::fs::write(&file, "x").unwrap();
        assert_eq!(open_regular(&file).unwrap().1.len(), 1);
    }
}
