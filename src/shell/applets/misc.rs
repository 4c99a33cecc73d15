//! Small applets: `ps`, `hello` (hello-world), `htpasswd`, `which`, `type`, `uname`, `busybox`.

use super::shell::{Distro, distro};
use super::{DEFAULT_PATH, applet, container, lookup};
use crate::shell::Ctx;

/// hello-world's message, word for word (it starts and ends with an empty line).
pub const HELLO: &str = "
Hello from Docker!
This message shows that your installation appears to be working correctly.

To generate this message, Docker took the following steps:
 1. The Docker client contacted the Docker daemon.
 2. The Docker daemon pulled the \"hello-world\" image from the Docker Hub.
    (amd64)
 3. The Docker daemon created a new container from that image which runs the
    executable that produces the output you are currently reading.
 4. The Docker daemon streamed that output to the Docker client, which sent it
    to your terminal.

To try something more ambitious, you can run an Ubuntu container with:
 $ docker run -it ubuntu bash

Share images, automate workflows, and more with a free Docker ID:
 https://hub.docker.com/

For more examples and ideas, visit:
 https://docs.docker.com/get-started/

";

/// `/hello`: hello-world's program.
pub fn hello(ctx: &mut Ctx<'_, '_>, _args: &[String]) -> i32 {
    let _ = ctx.io.stdout.write_all(HELLO.as_bytes());
    0
}

/// `busybox [APPLET ARG…]`: runs one of its applets, or prints its banner.
pub fn busybox(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    match args.get(1).and_then(|n| applet(n).map(|d| (n, d))) {
        Some((_, def)) => (def.run)(ctx, &args[1..]),
        None => match args.get(1) {
            Some(n) => {
                let _ = writeln!(ctx.io.stderr, "{n}: applet not found");
                127
            }
            None => {
                let _ = writeln!(
                    ctx.io.stdout,
                    "BusyBox v1.34.1 (2022-01-01 00:00:00 UTC) multi-call binary.\nBusyBox is copyrighted by many authors between 1998-2015.\nLicensed under GPLv2. See source distribution for detailed\ncopyright notices.\n\nUsage: busybox [function [arguments]...]\n   or: busybox --list[-full]\n   or: function [arguments]..."
                );
                0
            }
        },
    }
}

/// `which NAME…`: each name's path in the container's `PATH`; status 1 when one is missing.
pub fn which(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let path = ctx.state.get("PATH").unwrap_or(DEFAULT_PATH).to_string();
    let mut status = i32::from(args.len() < 2);
    for name in args[1..].iter().filter(|a| !a.starts_with('-')) {
        match lookup(&ctx.state.root, &ctx.state.cwd, &path, name) {
            Ok(f) => {
                let _ = writeln!(ctx.io.stdout, "{}", f.path);
            }
            Err(_) => status = 1,
        }
    }
    status
}

/// `type NAME…`: builtin, or where `PATH` finds it.
pub fn type_(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let path = ctx.state.get("PATH").unwrap_or(DEFAULT_PATH).to_string();
    let mut status = 0;
    for name in args[1..].iter().filter(|a| !a.starts_with('-')) {
        if super::SHELL_BUILTINS.contains(&name.as_str()) || name == "type" {
            let _ = writeln!(ctx.io.stdout, "{name} is a shell builtin");
        } else if let Ok(f) = lookup(&ctx.state.root, &ctx.state.cwd, &path, name) {
            let _ = writeln!(ctx.io.stdout, "{name} is {}", f.path);
        } else {
            let sh = super::shell_name(ctx);
            let _ = writeln!(ctx.io.stderr, "{sh}: type: {name}: not found");
            status = 1;
        }
    }
    status
}

/// `uname [-a|-s|-n|-r|-m]`: the host's kernel, as a container sees it.
pub fn uname(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    // SAFETY: uname fills a zeroed utsname.
    let mut u: libc::utsname = unsafe { std::mem::zeroed() };
    let field = |f: &[libc::c_char]| {
        let bytes: Vec<u8> = f
            .iter()
            .take_while(|c| **c != 0)
            .map(|c| *c as u8)
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    // SAFETY: `u` is a valid utsname to fill.
    let ok = unsafe { libc::uname(&mut u) } == 0;
    let (release, version, machine) = if ok {
        (field(&u.release), field(&u.version), field(&u.machine))
    } else {
        ("5.10.0".into(), "#1 SMP".into(), "x86_64".into())
    };
    let host = ctx.state.get("HOSTNAME").unwrap_or("localhost").to_string();
    let line = match args.get(1).map(String::as_str) {
        None | Some("-s") => "Linux".to_string(),
        Some("-n") => host,
        Some("-r") => release,
        Some("-m") | Some("-p") | Some("-i") => machine,
        Some("-v") => version,
        _ => format!("Linux {host} {release} {version} {machine} GNU/Linux"),
    };
    let _ = writeln!(ctx.io.stdout, "{line}");
    0
}

/// One process of the container, as `ps` shows it.
struct Proc {
    pid: i64,
    ppid: i64,
    cmd: String,
    rss_kib: u64,
    vsz_kib: u64,
}

/// The container command a drydock init process runs (`__container-init SPEC.json`), or the
/// process's own command line.
fn command_of(pid: i64) -> Option<String> {
    let raw = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let parts: Vec<String> = raw
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    if let Some(i) = parts.iter().position(|p| p == "__container-init") {
        let spec = std::fs::read(parts.get(i + 1)?).ok()?;
        let spec: crate::engine::runtime::spec::ProcessSpec = serde_json::from_slice(&spec).ok()?;
        return Some(spec.args.join(" "));
    }
    Some(parts.join(" "))
}

/// The processes of this container: the drydock init processes (the main one, `docker exec`s,
/// daemons started in the background) in this process's process group (the runtime starts each
/// container in one), numbered as a PID namespace would: the first init is 1.
fn container_processes() -> (Vec<Proc>, i64) {
    // SAFETY: getpgrp and getpid cannot fail.
    let (pgid, me) = unsafe { (libc::getpgrp() as i64, libc::getpid() as i64) };
    let mut found = Vec::new();
    if let Ok(rd) = std::fs::read_dir("/proc") {
        for e in rd.flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i64>().ok()) else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                continue;
            };
            // Fields after the `(comm)`, which may contain spaces.
            let Some(after) = stat.rsplit_once(')').map(|(_, a)| a) else {
                continue;
            };
            let f: Vec<String> = after.split_whitespace().map(str::to_string).collect();
            let num = |i: usize| f.get(i).and_then(|s| s.parse::<i64>().ok());
            let (Some(ppid), Some(group)) = (num(1), num(2)) else {
                continue;
            };
            let is_init = std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| c.split(|b| *b == 0).any(|a| a == b"__container-init"));
            if (group != pgid || !is_init) && pid != me {
                continue;
            }
            let pages = |i: usize| f.get(i).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0);
            found.push((pid, ppid, pages(20) / 1024, pages(21) * 4));
        }
    }
    found.sort();
    // Numbered as in a PID namespace: the init is 1, the others follow in start order. Ranks,
    // not offsets: other processes on the host take PIDs in between.
    let ranks: Vec<i64> = found.iter().map(|f| f.0).collect();
    let map = |pid: i64| {
        ranks
            .iter()
            .position(|p| *p == pid)
            .map_or(0, |i| i as i64 + 1)
    };
    let procs = found
        .into_iter()
        .map(|(pid, ppid, vsz_kib, rss_kib)| Proc {
            pid: map(pid),
            ppid: map(ppid),
            cmd: command_of(pid).unwrap_or_default(),
            vsz_kib,
            rss_kib,
        })
        .collect();
    (procs, map(me))
}

/// `ps`, `ps aux`, `ps -ef` (procps's layouts; BusyBox's on Alpine and BusyBox images): the
/// container's processes, PID 1 its first.
pub fn ps(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let (mut procs, my_pid) = container_processes();
    let me_is_ps = container()
        .and_then(|c| c.spec.args.first())
        .is_some_and(|a| crate::shell::fs::file_name(a) == "ps");
    let ps_cmd = args.join(" ");
    if me_is_ps {
        if let Some(p) = procs.iter_mut().find(|p| p.pid == my_pid) {
            p.cmd = ps_cmd;
        }
    } else {
        // `ps` runs inside this process: show it as the child a real shell would have forked.
        let next = procs.iter().map(|p| p.pid).max().unwrap_or(1) + 1;
        procs.push(Proc {
            pid: next,
            ppid: my_pid,
            cmd: ps_cmd,
            rss_kib: 3000,
            vsz_kib: 9000,
        });
    }
    let tty = if container().is_some_and(|c| c.tty) {
        "pts/0"
    } else {
        "?"
    };
    let busybox = matches!(distro(&ctx.state.root), Distro::Alpine | Distro::Other);
    let style = args.get(1).map(String::as_str).unwrap_or("");
    let mut out = String::new();
    if busybox {
        out.push_str("PID   USER     TIME  COMMAND\n");
        for p in &procs {
            out.push_str(&format!(
                "{:>5} {:<8} {:>5} {}\n",
                p.pid, "root", "0:00", p.cmd
            ));
        }
    } else if style.contains('u') || style == "aux" {
        let start = jiff::Timestamp::now().strftime("%H:%M").to_string();
        out.push_str(
            "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n",
        );
        for p in &procs {
            let stat = if p.pid == 1 { "Ss" } else { "R+" };
            out.push_str(&format!(
                "{:<8} {:>7} {:>4} {:>4} {:>6} {:>5} {:<8} {:<4} {:>5} {:>6} {}\n",
                "root", p.pid, "0.0", "0.0", p.vsz_kib, p.rss_kib, tty, stat, start, "0:00", p.cmd
            ));
        }
    } else if style.contains('f') || style.contains('e') {
        let start = jiff::Timestamp::now().strftime("%H:%M").to_string();
        out.push_str("UID          PID    PPID  C STIME TTY          TIME CMD\n");
        for p in &procs {
            out.push_str(&format!(
                "{:<8} {:>7} {:>7} {:>2} {:<5} {:<8} {:>8} {}\n",
                "root", p.pid, p.ppid, 0, start, tty, "00:00:00", p.cmd
            ));
        }
    } else {
        out.push_str("    PID TTY          TIME CMD\n");
        for p in &procs {
            let name = p
                .cmd
                .split_whitespace()
                .next()
                .map(crate::shell::fs::file_name)
                .unwrap_or("");
            out.push_str(&format!(
                "{:>7} {:<8} {:>8} {}\n",
                p.pid, tty, "00:00:00", name
            ));
        }
    }
    let _ = ctx.io.stdout.write_all(out.as_bytes());
    0
}

/// `htpasswd [-c] [-B] [-b] [-n] [-C COST] [FILE] USER [PASSWORD]`: Apache's password files, with
/// real bcrypt (`$2y$`, cost 5 by default as htpasswd's). drydock writes bcrypt for `-m` and
/// the default too: MD5 and crypt records are not made here (the registry accepts only bcrypt).
pub fn htpasswd(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let (mut create, mut batch, mut stdout_only, mut cost) = (false, false, false, 5u32);
    let mut rest = Vec::new();
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        if let Some(flags) = a.strip_prefix('-').filter(|f| !f.is_empty()) {
            for c in flags.chars() {
                match c {
                    'c' => create = true,
                    'b' => batch = true,
                    'n' => stdout_only = true,
                    'B' | 'm' | 'd' | 's' | 'p' | 'i' => {}
                    'C' => {
                        i += 1;
                        match args.get(i).and_then(|v| v.parse::<u32>().ok()) {
                            Some(v) if (4..=17).contains(&v) => cost = v,
                            _ => {
                                let _ = writeln!(
                                    ctx.io.stderr,
                                    "htpasswd: Bcrypt cost must be between 4 and 17"
                                );
                                return 1;
                            }
                        }
                    }
                    _ => return htpasswd_usage(ctx),
                }
            }
        } else {
            rest.push(a.clone());
        }
        i += 1;
    }
    let need = 1 + usize::from(!stdout_only) + usize::from(batch);
    if rest.len() != need {
        return htpasswd_usage(ctx);
    }
    let (file, user) = if stdout_only {
        (None, rest[0].clone())
    } else {
        (Some(rest[0].clone()), rest[1].clone())
    };
    let password = if batch {
        rest[need - 1].clone()
    } else {
        let mut line = String::new();
        let _ = std::io::BufRead::read_line(
            &mut std::io::BufReader::new(&mut *ctx.io.stdin),
            &mut line,
        );
        line.trim_end_matches(['\n', '\r']).to_string()
    };
    if user.contains(':') {
        let _ = writeln!(
            ctx.io.stderr,
            "htpasswd: username contains illegal character ':'"
        );
        return 6;
    }
    let hash = match bcrypt::hash_with_result(&password, cost) {
        Ok(h) => h.format_for_version(bcrypt::Version::TwoY),
        Err(e) => {
            let _ = writeln!(ctx.io.stderr, "htpasswd: {e}");
            return 7;
        }
    };
    let record = format!("{user}:{hash}");
    let Some(file) = file else {
        let _ = write!(ctx.io.stdout, "{record}\n\n");
        return 0;
    };
    let real = match ctx.state.root.resolve(&ctx.state.cwd, &file, true) {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(
                ctx.io.stderr,
                "htpasswd: cannot open file {file} for read/write access: {e}"
            );
            return 1;
        }
    };
    let existing = if create {
        String::new()
    } else {
        match std::fs::read_to_string(&real) {
            Ok(s) => s,
            Err(_) => {
                let _ = writeln!(
                    ctx.io.stderr,
                    "htpasswd: cannot modify file {file}; use '-c' to create it"
                );
                return 1;
            }
        }
    };
    let mut updated = false;
    let mut lines: Vec<String> = existing
        .lines()
        .map(|l| {
            if l.split(':').next() == Some(user.as_str()) {
                updated = true;
                record.clone()
            } else {
                l.to_string()
            }
        })
        .collect();
    if !updated {
        lines.push(record);
    }
    if create {
        let _ = writeln!(ctx.io.stderr, "Adding password for user {user}");
    } else if updated {
        let _ = writeln!(ctx.io.stderr, "Updating password for user {user}");
    } else {
        let _ = writeln!(ctx.io.stderr, "Adding password for user {user}");
    }
    match std::fs::write(&real, lines.join("\n") + "\n") {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(ctx.io.stderr, "htpasswd: cannot create file {file}: {e}");
            1
        }
    }
}

fn htpasswd_usage(ctx: &mut Ctx<'_, '_>) -> i32 {
    let _ = write!(
        ctx.io.stderr,
        "Usage:\n\thtpasswd [-cimB25dpsDv] [-C cost] [-r rounds] passwordfile username\n\thtpasswd -b[cmB25dpsDv] [-C cost] [-r rounds] passwordfile username password\n\n\thtpasswd -n[imB25dpsv] [-C cost] [-r rounds] username\n\thtpasswd -nb[mB25dpsv] [-C cost] [-r rounds] username password\n -c  Create a new file.\n -n  Don't update file; display results on stdout.\n -b  Use the password from the command line rather than prompting for it.\n -B  Force bcrypt encryption of the password (very secure).\n -C  Set the computing time used for the bcrypt algorithm\n     (higher is more secure but slower, default: 5, valid: 4 to 17).\n"
    );
    2
}

/// `tini [-s] [-g] [-v…] [-p SIG] [-e CODE] -- CMD ARGS…`: the init Docker's `--init` uses and
/// images such as jenkins start with. CMD runs as its child (found as the shell finds programs),
/// so CMD is not PID 1: signals tini passes on take their default action unless CMD handles
/// them. tini exits with CMD's status.
pub fn tini(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "--" => {
                i += 1;
                break;
            }
            "-h" => {
                let _ = writeln!(
                    ctx.io.stdout,
                    "tini (tini version 0.19.0 - git.de40ad0)\nUsage: tini [OPTIONS] PROGRAM -- [ARGS] | --version\n\nExecute a program under the supervision of a valid init process (tini)\n\nCommand line options:\n\n  --version: Show version and exit.\n  -h: Show this help message and exit.\n  -s: Register as a process subreaper (requires Linux >= 3.4).\n  -p SIGNAL: Trigger SIGNAL when parent dies, e.g. \"-p SIGKILL\".\n  -v: Generate more verbose output. Repeat up to 3 times.\n  -w: Print a warning when processes are getting reaped.\n  -g: Send signals to the child's process group.\n  -e EXIT_CODE: Remap EXIT_CODE (from 0 to 255) to 0.\n  -l: Show license and exit.\n"
                );
                return 0;
            }
            "--version" => {
                let _ = writeln!(ctx.io.stdout, "tini version 0.19.0 - git.de40ad0");
                return 0;
            }
            "-p" | "-e" => i += 2,
            a if a.starts_with('-') && a.len() > 1 => i += 1,
            _ => break,
        }
    }
    let cmd = &args[i.min(args.len())..];
    if cmd.is_empty() {
        let _ = writeln!(
            ctx.io.stderr,
            "[FATAL tini (1)] No program to run\nUsage: tini [OPTIONS] PROGRAM -- [ARGS] | --version"
        );
        return 1;
    }
    super::signals::set_below_init(true);
    super::exec_args(ctx, cmd)
}
