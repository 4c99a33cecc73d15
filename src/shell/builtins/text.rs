//! Line filters: `sort`, `uniq`, `cut`. They read whole inputs (`-` or none is stdin) and compare
//! bytes as in the C locale.

use std::cmp::Ordering;

use super::util::{self, Spec, lquote, quote_if, try_help};
use crate::shell::Ctx;

/// Reads every named input (or stdin), reporting failures with `prefix` as GNU's tools do.
fn read_inputs(
    ctx: &mut Ctx<'_, '_>,
    files: &[String],
    cmd: &str,
    prefix: &str,
) -> Result<Vec<u8>, i32> {
    let mut data = Vec::new();
    let files: Vec<String> = if files.is_empty() {
        vec!["-".into()]
    } else {
        files.to_vec()
    };
    for f in &files {
        match util::read_all(ctx.io.stdin, ctx.state, f) {
            Ok(mut d) => {
                if !d.is_empty() && !d.ends_with(b"\n") {
                    d.push(b'\n');
                }
                data.extend(d);
            }
            Err(e) => {
                let _ = writeln!(
                    ctx.io.stderr,
                    "{cmd}: {prefix}{}: {}",
                    quote_if(f),
                    util::msg(&e)
                );
                return Err(2);
            }
        }
    }
    Ok(data)
}

/// A sort key: fields `start..=end` (1-based; `end` 0 means to the end of the line).
#[derive(Clone, Copy)]
struct Key {
    start: usize,
    end: usize,
}

/// The part of `line` a key selects. Without `-t`, a field is its leading blanks plus the
/// non-blank run after them (GNU's default field splitting).
fn key_slice(line: &[u8], key: Key, sep: Option<u8>) -> &[u8] {
    let mut bounds = Vec::new();
    match sep {
        Some(s) => {
            let mut begin = 0;
            for (i, b) in line.iter().enumerate() {
                if *b == s {
                    bounds.push((begin, i));
                    begin = i + 1;
                }
            }
            bounds.push((begin, line.len()));
        }
        None => {
            let mut i = 0;
            while i < line.len() {
                let begin = i;
                while i < line.len() && (line[i] == b' ' || line[i] == b'\t') {
                    i += 1;
                }
                while i < line.len() && line[i] != b' ' && line[i] != b'\t' {
                    i += 1;
                }
                bounds.push((begin, i));
            }
        }
    }
    let Some(&(from, _)) = bounds.get(key.start.saturating_sub(1)) else {
        return &[];
    };
    let to = if key.end == 0 {
        line.len()
    } else {
        bounds.get(key.end - 1).map_or(line.len(), |b| b.1)
    };
    if to < from { &[] } else { &line[from..to] }
}

/// The leading number of `s` as `sort -n` reads it (blanks, sign, digits, one decimal point).
fn numeric(s: &[u8]) -> f64 {
    let t = String::from_utf8_lossy(s);
    let t = t.trim_start();
    let mut end = 0;
    let mut seen_dot = false;
    for (i, c) in t.char_indices() {
        if c.is_ascii_digit() || (i == 0 && c == '-') || (c == '.' && !seen_dot) {
            seen_dot |= c == '.';
            end = i + 1;
        } else {
            break;
        }
    }
    t[..end].parse().unwrap_or(0.0)
}

/// `sort [-rnuf] [-k N[,M]] [-t C] [-o FILE] [FILE…]`.
pub fn sort(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let spec = Spec {
        flags: "rnufbs",
        values: "kto",
        longs: &[
            ("reverse", 'r'),
            ("numeric-sort", 'n'),
            ("unique", 'u'),
            ("key", 'k'),
            ("field-separator", 't'),
            ("output", 'o'),
            ("ignore-case", 'f'),
        ],
        stop_at_operand: false,
    };
    let Some(opts) = util::parse(ctx.io.stderr, args, &spec) else {
        return 2;
    };
    let sep = match opts.value('t') {
        None => None,
        Some(t) if t.len() == 1 => Some(t.as_bytes()[0]),
        Some(t) => {
            let _ = writeln!(ctx.io.stderr, "sort: multi-character tab {}", lquote(t));
            return 2;
        }
    };
    let key = match opts.value('k') {
        None => None,
        Some(k) => {
            // `-k2`, `-k2,2`, `-k2n` (a trailing type letter applies as the global one would).
            let digits = |s: &str| {
                s.chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
            };
            let (a, b) = k.split_once(',').unwrap_or((k, ""));
            match digits(a).parse::<usize>() {
                Ok(start) if start > 0 => Some(Key {
                    start,
                    end: digits(b).parse().unwrap_or(0),
                }),
                _ => {
                    let _ = writeln!(
                        ctx.io.stderr,
                        "sort: invalid number at field start: invalid count at start of {}",
                        lquote(k)
                    );
                    return 2;
                }
            }
        }
    };
    let key_numeric = opts.value('k').is_some_and(|k| k.contains('n'));
    let numeric_sort = opts.has('n') || key_numeric;
    let fold = opts.has('f');
    let data = match read_inputs(ctx, &opts.operands, "sort", "cannot read: ") {
        Ok(d) => d,
        Err(s) => return s,
    };
    let mut lines = util::lines(&data);
    let key_of = |l: &'_ [u8]| -> Vec<u8> {
        let k = match key {
            Some(k) => key_slice(l, k, sep),
            None => l,
        };
        if fold {
            k.to_ascii_uppercase()
        } else {
            k.to_vec()
        }
    };
    let compare_keys = |a: &[u8], b: &[u8]| -> Ordering {
        let (ka, kb) = (key_of(a), key_of(b));
        if numeric_sort {
            numeric(&ka)
                .partial_cmp(&numeric(&kb))
                .unwrap_or(Ordering::Equal)
        } else {
            ka.cmp(&kb)
        }
    };
    let reverse = opts.has('r');
    let unique = opts.has('u');
    lines.sort_by(|a, b| {
        // GNU's last resort: equal keys compare as whole lines (not with -u or -s).
        let o = compare_keys(a, b);
        let o = if o == Ordering::Equal && !unique && !opts.has('s') {
            a.cmp(b)
        } else {
            o
        };
        if reverse { o.reverse() } else { o }
    });
    if unique {
        lines.dedup_by(|a, b| compare_keys(a, b) == Ordering::Equal);
    }
    let mut out = Vec::with_capacity(data.len());
    for l in lines {
        out.extend_from_slice(l);
        out.push(b'\n');
    }
    if let Some(o) = opts.value('o') {
        let written = ctx
            .state
            .root
            .resolve_write(&ctx.state.cwd, o, true)
            .map_err(|e| e.into_io())
            .and_then(|p| {
                let new = std::fs::symlink_metadata(&p).is_err();
                std::fs::write(&p, &out)?;
                if new {
                    ctx.state.root.created(&p);
                }
                Ok(())
            });
        if let Err(e) = written {
            let _ = writeln!(ctx.io.stderr, "sort: open failed: {o}: {}", util::msg(&e));
            return 2;
        }
        return 0;
    }
    let _ = ctx.io.stdout.write_all(&out);
    0
}

/// `uniq [-c] [-d] [-u] [-i] [INPUT]`: adjacent duplicate lines folded.
pub fn uniq(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let spec = Spec {
        flags: "cdui",
        values: "",
        longs: &[
            ("count", 'c'),
            ("repeated", 'd'),
            ("unique", 'u'),
            ("ignore-case", 'i'),
        ],
        stop_at_operand: false,
    };
    let Some(opts) = util::parse(ctx.io.stderr, args, &spec) else {
        return 1;
    };
    if opts.operands.len() > 1 {
        let _ = writeln!(
            ctx.io.stderr,
            "uniq: extra operand {}",
            util::quote(&opts.operands[1])
        );
        try_help(ctx.io.stderr, "uniq");
        return 1;
    }
    let name = opts.operands.first().map_or("-", String::as_str);
    let data = match util::read_all(ctx.io.stdin, ctx.state, name) {
        Ok(d) => d,
        Err(e) => {
            let _ = writeln!(ctx.io.stderr, "uniq: {}: {}", quote_if(name), util::msg(&e));
            return 1;
        }
    };
    let same = |a: &[u8], b: &[u8]| {
        if opts.has('i') {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    let mut groups: Vec<(&[u8], u64)> = Vec::new();
    for l in util::lines(&data) {
        match groups.last_mut() {
            Some((g, n)) if same(g, l) => *n += 1,
            _ => groups.push((l, 1)),
        }
    }
    let mut out = Vec::new();
    for (l, n) in groups {
        if (opts.has('d') && n < 2) || (opts.has('u') && n > 1) {
            continue;
        }
        if opts.has('c') {
            out.extend_from_slice(format!("{n:7} ").as_bytes());
        }
        out.extend_from_slice(l);
        out.push(b'\n');
    }
    let _ = ctx.io.stdout.write_all(&out);
    0
}

/// A cut list (`1,3-5,7-`) as inclusive 1-based ranges.
fn parse_list(s: &str) -> Option<Vec<(usize, usize)>> {
    let mut ranges = Vec::new();
    for part in s.split(',') {
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (
                if a.is_empty() { 1 } else { a.parse().ok()? },
                if b.is_empty() {
                    usize::MAX
                } else {
                    b.parse().ok()?
                },
            ),
            None => {
                let n = part.parse().ok()?;
                (n, n)
            }
        };
        if a == 0 || b < a {
            return None;
        }
        ranges.push((a, b));
    }
    Some(ranges)
}

/// `cut -f LIST [-d C] [-s] | -c LIST | -b LIST [FILE…]`.
pub fn cut(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let spec = Spec {
        flags: "sn",
        values: "bcfdO",
        longs: &[
            ("fields", 'f'),
            ("delimiter", 'd'),
            ("bytes", 'b'),
            ("characters", 'c'),
            ("only-delimited", 's'),
            ("output-delimiter", 'O'),
        ],
        stop_at_operand: false,
    };
    let Some(opts) = util::parse(ctx.io.stderr, args, &spec) else {
        return 1;
    };
    let delim = match opts.value('d') {
        None => b'\t',
        Some(d) if d.len() == 1 => d.as_bytes()[0],
        Some(_) => {
            let _ = writeln!(
                ctx.io.stderr,
                "cut: the delimiter must be a single character"
            );
            try_help(ctx.io.stderr, "cut");
            return 1;
        }
    };
    let (list, fields) = match (opts.value('f'), opts.value('c').or(opts.value('b'))) {
        (Some(f), None) => (f, true),
        (None, Some(c)) => (c, false),
        (Some(_), Some(_)) => {
            let _ = writeln!(ctx.io.stderr, "cut: only one type of list may be specified");
            try_help(ctx.io.stderr, "cut");
            return 1;
        }
        (None, None) => {
            let _ = writeln!(
                ctx.io.stderr,
                "cut: you must specify a list of bytes, characters, or fields"
            );
            try_help(ctx.io.stderr, "cut");
            return 1;
        }
    };
    let Some(ranges) = parse_list(list) else {
        let _ = writeln!(ctx.io.stderr, "cut: invalid field range");
        try_help(ctx.io.stderr, "cut");
        return 1;
    };
    let selected = |i: usize| ranges.iter().any(|(a, b)| (*a..=*b).contains(&i));
    let out_delim = opts
        .value('O')
        .map(|s| s.as_bytes().to_vec())
        .unwrap_or_else(|| vec![delim]);
    let mut files = opts.operands.clone();
    if files.is_empty() {
        files.push("-".into());
    }
    let mut status = 0;
    let mut out = Vec::new();
    for f in &files {
        let data = match util::read_all(ctx.io.stdin, ctx.state, f) {
            Ok(d) => d,
            Err(e) => {
                let _ = writeln!(ctx.io.stderr, "cut: {}: {}", quote_if(f), util::msg(&e));
                status = 1;
                continue;
            }
        };
        for line in util::lines(&data) {
            if fields {
                if !line.contains(&delim) {
                    if !opts.has('s') {
                        out.extend_from_slice(line);
                        out.push(b'\n');
                    }
                    continue;
                }
                let picked: Vec<&[u8]> = line
                    .split(|b| *b == delim)
                    .enumerate()
                    .filter(|(i, _)| selected(i + 1))
                    .map(|(_, f)| f)
                    .collect();
                out.extend_from_slice(&picked.join(out_delim.as_slice()));
            } else {
                for (i, b) in line.iter().enumerate() {
                    if selected(i + 1) {
                        out.push(*b);
                    }
                }
            }
            out.push(b'\n');
        }
    }
    let _ = ctx.io.stdout.write_all(&out);
    status
}

#[cfg(test)]
mod tests {
    use crate::shell::builtins::testkit::World;

    fn world() -> World {
        let w = World::new();
        w.write("/root/s", "10 b\n9 a\n10 b\nx c\n2 a\n");
        w
    }

    #[test]
    fn sort_like_gnu() {
        let mut w = world();
        // Recorded from GNU sort 9.1 (LC_ALL=C order matches for these lines).
        w.check(&["sort", "s"], "10 b\n10 b\n2 a\n9 a\nx c\n", "", 0);
        w.check(&["sort", "-n", "s"], "x c\n2 a\n9 a\n10 b\n10 b\n", "", 0);
        w.check(&["sort", "-rn", "s"], "10 b\n10 b\n9 a\n2 a\nx c\n", "", 0);
        w.check(&["sort", "-u", "s"], "10 b\n2 a\n9 a\nx c\n", "", 0);
        w.check(&["sort", "-k2", "s"], "2 a\n9 a\n10 b\n10 b\nx c\n", "", 0);
        w.check(
            &["sort", "-t", " ", "-k2,2", "-n", "s"],
            "10 b\n10 b\n2 a\n9 a\nx c\n",
            "",
            0,
        );
        w.check(
            &["sort", "nope"],
            "",
            "sort: cannot read: nope: No such file or directory\n",
            2,
        );
        let o = w.run_in(&["sort", "-r"], b"a\nc\nb");
        assert_eq!(o.out, "c\nb\na\n");
    }

    #[test]
    fn uniq_like_gnu() {
        let mut w = world();
        w.check(
            &["uniq", "-c", "s"],
            "      1 10 b\n      1 9 a\n      1 10 b\n      1 x c\n      1 2 a\n",
            "",
            0,
        );
        let o = w.run_in(&["uniq", "-c"], b"10 b\n10 b\n2 a\n9 a\nx c\n");
        assert_eq!(
            o.out,
            "      2 10 b\n      1 2 a\n      1 9 a\n      1 x c\n"
        );
        let o = w.run_in(&["uniq", "-d"], b"a\na\nb\n");
        assert_eq!(o.out, "a\n");
        let o = w.run_in(&["uniq", "-u"], b"a\na\nb\n");
        assert_eq!(o.out, "b\n");
    }

    #[test]
    fn cut_like_gnu() {
        let mut w = world();
        w.check(&["cut", "-d", " ", "-f2", "s"], "b\na\nb\nc\na\n", "", 0);
        w.check(&["cut", "-c1-2", "s"], "10\n9 \n10\nx \n2 \n", "", 0);
        w.check(&["cut", "-f1", "s"], "10 b\n9 a\n10 b\nx c\n2 a\n", "", 0);
        let o = w.run_in(&["cut", "-d:", "-f2-"], b"a:b:c\n");
        assert_eq!(o.out, "b:c\n");
        let o = w.run_in(&["cut", "-d:", "-f1,3"], b"a:b:c\n");
        assert_eq!(o.out, "a:c\n");
        w.check(
            &["cut", "-d", "ab", "-f1", "s"],
            "",
            "cut: the delimiter must be a single character\nTry 'cut --help' for more information.\n",
            1,
        );
        w.check(
            &["cut", "s"],
            "",
            "cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n",
            1,
        );
    }
}
