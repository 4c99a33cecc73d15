//! The checked, bounded reader for archives coming in (`docker load`): it streams the outer tar
//! (plain or gzip, detected by magic) into a staging directory, hashing every file as it lands,
//! and refuses anything that has no place in an image archive before anything is interpreted.
//!
//! Refused, naming the entry: names with `..`, absolute names, names that are not UTF-8,
//! symlinks and hard links that point outside the archive, device nodes and FIFOs, duplicate
//! entries. Bounded: more uncompressed bytes than the limit (a decompression bomb) stops the read.
//! A truncated or corrupt stream is Docker's `Error processing tar file(exit status 1): …`.
//! Memory stays flat: file contents go to disk through a 1 MiB buffer; only names are kept.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use tar::EntryType;

use super::super::digest::{Digest, HashingWriter};
use super::super::image::unpack::clean_entry_path;
use super::{ArchiveError, Encoding, detect, io_at};

/// A regular file of the archive, staged on disk.
#[derive(Debug, Clone)]
pub struct StagedFile {
    pub path: PathBuf,
    /// The sha256 of the file's bytes as they are in the archive.
    pub digest: Digest,
    pub size: u64,
    /// Its first bytes, for detecting compression.
    pub head: Vec<u8>,
}

impl StagedFile {
    /// How the file is compressed (by its magic).
    pub fn encoding(&self) -> Result<Encoding, ArchiveError> {
        detect(&self.head)
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
struct Gz<R> {
    inner: R,
    cause: Cause,
}

impl<R: Read> Read for Gz<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).map_err(|e| {
            let why = if e.kind() == io::ErrorKind::UnexpectedEof {
                "unexpected EOF".to_string()
            } else {
                format!("gzip: {e}")
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
) -> Result<Staged, ArchiveError> {
    std::fs::create_dir_all(tmp).map_err(io_at(tmp))?;
    let dir = tempfile::Builder::new()
        .prefix("load-")
        .tempdir_in(tmp)
        .map_err(io_at(tmp))?;
    let cause: Cause = Rc::new(RefCell::new(None));
    let head = read_head(src, 8).map_err(ArchiveError::Stream)?;
    let raw = io::Cursor::new(head.clone()).chain(src);
    let stream: Box<dyn Read> = match detect(&head)? {
        Encoding::Plain => Box::new(raw),
        Encoding::Gzip => Box::new(Gz {
            inner: flate2::read::MultiGzDecoder::new(io::BufReader::with_capacity(1 << 20, raw)),
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
        shown_root,
    };
    let tar_err = |e: io::Error, cause: &Cause| -> ArchiveError {
        if let Some(c) = cause.borrow_mut().take() {
            return c;
        }
        if e.kind() == io::ErrorKind::UnexpectedEof {
            ArchiveError::Tar("unexpected EOF".into())
        } else {
            ArchiveError::Tar("archive/tar: invalid tar header".into())
        }
    };
    let mut archive = tar::Archive::new(bounded);
    let mut buf = vec![0u8; 1 << 20];
    let mut n = 0usize;
    {
        let entries = archive.entries().map_err(|e| tar_err(e, &cause))?;
        for entry in entries {
            let mut entry = entry.map_err(|e| tar_err(e, &cause))?;
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
                    let want = entry.header().size().map_err(|e| tar_err(e, &cause))?;
                    let path = staged.dir.path().join(n.to_string());
                    n += 1;
                    let f = File::create(&path).map_err(io_at(&path))?;
                    let mut w = HashingWriter::new(BufWriter::with_capacity(1 << 20, f));
                    let mut head = Vec::new();
                    loop {
                        let k = match entry.read(&mut buf) {
                            Ok(0) => break,
                            Ok(k) => k,
                            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                            Err(e) => return Err(tar_err(e, &cause)),
                        };
                        if head.len() < 8 {
                            head.extend_from_slice(&buf[..k.min(8 - head.len())]);
                        }
                        w.write_all(&buf[..k]).map_err(io_at(&path))?;
                    }
                    let size = w.len();
                    if size != want {
                        return Err(tar_err(io::ErrorKind::UnexpectedEof.into(), &cause));
                    }
                    let (digest, bw) = w.finish();
                    bw.into_inner().map_err(|e| io_at(&path)(e.into_error()))?;
                    staged.files.insert(
                        name,
                        StagedFile {
                            path,
                            digest,
                            size,
                            head,
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
            Err(e) => return Err(tar_err(e, &cause)),
        }
    }
    Ok(staged)
}

impl Staged {
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
