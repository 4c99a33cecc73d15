//! Where everything lives under `DRYDOCK_HOME`, the virtual host's `/`.
//!
//! ```text
//! DRYDOCK_HOME/                               the virtual host's /
//! ├── root/                                   the learner's home and starting directory
//! ├── tmp/
//! ├── etc/docker/daemon.json                  storage-driver, experimental, insecure-registries
//! └── var/lib/docker/                         Docker's data root
//!     ├── drydock.lock                        held while a drydock process changes the store
//!     ├── tmp/                                staging: every write lands here, then is renamed in
//!     ├── content/blobs/sha256/<hex>          compressed layer blobs and manifests, by digest
//!     ├── image/<driver>/
//!     │   ├── repositories.json               {"Repositories": {repo: {ref: image id}}}
//!     │   ├── imagedb/content/sha256/<id>     image configs; <id> = sha256 of the file's bytes
//!     │   ├── imagedb/metadata/sha256/<id>/   parent (local parent image), lastUpdated (LastTagTime)
//!     │   ├── imagedb/pending/<id>            an image being registered (rolled back if a crash
//!     │   │                                   leaves it unreferenced)
//!     │   ├── layerdb/sha256/<chain id>/      diff, size, cache-id, parent
//!     │   └── distribution/
//!     │       ├── diffid-by-digest/sha256/<blob hex>      the layer's diff ID
//!     │       └── v2metadata-by-diffid/sha256/<diff hex>  [{Digest, SourceRepository, HMAC}]
//!     ├── volumes/<name>/_data/               a volume's files (named, or 64-hex anonymous)
//!     ├── volumes/<name>/drydock-volume.json  labels and driver options of `volume create`
//!     └── <driver>/<cache id>/diff/           a layer's files, unpacked
//! ```
//!
//! Images stored under one driver are invisible under another, as in Docker.

use std::path::{Path, PathBuf};

use super::digest::Digest;

/// The paths of one home and storage driver.
#[derive(Debug, Clone)]
pub struct Paths {
    home: PathBuf,
    driver: String,
}

impl Paths {
    pub fn new(home: impl Into<PathBuf>, driver: impl Into<String>) -> Self {
        Paths {
            home: home.into(),
            driver: driver.into(),
        }
    }

    pub fn home(&self) -> &Path {
        &self.home
    }
    pub fn driver(&self) -> &str {
        &self.driver
    }
    pub fn daemon_json(&self) -> PathBuf {
        self.home.join("etc/docker/daemon.json")
    }
    pub fn data_root(&self) -> PathBuf {
        self.home.join("var/lib/docker")
    }
    pub fn volumes(&self) -> PathBuf {
        self.data_root().join("volumes")
    }
    pub fn lock_file(&self) -> PathBuf {
        self.data_root().join("drydock.lock")
    }
    pub fn tmp(&self) -> PathBuf {
        self.data_root().join("tmp")
    }
    pub fn blobs(&self) -> PathBuf {
        self.data_root().join("content/blobs/sha256")
    }
    pub fn blob(&self, d: &Digest) -> PathBuf {
        self.blobs().join(d.hex())
    }
    pub fn image_root(&self) -> PathBuf {
        self.data_root().join("image").join(&self.driver)
    }
    pub fn repositories_json(&self) -> PathBuf {
        self.image_root().join("repositories.json")
    }
    pub fn imagedb_content(&self) -> PathBuf {
        self.image_root().join("imagedb/content/sha256")
    }
    pub fn image_config(&self, id: &Digest) -> PathBuf {
        self.imagedb_content().join(id.hex())
    }
    pub fn image_metadata(&self, id: &Digest) -> PathBuf {
        self.image_root()
            .join("imagedb/metadata/sha256")
            .join(id.hex())
    }
    pub fn pending(&self) -> PathBuf {
        self.image_root().join("imagedb/pending")
    }
    pub fn layerdb(&self) -> PathBuf {
        self.image_root().join("layerdb/sha256")
    }
    pub fn layer(&self, chain: &Digest) -> PathBuf {
        self.layerdb().join(chain.hex())
    }
    pub fn diffid_by_digest(&self, blob: &Digest) -> PathBuf {
        self.image_root()
            .join("distribution/diffid-by-digest/sha256")
            .join(blob.hex())
    }
    pub fn v2metadata_by_diffid(&self, diff: &Digest) -> PathBuf {
        self.image_root()
            .join("distribution/v2metadata-by-diffid/sha256")
            .join(diff.hex())
    }
    pub fn driver_root(&self) -> PathBuf {
        self.data_root().join(&self.driver)
    }
    pub fn layer_diff(&self, cache_id: &str) -> PathBuf {
        self.driver_root().join(cache_id).join("diff")
    }
}
