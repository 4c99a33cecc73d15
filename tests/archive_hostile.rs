//! Hostile and broken archives: a corpus built here (each case a small tar or gzip), every one
//! refused with an error naming the entry, nothing written outside the store, and the store
//! exactly as it was (a load is all or nothing). Then a fuzz-style pass: a valid archive, mutated
//! by a fixed-seed generator (bit flips, truncations, overwritten blocks), must give a clean error
//! or a valid load, never a panic or a half image.

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use drydock::engine::archive::LoadOptions;
use drydock::engine::progress::Discard;
use drydock::testing::TestContext;
use support::archive::{E, file, gzip, member, tar_of};
use tar::EntryType;

/// Every path under the data root, except staging and the lock: the store's observable state.
fn store_state(home: &Path) -> BTreeSet<String> {
    let root = home.join("var/lib/docker");
    let mut out = BTreeSet::new();
    let mut todo = vec![root.clone()];
    while let Some(d) = todo.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            let rel = p
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if rel == "tmp" || rel == "drydock.lock" {
                continue;
            }
            if e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                todo.push(p);
            } else {
                let len = e.metadata().map(|m| m.len()).unwrap_or(0);
                out.insert(format!("{rel} {len}"));
            }
        }
    }
    out
}

fn load(t: &TestContext, bytes: &[u8], limit: u64) -> Result<(), String> {
    let opts = LoadOptions {
        quiet: true,
        max_uncompressed: limit,
    };
    t.engine
        .load(&mut &bytes[..], &opts, &mut Discard)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// A saved busybox archive and its members, for building variants.
fn valid(t: &TestContext) -> Vec<u8> {
    let (_, err, code) = t.docker("pull -q busybox");
    assert_eq!(code, 0, "{err}");
    let (_, err, code) = t.docker("save -o bb.tar busybox");
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(t.home.path().join("root/bb.tar")).unwrap();
    let (_, _, code) = t.docker("rmi busybox");
    assert_eq!(code, 0);
    bytes
}

/// The members of a tar, in order.
fn members(bytes: &[u8]) -> Vec<(String, EntryType, Vec<u8>, Option<String>)> {
    let mut a = tar::Archive::new(bytes);
    let mut out = Vec::new();
    for e in a.entries().unwrap() {
        let mut e = e.unwrap();
        let name = e.path().unwrap().to_string_lossy().into_owned();
        let kind = e.header().entry_type();
        let link = e
            .link_name()
            .ok()
            .flatten()
            .map(|l| l.to_string_lossy().into_owned());
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut e, &mut data).unwrap();
        out.push((name, kind, data, link));
    }
    out
}

fn rebuild(ms: &[(String, EntryType, Vec<u8>, Option<String>)]) -> Vec<u8> {
    let es: Vec<E<'_>> = ms
        .iter()
        .map(|(n, k, d, l)| E {
            name: n.as_bytes(),
            kind: *k,
            data: d,
            link: l.as_deref(),
        })
        .collect();
    tar_of(&es)
}

fn layer_name(ms: &[(String, EntryType, Vec<u8>, Option<String>)]) -> String {
    ms.iter()
        .find(|m| m.0.ends_with("/layer.tar"))
        .map(|m| m.0.clone())
        .unwrap()
}

#[test]
fn every_hostile_archive_is_refused_and_the_store_is_unchanged() {
    let t = TestContext::new();
    let good = valid(&t);
    let ms = members(&good);
    let layer = layer_name(&ms);
    // A sentinel next to the home: any write outside would show here.
    let outside = t
        .home
        .path()
        .parent()
        .unwrap()
        .join(format!("drydock-sentinel-{}", std::process::id()));
    let _ = std::fs::remove_file(&outside);

    let with_layer = |f: &dyn Fn(&mut Vec<u8>)| {
        let mut ms = ms.clone();
        for m in ms.iter_mut() {
            if m.0 == layer {
                f(&mut m.2);
            }
        }
        rebuild(&ms)
    };
    // The layer tar with a byte of a file's content changed: its digest no longer matches.
    let tampered = with_layer(&|d: &mut Vec<u8>| {
        let i = d.len() / 2;
        d[i] ^= 1;
    });
    // A layer whose own entries climb out (and its diff ID fixed up so only the unpacker objects).
    let evil_layer = tar_of(&[file("../../../../escaped", b"pwned")]);
    let evil_diff = drydock::engine::digest::Digest::of(&evil_layer);
    let config_for = |diff: &str| {
        format!(
            r#"{{"architecture":"amd64","os":"linux","rootfs":{{"type":"layers","diff_ids":["{diff}"]}}}}"#
        )
    };
    let cfg = config_for(&evil_diff.to_string());
    let cfg_id = drydock::engine::digest::Digest::of(cfg.as_bytes());
    let manifest = format!(
        r#"[{{"Config":"{}.json","RepoTags":["evil:1"],"Layers":["l/layer.tar"]}}]"#,
        cfg_id.hex()
    );
    let evil_in_layer = tar_of(&[
        file("l/layer.tar", &evil_layer),
        file(&format!("{}.json", cfg_id.hex()), cfg.as_bytes()),
        file("manifest.json", manifest.as_bytes()),
    ]);
    let wrong_name = tar_of(&[
        file("l/layer.tar", &evil_layer),
        file(&format!("{}.json", "0".repeat(64)), cfg.as_bytes()),
        file(
            "manifest.json",
            format!(
                r#"[{{"Config":"{}.json","RepoTags":null,"Layers":["l/layer.tar"]}}]"#,
                "0".repeat(64)
            )
            .as_bytes(),
        ),
    ]);
    let mut manifest_missing = ms.clone();
    manifest_missing.retain(|m| m.0 != layer);
    let gz = gzip(&good);
    let mut corrupt_gz = gz.clone();
    let mid = corrupt_gz.len() / 2;
    for b in &mut corrupt_gz[mid..mid + 64] {
        *b ^= 0x5a;
    }
    let bomb = gzip(&vec![0u8; 32 << 20]);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("dot-dot", tar_of(&[file("../evil", b"x")]), "\"../evil\""),
        (
            "absolute",
            tar_of(&[file("/etc/passwd", b"x")]),
            "\"/etc/passwd\": absolute path",
        ),
        (
            "symlink out",
            tar_of(&[E {
                name: b"l",
                kind: EntryType::Symlink,
                data: b"",
                link: Some("../../outside"),
            }]),
            "\"l\": link target \"../../outside\" is outside the archive",
        ),
        (
            "absolute symlink",
            tar_of(&[E {
                name: b"manifest.json",
                kind: EntryType::Symlink,
                data: b"",
                link: Some("/etc/passwd"),
            }]),
            "\"manifest.json\": link target \"/etc/passwd\" is outside the archive",
        ),
        (
            "hard link out",
            tar_of(&[E {
                name: b"h",
                kind: EntryType::Link,
                data: b"",
                link: Some("../x"),
            }]),
            "\"h\": link target \"../x\" is outside the archive",
        ),
        (
            "device node",
            tar_of(&[E {
                name: b"dev/sda",
                kind: EntryType::Block,
                data: b"",
                link: None,
            }]),
            "\"dev/sda\": device nodes",
        ),
        (
            "fifo",
            tar_of(&[E {
                name: b"p",
                kind: EntryType::Fifo,
                data: b"",
                link: None,
            }]),
            "\"p\": device nodes",
        ),
        (
            "duplicate",
            tar_of(&[file("manifest.json", b"[]"), file("manifest.json", b"[]")]),
            "\"manifest.json\": duplicate entry",
        ),
        (
            "non-UTF-8 name",
            tar_of(&[E {
                name: b"\xff\xfe.json",
                kind: EntryType::Regular,
                data: b"{}",
                link: None,
            }]),
            "name is not valid UTF-8",
        ),
        ("layer digest", tampered, "invalid diffID for layer 0"),
        (
            "config name",
            wrong_name,
            "content does not match its digest",
        ),
        (
            "missing layer",
            rebuild(&manifest_missing),
            "no such file or directory",
        ),
        (
            "truncated tar",
            good[..good.len() / 3].to_vec(),
            "unexpected EOF",
        ),
        (
            "truncated gzip",
            gz[..gz.len() / 2].to_vec(),
            "Error processing tar file",
        ),
        ("corrupt gzip", corrupt_gz, "Error processing tar file"),
        // Docker 20.10.24: fewer bytes than a tar header is Go's unexpected EOF; a whole block of
        // garbage is an invalid header.
        (
            "short garbage",
            b"garbage".to_vec(),
            "Error processing tar file(exit status 1): unexpected EOF",
        ),
        (
            "a block of garbage",
            vec![0x5a; 600],
            "Error processing tar file(exit status 1): archive/tar: invalid tar header",
        ),
        ("bomb", bomb, "bytes once uncompressed"),
        (
            "escape inside a layer",
            evil_in_layer,
            "\"../../../../escaped\"",
        ),
    ];
    let before = store_state(t.home.path());
    for (what, bytes, want) in cases {
        let err = load(&t, &bytes, 16 << 20).expect_err(what);
        assert!(err.contains(want), "{what}: {err}");
        assert_eq!(store_state(t.home.path()), before, "{what}: store changed");
        assert!(!outside.exists(), "{what}: wrote outside");
        assert!(
            !t.home.path().join("escaped").exists()
                && !t.home.path().parent().unwrap().join("escaped").exists(),
            "{what}: wrote outside"
        );
    }
    // The valid archive still loads after all that.
    load(&t, &good, 16 << 20).unwrap();
}

#[test]
fn a_load_that_fails_halfway_leaves_no_image() {
    let t = TestContext::new();
    let good = valid(&t);
    let ms = members(&good);
    let layer = layer_name(&ms);
    let bb_layer = member(&good, &layer).unwrap();
    // Image A (busybox, valid) and image B whose gzip layer does not decompress to its diff ID:
    // found only while registering B, after A's layers went in.
    let wrong = gzip(&tar_of(&[file("x", b"not what the config says")]));
    let cfg_b = format!(
        r#"{{"architecture":"amd64","os":"linux","rootfs":{{"type":"layers","diff_ids":["{}"]}}}}"#,
        drydock::engine::digest::Digest::of(b"something else")
    );
    let id_b = drydock::engine::digest::Digest::of(cfg_b.as_bytes());
    let manifest_a = String::from_utf8(member(&good, "manifest.json").unwrap()).unwrap();
    let manifest = format!(
        "{},{{\"Config\":\"{}.json\",\"RepoTags\":[\"b:1\"],\"Layers\":[\"b/layer.tar\"]}}]",
        manifest_a.trim().trim_end_matches(']'),
        id_b.hex()
    );
    let mut ms2: Vec<_> = ms.into_iter().filter(|m| m.0 != "manifest.json").collect();
    ms2.push(("b/layer.tar".into(), EntryType::Regular, wrong, None));
    ms2.push((
        format!("{}.json", id_b.hex()),
        EntryType::Regular,
        cfg_b.into_bytes(),
        None,
    ));
    ms2.push((
        "manifest.json".into(),
        EntryType::Regular,
        manifest.into_bytes(),
        None,
    ));
    let two = rebuild(&ms2);
    assert!(!bb_layer.is_empty());
    let before = store_state(t.home.path());
    let err = load(&t, &two, 1 << 30).unwrap_err();
    assert!(err.contains("invalid diffID for layer 0"), "{err}");
    assert_eq!(store_state(t.home.path()), before);
    let (out, _, _) = t.docker("images -a -q");
    assert_eq!(out, "");
}

/// splitmix64: a fixed-seed generator, so a failure replays.
struct Gen(u64);
impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Every image in the imagedb has its config hash as its name and all its layers; nothing pending.
fn assert_consistent(t: &TestContext) {
    let store = t.engine.image_store();
    assert!(store.pending().is_empty(), "pending images left");
    for id in store.ids().unwrap() {
        let img = store.get(&id).expect("config readable and matching its ID");
        for c in img.chain_ids() {
            assert!(store.layers.exists(&c), "image {id} lacks layer {c}");
        }
    }
    let (_, err, code) = t.docker("images -a");
    assert_eq!(code, 0, "{err}");
}

#[test]
fn mutated_archives_never_panic_or_leave_half_images() {
    let t = TestContext::new();
    let good = valid(&t);
    let gz = gzip(&good);
    let mut g = Gen(0x0D0C_4E12);
    for round in 0..160 {
        let base = if round % 2 == 0 { &good } else { &gz };
        let mut b = base.clone();
        match g.below(4) {
            0 => {
                for _ in 0..1 + g.below(8) {
                    let i = g.below(b.len());
                    b[i] ^= 1 << g.below(8);
                }
            }
            1 => b.truncate(g.below(b.len())),
            2 => {
                let i = g.below(b.len());
                let n = (b.len() - i).min(512);
                for k in 0..n {
                    b[i + k] = g.next() as u8;
                }
            }
            _ => {
                // A header block's worth of damage right at an entry boundary.
                let i = g.below(b.len() / 512) * 512;
                let n = (b.len() - i).min(512);
                for k in 0..n {
                    b[i + k] ^= g.next() as u8;
                }
            }
        }
        let _ = load(&t, &b, 16 << 20);
        assert_consistent(&t);
    }
}
