//! `cat` and `tee`: copying streams to and from files under the root.

use std::fs::OpenOptions;
use std::io::{Read, Write};

use super::util::{self, Spec, quote_if};
use crate::shell::Ctx;

/// `cat [-n] [FILE…]`: files in order, `-` (or none) for stdin; `-n` numbers lines as `%6d\t`.
pub fn cat(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let spec = Spec {
        flags: "nAEsvTbu",
        values: "",
        longs: &[("number", 'n')],
        stop_at_operand: false,
    };
    let Some(opts) = util::parse(ctx.io.stderr, args, &spec) else {
        return 1;
    };
    let number = opts.has('n');
    let mut files = opts.operands.clone();
    if files.is_empty() {
        files.push("-".into());
    }
    let mut status = 0;
    let mut line_no = 0u64;
    let mut at_line_start = true;
    for name in &files {
        let mut input = match util::open_input(ctx.io.stdin, ctx.state, name) {
            Ok(i) => i,
            Err(e) => {
                let _ = writeln!(ctx.io.stderr, "cat: {}: {}", quote_if(name), util::msg(&e));
                status = 1;
                continue;
            }
        };
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match input.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let _ = writeln!(ctx.io.stderr, "cat: {}: {}", quote_if(name), util::msg(&e));
                    status = 1;
                    break;
                }
            };
            let chunk = &buf[..n];
            let written = if number {
                let mut out = Vec::with_capacity(n + 64);
                for &b in chunk {
                    if at_line_start {
                        line_no += 1;
                        let _ = write!(out, "{line_no:6}\t");
                    }
                    out.push(b);
                    at_line_start = b == b'\n';
                }
                ctx.io.stdout.write_all(&out)
            } else {
                ctx.io.stdout.write_all(chunk)
            };
            if written.is_err() {
                // A closed pipe (`cat big | head`) ends the copy quietly, as SIGPIPE would.
                return status;
            }
        }
    }
    let _ = ctx.io.stdout.flush();
    status
}

/// `tee [-a] [FILE…]`: stdin to stdout and to each file (`-a` appends).
pub fn tee(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let spec = Spec {
        flags: "ai",
        values: "",
        longs: &[("append", 'a')],
        stop_at_operand: false,
    };
    let Some(opts) = util::parse(ctx.io.stderr, args, &spec) else {
        return 1;
    };
    let mut status = 0;
    let mut files = Vec::new();
    for name in &opts.operands {
        let opened = ctx
            .state
            .root
            .resolve_write(&ctx.state.cwd, name, true)
            .map_err(|e| e.into_io())
            .and_then(|real| {
                let new = std::fs::symlink_metadata(&real).is_err();
                let f = OpenOptions::new()
                    .write(true)
                    .create(true)
                    .append(opts.has('a'))
                    .truncate(!opts.has('a'))
                    .open(&real)?;
                if new {
                    ctx.state.root.created(&real);
                }
                Ok(f)
            });
        match opened {
            Ok(f) => files.push((name, f)),
            Err(e) => {
                let _ = writeln!(ctx.io.stderr, "tee: {}: {}", quote_if(name), util::msg(&e));
                status = 1;
            }
        }
    }
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match ctx.io.stdin.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                let _ = writeln!(ctx.io.stderr, "tee: -: {}", util::msg(&e));
                return 1;
            }
        };
        let _ = ctx.io.stdout.write_all(&buf[..n]);
        for (name, f) in files.iter_mut() {
            if let Err(e) = f.write_all(&buf[..n]) {
                let _ = writeln!(ctx.io.stderr, "tee: {}: {}", quote_if(name), util::msg(&e));
                status = 1;
            }
        }
    }
    let _ = ctx.io.stdout.flush();
    status
}

#[cfg(test)]
mod tests {
    use crate::shell::builtins::testkit::World;

    #[test]
    fn cat_files_stdin_and_numbers() {
        let mut w = World::new();
        w.write("/root/a", "one\ntwo\n");
        w.write("/root/b", "three");
        w.check(&["cat", "a", "b"], "one\ntwo\nthree", "", 0);
        let o = w.run_in(&["cat", "a", "-"], b"in\n");
        assert_eq!(o.out, "one\ntwo\nin\n");
        w.check(
            &["cat", "-n", "a", "b"],
            "     1\tone\n     2\ttwo\n     3\tthree",
            "",
            0,
        );
        w.check(
            &["cat", "nope", "a"],
            "one\ntwo\n",
            "cat: nope: No such file or directory\n",
            1,
        );
        w.check(
            &["cat", "a b"],
            "",
            "cat: 'a b': No such file or directory\n",
            1,
        );
        w.check(&["cat", "/root"], "", "cat: /root: Is a directory\n", 1);
        w.check(
            &["cat", "-z"],
            "",
            "cat: invalid option -- 'z'\nTry 'cat --help' for more information.\n",
            1,
        );
    }

    #[test]
    fn tee_writes_and_appends() {
        let mut w = World::new();
        let o = w.run_in(&["tee", "x", "/tmp/y"], b"hi\n");
        assert_eq!((o.out.as_str(), o.status), ("hi\n", 0));
        assert_eq!(w.read("/root/x"), "hi\n");
        assert_eq!(w.read("/tmp/y"), "hi\n");
        w.run_in(&["tee", "-a", "x"], b"more\n");
        assert_eq!(w.read("/root/x"), "hi\nmore\n");
        let o = w.run_in(&["tee", "nope/x"], b"a");
        assert_eq!(
            (o.out.as_str(), o.err.as_str(), o.status),
            ("a", "tee: nope/x: No such file or directory\n", 1)
        );
    }
}
