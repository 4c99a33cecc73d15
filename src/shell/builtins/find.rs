//! `find PATH… [-name PAT] [-iname PAT] [-type f|d|l] [-maxdepth N] [-mindepth N]`: the tests are
//! ANDed; symlinks are not followed (GNU's default `-P`). Entries are visited in byte order, where
//! GNU uses directory order, so output is stable.

use std::fs::Metadata;
use std::path::Path;

use super::util::lquote;
use crate::shell::Ctx;

#[derive(Default)]
struct Tests {
    names: Vec<(String, bool)>,
    kind: Option<char>,
    max: Option<usize>,
    min: usize,
}

/// `find`: see the module docs.
pub fn find(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let mut paths = Vec::new();
    let mut i = 1;
    while i < args.len() && !args[i].starts_with('-') {
        paths.push(args[i].clone());
        i += 1;
    }
    if paths.is_empty() {
        paths.push(".".into());
    }
    let mut t = Tests::default();
    while i < args.len() {
        let a = args[i].as_str();
        let Some(v) = args.get(i + 1) else {
            let _ = writeln!(ctx.io.stderr, "find: missing argument to `{a}'");
            return 1;
        };
        match a {
            "-name" => t.names.push((v.clone(), false)),
            "-iname" => t.names.push((v.to_lowercase(), true)),
            "-type" if matches!(v.as_str(), "f" | "d" | "l") => t.kind = v.chars().next(),
            "-type" => {
                let _ = writeln!(ctx.io.stderr, "find: Unknown argument to -type: {v}");
                return 1;
            }
            "-maxdepth" | "-mindepth" => match v.parse::<usize>() {
                Ok(n) if a == "-maxdepth" => t.max = Some(n),
                Ok(n) => t.min = n,
                Err(_) => {
                    let _ = writeln!(
                        ctx.io.stderr,
                        "find: Expected a positive decimal integer argument to {a}, but got {}",
                        lquote(v)
                    );
                    return 1;
                }
            },
            _ => {
                let _ = writeln!(ctx.io.stderr, "find: unknown predicate `{a}'");
                return 1;
            }
        }
        i += 2;
    }
    let mut status = 0;
    let mut out = String::new();
    for p in &paths {
        let real = ctx
            .state
            .root
            .resolve(&ctx.state.cwd, p, false)
            .map_err(|e| e.into_io())
            .and_then(|r| std::fs::symlink_metadata(&r).map(|m| (r, m)));
        match real {
            Ok((r, m)) => visit(&r, &m, p, 0, &t, &mut out),
            Err(e) => {
                let _ = writeln!(
                    ctx.io.stderr,
                    "find: {}: {}",
                    lquote(p),
                    super::util::msg(&e)
                );
                status = 1;
            }
        }
    }
    let _ = ctx.io.stdout.write_all(out.as_bytes());
    status
}

fn visit(real: &Path, meta: &Metadata, shown: &str, depth: usize, t: &Tests, out: &mut String) {
    let ft = meta.file_type();
    let kind_ok = match t.kind {
        Some('f') => ft.is_file(),
        Some('d') => ft.is_dir(),
        Some('l') => ft.is_symlink(),
        _ => true,
    };
    let base = crate::shell::fs::file_name(shown);
    let names_ok = t.names.iter().all(|(pat, fold)| {
        if *fold {
            glob(pat, &base.to_lowercase())
        } else {
            glob(pat, base)
        }
    });
    if kind_ok && names_ok && depth >= t.min {
        out.push_str(shown);
        out.push('\n');
    }
    if !ft.is_dir() || t.max.is_some_and(|m| depth >= m) {
        return;
    }
    let Ok(rd) = std::fs::read_dir(real) else {
        return;
    };
    let mut entries: Vec<_> = rd.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let Ok(m) = std::fs::symlink_metadata(e.path()) else {
            continue;
        };
        let child = format!(
            "{}/{}",
            shown.trim_end_matches('/'),
            e.file_name().to_string_lossy()
        );
        visit(&e.path(), &m, &child, depth + 1, t, out);
    }
}

/// Shell-style pattern matching (`*`, `?`, `[abc]`, `[!a-z]`, `\x`), as `fnmatch` without flags.
pub fn glob(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], n: &[char]) -> bool {
        match p.first() {
            None => n.is_empty(),
            Some('*') => (0..=n.len()).any(|k| go(&p[1..], &n[k..])),
            Some('?') => !n.is_empty() && go(&p[1..], &n[1..]),
            Some('[') => {
                let Some(&c) = n.first() else { return false };
                let mut i = 1;
                let negate = matches!(p.get(1), Some('!' | '^'));
                if negate {
                    i += 1;
                }
                let start = i;
                let mut hit = false;
                while i < p.len() && (p[i] != ']' || i == start) {
                    if p.get(i + 1) == Some(&'-') && p.get(i + 2).is_some_and(|e| *e != ']') {
                        hit |= (p[i]..=p[i + 2]).contains(&c);
                        i += 3;
                    } else {
                        hit |= p[i] == c;
                        i += 1;
                    }
                }
                if i >= p.len() {
                    // No closing bracket: a literal `[`.
                    return c == '[' && go(&p[1..], &n[1..]);
                }
                hit != negate && go(&p[i + 1..], &n[1..])
            }
            Some('\\') if p.len() > 1 => n.first() == Some(&p[1]) && go(&p[2..], &n[1..]),
            Some(c) => n.first() == Some(c) && go(&p[1..], &n[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    go(&p, &n)
}

#[cfg(test)]
mod tests {
    use super::glob;
    use crate::shell::builtins::testkit::World;

    #[test]
    fn find_names_types_depths() {
        let mut w = World::new();
        w.write("/root/gr/a", "");
        w.write("/root/gr/sub/b", "");
        w.check(&["find", "gr"], "gr\ngr/a\ngr/sub\ngr/sub/b\n", "", 0);
        w.check(
            &["find", "gr", "-type", "f", "-name", "b*"],
            "gr/sub/b\n",
            "",
            0,
        );
        w.check(
            &["find", "gr", "-maxdepth", "1"],
            "gr\ngr/a\ngr/sub\n",
            "",
            0,
        );
        w.check(
            &["find", "gr", "-type", "d", "-mindepth", "1"],
            "gr/sub\n",
            "",
            0,
        );
        w.check(
            &["find", "nope"],
            "",
            "find: ‘nope’: No such file or directory\n",
            1,
        );
        w.check(
            &["find", "gr", "-bogus", "x"],
            "",
            "find: unknown predicate `-bogus'\n",
            1,
        );
        w.check(&["find", "/", "-iname", "B"], "/root/gr/sub/b\n", "", 0);
    }

    #[test]
    fn globs() {
        assert!(glob("*.txt", "a.txt"));
        assert!(!glob("*.txt", "a.txt.gz"));
        assert!(glob("a?[0-9]", "ab7"));
        assert!(glob("[!a]*", "ba"));
        assert!(!glob("[!a]*", "ab"));
        assert!(glob("\\*", "*"));
    }
}
