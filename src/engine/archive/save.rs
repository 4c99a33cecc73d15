//! `docker save`: images → Docker 20.10's docker-archive, as moby's `tarexport/save.go` writes it.
//!
//! Two steps, so the CLI can tell a daemon error (nothing written yet) from a stream error:
//! [`Engine::plan_save`] resolves the names, reads the configs, computes the v1 IDs and the size of
//! every entry; [`Engine::write_save`] streams the archive. Layer tars are streamed from the
//! content store and their diff IDs verified on the way; a layer never sits in memory.
//!
//! The v1 compatibility IDs are moby's `v1.CreateID`: the sha256 of the layer's legacy image JSON
//! (the image's own V1 fields for the top layer, only `created` = the Unix epoch below it) with
//! `layer_id` (the chain ID) and `parent` (the v1 ID below) added, keys sorted. So the same images
//! always give the same bytes. Two deliberate differences from dockerd: the manifest lists images
//! in argument order (dockerd walks a Go map, so its order varies between runs), and a layer that
//! repeats gets its directory's mtime from the image's created time (dockerd leaves the save time).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Read, Write};

use jiff::Timestamp;
use serde::Serialize;

use super::super::digest::{Digest, HashingReader};
use super::super::image::Image;
use super::super::image::layers::chain_id;
use super::super::images::{Snapshot, go_rfc3339nano};
use super::super::oci::ContainerConfig;
use super::super::reference::{ImageRef, Reference};
use super::super::{Engine, Result};
use super::tarw::{Entry, Kind, TarWriter};
use super::{ArchiveError, LayerCopy, gojson, layer_copy};

/// The legacy per-layer image JSON (moby's `image.V1Image`), fields in Go's order.
#[derive(Serialize, Clone)]
struct V1Image<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    id: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    parent: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    comment: &'a str,
    created: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    container: &'a str,
    container_config: ContainerConfig,
    #[serde(skip_serializing_if = "str::is_empty")]
    docker_version: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    author: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    config: Option<&'a ContainerConfig>,
    #[serde(skip_serializing_if = "str::is_empty")]
    architecture: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    variant: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    os: &'a str,
}

/// moby's `v1.CreateID`.
fn v1_id(v1: &V1Image<'_>, chain: &Digest, parent: Option<&Digest>) -> Digest {
    let mut map: BTreeMap<String, serde_json::Value> =
        serde_json::from_slice(&gojson::to_vec(v1)).unwrap_or_default();
    map.insert("layer_id".into(), chain.to_string().into());
    if let Some(p) = parent {
        map.insert("parent".into(), p.to_string().into());
    }
    Digest::of(&gojson::to_vec(&map))
}

/// One line of `manifest.json`.
#[derive(Serialize)]
struct ManifestItem {
    #[serde(rename = "Config")]
    config: String,
    #[serde(rename = "RepoTags")]
    repo_tags: Option<Vec<String>>,
    #[serde(rename = "Layers")]
    layers: Vec<String>,
    #[serde(rename = "Parent", skip_serializing_if = "Option::is_none")]
    parent: Option<String>,
}

enum Content {
    None,
    Bytes(Vec<u8>),
    Layer { diff: Digest, copy: LayerCopy },
}

struct PlanEntry {
    name: String,
    kind: Kind,
    size: u64,
    mtime: i64,
    link: String,
    content: Content,
}

/// Everything `docker save` will write, resolved and sized.
pub struct SavePlan {
    entries: Vec<PlanEntry>,
}

impl SavePlan {
    /// The entry names in archive order (for tests and `tar -t`-style listings).
    pub fn names(&self) -> Vec<&str> {
        self.entries.iter().map(|e| e.name.as_str()).collect()
    }
}

/// The images a list of names selects, each with the tags to record, in first-seen order.
fn select(
    engine: &Engine,
    snap: &Snapshot,
    names: &[String],
) -> Result<Vec<(Digest, Vec<Reference>)>> {
    let mut out: Vec<(Digest, Vec<Reference>)> = Vec::new();
    let mut add = |id: Digest, r: Option<Reference>| {
        let pos = match out.iter().position(|(i, _)| *i == id) {
            Some(p) => p,
            None => {
                out.push((id, vec![]));
                out.len() - 1
            }
        };
        if let Some(r) = r
            && r.digest().is_none()
            && !out[pos].1.contains(&r)
        {
            out[pos].1.push(r);
        }
    };
    for name in names {
        match Reference::parse_any(name).map_err(|_| ArchiveError::InvalidReference)? {
            ImageRef::Id(d) => {
                if !snap.images.contains_key(&d) {
                    return Err(ArchiveError::NoSuchImage(d.to_string()).into());
                }
                add(d, None);
            }
            ImageRef::Named(r) if r.tag().is_none() && r.digest().is_none() => {
                // A bare name: every tag of the repository (dockerd's `ReferencesByName`,
                // sorted by the full reference), else an ID prefix.
                let mut found = false;
                for (rr, id) in snap.refs.iter() {
                    if rr.domain() == r.domain() && rr.path() == r.path() {
                        found = true;
                        add(id.clone(), Some(rr.clone()));
                    }
                }
                if !found {
                    let id = engine
                        .resolve(snap, name)
                        .map_err(|_| ArchiveError::NoSuchImage(name.clone()))?;
                    add(id, None);
                }
            }
            ImageRef::Named(r) => {
                let id = snap
                    .refs
                    .get(&r)
                    .cloned()
                    .ok_or(ArchiveError::ReferenceDoesNotExist)?;
                add(id, Some(r));
            }
        }
    }
    Ok(out)
}

fn unix(t: Timestamp) -> i64 {
    t.as_second()
}

impl Engine {
    /// Resolves `names` and works out every entry of the archive (reading layer sizes, which
    /// for a compressed copy means decompressing it once and verifying its diff ID).
    pub fn plan_save(&self, names: &[String]) -> Result<SavePlan> {
        let snap = self.snapshot()?;
        let selected = select(self, &snap, names)?;
        let saved_ids: HashSet<&Digest> = selected.iter().map(|(id, _)| id).collect();
        let mut entries: Vec<PlanEntry> = Vec::new();
        let mut saved_layers: HashSet<Digest> = HashSet::new();
        let mut diff_paths: HashMap<Digest, String> = HashMap::new();
        let mut manifest = Vec::new();
        let mut repos: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        let mut sizes: HashMap<Digest, u64> = HashMap::new();
        for (id, tags) in &selected {
            let img: &Image = &snap.images[id];
            let diffs = img.diff_ids();
            if diffs.is_empty() {
                return Err(ArchiveError::EmptyExport.into());
            }
            let c = &img.config;
            let created = unix(img.created());
            let top = V1Image {
                id: "",
                parent: "",
                comment: &c.comment,
                created: go_rfc3339nano(c.created.as_deref()),
                container: &c.container,
                container_config: c.container_config.clone().unwrap_or_default(),
                docker_version: &c.docker_version,
                author: &c.author,
                config: c.config.as_ref(),
                architecture: &c.architecture,
                variant: &c.variant,
                os: &c.os,
            };
            let mut parent_v1: Option<Digest> = None;
            let mut chain: Option<Digest> = None;
            let mut layer_names = Vec::new();
            for (i, diff) in diffs.iter().enumerate() {
                let this_chain = chain_id(chain.as_ref(), diff);
                let v1 = if i == diffs.len() - 1 {
                    top.clone()
                } else {
                    // Below the top, dockerd keeps only `created`, at the Unix epoch (for
                    // pre-1.9 clients).
                    V1Image {
                        id: "",
                        parent: "",
                        comment: "",
                        created: "1970-01-01T00:00:00Z".into(),
                        container: "",
                        container_config: ContainerConfig::default(),
                        docker_version: "",
                        author: "",
                        config: None,
                        architecture: "",
                        variant: "",
                        os: "",
                    }
                };
                let v1id = v1_id(&v1, &this_chain, parent_v1.as_ref());
                let hex = v1id.hex().to_string();
                let parent_hex = parent_v1.as_ref().map(|p| p.hex().to_string());
                let json = gojson::to_vec(&V1Image {
                    id: &hex,
                    parent: parent_hex.as_deref().unwrap_or(""),
                    os: &c.os,
                    ..v1
                });
                if saved_layers.insert(v1id.clone()) {
                    let dir = format!("{hex}/");
                    let mut push = |name: String, kind, size, link: String, content| {
                        entries.push(PlanEntry {
                            name,
                            kind,
                            size,
                            mtime: created,
                            link,
                            content,
                        })
                    };
                    push(dir, Kind::Dir, 0, String::new(), Content::None);
                    push(
                        format!("{hex}/VERSION"),
                        Kind::File,
                        3,
                        String::new(),
                        Content::Bytes(b"1.0".to_vec()),
                    );
                    push(
                        format!("{hex}/json"),
                        Kind::File,
                        json.len() as u64,
                        String::new(),
                        Content::Bytes(json),
                    );
                    let tar_name = format!("{hex}/layer.tar");
                    if let Some(first) = diff_paths.get(diff) {
                        push(
                            tar_name,
                            Kind::Symlink,
                            0,
                            format!("../{first}"),
                            Content::None,
                        );
                    } else {
                        let copy = layer_copy(self.paths(), self.content(), diff, &this_chain)
                            .ok_or_else(|| ArchiveError::NoLayerSource { diff: diff.clone() })?;
                        let size = match sizes.get(diff) {
                            Some(s) => *s,
                            None => {
                                let s = measure(&copy, diff)?;
                                sizes.insert(diff.clone(), s);
                                s
                            }
                        };
                        diff_paths.insert(diff.clone(), tar_name.clone());
                        push(
                            tar_name,
                            Kind::File,
                            size,
                            String::new(),
                            Content::Layer {
                                diff: diff.clone(),
                                copy,
                            },
                        );
                    }
                }
                layer_names.push(format!("{hex}/layer.tar"));
                parent_v1 = Some(v1id);
                chain = Some(this_chain);
            }
            let top_hex = parent_v1.map(|d| d.hex().to_string()).unwrap_or_default();
            let mut repo_tags = Vec::new();
            for t in tags {
                repos
                    .entry(t.familiar_name())
                    .or_default()
                    .insert(t.tag().unwrap_or("latest").to_string(), top_hex.clone());
                repo_tags.push(t.familiar());
            }
            entries.push(PlanEntry {
                name: format!("{}.json", id.hex()),
                kind: Kind::File,
                size: img.raw.len() as u64,
                mtime: created,
                link: String::new(),
                content: Content::Bytes(img.raw.clone()),
            });
            manifest.push(ManifestItem {
                config: format!("{}.json", id.hex()),
                repo_tags: (!repo_tags.is_empty()).then_some(repo_tags),
                layers: layer_names,
                parent: img
                    .parent
                    .as_ref()
                    .filter(|p| saved_ids.contains(p) && *p != id)
                    .map(|p| p.to_string()),
            });
        }
        let bytes = gojson::to_line(&manifest);
        entries.push(PlanEntry {
            name: "manifest.json".into(),
            kind: Kind::File,
            size: bytes.len() as u64,
            mtime: 0,
            link: String::new(),
            content: Content::Bytes(bytes),
        });
        if !repos.is_empty() {
            let bytes = gojson::to_line(&repos);
            entries.push(PlanEntry {
                name: "repositories".into(),
                kind: Kind::File,
                size: bytes.len() as u64,
                mtime: 0,
                link: String::new(),
                content: Content::Bytes(bytes),
            });
        }
        // filepath.Walk order: by name, a directory's contents right after it.
        entries.sort_by(|a, b| walk_key(&a.name).cmp(&walk_key(&b.name)));
        Ok(SavePlan { entries })
    }

    /// Streams a planned archive to `out`.
    pub fn write_save(&self, plan: SavePlan, out: &mut dyn Write) -> Result<()> {
        let mut w = TarWriter::new(io::BufWriter::with_capacity(1 << 20, out));
        let mut buf = vec![0u8; 1 << 20];
        for e in plan.entries {
            let head = Entry {
                name: &e.name,
                kind: e.kind,
                perm: if e.kind == Kind::File {
                    0o644
                } else if e.kind == Kind::Dir {
                    0o755
                } else {
                    0o777
                },
                size: e.size,
                mtime: e.mtime,
                link: &e.link,
            };
            match e.content {
                Content::None => w.bytes(&head, &[]).map_err(ArchiveError::Stream)?,
                Content::Bytes(b) => w.bytes(&head, &b).map_err(ArchiveError::Stream)?,
                Content::Layer { diff, copy } => {
                    let mut r = HashingReader::new(copy.open()?);
                    w.stream(&head, &mut r, &mut buf)
                        .map_err(ArchiveError::Stream)?;
                    // The copy must end where the size said and hash to the diff ID.
                    let extra = io::copy(&mut r, &mut io::sink()).map_err(ArchiveError::Stream)?;
                    let (actual, _) = r.finish();
                    if extra != 0 || actual != diff {
                        return Err(ArchiveError::LayerDamaged { diff, actual }.into());
                    }
                }
            }
        }
        w.finish().map_err(ArchiveError::Stream)?;
        Ok(())
    }

    /// `docker save` in one call (plan, then write).
    pub fn save(&self, names: &[String], out: &mut dyn Write) -> Result<()> {
        let plan = self.plan_save(names)?;
        self.write_save(plan, out)
    }
}

/// Sort key giving `filepath.Walk`'s order: path components compared one by one.
fn walk_key(name: &str) -> Vec<&str> {
    name.trim_end_matches('/').split('/').collect()
}

/// The uncompressed size of a layer copy, verifying its diff ID on the way when it has to be read.
fn measure(copy: &LayerCopy, diff: &Digest) -> Result<u64> {
    if let Some(n) = copy.known_size()? {
        return Ok(n);
    }
    let mut r = HashingReader::new(copy.open()?);
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match r.read(&mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(ArchiveError::Stream(e).into()),
        }
    }
    let n = r.len();
    let (actual, _) = r.finish();
    if actual != *diff {
        return Err(ArchiveError::LayerDamaged {
            diff: diff.clone(),
            actual,
        }
        .into());
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_ids_are_mobys() {
        // From `docker save` of make-image's lab/img on Docker 20.10.24: the bottom layer.
        let diff: Digest =
            "sha256:bb0c68001399a6b50255b294f5f641ce4161a790928abdc84191df7bbe70b13d"
                .parse()
                .unwrap();
        let v1 = V1Image {
            id: "",
            parent: "",
            comment: "",
            created: "1970-01-01T00:00:00Z".into(),
            container: "",
            container_config: ContainerConfig::default(),
            docker_version: "",
            author: "",
            config: None,
            architecture: "",
            variant: "",
            os: "",
        };
        assert_eq!(
            v1_id(&v1, &diff, None).hex(),
            "4257a7cfa2bdd3ffe70ba994a3c0db4e93d4e22b89fa39c04ac81f7144d8e63e"
        );
    }
}
