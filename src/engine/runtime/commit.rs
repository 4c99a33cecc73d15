//! `docker diff`, `docker export` and `docker commit`: the container's filesystem against its
//! image, through `image::rootfs` (which owns the comparison and the tar formats).
//!
//! `commit` builds the new image's config as dockerd's `CreateImageFromContainer` does: the
//! `--change` lines applied to the container's config ([`changes::apply_to`]), then
//! [`merge`]d with it; the untouched container config becomes `ContainerConfig`. A running
//! container is frozen (SIGSTOP to its process group) while its changes are read, unless
//! `--pause=false`.

use super::super::Engine;
use super::super::archive::changes;
use super::super::digest::Digest;
use super::super::image::refs::Refs;
use super::super::image::rootfs::{self, Change};
use super::super::image::{Image, StoreError};
use super::super::oci::{ContainerConfig, History, ImageConfig};
use super::super::reference::Reference;
use super::record::Container;

/// What `docker commit` asks for.
#[derive(Debug, Clone, Default)]
pub struct CommitRequest {
    pub reference: Option<String>,
    pub author: String,
    pub message: String,
    /// `--change` lines (Dockerfile instructions), in order.
    pub changes: Vec<String>,
    pub pause: bool,
}

/// dockerd's `merge` (daemon/commit.go): fills what the changed config lacks from the
/// container's. Only `ENTRYPOINT` can leave gaps (it clears `Cmd`): an empty entrypoint gets the
/// container's command back, and nil labels become an empty map.
pub fn merge(user: &mut ContainerConfig, base: &ContainerConfig) {
    if user.user.is_empty() {
        user.user = base.user.clone();
    }
    match (&mut user.exposed_ports, &base.exposed_ports) {
        (Some(u), Some(b)) if !u.is_empty() => {
            for (k, v) in b {
                u.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        (u, b) if u.as_ref().is_none_or(|m| m.is_empty()) => *u = b.clone(),
        _ => {}
    }
    match &mut user.env {
        Some(env) if !env.is_empty() => {
            for kv in base.env.iter().flatten() {
                let key = kv.split('=').next().unwrap_or(kv);
                if !env.iter().any(|e| e.split('=').next().unwrap_or(e) == key) {
                    env.push(kv.clone());
                }
            }
        }
        _ => user.env = base.env.clone(),
    }
    let labels = user.labels.get_or_insert_with(Default::default);
    for (k, v) in base.labels.iter().flatten() {
        labels.entry(k.clone()).or_insert_with(|| v.clone());
    }
    if user.entrypoint.as_ref().is_none_or(Vec::is_empty) {
        if user.cmd.as_ref().is_none_or(Vec::is_empty) {
            user.cmd = base.cmd.clone();
        }
        if user.entrypoint.is_none() {
            user.entrypoint = base.entrypoint.clone();
        }
    }
    if let Some(b) = &base.healthcheck {
        match &mut user.healthcheck {
            None => user.healthcheck = Some(b.clone()),
            Some(u) => {
                if u.test.as_ref().is_none_or(Vec::is_empty) {
                    u.test = b.test.clone();
                }
                if u.interval == 0 {
                    u.interval = b.interval;
                }
                if u.timeout == 0 {
                    u.timeout = b.timeout;
                }
                if u.start_period == 0 {
                    u.start_period = b.start_period;
                }
                if u.retries == 0 {
                    u.retries = b.retries;
                }
            }
        }
    }
    if user.working_dir.is_empty() {
        user.working_dir = base.working_dir.clone();
    }
    match &mut user.volumes {
        Some(v) if !v.is_empty() => {
            for (k, e) in base.volumes.iter().flatten() {
                v.insert(k.clone(), e.clone());
            }
        }
        _ => user.volumes = base.volumes.clone(),
    }
    if user.stop_signal.is_empty() {
        user.stop_signal = base.stop_signal.clone();
    }
}

/// Keeps a container's processes stopped (SIGSTOP) for as long as it lives; SIGCONT on drop,
/// so an error while reading the changes never leaves the container frozen.
struct Frozen<'a> {
    engine: &'a Engine,
    pid: i32,
}

impl Drop for Frozen<'_> {
    fn drop(&mut self) {
        let _ = self
            .engine
            .runtime_settings()
            .sys
            .kill_group(self.pid, libc::SIGCONT);
    }
}

impl Engine {
    fn container_image(&self, c: &Container) -> super::super::Result<Image> {
        let d = Digest::parse(&c.image)?;
        Ok(self.image_store().get(&d)?)
    }

    /// `docker diff`: the changes, sorted by path.
    pub fn container_diff(&self, arg: &str) -> super::super::Result<Vec<Change>> {
        let c = self.container(arg)?;
        let img = self.container_image(&c)?;
        Ok(rootfs::diff(
            self.image_store(),
            &img,
            &self.containers().rootfs(&c),
        )?)
    }

    /// `docker export`: the container's whole filesystem as a tar stream.
    pub fn container_export(
        &self,
        arg: &str,
        out: &mut dyn std::io::Write,
    ) -> super::super::Result<()> {
        let c = self.container(arg)?;
        Ok(rootfs::export_tar(&self.containers().rootfs(&c), out)?)
    }

    /// `docker commit`: a new image of the image's layers plus the container's changes as one
    /// more layer, with the container's config; returns the image ID.
    pub fn container_commit(&self, arg: &str, req: &CommitRequest) -> super::super::Result<Digest> {
        let c = self.container(arg)?;
        let img = self.container_image(&c)?;
        let reference = match &req.reference {
            Some(r) => Some(Reference::parse_named(r)?.with_default_tag()),
            None => None,
        };
        let config = {
            let mut changed = changes::apply_to(&c.config, &req.changes)?;
            merge(&mut changed, &c.config);
            changed
        };
        let s = &c.state;
        let frozen =
            (req.pause && s.running && !s.paused && !s.restarting && s.pid > 0).then(|| {
                let _ = self.runtime_settings().sys.kill_group(s.pid, libc::SIGSTOP);
                Frozen {
                    engine: self,
                    pid: s.pid,
                }
            });
        let mut tar = Vec::new();
        rootfs::changes_tar(
            self.image_store(),
            &img,
            &self.containers().rootfs(&c),
            &mut tar,
        )?;
        drop(frozen);
        let _lock = self.lock()?;
        let parent_chain = img.chain_ids().last().cloned();
        let diff = Digest::of(&tar);
        let layer = self
            .image_store()
            .layers
            .register(parent_chain.as_ref(), &diff, &mut tar.as_slice())
            .map_err(StoreError::from)?;
        let now = self.clock.now().to_string();
        let container_config = c.config.clone();
        let mut history = img.config.history.clone();
        history.push(History {
            created: Some(now.clone()),
            author: req.author.clone(),
            created_by: format!("{} {}", c.path, c.args.join(" "))
                .trim()
                .to_string(),
            comment: req.message.clone(),
            empty_layer: false,
        });
        let mut rootfs_cfg = img.config.rootfs.clone();
        rootfs_cfg.diff_ids.push(layer.diff.clone());
        let cfg = ImageConfig {
            architecture: img.config.architecture.clone(),
            author: req.author.clone(),
            comment: req.message.clone(),
            config: Some(config),
            container: c.id.clone(),
            container_config: Some(container_config),
            created: Some(now),
            docker_version: "20.10.24".into(),
            history,
            os: img.config.os.clone(),
            os_version: String::new(),
            parent: String::new(),
            rootfs: rootfs_cfg,
            variant: img.config.variant.clone(),
        };
        let id = self.image_store().put(&cfg.to_bytes(), Some(&img.id))?;
        if let Some(r) = reference {
            let mut refs = Refs::load(self.paths())?;
            refs.set(&r, &id);
            refs.save(self.paths())?;
            self.image_store()
                .set_last_tag_time(&id, self.clock.now())?;
        }
        self.image_store().commit(&id)?;
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(l: &[&str]) -> Option<Vec<String>> {
        Some(l.iter().map(|s| s.to_string()).collect())
    }

    /// What Docker 20.10.24's `docker commit -c … c` shows in `.Config` for a container whose
    /// command was `sh -c …` and whose entrypoint was none.
    #[test]
    fn merge_gives_back_what_entrypoint_cleared() {
        let base = ContainerConfig {
            cmd: strings(&["sh", "-c", "echo hi"]),
            env: strings(&["PATH=/bin"]),
            working_dir: "/tmp".into(),
            ..ContainerConfig::default()
        };
        let merged = |lines: &[&str]| {
            let lines: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
            let mut c = changes::apply_to(&base, &lines).unwrap();
            merge(&mut c, &base);
            c
        };
        // `ENTRYPOINT []` is no entrypoint: the command comes back.
        let c = merged(&["ENTRYPOINT []"]);
        assert_eq!((c.entrypoint, c.cmd), (None, base.cmd.clone()));
        // A real entrypoint keeps the command cleared.
        let c = merged(&[r#"ENTRYPOINT ["/bin/echo"]"#]);
        assert_eq!((c.entrypoint, c.cmd), (strings(&["/bin/echo"]), None));
        // `CMD []` is an empty command: the container's comes back.
        assert_eq!(merged(&["CMD []"]).cmd, base.cmd);
        // No labels at all become an empty map.
        assert_eq!(merged(&[]).labels, Some(Default::default()));
        assert_eq!(merged(&["ENV A=1"]).env, strings(&["PATH=/bin", "A=1"]));
    }
}
