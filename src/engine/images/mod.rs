//! The image service (moby's `daemon/images`): look-ups, listing, inspect, history, tag, pull,
//! delete and prune, over the image store and the registries.
//!
//! Each operation follows the daemon's rules as written in moby 20.10; the doc comment of each says
//! which. Look-ups follow Docker's order: a full ID, then a reference, then an ID prefix.

mod delete;
mod filters;
mod pull;

pub use pull::{PullFailure, PullSummary};

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::Timestamp;

pub use delete::ContainerUse;
pub use filters::ImageFilters;

use super::api::{GraphDriver, HistoryItem, ImageInspect, ImageSummary, Metadata, RootFsInspect};
use super::digest::Digest;
use super::image::refs::Refs;
use super::image::{Image, StoreError};
use super::reference::{Reference, ReferenceError};
use super::{Engine, Result};

/// The zero time Go prints for a never-set `time.Time`.
pub const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// Every image with its references, loaded once per operation.
pub(crate) struct Snapshot {
    pub images: BTreeMap<Digest, Image>,
    pub refs: Refs,
    pub children: HashMap<Digest, Vec<Digest>>,
    /// Each image's size: the sum of its layers' sizes.
    pub sizes: HashMap<Digest, u64>,
}

impl Snapshot {
    pub fn refs_to(&self, id: &Digest) -> Vec<Reference> {
        self.refs.refs_to(id)
    }

    /// Every image's references at once (one pass; `refs_to` per image is quadratic), for
    /// read-only listings.
    pub fn ref_index(&self) -> HashMap<Digest, Vec<Reference>> {
        let mut m: HashMap<Digest, Vec<Reference>> = HashMap::new();
        for (r, id) in self.refs.iter() {
            m.entry(id.clone()).or_default().push(r.clone());
        }
        m
    }
    pub fn has_children(&self, id: &Digest) -> bool {
        self.children.get(id).is_some_and(|c| !c.is_empty())
    }
}

impl Engine {
    /// Loads every image visible under the current driver, and the references.
    pub(crate) fn snapshot(&self) -> Result<Snapshot> {
        let store = self.image_store();
        let mut images = BTreeMap::new();
        let mut sizes = HashMap::new();
        // Images share layers: read each layer record once.
        let mut layer_size: HashMap<Digest, Option<u64>> = HashMap::new();
        let with_meta = store.ids_with_metadata();
        let ids = store.ids()?;
        let loaded = ids
            .iter()
            .map(|id| store.get_with(id, with_meta.contains(id)))
            .collect::<std::result::Result<Vec<Image>, _>>()?;
        'images: for img in loaded {
            let id = img.id.clone();
            let mut size = 0;
            for c in img.chain_ids() {
                let s = *layer_size
                    .entry(c.clone())
                    .or_insert_with(|| store.layers.get(&c).ok().map(|l| l.size));
                match s {
                    Some(s) => size += s,
                    // An image whose layers are not all registered is not (or no longer) complete.
                    None => continue 'images,
                }
            }
            sizes.insert(id.clone(), size);
            images.insert(id, img);
        }
        let mut refs = Refs::load(self.paths())?;
        refs.retain_images(|id| images.contains_key(id));
        let mut children: HashMap<Digest, Vec<Digest>> = HashMap::new();
        for img in images.values() {
            if let Some(p) = &img.parent {
                children.entry(p.clone()).or_default().push(img.id.clone());
            }
        }
        Ok(Snapshot {
            images,
            refs,
            children,
            sizes,
        })
    }

    /// Resolves an image argument as the daemon does: full ID, reference, unique ID prefix.
    pub(crate) fn resolve(&self, snap: &Snapshot, arg: &str) -> Result<Digest> {
        if let Ok(d) = Digest::parse(arg)
            && snap.images.contains_key(&d)
        {
            return Ok(d);
        }
        let parsed = Reference::parse(arg);
        if let Ok(r) = &parsed {
            let r = r.clone().with_default_tag();
            if let Some(id) = snap.refs.get(&r) {
                return Ok(id.clone());
            }
        }
        let hex = arg.strip_prefix("sha256:").unwrap_or(arg);
        if !hex.is_empty()
            && hex.len() <= 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            let mut found = snap.images.keys().filter(|id| id.hex().starts_with(hex));
            if let (Some(id), None) = (found.next(), found.next()) {
                return Ok(id.clone());
            }
        }
        Err(not_found(arg, parsed))
    }

    /// `docker images`: the daemon's `Images` with its filters, newest first.
    pub fn images(&self, all: bool, filters: &ImageFilters) -> Result<Vec<ImageSummary>> {
        let snap = self.snapshot()?;
        let filters = filters::resolve(filters, self, &snap)?;
        let index = snap.ref_index();
        let mut out = Vec::new();
        for (id, img) in &snap.images {
            if filters.dangling_only && snap.has_children(id) {
                continue;
            }
            if let Some(b) = &filters.before
                && img.created() >= *b
            {
                continue;
            }
            if let Some(s) = &filters.since
                && img.created() <= *s
            {
                continue;
            }
            if !filters.labels_match(img) {
                continue;
            }
            let mut tags = Vec::new();
            let mut digests = Vec::new();
            for r in index.get(id).into_iter().flatten() {
                if !filters.reference_matches(r)? {
                    continue;
                }
                if r.digest().is_some() {
                    digests.push(r.familiar());
                } else {
                    tags.push(r.familiar());
                }
            }
            if tags.is_empty() && digests.is_empty() {
                if all || !snap.has_children(id) {
                    if filters.dangling == Some(false) || filters.has_references() {
                        continue;
                    }
                    tags.push("<none>:<none>".into());
                    digests.push("<none>@<none>".into());
                } else {
                    continue;
                }
            } else if filters.dangling_only && !tags.is_empty() {
                continue;
            }
            let size = snap.sizes.get(id).copied().unwrap_or(0) as i64;
            out.push(ImageSummary {
                containers: -1,
                created: img.created().as_second(),
                id: id.to_string(),
                labels: img
                    .config
                    .config
                    .as_ref()
                    .and_then(|c| c.labels.clone())
                    .unwrap_or_default(),
                parent_id: img
                    .parent
                    .as_ref()
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
                repo_digests: digests,
                repo_tags: tags,
                shared_size: -1,
                size,
                virtual_size: size,
            });
        }
        out.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| a.id.cmp(&b.id)));
        Ok(out)
    }

    /// `docker image inspect`: one image as the API's JSON.
    pub fn image_inspect(&self, arg: &str) -> Result<ImageInspect> {
        let snap = self.snapshot()?;
        let id = self.resolve(&snap, arg)?;
        let img = &snap.images[&id];
        let mut tags = Vec::new();
        let mut digests = Vec::new();
        for r in snap.refs_to(&id) {
            if r.digest().is_some() {
                digests.push(r.familiar());
            } else {
                tags.push(r.familiar());
            }
        }
        let c = &img.config;
        let comment = if c.comment.is_empty() {
            c.history
                .last()
                .map(|h| h.comment.clone())
                .unwrap_or_default()
        } else {
            c.comment.clone()
        };
        let size = snap.sizes.get(&id).copied().unwrap_or(0) as i64;
        Ok(ImageInspect {
            id: id.to_string(),
            repo_tags: tags,
            repo_digests: digests,
            parent: img
                .parent
                .as_ref()
                .map(|p| p.to_string())
                .unwrap_or_default(),
            comment,
            created: go_rfc3339nano(c.created.as_deref()),
            container: c.container.clone(),
            container_config: c.container_config.clone().unwrap_or_default(),
            docker_version: c.docker_version.clone(),
            author: c.author.clone(),
            config: c.config.clone(),
            architecture: c.architecture.clone(),
            variant: c.variant.clone(),
            os: c.os.clone(),
            os_version: c.os_version.clone(),
            size,
            virtual_size: size,
            graph_driver: self.graph_driver(img),
            root_fs: RootFsInspect {
                kind: c.rootfs.kind.clone(),
                layers: img.diff_ids().iter().map(|d| d.to_string()).collect(),
            },
            metadata: Metadata {
                last_tag_time: img
                    .last_tag_time
                    .map(|t| t.to_string())
                    .unwrap_or_else(|| ZERO_TIME.into()),
            },
        })
    }

    fn graph_driver(&self, img: &Image) -> GraphDriver {
        let driver = self.paths().driver().to_string();
        let dirs: Vec<String> = img
            .chain_ids()
            .iter()
            .filter_map(|c| self.image_store().layers.get(c).ok())
            .map(|l| format!("/var/lib/docker/{driver}/{}", l.cache_id))
            .collect();
        let mut data = BTreeMap::new();
        if driver == "overlay2"
            && let Some((top, lower)) = dirs.split_last()
        {
            if !lower.is_empty() {
                let l: Vec<String> = lower.iter().rev().map(|d| format!("{d}/diff")).collect();
                data.insert("LowerDir".into(), l.join(":"));
            }
            data.insert("MergedDir".into(), format!("{top}/merged"));
            data.insert("UpperDir".into(), format!("{top}/diff"));
            data.insert("WorkDir".into(), format!("{top}/work"));
        }
        GraphDriver { data, name: driver }
    }

    /// `docker history`: the daemon's `ImageHistory`, newest step first.
    pub fn history(&self, arg: &str) -> Result<Vec<HistoryItem>> {
        let snap = self.snapshot()?;
        let id = self.resolve(&snap, arg)?;
        let img = &snap.images[&id];
        let diffs = img.diff_ids();
        let chains = img.chain_ids();
        let mut layer = 0usize;
        let mut rows = Vec::new();
        for h in &img.config.history {
            let mut size = 0i64;
            if !h.empty_layer {
                let chain = chains.get(layer).ok_or_else(|| {
                    StoreError::InvalidArgument(
                        "too many non-empty layers in History section".into(),
                    )
                })?;
                size = self
                    .image_store()
                    .layers
                    .get(chain)
                    .map(|l| l.size as i64)
                    .unwrap_or(0);
                layer += 1;
            }
            rows.push(HistoryItem {
                id: "<missing>".into(),
                created: h
                    .created
                    .as_deref()
                    .and_then(|c| c.parse::<Timestamp>().ok())
                    .map_or(0, |t| t.as_second()),
                created_by: h.created_by.clone(),
                tags: vec![],
                size,
                comment: h.comment.clone(),
            });
        }
        let _ = diffs;
        rows.reverse();
        let mut cur = Some(id.clone());
        for row in rows.iter_mut() {
            let Some(cid) = cur.take() else { break };
            row.id = cid.to_string();
            row.tags = snap
                .refs_to(&cid)
                .iter()
                .filter(|r| r.digest().is_none())
                .map(|r| r.familiar())
                .collect();
            cur = snap
                .images
                .get(&cid)
                .and_then(|i| i.parent.clone())
                .filter(|p| snap.images.contains_key(p));
        }
        Ok(rows)
    }

    /// `docker tag SOURCE TARGET`.
    pub fn tag(&self, source: &str, target: &str) -> Result<()> {
        let target = Reference::parse(target)?;
        if target.digest().is_some() {
            return Err(StoreError::InvalidArgument(
                "refusing to create a tag with a digest reference".into(),
            )
            .into());
        }
        let target = target.with_default_tag();
        let _lock = self.lock()?;
        let snap = self.snapshot()?;
        let id = self.resolve(&snap, source)?;
        let mut refs = snap.refs;
        refs.set(&target, &id);
        refs.save(self.paths())?;
        self.image_store()
            .set_last_tag_time(&id, self.clock.now())?;
        Ok(())
    }
}

/// Docker's "No such image" for an argument: a bare name gets `:latest`.
fn not_found(arg: &str, parsed: std::result::Result<Reference, ReferenceError>) -> super::Error {
    let shown = match parsed {
        Ok(r) => r.with_default_tag().familiar(),
        Err(_) => arg.to_string(),
    };
    StoreError::NoSuchImage(shown).into()
}

/// Re-formats a stored timestamp as Go's `time.RFC3339Nano` (trailing zeros trimmed).
pub fn go_rfc3339nano(s: Option<&str>) -> String {
    match s.and_then(|s| s.parse::<Timestamp>().ok()) {
        Some(t) => t.to_string(),
        None => ZERO_TIME.into(),
    }
}

/// IDs of every layer chain used by images other than `except`.
pub(crate) fn chains_in_use(snap: &Snapshot, except: &HashSet<Digest>) -> HashSet<Digest> {
    snap.images
        .values()
        .filter(|i| !except.contains(&i.id))
        .flat_map(|i| i.chain_ids())
        .collect()
}
