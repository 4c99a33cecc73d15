//! The hub's contract tests: pinned digests, integrity of every image, lookups and errors.

use std::collections::BTreeSet;
use std::io::Read;

use flate2::read::GzDecoder;

use super::*;
use crate::engine::oci::{self, ImageConfig, Index, Manifest};

fn read_all(mut r: impl Read) -> Vec<u8> {
    let mut v = Vec::new();
    r.read_to_end(&mut v).expect("read");
    v
}

/// (repo, tag) → (top manifest digest, amd64 config digest = image ID).
fn pinned(hub: &Hub, repo: &str, tag: &str) -> (String, String) {
    let m = hub.manifest(repo, tag).expect("manifest");
    let single = if m.media_type == oci::MEDIA_DOCKER_MANIFEST_LIST {
        let idx: Index = serde_json::from_slice(&m.bytes).expect("index");
        let amd = idx
            .manifests
            .iter()
            .find(|d| {
                d.platform
                    .as_ref()
                    .is_some_and(|p| p.architecture == "amd64")
            })
            .expect("amd64 entry");
        hub.manifest(repo, &amd.digest.to_string())
            .expect("by digest")
    } else {
        m.clone()
    };
    let man: Manifest = serde_json::from_slice(&single.bytes).expect("manifest json");
    (m.digest.to_string(), man.config.digest.to_string())
}

#[test]
fn pinned_digests_never_change() {
    let hub = Hub::new();
    let got: Vec<(String, String, String)> = [
        ("library/centos", "6"),
        ("library/httpd", "2.4"),
        ("library/alpine", "latest"),
        ("library/hello-world", "latest"),
        ("library/ubuntu", "20.04"),
    ]
    .iter()
    .map(|(r, t)| {
        let (m, c) = pinned(&hub, r, t);
        (format!("{r}:{t}"), m, c)
    })
    .collect();
    let text: String = got
        .iter()
        .map(|(n, m, c)| format!("{n} {m} {c}\n"))
        .collect();
    assert_eq!(text, PINNED);
}

const PINNED: &str = "\
library/centos:6 sha256:252c6bdf0fc8ab894474c0582055006657064c2e11348d981ef47c518e0882e9 sha256:16dd85b5fcfd562033c4a9d46220f8bdd5784d6b4f2b8900165b9b1cf6e4fbc6\n\
library/httpd:2.4 sha256:235b4a8d94721de0d23bd80c36f73a36d010d08bd63546922db0939e96e8368f sha256:c897368ce9ba781ed0319c6724920cdf3c28ac07618ac4a28f18f0161448b827\n\
library/alpine:latest sha256:faf5516f140b1aad7016bd4a6f543bc32bda3c6a984c5f191109909b6767f8bb sha256:f3603e58fa0aeb65687f97320addc97ea9ad1938a41e9c5ac367818920fee0c8\n\
library/hello-world:latest sha256:5abb9e794b7d1e8d9730aa8f203a8ef0e7db53d274f3fa063cf6dca3e154c317 sha256:df2495689fc1c86fd3acca74ad998710261de49317e44f704074f4d6738b1d22\n\
library/ubuntu:20.04 sha256:1615d6c063003b008316cfbb7e113fe2c41871fe7e76da939d863fd397c926bd sha256:103d58161a3ae944766dc49859a1b8c8b524c5bfeb3140256b0386e67b97d29e\n\
";

#[test]
fn every_tag_resolves_and_every_blob_verifies() {
    let hub = Hub::new();
    let mut layers_seen = BTreeSet::new();
    for repo in catalog::REPOS {
        let tags = hub.tags(repo.name).expect("tags");
        let mut sorted = tags.clone();
        sorted.sort();
        assert_eq!(tags, sorted, "{} tags sorted", repo.name);
        for tag in &tags {
            let top = hub.manifest(repo.name, tag).expect("tag resolves");
            assert_eq!(crate::engine::digest::Digest::of(&top.bytes), top.digest);
            let manifests: Vec<_> = if top.media_type == oci::MEDIA_DOCKER_MANIFEST_LIST {
                let idx: Index = serde_json::from_slice(&top.bytes).expect("index");
                assert_eq!(idx.manifests.len(), 2);
                idx.manifests
                    .iter()
                    .map(|d| {
                        let m = hub
                            .manifest(repo.name, &d.digest.to_string())
                            .expect("child");
                        assert_eq!(m.bytes.len() as u64, d.size);
                        m
                    })
                    .collect()
            } else {
                vec![top.clone()]
            };
            for m in manifests {
                assert_eq!(crate::engine::digest::Digest::of(&m.bytes), m.digest);
                let man: Manifest = serde_json::from_slice(&m.bytes).expect("manifest");
                let cfg_bytes = read_all(hub.blob(repo.name, &man.config.digest).expect("config"));
                assert_eq!(
                    crate::engine::digest::Digest::of(&cfg_bytes),
                    man.config.digest
                );
                assert_eq!(cfg_bytes.len() as u64, man.config.size);
                let cfg: ImageConfig = serde_json::from_slice(&cfg_bytes).expect("config json");
                assert_eq!(cfg.os, "linux");
                assert_eq!(cfg.rootfs.diff_ids.len(), man.layers.len());
                let non_empty = cfg.history.iter().filter(|h| !h.empty_layer).count();
                assert_eq!(non_empty, man.layers.len(), "{}:{tag} history", repo.name);
                for (l, diff_id) in man.layers.iter().zip(&cfg.rootfs.diff_ids) {
                    let gz = read_all(hub.blob(repo.name, &l.digest).expect("layer"));
                    assert_eq!(crate::engine::digest::Digest::of(&gz), l.digest);
                    assert_eq!(gz.len() as u64, l.size);
                    let tar = read_all(GzDecoder::new(&gz[..]));
                    assert_eq!(&crate::engine::digest::Digest::of(&tar), diff_id);
                    if layers_seen.insert(l.digest.clone()) {
                        let mut a = tar::Archive::new(&tar[..]);
                        for e in a.entries().expect("tar") {
                            e.expect("tar entry");
                        }
                    }
                }
            }
        }
    }
}

fn rootfs_paths(hub: &Hub, repo: &str, tag: &str) -> BTreeSet<String> {
    let m = hub.manifest(repo, tag).expect("manifest");
    let m = if m.media_type == oci::MEDIA_DOCKER_MANIFEST_LIST {
        let idx: Index = serde_json::from_slice(&m.bytes).expect("index");
        hub.manifest(repo, &idx.manifests[0].digest.to_string())
            .expect("amd64")
    } else {
        m
    };
    let man: Manifest = serde_json::from_slice(&m.bytes).expect("manifest");
    let mut paths = BTreeSet::new();
    for l in &man.layers {
        let gz = read_all(hub.blob(repo, &l.digest).expect("layer"));
        let mut a = tar::Archive::new(GzDecoder::new(&gz[..]));
        for e in a.entries().expect("tar") {
            let e = e.expect("entry");
            let p = String::from_utf8_lossy(&e.path_bytes()).into_owned();
            paths.insert(p.trim_end_matches('/').to_string());
        }
    }
    paths
}

#[test]
fn distributions_have_os_release_where_they_do_in_reality() {
    let hub = Hub::new();
    for (repo, tag) in [
        ("library/alpine", "3.12"),
        ("library/alpine", "latest"),
        ("library/ubuntu", "18.04"),
        ("library/ubuntu", "22.04"),
        ("library/debian", "buster"),
        ("library/centos", "7"),
        ("library/centos", "8"),
        ("library/fedora", "35"),
        ("library/httpd", "2.4"),
        ("library/nginx", "alpine"),
    ] {
        assert!(
            rootfs_paths(&hub, repo, tag).contains("etc/os-release"),
            "{repo}:{tag}"
        );
    }
    let c6 = rootfs_paths(&hub, "library/centos", "6");
    assert!(!c6.contains("etc/os-release"));
    assert!(c6.contains("etc/centos-release"));
    assert!(!rootfs_paths(&hub, "library/busybox", "latest").contains("etc/os-release"));
}

#[test]
fn synthesis_is_deterministic() {
    let a = Hub::new();
    let b = Hub::new();
    for repo in catalog::REPOS {
        for (tag, _) in repo.tags {
            assert_eq!(
                a.manifest(repo.name, tag).expect("a").digest,
                b.manifest(repo.name, tag).expect("b").digest
            );
        }
    }
}

#[test]
fn aliases_share_manifests() {
    let hub = Hub::new();
    let d = |r: &str, t: &str| hub.manifest(r, t).expect("manifest").digest;
    assert_eq!(d("library/alpine", "latest"), d("library/alpine", "3.15"));
    assert_eq!(d("library/ubuntu", "focal"), d("library/ubuntu", "20.04"));
    assert_eq!(d("library/ubuntu", "bionic"), d("library/ubuntu", "18.04"));
    assert_eq!(d("library/centos", "latest"), d("library/centos", "8"));
    assert_ne!(d("library/alpine", "3.14"), d("library/alpine", "3.15"));
}

#[test]
fn unknown_things_get_dockers_errors() {
    let hub = Hub::new();
    assert!(matches!(
        hub.tags("library/nosuchrepo"),
        Err(DistributionError::Denied { .. })
    ));
    assert!(matches!(
        hub.manifest("library/nosuchrepo", "latest"),
        Err(DistributionError::Denied { .. })
    ));
    assert!(matches!(
        hub.manifest("library/ubuntu", "nosuchtag"),
        Err(DistributionError::ManifestUnknown { .. })
    ));
    let other = hub
        .manifest("library/alpine", "latest")
        .expect("alpine")
        .digest;
    assert!(matches!(
        hub.manifest("library/ubuntu", &other.to_string()),
        Err(DistributionError::ManifestUnknown { .. })
    ));
    assert!(matches!(
        hub.blob("library/ubuntu", &other),
        Err(DistributionError::BlobUnknown { .. })
    ));
}

#[test]
fn configs_follow_the_official_dockerfiles() {
    let hub = Hub::new();
    let cfg = |repo: &str, tag: &str| -> ImageConfig {
        let m = hub.manifest(repo, tag).expect("manifest");
        let m = if m.media_type == oci::MEDIA_DOCKER_MANIFEST_LIST {
            let idx: Index = serde_json::from_slice(&m.bytes).expect("index");
            hub.manifest(repo, &idx.manifests[0].digest.to_string())
                .expect("amd64")
        } else {
            m
        };
        let man: Manifest = serde_json::from_slice(&m.bytes).expect("manifest");
        serde_json::from_slice(&read_all(hub.blob(repo, &man.config.digest).expect("cfg")))
            .expect("config")
    };
    let httpd = cfg("library/httpd", "2.4");
    let c = httpd.config.as_ref().expect("config");
    assert_eq!(c.stop_signal, "SIGWINCH");
    assert_eq!(
        c.cmd.as_deref(),
        Some(&["httpd-foreground".to_string()][..])
    );
    assert_eq!(c.working_dir, "/usr/local/apache2");
    assert!(
        c.exposed_ports
            .as_ref()
            .is_some_and(|p| p.contains_key("80/tcp"))
    );
    let nginx = cfg("library/nginx", "latest");
    let c = nginx.config.as_ref().expect("config");
    assert_eq!(c.stop_signal, "SIGQUIT");
    assert_eq!(
        c.entrypoint.as_deref(),
        Some(&["/docker-entrypoint.sh".to_string()][..])
    );
    let centos = cfg("library/centos", "7");
    assert_eq!(
        centos.history.last().map(|h| h.created_by.as_str()),
        Some(r#"/bin/sh -c #(nop)  CMD ["/bin/bash"]"#)
    );
    let cc = centos.container_config.as_ref().expect("container_config");
    assert_eq!(cc.hostname, &centos.container[..12]);
    assert_eq!(
        cc.cmd.as_deref(),
        Some(
            &[
                "/bin/sh".to_string(),
                "-c".into(),
                "#(nop) ".into(),
                r#"CMD ["/bin/bash"]"#.into()
            ][..]
        )
    );
    assert!(
        centos
            .config
            .as_ref()
            .and_then(|c| c.labels.as_ref())
            .is_some_and(|l| l
                .get("org.label-schema.name")
                .is_some_and(|v| v == "CentOS Base Image"))
    );
    let reg = cfg("library/registry", "2");
    let c = reg.config.as_ref().expect("config");
    assert!(
        c.volumes
            .as_ref()
            .is_some_and(|v| v.contains_key("/var/lib/registry"))
    );
    assert_eq!(reg.rootfs.diff_ids.len(), 5);
}

#[test]
fn httpd_serves_it_works() {
    let hub = Hub::new();
    let m = hub.manifest("library/httpd", "2.4").expect("manifest");
    let man: Manifest = serde_json::from_slice(&m.bytes).expect("manifest");
    let mut found = None;
    for l in &man.layers {
        let gz = read_all(hub.blob("library/httpd", &l.digest).expect("layer"));
        let mut a = tar::Archive::new(GzDecoder::new(&gz[..]));
        for e in a.entries().expect("tar") {
            let mut e = e.expect("entry");
            if &*e.path_bytes() == b"usr/local/apache2/htdocs/index.html" {
                found = Some(String::from_utf8(read_all(&mut e)).expect("utf8"));
            }
        }
    }
    assert_eq!(
        found.as_deref(),
        Some("<html><body><h1>It works!</h1></body></html>\n")
    );
}

#[test]
fn search_finds_apache_like_the_hub() {
    let hub = Hub::new();
    let r = hub.search("apache", 25);
    assert!(r.len() <= 25);
    assert_eq!(r[0].name, "httpd");
    assert!(r[0].is_official);
    assert!(
        r.iter()
            .any(|x| x.name == "eboraas/apache" && x.is_automated)
    );
    let h = hub.search("HTTPD", 5);
    assert_eq!(h.len(), 5);
    assert!(h.iter().any(|x| x.name == "centos/httpd-24-centos7"));
    assert!(hub.search("no-such-thing-anywhere", 25).is_empty());
}

#[test]
fn official_tags_are_signed_and_community_ones_are_not() {
    let hub = Hub::new();
    let t = hub
        .trusted_target("library/alpine", "latest")
        .expect("signed");
    assert_eq!(
        t.digest,
        hub.manifest("library/alpine", "3.15").expect("m").digest
    );
    let mut forged = t.clone();
    forged.digest = crate::engine::digest::Digest::of(b"evil");
    assert!(matches!(
        trust::verify(&forged),
        Err(TrustError::BadSignature { .. })
    ));
    let err = hub
        .trusted_target("bitnami/apache", "latest")
        .expect_err("unsigned");
    assert_eq!(
        err.to_string(),
        "remote trust data does not exist for docker.io/bitnami/apache: notary.docker.io does not have trust data for docker.io/bitnami/apache"
    );
    assert!(matches!(
        hub.trusted_target("library/alpine", "nosuchtag"),
        Err(TrustError::NoTag { .. })
    ));
}

#[test]
fn big_image_streams_and_verifies() {
    let hub = Hub::new().with_big_image("test/big", "latest", 3 * 1024 * 1024 + 17);
    assert_eq!(hub.tags("test/big").expect("tags"), vec!["latest"]);
    let m = hub.manifest("test/big", "latest").expect("manifest");
    let man: Manifest = serde_json::from_slice(&m.bytes).expect("manifest");
    let layer = &man.layers[0];
    let mut r = crate::engine::digest::HashingReader::new(
        hub.blob("test/big", &layer.digest).expect("blob"),
    );
    std::io::copy(&mut r, &mut std::io::sink()).expect("stream");
    assert_eq!(r.len(), layer.size);
    assert_eq!(r.finish().0, layer.digest);
    let cfg: ImageConfig = serde_json::from_slice(&read_all(
        hub.blob("test/big", &man.config.digest).expect("config"),
    ))
    .expect("config json");
    let tar = GzDecoder::new(hub.blob("test/big", &layer.digest).expect("blob"));
    let mut hr = crate::engine::digest::HashingReader::new(tar);
    std::io::copy(&mut hr, &mut std::io::sink()).expect("tar");
    assert_eq!(hr.finish().0, cfg.rootfs.diff_ids[0]);
}

#[test]
fn catalog_is_big_enough_and_consistent() {
    assert!(catalog::REPOS.len() >= 22, "{} repos", catalog::REPOS.len());
    let tags: usize = catalog::REPOS.iter().map(|r| r.tags.len()).sum();
    assert!(tags >= 45);
    for r in catalog::REPOS {
        for (t, k) in r.tags {
            assert!(catalog::image_index(k).is_some(), "{}:{t} → {k}", r.name);
        }
    }
    let keys: BTreeSet<_> = catalog::IMAGES.iter().map(|i| i.key).collect();
    assert_eq!(keys.len(), catalog::IMAGES.len(), "image keys unique");
}

#[test]
fn every_repository_is_searchable() {
    for r in catalog::REPOS {
        let short = r.name.strip_prefix("library/").unwrap_or(r.name);
        assert!(
            search::INDEX.iter().any(|e| e.0 == short),
            "{short} missing from the search index"
        );
    }
}

#[test]
fn synthesising_the_whole_hub_is_fast() {
    let hub = Hub::new();
    let start = std::time::Instant::now();
    let mut bytes = 0usize;
    for repo in catalog::REPOS {
        for img in hub.repo_images(repo.name).expect("images") {
            bytes += img.layers.iter().map(|l| l.blob.bytes.len()).sum::<usize>();
        }
    }
    let took = start.elapsed();
    // Generous for unoptimised test builds; a release build takes a fraction of this.
    assert!(took.as_secs() < 10, "{took:?}");
    assert!(bytes < 8 * 1024 * 1024, "{bytes} bytes of layers");
}
