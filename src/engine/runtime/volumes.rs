//! Local volumes: directories under `var/lib/docker/volumes/<name>/_data`, as dockerd's `local`
//! driver keeps them. Named volumes (`-v name:/x`, `docker volume create`) live until removed;
//! anonymous ones (`-v /x`, an image's `VOLUME` with no `-v` for it) get a 64-hex name and go with
//! their container on `docker rm -v`. A volume is *in use* while a container's `MountPoints`
//! names it, running or not, as in Docker. This module owns the volumes directory; it never
//! touches a container's record (callers pass the mount points they hold).

use std::path::PathBuf;

use super::super::Engine;
use super::error::{RuntimeError, io_at};
use super::record::MountPoint;

/// The directory Docker's `Source` names for volume `name` (virtual, below the home).
pub fn source_of(name: &str) -> String {
    format!("/var/lib/docker/volumes/{name}/_data")
}

/// Whether `name` is a valid local volume name (`[a-zA-Z0-9][a-zA-Z0-9_.-]`, two or more).
pub fn valid_name(name: &str) -> bool {
    name.len() >= 2
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

impl Engine {
    /// The real `_data` directory of volume `name`.
    pub fn volume_data(&self, name: &str) -> PathBuf {
        self.paths().volumes().join(name).join("_data")
    }

    /// Creates volume `name` (nothing happens if it exists) and returns its real `_data`.
    pub fn volume_ensure(&self, name: &str) -> Result<PathBuf, RuntimeError> {
        let data = self.volume_data(name);
        std::fs::create_dir_all(&data).map_err(io_at(&data))?;
        Ok(data)
    }

    /// The anonymous-volume mount points for the image's `VOLUME`s that no `-v` covers.
    pub fn anonymous_volumes(
        &self,
        image_volumes: impl IntoIterator<Item = String>,
        given: &[MountPoint],
    ) -> Result<Vec<MountPoint>, RuntimeError> {
        let mut out = Vec::new();
        for dest in image_volumes {
            let norm = format!("/{}", dest.trim_matches('/'));
            if given
                .iter()
                .any(|m| m.destination.trim_end_matches('/') == norm)
            {
                continue;
            }
            let name = self.rng.hex(32);
            self.volume_ensure(&name)?;
            out.push(MountPoint {
                kind: "volume".into(),
                name: name.clone(),
                source: source_of(&name),
                destination: dest,
                rw: true,
                mode: String::new(),
                named: false,
            });
        }
        Ok(out)
    }

    /// `rm -v`: removes the container's anonymous volumes that no other container uses.
    pub(crate) fn remove_anonymous_volumes(&self, id: &str, mounts: &[MountPoint]) {
        let others = self.containers().list();
        for m in mounts {
            if m.kind != "volume" || m.named || m.name.is_empty() {
                continue;
            }
            let used = others
                .iter()
                .any(|o| o.id != id && o.mount_points.values().any(|om| om.name == m.name));
            if !used && valid_name(&m.name) {
                let _ = std::fs::remove_dir_all(self.paths().volumes().join(&m.name));
            }
        }
    }
}

/// The marker of a volume made by `docker volume create`: Docker shows its `Labels` and
/// `Options` as `{}` (the client sends empty maps), where a volume a `-v` made has `null`.
const CREATED_MARKER: &str = "drydock-created";

/// One volume as `docker volume ls` and `inspect` show it.
#[derive(Debug, Clone)]
pub struct VolumeInfo {
    pub name: String,
    /// RFC 3339, seconds, UTC (the directory's time, as the local driver reports it).
    pub created_at: String,
    /// Made by `docker volume create` (empty maps rather than null).
    pub explicit: bool,
}

impl VolumeInfo {
    /// Docker's `Volume` JSON.
    pub fn to_json(&self) -> serde_json::Value {
        let maps = if self.explicit {
            serde_json::json!({})
        } else {
            serde_json::Value::Null
        };
        serde_json::json!({
            "CreatedAt": self.created_at,
            "Driver": "local",
            "Labels": maps.clone(),
            "Mountpoint": source_of(&self.name),
            "Name": self.name,
            "Options": maps,
            "Scope": "local",
        })
    }
}

/// Why a volume operation failed, in dockerd's words (the CLI prefixes them).
#[derive(Debug, PartialEq, Eq)]
pub enum VolumeError {
    NoSuch(String),
    InUse { name: String, users: Vec<String> },
    BadName(String),
    Io(String),
}

impl std::fmt::Display for VolumeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VolumeError::NoSuch(n) => write!(f, "No such volume: {n}"),
            VolumeError::InUse { name, users } => write!(
                f,
                "remove {name}: volume is in use - [{}]",
                users.join(", ")
            ),
            VolumeError::BadName(n) if n.len() < 2 => write!(
                f,
                "create {n}: volume name is too short, names should be at least two alphanumeric characters"
            ),
            VolumeError::BadName(n) => write!(
                f,
                "create {n}: \"{n}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path"
            ),
            VolumeError::Io(e) => f.write_str(e),
        }
    }
}

fn dir_size(p: &std::path::Path) -> u64 {
    let Ok(md) = std::fs::symlink_metadata(p) else {
        return 0;
    };
    if !md.is_dir() {
        return md.len();
    }
    std::fs::read_dir(p)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| dir_size(&e.path())).sum())
        .unwrap_or(0)
}

impl Engine {
    /// Every volume, by name.
    pub fn volume_list(&self) -> Vec<VolumeInfo> {
        let mut out: Vec<VolumeInfo> = std::fs::read_dir(self.paths().volumes())
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .filter_map(|e| e.file_name().to_str().map(str::to_string))
                    .filter_map(|n| self.volume_get(&n).ok())
                    .collect()
            })
            .unwrap_or_default();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    /// Volume `name`.
    pub fn volume_get(&self, name: &str) -> Result<VolumeInfo, VolumeError> {
        let dir = self.paths().volumes().join(name);
        let md = std::fs::metadata(dir.join("_data"))
            .ok()
            .filter(|m| valid_name(name) && m.is_dir())
            .ok_or_else(|| VolumeError::NoSuch(name.to_string()))?;
        let created_at = md
            .modified()
            .ok()
            .and_then(|t| jiff::Timestamp::try_from(t).ok())
            .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default();
        Ok(VolumeInfo {
            name: name.to_string(),
            created_at,
            explicit: dir.join(CREATED_MARKER).exists(),
        })
    }

    /// The containers (full IDs) whose mounts name volume `name`, running or not.
    pub fn volume_users(&self, name: &str) -> Vec<String> {
        self.containers()
            .list()
            .into_iter()
            .filter(|c| c.mount_points.values().any(|m| m.name == name))
            .map(|c| c.id)
            .collect()
    }

    /// `docker volume create [NAME]`: a random 64-hex name when none; an existing volume is
    /// kept as it is.
    pub fn volume_create(&self, name: Option<&str>) -> Result<String, VolumeError> {
        let name = match name {
            Some(n) => n.to_string(),
            None => self.rng.hex(32),
        };
        if !valid_name(&name) {
            return Err(VolumeError::BadName(name));
        }
        if self.volume_get(&name).is_ok() {
            return Ok(name);
        }
        self.volume_ensure(&name)
            .map_err(|e| VolumeError::Io(e.to_string()))?;
        let marker = self.paths().volumes().join(&name).join(CREATED_MARKER);
        std::fs::write(&marker, b"").map_err(|e| VolumeError::Io(e.to_string()))?;
        Ok(name)
    }

    /// `docker volume rm [-f] NAME`: refused while a container uses it; `force` makes a missing
    /// volume no error.
    pub fn volume_remove(&self, name: &str, force: bool) -> Result<(), VolumeError> {
        let v = match self.volume_get(name) {
            Ok(v) => v,
            Err(_) if force => return Ok(()),
            Err(e) => return Err(e),
        };
        let users = self.volume_users(&v.name);
        if !users.is_empty() {
            return Err(VolumeError::InUse {
                name: v.name,
                users,
            });
        }
        let dir = self.paths().volumes().join(&v.name);
        std::fs::remove_dir_all(&dir).map_err(|e| VolumeError::Io(e.to_string()))
    }

    /// `docker volume prune`: removes every volume no container uses (Docker 20.10 prunes named
    /// ones too); returns their names and the space they held.
    pub fn volume_prune(&self) -> (Vec<String>, u64) {
        let mut deleted = Vec::new();
        let mut space = 0;
        for v in self.volume_list() {
            if !self.volume_users(&v.name).is_empty() {
                continue;
            }
            let dir = self.paths().volumes().join(&v.name);
            let size = dir_size(&dir.join("_data"));
            if std::fs::remove_dir_all(&dir).is_ok() {
                space += size;
                deleted.push(v.name);
            }
        }
        (deleted, space)
    }
}
