//! `grep`: GNU grep's common options (`-i -v -c -E -F -o -n -r -R -l -L -q -s -h -H -w -x -m -e`).
//!
//! Patterns run on the `regex` crate (bytes, so any file can be searched). Basic regular
//! expressions (plain `grep`) and extended ones (`-E`) are translated to its syntax here: in a BRE
//! `\( \) \{ \} \| \+ \?` are the operators and the bare characters are literal; `\<`/`\>` become
//! word-boundary assertions; bracket expressions keep POSIX classes and lose the crate's nested
//! classes and set operators. Back-references are not supported (the crate has none).

use std::path::Path;

use regex::bytes::{Regex, RegexBuilder};

use super::util::{self, Spec};
use crate::shell::Ctx;

#[derive(Default)]
struct Flags {
    invert: bool,
    count: bool,
    only: bool,
    number: bool,
    files_with: bool,
    files_without: bool,
    quiet: bool,
    silent: bool,
    names: bool,
    max: Option<u64>,
}

/// `grep [OPTION…] PATTERN [FILE…]`: 0 when a line was selected, 1 when none, 2 on an error.
pub fn grep(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let spec = Spec {
        flags: "ivcEFGonrRlLqshHwxyaI",
        values: "em",
        longs: &[
            ("ignore-case", 'i'),
            ("invert-match", 'v'),
            ("count", 'c'),
            ("extended-regexp", 'E'),
            ("fixed-strings", 'F'),
            ("only-matching", 'o'),
            ("line-number", 'n'),
            ("recursive", 'r'),
            ("files-with-matches", 'l'),
            ("files-without-match", 'L'),
            ("quiet", 'q'),
            ("silent", 'q'),
            ("no-messages", 's'),
            ("regexp", 'e'),
            ("max-count", 'm'),
            ("word-regexp", 'w'),
            ("line-regexp", 'x'),
        ],
        stop_at_operand: false,
    };
    let Some(opts) = util::parse(ctx.io.stderr, args, &spec) else {
        return 2;
    };
    let mut operands = opts.operands.clone();
    let mut patterns: Vec<String> = opts.values('e').iter().map(|s| s.to_string()).collect();
    if patterns.is_empty() {
        if operands.is_empty() {
            let _ = writeln!(ctx.io.stderr, "Usage: grep [OPTION]... PATTERNS [FILE]...");
            util::try_help(ctx.io.stderr, "grep");
            return 2;
        }
        patterns.push(operands.remove(0));
    }
    let mode = opts
        .order()
        .filter(|c| matches!(c, 'E' | 'F' | 'G'))
        .last()
        .unwrap_or('G');
    let re = match compile(&patterns, mode, &opts) {
        Ok(re) => re,
        Err(msg) => {
            let _ = writeln!(ctx.io.stderr, "grep: {msg}");
            return 2;
        }
    };
    let recursive = opts.has('r') || opts.has('R');
    let implicit_dot = recursive && operands.is_empty();
    if operands.is_empty() {
        operands.push(if recursive { ".".into() } else { "-".into() });
    }
    let flags = Flags {
        invert: opts.has('v'),
        count: opts.has('c'),
        only: opts.has('o'),
        number: opts.has('n'),
        files_with: opts.has('l'),
        files_without: opts.has('L'),
        quiet: opts.has('q'),
        silent: opts.has('s'),
        names: if opts.has('h') {
            false
        } else {
            opts.has('H') || operands.len() > 1 || recursive
        },
        max: opts.value('m').and_then(|m| m.parse().ok()),
    };
    let mut inputs: Vec<(String, Option<std::path::PathBuf>)> = Vec::new();
    let mut status = Status::default();
    for op in &operands {
        if op == "-" {
            inputs.push((op.clone(), None));
            continue;
        }
        let real = match ctx.state.root.resolve(&ctx.state.cwd, op, true) {
            Ok(r) => r,
            Err(e) => {
                status.error(ctx, &flags, &format!("{op}: {e}"));
                continue;
            }
        };
        if recursive && real.is_dir() {
            // With no operand GNU grep shows `a/b`, not `./a/b`.
            let shown = if implicit_dot {
                String::new()
            } else {
                op.clone()
            };
            walk(&real, &shown, &mut inputs);
        } else {
            inputs.push((op.clone(), Some(real)));
        }
    }
    for (name, real) in inputs {
        let data = match &real {
            None => {
                let mut buf = Vec::new();
                match ctx.io.stdin.read_to_end(&mut buf) {
                    Ok(_) => buf,
                    Err(e) => {
                        status.error(ctx, &flags, &format!("(standard input): {}", util::msg(&e)));
                        continue;
                    }
                }
            }
            Some(p) => match std::fs::read(p) {
                Ok(d) => d,
                Err(e) => {
                    status.error(ctx, &flags, &format!("{name}: {}", util::msg(&e)));
                    continue;
                }
            },
        };
        let shown = if real.is_none() {
            "(standard input)"
        } else {
            name.as_str()
        };
        if search(ctx, &re, &data, shown, &flags) {
            status.matched = true;
            if flags.quiet {
                return 0;
            }
        }
    }
    if status.errors && !(flags.quiet && status.matched) {
        2
    } else if status.matched {
        0
    } else {
        1
    }
}

#[derive(Default)]
struct Status {
    matched: bool,
    errors: bool,
}

impl Status {
    fn error(&mut self, ctx: &mut Ctx<'_, '_>, flags: &Flags, msg: &str) {
        self.errors = true;
        if !flags.silent {
            let _ = writeln!(ctx.io.stderr, "grep: {msg}");
        }
    }
}

/// Files under `dir` in byte order.
fn walk(dir: &Path, shown: &str, out: &mut Vec<(String, Option<std::path::PathBuf>)>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        let child = if shown.is_empty() {
            name
        } else {
            format!("{}/{name}", shown.trim_end_matches('/'))
        };
        let Ok(ft) = e.file_type() else { continue };
        // Symlinks met while recursing are skipped, even with -R: the kernel would resolve them
        // against the host's `/`, not the root's, and the tree is not walked through the root.
        if ft.is_symlink() {
            continue;
        }
        if ft.is_dir() {
            walk(&e.path(), &child, out);
        } else if ft.is_file() {
            out.push((child, Some(e.path())));
        }
    }
}

/// Searches one input and prints what the flags ask for; returns whether a line was selected.
fn search(ctx: &mut Ctx<'_, '_>, re: &Regex, data: &[u8], name: &str, f: &Flags) -> bool {
    let binary = data.contains(&0);
    let mut count = 0u64;
    let mut out = Vec::new();
    for (i, line) in util::lines(data).into_iter().enumerate() {
        if f.max.is_some_and(|m| count >= m) {
            break;
        }
        let hit = re.is_match(line);
        if hit == f.invert {
            continue;
        }
        count += 1;
        if f.quiet || f.count || f.files_with || f.files_without || binary {
            continue;
        }
        let prefix = |out: &mut Vec<u8>| {
            if f.names {
                out.extend_from_slice(name.as_bytes());
                out.push(b':');
            }
            if f.number {
                out.extend_from_slice(format!("{}:", i + 1).as_bytes());
            }
        };
        if f.only {
            if f.invert {
                continue;
            }
            for m in re.find_iter(line).filter(|m| !m.as_bytes().is_empty()) {
                prefix(&mut out);
                out.extend_from_slice(m.as_bytes());
                out.push(b'\n');
            }
        } else {
            prefix(&mut out);
            out.extend_from_slice(line);
            out.push(b'\n');
        }
    }
    if f.quiet {
        return count > 0;
    }
    if f.count {
        if f.names {
            out.extend_from_slice(format!("{name}:").as_bytes());
        }
        out.extend_from_slice(format!("{count}\n").as_bytes());
    } else if f.files_with {
        if count > 0 {
            out.extend_from_slice(format!("{name}\n").as_bytes());
        }
    } else if f.files_without {
        if count == 0 {
            out.extend_from_slice(format!("{name}\n").as_bytes());
        }
    } else if binary && count > 0 {
        let _ = writeln!(ctx.io.stderr, "grep: {name}: binary file matches");
    }
    let _ = ctx.io.stdout.write_all(&out);
    if f.files_without {
        return count == 0;
    }
    count > 0
}

fn compile(patterns: &[String], mode: char, opts: &util::Opts) -> Result<Regex, String> {
    // A pattern with newlines is several patterns, as in GNU grep.
    let parts: Vec<String> = patterns
        .iter()
        .flat_map(|p| p.split('\n').map(str::to_string).collect::<Vec<_>>())
        .map(|p| match mode {
            'F' => Ok(regex::escape(&p)),
            'E' => translate(&p, true),
            _ => translate(&p, false),
        })
        .collect::<Result<_, _>>()?;
    let mut joined = parts
        .iter()
        .map(|p| format!("(?:{p})"))
        .collect::<Vec<_>>()
        .join("|");
    if opts.has('x') {
        joined = format!("^(?:{joined})$");
    } else if opts.has('w') {
        joined = format!(r"\b(?:{joined})\b");
    }
    RegexBuilder::new(&joined)
        .case_insensitive(opts.has('i') || opts.has('y'))
        .build()
        .map_err(|e| {
            let text = e.to_string();
            if text.contains("unclosed group") || text.contains("unopened group") {
                r"Unmatched ( or \(".to_string()
            } else if text.contains("unclosed character class") {
                "Unmatched [, [^, [:, [., or [=".to_string()
            } else {
                "Invalid regular expression".to_string()
            }
        })
}

/// Translates a POSIX basic (`ere == false`) or extended regular expression to `regex` syntax.
pub fn translate(p: &str, ere: bool) -> Result<String, String> {
    let c: Vec<char> = p.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    // Whether the next character starts an expression (where `*` is literal, `^` an anchor).
    let mut at_start = true;
    while i < c.len() {
        let ch = c[i];
        let starting = at_start;
        at_start = false;
        match ch {
            '\\' if i + 1 < c.len() => {
                let n = c[i + 1];
                i += 2;
                match n {
                    '(' if !ere => {
                        out.push('(');
                        at_start = true;
                    }
                    ')' if !ere => out.push(')'),
                    '{' if !ere => out.push('{'),
                    '}' if !ere => out.push('}'),
                    '|' if !ere => {
                        out.push('|');
                        at_start = true;
                    }
                    '+' | '?' if !ere => out.push(n),
                    '<' => out.push_str(r"\b{start}"),
                    '>' => out.push_str(r"\b{end}"),
                    'w' | 'W' | 's' | 'S' | 'b' | 'B' => {
                        out.push('\\');
                        out.push(n);
                    }
                    '1'..='9' => return Err("back-references are not supported".into()),
                    other => out.push_str(&regex::escape(&other.to_string())),
                }
                continue;
            }
            '\\' => {
                return Err("Trailing backslash".into());
            }
            '[' => {
                i = bracket(&c, i, &mut out)?;
                continue;
            }
            '*' if starting => out.push_str(r"\*"),
            '+' | '?' if ere && starting => out.push_str(&regex::escape(&ch.to_string())),
            '^' => {
                if ere || starting {
                    out.push('^');
                    at_start = true;
                } else {
                    out.push_str(r"\^");
                }
            }
            '$' => {
                let at_end = i + 1 == c.len()
                    || (!ere
                        && c.get(i + 1) == Some(&'\\')
                        && matches!(c.get(i + 2), Some(')' | '|')));
                if ere || at_end {
                    out.push('$');
                } else {
                    out.push_str(r"\$");
                }
            }
            '(' | '|' if ere => {
                out.push(ch);
                at_start = true;
            }
            ')' if ere => out.push(ch),
            '{' if ere => {
                // An interval only when it looks like one; otherwise a literal brace, as GNU does.
                let rest: String = c[i..].iter().collect();
                let interval = rest.find('}').map(|e| &rest[1..e]).is_some_and(|body| {
                    !body.is_empty() && body.chars().all(|x| x.is_ascii_digit() || x == ',')
                });
                if interval && !starting {
                    out.push('{');
                } else {
                    out.push_str(r"\{");
                }
            }
            '.' => out.push('.'),
            '*' | '+' | '?' | '}' if ere => out.push(ch),
            '*' => out.push('*'),
            other => out.push_str(&regex::escape(&other.to_string())),
        }
        i += 1;
    }
    Ok(out)
}

/// Copies a bracket expression starting at `c[i] == '['`; returns the index after its `]`.
fn bracket(c: &[char], mut i: usize, out: &mut String) -> Result<usize, String> {
    let unmatched = || "Unmatched [, [^, [:, [., or [=".to_string();
    out.push('[');
    i += 1;
    if c.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    let first = i;
    loop {
        let Some(&ch) = c.get(i) else {
            return Err(unmatched());
        };
        if ch == ']' && i > first {
            out.push(']');
            return Ok(i + 1);
        }
        if ch == '[' && matches!(c.get(i + 1), Some(':' | '=' | '.')) {
            let kind = c[i + 1];
            let close: String = [kind, ']'].iter().collect();
            let rest: String = c[i + 2..].iter().collect();
            let Some(end) = rest.find(&close) else {
                return Err(unmatched());
            };
            let body = &rest[..end];
            if kind == ':' {
                out.push_str(&format!("[:{body}:]"));
            } else {
                out.push_str(&regex::escape(body));
            }
            i += 2 + body.chars().count() + 2;
            continue;
        }
        let last = c.get(i + 1) == Some(&']');
        match ch {
            '-' if i == first || last => out.push_str(r"\-"),
            '-' => out.push('-'),
            '\\' | '[' | ']' | '&' | '~' | '^' => {
                out.push('\\');
                out.push(ch);
            }
            other => out.push(other),
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::translate;
    use crate::shell::builtins::testkit::World;

    fn world() -> World {
        let mut w = World::new();
        w.write("/root/gr/a", "Hello world\nfoo bar\nhello again\n");
        w.write("/root/gr/sub/b", "nothing\nHELLO\n");
        w.check(&["cd", "gr"], "", "", 0);
        w
    }

    #[test]
    fn like_gnu_grep() {
        let mut w = world();
        // Each expectation recorded from GNU grep 3.8 on the same files.
        w.check(&["grep", "-r", "hello"], "a:hello again\n", "", 0);
        w.check(
            &["grep", "-rn", "-i", "hello", "."],
            "./a:1:Hello world\n./a:3:hello again\n./sub/b:2:HELLO\n",
            "",
            0,
        );
        w.check(
            &["grep", "-c", "hello", "a", "sub/b"],
            "a:1\nsub/b:0\n",
            "",
            0,
        );
        w.check(&["grep", "-o", "l\\+", "a"], "ll\nl\nll\n", "", 0);
        w.check(
            &["grep", "-E", "fo+|ag", "a"],
            "foo bar\nhello again\n",
            "",
            0,
        );
        w.check(&["grep", "a\\(g\\)a", "a"], "hello again\n", "", 0);
        w.check(&["grep", "(", "a"], "", "", 1);
        w.check(
            &["grep", "-E", "(", "a"],
            "",
            "grep: Unmatched ( or \\(\n",
            2,
        );
        w.check(
            &["grep", "-l", "-i", "hello", "a", "sub/b"],
            "a\nsub/b\n",
            "",
            0,
        );
        w.check(
            &["grep"],
            "",
            "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n",
            2,
        );
        let o = w.run_in(&["grep", "-H", "hi"], b"hi\n");
        assert_eq!((o.out.as_str(), o.status), ("(standard input):hi\n", 0));
        w.check(&["grep", "-w", "hell", "a"], "", "", 1);
        w.check(&["grep", "-x", "foo bar", "a"], "foo bar\n", "", 0);
        w.check(&["grep", "-vn", "o", "a"], "", "", 1);
        w.check(
            &["grep", "hello", "sub"],
            "",
            "grep: sub: Is a directory\n",
            2,
        );
        w.check(
            &["grep", "x", "nope"],
            "",
            "grep: nope: No such file or directory\n",
            2,
        );
        w.check(&["grep", "-q", "foo", "a"], "", "", 0);
        w.check(&["grep", "-v", "-c", "o", "a"], "0\n", "", 1);
        w.check(
            &["grep", "-e", "foo", "-e", "again", "a"],
            "foo bar\nhello again\n",
            "",
            0,
        );
        w.check(&["grep", "-F", "o b", "a"], "foo bar\n", "", 0);
        w.check(&["grep", "[[:upper:]]", "a"], "Hello world\n", "", 0);
        w.check(&["grep", "^h.*n$", "a"], "hello again\n", "", 0);
    }

    #[test]
    fn binary_files() {
        let mut w = World::new();
        w.write("/root/bin", "x\0y\n");
        w.check(
            &["grep", "x", "bin"],
            "",
            "grep: bin: binary file matches\n",
            0,
        );
    }

    #[test]
    fn translations() {
        assert_eq!(translate("a\\{2\\}", false).expect("bre"), "a{2}");
        assert_eq!(translate("a{2}", false).expect("bre"), r"a\{2\}");
        assert_eq!(translate("*a", false).expect("bre"), r"\*a");
        assert_eq!(translate("a^b$", false).expect("bre"), r"a\^b$");
        assert_eq!(translate("[]a-]", false).expect("bre"), r"[\]a\-]");
        assert_eq!(translate(r"[\d]", true).expect("ere"), r"[\\d]");
        assert_eq!(translate("a{x", true).expect("ere"), r"a\{x");
        assert_eq!(
            translate(r"\<w\>", true).expect("ere"),
            r"\b{start}w\b{end}"
        );
        assert!(translate("[a", false).is_err());
    }
}
