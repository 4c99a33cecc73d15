//! `trap [ACTION] [SIGNAL…]`: what the shell runs when it receives a signal.
//!
//! As POSIX and BusyBox's ash have it: `trap 'cmds' INT TERM` sets an action, `trap '' INT`
//! ignores the signal, `trap - INT` (or `trap 2`, a number first) puts the default back, and
//! `trap` alone lists the actions as `trap -- 'cmds' INT`, by signal number. `EXIT` (0) runs when
//! the shell ends. A trapped signal's action runs once the command running when it came has
//! finished (the shell runs it between commands, [`exec`](crate::shell::exec)).
//!
//! Signals reach a shell only inside a container ([`signals`] records them in the container's
//! init); there, a trap is also what makes PID 1 take a signal at all.
//!
//! [`signals`]: crate::shell::applets::signals

use crate::shell::Ctx;
use crate::shell::applets::signals;

/// The signals `trap` knows by name, with `EXIT`.
const NAMES: &[(&str, i32)] = &[
    ("EXIT", 0),
    ("HUP", libc::SIGHUP),
    ("INT", libc::SIGINT),
    ("QUIT", libc::SIGQUIT),
    ("ILL", libc::SIGILL),
    ("TRAP", libc::SIGTRAP),
    ("ABRT", libc::SIGABRT),
    ("BUS", libc::SIGBUS),
    ("FPE", libc::SIGFPE),
    ("KILL", libc::SIGKILL),
    ("USR1", libc::SIGUSR1),
    ("SEGV", libc::SIGSEGV),
    ("USR2", libc::SIGUSR2),
    ("PIPE", libc::SIGPIPE),
    ("ALRM", libc::SIGALRM),
    ("TERM", libc::SIGTERM),
    ("STKFLT", libc::SIGSTKFLT),
    ("CHLD", libc::SIGCHLD),
    ("CONT", libc::SIGCONT),
    ("STOP", libc::SIGSTOP),
    ("TSTP", libc::SIGTSTP),
    ("TTIN", libc::SIGTTIN),
    ("TTOU", libc::SIGTTOU),
    ("URG", libc::SIGURG),
    ("XCPU", libc::SIGXCPU),
    ("XFSZ", libc::SIGXFSZ),
    ("VTALRM", libc::SIGVTALRM),
    ("PROF", libc::SIGPROF),
    ("WINCH", libc::SIGWINCH),
    ("IO", libc::SIGIO),
    ("PWR", libc::SIGPWR),
    ("SYS", libc::SIGSYS),
];

/// A signal as `trap` takes it: a name with or without `SIG` (any case), or a number.
pub fn parse(s: &str) -> Option<i32> {
    if let Ok(n) = s.parse::<i32>() {
        return (0..=64).contains(&n).then_some(n);
    }
    let up = s.to_ascii_uppercase();
    let name = up.strip_prefix("SIG").unwrap_or(&up);
    NAMES.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

/// The name `trap` lists a signal by.
fn name(sig: i32) -> String {
    NAMES
        .iter()
        .find(|(_, v)| *v == sig)
        .map(|(n, _)| n.to_string())
        .unwrap_or_else(|| sig.to_string())
}

/// Single-quotes `s` for the shell, as `trap` lists actions.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

pub fn trap(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let mut rest = &args[1..];
    if rest.first().is_some_and(|a| a == "--") {
        rest = &rest[1..];
    }
    let Some(first) = rest.first() else {
        for (sig, action) in &ctx.state.traps {
            let _ = writeln!(ctx.io.stdout, "trap -- {} {}", quote(action), name(*sig));
        }
        return 0;
    };
    // `trap - SIG…` and `trap N…` (a number first) put the defaults back.
    let (action, sigs) = if first == "-" {
        (None, &rest[1..])
    } else if first.parse::<u32>().is_ok() || rest.len() == 1 {
        (None, rest)
    } else {
        (Some(first.clone()), &rest[1..])
    };
    let mut status = 0;
    for s in sigs {
        let Some(sig) = parse(s) else {
            let sh = crate::shell::fs::file_name(&ctx.state.name).to_string();
            let _ = writeln!(
                ctx.io.stderr,
                "{sh}: trap: {s}: invalid signal specification"
            );
            status = 1;
            continue;
        };
        match &action {
            Some(a) => {
                ctx.state.traps.insert(sig, a.clone());
                if sig != 0 {
                    // A signal received before the trap was set is not the trap's.
                    signals::clear_pending(sig);
                    signals::handle(&[sig]);
                }
            }
            None => {
                ctx.state.traps.remove(&sig);
                if sig != 0 {
                    signals::unhandle(&[sig]);
                }
            }
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::builtins::testkit;

    #[test]
    fn signals_by_name_and_number() {
        assert_eq!(parse("INT"), Some(libc::SIGINT));
        assert_eq!(parse("sigterm"), Some(libc::SIGTERM));
        assert_eq!(parse("0"), Some(0));
        assert_eq!(parse("EXIT"), Some(0));
        assert_eq!(parse("FOO"), None);
        assert_eq!(quote("it's"), "'it'\\''s'");
    }

    /// The listing and resets as BusyBox's `sh` prints them (checked in `lab/img`).
    #[test]
    fn set_list_and_reset() {
        let mut w = testkit::World::new();
        w.check(
            &["trap", "x", "FOO"],
            "",
            "drydock: trap: FOO: invalid signal specification\n",
            1,
        );
        w.check(&["trap", "echo hi", "INT", "TERM"], "", "", 0);
        w.check(&["trap", "", "QUIT"], "", "", 0);
        w.check(
            &["trap"],
            "trap -- 'echo hi' INT\ntrap -- '' QUIT\ntrap -- 'echo hi' TERM\n",
            "",
            0,
        );
        w.check(&["trap", "-", "TERM"], "", "", 0);
        w.check(&["trap", "echo bye", "EXIT"], "", "", 0);
        w.check(&["trap", "2"], "", "", 0);
        w.check(
            &["trap"],
            "trap -- 'echo bye' EXIT\ntrap -- '' QUIT\n",
            "",
            0,
        );
    }
}
