//! The REPL driven through a pseudo-terminal, as a learner types: the prompt, tab completion from
//! the command tables, Ctrl-C stopping a running command without leaving the shell, and `exit`;
//! interactive containers (`run -it`, `attach` and Ctrl-P Ctrl-Q, `exec -it`).

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Pty {
    home: std::path::PathBuf,
    master: File,
    child: Child,
    seen: String,
}

impl Pty {
    fn spawn(home: &std::path::Path) -> Pty {
        let mut master: libc::c_int = 0;
        let mut slave: libc::c_int = 0;
        let ws = libc::winsize {
            ws_row: 40,
            ws_col: 120,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: openpty writes two descriptors into the given ints; the other pointers are null
        // or valid.
        let rc = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                &ws,
            )
        };
        assert_eq!(rc, 0, "openpty");
        // SAFETY: both descriptors were just returned by openpty and are owned here.
        let (master, slave) = unsafe { (File::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_drydock"));
        cmd.arg("--home")
            .arg(home)
            .env("TERM", "xterm")
            .env_remove("NO_COLOR");
        cmd.stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave));
        // SAFETY: setsid and ioctl are async-signal-safe; they make the pty the child's
        // controlling terminal so Ctrl-C reaches it as SIGINT.
        unsafe {
            cmd.pre_exec(|| {
                libc::setsid();
                libc::ioctl(0, libc::TIOCSCTTY, 0);
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn drydock");
        // Non-blocking reads, so waiting has a deadline.
        // SAFETY: fcntl on a descriptor we own.
        unsafe {
            let fl = libc::fcntl(master.as_raw_fd(), libc::F_GETFL);
            libc::fcntl(master.as_raw_fd(), libc::F_SETFL, fl | libc::O_NONBLOCK);
        }
        Pty {
            home: home.to_path_buf(),
            master,
            child,
            seen: String::new(),
        }
    }

    fn send(&mut self, s: &str) {
        self.master.write_all(s.as_bytes()).unwrap();
        self.master.flush().unwrap();
    }

    /// Waits until the output since the last call contains `what`; returns that output.
    fn expect(&mut self, what: &str, within: Duration) -> String {
        let start = Instant::now();
        let mut buf = [0u8; 4096];
        loop {
            if let Some(i) = self.seen.find(what) {
                let upto = self.seen[..i + what.len()].to_string();
                self.seen = self.seen[i + what.len()..].to_string();
                return upto;
            }
            match self.master.read(&mut buf) {
                Ok(0) => {}
                Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buf[..n])),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(10))
                }
                Err(_) => {}
            }
            assert!(
                start.elapsed() < within,
                "did not see {what:?} within {within:?}; output so far: {:?}",
                self.seen
            );
        }
    }
}

impl Drop for Pty {
    /// Lets a shell that was told to `exit` shut its daemon down (its containers stop), then
    /// makes sure nothing the test started outlives it.
    fn drop(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = Command::new(env!("CARGO_BIN_EXE_drydock"))
            .arg("--home")
            .arg(&self.home)
            .args([
                "-c",
                "docker rm -f $(docker ps -aq) >/dev/null 2>&1; systemctl stop docker",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

const PROMPT: &str = "root@drydock:~# ";

#[test]
fn prompt_completion_ctrl_c_and_exit() {
    let home = tempfile::tempdir().unwrap();
    let mut t = Pty::spawn(home.path());
    let welcome = t.expect(PROMPT, Duration::from_secs(10));
    assert!(welcome.contains("Welcome to drydock"), "{welcome}");

    // Tab completes the command name, then the docker subcommand.
    t.send("doc\t");
    t.expect("docker ", Duration::from_secs(5));
    t.send("sea\t");
    t.expect("search ", Duration::from_secs(5));
    t.send("--lim\t");
    t.expect("--limit ", Duration::from_secs(5));
    t.send("1 redis\r");
    let out = t.expect(PROMPT, Duration::from_secs(10));
    assert!(out.contains("NAME") && out.contains("redis"), "{out}");

    // Ctrl-C at the prompt drops the line and keeps the shell.
    t.send("docker images\x03");
    t.expect(PROMPT, Duration::from_secs(5));

    // Ctrl-C stops a running command (status 130) and the shell stays.
    t.send("sleep 30\r");
    std::thread::sleep(Duration::from_millis(300));
    let start = Instant::now();
    t.send("\x03");
    t.expect(PROMPT, Duration::from_secs(5));
    assert!(start.elapsed() < Duration::from_secs(5));
    t.send("echo status=$?\r");
    t.expect("status=130", Duration::from_secs(5));
    t.expect(PROMPT, Duration::from_secs(5));

    t.send("exit 3\r");
    let start = Instant::now();
    let status = loop {
        if let Some(s) = t.child.try_wait().unwrap() {
            break s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "shell did not exit"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(3));
    // The history was kept in the virtual host's /root/.bash_history.
    let hist = std::fs::read_to_string(home.path().join("root/.bash_history")).unwrap();
    assert!(hist.contains("docker search --limit 1 redis"), "{hist}");
}

impl Pty {
    /// Leaves the REPL with `exit` (its daemon stops the containers) and waits for it.
    fn exit(&mut self) {
        self.send("exit\r");
        let start = Instant::now();
        while self.child.try_wait().unwrap().is_none() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "shell did not exit"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
fn run_it_gives_the_images_shell_and_exit_returns_to_the_host() {
    let home = tempfile::tempdir().unwrap();
    let mut t = Pty::spawn(home.path());
    t.expect(PROMPT, Duration::from_secs(10));
    t.send("docker run -it centos:6 /bin/bash\r");
    t.expect("[root@", Duration::from_secs(30));
    t.expect(" /]# ", Duration::from_secs(5));
    t.send("hostname\r");
    // The hostname is the container's short ID (echoed line, then the answer).
    let out = t.expect("]# ", Duration::from_secs(10));
    assert!(
        out.lines()
            .any(|l| l.trim().len() == 12 && l.trim().chars().all(|c| c.is_ascii_hexdigit())),
        "{out:?}"
    );
    t.send("exit\r");
    t.expect(PROMPT, Duration::from_secs(10));
    t.send("docker ps -a --format '{{.Status}}'\r");
    let out = t.expect(PROMPT, Duration::from_secs(10));
    assert!(out.contains("Exited (0)"), "{out:?}");
    t.exit();
}

#[test]
fn attach_detach_and_exec_it() {
    let home = tempfile::tempdir().unwrap();
    let mut t = Pty::spawn(home.path());
    t.expect(PROMPT, Duration::from_secs(10));
    t.send("docker run -dit --name ct centos:6 bash\r");
    t.expect(PROMPT, Duration::from_secs(30));
    t.send("docker attach ct\r");
    std::thread::sleep(Duration::from_millis(300));
    // Attaching shows nothing until the shell writes: Enter brings its prompt.
    t.send("\r");
    t.expect(" /]# ", Duration::from_secs(10));
    t.send("echo inside-$HOSTNAME-done\r");
    t.expect("-done\r\n", Duration::from_secs(10));
    t.send("\x10\x11");
    t.expect("read escape sequence", Duration::from_secs(10));
    t.expect(PROMPT, Duration::from_secs(10));
    t.send("docker ps --format '{{.Names}} {{.Status}}'\r");
    let out = t.expect(PROMPT, Duration::from_secs(10));
    assert!(out.contains("ct Up "), "{out:?}");
    // A second shell in the running container; leaving it leaves the container running.
    t.send("docker exec -it ct /bin/bash\r");
    t.expect(" /]# ", Duration::from_secs(10));
    t.send("cd /etc; pwd\r");
    t.expect("[root@", Duration::from_secs(10));
    t.expect(" etc]# ", Duration::from_secs(10));
    t.send("exit\r");
    t.expect(PROMPT, Duration::from_secs(10));
    t.send("docker ps --format '{{.Names}} {{.Status}}'\r");
    let out = t.expect(PROMPT, Duration::from_secs(10));
    assert!(out.contains("ct Up "), "{out:?}");
    // Attach again, and leave the shell: the container exits, attach returns its code.
    t.send("docker attach ct\r");
    std::thread::sleep(Duration::from_millis(300));
    t.send("exit 3\r");
    t.expect(PROMPT, Duration::from_secs(10));
    t.send("echo status=$?\r");
    t.expect("status=3", Duration::from_secs(5));
    t.expect(PROMPT, Duration::from_secs(5));
    t.send("docker ps -a --format '{{.Names}} {{.Status}}'\r");
    let out = t.expect(PROMPT, Duration::from_secs(10));
    assert!(out.contains("ct Exited (3)"), "{out:?}");
    t.exit();
}

/// daemon.json's storage driver takes effect when the daemon restarts: the other driver's images
/// disappear, `/var/lib/docker/vfs` appears, and switching back brings them back (§13).
#[test]
fn switching_the_storage_driver_hides_the_other_drivers_images() {
    let home = tempfile::tempdir().unwrap();
    let mut t = Pty::spawn(home.path());
    t.expect(PROMPT, Duration::from_secs(10));
    t.send("docker pull -q busybox\r");
    t.expect(PROMPT, Duration::from_secs(10));
    t.send("echo '{\"storage-driver\": \"vfs\"}' > /etc/docker/daemon.json\r");
    t.expect(PROMPT, Duration::from_secs(5));
    // Not read until the daemon restarts.
    t.send("docker images -q | wc -l\r");
    t.expect("1\r\n", Duration::from_secs(5));
    t.expect(PROMPT, Duration::from_secs(5));
    t.send("systemctl restart docker\r");
    t.expect(PROMPT, Duration::from_secs(10));
    t.send("docker info | grep 'Storage Driver'\r");
    t.expect("Storage Driver: vfs", Duration::from_secs(5));
    t.expect(PROMPT, Duration::from_secs(5));
    t.send("docker images -q | wc -l; ls /var/lib/docker\r");
    let out = t.expect(PROMPT, Duration::from_secs(5));
    assert!(out.contains("0\r\n") && out.contains("vfs"), "{out:?}");
    t.send(
        "echo '{}' > /etc/docker/daemon.json; systemctl restart docker; docker images -q | wc -l\r",
    );
    t.expect("1\r\n", Duration::from_secs(10));
    t.expect(PROMPT, Duration::from_secs(5));
    t.send("exit\r");
}

impl Pty {
    /// Sends a line and waits for the prompt after it; returns the output up to it.
    fn line(&mut self, line: &str, within: Duration) -> String {
        self.send(&format!("{line}\r"));
        self.expect(PROMPT, within)
    }

    /// `docker ps -a` as `NAME STATUS` lines.
    fn statuses(&mut self) -> String {
        self.line(
            "docker ps -a --format '{{.Names}} {{.Status}}'",
            Duration::from_secs(10),
        )
    }
}

/// Ctrl-C during a foreground `docker run` without `-t` is proxied to the container as `docker
/// kill -s SIGINT` would send it (`--sig-proxy`, default true), and what happens next is PID 1's
/// business. Each case as Docker 20.10.24 does it (BusyBox image, recorded with a pty):
/// `--init … sh -c 'echo ready; sleep 30'` ends at once with 130 (ash `exec`s its last command,
/// and below tini `sleep` dies of SIGINT); `sh -c 'echo ready; sleep 2; echo slept'` ends with 130
/// when the sleep is over (ash catches SIGINT), without `slept`; a `trap` runs and its `exit 3`
/// is the status; `sh -c 'echo ready; sleep 2'` (PID 1 is the exec'd `sleep`) ignores it and
/// ends with 0.
#[test]
fn ctrl_c_is_proxied_to_a_foreground_container() {
    let home = tempfile::tempdir().unwrap();
    let mut t = Pty::spawn(home.path());
    t.expect(PROMPT, Duration::from_secs(10));
    t.line("docker pull -q busybox", Duration::from_secs(30));

    t.send("docker run --init --name ini busybox sh -c 'echo ready; sleep 30'; echo status=$?\r");
    t.expect("ready\r\n", Duration::from_secs(20));
    let start = Instant::now();
    t.send("\x03");
    t.expect("status=130", Duration::from_secs(5));
    assert!(start.elapsed() < Duration::from_secs(5));
    t.expect(PROMPT, Duration::from_secs(5));

    t.send(
        "docker run --name ash busybox sh -c 'echo ready; sleep 2; echo slept'; echo status=$?\r",
    );
    t.expect("ready\r\n", Duration::from_secs(20));
    t.send("\x03");
    let out = t.expect("status=", Duration::from_secs(10));
    assert!(!out.contains("slept"), "{out:?}");
    t.expect("130", Duration::from_secs(1));
    t.expect(PROMPT, Duration::from_secs(5));

    t.send(
        "docker run --name trapper busybox sh -c 'trap \"echo got INT; exit 3\" INT; echo ready; sleep 1; echo not reached'; echo status=$?\r",
    );
    t.expect("ready\r\n", Duration::from_secs(20));
    t.send("\x03");
    let out = t.expect("status=", Duration::from_secs(10));
    assert!(
        out.contains("got INT") && !out.contains("not reached"),
        "{out:?}"
    );
    t.expect("3\r\n", Duration::from_secs(1));
    t.expect(PROMPT, Duration::from_secs(5));

    t.send("docker run --name pid1 busybox sh -c 'echo ready; sleep 2'; echo status=$?\r");
    t.expect("ready\r\n", Duration::from_secs(20));
    let start = Instant::now();
    t.send("\x03");
    t.expect("status=0", Duration::from_secs(10));
    // The sleep ran its course: PID 1 has no handler for SIGINT.
    assert!(start.elapsed() > Duration::from_millis(1500));
    t.expect(PROMPT, Duration::from_secs(5));

    let out = t.statuses();
    for want in [
        "ini Exited (130)",
        "ash Exited (130)",
        "trapper Exited (3)",
        "pid1 Exited (0)",
    ] {
        assert!(out.contains(want), "{want}: {out:?}");
    }
    t.exit();
}

/// `--sig-proxy=false`: Ctrl-C ends the client, as Go's default ends docker/cli (the shell sees a
/// command killed by SIGINT: 130, and the rest of the line is dropped), and the container runs
/// on. Docker 20.10.24: the client dies of SIGINT, `docker ps` shows the container `Up`.
#[test]
fn without_the_proxy_ctrl_c_leaves_the_container_running() {
    let home = tempfile::tempdir().unwrap();
    let mut t = Pty::spawn(home.path());
    t.expect(PROMPT, Duration::from_secs(10));
    t.line("docker pull -q busybox", Duration::from_secs(30));
    t.send(
        "docker run --sig-proxy=false --init --name free busybox sh -c 'echo ready; sleep 30'; echo after\r",
    );
    t.expect("ready\r\n", Duration::from_secs(20));
    let start = Instant::now();
    t.send("\x03");
    let out = t.expect(PROMPT, Duration::from_secs(5));
    assert!(start.elapsed() < Duration::from_secs(5));
    assert!(!out.contains("after"), "{out:?}");
    let out = t.line("echo status=$?", Duration::from_secs(5));
    assert!(out.contains("status=130"), "{out:?}");
    let out = t.statuses();
    assert!(out.contains("free Up "), "{out:?}");
    // Its output still goes to its log, and it still obeys a stop.
    let out = t.line("docker logs free", Duration::from_secs(10));
    assert!(out.contains("ready"), "{out:?}");
    t.line("docker stop free", Duration::from_secs(15));
    let out = t.statuses();
    assert!(out.contains("free Exited (143)"), "{out:?}");
    t.exit();
}

/// `docker attach` to a container without a terminal proxies Ctrl-C (`--sig-proxy`, default
/// true), and `docker start -a` always does; `attach --sig-proxy=false` leaves instead. Docker
/// 20.10.24 with `docker run -di --init … cat`: attach, type, Ctrl-C → 130 and `Exited (130)`;
/// with `--sig-proxy=false` the client dies of SIGINT and the container stays `Up`.
#[test]
fn attach_and_start_a_proxy_ctrl_c() {
    let home = tempfile::tempdir().unwrap();
    let mut t = Pty::spawn(home.path());
    t.expect(PROMPT, Duration::from_secs(10));
    t.line("docker pull -q busybox", Duration::from_secs(30));

    t.line(
        "docker run -di --init --name bg busybox cat",
        Duration::from_secs(20),
    );
    t.send("docker attach bg; echo status=$?\r");
    std::thread::sleep(Duration::from_millis(500));
    // Attached: what is typed reaches `cat`, which echoes it (after the terminal's own echo).
    t.send("ping\r");
    t.expect("ping\r\nping\r\n", Duration::from_secs(10));
    t.send("\x03");
    t.expect("status=130", Duration::from_secs(5));
    t.expect(PROMPT, Duration::from_secs(5));

    t.line(
        "docker run -di --init --name bg2 busybox cat",
        Duration::from_secs(20),
    );
    t.send("docker attach --sig-proxy=false bg2\r");
    std::thread::sleep(Duration::from_millis(500));
    t.send("pong\r");
    t.expect("pong\r\npong\r\n", Duration::from_secs(10));
    t.send("\x03");
    t.expect(PROMPT, Duration::from_secs(5));
    let out = t.line("echo status=$?", Duration::from_secs(5));
    assert!(out.contains("status=130"), "{out:?}");

    t.line(
        "docker create --init --name cr busybox sh -c 'echo ready; sleep 30'",
        Duration::from_secs(20),
    );
    t.send("docker start -a cr; echo status=$?\r");
    t.expect("ready\r\n", Duration::from_secs(20));
    t.send("\x03");
    t.expect("status=130", Duration::from_secs(5));
    t.expect(PROMPT, Duration::from_secs(5));

    let out = t.statuses();
    for want in ["bg Exited (130)", "bg2 Up ", "cr Exited (130)"] {
        assert!(out.contains(want), "{want}: {out:?}");
    }
    t.exit();
}
