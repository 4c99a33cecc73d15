//! Synthesis: a [`Recipe`] becomes registry content — gzipped layer blobs, an image config per
//! platform, a Docker v2 schema 2 manifest per platform and, for multi-platform images, a manifest
//! list.
//!
//! Manifests and manifest lists are pretty-printed with 3-space indentation and no trailing newline,
//! the way Docker Hub serves them. Configs are compact, as the daemon writes them. The legacy
//! builder's bookkeeping that is not derivable from the recipe (the build container's ID, the parent
//! image ID in `Image`) is derived from the image's catalog key, so it is fixed too.

use std::io;
use std::sync::Arc;

use serde::Serialize;

use super::fs;
use super::recipe::{Instr, Recipe};
use crate::engine::digest::Digest;
use crate::engine::oci::{
    Descriptor, History, ImageConfig, Index, MEDIA_DOCKER_CONFIG, MEDIA_DOCKER_LAYER_GZIP,
    MEDIA_DOCKER_MANIFEST, MEDIA_DOCKER_MANIFEST_LIST, Manifest, Platform, RootFs,
};

/// Bytes and their digest.
#[derive(Debug, Clone)]
pub struct Blob {
    pub digest: Digest,
    pub bytes: Arc<[u8]>,
}

impl Blob {
    pub fn new(bytes: Vec<u8>) -> Self {
        Blob {
            digest: Digest::of(&bytes),
            bytes: bytes.into(),
        }
    }
    pub fn size(&self) -> u64 {
        self.bytes.len() as u64
    }
}

/// One layer: the gzipped blob and the digest of its tar (the diff ID).
#[derive(Debug, Clone)]
pub struct Layer {
    pub diff_id: Digest,
    pub blob: Blob,
}

/// One platform's config and manifest.
#[derive(Debug, Clone)]
pub struct PlatformImage {
    pub platform: Platform,
    pub config: Blob,
    pub manifest: Blob,
}

/// A synthesised image: layers shared by all platforms, one config + manifest per platform, and a
/// manifest list when there is more than one platform.
#[derive(Debug, Clone)]
pub struct Image {
    pub layers: Vec<Layer>,
    pub platforms: Vec<PlatformImage>,
    pub index: Option<Blob>,
}

impl Image {
    /// What a tag points at: the manifest list, or the only manifest.
    pub fn top(&self) -> Option<(&Blob, &'static str)> {
        match &self.index {
            Some(i) => Some((i, MEDIA_DOCKER_MANIFEST_LIST)),
            None => self
                .platforms
                .first()
                .map(|p| (&p.manifest, MEDIA_DOCKER_MANIFEST)),
        }
    }

    /// A manifest or manifest list of this image by digest.
    pub fn manifest(&self, digest: &Digest) -> Option<(&Blob, &'static str)> {
        if let Some(i) = self.index.as_ref().filter(|i| &i.digest == digest) {
            return Some((i, MEDIA_DOCKER_MANIFEST_LIST));
        }
        self.platforms
            .iter()
            .find(|p| &p.manifest.digest == digest)
            .map(|p| (&p.manifest, MEDIA_DOCKER_MANIFEST))
    }

    /// A config or layer blob of this image by digest.
    pub fn blob(&self, digest: &Digest) -> Option<&Blob> {
        self.layers
            .iter()
            .map(|l| &l.blob)
            .chain(self.platforms.iter().map(|p| &p.config))
            .find(|b| &b.digest == digest)
    }
}

/// Serialises like Docker Hub's manifests: 3-space indentation, no trailing newline.
pub fn pretty<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"   ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
    // Plain structs of strings and numbers always serialise.
    let _ = value.serialize(&mut ser);
    out
}

/// The platforms of an image: amd64, plus arm64/v8 for multi-platform images.
pub fn platforms(multiarch: bool) -> Vec<Platform> {
    let mut v = vec![Platform {
        architecture: "amd64".into(),
        os: "linux".into(),
        variant: None,
    }];
    if multiarch {
        v.push(Platform {
            architecture: "arm64".into(),
            os: "linux".into(),
            variant: Some("v8".into()),
        });
    }
    v
}

/// Builds every blob of `recipe`. `key` (the catalog's image key) seeds the builder bookkeeping.
pub fn synthesise(key: &str, recipe: &Recipe, multiarch: bool) -> io::Result<Image> {
    let mut layers = Vec::new();
    let mut history = Vec::new();
    let mut last_hex = String::new();
    for step in &recipe.steps {
        let mut hex = String::new();
        if let Some(tree) = &step.layer {
            let mtime = u64::try_from(step.created.as_second()).unwrap_or(0);
            let tar = tree.to_tar(mtime)?;
            let diff_id = Digest::of(&tar);
            hex = diff_id.hex().to_string();
            layers.push(Layer {
                diff_id,
                blob: Blob::new(fs::gzip(&tar)?),
            });
        }
        history.push(History {
            created: Some(step.created.to_string()),
            created_by: step.instr.created_by(&hex),
            empty_layer: step.layer.is_none(),
            ..Default::default()
        });
        last_hex = hex;
    }
    let last = recipe.steps.last();
    let created = last.map(|s| s.created.to_string());
    let last_cmd = last
        .map(|s| s.instr.container_cmd(&last_hex))
        .unwrap_or_else(|| Instr::Nop(String::new()).container_cmd(""));

    let mut plats = Vec::new();
    for platform in platforms(multiarch) {
        let seed = format!("drydock hub {key} {}", platform.architecture);
        let container = Digest::of(format!("{seed} container").as_bytes());
        let parent = Digest::of(format!("{seed} parent").as_bytes());
        let mut config = recipe.config.clone();
        config.image = parent.to_string();
        let mut container_config = config.clone();
        container_config.hostname = container.short().to_string();
        container_config.cmd = Some(last_cmd.clone());
        let image_config = ImageConfig {
            architecture: platform.architecture.clone(),
            author: String::new(),
            comment: String::new(),
            config: Some(config),
            container: container.hex().to_string(),
            container_config: Some(container_config),
            created: created.clone(),
            docker_version: recipe.docker_version.to_string(),
            history: history.clone(),
            os: platform.os.clone(),
            os_version: String::new(),
            parent: String::new(),
            rootfs: RootFs {
                kind: "layers".into(),
                diff_ids: layers.iter().map(|l| l.diff_id.clone()).collect(),
            },
            variant: platform.variant.clone().unwrap_or_default(),
        };
        let config = Blob::new(image_config.to_bytes());
        let manifest = Manifest {
            schema_version: 2,
            media_type: Some(MEDIA_DOCKER_MANIFEST.into()),
            config: Descriptor {
                media_type: MEDIA_DOCKER_CONFIG.into(),
                size: config.size(),
                digest: config.digest.clone(),
                platform: None,
            },
            layers: layers
                .iter()
                .map(|l| Descriptor {
                    media_type: MEDIA_DOCKER_LAYER_GZIP.into(),
                    size: l.blob.size(),
                    digest: l.blob.digest.clone(),
                    platform: None,
                })
                .collect(),
        };
        plats.push(PlatformImage {
            platform,
            config,
            manifest: Blob::new(pretty(&manifest)),
        });
    }
    let index = multiarch.then(|| {
        Blob::new(pretty(&Index {
            schema_version: 2,
            media_type: Some(MEDIA_DOCKER_MANIFEST_LIST.into()),
            manifests: plats
                .iter()
                .map(|p| Descriptor {
                    media_type: MEDIA_DOCKER_MANIFEST.into(),
                    size: p.manifest.size(),
                    digest: p.manifest.digest.clone(),
                    platform: Some(p.platform.clone()),
                })
                .collect(),
        }))
    });
    Ok(Image {
        layers,
        platforms: plats,
        index,
    })
}
