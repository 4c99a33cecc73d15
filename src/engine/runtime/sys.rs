//! The process syscalls the runtime makes, behind [`Sys`] so unit tests can record them instead
//! of signalling real processes (youki's `Syscall`). The real implementation is [`Host`].

use std::sync::Mutex;

use super::error::RuntimeError;

/// Signals by name and number, as `docker kill -s` and `--stop-signal` accept them.
const SIGNALS: &[(&str, i32)] = &[
    ("ABRT", libc::SIGABRT),
    ("ALRM", libc::SIGALRM),
    ("BUS", libc::SIGBUS),
    ("CHLD", libc::SIGCHLD),
    ("CONT", libc::SIGCONT),
    ("FPE", libc::SIGFPE),
    ("HUP", libc::SIGHUP),
    ("ILL", libc::SIGILL),
    ("INT", libc::SIGINT),
    ("IO", libc::SIGIO),
    ("IOT", libc::SIGIOT),
    ("KILL", libc::SIGKILL),
    ("PIPE", libc::SIGPIPE),
    ("PROF", libc::SIGPROF),
    ("PWR", libc::SIGPWR),
    ("QUIT", libc::SIGQUIT),
    ("SEGV", libc::SIGSEGV),
    ("STKFLT", libc::SIGSTKFLT),
    ("STOP", libc::SIGSTOP),
    ("SYS", libc::SIGSYS),
    ("TERM", libc::SIGTERM),
    ("TRAP", libc::SIGTRAP),
    ("TSTP", libc::SIGTSTP),
    ("TTIN", libc::SIGTTIN),
    ("TTOU", libc::SIGTTOU),
    ("URG", libc::SIGURG),
    ("USR1", libc::SIGUSR1),
    ("USR2", libc::SIGUSR2),
    ("VTALRM", libc::SIGVTALRM),
    ("WINCH", libc::SIGWINCH),
    ("XCPU", libc::SIGXCPU),
    ("XFSZ", libc::SIGXFSZ),
];

/// Parses a signal as moby's `signal.ParseSignal`: a number, or a name with or without `SIG`
/// (upper case).
pub fn parse_signal(s: &str) -> Result<i32, RuntimeError> {
    if let Ok(n) = s.parse::<i32>() {
        if (1..=64).contains(&n) {
            return Ok(n);
        }
        return Err(RuntimeError::InvalidSignal(s.to_string()));
    }
    let name = s.strip_prefix("SIG").unwrap_or(s);
    SIGNALS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| *v)
        .ok_or_else(|| RuntimeError::InvalidSignal(s.to_string()))
}

/// The process operations of the runtime.
pub trait Sys: Send + Sync {
    /// Sends `signal` to the process group `pgid` (a container's processes).
    fn kill_group(&self, pgid: i32, signal: i32) -> std::io::Result<()>;
    /// Whether a process exists (zombies count: their supervisor has not reaped them yet).
    fn alive(&self, pid: i32) -> bool;
}

/// The real syscalls.
pub struct Host;

impl Sys for Host {
    fn kill_group(&self, pgid: i32, signal: i32) -> std::io::Result<()> {
        if pgid <= 1 {
            // Never signal "every process" (0, -1) or init by accident.
            return Err(std::io::Error::from_raw_os_error(libc::ESRCH));
        }
        // SAFETY: killpg only sends a signal; a positive group id names one group.
        let r = unsafe { libc::killpg(pgid, signal) };
        if r == 0 {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        }
    }

    fn alive(&self, pid: i32) -> bool {
        // SAFETY: signal 0 only checks that the process exists.
        pid > 0 && unsafe { libc::kill(pid, 0) } == 0
    }
}

/// A recording fake for unit tests.
#[derive(Default)]
pub struct Recorder {
    pub calls: Mutex<Vec<(i32, i32)>>,
}

impl Sys for Recorder {
    fn kill_group(&self, pgid: i32, signal: i32) -> std::io::Result<()> {
        self.calls
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((pgid, signal));
        Ok(())
    }
    fn alive(&self, _pid: i32) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signal_names() {
        assert_eq!(parse_signal("KILL").unwrap(), 9);
        assert_eq!(parse_signal("SIGTERM").unwrap(), 15);
        assert_eq!(parse_signal("9").unwrap(), 9);
        assert_eq!(parse_signal("HUP").unwrap(), 1);
        assert_eq!(
            parse_signal("FOO").unwrap_err().to_string(),
            "Invalid signal: FOO"
        );
        assert!(parse_signal("0").is_err());
        assert!(parse_signal("term").is_err());
    }

    #[test]
    fn the_host_refuses_group_zero_and_one() {
        assert!(Host.kill_group(0, 0).is_err());
        assert!(Host.kill_group(1, 0).is_err());
    }

    #[test]
    fn the_recorder_records() {
        let r = Recorder::default();
        r.kill_group(42, 15).unwrap();
        assert_eq!(*r.calls.lock().unwrap(), vec![(42, 15)]);
    }
}
