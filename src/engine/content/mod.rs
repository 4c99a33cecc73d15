//! Blobs by digest: compressed layers and manifests, exactly as a registry served them.
//!
//! Lifecycle: `ingest` streams bytes into a staging file while hashing them; the file is renamed
//! into `blobs/sha256/<hex>` only if the digest (and size, when known) match, so a blob in the store
//! is always whole and correct (durable once the operation syncs the filesystem before its
//! commit point; see `fsutil`). Writing a blob that already exists is success. Verification never
//! holds a blob in memory.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::PathBuf;

use super::digest::{Digest, HashingWriter};
use super::error::ErrorKind;
use super::fsutil;
use super::paths::Paths;

/// Errors of the blob store.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error("filesystem layer verification failed for digest {expected}")]
    DigestMismatch { expected: Digest, actual: Digest },
    #[error("blob {digest}: size {actual} does not match the manifest's {expected}")]
    SizeMismatch {
        digest: Digest,
        expected: u64,
        actual: u64,
    },
    #[error("blob {digest} is not in the store")]
    Missing { digest: Digest },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

impl ContentError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            ContentError::DigestMismatch { .. } | ContentError::SizeMismatch { .. } => {
                ErrorKind::InvalidArgument
            }
            ContentError::Missing { .. } => ErrorKind::NotFound,
            ContentError::Io { .. } => ErrorKind::Internal,
        }
    }
}

/// The blob store of one home.
#[derive(Debug, Clone)]
pub struct ContentStore {
    paths: Paths,
}

impl ContentStore {
    pub fn new(paths: Paths) -> Self {
        ContentStore { paths }
    }

    fn io(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> ContentError {
        let path = path.into();
        move |source| ContentError::Io { path, source }
    }

    pub fn exists(&self, d: &Digest) -> bool {
        self.paths.blob(d).is_file()
    }

    /// Opens a stored blob.
    pub fn open(&self, d: &Digest) -> Result<File, ContentError> {
        let p = self.paths.blob(d);
        File::open(&p).map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                ContentError::Missing { digest: d.clone() }
            } else {
                ContentError::Io { path: p, source: e }
            }
        })
    }

    /// Reads a small stored blob (a manifest or config) whole.
    pub fn read(&self, d: &Digest) -> Result<Vec<u8>, ContentError> {
        let mut v = Vec::new();
        self.open(d)?
            .read_to_end(&mut v)
            .map_err(Self::io(self.paths.blob(d)))?;
        Ok(v)
    }

    /// Streams `src` into the store, verifying it against `expected` (and `size` when given).
    /// `progress` is told the running byte count. Returns the digest and size.
    pub fn ingest(
        &self,
        src: &mut dyn Read,
        expected: Option<&Digest>,
        size: Option<u64>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(Digest, u64), ContentError> {
        if let Some(d) = expected
            && self.exists(d)
        {
            // Already here (and verified when it was written): nothing to fetch.
            return Ok((
                d.clone(),
                fs::metadata(self.paths.blob(d))
                    .map(|m| m.len())
                    .unwrap_or(0),
            ));
        }
        let tmp_dir = self.paths.tmp();
        fs::create_dir_all(&tmp_dir).map_err(Self::io(&tmp_dir))?;
        let tmp = tempfile::NamedTempFile::new_in(&tmp_dir).map_err(Self::io(&tmp_dir))?;
        let mut w = HashingWriter::new(io::BufWriter::with_capacity(1 << 20, tmp));
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = match src.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(ContentError::Io {
                        path: tmp_dir.clone(),
                        source: e,
                    });
                }
            };
            w.write_all(&buf[..n]).map_err(Self::io(&tmp_dir))?;
            progress(w.len());
        }
        let len = w.len();
        let (digest, bw) = w.finish();
        if let Some(exp) = expected {
            if *exp != digest {
                return Err(ContentError::DigestMismatch {
                    expected: exp.clone(),
                    actual: digest,
                });
            }
            if let Some(s) = size
                && s != len
            {
                return Err(ContentError::SizeMismatch {
                    digest,
                    expected: s,
                    actual: len,
                });
            }
        }
        let tmp = bw.into_inner().map_err(|e| ContentError::Io {
            path: tmp_dir.clone(),
            source: e.into_error(),
        })?;
        let dest = self.paths.blob(&digest);
        let blobs = self.paths.blobs();
        fs::create_dir_all(&blobs).map_err(Self::io(&blobs))?;
        tmp.persist(&dest).map_err(|e| ContentError::Io {
            path: dest.clone(),
            source: e.error,
        })?;
        Ok((digest, len))
    }

    /// Stores bytes already in memory (manifests).
    pub fn put(&self, bytes: &[u8]) -> Result<Digest, ContentError> {
        let d = Digest::of(bytes);
        if !self.exists(&d) {
            fsutil::write_atomic_nosync(&self.paths.tmp(), &self.paths.blob(&d), bytes)
                .map_err(Self::io(self.paths.blob(&d)))?;
        }
        Ok(d)
    }

    /// Deletes a blob (absent is fine).
    pub fn delete(&self, d: &Digest) -> Result<(), ContentError> {
        fsutil::remove_file_if_exists(&self.paths.blob(d)).map_err(Self::io(self.paths.blob(d)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, ContentStore) {
        let dir = tempfile::tempdir().unwrap();
        let s = ContentStore::new(Paths::new(dir.path(), "overlay2"));
        (dir, s)
    }

    #[test]
    fn ingest_verifies_and_commits() {
        let (_d, s) = store();
        let data = b"hello layer".to_vec();
        let want = Digest::of(&data);
        let (got, n) = s
            .ingest(&mut &data[..], Some(&want), Some(11), &mut |_| {})
            .unwrap();
        assert_eq!((got.clone(), n), (want.clone(), 11));
        assert_eq!(s.read(&want).unwrap(), data);
    }

    #[test]
    fn ingest_refuses_a_wrong_digest_and_leaves_nothing() {
        let (_d, s) = store();
        let want = Digest::of(b"the real thing");
        let err = s
            .ingest(&mut &b"tampered"[..], Some(&want), None, &mut |_| {})
            .unwrap_err();
        assert!(matches!(err, ContentError::DigestMismatch { .. }));
        assert!(!s.exists(&want));
        assert!(!s.exists(&Digest::of(b"tampered")));
    }

    #[test]
    fn ingest_refuses_a_truncated_blob() {
        let (_d, s) = store();
        let data = b"0123456789";
        let want = Digest::of(data);
        let err = s
            .ingest(&mut &data[..5], Some(&want), Some(10), &mut |_| {})
            .unwrap_err();
        assert!(matches!(err, ContentError::DigestMismatch { .. }));
    }
}
