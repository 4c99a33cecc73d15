//! Transcripts of the image commands against the offline hub, compared with insta snapshots in
//! `snapshots/`. Expected texts were checked against Docker 20.10.24 (`../shared/tools/real-docker`)
//! where Docker can run the same command; hub digests are deterministic, so nothing is redacted.

mod support;

use drydock::snapshot;
use drydock::testing::TestContext;

#[test]
fn pull_then_pull_again() {
    let t = TestContext::new();
    snapshot!(
        "pull_then_pull_again",
        t.transcript(&[
            "pull centos:6",
            "pull centos:6",
            "pull -q alpine",
            "pull --quiet alpine:3.14"
        ])
    );
}

#[test]
fn pull_multi_layer_and_shared_layers() {
    let t = TestContext::new();
    snapshot!(
        "pull_shared_layers",
        t.transcript(&[
            "pull httpd:2.4",
            "pull httpd:latest",
            "pull debian:bullseye"
        ])
    );
}

#[test]
fn pull_errors() {
    let t = TestContext::new();
    snapshot!(
        "pull_errors",
        t.transcript(&[
            "pull Foo",
            "pull foo:Bad@x",
            "pull nosuchrepo",
            "pull ubuntu:nosuchtag",
            "pull -a busybox:1",
            "pull scratch",
            "pull myregistry.example.com:5000/app",
            "pull",
            "pull a b",
            "pull --nope x",
        ])
    );
}

#[test]
fn pull_by_digest_leaves_no_tag() {
    let t = TestContext::new();
    let (out, _, code) = t.docker("pull hello-world");
    assert_eq!(code, 0);
    let digest = out
        .lines()
        .find_map(|l| l.strip_prefix("Digest: "))
        .expect("digest line")
        .to_string();
    let (out, err, code) = t.docker(&format!("pull busybox@{digest}"));
    // hello-world's digest is not in busybox: the manifest is unknown there.
    assert_eq!(code, 1, "{out}{err}");
    let (out, err, code) = t.docker(&format!("pull hello-world@{digest}"));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!(
            "docker.io/library/hello-world@{digest}: Pulling from library/hello-world"
        )),
        "{out}"
    );
    assert!(
        out.ends_with(&format!("docker.io/library/hello-world@{digest}\n")),
        "{out}"
    );
    snapshot!("pull_by_digest_images", t.transcript(&["images --digests"]));
}

#[test]
fn pull_all_tags() {
    let t = TestContext::new();
    snapshot!(
        "pull_all_tags",
        t.transcript(&["pull -a alpine", "images alpine"])
    );
}

#[test]
fn images_table_formats_and_filters() {
    let t = TestContext::new();
    for img in [
        "centos:6",
        "centos:7",
        "ubuntu:20.04",
        "busybox",
        "httpd:2.4",
    ] {
        assert_eq!(t.docker(&format!("pull {img}")).2, 0);
    }
    snapshot!(
        "images_listing",
        t.transcript(&[
            "tag centos:6 mycentos:v1",
            "images",
            "image ls -q",
            "images --no-trunc centos",
            "images --digests busybox",
            "images 'cent*'",
            "images jav",
            "images --format '{{.Repository}}:{{.Tag}} {{.Size}}'",
            "images --format 'table {{.ID}}\\t{{.Repository}}'",
            "images --filter before=centos:7",
            "images --filter since=centos:6",
            "images -f reference=ubuntu -f reference='my*'",
            "images --filter dangling=false -q",
            "images --filter dangling=true",
            "images --filter label=org.label-schema.vendor=CentOS",
            "images --filter foo=bar",
            "images --filter dangling=yes",
            "images --filter before=nope",
            "images --filter x",
            "images 'ja['",
            "images a b",
        ])
    );
}

#[test]
fn tag_and_rmi_follow_the_notes() {
    let t = TestContext::new();
    assert_eq!(t.docker("pull centos:6").2, 0);
    snapshot!(
        "tag_and_rmi",
        t.transcript(&[
            "tag centos:6 mycentos:v1",
            "images",
            "rmi centos:6",
            "images",
            "rmi mycentos:v1",
            "images",
            "tag nope:1 x",
            "tag centos:6 Foo",
            "tag a",
            "rmi nope",
            "rmi -f nope",
        ])
    );
}

#[test]
fn rmi_by_id_needs_force_with_several_tags() {
    let t = TestContext::new();
    assert_eq!(t.docker("pull alpine:3.14").2, 0);
    let (id, _, _) = t.docker("images -q alpine:3.14");
    let id = id.trim().to_string();
    assert_eq!(t.docker("tag alpine:3.14 one:1").2, 0);
    assert_eq!(t.docker("tag alpine:3.14 two:2").2, 0);
    let (out, err, code) = t.docker(&format!("rmi {id}"));
    assert_eq!(code, 1);
    assert_eq!(out, "");
    assert_eq!(
        err,
        format!(
            "Error response from daemon: conflict: unable to delete {id} (must be forced) - image is referenced in multiple repositories\n"
        )
    );
    snapshot!(
        "rmi_by_id_forced",
        t.transcript(&[&format!("rmi -f {id}"), "images"])
    );
}

#[test]
fn prune_dangling_and_all() {
    let t = TestContext::new();
    for img in ["busybox", "alpine:3.14"] {
        assert_eq!(t.docker(&format!("pull {img}")).2, 0);
    }
    let (out, _, _) = t.docker("pull hello-world");
    let digest = out
        .lines()
        .find_map(|l| l.strip_prefix("Digest: "))
        .expect("digest")
        .to_string();
    assert_eq!(t.docker("rmi hello-world").2, 0);
    assert_eq!(t.docker(&format!("pull hello-world@{digest}")).2, 0);
    let (out, _, _) = t.docker_with_input("image prune", "n\n");
    assert_eq!(
        out,
        "WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] Total reclaimed space: 0B\n"
    );
    snapshot!(
        "prune",
        t.transcript(&[
            "images --filter dangling=true",
            "image prune -f",
            "image prune -f",
            "image prune -f --filter foo=1",
            "image prune -f --filter until=nonsense",
            "image prune -a -f --filter until=2000-01-01",
            "image prune -a -f",
            "images",
        ])
    );
}

#[test]
fn inspect_and_format() {
    let t = TestContext::new();
    assert_eq!(t.docker("pull httpd:2.4").2, 0);
    snapshot!(
        "inspect",
        t.transcript(&[
            "image inspect httpd:2.4",
            "inspect --format '{{.Id}} {{.Os}}/{{.Architecture}}' httpd:2.4",
            "image inspect nope",
            "inspect nope",
            "image inspect httpd:2.4 nope --format '{{.Id}}'",
        ])
    );
}

#[test]
fn history_views() {
    let t = TestContext::new();
    assert_eq!(t.docker("pull nginx").2, 0);
    snapshot!(
        "history",
        t.transcript(&[
            "history nginx",
            "image history -q nginx",
            "history --no-trunc -H=false nginx",
            "history nope"
        ])
    );
}

#[test]
fn search_like_docker_hub() {
    let t = TestContext::new();
    snapshot!(
        "search",
        t.transcript(&[
            "search apache",
            "search httpd --limit 5",
            "search --filter is-official=true --filter stars=100 nginx",
            "search --filter is-automated=true httpd",
            "search --no-trunc --limit 3 ubuntu",
            "search --format '{{.Name}}: {{.StarCount}}' --limit 3 redis",
            "search --limit 0 x",
            "search --limit 101 x",
            "search --filter stars=abc x",
            "search --filter is-official=x x",
            "search --filter foo=1 x",
        ])
    );
}

#[test]
fn usage_and_unknown_commands() {
    let t = TestContext::new();
    snapshot!(
        "usage",
        t.transcript(&[
            "image",
            "image foo",
            "imagez",
            "images --help",
            "image rm --help",
            "pull --help",
            "history --help",
            "tag a",
            "images -xq"
        ])
    );
}

#[test]
fn templates_follow_go_and_docker() {
    let t = TestContext::new();
    assert_eq!(t.docker("pull centos:7").2, 0);
    snapshot!(
        "templates",
        t.transcript(&[
            "images --format '{{json .}}'",
            "images --format '{{.Foo}}'",
            "images --format '{{.Foo}'",
            "images --format 'table {{.Repository}}\\t{{.Foo}}'",
            "images --format '{{upper .Repository}} {{printf \"%-10s|\" .Tag}} {{len .ID}}'",
            "image inspect --format '{{.ContainerConfig.HostName}}' centos:7",
            "image inspect --format '{{.ContainerConfig.Hostname}}' centos:7",
            "image inspect --format '{{.Foo}' centos:7",
            "image inspect --format '{{.Config.Labels.foo}} {{index .Config.Labels \"org.label-schema.name\"}}' centos:7",
            "image inspect --format '{{.Metadata.LastTagTime}} {{.RepoTags}} {{json .Config.Cmd}} {{.Config.Cmd}}' centos:7",
            "image inspect --format '{{range .RootFS.Layers}}{{println .}}{{end}}' centos:7",
            "image inspect --format '{{join .RepoTags \",\"}} {{.Size}} {{json .Config.Labels}}' centos:7",
        ])
    );
    assert_eq!(t.docker("tag centos:7 c:1").2, 0);
    let (out, _, _) = t.docker("image inspect --format '{{.Metadata.LastTagTime}}' centos:7");
    assert!(
        out.starts_with("2024-01-01 00:00:"),
        "tagging sets LastTagTime from the clock: {out}"
    );
}

#[test]
fn content_trust_pulls_the_signed_digest() {
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str], trust: bool| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_drydock"));
        c.arg("--home").arg(home.path()).arg("docker").args(args);
        if trust {
            c.env("DOCKER_CONTENT_TRUST", "1");
        }
        let o = c.output().unwrap();
        (
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
            o.status.code(),
        )
    };
    let (out, err, code) = run(&["pull", "alpine:3.15"], true);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.starts_with("Pull (1 of 1): alpine:3.15@sha256:"),
        "{out}"
    );
    assert!(
        err.starts_with("Tagging alpine@sha256:") && err.trim_end().ends_with(" as alpine:3.15"),
        "{err}"
    );
    assert!(out.ends_with("docker.io/library/alpine:3.15\n"), "{out}");
    // A community repository has no trust data; --disable-content-trust skips the check.
    let (_, err, code) = run(&["pull", "bitnami/nginx"], true);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("remote trust data does not exist for docker.io/bitnami/nginx"),
        "{err}"
    );
    let (_, err, code) = run(&["pull", "--disable-content-trust", "bitnami/nginx"], true);
    assert_eq!(code, Some(0), "{err}");
    let (out, _, _) = run(&["images", "--format", "{{.Repository}}:{{.Tag}}"], false);
    let mut listed: Vec<&str> = out.lines().collect();
    listed.sort();
    assert_eq!(listed, ["alpine:3.15", "bitnami/nginx:latest"]);
}

#[test]
fn pull_on_a_terminal_rewrites_layer_lines_in_place() {
    let t = TestContext::new();
    let args: Vec<String> = ["pull", "httpd:2.4"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let (out, err, code) = support::tty_docker(&t, &args);
    assert_eq!(code, 0, "{err}");
    // Five layers, each with its own line, updated with cursor movement.
    assert!(
        out.starts_with("2.4: Pulling from library/httpd\n"),
        "{out}"
    );
    assert_eq!(out.matches("Pulling fs layer").count(), 5);
    assert!(out.contains("\x1b[2K\r"), "{out:?}");
    assert!(out.contains(": Pull complete \r\x1b[1B"), "{out:?}");
    assert!(
        out.ends_with(
            "Status: Downloaded newer image for httpd:2.4\ndocker.io/library/httpd:2.4\n"
        ),
        "{out:?}"
    );
}
