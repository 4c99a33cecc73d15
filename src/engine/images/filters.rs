//! `--filter` for image listing and pruning: validation with the daemon's words, and matching.

use jiff::Timestamp;

use super::super::image::{Image, StoreError};
use super::super::reference::Reference;
use super::super::{Engine, Result};
use super::Snapshot;

/// Raw `key=value` filters as the CLI received them.
#[derive(Debug, Clone, Default)]
pub struct ImageFilters {
    pub args: Vec<(String, String)>,
}

impl ImageFilters {
    pub fn new(args: Vec<(String, String)>) -> Self {
        ImageFilters { args }
    }

    /// Adds a filter.
    pub fn push(&mut self, key: &str, value: &str) {
        self.args.push((key.into(), value.into()));
    }

    pub(crate) fn values(&self, key: &str) -> Vec<&str> {
        self.args
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Checks keys against `accepted`, as `filters.Validate` does.
    pub(crate) fn validate(&self, accepted: &[&str]) -> Result<()> {
        for (k, _) in &self.args {
            if !accepted.contains(&k.as_str()) {
                return Err(StoreError::InvalidFilter(k.clone()).into());
            }
        }
        Ok(())
    }

    /// `dangling=`: `Some(true|false)`, or the daemon's error for another value.
    pub(crate) fn dangling(&self) -> Result<Option<bool>> {
        let vals = self.values("dangling");
        if vals.is_empty() {
            return Ok(None);
        }
        let is = |w: &[&str]| vals.iter().any(|v| w.contains(v));
        if is(&["true", "1"]) {
            Ok(Some(true))
        } else if is(&["false", "0"]) {
            Ok(Some(false))
        } else {
            Err(StoreError::InvalidFilter(format!("dangling=[{}]", vals.join(" "))).into())
        }
    }

    pub(crate) fn resolve(&self, engine: &Engine, snap: &Snapshot) -> Result<Resolved> {
        self.validate(&["dangling", "label", "before", "since", "reference"])?;
        let dangling = self.dangling()?;
        let created_of = |key: &str| -> Result<Option<Timestamp>> {
            let mut out = None;
            for v in self.values(key) {
                let id = engine.resolve(snap, v)?;
                out = Some(snap.images[&id].created());
            }
            Ok(out)
        };
        Ok(Resolved {
            dangling,
            dangling_only: dangling == Some(true),
            before: created_of("before")?,
            since: created_of("since")?,
            labels: self.values("label").iter().map(|s| s.to_string()).collect(),
            references: self
                .values("reference")
                .iter()
                .map(|s| s.to_string())
                .collect(),
        })
    }
}

/// Filters checked and with their images looked up.
pub(crate) struct Resolved {
    pub dangling: Option<bool>,
    pub dangling_only: bool,
    pub before: Option<Timestamp>,
    pub since: Option<Timestamp>,
    pub labels: Vec<String>,
    pub references: Vec<String>,
}

impl Resolved {
    pub fn labels_match(&self, img: &Image) -> bool {
        if self.labels.is_empty() {
            return true;
        }
        let labels = img
            .config
            .config
            .as_ref()
            .and_then(|c| c.labels.clone())
            .unwrap_or_default();
        labels_match(&self.labels, &labels, true)
    }

    /// The reference filter, as Docker matches it: the pattern against the familiar `name:tag`,
    /// then against the familiar name alone.
    pub fn reference_matches(&self, r: &Reference) -> bool {
        if self.references.is_empty() {
            return true;
        }
        self.references.iter().any(|p| {
            let name = r.familiar_name();
            let full = match r.tag() {
                Some(t) => format!("{name}:{t}"),
                None => r.familiar(),
            };
            glob_match(p, &full) || glob_match(p, &name)
        })
    }
}

/// `label=k`, `label=k=v` (all must hold); with `negate_key` false, `label!=…` forms (none may hold).
pub(crate) fn labels_match(
    filters: &[String],
    labels: &std::collections::BTreeMap<String, String>,
    all: bool,
) -> bool {
    let one = |f: &String| match f.split_once('=') {
        Some((k, v)) => labels.get(k).is_some_and(|x| x == v),
        None => labels.contains_key(f.as_str()),
    };
    if all {
        filters.iter().all(one)
    } else {
        filters.iter().any(one)
    }
}

/// Go's `path.Match`: `*` (not `/`), `?`, `[...]` classes, `\` escapes. A malformed pattern
/// matches nothing.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    fn class(p: &[char], c: char) -> Option<(bool, usize)> {
        // p starts after '['; returns (matched, chars consumed including ']').
        let mut i = 0;
        let negate = p.first() == Some(&'^');
        if negate {
            i += 1;
        }
        let mut matched = false;
        let mut first = true;
        loop {
            let ch = *p.get(i)?;
            if ch == ']' && !first {
                i += 1;
                break;
            }
            first = false;
            let lo = if ch == '\\' {
                i += 1;
                *p.get(i)?
            } else {
                ch
            };
            i += 1;
            let mut hi = lo;
            if p.get(i) == Some(&'-') && p.get(i + 1).is_some_and(|c| *c != ']') {
                i += 1;
                hi = if p[i] == '\\' {
                    i += 1;
                    *p.get(i)?
                } else {
                    p[i]
                };
                i += 1;
            }
            if lo <= c && c <= hi {
                matched = true;
            }
        }
        Some((matched != negate, i))
    }
    fn m(p: &[char], s: &[char]) -> Option<bool> {
        if p.is_empty() {
            return Some(s.is_empty());
        }
        match p[0] {
            '*' => {
                for k in 0..=s.len() {
                    if k > 0 && s[k - 1] == '/' {
                        break;
                    }
                    if m(&p[1..], &s[k..])? {
                        return Some(true);
                    }
                }
                Some(false)
            }
            '?' => Some(!s.is_empty() && s[0] != '/' && m(&p[1..], &s[1..])?),
            '[' => {
                if s.is_empty() {
                    return Some(false);
                }
                let (ok, n) = class(&p[1..], s[0])?;
                Some(ok && s[0] != '/' && m(&p[1 + n..], &s[1..])?)
            }
            '\\' => {
                let c = *p.get(1)?;
                Some(!s.is_empty() && s[0] == c && m(&p[2..], &s[1..])?)
            }
            c => Some(!s.is_empty() && s[0] == c && m(&p[1..], &s[1..])?),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = name.chars().collect();
    m(&p, &s).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_is_go_path_match() {
        assert!(glob_match("ja*", "java"));
        assert!(!glob_match("jav", "java"));
        assert!(glob_match("java", "java"));
        assert!(!glob_match("*", "bob/app"));
        assert!(glob_match("*/*", "bob/app"));
        assert!(glob_match("ubuntu:2?.04", "ubuntu:20.04"));
        assert!(glob_match("[a-c]*", "busybox"));
        assert!(!glob_match("[^a-c]*", "busybox"));
        assert!(!glob_match("[", "x"));
    }
}
