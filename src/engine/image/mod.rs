//! Image metadata: configs in the imagedb, references in `repositories.json`, layers in the layerdb.
//!
//! An image *exists* when its config is in `imagedb/content/sha256/<id>` and every layer of its
//! `rootfs` is in the layerdb. Registration order makes a crash harmless: layers first, then the
//! config (announced by a `pending/<id>` marker), then the references, then the marker is removed.
//! On open, a pending image that nothing references is rolled back, so a pull killed midway leaves
//! no half image visible.

pub mod layers;
pub mod owner;
pub mod refs;
pub mod rootfs;
pub mod tarsplit;
pub mod unpack;

use std::fs;
use std::io;
use std::path::PathBuf;

use jiff::Timestamp;

use super::content::ContentError;
use super::digest::Digest;
use super::error::ErrorKind;
use super::fsutil;
use super::oci::ImageConfig;
use super::paths::Paths;
use layers::{LayerError, LayerStore};

/// Errors of the image store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("No such image: {0}")]
    NoSuchImage(String),
    #[error("{path}: {what}")]
    Corrupt { path: PathBuf, what: String },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error(
        "another drydock process is using {path} and did not finish within {seconds}s; try again when it is done"
    )]
    Locked { path: PathBuf, seconds: f64 },
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("Invalid filter '{0}'")]
    InvalidFilter(String),
    #[error("{0}")]
    InvalidArgument(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Layer(#[from] LayerError),
    #[error(transparent)]
    Content(#[from] ContentError),
}

impl StoreError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            StoreError::NoSuchImage(_) | StoreError::NotFound(_) => ErrorKind::NotFound,
            StoreError::Unavailable(_) => ErrorKind::Unavailable,
            StoreError::Conflict(_) => ErrorKind::Conflict,
            StoreError::InvalidFilter(_) | StoreError::InvalidArgument(_) => {
                ErrorKind::InvalidArgument
            }
            StoreError::Locked { .. } => ErrorKind::Unavailable,
            StoreError::Content(e) => e.kind(),
            StoreError::Corrupt { .. } | StoreError::Io { .. } | StoreError::Layer(_) => {
                ErrorKind::Internal
            }
        }
    }
}

fn io_at(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> StoreError {
    let path = path.into();
    move |source| StoreError::Io { path, source }
}

/// An image as the store knows it.
#[derive(Debug, Clone)]
pub struct Image {
    pub id: Digest,
    /// The config's exact bytes.
    pub raw: Vec<u8>,
    pub config: ImageConfig,
    /// The local parent image (built or committed here), if any.
    pub parent: Option<Digest>,
    pub last_tag_time: Option<Timestamp>,
}

impl Image {
    /// The config's `created`, parsed (the Unix epoch when absent or unparsable).
    pub fn created(&self) -> Timestamp {
        self.config
            .created
            .as_deref()
            .and_then(|c| c.parse::<Timestamp>().ok())
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }

    /// The diff IDs of the image's layers, bottom first.
    pub fn diff_ids(&self) -> &[Digest] {
        &self.config.rootfs.diff_ids
    }

    /// The chain IDs of the image's layers, bottom first.
    pub fn chain_ids(&self) -> Vec<Digest> {
        layers::chain_ids(self.diff_ids())
    }
}

/// The imagedb and layerdb of one home and driver.
#[derive(Debug, Clone)]
pub struct ImageStore {
    paths: Paths,
    pub layers: LayerStore,
}

impl ImageStore {
    pub fn new(paths: Paths) -> Self {
        ImageStore {
            layers: LayerStore::new(paths.clone()),
            paths,
        }
    }

    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    /// Every image ID in the imagedb.
    pub fn ids(&self) -> Result<Vec<Digest>, StoreError> {
        let dir = self.paths.imagedb_content();
        let rd = match fs::read_dir(&dir) {
            Ok(rd) => rd,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(vec![]),
            Err(source) => return Err(StoreError::Io { path: dir, source }),
        };
        let mut out = Vec::new();
        for e in rd {
            let e = e.map_err(io_at(&dir))?;
            let name = e.file_name();
            let Some(name) = name.to_str() else { continue };
            // Stray files (an editor's backup, say) are not images.
            if let Ok(d) = Digest::from_hex(name) {
                out.push(d);
            }
        }
        out.sort();
        Ok(out)
    }

    pub fn exists(&self, id: &Digest) -> bool {
        self.paths.image_config(id).is_file()
    }

    /// The images that have a metadata directory (a local parent or a tag time), read in one
    /// directory listing so a listing of many images does not probe each one.
    pub fn ids_with_metadata(&self) -> std::collections::HashSet<Digest> {
        let Ok(rd) = fs::read_dir(self.paths.image_root().join("imagedb/metadata/sha256")) else {
            return Default::default();
        };
        rd.filter_map(|e| e.ok())
            .filter_map(|e| {
                e.file_name()
                    .to_str()
                    .and_then(|n| Digest::from_hex(n).ok())
            })
            .collect()
    }

    /// Loads an image, verifying that its config's bytes hash to its ID.
    pub fn get(&self, id: &Digest) -> Result<Image, StoreError> {
        self.get_with(id, true)
    }

    /// Loads an image; `has_metadata` false skips looking for its metadata files.
    pub fn get_with(&self, id: &Digest, has_metadata: bool) -> Result<Image, StoreError> {
        let path = self.paths.image_config(id);
        // Open and read without the size probe `fs::read` makes: listings read many small configs.
        let raw = match fs::File::open(&path).and_then(|mut f| {
            let mut v = Vec::with_capacity(4096);
            io::Read::read_to_end(&mut f, &mut v).map(|_| v)
        }) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(StoreError::NoSuchImage(id.to_string()));
            }
            Err(source) => return Err(StoreError::Io { path, source }),
        };
        if Digest::of(&raw) != *id {
            return Err(StoreError::Corrupt {
                path,
                what: "content does not match its digest (was the file edited by hand?)".into(),
            });
        }
        let config: ImageConfig =
            serde_json::from_slice(&raw).map_err(|e| StoreError::Corrupt {
                path: path.clone(),
                what: format!("not a valid image config: {e}"),
            })?;
        if !has_metadata {
            return Ok(Image {
                id: id.clone(),
                raw,
                config,
                parent: None,
                last_tag_time: None,
            });
        }
        let meta = self.paths.image_metadata(id);
        let parent = match fs::read_to_string(meta.join("parent")) {
            Ok(s) => Some(Digest::parse(s.trim()).map_err(|e| StoreError::Corrupt {
                path: meta.join("parent"),
                what: e.to_string(),
            })?),
            Err(_) => None,
        };
        let last_tag_time = fs::read_to_string(meta.join("lastUpdated"))
            .ok()
            .and_then(|s| s.trim().parse::<Timestamp>().ok());
        Ok(Image {
            id: id.clone(),
            raw,
            config,
            parent,
            last_tag_time,
        })
    }

    /// Writes a config into the imagedb (with a pending marker) and returns its ID. The caller
    /// references it and then calls [`ImageStore::commit`].
    pub fn put(&self, raw: &[u8], parent: Option<&Digest>) -> Result<Digest, StoreError> {
        let id = Digest::of(raw);
        let path = self.paths.image_config(&id);
        if !self.exists(&id) {
            let pending = self.paths.pending().join(id.hex());
            fsutil::write_atomic_nosync(&self.paths.tmp(), &pending, b"")
                .map_err(io_at(&pending))?;
            fsutil::write_atomic_nosync(&self.paths.tmp(), &path, raw).map_err(io_at(&path))?;
        }
        if let Some(p) = parent {
            let meta = self.paths.image_metadata(&id).join("parent");
            fsutil::write_atomic_nosync(&self.paths.tmp(), &meta, p.to_string().as_bytes())
                .map_err(io_at(&meta))?;
        }
        Ok(id)
    }

    /// Marks a registered image as complete.
    pub fn commit(&self, id: &Digest) -> Result<(), StoreError> {
        let pending = self.paths.pending().join(id.hex());
        fsutil::remove_file_if_exists(&pending).map_err(io_at(&pending))
    }

    /// Records when the image was last tagged (`Metadata.LastTagTime`).
    pub fn set_last_tag_time(&self, id: &Digest, at: Timestamp) -> Result<(), StoreError> {
        let p = self.paths.image_metadata(id).join("lastUpdated");
        fsutil::write_atomic(&self.paths.tmp(), &p, at.to_string().as_bytes()).map_err(io_at(&p))
    }

    /// Deletes an image's config and metadata (its layers are the caller's business).
    pub fn delete(&self, id: &Digest) -> Result<(), StoreError> {
        let p = self.paths.image_config(id);
        fsutil::remove_file_if_exists(&p).map_err(io_at(&p))?;
        let m = self.paths.image_metadata(id);
        fsutil::remove_dir_if_exists(&m).map_err(io_at(&m))
    }

    /// Images marked pending (registration began but may not have finished).
    pub fn pending(&self) -> Vec<Digest> {
        let Ok(rd) = fs::read_dir(self.paths.pending()) else {
            return vec![];
        };
        rd.filter_map(|e| e.ok())
            .filter_map(|e| {
                e.file_name()
                    .to_str()
                    .and_then(|n| Digest::from_hex(n).ok())
            })
            .collect()
    }
}
