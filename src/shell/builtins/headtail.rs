//! `head` and `tail`: the first or last lines (`-n N`, `-N`, `head -n -N`, `tail -n +N`) or bytes
//! (`-c`) of files, with `==> name <==` headers for several files, as coreutils prints them.

use std::io::Read;

use super::util::{self, Spec, lquote, quote};
use crate::shell::Ctx;

#[derive(Clone, Copy)]
enum Amount {
    /// The first/last N units.
    Count(u64),
    /// `head -n -N`: all but the last N; `tail -n +N`: from the Nth on.
    Other(u64),
}

/// `-5` is `-n 5` (the old form people still type).
fn rewrite_numeric(args: &[String]) -> Vec<String> {
    args.iter()
        .enumerate()
        .map(|(i, a)| {
            let after_option =
                i > 1 && matches!(args[i - 1].as_str(), "-n" | "-c" | "--lines" | "--bytes");
            if i > 0
                && !after_option
                && a.len() > 1
                && a.starts_with('-')
                && a[1..].bytes().all(|b| b.is_ascii_digit())
            {
                format!("-n{}", &a[1..])
            } else {
                a.clone()
            }
        })
        .collect()
}

/// `head [-n N|-N|-c N] [-q|-v] [FILE…]`.
pub fn head(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    run(ctx, args, true)
}

/// `tail [-n N|-N|-n +N|-c N] [-q|-v] [FILE…]` (`-f` is accepted and does not follow).
pub fn tail(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    run(ctx, args, false)
}

fn run(ctx: &mut Ctx<'_, '_>, args: &[String], is_head: bool) -> i32 {
    let cmd = if is_head { "head" } else { "tail" };
    let args = rewrite_numeric(args);
    let spec = Spec {
        flags: "qvfF",
        values: "nc",
        longs: &[
            ("lines", 'n'),
            ("bytes", 'c'),
            ("quiet", 'q'),
            ("verbose", 'v'),
            ("follow", 'f'),
        ],
        stop_at_operand: false,
    };
    let Some(opts) = util::parse(ctx.io.stderr, &args, &spec) else {
        return 1;
    };
    let bytes = opts.order().filter(|c| *c == 'n' || *c == 'c').last() == Some('c');
    let raw = if bytes {
        opts.value('c')
    } else {
        opts.value('n')
    }
    .unwrap_or("10");
    let amount = if let Some(n) = raw.strip_prefix('-').filter(|_| is_head) {
        util::parse_count(n).map(Amount::Other)
    } else if let Some(n) = raw.strip_prefix('+').filter(|_| !is_head) {
        util::parse_count(n).map(Amount::Other)
    } else {
        util::parse_count(raw.trim_start_matches('-')).map(Amount::Count)
    };
    let Some(amount) = amount else {
        let what = if bytes { "bytes" } else { "lines" };
        let _ = writeln!(
            ctx.io.stderr,
            "{cmd}: invalid number of {what}: {}",
            lquote(raw)
        );
        return 1;
    };
    let mut files = opts.operands.clone();
    if files.is_empty() {
        files.push("-".into());
    }
    let headers = (files.len() > 1 || opts.has('v')) && !opts.has('q');
    let mut status = 0;
    let mut first = true;
    for name in &files {
        let data = match util::open_input(ctx.io.stdin, ctx.state, name) {
            Ok(mut input) => {
                let mut buf = Vec::new();
                match input.read_to_end(&mut buf) {
                    Ok(_) => buf,
                    Err(e) => {
                        let _ = writeln!(
                            ctx.io.stderr,
                            "{cmd}: error reading {}: {}",
                            quote(name),
                            util::msg(&e)
                        );
                        status = 1;
                        continue;
                    }
                }
            }
            Err(e) => {
                let _ = writeln!(
                    ctx.io.stderr,
                    "{cmd}: cannot open {} for reading: {}",
                    quote(name),
                    util::msg(&e)
                );
                status = 1;
                continue;
            }
        };
        if headers {
            let shown = if name == "-" { "standard input" } else { name };
            let sep = if first { "" } else { "\n" };
            let _ = writeln!(ctx.io.stdout, "{sep}==> {shown} <==");
        }
        first = false;
        let part = if bytes {
            slice_bytes(&data, amount, is_head)
        } else {
            slice_lines(&data, amount, is_head)
        };
        let _ = ctx.io.stdout.write_all(part);
    }
    status
}

fn slice_bytes(data: &[u8], amount: Amount, is_head: bool) -> &[u8] {
    let len = data.len() as u64;
    let (start, end) = match (amount, is_head) {
        (Amount::Count(n), true) => (0, n.min(len)),
        (Amount::Other(n), true) => (0, len.saturating_sub(n)),
        (Amount::Count(n), false) => (len.saturating_sub(n), len),
        (Amount::Other(n), false) => (n.saturating_sub(1).min(len), len),
    };
    &data[start as usize..end as usize]
}

/// Byte offsets just past each `\n`.
fn line_ends(data: &[u8]) -> Vec<usize> {
    data.iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i + 1)
        .collect()
}

fn slice_lines(data: &[u8], amount: Amount, is_head: bool) -> &[u8] {
    let ends = line_ends(data);
    // A last line without `\n` still counts as a line.
    let mut bounds = ends.clone();
    if data.last().is_some_and(|b| *b != b'\n') {
        bounds.push(data.len());
    }
    let lines = bounds.len() as u64;
    let start_of = |i: u64| -> usize { if i == 0 { 0 } else { bounds[(i - 1) as usize] } };
    let (from, to) = match (amount, is_head) {
        (Amount::Count(n), true) => (0, n.min(lines)),
        (Amount::Other(n), true) => (0, lines.saturating_sub(n)),
        (Amount::Count(n), false) => (lines.saturating_sub(n), lines),
        (Amount::Other(n), false) => (n.saturating_sub(1).min(lines), lines),
    };
    &data[start_of(from)..start_of(to)]
}

#[cfg(test)]
mod tests {
    use crate::shell::builtins::testkit::World;

    fn world() -> World {
        let w = World::new();
        w.write("/root/t3", "l1\nl2\nl3\n");
        w.write("/root/t4", "a b\n\nccc dd e\nno-newline");
        w
    }

    #[test]
    fn head_like_coreutils() {
        let mut w = world();
        // Recorded from GNU head 9.1.
        w.check(
            &["head", "-n", "1", "t3", "t4"],
            "==> t3 <==\nl1\n\n==> t4 <==\na b\n",
            "",
            0,
        );
        w.check(&["head", "-c", "4", "t3"], "l1\nl", "", 0);
        w.check(&["head", "-n", "-2", "t3"], "l1\n", "", 0);
        w.check(&["head", "-2", "t3"], "l1\nl2\n", "", 0);
        w.check(
            &["head", "nope"],
            "",
            "head: cannot open 'nope' for reading: No such file or directory\n",
            1,
        );
        w.check(
            &["head", "-n", "x", "t3"],
            "",
            "head: invalid number of lines: ‘x’\n",
            1,
        );
        w.check(
            &["head", "/root"],
            "",
            "head: error reading '/root': Is a directory\n",
            1,
        );
        let o = w.run_in(&["head", "-n1"], b"a\nb\n");
        assert_eq!(o.out, "a\n");
    }

    #[test]
    fn tail_like_coreutils() {
        let mut w = world();
        w.check(
            &["tail", "-n", "2", "t3", "t4"],
            "==> t3 <==\nl2\nl3\n\n==> t4 <==\nccc dd e\nno-newline",
            "",
            0,
        );
        w.check(&["tail", "-c", "4", "t3"], "\nl3\n", "", 0);
        w.check(&["tail", "-n", "+2", "t3"], "l2\nl3\n", "", 0);
        w.check(&["tail", "-1", "t3"], "l3\n", "", 0);
        w.check(
            &["tail", "nope"],
            "",
            "tail: cannot open 'nope' for reading: No such file or directory\n",
            1,
        );
    }
}
