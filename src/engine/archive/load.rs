//! `docker load`: a docker-archive (Docker's or skopeo's `manifest.json`) or an OCI image layout
//! (`index.json`, `blobs/sha256/…`), plain or gzip-compressed, into the store, all or nothing.
//!
//! Order: stream the archive once ([`reader`]): every file is hashed as it passes, and a file that
//! starts like a layer is unpacked on a second thread as it streams, recording its tar-split (so
//! an uncompressed layer is written once, as files, and its tar rebuilt for save, as Docker keeps
//! it). Then plan every image and verify every digest that can be checked without the store
//! (configs, uncompressed layers against their diff IDs, OCI blobs against their descriptors),
//! then move each unpacked layer into the store (a compressed one verified against its diff ID
//! there; a file that was not unpacked, or serves a second chain, is registered from its bytes),
//! keep compressed blobs in the content store, put the configs (pending), point the tags, commit.
//! Any failure after the store began to change removes what this load added, so no image, layer or
//! blob of a failed load stays. dockerd instead untars the whole archive to a temporary folder and
//! then applies each layer from there: every byte written twice.
//!
//! Output follows dockerd's `tarexport/load.go`: `Loaded image: <tag>` per tag,
//! `The image … already exists, renaming the old one …` when a tag moves, and `Loaded image ID:
//! sha256:…` lines when the last image had no tag. `Loading layer` bars are progress (a terminal
//! shows them; the CLI is quiet otherwise), keyed by the layer's short diff ID as dockerd's are: a
//! layer stored by digest (`<hex>.tar`, `blobs/sha256/<hex>`) shows its bar as it streams; one in a
//! `<v1 id>/layer.tar` folder (Docker 20.10's layout) only once the manifest has named its diff ID,
//! as a finished bar. Unlike dockerd, which prints as it goes, every image's layers are registered
//! before the first `Loaded image` line, because the load is one unit.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Read};

use serde::Deserialize;

use super::super::digest::Digest;
use super::super::image::StoreError;
use super::super::image::layers::{LayerError, chain_id};
use super::super::image::refs::Refs;
use super::super::oci::{self, ImageConfig, Manifest, Platform};
use super::super::progress::{Progress, ProgressSink};
use super::super::reference::Reference;
use super::super::{Engine, Result, fsutil};
use super::reader::{self, Limit, Staged, StagedFile};
use super::{ArchiveError, Encoding, layer_copy, record_blob};

/// How to load.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// No `Loading layer` progress (the CLI sets it off a terminal, as docker/cli does).
    pub quiet: bool,
    /// The most uncompressed bytes accepted (outer archive, and each compressed layer).
    pub max_uncompressed: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            quiet: false,
            max_uncompressed: super::DEFAULT_MAX_UNCOMPRESSED,
        }
    }
}

/// What a load added: each image with the tags the archive gave it.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub images: Vec<(Digest, Vec<Reference>)>,
}

#[derive(Deserialize)]
struct ManifestIn {
    #[serde(rename = "Config")]
    config: String,
    #[serde(rename = "RepoTags", default)]
    repo_tags: Option<Vec<String>>,
    #[serde(rename = "Layers", default)]
    layers: Vec<String>,
    #[serde(rename = "Parent", default)]
    parent: Option<String>,
}

#[derive(Deserialize)]
struct OciDescriptor {
    #[serde(rename = "mediaType", default)]
    media_type: String,
    digest: Digest,
    #[serde(default)]
    size: Option<u64>,
    #[serde(default)]
    platform: Option<Platform>,
    #[serde(default)]
    annotations: std::collections::BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct OciIndex {
    #[serde(default)]
    manifests: Vec<OciDescriptor>,
}

struct PlanLayer {
    file: StagedFile,
    encoding: Encoding,
}

struct PlanImage {
    raw: Vec<u8>,
    id: Digest,
    diffs: Vec<Digest>,
    layers: Vec<PlanLayer>,
    tags: Vec<Reference>,
    parent: Option<Digest>,
}

fn bad_json(what: &str, e: serde_json::Error) -> ArchiveError {
    ArchiveError::BadJson {
        what: what.to_string(),
        reason: e.to_string(),
    }
}

/// Parses a config and checks what dockerd checks before loading it.
fn parse_config(what: &str, raw: &[u8]) -> Result<ImageConfig, ArchiveError> {
    let config: ImageConfig = serde_json::from_slice(raw).map_err(|e| bad_json(what, e))?;
    if !config.os.is_empty() && config.os != "linux" {
        return Err(ArchiveError::BadJson {
            what: what.to_string(),
            reason: format!(
                "image operating system {:?} cannot be used on this platform",
                config.os
            ),
        });
    }
    Ok(config)
}

fn tag_of(s: &str) -> Result<Reference, ArchiveError> {
    let r = Reference::parse_named(s).map_err(|_| ArchiveError::InvalidTag(s.to_string()))?;
    if r.tag().is_none() || r.digest().is_some() {
        return Err(ArchiveError::InvalidTag(s.to_string()));
    }
    Ok(r)
}

fn docker_plan(staged: &Staged) -> Result<Vec<PlanImage>, ArchiveError> {
    let manifest: Vec<ManifestIn> = serde_json::from_slice(&staged.read_small("manifest.json")?)
        .map_err(|e| bad_json("manifest.json", e))?;
    let mut out: Vec<PlanImage> = Vec::new();
    for m in manifest {
        let raw = staged.read_small(&m.config)?;
        let id = Digest::of(&raw);
        // skopeo and Docker name the config by its digest: a name that says otherwise is damage.
        let base = m.config.rsplit('/').next().unwrap_or(&m.config);
        let hex = base.strip_suffix(".json").unwrap_or(base);
        if Digest::from_hex(hex).is_ok() && hex != id.hex() {
            return Err(ArchiveError::BlobDigest {
                name: m.config.clone(),
                actual: id,
            });
        }
        let config = parse_config(&m.config, &raw)?;
        let diffs = config.rootfs.diff_ids.clone();
        if m.layers.len() != diffs.len() {
            return Err(ArchiveError::LayerCount {
                expected: m.layers.len(),
                actual: diffs.len(),
            });
        }
        let mut layers = Vec::new();
        for (i, (path, diff)) in m.layers.iter().zip(&diffs).enumerate() {
            let file = staged.file(path)?.clone();
            let encoding = file.encoding()?;
            if encoding == Encoding::Plain && file.digest != *diff {
                return Err(ArchiveError::DiffId {
                    index: i,
                    expected: diff.to_string(),
                    actual: file.digest.to_string(),
                });
            }
            layers.push(PlanLayer { file, encoding });
        }
        let mut tags = Vec::new();
        for t in m.repo_tags.unwrap_or_default() {
            tags.push(tag_of(&t)?);
        }
        let parent = m.parent.as_deref().and_then(|p| Digest::parse(p).ok());
        out.push(PlanImage {
            raw,
            id,
            diffs,
            layers,
            tags,
            parent,
        });
    }
    Ok(out)
}

/// A blob of an OCI layout, its digest (and size, when given) verified.
fn oci_blob<'a>(staged: &'a Staged, d: &OciDescriptor) -> Result<&'a StagedFile, ArchiveError> {
    let name = format!("blobs/sha256/{}", d.digest.hex());
    let f = staged.file(&name)?;
    if f.digest != d.digest || d.size.is_some_and(|s| s != f.size) {
        return Err(ArchiveError::BlobDigest {
            name,
            actual: f.digest.clone(),
        });
    }
    Ok(f)
}

fn oci_small(staged: &Staged, d: &OciDescriptor) -> Result<Vec<u8>, ArchiveError> {
    let f = oci_blob(staged, d)?;
    if f.size > super::MAX_METADATA {
        return Err(ArchiveError::MetadataTooLarge {
            what: format!("blob {}", d.digest),
            limit: super::MAX_METADATA,
        });
    }
    fs::read(&f.path).map_err(super::io_at(&f.path))
}

/// The tag an index entry names: containerd's full-name annotation, else an OCI `ref.name` that
/// is a whole `name:tag` (skopeo writes just the tag, which names no repository).
fn oci_tag(d: &OciDescriptor) -> Option<Reference> {
    if let Some(n) = d.annotations.get("io.containerd.image.name") {
        return tag_of(n).ok();
    }
    let n = d.annotations.get("org.opencontainers.image.ref.name")?;
    let last = n.rsplit('/').next().unwrap_or(n);
    if last.contains(':') {
        tag_of(n).ok()
    } else {
        None
    }
}

fn oci_plan(staged: &Staged) -> Result<Vec<PlanImage>, ArchiveError> {
    let index: OciIndex = serde_json::from_slice(&staged.read_small("index.json")?)
        .map_err(|e| bad_json("index.json", e))?;
    let mut out: Vec<PlanImage> = Vec::new();
    for top in &index.manifests {
        let tag = oci_tag(top);
        let mut desc_bytes = oci_small(staged, top)?;
        if oci::is_index(&top.media_type) {
            let nested: OciIndex = serde_json::from_slice(&desc_bytes)
                .map_err(|e| bad_json(&format!("index {}", top.digest), e))?;
            let pick = nested
                .manifests
                .iter()
                .find(|m| {
                    m.platform
                        .as_ref()
                        .is_some_and(|p| p.os == "linux" && p.architecture == "amd64")
                })
                .ok_or(ArchiveError::NoPlatform)?;
            desc_bytes = oci_small(staged, pick)?;
        }
        let manifest: Manifest = serde_json::from_slice(&desc_bytes)
            .map_err(|e| bad_json(&format!("manifest {}", top.digest), e))?;
        let cdesc = OciDescriptor {
            media_type: manifest.config.media_type.clone(),
            digest: manifest.config.digest.clone(),
            size: Some(manifest.config.size),
            platform: None,
            annotations: Default::default(),
        };
        let raw = oci_small(staged, &cdesc)?;
        let id = Digest::of(&raw);
        let config = parse_config(&format!("config {id}"), &raw)?;
        let diffs = config.rootfs.diff_ids.clone();
        if manifest.layers.len() != diffs.len() {
            return Err(ArchiveError::LayerCount {
                expected: manifest.layers.len(),
                actual: diffs.len(),
            });
        }
        let mut layers = Vec::new();
        for (i, (l, diff)) in manifest.layers.iter().zip(&diffs).enumerate() {
            let d = OciDescriptor {
                media_type: l.media_type.clone(),
                digest: l.digest.clone(),
                size: Some(l.size),
                platform: None,
                annotations: Default::default(),
            };
            let file = oci_blob(staged, &d)?.clone();
            let encoding = match l.media_type.as_str() {
                oci::MEDIA_OCI_LAYER_TAR | "application/vnd.docker.image.rootfs.diff.tar" => {
                    Encoding::Plain
                }
                oci::MEDIA_OCI_LAYER_GZIP | oci::MEDIA_DOCKER_LAYER_GZIP => Encoding::Gzip,
                other => return Err(ArchiveError::MediaType(other.to_string())),
            };
            if encoding == Encoding::Plain && file.digest != *diff {
                return Err(ArchiveError::DiffId {
                    index: i,
                    expected: diff.to_string(),
                    actual: file.digest.to_string(),
                });
            }
            layers.push(PlanLayer { file, encoding });
        }
        match out.iter_mut().find(|p| p.id == id) {
            Some(p) => p.tags.extend(tag),
            None => out.push(PlanImage {
                raw,
                id,
                diffs,
                layers,
                tags: tag.into_iter().collect(),
                parent: None,
            }),
        }
    }
    Ok(out)
}

/// dockerd's legacy loader, reached when there is no `manifest.json`: it wants `<dir>/json` in
/// the first directory, then a `repositories` file, and says which one it could not open.
fn legacy_error(staged: &Staged) -> ArchiveError {
    match staged.top_dirs().first() {
        Some(d) if staged.has(&format!("{d}/json")) => ArchiveError::Legacy(d.clone()),
        Some(d) => ArchiveError::Missing {
            path: format!("{}/{d}/json", staged.shown_root),
        },
        None => ArchiveError::Missing {
            path: format!("{}/repositories", staged.shown_root),
        },
    }
}

/// Counts the raw bytes of a layer file for the `Loading layer` bar.
struct Counting<'a, R> {
    inner: R,
    n: u64,
    last: u64,
    total: u64,
    id: String,
    sink: Option<&'a mut dyn ProgressSink>,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.n += k as u64;
        if let Some(sink) = self.sink.as_deref_mut()
            && (self.n - self.last >= (512 << 10) || (k == 0 && self.n != self.last))
        {
            self.last = self.n;
            sink.emit(Progress::bar(
                self.id.clone(),
                "Loading layer",
                self.n,
                self.total,
            ));
        }
        Ok(k)
    }
}

/// What a load added to the store so far, for the rollback.
#[derive(Default)]
struct Added {
    chains: Vec<Digest>,
    blobs: Vec<(Digest, Option<Digest>)>,
    images: Vec<Digest>,
}

impl Engine {
    /// `docker load` from a stream.
    pub fn load(
        &self,
        src: &mut dyn Read,
        opts: &LoadOptions,
        sink: &mut dyn ProgressSink,
    ) -> Result<Loaded> {
        let _lock = self.lock()?;
        // dockerd untars into `<data-root>/tmp/docker-import-<random>`; its errors name that path.
        let shown = format!(
            "/var/lib/docker/tmp/docker-import-{}",
            self.rng.next_u64() as u32
        );
        let staged = reader::stage(
            src,
            &self.paths().tmp(),
            shown,
            opts.max_uncompressed,
            (!opts.quiet).then_some(&mut *sink),
        )?;
        let plan = if staged.has("manifest.json") {
            docker_plan(&staged)?
        } else if staged.has("index.json") {
            oci_plan(&staged)?
        } else {
            return Err(legacy_error(&staged).into());
        };
        let mut added = Added::default();
        match self.commit_load(&staged, &plan, opts, sink, &mut added) {
            Ok(loaded) => Ok(loaded),
            Err(e) => {
                self.roll_back(&added);
                Err(e)
            }
        }
    }

    fn commit_load(
        &self,
        staged: &Staged,
        plan: &[PlanImage],
        opts: &LoadOptions,
        sink: &mut dyn ProgressSink,
        added: &mut Added,
    ) -> Result<Loaded> {
        let layers = &self.image_store().layers;
        let mut copies: Vec<(&StagedFile, Encoding, &Digest, Digest)> = Vec::new();
        // Where each diff ID of this load is registered, for a second chain of the same layer.
        let mut registered: HashMap<Digest, Digest> = HashMap::new();
        for img in plan {
            let mut parent: Option<Digest> = None;
            for (i, (l, diff)) in img.layers.iter().zip(&img.diffs).enumerate() {
                let chain = chain_id(parent.as_ref(), diff);
                let mismatch = |actual: &Digest| ArchiveError::DiffId {
                    index: i,
                    expected: diff.to_string(),
                    actual: actual.to_string(),
                };
                if !layers.exists(&chain) {
                    match staged.take_layer(&l.file) {
                        Some(Err(e)) => return Err(StoreError::from(LayerError::Unpack(e)).into()),
                        Some(Ok(u)) if u.diff != *diff => return Err(mismatch(&u.diff).into()),
                        Some(Ok(u)) => {
                            if !opts.quiet && !l.file.progress_shown {
                                let n = l.file.size;
                                sink.emit(Progress::bar(diff.short(), "Loading layer", n, n));
                            }
                            layers
                                .adopt(parent.as_ref(), diff, &u.dir, u.size)
                                .map_err(StoreError::from)?;
                            added.chains.push(chain.clone());
                        }
                        None => {
                            let mut tar = self.layer_stream(l, diff, &registered, opts, sink)?;
                            // Without its own stored tar, the layer keeps a tar-split for save.
                            let r = if l.file.kept {
                                layers.register(parent.as_ref(), diff, &mut tar)
                            } else {
                                layers.register_with_tar_split(parent.as_ref(), diff, &mut tar)
                            };
                            match r {
                                Ok(_) => added.chains.push(chain.clone()),
                                Err(LayerError::DiffMismatch { actual, .. }) => {
                                    return Err(mismatch(&actual).into());
                                }
                                Err(e) => return Err(StoreError::from(e).into()),
                            }
                        }
                    }
                }
                registered
                    .entry(diff.clone())
                    .or_insert_with(|| chain.clone());
                copies.push((&l.file, l.encoding, diff, chain.clone()));
                parent = Some(chain);
            }
        }
        // Keep the compressed blobs (the content store's distribution cache, as a pull does), and
        // a copy of any uncompressed tar that has no tar-split to rebuild it from.
        for (file, encoding, diff, chain) in copies {
            if encoding == Encoding::Plain
                && (!file.kept || layer_copy(self.paths(), self.content(), diff, &chain).is_some())
            {
                continue;
            }
            let blob = match encoding {
                Encoding::Plain => diff.clone(),
                _ => file.digest.clone(),
            };
            let dest = self.paths().blob(&blob);
            if !self.content().exists(&blob) {
                if let Some(d) = dest.parent() {
                    fs::create_dir_all(d).map_err(super::io_at(d))?;
                }
                // A link, not a rename: the same staged file may back another layer.
                fs::hard_link(&file.path, &dest)
                    .or_else(|_| fs::copy(&file.path, &dest).map(|_| ()))
                    .map_err(super::io_at(&dest))?;
                added.blobs.push((
                    blob.clone(),
                    (encoding != Encoding::Plain).then(|| diff.clone()),
                ));
            }
            if encoding != Encoding::Plain {
                record_blob(self.paths(), &blob, diff);
            }
        }
        fsutil::sync_filesystem(&self.paths().data_root());
        let store = self.image_store();
        let ids: HashSet<&Digest> = plan.iter().map(|p| &p.id).collect();
        for img in plan {
            // Parent links only between images of this archive whose layers stack (dockerd's
            // `validatedParentLinks` and `setParentID`).
            let parent = img.parent.as_ref().filter(|p| {
                ids.contains(p)
                    && *p != &img.id
                    && plan
                        .iter()
                        .find(|q| &q.id == *p)
                        .is_some_and(|q| img.diffs.starts_with(&q.diffs))
            });
            let existed = store.exists(&img.id);
            store.put(&img.raw, parent)?;
            if !existed {
                added.images.push(img.id.clone());
            }
        }
        let mut refs = Refs::load(self.paths())?;
        let mut lines = Vec::new();
        let mut id_lines = Vec::new();
        let mut last_tagged = 0;
        for img in plan {
            id_lines.push(format!("Loaded image ID: {}", img.id));
            last_tagged = img.tags.len();
            for t in &img.tags {
                if let Some(old) = refs.get(t)
                    && *old != img.id
                {
                    lines.push(format!(
                        "The image {} already exists, renaming the old one with ID {old} to empty string",
                        t.familiar()
                    ));
                }
                refs.set(t, &img.id);
                lines.push(format!("Loaded image: {}", t.familiar()));
            }
        }
        if plan.iter().any(|p| !p.tags.is_empty()) {
            refs.save(self.paths())?;
        }
        for img in plan {
            store.commit(&img.id)?;
        }
        // dockerd prints the ID lines when the *last* image of the archive had no tag.
        if last_tagged == 0 {
            lines.extend(id_lines);
        }
        for l in lines {
            sink.emit(Progress::status(l));
        }
        Ok(Loaded {
            images: plan
                .iter()
                .map(|p| (p.id.clone(), p.tags.clone()))
                .collect(),
        })
    }

    /// A layer's tar when it was not unpacked as it streamed (the file did not look like a
    /// layer) or its unpack went to another chain: the staged bytes, or the layer as this load
    /// already registered it.
    fn layer_stream<'a>(
        &self,
        l: &PlanLayer,
        diff: &Digest,
        registered: &HashMap<Digest, Digest>,
        opts: &LoadOptions,
        sink: &'a mut dyn ProgressSink,
    ) -> Result<Box<dyn Read + 'a>> {
        if !l.file.kept {
            let copy = registered
                .get(diff)
                .and_then(|chain| layer_copy(self.paths(), self.content(), diff, chain))
                .ok_or_else(|| ArchiveError::NoLayerSource { diff: diff.clone() })?;
            return Ok(copy.open()?);
        }
        let file = fs::File::open(&l.file.path).map_err(super::io_at(&l.file.path))?;
        let counted = Counting {
            inner: io::BufReader::with_capacity(1 << 20, file),
            n: 0,
            last: 0,
            total: l.file.size,
            id: diff.short().to_string(),
            sink: (!opts.quiet).then_some(sink),
        };
        Ok(match l.encoding {
            Encoding::Plain => Box::new(counted),
            enc => Box::new(Limit {
                inner: super::decompress(enc, counted),
                left: opts.max_uncompressed,
                limit: opts.max_uncompressed,
            }),
        })
    }

    /// Removes what a failed load added (best effort: each step is independent).
    fn roll_back(&self, added: &Added) {
        let store = self.image_store();
        for id in &added.images {
            let _ = store.delete(id);
            let _ = store.commit(id);
        }
        for chain in added.chains.iter().rev() {
            let _ = store.layers.remove(chain);
        }
        for (blob, diff) in &added.blobs {
            let _ = self.content().delete(blob);
            if let Some(diff) = diff {
                let _ = fsutil::remove_file_if_exists(&self.paths().v2metadata_by_diffid(diff));
                let _ = fsutil::remove_file_if_exists(&self.paths().diffid_by_digest(blob));
            }
        }
    }
}
