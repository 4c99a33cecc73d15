//! Atomic file writes: stage in the data root's `tmp/`, rename into place.
//!
//! A reader sees either the old file or the new one, never a torn one; a crash leaves at most a
//! stray file in `tmp/`, which the next start clears. Durability against power loss is bought once
//! per operation, not per file: bulk writes (blobs, layers, configs) skip fsync, and the operation
//! calls [`sync_filesystem`] before its commit point (the references). A fsync per file made a
//! pull of the whole hub spend seconds in the kernel.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

/// Writes `bytes` to `dest` atomically and durably (fsync before the rename), staging in `tmp_dir`
/// (same filesystem). For commit points such as `repositories.json`.
pub fn write_atomic(tmp_dir: &Path, dest: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_inner(tmp_dir, dest, bytes, true)
}

/// Writes `bytes` to `dest` atomically without fsync; the operation syncs the filesystem once
/// before its commit point.
pub fn write_atomic_nosync(tmp_dir: &Path, dest: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_inner(tmp_dir, dest, bytes, false)
}

/// Flushes everything written to the filesystem holding `path` (Linux `syncfs`).
pub fn sync_filesystem(path: &Path) {
    if let Ok(f) = File::open(path) {
        use std::os::fd::AsRawFd;
        // SAFETY: syncfs only reads the descriptor, which `f` keeps open for the call.
        unsafe {
            libc::syncfs(f.as_raw_fd());
        }
    }
}

fn write_atomic_inner(tmp_dir: &Path, dest: &Path, bytes: &[u8], durable: bool) -> io::Result<()> {
    fs::create_dir_all(tmp_dir)?;
    if let Some(parent) = dest.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut tmp = tempfile::NamedTempFile::new_in(tmp_dir)?;
    tmp.write_all(bytes)?;
    if durable {
        tmp.as_file().sync_all()?;
    }
    tmp.persist(dest).map_err(|e| e.error)?;
    if durable {
        sync_dir(dest.parent());
    }
    Ok(())
}

/// Syncs a directory so a rename into it survives a crash (best effort: not every filesystem
/// supports it).
pub fn sync_dir(dir: Option<&Path>) {
    if let Some(d) = dir
        && let Ok(f) = File::open(d)
    {
        let _ = f.sync_all();
    }
}

/// Removes a file, treating "not there" as done.
pub fn remove_file_if_exists(p: &Path) -> io::Result<()> {
    match fs::remove_file(p) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        r => r,
    }
}

/// Removes a directory tree, treating "not there" as done.
pub fn remove_dir_if_exists(p: &Path) -> io::Result<()> {
    match fs::remove_dir_all(p) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        r => r,
    }
}
