//! The container commands: `run`, `create`, `start`, `stop`, `kill`, `restart`, `rm`, `ps`,
//! `logs`, `exec`, `attach`, `pause`, `unpause`, `rename`, `wait`, `update`, `port`, `diff`,
//! `commit`, `export`, `container prune` and `container inspect`: docker/cli's flags, texts and
//! exit codes over the engine's runtime.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Duration;

use jiff::Timestamp;

use super::args::{Flag, Kind, Parsed};
use super::commands::{flag, with_default};
use super::format::human::{go_time_string, human_duration, human_size3};
use super::format::template::{Method, Template, go_quote};
use super::image::ellipsis;
use super::sigproxy;
use super::view::{Row, render};
use super::{CmdResult, Fail, Io};
use crate::engine::Engine;
use crate::engine::build::instruction::parse_go_duration;
use crate::engine::filters::Filters;
use crate::engine::image::StoreError;
use crate::engine::oci::Healthcheck;
use crate::engine::runtime::record::{Container, MountPoint, ShimLock, ZERO_TIME};
use crate::engine::runtime::spec::PortBinding;
use crate::engine::runtime::{
    Attach, CreateRequest, ExecRequest, ListOptions, RestartPolicy, RuntimeError,
};
use crate::engine::runtime::{health, logs, network, tty, volumes};
use crate::engine::{Error, ErrorKind};

pub const RUN_FLAGS: &[Flag] = &[
    flag(
        "add-host",
        None,
        Kind::List,
        "list",
        "Add a custom host-to-IP mapping (host:ip)",
    ),
    flag(
        "attach",
        Some('a'),
        Kind::List,
        "list",
        "Attach to STDIN, STDOUT or STDERR",
    ),
    flag("cpus", None, Kind::Str, "decimal", "Number of CPUs"),
    flag(
        "detach",
        Some('d'),
        Kind::Bool,
        "",
        "Run container in background and print container ID",
    ),
    flag(
        "detach-keys",
        None,
        Kind::Str,
        "string",
        "Override the key sequence for detaching a container",
    ),
    flag("dns", None, Kind::List, "list", "Set custom DNS servers"),
    flag(
        "entrypoint",
        None,
        Kind::Str,
        "string",
        "Overwrite the default ENTRYPOINT of the image",
    ),
    flag(
        "env",
        Some('e'),
        Kind::List,
        "list",
        "Set environment variables",
    ),
    flag(
        "env-file",
        None,
        Kind::List,
        "list",
        "Read in a file of environment variables",
    ),
    flag(
        "expose",
        None,
        Kind::List,
        "list",
        "Expose a port or a range of ports",
    ),
    flag(
        "group-add",
        None,
        Kind::List,
        "list",
        "Add additional groups to join",
    ),
    flag(
        "health-cmd",
        None,
        Kind::Str,
        "string",
        "Command to run to check health",
    ),
    with_default(
        flag(
            "health-interval",
            None,
            Kind::Str,
            "duration",
            "Time between running the check (ms|s|m|h)",
        ),
        "0s",
    ),
    flag(
        "health-retries",
        None,
        Kind::Int,
        "int",
        "Consecutive failures needed to report unhealthy",
    ),
    with_default(
        flag(
            "health-start-period",
            None,
            Kind::Str,
            "duration",
            "Start period for the container to initialize before starting health-retries countdown (ms|s|m|h)",
        ),
        "0s",
    ),
    with_default(
        flag(
            "health-timeout",
            None,
            Kind::Str,
            "duration",
            "Maximum time to allow one check to run (ms|s|m|h)",
        ),
        "0s",
    ),
    flag(
        "hostname",
        Some('h'),
        Kind::Str,
        "string",
        "Container host name",
    ),
    flag(
        "init",
        None,
        Kind::Bool,
        "",
        "Run an init inside the container that forwards signals and reaps processes",
    ),
    flag(
        "interactive",
        Some('i'),
        Kind::Bool,
        "",
        "Keep STDIN open even if not attached",
    ),
    flag(
        "label",
        Some('l'),
        Kind::List,
        "list",
        "Set meta data on a container",
    ),
    flag(
        "label-file",
        None,
        Kind::List,
        "list",
        "Read in a line delimited file of labels",
    ),
    flag("memory", Some('m'), Kind::Str, "bytes", "Memory limit"),
    flag(
        "mount",
        None,
        Kind::List,
        "mount",
        "Attach a filesystem mount to the container",
    ),
    flag(
        "name",
        None,
        Kind::Str,
        "string",
        "Assign a name to the container",
    ),
    with_default(
        flag(
            "network",
            None,
            Kind::Str,
            "network",
            "Connect a container to a network",
        ),
        "\"default\"",
    ),
    flag(
        "no-healthcheck",
        None,
        Kind::Bool,
        "",
        "Disable any container-specified HEALTHCHECK",
    ),
    flag(
        "platform",
        None,
        Kind::Str,
        "string",
        "Set platform if server is multi-platform capable",
    ),
    flag(
        "privileged",
        None,
        Kind::Bool,
        "",
        "Give extended privileges to this container",
    ),
    flag(
        "publish",
        Some('p'),
        Kind::List,
        "list",
        "Publish a container's port(s) to the host",
    ),
    flag(
        "publish-all",
        Some('P'),
        Kind::Bool,
        "",
        "Publish all exposed ports to random ports",
    ),
    with_default(
        flag(
            "pull",
            None,
            Kind::Str,
            "string",
            "Pull image before running (\"always\"|\"missing\"|\"never\")",
        ),
        "\"missing\"",
    ),
    flag(
        "quiet",
        Some('q'),
        Kind::Bool,
        "",
        "Suppress the pull output",
    ),
    with_default(
        flag(
            "restart",
            None,
            Kind::Str,
            "string",
            "Restart policy to apply when a container exits",
        ),
        "\"no\"",
    ),
    flag(
        "rm",
        None,
        Kind::Bool,
        "",
        "Automatically remove the container when it exits",
    ),
    with_default(
        flag(
            "sig-proxy",
            None,
            Kind::Bool,
            "",
            "Proxy received signals to the process",
        ),
        "true",
    ),
    with_default(
        flag(
            "stop-signal",
            None,
            Kind::Str,
            "string",
            "Signal to stop a container",
        ),
        "\"SIGTERM\"",
    ),
    flag(
        "stop-timeout",
        None,
        Kind::Int,
        "int",
        "Timeout (in seconds) to stop a container",
    ),
    flag("tty", Some('t'), Kind::Bool, "", "Allocate a pseudo-TTY"),
    flag(
        "user",
        Some('u'),
        Kind::Str,
        "string",
        "Username or UID (format: <name|uid>[:<group|gid>])",
    ),
    flag(
        "volume",
        Some('v'),
        Kind::List,
        "list",
        "Bind mount a volume",
    ),
    flag(
        "workdir",
        Some('w'),
        Kind::Str,
        "string",
        "Working directory inside the container",
    ),
];

pub const START_FLAGS: &[Flag] = &[
    flag(
        "attach",
        Some('a'),
        Kind::Bool,
        "",
        "Attach STDOUT/STDERR and forward signals",
    ),
    flag(
        "detach-keys",
        None,
        Kind::Str,
        "string",
        "Override the key sequence for detaching a container",
    ),
    flag(
        "interactive",
        Some('i'),
        Kind::Bool,
        "",
        "Attach container's STDIN",
    ),
];

pub const STOP_FLAGS: &[Flag] = &[with_default(
    flag(
        "time",
        Some('t'),
        Kind::Int,
        "int",
        "Seconds to wait for stop before killing it",
    ),
    "10",
)];

pub const RESTART_FLAGS: &[Flag] = &[with_default(
    flag(
        "time",
        Some('t'),
        Kind::Int,
        "int",
        "Seconds to wait for stop before killing the container",
    ),
    "10",
)];

pub const KILL_FLAGS: &[Flag] = &[with_default(
    flag(
        "signal",
        Some('s'),
        Kind::Str,
        "string",
        "Signal to send to the container",
    ),
    "\"KILL\"",
)];

pub const RM_FLAGS: &[Flag] = &[
    flag(
        "force",
        Some('f'),
        Kind::Bool,
        "",
        "Force the removal of a running container (uses SIGKILL)",
    ),
    flag(
        "link",
        Some('l'),
        Kind::Bool,
        "",
        "Remove the specified link",
    ),
    flag(
        "volumes",
        Some('v'),
        Kind::Bool,
        "",
        "Remove anonymous volumes associated with the container",
    ),
];

pub const PS_FLAGS: &[Flag] = &[
    flag(
        "all",
        Some('a'),
        Kind::Bool,
        "",
        "Show all containers (default shows just running)",
    ),
    flag(
        "filter",
        Some('f'),
        Kind::List,
        "filter",
        "Filter output based on conditions provided",
    ),
    flag(
        "format",
        None,
        Kind::Str,
        "string",
        "Pretty-print containers using a Go template",
    ),
    with_default(
        flag(
            "last",
            Some('n'),
            Kind::Int,
            "int",
            "Show n last created containers (includes all states)",
        ),
        "-1",
    ),
    flag(
        "latest",
        Some('l'),
        Kind::Bool,
        "",
        "Show the latest created container (includes all states)",
    ),
    flag("no-trunc", None, Kind::Bool, "", "Don't truncate output"),
    flag(
        "quiet",
        Some('q'),
        Kind::Bool,
        "",
        "Only display container IDs",
    ),
    flag(
        "size",
        Some('s'),
        Kind::Bool,
        "",
        "Display total file sizes",
    ),
];

pub const LOGS_FLAGS: &[Flag] = &[
    flag(
        "details",
        None,
        Kind::Bool,
        "",
        "Show extra details provided to logs",
    ),
    flag("follow", Some('f'), Kind::Bool, "", "Follow log output"),
    flag(
        "since",
        None,
        Kind::Str,
        "string",
        "Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)",
    ),
    with_default(
        flag(
            "tail",
            Some('n'),
            Kind::Str,
            "string",
            "Number of lines to show from the end of the logs",
        ),
        "\"all\"",
    ),
    flag("timestamps", Some('t'), Kind::Bool, "", "Show timestamps"),
    flag(
        "until",
        None,
        Kind::Str,
        "string",
        "Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)",
    ),
];

pub const EXEC_FLAGS: &[Flag] = &[
    flag(
        "detach",
        Some('d'),
        Kind::Bool,
        "",
        "Detached mode: run command in the background",
    ),
    flag(
        "detach-keys",
        None,
        Kind::Str,
        "string",
        "Override the key sequence for detaching a container",
    ),
    flag(
        "env",
        Some('e'),
        Kind::List,
        "list",
        "Set environment variables",
    ),
    flag(
        "env-file",
        None,
        Kind::List,
        "list",
        "Read in a file of environment variables",
    ),
    flag(
        "interactive",
        Some('i'),
        Kind::Bool,
        "",
        "Keep STDIN open even if not attached",
    ),
    flag(
        "privileged",
        None,
        Kind::Bool,
        "",
        "Give extended privileges to the command",
    ),
    flag("tty", Some('t'), Kind::Bool, "", "Allocate a pseudo-TTY"),
    flag(
        "user",
        Some('u'),
        Kind::Str,
        "string",
        "Username or UID (format: <name|uid>[:<group|gid>])",
    ),
    flag(
        "workdir",
        Some('w'),
        Kind::Str,
        "string",
        "Working directory inside the container",
    ),
];

pub const ATTACH_FLAGS: &[Flag] = &[
    flag(
        "detach-keys",
        None,
        Kind::Str,
        "string",
        "Override the key sequence for detaching a container",
    ),
    flag("no-stdin", None, Kind::Bool, "", "Do not attach STDIN"),
    with_default(
        flag(
            "sig-proxy",
            None,
            Kind::Bool,
            "",
            "Proxy all received signals to the process",
        ),
        "true",
    ),
];

pub const UPDATE_FLAGS: &[Flag] = &[
    flag("cpus", None, Kind::Str, "decimal", "Number of CPUs"),
    flag("memory", Some('m'), Kind::Str, "bytes", "Memory limit"),
    flag(
        "restart",
        None,
        Kind::Str,
        "string",
        "Restart policy to apply when a container exits",
    ),
];

pub const COMMIT_FLAGS: &[Flag] = &[
    flag(
        "author",
        Some('a'),
        Kind::Str,
        "string",
        "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")",
    ),
    flag(
        "change",
        Some('c'),
        Kind::List,
        "list",
        "Apply Dockerfile instruction to the created image",
    ),
    flag("message", Some('m'), Kind::Str, "string", "Commit message"),
    with_default(
        flag(
            "pause",
            Some('p'),
            Kind::Bool,
            "",
            "Pause container during commit",
        ),
        "true",
    ),
];

pub const EXPORT_FLAGS: &[Flag] = &[flag(
    "output",
    Some('o'),
    Kind::Str,
    "string",
    "Write to a file, instead of STDOUT",
)];

pub const CONTAINER_PRUNE_FLAGS: &[Flag] = &[
    flag(
        "filter",
        None,
        Kind::List,
        "filter",
        "Provide filter values (e.g. 'until=<timestamp>')",
    ),
    flag(
        "force",
        Some('f'),
        Kind::Bool,
        "",
        "Do not prompt for confirmation",
    ),
];

pub const CONTAINER_INSPECT_FLAGS: &[Flag] = &[
    flag(
        "format",
        Some('f'),
        Kind::Str,
        "string",
        "Format the output using the given Go template",
    ),
    flag(
        "size",
        Some('s'),
        Kind::Bool,
        "",
        "Display total file sizes",
    ),
];

/// The `docker container` group's listing, as Docker prints it.
pub const CONTAINER_GROUP: &[(&str, &str)] = &[
    (
        "attach",
        "Attach local standard input, output, and error streams to a running container",
    ),
    ("commit", "Create a new image from a container's changes"),
    (
        "cp",
        "Copy files/folders between a container and the local filesystem",
    ),
    ("create", "Create a new container"),
    (
        "diff",
        "Inspect changes to files or directories on a container's filesystem",
    ),
    ("exec", "Run a command in a running container"),
    ("export", "Export a container's filesystem as a tar archive"),
    (
        "inspect",
        "Display detailed information on one or more containers",
    ),
    ("kill", "Kill one or more running containers"),
    ("logs", "Fetch the logs of a container"),
    ("ls", "List containers"),
    ("pause", "Pause all processes within one or more containers"),
    (
        "port",
        "List port mappings or a specific mapping for the container",
    ),
    ("prune", "Remove all stopped containers"),
    ("rename", "Rename a container"),
    ("restart", "Restart one or more containers"),
    ("rm", "Remove one or more containers"),
    ("run", "Run a command in a new container"),
    ("start", "Start one or more stopped containers"),
    (
        "stats",
        "Display a live stream of container(s) resource usage statistics",
    ),
    ("stop", "Stop one or more running containers"),
    ("top", "Display the running processes of a container"),
    (
        "unpause",
        "Unpause all processes within one or more containers",
    ),
    ("update", "Update configuration of one or more containers"),
    (
        "wait",
        "Block until one or more containers stop, then print their exit codes",
    ),
];

fn out(io: &mut Io<'_>, s: &str) {
    let _ = io.stdout.write_all(s.as_bytes());
}

fn err_line(io: &mut Io<'_>, s: &str) {
    // What the command wrote on stdout comes first, as docker/cli's unbuffered writes do.
    let _ = io.stdout.flush();
    let _ = writeln!(io.stderr, "{s}");
}

/// A `docker run` failure: `docker: <msg>.` and the help pointer, exit 125 (or the code given).
fn run_fail(msg: impl std::fmt::Display, code: i32) -> Fail {
    let msg = msg.to_string();
    Fail {
        message: format!(
            "docker: {}.\nSee 'docker run --help'.",
            msg.strip_suffix('.').unwrap_or(&msg)
        ),
        code,
        blank_stdout_line: false,
    }
}

/// An error from starting the container `docker run` made: docker/cli reports it without the
/// help line, exiting 127 for "no such file or directory", 126 for "permission denied" and
/// 125 otherwise (`runStartContainerErr`).
fn run_start_fail(e: Error) -> Fail {
    let message = format!("Error response from daemon: {e}");
    let code = if let Error::Runtime(r @ RuntimeError::StartFailed { .. }) = &e {
        r.run_exit_code()
    } else if message.contains("executable file not found")
        || message.contains("no such file or directory")
    {
        127
    } else if message.contains("permission denied") {
        126
    } else {
        125
    };
    Fail {
        message: format!("docker: {}.", message.strip_suffix('.').unwrap_or(&message)),
        code,
        blank_stdout_line: false,
    }
}

/// An error from creating the container `docker run` asked for: with the daemon prefix and
/// docker/cli's help line.
fn run_engine_fail(e: Error) -> Fail {
    run_fail(format!("Error response from daemon: {e}"), 125)
}

// ---------------------------------------------------------------------------------------------
// Parsing run/create flags.

/// docker/cli's `ValidateEnv`: `KEY=value` as is; a bare `KEY` takes the client's value.
fn env_value(v: &str, io: &Io<'_>) -> Result<String, String> {
    let key = v.split('=').next().unwrap_or(v);
    if key.is_empty() {
        return Err(format!("invalid environment variable: {v}"));
    }
    if v.contains('=') {
        return Ok(v.to_string());
    }
    Ok(match (io.env)(v) {
        Some(val) => format!("{v}={val}"),
        None => v.to_string(),
    })
}

/// Reads an `--env-file` as docker/cli's `ParseEnvFile`.
fn env_file(path: &str, io: &Io<'_>) -> Result<Vec<String>, String> {
    let real = io.paths.resolve(path)?;
    let text = std::fs::read_to_string(&real)
        .map_err(|_| format!("open {path}: no such file or directory"))?;
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, _) = line.split_once('=').unwrap_or((line, ""));
        if key.contains(char::is_whitespace) {
            return Err(format!("variable '{key}' contains whitespaces"));
        }
        out.push(env_value(line, io)?);
    }
    Ok(out)
}

/// One `-p` value: `[ip:][hostPort:]containerPort[/proto]` (go-connections' `ParsePortSpec`).
pub fn parse_publish(spec: &str) -> Result<(String, PortBinding), String> {
    let (rest, proto) = match spec.rsplit_once('/') {
        Some((r, p)) => (r, p),
        None => (spec, "tcp"),
    };
    if !matches!(proto, "tcp" | "udp" | "sctp") {
        return Err(format!("Invalid proto: {proto}"));
    }
    let parts: Vec<&str> = rest.split(':').collect();
    let (ip, host, container) = match parts.as_slice() {
        [c] => ("", "", *c),
        [h, c] => ("", *h, *c),
        [ip, h, c] => (*ip, *h, *c),
        _ => return Err(format!("Invalid hostPort: {rest}")),
    };
    let port_ok = |p: &str| p.parse::<u16>().is_ok_and(|n| n > 0);
    if !port_ok(container) {
        return Err(format!("Invalid containerPort: {container}"));
    }
    if !host.is_empty() && !port_ok(host) {
        return Err(format!("Invalid hostPort: {host}"));
    }
    if !ip.is_empty() && ip.parse::<std::net::IpAddr>().is_err() {
        return Err(format!("Invalid ip address: {ip}"));
    }
    Ok((
        format!("{container}/{proto}"),
        PortBinding {
            host_ip: ip.to_string(),
            host_port: host.to_string(),
        },
    ))
}

/// A free host port for `-p 80` / `-P` (the kernel picks an ephemeral one).
fn random_port() -> String {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .ok()
        .and_then(|l| l.local_addr().ok())
        .map(|a| a.port().to_string())
        .unwrap_or_else(|| "49153".into())
}

/// One `-v` value: a bind (`/host:/ctr[:ro]`), a named volume (`name:/ctr`) or an anonymous
/// one (`/ctr`).
fn parse_volume(engine: &Engine, spec: &str, io: &Io<'_>) -> Result<MountPoint, String> {
    let bad = || format!("invalid volume specification: '{spec}'");
    let parts: Vec<&str> = spec.split(':').collect();
    let (src, dst, mode) = match parts.as_slice() {
        [d] => ("", *d, ""),
        [s, d] => (*s, *d, ""),
        [s, d, m] => (*s, *d, *m),
        _ => return Err(bad()),
    };
    if dst.is_empty() || (parts.len() > 1 && src.is_empty()) {
        return Err(bad());
    }
    if !dst.starts_with('/') {
        return Err(format!(
            "invalid volume specification: '{spec}': invalid mount config for type \"volume\": invalid mount path: '{dst}' mount path must be absolute"
        ));
    }
    let rw = match mode {
        "" | "rw" | "z" | "Z" | "rw,z" | "rw,Z" => true,
        "ro" | "ro,z" | "ro,Z" => false,
        other => return Err(format!("invalid mode: {other}")),
    };
    let home = engine.paths().home();
    if src.starts_with('/') {
        let real = io.paths.resolve(src)?;
        let inside = real
            .strip_prefix(home)
            .map_err(|_| format!("invalid mount config for type \"bind\": bind source path {src} is outside the drydock host"))?;
        std::fs::create_dir_all(&real)
            .map_err(|e| format!("error while creating mount source path '{src}': {e}"))?;
        return Ok(MountPoint {
            kind: "bind".into(),
            name: String::new(),
            source: format!("/{}", inside.display()),
            destination: dst.to_string(),
            rw,
            mode: mode.to_string(),
            named: false,
        });
    }
    let name = if src.is_empty() {
        engine.rng.hex(32)
    } else {
        let ok = src
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && src
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if !ok {
            return Err(format!(
                "create {src}: \"{src}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path"
            ));
        }
        src.to_string()
    };
    let named = !src.is_empty();
    engine.volume_ensure(&name).map_err(|e| e.to_string())?;
    Ok(MountPoint {
        kind: "volume".into(),
        source: volumes::source_of(&name),
        named,
        name,
        destination: dst.to_string(),
        rw,
        mode: if mode.is_empty() {
            "z".into()
        } else {
            mode.to_string()
        },
    })
}

/// docker/cli's health options: `--no-healthcheck` gives a `NONE` test, any `--health-*` a
/// config whose unset parts the daemon fills from the image's.
fn health_config(p: &Parsed) -> Result<Option<Healthcheck>, ParseFail> {
    let duration = |name: &str| -> Result<i64, ParseFail> {
        match p.str(name) {
            None => Ok(0),
            Some(v) => parse_go_duration(v).map_err(|e| {
                ParseFail::Flag(format!(
                    "invalid argument \"{v}\" for \"--{name}\" flag: {e}"
                ))
            }),
        }
    };
    let cmd = p.str("health-cmd").unwrap_or("");
    let interval = duration("health-interval")?;
    let timeout = duration("health-timeout")?;
    let start_period = duration("health-start-period")?;
    let retries = p.int("health-retries").unwrap_or(0);
    let any = !cmd.is_empty() || interval != 0 || timeout != 0 || start_period != 0 || retries != 0;
    if p.bool("no-healthcheck") {
        if any {
            return Err(ParseFail::Client(
                "--no-healthcheck conflicts with --health-* options".into(),
            ));
        }
        return Ok(Some(Healthcheck {
            test: Some(vec!["NONE".into()]),
            ..Healthcheck::default()
        }));
    }
    if !any {
        return Ok(None);
    }
    for (v, name) in [
        (interval, "--health-interval"),
        (timeout, "--health-timeout"),
        (retries, "--health-retries"),
        (start_period, "--health-start-period"),
    ] {
        if v < 0 {
            return Err(ParseFail::Client(format!("{name} cannot be negative")));
        }
    }
    Ok(Some(Healthcheck {
        test: (!cmd.is_empty()).then(|| vec!["CMD-SHELL".into(), cmd.to_string()]),
        interval,
        timeout,
        start_period,
        retries,
    }))
}

/// Client-side errors (`docker: <msg>.`) and flag errors (`invalid argument …`, exit 125).
enum ParseFail {
    Client(String),
    Flag(String),
}

fn create_request(
    engine: &Engine,
    p: &Parsed,
    io: &Io<'_>,
    attach: bool,
) -> Result<CreateRequest, ParseFail> {
    let image = p.args[0].clone();
    let mut req = CreateRequest {
        image,
        cmd: p.args[1..].to_vec(),
        attach,
        tty: p.bool("tty"),
        stdin_open: p.bool("interactive"),
        auto_remove: p.bool("rm"),
        publish_all: p.bool("publish-all"),
        ..Default::default()
    };
    if p.given("entrypoint") {
        req.entrypoint = Some(p.str("entrypoint").unwrap_or("").to_string());
    }
    for v in p.list("env-file") {
        req.env.extend(env_file(&v, io).map_err(ParseFail::Client)?);
    }
    for v in p.list("env") {
        req.env.push(env_value(&v, io).map_err(|e| {
            ParseFail::Flag(format!(
                "invalid argument \"{v}\" for \"-e, --env\" flag: {e}"
            ))
        })?);
    }
    for v in p.list("label") {
        let (k, val) = v.split_once('=').unwrap_or((&v, ""));
        req.labels.insert(k.to_string(), val.to_string());
    }
    req.name = p.str("name").filter(|n| !n.is_empty()).map(str::to_string);
    req.hostname = p
        .str("hostname")
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    req.workdir = p
        .str("workdir")
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    req.user = p.str("user").map(str::to_string);
    req.group_add = p.list("group-add");
    req.stop_signal = p.str("stop-signal").map(str::to_string);
    req.network = p
        .str("network")
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    req.stop_timeout = p.int("stop-timeout");
    if p.given("init") {
        req.init = Some(p.bool("init"));
    }
    req.healthcheck = health_config(p)?;
    let restart = p.str("restart").unwrap_or("");
    req.restart = match RestartPolicy::parse(restart) {
        Ok(r) => r,
        Err(e @ (RuntimeError::RestartPolicyFormat | RuntimeError::RetryCountNotInteger)) => {
            return Err(ParseFail::Client(e.to_string()));
        }
        // The daemon refuses the rest; keep the name for its message.
        Err(_) => RestartPolicy {
            name: restart.split(':').next().unwrap_or(restart).to_string(),
            maximum_retry_count: restart
                .split(':')
                .nth(1)
                .and_then(|n| n.parse().ok())
                .unwrap_or(0),
        },
    };
    if req.auto_remove && !req.restart.is_none() {
        return Err(ParseFail::Client(
            "Conflicting options: --restart and --rm".into(),
        ));
    }
    let mut ports: BTreeMap<String, Vec<PortBinding>> = BTreeMap::new();
    for v in p.list("publish") {
        let (port, mut binding) = parse_publish(&v).map_err(ParseFail::Client)?;
        if binding.host_port.is_empty() {
            binding.host_port = random_port();
        }
        ports.entry(port).or_default().push(binding);
    }
    req.ports = ports;
    for v in p.list("expose") {
        // docker/cli checks `--expose` before sending anything.
        if v.contains(':') {
            return Err(ParseFail::Client(format!(
                "invalid port format for --expose: {v}"
            )));
        }
        let ports = network::port_range(&v).map_err(|e| {
            ParseFail::Client(format!(
                "invalid range format for --expose: {v}, error: {e}"
            ))
        })?;
        req.expose.extend(ports);
    }
    // dockerd checks volume specifications: its errors carry the daemon prefix.
    let daemon = |m: String| ParseFail::Client(format!("Error response from daemon: {m}"));
    for v in p.list("volume") {
        let m = parse_volume(engine, &v, io).map_err(daemon)?;
        req.binds.push(v.clone());
        req.mounts.push(m);
    }
    for v in p.list("mount") {
        let mut kind = "volume";
        let (mut src, mut dst, mut ro) = (String::new(), String::new(), false);
        for kv in v.split(',') {
            let (k, val) = kv.split_once('=').unwrap_or((kv, "true"));
            match k {
                "type" => kind = if val == "bind" { "bind" } else { "volume" },
                "source" | "src" => src = val.to_string(),
                "destination" | "dst" | "target" => dst = val.to_string(),
                "readonly" | "ro" => ro = val == "true" || val == "1",
                _ => {}
            }
        }
        if kind == "bind" && !src.starts_with('/') {
            return Err(ParseFail::Flag(format!(
                "invalid argument \"{v}\" for \"--mount\" flag: invalid mount config for type \"bind\": invalid mount path: '{src}' mount path must be absolute"
            )));
        }
        // `-v` creates a missing bind source; `--mount` refuses it (dockerd's words).
        if kind == "bind" && !io.paths.resolve(&src).is_ok_and(|r| r.exists()) {
            return Err(daemon(format!(
                "invalid mount config for type \"bind\": bind source path does not exist: {src}"
            )));
        }
        let spec = if src.is_empty() {
            dst.clone()
        } else {
            format!("{src}:{dst}{}", if ro { ":ro" } else { "" })
        };
        let m = parse_volume(engine, &spec, io).map_err(daemon)?;
        req.mounts.push(m);
    }
    Ok(req)
}

/// Pulls a missing image as `docker run`/`create` do: the notice and the pull's output on
/// stderr.
fn pull_for_run(engine: &Engine, image: &str, io: &mut Io<'_>) -> Result<(), Fail> {
    let r = crate::engine::reference::Reference::parse_named(image)
        .map_err(|e| run_fail(e, 125))?
        .with_default_tag();
    let shown = r.familiar();
    err_line(io, &format!("Unable to find image '{shown}' locally"));
    let mut buf: Vec<u8> = Vec::new();
    let mut sink: Vec<u8> = Vec::new();
    let mut pp = Parsed::default();
    pp.args = vec![shown.clone()];
    let result = {
        let mut pio = Io {
            stdin: &mut *io.stdin,
            stdout: &mut buf,
            stderr: &mut sink,
            stdin_tty: io.stdin_tty,
            stdout_tty: false,
            env: io.env,
            paths: io.paths,
        };
        super::image::pull(engine, &pp, &mut pio)
    };
    let text = String::from_utf8_lossy(&buf);
    // `docker pull` ends with the full reference; a run's pull does not.
    let mut lines: Vec<&str> = text.lines().collect();
    if lines
        .last()
        .is_some_and(|l| l.contains('/') && !l.contains(' '))
    {
        lines.pop();
    }
    for l in lines {
        err_line(io, l);
    }
    match result {
        Ok(0) => Ok(()),
        Ok(code) => Err(Fail::plain("").with_code(code)),
        Err(f) => Err(Fail {
            message: format!("docker: {}.\nSee 'docker run --help'.", f.message),
            code: 125,
            blank_stdout_line: false,
        }),
    }
}

impl Fail {
    fn with_code(mut self, code: i32) -> Fail {
        self.code = code;
        self
    }
}

fn is_no_such_image(e: &Error) -> bool {
    matches!(e, Error::Store(StoreError::NoSuchImage(_)))
}

/// Creates the container, pulling the image first when it is missing.
fn create_with_pull(
    engine: &Engine,
    req: &CreateRequest,
    io: &mut Io<'_>,
    fail: &dyn Fn(Error) -> Fail,
) -> Result<String, Fail> {
    let id = match engine.container_create(req) {
        Ok(id) => id,
        Err(e) if is_no_such_image(&e) => {
            pull_for_run(engine, &req.image, io)?;
            engine.container_create(req).map_err(fail)?
        }
        Err(e) => return Err(fail(e)),
    };
    for w in req.warnings() {
        let _ = writeln!(io.stderr, "WARNING: {w}");
    }
    Ok(id)
}

pub(super) fn run(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let detach = p.bool("detach");
    let req = match create_request(engine, p, io, !detach) {
        Ok(r) => r,
        Err(ParseFail::Client(m)) => return Err(run_fail(m, 125)),
        Err(ParseFail::Flag(m)) => {
            return Err(Fail {
                message: format!("{m}\nSee 'docker run --help'."),
                code: 125,
                blank_stdout_line: false,
            });
        }
    };
    if !detach && req.tty && req.stdin_open && !io.stdin_tty {
        return Err(Fail::plain("the input device is not a TTY"));
    }
    // Docker 20.10.24's client proxies with or without `-t` (with `-it` the terminal is raw, so
    // Ctrl-C is a byte for the container's terminal, not a signal for the client).
    let sig_proxy = !p.given("sig-proxy") || p.bool("sig-proxy");
    // Until the container exists the client proxies nothing: Ctrl-C ends it (the container
    // stays created, as when Docker's client dies before its start).
    let (created, left) = sigproxy::leaving(|signals| {
        let created = create_with_pull(engine, &req, io, &|e| run_engine_fail(e));
        (created, signals.left())
    });
    let id = created?;
    if let Some(sig) = left {
        return Ok(sigproxy::left_status(sig));
    }
    if detach {
        let started = engine.container_start(&id);
        // docker/cli prints the ID before the start answers, so also above a start error.
        out(io, &format!("{id}\n"));
        started.map_err(run_start_fail)?;
        return Ok(0);
    }
    // SAFETY: isatty only queries the descriptor.
    let terminal = io.stdin_tty && io.stdout_tty && unsafe { libc::isatty(0) } == 1;
    let mode = sigproxy::Mode::proxy_if(sig_proxy);
    let on_terminal = terminal && req.stdin_open;
    // With `-t` on a terminal the container runs under its supervisor on a pseudo-terminal, so
    // Ctrl-P Ctrl-Q can leave it running and `docker attach` can come back to it. A client that
    // does not proxy leaves on Ctrl-C and the container runs on, so it too gets a supervisor of
    // its own rather than this process. Either supervisor holds the output until this client
    // has connected.
    let tty = terminal && req.tty;
    if tty || (!sig_proxy && !on_terminal) {
        // Signals are handled from here on, as docker/cli handles them from the create on.
        let r = sigproxy::attached(engine, &id, mode, |signals| {
            engine.container_start_held(&id).map_err(run_start_fail)?;
            if let Some(sig) = signals.left() {
                // Connect and go, so the supervisor stops holding the output for this client.
                drop(engine.container_attach_stream(&id));
                return Ok(sigproxy::left_status(sig));
            }
            let stream = engine.container_attach_stream(&id).map_err(Fail::daemon)?;
            let code =
                stream_session_in(engine, &id, io, stream, req.stdin_open, false, tty, signals)?;
            // A command that could not be started may have looked started for a moment: its
            // supervisor recorded the error, which `run` reports as the foreground run does.
            if matches!(code, 126 | 127)
                && let Ok(c) = engine.container(&id)
                && !c.state.running
                && !c.state.error.is_empty()
            {
                return Err(Fail {
                    message: format!("docker: Error response from daemon: {}.", c.state.error),
                    code,
                    blank_stdout_line: false,
                });
            }
            Ok(code)
        });
        // `--rm` of a command that could not start: removed, as the foreground run removes it.
        if r.is_err() && req.auto_remove && engine.container(&id).is_ok_and(|c| !c.state.running) {
            wait_recorded(engine, &id);
            let _ = engine.container_remove(&id, true, false);
        }
        return r;
    }
    let stdin = if req.stdin_open && !terminal {
        let mut v = Vec::new();
        let _ = io.stdin.read_to_end(&mut v);
        Some(v)
    } else {
        None
    };
    let _ = io.stdout.flush();
    let mut attach = Attach {
        stdout: &mut *io.stdout,
        stderr: &mut *io.stderr,
        stdin,
        terminal: on_terminal,
        serve_tty: false,
        hold: false,
    };
    // `-i` on a terminal hands the container the terminal (its group in the foreground), so
    // Ctrl-C reaches it from there; signals sent to this client are proxied all the same.
    let code = if sig_proxy {
        sigproxy::attached(engine, &id, mode, |_| {
            engine.container_run_attached(&id, &mut attach)
        })
    } else {
        engine.container_run_attached(&id, &mut attach)
    }
    .map_err(run_start_fail)?;
    Ok(code)
}

/// A terminal session with a running `-t` container (`run -it`, `attach`, `start -ai`): raw mode,
/// the container's terminal relayed, the exit code as the command's. On Ctrl-P Ctrl-Q `attach`
/// prints Docker's `read escape sequence` and fails (the CLI returns the escape as an error);
/// `run` returns quietly.
fn tty_session(
    engine: &Engine,
    id: &str,
    io: &mut Io<'_>,
    stdin: bool,
    is_attach: bool,
    mode: sigproxy::Mode,
) -> CmdResult {
    let stream = engine.container_attach_stream(id).map_err(Fail::daemon)?;
    stream_session(engine, id, io, stream, stdin, is_attach, true, mode)
}

/// A session on a container's attach socket: `tty` for a terminal's (raw mode, detach keys),
/// else a `-i` container's pipes (stdin forwarded, stdout and stderr apart). The client's
/// signals are handled in `mode` ([`sigproxy`]): a client that leaves returns 128 + the signal
/// and the container runs on.
#[allow(clippy::too_many_arguments)]
fn stream_session(
    engine: &Engine,
    id: &str,
    io: &mut Io<'_>,
    stream: std::os::unix::net::UnixStream,
    stdin: bool,
    is_attach: bool,
    tty: bool,
    mode: sigproxy::Mode,
) -> CmdResult {
    sigproxy::attached(engine, id, mode, |signals| {
        stream_session_in(engine, id, io, stream, stdin, is_attach, tty, signals)
    })
}

#[allow(clippy::too_many_arguments)]
fn stream_session_in(
    engine: &Engine,
    id: &str,
    io: &mut Io<'_>,
    stream: std::os::unix::net::UnixStream,
    stdin: bool,
    is_attach: bool,
    tty: bool,
    signals: &sigproxy::Session,
) -> CmdResult {
    let _ = io.stdout.flush();
    // Input that is not the terminal (a pipe, or a pipeline in the shell) goes first, whole;
    // the container's stdin stays open after it, as Docker keeps it.
    let stdin = if stdin && !tty && !io.stdin_tty {
        let mut input = Vec::new();
        let _ = io.stdin.read_to_end(&mut input);
        let mut s = &stream;
        let _ = s.write_all(&input);
        if !is_attach {
            // `docker run -i` (StdinOnce): the end of the input closes the container's stdin.
            let _ = stream.shutdown(std::net::Shutdown::Write);
        }
        false
    } else {
        stdin
    };
    let outcome = {
        let _raw = (stdin && tty).then(super::attach::RawMode::enter);
        super::attach::session(
            stream,
            &mut *io.stdout,
            &mut *io.stderr,
            stdin,
            tty,
            &|| signals.left().is_some(),
        )
    };
    if let Some(sig) = signals.left() {
        return Ok(sigproxy::left_status(sig));
    }
    if !matches!(outcome, super::attach::Outcome::Detached) {
        wait_recorded(engine, id);
    }
    match outcome {
        super::attach::Outcome::Exited(code) => Ok(code),
        super::attach::Outcome::Detached if is_attach => {
            err_line(io, "read escape sequence");
            Ok(1)
        }
        super::attach::Outcome::Detached => Ok(0),
        super::attach::Outcome::Closed | super::attach::Outcome::Left => {
            Ok(engine.container(id).map(|c| c.state.exit_code).unwrap_or(0))
        }
    }
}

/// The supervisor sends the exit code before it records the exit (and removes a `--rm`
/// container); Docker's CLI returns only once the daemon has, so `ps` right after agrees. Waits (a
/// little) until the supervisor is done: the container's directory is gone (`--rm`), or its lock
/// is free, or it is restarting the container. (The record is no guide while a `--rm` container's
/// files are being deleted, the lock file among them.)
fn wait_recorded(engine: &Engine, id: &str) {
    let store = engine.containers();
    let (dir, lock) = (store.dir(id), store.shim_lock_path(id));
    let until = std::time::Instant::now() + Duration::from_secs(10);
    while std::time::Instant::now() < until && dir.exists() {
        if lock.exists() && !ShimLock::held(&lock) {
            return;
        }
        if store.load(id).is_ok_and(|c| c.state.restarting) {
            return;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Follows a container's log until it exits (`attach` to a container run in the foreground by
/// another client, `start -a`), first starting it with `start` when given, and returns its exit
/// code, or 128 + the signal that ended the client (see [`sigproxy`]).
fn follow_to_exit(
    engine: &Engine,
    id: &str,
    io: &mut Io<'_>,
    mode: sigproxy::Mode,
    start: Option<&dyn Fn() -> Result<(), Fail>>,
) -> CmdResult {
    let log = engine.containers().log_path(id);
    let offset = std::fs::metadata(&log).map(|m| m.len()).unwrap_or(0);
    let left = sigproxy::attached(engine, id, mode, |signals| {
        if let Some(start) = start {
            start()?;
        }
        follow(engine, id, offset, io, false, signals)
    })?;
    if let Some(sig) = left {
        return Ok(sigproxy::left_status(sig));
    }
    let c = engine.container(id)?;
    Ok(c.state.exit_code)
}

pub(super) fn create(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let req = match create_request(engine, p, io, false) {
        Ok(r) => r,
        // What the daemon refuses (volume specs) prints as it comes; the client's own checks
        // are reported as `docker run`'s are, with `create`'s help line and 125.
        Err(ParseFail::Client(m)) if m.starts_with("Error response from daemon:") => {
            return Err(Fail::plain(m));
        }
        Err(ParseFail::Client(m)) => {
            return Err(Fail {
                message: format!(
                    "docker: {}.\nSee 'docker create --help'.",
                    m.strip_suffix('.').unwrap_or(&m)
                ),
                code: 125,
                blank_stdout_line: false,
            });
        }
        Err(ParseFail::Flag(m)) => {
            return Err(Fail {
                message: format!("{m}\nSee 'docker create --help'."),
                code: 125,
                blank_stdout_line: false,
            });
        }
    };
    let id = create_with_pull(engine, &req, io, &|e| Fail::daemon(e))?;
    out(io, &format!("{id}\n"));
    Ok(0)
}

/// Runs `op` on each argument; prints each success as typed, then the errors (exit 1).
fn each(
    io: &mut Io<'_>,
    args: &[String],
    parallel: bool,
    op: &(dyn Fn(&str) -> Result<(), Error> + Sync),
) -> Vec<(String, Error)> {
    let results: Vec<Result<(), Error>> = if parallel && args.len() > 1 {
        std::thread::scope(|s| {
            let handles: Vec<_> = args.iter().map(|a| s.spawn(move || op(a))).collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or(Ok(())))
                .collect()
        })
    } else {
        args.iter().map(|a| op(a)).collect()
    };
    let mut errors = Vec::new();
    for (a, r) in args.iter().zip(results) {
        match r {
            Ok(()) => out(io, &format!("{a}\n")),
            Err(e) => errors.push((a.clone(), e)),
        }
    }
    errors
}

/// docker/cli inspects the container before `logs`, `exec`, `port` and `attach`, so a missing
/// one is the client's `Error: No such container: X`, not the daemon's.
fn inspected(engine: &Engine, arg: &str) -> Result<crate::engine::runtime::Container, Fail> {
    engine.container(arg).map_err(|e| match e {
        Error::Runtime(RuntimeError::NoSuchContainer(_)) => {
            Fail::plain(format!("Error: No such container: {arg}"))
        }
        e => Fail::daemon(e),
    })
}

fn report(io: &mut Io<'_>, errors: Vec<(String, Error)>) -> CmdResult {
    if errors.is_empty() {
        return Ok(0);
    }
    let text: Vec<String> = errors
        .iter()
        .map(|(_, e)| format!("Error response from daemon: {e}"))
        .collect();
    err_line(io, &text.join("\n"));
    Ok(1)
}

pub(super) fn start(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let attach = p.bool("attach") || p.bool("interactive");
    if attach && p.args.len() > 1 {
        return Err(Fail::plain(
            "you cannot start and attach multiple containers at once",
        ));
    }
    if attach {
        let c = engine.container(&p.args[0])?;
        // SAFETY: isatty only queries the descriptor.
        let terminal = io.stdin_tty && io.stdout_tty && unsafe { libc::isatty(0) } == 1;
        if terminal && c.config.tty && !c.state.running {
            engine.container_start_held(&c.id).map_err(|e| match e {
                Error::Runtime(RuntimeError::StartFailed { code, .. }) => Fail {
                    message: format!("Error response from daemon: {e}"),
                    code,
                    blank_stdout_line: false,
                },
                e => Fail::daemon(e),
            })?;
            let stdin = p.bool("interactive") && c.config.open_stdin;
            return tty_session(engine, &c.id, io, stdin, true, sigproxy::Mode::Leave);
        }
        // `start -a` always proxies signals to a container without `-t` (it has no
        // `--sig-proxy` flag).
        let mode = sigproxy::Mode::proxy_if(!c.config.tty);
        let start = || {
            engine.container_start(&c.id).map_err(|e| match e {
                Error::Runtime(RuntimeError::StartFailed { code, .. }) => Fail {
                    message: format!("Error response from daemon: {e}"),
                    code,
                    blank_stdout_line: false,
                },
                e => Fail::daemon(e),
            })
        };
        return follow_to_exit(engine, &c.id, io, mode, Some(&start));
    }
    let errors = each(io, &p.args, false, &|a| engine.container_start(a));
    if errors.is_empty() {
        return Ok(0);
    }
    let mut text: Vec<String> = errors
        .iter()
        .map(|(_, e)| format!("Error response from daemon: {e}"))
        .collect();
    let names: Vec<&str> = errors.iter().map(|(a, _)| a.as_str()).collect();
    text.push(format!(
        "Error: failed to start containers: {}",
        names.join(", ")
    ));
    err_line(io, &text.join("\n"));
    Ok(1)
}

pub(super) fn stop(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let t = if p.given("time") { p.int("time") } else { None };
    let errors = each(io, &p.args, true, &|a| engine.container_stop(a, t));
    report(io, errors)
}

pub(super) fn restart(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let t = if p.given("time") { p.int("time") } else { None };
    let errors = each(io, &p.args, false, &|a| engine.container_restart(a, t));
    report(io, errors)
}

pub(super) fn kill(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let sig = p.str("signal").unwrap_or("KILL").to_string();
    let errors = each(io, &p.args, true, &|a| {
        engine.container_kill(a, &sig).map_err(|e| match e {
            // The daemon words a missing container as a failed kill.
            Error::Runtime(RuntimeError::NoSuchContainer(_)) => {
                crate::engine::image::StoreError::NotFound(format!(
                    "Cannot kill container: {a}: {e}"
                ))
                .into()
            }
            e => e,
        })
    });
    report(io, errors)
}

pub(super) fn pause(engine: &Engine, p: &Parsed, io: &mut Io<'_>, unpause: bool) -> CmdResult {
    let errors = each(io, &p.args, false, &|a| {
        if unpause {
            engine.container_unpause(a)
        } else {
            engine.container_pause(a)
        }
    });
    report(io, errors)
}

pub(super) fn rm(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let force = p.bool("force");
    let volumes = p.bool("volumes");
    let errors = each(io, &p.args, true, &|a| {
        engine.container_remove(a, force, volumes)
    });
    if errors.is_empty() {
        return Ok(0);
    }
    let mut code = 0;
    let mut text = Vec::new();
    for (a, e) in &errors {
        if e.kind() == ErrorKind::NotFound {
            text.push(format!("Error: No such container: {a}"));
            if !force {
                code = 1;
            }
        } else {
            text.push(format!("Error response from daemon: {e}"));
            code = 1;
        }
    }
    err_line(io, &text.join("\n"));
    Ok(code)
}

pub(super) fn rename(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let new = p.args[1].trim();
    if new.is_empty() {
        return Err(Fail::plain("Error: Neither old nor new names may be empty"));
    }
    if let Err(e) = engine.container_rename(&p.args[0], new) {
        // docker/cli prints the daemon's error, then its own line.
        let daemon = match e {
            Error::Runtime(RuntimeError::NameConflict { .. }) => {
                format!("Error when allocating new name: {e}")
            }
            e => e.to_string(),
        };
        err_line(io, &format!("Error response from daemon: {daemon}"));
        return Err(Fail::plain(format!(
            "Error: failed to rename container named {}",
            p.args[0]
        )));
    }
    Ok(0)
}

pub(super) fn update(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    if !p.given("restart") && !p.given("cpus") && !p.given("memory") {
        return Err(Fail::plain(
            "you must provide one or more flags when using this command",
        ));
    }
    let policy = match p.str("restart") {
        Some(r) => Some(match RestartPolicy::parse(r) {
            Ok(x) => x,
            Err(e @ (RuntimeError::RestartPolicyFormat | RuntimeError::RetryCountNotInteger)) => {
                return Err(Fail::plain(e.to_string()));
            }
            Err(e) => return Err(Fail::daemon(e)),
        }),
        None => None,
    };
    let errors = each(io, &p.args, false, &|a| match &policy {
        Some(pol) => engine.container_update_restart(a, pol),
        None => engine.container(a).map(|_| ()),
    });
    report(io, errors)
}

pub(super) fn wait(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let mut code = 0;
    for a in &p.args {
        match engine.container_wait(a) {
            Ok(c) => out(io, &format!("{c}\n")),
            Err(e) => {
                err_line(io, &format!("Error response from daemon: {e}"));
                code = 1;
            }
        }
    }
    Ok(code)
}

pub(super) fn port(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let c = inspected(engine, &p.args[0])?;
    if !c.state.running {
        return Ok(0);
    }
    let want = p.args.get(1).map(|w| {
        if w.contains('/') {
            w.clone()
        } else {
            format!("{w}/tcp")
        }
    });
    let mut found = false;
    for (port, bindings) in &c.host_config.port_bindings {
        if want.as_ref().is_some_and(|w| w != port) {
            continue;
        }
        for b in bindings {
            found = true;
            let ip = if b.host_ip.is_empty() {
                "0.0.0.0"
            } else {
                &b.host_ip
            };
            if want.is_some() {
                out(io, &format!("{ip}:{}\n", b.host_port));
            } else {
                out(io, &format!("{port} -> {ip}:{}\n", b.host_port));
            }
        }
    }
    if let (Some(w), false) = (want, found) {
        return Err(Fail::plain(format!(
            "Error: No public port '{w}' published for {}",
            p.args[0]
        )));
    }
    Ok(0)
}

// ---------------------------------------------------------------------------------------------
// ps

const PS_HEADERS: &[(&str, &str)] = &[
    ("ID", "CONTAINER ID"),
    ("Image", "IMAGE"),
    ("Command", "COMMAND"),
    ("CreatedAt", "CREATED AT"),
    ("RunningFor", "CREATED"),
    ("Ports", "PORTS"),
    ("Status", "STATUS"),
    ("Size", "SIZE"),
    ("Names", "NAMES"),
    ("Labels", "LABELS"),
    ("Mounts", "MOUNTS"),
    ("Networks", "NETWORKS"),
    ("State", "STATE"),
    ("LocalVolumes", "LOCAL VOLUMES"),
];

fn ago(now: Timestamp, then: &str) -> String {
    match then.parse::<Timestamp>() {
        Ok(t) => human_duration(now.duration_since(t)),
        Err(_) => "Less than a second".into(),
    }
}

/// dockerd's `State.String()` for the STATUS column.
pub fn status_text(c: &Container, now: Timestamp) -> String {
    let s = &c.state;
    if s.running {
        if s.restarting {
            return format!(
                "Restarting ({}) {} ago",
                s.exit_code,
                ago(now, &s.finished_at)
            );
        }
        let up = format!("Up {}", ago(now, &s.started_at));
        return if s.paused {
            format!("{up} (Paused)")
        } else if let Some(h) = &s.health {
            format!("{up} ({})", health::status_word(h))
        } else {
            up
        };
    }
    if s.removal_in_progress {
        return "Removal In Progress".into();
    }
    if s.dead {
        return "Dead".into();
    }
    if s.started_at == ZERO_TIME {
        return "Created".into();
    }
    if s.finished_at == ZERO_TIME {
        return String::new();
    }
    format!("Exited ({}) {} ago", s.exit_code, ago(now, &s.finished_at))
}

/// The daemon's `Command` (args with spaces single-quoted), cut and Go-quoted by the CLI.
pub fn command_text(c: &Container, trunc: bool) -> String {
    let mut words = vec![c.path.clone()];
    for a in &c.args {
        if a.contains(' ') {
            words.push(format!("'{a}'"));
        } else {
            words.push(a.clone());
        }
    }
    let cmd = words.join(" ");
    let cmd = if trunc { ellipsis(&cmd, 20) } else { cmd };
    go_quote(&cmd)
}

/// The PORTS column: published bindings, then exposed ports without one (running only).
pub fn ports_text(c: &Container) -> String {
    if !c.state.running || c.state.restarting || !network::on_bridge(c) {
        return String::new();
    }
    let mut parts: Vec<(u32, String)> = Vec::new();
    let mut bound: Vec<&String> = Vec::new();
    for (port, bindings) in &c.host_config.port_bindings {
        bound.push(port);
        let n = port
            .split('/')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        for b in bindings {
            let ip = if b.host_ip.is_empty() {
                "0.0.0.0"
            } else {
                &b.host_ip
            };
            parts.push((n, format!("{ip}:{}->{port}", b.host_port)));
        }
    }
    for port in c.config.exposed_ports.iter().flat_map(|e| e.keys()) {
        if !bound.contains(&port) {
            let n = port
                .split('/')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            parts.push((n, port.clone()));
        }
    }
    parts.sort();
    parts
        .into_iter()
        .map(|(_, s)| s)
        .collect::<Vec<_>>()
        .join(", ")
}

fn image_text(c: &Container, trunc: bool) -> String {
    let img = &c.config.image;
    if img.is_empty() {
        return "<no image>".into();
    }
    let hex = img.strip_prefix("sha256:").unwrap_or(img);
    if trunc && hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return hex[..12].to_string();
    }
    if trunc && let Some((name, _)) = img.split_once('@') {
        return name.to_string();
    }
    img.clone()
}

fn ps_row(c: &Container, now: Timestamp, trunc: bool, size: Option<(u64, u64)>) -> Row {
    let labels = c
        .config
        .labels
        .as_ref()
        .map(|l| {
            l.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    let mounts: Vec<String> = c
        .mount_points
        .values()
        .map(|m| {
            if m.kind == "volume" {
                if trunc {
                    ellipsis(&m.name, 15)
                } else {
                    m.name.clone()
                }
            } else {
                m.source.clone()
            }
        })
        .collect();
    let volumes = c
        .mount_points
        .values()
        .filter(|m| m.kind == "volume")
        .count();
    Row {
        type_name: "*formatter.ContainerContext",
        methods: vec![(
            "Label",
            Method::Lookup(c.config.labels.clone().unwrap_or_default()),
        )],
        fields: vec![
            (
                "ID",
                if trunc {
                    c.short_id().to_string()
                } else {
                    c.id.clone()
                },
            ),
            ("Image", image_text(c, trunc)),
            ("Command", command_text(c, trunc)),
            (
                "CreatedAt",
                // The API's `Created` is whole seconds.
                c.created
                    .parse::<Timestamp>()
                    .ok()
                    .and_then(|t| Timestamp::from_second(t.as_second()).ok())
                    .map(go_time_string)
                    .unwrap_or_default(),
            ),
            ("RunningFor", format!("{} ago", ago(now, &c.created))),
            ("Ports", ports_text(c)),
            ("Status", status_text(c, now)),
            (
                "Size",
                match size {
                    Some((rw, total)) => format!(
                        "{} (virtual {})",
                        human_size3(rw as i64),
                        human_size3(total as i64)
                    ),
                    None => String::new(),
                },
            ),
            ("Names", c.short_name().to_string()),
            ("Labels", labels),
            ("Mounts", mounts.join(",")),
            (
                "Networks",
                network::network_of(c)
                    .map(|(name, _)| name.to_string())
                    .unwrap_or_default(),
            ),
            ("State", c.state.status().to_string()),
            ("LocalVolumes", volumes.to_string()),
        ],
    }
}

fn filters_of(p: &Parsed) -> Filters {
    let mut f = Filters::new();
    for v in p.list("filter") {
        let _ = f.add_flag(&v);
    }
    f
}

/// docker/cli's `NewContainerFormat`: the `table` and `raw` keys (`-q` and `-s` shape them);
/// any other format is used as it is, `-q` or not.
fn ps_format(source: &str, quiet: bool, size: bool) -> String {
    const TABLE: &str = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
    const RAW: &str = "container_id: {{.ID}}\nimage: {{.Image}}\ncommand: {{.Command}}\ncreated_at: {{.CreatedAt}}\nstate: {{- pad .State 1 0}}\nstatus: {{- pad .Status 1 0}}\nnames: {{.Names}}\nlabels: {{- pad .Labels 1 0}}\nports: {{- pad .Ports 1 0}}\n";
    match source {
        "table" if quiet => "{{.ID}}".into(),
        "table" if size => format!("{TABLE}\t{{{{.Size}}}}"),
        "table" => TABLE.into(),
        "raw" if quiet => "container_id: {{.ID}}".into(),
        "raw" if size => format!("{RAW}size: {{{{.Size}}}}\n"),
        "raw" => RAW.into(),
        other => other.into(),
    }
}

/// docker/cli's check of a `ps --format` before it asks the daemon: the template must parse,
/// and run against an empty `ContainerContext`. Returns whether it reads `.Size` (then sizes are
/// computed, as `-s` would). docker/cli notes every `Size()` call; `{{json .}}` calls them all.
fn ps_check_format(format: &str) -> Result<bool, Fail> {
    let tmpl = Template::parse(format)
        .map_err(|e| Fail::plain(format!("failed to parse template: {e}")))?;
    let probe = Row {
        type_name: "*formatter.ContainerContext",
        methods: vec![("Label", Method::Lookup(BTreeMap::new()))],
        fields: vec![
            ("ID", String::new()),
            ("Image", "<no image>".into()),
            ("Command", "\"\"".into()),
            ("CreatedAt", "1970-01-01 00:00:00 +0000 UTC".into()),
            ("RunningFor", "55 years ago".into()),
            ("Ports", String::new()),
            ("Status", String::new()),
            ("Size", "0B".into()),
            ("Names", String::new()),
            ("Labels", String::new()),
            ("Mounts", String::new()),
            ("Networks", String::new()),
            ("State", String::new()),
            ("LocalVolumes", "0".into()),
        ],
    };
    tmpl.execute(&probe.to_value(format.contains("json")))
        .map_err(|e| Fail::plain(format!("failed to execute template: {e}")))?;
    Ok(format.contains(".Size") || format.contains("json ."))
}

pub(super) fn ps(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let mut limit = p.int("last").filter(|n| *n > 0).map(|n| n as usize);
    if p.bool("latest") {
        limit = Some(1);
    }
    let format_given = p.str("format").filter(|f| !f.is_empty());
    let size_used = match format_given {
        Some(f) => ps_check_format(f)?,
        None => false,
    };
    let opts = ListOptions {
        all: p.bool("all"),
        limit,
        size: p.bool("size") || size_used,
        filters: filters_of(p),
    };
    let list = engine.containers_list(&opts)?;
    let now = engine.clock.now();
    let trunc = !p.bool("no-trunc");
    let rows: Vec<Row> = list
        .iter()
        .map(|s| {
            let size = s.size_rw.zip(s.size_root_fs);
            ps_row(&s.container, now, trunc, size)
        })
        .collect();
    let format = ps_format(
        format_given.unwrap_or("table"),
        p.bool("quiet"),
        p.bool("size"),
    );
    let text = render(&format, &rows, PS_HEADERS)?;
    out(io, &text);
    Ok(0)
}

// ---------------------------------------------------------------------------------------------
// logs, attach

/// RFC 3339 with nine fraction digits, as `docker logs -t` prints times.
fn fixed_nano(t: &str) -> String {
    match t.parse::<Timestamp>() {
        Ok(ts) => format!(
            "{}.{:09}Z",
            ts.strftime("%Y-%m-%dT%H:%M:%S"),
            ts.subsec_nanosecond().unsigned_abs()
        ),
        Err(_) => t.to_string(),
    }
}

fn print_entries(io: &mut Io<'_>, entries: &[logs::Entry], timestamps: bool) {
    for e in entries {
        let text = if timestamps {
            format!("{} {}", fixed_nano(&e.time), e.log)
        } else {
            e.log.clone()
        };
        let w: &mut dyn Write = if e.stream == "stderr" {
            &mut *io.stderr
        } else {
            &mut *io.stdout
        };
        let _ = w.write_all(text.as_bytes());
        let _ = w.flush();
    }
}

/// Prints the log from `offset` as it grows until the container stops for good, or until the
/// client is ended by a signal (`signals`, see [`sigproxy`]): then returns that signal.
fn follow(
    engine: &Engine,
    id: &str,
    mut offset: u64,
    io: &mut Io<'_>,
    timestamps: bool,
    signals: &sigproxy::Session,
) -> Result<Option<i32>, Fail> {
    let path = engine.containers().log_path(id);
    loop {
        if let Some(sig) = signals.left() {
            return Ok(Some(sig));
        }
        let (entries, next) = logs::read_from(&path, offset);
        offset = next;
        print_entries(io, &entries, timestamps);
        let running = engine
            .containers()
            .load(id)
            .map(|c| c.state.running)
            .unwrap_or(false);
        if !running {
            let (entries, _) = logs::read_from(&path, offset);
            print_entries(io, &entries, timestamps);
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub(super) fn logs(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let c = inspected(engine, &p.args[0])?;
    let path = engine.containers().log_path(&c.id);
    let (entries, offset) = logs::read_from(&path, 0);
    let tail = p.str("tail").unwrap_or("all");
    let shown: &[logs::Entry] = match tail.parse::<i64>() {
        Ok(n) if n >= 0 => &entries[entries.len().saturating_sub(n as usize)..],
        _ => &entries,
    };
    let timestamps = p.bool("timestamps");
    print_entries(io, shown, timestamps);
    if p.bool("follow") {
        // Ctrl-C ends `logs -f` (docker/cli has no handler for it).
        let left = sigproxy::attached(engine, &c.id, sigproxy::Mode::Leave, |signals| {
            follow(engine, &c.id, offset, io, timestamps, signals)
        })?;
        if let Some(sig) = left {
            return Ok(sigproxy::left_status(sig));
        }
    }
    Ok(0)
}

pub(super) fn attach(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let c = inspected(engine, &p.args[0])?;
    if !c.state.running {
        return Err(Fail::plain(RuntimeError::AttachStopped.to_string()));
    }
    if c.state.paused {
        return Err(Fail::plain(RuntimeError::AttachPaused.to_string()));
    }
    if c.state.restarting {
        return Err(Fail::plain(
            "You cannot attach to a restarting container, wait until it is running",
        ));
    }
    // SAFETY: isatty only queries the descriptor.
    let terminal = io.stdin_tty && io.stdout_tty && unsafe { libc::isatty(0) } == 1;
    // docker/cli proxies signals to a container without `-t` only (`--sig-proxy`, default
    // true); attached to a terminal's container, Ctrl-C ends the client.
    let sig_proxy = (!p.given("sig-proxy") || p.bool("sig-proxy")) && !c.config.tty;
    let mode = sigproxy::Mode::proxy_if(sig_proxy);
    if terminal && c.config.tty {
        let stdin = c.config.open_stdin && !p.bool("no-stdin");
        return tty_session(engine, &c.id, io, stdin, true, mode);
    }
    // A container its supervisor serves (started detached): its streams live, and its stdin
    // when it keeps one open (`-i`).
    let dir = engine.containers().dir(&c.id);
    if !c.config.tty
        && dir.join(tty::SOCKET).exists()
        && let Ok(stream) = tty::connect(&dir)
    {
        let stdin = c.config.open_stdin && !p.bool("no-stdin");
        return stream_session(engine, &c.id, io, stream, stdin, true, false, mode);
    }
    follow_to_exit(engine, &c.id, io, mode, None)
}

// ---------------------------------------------------------------------------------------------
// exec

pub(super) fn exec(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let mut env = Vec::new();
    for v in p.list("env-file") {
        env.extend(env_file(&v, io).map_err(Fail::plain)?);
    }
    for v in p.list("env") {
        env.push(env_value(&v, io).map_err(|e| Fail {
            message: format!(
                "invalid argument \"{v}\" for \"-e, --env\" flag: {e}\nSee 'docker exec --help'."
            ),
            code: 125,
            blank_stdout_line: false,
        })?);
    }
    let req = ExecRequest {
        cmd: p.args[1..].to_vec(),
        env,
        workdir: p
            .str("workdir")
            .filter(|w| !w.is_empty())
            .map(str::to_string),
        user: p.str("user").map(str::to_string),
        tty: p.bool("tty"),
        stdin_open: p.bool("interactive"),
        detach: p.bool("detach"),
    };
    inspected(engine, &p.args[0])?;
    if req.tty && req.stdin_open && !io.stdin_tty {
        return Err(Fail::plain("the input device is not a TTY"));
    }
    // SAFETY: isatty only queries the descriptor.
    let terminal = io.stdin_tty && io.stdout_tty && unsafe { libc::isatty(0) } == 1;
    let stdin = if req.stdin_open && !terminal && !req.detach {
        let mut v = Vec::new();
        let _ = io.stdin.read_to_end(&mut v);
        Some(v)
    } else {
        None
    };
    let _ = io.stdout.flush();
    let result = {
        // `exec -it` runs on a pty the runtime relays; the terminal is raw meanwhile.
        let _raw = (terminal && req.tty && req.stdin_open && !req.detach)
            .then(super::attach::RawMode::enter);
        let mut attach = Attach {
            stdout: &mut *io.stdout,
            stderr: &mut *io.stderr,
            stdin,
            terminal: terminal && (req.tty || req.stdin_open),
            serve_tty: false,
            hold: false,
        };
        engine.container_exec(&p.args[0], &req, &mut attach)
    };
    match result {
        Ok(code) => Ok(code),
        Err(Error::Runtime(RuntimeError::StartFailed { message, .. })) => {
            out(
                io,
                &format!(
                    "OCI runtime exec failed: exec failed: unable to start container process: {message}: unknown\r\n"
                ),
            );
            Ok(126)
        }
        // The exec's user cannot be resolved: dockerd fails the exec start, which an attached
        // client prints on stdout (a detached one gets the daemon's error). dockerd's
        // `execStartHandler` ends these with `\r\n`, terminal or not.
        Err(Error::Runtime(RuntimeError::User(e))) if !req.detach => {
            out(io, &format!("{e}\r\n"));
            Ok(126)
        }
        Err(e) => Err(Fail::daemon(e)),
    }
}

// ---------------------------------------------------------------------------------------------
// diff, commit, export, prune, inspect

pub(super) fn diff(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let changes = engine.container_diff(&p.args[0])?;
    let mut s = String::new();
    for ch in changes {
        s.push_str(&format!("{} {}\n", ch.kind, ch.path));
    }
    out(io, &s);
    Ok(0)
}

pub(super) fn commit(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let req = crate::engine::runtime::commit::CommitRequest {
        reference: p.args.get(1).cloned(),
        author: p.str("author").unwrap_or("").to_string(),
        message: p.str("message").unwrap_or("").to_string(),
        changes: p.list("change"),
        pause: !p.given("pause") || p.bool("pause"),
    };
    let id = engine.container_commit(&p.args[0], &req)?;
    out(io, &format!("{id}\n"));
    Ok(0)
}

pub(super) fn export(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    match p.str("output").filter(|o| !o.is_empty()) {
        Some(path) => {
            let real = io.paths.resolve(path).map_err(Fail::plain)?;
            let mut buf = Vec::new();
            engine.container_export(&p.args[0], &mut buf)?;
            std::fs::write(&real, &buf)
                .map_err(|e| Fail::plain(format!("failed to export container: {e}")))?;
        }
        None => {
            if io.stdout_tty {
                return Err(Fail::plain(
                    "cowardly refusing to save to a terminal. Use the -o flag or redirect",
                ));
            }
            engine.container_export(&p.args[0], io.stdout)?;
        }
    }
    Ok(0)
}

/// Asks docker/cli's confirmation question; true for `y`/`yes`.
pub(super) fn confirm(io: &mut Io<'_>, warning: &str) -> bool {
    out(
        io,
        &format!("{warning}\nAre you sure you want to continue? [y/N] "),
    );
    let _ = io.stdout.flush();
    let mut answer = Vec::new();
    let mut byte = [0u8; 1];
    while let Ok(1) = io.stdin.read(&mut byte) {
        if byte[0] == b'\n' {
            break;
        }
        answer.push(byte[0]);
    }
    let answer = String::from_utf8_lossy(&answer).trim().to_lowercase();
    answer == "y" || answer == "yes"
}

/// `container prune`'s output (also part of `system prune`'s).
pub(super) fn prune_containers(engine: &Engine, filters: &Filters) -> Result<(u64, String), Fail> {
    let report = engine.containers_prune(filters)?;
    let mut s = String::new();
    if !report.deleted.is_empty() {
        s.push_str("Deleted Containers:\n");
        for id in &report.deleted {
            s.push_str(&format!("{id}\n"));
        }
    }
    Ok((report.space_reclaimed, s))
}

pub(super) fn prune(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    if !p.bool("force") && !confirm(io, "WARNING! This will remove all stopped containers.") {
        out(io, "Total reclaimed space: 0B\n");
        return Ok(0);
    }
    let (space, text) = prune_containers(engine, &filters_of(p))?;
    if !text.is_empty() {
        out(io, &format!("{text}\n"));
    }
    out(
        io,
        &format!(
            "Total reclaimed space: {}\n",
            super::format::human::human_size(space as i64)
        ),
    );
    Ok(0)
}

pub(super) fn inspect(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for arg in &p.args {
        match engine.container_inspect(arg) {
            Ok(v) => found.push(v),
            Err(e) if e.kind() == ErrorKind::NotFound => {
                errors.push(format!("Error: No such container: {arg}"))
            }
            Err(e) => return Err(Fail::daemon(e)),
        }
    }
    super::image::print_inspect(io, p, &found)?;
    if errors.is_empty() {
        Ok(0)
    } else {
        err_line(io, &errors.join("\n"));
        Ok(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_specs() {
        let ok = |s: &str| parse_publish(s).unwrap();
        assert_eq!(ok("8080:80").0, "80/tcp");
        assert_eq!(ok("8080:80").1.host_port, "8080");
        assert_eq!(ok("127.0.0.1:8080:80/udp").1.host_ip, "127.0.0.1");
        assert_eq!(ok("80").1.host_port, "");
        let e = |s: &str| parse_publish(s).unwrap_err();
        assert_eq!(e("abc"), "Invalid containerPort: abc");
        assert_eq!(e("x:80"), "Invalid hostPort: x");
        assert_eq!(e("80:80/foo"), "Invalid proto: foo");
        assert_eq!(e("1.2.3:80:80"), "Invalid ip address: 1.2.3");
    }
}
