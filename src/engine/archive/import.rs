//! `docker import`: one tar (usually a container's exported root filesystem) becomes an image with
//! exactly one layer, as dockerd's `daemon/images/image_import.go` builds it.
//!
//! The tar is taken as it is (plain or gzip-compressed, detected by magic); its sha256 is the
//! layer's diff ID, so importing a `docker save` archive yields a layer that *holds* the archive's
//! files (`manifest.json`, `<v1id>/layer.tar` …) — what dockerd does, and why `load` is the command
//! for those. The config has only what `--change` sets (an empty `config` otherwise), the comment
//! `Imported from -` (the CLI streams a file, so dockerd sees `-`) or the `-m` message, one history
//! entry with no `created_by`, created = now. A URL would be downloaded by dockerd; drydock is
//! offline, so it fails as dockerd does when the name does not resolve.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};

use super::super::digest::{Digest, HashingWriter};
use super::super::image::StoreError;
use super::super::image::layers::LayerError;
use super::super::image::refs::Refs;
use super::super::image::unpack::UnpackError;
use super::super::oci::{ContainerConfig, History, ImageConfig, RootFs};
use super::super::reference::{Reference, ReferenceError};
use super::super::{Engine, Result, fsutil};
use super::{ArchiveError, changes, decompress, detect, io_at, layer_copy};

/// The daemon version written into configs drydock creates (upstream Docker's, without Debian's
/// `+dfsg1` suffix that the real engine next to us reports).
pub const DOCKER_VERSION: &str = "20.10.24";

/// What to import.
#[derive(Debug, Clone, Default)]
pub struct ImportRequest {
    /// `-` for a stream (a file or stdin), else an `http(s)://` URL.
    pub source: String,
    /// `REPOSITORY[:TAG]` to tag the image with.
    pub repository: Option<String>,
    /// `-m`.
    pub message: Option<String>,
    /// `-c` lines.
    pub changes: Vec<String>,
}

impl ImportRequest {
    /// The tag to set, checked as dockerd checks it (before reading any input).
    pub fn reference(&self) -> Result<Option<Reference>> {
        let Some(r) = &self.repository else {
            return Ok(None);
        };
        let r = Reference::parse_named(r)?;
        if r.digest().is_some() {
            return Err(ArchiveError::ImportDigest.into());
        }
        Ok(Some(r.with_default_tag()))
    }
}

/// The host of a URL, for the resolver's error.
fn url_host(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = host.rsplit_once('@').map(|(_, h)| h).unwrap_or(host);
    match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(v6).to_string(),
        None => host.split(':').next().unwrap_or(host).to_string(),
    }
}

impl Engine {
    /// `docker import`: reads the tar from `src` (for source `-`) and returns the new image ID.
    pub fn import(&self, req: &ImportRequest, src: &mut dyn Read) -> Result<Digest> {
        let tag = match req.reference() {
            Ok(t) => t,
            Err(super::super::Error::Reference(e @ ReferenceError::HexName(_))) => {
                return Err(e.into());
            }
            Err(e) => return Err(e),
        };
        let config = changes::apply(&req.changes)?;
        if req.source != "-" {
            let url = if req.source.contains("://") {
                req.source.clone()
            } else {
                format!("http://{}", req.source)
            };
            return Err(ArchiveError::NoSuchHost {
                host: url_host(&url),
                url,
            }
            .into());
        }
        let message = match &req.message {
            Some(m) if !m.is_empty() => m.clone(),
            _ => format!("Imported from {}", req.source),
        };
        let _lock = self.lock()?;
        let tmp = self.paths().tmp();
        std::fs::create_dir_all(&tmp).map_err(io_at(&tmp))?;
        let staged = tempfile::NamedTempFile::new_in(&tmp).map_err(io_at(&tmp))?;
        let diff = stage_layer(src, staged.as_file(), super::DEFAULT_MAX_UNCOMPRESSED)?;
        let store = self.image_store();
        let chain_existed = store.layers.exists(&diff);
        let mut f = File::open(staged.path()).map_err(io_at(staged.path()))?;
        let mut r = io::BufReader::with_capacity(1 << 20, &mut f);
        match store.layers.register(None, &diff, &mut r) {
            Ok(_) => {}
            Err(LayerError::DiffMismatch { .. }) => {
                return Err(ArchiveError::Tar("the input changed while it was read".into()).into());
            }
            // Not a tar at all (a zstd stream, random bytes): Go's archive/tar words it so.
            Err(LayerError::Unpack(UnpackError::Read(e))) => {
                let why = if e.kind() == io::ErrorKind::UnexpectedEof {
                    "unexpected EOF"
                } else {
                    "archive/tar: invalid tar header"
                };
                return Err(ArchiveError::Tar(why.into()).into());
            }
            Err(e) => return Err(StoreError::from(e).into()),
        }
        let mut placed = false;
        let result = (|| -> Result<Digest> {
            if layer_copy(self.paths(), self.content(), &diff, &diff).is_none() {
                let dest = self.paths().blob(&diff);
                if let Some(d) = dest.parent() {
                    std::fs::create_dir_all(d).map_err(io_at(d))?;
                }
                std::fs::hard_link(staged.path(), &dest).map_err(io_at(&dest))?;
                placed = true;
            }
            let created = self.clock.now().to_string();
            let cfg = ImageConfig {
                architecture: "amd64".into(),
                author: String::new(),
                comment: message.clone(),
                config: Some(config),
                container: String::new(),
                container_config: Some(ContainerConfig::default()),
                created: Some(created.clone()),
                docker_version: DOCKER_VERSION.into(),
                history: vec![History {
                    created: Some(created),
                    comment: message.clone(),
                    ..Default::default()
                }],
                os: "linux".into(),
                os_version: String::new(),
                parent: String::new(),
                rootfs: RootFs {
                    kind: "layers".into(),
                    diff_ids: vec![diff.clone()],
                },
                variant: String::new(),
            };
            fsutil::sync_filesystem(&self.paths().data_root());
            let id = store.put(&cfg.to_bytes(), None)?;
            if let Some(t) = &tag {
                let mut refs = Refs::load(self.paths())?;
                refs.set(t, &id);
                refs.save(self.paths())?;
                store.set_last_tag_time(&id, self.clock.now())?;
            }
            store.commit(&id)?;
            Ok(id)
        })();
        if result.is_err() {
            if placed {
                let _ = self.content().delete(&diff);
            }
            if !chain_existed {
                let _ = store.layers.remove(&diff);
            }
        }
        result
    }
}

/// Copies the (decompressed) input into `out`, returning its sha256: the layer's diff ID.
fn stage_layer(src: &mut dyn Read, out: &File, limit: u64) -> Result<Digest, ArchiveError> {
    let mut head = vec![0u8; 8];
    let mut got = 0;
    while got < head.len() {
        match src.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(k) => got += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(ArchiveError::Stream(e)),
        }
    }
    head.truncate(got);
    let raw = io::Cursor::new(head.clone()).chain(src);
    let enc = detect(&head);
    let mut input = decompress(enc, raw);
    let mut w = HashingWriter::new(BufWriter::with_capacity(1 << 20, out));
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let k = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(k) => k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                return Err(ArchiveError::Tar("unexpected EOF".into()));
            }
            Err(e) => return Err(ArchiveError::Tar(format!("{}: {e}", enc.name()))),
        };
        if w.len() + k as u64 > limit {
            return Err(ArchiveError::TooLarge { limit });
        }
        w.write_all(&buf[..k]).map_err(ArchiveError::Stream)?;
    }
    let (digest, bw) = w.finish();
    bw.into_inner()
        .map_err(|e| ArchiveError::Stream(e.into_error()))?;
    Ok(digest)
}
