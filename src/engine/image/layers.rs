//! The layer store: `layerdb/sha256/<chain id>/` records and their unpacked files.
//!
//! Vocabulary (OCI image spec): a layer's *diff ID* is the sha256 of its uncompressed tar; its
//! *chain ID* names the stack of layers up to it: `chain(0) = diff(0)`,
//! `chain(n) = sha256(chain(n-1) + " " + diff(n))`. A layer record is written into a staging
//! directory and renamed into place whole, so a record in the layerdb is always complete.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::super::digest::{Digest, HashingReader};
use super::super::fsutil;
use super::super::paths::Paths;
use super::tarsplit;
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

/// Moves a tar-split record (and its spill folder, if any) from `from` into the record `to`.
fn move_split(from: &Path, to: &Path) -> io::Result<()> {
    fs::rename(from.join(tarsplit::FILE_NAME), to.join(tarsplit::FILE_NAME))?;
    let spill = from.join(tarsplit::SPILL_DIR);
    if spill.exists() {
        fs::rename(&spill, to.join(tarsplit::SPILL_DIR))?;
    }
    Ok(())
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
        self.register_as(parent, expected_diff, tar, false)
    }

    /// As [`register`](Self::register), also keeping the layer's [`tarsplit`] record, so its tar
    /// can be rebuilt from the files (for a layer with no other stored copy of its tar).
    pub fn register_with_tar_split(
        &self,
        parent: Option<&Digest>,
        expected_diff: &Digest,
        tar: &mut dyn Read,
    ) -> Result<Layer, LayerError> {
        self.register_as(parent, expected_diff, tar, true)
    }

    fn register_as(
        &self,
        parent: Option<&Digest>,
        expected_diff: &Digest,
        tar: &mut dyn Read,
        split: bool,
    ) -> Result<Layer, LayerError> {
        let chain = chain_id(parent, expected_diff);
        if self.exists(&chain) {
            io::copy(tar, &mut io::sink()).map_err(io_at(self.paths.layer(&chain)))?;
            return self.get(&chain);
        }
        let cache_id = Self::cache_id(&chain);
        let diff_dir = self.paths.layer_diff(&cache_id);
        fsutil::remove_dir_if_exists(&diff_dir).map_err(io_at(&diff_dir))?;
        fs::create_dir_all(&diff_dir).map_err(io_at(&diff_dir))?;
        let tmp_root = self.paths.tmp();
        fs::create_dir_all(&tmp_root).map_err(io_at(&tmp_root))?;
        let side = tempfile::Builder::new()
            .prefix("split-")
            .tempdir_in(&tmp_root)
            .map_err(io_at(&tmp_root))?;
        let hashing = HashingReader::new(tar);
        let result = if split {
            let rec = tarsplit::Recorder::create(
                &side.path().join(tarsplit::FILE_NAME),
                &side.path().join(tarsplit::SPILL_DIR),
            )
            .map_err(io_at(side.path()))?;
            unpack::unpack_recording(hashing, &diff_dir, rec).and_then(|(u, h, rec)| {
                rec.finish().map_err(UnpackError::Read)?;
                Ok((u, h))
            })
        } else {
            unpack::unpack(hashing, &diff_dir)
        };
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
        self.write_record(
            &chain,
            expected_diff,
            unpacked.size,
            &cache_id,
            parent,
            |staged| {
                if split {
                    move_split(side.path(), staged)?;
                }
                Ok(())
            },
        )
    }

    /// Deterministic, so transcripts (inspect's GraphDriver paths) replay exactly.
    fn cache_id(chain: &Digest) -> String {
        Digest::of(format!("drydock cache-id {chain}").as_bytes())
            .hex()
            .to_string()
    }

    /// Records a layer unpacked ahead of time (`docker load` unpacks while it reads the archive):
    /// `prepared` holds `diff/` (the files), the [`tarsplit`] record file and maybe its spill
    /// folder, all moved into the store. `diff` must already be verified. A chain that exists is
    /// left as it is.
    pub fn adopt(
        &self,
        parent: Option<&Digest>,
        diff: &Digest,
        prepared: &Path,
        size: u64,
    ) -> Result<Layer, LayerError> {
        let chain = chain_id(parent, diff);
        if self.exists(&chain) {
            return self.get(&chain);
        }
        let cache_id = Self::cache_id(&chain);
        let driver_dir = self.paths.driver_root().join(&cache_id);
        fsutil::remove_dir_if_exists(&driver_dir).map_err(io_at(&driver_dir))?;
        fs::create_dir_all(&driver_dir).map_err(io_at(&driver_dir))?;
        let from = prepared.join("diff");
        let to = self.paths.layer_diff(&cache_id);
        fs::rename(&from, &to).map_err(io_at(&from))?;
        let result = self.write_record(&chain, diff, size, &cache_id, parent, |staged| {
            move_split(prepared, staged)
        });
        if result.is_err() {
            let _ = fsutil::remove_dir_if_exists(&driver_dir);
        }
        result
    }

    /// Stages a layer record, then renames it into place whole.
    fn write_record(
        &self,
        chain: &Digest,
        diff: &Digest,
        size: u64,
        cache_id: &str,
        parent: Option<&Digest>,
        extra: impl FnOnce(&Path) -> io::Result<()>,
    ) -> Result<Layer, LayerError> {
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
        put("diff", diff.to_string())?;
        put("size", size.to_string())?;
        put("cache-id", cache_id.to_string())?;
        if let Some(p) = parent {
            put("parent", p.to_string())?;
        }
        extra(staged.path()).map_err(io_at(staged.path()))?;
        let dest = self.paths.layer(chain);
        let layerdb = self.paths.layerdb();
        fs::create_dir_all(&layerdb).map_err(io_at(&layerdb))?;
        let staged_path = staged.keep();
        if let Err(e) = fs::rename(&staged_path, &dest) {
            let _ = fs::remove_dir_all(&staged_path);
            if !self.exists(chain) {
                return Err(LayerError::Io {
                    path: dest,
                    source: e,
                });
            }
        }
        Ok(Layer {
            chain: chain.clone(),
            diff: diff.clone(),
            size,
            cache_id: cache_id.to_string(),
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
