//! The Docker engine: image store, offline hub, distribution. It never prints, never reads the
//! terminal and never imports the CLI; it returns typed values shaped like the Engine API's JSON
//! ([`api`]) and reports progress as events ([`progress`]).
//!
//! [`Engine`] is the one type the front ends hold. Every change to the store takes the store lock
//! ([`lock`]) for its duration; reads need no lock because every file is replaced atomically.

pub mod api;
pub mod archive;
pub mod build;
pub mod clock;
pub mod config;
pub mod content;
pub mod digest;
pub mod distribution;
pub mod error;
pub mod filters;
pub mod fsutil;
pub mod hub;
mod hub_index;
pub mod image;
pub mod images;
pub mod lock;
pub mod oci;
pub mod paths;
pub mod progress;
pub mod reference;
pub mod runtime;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use error::{Error, ErrorKind, Result};

use clock::{Clock, Rng};
use config::DaemonConfig;
use content::ContentStore;
use distribution::{Index, Registry};
use image::refs::Refs;
use image::{ImageStore, StoreError};
use lock::StoreLock;
use paths::Paths;

/// The engine over one `DRYDOCK_HOME`.
pub struct Engine {
    paths: Paths,
    config: DaemonConfig,
    pub clock: Clock,
    pub rng: Rng,
    content: ContentStore,
    images: ImageStore,
    hub: Arc<dyn Index>,
    containers: runtime::ContainerStore,
    runtime: runtime::Settings,
}

/// Where the state lives when neither `--home` nor `DRYDOCK_HOME` says: `$XDG_DATA_HOME/drydock`,
/// else `~/.local/share/drydock`.
pub fn default_home() -> PathBuf {
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|x| !x.is_empty()) {
        return PathBuf::from(x).join("drydock");
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    home.join(".local/share/drydock")
}

impl Engine {
    /// Opens (creating if needed) the engine at `home`, with the built-in hub, the clock from
    /// `DRYDOCK_CLOCK` and the random source from `DRYDOCK_SEED`.
    pub fn open(home: &Path) -> Result<Engine> {
        Self::open_with(
            home,
            Arc::new(hub::Hub::new()),
            Clock::from_env(),
            Rng::from_env(),
        )
    }

    /// Opens with an explicit hub, clock and random source (tests add images to the hub).
    pub fn open_with(home: &Path, hub: Arc<dyn Index>, clock: Clock, rng: Rng) -> Result<Engine> {
        // An invalid daemon.json does not stop the host from opening: the daemon refuses to
        // boot with dockerd's message (`daemon_boot`), as a host whose dockerd fails to start.
        let config = DaemonConfig::load(&home.join("etc/docker/daemon.json")).unwrap_or_default();
        // daemon.json is read when the daemon starts: a running daemon keeps the driver it
        // started with, whatever the file says now.
        let driver = runtime::running_daemon_driver(&home.join("var/lib/docker"))
            .unwrap_or_else(|| config.driver().to_string());
        let paths = Paths::new(home, driver);
        for dir in [
            home.join("root"),
            home.join("tmp"),
            home.join("etc/docker"),
            paths.image_root(),
            // `/var/lib/docker/<driver>` appears when a driver is first used, as in Docker.
            paths.driver_root(),
        ] {
            std::fs::create_dir_all(&dir).map_err(|source| StoreError::Io {
                path: dir.clone(),
                source,
            })?;
        }
        let engine = Engine {
            content: ContentStore::new(paths.clone()),
            images: ImageStore::new(paths.clone()),
            containers: runtime::ContainerStore::new(paths.clone()),
            runtime: runtime::Settings::from_env(),
            paths,
            config,
            clock,
            rng,
            hub,
        };
        engine.recover()?;
        Ok(engine)
    }

    /// Finishes or rolls back what a crash interrupted: pending images that nothing references are
    /// removed (with their layers, if no other image uses them), staging files are cleared.
    fn recover(&self) -> Result<()> {
        let pending = self.images.pending();
        // Staging files younger than this may belong to another process's write in progress.
        let stale = fsutil::stale_entries(&self.paths.tmp(), std::time::Duration::from_secs(600));
        if pending.is_empty() && stale.is_empty() {
            return Ok(());
        }
        let _lock = self.lock()?;
        let refs = Refs::load(&self.paths)?;
        for id in self.images.pending() {
            if refs.refs_to(&id).is_empty() {
                self.images.delete(&id)?;
            }
            self.images.commit(&id)?;
        }
        for p in stale {
            let _ = if p.is_dir() {
                fsutil::remove_dir_if_exists(&p)
            } else {
                fsutil::remove_file_if_exists(&p)
            };
        }
        Ok(())
    }

    /// Takes the store lock for a change.
    /// `DRYDOCK_LOCK_WAIT_MS` shortens or lengthens the wait (tests use it).
    pub fn lock(&self) -> Result<StoreLock> {
        let wait = std::env::var("DRYDOCK_LOCK_WAIT_MS")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
            .map(std::time::Duration::from_millis)
            .unwrap_or(lock::WAIT);
        Ok(StoreLock::acquire(&self.paths.lock_file(), wait)?)
    }

    pub fn paths(&self) -> &Paths {
        &self.paths
    }
    pub fn config(&self) -> &DaemonConfig {
        &self.config
    }
    pub fn content(&self) -> &ContentStore {
        &self.content
    }
    pub fn image_store(&self) -> &ImageStore {
        &self.images
    }
    pub fn hub(&self) -> &dyn Registry {
        self.hub.as_ref()
    }
    /// The container records.
    pub fn containers(&self) -> &runtime::ContainerStore {
        &self.containers
    }
    /// How containers' processes are started (the drydock executable, which init).
    pub fn runtime_settings(&self) -> &runtime::Settings {
        &self.runtime
    }
    /// Replaces the runtime settings (tests point the runtime at the built binary and a host init).
    pub fn set_runtime_settings(&mut self, settings: runtime::Settings) {
        self.runtime = settings;
    }

    /// `docker search`: the hub's matches, the daemon's limit check and filters.
    pub fn search(
        &self,
        term: &str,
        limit: i64,
        filters: &filters::Filters,
    ) -> Result<Vec<api::SearchResult>> {
        if !(1..=100).contains(&limit) {
            return Err(StoreError::InvalidArgument(format!(
                "Limit {limit} is outside the range of [1, 100]"
            ))
            .into());
        }
        filters.validate(&["is-automated", "is-official", "stars"])?;
        let flag = |key: &str| -> Result<Option<bool>> {
            if !filters.contains(key) {
                return Ok(None);
            }
            if filters.unique_exact_match(key, "true") {
                Ok(Some(true))
            } else if filters.unique_exact_match(key, "false") {
                Ok(Some(false))
            } else {
                Err(filters::FilterError::invalid_values(key, &filters.get(key)).into())
            }
        };
        let automated = flag("is-automated")?;
        let official = flag("is-official")?;
        let mut stars = 0u64;
        for v in filters.get("stars") {
            let n: i64 = v
                .parse()
                .map_err(|_| filters::FilterError::invalid_value("stars", v))?;
            stars = stars.max(n.max(0) as u64);
        }
        let mut out: Vec<api::SearchResult> = self
            .hub
            .search(term)
            .into_iter()
            .take(limit as usize)
            .collect();
        out.retain(|r| {
            automated.is_none_or(|a| a == r.is_automated)
                && official.is_none_or(|o| o == r.is_official)
                && r.star_count >= stars
        });
        Ok(out)
    }

    /// The digest content trust (Notary) has signed for a tag on the hub.
    pub fn trusted_digest(
        &self,
        r: &reference::Reference,
    ) -> std::result::Result<digest::Digest, String> {
        if r.domain() != reference::DEFAULT_DOMAIN {
            return Err(format!(
                "Error: error contacting notary server: dial tcp: lookup {}: no such host",
                r.domain()
            ));
        }
        self.hub
            .trusted_target(r.path(), r.tag().unwrap_or("latest"))
    }
}

// Pipelines run commands in threads that share the engine.
const _: () = {
    const fn assert_sync<T: Sync + Send>() {}
    assert_sync::<Engine>();
};
