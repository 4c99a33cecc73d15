//! The runtime's errors, worded as dockerd words them (without the `Error response from daemon: `
//! prefix, which the CLI adds).

use std::io;
use std::path::PathBuf;

use super::super::error::ErrorKind;

/// What can go wrong with containers.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("No such container: {0}")]
    NoSuchContainer(String),
    #[error("Multiple IDs found with provided prefix: {0}")]
    AmbiguousPrefix(String),
    #[error(
        "Conflict. The container name \"{name}\" is already in use by container \"{id}\". You have to remove (or rename) that container to be able to reuse that name."
    )]
    NameConflict { name: String, id: String },
    #[error("Invalid container name ({0}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")]
    InvalidName(String),
    #[error("Renaming a container with the same name as its current name")]
    RenameSameName,
    #[error("Container {0} is not running")]
    NotRunning(String),
    #[error("Cannot kill container: {name}: Container {id} is not running")]
    CannotKill { name: String, id: String },
    #[error("Container {0} is paused, unpause the container before exec")]
    ExecPaused(String),
    #[error("Container {0} is already paused")]
    AlreadyPaused(String),
    #[error("Container {0} is not paused")]
    NotPaused(String),
    #[error(
        "You cannot remove a running container {0}. Stop the container before attempting removal or force remove"
    )]
    RemoveRunning(String),
    #[error(
        "You cannot remove a paused container {0}. Unpause and then stop the container before attempting removal or force remove"
    )]
    RemovePaused(String),
    #[error("You cannot attach to a stopped container, start it first")]
    AttachStopped,
    #[error("You cannot attach to a paused container, unpause it first")]
    AttachPaused,
    #[error("You cannot attach to a restarting container, wait until it is running")]
    AttachRestarting,
    /// A `before=`/`since=` filter naming no container (the daemon's memdb wording).
    #[error("no such container {0}")]
    NoSuchFilterContainer(String),
    #[error("network {0} not found")]
    NetworkNotFound(String),
    #[error("cannot join network of a non running container: {0}")]
    JoinStoppedNetwork(String),
    #[error("No command specified")]
    NoCommand,
    #[error("invalid restart policy format")]
    RestartPolicyFormat,
    #[error("maximum retry count must be an integer")]
    RetryCountNotInteger,
    #[error("invalid restart policy '{0}'")]
    InvalidRestartPolicy(String),
    #[error("maximum retry count cannot be used with restart policy '{0}'")]
    RetryCountWithPolicy(String),
    #[error("maximum retry count cannot be negative")]
    RetryCountNegative,
    #[error("can't create 'AutoRemove' container with restart policy")]
    AutoRemoveWithRestart,
    #[error("Restart policy cannot be updated because AutoRemove is enabled for the container")]
    UpdateAutoRemove,
    #[error("Invalid signal: {0}")]
    InvalidSignal(String),
    #[error(
        "driver failed programming external connectivity on endpoint {name} ({endpoint}): Bind for 0.0.0.0:{port} failed: port is already allocated"
    )]
    PortAllocated {
        name: String,
        endpoint: String,
        port: String,
    },
    #[error(
        "driver failed programming external connectivity on endpoint {name} ({endpoint}): Error starting userland proxy: listen tcp4 0.0.0.0:{port}: bind: address already in use"
    )]
    PortInUse {
        name: String,
        endpoint: String,
        port: String,
    },
    /// The container's command could not be started (`exec: "x": …`); `code` is 126 or 127.
    #[error(
        "failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: {message}: unknown"
    )]
    StartFailed { message: String, code: i32 },
    /// A `type=none,o=bind` volume whose `device` is not there (the local driver's mount fails).
    #[error(
        "error while mounting volume '{path}': failed to mount local volume: mount {device}:{path}, flags: {flags:#x}{data}: no such file or directory"
    )]
    VolumeMount {
        path: String,
        device: String,
        flags: u32,
        /// `, data: …` when the mount options had some beyond the flags.
        data: String,
    },
    #[error(
        "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"
    )]
    DaemonDown,
    /// The container's user (`-u`, the image's `USER`, `exec -u`, `--group-add`) cannot be
    /// resolved in its `/etc/passwd` and `/etc/group`.
    #[error(transparent)]
    User(#[from] super::user::UserError),
    /// A start failure recorded in the container's state by its supervisor, as it was worded.
    #[error("{message}")]
    Recorded { message: String, code: i32 },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{path}: {what}")]
    Corrupt { path: PathBuf, what: String },
    #[error("cannot start the container's process: {0}")]
    Spawn(io::Error),
}

impl RuntimeError {
    pub fn kind(&self) -> ErrorKind {
        use RuntimeError::*;
        match self {
            NoSuchContainer(_) | NoSuchFilterContainer(_) | NetworkNotFound(_) => {
                ErrorKind::NotFound
            }
            NameConflict { .. }
            | RenameSameName
            | NotRunning(_)
            | CannotKill { .. }
            | ExecPaused(_)
            | AlreadyPaused(_)
            | NotPaused(_)
            | RemoveRunning(_)
            | RemovePaused(_)
            | AttachStopped
            | AttachPaused
            | AttachRestarting
            | PortAllocated { .. }
            | PortInUse { .. }
            | JoinStoppedNetwork(_) => ErrorKind::Conflict,
            DaemonDown => ErrorKind::Unavailable,
            Io { .. } | Corrupt { .. } | Spawn(_) => ErrorKind::Internal,
            User(_) | Recorded { .. } => ErrorKind::InvalidArgument,
            _ => ErrorKind::InvalidArgument,
        }
    }

    /// The exit status `docker run`/`start` report for this error (126/127 for a command that
    /// cannot be started or a mount source that is missing, else 125).
    pub fn run_exit_code(&self) -> i32 {
        match self {
            RuntimeError::StartFailed { code, .. } => *code,
            RuntimeError::Recorded { code, .. } if matches!(*code, 126 | 127) => *code,
            // docker/cli reports "no such file or directory" start errors as 127.
            RuntimeError::VolumeMount { .. } => 127,
            _ => 125,
        }
    }

    /// The `State.ExitCode` dockerd records when a start fails: the runtime's 126/127 for a
    /// command that cannot be started, else 128 (`containerStart`'s "don't leave it at zero").
    pub fn state_exit_code(&self) -> i32 {
        match self {
            RuntimeError::StartFailed { code, .. } | RuntimeError::Recorded { code, .. } => *code,
            _ => 128,
        }
    }
}

pub(crate) fn io_at(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> RuntimeError {
    let path = path.into();
    move |source| RuntimeError::Io { path, source }
}
