//! Image recipes: an image as the legacy builder would have produced it from its Dockerfile — the
//! ordered steps (history), the layer tree of each step that changed files, and the final container
//! config.
//!
//! [`Build`] is a tiny Dockerfile interpreter over data: `FROM` copies a base [`Recipe`], each
//! instruction appends a step with the `created_by` text the legacy builder writes (`#(nop) ` plus one
//! space for `ADD`/`COPY`/`WORKDIR`, two for metadata instructions, as real histories show) and
//! updates the config. Times advance by fixed amounts per step, so recipes are pure data.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};

use super::fs::Tree;
use crate::engine::oci::{ContainerConfig, Empty};

/// The `PATH` every scratch-based image gets from the builder.
pub const DEFAULT_PATH: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// What one step ran.
#[derive(Debug, Clone)]
pub enum Instr {
    /// `ADD file:<hex> in <dest> `: `<hex>` is the sha256 of the layer tar.
    AddFile(String),
    /// `COPY file:<hex> in <dest> `.
    CopyFile(String),
    /// `COPY dir:<hex> in <dest> `.
    CopyDir(String),
    /// `RUN <script>` through `/bin/sh -c`.
    Run(String),
    /// `WORKDIR <dir>` (an empty layer when the directory exists).
    Workdir(String),
    /// A metadata instruction (`CMD ["bash"]`, `ENV A=b` …).
    Nop(String),
}

impl Instr {
    /// The container command the builder recorded, given the layer's diff hex for ADD/COPY.
    pub fn container_cmd(&self, layer_hex: &str) -> Vec<String> {
        let sh = |s: String| vec!["/bin/sh".to_string(), "-c".to_string(), s];
        match self {
            Instr::AddFile(d) => nop(format!("ADD file:{layer_hex} in {d} ")),
            Instr::CopyFile(d) => nop(format!("COPY file:{layer_hex} in {d} ")),
            Instr::CopyDir(d) => nop(format!("COPY dir:{layer_hex} in {d} ")),
            Instr::Workdir(d) => nop(format!("WORKDIR {d}")),
            Instr::Run(s) => sh(s.clone()),
            Instr::Nop(s) => vec!["/bin/sh".into(), "-c".into(), "#(nop) ".into(), s.clone()],
        }
    }

    /// The history's `created_by`.
    pub fn created_by(&self, layer_hex: &str) -> String {
        self.container_cmd(layer_hex).join(" ")
    }
}

fn nop(s: String) -> Vec<String> {
    vec!["/bin/sh".into(), "-c".into(), format!("#(nop) {s}")]
}

/// One history entry and, unless it is an empty layer, its files.
#[derive(Debug, Clone)]
pub struct Step {
    pub created: Timestamp,
    pub instr: Instr,
    pub layer: Option<Tree>,
}

/// A complete image description.
#[derive(Debug, Clone)]
pub struct Recipe {
    pub steps: Vec<Step>,
    pub config: ContainerConfig,
    pub docker_version: &'static str,
}

/// Builds a [`Recipe`] instruction by instruction.
#[derive(Debug, Clone)]
pub struct Build {
    steps: Vec<Step>,
    config: ContainerConfig,
    docker_version: &'static str,
    at: Timestamp,
}

/// Parses a catalog timestamp; catalog literals are checked by the tests, so a bad one is a bug.
pub fn ts(s: &str) -> Timestamp {
    s.parse().unwrap_or(Timestamp::UNIX_EPOCH)
}

/// Go's `%q` list as the legacy builder prints JSON-form arguments: `["a" "b"]`.
pub fn go_list(args: &[&str]) -> String {
    let quoted: Vec<String> = args
        .iter()
        .map(|a| serde_json::to_string(a).unwrap_or_default())
        .collect();
    format!("[{}]", quoted.join(" "))
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

impl Build {
    /// `FROM scratch`, the first step at `t0`.
    pub fn scratch(t0: &str, docker_version: &'static str) -> Self {
        Build {
            steps: Vec::new(),
            config: ContainerConfig {
                env: Some(vec![DEFAULT_PATH.to_string()]),
                ..Default::default()
            },
            docker_version,
            at: ts(t0),
        }
    }

    /// `FROM base`, the first own step at `t0`.
    pub fn from(base: Recipe, t0: &str, docker_version: &'static str) -> Self {
        Build {
            steps: base.steps,
            config: base.config,
            docker_version,
            at: ts(t0),
        }
    }

    fn push(mut self, instr: Instr, layer: Option<Tree>, took_ms: i64) -> Self {
        self.steps.push(Step {
            created: self.at,
            instr,
            layer,
        });
        self.at = self
            .at
            .checked_add(SignedDuration::from_millis(took_ms))
            .unwrap_or(self.at);
        self
    }

    /// `ADD rootfs.tar.xz /`-style: the tree becomes a layer.
    pub fn add(self, dest: &str, tree: Tree) -> Self {
        self.push(Instr::AddFile(dest.into()), Some(tree), 653)
    }

    pub fn copy(self, dest: &str, tree: Tree) -> Self {
        self.push(Instr::CopyFile(dest.into()), Some(tree), 1_218)
    }

    pub fn copy_dir(self, dest: &str, tree: Tree) -> Self {
        self.push(Instr::CopyDir(dest.into()), Some(tree), 1_433)
    }

    pub fn run(self, script: &str, tree: Tree) -> Self {
        self.push(Instr::Run(script.into()), Some(tree), 23_791)
    }

    fn meta(self, text: String) -> Self {
        self.push(Instr::Nop(text), None, 311)
    }

    pub fn cmd(mut self, args: &[&str]) -> Self {
        self.config.cmd = Some(strings(args));
        self.meta(format!("CMD {}", go_list(args)))
    }

    /// `ENTRYPOINT` resets an inherited `CMD`, as Docker does.
    pub fn entrypoint(mut self, args: &[&str]) -> Self {
        self.config.entrypoint = Some(strings(args));
        self.config.cmd = None;
        self.meta(format!("ENTRYPOINT {}", go_list(args)))
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        let env = self.config.env.get_or_insert_with(Vec::new);
        let prefix = format!("{key}=");
        let entry = format!("{key}={value}");
        match env.iter_mut().find(|e| e.starts_with(&prefix)) {
            Some(e) => *e = entry.clone(),
            None => env.push(entry.clone()),
        }
        self.meta(format!("ENV {entry}"))
    }

    /// `EXPOSE 80` or `EXPOSE 80/udp`.
    pub fn expose(mut self, ports: &[&str]) -> Self {
        let map = self.config.exposed_ports.get_or_insert_with(BTreeMap::new);
        for p in ports {
            let key = if p.contains('/') {
                p.to_string()
            } else {
                format!("{p}/tcp")
            };
            map.insert(key, Empty {});
        }
        self.meta(format!("EXPOSE {}", ports.join(" ")))
    }

    pub fn volume(mut self, paths: &[&str]) -> Self {
        let map = self.config.volumes.get_or_insert_with(BTreeMap::new);
        for p in paths {
            map.insert(p.to_string(), Empty {});
        }
        self.meta(format!("VOLUME [{}]", paths.join(" ")))
    }

    pub fn labels(mut self, pairs: &[(&str, &str)]) -> Self {
        let map = self.config.labels.get_or_insert_with(BTreeMap::new);
        let mut text = Vec::new();
        for (k, v) in pairs {
            map.insert(k.to_string(), v.to_string());
            text.push(format!("{k}={v}"));
        }
        self.meta(format!("LABEL {}", text.join(" ")))
    }

    pub fn stop_signal(mut self, sig: &str) -> Self {
        self.config.stop_signal = sig.to_string();
        self.meta(format!("STOPSIGNAL {sig}"))
    }

    pub fn user(mut self, user: &str) -> Self {
        self.config.user = user.to_string();
        self.meta(format!("USER {user}"))
    }

    pub fn workdir(mut self, dir: &str) -> Self {
        self.config.working_dir = dir.to_string();
        self.push(Instr::Workdir(dir.into()), None, 402)
    }

    /// `WORKDIR` that creates its directory (a real layer).
    pub fn workdir_new(mut self, dir: &str) -> Self {
        self.config.working_dir = dir.to_string();
        let mut t = Tree::new();
        t.dir(dir, 0o755);
        self.push(Instr::Workdir(dir.into()), Some(t), 402)
    }

    pub fn finish(self) -> Recipe {
        Recipe {
            steps: self.steps,
            config: self.config,
            docker_version: self.docker_version,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_by_spacing_matches_the_legacy_builder() {
        assert_eq!(
            Instr::Nop(r#"CMD ["bash"]"#.into()).created_by(""),
            r#"/bin/sh -c #(nop)  CMD ["bash"]"#
        );
        assert_eq!(
            Instr::AddFile("/".into()).created_by("ab"),
            "/bin/sh -c #(nop) ADD file:ab in / "
        );
        assert_eq!(
            Instr::Workdir("/w".into()).created_by(""),
            "/bin/sh -c #(nop) WORKDIR /w"
        );
        assert_eq!(
            go_list(&["nginx", "-g", "daemon off;"]),
            r#"["nginx" "-g" "daemon off;"]"#
        );
    }
}
