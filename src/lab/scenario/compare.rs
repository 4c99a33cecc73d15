//! Comparing what a line printed with what its step expects: named redactions, whole-text
//! regexes, and the failure report (a unified line diff per stream, then the status).
//!
//! Pure functions over strings; the runner feeds them and prints the reports.

use std::fmt::Write as _;
use std::sync::LazyLock;

use regex::Regex;

use super::model::{Redaction, Step};

/// What one shell line did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actual {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
}

struct Rule {
    re: Regex,
    with: &'static str,
}

fn rule(re: &str, with: &'static str) -> Rule {
    Rule {
        // The patterns are constants below; a test compiles every one of them.
        re: Regex::new(re).unwrap_or_else(|e| panic!("redaction pattern {re}: {e}")),
        with,
    }
}

static DIGEST: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    vec![
        rule(r"sha256:[0-9a-f]{64}", "[DIGEST]"),
        rule(r"\b[0-9a-f]{64}\b", "[DIGEST]"),
    ]
});
static ID: LazyLock<Vec<Rule>> = LazyLock::new(|| vec![rule(r"\b[0-9a-f]{12}\b", "[ID]")]);
static TIME: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    vec![
        // Go's time.Time.String(): 2021-11-16 00:20:19.123 +0000 UTC
        rule(
            r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? [+-]\d{4}(?: [A-Z]{1,5})?",
            "[TIME]",
        ),
        // RFC 3339
        rule(
            r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})",
            "[TIME]",
        ),
        // go-units HumanDuration, as in `2 weeks ago` and `Up 3 seconds`
        rule(
            r"(?:Less than a second|About an? (?:minute|hour)|\d+ (?:second|minute|hour|day|week|month|year)s?)(?: ago)?",
            "[TIME]",
        ),
    ]
});
static TMP: LazyLock<Vec<Rule>> =
    LazyLock::new(|| vec![rule(r"/tmp/\.?tmp[A-Za-z0-9_]+", "[TMP]")]);

/// Applies `redactions` to `text`. `homes` are real paths of the run's temporary directories,
/// replaced by `[TMP]` under the `path` redaction before the generic temporary-path pattern.
pub fn redact(text: &str, redactions: &[Redaction], homes: &[String]) -> String {
    let mut s = text.to_string();
    // Longest first: digests contain what looks like short IDs.
    for r in [
        Redaction::Path,
        Redaction::Digest,
        Redaction::Id,
        Redaction::Time,
    ] {
        if !redactions.contains(&r) {
            continue;
        }
        let rules: &[Rule] = match r {
            Redaction::Digest => &DIGEST,
            Redaction::Id => &ID,
            Redaction::Time => &TIME,
            Redaction::Path => {
                for h in homes.iter().filter(|h| !h.is_empty()) {
                    s = s.replace(h.as_str(), "[TMP]");
                }
                &TMP
            }
        };
        for rule in rules {
            s = rule.re.replace_all(&s, rule.with).into_owned();
        }
    }
    s
}

/// Checks `actual` against `step`; `None` when it matches, else the report (indented lines).
pub fn check(
    step: &Step,
    patterns: &(Option<Regex>, Option<Regex>),
    actual: &Actual,
    homes: &[String],
) -> Option<String> {
    let mut report = String::new();
    let streams = [
        (
            "stdout",
            step.stdout.as_deref(),
            &patterns.0,
            actual.stdout.as_str(),
        ),
        (
            "stderr",
            step.stderr.as_deref(),
            &patterns.1,
            actual.stderr.as_str(),
        ),
    ];
    for (name, exact, pattern, got) in streams {
        let got = redact(got, &step.redact, homes);
        match pattern {
            Some(re) => {
                if !re.is_match(&got) {
                    let shown = re.as_str();
                    let shown = shown
                        .strip_prefix(r"\A(?:")
                        .and_then(|s| s.strip_suffix(r")\z"))
                        .unwrap_or(shown);
                    let _ = writeln!(report, "{name} does not match /{shown}/; it was:");
                    if got.is_empty() {
                        let _ = writeln!(report, "  (empty)");
                    }
                    for line in got.lines() {
                        let _ = writeln!(report, "  | {line}");
                    }
                }
            }
            None => {
                let want = redact(exact.unwrap_or(""), &step.redact, homes);
                if want != got {
                    let _ = writeln!(report, "{name} differs (- expected, + actual):");
                    report.push_str(&diff(&want, &got));
                }
            }
        }
    }
    if step.status != actual.status {
        let _ = writeln!(
            report,
            "status: expected {}, got {}",
            step.status, actual.status
        );
    }
    if report.is_empty() {
        return None;
    }
    if !step.redact.is_empty() {
        let names: Vec<&str> = step.redact.iter().map(|r| r.name()).collect();
        let _ = writeln!(report, "(compared after redacting {})", names.join(", "));
    }
    Some(report)
}

/// A unified line diff of `want` → `got`, with `\ No newline at end of file` markers.
pub fn diff(want: &str, got: &str) -> String {
    similar::TextDiff::from_lines(want, got)
        .unified_diff()
        .context_radius(3)
        .header("expected", "actual")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redactions_replace_each_class() {
        let all = [
            Redaction::Id,
            Redaction::Digest,
            Redaction::Time,
            Redaction::Path,
        ];
        let text = "centos 6 16dd85b5fcfd 3 years ago 3.7kB\n\
            Deleted: sha256:16dd85b5fcfd562033c4a9d46220f8bdd5784d6b4f2b8900165b9b1cf6e4fbc6\n\
            About a minute ago | Up 3 seconds | Less than a second ago\n\
            2021-12-29T19:28:34Z 2021-11-16 00:20:19 +0000 UTC 2024-01-01T00:00:05.123456789+01:00\n\
            open /tmp/.tmpAbC123/x: /home/run/h/y\n";
        assert_eq!(
            redact(text, &all, &["/home/run/h".into()]),
            "centos 6 [ID] [TIME] 3.7kB\n\
            Deleted: [DIGEST]\n\
            [TIME] | Up [TIME] | [TIME]\n\
            [TIME] [TIME] [TIME]\n\
            open [TMP]/x: [TMP]/y\n"
        );
        assert_eq!(redact(text, &[], &[]), text);
        // Only the asked-for class changes; a digest's hex is not mistaken for short IDs.
        assert_eq!(
            redact(
                "sha256:16dd85b5fcfd562033c4a9d46220f8bdd5784d6b4f2b8900165b9b1cf6e4fbc6 16dd85b5fcfd",
                &[Redaction::Id],
                &[]
            ),
            "sha256:16dd85b5fcfd562033c4a9d46220f8bdd5784d6b4f2b8900165b9b1cf6e4fbc6 [ID]"
        );
    }

    #[test]
    fn diff_is_unified() {
        assert_eq!(
            diff("a\nb\nc\n", "a\nB\nc\n"),
            "--- expected\n+++ actual\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        );
        assert!(diff("a\n", "a").contains("No newline at end of file"));
    }
}
