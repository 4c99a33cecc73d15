//! `echo` and `printf`, as bash's builtins (bash is what learners type them into).

use std::io::Write;

use crate::shell::Ctx;

/// `echo [-neE] ARG…`: options only when every letter is one of `n`, `e`, `E` (bash's rule).
pub fn echo(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let mut newline = true;
    let mut escapes = false;
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        let Some(letters) = a.strip_prefix('-') else {
            break;
        };
        if letters.is_empty() || !letters.chars().all(|c| "neE".contains(c)) {
            break;
        }
        for c in letters.chars() {
            match c {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        i += 1;
    }
    let mut out = Vec::new();
    for (n, a) in args[i..].iter().enumerate() {
        if n > 0 {
            out.push(b' ');
        }
        if escapes {
            if let Stop::Yes = unescape(a, &mut out, true) {
                let _ = ctx.io.stdout.write_all(&out);
                return 0;
            }
        } else {
            out.extend_from_slice(a.as_bytes());
        }
    }
    if newline {
        out.push(b'\n');
    }
    let _ = ctx.io.stdout.write_all(&out);
    0
}

/// Whether `\c` asked to stop all output.
enum Stop {
    Yes,
    No,
}

/// Appends `s` with backslash escapes interpreted (`echo -e`, `printf %b`; `octal0` means octal
/// escapes are `\0nnn`, as for those two, rather than `\nnn` as in a printf format).
fn unescape(s: &str, out: &mut Vec<u8>, octal0: bool) -> Stop {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' || i + 1 == b.len() {
            out.push(b[i]);
            i += 1;
            continue;
        }
        i += 1;
        let c = b[i];
        i += 1;
        match c {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'v' => out.push(11),
            b'e' | b'E' => out.push(27),
            b'\\' => out.push(b'\\'),
            b'c' => return Stop::Yes,
            b'0'..=b'7' if !octal0 || c == b'0' => {
                let (mut v, max) = if octal0 {
                    (0u32, 3)
                } else {
                    ((c - b'0') as u32, 2)
                };
                let mut n = 0;
                while n < max && i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                    v = v * 8 + (b[i] - b'0') as u32;
                    i += 1;
                    n += 1;
                }
                out.push((v & 0xff) as u8);
            }
            b'x' => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 2 && i < b.len() && b[i].is_ascii_hexdigit() {
                    v = v * 16 + (b[i] as char).to_digit(16).unwrap_or(0);
                    i += 1;
                    n += 1;
                }
                if n == 0 {
                    out.extend_from_slice(b"\\x");
                } else {
                    out.push(v as u8);
                }
            }
            b'"' if !octal0 => out.push(b'"'),
            b'\'' if !octal0 => out.push(b'\''),
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    Stop::No
}

/// `printf FORMAT [ARG…]`: `%s %b %c %d %i %u %x %X %o %f %e %g %%` with flags, width and
/// precision; the format is reused while arguments remain.
pub fn printf(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let mut rest = &args[1..];
    if rest.first().is_some_and(|a| a == "--") {
        rest = &rest[1..];
    }
    let Some(format) = rest.first() else {
        let _ = writeln!(
            ctx.io.stderr,
            "drydock: printf: usage: printf [-v var] format [arguments]"
        );
        return 2;
    };
    let mut operands = rest[1..].iter().map(String::as_str);
    let mut out = Vec::new();
    let mut status = 0;
    loop {
        let before = operands.len();
        let stop = format_once(
            format,
            &mut operands,
            &mut out,
            &mut ctx.io.stderr,
            &mut status,
        );
        if stop || operands.len() == 0 || operands.len() == before {
            break;
        }
    }
    let _ = ctx.io.stdout.write_all(&out);
    status
}

/// Runs the format once; returns true when `\c` (or `%b`'s `\c`) stopped all output.
fn format_once<'a>(
    format: &str,
    args: &mut impl Iterator<Item = &'a str>,
    out: &mut Vec<u8>,
    err: &mut &mut (dyn Write + Send),
    status: &mut i32,
) -> bool {
    let f: Vec<char> = format.chars().collect();
    let mut i = 0;
    let mut lit = String::new();
    while i < f.len() {
        let c = f[i];
        if c == '\\' {
            // Copy the escape and its operand characters; unescape decodes them.
            lit.push(c);
            i += 1;
            continue;
        }
        if c != '%' {
            lit.push(c);
            i += 1;
            continue;
        }
        if let Stop::Yes = unescape(&std::mem::take(&mut lit), out, false) {
            return true;
        }
        i += 1;
        if i < f.len() && f[i] == '%' {
            out.push(b'%');
            i += 1;
            continue;
        }
        let mut spec = String::new();
        while i < f.len() && "-+ #0".contains(f[i]) {
            spec.push(f[i]);
            i += 1;
        }
        let mut width = String::new();
        while i < f.len() && (f[i].is_ascii_digit() || f[i] == '*') {
            if f[i] == '*' {
                width.push_str(args.next().unwrap_or("0"));
            } else {
                width.push(f[i]);
            }
            i += 1;
        }
        let mut precision: Option<String> = None;
        if i < f.len() && f[i] == '.' {
            i += 1;
            let mut p = String::new();
            while i < f.len() && (f[i].is_ascii_digit() || f[i] == '*') {
                if f[i] == '*' {
                    p.push_str(args.next().unwrap_or("0"));
                } else {
                    p.push(f[i]);
                }
                i += 1;
            }
            precision = Some(p);
        }
        let Some(&conv) = f.get(i) else {
            let _ = writeln!(
                err,
                "drydock: printf: `%{spec}{width}': missing format character"
            );
            *status = 1;
            return true;
        };
        i += 1;
        let left = spec.contains('-');
        let zero = spec.contains('0') && !left;
        let width: usize = width.trim_start_matches('-').parse().unwrap_or(0);
        let prec: Option<usize> = precision.as_deref().map(|p| p.parse().unwrap_or(0));
        let arg = args.next();
        let body: Vec<u8> = match conv {
            's' => {
                let s = arg.unwrap_or("");
                let s: String = match prec {
                    Some(p) => s.chars().take(p).collect(),
                    None => s.to_string(),
                };
                s.into_bytes()
            }
            'b' => {
                let mut b = Vec::new();
                let stop = unescape(arg.unwrap_or(""), &mut b, true);
                if let Stop::Yes = stop {
                    out.extend_from_slice(&pad(&b, width, left, false));
                    return true;
                }
                b
            }
            'c' => arg
                .and_then(|a| a.chars().next())
                .map(|c| c.to_string().into_bytes())
                .unwrap_or_default(),
            'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                let n = int_arg(arg, err, status);
                let digits = match conv {
                    'x' => format!("{:x}", n),
                    'X' => format!("{:X}", n),
                    'o' => format!("{:o}", n),
                    'u' => format!("{}", n as u64),
                    _ => n.unsigned_abs().to_string(),
                };
                let digits = match prec {
                    Some(p) if digits.len() < p => {
                        format!("{}{digits}", "0".repeat(p - digits.len()))
                    }
                    _ => digits,
                };
                let sign = if matches!(conv, 'd' | 'i') {
                    if n < 0 {
                        "-"
                    } else if spec.contains('+') {
                        "+"
                    } else if spec.contains(' ') {
                        " "
                    } else {
                        ""
                    }
                } else {
                    ""
                };
                if zero && prec.is_none() && sign.len() + digits.len() < width {
                    let zeros = "0".repeat(width - sign.len() - digits.len());
                    format!("{sign}{zeros}{digits}").into_bytes()
                } else {
                    format!("{sign}{digits}").into_bytes()
                }
            }
            'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
                let v: f64 = match arg {
                    None => 0.0,
                    Some(a) => a.trim().parse().unwrap_or_else(|_| {
                        let _ = writeln!(err, "drydock: printf: {a}: invalid number");
                        *status = 1;
                        0.0
                    }),
                };
                let p = prec.unwrap_or(6);
                let s = match conv {
                    'e' | 'E' => {
                        let s = format!("{v:.p$e}");
                        // C writes the exponent with a sign and two digits: 1.5e+00.
                        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
                        let e: i32 = e.parse().unwrap_or(0);
                        let s = format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
                        if conv == 'E' { s.to_uppercase() } else { s }
                    }
                    'g' | 'G' => format!("{v}"),
                    _ => format!("{v:.p$}"),
                };
                let s = if spec.contains('+') && v >= 0.0 {
                    format!("+{s}")
                } else {
                    s
                };
                if zero && s.len() < width {
                    let (sign, digits) = match s.strip_prefix(['-', '+']) {
                        Some(d) => (&s[..1], d),
                        None => ("", s.as_str()),
                    };
                    format!("{sign}{}{digits}", "0".repeat(width - s.len())).into_bytes()
                } else {
                    s.into_bytes()
                }
            }
            other => {
                let _ = writeln!(err, "drydock: printf: `{other}': invalid format character");
                *status = 1;
                return true;
            }
        };
        out.extend_from_slice(&pad(&body, width, left, false));
    }
    matches!(unescape(&lit, out, false), Stop::Yes)
}

fn pad(body: &[u8], width: usize, left: bool, _zero: bool) -> Vec<u8> {
    let len = String::from_utf8_lossy(body).chars().count();
    if len >= width {
        return body.to_vec();
    }
    let fill = vec![b' '; width - len];
    if left {
        [body, &fill].concat()
    } else {
        [&fill, body].concat()
    }
}

/// An integer argument as bash reads it: decimal, `0x` hex, `0` octal, or `'c` for a character.
fn int_arg(arg: Option<&str>, err: &mut &mut (dyn Write + Send), status: &mut i32) -> i64 {
    let Some(a) = arg else { return 0 };
    let t = a.trim();
    if let Some(c) = t.strip_prefix(['\'', '"']) {
        return c.chars().next().map(|c| c as i64).unwrap_or(0);
    }
    let (neg, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let parsed = if let Some(h) = digits.strip_prefix("0x").or(digits.strip_prefix("0X")) {
        i64::from_str_radix(h, 16)
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(&digits[1..], 8)
    } else {
        digits.parse::<i64>()
    };
    match parsed {
        Ok(n) => {
            if neg {
                -n
            } else {
                n
            }
        }
        Err(_) => {
            let _ = writeln!(err, "drydock: printf: {a}: invalid number");
            *status = 1;
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::shell::builtins::testkit::World;

    #[test]
    fn echo_options() {
        let mut w = World::new();
        w.check(&["echo", "a", "b"], "a b\n", "", 0);
        w.check(&["echo", "-n", "a"], "a", "", 0);
        w.check(&["echo", "-e", "a\\tb\\n"], "a\tb\n\n", "", 0);
        w.check(&["echo", "a\\tb"], "a\\tb\n", "", 0);
        w.check(&["echo", "-x", "a"], "-x a\n", "", 0);
        w.check(&["echo", "-e", "a\\cb", "c"], "a", "", 0);
        w.check(&["echo"], "\n", "", 0);
        w.check(&["echo", "-e", "\\0101\\x41"], "AA\n", "", 0);
    }

    #[test]
    fn printf_formats() {
        let mut w = World::new();
        w.check(
            &["printf", "%s-%d\\n", "a", "1", "b", "2"],
            "a-1\nb-2\n",
            "",
            0,
        );
        w.check(
            &["printf", "%5s|%-5s|%05d|%%\\n", "x", "y", "42"],
            "    x|y    |00042|%\n",
            "",
            0,
        );
        w.check(&["printf", "%b", "a\\tb\\n"], "a\tb\n", "", 0);
        w.check(&["printf", "%s\\n"], "\n", "", 0);
        w.check(
            &["printf", "%.2f %x %o %c\\n", "3.14159", "255", "8", "hello"],
            "3.14 ff 10 h\n",
            "",
            0,
        );
        w.check(
            &["printf", "%d\\n", "x"],
            "0\n",
            "drydock: printf: x: invalid number\n",
            1,
        );
        w.check(&["printf", "a\\101\\n"], "aA\n", "", 0);
        w.check(&["printf", "%e\\n", "1500"], "1.500000e+03\n", "", 0);
    }
}
