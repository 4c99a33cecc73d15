//! Containers as real processes: `docker run -d`, `stop`, `kill`, `rm`, `exec`, restart policies
//! through failures, manual stops and daemon restarts, and the bad inputs of issue 5.
//!
//! The runtime runs each container's command on the host here (the test context's host init),
//! so these tests exercise processes, signals and policies without the applets.

use std::path::Path;
use std::time::{Duration, Instant};

use drydock::engine::runtime::DaemonStatus;
use drydock::testing::TestContext;

fn ok(t: &TestContext, line: &str) -> String {
    let (out, err, code) = t.docker(line);
    assert_eq!(code, 0, "docker {line}\nstdout: {out}\nstderr: {err}");
    out
}

fn field(t: &TestContext, name: &str, template: &str) -> String {
    ok(t, &format!("inspect -f '{template}' {name}"))
        .trim()
        .to_string()
}

/// Waits until `cond` holds (polling), up to `secs`.
fn eventually(secs: u64, what: &str, mut cond: impl FnMut() -> bool) {
    let until = Instant::now() + Duration::from_secs(secs);
    while !cond() {
        assert!(Instant::now() < until, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn pid_alive(pid: &str) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

#[test]
fn run_detached_is_a_real_process_and_stop_ends_it() {
    let t = TestContext::new();
    let id = ok(
        &t,
        "run -d --name web busybox sh -c 'echo hello; exec sleep 30'",
    );
    assert_eq!(id.trim().len(), 64);
    let pid = field(&t, "web", "{{.State.Pid}}");
    assert!(pid_alive(&pid), "pid {pid} runs");
    assert_eq!(field(&t, "web", "{{.State.Status}}"), "running");
    eventually(5, "the log line", || ok(&t, "logs web") == "hello\n");
    let ps = ok(&t, "ps");
    assert!(ps.contains("   web\n") && ps.contains("Up "), "{ps}");
    assert_eq!(ok(&t, "stop web"), "web\n");
    // sleep dies of SIGTERM: 143.
    assert_eq!(field(&t, "web", "{{.State.ExitCode}}"), "143");
    assert_eq!(field(&t, "web", "{{.State.Status}}"), "exited");
    eventually(5, "the process to go", || !pid_alive(&pid));
    // Stopping a stopped container succeeds quietly.
    assert_eq!(ok(&t, "stop web"), "web\n");
}

#[test]
fn stop_kills_with_sigkill_after_the_timeout() {
    let t = TestContext::new();
    ok(
        &t,
        "run -d --name stubborn busybox sh -c 'trap \"\" TERM; echo ready; while true; do sleep 0.1; done'",
    );
    // Stop only once the trap is set: a SIGTERM that comes first (a loaded machine starts `sh`
    // late) kills it at once, and the test would measure nothing.
    eventually(5, "the trap", || ok(&t, "logs stubborn") == "ready\n");
    let started = Instant::now();
    assert_eq!(ok(&t, "stop -t 1 stubborn"), "stubborn\n");
    assert!(started.elapsed() >= Duration::from_millis(900));
    assert_eq!(field(&t, "stubborn", "{{.State.ExitCode}}"), "137");
}

#[test]
fn kill_signals_and_rm_refuses_a_running_container() {
    let t = TestContext::new();
    let id = ok(&t, "run -d --name kk busybox sleep 30");
    let id = id.trim();
    let (_, err, code) = t.docker("rm kk");
    assert_eq!(code, 1);
    assert_eq!(
        err,
        format!(
            "Error response from daemon: You cannot remove a running container {id}. Stop the container before attempting removal or force remove\n"
        )
    );
    assert_eq!(ok(&t, "kill kk"), "kk\n");
    assert_eq!(field(&t, "kk", "{{.State.ExitCode}}"), "137");
    let (_, err, code) = t.docker("kill kk");
    assert_eq!(code, 1);
    assert_eq!(
        err,
        format!(
            "Error response from daemon: Cannot kill container: kk: Container {id} is not running\n"
        )
    );
    let (_, err, code) = t.docker("kill -s FOO kk");
    assert_eq!(
        (err.as_str(), code),
        ("Error response from daemon: Invalid signal: FOO\n", 1)
    );
    assert_eq!(ok(&t, "rm kk"), "kk\n");
    let (_, err, code) = t.docker("rm kk");
    assert_eq!((err.as_str(), code), ("Error: No such container: kk\n", 1));
}

#[test]
fn rm_force_kills_first() {
    let t = TestContext::new();
    ok(&t, "run -d --name ff busybox sleep 30");
    let pid = field(&t, "ff", "{{.State.Pid}}");
    assert_eq!(ok(&t, "rm -f ff"), "ff\n");
    eventually(5, "the process to go", || !pid_alive(&pid));
    assert_eq!(ok(&t, "ps -aq"), "");
}

#[test]
fn foreground_run_returns_the_exit_code_and_rm_removes() {
    let t = TestContext::new();
    let (out, err, code) = t.docker("run --rm busybox sh -c 'echo out; echo err >&2; exit 3'");
    assert_eq!((out.as_str(), code), ("out\n", 3), "{err}");
    assert!(err.ends_with("err\n"), "{err}");
    assert_eq!(ok(&t, "ps -aq"), "");
    let (out, _, code) = t.docker_with_input("run -i --name cat busybox cat", "piped\n");
    assert_eq!((out.as_str(), code), ("piped\n", 0));
    assert_eq!(field(&t, "cat", "{{.State.Status}}"), "exited");
}

/// `run --sig-proxy=false` leaves the container to a supervisor of its own (so Ctrl-C can leave
/// it running, see `repl_pty`): the client still shows stdout and stderr apart, returns the exit
/// code, feeds piped input and closes the container's stdin after it (`StdinOnce`), waits for
/// `--rm`, and reports a command that cannot start as the foreground run does.
#[test]
fn a_run_without_the_signal_proxy_is_served_by_its_supervisor() {
    let t = TestContext::new();
    let (out, err, code) =
        t.docker("run --rm --sig-proxy=false busybox sh -c 'echo out; echo err >&2; exit 3'");
    assert_eq!((out.as_str(), code), ("out\n", 3), "{err}");
    assert!(err.ends_with("err\n"), "{err}");
    assert_eq!(ok(&t, "ps -aq"), "");
    // Over before the client connects: the supervisor holds the output for it.
    let (out, _, code) = t.docker("run --sig-proxy=false --name quick busybox echo quick");
    assert_eq!((out.as_str(), code), ("quick\n", 0));
    let (out, _, code) =
        t.docker_with_input("run -i --sig-proxy=false --name cat busybox cat", "piped\n");
    assert_eq!((out.as_str(), code), ("piped\n", 0));
    assert_eq!(field(&t, "cat", "{{.State.Status}}"), "exited");
    let (out, err, code) = t.docker("run --sig-proxy=false --name nf busybox nosuchcmd");
    assert_eq!((out.as_str(), code), ("", 127));
    assert!(
        err.starts_with("docker: Error response from daemon: failed to create shim task:")
            && err.contains("nosuchcmd"),
        "{err}"
    );
    let before = ok(&t, "ps -aq");
    let (_, _, code) = t.docker("run --rm --sig-proxy=false busybox nosuchcmd");
    assert_eq!(code, 127);
    assert_eq!(
        ok(&t, "ps -aq"),
        before,
        "--rm removes a command that cannot start"
    );
    // `--init` is recorded as dockerd records it; without it the field is a nil pointer.
    ok(&t, "create --init --name withinit busybox true");
    assert_eq!(field(&t, "withinit", "{{.HostConfig.Init}}"), "true");
    assert_eq!(field(&t, "quick", "{{.HostConfig.Init}}"), "<nil>");
}

#[test]
fn exec_runs_a_second_process() {
    let t = TestContext::new();
    ok(&t, "run -d --name ee -e GREETING=hi busybox sleep 30");
    let (out, _, code) = t.docker("exec ee sh -c 'echo $GREETING $HOSTNAME'");
    let short = field(&t, "ee", "{{.Config.Hostname}}");
    assert_eq!((out, code), (format!("hi {short}\n"), 0));
    let (out, _, code) = t.docker("exec -e X=1 ee sh -c 'echo $X; exit 4'");
    assert_eq!((out.as_str(), code), ("1\n", 4));
    let (out, _, code) = t.docker("exec ee nosuchcmd");
    assert_eq!(code, 126);
    assert_eq!(
        out,
        "OCI runtime exec failed: exec failed: unable to start container process: exec: \"nosuchcmd\": executable file not found in $PATH: unknown\r\n"
    );
    ok(&t, "stop -t 0 ee");
    let id = field(&t, "ee", "{{.Id}}");
    let (_, err, code) = t.docker("exec ee true");
    assert_eq!(
        (err, code),
        (
            format!("Error response from daemon: Container {id} is not running\n"),
            1
        )
    );
}

#[test]
fn a_command_that_is_not_found_fails_the_run() {
    let t = TestContext::new();
    ok(&t, "pull busybox");
    let (out, err, code) = t.docker("run --name nf busybox nosuchcmd");
    assert_eq!(out, "");
    assert_eq!(code, 127);
    assert_eq!(
        err,
        "docker: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"nosuchcmd\": executable file not found in $PATH: unknown.\n"
    );
    assert_eq!(field(&t, "nf", "{{.State.Status}}"), "created");
    assert_eq!(field(&t, "nf", "{{.State.ExitCode}}"), "127");
    let (_, err, code) = t.docker("run -d busybox /no/such");
    assert_eq!(code, 127);
    assert!(err.contains("exec: \"/no/such\": stat /no/such: no such file or directory"));
}

#[test]
fn a_detached_interactive_container_keeps_its_stdin_open() {
    let t = TestContext::new();
    ok(&t, "run -d -i --name shell busybox cat");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(field(&t, "shell", "{{.State.Status}}"), "running");
    ok(&t, "stop -t 1 shell");
}

#[test]
fn pause_and_unpause() {
    let t = TestContext::new();
    ok(&t, "run -d --name pp busybox sleep 30");
    ok(&t, "pause pp");
    assert_eq!(field(&t, "pp", "{{.State.Status}}"), "paused");
    assert!(ok(&t, "ps").contains("(Paused)"));
    let pid = field(&t, "pp", "{{.State.Pid}}");
    // SIGSTOP is delivered asynchronously: the process shows `T` a moment later.
    eventually(5, "the process to stop", || {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| s.contains(") T "))
    });
    ok(&t, "unpause pp");
    assert_eq!(field(&t, "pp", "{{.State.Status}}"), "running");
}

#[test]
fn always_restarts_with_back_off_until_stopped_by_hand() {
    let t = TestContext::new();
    ok(
        &t,
        "run -d --name flap --restart always busybox sh -c 'exit 1'",
    );
    eventually(5, "three restarts", || {
        field(&t, "flap", "{{.RestartCount}}")
            .parse::<u32>()
            .unwrap_or(0)
            >= 3
    });
    ok(&t, "stop flap");
    let count = field(&t, "flap", "{{.RestartCount}}");
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(
        field(&t, "flap", "{{.RestartCount}}"),
        count,
        "no restart after a stop"
    );
    assert_eq!(field(&t, "flap", "{{.State.Status}}"), "exited");
    // A manual start resets the count.
    ok(&t, "start flap");
    assert!(
        field(&t, "flap", "{{.RestartCount}}")
            .parse::<u32>()
            .unwrap_or(9)
            <= 1
    );
    ok(&t, "rm -f flap");
}

#[test]
fn on_failure_stops_at_its_maximum_and_ignores_success() {
    let t = TestContext::new();
    ok(
        &t,
        "run -d --name of --restart on-failure:2 busybox sh -c 'exit 5'",
    );
    eventually(5, "the retries to end", || {
        field(&t, "of", "{{.State.Status}}") == "exited"
            && field(&t, "of", "{{.RestartCount}}") == "2"
    });
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(field(&t, "of", "{{.RestartCount}}"), "2");
    assert_eq!(field(&t, "of", "{{.State.ExitCode}}"), "5");
    ok(&t, "run -d --name good --restart on-failure busybox true");
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(field(&t, "good", "{{.RestartCount}}"), "0");
    assert_eq!(field(&t, "good", "{{.State.Status}}"), "exited");
}

#[test]
fn kill_prevents_restarts_while_the_daemon_runs() {
    let t = TestContext::new();
    ok(
        &t,
        "run -d --name us --restart unless-stopped busybox sleep 30",
    );
    ok(&t, "kill us");
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(field(&t, "us", "{{.State.Status}}"), "exited");
    assert_eq!(field(&t, "us", "{{.RestartCount}}"), "0");
}

#[test]
fn daemon_restart_applies_each_policy() {
    let t = TestContext::new();
    for (name, policy) in [
        ("aa", "always"),
        ("aa-stopped", "always"),
        ("uu", "unless-stopped"),
        ("uu-stopped", "unless-stopped"),
        ("oo", "on-failure"),
        ("nn", "no"),
    ] {
        ok(
            &t,
            &format!("run -d --name {name} --restart {policy} busybox sleep 30"),
        );
    }
    ok(&t, "stop -t 0 aa-stopped uu-stopped");
    t.engine.daemon_shutdown(DaemonStatus::Stopped).unwrap();
    let (_, err, code) = t.docker("ps");
    assert_eq!(
        (err.as_str(), code),
        (
            "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n",
            1
        )
    );
    t.engine.daemon_boot().unwrap();
    let running = ok(&t, "ps --format {{.Names}}");
    let mut names: Vec<&str> = running.lines().collect();
    names.sort();
    // always comes back even after a manual stop; unless-stopped only if not stopped by hand;
    // on-failure because the shutdown killed it (non-zero); no stays down.
    assert_eq!(names, ["aa", "aa-stopped", "oo", "uu"]);
    for n in ["aa", "oo", "uu"] {
        assert_eq!(field(&t, n, "{{.RestartCount}}"), "0", "{n}");
    }
}

#[test]
fn a_supervisor_outlives_the_command_that_started_it() {
    let t = TestContext::new();
    let bin = env!("CARGO_BIN_EXE_drydock");
    let home = t.home.path();
    let run = std::process::Command::new(bin)
        .args(["--home"])
        .arg(home)
        .args([
            "docker", "run", "-d", "--name", "bg", "busybox", "sleep", "30",
        ])
        .env("DRYDOCK_INIT", "host")
        .output()
        .expect("drydock runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // The CLI process has exited; the container still runs under its shim.
    let pid = field(&t, "bg", "{{.State.Pid}}");
    assert!(pid_alive(&pid));
    assert_eq!(field(&t, "bg", "{{.State.Status}}"), "running");
}

#[test]
fn bad_inputs_read_as_docker() {
    let t = TestContext::new();
    ok(&t, "pull busybox");
    let cases: &[(&str, &str, i32)] = &[
        (
            "run --restart sometimes busybox true",
            "docker: Error response from daemon: invalid restart policy 'sometimes'.\nSee 'docker run --help'.\n",
            125,
        ),
        (
            "run --restart on-failure:x busybox true",
            "docker: maximum retry count must be an integer.\nSee 'docker run --help'.\n",
            125,
        ),
        (
            "run --restart always:3 busybox true",
            "docker: Error response from daemon: maximum retry count cannot be used with restart policy 'always'.\nSee 'docker run --help'.\n",
            125,
        ),
        (
            "run --rm --restart always busybox true",
            "docker: Conflicting options: --restart and --rm.\nSee 'docker run --help'.\n",
            125,
        ),
        (
            "run -rm busybox true",
            "unknown shorthand flag: 'r' in -rm\nSee 'docker run --help'.\n",
            125,
        ),
        (
            "run -e =x busybox true",
            "invalid argument \"=x\" for \"-e, --env\" flag: invalid environment variable: =x\nSee 'docker run --help'.\n",
            125,
        ),
        (
            "run -p abc busybox true",
            "docker: Invalid containerPort: abc.\nSee 'docker run --help'.\n",
            125,
        ),
        (
            "run -v a:b:c:d busybox true",
            "docker: Error response from daemon: invalid volume specification: 'a:b:c:d'.\nSee 'docker run --help'.\n",
            125,
        ),
        (
            "run --name 'a b' busybox true",
            "docker: Error response from daemon: Invalid container name (a b), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed.\nSee 'docker run --help'.\n",
            125,
        ),
        ("run scratch-less-image-xyz", "", 125),
    ];
    for (line, want, code) in cases {
        let (_, err, got) = t.docker(line);
        assert_eq!(got, *code, "docker {line}: {err}");
        if !want.is_empty() {
            assert_eq!(&err, want, "docker {line}");
        }
    }
    ok(&t, "create --name taken busybox true");
    let id = field(&t, "taken", "{{.Id}}");
    let (_, err, code) = t.docker("run --name taken busybox true");
    assert_eq!(code, 125);
    assert_eq!(
        err,
        format!(
            "docker: Error response from daemon: Conflict. The container name \"/taken\" is already in use by container \"{id}\". You have to remove (or rename) that container to be able to reuse that name.\nSee 'docker run --help'.\n"
        )
    );
    let (_, err, code) = t.docker("update --restart always");
    assert!(code != 0, "{err}");
    let (_, err, code) = t.docker("update taken");
    assert_eq!(
        (err.as_str(), code),
        (
            "you must provide one or more flags when using this command\n",
            1
        )
    );
    // Nothing half made: only the one container exists.
    assert_eq!(ok(&t, "ps -aq").lines().count(), 1);
}

#[test]
fn an_unknown_image_is_pulled_first() {
    let t = TestContext::new();
    let (out, err, code) = t.docker("run --name p1 busybox echo hi");
    assert_eq!((out.as_str(), code), ("hi\n", 0), "{err}");
    assert!(
        err.starts_with(
            "Unable to find image 'busybox:latest' locally\nlatest: Pulling from library/busybox\n"
        ),
        "{err}"
    );
    assert!(err.contains("Status: Downloaded newer image for busybox:latest\n"));
    assert!(!err.contains("docker.io/library/busybox:latest"));
}

#[test]
fn rmi_sees_containers() {
    let t = TestContext::new();
    ok(&t, "create --name holder busybox true");
    let id = field(&t, "holder", "{{.Id}}");
    let (_, err, code) = t.docker("rmi busybox");
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!(
            "container {} is using its referenced image",
            &id[..12]
        )),
        "{err}"
    );
}

#[test]
fn transcripts() {
    let t = TestContext::new();
    ok(&t, "pull busybox");
    let text = t.transcript(&[
        "create --name one -p 8080:80 -e A=1 --label tier=web --restart on-failure:3 busybox sh -c 'echo hi; sleep 1'",
        "ps -a --format 'table {{.ID}}\\t{{.Image}}\\t{{.Command}}\\t{{.Status}}\\t{{.Ports}}\\t{{.Names}}'",
        "ps -a --no-trunc --format '{{.Names}} {{.Command}} {{.Ports}} {{.State}}'",
        "inspect -f '{{.Name}} {{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}} {{.Config.Env}} {{json .HostConfig.PortBindings}}' one",
        "start one",
        "wait one",
        "logs one",
        "ps -a --format '{{.Names}}\t{{.Status}}'",
        "rename one two",
        "update --restart always two",
        "inspect -f '{{.Name}} {{.HostConfig.RestartPolicy.Name}}' two",
        "rm two",
        "ps -a",
    ]);
    drydock::snapshot!("containers_transcript", text);
}

#[test]
fn inspect_has_dockers_keys_in_order() {
    let t = TestContext::new();
    ok(&t, "create --name ii busybox true");
    let out = ok(&t, "inspect ii");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let keys: Vec<&str> = v[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "Id",
            "Created",
            "Path",
            "Args",
            "State",
            "Image",
            "ResolvConfPath",
            "HostnamePath",
            "HostsPath",
            "LogPath",
            "Name",
            "RestartCount",
            "Driver",
            "Platform",
            "MountLabel",
            "ProcessLabel",
            "AppArmorProfile",
            "ExecIDs",
            "HostConfig",
            "GraphDriver",
            "Mounts",
            "Config",
            "NetworkSettings"
        ]
    );
    assert!(out.starts_with("[\n    {\n        \"Id\": "));
    assert_eq!(v[0]["HostConfig"].as_object().unwrap().len(), 65);
    // `docker inspect` finds containers before images; `image inspect` only images.
    let (_, err, code) = t.docker("image inspect ii");
    assert_eq!((err.as_str(), code), ("Error: No such image: ii\n", 1));
    let (_, err, code) = t.docker("container inspect busybox");
    assert_eq!(
        (err.as_str(), code),
        ("Error: No such container: busybox\n", 1)
    );
}

#[test]
fn info_and_version_layouts() {
    let t = TestContext::new();
    ok(&t, "create busybox true");
    let info = ok(&t, "info");
    for line in [
        "Server:\n Containers: 1\n  Running: 0\n  Paused: 0\n  Stopped: 1\n Images: 1\n Server Version: 20.10.24\n Storage Driver: overlay2\n  Backing Filesystem: extfs\n  Supports d_type: true\n  Native Overlay Diff: true\n  userxattr: false\n Logging Driver: json-file\n",
        " Docker Root Dir: /var/lib/docker\n",
        " Insecure Registries:\n  127.0.0.0/8\n Live Restore Enabled: false\n",
    ] {
        assert!(info.contains(line), "{line}\n---\n{info}");
    }
    let v = ok(&t, "version");
    assert!(v.starts_with("Client:\n Version:           20.10.24\n API version:       1.41\n Go version:        go1.19.8\n"));
    assert!(
        v.contains("\nServer: Docker Engine - Community\n Engine:\n  Version:          20.10.24\n")
    );
    t.engine.daemon_shutdown(DaemonStatus::Stopped).unwrap();
    let (out, err, code) = t.docker("version");
    assert!(out.starts_with("Client:\n") && !out.contains("Server"));
    assert_eq!(code, 1);
    assert!(err.starts_with("Cannot connect to the Docker daemon"));
}

#[test]
fn an_invalid_daemon_json_keeps_the_daemon_down() {
    let t = TestContext::new();
    t.engine.daemon_shutdown(DaemonStatus::Stopped).unwrap();
    std::fs::write(t.home.path().join("etc/docker/daemon.json"), "{ bad").unwrap();
    let e = t.engine.daemon_boot().unwrap_err().to_string();
    assert!(
        e.starts_with("unable to configure the Docker daemon with file /etc/docker/daemon.json: "),
        "{e}"
    );
    std::fs::write(
        t.home.path().join("etc/docker/daemon.json"),
        r#"{"insecure-registries": ["myreg:5000"], "debug": true}"#,
    )
    .unwrap();
    t.engine.daemon_boot().unwrap();
    let info = ok(&t, "info");
    assert!(
        info.contains(" Insecure Registries:\n  myreg:5000\n  127.0.0.0/8\n"),
        "{info}"
    );
    assert!(info.contains(" Debug Mode: true\n"));
}

#[test]
fn container_prune_and_system_df() {
    let t = TestContext::new();
    ok(&t, "create --name gone busybox true");
    let id = field(&t, "gone", "{{.Id}}");
    let (out, _, _) = t.docker_with_input("container prune", "n\n");
    assert_eq!(
        out,
        "WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] Total reclaimed space: 0B\n"
    );
    assert_eq!(
        ok(&t, "container prune -f"),
        format!("Deleted Containers:\n{id}\n\nTotal reclaimed space: 0B\n")
    );
    let df = ok(&t, "system df");
    assert!(
        df.starts_with("TYPE            TOTAL     ACTIVE    SIZE"),
        "{df}"
    );
    let (out, _, _) = t.docker_with_input("system prune", "n\n");
    assert!(out.starts_with("WARNING! This will remove:\n  - all stopped containers\n"));
}

#[test]
fn attach_forwards_stdin_to_an_interactive_container_and_streams_its_output() {
    let t = TestContext::new();
    let id = ok(&t, "run -di --name cc busybox cat").trim().to_string();
    let pid = field(&t, "cc", "{{.State.Pid}}");
    let log = t
        .home
        .path()
        .join(format!("var/lib/docker/containers/{id}/{id}-json.log"));
    // The container's stdin stays open after the attach's input ends, as in Docker: the attach
    // lasts until the container exits, here by a signal once its echo is in the log.
    let killer = std::thread::spawn(move || {
        eventually(10, "the echo in the log", || {
            std::fs::read_to_string(&log).is_ok_and(|s| s.contains("hello"))
        });
        let pid: i32 = pid.parse().expect("pid");
        // SAFETY: kill on the container's own process.
        unsafe {
            libc::kill(pid, libc::SIGTERM);
        }
    });
    let (out, err, code) = t.docker_with_input("attach cc", "hello\n");
    killer.join().expect("killer");
    assert_eq!(out, "hello\n", "stderr: {err}");
    assert_eq!(code, 143);
    assert_eq!(field(&t, "cc", "{{.State.Status}}"), "exited");
}

#[test]
fn host_network_with_published_ports_warns_as_docker() {
    // Docker 20.10.24: the daemon's create warning, printed by the CLI on stderr for run and
    // create alike; the container is made anyway.
    let t = TestContext::new();
    ok(&t, "pull -q busybox");
    for cmd in [
        "create --network host -p 8080:80 busybox true",
        "run -d --network host -p 8081:80 busybox true",
    ] {
        let (out, err, code) = t.docker(cmd);
        assert_eq!(code, 0, "{cmd}: {err}");
        assert_eq!(out.trim().len(), 64, "{cmd}");
        assert_eq!(
            err,
            "WARNING: Published ports are discarded when using host network mode\n"
        );
    }
    let (_, err, _) = t.docker("create --network host busybox true");
    assert_eq!(err, "");
}

#[test]
fn expose_and_the_port_and_health_filters_are_dockers() {
    // Recorded from Docker 20.10.24: `--expose` ranges and protocols, its client-side errors
    // (create's help line, 125), and ps's publish=/expose=/health= filters and their errors.
    let t = TestContext::new();
    ok(&t, "pull -q busybox");
    let id = ok(&t, "create --expose 7000-7002/udp --expose 90 busybox");
    assert_eq!(
        field(&t, id.trim(), "{{json .Config.ExposedPorts}}"),
        r#"{"7000/udp":{},"7001/udp":{},"7002/udp":{},"90/tcp":{}}"#
    );
    for (value, msg) in [
        (
            "abc",
            "invalid range format for --expose: abc, error: strconv.ParseUint: parsing \"abc\": invalid syntax",
        ),
        ("80:80", "invalid port format for --expose: 80:80"),
        (
            "9-3",
            "invalid range format for --expose: 9-3, error: Invalid range specified for the Port: 9-3",
        ),
    ] {
        let (_, err, code) = t.docker(&format!("create --expose {value} busybox"));
        assert_eq!(code, 125, "{value}");
        assert_eq!(
            err,
            format!("docker: {msg}.\nSee 'docker create --help'.\n")
        );
    }
    ok(
        &t,
        "run -d --name pf -p 8085:80 --expose 90 busybox sleep 30",
    );
    ok(&t, "run -d --name pg busybox sleep 30");
    let names = |filter: &str| {
        ok(
            &t,
            &format!("ps --filter {filter} --format '{{{{.Names}}}}'"),
        )
    };
    assert_eq!(names("publish=80"), "pf\n");
    assert_eq!(names("publish=90"), "");
    assert_eq!(names("publish=80/udp"), "");
    assert_eq!(names("expose=90"), "pf\n");
    assert_eq!(names("expose=79-81/tcp"), "pf\n");
    assert_eq!(names("health=none"), "pg\npf\n");
    assert_eq!(names("health=healthy"), "");
    for (filter, msg) in [
        (
            "publish=80:80",
            "filter for 'publish' should not contain ':': 80:80",
        ),
        (
            "publish=abc",
            "error while looking up for publish abc: strconv.ParseUint: parsing \"abc\": invalid syntax",
        ),
        (
            "expose=70000",
            "error while looking up for expose 70000: strconv.ParseUint: parsing \"70000\": value out of range",
        ),
        ("health=foo", "Unrecognised filter value for health: foo"),
    ] {
        let (_, err, code) = t.docker(&format!("ps --filter {filter}"));
        assert_eq!(code, 1, "{filter}");
        assert_eq!(err, format!("Error response from daemon: {msg}\n"));
    }
    ok(&t, "rm -f pf pg");
}

#[test]
fn a_detached_run_of_a_missing_command_fails_as_dockers() {
    // Docker 20.10.24: `run -d` prints the ID, then runc's error, and exits 127; the container
    // stays `Created`. The real init reports whether it found the command before the start
    // answers, so this holds however fast the supervisor is (it was a race before).
    let t = TestContext::new().with_real_init();
    ok(&t, "pull -q busybox");
    for _ in 0..3 {
        let (out, err, code) = t.docker("run -d busybox nosuchcmd");
        assert_eq!(code, 127, "{out}{err}");
        assert_eq!(out.trim().len(), 64);
        assert_eq!(
            err,
            "docker: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"nosuchcmd\": executable file not found in $PATH: unknown.\n"
        );
        let status = field(&t, out.trim(), "{{.State.Status}}");
        assert_eq!(status, "created");
    }
    // A command that is found starts and is reported running.
    let id = ok(&t, "run -d busybox sleep 30");
    assert_eq!(field(&t, id.trim(), "{{.State.Status}}"), "running");
    ok(&t, &format!("rm -f {}", id.trim()));
}
