//! The store lock: one drydock process changes a home at a time.
//!
//! An exclusive `flock` on `var/lib/docker/drydock.lock`, taken for each change. A second process
//! waits briefly (a pull of the whole hub takes under two seconds), then fails with a clear message
//! rather than corrupting the store. The lock is released when the guard drops, or when the process
//! dies, so a crash never leaves the home locked.

use std::fs::{self, File, OpenOptions};
use std::path::Path;
use std::time::{Duration, Instant};

use super::image::StoreError;

/// How long a second process waits for the lock.
pub const WAIT: Duration = Duration::from_secs(5);

/// Holds the store lock until dropped.
#[derive(Debug)]
pub struct StoreLock {
    _file: File,
}

impl StoreLock {
    /// Takes the lock at `path`, waiting up to `wait`.
    pub fn acquire(path: &Path, wait: Duration) -> Result<StoreLock, StoreError> {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(|source| StoreError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        let start = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(StoreLock { _file: file }),
                Err(fs::TryLockError::WouldBlock) => {
                    if start.elapsed() >= wait {
                        return Err(StoreError::Locked {
                            path: path.parent().unwrap_or(path).to_path_buf(),
                            seconds: wait.as_secs_f64(),
                        });
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(fs::TryLockError::Error(source)) => {
                    return Err(StoreError::Io {
                        path: path.to_path_buf(),
                        source,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_waits_then_fails() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("drydock.lock");
        let first = StoreLock::acquire(&p, WAIT).unwrap();
        let e = StoreLock::acquire(&p, Duration::from_millis(100)).unwrap_err();
        assert!(e.to_string().contains("another drydock process"), "{e}");
        drop(first);
        StoreLock::acquire(&p, Duration::from_millis(100)).unwrap();
    }
}
