//! The drydock shell: a small POSIX-style language (words, quotes, expansions, pipes, lists,
//! redirections, here-documents) over a confined filesystem and a table of commands.
//!
//! The same interpreter serves the host (the learner's REPL, whose `/` is `DRYDOCK_HOME` and whose
//! commands are coreutils-like builtins plus `docker`) and, later, processes inside containers
//! (another root, the image's applets). What differs is carried by [`State::root`] and the
//! [`Commands`] table, never by the interpreter.
//!
//! Vocabulary: a *virtual path* is what the learner types and sees (`/root/a.txt`); a *real path*
//! is the host path under the root that [`fs::Root`] resolves it to. Nothing outside the root is
//! ever opened: every path a command touches goes through [`fs::Root`].
//!
//! Modules: [`lexer`] and [`parser`] turn text into an AST ([`ast`]); [`exec`] runs it (expansion,
//! pipes in threads joined by OS pipes, redirections, here-documents); [`builtins`] holds the
//! commands.

pub mod accounts;
pub mod applets;
pub mod ast;
pub mod builtins;
pub mod exec;
pub mod fs;
pub mod lexer;
pub mod parser;
pub mod session;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::engine::Engine;

/// A shell variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Var {
    pub value: String,
    pub exported: bool,
}

/// The state a command sees and may change (`cd`, `export`, `exit`). A pipeline stage other than
/// a lone command runs on a copy, as a subshell does.
#[derive(Debug, Clone)]
pub struct State {
    /// The filesystem root and confinement.
    pub root: fs::Root,
    /// The working directory, as a virtual absolute path.
    pub cwd: String,
    pub vars: BTreeMap<String, Var>,
    /// `$?`.
    pub last_status: i32,
    /// Lines entered (for `history`), oldest first.
    pub history: Vec<String>,
    /// Set by `exit N`: the shell stops after the current command.
    pub exit: Option<i32>,
    /// Positional parameters `$1…` (script arguments).
    pub args: Vec<String>,
    /// `$0`.
    pub name: String,
    /// `trap`: signal number (0 for `EXIT`) → the action's source (`""` ignores the signal).
    pub traps: BTreeMap<i32, String>,
    /// A non-interactive shell in a container: like BusyBox's ash it catches SIGINT, and one
    /// received while a command runs ends the shell (130) once that command has finished.
    pub int_exits: bool,
    /// `sh -c`: the script's last simple command replaces the shell (ash and dash `exec` it), so
    /// from then on signals are the command's.
    pub exec_last: bool,
    /// Whose words the shell's own errors take.
    pub dialect: Dialect,
}

/// Whose words the shell's own errors take: drydock's (`drydock: x: No such file or directory`),
/// or BusyBox ash's inside a `busybox` or `alpine` container (`sh: can't create x: Permission
/// denied`), for the messages a learner compares with Docker's. Only redirection failures have
/// ash words so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Dialect {
    #[default]
    Drydock,
    Ash,
}

impl State {
    /// A host shell state: `HOME=/root`, starting in `/root`, a usual `PATH`.
    pub fn host(root: fs::Root) -> State {
        let mut vars = BTreeMap::new();
        for (k, v) in [
            ("HOME", "/root"),
            (
                "PATH",
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ),
            ("USER", "root"),
            ("SHELL", "/bin/bash"),
            ("HOSTNAME", "drydock"),
            ("PWD", "/root"),
            ("TERM", "xterm"),
        ] {
            vars.insert(
                k.to_string(),
                Var {
                    value: v.to_string(),
                    exported: true,
                },
            );
        }
        State {
            root,
            cwd: "/root".into(),
            vars,
            last_status: 0,
            history: Vec::new(),
            exit: None,
            args: Vec::new(),
            name: "drydock".into(),
            traps: BTreeMap::new(),
            int_exits: false,
            exec_last: false,
            dialect: Dialect::Drydock,
        }
    }

    /// A variable's value (`None` when unset).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(|v| v.value.as_str())
    }

    /// Sets a variable, keeping its exported flag.
    pub fn set(&mut self, name: &str, value: &str) {
        let exported = self.vars.get(name).is_some_and(|v| v.exported);
        self.vars.insert(
            name.to_string(),
            Var {
                value: value.to_string(),
                exported,
            },
        );
    }

    /// The exported variables, as a command's environment.
    pub fn env(&self) -> Vec<(String, String)> {
        self.vars
            .iter()
            .filter(|(_, v)| v.exported)
            .map(|(k, v)| (k.clone(), v.value.clone()))
            .collect()
    }
}

/// The standard streams of one command.
pub struct Stdio<'a> {
    pub stdin: &'a mut (dyn Read + Send),
    pub stdout: &'a mut (dyn Write + Send),
    pub stderr: &'a mut (dyn Write + Send),
    /// Whether the streams are the terminal (`ls` columns, `docker pull` bars, prompts).
    pub stdin_tty: bool,
    pub stdout_tty: bool,
}

/// What a command gets: its arguments' environment, streams, the shell state, and the engine.
pub struct Ctx<'a, 's> {
    pub state: &'a mut State,
    pub io: Stdio<'s>,
    /// The Docker engine, for the `docker` builtin (host shells only).
    pub engine: Option<&'a Engine>,
    /// Set when the user pressed Ctrl-C: long-running commands (`sleep`) stop and return 130.
    pub interrupted: &'a AtomicBool,
    /// The command table, for `which`, `help` and `type`.
    pub commands: &'a dyn Commands,
}

/// A command's body: `args[0]` is the command's name, as in C's argv; returns the exit status.
pub type CommandFn = fn(&mut Ctx<'_, '_>, &[String]) -> i32;

/// One command of a table.
#[derive(Clone, Copy)]
pub struct CommandDef {
    pub name: &'static str,
    /// One line for `help`.
    pub summary: &'static str,
    pub run: CommandFn,
}

/// The commands a shell can run: the host's builtins, or an image's applets.
pub trait Commands: Send + Sync {
    fn find(&self, name: &str) -> Option<&CommandDef>;
    /// Every command, sorted by name (for `help` and completion).
    fn all(&self) -> Vec<&CommandDef>;
}

/// A shell: state, command table, engine, and the Ctrl-C flag.
pub struct Shell<'e> {
    pub state: State,
    pub commands: Arc<dyn Commands>,
    pub engine: Option<&'e Engine>,
    pub interrupted: Arc<AtomicBool>,
}

impl<'e> Shell<'e> {
    /// The host shell over `engine`'s home, with the host builtins.
    pub fn host(engine: &'e Engine) -> Shell<'e> {
        let root = fs::Root::new(engine.paths().home().to_path_buf());
        Shell {
            state: State::host(root),
            commands: Arc::new(builtins::Host),
            engine: Some(engine),
            interrupted: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Runs shell source (one line or a whole script) and returns the last status. A syntax error
    /// prints `drydock: syntax error: …` on stderr, runs nothing, and returns 2.
    pub fn run(&mut self, src: &str, io: Stdio<'_>) -> i32 {
        exec::run_source(self, src, io)
    }
}
