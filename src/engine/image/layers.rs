//! The layer store: `layerdb/sha256/<chain id>/` records and their unpacked files.
//!
//! Vocabulary (OCI image spec): a layer's *diff ID* is the sha256 of its uncompressed tar; its
//! *chain ID* names the stack of layers up to it: `chain(0) = diff(0)`,
//! `chain(n) = sha256(chain(n-1) + " " + diff(n))`. A layer record is written into a staging
//! directory and renamed into place whole, so a record in the layerdb is always complete.

use std::fs;
use std::io::{self, Read};
use std::path::PathBuf;

use super::super::digest::{Digest, HashingReader};
use super::super::fsutil;
use super::super::paths::Paths;
use super::unpack::{self, UnpackError};

/// The chain ID of `diff` on top of `parent`.
pub fn chain_id(parent: Option<&Digest>, diff: &Digest) -> Digest {
    match parent {
        None => diff.clone(),
        Some(p) => Digest::of(format!("{p} {diff}").as_bytes()),
    }
}

/// The chain IDs of a stack of diff IDs, bottom first.
pub fn chain_ids(diffs: &[Digest]) -> Vec<Digest> {
    let mut out: Vec<Digest> = Vec::with_capacity(diffs.len());
    for d in diffs {
        let c = chain_id(out.last(), d);
        out.push(c);
    }
    out
}

/// One registered layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layer {
    pub chain: Digest,
    pub diff: Digest,
    pub size: u64,
    pub cache_id: String,
    pub parent: Option<Digest>,
}

/// Errors of the layer store.
#[derive(Debug, thiserror::Error)]
pub enum LayerError {
    #[error("layer does not exist: {0}")]
    Unknown(Digest),
    #[error("{path}: corrupt layer record: {what}")]
    Corrupt { path: PathBuf, what: String },
    #[error("layer content digest {actual} does not match the expected diff ID {expected}")]
    DiffMismatch { expected: Digest, actual: Digest },
    #[error(transparent)]
    Unpack(#[from] UnpackError),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_at(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> LayerError {
    let path = path.into();
    move |source| LayerError::Io { path, source }
}

/// The layer store of one home and driver.
#[derive(Debug, Clone)]
pub struct LayerStore {
    paths: Paths,
}

impl LayerStore {
    pub fn new(paths: Paths) -> Self {
        LayerStore { paths }
    }

    pub fn exists(&self, chain: &Digest) -> bool {
        self.paths.layer(chain).join("diff").is_file()
    }

    /// Reads a layer record.
    pub fn get(&self, chain: &Digest) -> Result<Layer, LayerError> {
        let dir = self.paths.layer(chain);
        if !dir.is_dir() {
            return Err(LayerError::Unknown(chain.clone()));
        }
        let read = |name: &str| -> Result<String, LayerError> {
            let p = dir.join(name);
            fs::read_to_string(&p)
                .map_err(io_at(&p))
                .map(|s| s.trim().to_string())
        };
        let corrupt = |what: String| LayerError::Corrupt {
            path: dir.clone(),
            what,
        };
        let diff = Digest::parse(&read("diff")?).map_err(|e| corrupt(format!("diff: {e}")))?;
        let size = read("size")?
            .parse::<u64>()
            .map_err(|e| corrupt(format!("size: {e}")))?;
        let cache_id = read("cache-id")?;
        if cache_id.is_empty() || !cache_id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(corrupt("cache-id is not a hex ID".into()));
        }
        let parent = if dir.join("parent").exists() {
            Some(Digest::parse(&read("parent")?).map_err(|e| corrupt(format!("parent: {e}")))?)
        } else {
            None
        };
        Ok(Layer {
            chain: chain.clone(),
            diff,
            size,
            cache_id,
            parent,
        })
    }

    /// Unpacks an uncompressed layer stream on top of `parent` and records it, verifying that the
    /// stream's digest is `expected_diff`. Registering a chain that exists is a no-op.
    pub fn register(
        &self,
        parent: Option<&Digest>,
        expected_diff: &Digest,
        tar: &mut dyn Read,
    ) -> Result<Layer, LayerError> {
        let chain = chain_id(parent, expected_diff);
        if self.exists(&chain) {
            io::copy(tar, &mut io::sink()).map_err(io_at(self.paths.layer(&chain)))?;
            return self.get(&chain);
        }
        // Deterministic, so transcripts (inspect's GraphDriver paths) replay exactly.
        let cache_id = Digest::of(format!("drydock cache-id {chain}").as_bytes())
            .hex()
            .to_string();
        let diff_dir = self.paths.layer_diff(&cache_id);
        fsutil::remove_dir_if_exists(&diff_dir).map_err(io_at(&diff_dir))?;
        fs::create_dir_all(&diff_dir).map_err(io_at(&diff_dir))?;
        let hashing = HashingReader::new(tar);
        let result = unpack::unpack(hashing, &diff_dir);
        let (unpacked, hashing) = match result {
            Ok(v) => v,
            Err(e) => {
                let _ = fsutil::remove_dir_if_exists(&self.paths.driver_root().join(&cache_id));
                return Err(e.into());
            }
        };
        let (actual, _) = hashing.finish();
        if &actual != expected_diff {
            let _ = fsutil::remove_dir_if_exists(&self.paths.driver_root().join(&cache_id));
            return Err(LayerError::DiffMismatch {
                expected: expected_diff.clone(),
                actual,
            });
        }
        // Stage the record, then rename it in whole.
        let tmp_root = self.paths.tmp();
        fs::create_dir_all(&tmp_root).map_err(io_at(&tmp_root))?;
        let staged = tempfile::Builder::new()
            .prefix("layer-")
            .tempdir_in(&tmp_root)
            .map_err(io_at(&tmp_root))?;
        let put = |name: &str, v: String| -> Result<(), LayerError> {
            let p = staged.path().join(name);
            fs::write(&p, v).map_err(io_at(&p))
        };
        put("diff", expected_diff.to_string())?;
        put("size", unpacked.size.to_string())?;
        put("cache-id", cache_id.clone())?;
        if let Some(p) = parent {
            put("parent", p.to_string())?;
        }
        let dest = self.paths.layer(&chain);
        let layerdb = self.paths.layerdb();
        fs::create_dir_all(&layerdb).map_err(io_at(&layerdb))?;
        let staged_path = staged.keep();
        if let Err(e) = fs::rename(&staged_path, &dest) {
            let _ = fs::remove_dir_all(&staged_path);
            if !self.exists(&chain) {
                return Err(LayerError::Io {
                    path: dest,
                    source: e,
                });
            }
        }
        Ok(Layer {
            chain,
            diff: expected_diff.clone(),
            size: unpacked.size,
            cache_id,
            parent: parent.cloned(),
        })
    }

    /// Removes a layer record and its files.
    pub fn remove(&self, chain: &Digest) -> Result<(), LayerError> {
        let layer = self.get(chain)?;
        let dir = self.paths.layer(chain);
        // Rename first so a crash never leaves a half-deleted record that looks whole.
        let tmp_root = self.paths.tmp();
        fs::create_dir_all(&tmp_root).map_err(io_at(&tmp_root))?;
        let graveyard = tmp_root.join(format!("removed-{}", chain.hex()));
        fsutil::remove_dir_if_exists(&graveyard).map_err(io_at(&graveyard))?;
        fs::rename(&dir, &graveyard).map_err(io_at(&dir))?;
        fsutil::remove_dir_if_exists(&graveyard).map_err(io_at(&graveyard))?;
        let files = self.paths.driver_root().join(&layer.cache_id);
        fsutil::remove_dir_if_exists(&files).map_err(io_at(&files))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_ids_follow_the_oci_spec() {
        let a = Digest::of(b"a");
        let b = Digest::of(b"b");
        let chains = chain_ids(&[a.clone(), b.clone()]);
        assert_eq!(chains[0], a);
        assert_eq!(chains[1], Digest::of(format!("{a} {b}").as_bytes()));
    }

    #[test]
    fn register_verifies_the_diff_id() {
        let dir = tempfile::tempdir().unwrap();
        let store = LayerStore::new(Paths::new(dir.path(), "overlay2"));
        let mut b = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
        h.set_size(3);
        h.set_mode(0o644);
        b.append_data(&mut h, "f", &b"abc"[..]).unwrap();
        let t = b.into_inner().unwrap();
        let wrong = Digest::of(b"nope");
        assert!(matches!(
            store.register(None, &wrong, &mut &t[..]),
            Err(LayerError::DiffMismatch { .. })
        ));
        assert!(!store.exists(&wrong));
        let right = Digest::of(&t);
        let l = store.register(None, &right, &mut &t[..]).unwrap();
        assert_eq!(l.size, 3);
        assert_eq!(store.get(&right).unwrap(), l);
        store.remove(&right).unwrap();
        assert!(!store.exists(&right));
    }
}
