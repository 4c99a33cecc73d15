//! `docker create` (and the first half of `docker run`): a request with the CLI's flags, merged
//! with the image's config by dockerd's rules, becomes a container record with a writable copy of
//! the image's filesystem.

use std::collections::BTreeMap;

use super::super::Engine;
use super::super::image::rootfs;
use super::super::oci::{ContainerConfig, Empty, Healthcheck};
use super::error::{RuntimeError, io_at};
use super::names;
use super::record::{Container, HostConfig, MountPoint, State};
use super::restart::RestartPolicy;
use super::spec::PortBinding;

/// What `docker create`/`run` asks for (already parsed and checked by the CLI).
#[derive(Debug, Clone, Default)]
pub struct CreateRequest {
    /// The image as typed (`Config.Image` keeps it so).
    pub image: String,
    pub name: Option<String>,
    /// The words after the image (replace the image's `Cmd`).
    pub cmd: Vec<String>,
    /// `--entrypoint`; `Some("")` clears the image's entrypoint.
    pub entrypoint: Option<String>,
    /// `KEY=value` from `-e` and `--env-file`, in order.
    pub env: Vec<String>,
    pub labels: BTreeMap<String, String>,
    pub workdir: Option<String>,
    /// `-u`; empty means the image's `User`, as when not given.
    pub user: Option<String>,
    /// `--group-add`: more groups (names or gids), resolved at start.
    pub group_add: Vec<String>,
    pub hostname: Option<String>,
    pub tty: bool,
    pub stdin_open: bool,
    /// The run is attached (foreground): `AttachStdout`/`AttachStderr` (and stdin with `-i`).
    pub attach: bool,
    pub restart: RestartPolicy,
    pub auto_remove: bool,
    /// Container port (`80/tcp`) → bindings.
    pub ports: BTreeMap<String, Vec<PortBinding>>,
    pub publish_all: bool,
    /// `-v` values as typed, and the mounts they make.
    pub binds: Vec<String>,
    pub mounts: Vec<MountPoint>,
    pub stop_signal: Option<String>,
    pub stop_timeout: Option<i64>,
    /// `--network` (`HostConfig.NetworkMode`); `default` when not given.
    pub network: Option<String>,
    /// `--expose`: ports the container exposes without publishing (`"<port>/<proto>"`).
    pub expose: Vec<String>,
    /// `--init`: an init (Docker's tini) runs as PID 1 and the command as its child.
    pub init: Option<bool>,
    /// `--health-*` / `--no-healthcheck`: unset parts come from the image's check.
    pub healthcheck: Option<Healthcheck>,
}

impl CreateRequest {
    /// The daemon's warnings for this request (the create response's `Warnings`), which the CLI
    /// prints as `WARNING: …` once the container exists.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.network.as_deref() == Some("host") && !self.ports.is_empty() {
            out.push("Published ports are discarded when using host network mode".to_string());
        }
        out
    }
}

/// dockerd's `merge` of a user's health check over the image's: each unset field (no test, zero
/// durations and retries) comes from the image.
fn merge_healthcheck(
    user: Option<&Healthcheck>,
    image: Option<&Healthcheck>,
) -> Option<Healthcheck> {
    let Some(u) = user else {
        return image.cloned();
    };
    let mut h = u.clone();
    if let Some(i) = image {
        if h.test.as_ref().is_none_or(|t| t.is_empty()) {
            h.test = i.test.clone();
        }
        for (mine, theirs) in [
            (&mut h.interval, i.interval),
            (&mut h.timeout, i.timeout),
            (&mut h.start_period, i.start_period),
            (&mut h.retries, i.retries),
        ] {
            if *mine == 0 {
                *mine = theirs;
            }
        }
    }
    Some(h)
}

/// dockerd's `merge` of the user's config over the image's, and the command it runs.
pub fn merge_config(
    req: &CreateRequest,
    image: &ContainerConfig,
    hostname: &str,
) -> Result<(ContainerConfig, String, Vec<String>), RuntimeError> {
    let mut env: Vec<String> = req.env.clone();
    for kv in image.env.iter().flatten() {
        let key = kv.split('=').next().unwrap_or(kv);
        if !env.iter().any(|e| e.split('=').next().unwrap_or(e) == key) {
            env.push(kv.clone());
        }
    }
    let entrypoint: Option<Vec<String>> = match &req.entrypoint {
        Some(e) if e.is_empty() => None,
        Some(e) => Some(vec![e.clone()]),
        None => image.entrypoint.clone().filter(|e| !e.is_empty()),
    };
    // The image's Cmd applies only when neither a command nor an entrypoint was given.
    let cmd: Option<Vec<String>> = if !req.cmd.is_empty() {
        Some(req.cmd.clone())
    } else if req.entrypoint.is_none() {
        image.cmd.clone().filter(|c| !c.is_empty())
    } else {
        None
    };
    let mut full: Vec<String> = entrypoint.clone().unwrap_or_default();
    full.extend(cmd.clone().unwrap_or_default());
    let Some((path, args)) = full.split_first() else {
        return Err(RuntimeError::NoCommand);
    };
    let mut labels = image.labels.clone().unwrap_or_default();
    labels.extend(req.labels.clone());
    let mut exposed = image.exposed_ports.clone().unwrap_or_default();
    for port in req.ports.keys().chain(&req.expose) {
        exposed.insert(port.clone(), Empty {});
    }
    let config = ContainerConfig {
        hostname: hostname.to_string(),
        domainname: String::new(),
        user: req
            .user
            .clone()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| image.user.clone()),
        attach_stdin: req.attach && req.stdin_open,
        attach_stdout: req.attach,
        attach_stderr: req.attach,
        exposed_ports: (!exposed.is_empty()).then_some(exposed),
        tty: req.tty,
        open_stdin: req.stdin_open,
        stdin_once: req.attach && req.stdin_open,
        env: Some(env),
        cmd,
        healthcheck: merge_healthcheck(req.healthcheck.as_ref(), image.healthcheck.as_ref()),
        args_escaped: false,
        image: req.image.clone(),
        volumes: image.volumes.clone(),
        working_dir: req
            .workdir
            .clone()
            .unwrap_or_else(|| image.working_dir.clone()),
        entrypoint,
        network_disabled: false,
        mac_address: String::new(),
        on_build: image.on_build.clone(),
        labels: Some(labels),
        stop_signal: req
            .stop_signal
            .clone()
            .unwrap_or_else(|| image.stop_signal.clone()),
        stop_timeout: req.stop_timeout,
        shell: None,
    };
    Ok((config, path.clone(), args.to_vec()))
}

impl Engine {
    /// Picks a free generated name, as dockerd does (six tries, a digit added on retries, then
    /// the short ID).
    fn generate_name(&self, taken: &[String], id: &str) -> String {
        for retry in 0..6 {
            let n = format!("/{}", names::random_name(&self.rng, retry));
            if !taken.contains(&n) {
                return n;
            }
        }
        format!("/{}", &id[..12])
    }

    /// `docker create`: the container's record and filesystem; returns its 64-hex ID.
    pub fn container_create(&self, req: &CreateRequest) -> super::super::Result<String> {
        if req.auto_remove && !req.restart.is_none() {
            return Err(RuntimeError::AutoRemoveWithRestart.into());
        }
        req.restart.validate()?;
        if let Some(n) = &req.name
            && !names::valid_name(n)
        {
            return Err(RuntimeError::InvalidName(n.clone()).into());
        }
        let snap = self.snapshot()?;
        let image_id = self.resolve(&snap, &req.image)?;
        let image = snap.images[&image_id].clone();
        let image_config = image.config.config.clone().unwrap_or_default();
        let id = self.rng.hex(32);
        let hostname = req.hostname.clone().unwrap_or_else(|| id[..12].to_string());
        let (config, path, args) = merge_config(req, &image_config, &hostname)?;
        let store = self.containers();
        let mut mounts = req.mounts.clone();
        mounts.extend(
            self.anonymous_volumes(
                image_config
                    .volumes
                    .iter()
                    .flatten()
                    .map(|(k, _)| k.clone()),
                &req.mounts,
            )?,
        );
        let mount_id = self.rng.hex(32);
        let mut host_config = HostConfig {
            binds: (!req.binds.is_empty()).then(|| req.binds.clone()),
            port_bindings: req.ports.clone(),
            restart_policy: req.restart.clone(),
            auto_remove: req.auto_remove,
            publish_all_ports: req.publish_all,
            group_add: (!req.group_add.is_empty()).then(|| req.group_add.clone()),
            network_mode: match &req.network {
                Some(n) => self.resolve_network_mode(n),
                None => "default".into(),
            },
            init: req.init,
            ..HostConfig::default()
        };
        if req.restart.name.is_empty() {
            host_config.restart_policy.name = "no".into();
        }
        let docker_dir = |f: &str| format!("/var/lib/docker/containers/{id}/{f}");
        let record = Container {
            stream_config: Default::default(),
            state: State::default(),
            id: id.clone(),
            created: self.clock.now().to_string(),
            managed: false,
            path,
            args,
            config,
            image: image_id.to_string(),
            log_path: docker_dir(&format!("{id}-json.log")),
            name: String::new(),
            driver: self.paths().driver().to_string(),
            os: "linux".into(),
            restart_count: 0,
            has_been_started_before: false,
            has_been_manually_stopped: false,
            mount_points: mounts
                .iter()
                .map(|m| (m.destination.clone(), m.clone()))
                .collect(),
            hostname_path: docker_dir("hostname"),
            hosts_path: docker_dir("hosts"),
            resolv_conf_path: docker_dir("resolv.conf"),
            mount_id: mount_id.clone(),
            ip_address: String::new(),
            host_config,
        };
        // Reserve the name and the ID under the lock; the filesystem is copied outside it.
        let mut record = record;
        {
            let _lock = store.lock()?;
            let all = store.list();
            let name = match &req.name {
                Some(n) => {
                    let n = if n.starts_with('/') {
                        n.clone()
                    } else {
                        format!("/{n}")
                    };
                    if let Some(other) = all.iter().find(|c| c.name == n) {
                        return Err(RuntimeError::NameConflict {
                            name: n,
                            id: other.id.clone(),
                        }
                        .into());
                    }
                    n
                }
                None => {
                    let taken: Vec<String> = all.iter().map(|c| c.name.clone()).collect();
                    self.generate_name(&taken, &id)
                }
            };
            record.name = name;
            store.create(&record)?;
        }
        if let Err(e) = self.prepare_rootfs(&record, &image) {
            let _ = store.remove(&record);
            return Err(e);
        }
        Ok(id)
    }

    /// Copies the image's layers into the container's writable layer and writes the files
    /// dockerd bind-mounts (`/etc/hostname`, `/etc/hosts`, `/etc/resolv.conf`).
    fn prepare_rootfs(
        &self,
        c: &Container,
        image: &super::super::image::Image,
    ) -> super::super::Result<()> {
        let store = self.containers();
        let merged = store.rootfs(c);
        // Only the parent: a ready copy of the rootfs is renamed into `merged` itself.
        if let Some(parent) = merged.parent() {
            std::fs::create_dir_all(parent).map_err(io_at(parent))?;
        }
        rootfs::assemble_fast(self.image_store(), image, &merged)?;
        let mid = store.mount_id_path(&c.id);
        super::super::fsutil::write_atomic_nosync(&self.paths().tmp(), &mid, c.mount_id.as_bytes())
            .map_err(io_at(&mid))?;
        let hostname = format!("{}\n", c.config.hostname);
        let hosts = format!(
            "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n172.17.0.2\t{}\n",
            c.config.hostname
        );
        let resolv = "nameserver 8.8.8.8\nnameserver 8.8.4.4\n";
        let dir = store.dir(&c.id);
        for (name, body) in [
            ("hostname", hostname.as_str()),
            ("hosts", hosts.as_str()),
            ("resolv.conf", resolv),
        ] {
            let p = dir.join(name);
            std::fs::write(&p, body).map_err(io_at(&p))?;
            let etc = merged.join("etc");
            if std::fs::create_dir_all(&etc).is_ok() {
                let target = etc.join(name);
                // A symlink in the image must not redirect the write outside the rootfs.
                if std::fs::symlink_metadata(&target).is_ok_and(|m| m.file_type().is_symlink()) {
                    let _ = std::fs::remove_file(&target);
                }
                std::fs::write(&target, body).map_err(io_at(&target))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(entrypoint: Option<&[&str]>, cmd: Option<&[&str]>) -> ContainerConfig {
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        ContainerConfig {
            entrypoint: entrypoint.map(v),
            cmd: cmd.map(v),
            env: Some(vec!["PATH=/usr/bin:/bin".into(), "A=image".into()]),
            ..Default::default()
        }
    }

    fn run(
        req_cmd: &[&str],
        entry: Option<&str>,
        img: &ContainerConfig,
    ) -> Result<Vec<String>, String> {
        let req = CreateRequest {
            cmd: req_cmd.iter().map(|s| s.to_string()).collect(),
            entrypoint: entry.map(str::to_string),
            ..Default::default()
        };
        merge_config(&req, img, "h")
            .map(|(_, p, a)| std::iter::once(p).chain(a).collect())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn entrypoint_and_cmd_combine_as_docker() {
        let plain = image(None, Some(&["bash"]));
        assert_eq!(run(&[], None, &plain).unwrap(), ["bash"]);
        assert_eq!(run(&["ls", "-l"], None, &plain).unwrap(), ["ls", "-l"]);
        let ep = image(Some(&["/entry.sh"]), Some(&["nginx", "-g"]));
        assert_eq!(run(&[], None, &ep).unwrap(), ["/entry.sh", "nginx", "-g"]);
        assert_eq!(run(&["x"], None, &ep).unwrap(), ["/entry.sh", "x"]);
        // --entrypoint drops the image's Cmd.
        assert_eq!(run(&[], Some("sh"), &ep).unwrap(), ["sh"]);
        assert_eq!(
            run(&["-c", "id"], Some("sh"), &ep).unwrap(),
            ["sh", "-c", "id"]
        );
        // --entrypoint "" clears it.
        assert_eq!(run(&["ls"], Some(""), &ep).unwrap(), ["ls"]);
        assert_eq!(
            run(&[], None, &image(None, None)).unwrap_err(),
            "No command specified"
        );
    }

    #[test]
    fn user_env_comes_first_and_overrides() {
        let req = CreateRequest {
            env: vec!["A=user".into(), "B=1".into()],
            cmd: vec!["x".into()],
            ..Default::default()
        };
        let (c, _, _) = merge_config(&req, &image(None, None), "h").unwrap();
        assert_eq!(c.env.unwrap(), ["A=user", "B=1", "PATH=/usr/bin:/bin"]);
    }
}
