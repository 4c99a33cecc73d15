//! Insta transcripts of the container commands the other container tests check by assertion:
//! run, exec, port, diff, pause/unpause, stop, start, kill, restart, commit, container prune,
//! system df. Real processes with the real init; container IDs come from the seeded random
//! source, times are redacted by the shared filters, and tables whose widths follow a duration
//! use `--format`.

use drydock::snapshot;
use drydock::testing::TestContext;

#[test]
fn container_lifecycle_transcript() {
    let t = TestContext::new().with_real_init();
    assert_eq!(t.docker("pull -q httpd:2.4").2, 0);
    assert_eq!(t.docker("pull -q busybox").2, 0);
    let (_, err, code) = t.docker("commit nope x:1");
    assert_eq!(code, 1, "{err}");
    let lines = [
        "run -d --name web -p 18088:80 httpd:2.4",
        "ps --format '{{.ID}} {{.Image}} {{.Command}} {{.Ports}} {{.Names}}'",
        "port web",
        "exec web ls /usr/local/apache2/htdocs",
        "exec web sh -c 'echo hi > /tmp/new.txt; rm /usr/local/apache2/htdocs/index.html'",
        "diff web",
        "pause web",
        "ps --format '{{.Names}} {{.State}}'",
        "unpause web",
        "stop web",
        "ps -a --format '{{.Names}} {{.Status}}'",
        "start web",
        "kill web",
        "ps -a --format '{{.Names}} {{.Status}}'",
        "run --name once busybox echo hello from busybox",
        "run --rm busybox sh -c 'exit 3'",
        "container prune -f",
        "ps -a --format '{{.Names}} {{.Status}}'",
        "rm web",
        "ps -aq",
    ];
    snapshot!("container_lifecycle", t.transcript(&lines));
}

/// `docker ps --filter before= since= volume= network=` and the `--network` modes they read,
/// as Docker 20.10.24 answered the same lines (its containers need `--network none` or `host`;
/// `p6` here is on the default bridge, which that engine had no interface for).
#[test]
fn ps_filters_transcript() {
    let t = TestContext::new();
    assert_eq!(t.docker("pull -q busybox").2, 0);
    std::fs::create_dir_all(t.home.path().join("tmp/cgb")).unwrap();
    for line in [
        "run --network none --name p1 -v pv1:/data busybox true",
        "run -d --network host --name p2 -v /tmp/cgb:/b busybox sleep 60",
        "run -d --network none --name p3 -v /anon busybox sleep 60",
        "create --network none --name p4 busybox true",
        "run -d --network none --name p5 busybox sleep 60",
        "run -d --name p6 busybox sleep 60",
    ] {
        let (_, err, code) = t.docker(line);
        assert_eq!(code, 0, "{line}: {err}");
    }
    let p3 = t.docker("inspect -f '{{.Id}}' p3").0.trim().to_string();
    let short = &p3[..12];
    let lines = [
        "ps -a --format '{{.Names}}|{{.Networks}}|{{.Mounts}}|{{.Ports}}'".to_string(),
        "ps --filter before=p5 --format '{{.Names}}'".into(),
        "ps --filter before=p3 --format '{{.Names}}'".into(),
        "ps -a --filter before=p3 --format '{{.Names}}'".into(),
        "ps --filter since=p1 --format '{{.Names}}'".into(),
        "ps -a --filter since=p3 --format '{{.Names}}'".into(),
        "ps -a --filter before=p4 --filter since=p1 --format '{{.Names}}'".into(),
        "ps -a --filter before=/p3 --format '{{.Names}}'".into(),
        format!("ps -a --filter before={p3} --format '{{{{.Names}}}}'"),
        format!("ps -a --filter before={short}"),
        "ps --filter before=nope".into(),
        "ps --filter since=nope".into(),
        "ps -a --filter before=p3 -n 1 --format '{{.Names}}'".into(),
        "ps --filter since=p1 -n 1 --format '{{.Names}}'".into(),
        "ps -a --filter volume=pv1 --format '{{.Names}}'".into(),
        "ps -a --filter volume=/data --format '{{.Names}}'".into(),
        "ps --filter volume=/b --format '{{.Names}}'".into(),
        "ps --filter volume=/tmp/cgb --format '{{.Names}}'".into(),
        "ps --filter volume=/anon --format '{{.Names}}'".into(),
        "ps -a --filter volume=nope --format '{{.Names}}'".into(),
        "ps -a --filter volume=pv1 --filter volume=/b --format '{{.Names}}'".into(),
        "ps -a --filter network=none --format '{{.Names}}'".into(),
        "ps --filter network=host --format '{{.Names}}'".into(),
        "ps -a --filter network=bridge --format '{{.Names}}'".into(),
        "ps -a --filter network=9433 --format '{{.Names}}'".into(),
        "ps -a --filter network=nope --format '{{.Names}}'".into(),
        "ps --filter network=none --filter network=host --format '{{.Names}}'".into(),
        "ps -a --filter exited=x".into(),
        "inspect -f '{{.HostConfig.NetworkMode}} {{json .NetworkSettings.Networks}}' p4".into(),
        "inspect -f '{{.HostConfig.NetworkMode}} {{.NetworkSettings.SandboxKey}} {{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{$v.NetworkID}}{{end}}' p2".into(),
        "inspect -f '{{.NetworkSettings.IPAddress}} {{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{$v.IPAddress}}{{end}}' p6".into(),
        "run --network foo busybox true".into(),
        "run --network container:nope busybox true".into(),
        "run -d --network container:p5 --name p7 busybox sleep 60".into(),
        "inspect -f '{{.HostConfig.NetworkMode}} {{json .NetworkSettings.Networks}} {{.NetworkSettings.SandboxID}}|' p7".into(),
        "stop -t 0 p3".into(),
        "run --network container:p3 busybox true".into(),
    ];
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    snapshot!("ps_filters", t.transcript(&lines));
}

/// `docker ps --format`: docker/cli's check against an empty context before it lists (so a
/// bad template fails with no containers too), `.Size` turning sizes on, and `Label "k"` with
/// its table header — Docker 20.10.24's texts.
#[test]
fn ps_format_checks_and_labels() {
    let t = TestContext::new();
    assert_eq!(t.docker("pull -q busybox").2, 0);
    let lines = [
        "ps --format '{{.Nope}}'",
        "ps --format '{{.Names'",
        "ps --format '{{slice .ID 0 5}}'",
        "ps --format '{{.Label}}'",
        "run -d --label a-b_c=1 --label org.x.seed=bench --name lb busybox sleep 60",
        "ps --format '{{.Names}}|{{.Label \"org.x.seed\"}}|{{.Label \"nope\"}}|'",
        "ps --format 'table {{.Names}}\\t{{.Label \"org.x.seed\"}}\\t{{.Label \"a-b_c\"}}'",
        "ps --format '{{\"org.x.seed\" | .Label}} {{.Labels}}'",
        "ps --format '{{.Label 1}}'",
        "ps --format '{{.Names}} {{.Size}}'",
        "ps --format '{{.CreatedAt}}'",
        "ps -q --format '{{.Names}}'",
        "ps -q --format table",
        "ps -q --format raw",
    ];
    snapshot!("ps_format_checks", t.transcript(&lines));
}

/// The container user: `-u`/`--user` in its forms, `--group-add`, exec's `-u`, HOME from passwd,
/// the errors for users and groups that do not exist (run, create+start, exec, exec -d), a
/// non-root user's failed writes in BusyBox ash's words, and the owner of what it creates.
/// Docker 20.10.24 printed the same lines (IDs aside) on an image with these `/etc/passwd` and
/// `/etc/group` (busybox's).
#[test]
fn user_transcript() {
    let t = TestContext::new().with_real_init();
    assert_eq!(t.docker("pull -q busybox").2, 0);
    let lines = [
        "run --rm -u nobody busybox id",
        "run --rm -u 1000:1000 busybox sh -c 'id; id -u; id -g; echo HOME=$HOME'",
        "run --rm -u www-data busybox sh -c 'id; whoami; echo HOME=$HOME'",
        "run --rm -u nobody:staff busybox id",
        "run --rm -u 0:nogroup busybox id",
        "run --rm busybox id",
        "run --rm --group-add audio --group-add 4242 -u nobody busybox id",
        "run --rm -u bogus busybox id",
        "run --rm -u nobody:bogus busybox id",
        "run --rm -u -1 busybox id",
        "run --rm --group-add bogus busybox id",
        "create --name u1 -u bogus busybox id",
        "start u1",
        "start -a u1",
        "inspect -f '{{.State.Status}} {{.State.ExitCode}} {{.State.Error}} {{.Config.User}}' u1",
        "run -d --name u2 busybox sleep 60",
        "exec u2 id",
        "exec -u nobody u2 sh -c 'id; echo HOME=$HOME'",
        "exec -u bogus u2 id",
        "exec -d -u bogus u2 id",
        "run --rm -u nobody busybox sh -c 'echo hi > /etc/x; echo hi >> /etc/passwd; cat < /root/.ash_history; echo hi > /tmp/f; echo more >> /tmp/f; cat /tmp/f'",
        "run --name u3 -u 1000:1000 busybox sh -c 'mkdir /tmp/d; touch /tmp/d/f /tmp/g'",
        "diff u3",
        "create --name u4 -u www-data:staff --group-add audio busybox",
        "inspect -f '{{.Config.User}} {{json .HostConfig.GroupAdd}}' u4",
        "run --rm -u nobody busybox sh -c 'touch /tmp/mine; ls -l /tmp/mine | cut -d\" \" -f1-5; ls -ln /tmp/mine | cut -d\" \" -f3-4; mkdir /etc/d; rm /etc/passwd; ls /root'",
        "run -d -u bogus busybox true",
    ];
    snapshot!("user", t.transcript(&lines));
    // The snapshot does not keep line ends: dockerd ends an exec start error with `\r\n`.
    let (out, _, code) = t.docker("exec -u bogus u2 id");
    assert_eq!(
        (out.as_str(), code),
        (
            "unable to find user bogus: no matching entries in passwd file\r\n",
            126
        )
    );

    // `docker export`'s headers carry the creator, as Docker's did (`1000/1000`).
    let (_, err, code) = t.docker("export -o /root/u3.tar u3");
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(t.home.path().join("root/u3.tar")).unwrap();
    let mut owners = Vec::new();
    for e in tar::Archive::new(&bytes[..]).entries().unwrap() {
        let e = e.unwrap();
        let name = String::from_utf8_lossy(&e.path_bytes()).into_owned();
        if name.starts_with("tmp") {
            owners.push(format!(
                "{name} {}/{}",
                e.header().uid().unwrap(),
                e.header().gid().unwrap()
            ));
        }
    }
    assert_eq!(
        owners,
        [
            "tmp/ 0/0",
            "tmp/d/ 1000/1000",
            "tmp/d/f 1000/1000",
            "tmp/g 1000/1000"
        ]
    );
}
