//! The checked, bounded reader for archives coming in (`docker load`): it streams the outer tar
//! (plain or gzip, detected by magic) into a staging directory, hashing every file as it lands,
//! and refuses anything that has no place in an image archive before anything is interpreted.
//!
//! Refused, naming the entry: names with `..`, absolute names, names that are not UTF-8,
//! symlinks and hard links that point outside the archive, device nodes and FIFOs, duplicate
//! entries. Bounded: more uncompressed bytes than the limit (a decompression bomb) stops the read.
//! A truncated or corrupt stream is Docker's `Error processing tar file(exit status 1): …`.
//! Memory stays flat: file contents go to disk through 1 MiB buffers; only names are kept.
//!
//! A file that starts like a layer (a tar header, or gzip) is unpacked as it streams, on a second
//! thread, into `layers/<n>/diff` with its [`tarsplit`] record beside it, while this thread hashes
//! the raw bytes: every byte is read once and hashed once, and an uncompressed layer is written
//! once (as files; the tar-split rebuilds the tar for save). Its raw bytes are kept too only when
//! they are compressed (the content store keeps the blob) or small. Whether such a file really is
//! a layer, and the right one, is decided later from the manifest; an unpack that fails is kept as
//! that layer's error and only reported if the manifest uses the file as a layer.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::mpsc;

use tar::EntryType;

use super::super::digest::{Digest, Hasher, HashingReader};
use super::super::image::tarsplit::{self, Recorder};
use super::super::image::unpack::{self, UnpackError, clean_entry_path};
use super::super::progress::{Progress, ProgressSink};
use super::{ArchiveError, Encoding, decompress, detect, io_at};

/// A regular file of the archive, staged on disk.
#[derive(Debug, Clone)]
pub struct StagedFile {
    pub path: PathBuf,
    /// The sha256 of the file's bytes as they are in the archive.
    pub digest: Digest,
    pub size: u64,
    /// Its first bytes, for detecting compression.
    pub head: Vec<u8>,
    /// Whether `path` holds the bytes (a large uncompressed layer is only kept unpacked).
    pub kept: bool,
    /// Its slot in [`Staged::layers`] when it was unpacked as it streamed.
    pub layer: Option<usize>,
    /// Whether its `Loading layer` bar was shown as it streamed.
    pub progress_shown: bool,
}

/// A file of the archive unpacked as a layer while it streamed.
#[derive(Debug)]
pub struct UnpackedLayer {
    /// Holds `diff/` (the files), the tar-split record and maybe its spill folder.
    pub dir: PathBuf,
    /// The sha256 of the uncompressed tar.
    pub diff: Digest,
    /// Docker's layer size: the sum of the entries' sizes.
    pub size: u64,
}

impl StagedFile {
    /// How the file is compressed (by its magic).
    pub fn encoding(&self) -> Result<Encoding, ArchiveError> {
        Ok(detect(&self.head))
    }
}

#[derive(Debug, Clone)]
enum Link {
    /// Resolved to an archive path.
    To(String),
}

/// An archive staged on disk.
pub struct Staged {
    pub dir: tempfile::TempDir,
    files: BTreeMap<String, StagedFile>,
    links: BTreeMap<String, Link>,
    dirs: BTreeSet<String>,
    /// Files unpacked as they streamed; each is taken (moved into the store) at most once.
    layers: RefCell<Vec<Option<Result<UnpackedLayer, UnpackError>>>>,
    /// Shown in Docker's error texts as where the archive was unpacked.
    pub shown_root: String,
}

/// The first error a wrapped reader saw, kept here because `tar` may re-wrap the `io::Error`.
type Cause = Rc<RefCell<Option<ArchiveError>>>;

/// Counts bytes and stops past the limit.
struct Bounded<R> {
    inner: R,
    n: u64,
    limit: u64,
    cause: Cause,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.n += k as u64;
        if self.n > self.limit {
            self.cause
                .borrow_mut()
                .get_or_insert(ArchiveError::TooLarge { limit: self.limit });
            return Err(io::Error::other("archive too large"));
        }
        Ok(k)
    }
}

/// Marks decompression errors as such.
struct Decompressed<R> {
    inner: R,
    enc: Encoding,
    cause: Cause,
}

impl<R: Read> Read for Decompressed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).map_err(|e| {
            let why = if e.kind() == io::ErrorKind::UnexpectedEof {
                "unexpected EOF".to_string()
            } else {
                format!("{}: {e}", self.enc.name())
            };
            self.cause
                .borrow_mut()
                .get_or_insert(ArchiveError::Tar(why));
            e
        })
    }
}

/// Reads up to `n` bytes (fewer only at the end of the stream).
fn read_head(src: &mut dyn Read, n: usize) -> io::Result<Vec<u8>> {
    let mut head = vec![0u8; n];
    let mut got = 0;
    while got < n {
        match src.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(k) => got += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    head.truncate(got);
    Ok(head)
}

fn refused(entry: &str, reason: &str) -> ArchiveError {
    ArchiveError::Refused {
        entry: entry.to_string(),
        reason: reason.to_string(),
    }
}

/// Normalises `rel` joined to `base` (archive paths, `/`-separated); `None` if it leaves the root.
fn join_inside(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = if rel.starts_with('/') {
        return None;
    } else {
        base.split('/').filter(|c| !c.is_empty()).collect()
    };
    for c in rel.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    Some(parts.join("/"))
}

/// Streams `src` into a new staging directory under `tmp`.
pub fn stage(
    src: &mut dyn Read,
    tmp: &Path,
    shown_root: String,
    limit: u64,
    mut sink: Option<&mut dyn ProgressSink>,
) -> Result<Staged, ArchiveError> {
    std::fs::create_dir_all(tmp).map_err(io_at(tmp))?;
    let dir = tempfile::Builder::new()
        .prefix("load-")
        .tempdir_in(tmp)
        .map_err(io_at(tmp))?;
    let cause: Cause = Rc::new(RefCell::new(None));
    let head = read_head(src, 8).map_err(ArchiveError::Stream)?;
    let raw = io::Cursor::new(head.clone()).chain(src);
    let stream: Box<dyn Read> = match detect(&head) {
        Encoding::Plain => Box::new(raw),
        enc => Box::new(Decompressed {
            inner: decompress(enc, raw),
            enc,
            cause: cause.clone(),
        }),
    };
    let bounded = Bounded {
        inner: stream,
        n: 0,
        limit,
        cause: cause.clone(),
    };
    let mut staged = Staged {
        dir,
        files: BTreeMap::new(),
        links: BTreeMap::new(),
        dirs: BTreeSet::new(),
        layers: RefCell::new(Vec::new()),
        shown_root,
    };
    let mut archive = tar::Archive::new(bounded);
    let mut buf = vec![0u8; 1 << 20];
    let mut n = 0usize;
    {
        let entries = archive.entries().map_err(|e| tar_error(e, &cause))?;
        for entry in entries {
            let mut entry = entry.map_err(|e| tar_error(e, &cause))?;
            let raw_name = entry.path_bytes().into_owned();
            let shown = String::from_utf8_lossy(&raw_name).into_owned();
            if raw_name.starts_with(b"/") {
                return Err(refused(&shown, "absolute path"));
            }
            let rel = clean_entry_path(&raw_name).map_err(|(e, r)| refused(&e, r))?;
            let name = rel.to_string_lossy().into_owned();
            let kind = entry.header().entry_type();
            if name.is_empty() {
                if kind == EntryType::Directory {
                    continue; // "./", the root itself
                }
                return Err(refused(&shown, "empty name"));
            }
            let dup = staged.files.contains_key(&name)
                || staged.links.contains_key(&name)
                || (staged.dirs.contains(&name) && kind != EntryType::Directory);
            if dup || (kind != EntryType::Directory && staged.dirs.contains(&name)) {
                return Err(refused(&shown, "duplicate entry"));
            }
            match kind {
                EntryType::Directory => {
                    if staged.dirs.contains(&name) {
                        return Err(refused(&shown, "duplicate entry"));
                    }
                    staged.dirs.insert(name);
                }
                EntryType::Regular | EntryType::Continuous => {
                    let want = entry.header().size().map_err(|e| tar_error(e, &cause))?;
                    let path = staged.dir.path().join(n.to_string());
                    let slot = staged.dir.path().join("layers").join(n.to_string());
                    n += 1;
                    let first = read_head(&mut entry, 512).map_err(|e| tar_error(e, &cause))?;
                    let kind = layer_kind(&first);
                    let keep = kind != Some(Encoding::Plain) || want <= KEEP_SMALL;
                    let id = progress_id(&name);
                    let mut bar = sink
                        .as_deref_mut()
                        .filter(|_| kind == Some(Encoding::Plain))
                        .zip(id);
                    let bar_shown = bar.is_some();
                    let mut w = keep
                        .then(|| File::create(&path).map_err(io_at(&path)))
                        .transpose()?
                        .map(|f| BufWriter::with_capacity(1 << 20, f));
                    let mut hash = Hasher::new();
                    let head = first[..first.len().min(8)].to_vec();
                    let mut feed = |chunk: &[u8]| -> Result<(), ArchiveError> {
                        hash.update(chunk);
                        if let Some(w) = w.as_mut() {
                            w.write_all(chunk).map_err(io_at(&path))?;
                        }
                        if let Some((sink, id)) = bar.as_mut() {
                            sink.emit(Progress::bar(id.clone(), "Loading layer", hash.len(), want));
                        }
                        Ok(())
                    };
                    let unpacked = match kind {
                        None => {
                            feed(&first)?;
                            copy_entry(&mut entry, &mut buf, &mut feed, &cause)?;
                            None
                        }
                        Some(enc) => Some(unpack_streaming(
                            &mut entry, &first, enc, &slot, limit, &mut feed, &cause,
                        )?),
                    };
                    let size = hash.len();
                    if size != want {
                        return Err(tar_error(io::ErrorKind::UnexpectedEof.into(), &cause));
                    }
                    let digest = hash.finish();
                    if let Some(w) = w {
                        w.into_inner().map_err(|e| io_at(&path)(e.into_error()))?;
                    }
                    let layer = unpacked.map(|r| {
                        let mut layers = staged.layers.borrow_mut();
                        layers.push(Some(r.map(|(diff, size)| UnpackedLayer {
                            dir: slot.clone(),
                            // An uncompressed layer's diff ID is the file's own digest.
                            diff: diff.unwrap_or_else(|| digest.clone()),
                            size,
                        })));
                        layers.len() - 1
                    });
                    staged.files.insert(
                        name,
                        StagedFile {
                            path,
                            digest,
                            size,
                            head,
                            kept: keep,
                            layer,
                            progress_shown: bar_shown,
                        },
                    );
                }
                EntryType::Symlink | EntryType::Link => {
                    let target = entry
                        .link_name_bytes()
                        .map(|b| b.into_owned())
                        .ok_or_else(|| refused(&shown, "link without a target"))?;
                    let target = std::str::from_utf8(&target)
                        .map_err(|_| refused(&shown, "link target is not valid UTF-8"))?;
                    let base = if kind == EntryType::Symlink {
                        name.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
                    } else {
                        ""
                    };
                    let resolved = join_inside(base, target).ok_or_else(|| {
                        refused(
                            &shown,
                            &format!("link target {target:?} is outside the archive"),
                        )
                    })?;
                    staged.links.insert(name, Link::To(resolved));
                }
                EntryType::XGlobalHeader
                | EntryType::XHeader
                | EntryType::GNULongName
                | EntryType::GNULongLink => {}
                _ => {
                    return Err(refused(
                        &shown,
                        "device nodes, FIFOs and sparse files have no place in an image archive",
                    ));
                }
            }
        }
    }
    // Read to the end so a gzip trailer (its CRC) is checked and the bound applies to all of it.
    let mut rest = archive.into_inner();
    loop {
        match rest.read(&mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(tar_error(e, &cause)),
        }
    }
    Ok(staged)
}

/// Uncompressed layers up to this size keep their raw bytes as well (cheap, and any reader of
/// the file as a plain file still finds it).
const KEEP_SMALL: u64 = 1 << 20;

/// Whether a file starting with `head` may be a layer: gzip, or a tar header (its checksum
/// right, or an all-zero block: an empty tar).
fn layer_kind(head: &[u8]) -> Option<Encoding> {
    match detect(head) {
        Encoding::Plain => {}
        compressed => return Some(compressed),
    }
    if head.len() < 512 {
        return None;
    }
    if head.iter().all(|b| *b == 0) {
        return Some(Encoding::Plain);
    }
    let field = std::str::from_utf8(&head[148..156]).ok()?;
    let stored =
        u32::from_str_radix(field.trim_matches(|c: char| c == ' ' || c == '\0'), 8).ok()?;
    let sum: u32 = head[..148]
        .iter()
        .chain(&head[156..512])
        .map(|b| *b as u32)
        .sum::<u32>()
        + 8 * b' ' as u32;
    (sum == stored).then_some(Encoding::Plain)
}

/// The ID of a layer's `Loading layer` bar while it streams: Docker shows the diff ID, which
/// archive names give for uncompressed layers stored by digest (`blobs/sha256/<hex>`, `<hex>.tar`;
/// a compressed blob's name is the digest of its compressed bytes, so it waits for the manifest).
fn progress_id(name: &str) -> Option<String> {
    let base = name.rsplit('/').next().unwrap_or(name);
    let hex = base.strip_suffix(".tar").unwrap_or(base);
    let by_digest = name.starts_with("blobs/sha256/") || base.ends_with(".tar");
    (by_digest && Digest::from_hex(hex).is_ok()).then(|| hex[..12].to_string())
}

/// Copies the rest of an entry through `feed`.
fn copy_entry(
    entry: &mut dyn Read,
    buf: &mut [u8],
    feed: &mut dyn FnMut(&[u8]) -> Result<(), ArchiveError>,
    cause: &Cause,
) -> Result<(), ArchiveError> {
    loop {
        let k = match entry.read(buf) {
            Ok(0) => return Ok(()),
            Ok(k) => k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(tar_error(e, cause)),
        };
        feed(&buf[..k])?;
    }
}

fn tar_error(e: io::Error, cause: &Cause) -> ArchiveError {
    if let Some(c) = cause.borrow_mut().take() {
        return c;
    }
    // The tar crate reports a stream that ends inside a 512-byte header block as "failed to read
    // entire block"; Go's archive/tar calls that an unexpected EOF.
    if e.kind() == io::ErrorKind::UnexpectedEof || e.to_string().contains("entire block") {
        ArchiveError::Tar("unexpected EOF".into())
    } else {
        ArchiveError::Tar("archive/tar: invalid tar header".into())
    }
}

/// Chunks from the reading thread as a stream; each used buffer goes back for reuse.
struct ChanReader {
    rx: mpsc::Receiver<Vec<u8>>,
    back: mpsc::Sender<Vec<u8>>,
    cur: Vec<u8>,
    at: usize,
}

impl Read for ChanReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.cur.len() {
            let Ok(next) = self.rx.recv() else {
                return Ok(0);
            };
            let used = std::mem::replace(&mut self.cur, next);
            let _ = self.back.send(used);
            self.at = 0;
        }
        let k = (self.cur.len() - self.at).min(buf.len());
        buf[..k].copy_from_slice(&self.cur[self.at..self.at + k]);
        self.at += k;
        Ok(k)
    }
}

/// Stops a decompressed layer past the limit.
pub(super) struct Limit<R> {
    pub inner: R,
    pub left: u64,
    pub limit: u64,
}

impl<R: Read> Read for Limit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let k = self.inner.read(buf)?;
        if k as u64 > self.left {
            return Err(io::Error::other(
                ArchiveError::TooLarge { limit: self.limit }.to_string(),
            ));
        }
        self.left -= k as u64;
        Ok(k)
    }
}

/// What the unpacking thread gives back: the diff ID when it had to compute it (compressed
/// layers), and the layer's size.
type LayerResult = Result<(Option<Digest>, u64), UnpackError>;

/// Unpacks a layer on a second thread while this one reads the entry (`first` is its first
/// block, already read) and passes every raw byte to `feed`. An error of the stream itself is
/// returned; an error of the layer's contents is the result's.
fn unpack_streaming(
    entry: &mut dyn Read,
    first: &[u8],
    enc: Encoding,
    slot: &Path,
    limit: u64,
    feed: &mut dyn FnMut(&[u8]) -> Result<(), ArchiveError>,
    cause: &Cause,
) -> Result<LayerResult, ArchiveError> {
    let diff_dir = slot.join("diff");
    std::fs::create_dir_all(&diff_dir).map_err(io_at(&diff_dir))?;
    let rec = Recorder::create(
        &slot.join(tarsplit::FILE_NAME),
        &slot.join(tarsplit::SPILL_DIR),
    )
    .map_err(io_at(slot))?;
    // Four chunks in flight: enough to keep both threads busy, bounded memory.
    let (tx, rx) = mpsc::sync_channel::<Vec<u8>>(4);
    let (back_tx, back_rx) = mpsc::channel::<Vec<u8>>();
    std::thread::scope(|s| {
        let worker = s.spawn(move || {
            let mut src = ChanReader {
                rx,
                back: back_tx,
                cur: Vec::new(),
                at: 0,
            };
            let result = unpack_layer(&mut src, enc, &diff_dir, rec, limit);
            // Whatever happened, take the rest so the reading thread never waits on a full
            // channel.
            let _ = io::copy(&mut src, &mut io::sink());
            result
        });
        let mut pass = |chunk: Vec<u8>| -> Result<(), ArchiveError> {
            feed(&chunk)?;
            // A closed channel means the worker stopped reading; it drains, so this is rare.
            let _ = tx.send(chunk);
            Ok(())
        };
        let streamed = (|| -> Result<(), ArchiveError> {
            pass(first.to_vec())?;
            loop {
                let mut chunk = back_rx.try_recv().unwrap_or_default();
                chunk.resize(1 << 20, 0);
                let k = match entry.read(&mut chunk) {
                    Ok(0) => return Ok(()),
                    Ok(k) => k,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(tar_error(e, cause)),
                };
                chunk.truncate(k);
                pass(chunk)?;
            }
        })();
        drop(tx);
        let result = worker
            .join()
            .unwrap_or_else(|_| Err(UnpackError::Read(io::Error::other("the unpacker panicked"))));
        streamed.map(|_| result)
    })
}

fn unpack_layer(
    src: &mut ChanReader,
    enc: Encoding,
    diff_dir: &Path,
    rec: Recorder,
    limit: u64,
) -> LayerResult {
    let finish = |rec: Recorder| rec.finish().map_err(UnpackError::Read);
    match enc {
        Encoding::Plain => {
            let (u, _, rec) = unpack::unpack_recording(src, diff_dir, rec)?;
            finish(rec)?;
            Ok((None, u.size))
        }
        enc => {
            let tar = HashingReader::new(Limit {
                inner: decompress(enc, src),
                left: limit,
                limit,
            });
            let (u, tar, rec) = unpack::unpack_recording(tar, diff_dir, rec)?;
            finish(rec)?;
            Ok((Some(tar.finish().0), u.size))
        }
    }
}

impl Staged {
    /// Takes the layer unpacked from a staged file, if it was and is still there.
    pub fn take_layer(&self, file: &StagedFile) -> Option<Result<UnpackedLayer, UnpackError>> {
        let i = file.layer?;
        self.layers.borrow_mut().get_mut(i)?.take()
    }

    /// The diff ID of a file unpacked as a layer, if its unpack succeeded.
    pub fn unpacked_diff(&self, file: &StagedFile) -> Option<Digest> {
        let i = file.layer?;
        match self.layers.borrow().get(i)? {
            Some(Ok(l)) => Some(l.diff.clone()),
            _ => None,
        }
    }

    /// The staged regular file at `path`, following links inside the archive.
    pub fn file(&self, path: &str) -> Result<&StagedFile, ArchiveError> {
        let missing = || ArchiveError::Missing {
            path: format!("{}/{}", self.shown_root, path.trim_start_matches('/')),
        };
        let mut cur =
            join_inside("", path).ok_or_else(|| refused(path, "path leaves the archive"))?;
        for _ in 0..16 {
            if let Some(f) = self.files.get(&cur) {
                return Ok(f);
            }
            match self.links.get(&cur) {
                Some(Link::To(t)) => cur = t.clone(),
                None => return Err(missing()),
            }
        }
        Err(refused(path, "too many levels of links"))
    }

    /// Whether a regular file (or a link to one) is at `path`.
    pub fn has(&self, path: &str) -> bool {
        self.file(path).is_ok()
    }

    /// Reads a small staged file whole.
    pub fn read_small(&self, path: &str) -> Result<Vec<u8>, ArchiveError> {
        let f = self.file(path)?;
        if f.size > super::MAX_METADATA {
            return Err(ArchiveError::MetadataTooLarge {
                what: path.to_string(),
                limit: super::MAX_METADATA,
            });
        }
        if !f.kept {
            return Err(ArchiveError::MetadataTooLarge {
                what: path.to_string(),
                limit: super::MAX_METADATA,
            });
        }
        std::fs::read(&f.path).map_err(io_at(&f.path))
    }

    /// The top-level directories, sorted (what dockerd's legacy loader walks).
    pub fn top_dirs(&self) -> Vec<String> {
        let mut out: BTreeSet<String> = BTreeSet::new();
        for d in &self.dirs {
            out.insert(d.split('/').next().unwrap_or(d).to_string());
        }
        for p in self.files.keys().chain(self.links.keys()) {
            if let Some((top, _)) = p.split_once('/') {
                out.insert(top.to_string());
            }
        }
        out.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_inside_stays_inside() {
        assert_eq!(
            join_inside("a", "../b/layer.tar").as_deref(),
            Some("b/layer.tar")
        );
        assert_eq!(join_inside("a", "../../x"), None);
        assert_eq!(join_inside("", "/etc/passwd"), None);
    }
}
