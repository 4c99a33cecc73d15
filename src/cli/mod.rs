//! The docker command line: Docker 20.10's flags, output, errors and exit codes over the engine.
//!
//! [`docker`] is a function of (arguments, standard streams, engine) so the shell can call it for
//! each `docker …` line and tests can capture everything. Output texts are docker/cli's; engine
//! errors get the daemon prefix `Error response from daemon: `; flag errors exit 125, others 1.

mod archive;
pub mod args;
mod attach;
mod build;
pub mod commands;
mod container;
pub mod format;
mod image;
mod sigproxy;
mod system;
mod view;
mod volume;

use std::io::{Read, Write};

use crate::engine::Engine;
use args::{Command, Parsed};

/// The streams and environment a docker command runs with.
pub struct Io<'a> {
    pub stdin: &'a mut dyn Read,
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    /// Whether stdin is a terminal (prompts) and stdout is one (progress bars).
    pub stdin_tty: bool,
    pub stdout_tty: bool,
    /// Environment look-up (`DOCKER_CONTENT_TRUST` …).
    pub env: &'a dyn Fn(&str) -> Option<String>,
    /// Where the files named on the command line are (`save -o`, `load -i`, `import FILE`).
    pub paths: &'a dyn HostPaths,
}

/// Turns a path typed on the command line into the real path to open. The shell confines it to
/// its root (so `docker save -o /../../x` stays inside `DRYDOCK_HOME`); `drydock docker …` run
/// from a host shell uses the process's own paths.
pub trait HostPaths: Sync {
    /// The real path, or the error text to show (`open x: no such file or directory`).
    fn resolve(&self, path: &str) -> Result<std::path::PathBuf, String>;
    /// The absolute, clean form of a typed path as the user's side sees it (for messages such
    /// as `lstat /root/ctx/Dockerfile: …`).
    fn absolute(&self, path: &str) -> String {
        std::path::absolute(path)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|_| path.to_string())
    }
}

/// The process's own paths, as a host program sees them.
pub struct ProcessPaths;

impl HostPaths for ProcessPaths {
    fn resolve(&self, path: &str) -> Result<std::path::PathBuf, String> {
        Ok(std::path::PathBuf::from(path))
    }
}

/// How a command ended.
pub type Status = i32;

/// A command's failure, to be printed on stderr.
pub(crate) struct Fail {
    pub message: String,
    pub code: i32,
    /// docker/cli had begun a line on stdout (an inspect template failing mid-way): an empty
    /// line goes to stdout before the error.
    pub blank_stdout_line: bool,
}

impl Fail {
    /// An error from the engine, with the daemon prefix.
    pub fn daemon(e: impl std::fmt::Display) -> Self {
        Fail {
            message: format!("Error response from daemon: {e}"),
            code: 1,
            blank_stdout_line: false,
        }
    }
    /// A client-side error, printed as is.
    pub fn plain(message: impl Into<String>) -> Self {
        Fail {
            message: message.into(),
            code: 1,
            blank_stdout_line: false,
        }
    }
}

impl From<crate::engine::Error> for Fail {
    fn from(e: crate::engine::Error) -> Self {
        Fail::daemon(e)
    }
}

pub(crate) type CmdResult = Result<Status, Fail>;

fn top_usage() -> String {
    let mut s = String::from(
        "\nUsage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n\nManagement Commands:\n  container   Manage containers\n  image       Manage images\n  system      Manage Docker\n\nCommands:\n",
    );
    for c in commands::COMMANDS.iter().filter(|c| !c.path.contains(' ')) {
        s.push_str(&format!("  {:<11} {}\n", c.path, c.short));
    }
    s.push_str("\nRun 'docker COMMAND --help' for more information on a command.\n");
    s
}

/// Runs one docker command line (the words after `docker`) and returns its exit status.
pub fn docker(engine: &Engine, argv: &[String], io: &mut Io<'_>) -> Status {
    let words: Vec<&str> = argv.iter().map(String::as_str).collect();
    let Some(first) = words.first().copied() else {
        let _ = io.stdout.write_all(top_usage().as_bytes());
        return 0;
    };
    if first == "--help" || first == "-h" || first == "help" {
        let _ = io.stdout.write_all(top_usage().as_bytes());
        return 0;
    }
    let (cmd, rest) = if let Some(group) = commands::group(first) {
        match words.get(1).copied() {
            None => {
                let _ = io.stderr.write_all(commands::group_usage(group).as_bytes());
                return 0;
            }
            Some("--help") | Some("-h") => {
                let _ = io.stdout.write_all(commands::group_usage(group).as_bytes());
                return 0;
            }
            Some(sub) => match commands::find(&[first, sub]) {
                Some(c) => (c, &argv[2..]),
                None => {
                    let known = group.commands.iter().any(|(n, _)| *n == sub);
                    if known {
                        return not_yet(io, &format!("{first} {sub}"));
                    }
                    let _ = io
                        .stderr
                        .write_all(commands::group_usage(group).trim_start().as_bytes());
                    return 1;
                }
            },
        }
    } else {
        match commands::find(&[first]) {
            Some(c) => (c, &argv[1..]),
            None => {
                if commands::NOT_YET.contains(&first) {
                    return not_yet(io, first);
                }
                let _ = writeln!(
                    io.stderr,
                    "docker: '{first}' is not a docker command.\nSee 'docker --help'"
                );
                return 1;
            }
        }
    };
    let parsed = match args::parse(cmd, rest) {
        Ok(p) => p,
        Err(e) => {
            let _ = writeln!(io.stderr, "{}\nSee 'docker {} --help'.", e.0, cmd.path);
            return 125;
        }
    };
    if parsed.help {
        let _ = io.stdout.write_all(args::help(cmd).as_bytes());
        return 0;
    }
    if let Some(msg) = args::check_arity(cmd, parsed.args.len()) {
        let _ = io.stderr.write_all(msg.as_bytes());
        return 1;
    }
    // `docker version` prints its client half before it needs the daemon.
    if cmd.path != "version" && ensure_daemon(engine, io).is_err() {
        return 1;
    }
    match dispatch(engine, cmd, &parsed, io) {
        Ok(code) => code,
        Err(f) => {
            if f.blank_stdout_line {
                let _ = io.stdout.write_all(b"\n");
            }
            let _ = io.stdout.flush();
            let _ = writeln!(io.stderr, "{}", f.message);
            f.code
        }
    }
}

fn not_yet(io: &mut Io<'_>, what: &str) -> Status {
    let _ = writeln!(
        io.stderr,
        "drydock: 'docker {what}' is part of Docker but not of this drydock version yet; `docker --help` lists what is here"
    );
    1
}

/// Makes sure the daemon is up: one that is down (never booted, or ended with a shell) boots
/// now; one stopped on purpose (`systemctl stop docker`) stays down and the command fails with
/// Docker's "Cannot connect" text.
pub(crate) fn ensure_daemon(engine: &Engine, io: &mut Io<'_>) -> Result<(), ()> {
    use crate::engine::runtime::{DaemonStatus, RuntimeError};
    match engine.daemon_status() {
        DaemonStatus::Running => return Ok(()),
        DaemonStatus::Down if engine.daemon_boot().is_ok() => return Ok(()),
        _ => {}
    }
    let _ = writeln!(io.stderr, "{}", RuntimeError::DaemonDown);
    Err(())
}

fn dispatch(engine: &Engine, cmd: &Command, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    match cmd.path {
        "pull" | "image pull" => image::pull(engine, p, io),
        "images" | "image ls" => image::images(engine, p, io),
        "tag" | "image tag" => image::tag(engine, p, io),
        "rmi" | "image rm" => image::rmi(engine, p, io),
        "image prune" => image::prune(engine, p, io),
        "inspect" => image::inspect(engine, p, io, true),
        "image inspect" => image::inspect(engine, p, io, false),
        "history" | "image history" => image::history(engine, p, io),
        "search" => image::search(engine, p, io),
        "build" | "image build" => build::build(engine, p, io),
        "save" | "image save" => archive::save(engine, p, io),
        "load" | "image load" => archive::load(engine, p, io),
        "import" | "image import" => archive::import(engine, p, io, cmd.path),
        "run" | "container run" => container::run(engine, p, io),
        "create" | "container create" => container::create(engine, p, io),
        "start" | "container start" => container::start(engine, p, io),
        "stop" | "container stop" => container::stop(engine, p, io),
        "restart" | "container restart" => container::restart(engine, p, io),
        "kill" | "container kill" => container::kill(engine, p, io),
        "pause" | "container pause" => container::pause(engine, p, io, false),
        "unpause" | "container unpause" => container::pause(engine, p, io, true),
        "rm" | "container rm" => container::rm(engine, p, io),
        "rename" | "container rename" => container::rename(engine, p, io),
        "update" | "container update" => container::update(engine, p, io),
        "wait" | "container wait" => container::wait(engine, p, io),
        "port" | "container port" => container::port(engine, p, io),
        "ps" | "container ls" => container::ps(engine, p, io),
        "logs" | "container logs" => container::logs(engine, p, io),
        "attach" | "container attach" => container::attach(engine, p, io),
        "exec" | "container exec" => container::exec(engine, p, io),
        "diff" | "container diff" => container::diff(engine, p, io),
        "commit" | "container commit" => container::commit(engine, p, io),
        "export" | "container export" => container::export(engine, p, io),
        "container prune" => container::prune(engine, p, io),
        "container inspect" => container::inspect(engine, p, io),
        "info" | "system info" => system::info(engine, p, io),
        "version" => system::version(engine, p, io),
        "system df" => system::df(engine, p, io),
        "system prune" => system::prune(engine, p, io),
        "volume ls" => volume::ls(engine, p, io),
        "volume create" => volume::create(engine, p, io),
        "volume inspect" => volume::inspect(engine, p, io),
        "volume rm" => volume::rm(engine, p, io),
        "volume prune" => volume::prune(engine, p, io),
        _ => Ok(not_yet(io, cmd.path)),
    }
}
