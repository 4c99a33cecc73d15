//! Health checks, as dockerd's `daemon/health.go` runs them.
//!
//! A container whose config has a `Healthcheck` with a `CMD` or `CMD-SHELL` test is probed by its
//! supervisor while its main process runs: every `Interval` (30s by default; the first probe one
//! interval after the start) the test runs in the container as `docker exec` would run it
//! (`CMD-SHELL` through the config's `Shell`, else `/bin/sh -c`), with the container's user,
//! environment and working directory. A probe that outlives `Timeout` (30s by default) is killed
//! and counts as a failure (exit code -1, `Health check exceeded timeout (…)`).
//!
//! The result goes to the record's `State.Health` ([`record`], a pure function): exit 0 makes the
//! container `healthy` and clears the failing streak; anything else adds to the streak — except
//! while the container is still `starting` and within its `StartPeriod` — and `Retries`
//! consecutive failures (3 by default) make it `unhealthy`. The log keeps the last five results.
//! Each start resets the status to `starting` and the streak to 0 (the log stays); when the main
//! process ends the monitor stops and the status becomes `unhealthy`, as dockerd's
//! `CloseMonitorChannel` leaves it. A test of `NONE` (`--no-healthcheck`) means no `Health` at all.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use jiff::Timestamp;

use super::super::Engine;
use super::super::oci::Healthcheck;
use super::launch::launcher;
use super::record::{Container, Health, HealthResult};
use super::supervise::exit_code;

/// dockerd's defaults for a zero `Interval`, `Timeout` and `Retries`.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(30);
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
pub const DEFAULT_RETRIES: i64 = 3;
/// How many results `State.Health.Log` keeps.
pub const MAX_LOG_ENTRIES: usize = 5;
/// How much of a probe's output is kept (then `...` marks the cut).
pub const MAX_OUTPUT_LEN: usize = 4096;

pub const STARTING: &str = "starting";
pub const HEALTHY: &str = "healthy";
pub const UNHEALTHY: &str = "unhealthy";

/// Whether a config's health check gives the container a `State.Health` (any test but `NONE`).
pub fn has_health(hc: Option<&Healthcheck>) -> bool {
    match hc {
        None => false,
        Some(h) => h.test.as_ref().and_then(|t| t.first()).map(String::as_str) != Some("NONE"),
    }
}

/// The command a probe runs, or `None` when the test runs nothing (`NONE`, empty, unknown type).
pub fn probe_command(hc: &Healthcheck, shell: Option<&[String]>) -> Option<Vec<String>> {
    let test = hc.test.as_ref()?;
    let (kind, rest) = test.split_first()?;
    match kind.as_str() {
        "CMD" if !rest.is_empty() => Some(rest.to_vec()),
        "CMD-SHELL" if !rest.is_empty() => {
            let mut cmd: Vec<String> = match shell {
                Some(s) if !s.is_empty() => s.to_vec(),
                _ => vec!["/bin/sh".into(), "-c".into()],
            };
            cmd.push(rest.join(" "));
            Some(cmd)
        }
        _ => None,
    }
}

fn or_default(ns: i64, default: Duration) -> Duration {
    if ns > 0 {
        Duration::from_nanos(ns as u64)
    } else {
        default
    }
}

/// The `Health` a (re)started container begins with: `starting`, no streak, the old log kept.
pub fn on_start(old: Option<Health>) -> Health {
    let mut h = old.unwrap_or(Health {
        status: String::new(),
        failing_streak: 0,
        log: Vec::new(),
    });
    h.status = STARTING.into();
    h.failing_streak = 0;
    h
}

/// dockerd's `handleProbeResult`: adds `result` to the log and moves the status. `since_start` is
/// the time from the container's start to the probe's start.
pub fn record(h: &mut Health, hc: &Healthcheck, result: HealthResult, since_start: Duration) {
    let ok = result.exit_code == 0;
    h.log.push(result);
    if h.log.len() > MAX_LOG_ENTRIES {
        let cut = h.log.len() - MAX_LOG_ENTRIES;
        h.log.drain(..cut);
    }
    if ok {
        h.failing_streak = 0;
        h.status = HEALTHY.into();
        return;
    }
    let in_start_period =
        h.status == STARTING && since_start < Duration::from_nanos(hc.start_period.max(0) as u64);
    if !in_start_period {
        h.failing_streak += 1;
        let retries = if hc.retries > 0 {
            hc.retries
        } else {
            DEFAULT_RETRIES
        };
        if h.failing_streak >= retries {
            h.status = UNHEALTHY.into();
        }
    }
}

/// `docker ps`'s suffix for a running container's health: `health: starting`, or the status.
pub fn status_word(h: &Health) -> &str {
    if h.status == STARTING {
        "health: starting"
    } else {
        &h.status
    }
}

/// Go's `limitedBuffer`: at most [`MAX_OUTPUT_LEN`] bytes, `...` when cut.
fn limited(bytes: &[u8]) -> String {
    if bytes.len() > MAX_OUTPUT_LEN {
        format!("{}...", String::from_utf8_lossy(&bytes[..MAX_OUTPUT_LEN]))
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// Go's `%v` of a `time.Duration` as a timeout message prints it (`500ms`, `30s`, `1m0s`).
fn go_duration(d: Duration) -> String {
    super::super::filters::go_duration(i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

impl Engine {
    /// The health monitor of a running container: probes until `stop` is set. Run by the
    /// supervisor on a thread of its own while it waits for the main process.
    pub(crate) fn health_monitor(&self, id: &str, stop: &AtomicBool) {
        let Ok(c) = self.containers().load(id) else {
            return;
        };
        let Some(hc) = c.config.healthcheck.clone() else {
            return;
        };
        let Some(cmd) = probe_command(&hc, c.config.shell.as_deref()) else {
            return;
        };
        let interval = or_default(hc.interval, DEFAULT_INTERVAL);
        let timeout = or_default(hc.timeout, DEFAULT_TIMEOUT);
        let started_at = c.state.started_at.parse::<Timestamp>().ok();
        loop {
            if !sleep_unless(stop, interval) {
                return;
            }
            let Ok(c) = self.containers().load(id) else {
                return;
            };
            if c.state.paused {
                continue;
            }
            let result = self.probe(&c, &cmd, timeout, stop);
            if stop.load(Ordering::SeqCst) {
                return;
            }
            let since_start = match (started_at, result.start.parse::<Timestamp>()) {
                (Some(s), Ok(p)) => Duration::try_from(p.duration_since(s)).unwrap_or_default(),
                _ => Duration::ZERO,
            };
            let _ = self.containers().update(id, |c| {
                if c.state.running
                    && let Some(h) = c.state.health.as_mut()
                {
                    record(h, &hc, result, since_start);
                }
                Ok(())
            });
        }
    }

    /// Runs one probe in the container (as `docker exec` starts a process), killing it after
    /// `timeout`.
    fn probe(
        &self,
        c: &Container,
        cmd: &[String],
        timeout: Duration,
        stop: &AtomicBool,
    ) -> HealthResult {
        let start = self.clock.now().to_string();
        let failed = |output: String| HealthResult {
            start: start.clone(),
            end: self.clock.now().to_string(),
            exit_code: -1,
            output,
        };
        let store = self.containers();
        // As the container's user (a probe is an exec without `-u`).
        let mut spec = match self.process_spec(c) {
            Ok(s) => s,
            Err(e) => return failed(e.to_string()),
        };
        spec.args = cmd.to_vec();
        spec.tty = false;
        spec.stdin_open = false;
        spec.ports.clear();
        let exec_id = self.rng.hex(32);
        let dir = store.dir(&c.id);
        let spec_path = dir.join(format!("drydock-exec-{exec_id}.json"));
        let err_path = dir.join(format!("drydock-exec-{exec_id}.error"));
        let pid_path = dir.join(format!("drydock-exec-{exec_id}.pid"));
        spec.start_error = Some(err_path.clone());
        let cleanup = || {
            let _ = std::fs::remove_file(&spec_path);
            let _ = std::fs::remove_file(&err_path);
            let _ = std::fs::remove_file(&pid_path);
        };
        if let Err(e) = std::fs::write(
            &spec_path,
            serde_json::to_vec_pretty(&spec).unwrap_or_default(),
        ) {
            return failed(e.to_string());
        }
        let (reader, writer) = match std::io::pipe() {
            Ok(p) => p,
            Err(e) => {
                cleanup();
                return failed(e.to_string());
            }
        };
        let settings = self.runtime_settings();
        let mut command = launcher(settings).command(&spec_path, &spec);
        command.process_group(0).stdin(Stdio::null());
        match writer.try_clone() {
            Ok(w2) => {
                command.stdout(writer).stderr(w2);
            }
            Err(e) => {
                cleanup();
                return failed(e.to_string());
            }
        }
        let mut child = match command.spawn() {
            Ok(ch) => ch,
            Err(e) => {
                cleanup();
                return failed(super::launch::spawn_error(&spec, e).to_string());
            }
        };
        // The command holds the pipe's write ends: drop ours so the reader sees the end.
        drop(command);
        let pid = child.id() as i32;
        let _ = std::fs::write(&pid_path, pid.to_string());
        let reading = std::thread::spawn(move || {
            let mut out = Vec::new();
            let mut r = reader.take(MAX_OUTPUT_LEN as u64 + 1);
            let _ = r.read_to_end(&mut out);
            // Drain the rest so the probe never blocks on a full pipe.
            let _ = std::io::copy(&mut r.into_inner(), &mut std::io::sink());
            out
        });
        let deadline = Instant::now() + timeout;
        let status = loop {
            match child.try_wait() {
                Ok(Some(st)) => break Some(st),
                Ok(None) => {}
                Err(_) => break None,
            }
            if Instant::now() >= deadline || stop.load(Ordering::SeqCst) {
                let _ = settings.sys.kill_group(pid, libc::SIGKILL);
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let Some(status) = status else {
            let _ = reading.join();
            cleanup();
            return failed(format!(
                "Health check exceeded timeout ({})",
                go_duration(timeout)
            ));
        };
        // The probe's own children may keep the pipe open: end its group.
        let _ = settings.sys.kill_group(pid, libc::SIGKILL);
        let out = reading.join().unwrap_or_default();
        let code = exit_code(status);
        let start_error = std::fs::read_to_string(&err_path).unwrap_or_default();
        cleanup();
        if !start_error.trim().is_empty() {
            return failed(start_error.trim().to_string());
        }
        HealthResult {
            start: start.clone(),
            end: self.clock.now().to_string(),
            exit_code: code,
            output: limited(&out),
        }
    }
}

/// Sleeps `d` in small steps; `false` when `stop` was set meanwhile.
fn sleep_unless(stop: &AtomicBool, d: Duration) -> bool {
    let until = Instant::now() + d;
    loop {
        if stop.load(Ordering::SeqCst) {
            return false;
        }
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return true;
        }
        std::thread::sleep(left.min(Duration::from_millis(10)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hc(test: &[&str], retries: i64, start_period: i64) -> Healthcheck {
        Healthcheck {
            test: Some(test.iter().map(|s| s.to_string()).collect()),
            retries,
            start_period,
            ..Healthcheck::default()
        }
    }

    fn result(code: i32) -> HealthResult {
        HealthResult {
            start: "s".into(),
            end: "e".into(),
            exit_code: code,
            output: String::new(),
        }
    }

    #[test]
    fn probe_commands() {
        assert_eq!(
            probe_command(&hc(&["CMD-SHELL", "true"], 0, 0), None),
            Some(vec!["/bin/sh".into(), "-c".into(), "true".into()])
        );
        assert_eq!(
            probe_command(
                &hc(&["CMD-SHELL", "x"], 0, 0),
                Some(&["/bin/bash".into(), "-ec".into()])
            ),
            Some(vec!["/bin/bash".into(), "-ec".into(), "x".into()])
        );
        assert_eq!(
            probe_command(&hc(&["CMD", "ls", "/"], 0, 0), None),
            Some(vec!["ls".into(), "/".into()])
        );
        assert_eq!(probe_command(&hc(&["NONE"], 0, 0), None), None);
        assert_eq!(probe_command(&hc(&["CMD"], 0, 0), None), None);
        assert!(!has_health(Some(&hc(&["NONE"], 0, 0))));
        assert!(has_health(Some(&hc(&["CMD", "true"], 0, 0))));
        assert!(!has_health(None));
    }

    #[test]
    fn streaks_and_statuses() {
        let check = hc(&["CMD", "x"], 2, 0);
        let mut h = on_start(None);
        record(&mut h, &check, result(1), Duration::from_secs(1));
        assert_eq!((h.status.as_str(), h.failing_streak), (STARTING, 1));
        record(&mut h, &check, result(1), Duration::from_secs(2));
        assert_eq!((h.status.as_str(), h.failing_streak), (UNHEALTHY, 2));
        record(&mut h, &check, result(0), Duration::from_secs(3));
        assert_eq!((h.status.as_str(), h.failing_streak), (HEALTHY, 0));
        // Default retries: 3.
        let check = hc(&["CMD", "x"], 0, 0);
        let mut h = on_start(None);
        for n in 1..=3 {
            record(&mut h, &check, result(1), Duration::from_secs(n));
        }
        assert_eq!((h.status.as_str(), h.failing_streak), (UNHEALTHY, 3));
        for n in 0..4 {
            record(&mut h, &check, result(0), Duration::from_secs(n));
        }
        assert_eq!(h.log.len(), MAX_LOG_ENTRIES);
        assert_eq!(h.log[0].exit_code, 1);
        // A restart keeps the log.
        let h = on_start(Some(h));
        assert_eq!(
            (h.status.as_str(), h.failing_streak, h.log.len()),
            (STARTING, 0, 5)
        );
    }

    #[test]
    fn start_period_failures_do_not_count_while_starting() {
        let check = hc(&["CMD", "x"], 1, 5_000_000_000);
        let mut h = on_start(None);
        record(&mut h, &check, result(1), Duration::from_secs(1));
        assert_eq!((h.status.as_str(), h.failing_streak), (STARTING, 0));
        record(&mut h, &check, result(1), Duration::from_secs(6));
        assert_eq!((h.status.as_str(), h.failing_streak), (UNHEALTHY, 1));
        // Once healthy, the start period no longer shields failures.
        let mut h = on_start(None);
        record(&mut h, &check, result(0), Duration::from_secs(1));
        record(&mut h, &check, result(1), Duration::from_secs(2));
        assert_eq!((h.status.as_str(), h.failing_streak), (UNHEALTHY, 1));
    }

    #[test]
    fn outputs_are_limited() {
        assert_eq!(limited(b"oops\n"), "oops\n");
        let long = vec![b'a'; MAX_OUTPUT_LEN + 10];
        let s = limited(&long);
        assert_eq!(s.len(), MAX_OUTPUT_LEN + 3);
        assert!(s.ends_with("a..."));
        assert_eq!(go_duration(Duration::from_millis(500)), "500ms");
        assert_eq!(go_duration(Duration::from_secs(30)), "30s");
    }
}
