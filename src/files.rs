//! Opening a file that must be a regular file: the one helper the importer and the restore
//! share so neither can be pointed at a pipe, a device or a directory.
//!
//! The file is opened with `O_NONBLOCK`, so a FIFO with no writer does not hang `open()` (a
//! process blocked there ignores nothing but also reaches no signal check), then its type is
//! taken from the open descriptor, not from the path, so nothing can swap the file between
//! the check and the read. This module only opens and classifies; callers word the refusal.

use std::fs::{File, Metadata, OpenOptions};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
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
