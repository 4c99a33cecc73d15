//! Supervision: running a container's main process, recording what happens to it, and applying
//! its restart policy.
//!
//! A detached container is watched by a *shim*: drydock re-executed as `drydock __container-shim
//! ID` in a session of its own, with its stdio on `/dev/null`, so it outlives the command that
//! started it. The shim spawns the init in a new process group (the container's processes: `stop`
//! and `kill` signal the group), copies its stdout and stderr into the json log, records `Pid` and
//! `StartedAt`, waits, records `ExitCode` and `FinishedAt`, and asks [`restart::decide`] whether to
//! start it again after a back-off. A foreground `docker run` supervises its first run itself (the
//! output also goes to the terminal) and hands any restart to a shim, except when its client may
//! leave the container running (`--sig-proxy=false`): then a shim serves it from the start.
//!
//! Only the supervisor waits for its child (`waitpid` on that pid, never `-1` while others may
//! own children); the shim is a child subreaper so orphans of the container end with it.

use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::{UnixListener, UnixStream};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use jiff::Timestamp;

use super::super::Engine;
use super::error::RuntimeError;
use super::health;
use super::launch::{launcher, spawn_error};
use super::logs::{LineSplitter, LogWriter};
use super::network;
use super::record::{Container, ShimLock, ZERO_TIME};
use super::restart::{self, Decision, Exit};
use super::spec::{Mount, ProcessSpec, status};
use super::tty;
use super::user::{self, Identity};

/// The default `PATH` dockerd gives a container whose image sets none.
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// A process's exit status as Docker reports it: the code, or 128 + the signal that ended it.
pub fn exit_code(status: ExitStatus) -> i32 {
    match (status.code(), status.signal()) {
        (Some(c), _) => c,
        (None, Some(s)) => 128 + s,
        _ => 255,
    }
}

/// Where an attached process's streams go (besides the log).
pub struct Attach<'a> {
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    /// Bytes for the process's stdin (`-i` off a terminal); `None` gives it `/dev/null`.
    pub stdin: Option<Vec<u8>>,
    /// Hand the process the real terminal (stdio inherited, its group in the foreground). The
    /// output then goes to the terminal only, not to the log.
    pub terminal: bool,
    /// The detached supervisor: a `-t` container runs on a pseudo-terminal served on
    /// `attach.sock` ([`tty`](super::tty)).
    pub serve_tty: bool,
    /// With `serve_tty`: hold the output until the first client connects (`docker run -it`, and
    /// `docker run` without `-t` that leaves the container to its supervisor).
    pub hold: bool,
}

impl Attach<'_> {
    /// A detached supervisor's streams: nowhere but the log.
    pub fn detached<'a>(out: &'a mut dyn Write, err: &'a mut dyn Write) -> Attach<'a> {
        Attach {
            stdout: out,
            stderr: err,
            stdin: None,
            terminal: false,
            serve_tty: true,
            hold: false,
        }
    }
}

/// dockerd's process environment: `PATH` (the default unless the config sets one), `HOSTNAME`,
/// `TERM=xterm` with a tty, the config's `Env` (replacing or appending), then runc's `HOME`
/// (`home`, the user's passwd entry's) when none of those set it.
pub fn process_env(
    config_env: &[String],
    hostname: &str,
    tty: bool,
    extra: &[String],
    home: &str,
) -> Vec<String> {
    let mut env = vec![
        format!("PATH={DEFAULT_PATH}"),
        format!("HOSTNAME={hostname}"),
    ];
    if tty {
        env.push("TERM=xterm".into());
    }
    for kv in config_env.iter().chain(extra) {
        let key = kv.split('=').next().unwrap_or(kv);
        match env
            .iter()
            .position(|e| e.split('=').next().unwrap_or(e) == key)
        {
            Some(i) => env[i] = kv.clone(),
            None => env.push(kv.clone()),
        }
    }
    if !env.iter().any(|e| e.starts_with("HOME=")) {
        env.push(format!("HOME={home}"));
    }
    env
}

fn now_string(engine: &Engine) -> String {
    engine.clock.now().to_string()
}

impl Engine {
    /// The user `spec` (with the container's `--group-add`) resolved in the container's rootfs.
    pub fn container_identity(&self, c: &Container, spec: &str) -> Result<Identity, RuntimeError> {
        let rootfs = self.containers().rootfs(c);
        let add = c.host_config.group_add.as_deref().unwrap_or(&[]);
        Ok(user::resolve(&rootfs, spec, add)?)
    }

    /// The spec of a container's main process; fails as dockerd does when its user cannot be
    /// resolved.
    pub fn process_spec(&self, c: &Container) -> Result<ProcessSpec, RuntimeError> {
        let store = self.containers();
        let who = self.container_identity(c, &c.config.user)?;
        let mut args = vec![c.path.clone()];
        args.extend(c.args.iter().cloned());
        Ok(ProcessSpec {
            container_id: c.id.clone(),
            rootfs: store.rootfs(c),
            args,
            env: process_env(
                c.config.env.as_deref().unwrap_or(&[]),
                &c.config.hostname,
                c.config.tty,
                &[],
                &who.home,
            ),
            cwd: if c.config.working_dir.is_empty() {
                "/".into()
            } else {
                c.config.working_dir.clone()
            },
            user: c.config.user.clone(),
            uid: who.uid,
            gid: who.gid,
            groups: who.groups,
            hostname: c.config.hostname.clone(),
            tty: c.config.tty,
            stdin_open: c.config.open_stdin,
            below_init: c.host_config.init == Some(true),
            // Only the bridge publishes ports (host mode discards them, none has no network).
            ports: if network::on_bridge(c) {
                c.host_config.port_bindings.clone()
            } else {
                Default::default()
            },
            labels: c.config.labels.clone().unwrap_or_default(),
            mounts: self.spec_mounts(c),
            start_error: Some(store.start_error_path(&c.id)),
        })
    }

    fn spec_mounts(&self, c: &Container) -> Vec<Mount> {
        c.mount_points
            .values()
            .map(|m| {
                let (source, opts_ro) = match m.kind.as_str() {
                    "volume" => self
                        .volume_mount_source(&m.name)
                        .unwrap_or_else(|_| (self.volume_data(&m.name), false)),
                    _ => (
                        self.paths().home().join(m.source.trim_start_matches('/')),
                        false,
                    ),
                };
                Mount {
                    source,
                    destination: m.destination.clone(),
                    read_only: !m.rw || opts_ro,
                }
            })
            .collect()
    }

    /// Records that the main process runs (and gives it an address on the emulated bridge).
    fn mark_running(&self, id: &str, pid: i32) -> Result<String, RuntimeError> {
        let store = self.containers();
        let _lock = store.lock()?;
        let used: Vec<String> = store
            .list()
            .into_iter()
            .filter(|o| o.id != id && o.state.running)
            .map(|o| o.ip_address)
            .collect();
        let mut c = store.load(id)?;
        let prev = c.state.started_at.clone();
        c.state.running = true;
        c.state.restarting = false;
        c.state.paused = false;
        c.state.pid = pid;
        c.state.exit_code = 0;
        c.state.error.clear();
        c.state.started_at = now_string(self);
        c.state.health = health::has_health(c.config.healthcheck.as_ref())
            .then(|| health::on_start(c.state.health.take()));
        c.has_been_started_before = true;
        if c.ip_address.is_empty() && network::on_bridge(&c) {
            c.ip_address = (2..=254)
                .map(|n| format!("172.17.0.{n}"))
                .find(|ip| !used.contains(ip))
                .unwrap_or_default();
        }
        store.save(&c)?;
        Ok(prev)
    }

    /// Records a command that could not be started: the container keeps its previous state
    /// (`created` when it never ran) with the exit code and the error.
    pub(crate) fn mark_start_failed(
        &self,
        id: &str,
        prev_started: &str,
        err: &RuntimeError,
    ) -> Result<(), RuntimeError> {
        let code = err.state_exit_code();
        let msg = err.to_string();
        let at = now_string(self);
        self.containers().update(id, |c| {
            c.state.running = false;
            c.state.restarting = false;
            c.state.pid = 0;
            c.state.exit_code = code;
            c.state.error = msg;
            c.state.started_at = prev_started.to_string();
            if prev_started != ZERO_TIME {
                c.state.finished_at = at;
            }
            c.ip_address.clear();
            Ok(())
        })
    }

    /// Records an exit and decides about a restart (counting it when one is scheduled, as
    /// dockerd does before the delay). Returns the decision and whether the container is to be
    /// removed (`--rm`).
    pub(crate) fn record_exit(
        &self,
        id: &str,
        code: i32,
        backoff: Duration,
    ) -> Result<(Decision, bool), RuntimeError> {
        let shutting_down = !self.daemon_running();
        let now = self.clock.now();
        self.containers().update(id, |c| {
            let ran_for = c
                .state
                .started_at
                .parse::<Timestamp>()
                .ok()
                .and_then(|s| Duration::try_from(now.duration_since(s)).ok())
                .unwrap_or_default();
            let d = restart::decide(
                &c.host_config.restart_policy,
                Exit {
                    code,
                    manually_stopped: c.has_been_manually_stopped,
                    shutting_down,
                    ran_for,
                },
                c.restart_count,
                backoff,
            );
            c.state.pid = 0;
            c.state.paused = false;
            c.state.exit_code = code;
            c.state.finished_at = now.to_string();
            // dockerd's `CloseMonitorChannel`: a stopped monitor leaves the container unhealthy.
            if let Some(h) = c.state.health.as_mut() {
                h.status = health::UNHEALTHY.into();
            }
            c.ip_address.clear();
            if d.restart.is_some() {
                c.restart_count += 1;
                c.state.running = true;
                c.state.restarting = true;
            } else {
                c.state.running = false;
                c.state.restarting = false;
            }
            Ok((d, c.host_config.auto_remove && d.restart.is_none()))
        })
    }

    /// Sleeps a back-off delay in small steps; `false` when the container was stopped, removed or
    /// the daemon went down meanwhile (the container is then left exited).
    fn wait_restart(&self, id: &str, delay: Duration) -> bool {
        let until = Instant::now() + delay;
        loop {
            let cancelled = match self.containers().load(id) {
                Err(_) => return false,
                Ok(c) => {
                    c.has_been_manually_stopped || !c.state.restarting || !self.daemon_running()
                }
            };
            if cancelled {
                let _ = self.containers().update(id, |c| {
                    c.state.running = false;
                    c.state.restarting = false;
                    Ok(())
                });
                return false;
            }
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return true;
            }
            std::thread::sleep(left.min(Duration::from_millis(10)));
        }
    }

    /// Runs the container's main process once with `attach`'s streams; returns its exit code.
    pub(crate) fn run_once(&self, id: &str, attach: &mut Attach<'_>) -> Result<i32, RuntimeError> {
        let store = self.containers();
        let c = store.load(id)?;
        let spec = match self
            .populate_volumes(&c)
            .and_then(|_| self.process_spec(&c))
        {
            Ok(s) => s,
            Err(err) => {
                self.mark_start_failed(id, &c.state.started_at, &err)?;
                return Err(err);
            }
        };
        let spec_path = store.spec_path(id);
        let bytes = serde_json::to_vec_pretty(&spec).unwrap_or_default();
        super::super::fsutil::write_atomic_nosync(&self.paths().tmp(), &spec_path, &bytes)
            .map_err(super::error::io_at(&spec_path))?;
        let err_path = store.start_error_path(id);
        let _ = std::fs::remove_file(&err_path);
        let settings = self.runtime_settings();
        let mut cmd = launcher(settings).command(&spec_path, &spec);
        let pty = if spec.tty && attach.serve_tty && !attach.terminal {
            let pty = tty::Pty::open().map_err(RuntimeError::Spawn)?;
            pty.attach_command(&mut cmd).map_err(RuntimeError::Spawn)?;
            let listener = tty::bind(&store.dir(id)).map_err(super::error::io_at(store.dir(id)))?;
            Some((pty, listener))
        } else {
            // The container's own process group (a pty's session gives one too).
            cmd.process_group(0);
            None
        };
        // A detached supervisor serves a container without `-t` on the attach socket too.
        let listener = if pty.is_none() && attach.serve_tty && !attach.terminal {
            Some(tty::bind(&store.dir(id)).map_err(super::error::io_at(store.dir(id)))?)
        } else {
            None
        };
        if pty.is_some() {
            // Its stdio is the terminal's slave (set above).
        } else if attach.terminal {
            cmd.stdin(Stdio::inherit())
                .stdout(Stdio::inherit())
                .stderr(Stdio::inherit());
        } else {
            // `-i` keeps stdin open even when nothing is attached (`docker run -dit … bash`
            // must not see end-of-file): the supervisor holds the pipe's other end.
            cmd.stdin(if attach.stdin.is_some() || spec.stdin_open {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        }
        let mut child = match cmd.spawn() {
            Ok(ch) => ch,
            Err(e) => {
                let err = spawn_error(&spec, e);
                self.mark_start_failed(id, &c.state.started_at, &err)?;
                return Err(err);
            }
        };
        let pid = child.id() as i32;
        let prev = match self.mark_running(id, pid) {
            Ok(p) => p,
            Err(e) => {
                let _ = settings.sys.kill_group(pid, libc::SIGKILL);
                let _ = child.wait();
                return Err(e);
            }
        };
        // The health monitor probes while the main process runs ([`health`]).
        let stop = AtomicBool::new(false);
        let probes = c
            .config
            .healthcheck
            .as_ref()
            .and_then(|h| health::probe_command(h, c.config.shell.as_deref()))
            .is_some();
        let status = std::thread::scope(|scope| -> Result<_, RuntimeError> {
            if probes {
                scope.spawn(|| self.health_monitor(id, &stop));
            }
            let waited = (|| -> Result<_, RuntimeError> {
                let st = if let Some((pty, listener)) = pty {
                    let tty::Pty { mut master, slave } = pty;
                    // Only the container holds the slave now: the master reads EIO once it is done.
                    drop(slave);
                    let log = LogWriter::open(&store.log_path(id))
                        .map_err(super::error::io_at(store.log_path(id)))?;
                    let mut split = LineSplitter::new();
                    let mut to_log = |bytes: &[u8]| {
                        for line in split.feed(bytes) {
                            log.write("stdout", &line, &now_string(self));
                        }
                    };
                    let st = tty::serve(
                        &mut child,
                        &mut master,
                        &listener,
                        spec.stdin_open,
                        std::mem::take(&mut attach.hold),
                        &mut to_log,
                        exit_code,
                    );
                    if let Some(rest) = split.finish() {
                        log.write("stdout", &rest, &now_string(self));
                    }
                    let _ = std::fs::remove_file(store.dir(id).join(tty::SOCKET));
                    st
                } else if attach.terminal {
                    let fg = Foreground::give(pid);
                    let st = child.wait();
                    drop(fg);
                    st
                } else {
                    let log = LogWriter::open(&store.log_path(id))
                        .map_err(super::error::io_at(store.log_path(id)))?;
                    let mut held_stdin = None;
                    match (attach.stdin.take(), child.stdin.take()) {
                        (Some(input), Some(mut sin)) => {
                            std::thread::spawn(move || {
                                let _ = sin.write_all(&input);
                            });
                        }
                        (None, sin) => held_stdin = sin,
                        _ => {}
                    }
                    let hold = std::mem::take(&mut attach.hold);
                    let serving = listener
                        .as_ref()
                        .map(|l| Serving::new(l, held_stdin.take(), c.config.stdin_once, hold));
                    let st = pump(self, &mut child, attach, &log, serving);
                    drop(held_stdin);
                    if listener.is_some() {
                        let _ = std::fs::remove_file(store.dir(id).join(tty::SOCKET));
                    }
                    st
                };
                Ok(st)
            })();
            stop.store(true, Ordering::SeqCst);
            waited
        })?;
        // The container's other processes end with its main one, as in a PID namespace: its
        // group, and the groups of `docker exec` processes.
        let _ = settings.sys.kill_group(pid, libc::SIGKILL);
        kill_execs(&store.dir(id), settings.sys.as_ref());
        reap_orphans();
        let code = status.map(exit_code).unwrap_or(255);
        if matches!(code, status::NOT_FOUND | status::CANNOT_INVOKE)
            && let Ok(message) = std::fs::read_to_string(&err_path)
            && !message.trim().is_empty()
        {
            let err = RuntimeError::StartFailed {
                message: message.trim().to_string(),
                code,
            };
            self.mark_start_failed(id, &prev, &err)?;
            return Err(err);
        }
        Ok(code)
    }

    /// The detached supervisor (`drydock __container-shim ID`): runs the container until it exits
    /// for good. `initial_delay` is a restart already scheduled by a foreground run.
    /// `hold` keeps the container's first output for the first client (`docker run -it`, and
    /// `docker run --sig-proxy=false` without `-t`).
    pub fn shim_main(&self, id: &str, initial_delay: Option<Duration>, hold: bool) -> i32 {
        let store = self.containers();
        let Some(_lock) = ShimLock::try_take(&store.shim_lock_path(id)) else {
            // Another supervisor watches this container.
            return 0;
        };
        // SAFETY: prctl(PR_SET_CHILD_SUBREAPER) only changes how orphans are re-parented.
        unsafe {
            libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        }
        // The supervisor outlives the command that started the container: it prepares the
        // next container's rootfs copy, so the next `docker run -d` of this image only renames
        // it into place (a one-shot CLI process would exit before a copy finished).
        if let Ok(c) = store.load(id)
            && let Ok(d) = super::super::digest::Digest::parse(&c.image)
            && let Ok(img) = self.image_store().get(&d)
        {
            let images = self.image_store().clone();
            std::thread::spawn(move || {
                let _ = super::super::image::rootfs::prepare_spare(&images, &img);
            });
        }
        let mut backoff = Duration::ZERO;
        if let Some(d) = initial_delay {
            backoff = d;
            if !self.wait_restart(id, d) {
                return 0;
            }
        }
        let mut out = std::io::sink();
        let mut err = std::io::sink();
        let mut hold = hold;
        loop {
            let mut attach = Attach::detached(&mut out, &mut err);
            attach.hold = std::mem::take(&mut hold);
            let code = match self.run_once(id, &mut attach) {
                Ok(code) => code,
                Err(_) => return 1,
            };
            let Ok((decision, remove)) = self.record_exit(id, code, backoff) else {
                return 0;
            };
            backoff = decision.backoff;
            match decision.restart {
                Some(delay) => {
                    if !self.wait_restart(id, delay) {
                        return 0;
                    }
                }
                None => {
                    if remove {
                        let _ = self.remove_record(id);
                    }
                    return 0;
                }
            }
        }
    }

    /// Starts a detached supervisor for a container and returns without waiting for it.
    pub(crate) fn spawn_shim(
        &self,
        id: &str,
        delay: Option<Duration>,
        hold: bool,
    ) -> Result<Child, RuntimeError> {
        let s = self.runtime_settings();
        let mut cmd = Command::new(&s.exe);
        cmd.arg("--home")
            .arg(self.paths().home())
            .arg("__container-shim")
            .arg(id);
        if let Some(d) = delay {
            cmd.arg(format!("--delay-ms={}", d.as_millis()));
        }
        if hold {
            cmd.arg("--hold");
        }
        cmd.env("DRYDOCK_CLOCK", self.clock.now().to_string())
            .env("DRYDOCK_INIT", s.init.as_env())
            .env("DRYDOCK_EXE", &s.exe)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // SAFETY: setsid is async-signal-safe; the shim leaves the terminal's session so it
        // outlives the shell that started it and no terminal signal reaches it.
        unsafe {
            cmd.pre_exec(|| {
                libc::setsid();
                Ok(())
            });
        }
        cmd.spawn().map_err(RuntimeError::Spawn)
    }
}

/// A detached supervisor's clients of a container without `-t` (`docker attach`, and `docker
/// run` when it does not supervise the container itself): its output goes to them as frames
/// ([`tty`] has the wire format) and their input to its stdin, through a writer thread so a
/// container that does not read cannot stall the pump. A client whose input ends (end of file,
/// or gone) closes the container's stdin when the container has `StdinOnce` (`docker run -i`),
/// as dockerd does; otherwise the stdin stays open for the next client.
struct Serving<'l> {
    listener: &'l UnixListener,
    clients: Vec<ServedClient>,
    stdin: Option<mpsc::Sender<Vec<u8>>>,
    stdin_once: bool,
    /// With a held start: the frames sent before the first client connected.
    held: Option<Vec<u8>>,
}

struct ServedClient {
    stream: UnixStream,
    /// Whether its input is still read (false after its end of file).
    input: bool,
}

/// Output held for a first client at most, as [`tty`] holds a terminal's.
const HOLD_LIMIT: usize = 1 << 20;

impl<'l> Serving<'l> {
    fn new(
        listener: &'l UnixListener,
        stdin: Option<ChildStdin>,
        stdin_once: bool,
        hold: bool,
    ) -> Serving<'l> {
        let stdin = stdin.map(|mut sin| {
            let (tx, rx) = mpsc::channel::<Vec<u8>>();
            std::thread::spawn(move || {
                for chunk in rx {
                    if sin.write_all(&chunk).is_err() {
                        break;
                    }
                }
            });
            tx
        });
        Serving {
            listener,
            clients: Vec::new(),
            stdin,
            stdin_once,
            held: hold.then(Vec::new),
        }
    }

    fn send(&mut self, frame: &[u8]) {
        if let Some(h) = &mut self.held {
            if h.len() < HOLD_LIMIT {
                h.extend_from_slice(frame);
            }
            return;
        }
        self.clients
            .retain_mut(|c| c.stream.write_all(frame).is_ok());
    }

    fn accept(&mut self) {
        while let Ok((mut c, _)) = self.listener.accept() {
            let _ = c.set_nonblocking(false);
            let _ = c.set_write_timeout(Some(Duration::from_secs(5)));
            if let Some(h) = self.held.take()
                && c.write_all(&h).is_err()
            {
                continue;
            }
            self.clients.push(ServedClient {
                stream: c,
                input: true,
            });
        }
    }

    /// The clients whose input is read, by index into `clients`.
    fn reading(&self) -> Vec<usize> {
        (0..self.clients.len())
            .filter(|&i| self.clients[i].input)
            .collect()
    }

    /// Reads what client `i` sent; `false` when it has gone.
    fn read_client(&mut self, i: usize, buf: &mut [u8]) -> bool {
        let Some(c) = self.clients.get_mut(i) else {
            return true;
        };
        let _ = c.stream.set_nonblocking(true);
        let r = c.stream.read(buf);
        let _ = c.stream.set_nonblocking(false);
        match r {
            Ok(n) if n > 0 => {
                if let Some(tx) = &self.stdin {
                    let _ = tx.send(buf[..n].to_vec());
                }
                true
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => true,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => true,
            // End of its input: it may still read the output (a half-closed connection); one
            // that has gone is dropped at the next write.
            Ok(_) => {
                c.input = false;
                if self.stdin_once {
                    self.stdin = None;
                }
                true
            }
            Err(_) => {
                if self.stdin_once {
                    self.stdin = None;
                }
                false
            }
        }
    }

    fn finish(mut self, code: i32) {
        if self.held.is_some() {
            // The process ended before the client that started it connected: wait for it, so
            // a quick `docker run --sig-proxy=false … echo hi` still shows its output.
            let until = Instant::now() + tty::HOLD_WAIT;
            while self.held.is_some() && Instant::now() < until {
                self.accept();
                std::thread::sleep(Duration::from_millis(2));
            }
        }
        let frame = tty::exit_frame(code);
        for mut c in self.clients {
            let _ = c.stream.write_all(&frame);
            let _ = c.stream.shutdown(std::net::Shutdown::Both);
        }
    }
}

/// Copies the child's stdout and stderr into the attached streams and the log until both close,
/// and returns its exit status. One thread, `poll` over both pipes: the attached streams need
/// not be `Send`. With `serving`, attach clients get the streams live and feed its stdin.
fn pump(
    engine: &Engine,
    child: &mut Child,
    attach: &mut Attach<'_>,
    log: &LogWriter,
    mut serving: Option<Serving<'_>>,
) -> std::io::Result<ExitStatus> {
    let mut out = child.stdout.take();
    let mut err = child.stderr.take();
    let mut split_out = LineSplitter::new();
    let mut split_err = LineSplitter::new();
    let mut status: Option<ExitStatus> = None;
    let mut buf = vec![0u8; 64 * 1024];
    let emit = |stream: &str, line: &[u8], attach: &mut Attach<'_>| {
        log.write(stream, line, &engine.clock.now().to_string());
        let w: &mut dyn Write = if stream == "stdout" {
            attach.stdout
        } else {
            attach.stderr
        };
        let _ = w.write_all(line);
        let _ = w.flush();
    };
    while out.is_some() || err.is_some() {
        let mut fds = Vec::new();
        if let Some(o) = &out {
            fds.push(libc::pollfd {
                fd: o.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            });
        }
        if let Some(e) = &err {
            fds.push(libc::pollfd {
                fd: e.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            });
        }
        let streams = fds.len();
        if let Some(sv) = &serving {
            fds.push(libc::pollfd {
                fd: sv.listener.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            });
            fds.extend(sv.reading().into_iter().map(|i| libc::pollfd {
                fd: sv.clients[i].stream.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            }));
        }
        // SAFETY: `fds` is a valid array of pollfd for the duration of the call.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, 100) };
        if let Some(sv) = &mut serving
            && n > 0
        {
            let client_ev: Vec<i16> = fds[streams + 1..].iter().map(|f| f.revents).collect();
            let mut gone = Vec::new();
            for (i, ev) in sv.reading().into_iter().zip(client_ev) {
                if ev != 0 && !sv.read_client(i, &mut buf) {
                    gone.push(i);
                }
            }
            for i in gone.into_iter().rev() {
                sv.clients.remove(i);
            }
            if fds[streams].revents != 0 {
                sv.accept();
            }
        }
        fds.truncate(streams);
        if n == 0 || fds.iter().all(|f| f.revents == 0) {
            // Nothing to read: if the main process has gone, whatever still holds the pipes is
            // one of its orphans; end them so the streams close.
            if status.is_none()
                && let Ok(Some(st)) = child.try_wait()
            {
                status = Some(st);
                // SAFETY: killpg on the container's own group.
                unsafe {
                    libc::killpg(child.id() as i32, libc::SIGKILL);
                }
            }
            continue;
        }
        for pfd in &fds {
            if pfd.revents == 0 {
                continue;
            }
            let is_out = out.as_ref().is_some_and(|o| o.as_raw_fd() == pfd.fd);
            let read = if is_out {
                out.as_mut().map(|o| o.read(&mut buf))
            } else {
                err.as_mut().map(|e| e.read(&mut buf))
            };
            match read {
                Some(Ok(n)) if n > 0 => {
                    if let Some(sv) = &mut serving {
                        sv.send(&tty::stream_frame(
                            if is_out { b'o' } else { b'e' },
                            &buf[..n],
                        ));
                    }
                    let (stream, splitter) = if is_out {
                        ("stdout", &mut split_out)
                    } else {
                        ("stderr", &mut split_err)
                    };
                    for line in splitter.feed(&buf[..n]) {
                        emit(stream, &line, attach);
                    }
                }
                Some(Err(e)) if e.kind() == std::io::ErrorKind::Interrupted => {}
                _ => {
                    let (stream, splitter) = if is_out {
                        ("stdout", &mut split_out)
                    } else {
                        ("stderr", &mut split_err)
                    };
                    if let Some(rest) = splitter.finish() {
                        emit(stream, &rest, attach);
                    }
                    if is_out {
                        out = None;
                    } else {
                        err = None;
                    }
                }
            }
        }
    }
    let st = match status {
        Some(s) => Ok(s),
        None => child.wait(),
    };
    if let Some(sv) = serving {
        sv.finish(st.as_ref().map(|s| exit_code(*s)).unwrap_or(255));
    }
    st
}

/// Ends the `docker exec` processes of a container whose main process has ended.
fn kill_execs(dir: &Path, sys: &dyn super::sys::Sys) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.filter_map(|e| e.ok()) {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with("drydock-exec-") && name.ends_with(".pid") {
            if let Some(pid) = std::fs::read_to_string(e.path())
                .ok()
                .and_then(|s| s.trim().parse::<i32>().ok())
            {
                let _ = sys.kill_group(pid, libc::SIGKILL);
            }
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Reaps the container's orphans that were re-parented to this supervisor. Only a shim (a child
/// subreaper) gets them; any other process (a foreground `docker run` in the REPL, or a test
/// running several) must not `waitpid(-1)`: it would steal the status of a child another thread
/// waits for by pid.
fn reap_orphans() {
    let mut subreaper: libc::c_int = 0;
    // SAFETY: PR_GET_CHILD_SUBREAPER writes one int through the pointer.
    unsafe {
        libc::prctl(
            libc::PR_GET_CHILD_SUBREAPER,
            &mut subreaper as *mut libc::c_int,
            0,
            0,
            0,
        );
    }
    if subreaper == 0 {
        return;
    }
    loop {
        let mut st = 0;
        // SAFETY: WNOHANG waitpid only collects exit statuses of this process's children; the
        // main child has already been waited for by its pid.
        let r = unsafe { libc::waitpid(-1, &mut st, libc::WNOHANG) };
        if r <= 0 {
            break;
        }
    }
}

/// Puts a process group in the terminal's foreground for as long as it lives, so it reads the
/// terminal and gets Ctrl-C as a process run from a shell does; gives the terminal back on drop.
struct Foreground {
    ours: Option<libc::pid_t>,
}

impl Foreground {
    fn give(pgid: i32) -> Foreground {
        // SAFETY: isatty/tcgetpgrp/tcsetpgrp only query or set the terminal's foreground group;
        // SIGTTOU is ignored around the change, as shells do.
        unsafe {
            if libc::isatty(0) != 1 {
                return Foreground { ours: None };
            }
            let ours = libc::tcgetpgrp(0);
            let old = libc::signal(libc::SIGTTOU, libc::SIG_IGN);
            libc::tcsetpgrp(0, pgid);
            libc::signal(libc::SIGTTOU, old);
            Foreground { ours: Some(ours) }
        }
    }
}

impl Drop for Foreground {
    fn drop(&mut self) {
        if let Some(ours) = self.ours {
            // SAFETY: as in `give`.
            unsafe {
                let old = libc::signal(libc::SIGTTOU, libc::SIG_IGN);
                libc::tcsetpgrp(0, ours);
                libc::signal(libc::SIGTTOU, old);
            }
        }
    }
}

/// Waits until `path`'s supervisor lock is free (the supervisor ended), up to `limit`.
pub(crate) fn wait_supervisor_gone(path: &Path, limit: Duration) -> bool {
    let until = Instant::now() + limit;
    while ShimLock::held(path) {
        if Instant::now() >= until {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_as_dockerd_composes_it() {
        let env = process_env(
            &["FOO=bar".into(), "PATH=/usr/bin:/bin".into()],
            "abc",
            true,
            &[],
            "/root",
        );
        assert_eq!(
            env,
            [
                "PATH=/usr/bin:/bin",
                "HOSTNAME=abc",
                "TERM=xterm",
                "FOO=bar",
                "HOME=/root"
            ]
        );
        let env = process_env(&["HOME=/x".into()], "h", false, &["A=1".into()], "/home/u");
        assert_eq!(
            env,
            [
                &format!("PATH={DEFAULT_PATH}"),
                "HOSTNAME=h",
                "HOME=/x",
                "A=1"
            ]
        );
        // runc's HOME comes last, from the user's passwd entry.
        let env = process_env(&[], "h", false, &[], "/nonexistent");
        assert_eq!(env.last().map(String::as_str), Some("HOME=/nonexistent"));
    }

    #[test]
    fn exit_codes_of_signals() {
        assert_eq!(exit_code(ExitStatus::from_raw(9)), 137);
        assert_eq!(exit_code(ExitStatus::from_raw(3 << 8)), 3);
    }
}
