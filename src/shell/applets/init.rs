//! A container's init: drydock re-executed as `drydock __container-init SPEC.json` runs the
//! spec's command confined to the container's rootfs.
//!
//! Steps, as runc and Docker's daemon take them: mount the spec's volumes and binds into the
//! confined root ([`mount_all`]: shallow destinations first, each destination resolved through the
//! mounts before it and created in the rootfs as runc creates mountpoints), write `/etc/hostname`
//! and `/etc/hosts` (Docker bind-mounts these; drydock writes them into the rootfs and
//! `rootfs::diff` ignores them), make
//! the working directory if the image lacks it (Docker creates `WorkingDir`), find `args[0]`
//! (failing with runc's words, 127 or 126), then run the program in this process with the spec's
//! environment and the process's own stdio. Signals follow PID 1's rules, or the defaults below
//! an init (see [`signals`]). The spec's user (uid, gid, groups, resolved by the runtime) cannot
//! become the real process's: it goes to the confined root as its [`Creds`], which `id`, prompts
//! and permission checks use.
//!
//! [`signals`]: super::signals

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use super::{ContainerCommands, DEFAULT_PATH, ExecError, exec_error_text, lookup, signals};
use crate::engine::runtime::spec::{Mount, ProcessSpec, status};
use crate::shell::fs::{Creds, Root};
use crate::shell::{Ctx, Shell, State, Stdio, Var};

/// The line `docker run` prints when the container's command cannot be started.
pub fn run_error_line(e: &ExecError) -> String {
    format!(
        "docker: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: {}: unknown.",
        exec_error_text(e)
    )
}

/// The line `docker exec` prints (on stdout) when the command cannot be started.
pub fn exec_error_line(e: &ExecError) -> String {
    format!(
        "OCI runtime exec failed: exec failed: unable to start container process: {}: unknown",
        exec_error_text(e)
    )
}

/// Docker's `/etc/hosts` for a container on the default bridge (its address is the first one
/// the bridge hands out).
pub fn hosts_file(hostname: &str) -> String {
    format!(
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n172.17.0.2\t{hostname}\n"
    )
}

/// Writes `/etc/hostname` and `/etc/hosts` into the rootfs (through the confined root, so a
/// symlinked `/etc` cannot send them outside it).
fn write_identity(root: &Root, hostname: &str) -> std::io::Result<()> {
    let etc = root.resolve("/", "/etc", true).map_err(|e| e.into_io())?;
    std::fs::create_dir_all(&etc)?;
    for (name, text) in [
        ("/etc/hostname", format!("{hostname}\n")),
        ("/etc/hosts", hosts_file(hostname)),
    ] {
        let real = root.resolve("/", name, true).map_err(|e| e.into_io())?;
        std::fs::write(real, text)?;
    }
    Ok(())
}

/// The root with the spec's mounts: each destination is resolved (symlinks followed inside the
/// container, as runc's `FollowSymlinkInScope`) through the mounts made before it, its mountpoint
/// is created (a directory, or an empty file for a file source), and the source is shown there.
pub fn mount_all(mut root: Root, mounts: &[Mount]) -> std::io::Result<Root> {
    let mut order: Vec<&Mount> = mounts.iter().collect();
    order.sort_by_key(|m| m.destination.split('/').filter(|c| !c.is_empty()).count());
    for m in order {
        if !m.source.exists() {
            // A volume's `_data` removed behind the runtime's back: dockerd recreates it.
            std::fs::create_dir_all(&m.source)?;
        }
        let point = root
            .resolve("/", &m.destination, true)
            .map_err(|e| e.into_io())?;
        if m.source.is_dir() {
            std::fs::create_dir_all(&point)?;
        } else if !point.exists() {
            if let Some(parent) = point.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::File::create(&point)?;
        }
        let dest = root
            .to_virtual(&point)
            .unwrap_or_else(|| m.destination.clone());
        root = root.with_mount(&dest, m.source.clone(), m.read_only);
    }
    Ok(root)
}

/// The shell state of the container's first process: the spec's environment (`PATH` defaulted
/// as Docker does), working directory and root.
pub fn state_for(spec: &ProcessSpec, root: Root, cwd: String) -> State {
    let mut state = State::host(root);
    state.vars.clear();
    for kv in &spec.env {
        let (k, v) = kv.split_once('=').unwrap_or((kv.as_str(), ""));
        state.vars.insert(
            k.to_string(),
            Var {
                value: v.to_string(),
                exported: true,
            },
        );
    }
    for (k, v) in [
        ("PATH", DEFAULT_PATH),
        ("HOSTNAME", spec.hostname.as_str()),
        ("HOME", "/root"),
    ] {
        state.vars.entry(k.to_string()).or_insert(Var {
            value: v.to_string(),
            exported: true,
        });
    }
    state.set("PWD", &cwd);
    state.cwd = cwd;
    state.name = spec.args.first().cloned().unwrap_or_default();
    state.args = spec.args.iter().skip(1).cloned().collect();
    state
}

/// Runs the process described by `spec` on the process's own stdio; returns its exit status.
pub fn run(spec: &ProcessSpec) -> i32 {
    signals::install(spec.below_init);
    let stdin = std::io::stdin();
    let tty = spec.tty || stdin.is_terminal();
    super::set_container(super::Container {
        spec: spec.clone(),
        tty,
    });
    let mut stderr = std::io::stderr();
    let root =
        Root::new(spec.rootfs.clone()).with_creds(Creds::new(spec.uid, spec.gid, &spec.groups));
    if !spec.rootfs.is_dir() {
        let _ = writeln!(
            stderr,
            "drydock: the container's root filesystem {} is missing",
            spec.rootfs.display()
        );
        return status::CANNOT_INVOKE;
    }
    let root = match mount_all(root, &spec.mounts) {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(stderr, "drydock: mounting the container's volumes: {e}");
            return status::CANNOT_INVOKE;
        }
    };
    if let Err(e) = write_identity(&root, &spec.hostname) {
        let _ = writeln!(stderr, "drydock: writing /etc/hosts: {e}");
    }
    let cwd = root.absolute("/", if spec.cwd.is_empty() { "/" } else { &spec.cwd });
    if let Ok(real) = root.resolve("/", &cwd, true)
        && !real.is_dir()
    {
        // Docker creates a missing WorkingDir.
        let _ = std::fs::create_dir_all(&real);
    }
    let Some(arg0) = spec.args.first() else {
        let _ = writeln!(
            stderr,
            "docker: Error response from daemon: No command specified."
        );
        return status::NOT_FOUND;
    };
    let state = state_for(spec, root, cwd);
    let path_var = state.get("PATH").unwrap_or(DEFAULT_PATH).to_string();
    let found = match lookup(&state.root, &state.cwd, &path_var, arg0) {
        Ok(f) => f,
        Err(e) => {
            // The runtime words the failure itself (`docker run` and `docker exec` print it
            // differently) when it gave us a place to report it; run by hand, we print it.
            match &spec.start_error {
                Some(path) => report_start(path, exec_error_text(&e).as_bytes()),
                None => {
                    let _ = writeln!(stderr, "{}", run_error_line(&e));
                }
            }
            return e.status();
        }
    };
    // Found: an empty report tells the runtime the command started, as runc's `start` answers
    // only once the process runs (a detached `docker run` waits for this, not for the spawn).
    if let Some(path) = &spec.start_error {
        report_start(path, b"");
    }
    signals::set_shell(match &found.program {
        super::Program::Script => true,
        super::Program::Applet(name) => super::shell::is_shell(name),
    });
    let mut shell = Shell {
        state,
        commands: Arc::new(ContainerCommands),
        engine: None,
        interrupted: signals::interrupt_flag(),
    };
    let mut out = std::io::stdout();
    let stdout_tty = tty || out.is_terminal();
    // The handles, not their locks: a command's streams must be `Send` (pipelines use threads).
    let mut inp = stdin;
    let commands = shell.commands.clone();
    let mut ctx = Ctx {
        state: &mut shell.state,
        io: Stdio {
            stdin: &mut inp,
            stdout: &mut out,
            stderr: &mut stderr,
            stdin_tty: tty,
            stdout_tty,
        },
        engine: None,
        interrupted: &shell.interrupted,
        commands: commands.as_ref(),
    };
    let code = super::run_found(&mut ctx, &found, &spec.args);
    let _ = ctx.io.stdout.flush();
    let _ = ctx.io.stderr.flush();
    code
}

/// Writes the start report whole (a temporary file renamed over it): the runtime polls for it,
/// and a half-written error must never read as the empty "started" report.
fn report_start(path: &std::path::Path, text: &[u8]) {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp);
    if std::fs::write(&tmp, text).is_ok() {
        let _ = std::fs::rename(&tmp, path);
    }
}
