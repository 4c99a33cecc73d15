//! Writing a scenario back as YAML (for `record`): metadata first, then one block per step, with
//! outputs as literal blocks (`|`) so a transcript reads like the terminal it came from.
//!
//! Hand-written rather than serde-derived so the layout is stable and diff-friendly: keys in a
//! fixed order, defaults (`status: 0`, empty streams) left out. A string that a literal block
//! cannot carry exactly (leading blanks, `\r`, control characters, several trailing newlines) is
//! written as a double-quoted scalar with JSON escapes, which YAML reads the same way. The
//! recorder re-parses what this writes and refuses to save a file that does not read back equal.

use std::fmt::Write as _;

use super::model::{DEFAULT_CLOCK, DEFAULT_SEED, Scenario};

/// The YAML text of `doc`.
pub fn to_yaml(doc: &Scenario) -> String {
    let mut y = String::new();
    let _ = writeln!(y, "schema: {}", scalar(&doc.schema.value, 0));
    let _ = writeln!(y, "title: {}", scalar(&doc.title, 0));
    let _ = writeln!(y, "description: {}", scalar(&doc.description, 0));
    if let Some(s) = &doc.section {
        let _ = writeln!(y, "section: {}", scalar(s, 0));
    }
    if let Some(c) = &doc.clock
        && c.value != DEFAULT_CLOCK
    {
        let _ = writeln!(y, "clock: {}", quoted(&c.value));
    }
    if let Some(seed) = doc.seed
        && seed != DEFAULT_SEED
    {
        let _ = writeln!(y, "seed: {seed}");
    }
    y.push_str("steps:\n");
    for step in &doc.steps {
        let _ = writeln!(y, "  - run: {}", scalar(&step.run.value, 4));
        let field = |y: &mut String, key: &str, value: &str| {
            let _ = writeln!(y, "    {key}: {}", scalar(value, 4));
        };
        if let Some(n) = &step.note {
            field(&mut y, "note", n);
        }
        if let Some(s) = step.stdin.as_deref().filter(|s| !s.is_empty()) {
            field(&mut y, "stdin", s);
        }
        if let Some(m) = &step.stdout_matches {
            field(&mut y, "stdout_matches", &m.value);
        } else if let Some(s) = step.stdout.as_deref().filter(|s| !s.is_empty()) {
            field(&mut y, "stdout", s);
        }
        if let Some(m) = &step.stderr_matches {
            field(&mut y, "stderr_matches", &m.value);
        } else if let Some(s) = step.stderr.as_deref().filter(|s| !s.is_empty()) {
            field(&mut y, "stderr", s);
        }
        if step.status != 0 {
            let _ = writeln!(y, "    status: {}", step.status);
        }
        if !step.redact.is_empty() {
            let names: Vec<&str> = step.redact.iter().map(|r| r.name()).collect();
            let _ = writeln!(y, "    redact: [{}]", names.join(", "));
        }
    }
    y
}

/// `s` as the value after `key: `, for a key indented by `indent` spaces.
fn scalar(s: &str, indent: usize) -> String {
    if s.contains('\n') {
        if let Some(block) = literal(s, indent + 2) {
            return block;
        }
        return quoted(s);
    }
    if plain_ok(s) {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// A double-quoted scalar: JSON's escapes are a subset of YAML's.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{}\"", s.escape_default()))
}

/// A literal block (`|` or `|-`) with content indented by `indent`, when `s` fits one exactly.
fn literal(s: &str, indent: usize) -> Option<String> {
    let (body, chomp) = match s.strip_suffix('\n') {
        Some(b) if b.ends_with('\n') => return None,
        Some(b) => (b, ""),
        None => (s, "-"),
    };
    let bad_char = |c: char| (c.is_control() && c != '\t' && c != '\n') || c == '\u{feff}';
    if body.is_empty() || body.starts_with([' ', '\t', '\n']) || body.chars().any(bad_char) {
        return None;
    }
    let mut out = format!("|{chomp}\n");
    let pad = " ".repeat(indent);
    let lines: Vec<&str> = body.split('\n').collect();
    for line in &lines {
        if !line.is_empty() && line.trim().is_empty() {
            // A blank-only line would be read as (part of) the indentation.
            return None;
        }
        if line.starts_with('\t') {
            return None;
        }
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{pad}{line}");
        }
    }
    // The last line ends the block; the writer adds the newline after the value itself.
    out.pop();
    Some(out)
}

/// Whether `s` reads back as the same string when written as a plain scalar.
fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if "-?:,[]{}#&*!|>'\"%@`~".contains(first) || first.is_whitespace() || first.is_ascii_digit() {
        return false;
    }
    if s.ends_with([' ', '\t', ':']) || s.contains(": ") || s.contains(" #") || s.contains('\t') {
        return false;
    }
    if s.chars().any(|c| c.is_control()) {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    !matches!(
        lower.as_str(),
        "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | ".nan" | ".inf"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_are_conservative() {
        for s in ["docker images", "docker images -f dangling=true", "a/b:c"] {
            assert!(plain_ok(s), "{s}");
        }
        for s in [
            "", "- x", "true", "No", "1.5", "a: b", "a #b", "{{.ID}}", "x:", " lead", "'q'",
        ] {
            assert!(!plain_ok(s), "{s}");
        }
    }

    #[test]
    fn literal_blocks_and_fallbacks() {
        assert_eq!(literal("a\n  b\n", 4).as_deref(), Some("|\n    a\n      b"));
        assert_eq!(literal("a\n\nb", 2).as_deref(), Some("|-\n  a\n\n  b"));
        assert_eq!(literal("a\n\n", 2), None);
        assert_eq!(literal("\n", 2), None);
        assert_eq!(literal(" a\n", 2), None);
        assert_eq!(literal("a\n   \nb\n", 2), None);
        assert_eq!(literal("a\r\n", 2), None);
    }
}
