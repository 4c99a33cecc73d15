//! The networks a container can be on, as `HostConfig.NetworkMode` names them.
//!
//! drydock's daemon has Docker's three built-in networks and no others (`docker network` is not
//! here yet): `bridge` (the default: an address in 172.17.0.0/16 while running, published
//! ports), `host` and `none` (no address, no published ports). `container:<name|id>` joins
//! another container's network stack and is on no network itself. Any other name is a
//! user-defined network that cannot exist here, so starting such a container fails as dockerd
//! fails it (`network foo not found`); creating it succeeds, as in Docker.

use super::super::Engine;
use super::error::RuntimeError;
use super::record::Container;

/// One built-in network: its name, ID and driver (`docker network ls`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    pub name: &'static str,
    pub id: &'static str,
    pub driver: &'static str,
}

pub const BRIDGE: Network = Network {
    name: "bridge",
    id: "4e4a2bd4a1e1a0e4cd0d76a5a1e8c2c5f3f3ac8b9d7e2f8a6c1b0d9e8f7a6b5c",
    driver: "bridge",
};
pub const HOST: Network = Network {
    name: "host",
    id: "65bb0640ec3abe72a0e2c124f23d5d9f04b64371c78f83dbebdaa4d7c8a243d7",
    driver: "host",
};
pub const NONE: Network = Network {
    name: "none",
    id: "9433cabf86331f76f328d7e42c2370f8b4bb6a329991d0c0ee508862e269c23f",
    driver: "null",
};

/// What a `NetworkMode` value means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode<'a> {
    /// On one of the built-in networks (`default` is `bridge`).
    Builtin(Network),
    /// `container:<name|id>`: another container's network stack.
    Container(&'a str),
    /// A user-defined network's name.
    Named(&'a str),
}

/// Reads a `NetworkMode` (`default`, `bridge`, `host`, `none`, `container:x`, a name).
pub fn mode(value: &str) -> Mode<'_> {
    match value {
        "" | "default" | "bridge" => Mode::Builtin(BRIDGE),
        "host" => Mode::Builtin(HOST),
        "none" => Mode::Builtin(NONE),
        v => match v.strip_prefix("container:") {
            Some(other) => Mode::Container(other),
            None => Mode::Named(v),
        },
    }
}

/// The one entry a container has in `NetworkSettings.Networks`: the network's name and ID.
/// The ID is set once the container has been connected (started); a user-defined network,
/// which cannot exist here, never has one. `container:` modes have no entry.
pub fn network_of(c: &Container) -> Option<(&str, &'static str)> {
    let id = |n: Network| if c.has_been_started_before { n.id } else { "" };
    match mode(&c.host_config.network_mode) {
        Mode::Builtin(n) => Some((n.name, id(n))),
        Mode::Named(name) => Some((name, "")),
        Mode::Container(_) => None,
    }
}

/// Whether the container gets a bridge address and its published ports.
pub fn on_bridge(c: &Container) -> bool {
    mode(&c.host_config.network_mode) == Mode::Builtin(BRIDGE)
}

/// dockerd's `network=` filter for `docker ps`: a network's name, or a prefix of its ID.
pub fn matches_filter(c: &Container, value: &str) -> bool {
    network_of(c).is_some_and(|(name, id)| name == value || id.starts_with(value))
}

impl Engine {
    /// `container:<name>` as dockerd stores it: the other container's full ID when it exists
    /// (else as given; starting then fails).
    pub(crate) fn resolve_network_mode(&self, value: &str) -> String {
        match mode(value) {
            Mode::Container(other) => match self.container(other) {
                Ok(c) => format!("container:{}", c.id),
                Err(_) => value.to_string(),
            },
            _ => value.to_string(),
        }
    }

    /// The checks dockerd makes when it connects a starting container.
    pub(crate) fn check_network(&self, c: &Container) -> Result<(), RuntimeError> {
        match mode(&c.host_config.network_mode) {
            Mode::Builtin(_) => Ok(()),
            Mode::Named(name) => Err(RuntimeError::NetworkNotFound(name.to_string())),
            Mode::Container(other) => {
                let o = self
                    .container(other)
                    .map_err(|_| RuntimeError::NoSuchContainer(other.to_string()))?;
                if !o.state.running {
                    return Err(RuntimeError::JoinStoppedNetwork(o.id));
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes() {
        assert_eq!(mode("default"), Mode::Builtin(BRIDGE));
        assert_eq!(mode("bridge"), Mode::Builtin(BRIDGE));
        assert_eq!(mode("none"), Mode::Builtin(NONE));
        assert_eq!(mode("host"), Mode::Builtin(HOST));
        assert_eq!(mode("container:web"), Mode::Container("web"));
        assert_eq!(mode("backend"), Mode::Named("backend"));
    }
}

/// The ports `<port>[/<proto>]` or `<start>-<end>[/<proto>]` names (tcp by default), as
/// `"<port>/<proto>"` keys; on error, Go's words (go-connections' `nat.ParsePortRange`).
pub fn port_range(value: &str) -> Result<Vec<String>, String> {
    let (port, proto) = value.split_once('/').unwrap_or((value, "tcp"));
    let parse = |s: &str| -> Result<u16, String> {
        s.parse::<u16>().map_err(|e| {
            let why = if matches!(e.kind(), std::num::IntErrorKind::PosOverflow) {
                "value out of range"
            } else {
                "invalid syntax"
            };
            format!("strconv.ParseUint: parsing {s:?}: {why}")
        })
    };
    let (start, end) = match port.split_once('-') {
        Some((a, b)) => (parse(a)?, parse(b)?),
        None => {
            let p = parse(port)?;
            (p, p)
        }
    };
    if end < start {
        return Err(format!("Invalid range specified for the Port: {port}"));
    }
    Ok((start..=end).map(|p| format!("{p}/{proto}")).collect())
}

#[cfg(test)]
mod port_tests {
    use super::port_range;

    #[test]
    fn port_ranges_read_as_go_reads_them() {
        assert_eq!(port_range("80").unwrap(), ["80/tcp"]);
        assert_eq!(port_range("7-8/udp").unwrap(), ["7/udp", "8/udp"]);
        assert_eq!(
            port_range("abc").unwrap_err(),
            "strconv.ParseUint: parsing \"abc\": invalid syntax"
        );
        assert_eq!(
            port_range("70000").unwrap_err(),
            "strconv.ParseUint: parsing \"70000\": value out of range"
        );
        assert_eq!(
            port_range("9-3").unwrap_err(),
            "Invalid range specified for the Port: 9-3"
        );
    }
}
