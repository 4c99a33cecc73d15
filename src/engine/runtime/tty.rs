//! Terminals: a container started with `-t` runs on a pseudo-terminal whose master its supervisor
//! holds, and clients (`docker run -it`, `docker attach`, `docker start -ai`) reach it through a
//! unix socket in the container's directory, `attach.sock`.
//!
//! The supervisor owns the master: it copies the terminal's output into the json log (one
//! `stdout` stream, `\r\n` line ends, as Docker logs a tty container) and to every connected
//! client, and writes what a client sends to the master when the container keeps stdin open
//! (`-i`). A client closing its connection detaches: the container runs on. The detach keys
//! (Ctrl-P Ctrl-Q) are recognised by the client, which simply closes; this module never reads the
//! user's terminal.
//!
//! Wire format, supervisor → client: frames `b'o' len:u32be bytes` (terminal output) and, when the
//! process has ended, `b'x' code:i32be`, after which the supervisor closes the connection.
//! A container without `-t` is served on the same socket by [`supervise`](super::supervise)'s
//! pump: `b'o'` frames carry its stdout, `b'e' len:u32be bytes` its stderr, and input goes to its
//! stdin pipe when it keeps one (`-i`); a client ending its input (end of file) just stops
//! sending, as Docker keeps a `-i` container's stdin open when an `attach` closes its input.
//! Client → supervisor: raw input bytes. A supervisor started for `docker run -it` *holds* the
//! output until the first client connects (the client connects only after the start returns, and
//! must not miss the first prompt); later clients see only what comes after they connect, as with
//! Docker's `attach` (press Enter to see a prompt).
//!
//! Socket paths: `sun_path` holds 108 bytes and a home's path can be longer, so the socket is
//! bound and reached through `/proc/self/fd/N/attach.sock`, `N` an `O_PATH` descriptor of the
//! container's directory.

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

/// The socket's file name in the container's directory.
pub const SOCKET: &str = "attach.sock";

/// Output held for a first client at most (`docker run -it` connects within milliseconds).
const HOLD_LIMIT: usize = 1 << 20;

/// How long held output waits past the process's end for the first client.
pub(crate) const HOLD_WAIT: Duration = Duration::from_secs(5);

/// A pseudo-terminal pair.
pub struct Pty {
    pub master: File,
    pub slave: OwnedFd,
}

impl Pty {
    /// Opens a pair, 24×80 like a fresh terminal.
    pub fn open() -> io::Result<Pty> {
        let (mut master, mut slave) = (0, 0);
        let ws = libc::winsize {
            ws_row: 24,
            ws_col: 80,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: openpty writes two descriptors into the given ints; the other pointers are
        // null or valid for the call.
        let rc = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                &ws,
            )
        };
        if rc != 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: both descriptors were just returned by openpty and are owned here only.
        let (master, slave) = unsafe { (File::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        for fd in [master.as_raw_fd(), slave.as_raw_fd()] {
            // SAFETY: fcntl on descriptors owned here; close-on-exec keeps them out of children
            // except where handed over as stdio.
            unsafe {
                libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC);
            }
        }
        Ok(Pty { master, slave })
    }

    /// Makes `cmd` run on the slave: its stdio, a session of its own (so its process group is
    /// its pid, which `stop` and `kill` signal) and the slave as its controlling terminal (so
    /// Ctrl-C typed into it reaches the container's foreground group as SIGINT).
    pub fn attach_command(&self, cmd: &mut Command) -> io::Result<()> {
        cmd.stdin(Stdio::from(self.slave.try_clone()?))
            .stdout(Stdio::from(self.slave.try_clone()?))
            .stderr(Stdio::from(self.slave.try_clone()?));
        // SAFETY: setsid and ioctl are async-signal-safe.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 {
                    return Err(io::Error::last_os_error());
                }
                libc::ioctl(0, libc::TIOCSCTTY, 0);
                Ok(())
            });
        }
        Ok(())
    }
}

/// A path for `dir/attach.sock` short enough for `sun_path`, valid while the returned descriptor
/// lives.
fn short_path(dir: &Path) -> io::Result<(File, PathBuf)> {
    let d = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_PATH | libc::O_DIRECTORY)
        .open(dir)?;
    let p = PathBuf::from(format!("/proc/self/fd/{}/{SOCKET}", d.as_raw_fd()));
    Ok((d, p))
}

/// Binds the container's attach socket (replacing a stale one).
pub fn bind(dir: &Path) -> io::Result<UnixListener> {
    let _ = std::fs::remove_file(dir.join(SOCKET));
    let (_d, p) = short_path(dir)?;
    let l = UnixListener::bind(p)?;
    l.set_nonblocking(true)?;
    Ok(l)
}

/// Connects to the container's attach socket.
pub fn connect(dir: &Path) -> io::Result<UnixStream> {
    let (_d, p) = short_path(dir)?;
    UnixStream::connect(p)
}

/// One frame from the supervisor.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    Output(Vec<u8>),
    /// A non-tty container's stderr.
    Stderr(Vec<u8>),
    Exit(i32),
}

pub(crate) fn output_frame(bytes: &[u8]) -> Vec<u8> {
    stream_frame(b'o', bytes)
}

/// A frame of a non-tty container's stream: `b'o'` stdout, `b'e'` stderr.
pub(crate) fn stream_frame(kind: u8, bytes: &[u8]) -> Vec<u8> {
    let mut f = Vec::with_capacity(bytes.len() + 5);
    f.push(kind);
    f.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    f.extend_from_slice(bytes);
    f
}

pub(crate) fn exit_frame(code: i32) -> Vec<u8> {
    let mut f = vec![b'x'];
    f.extend_from_slice(&code.to_be_bytes());
    f
}

/// Splits complete frames off the front of `buf`.
pub fn parse_frames(buf: &mut Vec<u8>) -> Vec<Frame> {
    let mut out = Vec::new();
    loop {
        match buf.first() {
            Some(&k @ (b'o' | b'e')) if buf.len() >= 5 => {
                let n = u32::from_be_bytes([buf[1], buf[2], buf[3], buf[4]]) as usize;
                if buf.len() < 5 + n {
                    break;
                }
                let bytes = buf[5..5 + n].to_vec();
                out.push(if k == b'o' {
                    Frame::Output(bytes)
                } else {
                    Frame::Stderr(bytes)
                });
                buf.drain(..5 + n);
            }
            Some(b'x') if buf.len() >= 5 => {
                out.push(Frame::Exit(i32::from_be_bytes([
                    buf[1], buf[2], buf[3], buf[4],
                ])));
                buf.drain(..5);
            }
            Some(b'o' | b'e' | b'x') | None => break,
            // Not a frame: drop the byte rather than stall.
            Some(_) => {
                buf.remove(0);
            }
        }
    }
    out
}

fn poll_in(fds: &mut [libc::pollfd], timeout_ms: i32) -> i32 {
    // SAFETY: `fds` is a valid array of pollfd for the duration of the call.
    unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout_ms) }
}

fn pfd(fd: RawFd) -> libc::pollfd {
    libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    }
}

/// The supervisor's side of a tty container's run: relays the master to the log and to clients
/// until the process has ended and its terminal is drained; sends each client the exit frame
/// that `exit_code` computes from the status, then closes them.
pub fn serve(
    child: &mut Child,
    master: &mut File,
    listener: &UnixListener,
    stdin_open: bool,
    hold: bool,
    log: &mut dyn FnMut(&[u8]),
    exit_code: impl Fn(ExitStatus) -> i32,
) -> io::Result<ExitStatus> {
    let mut clients: Vec<UnixStream> = Vec::new();
    let mut held: Option<Vec<u8>> = hold.then(Vec::new);
    let mut status: Option<ExitStatus> = None;
    let mut buf = vec![0u8; 64 * 1024];
    let mut idle_after_exit = 0;
    loop {
        let mut fds = vec![pfd(master.as_raw_fd()), pfd(listener.as_raw_fd())];
        fds.extend(clients.iter().map(|c| pfd(c.as_raw_fd())));
        let n = poll_in(&mut fds, 50);
        if status.is_none()
            && let Ok(Some(st)) = child.try_wait()
        {
            status = Some(st);
        }
        if n <= 0 {
            if status.is_some() {
                idle_after_exit += 1;
                // The process has gone and nothing more comes: orphans holding the terminal
                // are the container's; its end ends them (the caller kills the group).
                if idle_after_exit >= 2 {
                    break;
                }
            }
            continue;
        }
        let (master_ev, listen_ev) = (fds[0].revents, fds[1].revents);
        let client_ev: Vec<i16> = fds[2..].iter().map(|f| f.revents).collect();
        if master_ev != 0 {
            match master.read(&mut buf) {
                Ok(n) if n > 0 => {
                    let bytes = &buf[..n];
                    log(bytes);
                    match &mut held {
                        Some(h) if h.len() < HOLD_LIMIT => h.extend_from_slice(bytes),
                        Some(_) => {}
                        None => {
                            let frame = output_frame(bytes);
                            clients.retain_mut(|c| c.write_all(&frame).is_ok());
                        }
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // EIO: every slave descriptor is closed; the terminal is done.
                _ => {
                    if status.is_none() {
                        status = Some(child.wait()?);
                    }
                    break;
                }
            }
        }
        if listen_ev != 0
            && let Ok((mut c, _)) = listener.accept()
        {
            let _ = c.set_nonblocking(false);
            let _ = c.set_write_timeout(Some(Duration::from_secs(5)));
            let ok = match held.take() {
                Some(h) if !h.is_empty() => c.write_all(&output_frame(&h)).is_ok(),
                _ => true,
            };
            if ok {
                let _ = c.set_nonblocking(true);
                clients.push(c);
            }
        }
        let mut gone = Vec::new();
        for (i, ev) in client_ev.iter().enumerate() {
            if *ev == 0 {
                continue;
            }
            let Some(c) = clients.get_mut(i) else {
                continue;
            };
            match c.read(&mut buf) {
                Ok(n) if n > 0 => {
                    if stdin_open {
                        let _ = master.write_all(&buf[..n]);
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                // A client that closes has detached.
                _ => gone.push(i),
            }
        }
        for i in gone.into_iter().rev() {
            clients.remove(i);
        }
    }
    let st = match status {
        Some(s) => s,
        None => child.wait()?,
    };
    if let Some(h) = held {
        // The process ended before the client that started it connected (`docker run -it …
        // true`): wait a little for it, so it still gets the output and the exit code.
        let until = std::time::Instant::now() + HOLD_WAIT;
        while std::time::Instant::now() < until {
            if let Ok((mut c, _)) = listener.accept() {
                let _ = c.set_nonblocking(false);
                let _ = c.set_write_timeout(Some(Duration::from_secs(5)));
                if h.is_empty() || c.write_all(&output_frame(&h)).is_ok() {
                    clients.push(c);
                }
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    let frame = exit_frame(exit_code(st));
    for mut c in clients {
        let _ = c.set_nonblocking(false);
        let _ = c.write_all(&frame);
        let _ = c.shutdown(std::net::Shutdown::Both);
    }
    Ok(st)
}

/// `docker exec -t` on the caller's terminal: relays the caller's stdin (fd 0, put in raw mode by
/// the CLI) to the master and the master to `out` until the process ends.
pub fn relay_local(
    child: &mut Child,
    master: &mut File,
    out: &mut dyn Write,
) -> io::Result<ExitStatus> {
    let mut buf = vec![0u8; 16 * 1024];
    let mut stdin_open = true;
    loop {
        let mut fds = vec![pfd(master.as_raw_fd())];
        if stdin_open {
            fds.push(pfd(0));
        }
        let n = poll_in(&mut fds, 50);
        if n <= 0 {
            if let Ok(Some(st)) = child.try_wait() {
                return Ok(st);
            }
            continue;
        }
        if fds[0].revents != 0 {
            match master.read(&mut buf) {
                Ok(n) if n > 0 => {
                    out.write_all(&buf[..n])?;
                    out.flush()?;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                _ => return child.wait(),
            }
        }
        if fds.get(1).is_some_and(|f| f.revents != 0) {
            // SAFETY: read into a buffer we own from the process's stdin.
            let r = unsafe { libc::read(0, buf.as_mut_ptr().cast(), buf.len()) };
            if r > 0 {
                master.write_all(&buf[..r as usize])?;
            } else {
                stdin_open = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_split_and_join() {
        let mut buf = output_frame(b"hello");
        buf.extend(exit_frame(130));
        let tail = output_frame(b"partial");
        buf.extend_from_slice(&tail[..4]);
        let frames = parse_frames(&mut buf);
        assert_eq!(frames, [Frame::Output(b"hello".to_vec()), Frame::Exit(130)]);
        assert_eq!(buf, tail[..4]);
        buf.extend_from_slice(&tail[4..]);
        assert_eq!(parse_frames(&mut buf), [Frame::Output(b"partial".to_vec())]);
        assert!(buf.is_empty());
    }

    #[test]
    fn a_long_directory_still_gets_a_socket() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("x".repeat(100)).join("y".repeat(64));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let l = bind(&dir).expect("bind");
        let mut c = connect(&dir).expect("connect");
        let (mut s, _) = loop {
            match l.accept() {
                Ok(p) => break p,
                Err(_) => std::thread::sleep(Duration::from_millis(1)),
            }
        };
        c.write_all(b"hi").expect("write");
        let _ = s.set_nonblocking(false);
        let mut b = [0u8; 2];
        s.read_exact(&mut b).expect("read");
        assert_eq!(&b, b"hi");
    }
}
