//! A test image with one huge layer that is never held in memory.
//!
//! The layer is a tar holding `big.bin`: `size` bytes of splitmix64 output, addressable by offset, so
//! the tar can be produced as a stream. It is gzipped with stored (level 0) deflate blocks — random
//! bytes do not compress, and storing keeps generation at memory speed. The digests are computed once
//! by streaming the whole layer through the hashers; every `blob` call regenerates the stream.

use std::io::{self, Read};
use std::sync::OnceLock;

use flate2::{Compression, GzBuilder};

use super::fs::GZIP_OS;
use super::recipe::DEFAULT_PATH;
use super::synth::{Blob, pretty};
use crate::engine::digest::{Digest, HashingReader};
use crate::engine::distribution::{DistributionError, FetchedManifest};
use crate::engine::oci::{
    ContainerConfig, Descriptor, History, ImageConfig, MEDIA_DOCKER_CONFIG,
    MEDIA_DOCKER_LAYER_GZIP, MEDIA_DOCKER_MANIFEST, Manifest, RootFs,
};

const CREATED: &str = "2022-01-01T00:00:00Z";
const MTIME: u64 = 1_640_995_200;

/// An image whose single layer is generated on the fly.
pub struct BigImage {
    repo: String,
    tag: String,
    size: u64,
    built: OnceLock<Result<Built, String>>,
}

struct Built {
    layer: Digest,
    config: Blob,
    manifest: Blob,
}

impl BigImage {
    pub fn new(repo: &str, tag: &str, size: u64) -> Self {
        BigImage {
            repo: repo.into(),
            tag: tag.into(),
            size,
            built: OnceLock::new(),
        }
    }

    pub fn repo(&self) -> &str {
        &self.repo
    }

    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The gzipped layer as a fresh stream.
    pub fn layer_stream(&self) -> impl Read + Send + 'static {
        GzBuilder::new()
            .mtime(0)
            .operating_system(GZIP_OS)
            .read(TarStream::new(self.size), Compression::none())
    }

    fn built(&self) -> Result<&Built, DistributionError> {
        self.built
            .get_or_init(|| self.build().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|reason| DistributionError::Unavailable {
                reason: reason.clone(),
            })
    }

    fn build(&self) -> io::Result<Built> {
        let tar = HashingReader::new(TarStream::new(self.size));
        let gz = GzBuilder::new()
            .mtime(0)
            .operating_system(GZIP_OS)
            .read(tar, Compression::none());
        let mut outer = HashingReader::new(gz);
        io::copy(&mut outer, &mut io::sink())?;
        let layer_size = outer.len();
        let (layer, gz) = outer.finish();
        let (diff_id, _) = gz.into_inner().finish();
        let container = Digest::of(format!("drydock hub big {} container", self.repo).as_bytes());
        let cfg = ContainerConfig {
            env: Some(vec![DEFAULT_PATH.into()]),
            image: Digest::of(b"drydock hub big parent").to_string(),
            ..Default::default()
        };
        let add = format!("ADD file:{} in / ", diff_id.hex());
        let container_config = ContainerConfig {
            hostname: container.short().into(),
            cmd: Some(vec!["/bin/sh".into(), "-c".into(), format!("#(nop) {add}")]),
            ..cfg.clone()
        };
        let config = Blob::new(
            ImageConfig {
                architecture: "amd64".into(),
                author: String::new(),
                comment: String::new(),
                config: Some(cfg),
                container: container.hex().into(),
                container_config: Some(container_config),
                created: Some(CREATED.into()),
                docker_version: "20.10.7".into(),
                history: vec![History {
                    created: Some(CREATED.into()),
                    created_by: format!("/bin/sh -c #(nop) {add}"),
                    ..Default::default()
                }],
                os: "linux".into(),
                os_version: String::new(),
                parent: String::new(),
                rootfs: RootFs {
                    kind: "layers".into(),
                    diff_ids: vec![diff_id],
                },
                variant: String::new(),
            }
            .to_bytes(),
        );
        let manifest = Blob::new(pretty(&Manifest {
            schema_version: 2,
            media_type: Some(MEDIA_DOCKER_MANIFEST.into()),
            config: Descriptor {
                media_type: MEDIA_DOCKER_CONFIG.into(),
                size: config.size(),
                digest: config.digest.clone(),
                platform: None,
            },
            layers: vec![Descriptor {
                media_type: MEDIA_DOCKER_LAYER_GZIP.into(),
                size: layer_size,
                digest: layer.clone(),
                platform: None,
            }],
        }));
        Ok(Built {
            layer,
            config,
            manifest,
        })
    }

    /// The manifest for `reference` if it names this image (`Ok(None)` if not).
    pub fn manifest(&self, reference: &str) -> Result<Option<FetchedManifest>, DistributionError> {
        if reference != self.tag && !reference.starts_with("sha256:") {
            return Ok(None);
        }
        let b = self.built()?;
        if reference == self.tag || reference == b.manifest.digest.to_string() {
            return Ok(Some(FetchedManifest {
                media_type: MEDIA_DOCKER_MANIFEST.into(),
                digest: b.manifest.digest.clone(),
                bytes: b.manifest.bytes.to_vec(),
            }));
        }
        Ok(None)
    }

    /// A blob of this image (`Ok(None)` if it has no such blob).
    pub fn blob(
        &self,
        digest: &Digest,
    ) -> Result<Option<Box<dyn Read + Send + 'static>>, DistributionError> {
        let b = self.built()?;
        if digest == &b.layer {
            return Ok(Some(Box::new(self.layer_stream())));
        }
        if digest == &b.config.digest {
            return Ok(Some(Box::new(io::Cursor::new(b.config.bytes.clone()))));
        }
        Ok(None)
    }
}

/// splitmix64 of word `i`: the data is addressable, so any read offset is cheap.
fn word(i: u64) -> u64 {
    let mut z = i.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The layer tar as a stream: one header, the data, padding, and the two zero end blocks.
struct TarStream {
    header: [u8; 512],
    size: u64,
    total: u64,
    pos: u64,
}

impl TarStream {
    fn new(size: u64) -> Self {
        let mut h = tar::Header::new_ustar();
        // A fixed short path always fits the header.
        let _ = h.set_path("big.bin");
        h.set_mode(0o644);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(MTIME);
        h.set_size(size);
        h.set_entry_type(tar::EntryType::Regular);
        h.set_cksum();
        let mut header = [0u8; 512];
        header.copy_from_slice(h.as_bytes());
        let padded = size.div_ceil(512) * 512;
        TarStream {
            header,
            size,
            total: 512 + padded + 1024,
            pos: 0,
        }
    }
}

impl Read for TarStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut n = 0;
        while n < buf.len() && self.pos < self.total {
            let pos = self.pos;
            if pos < 512 {
                let k = ((512 - pos) as usize).min(buf.len() - n);
                buf[n..n + k].copy_from_slice(&self.header[pos as usize..pos as usize + k]);
                n += k;
                self.pos += k as u64;
            } else if pos < 512 + self.size {
                let off = pos - 512;
                let k = ((self.size - off) as usize).min(buf.len() - n);
                let out = &mut buf[n..n + k];
                let mut i = 0;
                while i < k {
                    let o = off + i as u64;
                    let bytes = word(o / 8).to_le_bytes();
                    let start = (o % 8) as usize;
                    let take = (8 - start).min(k - i);
                    out[i..i + take].copy_from_slice(&bytes[start..start + take]);
                    i += take;
                }
                n += k;
                self.pos += k as u64;
            } else {
                let k = ((self.total - pos) as usize).min(buf.len() - n);
                buf[n..n + k].fill(0);
                n += k;
                self.pos += k as u64;
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_is_a_valid_tar_with_the_right_size() {
        let mut data = Vec::new();
        TarStream::new(10_000).read_to_end(&mut data).unwrap();
        let mut a = tar::Archive::new(&data[..]);
        let mut e = a.entries().unwrap().next().unwrap().unwrap();
        assert_eq!(e.header().size().unwrap(), 10_000);
        let mut body = Vec::new();
        e.read_to_end(&mut body).unwrap();
        assert_eq!(&body[..8], &word(0).to_le_bytes());
    }
}
