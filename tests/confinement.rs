//! Escape attempts through the host builtins: `..`, absolute paths, symlinks to `/`, chains of
//! relative links and absolute links all stay inside the root. A sentinel file and directory
//! outside the root must never be read, written or removed.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use drydock::shell::builtins::Host;
use drydock::shell::fs::Root;
use drydock::shell::{Commands, Ctx, State, Stdio};

struct World {
    _tmp: tempfile::TempDir,
    state: State,
    sentinel: PathBuf,
    outside_dir: PathBuf,
}

impl World {
    /// TMP/home is the root (with a fake /etc/passwd); TMP/sentinel and TMP/outside/ are not.
    fn new() -> World {
        let tmp = tempfile::tempdir().expect("tempdir");
        let home = tmp.path().join("home");
        std::fs::create_dir_all(home.join("root")).expect("mkdir");
        std::fs::create_dir_all(home.join("etc")).expect("mkdir");
        std::fs::write(home.join("etc/passwd"), "fake\n").expect("write");
        let sentinel = tmp.path().join("sentinel");
        std::fs::write(&sentinel, "secret\n").expect("write");
        let outside_dir = tmp.path().join("outside");
        std::fs::create_dir(&outside_dir).expect("mkdir");
        World {
            state: State::host(Root::new(home)),
            _tmp: tmp,
            sentinel,
            outside_dir,
        }
    }

    fn real(&self, v: &str) -> PathBuf {
        self.state.root.real().join(v.trim_start_matches('/'))
    }

    fn run(&mut self, args: &[&str]) -> (String, String, i32) {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let def = *Host.find(&args[0]).expect("command");
        let mut input: &[u8] = b"pwned\n";
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let flag = AtomicBool::new(false);
        let status = (def.run)(
            &mut Ctx {
                state: &mut self.state,
                io: Stdio {
                    stdin: &mut input,
                    stdout: &mut out,
                    stderr: &mut err,
                    stdin_tty: false,
                    stdout_tty: false,
                },
                engine: None,
                interrupted: &flag,
                commands: &Host,
            },
            &args,
        );
        (
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
            status,
        )
    }

    /// The outside world is as it was.
    #[track_caller]
    fn assert_untouched(&self) {
        assert_eq!(
            std::fs::read_to_string(&self.sentinel).expect("sentinel"),
            "secret\n"
        );
        assert_eq!(
            std::fs::read_dir(&self.outside_dir)
                .expect("outside")
                .count(),
            0
        );
    }

    fn sentinel_name(&self) -> String {
        self.sentinel.to_string_lossy().into_owned()
    }
}

#[test]
fn dot_dot_reads_the_roots_etc_passwd() {
    let mut w = World::new();
    let (out, _, status) = w.run(&["cat", "../../../../etc/passwd"]);
    assert_eq!((out.as_str(), status), ("fake\n", 0));
    let (out, _, _) = w.run(&["cat", "/../../../etc/passwd"]);
    assert_eq!(out, "fake\n");
    w.assert_untouched();
}

#[test]
fn symlink_to_slash_then_etc_passwd() {
    let mut w = World::new();
    assert_eq!(w.run(&["ln", "-s", "/", "x"]).2, 0);
    let (out, _, status) = w.run(&["cat", "x/etc/passwd"]);
    assert_eq!((out.as_str(), status), ("fake\n", 0));
    let (out, _, _) = w.run(&["ls", "x/"]);
    assert_eq!(out, "etc\nroot\n");
    w.assert_untouched();
}

#[test]
fn relative_link_chains_and_absolute_links() {
    let mut w = World::new();
    let name = w
        .sentinel
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    w.run(&["ln", "-s", "../../..", "up"]);
    w.run(&["ln", "-s", "up/up/up", "up3"]);
    w.run(&["ln", "-s", "/etc", "etc"]);
    w.run(&["ln", "-s", &w.sentinel_name(), "s"]);
    let (out, _, _) = w.run(&["cat", "etc/passwd"]);
    assert_eq!(out, "fake\n", "an absolute link lands at ROOT/etc");
    for p in [format!("up/{name}"), format!("up3/{name}"), "s".to_string()] {
        let (out, err, status) = w.run(&["cat", &p]);
        assert_eq!((out.as_str(), status), ("", 1), "{p}: {err}");
    }
    w.assert_untouched();
}

#[test]
fn writes_through_links_stay_inside() {
    let mut w = World::new();
    let name = w
        .sentinel
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let outside = w.outside_dir.to_string_lossy().into_owned();
    w.run(&["ln", "-s", &w.sentinel_name(), "s"]);
    w.run(&["ln", "-s", "../../../../..", "up"]);
    w.run(&["ln", "-s", &outside, "o"]);
    std::fs::write(w.real("/root/data"), "pwned\n").expect("write");
    let up = format!("up/{name}");
    let dots = format!("../../../../{name}");
    let attempts: Vec<Vec<&str>> = vec![
        vec!["tee", "s"],
        vec!["tee", "-a", &up],
        vec!["cp", "data", "s"],
        vec!["cp", "data", &dots],
        vec!["cp", "data", "o/"],
        vec!["mv", "data", "o/moved"],
        vec!["touch", "o/new"],
        vec!["mkdir", "-p", "o/a/b"],
        vec!["ln", "-s", "x", "o/link"],
        vec!["sort", "-o", "s", "/etc/passwd"],
    ];
    for a in &attempts {
        w.run(a);
        w.assert_untouched();
    }
    // What was written went to the root's own copies of those paths.
    assert!(w.real(&format!("/{name}")).exists());
    for a in [vec!["rm", "-rf", "o/", "up/"], vec!["rm", "-f", &up]] {
        w.run(&a);
        w.assert_untouched();
    }
}

#[test]
fn tar_cannot_escape() {
    let mut w = World::new();
    let name = w
        .sentinel
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    // Pack something outside via a link: it archives ROOT's view, not the host's.
    w.run(&["ln", "-s", "../../../..", "up"]);
    let (_, err, status) = w.run(&["tar", "-cf", "out.tar", &format!("up/{name}")]);
    assert_eq!(status, 2, "{err}");
    // Extract into a link to the outside: -C resolves inside the root.
    let outside = w.outside_dir.to_string_lossy().into_owned();
    w.run(&["ln", "-s", &outside, "o"]);
    std::fs::write(w.real("/root/f"), "x").expect("write");
    assert_eq!(w.run(&["tar", "-cf", "t.tar", "f"]).2, 0);
    let (_, err, status) = w.run(&["tar", "-xf", "t.tar", "-C", "o"]);
    assert_ne!(status, 0, "ROOT/tmp/outside does not exist: {err}");
    w.assert_untouched();
}

#[test]
fn cd_cannot_leave_the_root() {
    let mut w = World::new();
    w.run(&["cd", "../../../.."]);
    assert_eq!(w.state.cwd, "/");
    w.run(&["ln", "-s", "../../..", "/root/up"]);
    w.run(&["cd", "/root/up"]);
    let (out, _, _) = w.run(&["pwd", "-P"]);
    assert_eq!(out, "/\n");
    let (out, _, _) = w.run(&["ls"]);
    assert_eq!(out, "etc\nroot\n");
}
