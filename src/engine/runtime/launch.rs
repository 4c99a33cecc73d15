//! How a container's process is started: the runtime's settings (which executable is drydock,
//! which init to use) and the [`Launcher`] that turns a process spec into an OS command.
//!
//! The real launcher re-executes drydock as `drydock __container-init SPEC.json` (the init,
//! `shell::applets::init`, runs the command confined to the rootfs). The host launcher runs the
//! spec's command directly on the host, unconfined, in the rootfs directory: it exists so runtime
//! tests exercise real processes, signals and restart policies without depending on the applets.
//! It is chosen with `DRYDOCK_INIT=host` (tests only; never in a learner's session).

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use super::error::RuntimeError;
use super::spec::{ProcessSpec, status};
use super::sys::{Host, Sys};

/// Which init runs a container's processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitMode {
    /// `drydock __container-init` (the real one).
    Drydock,
    /// The spec's command run directly on the host (runtime tests).
    Host,
}

impl InitMode {
    pub fn as_env(self) -> &'static str {
        match self {
            InitMode::Drydock => "drydock",
            InitMode::Host => "host",
        }
    }
}

/// The runtime's settings.
#[derive(Clone)]
pub struct Settings {
    /// The drydock executable (re-executed as the shim and the init).
    pub exe: PathBuf,
    pub init: InitMode,
    /// How long a daemon shutdown waits for containers before SIGKILL (dockerd waits each
    /// container's stop timeout; leaving the shell should be quick, so this caps it).
    pub shutdown_grace: Duration,
    pub sys: Arc<dyn Sys>,
}

impl Settings {
    /// `DRYDOCK_EXE` (else this executable) and `DRYDOCK_INIT` (`host`, else the real init).
    pub fn from_env() -> Settings {
        let exe = std::env::var_os("DRYDOCK_EXE")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::current_exe().ok().map(|e| drydock_beside(&e)))
            .unwrap_or_else(|| PathBuf::from("drydock"));
        let init = match std::env::var("DRYDOCK_INIT").as_deref() {
            Ok("host") => InitMode::Host,
            _ => InitMode::Drydock,
        };
        Settings {
            exe,
            init,
            shutdown_grace: Duration::from_secs(1),
            sys: Arc::new(Host),
        }
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("exe", &self.exe)
            .field("init", &self.init)
            .field("shutdown_grace", &self.shutdown_grace)
            .finish()
    }
}

/// The drydock binary for an executable that is not drydock itself: cargo's test binaries live in
/// `target/<profile>/deps/`, next to nothing useful, while `target/<profile>/drydock` is the real
/// one. Re-executing a test binary as a shim would run the test suite again.
fn drydock_beside(exe: &Path) -> PathBuf {
    if exe.file_name().is_some_and(|n| n == "drydock") {
        return exe.to_path_buf();
    }
    let dir = exe.parent();
    [
        dir.map(|d| d.join("drydock")),
        dir.and_then(Path::parent).map(|d| d.join("drydock")),
    ]
    .into_iter()
    .flatten()
    .find(|p| p.is_file())
    .unwrap_or_else(|| exe.to_path_buf())
}

/// Builds the OS command for one process of a container.
pub trait Launcher {
    fn command(&self, spec_path: &Path, spec: &ProcessSpec) -> Command;
}

/// `drydock __container-init SPEC.json`.
pub struct Reexec<'a> {
    pub exe: &'a Path,
}

impl Launcher for Reexec<'_> {
    fn command(&self, spec_path: &Path, _spec: &ProcessSpec) -> Command {
        let mut c = Command::new(self.exe);
        c.arg("__container-init").arg(spec_path);
        // The init takes everything from the spec; nothing of the host's environment leaks in.
        c.env_clear();
        // Signals wait (blocked) until the init has its handlers: one sent right after the start
        // (Ctrl-C proxied by `docker run`) must meet PID 1's rules, not the default action.
        // SAFETY: sigfillset and sigprocmask are async-signal-safe; the mask is inherited
        // across exec and the init unblocks it.
        unsafe {
            c.pre_exec(|| {
                let mut all: libc::sigset_t = std::mem::zeroed();
                libc::sigfillset(&mut all);
                libc::sigprocmask(libc::SIG_BLOCK, &all, std::ptr::null_mut());
                Ok(())
            });
        }
        c
    }
}

/// The spec's command on the host (tests).
pub struct HostExec;

impl Launcher for HostExec {
    fn command(&self, _spec_path: &Path, spec: &ProcessSpec) -> Command {
        let mut c = Command::new(spec.args.first().map(String::as_str).unwrap_or("true"));
        c.args(spec.args.iter().skip(1));
        c.env_clear();
        for kv in &spec.env {
            if let Some((k, v)) = kv.split_once('=') {
                c.env(k, v);
            }
        }
        if spec.rootfs.is_dir() {
            c.current_dir(&spec.rootfs);
        }
        c
    }
}

/// The launcher for `settings`.
pub fn launcher(settings: &Settings) -> Box<dyn Launcher + '_> {
    match settings.init {
        InitMode::Drydock => Box::new(Reexec { exe: &settings.exe }),
        InitMode::Host => Box::new(HostExec),
    }
}

/// Docker's error for a command the OS refused to start (the host launcher's spawn errors; the
/// real init reports its own through the spec's `start_error` file).
pub fn spawn_error(spec: &ProcessSpec, e: std::io::Error) -> RuntimeError {
    let cmd = spec.args.first().cloned().unwrap_or_default();
    match e.kind() {
        std::io::ErrorKind::NotFound if cmd.contains('/') => RuntimeError::StartFailed {
            message: format!("exec: \"{cmd}\": stat {cmd}: no such file or directory"),
            code: status::NOT_FOUND,
        },
        std::io::ErrorKind::NotFound => RuntimeError::StartFailed {
            message: format!("exec: \"{cmd}\": executable file not found in $PATH"),
            code: status::NOT_FOUND,
        },
        std::io::ErrorKind::PermissionDenied => RuntimeError::StartFailed {
            message: format!("exec: \"{cmd}\": permission denied"),
            code: status::CANNOT_INVOKE,
        },
        _ => RuntimeError::Spawn(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_exec_runs_the_command_with_the_spec_env() {
        let spec = ProcessSpec {
            args: vec!["sh".into(), "-c".into(), "echo $FOO".into()],
            env: vec!["PATH=/usr/bin:/bin".into(), "FOO=bar".into()],
            ..Default::default()
        };
        let out = HostExec
            .command(Path::new("x"), &spec)
            .output()
            .expect("sh runs");
        assert_eq!(String::from_utf8_lossy(&out.stdout), "bar\n");
    }

    #[test]
    fn spawn_errors_read_as_dockers() {
        let spec = ProcessSpec {
            args: vec!["nosuchcmd".into()],
            ..Default::default()
        };
        let e = spawn_error(&spec, std::io::Error::from(std::io::ErrorKind::NotFound));
        assert_eq!(e.run_exit_code(), 127);
        assert!(
            e.to_string()
                .contains("exec: \"nosuchcmd\": executable file not found in $PATH: unknown")
        );
    }
}
