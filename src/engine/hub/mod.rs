//! The offline Docker Hub (`docker.io`): a built-in catalog of repositories whose images are
//! synthesised deterministically, served through the [`Registry`] interface, with search metadata
//! and content-trust signatures.
//!
//! What it owns:
//! - [`catalog`]: repositories, their tags, and the image recipe each tag names;
//! - [`distro`], [`images`] and [`apps`]: the recipes — base distributions and application images written as
//!   the official Dockerfiles build them (history, layers, config);
//! - [`fs`] and [`synth`]: turning a recipe into blobs (deterministic tar + gzip, config JSON,
//!   manifest, manifest list);
//! - [`search`]: `docker search` metadata; [`trust`]: signed tags for content trust;
//! - [`big`]: an optional test image with a huge, streamed layer.
//!
//! It touches no disk and no network. Images are synthesised on first use and cached for the life
//! of the [`Hub`] (one `OnceLock` per image), so a pull of any image costs milliseconds.
//!
//! Vocabulary: an *image key* (`alpine:3.15`) names one recipe; several tags may name the same key,
//! so `alpine:latest` and `alpine:3.15` are the same manifest. A *multi-arch* image is served as a
//! manifest list with linux/amd64 and linux/arm64/v8 entries (same layers, per-platform configs).
//!
//! Determinism is a contract (see DESIGN.md): the same catalog gives the same digests on every
//! machine. The tests pin a few; changing any recipe, the tar encoding or the gzip settings changes
//! them, and that is a breaking change for CHANGELOG.md.
//!
//! Repositories are named by their path inside the registry (`library/ubuntu`, `bitnami/apache`),
//! as the [`Registry`] trait's callers pass them after reference normalisation.
//!
//! Applets: programs in hub images are stubs whose content is `#!drydock-applet NAME\n` (see
//! [`fs::applet_body`]); NAME is the file's name (`bash`, `httpd`, `yum` …) except for entrypoint
//! scripts that differ per image, which carry the image's name: `nginx-docker-entrypoint.sh`,
//! `mysql-docker-entrypoint.sh`, `redis-docker-entrypoint.sh`, `postgres-docker-entrypoint.sh`,
//! `node-docker-entrypoint.sh`, `wordpress-docker-entrypoint.sh`, `registry-entrypoint.sh`,
//! `bitnami-<app>-entrypoint.sh` / `-run.sh` / `-setup.sh`, `webdevops-entrypoint`,
//! `ulsmith-start.sh`. Shared libraries and modules are small placeholder files, not applets.
//!
//! Unknown repositories answer `denied` (Docker Hub does not reveal whether a private repository
//! exists), unknown tags `manifest unknown`, and blobs outside the repository `blob unknown`.

pub mod apps;
pub mod big;
pub mod catalog;
pub mod distro;
pub mod fs;
pub mod images;
pub mod recipe;
pub mod search;
pub mod synth;
pub mod trust;

#[cfg(test)]
mod tests;

use std::io::Read;
use std::sync::{Arc, OnceLock};

use super::digest::Digest;
use super::distribution::{DistributionError, FetchedManifest, Registry};

pub use big::BigImage;
pub use search::SearchResult;
pub use trust::{TrustError, TrustedTarget};

/// The offline Docker Hub.
pub struct Hub {
    images: Vec<OnceLock<Result<Arc<synth::Image>, String>>>,
    big: Vec<BigImage>,
}

impl Default for Hub {
    fn default() -> Self {
        Self::new()
    }
}

impl Hub {
    /// The hub with the built-in catalog; nothing is synthesised yet.
    pub fn new() -> Self {
        Hub {
            images: catalog::IMAGES.iter().map(|_| OnceLock::new()).collect(),
            big: Vec::new(),
        }
    }

    /// One process-wide hub, so every engine in the process shares the synthesised images.
    pub fn shared() -> &'static Hub {
        static HUB: OnceLock<Hub> = OnceLock::new();
        HUB.get_or_init(Hub::new)
    }

    /// Adds `repo:tag` whose single layer holds `size` bytes of deterministic pseudo-random data,
    /// generated as a stream on every read (for memory tests of pulls).
    pub fn with_big_image(mut self, repo: &str, tag: &str, size: u64) -> Self {
        self.big.push(BigImage::new(repo, tag, size));
        self
    }

    /// The repository names (`library/alpine` …), sorted.
    pub fn repositories(&self) -> Vec<String> {
        let mut v: Vec<String> = catalog::REPOS.iter().map(|r| r.name.to_string()).collect();
        v.extend(self.big.iter().map(|b| b.repo().to_string()));
        v.sort();
        v.dedup();
        v
    }

    /// The synthesised image with catalog index `i`.
    fn image(&self, i: usize) -> Result<Arc<synth::Image>, DistributionError> {
        let (Some(slot), Some(def)) = (self.images.get(i), catalog::IMAGES.get(i)) else {
            return Err(DistributionError::Unavailable {
                reason: format!("hub image {i} is not in the catalog"),
            });
        };
        slot.get_or_init(|| {
            synth::synthesise(def.key, &(def.recipe)(), def.multiarch)
                .map(Arc::new)
                .map_err(|e| format!("synthesising {}: {e}", def.key))
        })
        .clone()
        .map_err(|reason| DistributionError::Unavailable { reason })
    }

    /// The image a tag of a catalog repository names.
    fn tagged(&self, repo: &str, tag: &str) -> Result<Arc<synth::Image>, DistributionError> {
        let r = catalog::repo(repo).ok_or_else(|| denied(repo))?;
        let key = r
            .tags
            .iter()
            .find(|(t, _)| *t == tag)
            .map(|(_, k)| *k)
            .ok_or_else(|| DistributionError::ManifestUnknown {
                repo: repo.into(),
                reference: tag.into(),
            })?;
        let i = catalog::image_index(key).ok_or_else(|| DistributionError::Unavailable {
            reason: format!("hub image {key} is not in the catalog"),
        })?;
        self.image(i)
    }

    /// Every distinct image of a catalog repository.
    #[cfg(test)]
    fn repo_images(&self, repo: &str) -> Result<Vec<Arc<synth::Image>>, DistributionError> {
        self.repo_indexes(repo)?
            .into_iter()
            .map(|i| self.image(i))
            .collect()
    }

    /// The catalog indexes of a repository's distinct images.
    fn repo_indexes(&self, repo: &str) -> Result<Vec<usize>, DistributionError> {
        let r = catalog::repo(repo).ok_or_else(|| denied(repo))?;
        let mut keys: Vec<&str> = r.tags.iter().map(|(_, k)| *k).collect();
        keys.sort();
        keys.dedup();
        Ok(keys.into_iter().filter_map(catalog::image_index).collect())
    }

    /// Finds something in a repository's images, looking first in those already synthesised: a
    /// pull asks by digest for what a tag just gave it, and synthesising the repository's every
    /// other image to answer would cost more than the whole pull.
    fn find_in_repo<T>(
        &self,
        repo: &str,
        mut find: impl FnMut(&synth::Image) -> Option<T>,
    ) -> Result<Option<T>, DistributionError> {
        let indexes = self.repo_indexes(repo)?;
        for &i in &indexes {
            if let Some(Ok(img)) = self.images.get(i).and_then(|slot| slot.get())
                && let Some(t) = find(img)
            {
                return Ok(Some(t));
            }
        }
        for i in indexes {
            if let Some(t) = find(self.image(i)?.as_ref()) {
                return Ok(Some(t));
            }
        }
        Ok(None)
    }

    /// The manifest digest and size a tag points at (the manifest list for multi-arch images).
    pub fn resolve(&self, repo: &str, tag: &str) -> Result<(Digest, u64), DistributionError> {
        let m = self.manifest(repo, tag)?;
        Ok((m.digest, m.bytes.len() as u64))
    }

    fn big(&self, repo: &str) -> Option<&BigImage> {
        self.big.iter().find(|b| b.repo() == repo)
    }
}

fn denied(repo: &str) -> DistributionError {
    DistributionError::Denied { repo: repo.into() }
}

impl Registry for Hub {
    fn tags(&self, repo: &str) -> Result<Vec<String>, DistributionError> {
        if let Some(b) = self.big(repo) {
            let mut v: Vec<String> = self
                .big
                .iter()
                .filter(|x| x.repo() == b.repo())
                .map(|x| x.tag().to_string())
                .collect();
            v.sort();
            return Ok(v);
        }
        let r = catalog::repo(repo).ok_or_else(|| denied(repo))?;
        let mut v: Vec<String> = r.tags.iter().map(|(t, _)| t.to_string()).collect();
        v.sort();
        Ok(v)
    }

    fn manifest(&self, repo: &str, reference: &str) -> Result<FetchedManifest, DistributionError> {
        let unknown = || DistributionError::ManifestUnknown {
            repo: repo.into(),
            reference: reference.into(),
        };
        if self.big(repo).is_some() {
            return self
                .big
                .iter()
                .filter(|b| b.repo() == repo)
                .find_map(|b| b.manifest(reference).transpose())
                .unwrap_or_else(|| Err(unknown()));
        }
        if reference.starts_with("sha256:") || reference.contains(':') {
            let digest = Digest::parse(reference).map_err(|_| unknown())?;
            return self
                .find_in_repo(repo, |img| {
                    img.manifest(&digest)
                        .map(|(blob, media)| fetched(blob, media))
                })?
                .ok_or_else(unknown);
        }
        let img = self.tagged(repo, reference)?;
        let (blob, media) = img.top().ok_or_else(unknown)?;
        Ok(fetched(blob, media))
    }

    fn blob(
        &self,
        repo: &str,
        digest: &Digest,
    ) -> Result<Box<dyn Read + Send + '_>, DistributionError> {
        let unknown = || DistributionError::BlobUnknown {
            digest: digest.clone(),
        };
        if self.big(repo).is_some() {
            return self
                .big
                .iter()
                .filter(|b| b.repo() == repo)
                .find_map(|b| b.blob(digest).transpose())
                .unwrap_or_else(|| Err(unknown()));
        }
        let bytes = self
            .find_in_repo(repo, |img| img.blob(digest).map(|b| b.bytes.clone()))?
            .ok_or_else(unknown)?;
        Ok(Box::new(std::io::Cursor::new(bytes)))
    }
}

fn fetched(blob: &synth::Blob, media: &str) -> FetchedManifest {
    FetchedManifest {
        media_type: media.to_string(),
        digest: blob.digest.clone(),
        bytes: blob.bytes.to_vec(),
    }
}
