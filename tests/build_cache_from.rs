//! `docker build --cache-from` with the classic builder (moby `image/cache.ImageCache`): a
//! `docker load`ed image has no parent chain, so the local cache cannot reuse it, but given as
//! `--cache-from` its history serves as cache, step by step, down to the image itself.

use std::fs;

use drydock::testing::TestContext;

fn ok(t: &TestContext, line: &str) -> String {
    let (out, err, code) = t.docker(line);
    assert_eq!(code, 0, "docker {line}\nstdout: {out}\nstderr: {err}");
    out
}

const DF: &str = "FROM busybox
ENV A=1
RUN echo built > /b.txt
COPY app.sh /usr/local/bin/
ARG V=2
RUN echo $V > /v.txt
WORKDIR /work
CMD [\"app.sh\"]
";

#[test]
fn a_loaded_image_is_a_cache_source_only_with_cache_from() {
    let t = TestContext::new().with_real_init();
    ok(&t, "pull -q busybox");
    let root = t.home.path().join("root/app");
    fs::create_dir_all(&root).unwrap();
    fs::write(root.join("Dockerfile"), DF).unwrap();
    fs::write(root.join("app.sh"), "echo hi\n").unwrap();
    ok(&t, "build -q -t app:v1 /root/app");
    let id = ok(&t, "images -q --no-trunc app:v1");
    ok(&t, "save -o /root/app.tar app:v1");
    ok(&t, "rmi app:v1");
    assert_eq!(
        ok(&t, "images -aq").lines().count(),
        1,
        "only busybox is left"
    );
    ok(&t, "load -q -i /root/app.tar");
    assert_eq!(ok(&t, "images -q --no-trunc app:v1"), id);

    // A `--cache-from` the base alone: neither the base's history nor local children qualify.
    let out = ok(&t, "build --cache-from busybox -t other /root/app");
    assert_eq!(out.matches("Using cache").count(), 0, "{out}");

    // Without --cache-from the loaded image (no parent) is no cache (the build above made
    // local children of busybox, so remove them first).
    ok(&t, "rmi other");
    let out = ok(&t, "build -t again /root/app");
    assert_eq!(out.matches("Using cache").count(), 0, "{out}");
    ok(&t, "rmi again");

    // With it: every step is a hit, and the result is the loaded image itself.
    let out = ok(&t, "build --cache-from app:v1 -t app:v2 /root/app");
    assert_eq!(out.matches(" ---> Using cache\n").count(), 7, "{out}");
    assert!(!out.contains("Running in"), "{out}");
    assert_eq!(ok(&t, "images -q --no-trunc app:v2"), id);
    // The restored steps became local images: the loaded image now has a parent chain, and
    // its history shows IDs down to busybox.
    let ids = ok(&t, "history -q app:v2");
    assert_eq!(
        ids.lines().filter(|l| *l == "<missing>").count(),
        1,
        "{ids}"
    );
    // The restored images carry no ContainerConfig (moby's `restoreCachedImage`), which is
    // what the local cache compares: a plain rebuild still misses, as with Docker 20.10.
    let out = ok(&t, "build -t app:v3 /root/app");
    assert_eq!(out.matches(" ---> Using cache\n").count(), 0, "{out}");

    // A changed step misses from there on: the source's history stops matching.
    let changed = DF.replace("RUN echo $V", "RUN echo v=$V");
    fs::write(root.join("Dockerfile"), changed).unwrap();
    let out = ok(&t, "build --cache-from app:v1 -t app:v4 /root/app");
    assert_eq!(out.matches(" ---> Using cache\n").count(), 4, "{out}");
    assert_eq!(ok(&t, "run --rm app:v4 cat /v.txt /b.txt"), "v=2\nbuilt\n");
    // An unknown --cache-from image is skipped (dockerd only logs a warning).
    let out = ok(
        &t,
        "build --cache-from nope:1 --cache-from app:v4 -t app:v5 /root/app",
    );
    assert_eq!(out.matches(" ---> Using cache\n").count(), 7, "{out}");
}
