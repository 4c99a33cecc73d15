//! Reading containers: the listing behind `docker ps` (with dockerd's filters) and the
//! `ContainerJSON` of `docker inspect`, keys in the order dockerd emits them.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::super::Engine;
use super::super::filters::{FilterError, Filters};
use super::super::image::rootfs;
use super::error::RuntimeError;
use super::network::{self, Mode};
use super::record::{Container, ZERO_TIME};

/// One row of `docker ps`: the record and what the listing adds.
#[derive(Debug, Clone)]
pub struct ContainerSummary {
    pub container: Container,
    /// The writable layer's size (`-s`), and the image's.
    pub size_rw: Option<u64>,
    pub size_root_fs: Option<u64>,
}

/// `docker ps` options.
#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    pub all: bool,
    /// `-n`/`-l`: the last N created, whatever their state.
    pub limit: Option<usize>,
    pub size: bool,
    pub filters: Filters,
}

/// The filter keys `docker ps` accepts.
const PS_KEYS: &[&str] = &[
    "ancestor",
    "before",
    "expose",
    "exited",
    "health",
    "id",
    "isolation",
    "is-task",
    "label",
    "name",
    "network",
    "publish",
    "since",
    "status",
    "volume",
];

const STATUSES: &[&str] = &[
    "created",
    "restarting",
    "running",
    "removing",
    "paused",
    "exited",
    "dead",
];

fn invalid(key: &str, value: &str) -> FilterError {
    FilterError::invalid_value(key, value)
}

/// The container a `before=`/`since=` filter names: dockerd's `idOrNameFilter`, a full ID or
/// a name (with or without its `/`); the last value wins when several are given.
fn filter_container(
    all: &[Container],
    f: &Filters,
    key: &str,
) -> Result<Option<String>, RuntimeError> {
    let mut found = None;
    for value in f.get(key) {
        let name = value.strip_prefix('/').unwrap_or(value);
        let c = all
            .iter()
            .find(|c| c.id == value)
            .or_else(|| all.iter().find(|c| c.short_name() == name))
            .ok_or_else(|| RuntimeError::NoSuchFilterContainer(value.to_string()))?;
        found = Some(c.id.clone());
    }
    Ok(found)
}

/// The ports a `publish=`/`expose=` value names (dockerd's `portOp`: `<port>[/<proto>]` or
/// `<start>-<end>[/<proto>]`, tcp by default), as `"<port>/<proto>"` keys.
fn port_filter(key: &str, value: &str) -> Result<Vec<String>, FilterError> {
    if value.contains(':') {
        return Err(FilterError::PortWithColon {
            key: key.into(),
            value: value.into(),
        });
    }
    network::port_range(value).map_err(|why| FilterError::BadPort {
        key: key.into(),
        value: value.into(),
        why,
    })
}

/// Whether the container lists a port of `wanted` in `docker ps`'s PORTS (running, on the
/// bridge): `publish=` looks at ports with a host binding, `expose=` at all of them.
fn lists_port(c: &Container, wanted: &[String], published_only: bool) -> bool {
    if !c.state.running || c.state.restarting || !network::on_bridge(c) {
        return false;
    }
    let published = c
        .host_config
        .port_bindings
        .iter()
        .filter(|(_, b)| !b.is_empty())
        .map(|(p, _)| p);
    let exposed = c.config.exposed_ports.iter().flat_map(|e| e.keys());
    if published_only {
        published.into_iter().any(|p| wanted.contains(p))
    } else {
        published.chain(exposed).any(|p| wanted.contains(p))
    }
}

/// A container's health for `health=`: its `State.Health` status, `none` without one.
fn health_of(c: &Container) -> &str {
    c.state
        .health
        .as_ref()
        .map_or("none", |h| h.status.as_str())
}

/// dockerd's `volume=` filter: a mount's destination, or its volume name (a bind mount's
/// source path).
fn mounts_volume(c: &Container, value: &str) -> bool {
    c.mount_points.values().any(|m| {
        m.destination == value
            || if m.name.is_empty() {
                m.source == value
            } else {
                m.name == value
            }
    })
}

impl Engine {
    /// `docker ps`: containers newest first, filtered as dockerd filters them.
    pub fn containers_list(
        &self,
        opts: &ListOptions,
    ) -> super::super::Result<Vec<ContainerSummary>> {
        let f = &opts.filters;
        f.validate(PS_KEYS)?;
        let mut exited = Vec::new();
        for e in f.get("exited") {
            let code = e
                .parse::<i64>()
                .map_err(|_| FilterError::NotAnInteger(e.to_string()))?;
            exited.push(code);
        }
        for s in f.get("status") {
            if !STATUSES.contains(&s) {
                return Err(invalid("status", s).into());
            }
        }
        let mut all = self.containers().list();
        // By time, not by text: RFC 3339 strings with fractions of different lengths do not sort.
        let created = |c: &Container| c.created.parse::<jiff::Timestamp>().ok();
        all.sort_by(|a, b| {
            created(b)
                .cmp(&created(a))
                .then_with(|| b.created.cmp(&a.created))
                .then(b.id.cmp(&a.id))
        });
        let mut publish = Vec::new();
        for v in f.get("publish") {
            publish.extend(port_filter("publish", v)?);
        }
        let mut expose = Vec::new();
        for v in f.get("expose") {
            expose.extend(port_filter("expose", v)?);
        }
        for h in f.get("health") {
            if !["starting", "healthy", "unhealthy", "none"].contains(&h) {
                return Err(FilterError::Health(h.to_string()).into());
            }
        }
        let mut before = filter_container(&all, f, "before")?;
        let since = filter_container(&all, f, "since")?;
        let snap = if f.contains("ancestor") {
            Some(self.snapshot()?)
        } else {
            None
        };
        let mut out = Vec::new();
        for c in all {
            // Newest first: skip down to the `before` container, stop at the `since` one.
            if let Some(b) = &before {
                if *b == c.id {
                    before = None;
                }
                continue;
            }
            if since.as_ref().is_some_and(|s| *s == c.id) {
                break;
            }
            if let Some(n) = opts.limit
                && out.len() >= n
            {
                break;
            }
            let status = c.state.status();
            let listed = opts.all
                || opts.limit.is_some()
                || c.state.running
                || f.contains("status")
                || f.contains("exited");
            if !listed {
                continue;
            }
            if f.contains("status") && !f.get("status").contains(&status) {
                continue;
            }
            if !exited.is_empty()
                && (status != "exited" || !exited.contains(&i64::from(c.state.exit_code)))
            {
                continue;
            }
            if f.contains("name")
                && !f
                    .get("name")
                    .iter()
                    .any(|pat| regex::Regex::new(pat).is_ok_and(|re| re.is_match(&c.name)))
            {
                continue;
            }
            if f.contains("id") && !f.get("id").iter().any(|p| c.id.starts_with(p)) {
                continue;
            }
            if !f.match_labels(c.config.labels.as_ref().unwrap_or(&BTreeMap::new())) {
                continue;
            }
            if f.contains("volume") && !f.get("volume").iter().any(|v| mounts_volume(&c, v)) {
                continue;
            }
            let port_listed = (!publish.is_empty() && lists_port(&c, &publish, true))
                || (!expose.is_empty() && lists_port(&c, &expose, false));
            if (!publish.is_empty() || !expose.is_empty()) && !port_listed {
                continue;
            }
            if f.contains("health") && !f.get("health").contains(&health_of(&c)) {
                continue;
            }
            if f.contains("network")
                && !f
                    .get("network")
                    .iter()
                    .any(|n| network::matches_filter(&c, n))
            {
                continue;
            }
            if let Some(snap) = &snap {
                let matches = f.get("ancestor").iter().any(|a| {
                    a == &c.config.image
                        || self
                            .resolve(snap, a)
                            .is_ok_and(|id| id.to_string() == c.image)
                });
                if !matches {
                    continue;
                }
            }
            let (size_rw, size_root_fs) = if opts.size {
                let rw = self.container_rw_size(&c);
                (Some(rw), Some(rw + self.image_size(&c.image)))
            } else {
                (None, None)
            };
            out.push(ContainerSummary {
                container: c,
                size_rw,
                size_root_fs,
            });
        }
        Ok(out)
    }

    fn image_size(&self, image_id: &str) -> u64 {
        let Ok(d) = super::super::digest::Digest::parse(image_id) else {
            return 0;
        };
        let Ok(img) = self.image_store().get(&d) else {
            return 0;
        };
        img.chain_ids()
            .iter()
            .filter_map(|c| self.image_store().layers.get(c).ok())
            .map(|l| l.size)
            .sum()
    }

    /// The bytes the container added or changed over its image (what `ps -s` shows).
    pub fn container_rw_size(&self, c: &Container) -> u64 {
        let Ok(d) = super::super::digest::Digest::parse(&c.image) else {
            return 0;
        };
        let Ok(img) = self.image_store().get(&d) else {
            return 0;
        };
        let root = self.containers().rootfs(c);
        let Ok(changes) = rootfs::diff(self.image_store(), &img, &root) else {
            return 0;
        };
        changes
            .iter()
            .filter(|ch| ch.kind != 'D')
            .filter_map(|ch| {
                std::fs::symlink_metadata(root.join(ch.path.trim_start_matches('/'))).ok()
            })
            .filter(|m| m.is_file())
            .map(|m| m.len())
            .sum()
    }

    /// The containers using each image, for `rmi` and `image prune` (running or not).
    pub(crate) fn image_users(&self) -> Vec<Container> {
        self.containers().list()
    }

    /// `docker inspect` of a container: dockerd's `ContainerJSON`.
    pub fn container_inspect(&self, arg: &str) -> super::super::Result<Value> {
        let c = self.container(arg)?;
        Ok(self.container_json(&c))
    }

    fn container_json(&self, c: &Container) -> Value {
        let root = "/var/lib/docker";
        let driver = self.paths().driver().to_string();
        let s = &c.state;
        let layer = format!("{root}/{driver}/{}", c.mount_id);
        let mut lower: Vec<String> = Vec::new();
        if let Ok(d) = super::super::digest::Digest::parse(&c.image)
            && let Ok(img) = self.image_store().get(&d)
        {
            for ch in img.chain_ids().iter().rev() {
                if let Ok(l) = self.image_store().layers.get(ch) {
                    lower.push(format!("{root}/{driver}/{}/diff", l.cache_id));
                }
            }
        }
        let mut graph = serde_json::Map::new();
        if driver == "overlay2" {
            let mut lowers = vec![format!("{layer}-init/diff")];
            lowers.extend(lower);
            graph.insert("LowerDir".into(), json!(lowers.join(":")));
            graph.insert("MergedDir".into(), json!(format!("{layer}/merged")));
            graph.insert("UpperDir".into(), json!(format!("{layer}/diff")));
            graph.insert("WorkDir".into(), json!(format!("{layer}/work")));
        }
        let mounts: Vec<Value> = c
            .mount_points
            .values()
            .map(|m| {
                if m.kind == "volume" {
                    json!({"Type": "volume", "Name": m.name, "Source": m.source,
                        "Destination": m.destination, "Driver": "local", "Mode": m.mode,
                        "RW": m.rw, "Propagation": ""})
                } else {
                    json!({"Type": "bind", "Source": m.source, "Destination": m.destination,
                        "Mode": m.mode, "RW": m.rw, "Propagation": "rprivate"})
                }
            })
            .collect();
        let running = s.running && !s.restarting;
        let mode = network::mode(&c.host_config.network_mode);
        let bridged = network::on_bridge(c);
        let mut ports = serde_json::Map::new();
        if running && bridged {
            let exposed = c.config.exposed_ports.clone().unwrap_or_default();
            for p in exposed.keys() {
                ports.insert(p.clone(), Value::Null);
            }
            for (p, bindings) in &c.host_config.port_bindings {
                let list: Vec<Value> = bindings
                    .iter()
                    .map(|b| {
                        json!({"HostIp": if b.host_ip.is_empty() { "0.0.0.0" } else { &b.host_ip },
                            "HostPort": b.host_port})
                    })
                    .collect();
                ports.insert(p.clone(), Value::Array(list));
            }
        }
        let (ip, gw, prefix, mac) = if running && !c.ip_address.is_empty() {
            let last: u8 = c
                .ip_address
                .rsplit('.')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(2);
            (
                c.ip_address.clone(),
                "172.17.0.1".to_string(),
                16,
                format!("02:42:ac:11:00:{last:02x}"),
            )
        } else {
            (String::new(), String::new(), 0, String::new())
        };
        // A `container:` mode shares another container's sandbox and has none of its own.
        let own_sandbox = running && !matches!(mode, Mode::Container(_));
        let sandbox = if own_sandbox {
            c.id.chars().rev().collect::<String>()
        } else {
            String::new()
        };
        let endpoint = if running {
            format!("{}{}", &c.id[32..], &c.id[..32])
        } else {
            String::new()
        };
        // The top-level fields are the default bridge's endpoint.
        let bridge_endpoint = if bridged {
            endpoint.clone()
        } else {
            String::new()
        };
        let mut state = json!({
            "Status": s.status(),
            "Running": s.running,
            "Paused": s.paused,
            "Restarting": s.restarting,
            "OOMKilled": s.oom_killed,
            "Dead": s.dead,
            "Pid": s.pid,
            "ExitCode": s.exit_code,
            "Error": s.error,
            "StartedAt": s.started_at,
            "FinishedAt": s.finished_at,
        });
        if let (Some(h), Some(m)) = (&s.health, state.as_object_mut()) {
            m.insert(
                "Health".into(),
                serde_json::to_value(h).unwrap_or(Value::Null),
            );
        }
        let mut networks = serde_json::Map::new();
        if let Some((name, id)) = network::network_of(c) {
            let exists = !id.is_empty();
            networks.insert(
                name.to_string(),
                json!({
                    "IPAMConfig": Value::Null,
                    "Links": Value::Null,
                    "Aliases": Value::Null,
                    "NetworkID": id,
                    "EndpointID": if exists { endpoint.as_str() } else { "" },
                    "Gateway": gw,
                    "IPAddress": ip,
                    "IPPrefixLen": prefix,
                    "IPv6Gateway": "",
                    "GlobalIPv6Address": "",
                    "GlobalIPv6PrefixLen": 0,
                    "MacAddress": mac,
                    "DriverOpts": Value::Null,
                }),
            );
        }
        let sandbox_key = match mode {
            _ if !own_sandbox => String::new(),
            Mode::Builtin(n) if n == network::HOST => "/var/run/docker/netns/default".into(),
            _ => format!("/var/run/docker/netns/{}", sandbox.get(..12).unwrap_or("")),
        };
        let network = json!({
            "Bridge": "",
            "SandboxID": sandbox,
            "HairpinMode": false,
            "LinkLocalIPv6Address": "",
            "LinkLocalIPv6PrefixLen": 0,
            "Ports": ports,
            "SandboxKey": sandbox_key,
            "SecondaryIPAddresses": Value::Null,
            "SecondaryIPv6Addresses": Value::Null,
            "EndpointID": bridge_endpoint,
            "Gateway": gw,
            "GlobalIPv6Address": "",
            "GlobalIPv6PrefixLen": 0,
            "IPAddress": ip,
            "IPPrefixLen": prefix,
            "IPv6Gateway": "",
            "MacAddress": mac,
            "Networks": networks,
        });
        let head = json!({
            "Id": c.id,
            "Created": c.created,
            "Path": c.path,
            "Args": c.args,
            "State": state,
            "Image": c.image,
            "ResolvConfPath": c.resolv_conf_path,
            "HostnamePath": c.hostname_path,
            "HostsPath": c.hosts_path,
            "LogPath": c.log_path,
            "Name": c.name,
            "RestartCount": c.restart_count,
            "Driver": c.driver,
            "Platform": c.os,
            "MountLabel": "",
            "ProcessLabel": "",
            "AppArmorProfile": "",
            "ExecIDs": Value::Null,
        });
        let mut obj = match head {
            Value::Object(m) => m,
            _ => serde_json::Map::new(),
        };
        obj.insert(
            "HostConfig".into(),
            serde_json::to_value(&c.host_config).unwrap_or(Value::Null),
        );
        obj.insert("GraphDriver".into(), json!({"Data": graph, "Name": driver}));
        obj.insert("Mounts".into(), Value::Array(mounts));
        obj.insert(
            "Config".into(),
            serde_json::to_value(&c.config).unwrap_or(Value::Null),
        );
        obj.insert("NetworkSettings".into(), network);
        Value::Object(obj)
    }
}

/// True when a container's `FinishedAt` was never set.
pub fn never_finished(c: &Container) -> bool {
    c.state.finished_at == ZERO_TIME
}
