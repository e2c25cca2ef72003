//! The process lock (R3): an exclusive `flock` on `tenantry.lock` in the database directory,
//! taken before sled opens. The file names the holder (pid, user, start time) so a second
//! process can say who holds it. The kernel drops the lock when the holder dies, so a
//! `kill -9` never leaves a stale lock behind.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use nix::errno::Errno;
use nix::fcntl::{Flock, FlockArg};

use super::StoreError;
use crate::domain::text::display_safe;
use crate::system::current_unix_user;

pub const LOCK_FILE: &str = "tenantry.lock";

/// Who holds a database, as written in its lock file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockHolder {
    pub pid: String,
    pub user: String,
    pub since: String,
}

/// Held for as long as the store is open; dropping it releases the lock.
pub struct ProcessLock {
    _file: Flock<File>,
}

impl ProcessLock {
    pub fn acquire(dir: &Path) -> Result<Self, StoreError> {
        let path = dir.join(LOCK_FILE);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            // Never through a link: the holder's text would be written wherever it points.
            .custom_flags(nix::fcntl::OFlag::O_NOFOLLOW.bits())
            .open(&path)
            .map_err(|e| {
                if e.raw_os_error() == Some(Errno::ELOOP as i32) {
                    StoreError::Refused {
                        path: display_safe(&path.display().to_string()),
                        detail: "the lock file is a symbolic link; remove it".into(),
                    }
                } else {
                    StoreError::io(&path, &e)
                }
            })?;
        let mut locked = match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
            Ok(locked) => locked,
            Err((mut file, Errno::EWOULDBLOCK)) => {
                let holder = read_holder(&mut file);
                return Err(StoreError::InUse {
                    path: display_safe(&dir.display().to_string()),
                    pid: holder.pid,
                    user: holder.user,
                    since: holder.since,
                });
            }
            Err((_, errno)) => {
                return Err(StoreError::io(&path, &std::io::Error::from(errno)));
            }
        };
        let text = format!(
            "pid {}\nuser {}\nsince {}\n",
            std::process::id(),
            current_unix_user().unwrap_or_else(|| "unknown".into()),
            chrono::Local::now().format("%Y-%m-%d %H:%M:%S %Z"),
        );
        let written = locked
            .set_len(0)
            .and_then(|()| locked.seek(SeekFrom::Start(0)).map(|_| ()))
            .and_then(|()| locked.write_all(text.as_bytes()))
            .and_then(|()| locked.sync_data());
        written.map_err(|e| StoreError::io(&path, &e))?;
        Ok(Self { _file: locked })
    }
}

fn read_holder(file: &mut File) -> LockHolder {
    let mut text = String::new();
    let _ = file.read_to_string(&mut text);
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name).map(|v| display_safe(v.trim())))
            .unwrap_or_else(|| "unknown".into())
    };
    LockHolder {
        pid: field("pid "),
        user: field("user "),
        since: field("since "),
    }
}
