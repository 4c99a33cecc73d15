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
