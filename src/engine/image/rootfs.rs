//! A container's root filesystem: the image's layers merged into one real directory, and what a
//! container changed in it (`docker diff`, `docker export`, `docker commit`).
//!
//! drydock has no overlay mount (it runs without privileges), so a container's rootfs is a *copy*
//! of the image's merged view, and the container's writes land in that copy. Everything here rests
//! on one in-memory [`View`]: the image's layers applied bottom first, honouring the OCI
//! whiteouts the unpacker keeps as plain empty files (`.wh.NAME` hides NAME of the layers below;
//! `.wh..wh..opq` hides everything the layers below hold in that directory). [`assemble`] writes
//! the view out; [`diff`] walks the rootfs beside the view; [`changes_tar`] turns that diff into a
//! layer with whiteouts; [`export_tar`] streams the rootfs whole.
//!
//! Rules kept from the checked unpacker ([`super::unpack`]): nothing is ever written through a
//! symlink (every directory is created or checked with `lstat`, and a symlink in the way is
//! replaced, never followed), so a hostile layer cannot make the assembler write outside `dest`.
//!
//! `docker diff` rules (moby `pkg/archive/changes.go` on an overlay upper directory): entries in
//! walk order (each directory's names in byte order, a directory before its contents); a path
//! absent from the image is `A` (and so is everything below a new directory); a path the container
//! removed is `D` (only the top of a removed tree); a file whose type, mode, size, mtime or link
//! target differs is `C`; a directory is `C` when its mode changed or anything below it changed,
//! so every parent of a change shows as `C`. The files Docker bind-mounts or puts in the
//! container's init layer (`/etc/hosts`, `/etc/hostname`, `/etc/resolv.conf`, `/.dockerenv`, and
//! the `/dev`, `/proc`, `/sys` mount points) are never changes, as in Docker.
//!
//! Owners: drydock runs unprivileged and cannot `chown`, so a file's owner in the container's
//! world is the one [`super::owner`] records beside it (root when none is). The view carries each
//! layer file's recorded owner, the assembler copies it, `docker diff` counts an owner change as
//! a change (as moby's `changes.go` compares uid and gid), and tar streams written here carry it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ffi::{CString, OsStr, OsString};
use std::fs::{self, Metadata};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::{Image, ImageStore, StoreError};

/// Files Docker provides from outside the image (bind mounts and the init layer): never a change,
/// never committed, and exported empty.
pub const INIT_FILES: &[&str] = &[
    "/.dockerenv",
    "/etc/hostname",
    "/etc/hosts",
    "/etc/resolv.conf",
];

/// Directories Docker's init layer creates (mount points): present in every container even when
/// the image lacks them, so their existence alone is not a change.
const INIT_DIRS: &[&str] = &["/dev", "/dev/pts", "/dev/shm", "/etc", "/proc", "/sys"];

const WHITEOUT_PREFIX: &str = ".wh.";
const OPAQUE: &str = ".wh..wh..opq";

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What one path of the merged view is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Dir,
    File,
    Symlink(PathBuf),
    /// A device or FIFO (the unpacker skips these; kept for completeness).
    Other,
}

/// One path of the merged view: its metadata and the real file in the layer that provides it.
#[derive(Debug, Clone)]
struct Node {
    kind: Kind,
    mode: u32,
    size: u64,
    mtime: (i64, i64),
    /// The file in the topmost layer that holds this path.
    src: PathBuf,
    /// (device, inode) of `src` when it has several links, so hard links stay links.
    link_key: Option<(u64, u64)>,
    /// (uid, gid) recorded for `src`.
    owner: (u32, u32),
    children: BTreeMap<OsString, Node>,
}

impl Node {
    fn from_meta(src: PathBuf, m: &Metadata) -> io::Result<Node> {
        let ft = m.file_type();
        let kind = if ft.is_dir() {
            Kind::Dir
        } else if ft.is_symlink() {
            Kind::Symlink(fs::read_link(&src)?)
        } else if ft.is_file() {
            Kind::File
        } else {
            Kind::Other
        };
        Ok(Node {
            link_key: (kind == Kind::File && m.nlink() > 1).then(|| (m.dev(), m.ino())),
            kind,
            mode: m.mode() & 0o7777,
            size: m.len(),
            mtime: (m.mtime(), m.mtime_nsec()),
            owner: super::owner::get(&src),
            src,
            children: BTreeMap::new(),
        })
    }
}

/// The merged view of an image's layers.
struct View {
    root: Node,
}

impl View {
    /// Applies `image`'s layers bottom first.
    fn of(store: &ImageStore, image: &Image) -> Result<View, StoreError> {
        let mut root: Option<Node> = None;
        for chain in image.chain_ids() {
            let layer = store.layers.get(&chain)?;
            let dir = store.paths().layer_diff(&layer.cache_id);
            let m = fs::symlink_metadata(&dir).map_err(io_at(&dir))?;
            let node = root.get_or_insert(Node::from_meta(dir.clone(), &m).map_err(io_at(&dir))?);
            // The layer's own root directory carries no meaning beyond "a directory".
            apply_layer(node, &dir).map_err(io_at(&dir))?;
        }
        let root = match root {
            Some(r) => r,
            // An image with no layers (`FROM scratch` and nothing else): an empty root.
            None => Node {
                kind: Kind::Dir,
                mode: 0o755,
                size: 0,
                mtime: (0, 0),
                src: PathBuf::new(),
                link_key: None,
                owner: (0, 0),
                children: BTreeMap::new(),
            },
        };
        Ok(View { root })
    }
}

/// Applies one layer's directory `real` onto the view's directory `node`.
fn apply_layer(node: &mut Node, real: &Path) -> io::Result<()> {
    let mut entries: Vec<(OsString, PathBuf)> = Vec::new();
    let mut opaque = false;
    for e in fs::read_dir(real)? {
        let e = e?;
        let name = e.file_name();
        if name == OPAQUE {
            opaque = true;
        } else if let Some(hidden) = name.as_bytes().strip_prefix(WHITEOUT_PREFIX.as_bytes()) {
            node.children.remove(OsStr::from_bytes(hidden));
        } else {
            entries.push((name, e.path()));
        }
    }
    if opaque {
        node.children.clear();
    }
    for (name, path) in entries {
        let m = fs::symlink_metadata(&path)?;
        let new = Node::from_meta(path.clone(), &m)?;
        match node.children.get_mut(&name) {
            // A directory over a directory merges; its metadata is the upper one's.
            Some(old) if old.kind == Kind::Dir && new.kind == Kind::Dir => {
                let children = std::mem::take(&mut old.children);
                *old = new;
                old.children = children;
                apply_layer(old, &path)?;
            }
            _ => {
                let mut new = new;
                if new.kind == Kind::Dir {
                    apply_layer(&mut new, &path)?;
                }
                node.children.insert(name, new);
            }
        }
    }
    Ok(())
}

/// Sets a path's access and modification times without following a final symlink.
fn set_mtime(path: &Path, (sec, nsec): (i64, i64)) -> io::Result<()> {
    let c = CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    let t = libc::timespec {
        tv_sec: sec as libc::time_t,
        tv_nsec: nsec as _,
    };
    let times = [t, t];
    // SAFETY: `c` is a valid NUL-terminated path and `times` two valid timespecs.
    let rc = unsafe {
        libc::utimensat(
            libc::AT_FDCWD,
            c.as_ptr(),
            times.as_ptr(),
            libc::AT_SYMLINK_NOFOLLOW,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Removes whatever is at `p` without following a symlink; `Ok(true)` when it was a directory
/// and was kept (`keep_dir`).
fn clear(p: &Path, keep_dir: bool) -> io::Result<bool> {
    match fs::symlink_metadata(p) {
        Ok(m) if m.is_dir() => {
            if keep_dir {
                Ok(true)
            } else {
                fs::remove_dir_all(p).map(|_| false)
            }
        }
        Ok(_) => fs::remove_file(p).map(|_| false),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Copies a layer file, reading it even when its mode denies the owner (`/etc/shadow` is 0000 on
/// CentOS, and drydock may run unprivileged).
fn copy_file(src: &Path, dst: &Path, mode: u32) -> io::Result<()> {
    match fs::copy(src, dst) {
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied && mode & 0o400 == 0 => {
            fs::set_permissions(src, fs::Permissions::from_mode(mode | 0o400))?;
            let r = fs::copy(src, dst);
            fs::set_permissions(src, fs::Permissions::from_mode(mode))?;
            r?;
        }
        Err(e) => return Err(e),
    }
    fs::set_permissions(dst, fs::Permissions::from_mode(mode))
}

/// Writes the view's directory `node` into the real directory `dest`. `fresh` says `dest` was
/// just created, so nothing needs clearing in it. Creating inodes is what costs here (tens of
/// microseconds each on a journaling filesystem), so each entry gets as few calls as it can:
/// directories are made with their final mode when the umask allows it, and symlinks get no
/// times (nothing compares a link's mtime).
fn materialize(node: &Node, dest: &Path, fresh: bool, ctx: &mut Materialize) -> io::Result<()> {
    for (name, child) in &node.children {
        let path = dest.join(name);
        match &child.kind {
            Kind::Dir => {
                let existed = !fresh && clear(&path, true)?;
                // Owner rwx while filling it, whatever its final mode (set below).
                let filling = child.mode | 0o700;
                if existed {
                    fs::set_permissions(&path, fs::Permissions::from_mode(filling))?;
                } else {
                    std::fs::DirBuilder::new().mode(filling).create(&path)?;
                }
                materialize(child, &path, !existed, ctx)?;
                if existed || child.mode & 0o7777 != (filling & !ctx.umask) & 0o777 {
                    fs::set_permissions(&path, fs::Permissions::from_mode(child.mode))?;
                }
                if existed || child.owner != (0, 0) {
                    super::owner::set(&path, child.owner.0, child.owner.1)?;
                }
            }
            Kind::File => {
                if !fresh {
                    clear(&path, false)?;
                }
                match child.link_key.and_then(|k| ctx.links.get(&k)) {
                    Some(first) => fs::hard_link(first, &path)?,
                    None => {
                        copy_file(&child.src, &path, child.mode)?;
                        if child.owner != (0, 0) {
                            super::owner::set(&path, child.owner.0, child.owner.1)?;
                        }
                        if let Some(k) = child.link_key {
                            ctx.links.insert(k, path.clone());
                        }
                    }
                }
            }
            Kind::Symlink(target) => {
                if !fresh {
                    clear(&path, false)?;
                }
                std::os::unix::fs::symlink(target, &path)?;
                continue;
            }
            Kind::Other => continue,
        }
        set_mtime(&path, child.mtime)?;
    }
    Ok(())
}

/// What one materialization carries along.
struct Materialize {
    /// Hard-linked layer files already written: (device, inode) → the first copy.
    links: HashMap<(u64, u64), PathBuf>,
    umask: u32,
}

/// The process's umask, read without changing it (`umask(2)` can only set it).
fn current_umask() -> u32 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        })
        // Unknown: assume the strictest, so modes are always set explicitly.
        .unwrap_or(0o777)
}

/// Applies `image`'s layers, bottom first, into `dest` (created if needed): whiteouts honoured,
/// symlinks kept as symlinks (never followed), modes and mtimes as in the layers.
pub fn assemble(store: &ImageStore, image: &Image, dest: &Path) -> Result<(), StoreError> {
    let view = View::of(store, image)?;
    let fresh = match fs::symlink_metadata(dest) {
        Ok(m) if m.is_dir() => fs::read_dir(dest).map_err(io_at(dest))?.next().is_none(),
        Ok(_) => {
            return Err(StoreError::InvalidArgument(format!(
                "{}: not a directory",
                dest.display()
            )));
        }
        Err(_) => {
            fs::create_dir_all(dest).map_err(io_at(dest))?;
            true
        }
    };
    let mut ctx = Materialize {
        links: HashMap::new(),
        umask: current_umask(),
    };
    materialize(&view.root, dest, fresh, &mut ctx).map_err(io_at(dest))?;
    fs::set_permissions(dest, fs::Permissions::from_mode(view.root.mode | 0o700))
        .map_err(io_at(dest))?;
    Ok(())
}

/// Where ready-made copies of images' root filesystems wait for [`assemble_fast`]:
/// `<data-root>/tmp/rootfs-spares/<image hex>` (and `<hex>.building-<pid>-<n>` while one is made).
pub fn spares_dir(store: &ImageStore) -> PathBuf {
    // Not under `tmp/`: staging there is cleared as a crash's leftovers.
    store.paths().data_root().join("drydock/rootfs-spares")
}

/// [`assemble`] for `docker run`: when a ready copy of `image`'s rootfs waits in
/// [`spares_dir`], it is renamed into `dest` (one system call, where writing a few hundred
/// inodes costs tens of milliseconds on a journaling disk); otherwise this is [`assemble`].
/// `dest` must not exist yet for the fast path.
pub fn assemble_fast(store: &ImageStore, image: &Image, dest: &Path) -> Result<(), StoreError> {
    let ready = spares_dir(store).join(image.id.hex());
    let taken = fs::symlink_metadata(dest).is_err() && fs::rename(&ready, dest).is_ok();
    if !taken {
        assemble(store, image, dest)?;
    }
    // The next copy is prepared by whoever lives long enough to finish it: a container's
    // supervisor (`runtime::supervise`), not a one-shot CLI process that would exit half-way.
    Ok(())
}

/// Makes sure a ready copy of `image`'s rootfs waits in [`spares_dir`] (no-op when one does).
/// Removes half-made copies left by processes that no longer run.
pub fn prepare_spare(store: &ImageStore, image: &Image) -> Result<(), StoreError> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = spares_dir(store);
    let hex = image.id.hex();
    let ready = dir.join(hex);
    if ready.is_dir() {
        return Ok(());
    }
    fs::create_dir_all(&dir).map_err(io_at(&dir))?;
    if let Ok(rd) = fs::read_dir(&dir) {
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let pid = name
                .split_once(".building-")
                .and_then(|(_, rest)| rest.split('-').next())
                .and_then(|p| p.parse::<i32>().ok());
            // SAFETY: kill with signal 0 only asks whether the process exists.
            if pid.is_some_and(|p| unsafe { libc::kill(p, 0) } != 0) {
                let _ = fs::remove_dir_all(e.path());
            }
        }
    }
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let building = dir.join(format!("{hex}.building-{}-{n}", std::process::id()));
    if let Err(e) = assemble(store, image, &building) {
        let _ = fs::remove_dir_all(&building);
        return Err(e);
    }
    if fs::rename(&building, &ready).is_err() {
        // Another thread made one first.
        let _ = fs::remove_dir_all(&building);
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

fn child_path(parent: &str, name: &OsStr) -> String {
    let name = name.to_string_lossy();
    if parent == "/" {
        format!("/{name}")
    } else {
        format!("{parent}/{name}")
    }
}

fn sorted_names(dir: &Path) -> io::Result<BTreeSet<OsString>> {
    let mut names = BTreeSet::new();
    for e in fs::read_dir(dir)? {
        names.insert(e?.file_name());
    }
    Ok(names)
}

/// Whether the rootfs entry `m` at `real` is the view's leaf `n` unchanged.
fn same_leaf(n: &Node, m: &Metadata, real: &Path) -> bool {
    let ft = m.file_type();
    if n.mode != m.mode() & 0o7777 || n.owner != super::owner::get(real) {
        return false;
    }
    match &n.kind {
        Kind::File => ft.is_file() && n.size == m.len() && n.mtime == (m.mtime(), m.mtime_nsec()),
        Kind::Symlink(t) => ft.is_symlink() && fs::read_link(real).is_ok_and(|r| &r == t),
        Kind::Other => !ft.is_file() && !ft.is_dir() && !ft.is_symlink(),
        Kind::Dir => ft.is_dir(),
    }
}

/// Every path below the new directory `real` as `A`, in walk order.
fn all_added(real: &Path, vpath: &str, out: &mut Vec<Change>) -> io::Result<()> {
    for name in sorted_names(real)? {
        let p = real.join(&name);
        let v = child_path(vpath, &name);
        out.push(Change {
            kind: 'A',
            path: v.clone(),
        });
        if fs::symlink_metadata(&p)?.is_dir() {
            all_added(&p, &v, out)?;
        }
    }
    Ok(())
}

/// Compares the view's directory `img` with the rootfs directory `real` (virtual path `vpath`).
fn compare_dir(
    img: &BTreeMap<OsString, Node>,
    real: &Path,
    vpath: &str,
    out: &mut Vec<Change>,
) -> io::Result<()> {
    let mut names = sorted_names(real)?;
    names.extend(img.keys().cloned());
    for name in names {
        let v = child_path(vpath, &name);
        if INIT_FILES.contains(&v.as_str()) {
            continue;
        }
        let p = real.join(&name);
        let meta = match fs::symlink_metadata(&p) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        match (img.get(&name), meta) {
            (None, None) => {}
            (Some(_), None) => out.push(Change { kind: 'D', path: v }),
            (None, Some(m)) if m.is_dir() && INIT_DIRS.contains(&v.as_str()) => {
                let mut sub = Vec::new();
                compare_dir(&BTreeMap::new(), &p, &v, &mut sub)?;
                if !sub.is_empty() {
                    out.push(Change { kind: 'C', path: v });
                    out.append(&mut sub);
                }
            }
            (None, Some(m)) => {
                out.push(Change {
                    kind: 'A',
                    path: v.clone(),
                });
                if m.is_dir() {
                    all_added(&p, &v, out)?;
                }
            }
            (Some(n), Some(m)) if n.kind == Kind::Dir && m.is_dir() => {
                let mut sub = Vec::new();
                compare_dir(&n.children, &p, &v, &mut sub)?;
                if !sub.is_empty()
                    || n.mode != m.mode() & 0o7777
                    || n.owner != super::owner::get(&p)
                {
                    out.push(Change { kind: 'C', path: v });
                    out.append(&mut sub);
                }
            }
            (Some(n), Some(m)) => {
                if !same_leaf(n, &m, &p) {
                    out.push(Change {
                        kind: 'C',
                        path: v.clone(),
                    });
                    // A directory where the image had a file: all of it is new.
                    if m.is_dir() {
                        all_added(&p, &v, out)?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// What changed in a container's rootfs (`rootfs`) relative to its image, in the order
/// `docker diff` prints it.
pub fn diff(store: &ImageStore, image: &Image, rootfs: &Path) -> Result<Vec<Change>, StoreError> {
    let view = View::of(store, image)?;
    let mut out = Vec::new();
    compare_dir(&view.root.children, rootfs, "/", &mut out).map_err(io_at(rootfs))?;
    Ok(out)
}

/// Writes tar entries; remembers hard-linked inodes so their second name becomes a link.
struct TarOut<'w> {
    b: tar::Builder<&'w mut dyn io::Write>,
    links: HashMap<(u64, u64), String>,
}

impl<'w> TarOut<'w> {
    fn new(out: &'w mut dyn io::Write) -> Self {
        let mut b = tar::Builder::new(out);
        // Symlinks are entries of their own, never followed.
        b.follow_symlinks(false);
        TarOut {
            b,
            links: HashMap::new(),
        }
    }

    /// A header for the rootfs entry `real` (metadata `m`), with its recorded owner.
    fn header(kind: tar::EntryType, m: &Metadata, real: &Path, size: u64) -> tar::Header {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(kind);
        h.set_mode(m.mode() & 0o7777);
        h.set_mtime(m.mtime().max(0) as u64);
        let (uid, gid) = super::owner::get(real);
        h.set_uid(uid.into());
        h.set_gid(gid.into());
        h.set_size(size);
        h
    }

    /// Appends the rootfs entry at `real` as `name` (relative, no leading `/`); `empty` writes a
    /// regular file with no content (Docker's init-layer files).
    fn entry(&mut self, name: &str, real: &Path, empty: bool) -> io::Result<()> {
        let m = fs::symlink_metadata(real)?;
        let ft = m.file_type();
        if ft.is_dir() {
            let mut h = Self::header(tar::EntryType::Directory, &m, real, 0);
            self.b.append_data(&mut h, format!("{name}/"), io::empty())
        } else if ft.is_symlink() {
            let target = fs::read_link(real)?;
            let mut h = Self::header(tar::EntryType::Symlink, &m, real, 0);
            self.b.append_link(&mut h, name, target)
        } else if ft.is_file() {
            if empty {
                let mut h = Self::header(tar::EntryType::Regular, &m, real, 0);
                return self.b.append_data(&mut h, name, io::empty());
            }
            if m.nlink() > 1 {
                let key = (m.dev(), m.ino());
                if let Some(first) = self.links.get(&key) {
                    let mut h = Self::header(tar::EntryType::Link, &m, real, 0);
                    let first = first.clone();
                    return self.b.append_link(&mut h, name, first);
                }
                self.links.insert(key, name.to_string());
            }
            let f = fs::File::open(real)?;
            let mut h = Self::header(tar::EntryType::Regular, &m, real, m.len());
            self.b.append_data(&mut h, name, f)
        } else {
            // Devices and FIFOs: drydock never creates them; nothing to export.
            Ok(())
        }
    }

    fn whiteout(&mut self, name: &str) -> io::Result<()> {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Regular);
        h.set_mode(0o600);
        h.set_size(0);
        h.set_mtime(0);
        self.b.append_data(&mut h, name, io::empty())
    }

    fn finish(self) -> io::Result<()> {
        self.b.into_inner().map(|_| ())
    }
}

fn export_dir(t: &mut TarOut<'_>, real: &Path, rel: &str) -> io::Result<()> {
    for name in sorted_names(real)? {
        let p = real.join(&name);
        let r = if rel.is_empty() {
            name.to_string_lossy().into_owned()
        } else {
            format!("{rel}/{}", name.to_string_lossy())
        };
        let empty = INIT_FILES.contains(&format!("/{r}").as_str());
        t.entry(&r, &p, empty)?;
        if fs::symlink_metadata(&p)?.is_dir() {
            export_dir(t, &p, &r)?;
        }
    }
    Ok(())
}

/// Writes the container's whole filesystem as a tar stream (`docker export`): every entry in walk
/// order, real modes and mtimes, symlinks as symlinks, hard links as links, and Docker's
/// init-layer files (`/etc/hosts` …) empty as Docker's export has them.
pub fn export_tar(rootfs: &Path, out: &mut dyn io::Write) -> Result<(), StoreError> {
    let mut t = TarOut::new(out);
    export_dir(&mut t, rootfs, "").map_err(io_at(rootfs))?;
    t.finish().map_err(io_at(rootfs))
}

/// Writes the container's changes as a layer tar with OCI whiteouts for deletions (what
/// `docker commit` adds on top of the image), in [`diff`]'s order.
pub fn changes_tar(
    store: &ImageStore,
    image: &Image,
    rootfs: &Path,
    out: &mut dyn io::Write,
) -> Result<(), StoreError> {
    let changes = diff(store, image, rootfs)?;
    let mut t = TarOut::new(out);
    for c in &changes {
        let rel = c.path.trim_start_matches('/');
        let r = match c.kind {
            'D' => {
                let (dir, name) = match rel.rsplit_once('/') {
                    Some((d, n)) => (format!("{d}/"), n),
                    None => (String::new(), rel),
                };
                t.whiteout(&format!("{dir}{WHITEOUT_PREFIX}{name}"))
            }
            _ => t.entry(rel, &rootfs.join(rel), false),
        };
        r.map_err(io_at(&rootfs.join(rel)))?;
    }
    t.finish().map_err(io_at(rootfs))
}
