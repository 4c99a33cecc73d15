//! Pulling: tag → manifest (→ platform manifest) → config → layers, every digest verified, the image
//! registered atomically. Works over any [`Registry`], so the hub and private registries share it.
//!
//! Order of effects: blobs land in the content store (each verified before it is renamed in),
//! layers are unpacked and recorded, then the config goes into the imagedb with a pending marker,
//! then the references, then the marker goes. A failure at any step before the references leaves
//! nothing visible; see `engine::image` for the crash rule.

use std::io::{self, BufReader, Read};

use flate2::read::GzDecoder;

use super::super::content::ContentStore;
use super::super::digest::Digest;
use super::super::error::Error;
use super::super::image::layers;
use super::super::image::refs::Refs;
use super::super::image::{ImageStore, StoreError};
use super::super::oci::{self, ImageConfig, Index, Manifest};
use super::super::paths::Paths;
use super::super::progress::{Progress, ProgressSink};
use super::super::reference::Reference;
use super::{DistributionError, FetchedManifest, Registry};

/// The platform drydock runs images for.
pub const ARCH: &str = "amd64";
pub const OS: &str = "linux";

/// Configs and manifests are small; a larger one is refused rather than read into memory.
const MAX_MANIFEST: u64 = 8 << 20;

/// What a pull did.
#[derive(Debug, Clone)]
pub struct Pulled {
    /// The reference pulled (with its tag or digest).
    pub reference: Reference,
    /// The repository digest (of the manifest or manifest list).
    pub digest: Digest,
    pub image_id: Digest,
    /// The reference already pointed at this image.
    pub up_to_date: bool,
}

/// Errors specific to pulling.
#[derive(Debug, thiserror::Error)]
pub enum PullError {
    #[error("manifest verification failed for digest {0}")]
    ManifestDigest(Digest),
    #[error("no matching manifest for linux/amd64 in the manifest list entries")]
    NoPlatform,
    #[error("unsupported manifest media type and no default available: {0}")]
    MediaType(String),
    #[error("failed to parse manifest {digest}: {reason}")]
    BadManifest { digest: Digest, reason: String },
    #[error("failed to parse image config {digest}: {reason}")]
    BadConfig { digest: Digest, reason: String },
    #[error("filesystem layer verification failed for digest {0}")]
    LayerDigest(Digest),
    #[error("unsupported layer media type {0}")]
    LayerType(String),
}

/// The stores a pull writes to.
pub struct Target<'a> {
    pub paths: &'a Paths,
    pub content: &'a ContentStore,
    pub images: &'a ImageStore,
}

fn fetch_verified(
    registry: &dyn Registry,
    repo: &str,
    reference: &str,
) -> Result<FetchedManifest, Error> {
    let m = registry.manifest(repo, reference)?;
    if m.bytes.len() as u64 > MAX_MANIFEST {
        return Err(PullError::BadManifest {
            digest: m.digest,
            reason: "too large".into(),
        }
        .into());
    }
    let actual = Digest::of(&m.bytes);
    if actual != m.digest {
        return Err(PullError::ManifestDigest(m.digest).into());
    }
    if let Ok(want) = Digest::parse(reference)
        && want != actual
    {
        return Err(PullError::ManifestDigest(want).into());
    }
    Ok(m)
}

fn read_blob_small(registry: &dyn Registry, repo: &str, d: &Digest) -> Result<Vec<u8>, Error> {
    let mut r = registry.blob(repo, d)?.take(MAX_MANIFEST + 1);
    let mut v = Vec::new();
    r.read_to_end(&mut v).map_err(DistributionError::Io)?;
    if Digest::of(&v) != *d {
        return Err(PullError::LayerDigest(d.clone()).into());
    }
    Ok(v)
}

/// Pulls one tag or digest. `reference` must carry a tag or a digest.
pub fn pull(
    target: &Target<'_>,
    refs: &mut Refs,
    registry: &dyn Registry,
    reference: &Reference,
    sink: &mut dyn ProgressSink,
) -> Result<Pulled, Error> {
    let repo = reference.path();
    let (label, wire_ref) = match (reference.digest(), reference.tag()) {
        (Some(d), _) => (reference.to_string(), d.to_string()),
        (None, Some(t)) => (t.to_string(), t.to_string()),
        (None, None) => ("latest".to_string(), "latest".to_string()),
    };
    let top = fetch_verified(registry, repo, &wire_ref)?;
    sink.emit(Progress::status(format!("{label}: Pulling from {repo}")));
    let repo_digest = top.digest.clone();
    let mut manifests = vec![top.clone()];
    let manifest_fetch = if oci::is_index(&top.media_type) {
        let index: Index =
            serde_json::from_slice(&top.bytes).map_err(|e| PullError::BadManifest {
                digest: top.digest.clone(),
                reason: e.to_string(),
            })?;
        let pick = index
            .manifests
            .iter()
            .find(|d| {
                d.platform
                    .as_ref()
                    .is_some_and(|p| p.os == OS && p.architecture == ARCH)
            })
            .ok_or(PullError::NoPlatform)?;
        let m = fetch_verified(registry, repo, &pick.digest.to_string())?;
        manifests.push(m.clone());
        m
    } else if oci::is_manifest(&top.media_type) {
        top
    } else {
        return Err(PullError::MediaType(top.media_type).into());
    };
    let manifest: Manifest =
        serde_json::from_slice(&manifest_fetch.bytes).map_err(|e| PullError::BadManifest {
            digest: manifest_fetch.digest.clone(),
            reason: e.to_string(),
        })?;
    let image_id = manifest.config.digest.clone();

    if !target.images.exists(&image_id) {
        let raw = read_blob_small(registry, repo, &image_id)?;
        let config: ImageConfig =
            serde_json::from_slice(&raw).map_err(|e| PullError::BadConfig {
                digest: image_id.clone(),
                reason: e.to_string(),
            })?;
        let diffs = &config.rootfs.diff_ids;
        if diffs.len() != manifest.layers.len() {
            return Err(PullError::BadConfig {
                digest: image_id.clone(),
                reason: format!(
                    "{} layers in the manifest, {} diff IDs in the config",
                    manifest.layers.len(),
                    diffs.len()
                ),
            }
            .into());
        }
        pull_layers(target, registry, repo, &manifest, diffs, sink)?;
        for m in &manifests {
            target.content.put(&m.bytes).map_err(StoreError::from)?;
        }
        let id = target.images.put(&raw, None)?;
        debug_assert_eq!(id, image_id);
    }

    let mut up_to_date = true;
    let mut changed = false;
    let digest_ref = reference.with_digest(repo_digest.clone());
    for r in [Some(reference.clone()), Some(digest_ref)]
        .into_iter()
        .flatten()
    {
        let old = refs.set(&r, &image_id);
        if old.as_ref() != Some(&image_id) {
            changed = true;
            if r == *reference {
                up_to_date = false;
            }
        }
    }
    if changed {
        // Everything the references will point at reaches the disk before they do.
        super::super::fsutil::sync_filesystem(&target.paths.data_root());
        refs.save(target.paths)?;
    }
    target.images.commit(&image_id)?;
    Ok(Pulled {
        reference: reference.clone(),
        digest: repo_digest,
        image_id,
        up_to_date,
    })
}

fn pull_layers(
    target: &Target<'_>,
    registry: &dyn Registry,
    repo: &str,
    manifest: &Manifest,
    diffs: &[Digest],
    sink: &mut dyn ProgressSink,
) -> Result<(), Error> {
    let chains = layers::chain_ids(diffs);
    let mut missing = Vec::new();
    for (i, (desc, chain)) in manifest.layers.iter().zip(&chains).enumerate() {
        let id = desc.digest.short().to_string();
        if target.images.layers.exists(chain) {
            sink.emit(Progress::of(id, "Already exists"));
        } else {
            sink.emit(Progress::of(id, "Pulling fs layer"));
            missing.push(i);
        }
    }
    // Docker downloads three layers at a time; the rest wait.
    for &i in missing.iter().skip(3) {
        sink.emit(Progress::of(manifest.layers[i].digest.short(), "Waiting"));
    }
    for &i in &missing {
        let desc = &manifest.layers[i];
        let id = desc.digest.short().to_string();
        let mut src = registry.blob(repo, &desc.digest)?;
        let total = desc.size;
        let mut last = 0u64;
        let res = target
            .content
            .ingest(&mut src, Some(&desc.digest), Some(desc.size), &mut |n| {
                if n - last >= (512 << 10) || n == total {
                    last = n;
                    sink.emit(Progress::bar(id.clone(), "Downloading", n, total));
                }
            });
        match res {
            Ok(_) => {}
            Err(super::super::content::ContentError::DigestMismatch { .. })
            | Err(super::super::content::ContentError::SizeMismatch { .. }) => {
                return Err(PullError::LayerDigest(desc.digest.clone()).into());
            }
            Err(e) => return Err(StoreError::from(e).into()),
        }
        sink.emit(Progress::of(id.clone(), "Verifying Checksum"));
        sink.emit(Progress::of(id, "Download complete"));
    }
    for &i in &missing {
        let desc = &manifest.layers[i];
        let id = desc.digest.short().to_string();
        let parent = if i == 0 { None } else { Some(&chains[i - 1]) };
        let file = target
            .content
            .open(&desc.digest)
            .map_err(StoreError::from)?;
        let total = desc.size;
        let counted = CountingReader {
            inner: BufReader::with_capacity(1 << 20, file),
            n: 0,
            last: 0,
            total,
            id: &id,
            sink: &mut *sink,
        };
        let mut tar: Box<dyn Read> = match desc.media_type.as_str() {
            oci::MEDIA_DOCKER_LAYER_GZIP | oci::MEDIA_OCI_LAYER_GZIP => {
                Box::new(GzDecoder::new(counted))
            }
            oci::MEDIA_OCI_LAYER_TAR => Box::new(counted),
            other => return Err(PullError::LayerType(other.to_string()).into()),
        };
        target
            .images
            .layers
            .register(parent, &diffs[i], &mut tar)
            .map_err(StoreError::from)?;
        drop(tar);
        // Docker's last `Extracting` bar is always the full one, even when the unpacker stopped
        // at the tar's end-of-archive blocks with padding and the gzip trailer still unread.
        sink.emit(Progress::bar(id.clone(), "Extracting", total, total));
        record_distribution(target.paths, &desc.digest, &diffs[i], repo);
        sink.emit(Progress::of(id, "Pull complete"));
    }
    Ok(())
}

/// Remembers which blob a diff ID came from (Docker's `distribution/` metadata), so a later push or
/// save can reuse the exact compressed bytes. Best effort: losing it only costs a recompression.
fn record_distribution(paths: &Paths, blob: &Digest, diff: &Digest, repo: &str) {
    let _ = super::super::fsutil::write_atomic_nosync(
        &paths.tmp(),
        &paths.diffid_by_digest(blob),
        diff.to_string().as_bytes(),
    );
    let meta = serde_json::json!([{ "Digest": blob.to_string(), "SourceRepository": format!("docker.io/{repo}"), "HMAC": "" }]);
    let _ = super::super::fsutil::write_atomic_nosync(
        &paths.tmp(),
        &paths.v2metadata_by_diffid(diff),
        meta.to_string().as_bytes(),
    );
}

/// Counts compressed bytes read, for the `Extracting` bar (every 512 KiB; the full bar is
/// emitted once the layer is registered).
struct CountingReader<'a, R> {
    inner: R,
    n: u64,
    last: u64,
    total: u64,
    id: &'a str,
    sink: &'a mut dyn ProgressSink,
}

impl<R: Read> Read for CountingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.n += k as u64;
        if self.n - self.last >= (512 << 10) && self.n < self.total {
            self.last = self.n;
            self.sink
                .emit(Progress::bar(self.id, "Extracting", self.n, self.total));
        }
        Ok(k)
    }
}
