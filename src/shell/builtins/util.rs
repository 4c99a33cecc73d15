//! What the builtins share: GNU-style option parsing, coreutils' ways of quoting file names in
//! messages, and opening inputs (`-` is stdin) through the confined root.
//!
//! It owns no command; each builtin keeps its own words.

use std::fs::File;
use std::io::{self, Read, Write};

use crate::shell::State;
use crate::shell::fs::strerror;

/// Parsed options: flags in the order given (with their values), and the operands.
#[derive(Debug, Default)]
pub struct Opts {
    flags: Vec<(char, Option<String>)>,
    pub operands: Vec<String>,
}

impl Opts {
    /// Whether flag `c` was given.
    pub fn has(&self, c: char) -> bool {
        self.flags.iter().any(|(f, _)| *f == c)
    }

    /// The last value given to option `c`.
    pub fn value(&self, c: char) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(f, _)| *f == c)
            .and_then(|(_, v)| v.as_deref())
    }

    /// Every value given to option `c`, in order (`grep -e A -e B`).
    pub fn values(&self, c: char) -> Vec<&str> {
        self.flags
            .iter()
            .filter(|(f, _)| *f == c)
            .filter_map(|(_, v)| v.as_deref())
            .collect()
    }

    /// The flags in the order given (for options where the last one wins, as `ls -1 -l`).
    pub fn order(&self) -> impl Iterator<Item = char> + '_ {
        self.flags.iter().map(|(f, _)| *f)
    }
}

/// What a command accepts: single-letter flags, letters that take a value, and long names that
/// stand for a letter (`--recursive` for `r`).
pub struct Spec<'a> {
    pub flags: &'a str,
    pub values: &'a str,
    pub longs: &'a [(&'a str, char)],
    /// Stop at the first operand (POSIX order) instead of taking options anywhere (GNU's
    /// permutation), for commands whose operands may start with `-`.
    pub stop_at_operand: bool,
}

impl Spec<'_> {
    /// A spec with short flags only, options anywhere (GNU's argument permutation).
    pub const fn short<'a>(flags: &'a str, values: &'a str) -> Spec<'a> {
        Spec {
            flags,
            values,
            longs: &[],
            stop_at_operand: false,
        }
    }
}

/// Parses `args[1..]` as GNU getopt does. On a bad option prints coreutils' two lines
/// (`ls: invalid option -- 'z'` and `Try 'ls --help' …`) and returns `None`.
pub fn parse(err: &mut dyn Write, args: &[String], spec: &Spec<'_>) -> Option<Opts> {
    let cmd = args.first().map(String::as_str).unwrap_or("");
    let mut opts = Opts::default();
    let mut i = 1;
    let mut only_operands = false;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if only_operands || a == "-" || !a.starts_with('-') {
            opts.operands.push(a.clone());
            if spec.stop_at_operand {
                only_operands = true;
            }
            continue;
        }
        if a == "--" {
            only_operands = true;
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let Some(&(_, c)) = spec.longs.iter().find(|(l, _)| *l == name) else {
                let _ = writeln!(err, "{cmd}: unrecognized option '{a}'");
                try_help(err, cmd);
                return None;
            };
            if spec.values.contains(c) {
                let v = match inline {
                    Some(v) => v,
                    None if i < args.len() => {
                        i += 1;
                        args[i - 1].clone()
                    }
                    None => {
                        let _ = writeln!(err, "{cmd}: option '--{name}' requires an argument");
                        try_help(err, cmd);
                        return None;
                    }
                };
                opts.flags.push((c, Some(v)));
            } else {
                opts.flags.push((c, None));
            }
            continue;
        }
        let letters: Vec<char> = a[1..].chars().collect();
        let mut j = 0;
        while j < letters.len() {
            let c = letters[j];
            j += 1;
            if spec.values.contains(c) {
                let rest: String = letters[j..].iter().collect();
                let v = if !rest.is_empty() {
                    rest
                } else if i < args.len() {
                    i += 1;
                    args[i - 1].clone()
                } else {
                    let _ = writeln!(err, "{cmd}: option requires an argument -- '{c}'");
                    try_help(err, cmd);
                    return None;
                };
                opts.flags.push((c, Some(v)));
                break;
            } else if spec.flags.contains(c) {
                opts.flags.push((c, None));
            } else {
                let _ = writeln!(err, "{cmd}: invalid option -- '{c}'");
                try_help(err, cmd);
                return None;
            }
        }
    }
    Some(opts)
}

/// coreutils' second usage line.
pub fn try_help(err: &mut dyn Write, cmd: &str) {
    let _ = writeln!(err, "Try '{cmd} --help' for more information.");
}

/// `cmd: missing operand` and the `Try …` line.
pub fn missing_operand(err: &mut dyn Write, cmd: &str) {
    let _ = writeln!(err, "{cmd}: missing operand");
    try_help(err, cmd);
}

/// Whether a name needs no quoting in a shell.
fn shell_safe(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || "_-./,:@%+=^".contains(c))
}

/// A file name quoted always, as coreutils' `quoteaf` does (`ls: cannot access 'x'`).
pub fn quote(s: &str) -> String {
    if s.contains('\'') {
        format!("\"{s}\"")
    } else {
        format!("'{s}'")
    }
}

/// A file name quoted only when a shell would need it, as coreutils' `quotef` does
/// (`cat: x: …` but `cat: 'a b': …`).
pub fn quote_if(s: &str) -> String {
    if shell_safe(s) {
        s.to_string()
    } else {
        quote(s)
    }
}

/// A name in the locale's quotation marks, as coreutils' `quote` does in a UTF-8 locale
/// (`mkdir: cannot create directory ‘x’`).
pub fn lquote(s: &str) -> String {
    format!("\u{2018}{s}\u{2019}")
}

/// An I/O error's words (`No such file or directory`).
pub fn msg(e: &io::Error) -> String {
    strerror(e)
}

/// An input: the command's stdin (`-`) or a file opened through the root.
pub enum Input<'r> {
    Stdin(&'r mut (dyn Read + Send)),
    File(File),
}

impl Read for Input<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Input::Stdin(r) => r.read(buf),
            Input::File(f) => f.read(buf),
        }
    }
}

/// Opens `name` for reading: `-` is `stdin`; anything else is resolved through the root.
pub fn open_input<'r>(
    stdin: &'r mut (dyn Read + Send),
    state: &State,
    name: &str,
) -> io::Result<Input<'r>> {
    if name == "-" {
        return Ok(Input::Stdin(stdin));
    }
    Ok(Input::File(open_file(state, name)?))
}

/// Opens a file through the root for reading (the user working under the root must be allowed
/// to read it).
pub fn open_file(state: &State, name: &str) -> io::Result<File> {
    let real = state
        .root
        .resolve_for(&state.cwd, name, true, crate::shell::fs::Access::Read)
        .map_err(|e| e.into_io())?;
    File::open(real)
}

/// Reads a whole input (`-` is stdin).
pub fn read_all(stdin: &mut (dyn Read + Send), state: &State, name: &str) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    open_input(stdin, state, name)?.read_to_end(&mut buf)?;
    Ok(buf)
}

/// Splits bytes into lines without their `\n`; a last line without one still counts.
pub fn lines(data: &[u8]) -> Vec<&[u8]> {
    let mut out: Vec<&[u8]> = data.split(|b| *b == b'\n').collect();
    if data.is_empty() || data.ends_with(b"\n") {
        out.pop();
    }
    out
}

/// Parses a non-negative count as coreutils does (digits, with an optional `K`/`M`/`G` suffix
/// or `b` for 512).
pub fn parse_count(s: &str) -> Option<u64> {
    let (digits, mult) = match s.char_indices().last() {
        Some((i, 'b')) => (&s[..i], 512),
        Some((i, 'k' | 'K')) => (&s[..i], 1024),
        Some((i, 'M')) => (&s[..i], 1024 * 1024),
        Some((i, 'G')) => (&s[..i], 1024 * 1024 * 1024),
        _ => (s, 1),
    };
    digits.parse::<u64>().ok().map(|n| n.saturating_mul(mult))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str], spec: &Spec<'_>) -> Result<Opts, String> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let mut err = Vec::new();
        parse(&mut err, &args, spec).ok_or_else(|| String::from_utf8_lossy(&err).into_owned())
    }

    #[test]
    fn bundled_flags_values_and_permutation() {
        let spec = Spec {
            flags: "rf",
            values: "n",
            longs: &[("recursive", 'r'), ("lines", 'n')],
            stop_at_operand: false,
        };
        let o = p(&["rm", "-rf", "a", "-n5", "--", "-b"], &spec).expect("ok");
        assert!(o.has('r') && o.has('f'));
        assert_eq!(o.value('n'), Some("5"));
        assert_eq!(o.operands, ["a", "-b"]);
        let o = p(&["x", "--lines=3", "--recursive", "-n", "7", "-"], &spec).expect("ok");
        assert_eq!(o.value('n'), Some("7"));
        assert_eq!(o.operands, ["-"]);
        assert_eq!(
            p(&["ls", "-z"], &spec).expect_err("bad"),
            "ls: invalid option -- 'z'\nTry 'ls --help' for more information.\n"
        );
        assert_eq!(
            p(&["head", "-n"], &spec).expect_err("bad"),
            "head: option requires an argument -- 'n'\nTry 'head --help' for more information.\n"
        );
    }

    #[test]
    fn quoting() {
        assert_eq!(quote_if("a.txt"), "a.txt");
        assert_eq!(quote_if("a b"), "'a b'");
        assert_eq!(quote("it's"), "\"it's\"");
        assert_eq!(lquote("x"), "‘x’");
    }

    #[test]
    fn counts_and_lines() {
        assert_eq!(parse_count("2K"), Some(2048));
        assert_eq!(parse_count("x"), None);
        assert_eq!(lines(b"a\nb"), [b"a".as_slice(), b"b"]);
        assert_eq!(lines(b"a\n"), [b"a".as_slice()]);
        assert!(lines(b"").is_empty());
    }
}
