//! `docker load` keeps an uncompressed layer as Docker does: unpacked files plus the layer
//! record's `tar-split.json.gz`, no second copy of the tar. These tests check that the tar comes
//! back byte for byte on save (a layer used by two chains, a layer that replaces its own files,
//! GNU long names, record padding), that a damaged unpacked file makes save fail rather than
//! write a wrong archive, that large hostile layers are refused, and the `Loading layer` bars.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use drydock::engine::archive::LoadOptions;
use drydock::engine::digest::Digest;
use drydock::engine::image::layers::chain_ids;
use drydock::engine::progress::{Discard, Progress};
use drydock::testing::TestContext;
use support::archive::{E, file, member, tar_of};
use tar::EntryType;

/// A layer tar over 1 MiB (so only its files and tar-split are kept) with `extra` entries.
fn big_layer(tag: &str, extra: &[E<'_>]) -> Vec<u8> {
    let payload = vec![tag.as_bytes()[0]; 3 << 20];
    let readme = format!("layer {tag}\n");
    let long = format!("deep/{}/{tag}", "n".repeat(140));
    let mut es = vec![
        file("README", readme.as_bytes()),
        file("data.bin", &payload),
        file(&long, b"a long name"),
    ];
    for e in extra {
        es.push(E {
            name: e.name,
            kind: e.kind,
            data: e.data,
            link: e.link,
        });
    }
    let mut b = tar::Builder::new(Vec::new());
    for e in &es {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(e.kind);
        h.set_mode(0o644);
        h.set_size(e.data.len() as u64);
        h.set_mtime(1_600_000_000);
        let name = std::str::from_utf8(e.name).unwrap();
        if e.name.len() > 100 {
            // A GNU long name, as `tar::Builder` writes it past 100 bytes.
            b.append_data(&mut h, name, e.data).unwrap();
            continue;
        }
        // Short names go in as they are (`tar::Builder` would refuse the hostile ones).
        h.as_gnu_mut().unwrap().name[..e.name.len()].copy_from_slice(e.name);
        if let Some(l) = e.link {
            h.set_link_name(l).unwrap();
        }
        h.set_cksum();
        b.append(&h, e.data).unwrap();
    }
    let mut t = b.into_inner().unwrap();
    // Pad to a 10 KiB record as GNU tar does: those zeros belong to the diff ID too.
    t.resize(t.len().div_ceil(10240) * 10240, 0);
    t
}

/// A docker-archive of one image whose layers are `files` (archive paths of `members`).
fn archive(members: &[(&str, &[u8])], layers: &[&str], tag: &str) -> (Vec<u8>, Vec<Digest>) {
    let by_name: BTreeMap<&str, &[u8]> = members.iter().copied().collect();
    let diffs: Vec<Digest> = layers.iter().map(|l| Digest::of(by_name[l])).collect();
    let list: Vec<String> = diffs.iter().map(|d| format!("\"{d}\"")).collect();
    let cfg = format!(
        r#"{{"architecture":"amd64","os":"linux","config":{{}},"rootfs":{{"type":"layers","diff_ids":[{}]}}}}"#,
        list.join(",")
    );
    let id = Digest::of(cfg.as_bytes());
    let layer_list: Vec<String> = layers.iter().map(|l| format!("\"{l}\"")).collect();
    let manifest = format!(
        r#"[{{"Config":"{}.json","RepoTags":["{tag}"],"Layers":[{}]}}]"#,
        id.hex(),
        layer_list.join(",")
    );
    let cfg_name = format!("{}.json", id.hex());
    let mut es: Vec<E<'_>> = members.iter().map(|(n, d)| file(n, d)).collect();
    es.push(file(&cfg_name, cfg.as_bytes()));
    es.push(file("manifest.json", manifest.as_bytes()));
    (tar_of(&es), diffs)
}

fn load(t: &TestContext, bytes: &[u8]) -> Result<(), String> {
    let opts = LoadOptions {
        quiet: true,
        ..Default::default()
    };
    t.engine
        .load(&mut &bytes[..], &opts, &mut Discard)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn data_root(t: &TestContext) -> std::path::PathBuf {
    t.home.path().join("var/lib/docker")
}

fn saved_layers(t: &TestContext, name: &str) -> Vec<Vec<u8>> {
    let (out, err, code) = t.docker(&format!("save -o out.tar {name}"));
    assert_eq!(code, 0, "{out}{err}");
    let bytes = std::fs::read(t.home.path().join("root/out.tar")).unwrap();
    let manifest: serde_json::Value =
        serde_json::from_slice(&member(&bytes, "manifest.json").unwrap()).unwrap();
    manifest[0]["Layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let name = l.as_str().unwrap();
            // A repeated layer is a symlink to the first one's tar.
            member(&bytes, name)
                .filter(|b| !b.is_empty())
                .or_else(|| {
                    let first = manifest[0]["Layers"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|x| x.as_str().unwrap())
                        .find(|x| member(&bytes, x).is_some_and(|b| !b.is_empty()))?;
                    member(&bytes, first)
                })
                .unwrap()
        })
        .collect()
}

#[test]
fn loaded_layers_are_files_and_tar_split_and_save_back_byte_for_byte() {
    let t = TestContext::new();
    let a = big_layer("a", &[]);
    // A layer that replaces its own files: a file twice, a directory by a file, a hard link.
    let b = big_layer(
        "b",
        &[
            file("dup", b"first"),
            E {
                name: b"hl",
                kind: EntryType::Link,
                data: b"",
                link: Some("dup"),
            },
            file("dup", b"second, longer"),
            file("dir/x", b"inside"),
            file("dir", b"now a file"),
        ],
    );
    // Layer a is used twice: the second chain is rebuilt from the first one's tar-split.
    let (bytes, diffs) = archive(
        &[("a/layer.tar", &a), ("b/layer.tar", &b)],
        &["a/layer.tar", "b/layer.tar", "a/layer.tar"],
        "split:1",
    );
    load(&t, &bytes).unwrap();
    let root = data_root(&t);
    for chain in chain_ids(&diffs) {
        let rec = root.join("image/overlay2/layerdb/sha256").join(chain.hex());
        assert!(
            rec.join("tar-split.json.gz").is_file(),
            "{chain}: no tar-split"
        );
    }
    // No second copy of an uncompressed tar in the content store.
    for d in &diffs {
        assert!(!root.join("content/blobs/sha256").join(d.hex()).exists());
    }
    let layers = saved_layers(&t, "split:1");
    assert_eq!(layers.len(), 3);
    assert!(
        layers[0] == a && layers[1] == b && layers[2] == a,
        "rebuilt tars differ"
    );
    // And the saved archive loads into a fresh home with the same ID.
    let (id, _, _) = t.docker("images -q --no-trunc split:1");
    let t2 = TestContext::new();
    let out = std::fs::read(t.home.path().join("root/out.tar")).unwrap();
    load(&t2, &out).unwrap();
    assert_eq!(t2.docker("images -q --no-trunc split:1").0, id);
}

#[test]
fn a_damaged_unpacked_file_makes_save_fail_not_lie() {
    let t = TestContext::new();
    let a = big_layer("a", &[]);
    let (bytes, diffs) = archive(&[("a/layer.tar", &a)], &["a/layer.tar"], "dmg:1");
    load(&t, &bytes).unwrap();
    let rec = data_root(&t)
        .join("image/overlay2/layerdb/sha256")
        .join(diffs[0].hex());
    let cache = std::fs::read_to_string(rec.join("cache-id")).unwrap();
    let victim = data_root(&t)
        .join("overlay2")
        .join(cache.trim())
        .join("diff/data.bin");
    let mut data = std::fs::read(&victim).unwrap();
    data[100] ^= 1;
    std::fs::write(&victim, &data).unwrap();
    let (_, err, code) = t.docker("save -o out.tar dmg:1");
    assert_ne!(code, 0);
    assert!(err.contains("damaged"), "{err}");
}

#[test]
fn large_hostile_layers_are_refused_and_leave_nothing() {
    let t = TestContext::new();
    let escape = big_layer("e", &[file("../../../../escaped-big", b"pwned")]);
    let (evil, _) = archive(&[("e/layer.tar", &escape)], &["e/layer.tar"], "evil:1");
    let err = load(&t, &evil).unwrap_err();
    assert!(err.contains("\"../../../../escaped-big\""), "{err}");
    // A large layer whose bytes do not hash to the config's diff ID.
    let good = big_layer("g", &[]);
    let (mut tampered, _) = archive(&[("g/layer.tar", &good)], &["g/layer.tar"], "t:1");
    let at = tampered.len() / 2;
    tampered[at] ^= 1;
    let err = load(&t, &tampered).unwrap_err();
    assert!(err.contains("invalid diffID for layer 0"), "{err}");
    let (out, _, _) = t.docker("images -q");
    assert_eq!(out, "");
    assert!(!t.home.path().join("escaped-big").exists());
    assert!(!t.home.path().parent().unwrap().join("escaped-big").exists());
    // Nothing of either attempt stays: no layer record, no unpacked files, no staging.
    let root = data_root(&t);
    let count = |p: &Path| std::fs::read_dir(p).map(|d| d.count()).unwrap_or(0);
    assert_eq!(count(&root.join("image/overlay2/layerdb/sha256")), 0);
    assert_eq!(count(&root.join("overlay2")), 0);
    assert_eq!(count(&root.join("tmp")), 0);
}

/// Two large layers: one named by its digest (skopeo, Docker 25), whose bar shows as it streams,
/// and one in a `<dir>/layer.tar` (Docker 20.10), whose bar waits for the manifest's diff IDs.
fn two_layer_archive(tag: &str) -> (Vec<u8>, Vec<Digest>) {
    let a = big_layer("a", &[]);
    let b = big_layer("b", &[]);
    let a_name = format!("{}.tar", Digest::of(&a).hex());
    archive(
        &[(a_name.as_str(), &a), ("v1dir/layer.tar", &b)],
        &[a_name.as_str(), "v1dir/layer.tar"],
        tag,
    )
}

#[test]
fn loading_layer_bars_carry_the_diff_ids() {
    let (bytes, diffs) = two_layer_archive("bars:1");
    let t = TestContext::new();
    let mut seen: Vec<Progress> = Vec::new();
    let opts = LoadOptions {
        quiet: false,
        ..Default::default()
    };
    t.engine
        .load(&mut &bytes[..], &opts, &mut |p: Progress| seen.push(p))
        .unwrap();
    let mut last: BTreeMap<String, (usize, (u64, u64))> = BTreeMap::new();
    for (i, p) in seen.iter().enumerate() {
        if let (Some(id), Some(bar)) = (&p.id, p.bar) {
            assert_eq!(p.status, "Loading layer");
            last.insert(id.clone(), (i, bar));
        }
    }
    let want: Vec<String> = diffs.iter().map(|d| d.short().to_string()).collect();
    assert_eq!(last.keys().cloned().collect::<Vec<_>>(), {
        let mut w = want.clone();
        w.sort();
        w
    });
    for (id, (_, (done, total))) in &last {
        assert_eq!(done, total, "{id}: bar not complete");
    }
    // Bars come before the `Loaded image` line.
    let loaded = seen
        .iter()
        .position(|p| p.status.starts_with("Loaded image"))
        .unwrap();
    assert!(last.values().all(|(i, _)| *i < loaded));
}

/// The screen a terminal shows at the end: each ID's last text, in the order the IDs appeared
/// (what docker/cli's in-place rewriting leaves), and the lines without an ID.
fn final_screen(out: &str) -> (Vec<(String, String)>, Vec<String>) {
    let mut ids: Vec<(String, String)> = Vec::new();
    let mut plain = Vec::new();
    let esc = regex::Regex::new(r"\x1b\[[0-9]*[A-Za-z]").unwrap();
    for part in out.split(['\r', '\n']) {
        let p = esc.replace_all(part, "");
        if p.trim().is_empty() {
            continue;
        }
        match p.split_once(": ") {
            Some((id, rest)) if id.len() == 12 && id.bytes().all(|b| b.is_ascii_hexdigit()) => {
                match ids.iter_mut().find(|(i, _)| i == id) {
                    Some(e) => e.1 = rest.to_string(),
                    None => ids.push((id.to_string(), rest.to_string())),
                }
            }
            _ => plain.push(p.into_owned()),
        }
    }
    (ids, plain)
}

#[test]
fn load_on_a_terminal_ends_as_dockers_does() {
    // Recorded from Docker 20.10.24 loading make-image's 4-layer archive on a 120-column
    // terminal: one line per layer, each ending on a full bar with the arrow, then the tag.
    let (bytes, diffs) = two_layer_archive("tty:1");
    let t = TestContext::new();
    let file = t.home.path().join("root/tty.tar");
    std::fs::write(&file, &bytes).unwrap();
    let args = ["load".to_string(), "-i".into(), file.display().to_string()];
    let (out, err, code) = support::tty_docker(&t, &args);
    assert_eq!(code, 0, "{err}");
    let (ids, plain) = final_screen(&out);
    assert_eq!(plain, ["Loaded image: tty:1"]);
    let want_ids: Vec<String> = diffs.iter().map(|d| d.short().to_string()).collect();
    assert_eq!(
        ids.iter().map(|(i, _)| i.clone()).collect::<Vec<_>>(),
        want_ids
    );
    for (id, text) in &ids {
        let full = format!("Loading layer [{}>] ", "=".repeat(50));
        let rest = text
            .strip_prefix(&full)
            .unwrap_or_else(|| panic!("{id}: {text:?}"));
        let (done, total) = rest.trim().split_once('/').unwrap();
        assert_eq!(done, total, "{id}: {text:?}");
    }
}
