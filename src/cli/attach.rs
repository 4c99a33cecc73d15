//! The client side of a terminal session with a container: `docker run -it`, `docker attach`,
//! `docker start -ai` (through the supervisor's `attach.sock`, see `engine::runtime::tty`) and
//! `docker exec -it` (a pty the runtime relays itself). This module owns the user's terminal for
//! the session: raw mode while it lasts, the detach keys (Ctrl-P Ctrl-Q, as Docker's default
//! `detachKeys`), and restoring the terminal however the session ends. The client's signals during
//! a session are [`sigproxy`](super::sigproxy)'s.

use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;

use crate::engine::runtime::tty::{Frame, parse_frames};

/// Ctrl-P, Ctrl-Q.
const DETACH_KEYS: [u8; 2] = [0x10, 0x11];

/// The terminal on fd 0 in raw mode (no echo, no line editing, no signals from keys) until
/// dropped: the container's own terminal does all of that.
pub struct RawMode {
    saved: Option<libc::termios>,
}

impl RawMode {
    pub fn enter() -> RawMode {
        // SAFETY: tcgetattr/tcsetattr on fd 0 with a termios we own; nothing happens when fd 0
        // is not a terminal.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            if libc::isatty(0) != 1 || libc::tcgetattr(0, &mut t) != 0 {
                return RawMode { saved: None };
            }
            let saved = t;
            libc::cfmakeraw(&mut t);
            libc::tcsetattr(0, libc::TCSANOW, &t);
            RawMode { saved: Some(saved) }
        }
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        if let Some(t) = self.saved {
            // SAFETY: restores the settings read in `enter`.
            unsafe {
                libc::tcsetattr(0, libc::TCSANOW, &t);
            }
        }
    }
}

/// How a session ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The container's process ended with this code.
    Exited(i32),
    /// The user typed the detach keys; the container runs on.
    Detached,
    /// The supervisor went away without a code (the daemon shut down).
    Closed,
    /// A signal ended the client (no signal proxy); the container runs on.
    Left,
}

/// Recognises the detach keys in typed input: returns the bytes to send and whether the keys
/// were typed. A lone Ctrl-P is held until the next byte shows whether it starts the sequence,
/// as Docker's escape proxy does.
#[derive(Default)]
struct Escape {
    matched: usize,
}

impl Escape {
    fn feed(&mut self, input: &[u8]) -> (Vec<u8>, bool) {
        let mut out = Vec::with_capacity(input.len());
        for &b in input {
            if b == DETACH_KEYS[self.matched] {
                self.matched += 1;
                if self.matched == DETACH_KEYS.len() {
                    return (out, true);
                }
                continue;
            }
            out.extend_from_slice(&DETACH_KEYS[..self.matched]);
            self.matched = 0;
            if b == DETACH_KEYS[0] {
                self.matched = 1;
            } else {
                out.push(b);
            }
        }
        (out, false)
    }
}

/// Relays fd 0 (when `stdin`) to the container and its terminal's output to `out` until the
/// process ends, the user detaches or the supervisor goes away. A container without `-t` sends
/// its stderr apart (to `err`) and has no detach keys (`detach_keys` false), as in Docker; when
/// fd 0 ends, only the output is relayed from then on. `leave` is asked between reads (a signal
/// interrupts the wait): when it says so the client leaves, as a client ended by a signal does.
pub fn session(
    mut stream: UnixStream,
    out: &mut dyn Write,
    err: &mut dyn Write,
    stdin: bool,
    detach_keys: bool,
    leave: &dyn Fn() -> bool,
) -> Outcome {
    let mut esc = Escape::default();
    let mut pending = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut stdin_open = stdin;
    loop {
        if leave() {
            let _ = stream.shutdown(std::net::Shutdown::Both);
            return Outcome::Left;
        }
        let mut fds = vec![libc::pollfd {
            fd: stream.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        }];
        if stdin_open {
            fds.push(libc::pollfd {
                fd: 0,
                events: libc::POLLIN,
                revents: 0,
            });
        }
        // SAFETY: `fds` is a valid array of pollfd for the duration of the call.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, 200) };
        if n <= 0 {
            continue;
        }
        if fds[0].revents != 0 {
            match stream.read(&mut buf) {
                Ok(n) if n > 0 => {
                    pending.extend_from_slice(&buf[..n]);
                    for f in parse_frames(&mut pending) {
                        match f {
                            Frame::Output(b) => {
                                let _ = out.write_all(&b);
                                let _ = out.flush();
                            }
                            Frame::Stderr(b) => {
                                let _ = err.write_all(&b);
                                let _ = err.flush();
                            }
                            Frame::Exit(code) => return Outcome::Exited(code),
                        }
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                _ => return Outcome::Closed,
            }
        }
        if fds.get(1).is_some_and(|f| f.revents != 0) {
            // SAFETY: read into a buffer we own from the process's stdin.
            let r = unsafe { libc::read(0, buf.as_mut_ptr().cast(), buf.len()) };
            if r <= 0 {
                stdin_open = false;
                continue;
            }
            let (send, detach) = if detach_keys {
                esc.feed(&buf[..r as usize])
            } else {
                (buf[..r as usize].to_vec(), false)
            };
            if !send.is_empty() && stream.write_all(&send).is_err() {
                return Outcome::Closed;
            }
            if detach {
                let _ = stream.shutdown(std::net::Shutdown::Both);
                return Outcome::Detached;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detach_keys_are_recognised_across_reads() {
        let mut e = Escape::default();
        assert_eq!(e.feed(b"ls\r"), (b"ls\r".to_vec(), false));
        assert_eq!(e.feed(b"a\x10"), (b"a".to_vec(), false));
        assert_eq!(e.feed(b"\x11rest"), (Vec::new(), true));
        let mut e = Escape::default();
        // Ctrl-P followed by something else is sent as typed.
        assert_eq!(e.feed(b"\x10x"), (b"\x10x".to_vec(), false));
        assert_eq!(e.feed(b"\x10\x10\x11"), (b"\x10".to_vec(), true));
    }
}
