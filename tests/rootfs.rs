//! Container root filesystems: layers assembled with whiteouts, `docker diff`'s changes, the export
//! stream, and the commit layer (which, applied on the image, gives back the container's files).

use std::fs;
use std::io::Read;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use drydock::engine::digest::Digest;
use drydock::engine::image::refs::Refs;
use drydock::engine::image::rootfs::{self, Change};
use drydock::engine::image::{Image, ImageStore};
use drydock::engine::paths::Paths;
use drydock::engine::reference::Reference;
use drydock::testing::TestContext;

/// One tar entry: path, and what it is.
enum E<'a> {
    Dir(&'a str, u32),
    File(&'a str, &'a str, u32),
    Link(&'a str, &'a str),
    Hard(&'a str, &'a str),
}

const MTIME: u64 = 1_600_000_000;

fn layer_tar(entries: &[E<'_>]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        let mut h = tar::Header::new_gnu();
        h.set_mtime(MTIME);
        match e {
            E::Dir(p, mode) => {
                h.set_entry_type(tar::EntryType::Directory);
                h.set_mode(*mode);
                h.set_size(0);
                b.append_data(&mut h, p, std::io::empty()).unwrap();
            }
            E::File(p, data, mode) => {
                h.set_entry_type(tar::EntryType::Regular);
                h.set_mode(*mode);
                h.set_size(data.len() as u64);
                b.append_data(&mut h, p, data.as_bytes()).unwrap();
            }
            E::Link(p, target) => {
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_mode(0o777);
                h.set_size(0);
                b.append_link(&mut h, p, target).unwrap();
            }
            E::Hard(p, target) => {
                h.set_entry_type(tar::EntryType::Link);
                h.set_mode(0o644);
                h.set_size(0);
                b.append_link(&mut h, p, target).unwrap();
            }
        }
    }
    b.into_inner().unwrap()
}

/// A store in a temporary home with an image made of `layers` (bottom first).
struct World {
    _home: tempfile::TempDir,
    store: ImageStore,
    image: Image,
}

fn register(store: &ImageStore, tars: &[Vec<u8>]) -> Image {
    let mut parent: Option<Digest> = None;
    let mut diffs = Vec::new();
    for t in tars {
        let diff = Digest::of(t);
        let l = store
            .layers
            .register(parent.as_ref(), &diff, &mut &t[..])
            .unwrap();
        parent = Some(l.chain);
        diffs.push(diff.to_string());
    }
    let config = serde_json::json!({
        "architecture": "amd64",
        "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": diffs},
    });
    let raw = serde_json::to_vec(&config).unwrap();
    let id = store.put(&raw, None).unwrap();
    store.commit(&id).unwrap();
    store.get(&id).unwrap()
}

fn world(layers: &[&[E<'_>]]) -> World {
    let home = tempfile::tempdir().unwrap();
    let store = ImageStore::new(Paths::new(home.path(), "overlay2"));
    let tars: Vec<Vec<u8>> = layers.iter().map(|l| layer_tar(l)).collect();
    let image = register(&store, &tars);
    World {
        _home: home,
        store,
        image,
    }
}

fn lower() -> Vec<E<'static>> {
    vec![
        E::Dir("etc", 0o755),
        E::File("etc/a", "a\n", 0o644),
        E::File("etc/b", "b\n", 0o600),
        E::Dir("opaque", 0o755),
        E::File("opaque/old", "old\n", 0o644),
        E::Dir("gone", 0o755),
        E::File("gone/x", "x\n", 0o644),
        E::Dir("usr/bin", 0o755),
        E::File("usr/bin/sh", "#!drydock-applet sh\n", 0o755),
        E::Hard("usr/bin/ash", "usr/bin/sh"),
        E::Link("bin", "usr/bin"),
        E::Dir("tmp", 0o1777),
    ]
}

fn upper() -> Vec<E<'static>> {
    vec![
        E::File("etc/.wh.a", "", 0o644),
        E::File("etc/c", "c\n", 0o640),
        E::File("opaque/.wh..wh..opq", "", 0o644),
        E::File("opaque/new", "new\n", 0o644),
        E::File(".wh.gone", "", 0o644),
    ]
}

/// The paths under `root`, each with a type letter (d, f, l) and the octal mode, sorted.
fn listing(root: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let mut names: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        for n in names {
            let p = dir.join(&n);
            let m = fs::symlink_metadata(&p).unwrap();
            let rel = p.strip_prefix(root).unwrap().display().to_string();
            let t = if m.is_dir() {
                "d"
            } else if m.file_type().is_symlink() {
                "l"
            } else {
                "f"
            };
            out.push(format!("{t} {:o} {rel}", m.mode() & 0o7777));
            if m.is_dir() {
                walk(root, &p, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out
}

#[test]
fn assemble_applies_layers_with_whiteouts() {
    let w = world(&[&lower(), &upper()]);
    let dest = tempfile::tempdir().unwrap();
    let root = dest.path().join("rootfs");
    rootfs::assemble(&w.store, &w.image, &root).unwrap();
    let mut got = listing(&root);
    // Symlink modes differ between filesystems; only the type matters.
    for l in &mut got {
        if l.starts_with("l ") {
            *l = format!("l {}", l.splitn(3, ' ').nth(2).unwrap());
        }
    }
    assert_eq!(
        got,
        [
            "l bin",
            "d 755 etc",
            "f 600 etc/b",
            "f 640 etc/c",
            "d 755 opaque",
            "f 644 opaque/new",
            "d 1777 tmp",
            "d 755 usr",
            "d 755 usr/bin",
            "f 755 usr/bin/ash",
            "f 755 usr/bin/sh",
        ]
    );
    assert_eq!(
        fs::read_link(root.join("bin")).unwrap(),
        Path::new("usr/bin")
    );
    assert_eq!(fs::read_to_string(root.join("etc/c")).unwrap(), "c\n");
    // mtimes are the stored layer files' (the unpacker keeps no tar mtimes, so compare with a
    // second assembly rather than with MTIME); hard links stay links.
    let second = dest.path().join("second");
    rootfs::assemble(&w.store, &w.image, &second).unwrap();
    for p in ["etc/b", "etc", "usr/bin/sh"] {
        let (a, b) = (
            fs::metadata(root.join(p)).unwrap(),
            fs::metadata(second.join(p)).unwrap(),
        );
        assert_eq!(
            (a.mtime(), a.mtime_nsec()),
            (b.mtime(), b.mtime_nsec()),
            "{p}"
        );
    }
    let (sh, ash) = (
        fs::metadata(root.join("usr/bin/sh")).unwrap(),
        fs::metadata(root.join("usr/bin/ash")).unwrap(),
    );
    assert_eq!(sh.ino(), ash.ino());
    // The copy is the container's own: writing it leaves the layer alone.
    fs::write(root.join("etc/c"), "changed\n").unwrap();
    let again = dest.path().join("again");
    rootfs::assemble(&w.store, &w.image, &again).unwrap();
    assert_eq!(fs::read_to_string(again.join("etc/c")).unwrap(), "c\n");
}

#[test]
fn assemble_never_writes_through_a_symlink() {
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().to_str().unwrap().to_string();
    let w = world(&[
        &[E::Link("evil", &target), E::Link("rel", "../../..")],
        &[
            E::Dir("evil", 0o755),
            E::File("evil/pwned", "x", 0o644),
            E::Dir("rel", 0o755),
            E::File("rel/pwned", "x", 0o644),
        ],
    ]);
    let dest = tempfile::tempdir().unwrap();
    rootfs::assemble(&w.store, &w.image, dest.path()).unwrap();
    assert!(dest.path().join("evil/pwned").is_file());
    assert!(!outside.path().join("pwned").exists());
    // Assembling over an existing tree replaces symlinks in the way instead of following them.
    let pre = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), pre.path().join("evil")).unwrap();
    fs::write(pre.path().join("keep"), "k").unwrap();
    rootfs::assemble(&w.store, &w.image, pre.path()).unwrap();
    assert!(!outside.path().join("pwned").exists());
    assert!(
        fs::symlink_metadata(pre.path().join("evil"))
            .unwrap()
            .is_dir()
    );
}

fn show(changes: &[Change]) -> String {
    changes
        .iter()
        .map(|c| format!("{} {}\n", c.kind, c.path))
        .collect()
}

/// The container's edits used by the diff, export and commit tests.
fn edit(root: &Path) {
    fs::create_dir_all(root.join("root")).unwrap();
    fs::write(root.join("root/.bash_history"), "ls\n").unwrap();
    fs::write(root.join("etc/c"), "changed\n").unwrap();
    fs::remove_file(root.join("etc/b")).unwrap();
    fs::remove_dir_all(root.join("opaque")).unwrap();
    fs::create_dir_all(root.join("srv/www")).unwrap();
    fs::write(root.join("srv/www/index.html"), "<h1>hi</h1>\n").unwrap();
    fs::set_permissions(root.join("tmp"), fs::Permissions::from_mode(0o777)).unwrap();
    // What the init writes, as Docker's bind mounts: never a change.
    fs::write(root.join("etc/hosts"), "127.0.0.1\tlocalhost\n").unwrap();
    fs::write(root.join("etc/hostname"), "abc\n").unwrap();
    fs::create_dir_all(root.join("proc")).unwrap();
}

#[test]
fn diff_lists_changes_as_docker_diff() {
    let w = world(&[&lower(), &upper()]);
    let dest = tempfile::tempdir().unwrap();
    rootfs::assemble(&w.store, &w.image, dest.path()).unwrap();
    assert_eq!(
        rootfs::diff(&w.store, &w.image, dest.path()).unwrap(),
        vec![]
    );
    edit(dest.path());
    let got = show(&rootfs::diff(&w.store, &w.image, dest.path()).unwrap());
    assert_eq!(
        got,
        "C /etc\nD /etc/b\nC /etc/c\nD /opaque\nA /root\nA /root/.bash_history\nA /srv\nA /srv/www\nA /srv/www/index.html\nC /tmp\n"
    );
}

fn tar_names(data: &[u8]) -> Vec<String> {
    let mut a = tar::Archive::new(data);
    a.entries()
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let h = e.header();
            let kind = match h.entry_type() {
                tar::EntryType::Directory => "d",
                tar::EntryType::Symlink => "l",
                tar::EntryType::Link => "h",
                _ => "f",
            };
            format!("{kind} {}", String::from_utf8_lossy(&e.path_bytes()))
        })
        .collect()
}

#[test]
fn export_writes_the_whole_tree_in_order() {
    let w = world(&[&lower(), &upper()]);
    let dest = tempfile::tempdir().unwrap();
    rootfs::assemble(&w.store, &w.image, dest.path()).unwrap();
    fs::write(dest.path().join("etc/hosts"), "127.0.0.1\tlocalhost\n").unwrap();
    let mut out = Vec::new();
    rootfs::export_tar(dest.path(), &mut out).unwrap();
    assert_eq!(
        tar_names(&out),
        [
            "l bin",
            "d etc/",
            "f etc/b",
            "f etc/c",
            "f etc/hosts",
            "d opaque/",
            "f opaque/new",
            "d tmp/",
            "d usr/",
            "d usr/bin/",
            "f usr/bin/ash",
            "h usr/bin/sh",
        ]
    );
    let mut a = tar::Archive::new(&out[..]);
    for e in a.entries().unwrap() {
        let mut e = e.unwrap();
        let path = String::from_utf8_lossy(&e.path_bytes()).into_owned();
        let h = e.header().clone();
        match path.as_str() {
            "bin" => assert_eq!(h.link_name().unwrap().unwrap(), Path::new("usr/bin")),
            "etc/b" => {
                assert_eq!(h.mode().unwrap(), 0o600);
                let m = fs::metadata(dest.path().join("etc/b")).unwrap();
                assert_eq!(h.mtime().unwrap(), m.mtime() as u64);
                let mut s = String::new();
                e.read_to_string(&mut s).unwrap();
                assert_eq!(s, "b\n");
            }
            // Docker's export has the init layer's empty files, not the bind mounts' content.
            "etc/hosts" => assert_eq!(h.size().unwrap(), 0),
            "tmp/" => assert_eq!(h.mode().unwrap(), 0o1777),
            _ => {}
        }
    }
    // Deterministic: the same tree gives the same bytes.
    let mut again = Vec::new();
    rootfs::export_tar(dest.path(), &mut again).unwrap();
    assert_eq!(out, again);
}

#[test]
fn changes_tar_is_a_layer_that_reproduces_the_container() {
    let w = world(&[&lower(), &upper()]);
    let dest = tempfile::tempdir().unwrap();
    rootfs::assemble(&w.store, &w.image, dest.path()).unwrap();
    edit(dest.path());
    let mut layer = Vec::new();
    rootfs::changes_tar(&w.store, &w.image, dest.path(), &mut layer).unwrap();
    assert_eq!(
        tar_names(&layer),
        [
            "d etc/",
            "f etc/.wh.b",
            "f etc/c",
            "f .wh.opaque",
            "d root/",
            "f root/.bash_history",
            "d srv/",
            "d srv/www/",
            "f srv/www/index.html",
            "d tmp/",
        ]
    );
    // The committed image (the old layers plus this one) assembles to the container's files.
    let mut tars = vec![layer_tar(&lower()), layer_tar(&upper())];
    tars.push(layer);
    let committed = register(&w.store, &tars);
    let again = tempfile::tempdir().unwrap();
    rootfs::assemble(&w.store, &committed, again.path()).unwrap();
    let mut want = listing(dest.path());
    want.retain(|l| {
        !l.ends_with("etc/hosts") && !l.ends_with("etc/hostname") && !l.ends_with(" proc")
    });
    let got = listing(again.path());
    assert_eq!(got, want);
    assert_eq!(
        fs::read_to_string(again.path().join("srv/www/index.html")).unwrap(),
        "<h1>hi</h1>\n"
    );
}

fn hub_image(ctx: &TestContext, name: &str) -> Image {
    let (_, err, code) = ctx.docker(&format!("pull {name}"));
    assert_eq!(code, 0, "{err}");
    let refs = Refs::load(ctx.engine.paths()).unwrap();
    let r = Reference::parse(name).unwrap().with_default_tag();
    let id = refs.get(&r).unwrap().clone();
    ctx.engine.image_store().get(&id).unwrap()
}

#[test]
fn hub_images_assemble_quickly_with_their_applet_stubs() {
    let ctx = TestContext::new();
    for (name, path, applet) in [
        ("alpine:3.15", "bin/busybox", "busybox"),
        ("centos:7", "usr/bin/yum", "yum"),
        (
            "httpd:2.4",
            "usr/local/bin/httpd-foreground",
            "httpd-foreground",
        ),
    ] {
        let image = hub_image(&ctx, name);
        let dest = tempfile::tempdir().unwrap();
        let start = std::time::Instant::now();
        rootfs::assemble(ctx.engine.image_store(), &image, dest.path()).unwrap();
        let took = start.elapsed();
        assert_eq!(
            fs::read_to_string(dest.path().join(path)).unwrap(),
            format!("#!drydock-applet {applet}\n")
        );
        // Generous: creating inodes is slow and noisy on a shared disk; `assemble_fast` is the
        // path `docker run` takes (tested below).
        assert!(took.as_millis() < 2000, "{name} took {took:?}");
        assert!(
            rootfs::diff(ctx.engine.image_store(), &image, dest.path())
                .unwrap()
                .is_empty()
        );
    }
}

#[test]
fn assemble_fast_takes_a_ready_copy() {
    let ctx = TestContext::new();
    let image = hub_image(&ctx, "alpine:3.15");
    let store = ctx.engine.image_store();
    rootfs::prepare_spare(store, &image).unwrap();
    let spare = rootfs::spares_dir(store).join(image.id.hex());
    assert!(spare.is_dir());
    let dest = ctx.home.path().join("var/lib/docker/containers-test/one");
    fs::create_dir_all(dest.parent().unwrap()).unwrap();
    let start = std::time::Instant::now();
    rootfs::assemble_fast(store, &image, &dest).unwrap();
    let took = start.elapsed();
    assert!(took.as_millis() < 50, "{took:?}");
    assert_eq!(
        fs::read_link(dest.join("bin/sh")).unwrap(),
        Path::new("/bin/busybox")
    );
    assert!(rootfs::diff(store, &image, &dest).unwrap().is_empty());
    // The copy was taken; the next one is a container supervisor's job (or this call's).
    assert!(!spare.is_dir());
    rootfs::prepare_spare(store, &image).unwrap();
    assert!(spare.is_dir());
}

/// Owners survive what drydock cannot `chown`: a layer entry's uid/gid is recorded when
/// unpacked, copied into a container's rootfs, counted by `docker diff` when it changes, and
/// written back into export and commit tar headers (Docker 20.10 showed `1000/1000` for files a
/// `-u 1000:1000` container made, in both).
#[test]
fn owners_travel_from_layers_to_rootfs_to_tars() {
    use drydock::engine::image::owner;
    let mut b = tar::Builder::new(Vec::new());
    for (p, uid, gid, dir) in [
        ("home", 0, 0, true),
        ("home/node", 1000, 1000, true),
        ("home/node/.profile", 1000, 1000, false),
        ("etc", 0, 0, true),
        ("etc/passwd", 0, 0, false),
    ] {
        let mut h = tar::Header::new_gnu();
        h.set_mtime(MTIME);
        h.set_uid(uid);
        h.set_gid(gid);
        h.set_size(0);
        if dir {
            h.set_entry_type(tar::EntryType::Directory);
            h.set_mode(0o755);
        } else {
            h.set_entry_type(tar::EntryType::Regular);
            h.set_mode(0o644);
        }
        b.append_data(&mut h, p, std::io::empty()).unwrap();
    }
    let home = tempfile::tempdir().unwrap();
    let store = ImageStore::new(Paths::new(home.path(), "overlay2"));
    let image = register(&store, &[b.into_inner().unwrap()]);
    let dest = home.path().join("rootfs");
    rootfs::assemble(&store, &image, &dest).unwrap();
    assert_eq!(owner::get(&dest.join("home/node")), (1000, 1000));
    assert_eq!(owner::get(&dest.join("home/node/.profile")), (1000, 1000));
    assert_eq!(owner::get(&dest.join("etc/passwd")), (0, 0));
    assert!(rootfs::diff(&store, &image, &dest).unwrap().is_empty());

    // What a `-u 65534` process made, and a file given to another owner.
    fs::write(dest.join("home/node/new"), "x").unwrap();
    owner::set(&dest.join("home/node/new"), 65534, 65534).unwrap();
    owner::set(&dest.join("etc/passwd"), 5, 5).unwrap();
    let changes: Vec<String> = rootfs::diff(&store, &image, &dest)
        .unwrap()
        .into_iter()
        .map(|c| format!("{} {}", c.kind, c.path))
        .collect();
    assert_eq!(
        changes,
        [
            "C /etc",
            "C /etc/passwd",
            "C /home",
            "C /home/node",
            "A /home/node/new"
        ]
    );

    let owners = |bytes: Vec<u8>| -> Vec<String> {
        let mut a = tar::Archive::new(&bytes[..]);
        a.entries()
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let h = e.header();
                format!(
                    "{} {}/{}",
                    String::from_utf8_lossy(&e.path_bytes()),
                    h.uid().unwrap(),
                    h.gid().unwrap()
                )
            })
            .collect()
    };
    let mut export = Vec::new();
    rootfs::export_tar(&dest, &mut export).unwrap();
    let exported = owners(export);
    for want in [
        "home/node/ 1000/1000",
        "home/node/.profile 1000/1000",
        "home/node/new 65534/65534",
        "etc/passwd 5/5",
        "home/ 0/0",
    ] {
        assert!(exported.iter().any(|l| l == want), "{want} in {exported:?}");
    }
    let mut layer = Vec::new();
    rootfs::changes_tar(&store, &image, &dest, &mut layer).unwrap();
    let committed = owners(layer);
    assert!(
        committed.iter().any(|l| l == "home/node/new 65534/65534"),
        "{committed:?}"
    );
    assert!(
        committed.iter().any(|l| l == "etc/passwd 5/5"),
        "{committed:?}"
    );
}
