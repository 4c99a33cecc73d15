//! `/etc/docker/daemon.json`: the daemon settings drydock honours.

use std::fs;
use std::io;
use std::path::Path;

use serde::Deserialize;

/// The settings read from daemon.json (unknown keys are ignored, as `dockerd` warns but goes on).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct DaemonConfig {
    #[serde(default)]
    pub storage_driver: Option<String>,
    #[serde(default)]
    pub experimental: bool,
    #[serde(default)]
    pub insecure_registries: Vec<String>,
    #[serde(default)]
    pub debug: bool,
}

/// Why daemon.json could not be used.
#[derive(Debug, thiserror::Error)]
#[error("unable to configure the Docker daemon with file {path}: {reason}")]
pub struct ConfigError {
    pub path: String,
    pub reason: String,
}

impl DaemonConfig {
    /// Reads `path`; a missing file is the default configuration.
    pub fn load(path: &Path) -> Result<DaemonConfig, ConfigError> {
        let err = |reason: String| ConfigError {
            path: "/etc/docker/daemon.json".into(),
            reason,
        };
        match fs::read(path) {
            Ok(b) if b.iter().all(|c| c.is_ascii_whitespace()) => Ok(DaemonConfig::default()),
            Ok(b) => serde_json::from_slice(&b).map_err(|e| err(e.to_string())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(DaemonConfig::default()),
            Err(e) => Err(err(e.to_string())),
        }
    }

    /// The storage driver in force.
    pub fn driver(&self) -> &str {
        self.storage_driver
            .as_deref()
            .filter(|d| !d.is_empty())
            .unwrap_or("overlay2")
    }
}
