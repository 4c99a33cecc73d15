//! Confined path resolution: every path the shell or a command touches is resolved under a root,
//! with chroot semantics.
//!
//! [`Root::resolve`] walks a virtual path one component at a time from the root, as the kernel does
//! inside a chroot: `..` pops a component (and stays put at `/`), a symlink is read and its target
//! spliced into the walk (an absolute target starts again at the root, a relative one continues from
//! the link's directory), and after 40 links the walk fails with `ELOOP`. The real path it returns
//! therefore contains no symlink except, when `follow_last` is false, the last component itself, and
//! it always lies under [`Root::real`]. A component that does not exist ends the checking for that
//! component only: the rest is still walked (so `missing/../link` is checked again), and what lies
//! below a missing component is joined lexically, so `mkdir -p a/b` and `> newfile` can create it.
//!
//! This module owns the confinement; commands own their error texts. It does not guard against a
//! concurrent process swapping a directory for a symlink between `resolve` and the open that follows
//! (the host shell is single-user; a container's processes are its own).
//!
//! Vocabulary: a *virtual path* is what the learner types (`/root/a.txt`), relative to the shell's
//! working directory; a *real path* is the host path under the root.
//!
//! Mounts (a container's `-v` volumes and binds): a root may carry a mount table, virtual
//! destination → real source. The walk keeps its stack of *virtual* components; only turning the
//! stack into a real path consults the table (the longest destination that is a prefix of the
//! stack wins), so a path under a mount continues inside the mount's source, `..` out of the
//! mount's top pops back into the parent filesystem, and a symlink inside a mount resolves in the
//! container's view (an absolute target starts again at the container's `/`). The real path then
//! lies under the root or under one mount's source, never elsewhere. Read-only mounts are enforced
//! where commands write: they resolve through [`Root::resolve_write`] (or ask [`Root::writable`]),
//! which fails with `Read-only file system`. Walkers that descend real directories on their own
//! (`find`, `tar`, `cp -r`, `du`) do not cross into mounts below the directory they start from.
//!
//! Users: a root carries the credentials of who works under it ([`Creds`]: root on the host; a
//! container's `-u` user inside one). drydock cannot switch the real process's user, so for a
//! non-root user this module decides what the kernel would: [`Root::check`] (behind
//! [`Root::resolve_for`]) compares the user with each file's mode and recorded owner
//! ([`owner`]) for the [`Access`] a command is about to make — search
//! permission on the directory, then write (or read) permission on the file or its directory, and
//! the sticky bit — and fails with `Permission denied` / `Operation not permitted`. Commands call
//! [`Root::created`] for what they make, so it is the user's. Root is never refused.

use std::collections::VecDeque;
use std::ffi::{OsStr, OsString};
use std::fs::{self, Metadata};
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::engine::image::owner;

/// Symlinks followed in one resolution before giving up, as Linux's `MAXSYMLINKS`.
const MAX_LINKS: usize = 40;

/// Why a path could not be resolved.
#[derive(Debug, thiserror::Error)]
pub enum FsError {
    #[error("No such file or directory")]
    NotFound,
    #[error("Not a directory")]
    NotADirectory,
    #[error("Too many levels of symbolic links")]
    Loop,
    /// A write under a read-only mount.
    #[error("Read-only file system")]
    ReadOnly,
    /// The user lacks the permission (`EACCES`).
    #[error("Permission denied")]
    PermissionDenied,
    /// A sticky directory protects the name from this user (`EPERM`).
    #[error("Operation not permitted")]
    NotPermitted,
    #[error("{}", strerror(.0))]
    Io(#[from] std::io::Error),
}

impl FsError {
    /// The I/O error this stands for, for callers that keep `io::Error`s.
    pub fn into_io(self) -> io::Error {
        match self {
            FsError::NotFound => io::Error::from(io::ErrorKind::NotFound),
            FsError::NotADirectory => io::Error::from_raw_os_error(libc::ENOTDIR),
            FsError::Loop => io::Error::from_raw_os_error(libc::ELOOP),
            FsError::ReadOnly => io::Error::from_raw_os_error(libc::EROFS),
            FsError::PermissionDenied => io::Error::from_raw_os_error(libc::EACCES),
            FsError::NotPermitted => io::Error::from_raw_os_error(libc::EPERM),
            FsError::Io(e) => e,
        }
    }
}

/// An I/O error as C's `strerror` words it (`No such file or directory`), without Rust's
/// ` (os error 2)` suffix, so messages read like coreutils'.
pub fn strerror(e: &io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// What a command is about to do with a name, for [`Root::check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Read what the name holds (`<`, `cat`, `ls DIR`): read permission on it and search
    /// permission on its directory.
    Read,
    /// Write what the name holds, creating it when absent (`>`, `>>`, `touch`, `cp`'s target):
    /// write permission on it, or on its directory when it does not exist.
    Write,
    /// Make the name (`mkdir`, `ln`, `mv`'s target): write permission on its directory.
    Create,
    /// Remove or rename the name (`rm`, `rmdir`, `mv`): write permission on its directory and,
    /// in a sticky directory, owning the name or the directory.
    Remove,
}

/// One entry of a root's mount table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountEntry {
    /// The virtual destination's components (`/data/x` → `["data", "x"]`; none for `/`).
    dest: Vec<OsString>,
    /// The real directory (or file) shown there.
    source: PathBuf,
    read_only: bool,
}

/// Who is working under a root: the user a container process runs as (`-u`, the image's
/// `USER`), for `id`, permission checks and the owner of what it creates. The host shell, and a
/// container without a user, is root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Creds {
    pub uid: u32,
    pub gid: u32,
    /// `getgroups(2)`: sorted, each once, the gid among them.
    pub groups: Vec<u32>,
}

impl Creds {
    pub fn root() -> Creds {
        Creds {
            uid: 0,
            gid: 0,
            groups: vec![0],
        }
    }

    /// The credentials of a process spec (the runtime resolved them).
    pub fn new(uid: u32, gid: u32, groups: &[u32]) -> Creds {
        let mut groups = groups.to_vec();
        if groups.is_empty() {
            groups.push(gid);
        }
        Creds { uid, gid, groups }
    }

    pub fn is_root(&self) -> bool {
        self.uid == 0
    }

    /// Whether the process is in group `gid` (its primary group or a supplementary one).
    pub fn in_group(&self, gid: u32) -> bool {
        self.gid == gid || self.groups.contains(&gid)
    }
}

impl Default for Creds {
    fn default() -> Creds {
        Creds::root()
    }
}

/// A root directory that virtual paths are confined to, with the mounts shown inside it.
#[derive(Debug, Clone)]
pub struct Root {
    real: PathBuf,
    /// Sorted by destination length, longest first, so the first match is the innermost mount.
    mounts: std::sync::Arc<Vec<MountEntry>>,
    creds: std::sync::Arc<Creds>,
}

impl Root {
    pub fn new(real: PathBuf) -> Root {
        Root {
            real,
            mounts: Default::default(),
            creds: Default::default(),
        }
    }

    /// This root as seen by the user `creds`.
    pub fn with_creds(mut self, creds: Creds) -> Root {
        self.creds = std::sync::Arc::new(creds);
        self
    }

    /// The user working under this root.
    pub fn creds(&self) -> &Creds {
        &self.creds
    }

    /// This root with `source` mounted at virtual path `destination` (normalised lexically;
    /// callers resolve symlinks in it first, as runc does with `FollowSymlinkInScope`). A later
    /// mount at the same destination hides an earlier one.
    pub fn with_mount(mut self, destination: &str, source: PathBuf, read_only: bool) -> Root {
        let dest: Vec<OsString> = self
            .absolute("/", destination)
            .split('/')
            .filter(|c| !c.is_empty())
            .map(OsString::from)
            .collect();
        let mut mounts: Vec<MountEntry> = self
            .mounts
            .iter()
            .filter(|m| m.dest != dest)
            .cloned()
            .collect();
        mounts.push(MountEntry {
            dest,
            source,
            read_only,
        });
        mounts.sort_by_key(|m| std::cmp::Reverse(m.dest.len()));
        self.mounts = std::sync::Arc::new(mounts);
        self
    }

    /// The mount a virtual stack lies in (the innermost), if any.
    fn mount_of(&self, stack: &[OsString]) -> Option<&MountEntry> {
        self.mounts
            .iter()
            .find(|m| stack.len() >= m.dest.len() && stack[..m.dest.len()] == m.dest[..])
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
    /// the last component is followed (`cat` yes, `rm` and `ls -l` no); a trailing `/`, `.` or `..`
    /// always follows, as in POSIX.
    pub fn resolve(&self, cwd: &str, path: &str, follow_last: bool) -> Result<PathBuf, FsError> {
        self.walk(cwd, path, follow_last).map(|(real, _)| real)
    }

    /// As [`Root::resolve`], for a path whose contents are about to be written (created when
    /// absent): [`Root::resolve_for`] with [`Access::Write`].
    pub fn resolve_write(
        &self,
        cwd: &str,
        path: &str,
        follow_last: bool,
    ) -> Result<PathBuf, FsError> {
        self.resolve_for(cwd, path, follow_last, Access::Write)
    }

    /// As [`Root::resolve`], for a path about to be written, created or removed (`access`):
    /// fails with `Read-only file system` when it lies in a read-only mount (through a final
    /// symlink too), and with `Permission denied` (or `Operation not permitted`) when the user
    /// working under the root may not do it ([`Root::check`]).
    pub fn resolve_for(
        &self,
        cwd: &str,
        path: &str,
        follow_last: bool,
        access: Access,
    ) -> Result<PathBuf, FsError> {
        if access != Access::Read {
            self.writable(cwd, path)?;
        }
        self.check(cwd, path, follow_last, access)?;
        self.resolve(cwd, path, follow_last)
    }

    /// Whether the user working under this root may do `access` to `path`, by the owners
    /// drydock records ([`owner`]) and the modes on disk, as the
    /// kernel decides for an unprivileged process (root may do anything). Only what the
    /// operation's own failure would not report first is refused here: a name that exists is
    /// not refused for [`Access::Create`] (the operation says `File exists`), a missing one not
    /// for [`Access::Remove`] (`No such file or directory`).
    pub fn check(
        &self,
        cwd: &str,
        path: &str,
        follow_last: bool,
        access: Access,
    ) -> Result<(), FsError> {
        if self.creds.is_root() {
            return Ok(());
        }
        let Ok((real, stack)) = self.walk(cwd, path, follow_last) else {
            // The operation reports the path's own problem.
            return Ok(());
        };
        let parent = (!stack.is_empty()).then(|| self.joined(&stack[..stack.len() - 1]));
        self.check_at(&real, parent.as_deref(), access)
    }

    /// [`Root::check`] for a real path a walker reached below a path already resolved (`rm -r`,
    /// `cp -r`, `tar x`): its directory is its real parent.
    pub fn check_real(&self, real: &Path, access: Access) -> Result<(), FsError> {
        if self.creds.is_root() {
            return Ok(());
        }
        self.check_at(real, real.parent(), access)
    }

    fn check_at(&self, real: &Path, parent: Option<&Path>, access: Access) -> Result<(), FsError> {
        let here = fs::symlink_metadata(real).ok();
        let parent_meta = parent.and_then(|p| fs::metadata(p).ok().map(|m| (p, m)));
        let dir_writable = || match &parent_meta {
            Some((p, m)) if !self.permits(p, m, 0o3) => Err(FsError::PermissionDenied),
            _ => Ok(()),
        };
        // Reaching the name at all needs search permission on its directory (`/root` is 0700).
        if let Some((p, m)) = &parent_meta
            && !self.permits(p, m, 0o1)
        {
            return Err(FsError::PermissionDenied);
        }
        match access {
            Access::Read => match here {
                Some(m) if !m.file_type().is_symlink() && !self.permits(real, &m, 0o4) => {
                    Err(FsError::PermissionDenied)
                }
                _ => Ok(()),
            },
            Access::Write => match here {
                // Writing a directory fails with `Is a directory` first.
                Some(m) if m.is_dir() => Ok(()),
                Some(m) if !self.permits(real, &m, 0o2) => Err(FsError::PermissionDenied),
                Some(_) => Ok(()),
                None => dir_writable(),
            },
            Access::Create => match here {
                Some(_) => Ok(()),
                None => dir_writable(),
            },
            Access::Remove => {
                if here.is_none() {
                    return Ok(());
                }
                dir_writable()?;
                // The sticky bit (`/tmp`): only the name's owner or the directory's may remove it.
                if let Some((p, pm)) = &parent_meta {
                    use std::os::unix::fs::PermissionsExt;
                    let uid = self.creds.uid;
                    if pm.permissions().mode() & 0o1000 != 0
                        && owner::get(real).0 != uid
                        && owner::get(p).0 != uid
                    {
                        return Err(FsError::NotPermitted);
                    }
                }
                Ok(())
            }
        }
    }

    /// Whether the user's class (owner, group, other) of `real`'s mode has all of `want`
    /// (`0o4` read, `0o2` write, `0o1` execute/search).
    fn permits(&self, real: &Path, m: &Metadata, want: u32) -> bool {
        use std::os::unix::fs::PermissionsExt;
        if self.creds.is_root() {
            return true;
        }
        let (uid, gid) = owner::get(real);
        let mode = m.permissions().mode();
        let shift = if uid == self.creds.uid {
            6
        } else if self.creds.in_group(gid) {
            3
        } else {
            0
        };
        (mode >> shift) & want == want
    }

    /// Records the user working under this root as the owner of `real`, just created (and of
    /// everything below it when it is a directory it just made, as `cp -r` or `tar x` do).
    /// Root's files need no record; failures only lose the record.
    pub fn created(&self, real: &Path) {
        if !self.creds.is_root() {
            let _ = owner::set_tree(real, self.creds.uid, self.creds.gid);
        }
    }

    /// Whether `path` may be written: `Err(ReadOnly)` when the name itself, or what a final
    /// symlink points to, lies in a read-only mount.
    pub fn writable(&self, cwd: &str, path: &str) -> Result<(), FsError> {
        if self.mounts.iter().all(|m| !m.read_only) {
            return Ok(());
        }
        for follow in [false, true] {
            if let Ok((_, stack)) = self.walk(cwd, path, follow)
                && self.mount_of(&stack).is_some_and(|m| m.read_only)
            {
                return Err(FsError::ReadOnly);
            }
        }
        Ok(())
    }

    /// The walk behind [`Root::resolve`]: the real path and the virtual components it stands for.
    fn walk(
        &self,
        cwd: &str,
        path: &str,
        follow_last: bool,
    ) -> Result<(PathBuf, Vec<OsString>), FsError> {
        let joined = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("{cwd}/{path}")
        };
        let follow_last = follow_last
            || matches!(joined.rsplit('/').next(), Some("" | "." | ".."))
                && !joined.trim_matches('/').is_empty();
        let mut todo: VecDeque<OsString> = joined
            .split('/')
            .filter(|c| !c.is_empty() && *c != ".")
            .map(OsString::from)
            .collect();
        // Virtual components below the root, none of them `..`, `.` or empty: the real path is
        // `real/stack…` (or a mount's `source/rest…`) and so can never leave the root or the
        // mount.
        let mut stack: Vec<OsString> = Vec::new();
        let mut links = 0;
        while let Some(c) = todo.pop_front() {
            if c == ".." {
                stack.pop();
                continue;
            }
            let mut here = self.joined(&stack);
            here.push(&c);
            let last = todo.is_empty();
            match fs::symlink_metadata(&here) {
                Ok(m) if m.file_type().is_symlink() && (!last || follow_last) => {
                    links += 1;
                    if links > MAX_LINKS {
                        return Err(FsError::Loop);
                    }
                    let target = fs::read_link(&here)?;
                    let mut parts = Vec::new();
                    for comp in target.components() {
                        match comp {
                            // Chroot semantics: `/` in a link target is the root's `/`.
                            Component::RootDir | Component::Prefix(_) => {
                                stack.clear();
                                parts.clear();
                            }
                            Component::CurDir => {}
                            Component::ParentDir => parts.push(OsString::from("..")),
                            Component::Normal(s) => parts.push(s.to_os_string()),
                        }
                    }
                    for p in parts.into_iter().rev() {
                        todo.push_front(p);
                    }
                }
                Ok(m) => {
                    // `file/x` and `file/..` fail as the kernel fails them.
                    if !last && !m.is_dir() && !m.file_type().is_symlink() {
                        return Err(FsError::NotADirectory);
                    }
                    stack.push(c);
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => stack.push(c),
                Err(e) if e.raw_os_error() == Some(libc::ENOTDIR) => {
                    return Err(FsError::NotADirectory);
                }
                Err(e) => return Err(FsError::Io(e)),
            }
        }
        let real = self.joined(&stack);
        debug_assert!(
            real.starts_with(&self.real) || self.mounts.iter().any(|m| real.starts_with(&m.source))
        );
        Ok((real, stack))
    }

    /// The real path of a virtual stack: under the innermost mount holding it, else the root.
    fn joined(&self, stack: &[OsString]) -> PathBuf {
        let (mut p, rest) = match self.mount_of(stack) {
            Some(m) => (m.source.clone(), &stack[m.dest.len()..]),
            None => (self.real.clone(), stack),
        };
        for c in rest {
            p.push(c);
        }
        p
    }

    /// The virtual path of a real path under the root or one of its mounts.
    pub fn to_virtual(&self, real: &Path) -> Option<String> {
        let virt = |dest: &[OsString], rel: &Path| {
            let mut parts: Vec<String> = dest.iter().map(|c| c.to_string_lossy().into()).collect();
            if !rel.as_os_str().is_empty() {
                parts.push(rel.to_string_lossy().into());
            }
            format!("/{}", parts.join("/"))
        };
        for m in self.mounts.iter() {
            if let Ok(rel) = real.strip_prefix(&m.source) {
                return Some(virt(&m.dest, rel));
            }
        }
        let rel = real.strip_prefix(&self.real).ok()?;
        Some(virt(&[], rel))
    }

    /// The metadata of what `path` names, following a final symlink (`stat`).
    pub fn metadata(&self, cwd: &str, path: &str) -> Result<Metadata, FsError> {
        let real = self.resolve(cwd, path, true)?;
        Ok(fs::metadata(real)?)
    }

    /// The metadata of `path` itself, not following a final symlink (`lstat`).
    pub fn symlink_metadata(&self, cwd: &str, path: &str) -> Result<Metadata, FsError> {
        let real = self.resolve(cwd, path, false)?;
        Ok(fs::symlink_metadata(real)?)
    }

    /// Whether `path` names something (following symlinks).
    pub fn exists(&self, cwd: &str, path: &str) -> bool {
        self.metadata(cwd, path).is_ok()
    }

    /// Whether `path` names a directory (following symlinks).
    pub fn is_dir(&self, cwd: &str, path: &str) -> bool {
        self.metadata(cwd, path).is_ok_and(|m| m.is_dir())
    }

    /// The names in directory `path`, in byte order (`LC_ALL=C`), without `.` and `..`.
    pub fn read_dir(&self, cwd: &str, path: &str) -> Result<Vec<OsString>, FsError> {
        let real = self.resolve(cwd, path, true)?;
        let mut names = fs::read_dir(real)?
            .map(|e| e.map(|e| e.file_name()))
            .collect::<Result<Vec<_>, _>>()?;
        names.sort_by(|a, b| a.as_encoded_bytes().cmp(b.as_encoded_bytes()));
        Ok(names)
    }

    /// The target of symlink `path`, as stored (not resolved).
    pub fn read_link(&self, cwd: &str, path: &str) -> Result<PathBuf, FsError> {
        let real = self.resolve(cwd, path, false)?;
        Ok(fs::read_link(real)?)
    }
}

/// The last component of a virtual path (`basename`), for messages and copies.
pub fn file_name(path: &str) -> &str {
    let t = path.trim_end_matches('/');
    if t.is_empty() {
        return if path.is_empty() { "" } else { "/" };
    }
    t.rsplit('/').next().unwrap_or(t)
}

/// The name a real directory entry has, as text (lossy for non-UTF-8 names).
pub fn name_text(name: &OsStr) -> String {
    name.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    struct World {
        _tmp: tempfile::TempDir,
        root: Root,
        outside: PathBuf,
    }

    /// A root at TMP/root with `/root`, `/etc/passwd` (the fake one) and a sentinel at TMP/sentinel.
    fn world() -> World {
        let tmp = tempfile::tempdir().expect("tempdir");
        let real = tmp.path().join("root");
        fs::create_dir_all(real.join("root")).expect("mkdir");
        fs::create_dir_all(real.join("etc")).expect("mkdir");
        fs::write(real.join("etc/passwd"), "fake\n").expect("write");
        let outside = tmp.path().join("sentinel");
        fs::write(&outside, "secret\n").expect("write");
        World {
            root: Root::new(real),
            outside,
            _tmp: tmp,
        }
    }

    impl World {
        fn real(&self, rel: &str) -> PathBuf {
            self.root.real().join(rel)
        }
        fn resolve(&self, p: &str) -> PathBuf {
            let r = self.root.resolve("/root", p, true).expect("resolve");
            assert!(r.starts_with(self.root.real()), "{r:?} escapes");
            r
        }
    }

    #[test]
    fn dot_dot_stays_at_root() {
        let w = world();
        assert_eq!(w.resolve("../../../../etc/passwd"), w.real("etc/passwd"));
        assert_eq!(w.resolve("/../../sentinel"), w.real("sentinel"));
        assert_eq!(
            fs::read_to_string(w.resolve("../../../../etc/passwd")).expect("read"),
            "fake\n"
        );
    }

    #[test]
    fn symlink_to_slash_stays_inside() {
        let w = world();
        symlink("/", w.real("root/x")).expect("symlink");
        assert_eq!(w.resolve("x/etc/passwd"), w.real("etc/passwd"));
        assert_eq!(w.resolve("x/../sentinel"), w.real("sentinel"));
        assert_eq!(w.resolve("x"), w.real(""));
    }

    #[test]
    fn relative_symlink_chains_stay_inside() {
        let w = world();
        symlink("../../..", w.real("root/up")).expect("symlink");
        symlink("up/up/..", w.real("root/up2")).expect("symlink");
        fs::create_dir(w.real("root/d")).expect("mkdir");
        symlink("../up2/../../sentinel", w.real("root/d/s")).expect("symlink");
        assert_eq!(w.resolve("up/sentinel"), w.real("sentinel"));
        assert_eq!(w.resolve("up2/sentinel"), w.real("sentinel"));
        assert_eq!(w.resolve("d/s"), w.real("sentinel"));
        assert!(fs::read_to_string(w.resolve("d/s")).is_err());
    }

    #[test]
    fn absolute_symlink_is_relative_to_the_root() {
        let w = world();
        symlink("/etc", w.real("root/etc")).expect("symlink");
        assert_eq!(w.resolve("etc/passwd"), w.real("etc/passwd"));
        let outside = w.outside.to_string_lossy().into_owned();
        symlink(&outside, w.real("root/s")).expect("symlink");
        let r = w.resolve("s");
        assert_eq!(r, w.root.real().join(outside.trim_start_matches('/')));
        assert_eq!(fs::read_to_string(&w.outside).expect("read"), "secret\n");
    }

    #[test]
    fn writing_through_links_never_touches_the_outside() {
        let w = world();
        let outside = w.outside.to_string_lossy().into_owned();
        symlink(&outside, w.real("root/s")).expect("symlink");
        symlink("../../../../..", w.real("root/up")).expect("symlink");
        let name = w
            .outside
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        for p in ["s", &format!("up/{name}"), &format!("../../../{name}")] {
            let r = w.resolve(p);
            if let Some(parent) = r.parent() {
                fs::create_dir_all(parent).expect("mkdir");
            }
            fs::write(&r, "overwritten").expect("write");
        }
        assert_eq!(fs::read_to_string(&w.outside).expect("read"), "secret\n");
    }

    #[test]
    fn loops_fail_with_eloop() {
        let w = world();
        symlink("a", w.real("root/b")).expect("symlink");
        symlink("b", w.real("root/a")).expect("symlink");
        symlink("self/x", w.real("root/self")).expect("symlink");
        for p in ["a", "self", "a/x"] {
            let e = w.root.resolve("/root", p, true).expect_err("loop");
            assert_eq!(e.to_string(), "Too many levels of symbolic links");
        }
        // Not following the last component: the link itself.
        assert_eq!(
            w.root.resolve("/root", "a", false).expect("nofollow"),
            w.real("root/a")
        );
    }

    #[test]
    fn missing_components_resolve_lexically_but_still_check_links() {
        let w = world();
        assert_eq!(w.resolve("a/b/c"), w.real("root/a/b/c"));
        symlink("/", w.real("root/x")).expect("symlink");
        // Back out of the missing part into an existing symlink: it is still confined.
        assert_eq!(w.resolve("nope/../x/etc"), w.real("etc"));
    }

    #[test]
    fn not_a_directory() {
        let w = world();
        let e = w
            .root
            .resolve("/", "/etc/passwd/x", true)
            .expect_err("enotdir");
        assert_eq!(e.to_string(), "Not a directory");
    }

    #[test]
    fn follow_last_and_trailing_slash() {
        let w = world();
        symlink("/etc", w.real("root/e")).expect("symlink");
        assert_eq!(
            w.root.resolve("/root", "e", false).expect("r"),
            w.real("root/e")
        );
        assert_eq!(
            w.root.resolve("/root", "e/", false).expect("r"),
            w.real("etc")
        );
        assert_eq!(w.root.resolve("/", "/", false).expect("r"), w.real(""));
    }

    /// The world's root with TMP/vol mounted at /data (and TMP/ro read-only at /data/ro).
    fn mounted(w: &World) -> (Root, PathBuf, PathBuf) {
        let base = w.outside.parent().expect("tmp").to_path_buf();
        let vol = base.join("vol");
        let ro = base.join("ro");
        fs::create_dir_all(vol.join("sub")).expect("mkdir");
        fs::create_dir_all(&ro).expect("mkdir");
        fs::write(vol.join("f"), "in volume\n").expect("write");
        let root = w
            .root
            .clone()
            .with_mount("/data", vol.clone(), false)
            .with_mount("/data/ro/", ro.clone(), true);
        (root, vol, ro)
    }

    #[test]
    fn paths_under_a_mount_resolve_in_its_source() {
        let w = world();
        let (root, vol, ro) = mounted(&w);
        let r = |p: &str| root.resolve("/", p, true).expect("resolve");
        assert_eq!(r("/data"), vol);
        assert_eq!(r("/data/f"), vol.join("f"));
        assert_eq!(r("/data/sub/../f"), vol.join("f"));
        assert_eq!(r("/data/ro/x"), ro.join("x"));
        assert_eq!(r("/etc/passwd"), w.real("etc/passwd"));
        assert_eq!(
            root.to_virtual(&vol.join("sub")).as_deref(),
            Some("/data/sub")
        );
        assert_eq!(root.to_virtual(&ro).as_deref(), Some("/data/ro"));
        assert_eq!(root.to_virtual(&w.real("etc")).as_deref(), Some("/etc"));
    }

    #[test]
    fn dot_dot_out_of_a_mount_returns_to_the_parent_filesystem() {
        let w = world();
        let (root, _vol, _ro) = mounted(&w);
        let r = |p: &str| root.resolve("/data", p, true).expect("resolve");
        // The source's real parent (TMP, with the sentinel) is never reached.
        assert_eq!(r(".."), w.real(""));
        assert_eq!(r("../sentinel"), w.real("sentinel"));
        assert_eq!(r("../../../etc/passwd"), w.real("etc/passwd"));
        assert_eq!(r("ro/../../etc"), w.real("etc"));
    }

    #[test]
    fn symlinks_inside_a_mount_resolve_in_the_containers_view() {
        let w = world();
        let (root, vol, _ro) = mounted(&w);
        symlink("/etc/passwd", vol.join("abs")).expect("symlink");
        symlink("../../../../sentinel", vol.join("up")).expect("symlink");
        symlink("/data/f", w.real("root/tof")).expect("symlink");
        let r = |p: &str| root.resolve("/", p, true).expect("resolve");
        assert_eq!(r("/data/abs"), w.real("etc/passwd"));
        assert_eq!(r("/data/up"), w.real("sentinel"));
        assert_eq!(r("/root/tof"), vol.join("f"));
    }

    #[test]
    fn read_only_mounts_refuse_writes() {
        let w = world();
        let (root, vol, _ro) = mounted(&w);
        let e = root
            .resolve_write("/", "/data/ro/new", true)
            .expect_err("read-only");
        assert_eq!(e.to_string(), "Read-only file system");
        assert_eq!(e.into_io().raw_os_error(), Some(libc::EROFS));
        // Through a symlink elsewhere too.
        symlink("/data/ro/x", vol.join("toro")).expect("symlink");
        assert!(root.writable("/", "/data/toro").is_err());
        assert!(root.writable("/", "/data/f").is_ok());
        assert!(root.writable("/", "/root/x").is_ok());
        assert_eq!(
            root.resolve_write("/", "/data/f", true).expect("rw"),
            vol.join("f")
        );
    }

    /// A root like a busybox image's, as the non-root user `creds` sees it: `/etc` and `/`
    /// root's 0755, `/root` 0700, `/tmp` 1777 with a file of uid 1000's, and `/home/app` of
    /// uid 1000, group 50, mode 0770.
    fn users_world(creds: Creds) -> (tempfile::TempDir, Root) {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().expect("tempdir");
        let real = tmp.path().join("root");
        for (d, mode) in [
            ("", 0o755),
            ("etc", 0o755),
            ("root", 0o700),
            ("tmp", 0o1777),
            ("home", 0o755),
            ("home/app", 0o770),
        ] {
            fs::create_dir_all(real.join(d)).expect("mkdir");
            fs::set_permissions(real.join(d), fs::Permissions::from_mode(mode)).expect("chmod");
        }
        fs::write(real.join("etc/passwd"), "root:x:0:0::/root:/bin/sh\n").expect("write");
        fs::write(real.join("etc/open"), "").expect("write");
        fs::set_permissions(real.join("etc/open"), fs::Permissions::from_mode(0o666))
            .expect("chmod");
        fs::write(real.join("etc/shadow"), "").expect("write");
        fs::set_permissions(real.join("etc/shadow"), fs::Permissions::from_mode(0o640))
            .expect("chmod");
        fs::write(real.join("root/.profile"), "").expect("write");
        fs::write(real.join("tmp/theirs"), "").expect("write");
        owner::set(&real.join("tmp/theirs"), 1000, 1000).expect("owner");
        owner::set(&real.join("home/app"), 1000, 50).expect("owner");
        (tmp, Root::new(real).with_creds(creds))
    }

    #[test]
    fn root_may_do_anything() {
        let (_t, root) = users_world(Creds::root());
        for (p, a) in [
            ("/etc/x", Access::Write),
            ("/etc/passwd", Access::Remove),
            ("/root/.profile", Access::Read),
            ("/tmp/theirs", Access::Remove),
        ] {
            assert!(root.check("/", p, true, a).is_ok(), "{p} {a:?}");
        }
    }

    #[test]
    fn a_user_is_checked_as_the_kernel_checks() {
        let nobody = Creds::new(65534, 65534, &[65534]);
        let (_t, root) = users_world(nobody);
        let check = |p: &str, a: Access| root.check("/", p, true, a).map_err(|e| e.to_string());
        let denied = Err("Permission denied".to_string());
        // `sh: can't create /etc/x: Permission denied`, and the rest of Docker's answers.
        assert_eq!(check("/etc/x", Access::Write), denied);
        assert_eq!(check("/etc/passwd", Access::Write), denied);
        assert_eq!(check("/etc/passwd", Access::Remove), denied);
        assert_eq!(check("/etc/d", Access::Create), denied);
        assert_eq!(check("/root/x", Access::Write), denied);
        assert_eq!(check("/root/.profile", Access::Read), denied);
        assert_eq!(check("/etc/shadow", Access::Read), denied);
        assert_eq!(check("/etc/passwd", Access::Read), Ok(()));
        // A world-writable file may be written, not removed.
        assert_eq!(check("/etc/open", Access::Write), Ok(()));
        assert_eq!(check("/etc/open", Access::Remove), denied);
        // What fails on its own is left to the operation.
        assert_eq!(check("/etc", Access::Create), Ok(()));
        assert_eq!(check("/etc/missing", Access::Remove), Ok(()));
        assert_eq!(check("/root", Access::Write), Ok(()));
        // /tmp is sticky: anyone creates, only the owner removes.
        assert_eq!(check("/tmp/mine", Access::Write), Ok(()));
        assert_eq!(
            check("/tmp/theirs", Access::Remove),
            Err("Operation not permitted".to_string())
        );
        // Group 50 may not use the 0770 home of uid 1000 unless it is in group 50.
        assert_eq!(check("/home/app/f", Access::Write), denied);
        let staff = Creds::new(65534, 65534, &[50, 65534]);
        let (_t2, root2) = users_world(staff);
        assert!(root2.check("/", "/home/app/f", true, Access::Write).is_ok());
        let app = Creds::new(1000, 1000, &[1000]);
        let (_t3, root3) = users_world(app);
        assert!(root3.check("/", "/home/app/f", true, Access::Write).is_ok());
        assert!(
            root3
                .check("/", "/tmp/theirs", true, Access::Remove)
                .is_ok()
        );
    }

    #[test]
    fn what_a_user_creates_is_theirs() {
        let (_t, root) = users_world(Creds::new(1000, 50, &[50]));
        let d = root.resolve("/", "/tmp/d", false).expect("resolve");
        fs::create_dir_all(d.join("sub")).expect("mkdir");
        fs::write(d.join("sub/f"), "").expect("write");
        root.created(&d);
        for p in ["tmp/d", "tmp/d/sub", "tmp/d/sub/f"] {
            assert_eq!(owner::get(&root.real().join(p)), (1000, 50), "{p}");
        }
        // Root's files need no record.
        let (_t, root) = users_world(Creds::root());
        let f = root.real().join("tmp/r");
        fs::write(&f, "").expect("write");
        root.created(&f);
        assert_eq!(owner::get(&f), (0, 0));
    }

    #[test]
    fn absolute_and_virtual() {
        let w = world();
        assert_eq!(w.root.absolute("/root", "../etc/./x/.."), "/etc");
        assert_eq!(w.root.absolute("/root", "/../.."), "/");
        assert_eq!(
            w.root.to_virtual(&w.real("etc/passwd")).as_deref(),
            Some("/etc/passwd")
        );
        assert_eq!(w.root.to_virtual(&w.outside), None);
        assert_eq!(file_name("/a/b/"), "b");
        assert_eq!(file_name("/"), "/");
    }
}

/// Paths on a docker command line (`save -o`, `load -i`), confined to a root like every other
/// path the shell touches: `docker save -o /../../x` stays inside `DRYDOCK_HOME`.
#[derive(Debug, Clone)]
pub struct ConfinedPaths {
    pub root: Root,
    /// The working directory they are relative to (virtual).
    pub cwd: String,
}

impl crate::cli::HostPaths for ConfinedPaths {
    fn resolve(&self, path: &str) -> Result<PathBuf, String> {
        self.root
            .resolve(&self.cwd, path, true)
            .map_err(|e| e.to_string())
    }
    fn absolute(&self, path: &str) -> String {
        self.root.absolute(&self.cwd, path)
    }
}
