//! Signals reaching a container's process: recorded, never acted on by default.
//!
//! A container's main process is PID 1 of its namespace in Docker, and the kernel delivers PID 1
//! only the signals it handles: `docker stop` of a bare `sleep` or `bash` waits out the timeout
//! and ends in SIGKILL (137). drydock's init is an ordinary process, so it catches the stop
//! signals and only records them; applets that handle a signal (servers stop on SIGTERM, httpd on
//! SIGWINCH, nginx on SIGQUIT) poll [`received`]. SIGINT also sets the shell's Ctrl-C flag, so an
//! interactive shell in a container stops its running command as bash does.

use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// The last signal received (0 for none).
static LAST: AtomicI32 = AtomicI32::new(0);
/// One bit per signal number received since start.
static SEEN: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
static INTERRUPT: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// The signals the init records.
pub const CAUGHT: &[libc::c_int] = &[
    libc::SIGTERM,
    libc::SIGINT,
    libc::SIGQUIT,
    libc::SIGWINCH,
    libc::SIGHUP,
    libc::SIGUSR1,
    libc::SIGUSR2,
];

extern "C" fn on_signal(sig: libc::c_int) {
    // Only atomics here: async-signal-safe.
    LAST.store(sig, Ordering::SeqCst);
    if (0..64).contains(&sig) {
        SEEN.fetch_or(1u64 << sig, Ordering::SeqCst);
    }
    if sig == libc::SIGINT
        && let Some(flag) = INTERRUPT.get()
    {
        flag.store(true, Ordering::SeqCst);
    }
}

/// The Ctrl-C flag shells in this process share.
pub fn interrupt_flag() -> Arc<AtomicBool> {
    INTERRUPT
        .get_or_init(|| Arc::new(AtomicBool::new(false)))
        .clone()
}

/// Installs the recording handler for [`CAUGHT`].
pub fn install() {
    let _ = interrupt_flag();
    for &sig in CAUGHT {
        // SAFETY: a zeroed sigaction with a plain handler that only touches atomics.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_signal as *const () as libc::sighandler_t;
            sa.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(sig, &sa, std::ptr::null_mut());
        }
    }
}

/// Whether any of `sigs` has been received.
pub fn received(sigs: &[libc::c_int]) -> Option<libc::c_int> {
    let seen = SEEN.load(Ordering::SeqCst);
    sigs.iter()
        .copied()
        .find(|s| (0..64).contains(s) && seen & (1u64 << s) != 0)
}

/// The last signal received, if any.
pub fn last() -> Option<libc::c_int> {
    match LAST.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// Waits until one of `sigs` arrives; returns it.
pub fn wait_for(sigs: &[libc::c_int]) -> libc::c_int {
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
