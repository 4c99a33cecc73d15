//! Running parsed shell source: lists, and-or chains, pipelines, commands, redirections.
//!
//! Owns the interpreter's control flow and the plumbing of streams; word expansion lives in
//! `lang_expand` (and globbing in `lang_glob`). Commands themselves come from the shell's
//! [`Commands`](super::Commands) table and know nothing of this module.
//!
//! - A pipeline of one command runs on the shell's own state, so `cd`, `export` and `exit` take
//!   effect; each stage of a longer pipeline runs in its own thread on a copy of the state (as in
//!   a subshell), joined to its neighbours by OS pipes, so output streams and a reader that stops
//!   early (`| head -1`) makes the writer's next write fail instead of buffering everything.
//!   Command substitution and `( … )` also run on a copy.
//! - Redirections are applied in source order (`>f 2>&1` differs from `2>&1 >f`), and every path
//!   goes through [`Root::resolve`](super::fs::Root::resolve). `/dev/null`, `/dev/stdin`,
//!   `/dev/stdout` and `/dev/stderr` are handled here, since the virtual host has no devices.
//! - Errors are reported as sh does: `drydock: x: No such file or directory` (status 1, command
//!   not run), `drydock: foo: command not found` (127), `drydock: syntax error: …` (2, nothing
//!   of that source run).

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{self, Cursor, Read, Write};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, PoisonError};

use super::ast::{
    AndOr, AndOrOp, Command, Param, ParamOp, Pipeline, RedirKind, Redirect, Script, SimpleCommand,
    Word, WordPart,
};
use super::fs::{Access, FsError};
use super::parser;
use super::{Ctx, Shell, Stdio, Var};
use expand::Expander;

// Helpers live in `lang_*.rs` beside this file (declared here so the module map in `mod.rs`
// stays as the shell's skeleton fixed it).
#[path = "lang_expand.rs"]
mod expand;
#[path = "lang_glob.rs"]
mod glob;

/// Runs `src` in `shell`; returns the last status. A syntax error is reported and nothing runs.
pub fn run_source(shell: &mut Shell<'_>, src: &str, mut io: Stdio<'_>) -> i32 {
    let script = match parser::parse(src) {
        Ok(s) => s,
        Err(e) => {
            // A script of several lines gets bash's `line N:` so the learner can find the spot.
            let _ = if src.trim_end_matches('\n').contains('\n') {
                writeln!(io.stderr, "drydock: line {}: {e}", e.pos.line)
            } else {
                writeln!(io.stderr, "drydock: {e}")
            };
            shell.state.last_status = 2;
            return 2;
        }
    };
    let status = run_script(shell, &script, &mut io);
    let _ = io.stdout.flush();
    status
}

/// Runs a parsed script in `shell`; returns the last status (or the `exit` code).
pub fn run_script(shell: &mut Shell<'_>, script: &Script, io: &mut Stdio<'_>) -> i32 {
    let mut status = shell.state.last_status;
    // Only the top level of `sh -c` execs its last command.
    let exec_last = std::mem::take(&mut shell.state.exec_last);
    for (i, item) in script.items.iter().enumerate() {
        run_traps(shell, io);
        if shell.state.exit.is_some() {
            break;
        }
        if interrupted(shell) {
            return 130;
        }
        if exec_last && i + 1 == script.items.len() && execs(shell, item) {
            let ignored: Vec<i32> = shell
                .state
                .traps
                .iter()
                .filter(|(s, a)| **s != 0 && a.is_empty())
                .map(|(s, _)| *s)
                .collect();
            shell.state.int_exits = false;
            super::applets::signals::exec_command(&ignored);
        }
        status = run_and_or(shell, item, io);
    }
    run_traps(shell, io);
    shell.state.exit.unwrap_or(status)
}

/// Whether ash would `exec` this last command of `sh -c`: a lone simple command, and no trap
/// that needs the shell to stay.
fn execs(shell: &Shell<'_>, item: &AndOr) -> bool {
    item.rest.is_empty()
        && !item.first.negated
        && matches!(item.first.commands.as_slice(), [Command::Simple(_)])
        && shell.state.traps.values().all(|a| a.is_empty())
}

/// Runs the `trap` actions of the signals received since the last look (in a container; see
/// [`signals`](super::applets::signals)), between commands as POSIX shells do. `$?` is kept
/// unless the action exits.
fn run_traps(shell: &mut Shell<'_>, io: &mut Stdio<'_>) {
    if !shell.state.int_exits && shell.state.traps.keys().all(|&s| s == 0) {
        return;
    }
    for sig in super::applets::signals::take_pending() {
        let Some(action) = shell.state.traps.get(&sig).cloned() else {
            if sig == libc::SIGINT && shell.state.int_exits {
                shell.state.exit = Some(130);
                return;
            }
            continue;
        };
        if action.is_empty() {
            continue;
        }
        run_action(shell, &action, io);
        if shell.state.exit.is_some() {
            return;
        }
    }
}

/// Runs a trap's action in `shell`, keeping `$?` unless it exits.
pub fn run_action(shell: &mut Shell<'_>, action: &str, io: &mut Stdio<'_>) {
    let saved = shell.state.last_status;
    run_source(
        shell,
        action,
        Stdio {
            stdin: &mut *io.stdin,
            stdout: &mut *io.stdout,
            stderr: &mut *io.stderr,
            stdin_tty: io.stdin_tty,
            stdout_tty: io.stdout_tty,
        },
    );
    if shell.state.exit.is_none() {
        shell.state.last_status = saved;
    }
}

/// Runs `script` on a copy of `shell`'s state with no input, and returns its output and status
/// (command substitution).
pub fn capture(
    shell: &mut Shell<'_>,
    script: &Script,
    stderr: &mut (dyn Write + Send),
) -> (Vec<u8>, i32) {
    let mut sub = subshell(shell);
    let mut out = Vec::new();
    let mut stdin = io::empty();
    let status = run_script(
        &mut sub,
        script,
        &mut Stdio {
            stdin: &mut stdin,
            stdout: &mut out,
            stderr,
            stdin_tty: false,
            stdout_tty: false,
        },
    );
    (out, status)
}

/// A shell on a copy of `shell`'s state: a subshell.
fn subshell<'e>(shell: &Shell<'e>) -> Shell<'e> {
    Shell {
        state: shell.state.clone(),
        commands: shell.commands.clone(),
        engine: shell.engine,
        interrupted: shell.interrupted.clone(),
    }
}

/// Whether Ctrl-C was pressed; if so `$?` becomes 130, as after a command killed by SIGINT.
fn interrupted(shell: &mut Shell<'_>) -> bool {
    let hit = shell.interrupted.load(Ordering::SeqCst);
    if hit {
        shell.state.last_status = 130;
    }
    hit
}

fn run_and_or(shell: &mut Shell<'_>, ao: &AndOr, io: &mut Stdio<'_>) -> i32 {
    let mut status = run_pipeline(shell, &ao.first, io);
    for (op, p) in &ao.rest {
        if shell.state.exit.is_some() {
            break;
        }
        run_traps(shell, io);
        if shell.state.exit.is_some() {
            break;
        }
        if interrupted(shell) {
            return 130;
        }
        let go = match op {
            AndOrOp::And => status == 0,
            AndOrOp::Or => status != 0,
        };
        if go {
            status = run_pipeline(shell, p, io);
        }
    }
    status
}

fn run_pipeline(shell: &mut Shell<'_>, p: &Pipeline, io: &mut Stdio<'_>) -> i32 {
    let status = match p.commands.as_slice() {
        [one] => run_command(shell, one, io),
        many => run_stages(shell, many, io),
    };
    let status = if p.negated {
        i32::from(status == 0)
    } else {
        status
    };
    shell.state.last_status = status;
    status
}

/// A pipeline of two or more commands: one thread per stage, OS pipes between them.
fn run_stages(shell: &mut Shell<'_>, cmds: &[Command], io: &mut Stdio<'_>) -> i32 {
    let mut readers = Vec::new();
    let mut writers = Vec::new();
    for _ in 1..cmds.len() {
        match io::pipe() {
            Ok((r, w)) => {
                readers.push(r);
                writers.push(w);
            }
            Err(e) => {
                let _ = writeln!(io.stderr, "drydock: pipe: {}", io_message(&e));
                return 1;
            }
        }
    }
    let (stdin_tty, stdout_tty) = (io.stdin_tty, io.stdout_tty);
    let err: Mutex<&mut (dyn Write + Send)> = Mutex::new(&mut *io.stderr);
    let mut outer_in = Some(&mut *io.stdin);
    let mut outer_out = Some(&mut *io.stdout);
    let base: &Shell<'_> = shell;
    let last = cmds.len() - 1;
    std::thread::scope(|s| {
        let mut readers = readers.into_iter();
        let mut writers = writers.into_iter();
        let mut handles = Vec::new();
        for (i, cmd) in cmds.iter().enumerate() {
            let mut sub = subshell(base);
            let mut outer_in = if i == 0 { outer_in.take() } else { None };
            let mut pipe_in = if i == 0 { None } else { readers.next() };
            let mut outer_out = if i == last { outer_out.take() } else { None };
            let mut pipe_out = if i == last { None } else { writers.next() };
            let err = &err;
            handles.push(s.spawn(move || {
                let mut empty_in = io::empty();
                let mut sink = io::sink();
                let stdin: &mut (dyn Read + Send) = match (&mut outer_in, &mut pipe_in) {
                    (Some(r), _) => &mut **r,
                    (None, Some(p)) => p,
                    (None, None) => &mut empty_in,
                };
                let stdout: &mut (dyn Write + Send) = match (&mut outer_out, &mut pipe_out) {
                    (Some(w), _) => &mut **w,
                    (None, Some(p)) => p,
                    (None, None) => &mut sink,
                };
                let mut stderr = Out::Shared(err);
                let status = run_command(
                    &mut sub,
                    cmd,
                    &mut Stdio {
                        stdin,
                        stdout,
                        stderr: &mut stderr,
                        stdin_tty: i == 0 && stdin_tty,
                        stdout_tty: i == last && stdout_tty,
                    },
                );
                // The pipe ends close here, when the thread's locals drop: the next stage sees
                // end of input, the previous one a broken pipe.
                status
            }));
        }
        let mut status = 0;
        for h in handles {
            status = match h.join() {
                Ok(st) => st,
                // A command that panicked is a bug: keep it visible, as on the lone-command path.
                Err(p) => std::panic::resume_unwind(p),
            };
        }
        status
    })
}

fn run_command(shell: &mut Shell<'_>, cmd: &Command, io: &mut Stdio<'_>) -> i32 {
    match cmd {
        Command::Simple(c) => run_simple(shell, c, io),
        Command::Subshell { body, redirects } => {
            let Some(redirs) = open_redirects(shell, redirects, io) else {
                return 1;
            };
            let mut sub = subshell(shell);
            with_stdio(io, &redirs, |mut stdio| {
                run_script(&mut sub, body, &mut stdio)
            })
        }
    }
}

fn run_simple(shell: &mut Shell<'_>, cmd: &SimpleCommand, io: &mut Stdio<'_>) -> i32 {
    let mut ex = Expander {
        shell,
        stderr: &mut *io.stderr,
        subst_status: None,
    };
    let argv = match ex.words(&cmd.words) {
        Ok(a) => a,
        Err(e) => {
            let _ = writeln!(ex.stderr, "drydock: {e}");
            return 1;
        }
    };
    let mut assigns = Vec::new();
    for a in &cmd.assigns {
        match ex.string(&a.value) {
            Ok(v) => assigns.push((a.name.clone(), v)),
            Err(e) => {
                let _ = writeln!(ex.stderr, "drydock: {e}");
                return 1;
            }
        }
    }
    let subst_status = ex.subst_status;
    let Some(redirs) = open_redirects(shell, &cmd.redirects, io) else {
        return 1;
    };
    let Some(name) = argv.first() else {
        // Assignments alone set shell variables; the status is the last substitution's.
        for (n, v) in &assigns {
            shell.state.set(n, v);
        }
        return subst_status.unwrap_or(0);
    };
    let commands = shell.commands.clone();
    let Some(def) = commands.find(name) else {
        return with_stdio(io, &redirs, |stdio| {
            let _ = writeln!(stdio.stderr, "drydock: {name}: command not found");
            127
        });
    };
    // `A=1 cmd`: A is in cmd's environment only, so set it exported and restore it afterwards.
    let saved: Vec<(String, Option<Var>)> = assigns
        .into_iter()
        .map(|(n, value)| {
            let old = shell.state.vars.insert(
                n.clone(),
                Var {
                    value,
                    exported: true,
                },
            );
            (n, old)
        })
        .collect();
    let status = with_stdio(io, &redirs, |stdio| {
        let mut ctx = Ctx {
            state: &mut shell.state,
            io: stdio,
            engine: shell.engine,
            interrupted: &shell.interrupted,
            commands: commands.as_ref(),
        };
        let status = (def.run)(&mut ctx, &argv);
        let _ = ctx.io.stdout.flush();
        let _ = ctx.io.stderr.flush();
        status
    });
    for (n, old) in saved.into_iter().rev() {
        match old {
            Some(v) => shell.state.vars.insert(n, v),
            None => shell.state.vars.remove(&n),
        };
    }
    status
}

/// Where one descriptor of a command points.
#[derive(Clone)]
enum Slot {
    /// The enclosing command's descriptor 0, 1 or 2.
    Parent(u32),
    File(Arc<File>),
    /// A here-document's expanded body.
    Data(Arc<[u8]>),
    /// `/dev/null`.
    Null,
    /// `>&-`.
    Closed,
}

/// The descriptor table of one command after its redirections.
struct Redirs {
    slots: BTreeMap<u32, Slot>,
}

impl Redirs {
    fn new() -> Redirs {
        Redirs {
            slots: (0..3).map(|fd| (fd, Slot::Parent(fd))).collect(),
        }
    }

    fn get(&self, fd: u32) -> Slot {
        self.slots.get(&fd).cloned().unwrap_or(Slot::Closed)
    }

    fn is_identity(&self) -> bool {
        (0..3).all(|fd| matches!(self.slots.get(&fd), Some(Slot::Parent(p)) if *p == fd))
    }
}

/// What a redirection's file name turned into.
enum Opened {
    Slot(Slot),
    /// `/dev/stdout` and friends: a copy of the current descriptor.
    DupOf(u32),
}

enum Mode {
    Read,
    Write,
    Append,
}

/// Applies redirections in order. On an error, reports it on the stderr as redirected so far (as
/// bash does: `cat 2>/dev/null <missing` prints nothing) and returns `None`.
fn open_redirects(
    shell: &mut Shell<'_>,
    redirects: &[Redirect],
    io: &mut Stdio<'_>,
) -> Option<Redirs> {
    let mut r = Redirs::new();
    for red in redirects {
        if let Err(fail) = apply_redirect(shell, red, &mut r, &mut *io.stderr) {
            let line = fail.text(&shell.state);
            with_stdio(io, &r, |stdio| {
                let _ = writeln!(stdio.stderr, "{line}");
            });
            return None;
        }
    }
    Some(r)
}

/// Why a redirection failed.
enum RedirFail {
    /// Its file could not be opened (`write` for `>`/`>>`); `missing` when a directory on the
    /// way does not exist.
    Open {
        path: String,
        write: bool,
        missing: bool,
        msg: String,
    },
    Other(String),
}

impl From<String> for RedirFail {
    fn from(s: String) -> RedirFail {
        RedirFail::Other(s)
    }
}

impl RedirFail {
    /// The line the shell prints: drydock's `drydock: PATH: MESSAGE`, or BusyBox ash's
    /// `sh: can't create PATH: MESSAGE` (`can't open` for `<`; a missing directory is
    /// `nonexistent directory` / `no such file`), as `docker run busybox sh -c …` prints them.
    fn text(&self, st: &super::State) -> String {
        match (self, st.dialect) {
            (RedirFail::Other(m), super::Dialect::Drydock) => format!("drydock: {m}"),
            (RedirFail::Other(m), super::Dialect::Ash) => format!("{}: {m}", st.name),
            (RedirFail::Open { path, msg, .. }, super::Dialect::Drydock) => {
                format!("drydock: {path}: {msg}")
            }
            (
                RedirFail::Open {
                    path,
                    write,
                    missing,
                    msg,
                },
                super::Dialect::Ash,
            ) => {
                let (verb, gone) = if *write {
                    ("create", "nonexistent directory")
                } else {
                    ("open", "no such file")
                };
                let why = if *missing { gone } else { msg.as_str() };
                format!("{}: can't {verb} {path}: {why}", st.name)
            }
        }
    }
}

fn apply_redirect(
    shell: &mut Shell<'_>,
    red: &Redirect,
    r: &mut Redirs,
    stderr: &mut (dyn Write + Send),
) -> Result<(), RedirFail> {
    let fd = red.fd;
    let set = |fd: u32, opened: Opened, r: &mut Redirs| -> Result<(), String> {
        let slot = match opened {
            Opened::Slot(s) => s,
            Opened::DupOf(m) => dup(r, m)?,
        };
        r.slots.insert(fd, slot);
        Ok(())
    };
    match &red.kind {
        RedirKind::Read(w) => {
            let o = open_target(shell, w, Mode::Read, stderr)?;
            Ok(set(fd, o, r)?)
        }
        RedirKind::Write(w) => {
            let o = open_target(shell, w, Mode::Write, stderr)?;
            Ok(set(fd, o, r)?)
        }
        RedirKind::Append(w) => {
            let o = open_target(shell, w, Mode::Append, stderr)?;
            Ok(set(fd, o, r)?)
        }
        RedirKind::WriteBoth(w) | RedirKind::AppendBoth(w) => {
            let mode = if matches!(red.kind, RedirKind::WriteBoth(_)) {
                Mode::Write
            } else {
                Mode::Append
            };
            let o = open_target(shell, w, mode, stderr)?;
            set(1, o, r)?;
            let s = r.get(1);
            r.slots.insert(2, s);
            Ok(())
        }
        RedirKind::Dup(m) => {
            let s = dup(r, *m).map_err(RedirFail::Other)?;
            r.slots.insert(fd, s);
            Ok(())
        }
        RedirKind::Close => {
            r.slots.insert(fd, Slot::Closed);
            Ok(())
        }
        RedirKind::HereDoc(doc) => {
            let mut ex = Expander {
                shell,
                stderr,
                subst_status: None,
            };
            let body = ex
                .quoted_parts(&doc.body)
                .map_err(|e| RedirFail::Other(e.to_string()))?;
            r.slots.insert(fd, Slot::Data(body.into_bytes().into()));
            Ok(())
        }
    }
}

fn dup(r: &Redirs, m: u32) -> Result<Slot, String> {
    match r.slots.get(&m) {
        Some(Slot::Closed) | None => Err(format!("{m}: Bad file descriptor")),
        Some(s) => Ok(s.clone()),
    }
}

/// Expands a redirection's target and opens it through the confined root.
fn open_target(
    shell: &mut Shell<'_>,
    word: &Word,
    mode: Mode,
    stderr: &mut (dyn Write + Send),
) -> Result<Opened, RedirFail> {
    let mut ex = Expander {
        shell,
        stderr,
        subst_status: None,
    };
    let fields = ex.word(word).map_err(|e| e.to_string())?;
    let [path] = fields.as_slice() else {
        return Err(format!("{}: ambiguous redirect", unparse(word)).into());
    };
    let st = &shell.state;
    let write = !matches!(mode, Mode::Read);
    let failed = |missing: bool, msg: String| RedirFail::Open {
        path: path.clone(),
        write,
        missing,
        msg,
    };
    if path.is_empty() {
        return Err(failed(true, "No such file or directory".into()));
    }
    match st.root.absolute(&st.cwd, path).as_str() {
        "/dev/null" => return Ok(Opened::Slot(Slot::Null)),
        "/dev/stdin" | "/dev/fd/0" => return Ok(Opened::DupOf(0)),
        "/dev/stdout" | "/dev/fd/1" => return Ok(Opened::DupOf(1)),
        "/dev/stderr" | "/dev/fd/2" => return Ok(Opened::DupOf(2)),
        _ => {}
    }
    let resolved = match mode {
        Mode::Read => st.root.resolve_for(&st.cwd, path, true, Access::Read),
        // A read-only mount refuses `>`/`>>` (`Read-only file system`), and the user's
        // permissions are checked.
        Mode::Write | Mode::Append => st.root.resolve_write(&st.cwd, path, true),
    };
    let real = resolved.map_err(|e| {
        let missing = matches!(e, FsError::NotFound | FsError::NotADirectory);
        failed(missing, fs_message(&e))
    })?;
    let new = write && std::fs::symlink_metadata(&real).is_err();
    let mut o = OpenOptions::new();
    match mode {
        Mode::Read => o.read(true),
        Mode::Write => o.write(true).create(true).truncate(true),
        Mode::Append => o.append(true).create(true),
    };
    let f = o.open(&real).map_err(|e| {
        let missing = matches!(
            e.kind(),
            io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
        );
        failed(missing, io_message(&e))
    })?;
    if new {
        st.root.created(&real);
    }
    Ok(Opened::Slot(Slot::File(Arc::new(f))))
}

/// coreutils' wording for an I/O error (`No such file or directory`), without Rust's
/// ` (os error 2)`.
pub fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "No such file or directory".into(),
        io::ErrorKind::PermissionDenied => "Permission denied".into(),
        io::ErrorKind::IsADirectory => "Is a directory".into(),
        io::ErrorKind::NotADirectory => "Not a directory".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

fn fs_message(e: &FsError) -> String {
    match e {
        FsError::Io(e) => io_message(e),
        e => e.to_string(),
    }
}

/// Runs `f` with the streams `r` describes, built over `io`'s.
fn with_stdio<R>(io: &mut Stdio<'_>, r: &Redirs, f: impl FnOnce(Stdio<'_>) -> R) -> R {
    if r.is_identity() {
        return f(Stdio {
            stdin: &mut *io.stdin,
            stdout: &mut *io.stdout,
            stderr: &mut *io.stderr,
            stdin_tty: io.stdin_tty,
            stdout_tty: io.stdout_tty,
        });
    }
    let (s0, s1, s2) = (r.get(0), r.get(1), r.get(2));
    let stdin_tty = io.stdin_tty && matches!(s0, Slot::Parent(0));
    let stdout_tty = io.stdout_tty && matches!(s1, Slot::Parent(1));
    // Both 1 and 2 may point at the same parent stream (`2>&1`), hence the shared handles.
    let out: Mutex<&mut (dyn Write + Send)> = Mutex::new(&mut *io.stdout);
    let err: Mutex<&mut (dyn Write + Send)> = Mutex::new(&mut *io.stderr);
    let mut w1 = Out::new(s1, &out, &err);
    let mut w2 = Out::new(s2, &out, &err);
    let mut rd = match s0 {
        Slot::Parent(0) => In::Parent(&mut *io.stdin),
        Slot::File(f) => In::File(f),
        Slot::Data(d) => In::Data(Cursor::new(d)),
        _ => In::Empty,
    };
    let status = f(Stdio {
        stdin: &mut rd,
        stdout: &mut w1,
        stderr: &mut w2,
        stdin_tty,
        stdout_tty,
    });
    let _ = w1.flush();
    let _ = w2.flush();
    status
}

/// A command's output stream after redirection.
enum Out<'m, 'w> {
    Shared(&'m Mutex<&'w mut (dyn Write + Send)>),
    File(Arc<File>),
    Null,
    Closed,
}

impl<'m, 'w> Out<'m, 'w> {
    fn new(
        s: Slot,
        out: &'m Mutex<&'w mut (dyn Write + Send)>,
        err: &'m Mutex<&'w mut (dyn Write + Send)>,
    ) -> Out<'m, 'w> {
        match s {
            Slot::Parent(1) => Out::Shared(out),
            Slot::Parent(2) => Out::Shared(err),
            Slot::File(f) => Out::File(f),
            Slot::Closed => Out::Closed,
            // Writing to stdin or into a here-document: nowhere to go.
            Slot::Parent(_) | Slot::Data(_) | Slot::Null => Out::Null,
        }
    }
}

impl Write for Out<'_, '_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Out::Shared(m) => m.lock().unwrap_or_else(PoisonError::into_inner).write(buf),
            Out::File(f) => (&**f).write(buf),
            Out::Null => Ok(buf.len()),
            Out::Closed => Err(io::Error::from_raw_os_error(libc::EBADF)),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Out::Shared(m) => m.lock().unwrap_or_else(PoisonError::into_inner).flush(),
            Out::File(f) => (&**f).flush(),
            Out::Null | Out::Closed => Ok(()),
        }
    }
}

/// A command's input stream after redirection.
enum In<'a> {
    Parent(&'a mut (dyn Read + Send)),
    File(Arc<File>),
    Data(Cursor<Arc<[u8]>>),
    Empty,
}

impl Read for In<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            In::Parent(r) => r.read(buf),
            In::File(f) => (&**f).read(buf),
            In::Data(c) => c.read(buf),
            In::Empty => Ok(0),
        }
    }
}

/// A word written back as source, for messages (`$x: ambiguous redirect`).
fn unparse(w: &Word) -> String {
    fn parts(ps: &[WordPart], out: &mut String) {
        for p in ps {
            match p {
                WordPart::Lit(s) => out.push_str(s),
                WordPart::Quoted(s) => out.push_str(&parser::single_quote(s)),
                WordPart::Tilde => out.push('~'),
                WordPart::Param(Param { name, op }) => match op {
                    ParamOp::Get => {
                        out.push('$');
                        out.push_str(name);
                    }
                    _ => {
                        out.push_str("${");
                        out.push_str(name);
                        out.push_str("…}");
                    }
                },
                WordPart::CmdSub(_) => out.push_str("$(…)"),
                WordPart::Double(inner) => {
                    out.push('"');
                    parts(inner, out);
                    out.push('"');
                }
            }
        }
    }
    let mut out = String::new();
    parts(&w.parts, &mut out);
    out
}
