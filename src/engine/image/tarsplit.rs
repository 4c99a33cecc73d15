//! tar-split: the bytes of a layer's tar that are not file contents, recorded while the layer is
//! unpacked, so the exact tar (and so its diff ID) can be rebuilt from the unpacked files without
//! keeping a second copy of the layer. Docker keeps the same thing beside each layer record, as
//! `layerdb/sha256/<chain>/tar-split.json.gz`, for `docker save` and `docker push`.
//!
//! Written here because the format is Go's (vbatts/tar-split) and no crate reads or writes it. The
//! records have tar-split's JSON shape, one per line, gzip-compressed:
//! `{"type":2,"payload":"<base64>","position":n}` for raw bytes (headers, PAX records, padding,
//! the end blocks) and `{"type":1,"name":"<path>","size":n,"position":n}` for one file's
//! contents, read back from the unpacked file. Two departures, both because only drydock reads
//! these files: no per-file crc64 (the rebuilt stream is checked against the diff ID, which covers
//! every byte), and a record of type 3, `{"type":3,"name":"<path>","spill":"<k>",…}`, for a file
//! that a later entry of the same layer replaced: its contents were moved to
//! `tar-split.spill/<k>` before the replacement, so the first entry can still be rebuilt. (tar-split
//! itself cannot rebuild such a layer; Docker's save then fails its checksum.)

use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

/// The record file's name inside a layer record.
pub const FILE_NAME: &str = "tar-split.json.gz";
/// The folder of replaced files' contents inside a layer record.
pub const SPILL_DIR: &str = "tar-split.spill";

const FILE: u8 = 1;
const SEGMENT: u8 = 2;
const SPILL: u8 = 3;
/// Raw bytes are written out in records of at most this many bytes, so memory stays flat even
/// for a layer whose entries are skipped whole (device nodes with data, sparse files).
const SEGMENT_MAX: usize = 1 << 20;

#[derive(Serialize, Deserialize)]
struct Record {
    #[serde(rename = "type")]
    kind: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "is_zero")]
    size: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    payload: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    spill: Option<String>,
    position: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Records a tar stream as it is read (see [`Recorder::observe`]) while an unpacker tells it
/// where file contents start ([`Recorder::begin_file`]) and which unpacked files it replaces
/// ([`Recorder::spill`]).
pub struct Recorder {
    out: flate2::write::GzEncoder<BufWriter<File>>,
    spill_dir: PathBuf,
    segment: Vec<u8>,
    payload_left: u64,
    position: u64,
    spills: u64,
    total: u64,
    /// Paths written by hard-link entries: they have no contents of their own to keep.
    links: HashSet<PathBuf>,
    error: Option<io::Error>,
}

impl Recorder {
    /// Starts recording into `split` (a new file); replaced files go under `spill_dir`.
    pub fn create(split: &Path, spill_dir: &Path) -> io::Result<Recorder> {
        let f = File::create(split)?;
        Ok(Recorder {
            out: flate2::write::GzEncoder::new(
                BufWriter::with_capacity(64 << 10, f),
                flate2::Compression::fast(),
            ),
            spill_dir: spill_dir.to_path_buf(),
            segment: Vec::new(),
            payload_left: 0,
            position: 0,
            spills: 0,
            total: 0,
            links: HashSet::new(),
            error: None,
        })
    }

    fn write(&mut self, r: Record) {
        if self.error.is_some() {
            return;
        }
        let res = serde_json::to_writer(&mut self.out, &r)
            .map_err(io::Error::other)
            .and_then(|_| self.out.write_all(b"\n"));
        if let Err(e) = res {
            self.error = Some(e);
        }
        self.position += 1;
    }

    fn flush_segment(&mut self) {
        if self.segment.is_empty() {
            return;
        }
        let payload = STANDARD.encode(&self.segment);
        self.segment.clear();
        let position = self.position;
        self.write(Record {
            kind: SEGMENT,
            name: None,
            size: 0,
            payload: Some(payload),
            spill: None,
            position,
        });
    }

    /// Sees bytes the unpacker read from the layer stream: file contents are skipped (they are
    /// on disk), everything else is kept.
    pub fn observe(&mut self, mut bytes: &[u8]) {
        self.total += bytes.len() as u64;
        if self.payload_left > 0 {
            let k = (self.payload_left.min(bytes.len() as u64)) as usize;
            self.payload_left -= k as u64;
            bytes = &bytes[k..];
        }
        self.segment.extend_from_slice(bytes);
        if self.segment.len() >= SEGMENT_MAX {
            self.flush_segment();
        }
    }

    /// The next `size` bytes read are the contents of the file unpacked at `rel`.
    pub fn begin_file(&mut self, rel: &Path, size: u64) {
        self.flush_segment();
        self.links.remove(rel);
        let position = self.position;
        self.write(Record {
            kind: FILE,
            name: Some(rel.to_string_lossy().into_owned()),
            size,
            payload: None,
            spill: None,
            position,
        });
        self.payload_left = size;
    }

    /// `rel` was written by a hard-link entry.
    pub fn hard_link(&mut self, rel: &Path) {
        self.links.insert(rel.to_path_buf());
    }

    /// An entry is about to replace what is unpacked at `rel` (`abs` on disk): keeps the contents
    /// of every file there that an earlier record reads. Directories are walked.
    pub fn spill(&mut self, rel: &Path, abs: &Path) -> io::Result<()> {
        let meta = fs::symlink_metadata(abs)?;
        if meta.is_dir() {
            let mut names: Vec<_> = fs::read_dir(abs)?
                .map(|e| e.map(|e| e.file_name()))
                .collect::<io::Result<_>>()?;
            names.sort();
            for n in names {
                self.spill(&rel.join(&n), &abs.join(&n))?;
            }
            return Ok(());
        }
        if !meta.is_file() || self.links.remove(rel) {
            return Ok(());
        }
        fs::create_dir_all(&self.spill_dir)?;
        let k = self.spills.to_string();
        self.spills += 1;
        fs::rename(abs, self.spill_dir.join(&k))?;
        self.flush_segment();
        let position = self.position;
        self.write(Record {
            kind: SPILL,
            name: Some(rel.to_string_lossy().into_owned()),
            size: 0,
            payload: None,
            spill: Some(k),
            position,
        });
        Ok(())
    }

    /// Writes out what is pending; the stream's length in bytes.
    pub fn finish(mut self) -> io::Result<u64> {
        self.flush_segment();
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let w = self.out.finish()?;
        w.into_inner().map_err(|e| e.into_error())?;
        Ok(self.total)
    }
}

fn records(split: &Path) -> io::Result<impl Iterator<Item = io::Result<Record>> + Send + use<>> {
    let f = File::open(split)?;
    let lines = BufReader::new(flate2::read::GzDecoder::new(BufReader::new(f))).lines();
    Ok(lines.map(|l| {
        let l = l?;
        serde_json::from_str::<Record>(&l)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }))
}

fn bad(what: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.into())
}

/// The length of the tar stream a record file rebuilds.
pub fn stream_size(split: &Path) -> io::Result<u64> {
    let mut n = 0u64;
    for r in records(split)? {
        let r = r?;
        match r.kind {
            FILE => n += r.size,
            SEGMENT => {
                let p = r.payload.unwrap_or_default();
                n += STANDARD
                    .decode(p.as_bytes())
                    .map_err(|e| bad(format!("tar-split segment: {e}")))?
                    .len() as u64;
            }
            _ => {}
        }
    }
    Ok(n)
}

/// Which file records read from the spill folder: (name, occurrence) → spill file.
fn spilled(split: &Path) -> io::Result<HashMap<(String, u64), String>> {
    let mut names: HashSet<String> = HashSet::new();
    for r in records(split)? {
        let r = r?;
        if r.kind == SPILL {
            names.extend(r.name);
        }
    }
    let mut out = HashMap::new();
    if names.is_empty() {
        return Ok(out);
    }
    // A spill record moves the contents of the latest earlier file record of that name.
    let mut seen: HashMap<String, u64> = HashMap::new();
    for r in records(split)? {
        let r = r?;
        let Some(name) = r.name else { continue };
        if !names.contains(&name) {
            continue;
        }
        match r.kind {
            FILE => *seen.entry(name).or_default() += 1,
            SPILL => {
                let n = seen.get(&name).copied().unwrap_or(0);
                if n == 0 {
                    return Err(bad(format!("tar-split spill of {name:?} before its file")));
                }
                out.insert((name, n - 1), r.spill.unwrap_or_default());
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Opens `rel` under `root` without following any symlink on the way, so a damaged record can
/// never read a file outside the layer.
fn open_inside(root: &Path, rel: &str, checked: &mut PathBuf) -> io::Result<File> {
    let rel = Path::new(rel);
    if rel.is_absolute()
        || rel
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        return Err(bad(format!("tar-split names {rel:?}, outside the layer")));
    }
    let parent = rel.parent().unwrap_or(Path::new(""));
    if parent != checked.as_path() {
        let mut cur = root.to_path_buf();
        for c in parent.components() {
            cur.push(c);
            if !fs::symlink_metadata(&cur)?.is_dir() {
                return Err(bad(format!("{}: not a directory", cur.display())));
            }
        }
        *checked = parent.to_path_buf();
    }
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(root.join(rel))
}

enum Current {
    None,
    Bytes(Vec<u8>, usize),
    File(io::Take<File>),
}

/// Rebuilds a layer's tar from its record file and unpacked files, as a stream.
pub struct Rebuild {
    records: Box<dyn Iterator<Item = io::Result<Record>> + Send>,
    diff: PathBuf,
    spill_dir: PathBuf,
    spilled: HashMap<(String, u64), String>,
    seen: HashMap<String, u64>,
    checked: PathBuf,
    cur: Current,
}

impl Rebuild {
    /// `record` is the layer record folder (holding [`FILE_NAME`]); `diff` the unpacked files.
    pub fn open(record: &Path, diff: &Path) -> io::Result<Rebuild> {
        let split = record.join(FILE_NAME);
        let spilled = spilled(&split)?;
        Ok(Rebuild {
            records: Box::new(records(&split)?),
            diff: diff.to_path_buf(),
            spill_dir: record.join(SPILL_DIR),
            spilled,
            seen: HashMap::new(),
            checked: PathBuf::new(),
            cur: Current::None,
        })
    }

    /// Moves to the next record; false at the end.
    fn advance(&mut self) -> io::Result<bool> {
        let Some(r) = self.records.next() else {
            return Ok(false);
        };
        let r = r?;
        match r.kind {
            SEGMENT => {
                let bytes = STANDARD
                    .decode(r.payload.unwrap_or_default().as_bytes())
                    .map_err(|e| bad(format!("tar-split segment: {e}")))?;
                self.cur = Current::Bytes(bytes, 0);
            }
            FILE => {
                let name = r.name.unwrap_or_default();
                let spill = if self.spilled.is_empty() {
                    None
                } else {
                    let n = self.seen.entry(name.clone()).or_default();
                    *n += 1;
                    self.spilled.get(&(name.clone(), *n - 1)).cloned()
                };
                if r.size == 0 {
                    self.cur = Current::None;
                    return Ok(true);
                }
                let f = match spill {
                    Some(k) => {
                        let mut none = PathBuf::new();
                        open_inside(&self.spill_dir, &k, &mut none)?
                    }
                    None => open_inside(&self.diff, &name, &mut self.checked)?,
                };
                self.cur = Current::File(f.take(r.size));
            }
            _ => self.cur = Current::None,
        }
        Ok(true)
    }
}

impl Read for Rebuild {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match &mut self.cur {
                Current::Bytes(b, at) if *at < b.len() => {
                    let k = (b.len() - *at).min(buf.len());
                    buf[..k].copy_from_slice(&b[*at..*at + k]);
                    *at += k;
                    return Ok(k);
                }
                Current::File(f) if f.limit() > 0 => {
                    let k = f.read(buf)?;
                    if k == 0 {
                        // The file is shorter than its record says: the layer is damaged.
                        return Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            "an unpacked layer file is shorter than its tar entry",
                        ));
                    }
                    return Ok(k);
                }
                _ => {
                    if !self.advance()? {
                        return Ok(0);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_have_tar_splits_shape() {
        let dir = tempfile::tempdir().unwrap();
        let split = dir.path().join(FILE_NAME);
        let mut rec = Recorder::create(&split, &dir.path().join(SPILL_DIR)).unwrap();
        rec.observe(b"head");
        rec.begin_file(Path::new("a/b"), 3);
        rec.observe(b"xyzpad");
        assert_eq!(rec.finish().unwrap(), 10);
        let lines: Vec<String> =
            BufReader::new(flate2::read::GzDecoder::new(File::open(&split).unwrap()))
                .lines()
                .map(|l| l.unwrap())
                .collect();
        assert_eq!(
            lines,
            [
                r#"{"type":2,"payload":"aGVhZA==","position":0}"#,
                r#"{"type":1,"name":"a/b","size":3,"position":1}"#,
                r#"{"type":2,"payload":"cGFk","position":2}"#,
            ]
        );
        assert_eq!(stream_size(&split).unwrap(), 10);
    }

    #[test]
    fn a_damaged_record_cannot_read_outside_the_layer() {
        let dir = tempfile::tempdir().unwrap();
        let diff = dir.path().join("diff");
        fs::create_dir_all(&diff).unwrap();
        fs::write(dir.path().join("secret"), "s").unwrap();
        std::os::unix::fs::symlink("../secret", diff.join("link")).unwrap();
        std::os::unix::fs::symlink("..", diff.join("up")).unwrap();
        for name in ["link", "up/secret", "../secret", "/etc/passwd"] {
            let split = dir.path().join(FILE_NAME);
            let mut rec = Recorder::create(&split, &dir.path().join(SPILL_DIR)).unwrap();
            rec.begin_file(Path::new(name), 1);
            rec.observe(b"s");
            rec.finish().unwrap();
            let mut out = Vec::new();
            let r = Rebuild::open(dir.path(), &diff).and_then(|mut r| r.read_to_end(&mut out));
            assert!(r.is_err(), "{name} was read");
            assert!(out.is_empty());
        }
    }

    fn entry(
        b: &mut tar::Builder<Vec<u8>>,
        name: &str,
        kind: tar::EntryType,
        data: &[u8],
        link: &str,
    ) {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(kind);
        h.set_size(data.len() as u64);
        h.set_mode(if kind == tar::EntryType::Directory {
            0o755
        } else {
            0o644
        });
        h.set_mtime(1_600_000_000);
        if kind.is_hard_link() || kind.is_symlink() {
            b.append_link(&mut h, name, link).unwrap();
        } else {
            b.append_data(&mut h, name, data).unwrap();
        }
    }

    /// Unpacks with a recorder, rebuilds, and compares with the original bytes.
    fn round_trip(tar: &[u8]) {
        let dir = tempfile::tempdir().unwrap();
        let diff = dir.path().join("diff");
        fs::create_dir_all(&diff).unwrap();
        let rec =
            Recorder::create(&dir.path().join(FILE_NAME), &dir.path().join(SPILL_DIR)).unwrap();
        let (_, _, rec) = super::super::unpack::unpack_recording(tar, &diff, rec).unwrap();
        assert_eq!(rec.finish().unwrap(), tar.len() as u64);
        assert_eq!(
            stream_size(&dir.path().join(FILE_NAME)).unwrap(),
            tar.len() as u64
        );
        let mut out = Vec::new();
        Rebuild::open(dir.path(), &diff)
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        assert!(
            out == tar,
            "rebuilt {} bytes, expected {}",
            out.len(),
            tar.len()
        );
    }

    #[test]
    fn rebuilds_the_exact_tar() {
        use tar::EntryType as E;
        let mut b = tar::Builder::new(Vec::new());
        entry(&mut b, "bin/", E::Directory, b"", "");
        entry(&mut b, "bin/busybox", E::Regular, &vec![7u8; 5000], "");
        entry(&mut b, "bin/sh", E::Symlink, b"", "/bin/busybox");
        entry(&mut b, "bin/ln", E::Link, b"", "bin/busybox");
        entry(
            &mut b,
            &format!("deep/{}/f", "x".repeat(150)),
            E::Regular,
            b"long name",
            "",
        );
        entry(&mut b, "etc/.wh.gone", E::Regular, b"", "");
        entry(&mut b, "empty", E::Regular, b"", "");
        let mut t = b.into_inner().unwrap();
        // GNU tar pads to a 10 KiB record; those zeros are part of the diff ID too.
        t.resize(t.len().div_ceil(10240) * 10240, 0);
        round_trip(&t);
    }

    #[test]
    fn rebuilds_layers_that_replace_their_own_files() {
        use tar::EntryType as E;
        let mut b = tar::Builder::new(Vec::new());
        entry(&mut b, "a", E::Regular, b"first", "");
        entry(&mut b, "h", E::Link, b"", "a");
        entry(&mut b, "a", E::Regular, b"second!", "");
        entry(&mut b, "a", E::Regular, b"third", "");
        entry(&mut b, "d/x", E::Regular, b"in a dir", "");
        entry(&mut b, "d/y", E::Link, b"", "d/x");
        entry(&mut b, "d", E::Regular, b"now a file", "");
        entry(&mut b, "h", E::Regular, b"h replaced", "");
        entry(&mut b, "s", E::Regular, b"becomes a dir", "");
        entry(&mut b, "s", E::Directory, b"", "");
        entry(&mut b, "s/z", E::Regular, b"zz", "");
        round_trip(&b.into_inner().unwrap());
    }
}
