//! The client's signals while it is attached to a container, as docker/cli handles them.
//!
//! **Proxying** (`--sig-proxy`, the default of `run` and `attach`; always for `start -a` of a
//! container without `-t`; `attach` to a `-t` container never): docker/cli catches every signal
//! (`signal.CatchAll`) and sends each to the container through the kill API
//! (`ForwardAllSignals`), so Ctrl-C becomes `docker kill -s SIGINT` and the client waits on for the
//! container to end and returns its exit code. A container's PID 1 ignores the signals it has no
//! handler for: Ctrl-C on `docker run busybox sleep 100` does nothing, as in Docker.
//!
//! **Not proxying**: the client keeps Go's default dispositions, so SIGINT, SIGTERM, SIGHUP and
//! SIGQUIT end the client, and the container runs on.
//!
//! drydock's client is often the REPL itself, so "ends the client" is done in two steps: the
//! session stops (the caller's loop asks [`Session::left`]), and once the caller has restored the
//! terminal the previous dispositions come back and the signal is raised again. In the REPL its
//! Ctrl-C handler then stops the line with status 130, as a shell does when its child dies of
//! SIGINT; a one-shot `drydock docker …` dies of the signal, as Docker's client does.
//!
//! Mechanics: one process-wide set of handlers, installed while any session is open (tests run
//! several in one process) and then put back as they were. The handler writes the signal's
//! number into each open session's pipe (a write is async-signal-safe); a proxying session reads
//! its pipe on a thread of its own and calls the engine's kill, so it needs no help from the loop
//! it runs beside (the engine's output pump of a foreground `docker run`).

use std::os::fd::RawFd;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI32, Ordering};

use crate::engine::Engine;

/// What the client does with the signals it receives while attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `--sig-proxy`: each signal goes to the container.
    Proxy,
    /// No proxy: a signal that ends a Go program ends the session and is raised again after it.
    Leave,
}

impl Mode {
    /// `Proxy` when `proxy`, else `Leave`.
    pub fn proxy_if(proxy: bool) -> Mode {
        if proxy { Mode::Proxy } else { Mode::Leave }
    }
}

/// The signals caught while attached: every one a process can catch except those docker/cli does
/// not forward (SIGCHLD, SIGPIPE, SIGURG), SIGWINCH (the terminal's size, not the container's
/// business without `-t`), the job-control signals a background process gets for touching the
/// terminal (SIGTTIN, SIGTTOU), and the ones a fault raises synchronously (catching SIGSEGV in
/// this process would hide a real crash).
pub const CAUGHT: &[libc::c_int] = &[
    libc::SIGHUP,
    libc::SIGINT,
    libc::SIGQUIT,
    libc::SIGUSR1,
    libc::SIGUSR2,
    libc::SIGALRM,
    libc::SIGTERM,
    libc::SIGSTKFLT,
    libc::SIGCONT,
    libc::SIGTSTP,
    libc::SIGXCPU,
    libc::SIGXFSZ,
    libc::SIGVTALRM,
    libc::SIGPROF,
    libc::SIGIO,
    libc::SIGPWR,
];

/// The signals that end a client that does not proxy (Go's default for them is to exit).
pub const ENDING: &[libc::c_int] = &[libc::SIGHUP, libc::SIGINT, libc::SIGQUIT, libc::SIGTERM];

/// Open sessions' pipe write ends (-1 for a free slot); read by the handler.
const SLOTS: usize = 16;
static WAKE: [AtomicI32; SLOTS] = [const { AtomicI32::new(-1) }; SLOTS];

/// The dispositions the handlers replaced, and how many sessions use them.
static INSTALLED: Mutex<(usize, Vec<(libc::c_int, libc::sigaction)>)> = Mutex::new((0, Vec::new()));

extern "C" fn on_signal(sig: libc::c_int) {
    // SAFETY: only `write` on pipe descriptors (async-signal-safe) and atomics; errno is kept as
    // the interrupted code left it.
    unsafe {
        let errno = *libc::__errno_location();
        let byte = sig as u8;
        for slot in &WAKE {
            let fd = slot.load(Ordering::SeqCst);
            if fd >= 0 {
                libc::write(fd, (&byte as *const u8).cast(), 1);
            }
        }
        *libc::__errno_location() = errno;
    }
}

fn install() {
    let mut g = INSTALLED.lock().unwrap_or_else(|e| e.into_inner());
    if g.0 == 0 {
        g.1.clear();
        for &sig in CAUGHT {
            // SAFETY: a zeroed sigaction with a plain handler that only writes to pipes; the old
            // action is kept to be restored.
            unsafe {
                let mut sa: libc::sigaction = std::mem::zeroed();
                sa.sa_sigaction = on_signal as *const () as libc::sighandler_t;
                sa.sa_flags = libc::SA_RESTART;
                libc::sigemptyset(&mut sa.sa_mask);
                let mut old: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(sig, &sa, &mut old) == 0 {
                    g.1.push((sig, old));
                }
            }
        }
    }
    g.0 += 1;
}

fn uninstall() {
    let mut g = INSTALLED.lock().unwrap_or_else(|e| e.into_inner());
    g.0 = g.0.saturating_sub(1);
    if g.0 == 0 {
        for (sig, old) in g.1.drain(..) {
            // SAFETY: puts back the action read when the handlers were installed.
            unsafe {
                libc::sigaction(sig, &old, std::ptr::null_mut());
            }
        }
    }
}

/// A session's pipe: the handler writes signal numbers into it.
struct Pipe {
    slot: usize,
    read: RawFd,
    write: RawFd,
}

impl Pipe {
    fn open() -> Option<Pipe> {
        let mut fds = [-1; 2];
        // SAFETY: pipe2 writes two descriptors into the array.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
            return None;
        }
        // The handler must never block on a full pipe.
        // SAFETY: fcntl on a descriptor just created.
        unsafe {
            let fl = libc::fcntl(fds[1], libc::F_GETFL);
            libc::fcntl(fds[1], libc::F_SETFL, fl | libc::O_NONBLOCK);
        }
        let slot = WAKE.iter().position(|s| {
            s.compare_exchange(-1, fds[1], Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
        });
        let Some(slot) = slot else {
            // SAFETY: closes the descriptors created above.
            unsafe {
                libc::close(fds[0]);
                libc::close(fds[1]);
            }
            return None;
        };
        install();
        Some(Pipe {
            slot,
            read: fds[0],
            write: fds[1],
        })
    }

    /// The next signal received, waiting for one when `block`; `None` when there is none, or
    /// when the session is closing (a 0 byte).
    fn next(&self, block: bool) -> Option<libc::c_int> {
        let mut b = 0u8;
        loop {
            if !block {
                let mut p = libc::pollfd {
                    fd: self.read,
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: one valid pollfd.
                if unsafe { libc::poll(&mut p, 1, 0) } <= 0 {
                    return None;
                }
            }
            // SAFETY: reads one byte into a local from a descriptor this pipe owns.
            let r = unsafe { libc::read(self.read, (&mut b as *mut u8).cast(), 1) };
            if r == 1 {
                return (b != 0).then_some(b as libc::c_int);
            }
            if r < 0 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return None;
        }
    }

    /// Wakes a thread blocked in [`next`](Self::next) for good.
    fn close_wake(&self) {
        let zero = 0u8;
        // SAFETY: writes one byte from a local to this pipe.
        unsafe {
            libc::write(self.write, (&zero as *const u8).cast(), 1);
        }
    }
}

impl Drop for Pipe {
    fn drop(&mut self) {
        WAKE[self.slot].store(-1, Ordering::SeqCst);
        uninstall();
        // SAFETY: closes the descriptors this pipe created.
        unsafe {
            libc::close(self.read);
            libc::close(self.write);
        }
    }
}

/// One attached client's view of its signals.
pub struct Session {
    /// `None` when no pipe could be had: signals then keep their dispositions.
    pipe: Option<Pipe>,
    mode: Mode,
    /// With [`Mode::Leave`]: the ending signal received, once one has been.
    left: AtomicI32,
}

impl Session {
    /// Without a proxy: the signal that ended the client, if one has arrived. Other signals
    /// received meanwhile are dropped (the client stays in charge of the terminal).
    pub fn left(&self) -> Option<libc::c_int> {
        if self.mode == Mode::Proxy {
            // The forwarding thread reads the pipe.
            return None;
        }
        let seen = self.left.load(Ordering::SeqCst);
        if seen != 0 {
            return Some(seen);
        }
        let pipe = self.pipe.as_ref()?;
        while let Some(sig) = pipe.next(false) {
            if ENDING.contains(&sig) {
                self.left.store(sig, Ordering::SeqCst);
                return Some(sig);
            }
        }
        None
    }
}

/// Runs `body` (the attached part of a command) with the client's signals handled in `mode` for
/// container `id`. The body gets the session to ask whether the client is to leave (only ever
/// with [`Mode::Leave`]; a proxying session forwards on its own thread). After the body, the
/// dispositions are put back and a signal that ended the client is raised again.
pub fn attached<R>(engine: &Engine, id: &str, mode: Mode, body: impl FnOnce(&Session) -> R) -> R {
    let session = Session {
        pipe: Pipe::open(),
        mode,
        left: AtomicI32::new(0),
    };
    let r = match (mode, &session.pipe) {
        (Mode::Proxy, Some(pipe)) => std::thread::scope(|scope| {
            scope.spawn(move || {
                while let Some(sig) = pipe.next(true) {
                    // docker/cli only logs a failed kill (the container may have just ended).
                    let _ = engine.container_kill(id, &sig.to_string());
                }
            });
            let r = body(&session);
            pipe.close_wake();
            r
        }),
        _ => body(&session),
    };
    finish(session, r)
}

/// Runs `body` as a client that does not proxy ([`Mode::Leave`]) and has no container yet (the
/// create before a `docker run`): it asks [`Session::left`] when it is done.
pub fn leaving<R>(body: impl FnOnce(&Session) -> R) -> R {
    let session = Session {
        pipe: Pipe::open(),
        mode: Mode::Leave,
        left: AtomicI32::new(0),
    };
    let r = body(&session);
    finish(session, r)
}

/// Puts the dispositions back and raises a signal that ended the client again.
fn finish<R>(session: Session, r: R) -> R {
    let left = session.left.load(Ordering::SeqCst);
    drop(session);
    if left != 0 {
        // SAFETY: raise sends a signal to this thread; the restored disposition decides.
        unsafe {
            libc::raise(left);
        }
    }
    r
}

/// The status a shell reports for a client ended by `sig`.
pub fn left_status(sig: libc::c_int) -> i32 {
    128 + sig
}
