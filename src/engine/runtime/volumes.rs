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
