//! Local volumes: directories under `var/lib/docker/volumes/<name>/_data`, as dockerd's `local`
//! driver keeps them. Named volumes (`-v name:/x`, `docker volume create`) live until removed;
//! anonymous ones (`-v /x`, an image's `VOLUME` with no `-v` for it) get a 64-hex name and go with
//! their container on `docker rm -v`. A volume is *in use* while a container's `MountPoints`
//! names it, running or not, as in Docker. This module owns the volumes directory; it never
//! touches a container's record (callers pass the mount points they hold).
//!
//! `docker volume create` records its labels and `local` driver options beside `_data` (dockerd
//! keeps them in `metadata.db`). Options are checked as the local driver checks them; a
//! `type=none,o=bind,device=DIR` volume is DIR itself in containers, the way the driver's bind
//! mount makes it. Other types (`tmpfs`, `nfs` …) are accepted and shown but mount as the
//! volume's own directory: drydock has no kernel mounts.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::super::filters::{FilterError, Filters, go_quote};
use super::super::image::owner;
use super::super::{Engine, ErrorKind};
use super::error::{RuntimeError, io_at};
use super::record::MountPoint;

/// The directory Docker's `Source` names for volume `name` (virtual, below the home).
pub fn source_of(name: &str) -> String {
    format!("/var/lib/docker/volumes/{name}/_data")
}

/// Copies the contents of directory `from` into directory `to`: files, directories and
/// symlinks with their modes, times and recorded owners (symlinks are copied, never followed).
fn copy_contents(from: &std::path::Path, to: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let src = e.path();
        let dst = to.join(e.file_name());
        let m = std::fs::symlink_metadata(&src)?;
        if m.file_type().is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&src)?, &dst)?;
            continue;
        }
        if m.is_dir() {
            std::fs::create_dir(&dst)?;
            copy_contents(&src, &dst)?;
        } else if m.is_file() {
            std::fs::copy(&src, &dst)?;
        } else {
            continue;
        }
        std::fs::set_permissions(
            &dst,
            std::fs::Permissions::from_mode(m.permissions().mode()),
        )?;
        let (uid, gid) = owner::get(&src);
        if (uid, gid) != (0, 0) {
            owner::set(&dst, uid, gid)?;
        }
        if let Ok(t) = m.modified() {
            let _ = std::fs::File::open(&dst).and_then(|f| f.set_modified(t));
        }
    }
    Ok(())
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

    /// Where a container's mount of volume `name` really is, and whether its options make it
    /// read-only: the volume's `_data`, or for a `type=none,o=bind` volume the host directory
    /// its `device` names, which must exist (the local driver's bind mount fails otherwise).
    pub(crate) fn volume_mount_source(&self, name: &str) -> Result<(PathBuf, bool), RuntimeError> {
        let Ok(v) = self.volume_get(name) else {
            return Ok((self.volume_data(name), false));
        };
        let Some(device) = v.bind_device() else {
            return Ok((self.volume_data(name), false));
        };
        let o = v
            .options
            .as_ref()
            .and_then(|o| o.get("o"))
            .cloned()
            .unwrap_or_default();
        let (flags, data) = mount_flags(&o);
        let real = self.paths().home().join(device.trim_start_matches('/'));
        if !real.is_dir() {
            return Err(RuntimeError::VolumeMount {
                path: source_of(name),
                device: device.to_string(),
                flags,
                data: if data.is_empty() {
                    String::new()
                } else {
                    format!(", data: {data}")
                },
            });
        }
        Ok((real, flags & MS_RDONLY != 0))
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

    /// dockerd's `populateVolumes` when a container starts: a volume mounted where the
    /// container's filesystem has a directory gets that directory's contents when the volume is
    /// empty, and its mode and owner every time (moby's `copyExistingContents` and
    /// `copyOwnership`), so `-v data:/tmp` is as writable as `/tmp` and `-v html:/usr/share/nginx/html`
    /// starts with the image's pages. Volumes bound to a host directory (`o=bind`) are left as
    /// they are.
    pub(crate) fn populate_volumes(
        &self,
        c: &super::record::Container,
    ) -> Result<(), RuntimeError> {
        let rootfs = self.containers().rootfs(c);
        for m in c.mount_points.values() {
            if m.kind != "volume" || m.name.is_empty() {
                continue;
            }
            let data = self.volume_data(&m.name);
            if self.volume_mount_source(&m.name)?.0 != data {
                continue;
            }
            let image_dir = super::user::in_scope(&rootfs, &m.destination);
            let Ok(meta) = std::fs::metadata(&image_dir) else {
                continue;
            };
            if !meta.is_dir() || image_dir == rootfs {
                continue;
            }
            std::fs::create_dir_all(&data).map_err(io_at(&data))?;
            let empty = std::fs::read_dir(&data)
                .map_err(io_at(&data))?
                .next()
                .is_none();
            if empty {
                copy_contents(&image_dir, &data).map_err(io_at(&data))?;
            }
            std::fs::set_permissions(&data, meta.permissions()).map_err(io_at(&data))?;
            let (uid, gid) = owner::get(&image_dir);
            owner::set(&data, uid, gid).map_err(io_at(&data))?;
        }
        Ok(())
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

/// The file beside `_data` where drydock keeps what dockerd keeps in its `metadata.db`: the
/// labels and driver options `docker volume create` was given.
const META_FILE: &str = "drydock-volume.json";

/// The marker older drydock versions left for a volume made by `docker volume create` (empty
/// labels and options); still read.
const LEGACY_MARKER: &str = "drydock-created";

/// The filters `docker volume ls` accepts (dockerd's `acceptedListFilters`).
const LIST_FILTERS: &[&str] = &["dangling", "driver", "label", "name"];

/// The filters `docker volume prune` accepts (20.10's `acceptedPruneFilters`).
const PRUNE_FILTERS: &[&str] = &["label", "label!"];

/// The options the local driver knows, and the ones each needs beside it.
const LOCAL_OPTIONS: &[&str] = &["device", "o", "size", "type"];
const REQUIRED_WITH: &[(&str, &[&str])] = &[
    ("device", &["type"]),
    ("o", &["device", "type"]),
    ("type", &["device"]),
];

const MS_RDONLY: u32 = 0x1;
const MS_BIND: u32 = 0x1000;
const MS_REC: u32 = 0x4000;

/// moby's `mount.ParseOptions` for the flags a bind volume can carry; the other words are the
/// mount's data, as the kernel would get them.
fn mount_flags(o: &str) -> (u32, String) {
    let mut flags = 0;
    let mut data = Vec::new();
    for w in o.split(',').filter(|w| !w.is_empty()) {
        match w {
            "bind" => flags |= MS_BIND,
            "rbind" => flags |= MS_BIND | MS_REC,
            "ro" => flags |= MS_RDONLY,
            "rw" => flags &= !MS_RDONLY,
            "defaults" => {}
            other => data.push(other),
        }
    }
    (flags, data.join(","))
}

/// What `docker volume create` was given: labels and driver options. A volume that `-v` made
/// has neither (Docker shows `null` for both); one that `volume create` made has both, empty
/// when none were given (`{}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VolumeMeta {
    pub labels: Option<BTreeMap<String, String>>,
    pub options: Option<BTreeMap<String, String>>,
}

/// One volume as `docker volume ls` and `inspect` show it.
#[derive(Debug, Clone)]
pub struct VolumeInfo {
    pub name: String,
    /// RFC 3339, seconds, UTC (the directory's time, as the local driver reports it).
    pub created_at: String,
    pub labels: Option<BTreeMap<String, String>>,
    pub options: Option<BTreeMap<String, String>>,
}

impl VolumeInfo {
    /// Docker's `Volume` JSON.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "CreatedAt": self.created_at,
            "Driver": "local",
            "Labels": self.labels,
            "Mountpoint": source_of(&self.name),
            "Name": self.name,
            "Options": self.options,
            "Scope": "local",
        })
    }

    /// The labels, an empty map when there are none.
    pub fn label_map(&self) -> BTreeMap<String, String> {
        self.labels.clone().unwrap_or_default()
    }

    /// The host directory a `type=none,o=bind` volume stands for (the local driver bind-mounts
    /// `device` over `_data` when a container mounts it).
    pub fn bind_device(&self) -> Option<&str> {
        let opts = self.options.as_ref()?;
        let o = opts.get("o")?;
        o.split(',')
            .any(|w| w == "bind" || w == "rbind")
            .then(|| opts.get("device").map(String::as_str))
            .flatten()
    }
}

/// What `docker volume create` asks for.
#[derive(Debug, Clone, Default)]
pub struct VolumeCreate {
    /// A random 64-hex name when `None`.
    pub name: Option<String>,
    /// `-d`; only `local` exists.
    pub driver: String,
    pub labels: BTreeMap<String, String>,
    /// `-o` options for the local driver.
    pub options: BTreeMap<String, String>,
}

/// Why a volume operation failed, in dockerd's words (the CLI prefixes them).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum VolumeError {
    #[error("No such volume: {0}")]
    NoSuch(String),
    #[error("remove {name}: volume is in use - [{}]", users.join(", "))]
    InUse { name: String, users: Vec<String> },
    #[error(
        "create {0}: volume name is too short, names should be at least two alphanumeric characters"
    )]
    NameTooShort(String),
    #[error(
        "create {0}: \"{0}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path"
    )]
    BadName(String),
    #[error(
        "create {name}: error looking up volume plugin {driver}: plugin \"{driver}\" not found"
    )]
    NoSuchDriver { name: String, driver: String },
    #[error("create {name}: invalid option: {}", go_quote(option))]
    InvalidOption { name: String, option: String },
    #[error("create {name}: missing required option: {}", go_quote(option))]
    MissingOption { name: String, option: String },
    #[error("create {name}: invalid size: '{size}'")]
    InvalidSize { name: String, size: String },
    #[error("create {0}: quota size requested but no quota support")]
    NoQuota(String),
    #[error(transparent)]
    Filter(#[from] FilterError),
    #[error("{0}")]
    Io(String),
}

impl VolumeError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            VolumeError::NoSuch(_) | VolumeError::NoSuchDriver { .. } => ErrorKind::NotFound,
            VolumeError::InUse { .. } => ErrorKind::Conflict,
            VolumeError::Io(_) => ErrorKind::Internal,
            _ => ErrorKind::InvalidArgument,
        }
    }
}

/// go-units' `RAMInBytes`: `512`, `1.5g`, `10 MiB`, `2kb` (binary multiples); `None` when it is
/// not a size.
fn ram_in_bytes(s: &str) -> Option<f64> {
    let digits_end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(digits_end);
    if num.is_empty() || num.starts_with('.') || num.ends_with('.') || num.contains("..") {
        return None;
    }
    let value: f64 = num
        .split('.')
        .take(2)
        .collect::<Vec<_>>()
        .join(".")
        .parse()
        .ok()?;
    let unit = unit.strip_prefix(' ').unwrap_or(unit).to_ascii_lowercase();
    let unit = unit.strip_suffix('b').unwrap_or(&unit);
    let unit = unit.strip_suffix('i').unwrap_or(unit);
    let shift = match unit {
        "" => 0,
        "k" => 10,
        "m" => 20,
        "g" => 30,
        "t" => 40,
        "p" => 50,
        _ => return None,
    };
    Some(value * (1u64 << shift) as f64)
}

/// The local driver's `validateOpts`: known keys, the keys each needs, then `size` (which
/// needs filesystem quotas this host does not have).
fn validate_options(name: &str, opts: &BTreeMap<String, String>) -> Result<(), VolumeError> {
    if let Some(bad) = opts.keys().find(|k| !LOCAL_OPTIONS.contains(&k.as_str())) {
        return Err(VolumeError::InvalidOption {
            name: name.to_string(),
            option: bad.clone(),
        });
    }
    for (opt, needs) in REQUIRED_WITH {
        if !opts.contains_key(*opt) {
            continue;
        }
        if let Some(missing) = needs.iter().find(|n| !opts.contains_key(**n)) {
            return Err(VolumeError::MissingOption {
                name: name.to_string(),
                option: missing.to_string(),
            });
        }
    }
    if let Some(size) = opts.get("size") {
        match ram_in_bytes(size) {
            None => {
                return Err(VolumeError::InvalidSize {
                    name: name.to_string(),
                    size: size.clone(),
                });
            }
            Some(n) if n > 0.0 => return Err(VolumeError::NoQuota(name.to_string())),
            Some(_) => {}
        }
    }
    Ok(())
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
    /// Every volume, by name (byte order; the CLI sorts for display).
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

    /// `docker volume ls --filter …`: dockerd's `filterVolumes` (`name` as a regular expression,
    /// `driver`, `label`, then `dangling` over what is left).
    pub fn volumes_filtered(&self, filters: &Filters) -> Result<Vec<VolumeInfo>, VolumeError> {
        filters.validate(LIST_FILTERS)?;
        let dangling = match filters.contains("dangling") {
            false => None,
            true if filters.exact_match("dangling", "true")
                || filters.exact_match("dangling", "1") =>
            {
                Some(true)
            }
            true if filters.exact_match("dangling", "false")
                || filters.exact_match("dangling", "0") =>
            {
                Some(false)
            }
            true => {
                return Err(
                    FilterError::invalid_values("dangling", &filters.get("dangling")).into(),
                );
            }
        };
        let mut out = Vec::new();
        for v in self.volume_list() {
            if filters.contains("name") && !filters.match_regex("name", &v.name) {
                continue;
            }
            if filters.contains("driver") && !filters.exact_match("driver", "local") {
                continue;
            }
            if filters.contains("label") && !filters.match_kv_list("label", &v.label_map()) {
                continue;
            }
            if let Some(d) = dangling
                && self.volume_users(&v.name).is_empty() != d
            {
                continue;
            }
            out.push(v);
        }
        Ok(out)
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
        let meta = match std::fs::read(dir.join(META_FILE)) {
            Ok(bytes) => serde_json::from_slice::<VolumeMeta>(&bytes)
                .map_err(|e| VolumeError::Io(format!("{}: {e}", dir.join(META_FILE).display())))?,
            Err(_) if dir.join(LEGACY_MARKER).exists() => VolumeMeta {
                labels: Some(BTreeMap::new()),
                options: Some(BTreeMap::new()),
            },
            Err(_) => VolumeMeta::default(),
        };
        Ok(VolumeInfo {
            name: name.to_string(),
            created_at,
            labels: meta.labels,
            options: meta.options,
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

    /// `docker volume create`: a random 64-hex name when none. The checks come in dockerd's
    /// order: the driver, the name, the driver's options. A volume that exists is kept as it is
    /// (its labels and options too), as in Docker 20.10.
    pub fn volume_create(&self, req: &VolumeCreate) -> Result<String, VolumeError> {
        let name = match &req.name {
            Some(n) => n.clone(),
            None => self.rng.hex(32),
        };
        if req.driver != "local" {
            return Err(VolumeError::NoSuchDriver {
                name,
                driver: req.driver.clone(),
            });
        }
        if name.len() < 2 {
            return Err(VolumeError::NameTooShort(name));
        }
        if !valid_name(&name) {
            return Err(VolumeError::BadName(name));
        }
        validate_options(&name, &req.options)?;
        if self.volume_get(&name).is_ok() {
            return Ok(name);
        }
        self.volume_ensure(&name)
            .map_err(|e| VolumeError::Io(e.to_string()))?;
        let meta = VolumeMeta {
            labels: Some(req.labels.clone()),
            options: Some(req.options.clone()),
        };
        let path = self.paths().volumes().join(&name).join(META_FILE);
        let bytes = serde_json::to_vec(&meta).map_err(|e| VolumeError::Io(e.to_string()))?;
        std::fs::write(&path, bytes)
            .map_err(|e| VolumeError::Io(format!("{}: {e}", path.display())))?;
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

    /// `docker volume prune [--filter label=…]`: removes every volume no container uses that
    /// the filters select (Docker 20.10 prunes named ones too). Volumes with driver options are
    /// never pruned: dockerd takes them as not really local. Returns the names and the space
    /// they held.
    pub fn volume_prune(&self, filters: &Filters) -> Result<(Vec<String>, u64), VolumeError> {
        filters.validate(PRUNE_FILTERS)?;
        let mut deleted = Vec::new();
        let mut space = 0;
        for v in self.volume_list() {
            if v.options.as_ref().is_some_and(|o| !o.is_empty())
                || !filters.match_labels(&v.label_map())
                || !self.volume_users(&v.name).is_empty()
            {
                continue;
            }
            let dir = self.paths().volumes().join(&v.name);
            let size = dir_size(&dir.join("_data"));
            if std::fs::remove_dir_all(&dir).is_ok() {
                space += size;
                deleted.push(v.name);
            }
        }
        Ok((deleted, space))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// Docker 20.10.24's answers to `docker volume create -o … NAME` (overlay2, no quotas).
    #[test]
    fn local_driver_options_as_dockerd_checks_them() {
        let check = |o: &[(&str, &str)]| validate_options("v", &opts(o)).map_err(|e| e.to_string());
        assert_eq!(check(&[]), Ok(()));
        assert_eq!(
            check(&[("type", "tmpfs"), ("device", "tmpfs"), ("o", "size=10m")]),
            Ok(())
        );
        assert_eq!(
            check(&[("foo", "bar")]),
            Err(r#"create v: invalid option: "foo""#.into())
        );
        assert_eq!(
            check(&[("", "x")]),
            Err(r#"create v: invalid option: """#.into())
        );
        assert_eq!(
            check(&[("type", "tmpfs")]),
            Err(r#"create v: missing required option: "device""#.into())
        );
        assert_eq!(
            check(&[("device", "x")]),
            Err(r#"create v: missing required option: "type""#.into())
        );
        assert_eq!(
            check(&[("o", "x")]),
            Err(r#"create v: missing required option: "device""#.into())
        );
        assert_eq!(
            check(&[("size", "1g")]),
            Err("create v: quota size requested but no quota support".into())
        );
        assert_eq!(
            check(&[("size", "1"), ("foo", "1")]),
            Err(r#"create v: invalid option: "foo""#.into())
        );
        assert_eq!(
            check(&[("size", "1"), ("type", "x")]),
            Err(r#"create v: missing required option: "device""#.into())
        );
        assert_eq!(check(&[("size", "0")]), Ok(()));
        assert_eq!(
            check(&[("size", "big")]),
            Err("create v: invalid size: 'big'".into())
        );
    }

    #[test]
    fn sizes_read_as_go_units() {
        assert_eq!(ram_in_bytes("512"), Some(512.0));
        assert_eq!(ram_in_bytes("1k"), Some(1024.0));
        assert_eq!(ram_in_bytes("1.5g"), Some(1.5 * 1024.0 * 1024.0 * 1024.0));
        assert_eq!(ram_in_bytes("10 MiB"), Some(10.0 * 1024.0 * 1024.0));
        assert_eq!(ram_in_bytes("2KB"), Some(2048.0));
        assert_eq!(ram_in_bytes("x"), None);
        assert_eq!(ram_in_bytes("1x"), None);
        assert_eq!(ram_in_bytes(""), None);
    }

    #[test]
    fn bind_options_read_as_moby_reads_them() {
        assert_eq!(mount_flags("bind"), (0x1000, String::new()));
        assert_eq!(mount_flags("rbind,ro"), (0x5001, String::new()));
        assert_eq!(mount_flags("bind,size=1m"), (0x1000, "size=1m".into()));
    }

    #[test]
    fn a_bind_volume_names_its_device() {
        let v = |o: &[(&str, &str)]| VolumeInfo {
            name: "v".into(),
            created_at: String::new(),
            labels: None,
            options: Some(opts(o)),
        };
        let bind = v(&[("type", "none"), ("o", "bind"), ("device", "/srv")]);
        assert_eq!(bind.bind_device(), Some("/srv"));
        let ro = v(&[("type", "none"), ("o", "ro,bind"), ("device", "/srv")]);
        assert_eq!(ro.bind_device(), Some("/srv"));
        let tmpfs = v(&[("type", "tmpfs"), ("o", "size=1m"), ("device", "tmpfs")]);
        assert_eq!(tmpfs.bind_device(), None);
    }
}
