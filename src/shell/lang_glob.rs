//! Pathname expansion: `*`, `?` and `[…]` matched against directory listings of the confined
//! filesystem. Directories are only ever listed through [`Root::resolve`](crate::shell::fs::Root::resolve), so a
//! pattern cannot see outside the root.
//!
//! Patterns arrive with quoted characters escaped by `\` (see `lang_expand`), so `"*".txt` only
//! matches a file literally named `*.txt`. As in bash: a leading `.` must be matched explicitly,
//! `.` and `..` are never matched (bash 5.2's `globskipdots`), results are sorted (bytewise, as in
//! the C locale), and a pattern that matches nothing is left to the caller to keep as written.

use crate::shell::State;

/// Paths matching `pattern`, sorted; empty when nothing matches.
pub fn glob(state: &State, pattern: &str) -> Vec<String> {
    let absolute = pattern.starts_with('/');
    let trailing_slash = pattern.len() > 1 && pattern.ends_with('/');
    let comps: Vec<&str> = pattern.split('/').filter(|c| !c.is_empty()).collect();
    let mut cands: Vec<String> = vec![if absolute { "/".into() } else { String::new() }];
    for (i, comp) in comps.iter().enumerate() {
        let last = i + 1 == comps.len();
        let toks = compile(comp);
        let mut next = Vec::new();
        if toks.iter().all(|t| matches!(t, Tok::Char(_))) {
            let name: String = toks
                .iter()
                .filter_map(|t| match t {
                    Tok::Char(c) => Some(*c),
                    _ => None,
                })
                .collect();
            for c in &cands {
                let p = join(c, &name);
                // A literal last component must exist (`*/Dockerfile`); earlier ones are checked
                // by listing them.
                if !last || exists(state, &p) {
                    next.push(p);
                }
            }
        } else {
            for c in &cands {
                let dir = if c.is_empty() { "." } else { c.as_str() };
                let Ok(real) = state.root.resolve(&state.cwd, dir, true) else {
                    continue;
                };
                let Ok(rd) = std::fs::read_dir(real) else {
                    continue;
                };
                let mut names: Vec<String> = rd
                    .filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| {
                        (!n.starts_with('.') || matches!(toks.first(), Some(Tok::Char('.'))))
                            && matches(&toks, &n.chars().collect::<Vec<_>>())
                    })
                    .collect();
                names.sort();
                next.extend(names.into_iter().map(|n| join(c, &n)));
            }
        }
        cands = next;
        if cands.is_empty() {
            return cands;
        }
    }
    if trailing_slash {
        cands.retain(|c| is_dir(state, c));
        for c in &mut cands {
            c.push('/');
        }
    }
    cands
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else if prefix.ends_with('/') {
        format!("{prefix}{name}")
    } else {
        format!("{prefix}/{name}")
    }
}

fn exists(state: &State, p: &str) -> bool {
    state
        .root
        .resolve(&state.cwd, p, false)
        .is_ok_and(|r| r.symlink_metadata().is_ok())
}

fn is_dir(state: &State, p: &str) -> bool {
    state
        .root
        .resolve(&state.cwd, p, true)
        .is_ok_and(|r| r.is_dir())
}

/// One element of a compiled pattern.
#[derive(Debug, Clone)]
enum Tok {
    Char(char),
    Any,
    Star,
    Class {
        negated: bool,
        items: Vec<ClassItem>,
    },
}

#[derive(Debug, Clone)]
enum ClassItem {
    Range(char, char),
    Named(fn(char) -> bool),
}

fn compile(pat: &str) -> Vec<Tok> {
    let cs: Vec<char> = pat.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        match cs[i] {
            '\\' if i + 1 < cs.len() => {
                out.push(Tok::Char(cs[i + 1]));
                i += 2;
            }
            '*' => {
                out.push(Tok::Star);
                i += 1;
            }
            '?' => {
                out.push(Tok::Any);
                i += 1;
            }
            '[' => match class(&cs, i + 1) {
                Some((tok, end)) => {
                    out.push(tok);
                    i = end;
                }
                None => {
                    out.push(Tok::Char('['));
                    i += 1;
                }
            },
            c => {
                out.push(Tok::Char(c));
                i += 1;
            }
        }
    }
    out
}

/// A bracket expression starting after `[`; returns it and the index after its `]`.
fn class(cs: &[char], mut i: usize) -> Option<(Tok, usize)> {
    let negated = matches!(cs.get(i), Some('!' | '^'));
    if negated {
        i += 1;
    }
    let mut items = Vec::new();
    let mut first = true;
    loop {
        let c = *cs.get(i)?;
        if c == ']' && !first {
            return Some((Tok::Class { negated, items }, i + 1));
        }
        first = false;
        if c == '[' && cs.get(i + 1) == Some(&':') {
            let rest: String = cs[i + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                let f: Option<fn(char) -> bool> = match &rest[..end] {
                    "alpha" => Some(|c| c.is_alphabetic()),
                    "digit" => Some(|c| c.is_ascii_digit()),
                    "alnum" => Some(|c| c.is_alphanumeric()),
                    "upper" => Some(|c| c.is_uppercase()),
                    "lower" => Some(|c| c.is_lowercase()),
                    "space" => Some(|c| c.is_whitespace()),
                    "punct" => Some(|c| c.is_ascii_punctuation()),
                    "xdigit" => Some(|c| c.is_ascii_hexdigit()),
                    _ => None,
                };
                if let Some(f) = f {
                    items.push(ClassItem::Named(f));
                    i += 2 + rest[..end].chars().count() + 2;
                    continue;
                }
            }
        }
        let c = if c == '\\' {
            i += 1;
            *cs.get(i)?
        } else {
            c
        };
        if cs.get(i + 1) == Some(&'-') && cs.get(i + 2).is_some_and(|&e| e != ']') {
            let hi = *cs.get(i + 2)?;
            items.push(ClassItem::Range(c, hi));
            i += 3;
        } else {
            items.push(ClassItem::Range(c, c));
            i += 1;
        }
    }
}

/// Whether `name` matches the compiled pattern (backtracking on `*`).
fn matches(toks: &[Tok], name: &[char]) -> bool {
    let (mut t, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        let ok = match toks.get(t) {
            Some(Tok::Star) => {
                star = Some((t, n));
                t += 1;
                continue;
            }
            Some(Tok::Any) => true,
            Some(Tok::Char(c)) => *c == name[n],
            Some(Tok::Class { negated, items }) => {
                let hit = items.iter().any(|it| match it {
                    ClassItem::Range(lo, hi) => (*lo..=*hi).contains(&name[n]),
                    ClassItem::Named(f) => f(name[n]),
                });
                hit != *negated
            }
            None => false,
        };
        if ok {
            t += 1;
            n += 1;
        } else if let Some((st, sn)) = star {
            t = st + 1;
            n = sn + 1;
            star = Some((st, sn + 1));
        } else {
            return false;
        }
    }
    toks[t..].iter().all(|t| matches!(t, Tok::Star))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        let cases = [
            ("*.txt", "a.txt", true),
            ("*.txt", "a.txt.bak", false),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
            ("[ab]x", "bx", true),
            ("[!ab]x", "bx", false),
            ("[a-c]*", "cat", true),
            ("[[:digit:]]*", "9lives", true),
            ("\\*", "*", true),
            ("\\*", "a", false),
            ("[", "[", true),
            ("*a*b*", "xaybz", true),
            ("*", "", true),
        ];
        for (p, n, want) in cases {
            let chars: Vec<char> = n.chars().collect();
            assert_eq!(matches(&compile(p), &chars), want, "{p} vs {n}");
        }
    }
}
