//! File owners. drydock runs unprivileged, so it cannot `chown`: every file it writes belongs to
//! the user running drydock. The owner a file has *in the container's world* (a layer entry's
//! uid/gid, or the container user that created it) is kept beside the file instead, in the
//! extended attribute `user.drydock.owner` (`"UID:GID"`). No attribute means root (0:0), which
//! is what most image files are, so only other owners cost anything.
//!
//! Written by the unpacker (a layer entry with another owner), copied by the rootfs assembler,
//! and written by the container's shell and applets for what a non-root user creates. Read by
//! `docker diff` (an owner change is a change), `docker export` / `commit` / build layers (the
//! tar headers' uid and gid), `ls -l` and the permission checks of a container's non-root user.
//!
//! Symbolic links cannot carry `user.` attributes on Linux, so a link is always root's; a
//! filesystem without user attributes leaves every file root's. Both only lose ownership
//! information; nothing fails because of it.

use std::ffi::CString;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// The attribute's name.
const NAME: &[u8] = b"user.drydock.owner\0";

fn c_path(path: &Path) -> io::Result<CString> {
    CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))
}

/// The owner (uid, gid) recorded for `path` (not following a final symlink); root when none is.
pub fn get(path: &Path) -> (u32, u32) {
    let Ok(c) = c_path(path) else {
        return (0, 0);
    };
    let mut buf = [0u8; 32];
    // SAFETY: `c` is NUL-terminated, NAME too, and `buf` is valid for `buf.len()` bytes.
    let n = unsafe {
        libc::lgetxattr(
            c.as_ptr(),
            NAME.as_ptr().cast(),
            buf.as_mut_ptr().cast(),
            buf.len(),
        )
    };
    if n <= 0 {
        return (0, 0);
    }
    parse(&buf[..n as usize]).unwrap_or((0, 0))
}

fn parse(v: &[u8]) -> Option<(u32, u32)> {
    let s = std::str::from_utf8(v).ok()?;
    let (u, g) = s.split_once(':')?;
    Some((u.parse().ok()?, g.parse().ok()?))
}

/// Records `uid:gid` as `path`'s owner (root removes the record). Symbolic links and
/// filesystems without user attributes are left as they are.
pub fn set(path: &Path, uid: u32, gid: u32) -> io::Result<()> {
    match set_once(path, uid, gid) {
        // `user.` attributes need write permission on the inode: an unprivileged drydock adds
        // it for a moment to a file of its own that has none (`/etc/shadow` is 0000).
        Err(e) if e.raw_os_error() == Some(libc::EACCES) => {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::symlink_metadata(path)?.permissions().mode();
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode | 0o600))?;
            let r = set_once(path, uid, gid);
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
            r
        }
        r => r,
    }
}

fn set_once(path: &Path, uid: u32, gid: u32) -> io::Result<()> {
    let c = c_path(path)?;
    let rc = if (uid, gid) == (0, 0) {
        // SAFETY: both strings are NUL-terminated.
        unsafe { libc::lremovexattr(c.as_ptr(), NAME.as_ptr().cast()) }
    } else {
        let v = format!("{uid}:{gid}");
        // SAFETY: both strings are NUL-terminated and `v` is valid for `v.len()` bytes.
        unsafe {
            libc::lsetxattr(
                c.as_ptr(),
                NAME.as_ptr().cast(),
                v.as_ptr().cast(),
                v.len(),
                0,
            )
        }
    };
    if rc == 0 {
        return Ok(());
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        // No record to remove; a symlink (EPERM for `user.` attributes); no support.
        Some(libc::ENODATA) | Some(libc::EPERM) | Some(libc::ENOTSUP) => Ok(()),
        _ => Err(e),
    }
}

/// Records `uid:gid` for `path` and, when it is a directory, everything below it (without
/// following symlinks): what a user's `cp -r` or `tar x` just created.
pub fn set_tree(path: &Path, uid: u32, gid: u32) -> io::Result<()> {
    set(path, uid, gid)?;
    let m = std::fs::symlink_metadata(path)?;
    if m.is_dir() {
        for e in std::fs::read_dir(path)? {
            set_tree(&e?.path(), uid, gid)?;
        }
    }
    Ok(())
}

/// The name a tar header gives owner `id` (`docker export` and layers): `root` for 0, and none
/// for other ids, which the virtual host has no names for.
pub fn tar_name(id: u32) -> &'static str {
    if id == 0 { "root" } else { "" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_round_trip_and_root_is_the_default() {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("f");
        std::fs::write(&f, "x").unwrap();
        assert_eq!(get(&f), (0, 0));
        set(&f, 1000, 50).unwrap();
        assert_eq!(get(&f), (1000, 50));
        // A rename keeps it (it is the inode's).
        let g = tmp.path().join("g");
        std::fs::rename(&f, &g).unwrap();
        assert_eq!(get(&g), (1000, 50));
        set(&g, 0, 0).unwrap();
        assert_eq!(get(&g), (0, 0));
        set(&g, 0, 0).unwrap();
        // Symlinks stay root's, silently.
        std::os::unix::fs::symlink("g", tmp.path().join("l")).unwrap();
        set(&tmp.path().join("l"), 7, 7).unwrap();
        assert_eq!(get(&tmp.path().join("l")), (0, 0));
        assert_eq!(get(&tmp.path().join("missing")), (0, 0));
    }

    #[test]
    fn trees() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path().join("d");
        std::fs::create_dir_all(d.join("e")).unwrap();
        std::fs::write(d.join("e/f"), "").unwrap();
        set_tree(&d, 65534, 65534).unwrap();
        for p in ["d", "d/e", "d/e/f"] {
            assert_eq!(get(&tmp.path().join(p)), (65534, 65534), "{p}");
        }
        assert_eq!(parse(b"1:2"), Some((1, 2)));
        assert_eq!(parse(b"x"), None);
    }
}
