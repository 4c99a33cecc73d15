//! Image archives: `docker save`, `docker load` and `docker import` (moby's `image/tarexport` and
//! `daemon/images/image_import.go`).
//!
//! What this module owns: the archive formats on the way out and in, and nothing of the stores'
//! layouts. It reads images through [`ImageStore`](super::image::ImageStore), registers layers with
//! [`LayerStore::register`](super::image::layers::LayerStore::register) and configs with
//! `ImageStore::put` (pending marker), references last, exactly as a pull does.
//!
//! - [`save`]: Docker 20.10's docker-archive ("v1.2") layout, byte for byte: `<v1id>/` with
//!   `VERSION`, `json` and `layer.tar` per layer, `<config hex>.json`, `manifest.json`,
//!   `repositories`, in lexical order, written with Go's tar header format ([`tarw`]).
//! - [`load`]: docker-archive (Docker's, skopeo's), OCI image layouts (skopeo `oci-archive:`,
//!   Docker ≥ 25), plain or gzip-compressed. Everything is staged and verified before the store
//!   changes; a failure rolls back what the load added ([`reader`] is the checked, bounded reader).
//! - [`import`]: one tar (a root filesystem) becomes a one-layer image, with `--change` lines
//!   applied ([`changes`]).
//! - `export` (a container's merged root filesystem as one tar) plugs in here when containers
//!   land: it needs no store format, only the rootfs assembler, and writes with [`tarw`].
//!
//! Where a layer's tar comes from on save ([`layer_copy`]): a copy in the content store, either
//! the uncompressed tar itself (blob digest = diff ID; import, build, commit) or the registry's
//! compressed blob, found through `distribution/v2metadata-by-diffid` (pull, and loads of
//! compressed layers); else the layer record's tar-split, rebuilt from the unpacked files (load of
//! uncompressed layers, as Docker keeps them). Save streams from there, decompressing or
//! rebuilding and verifying the diff ID as it goes; nothing is held in memory.

pub mod changes;
pub mod gojson;
pub mod import;
pub mod load;
pub mod reader;
pub mod save;
pub mod tarw;

use std::fs::File;
use std::io::{self, Read};
use std::path::PathBuf;

use super::content::ContentStore;
use super::digest::Digest;
use super::error::ErrorKind;
use super::image::tarsplit;
use super::paths::Paths;

pub use import::ImportRequest;
pub use load::{LoadOptions, Loaded};
pub use save::SavePlan;

/// The uncompressed size a load accepts by default (a bound against decompression bombs).
pub const DEFAULT_MAX_UNCOMPRESSED: u64 = 8 << 30;

/// Metadata files (manifests, configs, indexes) larger than this are refused, not read in.
pub const MAX_METADATA: u64 = 8 << 20;

/// Errors of saving, loading and importing, in Docker's words where Docker has them.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("No such image: {0}")]
    NoSuchImage(String),
    #[error("reference does not exist")]
    ReferenceDoesNotExist,
    #[error("invalid reference format")]
    InvalidReference,
    #[error("empty export - not implemented")]
    EmptyExport,
    #[error(
        "layer {diff}: no stored copy of its tar (neither the tar nor its compressed blob is in the content store)"
    )]
    NoLayerSource { diff: Digest },
    #[error("layer {diff}: the stored copy is damaged (its content hashes to {actual})")]
    LayerDamaged { diff: Digest, actual: Digest },
    #[error("Error processing tar file(exit status 1): {0}")]
    Tar(String),
    #[error("invalid archive entry {entry:?}: {reason}")]
    Refused { entry: String, reason: String },
    #[error(
        "archive is larger than {limit} bytes once uncompressed, the most drydock accepts (a decompression bomb?)"
    )]
    TooLarge { limit: u64 },
    #[error("{what} is larger than {limit} bytes, the most drydock reads for a metadata file")]
    MetadataTooLarge { what: String, limit: u64 },
    #[error("open {path}: no such file or directory")]
    Missing { path: String },
    #[error("{what}: {reason}")]
    BadJson { what: String, reason: String },
    #[error("invalid manifest, layers length mismatch: expected {expected}, got {actual}")]
    LayerCount { expected: usize, actual: usize },
    #[error("invalid diffID for layer {index}: expected {expected:?}, got {actual:?}")]
    DiffId {
        index: usize,
        expected: String,
        actual: String,
    },
    #[error("{name}: content does not match its digest (it hashes to {actual})")]
    BlobDigest { name: String, actual: Digest },
    #[error("invalid tag {0:?}")]
    InvalidTag(String),
    #[error(
        "{0}: a legacy (Docker < 1.10) image archive without manifest.json; drydock loads docker-archive and OCI archives"
    )]
    Legacy(String),
    #[error("unsupported layer media type {0}")]
    MediaType(String),
    #[error("no image in the OCI index matches linux/amd64")]
    NoPlatform,
    #[error("cannot import digest reference")]
    ImportDigest,
    #[error("{0} is not a valid change command")]
    InvalidChange(String),
    #[error("{0}")]
    ChangeSyntax(String),
    #[error("Get {url:?}: dial tcp: lookup {host}: no such host")]
    NoSuchHost { url: String, host: String },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{0}")]
    Stream(io::Error),
}

impl ArchiveError {
    pub fn kind(&self) -> ErrorKind {
        use ArchiveError::*;
        match self {
            NoSuchImage(_) | ReferenceDoesNotExist => ErrorKind::NotFound,
            EmptyExport => ErrorKind::NotImplemented,
            NoLayerSource { .. } | LayerDamaged { .. } | Io { .. } | Stream(_) => {
                ErrorKind::Internal
            }
            NoSuchHost { .. } => ErrorKind::Unavailable,
            _ => ErrorKind::InvalidArgument,
        }
    }
}

pub(crate) fn io_at(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> ArchiveError {
    let path = path.into();
    move |source| ArchiveError::Io { path, source }
}

/// How a tar stream is compressed: the formats Docker 20.10's `DecompressStream` reads (it sees
/// no zstd, so a zstd stream fails as a tar: `archive/tar: invalid tar header`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Plain,
    Gzip,
    Bzip2,
    Xz,
}

impl Encoding {
    /// The name used in decompression errors.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Plain => "tar",
            Encoding::Gzip => "gzip",
            Encoding::Bzip2 => "bzip2",
            Encoding::Xz => "xz",
        }
    }
}

/// Recognises a compressed stream by its first bytes, as Docker's `DetectCompression` does.
pub fn detect(head: &[u8]) -> Encoding {
    if head.starts_with(&[0x1f, 0x8b, 0x08]) {
        Encoding::Gzip
    } else if head.starts_with(b"BZh") {
        Encoding::Bzip2
    } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
        Encoding::Xz
    } else {
        Encoding::Plain
    }
}

/// The uncompressed stream of `r` (concatenated gzip members and bzip2/xz streams included, as
/// the command-line tools and Go's readers take them).
pub fn decompress<R: Read>(enc: Encoding, r: R) -> Decoder<R> {
    let buffered = || io::BufReader::with_capacity(1 << 20, r);
    match enc {
        Encoding::Plain => Decoder::Plain(buffered()),
        Encoding::Gzip => Decoder::Gzip(Box::new(flate2::read::MultiGzDecoder::new(buffered()))),
        Encoding::Bzip2 => Decoder::Bzip2(Box::new(bzip2::read::MultiBzDecoder::new(buffered()))),
        Encoding::Xz => Decoder::Xz(Box::new(lzma_rust2::XzReader::new(buffered(), true))),
    }
}

/// A decompressing reader (an enum rather than a box, so it is `Send` when its source is).
pub enum Decoder<R: Read> {
    Plain(io::BufReader<R>),
    // Decoder states are large; boxed, the enum stays the size of a buffered reader.
    Gzip(Box<flate2::read::MultiGzDecoder<io::BufReader<R>>>),
    Bzip2(Box<bzip2::read::MultiBzDecoder<io::BufReader<R>>>),
    Xz(Box<lzma_rust2::XzReader<io::BufReader<R>>>),
}

impl<R: Read> Read for Decoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Decoder::Plain(r) => r.read(buf),
            Decoder::Gzip(r) => r.read(buf),
            Decoder::Bzip2(r) => r.read(buf),
            Decoder::Xz(r) => r.read(buf),
        }
    }
}

/// Where a layer's tar can be read from.
#[derive(Debug, Clone)]
pub enum LayerCopy {
    /// A blob of the content store: the tar itself, or a registry's compressed blob of it.
    Blob { path: PathBuf, encoding: Encoding },
    /// The layer record's tar-split and its unpacked files (what `docker load` keeps).
    Split { record: PathBuf, diff: PathBuf },
}

impl LayerCopy {
    /// Opens the copy, decompressing or rebuilding as needed: the layer's tar stream.
    pub fn open(&self) -> Result<Box<dyn Read + Send>, ArchiveError> {
        match self {
            LayerCopy::Blob { path, encoding } => {
                let f = File::open(path).map_err(io_at(path))?;
                Ok(Box::new(decompress(*encoding, f)))
            }
            LayerCopy::Split { record, diff } => Ok(Box::new(
                tarsplit::Rebuild::open(record, diff).map_err(io_at(record))?,
            )),
        }
    }

    /// The uncompressed tar's length, when known without reading it all.
    pub fn known_size(&self) -> Result<Option<u64>, ArchiveError> {
        match self {
            LayerCopy::Blob {
                path,
                encoding: Encoding::Plain,
            } => std::fs::metadata(path)
                .map(|m| Some(m.len()))
                .map_err(io_at(path)),
            LayerCopy::Blob { .. } => Ok(None),
            LayerCopy::Split { record, .. } => {
                let split = record.join(tarsplit::FILE_NAME);
                tarsplit::stream_size(&split)
                    .map(Some)
                    .map_err(io_at(&split))
            }
        }
    }
}

#[derive(serde::Deserialize)]
struct V2Metadata {
    #[serde(rename = "Digest")]
    digest: Digest,
}

/// Where the tar of the layer with diff ID `diff` (chain ID `chain`) can be read from, if
/// anywhere: a content-store copy first, else the layer record's tar-split.
pub fn layer_copy(
    paths: &Paths,
    content: &ContentStore,
    diff: &Digest,
    chain: &Digest,
) -> Option<LayerCopy> {
    if content.exists(diff) {
        return Some(LayerCopy::Blob {
            path: paths.blob(diff),
            encoding: Encoding::Plain,
        });
    }
    let from_blob = std::fs::read(paths.v2metadata_by_diffid(diff))
        .ok()
        .and_then(|meta| serde_json::from_slice::<Vec<V2Metadata>>(&meta).ok())
        .and_then(|list| list.into_iter().find(|m| content.exists(&m.digest)))
        .map(|m| {
            let path = paths.blob(&m.digest);
            let mut head = [0u8; 8];
            let n = File::open(&path)
                .and_then(|mut f| f.read(&mut head))
                .unwrap_or(0);
            let encoding = detect(&head[..n]);
            LayerCopy::Blob { path, encoding }
        });
    if from_blob.is_some() {
        return from_blob;
    }
    let record = paths.layer(chain);
    if !record.join(tarsplit::FILE_NAME).is_file() {
        return None;
    }
    let cache_id = std::fs::read_to_string(record.join("cache-id")).ok()?;
    let cache_id = cache_id.trim();
    if cache_id.is_empty() || !cache_id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some(LayerCopy::Split {
        diff: paths.layer_diff(cache_id),
        record,
    })
}

/// Records that the compressed blob `blob` holds the layer `diff` (Docker's `distribution/`
/// metadata), so save finds it. Best effort, as for pulls: a lost record costs a clear error on
/// save, never a wrong archive.
pub(crate) fn record_blob(paths: &Paths, blob: &Digest, diff: &Digest) {
    let _ = super::fsutil::write_atomic_nosync(
        &paths.tmp(),
        &paths.diffid_by_digest(blob),
        diff.to_string().as_bytes(),
    );
    let meta =
        serde_json::json!([{ "Digest": blob.to_string(), "SourceRepository": "", "HMAC": "" }]);
    let _ = super::fsutil::write_atomic_nosync(
        &paths.tmp(),
        &paths.v2metadata_by_diffid(diff),
        meta.to_string().as_bytes(),
    );
}
