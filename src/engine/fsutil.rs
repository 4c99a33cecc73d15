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

/// Entries of a staging directory old enough to be a crash's leftovers rather than another
/// process's write in progress (writers that do not hold the store lock, such as a container's
/// supervisor recording its state, stage files here too).
pub fn stale_entries(dir: &Path, older_than: std::time::Duration) -> Vec<std::path::PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let now = std::time::SystemTime::now();
    rd.flatten()
        .filter(|e| {
            e.metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age >= older_than))
        })
        .map(|e| e.path())
        .collect()
}

/// Starts writing a file's dirty pages to disk without waiting, so a later `syncfs` finds most
/// of a large write already done (the disk works while the caller goes on hashing).
pub fn start_writeback(f: &File) {
    use std::os::fd::AsRawFd;
    // SAFETY: sync_file_range only reads the descriptor, which `f` keeps open for the call.
    unsafe {
        libc::sync_file_range(f.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE);
    }
}
