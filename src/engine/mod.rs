//! The Docker engine: image store, offline hub, distribution. It never prints, never reads the
//! terminal and never imports the CLI; it returns typed values shaped like the Engine API's JSON
//! ([`api`]) and reports progress as events ([`progress`]).
//!
//! [`Engine`] is the one type the front ends hold. Every change to the store takes the store lock
//! ([`lock`]) for its duration; reads need no lock because every file is replaced atomically.

pub mod api;
pub mod clock;
pub mod config;
pub mod content;
pub mod digest;
pub mod distribution;
pub mod error;
pub mod filters;
pub mod fsutil;
pub mod hub;
pub mod image;
pub mod images;
pub mod lock;
pub mod oci;
pub mod paths;
pub mod progress;
pub mod reference;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use error::{Error, ErrorKind, Result};

use clock::{Clock, Rng};
use config::DaemonConfig;
use content::ContentStore;
use distribution::Registry;
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
    hub: Arc<dyn Registry>,
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
            Arc::new(hub::Hub::builtin()),
            Clock::from_env(),
            Rng::from_env(),
        )
    }

    /// Opens with an explicit hub, clock and random source (tests add images to the hub).
    pub fn open_with(
        home: &Path,
        hub: Arc<dyn Registry>,
        clock: Clock,
        rng: Rng,
    ) -> Result<Engine> {
        let config = DaemonConfig::load(&home.join("etc/docker/daemon.json"))
            .map_err(|e| StoreError::InvalidArgument(e.to_string()))?;
        let paths = Paths::new(home, config.driver());
        for dir in [
            home.join("root"),
            home.join("tmp"),
            home.join("etc/docker"),
            paths.image_root(),
        ] {
            std::fs::create_dir_all(&dir).map_err(|source| StoreError::Io {
                path: dir.clone(),
                source,
            })?;
        }
        let engine = Engine {
            content: ContentStore::new(paths.clone()),
            images: ImageStore::new(paths.clone()),
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
        let has_staging = std::fs::read_dir(self.paths.tmp())
            .map(|mut d| d.next().is_some())
            .unwrap_or(false);
        if pending.is_empty() && !has_staging {
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
        distribution::pull::clear_staging(&self.paths);
        Ok(())
    }

    /// Takes the store lock for a change.
    pub fn lock(&self) -> Result<StoreLock> {
        Ok(StoreLock::acquire(&self.paths.lock_file(), lock::WAIT)?)
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
}
