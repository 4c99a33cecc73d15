//! Container records as dockerd keeps them: `containers/<id>/config.v2.json` (the container) and
//! `containers/<id>/hostconfig.json` (its host configuration), each replaced atomically.
//!
//! A record changes under the containers lock (`var/lib/docker/drydock-containers.lock`), taken by
//! [`ContainerStore::update`] for each read-modify-write, so the CLI and a supervisor never lose
//! each other's changes. A supervisor also holds its container's shim lock
//! (`containers/<id>/drydock-shim.lock`) for as long as it watches the process: the daemon knows a
//! container is orphaned when that lock is free.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::super::fsutil;
use super::super::oci::ContainerConfig;
use super::super::paths::Paths;
use super::error::{RuntimeError, io_at};
use super::restart::RestartPolicy;
use super::spec::PortBinding;

/// Go's zero `time.Time`, as dockerd prints it.
pub const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

fn zero_time() -> String {
    ZERO_TIME.into()
}

/// `State` of config.v2.json (inspect adds `Status`, computed by [`State::status`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct State {
    #[serde(default)]
    pub running: bool,
    #[serde(default)]
    pub paused: bool,
    #[serde(default)]
    pub restarting: bool,
    #[serde(default, rename = "OOMKilled")]
    pub oom_killed: bool,
    #[serde(default)]
    pub removal_in_progress: bool,
    #[serde(default)]
    pub dead: bool,
    #[serde(default)]
    pub pid: i32,
    #[serde(default)]
    pub exit_code: i32,
    #[serde(default)]
    pub error: String,
    #[serde(default = "zero_time")]
    pub started_at: String,
    #[serde(default = "zero_time")]
    pub finished_at: String,
    /// The health check's state; `None` for a container without one (or one that never ran).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health: Option<Health>,
}

/// `State.Health`: dockerd's `types.Health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Health {
    /// `starting`, `healthy` or `unhealthy`.
    pub status: String,
    pub failing_streak: i64,
    /// The last five probe results, oldest first.
    #[serde(default)]
    pub log: Vec<HealthResult>,
}

/// One probe's result (`types.HealthcheckResult`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HealthResult {
    pub start: String,
    pub end: String,
    pub exit_code: i32,
    pub output: String,
}

impl Default for State {
    fn default() -> Self {
        State {
            running: false,
            paused: false,
            restarting: false,
            oom_killed: false,
            removal_in_progress: false,
            dead: false,
            pid: 0,
            exit_code: 0,
            error: String::new(),
            started_at: zero_time(),
            finished_at: zero_time(),
            health: None,
        }
    }
}

impl State {
    /// dockerd's `StateString`: `created`, `running`, `paused`, `restarting`, `removing`,
    /// `exited`, `dead`.
    pub fn status(&self) -> &'static str {
        if self.running {
            if self.paused {
                return "paused";
            }
            if self.restarting {
                return "restarting";
            }
            return "running";
        }
        if self.removal_in_progress {
            return "removing";
        }
        if self.dead {
            return "dead";
        }
        if self.started_at == ZERO_TIME {
            return "created";
        }
        "exited"
    }

    /// True while a process runs or a restart is pending.
    pub fn is_active(&self) -> bool {
        self.running
    }
}

/// `HostConfig.LogConfig`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogConfig {
    #[serde(rename = "Type")]
    pub kind: String,
    #[serde(rename = "Config")]
    pub config: BTreeMap<String, String>,
}

/// `hostconfig.json`: every field dockerd 20.10 writes, in its order (inspect shows them as they
/// are). Most are Docker's defaults for a container on the default bridge; drydock acts on
/// `Binds`, `PortBindings`, `RestartPolicy`, `AutoRemove`, `PublishAllPorts` and `Init`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HostConfig {
    pub binds: Option<Vec<String>>,
    #[serde(rename = "ContainerIDFile")]
    pub container_id_file: String,
    pub log_config: LogConfig,
    pub network_mode: String,
    pub port_bindings: BTreeMap<String, Vec<PortBinding>>,
    pub restart_policy: RestartPolicy,
    pub auto_remove: bool,
    pub volume_driver: String,
    pub volumes_from: Option<Vec<String>>,
    pub cap_add: Option<Vec<String>>,
    pub cap_drop: Option<Vec<String>>,
    pub cgroupns_mode: String,
    pub dns: Vec<String>,
    pub dns_options: Vec<String>,
    pub dns_search: Vec<String>,
    pub extra_hosts: Option<Vec<String>>,
    pub group_add: Option<Vec<String>>,
    pub ipc_mode: String,
    pub cgroup: String,
    pub links: Option<Vec<String>>,
    pub oom_score_adj: i64,
    pub pid_mode: String,
    pub privileged: bool,
    pub publish_all_ports: bool,
    pub readonly_rootfs: bool,
    pub security_opt: Option<Vec<String>>,
    #[serde(rename = "UTSMode")]
    pub uts_mode: String,
    pub userns_mode: String,
    pub shm_size: i64,
    pub runtime: String,
    pub console_size: [u32; 2],
    pub isolation: String,
    pub cpu_shares: i64,
    pub memory: i64,
    pub nano_cpus: i64,
    pub cgroup_parent: String,
    pub blkio_weight: i64,
    pub blkio_weight_device: Vec<serde_json::Value>,
    pub blkio_device_read_bps: Option<Vec<serde_json::Value>>,
    pub blkio_device_write_bps: Option<Vec<serde_json::Value>>,
    #[serde(rename = "BlkioDeviceReadIOps")]
    pub blkio_device_read_iops: Option<Vec<serde_json::Value>>,
    #[serde(rename = "BlkioDeviceWriteIOps")]
    pub blkio_device_write_iops: Option<Vec<serde_json::Value>>,
    pub cpu_period: i64,
    pub cpu_quota: i64,
    pub cpu_realtime_period: i64,
    pub cpu_realtime_runtime: i64,
    pub cpuset_cpus: String,
    pub cpuset_mems: String,
    pub devices: Vec<serde_json::Value>,
    pub device_cgroup_rules: Option<Vec<String>>,
    pub device_requests: Option<Vec<serde_json::Value>>,
    pub kernel_memory: i64,
    #[serde(rename = "KernelMemoryTCP")]
    pub kernel_memory_tcp: i64,
    pub memory_reservation: i64,
    pub memory_swap: i64,
    pub memory_swappiness: Option<i64>,
    pub oom_kill_disable: bool,
    pub pids_limit: Option<i64>,
    pub ulimits: Option<Vec<serde_json::Value>>,
    pub cpu_count: i64,
    pub cpu_percent: i64,
    #[serde(rename = "IOMaximumIOps")]
    pub io_maximum_iops: i64,
    #[serde(rename = "IOMaximumBandwidth")]
    pub io_maximum_bandwidth: i64,
    pub masked_paths: Vec<String>,
    pub readonly_paths: Vec<String>,
    /// `--init` (`--init=false` records `false`); absent when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init: Option<bool>,
}

impl Default for HostConfig {
    fn default() -> Self {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<String>>();
        HostConfig {
            binds: None,
            container_id_file: String::new(),
            log_config: LogConfig {
                kind: "json-file".into(),
                config: BTreeMap::new(),
            },
            network_mode: "default".into(),
            port_bindings: BTreeMap::new(),
            restart_policy: RestartPolicy::default(),
            auto_remove: false,
            volume_driver: String::new(),
            volumes_from: None,
            cap_add: None,
            cap_drop: None,
            cgroupns_mode: "host".into(),
            dns: vec![],
            dns_options: vec![],
            dns_search: vec![],
            extra_hosts: None,
            group_add: None,
            ipc_mode: "private".into(),
            cgroup: String::new(),
            links: None,
            oom_score_adj: 0,
            pid_mode: String::new(),
            privileged: false,
            publish_all_ports: false,
            readonly_rootfs: false,
            security_opt: None,
            uts_mode: String::new(),
            userns_mode: String::new(),
            shm_size: 67_108_864,
            runtime: "runc".into(),
            console_size: [0, 0],
            isolation: String::new(),
            cpu_shares: 0,
            memory: 0,
            nano_cpus: 0,
            cgroup_parent: String::new(),
            blkio_weight: 0,
            blkio_weight_device: vec![],
            blkio_device_read_bps: None,
            blkio_device_write_bps: None,
            blkio_device_read_iops: None,
            blkio_device_write_iops: None,
            cpu_period: 0,
            cpu_quota: 0,
            cpu_realtime_period: 0,
            cpu_realtime_runtime: 0,
            cpuset_cpus: String::new(),
            cpuset_mems: String::new(),
            devices: vec![],
            device_cgroup_rules: None,
            device_requests: None,
            kernel_memory: 0,
            kernel_memory_tcp: 0,
            memory_reservation: 0,
            memory_swap: 0,
            memory_swappiness: None,
            oom_kill_disable: false,
            pids_limit: None,
            ulimits: None,
            cpu_count: 0,
            cpu_percent: 0,
            io_maximum_iops: 0,
            io_maximum_bandwidth: 0,
            masked_paths: s(&[
                "/proc/asound",
                "/proc/acpi",
                "/proc/kcore",
                "/proc/keys",
                "/proc/latency_stats",
                "/proc/timer_list",
                "/proc/timer_stats",
                "/proc/sched_debug",
                "/proc/scsi",
                "/sys/firmware",
            ]),
            readonly_paths: s(&[
                "/proc/bus",
                "/proc/fs",
                "/proc/irq",
                "/proc/sys",
                "/proc/sysrq-trigger",
            ]),
            init: None,
        }
    }
}

/// One mount of a container (`-v`), as `MountPoints` in config.v2.json and `Mounts` in inspect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MountPoint {
    /// `bind` or `volume`.
    #[serde(rename = "Type")]
    pub kind: String,
    /// The volume's name (named volumes only).
    #[serde(rename = "Name", default)]
    pub name: String,
    /// The source as the daemon sees it (`/root/site`, `/var/lib/docker/volumes/x/_data`).
    #[serde(rename = "Source")]
    pub source: String,
    #[serde(rename = "Destination")]
    pub destination: String,
    #[serde(rename = "RW")]
    pub rw: bool,
    #[serde(rename = "Mode", default)]
    pub mode: String,
    /// A named volume (`-v name:/x`); anonymous ones (`-v /x`, an image's `VOLUME`) are not, and
    /// `rm -v` removes only those, as dockerd's `MountPoint.Named`.
    #[serde(rename = "Named", default)]
    pub named: bool,
}

/// config.v2.json: the container, in dockerd's field order. `Drydock*` fields are drydock's own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Container {
    #[serde(default)]
    pub stream_config: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    pub state: State,
    #[serde(rename = "ID")]
    pub id: String,
    pub created: String,
    #[serde(default)]
    pub managed: bool,
    pub path: String,
    pub args: Vec<String>,
    pub config: ContainerConfig,
    /// `sha256:<hex>` of the image.
    pub image: String,
    pub log_path: String,
    /// `/name`.
    pub name: String,
    pub driver: String,
    #[serde(rename = "OS")]
    pub os: String,
    #[serde(default)]
    pub restart_count: i64,
    #[serde(default)]
    pub has_been_started_before: bool,
    #[serde(default)]
    pub has_been_manually_stopped: bool,
    #[serde(default)]
    pub mount_points: BTreeMap<String, MountPoint>,
    #[serde(default)]
    pub hostname_path: String,
    #[serde(default)]
    pub hosts_path: String,
    #[serde(default)]
    pub resolv_conf_path: String,
    /// The writable layer's directory name under `<driver>/` (dockerd keeps it in
    /// `layerdb/mounts/<id>/mount-id`, which drydock also writes).
    #[serde(rename = "DrydockMountID", default)]
    pub mount_id: String,
    /// The address on the emulated default bridge while running.
    #[serde(rename = "DrydockIPAddress", default)]
    pub ip_address: String,
    #[serde(skip)]
    pub host_config: HostConfig,
}

impl Container {
    /// The name without its leading `/`.
    pub fn short_name(&self) -> &str {
        self.name.strip_prefix('/').unwrap_or(&self.name)
    }
    /// The first 12 hex digits of the ID.
    pub fn short_id(&self) -> &str {
        self.id.get(..12).unwrap_or(&self.id)
    }
    /// The stop signal: `--stop-signal`, else the image's `STOPSIGNAL`, else SIGTERM.
    pub fn stop_signal(&self) -> &str {
        if self.config.stop_signal.is_empty() {
            "SIGTERM"
        } else {
            &self.config.stop_signal
        }
    }
}

/// The records under `var/lib/docker/containers`.
#[derive(Debug, Clone)]
pub struct ContainerStore {
    paths: Paths,
}

/// Holds the containers lock until dropped.
pub struct RecordLock {
    _file: File,
}

fn is_id(name: &str) -> bool {
    name.len() == 64
        && name
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl ContainerStore {
    pub fn new(paths: Paths) -> Self {
        ContainerStore { paths }
    }

    pub fn root(&self) -> PathBuf {
        self.paths.data_root().join("containers")
    }
    pub fn dir(&self, id: &str) -> PathBuf {
        self.root().join(id)
    }
    pub fn config_path(&self, id: &str) -> PathBuf {
        self.dir(id).join("config.v2.json")
    }
    pub fn host_config_path(&self, id: &str) -> PathBuf {
        self.dir(id).join("hostconfig.json")
    }
    pub fn log_path(&self, id: &str) -> PathBuf {
        self.dir(id).join(format!("{id}-json.log"))
    }
    /// The process spec of the container's main process.
    pub fn spec_path(&self, id: &str) -> PathBuf {
        self.dir(id).join("drydock-init.json")
    }
    /// Where the init reports a command that could not be started.
    pub fn start_error_path(&self, id: &str) -> PathBuf {
        self.dir(id).join("drydock-start-error")
    }
    pub fn shim_lock_path(&self, id: &str) -> PathBuf {
        self.dir(id).join("drydock-shim.lock")
    }
    /// The container's writable layer directory (`<driver>/<mount id>`).
    pub fn layer_dir(&self, mount_id: &str) -> PathBuf {
        self.paths.driver_root().join(mount_id)
    }
    /// The container's root filesystem (`<driver>/<mount id>/merged`).
    pub fn rootfs(&self, c: &Container) -> PathBuf {
        self.layer_dir(&c.mount_id).join("merged")
    }
    pub fn mount_id_path(&self, id: &str) -> PathBuf {
        self.paths
            .image_root()
            .join("layerdb/mounts")
            .join(id)
            .join("mount-id")
    }
    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    /// Takes the containers lock (waits for it: holders keep it for one small update).
    pub fn lock(&self) -> Result<RecordLock, RuntimeError> {
        let p = self.paths.data_root().join("drydock-containers.lock");
        if let Some(d) = p.parent() {
            fs::create_dir_all(d).map_err(io_at(d))?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&p)
            .map_err(io_at(&p))?;
        file.lock().map_err(io_at(&p))?;
        Ok(RecordLock { _file: file })
    }

    /// Every container ID with a record.
    pub fn ids(&self) -> Vec<String> {
        let Ok(rd) = fs::read_dir(self.root()) else {
            return vec![];
        };
        let mut ids: Vec<String> = rd
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| is_id(n))
            .filter(|n| self.config_path(n).is_file())
            .collect();
        ids.sort();
        ids
    }

    /// Every readable record of the current storage driver (others are invisible, as in Docker).
    pub fn list(&self) -> Vec<Container> {
        self.ids()
            .iter()
            .filter_map(|id| self.load(id).ok())
            .filter(|c| c.driver == self.paths.driver())
            .collect()
    }

    /// Loads one record.
    pub fn load(&self, id: &str) -> Result<Container, RuntimeError> {
        let p = self.config_path(id);
        let bytes = match fs::read(&p) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(RuntimeError::NoSuchContainer(id.to_string()));
            }
            Err(e) => return Err(io_at(&p)(e)),
        };
        let mut c: Container =
            serde_json::from_slice(&bytes).map_err(|e| RuntimeError::Corrupt {
                path: p.clone(),
                what: e.to_string(),
            })?;
        let hp = self.host_config_path(id);
        if let Ok(b) = fs::read(&hp) {
            c.host_config = serde_json::from_slice(&b).map_err(|e| RuntimeError::Corrupt {
                path: hp.clone(),
                what: e.to_string(),
            })?;
        }
        Ok(c)
    }

    /// Writes both files atomically (the caller holds the lock). A record whose directory has
    /// gone (removed meanwhile) is not written again.
    pub fn save(&self, c: &Container) -> Result<(), RuntimeError> {
        let dir = self.dir(&c.id);
        if !dir.is_dir() {
            return Err(RuntimeError::NoSuchContainer(c.id.clone()));
        }
        let tmp = self.paths.tmp();
        let hc = serde_json::to_vec(&c.host_config).unwrap_or_default();
        let hp = self.host_config_path(&c.id);
        fsutil::write_atomic_nosync(&tmp, &hp, &hc).map_err(io_at(&hp))?;
        let cfg = serde_json::to_vec(c).unwrap_or_default();
        let p = self.config_path(&c.id);
        fsutil::write_atomic_nosync(&tmp, &p, &cfg).map_err(io_at(&p))
    }

    /// Creates the record's directory and writes it.
    pub fn create(&self, c: &Container) -> Result<(), RuntimeError> {
        let dir = self.dir(&c.id);
        fs::create_dir_all(&dir).map_err(io_at(&dir))?;
        self.save(c)
    }

    /// Read-modify-write of one record under the lock.
    pub fn update<T>(
        &self,
        id: &str,
        f: impl FnOnce(&mut Container) -> Result<T, RuntimeError>,
    ) -> Result<T, RuntimeError> {
        let _lock = self.lock()?;
        let mut c = self.load(id)?;
        let out = f(&mut c)?;
        self.save(&c)?;
        Ok(out)
    }

    /// Removes the record, its writable layer and its mount-id file.
    pub fn remove(&self, c: &Container) -> Result<(), RuntimeError> {
        let dir = self.dir(&c.id);
        fsutil::remove_dir_if_exists(&dir).map_err(io_at(&dir))?;
        if !c.mount_id.is_empty() {
            let l = self.layer_dir(&c.mount_id);
            fsutil::remove_dir_if_exists(&l).map_err(io_at(&l))?;
        }
        let m = self.mount_id_path(&c.id);
        if let Some(d) = m.parent() {
            fsutil::remove_dir_if_exists(d).map_err(io_at(d))?;
        }
        Ok(())
    }

    /// Finds a container as dockerd's `GetContainer` does: a full ID, a name, then a unique ID
    /// prefix.
    pub fn resolve(&self, arg: &str) -> Result<Container, RuntimeError> {
        let all = self.list();
        if let Some(c) = all.iter().find(|c| c.id == arg) {
            return Ok(c.clone());
        }
        let name = if arg.starts_with('/') {
            arg.to_string()
        } else {
            format!("/{arg}")
        };
        if let Some(c) = all.iter().find(|c| c.name == name) {
            return Ok(c.clone());
        }
        if !arg.is_empty() {
            let mut hits = all.iter().filter(|c| c.id.starts_with(arg));
            match (hits.next(), hits.next()) {
                (Some(c), None) => return Ok(c.clone()),
                (Some(_), Some(_)) => return Err(RuntimeError::AmbiguousPrefix(arg.to_string())),
                _ => {}
            }
        }
        Err(RuntimeError::NoSuchContainer(arg.to_string()))
    }
}

/// Holds a container's shim lock: while held, a supervisor watches the container.
pub struct ShimLock {
    _file: File,
}

impl ShimLock {
    /// Takes the lock if nobody holds it.
    pub fn try_take(path: &Path) -> Option<ShimLock> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .ok()?;
        match file.try_lock() {
            Ok(()) => Some(ShimLock { _file: file }),
            Err(_) => None,
        }
    }

    /// Whether some process holds the lock (a supervisor is alive). Never creates the file: a
    /// look while the container's directory is being deleted must not put it back.
    pub fn held(path: &Path) -> bool {
        match OpenOptions::new().write(true).open(path) {
            Ok(file) => file.try_lock().is_err(),
            Err(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_strings() {
        let mut s = State::default();
        assert_eq!(s.status(), "created");
        s.running = true;
        assert_eq!(s.status(), "running");
        s.paused = true;
        assert_eq!(s.status(), "paused");
        s.paused = false;
        s.restarting = true;
        assert_eq!(s.status(), "restarting");
        s.running = false;
        s.restarting = false;
        s.started_at = "2024-01-01T00:00:00Z".into();
        assert_eq!(s.status(), "exited");
    }

    #[test]
    fn host_config_keys_in_dockers_order() {
        let v = serde_json::to_value(HostConfig::default()).unwrap();
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys[0], "Binds");
        assert_eq!(keys[5], "RestartPolicy");
        assert_eq!(keys.last().unwrap().as_str(), "ReadonlyPaths");
        assert_eq!(keys.len(), 65);
    }
}
