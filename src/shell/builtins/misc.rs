//! Small commands: `true`, `false`, `sleep`, `clear`, `history`, `exit`, `hostname`, `date`,
//! `basename`, `dirname`.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::util::{self, Spec, lquote, missing_operand, try_help};
use crate::engine::clock::Clock;
use crate::shell::Ctx;

/// `true`: succeeds.
pub fn true_(_ctx: &mut Ctx<'_, '_>, _args: &[String]) -> i32 {
    0
}

/// `false`: fails.
pub fn false_(_ctx: &mut Ctx<'_, '_>, _args: &[String]) -> i32 {
    1
}

/// How often `sleep` looks at the Ctrl-C flag.
const SLEEP_TICK: Duration = Duration::from_millis(20);

/// `sleep NUMBER[SUFFIX]…`: waits the sum (`s`, `m`, `h`, `d` suffixes, fractions allowed);
/// Ctrl-C ends it with status 130.
pub fn sleep(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    if args.len() < 2 {
        missing_operand(ctx.io.stderr, "sleep");
        return 1;
    }
    let mut total = 0f64;
    for a in &args[1..] {
        let (num, mult) = match a.char_indices().last() {
            Some((i, 's')) => (&a[..i], 1.0),
            Some((i, 'm')) => (&a[..i], 60.0),
            Some((i, 'h')) => (&a[..i], 3600.0),
            Some((i, 'd')) => (&a[..i], 86400.0),
            _ => (a.as_str(), 1.0),
        };
        match num.parse::<f64>() {
            Ok(n) if n >= 0.0 && n.is_finite() => total += n * mult,
            _ => {
                let _ = writeln!(ctx.io.stderr, "sleep: invalid time interval {}", lquote(a));
                try_help(ctx.io.stderr, "sleep");
                return 1;
            }
        }
    }
    let end = Instant::now() + Duration::from_secs_f64(total.min(1e9));
    loop {
        if ctx.interrupted.load(Ordering::Relaxed) {
            return 130;
        }
        let now = Instant::now();
        if now >= end {
            return 0;
        }
        std::thread::sleep((end - now).min(SLEEP_TICK));
    }
}

/// `clear`: clears a terminal screen (and its scrollback, as `clear` does on xterm).
pub fn clear(ctx: &mut Ctx<'_, '_>, _args: &[String]) -> i32 {
    if ctx.io.stdout_tty {
        let _ = ctx.io.stdout.write_all(b"\x1b[H\x1b[2J\x1b[3J");
        let _ = ctx.io.stdout.flush();
    }
    0
}

/// `history [N]` lists entered lines numbered as bash does (`%5d  line`); `-c` forgets them.
pub fn history(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let mut last: Option<usize> = None;
    for a in &args[1..] {
        if a == "-c" {
            ctx.state.history.clear();
            return 0;
        }
        match a.parse::<usize>() {
            Ok(n) => last = Some(n),
            Err(_) => {
                let _ = writeln!(
                    ctx.io.stderr,
                    "drydock: history: {a}: numeric argument required"
                );
                return 1;
            }
        }
    }
    let h = &ctx.state.history;
    let skip = last.map_or(0, |n| h.len().saturating_sub(n));
    for (i, line) in h.iter().enumerate().skip(skip) {
        let _ = writeln!(ctx.io.stdout, "{:5}  {line}", i + 1);
    }
    0
}

/// `exit [N]`: ends the shell after this command with N (default: the last status).
pub fn exit(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let code = match args.get(1) {
        None => ctx.state.last_status,
        Some(a) => match a.parse::<i64>() {
            Ok(n) => (n & 0xff) as i32,
            Err(_) => {
                let _ = writeln!(
                    ctx.io.stderr,
                    "drydock: exit: {a}: numeric argument required"
                );
                2
            }
        },
    };
    if args.len() > 2 && code != 2 {
        let _ = writeln!(ctx.io.stderr, "drydock: exit: too many arguments");
        return 1;
    }
    ctx.state.exit = Some(code);
    code
}

/// `hostname`: the virtual host's name (`$HOSTNAME`, else `drydock`).
pub fn hostname(ctx: &mut Ctx<'_, '_>, _args: &[String]) -> i32 {
    let name = ctx.state.get("HOSTNAME").unwrap_or("drydock").to_string();
    let _ = writeln!(ctx.io.stdout, "{name}");
    0
}

/// `date [-u] [+FORMAT]`: now (drydock's clock, so `DRYDOCK_CLOCK` fixes it) as `date` prints it.
pub fn date(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let mut utc = false;
    let mut format = "%a %b %e %H:%M:%S %Z %Y".to_string();
    for a in &args[1..] {
        if a == "-u" || a == "--utc" {
            utc = true;
        } else if let Some(f) = a.strip_prefix('+') {
            format = f.to_string();
        } else {
            let _ = writeln!(ctx.io.stderr, "date: invalid date {}", lquote(a));
            return 1;
        }
    }
    let now = Clock::from_env().now();
    let tz = if utc {
        jiff::tz::TimeZone::UTC
    } else {
        jiff::tz::TimeZone::system()
    };
    let zoned = now.to_zoned_datetime(tz);
    match jiff::fmt::strtime::format(format.as_str(), &zoned) {
        Ok(s) => {
            let _ = writeln!(ctx.io.stdout, "{s}");
            0
        }
        Err(e) => {
            let _ = writeln!(ctx.io.stderr, "date: {e}");
            1
        }
    }
}

/// The last component of `path` as `basename` prints it (trailing slashes ignored).
fn base(path: &str) -> &str {
    crate::shell::fs::file_name(path)
}

/// `basename NAME [SUFFIX]`, `basename -a NAME…`, `-s SUFFIX`.
pub fn basename(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let Some(opts) = util::parse(ctx.io.stderr, args, &Spec::short("az", "s")) else {
        return 1;
    };
    if opts.operands.is_empty() {
        missing_operand(ctx.io.stderr, "basename");
        return 1;
    }
    let multi = opts.has('a') || opts.value('s').is_some();
    let (names, suffix): (Vec<&String>, Option<&str>) = if multi {
        (opts.operands.iter().collect(), opts.value('s'))
    } else {
        if opts.operands.len() > 2 {
            let _ = writeln!(
                ctx.io.stderr,
                "basename: extra operand {}",
                util::quote(&opts.operands[2])
            );
            try_help(ctx.io.stderr, "basename");
            return 1;
        }
        (
            vec![&opts.operands[0]],
            opts.operands.get(1).map(String::as_str),
        )
    };
    for n in names {
        let b = base(n);
        let b = match suffix {
            Some(s) if b != s && b.ends_with(s) => &b[..b.len() - s.len()],
            _ => b,
        };
        let _ = writeln!(ctx.io.stdout, "{b}");
    }
    0
}

/// `dirname NAME…`: each name without its last component.
pub fn dirname(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let Some(opts) = util::parse(ctx.io.stderr, args, &Spec::short("z", "")) else {
        return 1;
    };
    if opts.operands.is_empty() {
        missing_operand(ctx.io.stderr, "dirname");
        return 1;
    }
    for n in &opts.operands {
        let t = n.trim_end_matches('/');
        let d = if t.is_empty() && n.starts_with('/') {
            "/"
        } else {
            match t.rfind('/') {
                None => ".",
                Some(i) => {
                    let d = t[..i].trim_end_matches('/');
                    if d.is_empty() { "/" } else { d }
                }
            }
        };
        let _ = writeln!(ctx.io.stdout, "{d}");
    }
    0
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;
    use std::time::{Duration, Instant};

    use crate::shell::builtins::testkit::World;

    #[test]
    fn trivial_commands() {
        let mut w = World::new();
        w.check(&["true"], "", "", 0);
        w.check(&["false"], "", "", 1);
        w.check(&["hostname"], "drydock\n", "", 0);
        w.check(&["clear"], "", "", 0);
        let o = w.run_tty(&["clear"], b"", true);
        assert_eq!(o.out, "\x1b[H\x1b[2J\x1b[3J");
    }

    #[test]
    fn basename_dirname_like_coreutils() {
        let mut w = World::new();
        w.check(&["basename", "/a/b.txt", ".txt"], "b\n", "", 0);
        w.check(&["basename", "/a/b/"], "b\n", "", 0);
        w.check(&["basename", "/"], "/\n", "", 0);
        w.check(&["basename", "-a", "x/y", "z"], "y\nz\n", "", 0);
        w.check(
            &["basename"],
            "",
            "basename: missing operand\nTry 'basename --help' for more information.\n",
            1,
        );
        w.check(
            &["dirname", "/a/b/", "c", "/x", "a//b"],
            "/a\n.\n/\na\n",
            "",
            0,
        );
    }

    #[test]
    fn history_and_exit() {
        let mut w = World::new();
        w.state.history = vec!["ls".into(), "pwd".into(), "history".into()];
        w.check(
            &["history"],
            "    1  ls\n    2  pwd\n    3  history\n",
            "",
            0,
        );
        w.check(&["history", "1"], "    3  history\n", "", 0);
        w.check(&["exit", "3"], "", "", 3);
        assert_eq!(w.state.exit, Some(3));
        w.state.last_status = 7;
        w.check(&["exit"], "", "", 7);
        w.check(
            &["exit", "x"],
            "",
            "drydock: exit: x: numeric argument required\n",
            2,
        );
    }

    #[test]
    fn sleep_parses_and_is_interruptible() {
        let mut w = World::new();
        let t = Instant::now();
        w.check(&["sleep", "0.05"], "", "", 0);
        assert!(t.elapsed() >= Duration::from_millis(50));
        w.check(
            &["sleep", "x"],
            "",
            "sleep: invalid time interval ‘x’\nTry 'sleep --help' for more information.\n",
            1,
        );
        // Interrupted: the flag is already set, so it returns at the first tick.
        let flag = AtomicBool::new(true);
        let mut input: &[u8] = b"";
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut ctx = crate::shell::Ctx {
            state: &mut w.state,
            io: crate::shell::Stdio {
                stdin: &mut input,
                stdout: &mut out,
                stderr: &mut err,
                stdin_tty: false,
                stdout_tty: false,
            },
            engine: None,
            interrupted: &flag,
            commands: &crate::shell::builtins::Host,
        };
        let t = Instant::now();
        assert_eq!(super::sleep(&mut ctx, &["sleep".into(), "10".into()]), 130);
        assert!(t.elapsed() < Duration::from_secs(1));
    }
}
