//! The lifecycle operations on an existing container: start, stop, kill, restart, pause,
//! unpause, remove, rename, update, wait, prune, and the attached first run of `docker run`.
//!
//! Each acts on the record under the containers lock and on the process group through
//! [`Sys`](super::sys::Sys); none waits for a process itself (its supervisor does), they watch the
//! record change instead.

use std::time::{Duration, Instant};

use super::super::Engine;
use super::error::RuntimeError;
use super::network;
use super::record::{Container, ShimLock};
use super::supervise::{Attach, wait_supervisor_gone};
use super::sys::parse_signal;

/// What `container prune` removed.
#[derive(Debug, Clone, Default)]
pub struct ContainerPruneReport {
    pub deleted: Vec<String>,
    pub space_reclaimed: u64,
}

/// How long to wait for a supervisor to record an exit after SIGKILL.
const KILL_GRACE: Duration = Duration::from_secs(5);

impl Engine {
    /// Finds a container by ID, name or ID prefix.
    pub fn container(&self, arg: &str) -> super::super::Result<Container> {
        Ok(self.containers().resolve(arg)?)
    }

    /// Polls the record until `done` holds or `limit` passes; returns the last record read.
    fn watch(
        &self,
        id: &str,
        limit: Duration,
        done: impl Fn(&Container) -> bool,
    ) -> Result<Option<Container>, RuntimeError> {
        let until = Instant::now() + limit;
        let mut pause = Duration::from_micros(200);
        loop {
            let c = match self.containers().load(id) {
                Ok(c) => c,
                Err(RuntimeError::NoSuchContainer(_)) => return Ok(None),
                Err(e) => return Err(e),
            };
            if done(&c) || Instant::now() >= until {
                return Ok(Some(c));
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(5));
        }
    }

    /// `docker start`: starts a created or exited container under a detached supervisor and
    /// returns once its process runs. Clears the manual-stop flag and `RestartCount`.
    pub fn container_start(&self, arg: &str) -> super::super::Result<()> {
        let c = self.container(arg)?;
        if c.state.running {
            return Ok(());
        }
        self.start_detached(&c.id, true, false)
    }

    /// `docker run -it`, `docker start -ai` on a `-t` container, and a `docker run` that leaves
    /// the container to a supervisor of its own (`--sig-proxy=false`): starts it under its
    /// supervisor, which holds the output until the caller connects with
    /// [`Engine::container_attach_stream`].
    pub fn container_start_held(&self, arg: &str) -> super::super::Result<()> {
        let c = self.container(arg)?;
        if c.state.running {
            return Ok(());
        }
        self.start_detached(&c.id, true, true)
    }

    /// A connection to a running `-t` container's terminal ([`tty`](super::tty) has the wire
    /// format). Refuses stopped, paused and restarting containers with Docker's words.
    pub fn container_attach_stream(
        &self,
        arg: &str,
    ) -> super::super::Result<std::os::unix::net::UnixStream> {
        let c = self.container(arg)?;
        if !c.state.running {
            return Err(RuntimeError::AttachStopped.into());
        }
        if c.state.paused {
            return Err(RuntimeError::AttachPaused.into());
        }
        if c.state.restarting {
            return Err(RuntimeError::AttachRestarting.into());
        }
        let dir = self.containers().dir(&c.id);
        // The supervisor binds the socket just before it starts the process; a start that has
        // just returned may be a moment ahead of it.
        let until = Instant::now() + Duration::from_secs(2);
        loop {
            match super::tty::connect(&dir) {
                Ok(s) => return Ok(s),
                Err(e) if Instant::now() >= until => {
                    return Err(RuntimeError::Io {
                        path: dir.join(super::tty::SOCKET),
                        source: e,
                    }
                    .into());
                }
                Err(_) => std::thread::sleep(Duration::from_millis(2)),
            }
        }
    }

    /// Starts a container under a detached supervisor. `manual` (a user's start) also resets
    /// `RestartCount`; a daemon-start restart keeps it.
    pub(crate) fn start_detached(
        &self,
        id: &str,
        manual: bool,
        hold: bool,
    ) -> super::super::Result<()> {
        let c = self.containers().load(id)?;
        self.check_network(&c)?;
        self.check_ports(&c)?;
        self.check_volume_mounts(&c)?;
        if let Err(e) = self.container_identity(&c, &c.config.user) {
            // Before any process: dockerd fails `createSpec` and records the error.
            self.mark_start_failed(&c.id, &c.state.started_at, &e)?;
            return Err(e.into());
        }
        let store = self.containers();
        // A supervisor still finishing (a stop just recorded) must be gone before a new one.
        wait_supervisor_gone(&store.shim_lock_path(&c.id), KILL_GRACE);
        let before = store.update(&c.id, |c| {
            c.has_been_manually_stopped = false;
            if manual {
                c.restart_count = 0;
            }
            c.state.error.clear();
            Ok(c.state.clone())
        })?;
        let mut shim = self.spawn_shim(&c.id, None, hold)?;
        let mut shim_done = false;
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut pause = Duration::from_micros(200);
        // The real init reports whether it found the command (an empty report: it did), so a
        // command that cannot start fails this start, as runc's does, rather than the shim's
        // record a moment later. The host launcher finds out when it spawns.
        let reports = self.runtime_settings().init == super::launch::InitMode::Drydock;
        let report = store.start_error_path(&c.id);
        let result = loop {
            let now = store.load(&c.id)?;
            if !now.state.error.is_empty() {
                break Err(self.start_error_of(&now));
            }
            let spawned = now.state.started_at != before.started_at;
            let answered = !reports
                || !now.state.running
                || std::fs::read(&report).is_ok_and(|r| r.is_empty());
            if spawned && answered {
                break Ok(());
            }
            if shim_done || Instant::now() >= deadline {
                break Err(RuntimeError::NotRunning(c.id.clone()));
            }
            if let Ok(Some(_)) = shim.try_wait() {
                // One more look: the shim may have recorded just before it ended.
                shim_done = true;
                continue;
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(2));
        };
        if !shim_done {
            // The shim lives on; reap it whenever it ends so it never lingers as a zombie.
            std::thread::spawn(move || {
                let _ = shim.wait();
            });
        }
        Ok(result?)
    }

    fn start_error_of(&self, c: &Container) -> RuntimeError {
        let prefix = "failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ";
        match c
            .state
            .error
            .strip_prefix(prefix)
            .and_then(|m| m.strip_suffix(": unknown"))
        {
            Some(m) => RuntimeError::StartFailed {
                message: m.to_string(),
                code: c.state.exit_code,
            },
            None => RuntimeError::Recorded {
                message: c.state.error.clone(),
                code: c.state.exit_code,
            },
        }
    }

    /// Refuses to start a container whose published host ports are taken.
    /// Every volume the container mounts can be mounted (a bind volume's directory exists).
    fn check_volume_mounts(&self, c: &Container) -> Result<(), RuntimeError> {
        for m in c.mount_points.values().filter(|m| m.kind == "volume") {
            self.volume_mount_source(&m.name)?;
        }
        Ok(())
    }

    /// Published ports are free (only the bridge publishes them).
    fn check_ports(&self, c: &Container) -> Result<(), RuntimeError> {
        if !network::on_bridge(c) {
            return Ok(());
        }
        let others: Vec<Container> = self
            .containers()
            .list()
            .into_iter()
            .filter(|o| o.id != c.id && o.state.running && network::on_bridge(o))
            .collect();
        for bindings in c.host_config.port_bindings.values() {
            for b in bindings {
                if b.host_port.is_empty() {
                    continue;
                }
                let clash = others.iter().any(|o| {
                    o.host_config
                        .port_bindings
                        .values()
                        .flatten()
                        .any(|ob| ob.host_port == b.host_port)
                });
                let endpoint = self.rng.hex(32);
                if clash {
                    return Err(RuntimeError::PortAllocated {
                        name: c.short_name().to_string(),
                        endpoint,
                        port: b.host_port.clone(),
                    });
                }
                if let Ok(port) = b.host_port.parse::<u16>()
                    && std::net::TcpListener::bind(("127.0.0.1", port)).is_err()
                {
                    return Err(RuntimeError::PortInUse {
                        name: c.short_name().to_string(),
                        endpoint,
                        port: b.host_port.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    /// The attached first run of `docker run` (no `-d`): the process's output goes to `attach`
    /// and the log; returns its exit code. A restart the policy asks for is handed to a detached
    /// supervisor; `--rm` removes the container afterwards.
    pub fn container_run_attached(
        &self,
        id: &str,
        attach: &mut Attach<'_>,
    ) -> super::super::Result<i32> {
        let c = self.container(id)?;
        self.check_network(&c)?;
        self.check_ports(&c)?;
        self.check_volume_mounts(&c)?;
        let store = self.containers();
        let lock_path = store.shim_lock_path(&c.id);
        let Some(lock) = ShimLock::try_take(&lock_path) else {
            return Err(RuntimeError::NotRunning(c.id.clone()).into());
        };
        store.update(&c.id, |c| {
            c.has_been_manually_stopped = false;
            c.restart_count = 0;
            Ok(())
        })?;
        let code = match self.run_once(&c.id, attach) {
            Ok(code) => code,
            Err(e) => {
                drop(lock);
                if c.host_config.auto_remove {
                    let _ = self.remove_record(&c.id);
                }
                return Err(e.into());
            }
        };
        let (decision, remove) = self.record_exit(&c.id, code, Duration::ZERO)?;
        drop(lock);
        if let Some(delay) = decision.restart {
            let mut shim = self.spawn_shim(&c.id, Some(delay), false)?;
            std::thread::spawn(move || {
                let _ = shim.wait();
            });
        } else if remove {
            self.remove_record(&c.id)?;
        }
        Ok(code)
    }

    /// `docker stop`: the stop signal to the container's processes, SIGKILL after `timeout`
    /// seconds (`-t`, else `--stop-timeout`, else 10). A stopped container is left as it is.
    pub fn container_stop(&self, arg: &str, timeout: Option<i64>) -> super::super::Result<()> {
        let c = self.container(arg)?;
        let signal = parse_signal(c.stop_signal()).unwrap_or(libc::SIGTERM);
        let secs = timeout.or(c.config.stop_timeout).unwrap_or(10);
        self.stop_with(&c, signal, secs)?;
        Ok(())
    }

    pub(crate) fn stop_with(
        &self,
        c: &Container,
        signal: i32,
        timeout_secs: i64,
    ) -> Result<(), RuntimeError> {
        let store = self.containers();
        let shutting_down = !self.daemon_running();
        let cur = store.update(&c.id, |c| {
            if !shutting_down {
                c.has_been_manually_stopped = true;
            }
            Ok(c.clone())
        })?;
        if !cur.state.running {
            return Ok(());
        }
        if cur.state.restarting || cur.state.pid == 0 {
            // Between restarts there is no process: the supervisor sees the flag and stops.
            self.watch(&c.id, KILL_GRACE, |c| !c.state.running)?;
            return Ok(());
        }
        let sys = &self.runtime_settings().sys;
        let pid = cur.state.pid;
        let _ = sys.kill_group(pid, signal);
        if cur.state.paused {
            let _ = sys.kill_group(pid, libc::SIGCONT);
        }
        let gone = |c: &Container| c.state.pid != pid || !c.state.running;
        let limit = Duration::from_secs(timeout_secs.max(0) as u64);
        let after = self.watch(&c.id, limit, gone)?;
        if after.as_ref().is_some_and(|c| !gone(c)) {
            let _ = sys.kill_group(pid, libc::SIGKILL);
            self.watch(&c.id, KILL_GRACE, gone)?;
        }
        Ok(())
    }

    /// `docker kill -s SIGNAL`: marks the container manually stopped and signals its processes.
    pub fn container_kill(&self, arg: &str, signal: &str) -> super::super::Result<()> {
        let sig = parse_signal(signal)?;
        let c = self.container(arg)?;
        if !c.state.running {
            return Err(RuntimeError::CannotKill {
                name: arg.to_string(),
                id: c.id.clone(),
            }
            .into());
        }
        let cur = self.containers().update(&c.id, |c| {
            c.has_been_manually_stopped = true;
            Ok(c.clone())
        })?;
        if cur.state.restarting || cur.state.pid == 0 {
            self.watch(&c.id, KILL_GRACE, |c| !c.state.running)?;
            return Ok(());
        }
        let sys = &self.runtime_settings().sys;
        let _ = sys.kill_group(cur.state.pid, sig);
        if sig == libc::SIGKILL {
            let pid = cur.state.pid;
            self.watch(&c.id, KILL_GRACE, |c| {
                c.state.pid != pid || !c.state.running
            })?;
        }
        Ok(())
    }

    /// `docker restart`: stop, then start.
    pub fn container_restart(&self, arg: &str, timeout: Option<i64>) -> super::super::Result<()> {
        self.container_stop(arg, timeout)?;
        let c = self.container(arg)?;
        self.container_start(&c.id)
    }

    /// `docker pause`: SIGSTOP to the container's processes.
    pub fn container_pause(&self, arg: &str) -> super::super::Result<()> {
        let c = self.container(arg)?;
        if !c.state.running || c.state.restarting {
            return Err(RuntimeError::NotRunning(c.id).into());
        }
        if c.state.paused {
            return Err(RuntimeError::AlreadyPaused(c.id).into());
        }
        let _ = self
            .runtime_settings()
            .sys
            .kill_group(c.state.pid, libc::SIGSTOP);
        self.containers().update(&c.id, |c| {
            c.state.paused = true;
            Ok(())
        })?;
        Ok(())
    }

    /// `docker unpause`: SIGCONT.
    pub fn container_unpause(&self, arg: &str) -> super::super::Result<()> {
        let c = self.container(arg)?;
        if !c.state.paused {
            return Err(RuntimeError::NotPaused(c.id).into());
        }
        let _ = self
            .runtime_settings()
            .sys
            .kill_group(c.state.pid, libc::SIGCONT);
        self.containers().update(&c.id, |c| {
            c.state.paused = false;
            Ok(())
        })?;
        Ok(())
    }

    /// `docker rm [-f] [-v]`: refuses a running container unless forced (then SIGKILL first);
    /// `volumes` also removes its anonymous volumes.
    pub fn container_remove(
        &self,
        arg: &str,
        force: bool,
        volumes: bool,
    ) -> super::super::Result<()> {
        let c = self.container(arg)?;
        if c.state.running && !force {
            if c.state.paused {
                return Err(RuntimeError::RemovePaused(c.id).into());
            }
            return Err(RuntimeError::RemoveRunning(c.id).into());
        }
        if c.state.running {
            self.stop_with(&c, libc::SIGKILL, 0)?;
        }
        wait_supervisor_gone(&self.containers().shim_lock_path(&c.id), KILL_GRACE);
        self.remove_record(&c.id)?;
        if volumes {
            let mounts: Vec<_> = c.mount_points.values().cloned().collect();
            self.remove_anonymous_volumes(&c.id, &mounts);
        }
        Ok(())
    }

    /// Removes a container's record and filesystem.
    pub(crate) fn remove_record(&self, id: &str) -> Result<(), RuntimeError> {
        let store = self.containers();
        let _lock = store.lock()?;
        match store.load(id) {
            Ok(c) => store.remove(&c),
            Err(RuntimeError::NoSuchContainer(_)) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// `docker rename`.
    pub fn container_rename(&self, arg: &str, new_name: &str) -> super::super::Result<()> {
        if !super::names::valid_name(new_name) {
            return Err(RuntimeError::InvalidName(new_name.to_string()).into());
        }
        let c = self.container(arg)?;
        let new = format!("/{}", new_name.trim_start_matches('/'));
        if c.name == new {
            return Err(RuntimeError::RenameSameName.into());
        }
        let store = self.containers();
        let _lock = store.lock()?;
        if let Some(other) = store.list().iter().find(|o| o.name == new) {
            return Err(RuntimeError::NameConflict {
                name: new,
                id: other.id.clone(),
            }
            .into());
        }
        let mut cur = store.load(&c.id)?;
        cur.name = new;
        store.save(&cur)?;
        Ok(())
    }

    /// `docker update --restart`.
    pub fn container_update_restart(
        &self,
        arg: &str,
        policy: &super::restart::RestartPolicy,
    ) -> super::super::Result<()> {
        policy.validate()?;
        let c = self.container(arg)?;
        if c.host_config.auto_remove && !policy.is_none() {
            return Err(RuntimeError::UpdateAutoRemove.into());
        }
        self.containers().update(&c.id, |c| {
            c.host_config.restart_policy = policy.clone();
            Ok(())
        })?;
        Ok(())
    }

    /// `docker wait`: blocks until the container is not running; returns its exit code.
    pub fn container_wait(&self, arg: &str) -> super::super::Result<i32> {
        let c = self.container(arg)?;
        let started = c.state.started_at.clone();
        let finished = c.state.finished_at.clone();
        let was_running = c.state.running && !c.state.restarting;
        loop {
            let Some(now) = self.watch(&c.id, Duration::from_secs(3600), |n| {
                !n.state.running
                    || (was_running
                        && (n.state.finished_at != finished || n.state.started_at != started))
            })?
            else {
                return Ok(c.state.exit_code);
            };
            if !now.state.running || now.state.finished_at != finished {
                return Ok(now.state.exit_code);
            }
        }
    }

    /// `docker container prune`: removes every stopped container (with `until=`/`label=`
    /// filters).
    pub fn containers_prune(
        &self,
        filters: &super::super::filters::Filters,
    ) -> super::super::Result<ContainerPruneReport> {
        filters.validate(&["until", "label", "label!"])?;
        let now = self.clock.now();
        let until = filters.until(now, jiff::tz::TimeZone::system().to_offset(now))?;
        let mut report = ContainerPruneReport::default();
        let mut list = self.containers().list();
        list.sort_by(|a, b| b.created.cmp(&a.created));
        for c in list {
            if c.state.running {
                continue;
            }
            if let Some(u) = until
                && c.created.parse::<jiff::Timestamp>().is_ok_and(|t| t >= u)
            {
                continue;
            }
            if !filters.match_labels(c.config.labels.as_ref().unwrap_or(&Default::default())) {
                continue;
            }
            report.space_reclaimed += self.container_rw_size(&c);
            self.remove_record(&c.id)?;
            report.deleted.push(c.id);
        }
        Ok(report)
    }
}
