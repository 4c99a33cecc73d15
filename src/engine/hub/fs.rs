//! Layer trees: the files one synthesised layer adds, and their deterministic tar + gzip encoding.
//!
//! A [`Tree`] maps a path (relative, no leading `/`) to a [`Node`]. Encoding writes USTAR entries in
//! sorted path order, each missing parent directory first, with fixed mtimes, numeric owners and no
//! user/group names (as moby's archive package writes them), then gzips with a fixed header (mtime 0,
//! no file name, OS byte 255 "unknown" as Go's `compress/gzip` writes it) at a fixed level. Same tree,
//! same bytes, on every machine.
//!
//! Programs are *applet stubs*: mode 0755 files whose whole content is `#!drydock-applet NAME\n`,
//! which drydock's runtime maps to its own implementation of NAME.

use std::collections::BTreeMap;
use std::io::{self, Write};

use flate2::{Compression, GzBuilder};

/// The content of an applet stub for `name`.
pub fn applet_body(name: &str) -> Vec<u8> {
    format!("#!drydock-applet {name}\n").into_bytes()
}

/// The gzip level of every hub layer; part of the digests, never change it casually.
pub const GZIP_LEVEL: u32 = 6;
/// The gzip header's OS byte: 255 ("unknown"), what Go's `compress/gzip` writes.
pub const GZIP_OS: u8 = 255;

/// What a path is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Dir,
    File(Vec<u8>),
    Symlink(String),
}

/// One entry of a layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub kind: Kind,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
}

/// The files one layer adds or changes.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    nodes: BTreeMap<String, Node>,
    /// Where applets for "bin" go: `usr/bin` on usr-merged distributions (their `/bin` is a link).
    merged_usr: bool,
}

fn clean(path: &str) -> String {
    path.trim_matches('/').to_string()
}

impl Tree {
    pub fn new() -> Self {
        Self::default()
    }

    /// A tree whose `bin`/`sbin` applets land under `usr/` (usr-merged distributions).
    pub fn merged_usr(mut self, merged: bool) -> Self {
        self.merged_usr = merged;
        self
    }

    pub fn insert(&mut self, path: &str, node: Node) -> &mut Self {
        self.nodes.insert(clean(path), node);
        self
    }

    pub fn dir(&mut self, path: &str, mode: u32) -> &mut Self {
        self.dir_owned(path, mode, 0, 0)
    }

    pub fn dir_owned(&mut self, path: &str, mode: u32, uid: u32, gid: u32) -> &mut Self {
        self.insert(
            path,
            Node {
                kind: Kind::Dir,
                mode,
                uid,
                gid,
            },
        )
    }

    /// Several 0755 root-owned directories.
    pub fn dirs(&mut self, paths: &[&str]) -> &mut Self {
        for p in paths {
            self.dir(p, 0o755);
        }
        self
    }

    pub fn file(&mut self, path: &str, mode: u32, content: impl Into<Vec<u8>>) -> &mut Self {
        self.file_owned(path, mode, 0, 0, content)
    }

    pub fn file_owned(
        &mut self,
        path: &str,
        mode: u32,
        uid: u32,
        gid: u32,
        content: impl Into<Vec<u8>>,
    ) -> &mut Self {
        self.insert(
            path,
            Node {
                kind: Kind::File(content.into()),
                mode,
                uid,
                gid,
            },
        )
    }

    /// A 0644 root-owned text file.
    pub fn text(&mut self, path: &str, content: &str) -> &mut Self {
        self.file(path, 0o644, content.as_bytes().to_vec())
    }

    pub fn link(&mut self, path: &str, target: &str) -> &mut Self {
        self.insert(
            path,
            Node {
                kind: Kind::Symlink(target.to_string()),
                mode: 0o777,
                uid: 0,
                gid: 0,
            },
        )
    }

    /// An applet stub at `path`, named after the file.
    pub fn applet(&mut self, path: &str) -> &mut Self {
        let name = path.rsplit('/').next().unwrap_or(path).to_string();
        self.file(path, 0o755, applet_body(&name))
    }

    /// An applet stub at `path` standing for program `name`.
    pub fn applet_named(&mut self, path: &str, name: &str) -> &mut Self {
        self.file(path, 0o755, applet_body(name))
    }

    /// Applet stubs named `names` in `dir`. `bin` and `sbin` mean `usr/bin` and `usr/sbin` on a
    /// usr-merged tree.
    pub fn applets(&mut self, dir: &str, names: &[&str]) -> &mut Self {
        let dir = self.bin_dir(dir);
        for n in names {
            self.applet(&format!("{dir}/{n}"));
        }
        self
    }

    /// Symlinks `dir/NAME -> target` for every name (busybox-style multi-call links).
    pub fn links(&mut self, dir: &str, names: &[&str], target: &str) -> &mut Self {
        let dir = self.bin_dir(dir);
        for n in names {
            self.link(&format!("{dir}/{n}"), target);
        }
        self
    }

    /// Where `dir` really is on this tree (`bin` → `usr/bin` when usr-merged).
    pub fn bin_dir(&self, dir: &str) -> String {
        let dir = clean(dir);
        if self.merged_usr && (dir == "bin" || dir == "sbin" || dir == "lib") {
            format!("usr/{dir}")
        } else {
            dir
        }
    }

    /// Adds every node of `other`, replacing same paths.
    pub fn merge(&mut self, other: Tree) -> &mut Self {
        self.nodes.extend(other.nodes);
        self
    }

    pub fn get(&self, path: &str) -> Option<&Node> {
        self.nodes.get(&clean(path))
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The uncompressed layer tar. Missing parent directories are added as 0755 root-owned
    /// directories, as Docker's diff includes the parents of every changed path.
    pub fn to_tar(&self, mtime: u64) -> io::Result<Vec<u8>> {
        let mut all = self.nodes.clone();
        for path in self.nodes.keys() {
            let mut p = path.as_str();
            while let Some((parent, _)) = p.rsplit_once('/') {
                all.entry(parent.to_string()).or_insert(Node {
                    kind: Kind::Dir,
                    mode: 0o755,
                    uid: 0,
                    gid: 0,
                });
                p = parent;
            }
        }
        let mut b = tar::Builder::new(Vec::new());
        for (path, node) in &all {
            append(&mut b, path, node, mtime)?;
        }
        b.into_inner()
    }
}

fn append(b: &mut tar::Builder<Vec<u8>>, path: &str, node: &Node, mtime: u64) -> io::Result<()> {
    let mut h = tar::Header::new_ustar();
    h.set_mode(node.mode);
    h.set_uid(node.uid.into());
    h.set_gid(node.gid.into());
    h.set_mtime(mtime);
    match &node.kind {
        Kind::Dir => {
            h.set_entry_type(tar::EntryType::Directory);
            h.set_size(0);
            // Go's archive/tar (and so Docker) names directories with a trailing slash.
            let with_slash = format!("{path}/");
            if with_slash.len() <= 100 {
                let name = &mut h.as_old_mut().name;
                name.fill(0);
                name[..with_slash.len()].copy_from_slice(with_slash.as_bytes());
            } else {
                h.set_path(path)?;
            }
            h.set_cksum();
            b.append(&h, io::empty())
        }
        Kind::File(data) => {
            h.set_path(path)?;
            h.set_entry_type(tar::EntryType::Regular);
            h.set_size(data.len() as u64);
            h.set_cksum();
            b.append(&h, &data[..])
        }
        Kind::Symlink(target) => {
            h.set_path(path)?;
            h.set_entry_type(tar::EntryType::Symlink);
            h.set_size(0);
            h.set_link_name_literal(target.as_bytes())?;
            h.set_cksum();
            b.append(&h, io::empty())
        }
    }
}

/// Gzips `data` with the hub's fixed header and level.
pub fn gzip(data: &[u8]) -> io::Result<Vec<u8>> {
    let mut enc = GzBuilder::new().mtime(0).operating_system(GZIP_OS).write(
        Vec::with_capacity(data.len() / 3 + 64),
        Compression::new(GZIP_LEVEL),
    );
    enc.write_all(data)?;
    enc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tar_is_sorted_with_parents_and_fixed_times() {
        let mut t = Tree::new();
        t.applet("usr/bin/zz").text("etc/os-release", "ID=x\n");
        let tar = t.to_tar(1234).unwrap();
        let mut a = tar::Archive::new(&tar[..]);
        let names: Vec<String> = a
            .entries()
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                assert_eq!(e.header().mtime().unwrap(), 1234);
                String::from_utf8_lossy(&e.path_bytes()).into_owned()
            })
            .collect();
        assert_eq!(
            names,
            ["etc/", "etc/os-release", "usr/", "usr/bin/", "usr/bin/zz"]
        );
    }

    #[test]
    fn applets_follow_usr_merge() {
        let mut t = Tree::new().merged_usr(true);
        t.applets("bin", &["bash"]);
        assert!(t.get("usr/bin/bash").is_some());
        assert_eq!(
            t.get("usr/bin/bash").map(|n| &n.kind),
            Some(&Kind::File(b"#!drydock-applet bash\n".to_vec()))
        );
    }
}
