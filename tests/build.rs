//! `docker build` end to end: contexts under the test home's `/root`, the real container init
//! for `RUN` (the shell and applets inside a copy of the image's filesystem), and the output,
//! cache, layers, history and errors of Docker 20.10's classic builder.

use std::fs;
use std::io::Read;

use drydock::testing::TestContext;

/// A context directory `/root/<dir>` with the given files.
fn ctx(t: &TestContext, dir: &str, files: &[(&str, &str)]) {
    let root = t.home.path().join("root").join(dir);
    fs::create_dir_all(&root).unwrap();
    for (name, body) in files {
        let p = root.join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, body).unwrap();
    }
}

fn ok(t: &TestContext, line: &str) -> String {
    let (out, err, code) = t.docker(line);
    assert_eq!(code, 0, "docker {line}\nstdout: {out}\nstderr: {err}");
    out
}

/// Replaces the random container IDs and the image IDs (which depend on the clock) with
/// placeholders, so transcripts are stable.
fn redact(s: &str) -> String {
    let re = regex::Regex::new(r"\b[0-9a-f]{12}\b").unwrap();
    let s = re.replace_all(s, "[ID]");
    let re = regex::Regex::new(r"sha256:[0-9a-f]{64}").unwrap();
    re.replace_all(&s, "sha256:[DIGEST]")
        .replace('\x1b', "<ESC>")
        .replace('\r', "<CR>")
}

const APP: &str = "FROM busybox
LABEL maintainer=\"me@example.com\"
ENV A=1 B=\"x y\"
RUN echo hello && echo to-stderr >&2 && echo data > /made.txt && rm /bin/true
COPY app.sh /usr/local/bin/
WORKDIR /work
EXPOSE 80
CMD [\"app.sh\"]
";

#[test]
fn a_first_build_and_its_cached_rebuild_read_as_dockers() {
    let t = TestContext::new().with_real_init();
    ok(&t, "pull -q busybox");
    ctx(&t, "app", &[("Dockerfile", APP), ("app.sh", "echo hi\n")]);
    let (out, err, code) = t.docker("build -t myapp /root/app");
    assert_eq!((err.as_str(), code), ("", 0));
    insta::assert_snapshot!(redact(&out), @r#"
    Sending build context to Docker daemon  3.072kB<CR><CR>
    Step 1/8 : FROM busybox
     ---> [ID]
    Step 2/8 : LABEL maintainer="me@example.com"
     ---> Running in [ID]
    Removing intermediate container [ID]
     ---> [ID]
    Step 3/8 : ENV A=1 B="x y"
     ---> Running in [ID]
    Removing intermediate container [ID]
     ---> [ID]
    Step 4/8 : RUN echo hello && echo to-stderr >&2 && echo data > /made.txt && rm /bin/true
     ---> Running in [ID]
    hello
    <ESC>[91mto-stderr
    <ESC>[0mRemoving intermediate container [ID]
     ---> [ID]
    Step 5/8 : COPY app.sh /usr/local/bin/
     ---> [ID]
    Step 6/8 : WORKDIR /work
     ---> Running in [ID]
    Removing intermediate container [ID]
     ---> [ID]
    Step 7/8 : EXPOSE 80
     ---> Running in [ID]
    Removing intermediate container [ID]
     ---> [ID]
    Step 8/8 : CMD ["app.sh"]
     ---> Running in [ID]
    Removing intermediate container [ID]
     ---> [ID]
    Successfully built [ID]
    Successfully tagged myapp:latest
    "#);
    assert!(out.contains("daemon  3.072kB\r\r\n"), "{out:?}");
    assert!(out.contains("\x1b[91mto-stderr\n\x1b[0m"), "{out:?}");
    let id = ok(&t, "images -q myapp");
    // Rebuilding the same Dockerfile is all cache hits and gives the same image.
    let again = ok(&t, "build -t myapp /root/app");
    assert_eq!(again.matches(" ---> Using cache\n").count(), 7, "{again}");
    assert!(!again.contains("Running in"), "{again}");
    assert_eq!(ok(&t, "images -q myapp"), id);
    // The image runs: RUN's file is there, the deleted one is gone, WORKDIR and ENV apply.
    assert_eq!(ok(&t, "run --rm myapp cat /made.txt"), "data\n");
    assert_eq!(ok(&t, "run --rm myapp pwd"), "/work\n");
    assert_eq!(ok(&t, "run --rm myapp sh -c 'echo $B'"), "x y\n");
    let (_, _, code) = t.docker("run --rm myapp ls /bin/true");
    assert_ne!(code, 0);
    // No intermediate container is left.
    assert_eq!(ok(&t, "ps -aq"), "");
    // Intermediate images are hidden, shown by -a, and history has a row for each step.
    assert_eq!(ok(&t, "images -q").lines().count(), 2);
    assert_eq!(ok(&t, "images -aq").lines().count(), 8);
    let history = ok(
        &t,
        "history --no-trunc --format '{{.CreatedBy}}|{{.Size}}' myapp",
    );
    let rows: Vec<&str> = history.lines().collect();
    assert_eq!(rows[0], r#"/bin/sh -c #(nop)  CMD ["app.sh"]|0B"#);
    assert_eq!(rows[1], "/bin/sh -c #(nop)  EXPOSE 80|0B");
    assert_eq!(rows[2], "/bin/sh -c #(nop) WORKDIR /work|0B");
    assert!(
        rows[3].starts_with("/bin/sh -c #(nop) COPY file:")
            && rows[3].ends_with(" in /usr/local/bin/ |8B"),
        "{}",
        rows[3]
    );
    assert!(rows[4].starts_with("/bin/sh -c echo hello && echo to-stderr"));
    assert_eq!(rows[5], "/bin/sh -c #(nop)  ENV A=1 B=x y|0B");
    assert_eq!(
        rows[6],
        "/bin/sh -c #(nop)  LABEL maintainer=me@example.com|0B"
    );
    // Local parents show real IDs down to the base, then <missing>.
    let ids = ok(&t, "history -q myapp");
    assert_eq!(
        ids.lines().filter(|l| *l == "<missing>").count(),
        1,
        "{ids}"
    );
    // The image's config: Config.Image is the parent, ContainerConfig the step's.
    let cc = ok(
        &t,
        "image inspect -f '{{json .ContainerConfig.Cmd}} {{json .Config.Cmd}} {{json .Config.ExposedPorts}} {{.Config.WorkingDir}}' myapp",
    );
    assert_eq!(
        cc,
        "[\"/bin/sh\",\"-c\",\"#(nop) \",\"CMD [\\\"app.sh\\\"]\"] [\"app.sh\"] {\"80/tcp\":{}} /work\n"
    );
    // Removing the image removes its intermediate parents (not the base).
    // (7 images, then the chain IDs of the RUN, COPY and WORKDIR layers.)
    let out = ok(&t, "rmi myapp");
    assert_eq!(out.matches("Deleted: sha256:").count(), 10, "{out}");
    assert_eq!(ok(&t, "images -aq").lines().count(), 1);
}

#[test]
fn cache_misses_after_each_kind_of_change() {
    let t = TestContext::new().with_real_init();
    ok(&t, "pull -q busybox");
    let df = "FROM busybox\nENV A=1\nCOPY f.txt /f.txt\nRUN echo ran\nCMD [\"sh\"]\n";
    ctx(&t, "c", &[("Dockerfile", df), ("f.txt", "one\n")]);
    ok(&t, "build -t c /root/c");
    let hits = |out: &str| out.matches("Using cache").count();
    // A changed source file: ENV still hits, COPY and everything after miss.
    ctx(&t, "c", &[("f.txt", "two\n")]);
    let out = ok(&t, "build -t c /root/c");
    assert_eq!(hits(&out), 1, "{out}");
    assert!(
        out.contains("Step 4/5 : RUN echo ran\n ---> Running in"),
        "{out}"
    );
    // Unchanged again: all hits. Only mtime changes: still hits (content hash).
    ctx(&t, "c", &[("f.txt", "two\n")]);
    assert_eq!(hits(&ok(&t, "build -t c /root/c")), 4);
    // A changed instruction misses from there on.
    ctx(
        &t,
        "c",
        &[("Dockerfile", &df.replace("ENV A=1", "ENV A=2"))],
    );
    assert_eq!(hits(&ok(&t, "build -t c /root/c")), 0);
    // --no-cache never looks.
    assert_eq!(hits(&ok(&t, "build --no-cache -t c /root/c")), 0);
    // A build arg a RUN uses misses at the RUN, not at the ARG.
    let df2 = "FROM busybox\nARG V=1\nRUN echo $V\n";
    ctx(&t, "a", &[("Dockerfile", df2)]);
    ok(&t, "build /root/a");
    let out = ok(&t, "build --build-arg V=2 /root/a");
    assert_eq!(hits(&out), 1, "{out}");
    assert!(out.contains("\n2\n"), "{out}");
}

#[test]
fn run_layers_hold_added_files_and_whiteouts() {
    let t = TestContext::new().with_real_init();
    ok(&t, "pull -q busybox");
    ctx(
        &t,
        "l",
        &[(
            "Dockerfile",
            "FROM busybox\nRUN echo x > /added && rm /bin/true\n",
        )],
    );
    ok(&t, "build -t l /root/l");
    let tar_path = t.home.path().join("root/l.tar");
    let out = ok(&t, "save -o /root/l.tar l");
    assert_eq!(out, "");
    // The top layer of the save archive is the RUN's.
    let mut archive = tar::Archive::new(fs::File::open(&tar_path).unwrap());
    let mut manifest = String::new();
    let mut layers: std::collections::HashMap<String, Vec<String>> = Default::default();
    for e in archive.entries().unwrap() {
        let mut e = e.unwrap();
        let path = e.path().unwrap().to_string_lossy().into_owned();
        if path == "manifest.json" {
            e.read_to_string(&mut manifest).unwrap();
        } else if path.ends_with("layer.tar") {
            let mut inner = tar::Archive::new(e);
            let names = inner
                .entries()
                .unwrap()
                .map(|x| x.unwrap().path().unwrap().to_string_lossy().into_owned())
                .collect();
            layers.insert(path, names);
        }
    }
    let m: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let top = m[0]["Layers"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .as_str()
        .unwrap();
    let names = &layers[top];
    assert!(names.iter().any(|n| n == "added"), "{names:?}");
    assert!(names.iter().any(|n| n == "bin/.wh.true"), "{names:?}");
}

#[test]
fn a_failing_run_keeps_its_container_and_exits_with_its_code() {
    let t = TestContext::new().with_real_init();
    ok(&t, "pull -q busybox");
    ctx(
        &t,
        "f",
        &[("Dockerfile", "FROM busybox\nENV X=1\nRUN exit 13\n")],
    );
    let (out, err, code) = t.docker("build -t f /root/f");
    assert_eq!(code, 13);
    assert_eq!(
        err,
        "The command '/bin/sh -c exit 13' returned a non-zero code: 13\n"
    );
    assert!(
        out.contains("Step 3/3 : RUN exit 13\n ---> Running in "),
        "{out}"
    );
    // No `Removing intermediate container` for the failed step, nothing tagged.
    assert_eq!(
        out.matches("Removing intermediate container").count(),
        1,
        "{out}"
    );
    assert!(!out.contains("Successfully"));
    assert_eq!(ok(&t, "images -q f"), "");
    // The step's container is left Exited (13), its command as the builder ran it.
    assert_eq!(
        ok(&t, "ps -a --format '{{.Command}}'"),
        "\"/bin/sh -c 'exit 13'\"\n"
    );
    assert!(ok(&t, "ps -a --format '{{.Status}}'").starts_with("Exited (13)"));
    // --force-rm removes it even on failure.
    let (_, _, code) = t.docker("build --force-rm /root/f");
    assert_eq!(code, 13);
    assert_eq!(ok(&t, "ps -aq").lines().count(), 1);
}

#[test]
fn bad_inputs_fail_with_dockers_words() {
    let t = TestContext::new().with_real_init();
    ok(&t, "pull -q busybox");
    let cases: &[(&str, &str, &str, i32)] = &[
        (
            "FROM busybox\nCOPY nope.txt /\n",
            "",
            "COPY failed: file not found in build context or excluded by .dockerignore: stat nope.txt: file does not exist\n",
            1,
        ),
        (
            "FROM busybox\nFOO bar\n",
            "",
            "Error response from daemon: dockerfile parse error line 2: unknown instruction: FOO\n",
            1,
        ),
        (
            "RUN x\n",
            "",
            "Error response from daemon: no build stage in current context\n",
            1,
        ),
        (
            "# nothing\n",
            "",
            "Error response from daemon: failed to parse Dockerfile: file with no instructions\n",
            1,
        ),
        (
            "",
            "",
            "Error response from daemon: the Dockerfile (Dockerfile) cannot be empty\n",
            1,
        ),
        (
            "FROM nosuchimage\n",
            "",
            "pull access denied for nosuchimage, repository does not exist or may require 'docker login': denied: requested access to the resource is denied\n",
            1,
        ),
        (
            "FROM busybox\nRUN --mount=type=cache,target=/x true\n",
            "",
            "the --mount option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled\n",
            1,
        ),
        (
            "FROM busybox\nADD https://example.com/x.tgz /\n",
            "",
            "ADD failed: Get \"https://example.com/x.tgz\": dial tcp: lookup example.com: no such host\n",
            1,
        ),
    ];
    for (i, (df, _, want_err, want_code)) in cases.iter().enumerate() {
        let dir = format!("bad{i}");
        ctx(&t, &dir, &[("Dockerfile", df)]);
        let (out, err, code) = t.docker(&format!("build /root/{dir}"));
        assert_eq!(
            (err.as_str(), code),
            (*want_err, *want_code),
            "case {i}: {df}\n{out}"
        );
    }
    let (_, err, code) = t.docker("build /root/nothere");
    assert_eq!(
        (err.as_str(), code),
        (
            "unable to prepare context: path \"/root/nothere\" not found\n",
            1
        )
    );
    ctx(&t, "nodf", &[("x", "")]);
    let (_, err, code) = t.docker("build /root/nodf");
    assert_eq!(
        (err.as_str(), code),
        (
            "unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat /root/nodf/Dockerfile: no such file or directory\n",
            1
        )
    );
    let (_, err, code) = t.docker("build -t Foo /root/nodf");
    assert_eq!(
        (err.as_str(), code),
        (
            "invalid argument \"Foo\" for \"-t, --tag\" flag: invalid reference format: repository name must be lowercase\nSee 'docker build --help'.\n",
            125
        )
    );
    let (_, err, code) = t.docker("build --squash /root/nodf");
    assert_eq!(
        (err.as_str(), code),
        (
            "\"--squash\" is only supported on a Docker daemon with experimental features enabled\n",
            1
        )
    );
    // The context stays inside the home: `..` above `/` is `/`.
    let (_, err, _) = t.docker("build /../../..");
    assert!(
        err.contains("lstat /Dockerfile: no such file or directory"),
        "{err}"
    );
}

#[test]
fn dockerignore_quiet_build_args_labels_and_targets() {
    let t = TestContext::new().with_real_init();
    ok(&t, "pull -q busybox");
    ctx(
        &t,
        "d",
        &[
            (
                "Dockerfile",
                "FROM busybox AS base\nARG USED\nRUN echo used=$USED\nFROM base AS final\nCOPY . /ctx/\nRUN ls -a /ctx\n",
            ),
            (".dockerignore", "*.md\n!KEEP.md\nsecret\n"),
            ("a.md", "x"),
            ("KEEP.md", "x"),
            ("secret/key", "x"),
            ("src/main.rs", "x"),
        ],
    );
    let out = ok(
        &t,
        "build --build-arg USED=yes --build-arg unused=1 --label b=2 --label a=1 -t d:1 -t d:1 -t d2 /root/d",
    );
    assert!(out.contains("used=yes\n"), "{out}");
    // .dockerignore: excluded files are not in the context, the exception is.
    assert!(
        out.contains(".\n..\n.dockerignore\nDockerfile\nKEEP.md\nsrc\n"),
        "{out}"
    );
    assert!(out.contains("Step 7/8 : LABEL a=1\n"), "{out}");
    assert!(out.contains("Step 8/8 : LABEL b=2\n"), "{out}");
    assert!(
        out.contains(
            "[Warning] One or more build-args [unused] were not consumed\nSuccessfully built "
        ),
        "{out}"
    );
    assert!(
        out.ends_with("Successfully tagged d:1\nSuccessfully tagged d2:latest\n"),
        "{out}"
    );
    assert_eq!(
        ok(&t, "image inspect -f '{{json .Config.Labels}}' d2"),
        "{\"a\":\"1\",\"b\":\"2\"}\n"
    );
    // -q prints only the ID; --target stops at a stage.
    let (out, err, code) = t.docker("build -q --target base /root/d");
    assert_eq!((err.as_str(), code), ("", 0));
    assert!(out.starts_with("sha256:") && out.len() == 72, "{out}");
    let (_, err, code) = t.docker("build --target nope /root/d");
    assert_eq!(
        (err.as_str(), code),
        (
            "Error response from daemon: failed to reach build target nope in Dockerfile\n",
            1
        )
    );
}

#[test]
fn dockerfile_on_stdin_and_f_outside_the_context() {
    let t = TestContext::new().with_real_init();
    ok(&t, "pull -q busybox");
    let (out, err, code) = t.docker_with_input("build -t s -", "FROM busybox\nCMD [\"true\"]\n");
    assert_eq!((err.as_str(), code), ("", 0), "{out}");
    assert!(out.starts_with(
        "Sending build context to Docker daemon  2.048kB\r\r\nStep 1/2 : FROM busybox\n"
    ));
    ctx(
        &t,
        "o",
        &[
            ("ctx/f.txt", "f"),
            ("Dockerfile.dev", "FROM busybox\nCOPY f.txt /\n"),
        ],
    );
    let out = ok(&t, "build -f /root/o/Dockerfile.dev /root/o/ctx");
    assert!(out.contains("Successfully built"), "{out}");
}

#[test]
fn squash_needs_an_experimental_daemon_and_merges_the_new_layers() {
    let t = TestContext::new().with_real_init();
    ok(&t, "pull -q busybox");
    ctx(
        &t,
        "sq",
        &[
            (
                "Dockerfile",
                "FROM busybox\nRUN echo a > /a\nCOPY f /f\nRUN rm /a\n",
            ),
            ("f", "f"),
        ],
    );
    fs::create_dir_all(t.home.path().join("etc/docker")).unwrap();
    fs::write(
        t.home.path().join("etc/docker/daemon.json"),
        "{\"experimental\": true}",
    )
    .unwrap();
    // The daemon reads daemon.json when it starts: a fresh engine on the same home.
    let engine = drydock::engine::Engine::open_with(
        t.home.path(),
        std::sync::Arc::new(drydock::engine::hub::Hub::new()),
        drydock::engine::clock::Clock::starting_at(drydock::testing::TEST_CLOCK.parse().unwrap()),
        drydock::engine::clock::Rng::seeded(2),
    )
    .unwrap();
    let mut settings = engine.runtime_settings().clone();
    settings.init = drydock::engine::runtime::InitMode::Drydock;
    let mut engine = engine;
    engine.set_runtime_settings(settings);
    let t2 = TestContext {
        home: tempfile::tempdir().unwrap(),
        engine,
    };
    let _ = &t2.home;
    let run = |line: &str| {
        let args = drydock::testing::split(line);
        let mut out = Vec::new();
        let mut err = Vec::new();
        let env = |_: &str| None;
        let paths = drydock::shell::fs::ConfinedPaths {
            root: drydock::shell::fs::Root::new(t.home.path().to_path_buf()),
            cwd: "/root".into(),
        };
        let mut input: &[u8] = b"";
        let mut io = drydock::cli::Io {
            stdin: &mut input,
            stdout: &mut out,
            stderr: &mut err,
            stdin_tty: false,
            stdout_tty: false,
            env: &env,
            paths: &paths,
        };
        let code = drydock::cli::docker(&t2.engine, &args, &mut io);
        (
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
            code,
        )
    };
    let (out, err, code) = run("build --squash -t sq /root/sq");
    assert_eq!((err.as_str(), code), ("", 0), "{out}");
    let (layers, _, _) = run("image inspect -f '{{len .RootFS.Layers}}' sq");
    // busybox's one layer + one merged layer.
    assert_eq!(layers, "2\n");
    let (hist, _, _) = run("history --format '{{.CreatedBy}}|{{.Comment}}' sq");
    let first = hist.lines().next().unwrap();
    assert!(first.starts_with("|merge sha256:"), "{hist}");
    let (ids, _, _) = run("history -q sq");
    assert!(ids.lines().skip(1).all(|l| l == "<missing>"), "{ids}");
    let (ls, _, _) = run("run --rm sq ls /a /f");
    assert!(!ls.contains("/a\n") && ls.contains("/f"), "{ls}");
}

#[test]
fn add_extracts_gzip_bzip2_and_xz_archives_and_copies_other_files() {
    // Docker's ADD extracts a local file that opens as a tar once decompressed (gzip, bzip2,
    // xz); anything else, a compressed file that is not a tar included, is copied as it is.
    let t = TestContext::new();
    ok(&t, "pull -q busybox");
    let tar_with = |name: &str, body: &[u8]| {
        let mut b = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
        h.set_size(body.len() as u64);
        h.set_mode(0o644);
        b.append_data(&mut h, name, body).unwrap();
        b.into_inner().unwrap()
    };
    let gz = |bytes: &[u8]| {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    };
    let bz = |bytes: &[u8]| {
        use std::io::Write;
        let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    };
    let xz = |bytes: &[u8]| {
        use std::io::Write;
        let mut w =
            lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::with_preset(1)).unwrap();
        w.write_all(bytes).unwrap();
        w.finish().unwrap()
    };
    ctx(
        &t,
        "add",
        &[(
            "Dockerfile",
            "FROM busybox\nADD a.tar.gz b.tar.bz2 c.tar.xz /x/\nADD notatar.xz /y/\n",
        )],
    );
    let dir = t.home.path().join("root/add");
    fs::write(dir.join("a.tar.gz"), gz(&tar_with("from-gz", b"g"))).unwrap();
    fs::write(dir.join("b.tar.bz2"), bz(&tar_with("from-bz2", b"b"))).unwrap();
    fs::write(dir.join("c.tar.xz"), xz(&tar_with("from-xz", b"x"))).unwrap();
    fs::write(dir.join("notatar.xz"), xz(b"just text")).unwrap();
    ok(&t, "build -q -t added /root/add");
    ok(&t, "create --name cx added");
    ok(&t, "export -o /root/added.tar cx");
    let bytes = fs::read(t.home.path().join("root/added.tar")).unwrap();
    let mut names: Vec<String> = tar::Archive::new(&bytes[..])
        .entries()
        .unwrap()
        .map(|e| e.unwrap().path().unwrap().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("x/") || n.starts_with("y/"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "x/",
            "x/from-bz2",
            "x/from-gz",
            "x/from-xz",
            "y/",
            "y/notatar.xz"
        ]
    );
}

#[test]
fn empty_cmd_and_entrypoint_are_as_dockers() {
    // Recorded from Docker 20.10.24's classic builder: a bare CMD is the shell alone, `CMD []`
    // an empty list, and an empty ENTRYPOINT (bare or `[]`) none at all, which also drops a Cmd
    // inherited from the base image unless this stage set one.
    let t = TestContext::new();
    ok(&t, "pull -q busybox");
    let cases = [
        ("CMD", r#"["/bin/sh","-c"] null"#, r#"CMD ["/bin/sh" "-c"]"#),
        ("CMD []", "[] null", "CMD []"),
        ("ENTRYPOINT", "null null", "ENTRYPOINT []"),
        ("ENTRYPOINT []", "null null", "ENTRYPOINT []"),
        (
            "CMD [\"a\"]\nENTRYPOINT []",
            r#"["a"] null"#,
            "ENTRYPOINT []",
        ),
        (
            "ENTRYPOINT []\nCMD [\"b\"]",
            r#"["b"] null"#,
            r#"CMD ["b"]"#,
        ),
    ];
    for (i, (lines, config, history)) in cases.iter().enumerate() {
        let dir = format!("e{i}");
        ctx(
            &t,
            &dir,
            &[("Dockerfile", &format!("FROM busybox\n{lines}\n"))],
        );
        ok(&t, &format!("build -q -t e:{i} /root/{dir}"));
        let got = ok(
            &t,
            &format!(
                "inspect --format '{{{{json .Config.Cmd}}}} {{{{json .Config.Entrypoint}}}}' e:{i}"
            ),
        );
        assert_eq!(got.trim(), *config, "{lines}");
        let top = ok(
            &t,
            &format!("history --no-trunc --format '{{{{.CreatedBy}}}}' e:{i}"),
        );
        assert_eq!(
            top.lines().next().unwrap(),
            format!("/bin/sh -c #(nop)  {history}"),
            "{lines}"
        );
    }
}

/// `USER` makes later `RUN`s run as that user, as the classic builder's intermediate containers
/// do: `id`, `HOME` from passwd, files it makes are its own, a directory `COPY --chown` made is
/// the chown user's (moby's `MkdirAllAndChownNew`) so it may write there, and a root-owned
/// directory refuses it. A user the image does not have fails the `RUN` with
/// dockerd's words, bare, exit 1, and leaves the intermediate container (Docker 20.10.24).
#[test]
fn user_runs_later_steps_as_that_user() {
    let t = TestContext::new().with_real_init();
    ok(&t, "pull -q busybox");
    ctx(
        &t,
        "u",
        &[
            (
                "Dockerfile",
                "FROM busybox
RUN mkdir /app && echo root > /app/x
COPY --chown=nobody:nogroup f /data/f
USER nobody
RUN id && echo HOME=$HOME && echo mine > /data/g && ls -ln /data | cut -d\" \" -f3,4,9
RUN touch /app/y
",
            ),
            ("f", "f\n"),
        ],
    );
    let (out, err, code) = t.docker("build -t u /root/u");
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains(
            "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\nHOME=/home\n\n65534 65534 f\n65534 65534 g\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("\x1b[91mtouch: cannot touch '/app/y': Permission denied\n"),
        "{out}"
    );
    assert_eq!(
        err,
        "The command '/bin/sh -c touch /app/y' returned a non-zero code: 1\n"
    );

    ctx(
        &t,
        "bogus",
        &[("Dockerfile", "FROM busybox\nUSER bogus\nRUN id\n")],
    );
    let (out, err, code) = t.docker("build -t b /root/bogus");
    assert_eq!(
        (err.as_str(), code),
        (
            "unable to find user bogus: no matching entries in passwd file\n",
            1
        ),
        "{out}"
    );
    let left = ok(&t, "ps -a --filter status=created --format '{{.Command}}'");
    assert_eq!(left, "\"/bin/sh -c id\"\n");
}

/// `COPY` below a directory the image has keeps that directory as it is (`/tmp` stays
/// `drwxrwxrwt` root's), and makes missing ones 0755 for the `--chown` user (root without
/// one), as Docker 20.10.24 did for the same Dockerfile.
#[test]
fn copy_keeps_existing_parents_and_chowns_new_ones() {
    let t = TestContext::new().with_real_init();
    ok(&t, "pull -q busybox");
    ctx(
        &t,
        "p",
        &[
            (
                "Dockerfile",
                "FROM busybox
COPY --chown=nobody:nogroup f /data2/sub/f
COPY --chown=1000:1000 f /tmp/x/f
COPY f /data3/f
RUN ls -lnd /data2 | cut -d\" \" -f1,3,4; ls -lnd /data2/sub | cut -d\" \" -f1,3,4; ls -lnd /data2/sub/f | cut -d\" \" -f1,3,4; ls -lnd /tmp | cut -d\" \" -f1,3,4; ls -lnd /tmp/x | cut -d\" \" -f1,3,4; ls -lnd /data3 | cut -d\" \" -f1,3,4
",
            ),
            ("f", "f\n"),
        ],
    );
    let out = ok(&t, "build /root/p");
    assert!(
        out.contains(
            "drwxr-xr-x 65534 65534\ndrwxr-xr-x 65534 65534\n-rw-r--r-- 65534 65534\ndrwxrwxrwt 0 0\ndrwxr-xr-x 1000 1000\ndrwxr-xr-x 0 0\n"
        ),
        "{out}"
    );
}
