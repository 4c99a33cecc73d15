//! `docker save`, `load` and `import` as transcripts and archive snapshots. The save layout was
//! compared byte for byte with Docker 20.10.24's own `docker save` of the same image (an archive
//! loaded here from real Docker saves back identical; `archive_interop.rs` checks it whenever a
//! real daemon is up); outputs and error texts were recorded from the same daemon.

mod support;

use std::io::Write;

use drydock::snapshot;
use drydock::testing::TestContext;
use support::archive::{bzip2, gzip, listing, member, xz};

fn read_root(t: &TestContext, name: &str) -> Vec<u8> {
    std::fs::read(t.home.path().join("root").join(name)).expect("archive written")
}

fn ok(t: &TestContext, line: &str) -> String {
    let (out, err, code) = t.docker(line);
    assert_eq!(code, 0, "docker {line}: {out}{err}");
    out
}

#[test]
fn save_layout_of_a_whole_repository() {
    let t = TestContext::new();
    ok(&t, "pull -q busybox");
    ok(&t, "tag busybox busybox:mine");
    ok(&t, "pull -q alpine:3.15");
    ok(&t, "save -o all.tar busybox alpine:3.15");
    let bytes = read_root(&t, "all.tar");
    let manifest = String::from_utf8(member(&bytes, "manifest.json").unwrap()).unwrap();
    let repos = String::from_utf8(member(&bytes, "repositories").unwrap()).unwrap();
    snapshot!(
        "save_layout_repository",
        format!("{}\n{manifest}\n{repos}", listing(&bytes))
    );
    // Deterministic: the same images give the same bytes.
    ok(&t, "save -o again.tar busybox alpine:3.15");
    assert_eq!(bytes, read_root(&t, "again.tar"));
}

#[test]
fn save_by_id_records_no_tags() {
    let t = TestContext::new();
    ok(&t, "pull -q hello-world");
    let id = ok(&t, "images -q hello-world");
    ok(&t, &format!("save -o id.tar {}", id.trim()));
    let bytes = read_root(&t, "id.tar");
    assert!(member(&bytes, "repositories").is_none());
    let manifest = String::from_utf8(member(&bytes, "manifest.json").unwrap()).unwrap();
    assert!(manifest.contains("\"RepoTags\":null"), "{manifest}");
    ok(&t, "rmi hello-world");
    snapshot!("load_untagged", t.transcript(&["load -i id.tar", "images"]));
}

#[test]
fn save_rmi_load_round_trip_keeps_ids_history_and_tags() {
    let t = TestContext::new();
    for i in ["httpd:2.4", "centos:7"] {
        ok(&t, &format!("pull -q {i}"));
    }
    let before_ids = ok(
        &t,
        "images --no-trunc --format '{{.Repository}}:{{.Tag}} {{.ID}}'",
    );
    let before_hist = ok(&t, "history --no-trunc httpd:2.4");
    let before_cfg = ok(
        &t,
        "image inspect --format '{{json .Config}} {{json .RootFS}}' httpd:2.4",
    );
    ok(&t, "save -o both.tar httpd:2.4 centos:7");
    ok(&t, "rmi httpd:2.4 centos:7");
    assert_eq!(ok(&t, "images -q"), "");
    let out = ok(&t, "load -i both.tar");
    assert_eq!(out, "Loaded image: httpd:2.4\nLoaded image: centos:7\n");
    assert_eq!(
        ok(
            &t,
            "images --no-trunc --format '{{.Repository}}:{{.Tag}} {{.ID}}'"
        ),
        before_ids
    );
    assert_eq!(ok(&t, "history --no-trunc httpd:2.4"), before_hist);
    assert_eq!(
        ok(
            &t,
            "image inspect --format '{{json .Config}} {{json .RootFS}}' httpd:2.4"
        ),
        before_cfg
    );
    // A save of the loaded images is the same archive again.
    ok(&t, "save -o both2.tar httpd:2.4 centos:7");
    assert_eq!(read_root(&t, "both.tar"), read_root(&t, "both2.tar"));
}

#[test]
fn load_moves_a_tag_and_says_so() {
    let t = TestContext::new();
    ok(&t, "pull -q alpine:3.14");
    ok(&t, "pull -q alpine:3.15");
    ok(&t, "save -o a14.tar alpine:3.14");
    ok(&t, "rmi alpine:3.14");
    ok(&t, "tag alpine:3.15 alpine:3.14");
    let (out, _, code) = t.docker("load -q -i a14.tar");
    assert_eq!(code, 0);
    assert!(
        out.starts_with(
            "The image alpine:3.14 already exists, renaming the old one with ID sha256:"
        ),
        "{out}"
    );
    assert!(
        out.ends_with(" to empty string\nLoaded image: alpine:3.14\n"),
        "{out}"
    );
}

#[test]
fn save_load_import_errors_as_docker_words_them() {
    let t = TestContext::new();
    ok(&t, "pull -q busybox");
    std::fs::create_dir_all(t.home.path().join("root/rootfs/bin")).unwrap();
    std::fs::write(t.home.path().join("root/rootfs/bin/sh"), b"x").unwrap();
    let rootfs = support::archive::tar_of(&[
        support::archive::E {
            name: b"bin/",
            kind: tar::EntryType::Directory,
            data: b"",
            link: None,
        },
        support::archive::file("bin/sh", b"#!drydock-applet sh\n"),
    ]);
    std::fs::write(t.home.path().join("root/rootfs.tar"), &rootfs).unwrap();
    std::fs::write(t.home.path().join("root/garbage"), vec![7u8; 3000]).unwrap();
    snapshot!(
        "archive_errors",
        t.transcript(&[
            "save nope",
            "save nope:1",
            "save busybox:nope",
            "save -o /nope/x.tar busybox",
            "save",
            "save -o /root busybox",
            "load x",
            "load -i nope.tar",
            "load -i rootfs.tar",
            "load -i garbage",
            "import",
            "import a b c",
            "import nope.tar",
            "import -c 'RUN x' rootfs.tar",
            "import rootfs.tar foo@sha256:0000000000000000000000000000000000000000000000000000000000000000",
            "import rootfs.tar Foo",
            "import http://example.com/x.tar",
            "save --help",
            "image load --help",
            "import --help",
        ])
    );
    // An empty stdin is an empty tar: dockerd's legacy loader then misses `repositories`.
    let (_, err, code) = t.docker_with_input("load", "");
    assert_eq!(code, 1);
    assert!(
        err.starts_with("open /var/lib/docker/tmp/docker-import-"),
        "{err}"
    );
    assert!(
        err.ends_with("/repositories: no such file or directory\n"),
        "{err}"
    );
}

#[test]
fn save_refuses_a_terminal_and_load_an_empty_terminal() {
    let t = TestContext::new();
    let run = |args: &[&str], stdin_tty: bool, stdout_tty: bool| {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let mut out = Vec::new();
        let mut err = Vec::new();
        let env = |_: &str| None;
        let mut io = drydock::cli::Io {
            stdin: &mut std::io::empty(),
            stdout: &mut out,
            stderr: &mut err,
            stdin_tty,
            stdout_tty,
            env: &env,
            paths: &drydock::cli::ProcessPaths,
        };
        let code = drydock::cli::docker(&t.engine, &args, &mut io);
        (String::from_utf8(err).unwrap(), code)
    };
    assert_eq!(
        run(&["save", "busybox"], false, true),
        (
            "cowardly refusing to save to a terminal. Use the -o flag or redirect\n".into(),
            1
        )
    );
    assert_eq!(
        run(&["load"], true, false),
        ("requested load from stdin, but stdin is empty\n".into(), 1)
    );
}

#[test]
fn import_makes_one_layer_with_the_changes() {
    let t = TestContext::new();
    let rootfs = support::archive::tar_of(&[
        support::archive::file("etc/os-release", b"ID=flat\n"),
        support::archive::file("bin/sh", b"#!drydock-applet sh\n"),
    ]);
    std::fs::write(t.home.path().join("root/fs.tar"), &rootfs).unwrap();
    let id = ok(
        &t,
        "import -c 'CMD [\"/bin/sh\"]' -c 'ENV A=1 B=2' -c 'EXPOSE 80' -c 'WORKDIR /app' -c 'USER nobody' -c 'LABEL a=b' -c 'VOLUME /data' -c 'ENTRYPOINT echo hi' -m 'my msg' fs.tar imp:2",
    );
    assert!(id.starts_with("sha256:") && id.len() == 72, "{id}");
    snapshot!(
        "import_with_changes",
        t.transcript(&[
            // The ID and times depend on the clock (created = now), so they stay out.
            "images --format '{{.Repository}}:{{.Tag}} {{.Size}}' imp",
            "history --format '{{.CreatedBy}}|{{.Size}}|{{.Comment}}' imp:2",
            "image inspect --format '{{json .Config}}|{{.Comment}}|{{.DockerVersion}}|{{.Architecture}}/{{.Os}}|{{json .RootFS}}' imp:2",
        ])
    );
    // From stdin, gzip-compressed: the same layer (the diff ID is of the uncompressed tar).
    let (out, err, code) = t.docker_with_input("import - plain", "");
    assert_eq!(code, 0, "{out}{err}");
    let mut input = Vec::new();
    input.write_all(&rootfs).unwrap();
    std::fs::write(
        t.home.path().join("root/fs.tar.gz"),
        support::archive::gzip(&rootfs),
    )
    .unwrap();
    ok(&t, "import fs.tar.gz gz:1");
    assert_eq!(
        ok(&t, "image inspect --format '{{json .RootFS}}' gz:1"),
        ok(&t, "image inspect --format '{{json .RootFS}}' imp:2")
    );
    assert_eq!(
        ok(&t, "history --format '{{.CreatedBy}}|{{.Comment}}' gz:1"),
        "|Imported from -\n"
    );
}

#[test]
fn importing_a_save_archive_flattens_it_into_its_files() {
    // What the notes warn about: `import` of a `save` archive "works" but the image's root holds
    // manifest.json and the layer tars; `load` is the command for those.
    let t = TestContext::new();
    ok(&t, "pull -q busybox");
    ok(&t, "save -o bb.tar busybox");
    ok(&t, "import bb.tar flat:1");
    let diff = ok(
        &t,
        "image inspect --format '{{index .RootFS.Layers 0}}' flat:1",
    );
    let bytes = read_root(&t, "bb.tar");
    assert_eq!(
        diff.trim(),
        drydock::engine::digest::Digest::of(&bytes).to_string()
    );
    assert_eq!(ok(&t, "history -q flat:1").lines().count(), 1);
}

#[test]
fn bzip2_and_xz_archives_load_and_import_zstd_does_not() {
    // Docker 20.10.24: `load -i x.tar.bz2` and `x.tar.xz` load; a zstd archive is not recognised
    // and fails as a tar; `import` of zstd or of random bytes says the same.
    let t = TestContext::new();
    ok(&t, "pull -q busybox");
    ok(&t, "save -o bb.tar busybox");
    let id = ok(&t, "images -q --no-trunc busybox");
    let plain = read_root(&t, "bb.tar");
    let root = t.home.path().join("root");
    std::fs::write(root.join("bb.tar.bz2"), bzip2(&plain)).unwrap();
    std::fs::write(root.join("bb.tar.xz"), xz(&plain)).unwrap();
    std::fs::write(root.join("bb.tar.gz"), gzip(&plain)).unwrap();
    // zstd's magic, then bytes that are no tar either way.
    let mut zst = vec![0x28, 0xb5, 0x2f, 0xfd];
    zst.extend_from_slice(&[0x55; 2000]);
    std::fs::write(root.join("bb.tar.zst"), zst).unwrap();
    for f in ["bb.tar.bz2", "bb.tar.xz", "bb.tar.gz"] {
        ok(&t, "rmi busybox");
        assert_eq!(
            ok(&t, &format!("load -i {f}")),
            "Loaded image: busybox:latest\n",
            "{f}"
        );
        assert_eq!(ok(&t, "images -q --no-trunc busybox"), id, "{f}");
    }
    let (out, err, code) = t.docker("load -i bb.tar.zst");
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        (
            "",
            "Error processing tar file(exit status 1): archive/tar: invalid tar header\n",
            1
        )
    );
    // import decompresses the same way: one layer with the same diff ID whatever the wrapping.
    let diff = |tag: &str| {
        ok(
            &t,
            &format!("image inspect --format '{{{{index .RootFS.Layers 0}}}}' {tag}"),
        )
    };
    ok(&t, "import bb.tar plain:1");
    ok(&t, "import bb.tar.xz xz:1");
    ok(&t, "import bb.tar.bz2 bz:1");
    assert_eq!(diff("xz:1"), diff("plain:1"));
    assert_eq!(diff("bz:1"), diff("plain:1"));
    let (_, err, code) = t.docker("import bb.tar.zst zst:1");
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "Error response from daemon: Error processing tar file(exit status 1): archive/tar: invalid tar header\n"
    );
}
