//! The docker command line: Docker 20.10's flags, output, errors and exit codes over the engine.
//!
//! [`docker`] is a function of (arguments, standard streams, engine) so the shell can call it for
//! each `docker …` line and tests can capture everything. Output texts are docker/cli's; engine
//! errors get the daemon prefix `Error response from daemon: `; flag errors exit 125, others 1.

mod archive;
pub mod args;
pub mod commands;
pub mod format;
mod image;
mod view;

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
        "\nUsage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n\nManagement Commands:\n  image       Manage images\n\nCommands:\n",
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
    let (cmd, rest) = if first == "image" {
        match words.get(1).copied() {
            None => {
                let _ = io
                    .stderr
                    .write_all(commands::image_group_usage().as_bytes());
                return 0;
            }
            Some("--help") | Some("-h") => {
                let _ = io
                    .stdout
                    .write_all(commands::image_group_usage().as_bytes());
                return 0;
            }
            Some(sub) => match commands::find(&["image", sub]) {
                Some(c) => (c, &argv[2..]),
                None => {
                    let known = commands::IMAGE_GROUP.iter().any(|(n, _)| *n == sub);
                    if known {
                        return not_yet(io, &format!("image {sub}"));
                    }
                    let _ = io
                        .stderr
                        .write_all(commands::image_group_usage().trim_start().as_bytes());
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
    match dispatch(engine, cmd, &parsed, io) {
        Ok(code) => code,
        Err(f) => {
            if f.blank_stdout_line {
                let _ = io.stdout.write_all(b"\n");
            }
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

fn dispatch(engine: &Engine, cmd: &Command, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let verb = cmd.path.rsplit(' ').next().unwrap_or(cmd.path);
    match verb {
        "pull" => image::pull(engine, p, io),
        "images" | "ls" => image::images(engine, p, io),
        "tag" => image::tag(engine, p, io),
        "rmi" | "rm" => image::rmi(engine, p, io),
        "prune" => image::prune(engine, p, io),
        "inspect" => image::inspect(engine, p, io, cmd.path == "inspect"),
        "history" => image::history(engine, p, io),
        "search" => image::search(engine, p, io),
        "save" => archive::save(engine, p, io),
        "load" => archive::load(engine, p, io),
        "import" => archive::import(engine, p, io, cmd.path),
        _ => Ok(not_yet(io, cmd.path)),
    }
}
