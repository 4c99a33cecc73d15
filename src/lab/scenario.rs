//! Scenario replay: YAML transcripts of shell lines with their expected stdout, stderr and exit
//! status, replayed against a fresh drydock (`drydock scenario run`, `cargo test`) or recorded
//! from real Docker (`drydock scenario record --docker`). `scenarios/README.md` documents the
//! format; `scenarios/scenario.schema.json` describes it for editors.
//!
//! Owns: the file model and its errors ([`model`]), the comparison and the failure report
//! ([`compare`]), writing a scenario back ([`emit`]), and the runs: [`run_paths`] and
//! [`run_one`] (replay), [`record_docker`] (expectations from Docker) and [`record_drydock`]
//! (expectations from drydock itself, for authoring only).
//!
//! Vocabulary: a *step* is one `run:` line and its expectations; an *outcome* is what replaying a
//! file gave (the steps that failed, each with a report); *redactions* replace volatile text by a
//! placeholder on both sides before comparing.
//!
//! The runner talks to the shell through [`LineRunner`]; [`host`] is the adaptor to drydock's
//! host shell and [`record_docker`] has its own, a `bash` process.

pub mod compare;
pub mod emit;
pub mod model;

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

pub use compare::Actual;
pub use model::{Loaded, Redaction, Scenario, Step};

/// Runs shell lines one after another in one session (state carries over between lines).
pub trait LineRunner {
    /// Runs `line` with `stdin` on its standard input; returns what it printed and its status.
    fn run_line(&mut self, line: &str, stdin: &[u8]) -> Actual;
}

/// Why a scenario could not be run or recorded (a mismatch is an [`Outcome`], not an error).
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: no such file or directory", path.display())]
    NotFound { path: PathBuf },
    #[error("{}: no *.yaml scenarios in this directory", path.display())]
    EmptyDir { path: PathBuf },
    /// The file is not a valid scenario; `line` and `column` are 1-based (0 when unknown).
    #[error("{}", Located { path, line: *line, column: *column, message, source_line: source_line.as_deref() })]
    Parse {
        path: PathBuf,
        line: u64,
        column: u64,
        message: String,
        source_line: Option<String>,
    },
    #[error("cannot create a temporary home: {source}")]
    Home { source: std::io::Error },
    #[error("cannot open the engine: {message}")]
    Engine { message: String },
    #[error("cannot start bash: {source}")]
    Bash { source: std::io::Error },
    #[error("{}: step {step} did not finish (did the line exit the shell?)", path.display())]
    Unfinished { path: PathBuf, step: usize },
    #[error("{}: the recorded file does not read back as written: {message}", path.display())]
    RoundTrip { path: PathBuf, message: String },
    #[error("cannot write the report: {0}")]
    Output(#[source] std::io::Error),
}

/// `path:line:col: message`, then the line and a caret under the column.
struct Located<'a> {
    path: &'a Path,
    line: u64,
    column: u64,
    message: &'a str,
    source_line: Option<&'a str>,
}

impl fmt::Display for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(src) = self.source_line {
            let number = self.line.to_string();
            write!(f, "\n{number} | {src}")?;
            if self.column > 0 {
                let col = usize::try_from(self.column - 1).unwrap_or(0);
                write!(f, "\n{} | {}^", " ".repeat(number.len()), " ".repeat(col))?;
            }
        }
        Ok(())
    }
}

/// One step whose output did not match.
#[derive(Debug, Clone)]
pub struct StepFailure {
    /// 1-based step number.
    pub index: usize,
    /// The file line of the step's `run:`.
    pub line: u64,
    /// The shell line.
    pub run: String,
    /// What differed: unified diffs per stream and the status, one finding per line.
    pub report: String,
}

/// The result of replaying one scenario file.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub path: PathBuf,
    /// Number of steps run (all of them: a failing step does not stop the session).
    pub steps: usize,
    pub failures: Vec<StepFailure>,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    /// The `ok`/`FAIL` line and, on failure, every step's report.
    pub fn render(&self) -> String {
        let path = self.path.display();
        let steps = plural(self.steps, "step");
        if self.passed() {
            return format!("ok   {path} ({steps})\n");
        }
        let mut s = format!("FAIL {path} ({steps}, {} failed)\n", self.failures.len());
        for f in &self.failures {
            s.push_str(&format!(
                "  step {} at {path}:{}: {}\n",
                f.index, f.line, f.run
            ));
            for line in f.report.lines() {
                s.push_str("    ");
                s.push_str(line);
                s.push('\n');
            }
        }
        s
    }
}

/// Totals over a [`run_paths`] call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub passed: usize,
    pub failed: usize,
}

impl Summary {
    /// No failures (and at least one scenario).
    pub fn ok(&self) -> bool {
        self.failed == 0 && self.passed > 0
    }
}

/// What a `record_*` call wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub path: PathBuf,
    pub steps: usize,
    /// Steps whose expectations changed.
    pub changed: usize,
    /// Steps with a `*_matches` regex that the recorded output does not match (kept as is).
    pub unmatched: Vec<usize>,
}

/// The scenario files named by `paths`: files as given, directories as their `*.yaml` files
/// (not recursive, sorted by name).
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, ScenarioError> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let entries = std::fs::read_dir(p).map_err(|source| ScenarioError::Io {
                path: p.clone(),
                source,
            })?;
            let mut found = Vec::new();
            for entry in entries {
                let entry = entry.map_err(|source| ScenarioError::Io {
                    path: p.clone(),
                    source,
                })?;
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "yaml") && path.is_file() {
                    found.push(path);
                }
            }
            if found.is_empty() {
                return Err(ScenarioError::EmptyDir { path: p.clone() });
            }
            found.sort();
            files.extend(found);
        } else if p.exists() {
            files.push(p.clone());
        } else {
            return Err(ScenarioError::NotFound { path: p.clone() });
        }
    }
    Ok(files)
}

/// Replays every scenario under `paths` and prints one line per file (`ok   path (N steps)` or
/// `FAIL …` with the diffs), then `N passed, N failed`. A file that does not load counts as
/// failed and its error is printed; `Err` is for paths that do not exist and for `out`.
/// Files run in parallel (one per core); the report keeps their order.
pub fn run_paths(
    paths: &[PathBuf],
    sessions: &dyn Sessions,
    out: &mut dyn Write,
) -> Result<Summary, ScenarioError> {
    let files = expand(paths)?;
    let results = parallel_map(&files, |f| run_one(f, sessions));
    let mut summary = Summary::default();
    for (file, result) in files.iter().zip(results) {
        let text = match result {
            Ok(outcome) => {
                if outcome.passed() {
                    summary.passed += 1;
                } else {
                    summary.failed += 1;
                }
                outcome.render()
            }
            Err(e) => {
                summary.failed += 1;
                let mut s = format!("FAIL {}\n", file.display());
                for line in e.to_string().lines() {
                    s.push_str("    ");
                    s.push_str(line);
                    s.push('\n');
                }
                s
            }
        };
        out.write_all(text.as_bytes())
            .map_err(ScenarioError::Output)?;
    }
    writeln!(out, "{} passed, {} failed", summary.passed, summary.failed)
        .map_err(ScenarioError::Output)?;
    Ok(summary)
}

/// Fresh drydock sessions for scenarios: a new home, an engine on the scenario's clock and seed,
/// and a shell whose state lasts the whole scenario. The shell implements it
/// (`shell::session::HostSessions`), so `lab` never imports `shell` (DESIGN.md's dependency rule).
pub trait Sessions: Sync {
    /// Runs `f` with a line runner over a fresh session and the session home's real path (for
    /// the `path` redaction); the home is removed afterwards.
    fn with_session(
        &self,
        clock: jiff::Timestamp,
        seed: u64,
        f: &mut dyn FnMut(&mut dyn LineRunner, &Path),
    ) -> Result<(), ScenarioError>;
}

/// [`Sessions::with_session`] for a closure that returns a value.
fn with_session<R>(
    sessions: &dyn Sessions,
    clock: jiff::Timestamp,
    seed: u64,
    f: impl FnOnce(&mut dyn LineRunner, &Path) -> R,
) -> Result<R, ScenarioError> {
    let mut f = Some(f);
    let mut result = None;
    sessions.with_session(clock, seed, &mut |runner, home| {
        if let Some(f) = f.take() {
            result = Some(f(runner, home));
        }
    })?;
    result.ok_or_else(|| ScenarioError::Engine {
        message: "the session did not run".into(),
    })
}

/// Replays one scenario file in a fresh drydock.
pub fn run_one(path: &Path, sessions: &dyn Sessions) -> Result<Outcome, ScenarioError> {
    let loaded = model::load(path)?;
    with_session(sessions, loaded.clock, loaded.seed, |runner, home| {
        replay(&loaded, runner, &home_names(home))
    })
}

/// Replays a loaded scenario through `runner`; every step runs, failures are collected.
pub fn replay(loaded: &Loaded, runner: &mut dyn LineRunner, homes: &[String]) -> Outcome {
    let mut failures = Vec::new();
    for (i, (step, patterns)) in loaded.doc.steps.iter().zip(&loaded.patterns).enumerate() {
        let stdin = step.stdin.as_deref().unwrap_or("");
        let actual = runner.run_line(&step.run.value, stdin.as_bytes());
        if let Some(report) = compare::check(step, patterns, &actual, homes) {
            failures.push(StepFailure {
                index: i + 1,
                line: step.run.referenced.line(),
                run: step.run.value.clone(),
                report,
            });
        }
    }
    Outcome {
        path: loaded.path.clone(),
        steps: loaded.doc.steps.len(),
        failures,
    }
}

/// Records the expectations of `path` from **drydock's own output** and rewrites the file.
///
/// For authoring only: it makes the file agree with drydock, right or wrong. Check the result
/// against Docker's documented behaviour (or record it with [`record_docker`] where real Docker
/// can run the lines) before committing it.
pub fn record_drydock(path: &Path, sessions: &dyn Sessions) -> Result<Recorded, ScenarioError> {
    let loaded = model::load(path)?;
    let actual = with_session(sessions, loaded.clock, loaded.seed, |runner, _| {
        loaded
            .doc
            .steps
            .iter()
            .map(|s| runner.run_line(&s.run.value, s.stdin.as_deref().unwrap_or("").as_bytes()))
            .collect::<Vec<_>>()
    })?;
    rewrite(&loaded, &actual)
}

/// Records the expectations of `path` from real Docker and rewrites the file.
///
/// The lines run in one `bash` session (`eval` per line, so `cd` and variables carry over), in
/// a fresh temporary working directory that is also `HOME`, with the `docker` client found on
/// `PATH`. The caller points that client at the daemon (`DOCKER_HOST` …) and makes sure the
/// daemon starts in the state the scenario assumes (usually: no images), as drydock's replay
/// starts from an empty home. Metadata, `run` lines, notes, regexes and redactions are kept;
/// `stdout`, `stderr` and `status` are rewritten (a stream with a `*_matches` regex keeps the
/// regex, and a recorded output it does not match is reported in [`Recorded::unmatched`]).
/// Progress goes to `out`, one line per step.
pub fn record_docker(path: &Path, out: &mut dyn Write) -> Result<Recorded, ScenarioError> {
    let loaded = model::load(path)?;
    let actual = run_in_bash(&loaded, out)?;
    let recorded = rewrite(&loaded, &actual)?;
    writeln!(
        out,
        "recorded {} ({}, {} changed)",
        path.display(),
        plural(recorded.steps, "step"),
        recorded.changed
    )
    .map_err(ScenarioError::Output)?;
    for i in &recorded.unmatched {
        writeln!(
            out,
            "  warning: step {i}: the recorded output does not match its regex"
        )
        .map_err(ScenarioError::Output)?;
    }
    Ok(recorded)
}

/// Runs the steps in one bash process; each line's streams and status go to files.
fn run_in_bash(loaded: &Loaded, out: &mut dyn Write) -> Result<Vec<Actual>, ScenarioError> {
    let work = tempfile::Builder::new()
        .prefix(".tmp")
        .tempdir()
        .map_err(|source| ScenarioError::Home { source })?;
    let io_dir = tempfile::Builder::new()
        .prefix(".tmp")
        .tempdir()
        .map_err(|source| ScenarioError::Home { source })?;
    let d = io_dir.path();
    let write = |name: String, data: &str| {
        let p = d.join(name);
        std::fs::write(&p, data).map_err(|source| ScenarioError::Io { path: p, source })
    };
    let mut script = String::from("cd \"$DRYDOCK_WORK\" || exit 97\n");
    for (i, step) in loaded.doc.steps.iter().enumerate() {
        write(format!("{i}.line"), &step.run.value)?;
        write(format!("{i}.in"), step.stdin.as_deref().unwrap_or(""))?;
        script.push_str(&format!(
            "eval \"$(cat \"$DRYDOCK_IO/{i}.line\")\" <\"$DRYDOCK_IO/{i}.in\" >\"$DRYDOCK_IO/{i}.out\" 2>\"$DRYDOCK_IO/{i}.err\"; echo $? >\"$DRYDOCK_IO/{i}.status\"\n"
        ));
    }
    write("script.sh".into(), &script)?;
    writeln!(
        out,
        "running {} in bash against real Docker…",
        loaded.path.display()
    )
    .map_err(ScenarioError::Output)?;
    std::process::Command::new("bash")
        .arg("--noprofile")
        .arg("--norc")
        .arg(d.join("script.sh"))
        .env("DRYDOCK_WORK", work.path())
        .env("DRYDOCK_IO", d)
        .env("HOME", work.path())
        .stdin(std::process::Stdio::null())
        .status()
        .map_err(|source| ScenarioError::Bash { source })?;
    let read = |name: String| -> Result<Option<String>, ScenarioError> {
        let p = d.join(name);
        match std::fs::read(&p) {
            Ok(b) => Ok(Some(String::from_utf8_lossy(&b).into_owned())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(ScenarioError::Io { path: p, source }),
        }
    };
    let mut actual = Vec::new();
    for (i, step) in loaded.doc.steps.iter().enumerate() {
        let status = read(format!("{i}.status"))?
            .and_then(|s| s.trim().parse::<i32>().ok())
            .ok_or_else(|| ScenarioError::Unfinished {
                path: loaded.path.clone(),
                step: i + 1,
            })?;
        let a = Actual {
            stdout: read(format!("{i}.out"))?.unwrap_or_default(),
            stderr: read(format!("{i}.err"))?.unwrap_or_default(),
            status,
        };
        writeln!(out, "  {} → {}", step.run.value, a.status).map_err(ScenarioError::Output)?;
        actual.push(a);
    }
    Ok(actual)
}

/// Writes `actual` into the scenario's expectations and saves the file, after checking that it
/// reads back as written.
fn rewrite(loaded: &Loaded, actual: &[Actual]) -> Result<Recorded, ScenarioError> {
    let mut doc = loaded.doc.clone();
    let mut changed = 0;
    let mut unmatched = Vec::new();
    for (i, ((step, a), patterns)) in doc
        .steps
        .iter_mut()
        .zip(actual)
        .zip(&loaded.patterns)
        .enumerate()
    {
        let before = (step.stdout.clone(), step.stderr.clone(), step.status);
        let nonempty = |s: &str| (!s.is_empty()).then(|| s.to_string());
        if step.stdout_matches.is_none() {
            step.stdout = nonempty(&a.stdout);
        }
        if step.stderr_matches.is_none() {
            step.stderr = nonempty(&a.stderr);
        }
        step.status = a.status;
        if (step.stdout.clone(), step.stderr.clone(), step.status) != before {
            changed += 1;
        }
        let homes: Vec<String> = Vec::new();
        let out_re = patterns
            .0
            .as_ref()
            .is_some_and(|re| !re.is_match(&compare::redact(&a.stdout, &step.redact, &homes)));
        let err_re = patterns
            .1
            .as_ref()
            .is_some_and(|re| !re.is_match(&compare::redact(&a.stderr, &step.redact, &homes)));
        if out_re || err_re {
            unmatched.push(i + 1);
        }
    }
    let text = emit::to_yaml(&doc);
    let back = model::parse(&loaded.path, &text).map_err(|e| ScenarioError::RoundTrip {
        path: loaded.path.clone(),
        message: e.to_string(),
    })?;
    for (i, (a, b)) in doc.steps.iter().zip(&back.doc.steps).enumerate() {
        let same = a.run.value == b.run.value
            && a.stdout.as_deref().unwrap_or("") == b.stdout.as_deref().unwrap_or("")
            && a.stderr.as_deref().unwrap_or("") == b.stderr.as_deref().unwrap_or("")
            && a.status == b.status
            && a.stdin.as_deref().unwrap_or("") == b.stdin.as_deref().unwrap_or("");
        if !same {
            return Err(ScenarioError::RoundTrip {
                path: loaded.path.clone(),
                message: format!("step {} changed", i + 1),
            });
        }
    }
    std::fs::write(&loaded.path, text).map_err(|source| ScenarioError::Io {
        path: loaded.path.clone(),
        source,
    })?;
    Ok(Recorded {
        path: loaded.path.clone(),
        steps: doc.steps.len(),
        changed,
        unmatched,
    })
}

/// The spellings of a temporary home that may show up in output (as given and canonical).
fn home_names(home: &Path) -> Vec<String> {
    let mut names = vec![home.display().to_string()];
    if let Ok(c) = home.canonicalize() {
        let c = c.display().to_string();
        if !names.contains(&c) {
            names.push(c);
        }
    }
    names
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `f` over `items` on up to one thread per core, results in the items' order.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(items.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<R>>> =
        items.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let r = f(item);
                    if let Ok(mut slot) = slots[i].lock() {
                        *slot = Some(r);
                    }
                }
            });
        }
    });
    slots
        .into_iter()
        .filter_map(|m| m.into_inner().ok().flatten())
        .collect()
}
