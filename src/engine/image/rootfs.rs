//! A container's root filesystem: the image's layers applied in order into one directory (the
//! container's writable layer sits on top of that copy). STUB: copies layers without whiteouts;
//! the full version (whiteouts, `docker diff`, export) is being written.

use std::fs;
use std::io;
use std::path::Path;

use super::{Image, ImageStore, StoreError};

fn copy_tree(src: &Path, dst: &Path) -> io::Result<()> {
    fs::create_dir_all(dst)?;
    for e in fs::read_dir(src)? {
        let e = e?;
        let (from, to) = (e.path(), dst.join(e.file_name()));
        let ft = e.file_type()?;
        if ft.is_dir() {
            copy_tree(&from, &to)?;
        } else if ft.is_symlink() {
            let _ = fs::remove_file(&to);
            std::os::unix::fs::symlink(fs::read_link(&from)?, &to)?;
        } else {
            fs::copy(&from, &to)?;
        }
    }
    Ok(())
}

/// Applies `image`'s layers, bottom first, into `dest` (created if needed).
pub fn assemble(store: &ImageStore, image: &Image, dest: &Path) -> Result<(), StoreError> {
    for chain in image.chain_ids() {
        let layer = store.layers.get(&chain)?;
        let diff = store.paths().layer_diff(&layer.cache_id);
        copy_tree(&diff, dest).map_err(|source| StoreError::Io {
            path: dest.to_path_buf(),
            source,
        })?;
    }
    Ok(())
}

/// One line of `docker diff`: `A` added, `C` changed, `D` deleted, and the path inside the
/// container (`/etc/hosts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: char,
    pub path: String,
}

/// What changed in a container's rootfs (`rootfs`) relative to its image, sorted by path as
/// `docker diff` prints it. STUB: being written.
pub fn diff(
    _store: &ImageStore,
    _image: &Image,
    _rootfs: &Path,
) -> Result<Vec<Change>, StoreError> {
    Ok(Vec::new())
}

/// Writes the container's whole filesystem as a tar stream (`docker export`). STUB: being written.
pub fn export_tar(rootfs: &Path, _out: &mut dyn io::Write) -> Result<(), StoreError> {
    Err(StoreError::InvalidArgument(format!(
        "export of {} is not available yet",
        rootfs.display()
    )))
}

/// Writes the container's changes as a layer tar with OCI whiteouts for deletions (what
/// `docker commit` adds on top of the image). STUB: being written.
pub fn changes_tar(
    _store: &ImageStore,
    _image: &Image,
    rootfs: &Path,
    _out: &mut dyn io::Write,
) -> Result<(), StoreError> {
    Err(StoreError::InvalidArgument(format!(
        "commit of {} is not available yet",
        rootfs.display()
    )))
}
