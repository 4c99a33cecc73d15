//! Test support: a temporary home with an engine on a fixed clock, a runner that turns a docker
//! command line (its paths confined to the home, as in the shell) into a transcript (stdout, stderr, exit status), and the one list of insta
//! filters every snapshot shares.
//!
//! Compiled into the library (not only under `cfg(test)`) so integration tests in `tests/` use
//! the same harness.

use std::path::Path;
use std::sync::Arc;

use crate::cli;
use crate::engine::Engine;
use crate::engine::clock::{Clock, Rng};
use crate::engine::distribution::Index;
use crate::engine::hub::Hub;
use crate::engine::runtime::{DaemonStatus, InitMode};

/// Where the fixed clock starts in tests.
pub const TEST_CLOCK: &str = "2024-01-01T00:00:00Z";

/// Volatile text and its placeholder. Hub digests are deterministic and stay visible; only what
/// really varies (temporary paths) is redacted.
pub const FILTERS: &[(&str, &str)] = &[
    (r"/tmp/\.tmp[A-Za-z0-9]+", "[HOME]"),
    // Times the test clock gives (it starts at TEST_CLOCK and runs on in real time); image
    // times are deterministic and stay.
    (r"2024-01-01T\d\d:\d\d:\d\d(\.\d+)?Z", "[TIME]"),
    (r"2024-01-01 \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC", "[TIME]"),
    // Durations in ps STATUS/CREATED columns.
    (
        r"(Less than a second|About a minute|\d+ seconds?|\d+ minutes?)( ago)?",
        "[DURATION]$2",
    ),
    // Process IDs.
    (r#""Pid": [1-9]\d*"#, r#""Pid": [PID]"#),
];

/// A temporary home with an engine.
pub struct TestContext {
    pub home: tempfile::TempDir,
    pub engine: Engine,
}

impl TestContext {
    /// A fresh home with the built-in hub.
    pub fn new() -> Self {
        Self::with_hub(Arc::new(Hub::new()))
    }

    /// A fresh home with a given default registry.
    pub fn with_hub(hub: Arc<dyn Index>) -> Self {
        let home = tempfile::tempdir().expect("temporary directory");
        let engine = Self::open(home.path(), hub);
        TestContext { home, engine }
    }

    fn open(home: &Path, hub: Arc<dyn Index>) -> Engine {
        let at = TEST_CLOCK.parse().expect("valid test clock");
        let mut engine = Engine::open_with(home, hub, Clock::starting_at(at), Rng::seeded(1))
            .expect("engine opens");
        // Containers in tests run their command on the host (the runtime is under test, not the
        // applets), and a test's end stops them at once. That command is NOT confined: tests on
        // this init use harmless commands only (`sleep`, `true`, `sh -c 'exit 3'`); anything
        // that touches files uses `with_real_init`.
        let mut settings = engine.runtime_settings().clone();
        settings.init = InitMode::Host;
        settings.shutdown_grace = std::time::Duration::ZERO;
        engine.set_runtime_settings(settings);
        engine
    }

    /// Uses the real init (`drydock __container-init`) instead of the host's commands.
    pub fn with_real_init(mut self) -> Self {
        let mut settings = self.engine.runtime_settings().clone();
        settings.init = InitMode::Drydock;
        self.engine.set_runtime_settings(settings);
        self
    }

    /// Runs `docker ARGS` with `stdin`, returning (stdout, stderr, status).
    pub fn docker_with_input(&self, line: &str, stdin: &str) -> (String, String, i32) {
        let args = split(line);
        let mut input = stdin.as_bytes();
        let mut out = Vec::new();
        let mut err = Vec::new();
        let env = |_: &str| None;
        let mut io = cli::Io {
            stdin: &mut input,
            stdout: &mut out,
            stderr: &mut err,
            stdin_tty: false,
            stdout_tty: false,
            env: &env,
            paths: &crate::shell::fs::ConfinedPaths {
                root: crate::shell::fs::Root::new(self.home.path().to_path_buf()),
                cwd: "/root".into(),
            },
        };
        let code = cli::docker(&self.engine, &args, &mut io);
        (
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
            code,
        )
    }

    /// Runs `docker ARGS` (the line without `docker`), returning (stdout, stderr, status).
    pub fn docker(&self, line: &str) -> (String, String, i32) {
        self.docker_with_input(line, "")
    }

    /// Runs a docker line and formats it as a transcript for a snapshot.
    pub fn transcript(&self, lines: &[&str]) -> String {
        let mut s = String::new();
        for line in lines {
            let (out, err, code) = self.docker(line);
            s.push_str(&format!("$ docker {line}\n{out}"));
            if !err.is_empty() {
                s.push_str(&format!("[stderr]\n{err}"));
            }
            if code != 0 {
                s.push_str(&format!("[exit {code}]\n"));
            }
        }
        s
    }
}

/// A test's containers end with it: the daemon shuts down (SIGKILL at once), so no process
/// outlives the test.
impl Drop for TestContext {
    fn drop(&mut self) {
        let _ = self.engine.daemon_shutdown(DaemonStatus::Down);
    }
}

impl Default for TestContext {
    fn default() -> Self {
        Self::new()
    }
}

/// Splits a command line into words: whitespace, single and double quotes, backslash escapes.
pub fn split(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                    in_word = true;
                }
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// insta settings for the top-level `snapshots/` folder with the shared filters.
#[macro_export]
macro_rules! snapshot {
    ($name:expr, $value:expr) => {{
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
        settings.set_prepend_module_to_snapshot(false);
        for (re, rep) in $crate::testing::FILTERS {
            settings.add_filter(re, *rep);
        }
        settings.bind(|| insta::assert_snapshot!($name, $value));
    }};
}
