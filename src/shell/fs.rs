//! Confined path resolution: every path the shell or a command touches is resolved under a root,
//! with chroot semantics. STUB: interface fixed, implementation in progress.

use std::path::{Path, PathBuf};

/// Why a path could not be resolved.
#[derive(Debug, thiserror::Error)]
pub enum FsError {
    #[error("No such file or directory")]
    NotFound,
    #[error("Not a directory")]
    NotADirectory,
    #[error("Too many levels of symbolic links")]
    Loop,
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// A root directory that virtual paths are confined to.
#[derive(Debug, Clone)]
pub struct Root {
    real: PathBuf,
}

impl Root {
    pub fn new(real: PathBuf) -> Root {
        Root { real }
    }

    /// The real directory that is `/`.
    pub fn real(&self) -> &Path {
        &self.real
    }

    /// `path` made absolute against `cwd` and normalised lexically (`.`/`..`; `..` stops at `/`),
    /// without touching the filesystem.
    pub fn absolute(&self, cwd: &str, path: &str) -> String {
        let mut parts: Vec<&str> = Vec::new();
        let joined = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("{cwd}/{path}")
        };
        for c in joined.split('/') {
            match c {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                c => parts.push(c),
            }
        }
        format!("/{}", parts.join("/"))
    }

    /// The real path for a virtual path, following symlinks inside the root (absolute targets are
    /// relative to the root; `..` never climbs above it). `follow_last` says whether a symlink in
    /// the last component is followed (`cat` yes, `rm` and `ls -l` no).
    pub fn resolve(&self, cwd: &str, path: &str, _follow_last: bool) -> Result<PathBuf, FsError> {
        let abs = self.absolute(cwd, path);
        Ok(self.real.join(abs.trim_start_matches('/')))
    }

    /// The virtual path of a real path under the root.
    pub fn to_virtual(&self, real: &Path) -> Option<String> {
        let rel = real.strip_prefix(&self.real).ok()?;
        Some(format!("/{}", rel.to_string_lossy()))
    }
}
