//! `sha256sum`: digests of files and stdin (through the engine's digest code), and `-c` to check a
//! list, with coreutils' words.

use std::io::{self, Read};

use super::util::{self, Spec};
use crate::engine::digest::Hasher;
use crate::shell::Ctx;

fn hash(mut r: impl Read) -> io::Result<String> {
    let mut h = Hasher::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        match r.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => h.update(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(h.finish().hex().to_string())
}

/// `sha256sum [-c] [--quiet] [--status] [FILE…]`.
pub fn sha256sum(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let spec = Spec {
        flags: "cbtwQS",
        values: "",
        longs: &[
            ("check", 'c'),
            ("quiet", 'Q'),
            ("status", 'S'),
            ("binary", 'b'),
            ("text", 't'),
        ],
        stop_at_operand: false,
    };
    let Some(opts) = util::parse(ctx.io.stderr, args, &spec) else {
        return 1;
    };
    let mut files = opts.operands.clone();
    if files.is_empty() {
        files.push("-".into());
    }
    if opts.has('c') {
        return check(ctx, &files, opts.has('Q'), opts.has('S'));
    }
    let mut status = 0;
    for f in &files {
        match util::open_input(ctx.io.stdin, ctx.state, f).and_then(hash) {
            Ok(hex) => {
                let _ = writeln!(ctx.io.stdout, "{hex}  {f}");
            }
            Err(e) => {
                let _ = writeln!(ctx.io.stderr, "sha256sum: {f}: {}", util::msg(&e));
                status = 1;
            }
        }
    }
    status
}

fn check(ctx: &mut Ctx<'_, '_>, lists: &[String], quiet: bool, silent: bool) -> i32 {
    let (mut bad, mut unreadable, mut improper) = (0, 0, 0);
    let mut any_ok = false;
    for list in lists {
        let data = match util::read_all(ctx.io.stdin, ctx.state, list) {
            Ok(d) => d,
            Err(e) => {
                let _ = writeln!(ctx.io.stderr, "sha256sum: {list}: {}", util::msg(&e));
                return 1;
            }
        };
        let text = String::from_utf8_lossy(&data).into_owned();
        for line in text.lines() {
            // `HEX  NAME` (text mode) or `HEX *NAME` (binary mode).
            let parsed = line
                .split_once(' ')
                .filter(|(h, _)| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
                .and_then(|(h, rest)| rest.strip_prefix([' ', '*']).map(|n| (h, n)));
            let Some((want, name)) = parsed else {
                improper += 1;
                continue;
            };
            let got = util::open_input(ctx.io.stdin, ctx.state, name).and_then(hash);
            match got {
                Err(e) => {
                    let _ = writeln!(ctx.io.stderr, "sha256sum: {name}: {}", util::msg(&e));
                    if !silent {
                        let _ = writeln!(ctx.io.stdout, "{name}: FAILED open or read");
                    }
                    unreadable += 1;
                }
                Ok(hex) if hex.eq_ignore_ascii_case(want) => {
                    any_ok = true;
                    if !quiet && !silent {
                        let _ = writeln!(ctx.io.stdout, "{name}: OK");
                    }
                }
                Ok(_) => {
                    if !silent {
                        let _ = writeln!(ctx.io.stdout, "{name}: FAILED");
                    }
                    bad += 1;
                }
            }
        }
        if improper > 0 && !any_ok && bad == 0 && unreadable == 0 {
            let _ = writeln!(
                ctx.io.stderr,
                "sha256sum: {list}: no properly formatted checksum lines found"
            );
            return 1;
        }
    }
    let plural = |n: i32, one: &str, many: &str| {
        if n == 1 {
            one.to_string()
        } else {
            many.to_string()
        }
    };
    if !silent {
        if improper > 0 {
            let _ = writeln!(
                ctx.io.stderr,
                "sha256sum: WARNING: {improper} {} improperly formatted",
                plural(improper, "line is", "lines are")
            );
        }
        if unreadable > 0 {
            let _ = writeln!(
                ctx.io.stderr,
                "sha256sum: WARNING: {unreadable} listed {} could not be read",
                plural(unreadable, "file", "files")
            );
        }
        if bad > 0 {
            let _ = writeln!(
                ctx.io.stderr,
                "sha256sum: WARNING: {bad} computed {} did NOT match",
                plural(bad, "checksum", "checksums")
            );
        }
    }
    i32::from(bad > 0 || unreadable > 0)
}

#[cfg(test)]
mod tests {
    use crate::shell::builtins::testkit::World;

    const HEX: &str = "8828bbabe7da7e9b1533bba13f73eee69bd709b6b792148422818940f316843f";

    #[test]
    fn sums_and_checks_like_coreutils() {
        let mut w = World::new();
        w.write("/root/a.txt", "hello world\nfoo\n");
        w.check(&["sha256sum", "a.txt"], &format!("{HEX}  a.txt\n"), "", 0);
        let o = w.run_in(&["sha256sum", "-"], b"hello world\nfoo\n");
        assert_eq!(o.out, format!("{HEX}  -\n"));
        w.write("/root/sums", &format!("{HEX}  a.txt\n"));
        w.check(&["sha256sum", "-c", "sums"], "a.txt: OK\n", "", 0);
        let zero = "0".repeat(64);
        w.write("/root/bad", &format!("{zero}  a.txt\n{zero}  nope\n"));
        // Recorded from GNU sha256sum 9.1.
        w.check(
            &["sha256sum", "-c", "bad"],
            "a.txt: FAILED\nnope: FAILED open or read\n",
            "sha256sum: nope: No such file or directory\n\
             sha256sum: WARNING: 1 listed file could not be read\n\
             sha256sum: WARNING: 1 computed checksum did NOT match\n",
            1,
        );
        w.check(
            &["sha256sum", "nope"],
            "",
            "sha256sum: nope: No such file or directory\n",
            1,
        );
    }
}
