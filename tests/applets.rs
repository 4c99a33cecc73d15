//! Containers' programs: the init started as the runtime starts it (`drydock __container-init
//! SPEC.json` on a rootfs assembled from a hub image), and what the applets do inside.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use drydock::engine::image::refs::Refs;
use drydock::engine::image::rootfs;
use drydock::engine::reference::Reference;
use drydock::engine::runtime::spec::{PortBinding, ProcessSpec};
use drydock::testing::TestContext;

/// One container's rootfs and the place for its specs.
struct Ct {
    _ctx: TestContext,
    dir: tempfile::TempDir,
    rootfs: PathBuf,
    env: Vec<String>,
}

struct Run {
    out: String,
    err: String,
    code: i32,
}

fn container(image: &str) -> Ct {
    let ctx = TestContext::new();
    let (_, err, code) = ctx.docker(&format!("pull {image}"));
    assert_eq!(code, 0, "{err}");
    let refs = Refs::load(ctx.engine.paths()).unwrap();
    let r = Reference::parse(image).unwrap().with_default_tag();
    let id = refs.get(&r).unwrap().clone();
    let img = ctx.engine.image_store().get(&id).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let rootfs = dir.path().join("rootfs");
    rootfs::assemble(ctx.engine.image_store(), &img, &rootfs).unwrap();
    let env = img
        .config
        .config
        .as_ref()
        .and_then(|c| c.env.clone())
        .unwrap_or_default();
    Ct {
        _ctx: ctx,
        dir,
        rootfs,
        env,
    }
}

impl Ct {
    fn spec(&self, args: &[&str]) -> ProcessSpec {
        let mut env = self.env.clone();
        env.push("HOSTNAME=abc123def456".into());
        env.push("HOME=/root".into());
        ProcessSpec {
            container_id: "abc123def456".repeat(5) + "abcd",
            rootfs: self.rootfs.clone(),
            args: args.iter().map(|s| s.to_string()).collect(),
            env,
            cwd: "/".into(),
            user: String::new(),
            hostname: "abc123def456".into(),
            tty: false,
            stdin_open: false,
            ports: BTreeMap::new(),
            labels: BTreeMap::new(),
            ..Default::default()
        }
    }

    fn write_spec(&self, spec: &ProcessSpec) -> PathBuf {
        let path = self.dir.path().join(format!("spec-{}.json", rand_suffix()));
        fs::write(&path, serde_json::to_vec(spec).unwrap()).unwrap();
        path
    }

    fn command(&self, spec: &ProcessSpec) -> Command {
        let path = self.write_spec(spec);
        let mut c = Command::new(env!("CARGO_BIN_EXE_drydock"));
        // In a process group of its own, as the runtime starts a container.
        use std::os::unix::process::CommandExt;
        c.arg("__container-init").arg(path).process_group(0);
        c
    }

    fn run_spec(&self, spec: &ProcessSpec, stdin: &str) -> Run {
        let mut child = self
            .command(spec)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let o = child.wait_with_output().unwrap();
        Run {
            out: String::from_utf8_lossy(&o.stdout).into_owned(),
            err: String::from_utf8_lossy(&o.stderr).into_owned(),
            code: o.status.code().unwrap_or(-1),
        }
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_spec(&self.spec(args), "")
    }

    fn sh(&self, line: &str) -> Run {
        self.run(&["/bin/sh", "-c", line])
    }

    fn read(&self, path: &str) -> String {
        fs::read_to_string(self.rootfs.join(path.trim_start_matches('/'))).unwrap_or_default()
    }
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    N.fetch_add(1, Ordering::Relaxed).to_string()
}

const RUN_PREFIX: &str = "docker: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ";

#[test]
fn missing_and_unrunnable_commands_fail_as_docker() {
    let ct = container("alpine:3.15");
    let r = ct.run(&["/bin/bash"]);
    assert_eq!(
        r.err,
        format!(
            "{RUN_PREFIX}exec: \"/bin/bash\": stat /bin/bash: no such file or directory: unknown.\n"
        )
    );
    assert_eq!(r.code, 127);
    let r = ct.run(&["nosuchcmd"]);
    assert_eq!(
        r.err,
        format!("{RUN_PREFIX}exec: \"nosuchcmd\": executable file not found in $PATH: unknown.\n")
    );
    assert_eq!(r.code, 127);
    let r = ct.run(&["/etc/passwd"]);
    assert_eq!(
        r.err,
        format!("{RUN_PREFIX}exec: \"/etc/passwd\": permission denied: unknown.\n")
    );
    assert_eq!(r.code, 126);
}

#[test]
fn init_writes_hostname_and_hosts_and_runs_sh_c() {
    let ct = container("alpine:3.15");
    let r = ct.sh("echo hi; cat /etc/hostname; hostname; exit 3");
    assert_eq!(r.out, "hi\nabc123def456\nabc123def456\n");
    assert_eq!(r.code, 3);
    assert_eq!(
        ct.read("/etc/hosts"),
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n172.17.0.2\tabc123def456\n"
    );
    // Confined: the container's `/` is its rootfs.
    let r = ct.sh("cat /etc/os-release | grep ^ID=; ls /bin/busybox; cd /; pwd");
    assert_eq!(r.out, "ID=alpine\n/bin/busybox\n/\n");
    // A program the image lacks is not found, in the shell's words.
    let r = ct.sh("bash -c true");
    assert_eq!(r.err, "sh: bash: not found\n");
    assert_eq!(r.code, 127);
}

#[test]
fn working_dir_is_created_and_env_is_the_specs() {
    let ct = container("centos:7");
    let mut spec = ct.spec(&["bash", "-c", "pwd; echo $GREETING; env | grep ^PATH="]);
    spec.cwd = "/srv/app".into();
    spec.env.push("GREETING=hello".into());
    let r = ct.run_spec(&spec, "");
    assert_eq!(
        r.out,
        "/srv/app\nhello\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
    );
    assert!(ct.rootfs.join("srv/app").is_dir());
}

#[test]
fn scripts_run_with_the_shell() {
    let ct = container("ubuntu:20.04");
    fs::write(ct.rootfs.join("run.sh"), "#!/bin/sh\necho \"script $1\"\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(ct.rootfs.join("run.sh"), fs::Permissions::from_mode(0o755)).unwrap();
    let r = ct.run(&["/run.sh", "arg"]);
    assert_eq!(r.out, "script arg\n");
    assert_eq!(r.code, 0);
}

#[test]
fn interactive_shell_reads_lines_and_exits_with_status() {
    let ct = container("centos:7");
    let mut spec = ct.spec(&["/bin/bash"]);
    spec.tty = true;
    let r = ct.run_spec(&spec, "cd /etc\necho in $(pwd)\nexit 4\n");
    assert_eq!(r.out, "in /etc\n");
    assert_eq!(
        r.err,
        "[root@abc123def456 /]# [root@abc123def456 etc]# [root@abc123def456 etc]# "
    );
    assert_eq!(r.code, 4);
    let ct = container("ubuntu:20.04");
    let mut spec = ct.spec(&["bash"]);
    spec.tty = true;
    let r = ct.run_spec(&spec, "");
    assert_eq!(r.err, "root@abc123def456:/# exit\n");
    let ct = container("alpine:3.15");
    let mut spec = ct.spec(&["/bin/sh"]);
    spec.tty = true;
    let r = ct.run_spec(&spec, "exit\n");
    assert_eq!(r.err, "/ # ");
    // Without a terminal the shell reads its input as a script.
    let r = ct.run_spec(&ct.spec(&["sh"]), "echo a\necho b\n");
    assert_eq!(r.out, "a\nb\n");
}

#[test]
fn hello_world_prints_its_message() {
    let ct = container("hello-world");
    let r = ct.run(&["/hello"]);
    assert!(r.out.starts_with("\nHello from Docker!\nThis message shows that your installation appears to be working correctly.\n"));
    assert!(r.out.ends_with("https://docs.docker.com/get-started/\n\n"));
    assert_eq!(r.code, 0);
}

#[test]
fn yum_installs_files_and_the_rpm_entry() {
    let ct = container("centos:7");
    let r = ct.sh("yum install -y httpd");
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    assert!(
        r.out.starts_with("Loaded plugins: fastestmirror, ovl\n"),
        "{}",
        r.out
    );
    assert!(
        r.out
            .contains("---> Package httpd.x86_64 0:2.4.6-99.el7.centos.1 will be installed\n")
    );
    assert!(
        r.out
            .contains("\nInstalled:\n  httpd.x86_64 0:2.4.6-99.el7.centos.1\n\nComplete!\n")
    );
    assert_eq!(ct.read("/usr/sbin/httpd"), "#!drydock-applet httpd\n");
    assert!(
        ct.read("/var/lib/rpm/Packages")
            .contains("httpd-2.4.6-99.el7.centos.1.x86_64\n")
    );
    let r = ct.sh("yum install -y httpd");
    assert!(r.out.contains("Package httpd-2.4.6-99.el7.centos.1 already installed and latest version\nNothing to do\n"), "{}", r.out);
    let r = ct.sh("yum install -y nosuchpkg");
    assert!(
        r.out
            .ends_with("No package nosuchpkg available.\nError: Nothing to do\n"),
        "{}",
        r.out
    );
    assert_eq!(r.code, 1);
    // nginx is EPEL's.
    assert!(
        ct.sh("yum install -y nginx")
            .out
            .contains("No package nginx available.")
    );
    assert_eq!(
        ct.sh("yum install -y epel-release && yum install -y nginx")
            .code,
        0
    );
    assert_eq!(ct.read("/usr/sbin/nginx"), "#!drydock-applet nginx\n");
    let r = ct.sh("yum list installed | grep httpd");
    assert!(r.out.starts_with("httpd.x86_64"), "{}", r.out);
    let r = ct.sh("yum remove -y httpd; ls /usr/sbin/httpd");
    assert!(r.out.contains("Removed:\n  httpd.x86_64"), "{}", r.out);
    assert!(!ct.read("/var/lib/rpm/Packages").contains("httpd-"));
}

#[test]
fn apt_get_needs_update_then_installs() {
    let ct = container("debian:bullseye");
    let r = ct.sh("apt-get install -y curl");
    assert_eq!(
        r.out,
        "Reading package lists... Done\nBuilding dependency tree... Done\nReading state information... Done\nE: Unable to locate package curl\n"
    );
    assert_eq!(r.code, 100);
    let r = ct.sh("apt-get update");
    assert!(
        r.out
            .starts_with("Get:1 http://deb.debian.org/debian bullseye InRelease [116 kB]\n"),
        "{}",
        r.out
    );
    assert!(r.out.ends_with("Reading package lists... Done\n"));
    let r = ct.sh("apt-get install -y curl && curl --version >/dev/null; echo $?");
    assert!(
        r.out.contains("Setting up curl (7.74.0-1.3+deb11u7) ...\n"),
        "{}",
        r.out
    );
    assert!(
        ct.read("/var/lib/dpkg/status")
            .contains("Package: curl\nStatus: install ok installed\n")
    );
    assert_eq!(ct.read("/usr/bin/curl"), "#!drydock-applet curl\n");
    let r = ct.sh("apt-get install -y nosuchpkg");
    assert!(r.out.ends_with("E: Unable to locate package nosuchpkg\n"));
    assert_eq!(r.code, 100);
}

#[test]
fn apk_adds_packages_and_refuses_unknown_ones() {
    let ct = container("alpine:3.15");
    let r = ct.sh("apk add --no-cache curl");
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(
        r.out.contains("(1/1) Installing curl (7.80.0-r6)\n"),
        "{}",
        r.out
    );
    assert!(
        ct.read("/lib/apk/db/installed")
            .contains("P:curl\nV:7.80.0-r6\n")
    );
    assert!(ct.read("/etc/apk/world").contains("curl\n"));
    let r = ct.sh("apk add foo");
    assert!(r.err.ends_with("ERROR: unable to select packages:\n  foo (no such package):\n    required by: world[foo]\n"), "{}", r.err);
    assert_eq!(r.code, 1);
}

#[test]
fn htpasswd_makes_real_bcrypt_lines() {
    let ct = container("httpd:2.4");
    let r = ct.run(&["htpasswd", "-Bbn", "alice", "s3cret"]);
    assert_eq!(r.code, 0, "{}", r.err);
    let line = r.out.strip_suffix("\n\n").unwrap();
    let (user, hash) = line.split_once(':').unwrap();
    assert_eq!(user, "alice");
    assert!(hash.starts_with("$2y$05$"), "{hash}");
    assert!(bcrypt::verify("s3cret", hash).unwrap());
    let r = ct.run(&["htpasswd", "-c", "-B", "-b", "/tmp/htpasswd", "bob", "pw"]);
    assert_eq!(r.err, "Adding password for user bob\n");
    let file = ct.read("/tmp/htpasswd");
    let hash = file.trim_end().strip_prefix("bob:").unwrap();
    assert!(bcrypt::verify("pw", hash).unwrap());
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn http_get(port: u16, path: &str) -> Option<String> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: curl/7.81.0\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

fn wait_get(port: u16, path: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(r) = http_get(port, path) {
            return r;
        }
        assert!(Instant::now() < deadline, "server never answered");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn serve_and_stop(
    ct: &Ct,
    args: &[&str],
    signal: i32,
    check: impl Fn(u16),
) -> (String, String, i32) {
    serve_port_and_stop(ct, args, "80/tcp", signal, check)
}

/// Runs `args` with `container_port` published on a free host port, runs `check` with that
/// port, then sends `signal` and collects the output and exit status.
fn serve_port_and_stop(
    ct: &Ct,
    args: &[&str],
    container_port: &str,
    signal: i32,
    check: impl Fn(u16),
) -> (String, String, i32) {
    let port = free_port();
    let mut spec = ct.spec(args);
    spec.ports.insert(
        container_port.into(),
        vec![PortBinding {
            host_ip: String::new(),
            host_port: port.to_string(),
        }],
    );
    let mut child = ct
        .command(&spec)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Stop the child even when `check` panics, so no server outlives the test.
    let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(port)));
    if let Err(p) = checked {
        let _ = child.kill();
        let _ = child.wait();
        std::panic::resume_unwind(p);
    }
    // SAFETY: signalling the child we started.
    unsafe { libc::kill(child.id() as i32, signal) };
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "server did not stop");
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut out = String::new();
    let mut err = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (out, err, status.code().unwrap_or(-1))
}

#[test]
fn servers_listen_on_the_port_their_configuration_names() {
    // The Software Collections image listens on 8080 (`Listen 0.0.0.0:8080`, a non-root user):
    // `-p 8080:8080` reaches it, as with Docker.
    let ct = container("centos/httpd-24-centos7");
    let (_, _, code) =
        serve_port_and_stop(&ct, &["run-httpd"], "8080/tcp", libc::SIGWINCH, |port| {
            let r = wait_get(port, "/");
            assert!(r.contains("Server: Apache/2.4.6 (CentOS)\r\n"), "{r}");
        });
    assert_eq!(code, 0);
}

#[test]
fn httpd_serves_the_document_root_over_a_real_socket() {
    let ct = container("httpd:2.4");
    fs::write(
        ct.rootfs.join("usr/local/apache2/htdocs/hello.html"),
        "<h1>hello</h1>\n",
    )
    .unwrap();
    let (out, err, code) = serve_and_stop(&ct, &["httpd-foreground"], libc::SIGWINCH, |port| {
        let r = wait_get(port, "/");
        assert!(r.starts_with("HTTP/1.1 200 OK\r\n"), "{r}");
        assert!(r.contains("Server: Apache/2.4.52 (Unix)\r\n"));
        assert!(
            r.ends_with("<html><body><h1>It works!</h1></body></html>\n"),
            "{r}"
        );
        let r = wait_get(port, "/hello.html");
        assert!(r.ends_with("\r\n\r\n<h1>hello</h1>\n"), "{r}");
        let r = wait_get(port, "/nope");
        assert!(r.starts_with("HTTP/1.1 404 Not Found\r\n"));
        assert!(r.contains("<p>The requested URL was not found on this server.</p>"));
    });
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("172.17.0.1 - - ["));
    assert!(
        lines[0].ends_with("] \"GET / HTTP/1.1\" 200 45"),
        "{}",
        lines[0]
    );
    assert!(
        lines[2].ends_with("\"GET /nope HTTP/1.1\" 404 196"),
        "{}",
        lines[2]
    );
    assert!(err.contains("AH00094: Command line: 'httpd -D FOREGROUND'"));
    assert!(err.contains("AH00492: caught SIGWINCH, shutting down gracefully"));
}

#[test]
fn nginx_image_runs_its_entrypoint_and_serves() {
    let ct = container("nginx:1.21");
    let (out, err, code) = serve_and_stop(
        &ct,
        &["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"],
        libc::SIGQUIT,
        |port| {
            let r = wait_get(port, "/");
            assert!(r.contains("Server: nginx/1.21.5\r\n"), "{r}");
            assert!(r.contains("<title>Welcome to nginx!</title>"));
            let r = wait_get(port, "/missing");
            assert!(
                r.ends_with("<hr><center>nginx/1.21.5</center>\r\n</body>\r\n</html>\r\n"),
                "{r}"
            );
        },
    );
    assert_eq!(code, 0);
    assert!(
        out.starts_with("/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty"),
        "{out}"
    );
    assert!(
        out.contains("\"GET / HTTP/1.1\" 200 615 \"-\" \"curl/7.81.0\" \"-\""),
        "{out}"
    );
    assert!(err.contains("[notice] 1#1: signal 3 (SIGQUIT) received, shutting down"));
}

#[test]
fn bash_as_pid_1_ignores_sigterm_but_servers_stop() {
    let ct = container("redis:6");
    let (out, _, code) = serve_and_stop(
        &ct,
        &["docker-entrypoint.sh", "redis-server"],
        libc::SIGTERM,
        |_| {
            std::thread::sleep(Duration::from_millis(200));
        },
    );
    assert_eq!(code, 0);
    assert!(out.contains("* Ready to accept connections"), "{out}");
    assert!(out.contains("Redis is now ready to exit, bye bye..."));
    // `sleep` as the first process does not die of SIGTERM (Docker then kills it after 10 s).
    let mut child = ct
        .command(&ct.spec(&["sleep", "30"]))
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    // SAFETY: signalling the child we started.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    std::thread::sleep(Duration::from_millis(300));
    assert!(child.try_wait().unwrap().is_none());
    child.kill().unwrap();
    let _ = child.wait();
}

#[test]
fn ps_shows_the_init_as_pid_1() {
    let ct = container("centos:7");
    let r = ct.sh("ps");
    assert_eq!(
        r.out,
        "    PID TTY          TIME CMD\n      1 ?        00:00:00 sh\n      2 ?        00:00:00 ps\n"
    );
    let r = ct.run(&["ps", "-ef"]);
    let lines: Vec<&str> = r.out.lines().collect();
    assert_eq!(
        lines[0],
        "UID          PID    PPID  C STIME TTY          TIME CMD"
    );
    assert!(
        lines[1].starts_with("root           1       0  0 "),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].ends_with(" ?        00:00:00 ps -ef"),
        "{}",
        lines[1]
    );
    let ct = container("busybox");
    let r = ct.run(&["ps"]);
    assert_eq!(
        r.out,
        "PID   USER     TIME  COMMAND\n    1 root      0:00 ps\n"
    );
}

#[test]
fn busybox_links_run_their_applets() {
    let ct = container("busybox");
    let r = ct.run(&["sh", "-c", "echo $0; busybox echo via busybox; uname"]);
    assert_eq!(r.out, "sh\nvia busybox\nLinux\n");
    let _ = Path::new("/");
}

/// The spec's uid, gid and groups are the process's as its programs see them: `id`, `whoami`,
/// the prompt (`$` for a non-root user; BusyBox ash's `\w \$ `), ash's words for a write it
/// may not make, and the owner of what it makes (`ls -l`). Docker 20.10.24 answered
/// `docker run -it -u nobody busybox sh` the same way.
#[test]
fn the_specs_user_is_the_process_user() {
    let ct = container("busybox");
    let mut spec = ct.spec(&["sh", "-i"]);
    spec.uid = 65534;
    spec.gid = 65534;
    spec.groups = vec![65534];
    spec.env.retain(|e| !e.starts_with("HOME="));
    spec.env.push("HOME=/home".into());
    let r = ct.run_spec(
        &spec,
        "id\nwhoami\necho hi > /etc/x\necho hi > /tmp/f\nls -l /tmp/f | cut -d\" \" -f3,4\nexit\n",
    );
    assert_eq!(
        r.out,
        "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\nnobody\nnobody nogroup\n"
    );
    assert_eq!(
        r.err,
        "/ $ / $ / $ sh: can't create /etc/x: Permission denied\n/ $ / $ / $ "
    );
    assert!(!ct.rootfs.join("etc/x").exists());
    // Root (no user in the spec) keeps `#`.
    let r = ct.run_spec(&ct.spec(&["sh", "-i"]), "exit\n");
    assert_eq!(r.err, "/ # ");
}

#[test]
fn tini_passes_its_childs_exit_status_and_signals() {
    let ct = container("jenkins/jenkins:lts");
    let r = ct.run(&["/usr/bin/tini", "--", "sh", "-c", "echo child; exit 3"]);
    assert_eq!((r.out.as_str(), r.code), ("child\n", 3), "{}", r.err);
    let r = ct.run(&["/usr/bin/tini", "--", "nosuchcmd"]);
    assert_eq!(r.code, 127, "{}", r.err);
    let r = ct.run(&["/usr/bin/tini"]);
    assert_eq!(r.code, 1);
    assert!(
        r.err.contains("[FATAL tini (1)] No program to run"),
        "{}",
        r.err
    );
    // Below tini, `sleep` is not PID 1: SIGTERM ends it (a bare `sleep` ignores it).
    let mut child = ct
        .command(&ct.spec(&["/usr/bin/tini", "--", "sleep", "30"]))
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    // SAFETY: signalling the child we started.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let deadline = Instant::now() + Duration::from_secs(5);
    let ended = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if Instant::now() > deadline {
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    if ended.is_none() {
        child.kill().unwrap();
        let _ = child.wait();
    }
    assert!(ended.is_some(), "sleep below tini ignored SIGTERM");
}

#[test]
fn jenkins_starts_serves_its_login_page_and_writes_the_admin_password() {
    let ct = container("jenkins/jenkins:lts");
    let (_, err, code) = serve_port_and_stop(
        &ct,
        &["/usr/bin/tini", "--", "/usr/local/bin/jenkins.sh"],
        "8080/tcp",
        libc::SIGTERM,
        |port| {
            let r = wait_get(port, "/");
            assert!(r.starts_with("HTTP/1.1 403 Forbidden\r\n"), "{r}");
            assert!(r.contains("X-Jenkins: 2.319.1\r\n"), "{r}");
            assert!(r.contains("Authentication required"), "{r}");
            let r = wait_get(port, "/login?from=%2F");
            assert!(r.starts_with("HTTP/1.1 200 OK\r\n"), "{r}");
            assert!(r.contains("Unlock Jenkins"), "{r}");
        },
    );
    assert_eq!(code, 143, "{err}");
    let pw = ct.read("/var/jenkins_home/secrets/initialAdminPassword");
    let pw = pw.trim();
    assert_eq!(pw.len(), 32, "{pw:?}");
    assert!(pw.chars().all(|c| c.is_ascii_hexdigit()), "{pw:?}");
    assert!(err.contains("Jenkins initial setup is required."), "{err}");
    assert!(err.contains(&format!("\n\n{pw}\n\nThis may also be found at: /var/jenkins_home/secrets/initialAdminPassword\n")), "{err}");
    assert!(err.contains("Jenkins is fully up and running"), "{err}");
    assert!(err.contains("Jenkins stopped"), "{err}");
}

#[test]
fn tomcat_catalina_run_serves_a_404_on_8080() {
    let ct = container("tomcat:9.0");
    let (out, err, code) = serve_port_and_stop(
        &ct,
        &["catalina.sh", "run"],
        "8080/tcp",
        libc::SIGTERM,
        |port| {
            let r = wait_get(port, "/");
            assert!(r.starts_with("HTTP/1.1 404 \r\n"), "{r}");
            assert!(r.contains("<h3>Apache Tomcat/9.0.56</h3>"), "{r}");
        },
    );
    assert_eq!(code, 143, "{err}");
    assert!(
        out.contains("Using CATALINA_BASE:   /usr/local/tomcat"),
        "{out}"
    );
    assert!(err.contains("Server startup in"), "{err}");
}

#[test]
fn bitnami_apache_sets_up_then_serves_on_8080() {
    let ct = container("bitnami/apache:2.4");
    let (out, _, code) = serve_port_and_stop(
        &ct,
        &[
            "/opt/bitnami/scripts/apache/entrypoint.sh",
            "/opt/bitnami/scripts/apache/run.sh",
        ],
        "8080/tcp",
        libc::SIGTERM,
        |port| {
            let r = wait_get(port, "/");
            assert!(r.starts_with("HTTP/1.1 200 OK\r\n"), "{r}");
            assert!(r.contains("<h1>It works!</h1>"), "{r}");
        },
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("Welcome to the Bitnami apache container"),
        "{out}"
    );
    assert!(out.contains("INFO  ==> ** Starting Apache **"), "{out}");
}

#[test]
fn bitnami_redis_wants_a_password() {
    let ct = container("bitnami/redis:6.2");
    let r = ct.run(&[
        "/opt/bitnami/scripts/redis/entrypoint.sh",
        "/opt/bitnami/scripts/redis/run.sh",
    ]);
    assert_eq!(r.code, 1, "{}", r.err);
    assert!(
        r.out
            .contains("ERROR ==> The REDIS_PASSWORD environment variable is empty")
    );
}

#[test]
fn language_images_interpreters_end_on_empty_stdin_and_refuse_programs() {
    let ct = container("python:3.10");
    let r = ct.run(&["python3"]);
    assert_eq!((r.out.as_str(), r.err.as_str(), r.code), ("", "", 0));
    let r = ct.run(&["python3", "--version"]);
    assert_eq!(r.out, "Python 3.10.1\n");
    let r = ct.run(&["python3", "app.py"]);
    assert_eq!(r.code, 1);
    assert!(
        r.err.contains("drydock does not run python programs"),
        "{}",
        r.err
    );
    let ct = container("php:8.1-cli");
    let r = ct.run(&["docker-php-entrypoint", "-v"]);
    assert!(r.out.starts_with("PHP 8.1"), "{}", r.out);
}
