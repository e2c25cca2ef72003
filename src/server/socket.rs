//! Where the server of a database listens. One server per database: the socket is named for
//! the database's canonical path (`db-` and 16 hex digits of its SHA-256, then `.sock`), in
//! a directory only the right users can enter:
//!
//! - personal mode: `$XDG_RUNTIME_DIR/tenantry/` (0700), or `/tmp/tenantry-UID/` (0700, owned
//!   by this user, never a link) when `XDG_RUNTIME_DIR` is unset;
//! - shared mode: the directory `--socket-dir DIR` or `TENANTRY_SOCKET_DIR` names, which
//!   `serve --group GROUP` makes 0750 and of that group.
//!
//! This module finds and prepares paths. It must not open the database, and it must never
//! remove a socket file unless the caller holds the database's process lock.

use std::fs;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::ServerError;
use crate::domain::text::display_safe;

/// The variable naming a shared-mode socket directory for clients and the server.
pub const SOCKET_DIR_VAR: &str = "TENANTRY_SOCKET_DIR";

/// The socket directory: `explicit` when given, else the personal one.
pub fn socket_dir(explicit: Option<&Path>) -> PathBuf {
    if let Some(dir) = explicit {
        return dir.to_path_buf();
    }
    match std::env::var_os("XDG_RUNTIME_DIR").filter(|v| !v.is_empty()) {
        Some(runtime) => PathBuf::from(runtime).join("tenantry"),
        None => std::env::temp_dir().join(format!("tenantry-{}", crate::system::current_uid())),
    }
}

/// The socket's path for the database at `db` in `dir`, or `None` when the path cannot be
/// resolved at all. The name comes from the database's canonical path; a client that may
/// not enter the database's directory (shared mode: it belongs to the server's account)
/// resolves the parent instead, which gives the same path unless the database directory is
/// itself a symbolic link.
pub fn socket_path(dir: &Path, db: &Path) -> Option<PathBuf> {
    let canonical = fs::canonicalize(db).ok().or_else(|| {
        let name = db.file_name()?;
        let parent = db.parent().filter(|p| !p.as_os_str().is_empty())?;
        fs::canonicalize(parent)
            .or_else(|_| std::path::absolute(parent))
            .ok()
            .map(|p| p.join(name))
    });
    let canonical = canonical.or_else(|| std::path::absolute(db).ok())?;
    let digest = Sha256::digest(canonical.as_os_str().as_encoded_bytes());
    Some(dir.join(format!("db-{}.sock", hex::encode(&digest[..8]))))
}

/// Makes the socket directory ready for a server. A directory it creates gets mode 0700, or
/// 0750 and `group` in shared mode. One that exists is never changed, only checked: it must
/// be a real directory (a link is never followed) owned by this user, closed to others, and
/// in shared mode of `group` and not writable by it; else the server refuses to start.
pub fn prepare_dir(dir: &Path, group: Option<&str>) -> Result<(), ServerError> {
    let gid = match group {
        Some(name) => Some(
            nix::unistd::Group::from_name(name)
                .ok()
                .flatten()
                .ok_or_else(|| {
                    ServerError::Unsafe(format!("no Unix group named {}", display_safe(name)))
                })?
                .gid,
        ),
        None => None,
    };
    let mode = if gid.is_some() { 0o750 } else { 0o700 };
    let create = || fs::DirBuilder::new().mode(mode).create(dir);
    let created = match create() {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => false,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let parent = dir.parent().ok_or_else(|| ServerError::io(dir, &e))?;
            fs::create_dir_all(parent).map_err(|e| ServerError::io(parent, &e))?;
            create().map_err(|e| ServerError::io(dir, &e))?;
            true
        }
        Err(e) => return Err(ServerError::io(dir, &e)),
    };
    if created {
        if let Some(gid) = gid {
            nix::unistd::chown(dir, None, Some(gid))
                .map_err(|e| ServerError::io(dir, &std::io::Error::from(e)))?;
        }
        // Exactly `mode`, whatever the umask took away.
        fs::set_permissions(dir, fs::Permissions::from_mode(mode))
            .map_err(|e| ServerError::io(dir, &e))?;
    }
    check_dir(dir, gid)
}

/// Refuses a socket directory that others could enter or change.
fn check_dir(dir: &Path, gid: Option<nix::unistd::Gid>) -> Result<(), ServerError> {
    let shown = display_safe(&dir.display().to_string());
    let meta = fs::symlink_metadata(dir).map_err(|e| ServerError::io(dir, &e))?;
    let refuse = |why: String| Err(ServerError::Unsafe(format!("{shown} {why}")));
    if !meta.is_dir() {
        return refuse("is not a directory (a link is never followed); remove it".into());
    }
    if meta.uid() != crate::system::current_uid() {
        return refuse(format!(
            "belongs to another user (uid {}); the server's socket needs a directory of its own",
            meta.uid()
        ));
    }
    let mode = meta.mode() & 0o7777;
    match gid {
        None if mode & 0o077 != 0 => refuse(format!(
            "has mode {mode:04o}; the socket's directory must be closed to others (chmod 700)"
        )),
        Some(gid) if meta.gid() != gid.as_raw() => refuse(format!(
            "belongs to group {}, not the one --group names (chgrp it, or remove it)",
            meta.gid()
        )),
        Some(_) if mode & 0o027 != 0 => refuse(format!(
            "has mode {mode:04o}; in shared mode the group may enter it and nobody else (chmod 750)"
        )),
        _ => Ok(()),
    }
}

/// Removes a socket file a killed server left at `path`, so a new one can bind there. The
/// caller holds the database's process lock, so no live server can own it; anything there
/// that is not a socket is left alone and refused.
pub fn remove_stale(path: &Path) -> Result<bool, ServerError> {
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(ServerError::io(path, &e)),
    };
    use std::os::unix::fs::FileTypeExt;
    if !meta.file_type().is_socket() {
        return Err(ServerError::Unsafe(format!(
            "{} is not a socket; remove it",
            display_safe(&path.display().to_string())
        )));
    }
    fs::remove_file(path).map_err(|e| ServerError::io(path, &e))?;
    Ok(true)
}

/// The uid of the peer at the other end of `stream` (SO_PEERCRED), from the kernel.
pub fn peer_uid(stream: &std::os::unix::net::UnixStream) -> Result<u32, std::io::Error> {
    nix::sys::socket::getsockopt(stream, nix::sys::socket::sockopt::PeerCredentials)
        .map(|cred| cred.uid())
        .map_err(std::io::Error::from)
}

/// The name of the Unix account `uid` in the password database.
pub fn account_name(uid: u32) -> Option<String> {
    nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid))
        .ok()
        .flatten()
        .map(|u| u.name)
}
