//! The checked unpacker: a layer tar stream into a directory, refusing anything that would land
//! outside it.
//!
//! Written here rather than using `tar::Archive::unpack` because layers legitimately hold absolute
//! symlinks (`/bin -> usr/bin`) that `tar` refuses to write through, OCI whiteouts that `tar` does not
//! know, and because every refusal must name the entry. The rules: names are relative once a leading
//! `/` or `./` is dropped; `..` is refused; no entry is written through a symlink (every existing
//! ancestor must be a real directory); hard links must point at a regular file already unpacked
//! inside the target; device nodes and FIFOs are skipped (drydock runs without privileges);
//! whiteout markers (`.wh.*`) are kept as empty files for the rootfs assembler to interpret.
//! Entries owned by someone other than root get their owner recorded ([`super::owner`]).

use std::cell::RefCell;
use std::fs::{self, File};
use std::io::{self, Read};
use std::os::unix::fs::PermissionsExt;
use std::path::{Component, Path, PathBuf};

use tar::EntryType;

use super::tarsplit::Recorder;

/// Why an entry was refused.
#[derive(Debug, thiserror::Error)]
pub enum UnpackError {
    #[error("archive entry {entry:?}: {reason}")]
    Refused { entry: String, reason: &'static str },
    #[error("archive entry {entry:?}: {source}")]
    Entry { entry: String, source: io::Error },
    #[error("reading archive: {0}")]
    Read(#[from] io::Error),
}

/// What an unpack produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unpacked {
    /// Sum of the entries' sizes, as Docker counts a layer's size.
    pub size: u64,
}

/// Turns an entry name into a safe relative path, or says why not.
pub fn clean_entry_path(raw: &[u8]) -> Result<PathBuf, (String, &'static str)> {
    let name = String::from_utf8_lossy(raw).into_owned();
    let Ok(s) = std::str::from_utf8(raw) else {
        return Err((name, "name is not valid UTF-8"));
    };
    let mut out = PathBuf::new();
    for c in Path::new(s).components() {
        match c {
            Component::RootDir | Component::CurDir => {}
            Component::Normal(p) => out.push(p),
            Component::ParentDir => return Err((name, "path contains \"..\"")),
            Component::Prefix(_) => return Err((name, "path has a prefix")),
        }
    }
    Ok(out)
}

/// Makes sure every ancestor of `rel` under `root` is a real directory (creating missing ones), so
/// nothing is written through a symlink.
fn prepare_parent(root: &Path, rel: &Path, entry: &str) -> Result<(), UnpackError> {
    let mut cur = root.to_path_buf();
    let parent = rel.parent().unwrap_or(Path::new(""));
    for c in parent.components() {
        cur.push(c);
        match fs::symlink_metadata(&cur) {
            Ok(m) if m.is_dir() => {}
            Ok(m) if m.file_type().is_symlink() => {
                return Err(UnpackError::Refused {
                    entry: entry.into(),
                    reason: "a parent directory is a symlink (refusing to write through it)",
                });
            }
            Ok(_) => {
                return Err(UnpackError::Refused {
                    entry: entry.into(),
                    reason: "a parent path is not a directory",
                });
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::create_dir(&cur).map_err(|source| UnpackError::Entry {
                    entry: entry.into(),
                    source,
                })?;
            }
            Err(source) => {
                return Err(UnpackError::Entry {
                    entry: entry.into(),
                    source,
                });
            }
        }
    }
    Ok(())
}

/// Removes whatever is at `p` (without following a symlink), unless it is a directory and
/// `keep_dir` is set. A recorder first keeps the contents of the files it replaces.
fn clear(p: &Path, keep_dir: bool, rel: &Path, rec: Option<&RefCell<Recorder>>) -> io::Result<()> {
    match fs::symlink_metadata(p) {
        Ok(m) if m.is_dir() && keep_dir => Ok(()),
        Ok(m) => {
            if let Some(r) = rec {
                r.borrow_mut().spill(rel, p)?;
            }
            let gone = |e: io::Error| {
                if e.kind() == io::ErrorKind::NotFound {
                    Ok(())
                } else {
                    Err(e)
                }
            };
            if m.is_dir() {
                fs::remove_dir_all(p).or_else(gone)
            } else {
                fs::remove_file(p).or_else(gone)
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Lets a recorder see every byte the tar reader reads.
struct Tap<'a, R> {
    inner: R,
    rec: Option<&'a RefCell<Recorder>>,
}

impl<R: Read> Read for Tap<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let k = self.inner.read(buf)?;
        if let Some(r) = self.rec {
            r.borrow_mut().observe(&buf[..k]);
        }
        Ok(k)
    }
}

/// Unpacks a tar stream into `root` (which must exist). Reads the stream to its end, so a caller
/// hashing the stream sees every byte.
pub fn unpack<R: Read>(src: R, root: &Path) -> Result<(Unpacked, R), UnpackError> {
    unpack_tapped(src, root, None)
}

/// Unpacks as [`unpack`] does, recording the stream's tar-split (see
/// [`tarsplit`](super::tarsplit)) so the exact tar can be rebuilt from the files.
pub fn unpack_recording<R: Read>(
    src: R,
    root: &Path,
    rec: Recorder,
) -> Result<(Unpacked, R, Recorder), UnpackError> {
    let cell = RefCell::new(rec);
    let (u, r) = unpack_tapped(src, root, Some(&cell))?;
    Ok((u, r, cell.into_inner()))
}

fn unpack_tapped<R: Read>(
    src: R,
    root: &Path,
    rec: Option<&RefCell<Recorder>>,
) -> Result<(Unpacked, R), UnpackError> {
    let mut archive = tar::Archive::new(Tap { inner: src, rec });
    let mut size = 0u64;
    let mut dirs: Vec<(PathBuf, std::time::SystemTime)> = Vec::new();
    for entry in archive.entries()? {
        let mut entry = entry?;
        let raw = entry.path_bytes().into_owned();
        let rel = clean_entry_path(&raw)
            .map_err(|(entry, reason)| UnpackError::Refused { entry, reason })?;
        let name = rel.display().to_string();
        if rel.as_os_str().is_empty() {
            continue; // the root itself ("./")
        }
        let err = |source| UnpackError::Entry {
            entry: name.clone(),
            source,
        };
        prepare_parent(root, &rel, &name)?;
        let dest = root.join(&rel);
        let header = entry.header();
        let mode = header.mode().unwrap_or(0o644) & 0o7777;
        let mtime =
            std::time::UNIX_EPOCH + std::time::Duration::from_secs(header.mtime().unwrap_or(0));
        let kind = header.entry_type();
        let owner = (
            header
                .uid()
                .ok()
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(0),
            header
                .gid()
                .ok()
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(0),
        );
        size += header.size().unwrap_or(0);
        match kind {
            EntryType::Directory => {
                clear(&dest, true, &rel, rec).map_err(err)?;
                if !dest.is_dir() {
                    fs::create_dir(&dest).map_err(err)?;
                }
                fs::set_permissions(&dest, fs::Permissions::from_mode(mode | 0o700))
                    .map_err(err)?;
                super::owner::set(&dest, owner.0, owner.1).map_err(err)?;
                // Entries written into the directory later change its mtime: set it at the end.
                dirs.push((dest.clone(), mtime));
            }
            EntryType::Regular | EntryType::Continuous => {
                clear(&dest, false, &rel, rec).map_err(err)?;
                let f = File::create(&dest).map_err(err)?;
                if let Some(r) = rec {
                    r.borrow_mut().begin_file(&rel, entry.size());
                }
                // Large writes: `io::copy` moves 8 KiB at a time, which made loading a 512 MiB
                // layer cost 64,000 write calls.
                let mut w = io::BufWriter::with_capacity(1 << 20, f);
                io::copy(&mut entry, &mut w).map_err(err)?;
                let f = w.into_inner().map_err(|e| err(e.into_error()))?;
                if entry.size() >= 1 << 20 {
                    crate::engine::fsutil::start_writeback(&f);
                }
                f.set_permissions(fs::Permissions::from_mode(mode))
                    .map_err(err)?;
                if owner != (0, 0) {
                    super::owner::set(&dest, owner.0, owner.1).map_err(err)?;
                }
                // The layer's mtimes are part of what `ls -l`, export and commit show.
                let _ = f.set_modified(mtime);
            }
            EntryType::Symlink => {
                let target = entry.link_name_bytes().map(|b| b.into_owned()).ok_or(
                    UnpackError::Refused {
                        entry: name.clone(),
                        reason: "symlink without a target",
                    },
                )?;
                let target = std::str::from_utf8(&target).map_err(|_| UnpackError::Refused {
                    entry: name.clone(),
                    reason: "symlink target is not valid UTF-8",
                })?;
                clear(&dest, false, &rel, rec).map_err(err)?;
                std::os::unix::fs::symlink(target, &dest).map_err(err)?;
            }
            EntryType::Link => {
                let target = entry.link_name_bytes().map(|b| b.into_owned()).ok_or(
                    UnpackError::Refused {
                        entry: name.clone(),
                        reason: "hard link without a target",
                    },
                )?;
                let trel = clean_entry_path(&target).map_err(|_| UnpackError::Refused {
                    entry: name.clone(),
                    reason: "hard link target is outside the archive",
                })?;
                prepare_parent(root, &trel, &name)?;
                let tpath = root.join(&trel);
                match fs::symlink_metadata(&tpath) {
                    Ok(m) if m.is_file() => {}
                    _ => {
                        return Err(UnpackError::Refused {
                            entry: name,
                            reason: "hard link target is not a file unpacked before it",
                        });
                    }
                }
                clear(&dest, false, &rel, rec).map_err(err)?;
                fs::hard_link(&tpath, &dest).map_err(err)?;
                if let Some(r) = rec {
                    r.borrow_mut().hard_link(&rel);
                }
            }
            // Global and per-file PAX/GNU headers are consumed by `tar`; nothing to write.
            EntryType::XGlobalHeader
            | EntryType::XHeader
            | EntryType::GNULongName
            | EntryType::GNULongLink => {}
            // Devices and FIFOs need privileges drydock does not have; a layer's files do not
            // depend on them.
            _ => {}
        }
    }
    for (dir, mtime) in dirs.iter().rev() {
        if let Ok(f) = File::open(dir) {
            let _ = f.set_modified(*mtime);
        }
    }
    let mut inner = archive.into_inner();
    // The end-of-archive blocks and any padding belong to the layer's bytes (and its diff ID).
    io::copy(&mut inner, &mut io::sink())?;
    Ok((Unpacked { size }, inner.inner))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tar_with(entries: &[(&str, EntryType, &[u8], Option<&str>)]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (name, kind, data, link) in entries {
            let mut h = tar::Header::new_gnu();
            h.set_entry_type(*kind);
            h.set_mode(0o755);
            h.set_size(data.len() as u64);
            // Bypass the builder's own path checks: hostile names are what we test.
            let raw = name.as_bytes();
            let gnu = h.as_gnu_mut().unwrap();
            gnu.name[..raw.len()].copy_from_slice(raw);
            if let Some(l) = link {
                h.set_link_name(l).unwrap();
            }
            h.set_cksum();
            b.append(&h, *data).unwrap();
        }
        b.into_inner().unwrap()
    }

    #[test]
    fn unpacks_files_dirs_and_links() {
        let dir = tempfile::tempdir().unwrap();
        let t = tar_with(&[
            ("etc/", EntryType::Directory, b"", None),
            ("etc/os-release", EntryType::Regular, b"ID=test\n", None),
            ("bin", EntryType::Symlink, b"", Some("/usr/bin")),
            ("etc/hard", EntryType::Link, b"", Some("etc/os-release")),
        ]);
        let (u, _) = unpack(&t[..], dir.path()).unwrap();
        assert_eq!(u.size, 8);
        assert_eq!(fs::read(dir.path().join("etc/hard")).unwrap(), b"ID=test\n");
        assert_eq!(
            fs::read_link(dir.path().join("bin")).unwrap(),
            Path::new("/usr/bin")
        );
    }

    #[test]
    fn refuses_dotdot() {
        let dir = tempfile::tempdir().unwrap();
        let t = tar_with(&[("../evil", EntryType::Regular, b"x", None)]);
        let e = unpack(&t[..], dir.path()).unwrap_err();
        assert!(e.to_string().contains("\"../evil\""), "{e}");
    }

    #[test]
    fn refuses_writing_through_a_symlink() {
        let outside = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let target = outside.path().to_str().unwrap().to_string();
        let t = tar_with(&[
            ("link", EntryType::Symlink, b"", Some(&target)),
            ("link/pwned", EntryType::Regular, b"x", None),
        ]);
        let e = unpack(&t[..], dir.path()).unwrap_err();
        assert!(e.to_string().contains("symlink"), "{e}");
        assert!(!outside.path().join("pwned").exists());
    }

    #[test]
    fn refuses_hard_links_out_of_the_archive() {
        let dir = tempfile::tempdir().unwrap();
        let t = tar_with(&[("h", EntryType::Link, b"", Some("/etc/passwd"))]);
        assert!(unpack(&t[..], dir.path()).is_err());
    }
}
