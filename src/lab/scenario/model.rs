//! The scenario file: typed structs (serde, `deny_unknown_fields`), loading with `file:line:col`
//! errors, and the checks that go beyond the YAML shape (schema tag, clock, regexes).
//!
//! `scenarios/scenario.schema.json` describes the same shape for editors; a test keeps the two
//! in step.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use regex::Regex;
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::ScenarioError;

/// The value of `schema:` this version reads.
pub const SCHEMA: &str = "drydock.scenario/v1";

/// Where the clock starts when a scenario gives no `clock:`.
pub const DEFAULT_CLOCK: &str = "2024-01-01T00:00:00Z";

/// The random seed when a scenario gives no `seed:`.
pub const DEFAULT_SEED: u64 = 1;

/// A scenario file, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Always [`SCHEMA`].
    pub schema: Spanned<String>,
    pub title: String,
    pub description: String,
    /// The study-notes section this scenario walks through (its heading, verbatim).
    #[serde(default)]
    pub section: Option<String>,
    /// Where the engine's clock starts (RFC 3339); [`DEFAULT_CLOCK`] when absent.
    #[serde(default)]
    pub clock: Option<Spanned<String>>,
    /// The engine's random seed; [`DEFAULT_SEED`] when absent.
    #[serde(default)]
    pub seed: Option<u64>,
    pub steps: Vec<Step>,
}

/// One shell line and what it must print.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The shell line, as typed at the prompt.
    pub run: Spanned<String>,
    /// Why the step is here (shown by the docs site; kept by `record`).
    #[serde(default)]
    pub note: Option<String>,
    /// Bytes on the line's standard input (empty when absent).
    #[serde(default)]
    pub stdin: Option<String>,
    /// The exact standard output (empty when absent and no `stdout_matches`).
    #[serde(default)]
    pub stdout: Option<String>,
    /// A regex the whole standard output must match, instead of `stdout`.
    #[serde(default)]
    pub stdout_matches: Option<Spanned<String>>,
    /// The exact standard error (empty when absent and no `stderr_matches`).
    #[serde(default)]
    pub stderr: Option<String>,
    /// A regex the whole standard error must match, instead of `stderr`.
    #[serde(default)]
    pub stderr_matches: Option<Spanned<String>>,
    /// The exit status (0 when absent).
    #[serde(default)]
    pub status: i32,
    /// Volatile text replaced by a placeholder on both sides before comparing.
    #[serde(default)]
    pub redact: Vec<Redaction>,
}

/// A named class of volatile text and its placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Redaction {
    /// 12-hex short IDs → `[ID]`.
    Id,
    /// `sha256:` + 64 hex, and bare 64-hex IDs → `[DIGEST]`.
    Digest,
    /// `2 weeks ago`, `About a minute ago`, `Up 3 seconds`, RFC 3339 and Go time stamps → `[TIME]`.
    Time,
    /// The scenario's temporary home and other temporary directories → `[TMP]`.
    Path,
}

impl Redaction {
    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            Redaction::Id => "id",
            Redaction::Digest => "digest",
            Redaction::Time => "time",
            Redaction::Path => "path",
        }
    }
}

/// A scenario checked and ready to replay: the file, its clock and seed, and compiled regexes.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub path: PathBuf,
    pub doc: Scenario,
    pub clock: Timestamp,
    pub seed: u64,
    /// Per step: the compiled `stdout_matches` and `stderr_matches`.
    pub patterns: Vec<(Option<Regex>, Option<Regex>)>,
}

/// Reads and checks a scenario file.
pub fn load(path: &Path) -> Result<Loaded, ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(path, &text)
}

/// Parses and checks scenario text; `path` names it in errors.
pub fn parse(path: &Path, text: &str) -> Result<Loaded, ScenarioError> {
    let doc: Scenario = serde_saphyr::from_str(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        ScenarioError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message: first_line(&e.without_snippet().to_string()),
            source_line: source_line(text, line),
        }
    })?;
    let invalid = |at: Option<&serde_saphyr::Location>, message: String| {
        let (line, column) = at.map(|l| (l.line(), l.column())).unwrap_or((0, 0));
        ScenarioError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message,
            source_line: source_line(text, line),
        }
    };
    if doc.schema.value != SCHEMA {
        return Err(invalid(
            Some(&doc.schema.referenced),
            format!(
                "unknown schema `{}`; this drydock reads `{SCHEMA}`",
                doc.schema.value
            ),
        ));
    }
    let clock = match &doc.clock {
        None => DEFAULT_CLOCK.parse().map_err(|e| {
            invalid(
                None,
                format!("default clock `{DEFAULT_CLOCK}` is invalid: {e}"),
            )
        })?,
        Some(c) => c.value.parse::<Timestamp>().map_err(|e| {
            invalid(
                Some(&c.referenced),
                format!("`clock` must be an RFC 3339 time such as {DEFAULT_CLOCK}: {e}"),
            )
        })?,
    };
    if doc.steps.is_empty() {
        return Err(invalid(None, "a scenario needs at least one step".into()));
    }
    let mut patterns = Vec::with_capacity(doc.steps.len());
    for step in &doc.steps {
        if step.run.value.trim().is_empty() {
            return Err(invalid(Some(&step.run.referenced), "`run` is empty".into()));
        }
        let out = compile(step.stdout.is_some(), "stdout", &step.stdout_matches)
            .map_err(|(at, m)| invalid(at.or(Some(&step.run.referenced)), m))?;
        let err = compile(step.stderr.is_some(), "stderr", &step.stderr_matches)
            .map_err(|(at, m)| invalid(at.or(Some(&step.run.referenced)), m))?;
        patterns.push((out, err));
    }
    Ok(Loaded {
        path: path.to_path_buf(),
        seed: doc.seed.unwrap_or(DEFAULT_SEED),
        doc,
        clock,
        patterns,
    })
}

type PatternError<'a> = (Option<&'a serde_saphyr::Location>, String);

/// Compiles a `*_matches` regex anchored to the whole text; refuses it next to an exact text.
fn compile<'a>(
    has_exact: bool,
    stream: &str,
    pattern: &'a Option<Spanned<String>>,
) -> Result<Option<Regex>, PatternError<'a>> {
    let Some(p) = pattern else { return Ok(None) };
    if has_exact {
        return Err((
            Some(&p.referenced),
            format!("a step gives either `{stream}` or `{stream}_matches`, not both"),
        ));
    }
    Regex::new(&format!(r"\A(?:{})\z", p.value))
        .map(Some)
        .map_err(|e| {
            (
                Some(&p.referenced),
                format!(
                    "`{stream}_matches` is not a valid regex: {}",
                    last_line(&e.to_string())
                ),
            )
        })
}

fn first_line(s: &str) -> String {
    s.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_string()
}

fn last_line(s: &str) -> String {
    s.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_string()
}

/// The text of line `line` (1-based) of `text`, if there is one.
fn source_line(text: &str, line: u64) -> Option<String> {
    let index = usize::try_from(line).ok()?.checked_sub(1)?;
    text.lines().nth(index).map(str::to_string)
}
