//! `docker build` output compared with Docker 20.10.24's own, recorded on this project's reference
//! daemon (`../shared/tools/real-docker`) with `DOCKER_BUILDKIT=0 docker build -t t1 .` on the
//! Dockerfile below `FROM lab/img` (an image from `../shared/tools/make-image`). drydock builds the
//! same steps `FROM busybox`; image and container IDs are random in both, so they are redacted.

use drydock::testing::TestContext;

const DOCKERFILE: &str = "FROM lab/img\nLABEL a=b\nRUN echo hi > /x && echo to-stderr >&2\nWORKDIR /app\nCOPY f.txt .\nENV K=v\nCMD [\"sh\"]\n";

fn redact(s: &str) -> String {
    let re = regex::Regex::new(r"\b[0-9a-f]{12}\b").expect("regex");
    re.replace_all(s, "[ID]").into_owned()
}

#[test]
fn classic_builder_output_matches_recorded_docker() {
    let recorded = include_str!("fixtures/real-docker-20.10.24-build.txt");
    let t = TestContext::new().with_real_init();
    assert_eq!(t.docker("pull -q busybox").2, 0);
    let ctx = t.home.path().join("root/b");
    std::fs::create_dir_all(&ctx).unwrap();
    std::fs::write(
        ctx.join("Dockerfile"),
        DOCKERFILE.replace("lab/img", "busybox"),
    )
    .unwrap();
    std::fs::write(ctx.join("f.txt"), "data\n").unwrap();
    let (out, err, code) = t.docker("build -t t1 b");
    assert_eq!(code, 0, "{err}");
    // Docker's client merges the build's streams into its stdout.
    let ours = redact(&format!("{out}{err}"));
    let theirs = redact(&recorded.replace("lab/img", "busybox"));
    assert_eq!(ours, theirs);
}
