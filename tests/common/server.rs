//! A real `tenantry serve` process on a [`CliDb`]'s database, with its socket directory
//! (`XDG_RUNTIME_DIR`) inside the temporary directory, and raw clients that speak the wire
//! themselves.

use std::io::{BufRead, BufReader};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Stdio};
use std::time::Duration;

use tenantry::server::wire::{self, Hello, Request, Response, ServerStatus};

use super::cli::CliDb;

pub struct Server {
    pub child: Child,
    pub socket: PathBuf,
    /// Kept open so the server's last line ("stopped") has somewhere to go.
    _stdout: BufReader<ChildStdout>,
}

/// The personal socket directory's parent the tests give the server and its clients.
pub fn runtime_dir(db: &CliDb) -> PathBuf {
    let dir = db.dir.path().join("run");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A CLI command of `db` that finds the server through the same runtime directory.
pub fn cmd(db: &CliDb) -> assert_cmd::Command {
    let mut cmd = db.cmd();
    cmd.env("XDG_RUNTIME_DIR", runtime_dir(db));
    cmd
}

impl Server {
    /// Starts `tenantry serve` and waits until it says it is serving.
    pub fn start(db: &CliDb) -> Self {
        let mut child = db
            .std_cmd()
            .env("XDG_RUNTIME_DIR", runtime_dir(db))
            .arg("serve")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        if line.is_empty() {
            let out = child.wait_with_output().unwrap();
            panic!(
                "the server did not start: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let socket = line
            .split(" on ")
            .nth(1)
            .and_then(|rest| rest.split(" (pid").next())
            .map(PathBuf::from)
            .unwrap_or_else(|| panic!("no socket in {line:?}"));
        Self {
            child,
            socket,
            _stdout: stdout,
        }
    }

    pub fn pid(&self) -> i32 {
        i32::try_from(self.child.id()).unwrap()
    }

    pub fn signal(&self, signal: nix::sys::signal::Signal) {
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(self.pid()), signal).unwrap();
    }

    /// Sends SIGTERM and returns the exit status.
    pub fn stop(mut self) -> std::process::ExitStatus {
        self.signal(nix::sys::signal::Signal::SIGTERM);
        self.child.wait().unwrap()
    }

    /// Waits for the server to end (after a signal already sent) and returns its status.
    pub fn stop_waiting(mut self) -> std::process::ExitStatus {
        self.child.wait().unwrap()
    }

    /// A raw client that has done the handshake.
    pub fn client(&self) -> UnixStream {
        let mut stream = self.connect();
        wire::write_frame(&mut stream, &Hello::ours()).unwrap();
        match wire::read_frame::<Response>(&mut stream).unwrap() {
            Response::Welcome { .. } => stream,
            other => panic!("handshake answered with {other:?}"),
        }
    }

    /// A raw connection that has sent nothing yet.
    pub fn connect(&self) -> UnixStream {
        let stream = UnixStream::connect(&self.socket).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        stream
    }

    /// The server's status, asked on a connection of its own.
    pub fn status(&self) -> ServerStatus {
        let mut stream = self.client();
        match ask(&mut stream, &Request::Status) {
            Response::Status(status) => status,
            other => panic!("status answered with {other:?}"),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends one request and reads its response.
pub fn ask(stream: &mut UnixStream, request: &Request) -> Response {
    wire::write_frame(stream, request).unwrap();
    wire::read_frame(stream).unwrap()
}

/// Whether a socket file is at `path`.
pub fn socket_exists(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_socket())
}
