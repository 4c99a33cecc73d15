//! Signals reaching a container's process, under PID 1's rules.
//!
//! In Docker a container's main process is PID 1 of its namespace, and the kernel delivers PID 1
//! only the signals it has a handler for: `docker stop` of a bare `sleep` or `bash` waits out the
//! timeout and ends in SIGKILL (137), and `docker kill -s INT` (or Ctrl-C proxied by `docker
//! run`) does nothing to `sleep 100` or to `sh -c 'sleep 100'`. Below an init (`docker run
//! --init`: tini is PID 1 and passes signals on) and in `docker exec` processes the defaults
//! apply: SIGINT ends `sleep` with 130, SIGTERM with 143.
//!
//! drydock's init is an ordinary process that runs the container's programs in itself, so it
//! catches every signal it can ([`install`]), records it, and decides with [`action`] what the
//! program would have done: ignore it (PID 1 without a handler, or a program that handles it and
//! polls [`received`]: servers stop on SIGTERM, httpd on SIGWINCH, nginx on SIGQUIT, a shell runs
//! its `trap`), stop the running command (the shell's Ctrl-C flag), or end the process by the
//! signal (below an init). Programs say which signals they handle with [`handle`].
//!
//! Ctrl-C typed into a container's terminal is the kernel's SIGINT to the terminal's foreground
//! group (`si_code` `SI_KERNEL`); in Docker that group holds the commands a shell runs, so it
//! stops the shell's running command and the shell goes on. `docker kill` and the CLI's signal
//! proxy send to PID 1 only (`SI_USER`), which a shell without a `trap` ignores.

use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// The last signal received (0 for none).
static LAST: AtomicI32 = AtomicI32::new(0);
/// One bit per signal number received since start.
static SEEN: AtomicU64 = AtomicU64::new(0);
/// Received and not yet taken by [`take_pending`] (a shell's traps).
static PENDING: AtomicU64 = AtomicU64::new(0);
/// The signals the running program handles.
static HANDLED: AtomicU64 = AtomicU64::new(0);
/// The program is a shell: the commands it runs are its children in Docker.
static SHELL: AtomicBool = AtomicBool::new(false);
/// The process is not PID 1 (`--init`, `docker exec`).
static BELOW_INIT: AtomicBool = AtomicBool::new(false);
static INTERRUPT: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// What a process does with a signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Nothing (beyond recording it): PID 1 without a handler, or a program that handles it.
    Ignore,
    /// The shell's running command stops (Ctrl-C from the terminal).
    Interrupt,
    /// The process ends by the signal (its default, below an init).
    End,
}

/// Whether the signal's default action ends a process (SIGCHLD, SIGURG, SIGWINCH and SIGCONT are
/// ignored or continue by default; SIGTSTP, SIGTTIN and SIGTTOU stop).
pub fn ends_by_default(sig: libc::c_int) -> bool {
    !matches!(
        sig,
        libc::SIGCHLD
            | libc::SIGURG
            | libc::SIGWINCH
            | libc::SIGCONT
            | libc::SIGTSTP
            | libc::SIGTTIN
            | libc::SIGTTOU
            | libc::SIGSTOP
    )
}

/// What the container's process does with `sig`: `from_terminal` when its terminal sent it
/// (Ctrl-C), `shell` when the program is a shell (its commands are its children), `handled` when
/// the program handles the signal, `below_init` when it is not PID 1.
pub fn action(
    sig: libc::c_int,
    from_terminal: bool,
    shell: bool,
    handled: bool,
    below_init: bool,
) -> Action {
    if sig == libc::SIGINT && from_terminal && shell {
        return Action::Interrupt;
    }
    if handled {
        return Action::Ignore;
    }
    if below_init && ends_by_default(sig) {
        return Action::End;
    }
    Action::Ignore
}

fn bit(sig: libc::c_int) -> u64 {
    if (0..64).contains(&sig) {
        1u64 << sig
    } else {
        0
    }
}

extern "C" fn on_signal(sig: libc::c_int, info: *mut libc::siginfo_t, _: *mut libc::c_void) {
    // Only atomics, `signal` and `raise` here: async-signal-safe.
    LAST.store(sig, Ordering::SeqCst);
    SEEN.fetch_or(bit(sig), Ordering::SeqCst);
    PENDING.fetch_or(bit(sig), Ordering::SeqCst);
    // SAFETY: the kernel passes a valid siginfo to an SA_SIGINFO handler.
    let from_terminal = !info.is_null() && unsafe { (*info).si_code } == libc::SI_KERNEL;
    let handled = HANDLED.load(Ordering::SeqCst) & bit(sig) != 0;
    match action(
        sig,
        from_terminal,
        SHELL.load(Ordering::SeqCst),
        handled,
        BELOW_INIT.load(Ordering::SeqCst),
    ) {
        Action::Ignore => {}
        Action::Interrupt => {
            if let Some(flag) = INTERRUPT.get() {
                flag.store(true, Ordering::SeqCst);
            }
        }
        // SAFETY: back to the default action; the signal, blocked while this handler runs,
        // is delivered again when it returns and ends the process.
        Action::End => unsafe {
            libc::signal(sig, libc::SIG_DFL);
            libc::raise(sig);
        },
    }
}

/// The Ctrl-C flag shells in this process share.
pub fn interrupt_flag() -> Arc<AtomicBool> {
    INTERRUPT
        .get_or_init(|| Arc::new(AtomicBool::new(false)))
        .clone()
}

/// The signals the init catches: all it can except SIGCHLD, SIGURG and SIGCONT (nothing to
/// decide), SIGPIPE (left ignored, as Rust programs have it) and those a fault raises
/// synchronously; and the real-time ones.
fn caught() -> Vec<libc::c_int> {
    let mut v = vec![
        libc::SIGHUP,
        libc::SIGINT,
        libc::SIGQUIT,
        libc::SIGUSR1,
        libc::SIGUSR2,
        libc::SIGALRM,
        libc::SIGTERM,
        libc::SIGSTKFLT,
        libc::SIGTSTP,
        libc::SIGTTIN,
        libc::SIGTTOU,
        libc::SIGXCPU,
        libc::SIGXFSZ,
        libc::SIGVTALRM,
        libc::SIGPROF,
        libc::SIGWINCH,
        libc::SIGIO,
        libc::SIGPWR,
    ];
    v.extend(libc::SIGRTMIN()..=libc::SIGRTMAX());
    v
}

/// Installs the handler for the signals the init catches; `below_init` when the process is not
/// its container's PID 1 (see [`action`]).
pub fn install(below_init: bool) {
    let _ = interrupt_flag();
    BELOW_INIT.store(below_init, Ordering::SeqCst);
    for sig in caught() {
        // SAFETY: a zeroed sigaction with a handler that only touches atomics (and, to end the
        // process, `signal` and `raise`).
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_signal as *const () as libc::sighandler_t;
            sa.sa_flags = libc::SA_RESTART | libc::SA_SIGINFO;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(sig, &sa, std::ptr::null_mut());
        }
    }
    // The runtime starts the init with every signal blocked; those sent meanwhile arrive now.
    // SAFETY: an empty set unblocks everything for this thread (the only one yet).
    unsafe {
        let mut none: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut none);
        libc::sigprocmask(libc::SIG_SETMASK, &none, std::ptr::null_mut());
    }
}

/// The program now runs below an init (`tini -- CMD`): signals it does not handle take their
/// default action (see [`action`]).
pub fn set_below_init(below_init: bool) {
    BELOW_INIT.store(below_init, Ordering::SeqCst);
}

/// The program the init runs is a shell (see [`action`]).
pub fn set_shell(shell: bool) {
    SHELL.store(shell, Ordering::SeqCst);
}

/// The shell replaced itself with the command it runs (`sh -c '…; sleep 100'`): signals are
/// the command's from now on; those the shell ignored (`trap '' SIG`) stay ignored.
pub fn exec_command(ignored: &[libc::c_int]) {
    SHELL.store(false, Ordering::SeqCst);
    let mut bits = 0;
    for &s in ignored {
        bits |= bit(s);
    }
    HANDLED.store(bits, Ordering::SeqCst);
}

/// The running program handles `sigs` (so they do not end it below an init).
pub fn handle(sigs: &[libc::c_int]) {
    for &s in sigs {
        HANDLED.fetch_or(bit(s), Ordering::SeqCst);
    }
}

/// The running program no longer handles `sigs` (`trap - INT`).
pub fn unhandle(sigs: &[libc::c_int]) {
    for &s in sigs {
        HANDLED.fetch_and(!bit(s), Ordering::SeqCst);
    }
}

/// Forgets that `sig` was received (a trap set now is not for it).
pub fn clear_pending(sig: libc::c_int) {
    PENDING.fetch_and(!bit(sig), Ordering::SeqCst);
}

/// Takes the signals received since the last call, lowest number first.
pub fn take_pending() -> Vec<libc::c_int> {
    let p = PENDING.swap(0, Ordering::SeqCst);
    (1..64).filter(|&s| p & bit(s) != 0).collect()
}

/// Whether any of `sigs` has been received.
pub fn received(sigs: &[libc::c_int]) -> Option<libc::c_int> {
    let seen = SEEN.load(Ordering::SeqCst);
    sigs.iter().copied().find(|&s| seen & bit(s) != 0)
}

/// The last signal received, if any.
pub fn last() -> Option<libc::c_int> {
    match LAST.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// Waits until one of `sigs` arrives (the program handles them); returns it.
pub fn wait_for(sigs: &[libc::c_int]) -> libc::c_int {
    handle(sigs);
    loop {
        if let Some(s) = received(sigs) {
            return s;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The signal's name as Go and the servers print it (`SIGTERM`).
pub fn name(sig: libc::c_int) -> &'static str {
    match sig {
        libc::SIGTERM => "SIGTERM",
        libc::SIGINT => "SIGINT",
        libc::SIGQUIT => "SIGQUIT",
        libc::SIGWINCH => "SIGWINCH",
        libc::SIGHUP => "SIGHUP",
        libc::SIGUSR1 => "SIGUSR1",
        libc::SIGUSR2 => "SIGUSR2",
        _ => "signal",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What real Docker 20.10 does (recorded with `docker kill -s`, `docker run` + Ctrl-C, and
    /// `--init`): PID 1 ignores what it does not handle; below tini the defaults apply; Ctrl-C
    /// on a terminal stops a shell's command.
    #[test]
    fn pid_one_rules() {
        use Action::*;
        let (int, term) = (libc::SIGINT, libc::SIGTERM);
        // `docker run busybox sleep 100` + Ctrl-C (proxied: SI_USER): nothing.
        assert_eq!(action(int, false, false, false, false), Ignore);
        // `sh -c 'sleep 100'`: nothing either.
        assert_eq!(action(int, false, true, false, false), Ignore);
        // `--init sleep 100`: 130; `docker stop`: 143.
        assert_eq!(action(int, false, false, false, true), End);
        assert_eq!(action(term, false, false, false, true), End);
        // A trap (or a server's stop signal) handles it, PID 1 or not.
        assert_eq!(action(int, false, true, true, false), Ignore);
        assert_eq!(action(term, false, false, true, true), Ignore);
        // Ctrl-C typed at `docker run -it … sh` stops the command the shell runs…
        assert_eq!(action(int, true, true, false, false), Interrupt);
        assert_eq!(action(int, true, true, true, false), Interrupt);
        // …but `docker run -it busybox sleep 100` ignores it, unless below an init.
        assert_eq!(action(int, true, false, false, false), Ignore);
        assert_eq!(action(int, true, false, false, true), End);
        // Signals whose default is not to end a process never end it.
        assert_eq!(action(libc::SIGWINCH, false, false, false, true), Ignore);
        assert_eq!(action(libc::SIGTSTP, false, false, false, true), Ignore);
    }
}
