//! The process spec: what the runtime hands a container's init process (drydock re-executed as
//! `drydock __container-init SPEC.json`), like an OCI runtime's `config.json`, in drydock's own
//! small shape. The runtime writes it; `shell::applets::init` reads it and runs the command
//! confined to the rootfs with the applets. This file is the contract between the two.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// How to run one process of a container (its main process, or one `docker exec`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessSpec {
    /// The container's ID (64 hex).
    pub container_id: String,
    /// The real directory that is the container's `/` (its merged rootfs).
    pub rootfs: PathBuf,
    /// The command: the image's/`--entrypoint`'s entrypoint followed by the command, already
    /// combined by Docker's rules. `args[0]` is looked up in `PATH` inside the rootfs unless it
    /// contains a `/`.
    pub args: Vec<String>,
    /// `KEY=value` pairs: `PATH`, `HOSTNAME` (and `TERM=xterm` with a tty), the image's `Env`,
    /// `-e`/`--env-file`, then `HOME` from the user's passwd entry when none of those set it
    /// (runc's rule: `/` for a uid without an entry).
    pub env: Vec<String>,
    /// The working directory inside the container (`/` when unset).
    pub cwd: String,
    /// `-u` (or the image's `User`) as given: `name`, `uid`, `name:group`, `uid:gid`.
    pub user: String,
    /// The user it resolved to in the rootfs's `/etc/passwd` (the runtime resolves it, as
    /// dockerd does): the process's uid, gid and group list (`getgroups(2)`: the supplementary
    /// groups and the gid, sorted, each once). drydock cannot switch the real process's
    /// credentials; the init gives them to the shell and its applets, which show them (`id`,
    /// `whoami`, prompts), check permissions with them and record them as the owner of what
    /// the process creates.
    #[serde(default)]
    pub uid: u32,
    #[serde(default)]
    pub gid: u32,
    #[serde(default)]
    pub groups: Vec<u32>,
    pub hostname: String,
    /// A terminal is attached (`-t`): shells show their prompt.
    pub tty: bool,
    /// Standard input is kept open (`-i`).
    pub stdin_open: bool,
    /// The process is not its container's PID 1: `docker run --init` put an init (tini) before
    /// it, or it is a `docker exec` process. A signal it has no handler for then ends it
    /// (128 + the signal), where the kernel keeps such signals from PID 1.
    #[serde(default)]
    pub below_init: bool,
    /// Ports published with `-p`: container port (`80/tcp`) → host bindings. Applets that listen
    /// (httpd, nginx) bind the host port on 127.0.0.1 so the host's `curl` reaches them.
    #[serde(default)]
    pub ports: BTreeMap<String, Vec<PortBinding>>,
    /// The image's labels and other facts applets may need (`org.opencontainers…`), by name.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Volumes and bind mounts (`-v`): a real directory to show at a path inside the container.
    #[serde(default)]
    pub mounts: Vec<Mount>,
    /// When the command cannot be started (not found, not executable), the init writes Docker's
    /// text for it here (`exec: "x": executable file not found in $PATH`) before exiting 127/126,
    /// so the runtime can tell a start failure from a command that exits 127 itself.
    #[serde(default)]
    pub start_error: Option<PathBuf>,
}

/// One mount of a container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mount {
    /// The real directory (or file) on the host, under `DRYDOCK_HOME`.
    pub source: PathBuf,
    /// The absolute path inside the container.
    pub destination: String,
    pub read_only: bool,
}

/// One host binding of a published port (`HostConfig.PortBindings`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortBinding {
    #[serde(rename = "HostIp")]
    pub host_ip: String,
    #[serde(rename = "HostPort")]
    pub host_port: String,
}

/// The exit statuses the init uses, as Docker's runtime reports them.
pub mod status {
    /// The command was found but could not be invoked (`permission denied`).
    pub const CANNOT_INVOKE: i32 = 126;
    /// The command was not found.
    pub const NOT_FOUND: i32 = 127;
}
