//! The daemon's life: whether it is up, what booting does (read daemon.json, bring back the
//! containers their restart policies ask for) and what shutting down does (stop every container).
//!
//! The daemon lives inside drydock: the REPL boots it when it starts and shuts it down when it
//! ends; `systemctl`/`service` in the shell do both on demand; a one-shot command boots a daemon
//! that is down (never booted, or ended with a shell), but not one stopped on purpose. The state
//! is one file, `var/lib/docker/drydock-daemon.json`, read by every supervisor before it restarts
//! anything, so a shutdown is never undone by a restart policy.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::super::Engine;
use super::super::config::{ConfigError, DaemonConfig};
use super::error::RuntimeError;
use super::record::ShimLock;
use super::restart::restart_at_daemon_start;
use super::sys::parse_signal;

/// Whether the daemon is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DaemonStatus {
    Running,
    /// Shutting down: containers are being stopped; nothing restarts.
    Stopping,
    /// Stopped on purpose (`systemctl stop docker`): stays down until started.
    Stopped,
    /// Never booted, or ended with the shell: the next command boots it.
    Down,
}

#[derive(Debug, Serialize, Deserialize)]
struct StateFile {
    #[serde(rename = "Status")]
    status: DaemonStatus,
    #[serde(rename = "Since", default)]
    since: String,
    /// The storage driver daemon.json named when the daemon started (read only at start).
    #[serde(rename = "Driver", default)]
    driver: String,
}

/// What a boot did.
#[derive(Debug, Clone, Default)]
pub struct BootReport {
    /// Containers started again by their restart policy.
    pub restarted: Vec<String>,
}

/// Storage drivers dockerd knows (drydock stores every one as plain directories).
const DRIVERS: &[&str] = &[
    "overlay2",
    "overlay",
    "fuse-overlayfs",
    "vfs",
    "devicemapper",
    "btrfs",
    "zfs",
    "aufs",
];

impl Engine {
    fn daemon_file(&self) -> std::path::PathBuf {
        self.paths().data_root().join("drydock-daemon.json")
    }

    /// The daemon's status (a missing or unreadable file is `Down`).
    /// The storage driver the running daemon started with (`None` when it is not running).
    pub fn daemon_driver(&self) -> Option<String> {
        running_daemon_driver(&self.paths().data_root())
    }

    pub fn daemon_status(&self) -> DaemonStatus {
        std::fs::read(self.daemon_file())
            .ok()
            .and_then(|b| serde_json::from_slice::<StateFile>(&b).ok())
            .map_or(DaemonStatus::Down, |s| s.status)
    }

    /// True while the daemon is up.
    pub fn daemon_running(&self) -> bool {
        self.daemon_status() == DaemonStatus::Running
    }

    fn set_daemon_status(&self, status: DaemonStatus) -> Result<(), RuntimeError> {
        let p = self.daemon_file();
        let driver = DaemonConfig::load(&self.paths().daemon_json())
            .map(|c| c.driver().to_string())
            .unwrap_or_else(|_| self.paths().driver().to_string());
        let body = serde_json::to_vec(&StateFile {
            status,
            since: self.clock.now().to_string(),
            driver,
        })
        .unwrap_or_default();
        super::super::fsutil::write_atomic_nosync(&self.paths().tmp(), &p, &body)
            .map_err(super::error::io_at(&p))
    }

    /// Checks `/etc/docker/daemon.json` as dockerd does at start.
    pub fn check_daemon_config(&self) -> Result<DaemonConfig, ConfigError> {
        let cfg = DaemonConfig::load(&self.paths().daemon_json())?;
        if let Some(d) = cfg.storage_driver.as_deref().filter(|d| !d.is_empty())
            && !DRIVERS.contains(&d)
        {
            return Err(ConfigError {
                path: "/etc/docker/daemon.json".into(),
                reason: format!("error initializing graphdriver: driver not supported: {d}"),
            });
        }
        Ok(cfg)
    }

    /// Boots the daemon: checks daemon.json (an invalid file leaves it down, with dockerd's
    /// message), marks it up, and starts the containers whose supervisor is gone and whose
    /// restart policy asks for it (`always`; `unless-stopped` unless stopped by hand;
    /// `on-failure` after a failure). `RestartCount` does not grow for these.
    pub fn daemon_boot(&self) -> super::super::Result<BootReport> {
        if self.daemon_running() {
            return Ok(BootReport::default());
        }
        self.check_daemon_config()
            .map_err(|e| super::super::image::StoreError::InvalidArgument(e.to_string()))?;
        self.set_daemon_status(DaemonStatus::Running)?;
        let mut report = BootReport::default();
        let store = self.containers();
        for c in store.list() {
            if ShimLock::held(&store.shim_lock_path(&c.id)) {
                continue;
            }
            let mut c = c;
            if c.state.running {
                // Its supervisor died with the host: whatever is left of it goes too.
                if c.state.pid > 0 {
                    let _ = self
                        .runtime_settings()
                        .sys
                        .kill_group(c.state.pid, libc::SIGKILL);
                }
                let at = self.clock.now().to_string();
                c = store.update(&c.id, |c| {
                    // A pending restart keeps the exit that caused it; a process cut off with its
                    // host counts as killed.
                    if !c.state.restarting {
                        c.state.exit_code = 137;
                    }
                    c.state.running = false;
                    c.state.restarting = false;
                    c.state.paused = false;
                    c.state.pid = 0;
                    c.state.finished_at = at;
                    c.ip_address.clear();
                    Ok(c.clone())
                })?;
            }
            if restart_at_daemon_start(
                &c.host_config.restart_policy,
                c.has_been_started_before,
                c.has_been_manually_stopped,
                c.state.exit_code,
                c.restart_count,
            ) && self.start_detached(&c.id, false, false).is_ok()
            {
                report.restarted.push(c.id.clone());
            }
        }
        Ok(report)
    }

    /// Shuts the daemon down: every running container gets its stop signal and, after its stop
    /// timeout capped at the runtime's shutdown grace (1 s), SIGKILL; then the daemon is marked
    /// `to` (`Stopped` or `Down`).
    pub fn daemon_shutdown(&self, to: DaemonStatus) -> super::super::Result<()> {
        if self.daemon_status() != DaemonStatus::Running {
            if self.daemon_status() != to {
                self.set_daemon_status(to)?;
            }
            return Ok(());
        }
        self.set_daemon_status(DaemonStatus::Stopping)?;
        let grace = self.runtime_settings().shutdown_grace;
        let running: Vec<_> = self
            .containers()
            .list()
            .into_iter()
            .filter(|c| c.state.running)
            .collect();
        std::thread::scope(|s| {
            for c in &running {
                s.spawn(move || {
                    let sig = parse_signal(c.stop_signal()).unwrap_or(libc::SIGTERM);
                    let wanted = c.config.stop_timeout.unwrap_or(10).max(0) as u64;
                    let secs = Duration::from_secs(wanted).min(grace);
                    let _ = self.stop_for_shutdown(c, sig, secs);
                });
            }
        });
        self.set_daemon_status(to)?;
        Ok(())
    }

    fn stop_for_shutdown(
        &self,
        c: &super::record::Container,
        sig: i32,
        grace: Duration,
    ) -> Result<(), RuntimeError> {
        // Whole seconds for the usual path; a sub-second grace (tests) goes straight to the
        // signal and then SIGKILL.
        self.stop_with(c, sig, grace.as_secs() as i64)
    }
}

/// The storage driver of a daemon that is running over `data_root`, from its state file.
pub fn running_daemon_driver(data_root: &std::path::Path) -> Option<String> {
    std::fs::read(data_root.join("drydock-daemon.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<StateFile>(&b).ok())
        .filter(|f| f.status == DaemonStatus::Running)
        .map(|f| f.driver)
        .filter(|d| !d.is_empty())
}
