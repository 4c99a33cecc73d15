//! Test-only harness: a temporary virtual host and a way to call one builtin with captured
//! streams, without the interpreter (which lands separately).

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use super::Host;
use crate::shell::fs::Root;
use crate::shell::{Commands, Ctx, State, Stdio};

/// A virtual host in a temp dir: `/root` (the cwd), `/tmp`, `/etc`.
pub struct World {
    pub tmp: tempfile::TempDir,
    pub state: State,
}

/// What one command did.
#[derive(Debug)]
pub struct Out {
    pub out: String,
    pub err: String,
    pub status: i32,
}

impl World {
    pub fn new() -> World {
        let tmp = tempfile::tempdir().expect("tempdir");
        let real = tmp.path().join("home");
        for d in ["root", "tmp", "etc"] {
            std::fs::create_dir_all(real.join(d)).expect("mkdir");
        }
        World {
            state: State::host(Root::new(real)),
            tmp,
        }
    }

    /// The real path of a virtual absolute path (no resolution: for setting up fixtures).
    pub fn real(&self, vpath: &str) -> PathBuf {
        self.state.root.real().join(vpath.trim_start_matches('/'))
    }

    pub fn write(&self, vpath: &str, content: &str) {
        let p = self.real(vpath);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(p, content).expect("write");
    }

    pub fn read(&self, vpath: &str) -> String {
        std::fs::read_to_string(self.real(vpath)).expect("read")
    }

    pub fn run(&mut self, args: &[&str]) -> Out {
        self.run_in(args, b"")
    }

    /// Runs `args` with `stdin`; stdout is not a terminal.
    pub fn run_in(&mut self, args: &[&str], stdin: &[u8]) -> Out {
        self.run_tty(args, stdin, false)
    }

    pub fn run_tty(&mut self, args: &[&str], stdin: &[u8], tty: bool) -> Out {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let def = *Host.find(&args[0]).expect("command in table");
        let mut input = stdin;
        let mut out = Vec::new();
        let mut err = Vec::new();
        let interrupted = AtomicBool::new(false);
        let status = {
            let mut ctx = Ctx {
                state: &mut self.state,
                io: Stdio {
                    stdin: &mut input,
                    stdout: &mut out,
                    stderr: &mut err,
                    stdin_tty: false,
                    stdout_tty: tty,
                },
                engine: None,
                interrupted: &interrupted,
                commands: &Host,
            };
            (def.run)(&mut ctx, &args)
        };
        Out {
            out: String::from_utf8_lossy(&out).into_owned(),
            err: String::from_utf8_lossy(&err).into_owned(),
            status,
        }
    }

    /// Runs and asserts `(stdout, stderr, status)`.
    #[track_caller]
    pub fn check(&mut self, args: &[&str], out: &str, err: &str, status: i32) {
        let o = self.run(args);
        assert_eq!(
            (o.out.as_str(), o.err.as_str(), o.status),
            (out, err, status)
        );
    }
}

/// Sets a file's mtime (for `ls -l`, `tar -tv` expectations).
pub fn set_mtime(path: &std::path::Path, unix: i64) {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(unix.unsigned_abs());
    let f = std::fs::File::options()
        .write(true)
        .open(path)
        .or_else(|_| std::fs::File::open(path))
        .expect("open");
    f.set_modified(t).expect("set_modified");
}
