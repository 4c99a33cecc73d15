//! The interactive shell: a host-like prompt, completion, history, Ctrl-C and Ctrl-D.
//!
//! rustyline reads lines; the shell runs them. Completion reads the same definitions the shell
//! and the CLI run on: the shell's command table, the docker command table with its flags, image
//! references from the store, and paths through the confined root. History is kept in
//! `/root/.bash_history` of the virtual host. Ctrl-C at the prompt clears the line; while a
//! command runs it sets the shell's interrupt flag (commands stop with status 130) and the shell
//! stays. A docker command attached to a container handles its signals itself while it is
//! attached (`cli::sigproxy`: proxied to the container, or ending the command and then raised
//! again for this handler). Ctrl-D on an empty line leaves.

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::FileHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Config, Context, Editor, Helper};

use crate::cli::commands;
use crate::engine::Engine;
use crate::engine::filters::Filters;
use crate::shell::{Commands, Shell, Stdio, fs::Root};

/// The flag Ctrl-C sets while a command runs (the signal handler can only reach a static).
static INTERRUPT: OnceLock<Arc<AtomicBool>> = OnceLock::new();

extern "C" fn on_sigint(_: libc::c_int) {
    if let Some(flag) = INTERRUPT.get() {
        flag.store(true, Ordering::SeqCst);
    }
}

/// Routes SIGINT to `flag` instead of ending the process.
fn install_sigint(flag: Arc<AtomicBool>) {
    let _ = INTERRUPT.set(flag);
    // SAFETY: the handler only does an atomic load and an atomic store, which are
    // async-signal-safe.
    unsafe {
        libc::signal(libc::SIGINT, on_sigint as *const () as libc::sighandler_t);
    }
}

/// The welcome screen.
pub const WELCOME: &str = "\
Welcome to drydock: a Docker 20.10 exam lab, offline.

This terminal behaves like a Linux host with Docker installed. Try:
  docker pull centos:6        docker images        docker search apache
  docker tag centos:6 mycentos:v1                  docker history centos:6
  docker run -it centos:6 /bin/bash                docker run -d -p 8080:80 httpd:2.4
Type `help` for the commands here, `docker --help` for Docker's. Ctrl-D or `exit` leaves.
";

/// The prompt: `root@drydock:~# `, with the working directory.
pub fn prompt(cwd: &str, home: Option<&str>) -> String {
    let shown = match home {
        Some(h) if cwd == h => "~".to_string(),
        Some(h) if cwd.starts_with(&format!("{h}/")) => format!("~{}", &cwd[h.len()..]),
        _ => cwd.to_string(),
    };
    format!("root@drydock:{shown}# ")
}

/// Completion over the shell's definitions.
pub struct ShellHelper {
    commands: Arc<dyn Commands>,
    root: Root,
    cwd: String,
    /// Image references in the store (`repo:tag`), refreshed before each prompt.
    images: Vec<String>,
}

/// docker commands whose arguments are images.
const IMAGE_ARGS: &[&str] = &[
    "rmi", "tag", "history", "inspect", "push", "save", "run", "create", "rm", "ls", "prune",
];

impl ShellHelper {
    fn words_before(line: &str) -> Vec<&str> {
        line.split_whitespace().collect()
    }

    /// Candidates for `word` given the words before it.
    pub fn candidates(&self, before: &[&str], word: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let seg_start = before
            .iter()
            .rposition(|w| ["|", "&&", "||", ";"].contains(w))
            .map_or(0, |i| i + 1);
        let before = &before[seg_start..];
        if before.is_empty() {
            out.extend(
                self.commands
                    .all()
                    .iter()
                    .map(|c| c.name.to_string())
                    .filter(|n| n.starts_with(word)),
            );
            return out;
        }
        if before[0] == "docker" {
            let rest = &before[1..];
            let positional: Vec<&str> = rest
                .iter()
                .copied()
                .filter(|w| !w.starts_with('-'))
                .collect();
            if positional.is_empty() {
                if word.starts_with('-') {
                    out.extend(["--help"].iter().map(|s| s.to_string()));
                } else {
                    let mut names: Vec<&str> = commands::COMMANDS
                        .iter()
                        .filter(|c| !c.path.contains(' '))
                        .map(|c| c.path)
                        .collect();
                    names.push("image");
                    names.extend(commands::NOT_YET);
                    names.sort();
                    names.dedup();
                    out.extend(
                        names
                            .iter()
                            .filter(|n| n.starts_with(word))
                            .map(|n| n.to_string()),
                    );
                }
                return out;
            }
            if positional[0] == "image" && positional.len() == 1 && !word.starts_with('-') {
                out.extend(
                    commands::IMAGE_GROUP
                        .iter()
                        .map(|(n, _)| n.to_string())
                        .filter(|n| n.starts_with(word)),
                );
                return out;
            }
            let path: Vec<&str> = positional.iter().take(2).copied().collect();
            let cmd = commands::find(&path).or_else(|| commands::find(&path[..1]));
            if word.starts_with('-') {
                if let Some(c) = cmd {
                    for f in c.flags {
                        out.push(format!("--{}", f.long));
                        if let Some(s) = f.short {
                            out.push(format!("-{s}"));
                        }
                    }
                    out.push("--help".into());
                    out.retain(|f| f.starts_with(word));
                    out.sort();
                }
                return out;
            }
            let verb = cmd
                .map(|c| c.path.rsplit(' ').next().unwrap_or(c.path))
                .unwrap_or("");
            if IMAGE_ARGS.contains(&verb) || verb == "pull" {
                out.extend(self.images.iter().filter(|i| i.starts_with(word)).cloned());
                if !out.is_empty() {
                    return out;
                }
            }
        }
        self.paths(word)
    }

    /// Paths under the confined root that start with `word`.
    fn paths(&self, word: &str) -> Vec<String> {
        let (dir, prefix) = match word.rfind('/') {
            Some(i) => (&word[..=i], &word[i + 1..]),
            None => ("", word),
        };
        let lookup = if dir.is_empty() { "." } else { dir };
        let Ok(real) = self.root.resolve(&self.cwd, lookup, true) else {
            return vec![];
        };
        let Ok(rd) = std::fs::read_dir(real) else {
            return vec![];
        };
        let mut out: Vec<String> = rd
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().to_str()?.to_string();
                if !name.starts_with(prefix) || (name.starts_with('.') && !prefix.starts_with('.'))
                {
                    return None;
                }
                let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
                Some(format!("{dir}{name}{}", if is_dir { "/" } else { "" }))
            })
            .collect();
        out.sort();
        out
    }
}

impl Completer for ShellHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let upto = &line[..pos];
        let start = upto.rfind(|c: char| c.is_whitespace()).map_or(0, |i| i + 1);
        let word = &upto[start..];
        let before = Self::words_before(&upto[..start]);
        let cands = self.candidates(&before, word);
        // Like bash, a word completed in full is followed by a space (a directory by its `/`).
        let pairs = cands
            .into_iter()
            .map(|c| {
                let replacement = if c.ends_with('/') {
                    c.clone()
                } else {
                    format!("{c} ")
                };
                Pair {
                    display: c,
                    replacement,
                }
            })
            .collect();
        Ok((start, pairs))
    }
}

impl Hinter for ShellHelper {
    type Hint = String;
}

impl Highlighter for ShellHelper {
    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        _default: bool,
    ) -> Cow<'b, str> {
        Cow::Borrowed(prompt)
    }
}

impl Validator for ShellHelper {
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        if crate::shell::parser::needs_continuation(ctx.input()) {
            Ok(ValidationResult::Incomplete)
        } else {
            Ok(ValidationResult::Valid(None))
        }
    }
}

impl Helper for ShellHelper {}

fn image_refs(engine: &Engine) -> Vec<String> {
    let Ok(list) = engine.images(false, &Filters::new()) else {
        return vec![];
    };
    let mut out: Vec<String> = list
        .iter()
        .flat_map(|i| {
            i.repo_tags
                .iter()
                .filter(|t| *t != "<none>:<none>")
                .cloned()
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// How a REPL session over one engine ended.
enum Next {
    /// `exit` or Ctrl-D: the status to leave with.
    Exit(i32),
    /// The daemon was restarted with another storage driver in daemon.json: reopen the engine
    /// (its store paths depend on the driver) and go on with the same shell state.
    Reopen(Box<crate::shell::State>),
}

/// Runs the interactive shell until `exit` or Ctrl-D; returns the exit status. Starting it boots
/// the daemon (restart policies apply), leaving it shuts the daemon down, as a host's boot and
/// shutdown would.
pub fn run(engine: Engine) -> i32 {
    let mut engine = engine;
    crate::app::boot_daemon(&engine);
    let interrupted = Arc::new(AtomicBool::new(false));
    install_sigint(interrupted.clone());
    let config = Config::builder().auto_add_history(false).build();
    let mut editor: Editor<ShellHelper, FileHistory> = match Editor::with_config(config) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("drydock: cannot start the terminal: {e}");
            return 1;
        }
    };
    let history_path = engine.paths().home().join("root/.bash_history");
    let _ = editor.load_history(&history_path);
    print!("{WELCOME}");
    let _ = io::stdout().flush();
    let mut state = None;
    let code = loop {
        match session(&engine, &mut editor, state.take(), &interrupted) {
            Next::Exit(code) => break code,
            Next::Reopen(s) => match Engine::open(engine.paths().home()) {
                Ok(e) => {
                    engine = e;
                    state = Some(*s);
                }
                Err(e) => {
                    eprintln!("drydock: cannot reopen the store: {e}");
                    break 1;
                }
            },
        }
    };
    let _ = editor.save_history(&history_path);
    let _ = engine.daemon_shutdown(crate::engine::runtime::DaemonStatus::Down);
    code
}

/// Whether the daemon now runs with another storage driver than this engine's store (it was
/// restarted after daemon.json changed).
fn driver_switched(engine: &Engine) -> bool {
    engine.daemon_running()
        && engine
            .daemon_driver()
            .is_some_and(|d| d != engine.paths().driver())
}

fn session(
    engine: &Engine,
    editor: &mut Editor<ShellHelper, FileHistory>,
    state: Option<crate::shell::State>,
    interrupted: &Arc<AtomicBool>,
) -> Next {
    let mut shell = Shell::host(engine);
    shell.interrupted = interrupted.clone();
    if let Some(s) = state {
        shell.state = s;
    }
    loop {
        editor.set_helper(Some(ShellHelper {
            commands: shell.commands.clone(),
            root: shell.state.root.clone(),
            cwd: shell.state.cwd.clone(),
            images: image_refs(engine),
        }));
        let p = prompt(&shell.state.cwd, shell.state.get("HOME"));
        match editor.readline(&p) {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                    shell.state.history.push(line.clone());
                }
                shell.interrupted.store(false, Ordering::SeqCst);
                run_line(&mut shell, &line, true);
                if shell.interrupted.swap(false, Ordering::SeqCst) {
                    println!();
                }
                if let Some(code) = shell.state.exit {
                    return Next::Exit(code);
                }
                if driver_switched(engine) {
                    return Next::Reopen(Box::new(shell.state.clone()));
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => {
                println!("exit");
                return Next::Exit(shell.state.last_status);
            }
            Err(e) => {
                eprintln!("drydock: {e}");
                return Next::Exit(1);
            }
        }
    }
}

/// Runs one line of shell source on the process's own streams.
pub fn run_line(shell: &mut Shell<'_>, src: &str, tty: bool) -> i32 {
    let mut stdin = io::stdin();
    let mut stdout = io::stdout();
    let mut stderr = io::stderr();
    let status = shell.run(
        src,
        Stdio {
            stdin: &mut stdin,
            stdout: &mut stdout,
            stderr: &mut stderr,
            stdin_tty: tty,
            stdout_tty: tty,
        },
    );
    let _ = stdout.flush();
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompt_shows_home_as_tilde() {
        assert_eq!(prompt("/root", Some("/root")), "root@drydock:~# ");
        assert_eq!(prompt("/root/app", Some("/root")), "root@drydock:~/app# ");
        assert_eq!(prompt("/tmp", Some("/root")), "root@drydock:/tmp# ");
    }
}
