//! Volumes and bind mounts inside containers (issue 5): what one container writes in a volume
//! the next one and the host see; read-only mounts refuse writes; `..` never leaves a mount for
//! the host; anonymous volumes go with `rm -v`, named ones stay.

use std::fs;

use drydock::testing::TestContext;

fn ctx() -> TestContext {
    let t = TestContext::new().with_real_init();
    let (_, err, code) = t.docker("pull busybox");
    assert_eq!(code, 0, "{err}");
    t
}

fn run(t: &TestContext, line: &str) -> (String, String, i32) {
    t.docker(line)
}

fn ok(t: &TestContext, line: &str) -> String {
    let (out, err, code) = run(t, line);
    assert_eq!(code, 0, "docker {line}\nstdout: {out}\nstderr: {err}");
    out
}

#[test]
fn a_named_volume_is_shared_between_containers_and_seen_on_the_host() {
    let t = ctx();
    ok(
        &t,
        "run --name writer -v data:/data busybox sh -c 'echo hello > /data/greeting; mkdir /data/d'",
    );
    let host = t.home.path().join("var/lib/docker/volumes/data/_data");
    assert_eq!(
        fs::read_to_string(host.join("greeting")).unwrap(),
        "hello\n"
    );
    assert!(host.join("d").is_dir());
    assert_eq!(
        ok(&t, "run --rm -v data:/srv/x busybox cat /srv/x/greeting"),
        "hello\n"
    );
    // The writable layer never saw it: the file lives in the volume only.
    let diff = ok(&t, "diff writer");
    assert!(!diff.contains("greeting"), "{diff}");
    // `rm -v` keeps a named volume.
    ok(&t, "rm -v writer");
    assert!(host.join("greeting").exists());
}

#[test]
fn a_bind_mount_shows_the_hosts_directory() {
    let t = ctx();
    let site = t.home.path().join("root/site");
    fs::create_dir_all(&site).unwrap();
    fs::write(site.join("index.html"), "<h1>hi</h1>\n").unwrap();
    assert_eq!(
        ok(
            &t,
            "run --rm -v /root/site:/usr/share/web busybox cat /usr/share/web/index.html"
        ),
        "<h1>hi</h1>\n"
    );
    ok(
        &t,
        "run --rm -v /root/site:/usr/share/web busybox sh -c 'echo new > /usr/share/web/b.txt'",
    );
    assert_eq!(fs::read_to_string(site.join("b.txt")).unwrap(), "new\n");
    // A missing `-v` source is created, as dockerd does.
    ok(&t, "run --rm -v /root/fresh:/x busybox ls /x");
    assert!(t.home.path().join("root/fresh").is_dir());
}

#[test]
fn a_read_only_mount_refuses_writes() {
    let t = ctx();
    fs::create_dir_all(t.home.path().join("root/site")).unwrap();
    for cmd in [
        "echo x > /web/a",
        "touch /web/a",
        "mkdir /web/d",
        "mkdir -p /web/p/q",
    ] {
        let (_, err, code) = run(
            &t,
            &format!("run --rm -v /root/site:/web:ro busybox sh -c '{cmd}'"),
        );
        assert_ne!(code, 0, "{cmd}");
        assert!(err.contains("Read-only file system"), "{cmd}: {err}");
    }
    assert_eq!(
        fs::read_dir(t.home.path().join("root/site"))
            .unwrap()
            .count(),
        0
    );
    // The rest of the container stays writable.
    ok(
        &t,
        "run --rm -v /root/site:/web:ro busybox sh -c 'echo x > /tmp/a'",
    );
}

#[test]
fn dot_dot_cannot_escape_a_mount() {
    let t = ctx();
    let site = t.home.path().join("root/site");
    fs::create_dir_all(&site).unwrap();
    fs::write(t.home.path().join("root/secret"), "host secret\n").unwrap();
    // `/data/..` is the container's `/`, not the source's real parent (`/root` on the host).
    let (out, err, _code) = run(
        &t,
        "run --rm -v /root/site:/data busybox sh -c 'cat /data/../secret; cat /data/../../root/secret; ls /data/..'",
    );
    assert!(err.contains("No such file or directory"), "{err}");
    assert!(!out.contains("host secret"), "{out}");
    assert!(out.contains("etc") && out.contains("bin"), "{out}");
    // A symlink in the mount resolves in the container's view.
    std::os::unix::fs::symlink("/etc/hostname", site.join("h")).unwrap();
    std::os::unix::fs::symlink("../../secret", site.join("up")).unwrap();
    let (out, _err, _code) = run(
        &t,
        "run --rm --hostname boxy -v /root/site:/data busybox sh -c 'cat /data/h; cat /data/up'",
    );
    assert_eq!(out, "boxy\n");
}

#[test]
fn anonymous_volumes_go_with_rm_v() {
    let t = ctx();
    ok(
        &t,
        "run --name anon -v /cache -v keep:/keep busybox sh -c 'echo 1 > /cache/f; echo 2 > /keep/f'",
    );
    let name = ok(
        &t,
        "inspect -f '{{range .Mounts}}{{if eq .Destination \"/cache\"}}{{.Name}}{{end}}{{end}}' anon",
    );
    let name = name.trim();
    assert_eq!(name.len(), 64, "{name}");
    let vols = t.home.path().join("var/lib/docker/volumes");
    assert!(vols.join(name).join("_data/f").exists());
    ok(&t, "rm -v anon");
    assert!(!vols.join(name).exists());
    assert!(vols.join("keep/_data/f").exists());
}

#[test]
fn mount_errors_read_as_dockerd() {
    let t = ctx();
    let (_, err, code) = run(
        &t,
        "run --rm --mount type=bind,source=/nope,target=/x busybox true",
    );
    assert_eq!(code, 125);
    assert_eq!(
        err,
        "docker: Error response from daemon: invalid mount config for type \"bind\": bind source path does not exist: /nope.\nSee 'docker run --help'.\n"
    );
}

/// Replaces a volume's creation time, which is the directory's.
fn redact_time(s: &str) -> String {
    let re = regex::Regex::new(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").unwrap();
    re.replace_all(s, "[TIME]").into_owned()
}

#[test]
fn volume_commands_read_as_docker() {
    let t = TestContext::new();
    ok(&t, "volume create data");
    ok(
        &t,
        "run -d --name user -v data:/data -v used:/u busybox sleep 60",
    );
    let id = ok(&t, "inspect -f '{{.Id}}' user").trim().to_string();
    let anon = ok(&t, "volume create").trim().to_string();
    assert_eq!(anon.len(), 64, "{anon}");
    assert!(anon.chars().all(|c| c.is_ascii_hexdigit()));
    let text = t
        .transcript(&[
            "volume ls",
            "volume ls -q --filter dangling=true",
            "volume ls --filter name=us",
            "volume inspect data",
            "volume inspect used nosuch",
            "volume create x",
            "volume rm nosuch",
        ])
        .replace(&anon, "[ANON]");
    drydock::snapshot!("volume_commands", redact_time(&text));
    let (_, err, code) = run(&t, "volume rm data");
    assert_eq!(code, 1);
    assert_eq!(
        err.trim_end(),
        format!("Error response from daemon: remove data: volume is in use - [{id}]")
    );
    let (out, _, code) = t.docker_with_input("volume prune", "n\n");
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "WARNING! This will remove all local volumes not used by at least one container.\n\
         Are you sure you want to continue? [y/N] Total reclaimed space: 0B\n"
    );
    assert_eq!(
        ok(&t, "volume prune -f"),
        format!("Deleted Volumes:\n{anon}\n\nTotal reclaimed space: 0B\n")
    );
    ok(&t, "rm -f user");
    assert_eq!(ok(&t, "volume rm data used"), "data\nused\n");
    assert_eq!(ok(&t, "volume ls"), "DRIVER    VOLUME NAME\n");
    assert_eq!(ok(&t, "volume prune -f"), "Total reclaimed space: 0B\n");
    let (_, err, code) = run(&t, "volume prune -f --filter foo=bar");
    assert_eq!(
        (err.as_str(), code),
        ("Error response from daemon: Invalid filter 'foo'\n", 1)
    );
    let help = ok(&t, "volume ls --help");
    assert!(help.contains("Aliases:\n  ls, list\n"), "{help}");
}

/// `volume create --label/-o/-d`, labels and options in `inspect`, `ls --format` (docker/cli's
/// volume context, `Label` included) and `--filter label=`, natural ordering, and `prune
/// --filter label=` / `label!=`, as Docker 20.10.24 answered the same lines.
#[test]
fn volume_labels_options_formats_and_filters() {
    let t = TestContext::new();
    for line in [
        "volume create --label a=1 --label b cgv1",
        "volume create -d local -o type=tmpfs -o device=tmpfs -o o=size=10m cgv2",
        "volume create cgv3",
        "volume create --label k= cgv12",
        "volume create --label c=3 --label a=1 cgv14",
        "volume create Zed",
        "volume create cg_a9",
        "volume create cg_a10",
    ] {
        ok(&t, line);
    }
    let text = t.transcript(&[
        "volume ls",
        "volume inspect cgv1 cgv2",
        "volume inspect -f '{{json .Labels}} {{json .Options}}' cgv3",
        "volume create -o foo=bar bad1",
        "volume create -o type=tmpfs bad1",
        "volume create -o device=x bad1",
        "volume create -o o=x bad1",
        "volume create -o size=1g bad1",
        "volume create -o type=tmpfs,device=tmpfs bad1",
        "volume create -o nokey bad1",
        "volume create --label =x bad1",
        "volume create --label ' a =1' bad1",
        "volume create -d nope bad1",
        "volume create -d nope x",
        "volume ls --filter name=cgv1 --format '{{.Name}}'",
        "volume ls --filter name=cgv1 --format 'table {{.Name}}\\t{{.Driver}}\\t{{.Scope}}\\t{{.Mountpoint}}\\t{{.Labels}}\\t{{.Links}}\\t{{.Size}}'",
        "volume ls --filter name=cgv1 --format '{{.Name}} {{.Label \"a\"}}|{{.Label \"nope\"}}|'",
        "volume ls --filter name=cgv1 --format 'table {{.Name}}\\t{{.Label \"a\"}}'",
        "volume ls --filter name=cgv1 --format '{{json .}}'",
        "volume ls --filter name=cgv1 --format table",
        "volume ls --filter name=cgv1 -q --format '{{.Driver}} {{.Name}}'",
        "volume ls --format '{{.Nope}}'",
        "volume ls --format '{{.Label}}'",
        "volume ls --format '{{.Label 1}}'",
        "volume ls --format '{{.Name'",
        "volume ls --filter label=a",
        "volume ls --filter label=a=1 --filter label=c",
        "volume ls --filter label=b=",
        "volume ls --filter label=nope",
        "volume ls --filter 'label!=a'",
        "volume ls --filter driver=nope",
        "volume ls --filter dangling=yes",
        "volume ls --filter 'name=^cg_a.$'",
        "volume prune -f --filter until=1h",
        "volume prune -f --filter label=a",
        "volume prune -f --filter 'label!=k'",
        "volume ls",
        "volume prune -f",
        "volume ls -q",
    ]);
    drydock::snapshot!("volume_labels_and_formats", redact_time(&text));
}

/// A `local` volume with `type=none,o=bind,device=DIR` is that host directory in containers
/// (the exam's way to put a volume on a chosen path); a missing DIR fails at start, as the
/// local driver's mount does.
#[test]
fn a_bind_volume_is_its_device_directory() {
    let t = ctx();
    let site = t.home.path().join("srv/site");
    fs::create_dir_all(&site).unwrap();
    fs::write(site.join("index.html"), "hello\n").unwrap();
    ok(
        &t,
        "volume create --driver local -o type=none -o device=/srv/site -o o=bind site",
    );
    assert_eq!(
        ok(&t, "run --rm -v site:/web busybox cat /web/index.html"),
        "hello\n"
    );
    ok(
        &t,
        "run --rm -v site:/web busybox sh -c 'echo new > /web/n.txt'",
    );
    assert_eq!(fs::read_to_string(site.join("n.txt")).unwrap(), "new\n");
    // The volume's own directory stays empty.
    let data = t.home.path().join("var/lib/docker/volumes/site/_data");
    assert_eq!(fs::read_dir(&data).unwrap().count(), 0);
    ok(
        &t,
        "volume create -o type=none -o device=/srv/site -o o=bind,ro site-ro",
    );
    let (_, err, code) = run(&t, "run --rm -v site-ro:/web busybox touch /web/x");
    assert_ne!(code, 0);
    assert!(err.contains("Read-only file system"), "{err}");
    ok(
        &t,
        "volume create -o type=none -o device=/nonexist -o o=bind gone",
    );
    let (_, err, code) = run(&t, "run --rm -v gone:/m busybox ls /m");
    assert_eq!(
        (err.as_str(), code),
        (
            "docker: Error response from daemon: error while mounting volume '/var/lib/docker/volumes/gone/_data': failed to mount local volume: mount /nonexist:/var/lib/docker/volumes/gone/_data, flags: 0x1000: no such file or directory.\n",
            127
        )
    );
    // Volumes with driver options are never pruned (dockerd takes them as not really local).
    assert_eq!(ok(&t, "volume prune -f"), "Total reclaimed space: 0B\n");
}

/// `docker system prune --volumes` prunes volumes after containers (filters and all), and
/// refuses `until=` with `--volumes` before asking, as docker/cli does.
#[test]
fn system_prune_volumes() {
    let t = TestContext::new();
    ok(&t, "pull -q busybox");
    ok(&t, "volume create sv1");
    ok(&t, "volume create --label keep=1 sv2");
    ok(&t, "run --name sp1 -v pv1:/x busybox true");
    let id = ok(&t, "inspect -f '{{.Id}}' sp1");
    assert_eq!(
        ok(&t, "system prune --volumes -f --filter label!=keep=1"),
        format!(
            "Deleted Containers:\n{id}\nDeleted Volumes:\npv1\nsv1\n\nTotal reclaimed space: 0B\n"
        )
    );
    assert_eq!(ok(&t, "volume ls -q"), "sv2\n");
    let (out, err, code) = run(&t, "system prune --volumes --filter until=1h");
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        (
            "",
            "ERROR: The \"until\" filter is not supported with \"--volumes\"\n",
            1
        )
    );
}

/// A volume mounted where the image has a directory starts with that directory's files (when
/// the volume is empty) and takes its mode and owner, as dockerd's `populateVolumes` does: so
/// `-v v:/tmp` is sticky and world-writable for a `-u nobody` process, and a volume over a
/// user's home is that user's (Docker 20.10.24: `drwxrwxrwt root root /tmp`, `/etc`'s files).
#[test]
fn a_volume_over_an_image_directory_is_populated_from_it() {
    let t = ctx();
    assert_eq!(
        ok(&t, "run --rm -v tv:/tmp busybox ls -ld /tmp")
            .split(' ')
            .next(),
        Some("drwxrwxrwt")
    );
    ok(&t, "run --rm -u nobody -v tv:/tmp busybox touch /tmp/mine");
    let etc = ok(&t, "run --rm -v ev:/etc busybox cat /etc/passwd");
    assert!(etc.starts_with("root:x:0:0:"), "{etc}");
    // Not empty any more: a second container sees what the first left, not the image's again.
    ok(&t, "run --rm -v ev:/etc busybox rm /etc/group");
    let (_, err, code) = run(&t, "run --rm -v ev:/etc busybox cat /etc/group");
    assert_eq!(
        (err.as_str(), code),
        ("cat: /etc/group: No such file or directory\n", 1)
    );
    // Where the image has nothing, the volume stays as it is.
    assert_eq!(ok(&t, "run --rm -v nv:/nothing busybox ls -A /nothing"), "");
}
