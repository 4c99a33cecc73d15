//! `sh`, `bash`, `ash`, `dash`: drydock's shell language inside a container, with the image's
//! prompt.
//!
//! `-c CMD [NAME ARG…]` runs one command string; `FILE [ARG…]` runs a script from the rootfs; with
//! neither, the shell reads its input: line by line with a prompt when a terminal is attached
//! (the first process of `docker run -it`, or `docker exec -it`), else the whole of stdin as a
//! script. A nested shell is a child process: it runs on a copy of the caller's state.
//!
//! Prompts, as each image's shell shows them for root: bash on CentOS/Fedora (`/etc/bashrc`'s
//! `[\u@\h \W]\$ `) → `[root@abc123 /]# `; bash on Debian/Ubuntu (`\u@\h:\w\$ `) →
//! `root@abc123:/# `; BusyBox ash (`\w \$ `) → `/ # `; dash → `# `; bash started as `sh` on Red Hat
//! (`\s-\v\$ `) → `sh-4.2# `. The distribution comes from `/etc/os-release`'s `ID` (CentOS 6 has
//! none: `/etc/redhat-release` tells it).

use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{ContainerCommands, signals};
use crate::shell::fs::{Root, file_name};
use crate::shell::{Ctx, Shell, Stdio};

/// The family of an image's distribution, for prompts and package managers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Distro {
    /// CentOS, RHEL, Fedora, Rocky …
    RedHat,
    Debian,
    Ubuntu,
    Alpine,
    /// No os-release: BusyBox and `FROM scratch` images.
    Other,
}

/// `/etc/os-release` as key → value (quotes removed).
pub fn os_release(root: &Root) -> Vec<(String, String)> {
    let text = ["/etc/os-release", "/usr/lib/os-release"]
        .iter()
        .find_map(|p| {
            root.resolve("/", p, true)
                .ok()
                .and_then(|r| std::fs::read_to_string(r).ok())
        })
        .unwrap_or_default();
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.trim_matches('"').to_string()))
        .collect()
}

/// The distribution of the rootfs.
pub fn distro(root: &Root) -> Distro {
    let rel = os_release(root);
    let get = |k: &str| {
        rel.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let id = get("ID").unwrap_or("");
    let like = get("ID_LIKE").unwrap_or("");
    match id {
        "centos" | "rhel" | "fedora" | "rocky" | "almalinux" | "amzn" | "ol" => Distro::RedHat,
        "debian" => Distro::Debian,
        "ubuntu" => Distro::Ubuntu,
        "alpine" => Distro::Alpine,
        "" if root.exists("/", "/etc/redhat-release") => Distro::RedHat,
        _ if like.contains("rhel") || like.contains("fedora") => Distro::RedHat,
        _ if like.contains("debian") => Distro::Debian,
        _ => Distro::Other,
    }
}

/// bash's `major.minor` on a Red Hat image, from the rpm list (`bash-4.2.46-34.el7.x86_64`).
fn redhat_bash_version(root: &Root) -> String {
    root.resolve("/", "/var/lib/rpm/Packages", true)
        .ok()
        .and_then(|r| std::fs::read_to_string(r).ok())
        .and_then(|s| {
            s.lines().find_map(|l| {
                let v = l.strip_prefix("bash-")?;
                let mut parts = v.split('.');
                Some(format!(
                    "{}.{}",
                    parts.next()?,
                    parts.next()?.split('-').next()?
                ))
            })
        })
        .unwrap_or_else(|| "4.4".into())
}

/// `cwd` with the home directory shown as `~` (bash's `\w`).
fn tilde(cwd: &str, home: &str) -> String {
    if !home.is_empty() && home != "/" {
        if cwd == home {
            return "~".into();
        }
        if let Some(rest) = cwd.strip_prefix(home)
            && rest.starts_with('/')
        {
            return format!("~{rest}");
        }
    }
    cwd.to_string()
}

/// Who a prompt is for: bash's `\u` (the user's name; `I have no name!` for a uid without a
/// passwd entry) and `\$` (`#` for root, `$` for anyone else).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptUser {
    pub name: String,
    pub root: bool,
}

impl PromptUser {
    pub fn root() -> PromptUser {
        PromptUser {
            name: "root".into(),
            root: true,
        }
    }

    /// The user working under `root` (its credentials, named from its `/etc/passwd`).
    pub fn of(root: &Root) -> PromptUser {
        let uid = root.creds().uid;
        PromptUser {
            name: crate::shell::accounts::Accounts::read(root)
                .user_name(uid)
                .unwrap_or_else(|| "I have no name!".into()),
            root: uid == 0,
        }
    }
}

/// The prompt of shell `invoked` (`bash`, `/bin/sh` …) for `user` in `distro`.
pub fn prompt(
    distro: &Distro,
    invoked: &str,
    host: &str,
    cwd: &str,
    home: &str,
    bash_version: &str,
    user: &PromptUser,
) -> String {
    let name = file_name(invoked);
    let w = tilde(cwd, home);
    let sigil = if user.root { '#' } else { '$' };
    let u = &user.name;
    match (name, distro) {
        ("bash", Distro::RedHat) => {
            let base = if w == "~" || w == "/" {
                w.clone()
            } else {
                file_name(&w).to_string()
            };
            format!("[{u}@{host} {base}]{sigil} ")
        }
        ("bash", _) => format!("{u}@{host}:{w}{sigil} "),
        ("sh", Distro::RedHat) => format!("sh-{bash_version}{sigil} "),
        ("sh" | "dash", Distro::Debian | Distro::Ubuntu) => format!("{sigil} "),
        ("dash", _) => format!("{sigil} "),
        _ => format!("{w} {sigil} "),
    }
}

/// The prompt for the shell `invoked` in `root`, now, for the user working under it.
pub fn prompt_in(root: &Root, invoked: &str, host: &str, cwd: &str, home: &str) -> String {
    let d = distro(root);
    let v = if d == Distro::RedHat {
        redhat_bash_version(root)
    } else {
        String::new()
    };
    prompt(&d, invoked, host, cwd, home, &v, &PromptUser::of(root))
}

/// Reads one line (without its newline) a byte at a time, so nothing after it is taken from a
/// stream another program will read. `None` at end of input.
fn read_line(r: &mut dyn Read) -> Option<String> {
    let mut line = Vec::new();
    let mut b = [0u8; 1];
    loop {
        match r.read(&mut b) {
            Ok(0) => {
                return if line.is_empty() {
                    None
                } else {
                    Some(String::from_utf8_lossy(&line).into_owned())
                };
            }
            Ok(_) if b[0] == b'\n' => return Some(String::from_utf8_lossy(&line).into_owned()),
            Ok(_) => line.push(b[0]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
}

/// How many shells run in this process now: the first is the container's program (its process
/// in Docker); the others stand for child processes, whose signal settings are their own.
static DEPTH: AtomicUsize = AtomicUsize::new(0);

struct Nested;

impl Nested {
    /// Enters a shell; `true` for the process's outermost one.
    fn enter() -> (Nested, bool) {
        (Nested, DEPTH.fetch_add(1, Ordering::SeqCst) == 0)
    }
}

impl Drop for Nested {
    fn drop(&mut self) {
        DEPTH.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Whether the applet `name` is one of the shells.
pub fn is_shell(name: &str) -> bool {
    matches!(name, "sh" | "bash" | "ash" | "dash")
}

/// `sh`/`bash`/`ash`/`dash [-c CMD [NAME ARG…] | FILE [ARG…]]`.
pub fn shell(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let invoked = args[0].clone();
    let me = file_name(&invoked).to_string();
    let mut command: Option<String> = None;
    let mut force_interactive = false;
    let mut i = 1;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-c" => {
                let Some(c) = args.get(i + 1) else {
                    let _ = writeln!(ctx.io.stderr, "{me}: -c: option requires an argument");
                    return 2;
                };
                command = Some(c.clone());
                i += 2;
                break;
            }
            "-i" => force_interactive = true,
            "--" => {
                i += 1;
                break;
            }
            "-" => {
                i += 1;
                break;
            }
            // -l, -e, -x, --login …: accepted; drydock's shell has no such modes.
            _ if a.starts_with('-') => {}
            _ => break,
        }
        i += 1;
    }
    let mut sub = Shell {
        state: ctx.state.clone(),
        commands: std::sync::Arc::new(ContainerCommands),
        engine: None,
        interrupted: signals::interrupt_flag(),
    };
    sub.state.exit = None;
    sub.state.history.clear();
    sub.state.vars.retain(|_, v| v.exported);
    // A new shell starts without traps; ignored signals stay ignored.
    sub.state.traps.retain(|_, a| a.is_empty());
    sub.state.exec_last = false;
    sub.state.int_exits = false;
    // BusyBox's `sh` is ash: its errors take ash's words.
    if matches!(me.as_str(), "sh" | "ash")
        && matches!(distro(&sub.state.root), Distro::Other | Distro::Alpine)
    {
        sub.state.dialect = crate::shell::Dialect::Ash;
    }
    let rest: Vec<String> = args[i.min(args.len())..].to_vec();
    let (_nested, outermost) = Nested::enter();
    let mut io = Stdio {
        stdin: &mut *ctx.io.stdin,
        stdout: &mut *ctx.io.stdout,
        stderr: &mut *ctx.io.stderr,
        stdin_tty: ctx.io.stdin_tty,
        stdout_tty: ctx.io.stdout_tty,
    };
    let status = run_shell(
        &mut sub,
        &me,
        invoked,
        command,
        &rest,
        Mode {
            force_interactive,
            outermost,
        },
        &mut io,
    );
    // `trap … EXIT` runs as the shell ends; its `exit N` sets the status.
    if let Some(action) = sub.state.traps.get(&0).cloned()
        && !action.is_empty()
    {
        sub.state.exit = None;
        sub.state.last_status = status;
        crate::shell::exec::run_action(&mut sub, &action, &mut io);
        return sub.state.exit.unwrap_or(status);
    }
    status
}

/// How [`run_shell`] runs.
struct Mode {
    /// `-i`.
    force_interactive: bool,
    /// The process's outermost shell: its signal settings are the process's.
    outermost: bool,
}

/// The body of [`shell`]: `-c CMD`, a script file, standard input, or the interactive loop.
fn run_shell(
    sub: &mut Shell<'_>,
    me: &str,
    invoked: String,
    command: Option<String>,
    rest: &[String],
    mode: Mode,
    io: &mut Stdio<'_>,
) -> i32 {
    let Mode {
        force_interactive,
        outermost,
    } = mode;
    let io = Stdio {
        stdin: &mut *io.stdin,
        stdout: &mut *io.stdout,
        stderr: &mut *io.stderr,
        stdin_tty: io.stdin_tty,
        stdout_tty: io.stdout_tty,
    };
    // Not interactive: SIGINT is caught, and ends the shell after the running command (ash).
    // Only the process's own shell gets the signals `docker kill` sends.
    let script_mode = |sub: &mut Shell<'_>| {
        if outermost {
            sub.state.int_exits = true;
            signals::clear_pending(libc::SIGINT);
            signals::handle(&[libc::SIGINT]);
        }
    };
    if let Some(cmd) = command {
        sub.state.name = rest.first().cloned().unwrap_or(invoked);
        sub.state.args = rest.iter().skip(1).cloned().collect();
        script_mode(sub);
        sub.state.exec_last = outermost;
        return sub.run(&cmd, io);
    }
    if let Some(file) = rest.first() {
        let src = sub
            .state
            .root
            .resolve(&sub.state.cwd, file, true)
            .map_err(|e| e.into_io())
            .and_then(std::fs::read_to_string);
        return match src {
            Ok(src) => {
                sub.state.name = file.clone();
                sub.state.args = rest[1..].to_vec();
                script_mode(sub);
                // A `#!` line is a comment to the shell.
                sub.run(&src, io)
            }
            Err(_) => {
                let msg = if me == "bash" {
                    format!("bash: {file}: No such file or directory")
                } else {
                    format!("{me}: 0: cannot open {file}: No such file")
                };
                let _ = writeln!(io.stderr, "{msg}");
                127
            }
        };
    }
    sub.state.name = invoked.clone();
    let tty = io.stdin_tty || super::container().is_some_and(|c| c.tty);
    if !(tty || force_interactive) {
        let mut src = String::new();
        if io.stdin.read_to_string(&mut src).is_err() {
            return 1;
        }
        script_mode(sub);
        return sub.run(&src, io);
    }
    interactive(sub, &invoked, outermost, io)
}

/// The read–run loop of an interactive shell. Like bash and ash on a terminal it catches SIGINT
/// (Ctrl-C stops the running command, not the shell) and ignores SIGTERM and SIGQUIT.
fn interactive(sub: &mut Shell<'_>, invoked: &str, outermost: bool, io: Stdio<'_>) -> i32 {
    if outermost {
        signals::handle(&[libc::SIGINT, libc::SIGTERM, libc::SIGQUIT]);
    }
    let Stdio {
        stdin,
        stdout,
        stderr,
        stdin_tty,
        stdout_tty,
    } = io;
    let host = sub.state.get("HOSTNAME").unwrap_or("localhost").to_string();
    loop {
        let home = sub.state.get("HOME").unwrap_or("/root").to_string();
        let p = prompt_in(&sub.state.root, invoked, &host, &sub.state.cwd, &home);
        // bash writes its prompt to stderr.
        let _ = stderr.write_all(p.as_bytes());
        let _ = stderr.flush();
        let Some(line) = read_line(stdin) else {
            let _ = writeln!(stderr, "exit");
            break;
        };
        sub.interrupted
            .store(false, std::sync::atomic::Ordering::SeqCst);
        if line.trim().is_empty() {
            continue;
        }
        sub.state.history.push(line.clone());
        sub.run(
            &line,
            Stdio {
                stdin: &mut *stdin,
                stdout: &mut *stdout,
                stderr: &mut *stderr,
                stdin_tty,
                stdout_tty,
            },
        );
        if sub.state.exit.is_some() {
            break;
        }
    }
    sub.state.exit.unwrap_or(sub.state.last_status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_per_distribution() {
        let p = |d: Distro, sh: &str, cwd: &str| {
            prompt(&d, sh, "abc123", cwd, "/root", "4.2", &PromptUser::root())
        };
        assert_eq!(p(Distro::RedHat, "/bin/bash", "/"), "[root@abc123 /]# ");
        assert_eq!(p(Distro::RedHat, "bash", "/root"), "[root@abc123 ~]# ");
        assert_eq!(p(Distro::RedHat, "bash", "/etc/yum"), "[root@abc123 yum]# ");
        assert_eq!(p(Distro::RedHat, "sh", "/"), "sh-4.2# ");
        assert_eq!(p(Distro::Debian, "bash", "/"), "root@abc123:/# ");
        assert_eq!(p(Distro::Ubuntu, "bash", "/root/x"), "root@abc123:~/x# ");
        assert_eq!(p(Distro::Debian, "sh", "/"), "# ");
        assert_eq!(p(Distro::Alpine, "/bin/sh", "/"), "/ # ");
        assert_eq!(p(Distro::Other, "sh", "/tmp"), "/tmp # ");
        assert_eq!(p(Distro::Alpine, "ash", "/root"), "~ # ");
    }

    #[test]
    fn prompts_of_other_users() {
        let user = |name: &str| PromptUser {
            name: name.into(),
            root: false,
        };
        let p = |d: Distro, sh: &str, cwd: &str, home: &str, u: &PromptUser| {
            prompt(&d, sh, "abc123", cwd, home, "4.2", u)
        };
        // `docker run -it -u nobody busybox sh` (Docker 20.10.24: BusyBox ash's `\w \$ `).
        assert_eq!(
            p(Distro::Other, "sh", "/", "/nonexistent", &user("nobody")),
            "/ $ "
        );
        assert_eq!(
            p(Distro::Other, "sh", "/tmp", "/nonexistent", &user("nobody")),
            "/tmp $ "
        );
        assert_eq!(
            p(
                Distro::Debian,
                "bash",
                "/home/node",
                "/home/node",
                &user("node")
            ),
            "node@abc123:~$ "
        );
        assert_eq!(
            p(Distro::RedHat, "bash", "/", "/", &user("I have no name!")),
            "[I have no name!@abc123 /]$ "
        );
        assert_eq!(p(Distro::Debian, "sh", "/", "/", &user("x")), "$ ");
    }
}
