//! Store invariants, bad input and crashes: the on-disk store is Docker's shape, every digest is
//! checked, a corrupt blob registers nothing, a killed pull leaves a consistent store, and two
//! processes on one home do not corrupt it.

use std::fs;
use std::io::{Cursor, Read};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use drydock::engine::api::SearchResult;
use drydock::engine::digest::Digest;
use drydock::engine::distribution::{DistributionError, FetchedManifest, Index, Registry};
use drydock::engine::hub::Hub;
use drydock::engine::lock::StoreLock;
use drydock::testing::TestContext;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_drydock")
}

fn image_root(home: &Path) -> std::path::PathBuf {
    home.join("var/lib/docker/image/overlay2")
}

#[test]
fn image_ids_are_the_sha256_of_their_config_files() {
    let t = TestContext::new();
    for img in ["centos:7", "httpd:2.4", "alpine:3.15", "hello-world"] {
        assert_eq!(t.docker(&format!("pull {img}")).2, 0);
    }
    let dir = image_root(t.home.path()).join("imagedb/content/sha256");
    let mut n = 0;
    for e in fs::read_dir(&dir).unwrap() {
        let e = e.unwrap();
        let bytes = fs::read(e.path()).unwrap();
        assert_eq!(Digest::of(&bytes).hex(), e.file_name().to_str().unwrap());
        n += 1;
    }
    assert_eq!(n, 4);
    // repositories.json in Docker's format: familiar repository names, familiar references.
    let repos: serde_json::Value = serde_json::from_slice(
        &fs::read(image_root(t.home.path()).join("repositories.json")).unwrap(),
    )
    .unwrap();
    let httpd = &repos["Repositories"]["httpd"];
    assert!(httpd["httpd:2.4"].as_str().unwrap().starts_with("sha256:"));
    assert!(
        httpd
            .as_object()
            .unwrap()
            .keys()
            .any(|k| k.starts_with("httpd@sha256:"))
    );
    // Every layer of every image is in the layerdb, with Docker's files, and unpacked.
    let (ids, _, _) = t.docker("images -q --no-trunc");
    for id in ids.lines() {
        let (json, _, _) = t.docker(&format!("image inspect {id}"));
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let layers = v[0]["RootFS"]["Layers"].as_array().unwrap();
        assert!(!layers.is_empty());
    }
    for e in fs::read_dir(image_root(t.home.path()).join("layerdb/sha256")).unwrap() {
        let p = e.unwrap().path();
        for f in ["diff", "size", "cache-id"] {
            assert!(p.join(f).is_file(), "{} lacks {f}", p.display());
        }
        let cache = fs::read_to_string(p.join("cache-id")).unwrap();
        assert!(
            t.home
                .path()
                .join("var/lib/docker/overlay2")
                .join(cache.trim())
                .join("diff")
                .is_dir()
        );
    }
    // The OS release file of CentOS 7 is really in its layer.
    let found = walk_find(&t.home.path().join("var/lib/docker/overlay2"), "os-release");
    assert!(
        found.iter().any(|s| s.contains("CentOS")),
        "no CentOS os-release among {} files",
        found.len()
    );
}

fn walk_find(dir: &Path, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(rd) = fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        let ft = e.file_type().unwrap();
        if ft.is_dir() {
            out.extend(walk_find(&p, name));
        } else if ft.is_file() && e.file_name() == name {
            out.push(fs::read_to_string(&p).unwrap_or_default());
        }
    }
    out
}

/// A registry that serves the hub but flips one byte of one blob.
struct Corrupting {
    hub: Hub,
    victim: std::sync::Mutex<Option<Digest>>,
}

impl Registry for Corrupting {
    fn tags(&self, repo: &str) -> Result<Vec<String>, DistributionError> {
        self.hub.tags(repo)
    }
    fn manifest(&self, repo: &str, reference: &str) -> Result<FetchedManifest, DistributionError> {
        self.hub.manifest(repo, reference)
    }
    fn blob(
        &self,
        repo: &str,
        digest: &Digest,
    ) -> Result<Box<dyn Read + Send + '_>, DistributionError> {
        let mut bytes = Vec::new();
        self.hub.blob(repo, digest)?.read_to_end(&mut bytes)?;
        if self.victim.lock().unwrap().as_ref() == Some(digest) {
            let mid = bytes.len() / 2;
            bytes[mid] ^= 0xff;
        }
        Ok(Box::new(Cursor::new(bytes)))
    }
}

impl Index for Corrupting {
    fn search(&self, term: &str) -> Vec<SearchResult> {
        Index::search(&self.hub, term)
    }
    fn trusted_target(&self, repo: &str, tag: &str) -> Result<Digest, String> {
        Index::trusted_target(&self.hub, repo, tag)
    }
}

#[test]
fn a_corrupt_layer_blob_registers_nothing() {
    let hub = Hub::new();
    // Find httpd:2.4's third layer.
    let m = hub.manifest("library/httpd", "2.4").unwrap();
    let manifest: drydock::engine::oci::Manifest = serde_json::from_slice(&m.bytes).unwrap();
    let victim = manifest.layers[2].digest.clone();
    let reg = Arc::new(Corrupting {
        hub,
        victim: std::sync::Mutex::new(Some(victim.clone())),
    });
    let t = TestContext::with_hub(reg.clone());
    let (out, err, code) = t.docker("pull httpd:2.4");
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        err,
        format!(
            "Error response from daemon: filesystem layer verification failed for digest {victim}\n"
        )
    );
    let (out, _, _) = t.docker("images -a -q");
    assert_eq!(out, "");
    assert!(!image_root(t.home.path()).join("repositories.json").exists());
    // Once the registry serves good bytes, the same pull succeeds.
    *reg.victim.lock().unwrap() = None;
    assert_eq!(t.docker("pull httpd:2.4").2, 0);
}

#[test]
fn a_hand_edited_store_file_is_a_clear_error() {
    let t = TestContext::new();
    assert_eq!(t.docker("pull busybox").2, 0);
    let dir = image_root(t.home.path()).join("imagedb/content/sha256");
    let file = fs::read_dir(&dir).unwrap().next().unwrap().unwrap().path();
    fs::write(&file, b"{\"edited\": true}").unwrap();
    let (out, err, code) = t.docker("images");
    assert_eq!(code, 1, "{out}");
    assert!(err.contains(file.to_str().unwrap()), "{err}");
    assert!(err.contains("does not match its digest"), "{err}");

    let t = TestContext::new();
    assert_eq!(t.docker("pull busybox").2, 0);
    fs::write(
        image_root(t.home.path()).join("repositories.json"),
        b"{not json",
    )
    .unwrap();
    let (_, err, code) = t.docker("images");
    assert_eq!(code, 1);
    assert!(err.contains("repositories.json: not valid JSON"), "{err}");
}

fn consistent(home: &Path) -> Vec<String> {
    let out = Command::new(bin())
        .arg("--home")
        .arg(home)
        .args(["docker", "images", "-a", "--no-trunc", "-q"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "images failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ids: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(String::from)
        .collect();
    for id in &ids {
        let o = Command::new(bin())
            .arg("--home")
            .arg(home)
            .args(["docker", "history", "-q", id])
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "history of {id}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    ids
}

#[test]
fn a_pull_killed_midway_leaves_a_consistent_store() {
    for delay_ms in [0u64, 1, 3, 6, 10, 15, 25, 40, 80] {
        let home = tempfile::tempdir().unwrap();
        let mut child = Command::new(bin())
            .arg("--home")
            .arg(home.path())
            .args(["docker", "pull", "httpd:2.4"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let ids = consistent(home.path());
        assert!(ids.len() <= 1, "at most the one image: {ids:?}");
        // No half image: either it is all there or the next pull brings it in full.
        let o = Command::new(bin())
            .arg("--home")
            .arg(home.path())
            .args(["docker", "pull", "httpd:2.4"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(consistent(home.path()).len(), 1);
    }
}

#[test]
fn a_crash_between_config_and_references_is_rolled_back() {
    let t = TestContext::new();
    assert_eq!(t.docker("pull alpine:3.15").2, 0);
    // Simulate the state a kill leaves after the config is written but before the references:
    // a pending marker and an unreferenced config.
    let root = image_root(t.home.path());
    let raw = br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#;
    let id = Digest::of(raw);
    fs::create_dir_all(root.join("imagedb/pending")).unwrap();
    fs::write(root.join("imagedb/pending").join(id.hex()), b"").unwrap();
    fs::write(root.join("imagedb/content/sha256").join(id.hex()), raw).unwrap();
    let reopened = drydock::engine::Engine::open(t.home.path()).unwrap();
    assert!(!reopened.image_store().exists(&id));
    assert!(reopened.image_store().pending().is_empty());
    assert_eq!(consistent(t.home.path()).len(), 1);
}

#[test]
fn a_second_process_waits_then_fails_clearly() {
    let t = TestContext::new();
    assert_eq!(t.docker("pull busybox").2, 0);
    let lock = StoreLock::acquire(
        &t.home.path().join("var/lib/docker/drydock.lock"),
        Duration::from_secs(1),
    )
    .unwrap();
    let o = Command::new(bin())
        .arg("--home")
        .arg(t.home.path())
        .args(["docker", "tag", "busybox", "mine:1"])
        .env("DRYDOCK_LOCK_WAIT_MS", "300")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("another drydock process is using"), "{err}");
    // Reads do not wait for the lock.
    let o = Command::new(bin())
        .arg("--home")
        .arg(t.home.path())
        .args(["docker", "images", "-q"])
        .output()
        .unwrap();
    assert!(o.status.success());
    drop(lock);
    let o = Command::new(bin())
        .arg("--home")
        .arg(t.home.path())
        .args(["docker", "tag", "busybox", "mine:1"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
