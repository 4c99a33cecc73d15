//! The build context: a directory on disk seen through `.dockerignore`, as docker/cli sends it
//! and the daemon reads it. drydock never copies or tars the context: COPY and ADD read the
//! files in place (so a huge context costs nothing until used), and [`Context::tar_size`]
//! computes the size of the tar docker/cli would have sent, for the
//! `Sending build context to Docker daemon` line.
//!
//! `.dockerignore` rules (docker/cli `dockerignore.ReadAll` + moby `fileutils.PatternMatcher`):
//! one pattern per line, `#` lines are comments, lines are trimmed and `filepath.Clean`ed, a
//! leading `/` is dropped, `!` makes an exception, the last matching pattern wins, and a pattern
//! also matches every path below a matched directory. Patterns become regexes (`*` → `[^/]*`,
//! `?` → `[^/]`, `**` → any number of directories); Go's `filepath.Match` ([`glob_match`]) only
//! checks their syntax, as moby does. A directory that is excluded is not descended into unless
//! an exception pattern starts with its path (docker/cli's `TarWithOptions` walk).

use std::fs;
use std::io::{self, Read};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::super::filters::glob_match;

/// One `.dockerignore` pattern.
#[derive(Debug, Clone)]
struct Pattern {
    text: String,
    exclusion: bool,
    re: regex::Regex,
    dirs: usize,
}

/// A `.dockerignore` pattern that does not compile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IgnoreError {
    #[error("syntax error in pattern")]
    BadPattern,
    #[error("illegal exclusion pattern: \"!\"")]
    BareExclusion,
}

/// Go's `filepath.Clean` for slash paths.
pub fn clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|l| *l != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            x => out.push(x),
        }
    }
    let joined = out.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// moby's `Pattern.compile`: the pattern as an anchored regex.
fn compile(pattern: &str) -> Result<regex::Regex, IgnoreError> {
    let mut re = String::from("^");
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        i += 1;
        match ch {
            '*' if chars.get(i) == Some(&'*') => {
                i += 1;
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                if i >= chars.len() {
                    re.push_str(".*");
                } else {
                    re.push_str("(.*/)?");
                }
            }
            '*' => re.push_str("[^/]*"),
            '?' => re.push_str("[^/]"),
            '.' | '$' => {
                re.push('\\');
                re.push(ch);
            }
            '\\' => {
                re.push('\\');
                if let Some(&n) = chars.get(i) {
                    re.push(n);
                    i += 1;
                }
            }
            c => re.push(c),
        }
    }
    re.push('$');
    regex::Regex::new(&re).map_err(|_| IgnoreError::BadPattern)
}

/// The patterns of a `.dockerignore`, ready to match paths relative to the context root.
#[derive(Debug, Clone, Default)]
pub struct Ignore {
    patterns: Vec<Pattern>,
}

impl Ignore {
    /// docker/cli's `ReadAll` then moby's `NewPatternMatcher`.
    pub fn parse(text: &str) -> Result<Ignore, IgnoreError> {
        Self::from_patterns(&Self::lines(text))
    }

    /// docker/cli's `dockerignore.ReadAll`: the patterns of a `.dockerignore`, cleaned.
    pub fn lines(text: &str) -> Vec<String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = Vec::new();
        for line in text.lines() {
            let mut p = line.trim().to_string();
            if p.starts_with('#') || p.is_empty() {
                continue;
            }
            let invert = p.starts_with('!');
            if invert {
                p = p[1..].trim().to_string();
            }
            if !p.is_empty() {
                p = clean(&p);
                if p.len() > 1 && p.starts_with('/') {
                    p = p[1..].to_string();
                }
            }
            if invert {
                p = format!("!{p}");
            }
            lines.push(p);
        }
        lines
    }

    /// moby's `NewPatternMatcher`.
    pub fn from_patterns(lines: &[String]) -> Result<Ignore, IgnoreError> {
        let mut patterns = Vec::new();
        for p in lines {
            let p = p.trim();
            if p.is_empty() {
                continue;
            }
            let mut p = clean(p);
            let exclusion = p.starts_with('!');
            if exclusion {
                if p.len() == 1 {
                    return Err(IgnoreError::BareExclusion);
                }
                p = p[1..].to_string();
            }
            if glob_match(&p, ".").is_err() {
                return Err(IgnoreError::BadPattern);
            }
            let re = compile(&p)?;
            patterns.push(Pattern {
                dirs: p.split('/').count(),
                text: p,
                exclusion,
                re,
            });
        }
        Ok(Ignore { patterns })
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// moby's `PatternMatcher.Matches`: whether `path` (relative, `/`-separated) is excluded.
    pub fn matches(&self, path: &str) -> bool {
        let parent = match path.rfind('/') {
            Some(i) => &path[..i],
            None => ".",
        };
        let parent_dirs: Vec<&str> = parent.split('/').collect();
        let mut matched = false;
        for p in &self.patterns {
            let mut m = p.re.is_match(path);
            if !m && parent != "." && p.dirs <= parent_dirs.len() {
                m = p.re.is_match(&parent_dirs[..p.dirs].join("/"));
            }
            if m {
                matched = !p.exclusion;
            }
        }
        matched
    }

    /// Whether the walk goes into an excluded directory: only when an exception pattern starts
    /// with its path.
    fn descends(&self, dir: &str) -> bool {
        let prefix = format!("{dir}/");
        self.patterns
            .iter()
            .any(|p| p.exclusion && format!("{}/", p.text).starts_with(&prefix))
    }

    /// Whether `path` is in the context docker/cli sends (neither it nor a skipped directory
    /// above it is excluded).
    pub fn sends(&self, path: &str) -> bool {
        if self.patterns.is_empty() {
            return true;
        }
        let mut at = 0;
        while let Some(i) = path[at..].find('/') {
            let dir = &path[..at + i];
            if self.matches(dir) && !self.descends(dir) {
                return false;
            }
            at += i + 1;
        }
        !self.matches(path)
    }
}

/// A build context on disk.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The context directory (real path); `None` when there is none (`docker build - <
    /// Dockerfile`).
    pub root: Option<PathBuf>,
    pub ignore: Ignore,
}

fn tar_block(n: u64) -> u64 {
    n.div_ceil(512) * 512
}

/// The bytes a ustar (or PAX, for long names) header takes for `name`.
fn header_size(name: &str, link: &str) -> u64 {
    // Go's tar writer uses ustar when the name fits (100 bytes, or a 155/100 prefix split),
    // else a PAX record block before the header.
    let fits = |n: &str| {
        n.len() <= 100
            || (n.len() <= 256
                && n[..n.len().min(156)]
                    .rfind('/')
                    .is_some_and(|i| i <= 155 && n.len() - i - 1 <= 100 && i > 0))
    };
    let mut size = 512;
    let mut pax = 0u64;
    for (key, v) in [("path", name), ("linkpath", link)] {
        if !v.is_empty()
            && !(if key == "path" {
                fits(v)
            } else {
                v.len() <= 100
            })
        {
            // "%d %s=%s\n" where the length counts itself.
            let body = key.len() + v.len() + 3;
            let mut len = body + 1;
            while len.to_string().len() + body != len {
                len = len.to_string().len() + body;
            }
            pax += len as u64;
        }
    }
    if pax > 0 {
        size += 512 + tar_block(pax);
    }
    size
}

impl Context {
    /// The tar docker/cli would send: every sent entry's header and padded data, then the two
    /// zero blocks Go's writer ends with. `extra` adds files the CLI injects (a Dockerfile from
    /// stdin or outside the context): (name, size) pairs.
    pub fn tar_size(&self, extra: &[(String, u64)]) -> io::Result<u64> {
        let mut total = 1024;
        if let Some(root) = &self.root {
            self.walk_size(root, "", &mut total)?;
        }
        for (name, len) in extra {
            total += header_size(name, "") + tar_block(*len);
        }
        Ok(total)
    }

    fn walk_size(&self, dir: &Path, rel: &str, total: &mut u64) -> io::Result<()> {
        let mut names: Vec<_> = fs::read_dir(dir)?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        names.sort();
        for name in names {
            let name = name.to_string_lossy().into_owned();
            let r = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let path = dir.join(&name);
            let Ok(meta) = fs::symlink_metadata(&path) else {
                continue;
            };
            let excluded = self.ignore.matches(&r);
            if meta.is_dir() {
                if excluded && !self.ignore.descends(&r) {
                    continue;
                }
                if !excluded {
                    *total += header_size(&format!("{r}/"), "");
                }
                self.walk_size(&path, &r, total)?;
                continue;
            }
            if excluded {
                continue;
            }
            if meta.file_type().is_symlink() {
                let target = fs::read_link(&path)?;
                *total += header_size(&r, &target.to_string_lossy());
            } else if meta.is_file() {
                *total += header_size(&r, "") + tar_block(meta.len());
            } else {
                *total += header_size(&r, "");
            }
        }
        Ok(())
    }

    /// The real path of a context path (already cleaned and relative), if it is sent.
    pub fn lookup(&self, rel: &str) -> Option<PathBuf> {
        let root = self.root.as_ref()?;
        if rel.is_empty() || rel == "." {
            return Some(root.clone());
        }
        if !self.ignore.sends(rel) {
            return None;
        }
        let p = root.join(rel);
        fs::symlink_metadata(&p).ok().map(|_| p)
    }

    /// Every sent path below the root whose relative path matches the glob `pattern`
    /// (Go's `filepath.Match`, one level per `/`), sorted.
    pub fn glob(&self, pattern: &str) -> Vec<String> {
        let Some(root) = &self.root else {
            return vec![];
        };
        let mut out = Vec::new();
        let parts: Vec<&str> = pattern.split('/').collect();
        glob_walk(root, "", &parts, &mut out);
        out.retain(|r| self.ignore.sends(r));
        out.sort();
        out
    }
}

fn glob_walk(dir: &Path, rel: &str, parts: &[&str], out: &mut Vec<String>) {
    let Some((first, rest)) = parts.split_first() else {
        return;
    };
    let Ok(rd) = fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !glob_match(first, &name).unwrap_or(false) {
            continue;
        }
        let r = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        if rest.is_empty() {
            out.push(r);
        } else if e.path().is_dir() {
            glob_walk(&e.path(), &r, rest, out);
        }
    }
}

/// Whether a string holds glob characters (`*`, `?`, `[`).
pub fn has_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Reads a file fully (small files: `.dockerignore`, a Dockerfile).
pub fn read_small(p: &Path) -> io::Result<Vec<u8>> {
    let mut f = fs::File::open(p)?;
    let mut v = Vec::new();
    f.read_to_end(&mut v)?;
    Ok(v)
}

/// The owner and mode of a file, for content hashes.
pub fn mode_of(m: &fs::Metadata) -> u32 {
    m.mode()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ig(text: &str) -> Ignore {
        Ignore::parse(text).unwrap()
    }

    #[test]
    fn patterns_match_as_moby() {
        let i = ig("# comment\n*.md\n!README.md\ntemp?\n/build\n**/*.log\n");
        assert!(i.matches("a.md"));
        assert!(!i.matches("README.md"));
        assert!(!i.matches("docs/a.md"), "* does not cross /");
        assert!(i.matches("temp1"));
        assert!(i.matches("build"));
        assert!(i.matches("build/x/y"), "below an excluded directory");
        assert!(i.matches("x/y/z.log"));
        assert!(i.matches("z.log"));
        assert!(!i.matches("src/main.rs"));
    }

    #[test]
    fn last_match_wins_and_exceptions_reach_into_directories() {
        let i = ig("docs\n!docs/keep.md\n");
        assert!(i.sends("docs/keep.md"));
        assert!(!i.sends("docs/other.md"));
        // An exception that does not start with the directory does not make the walk descend.
        let i = ig("docs\n!**/keep.md\n");
        assert!(!i.sends("docs/keep.md"));
        let i = ig("*\n!src\n");
        assert!(i.sends("src/a.rs"));
        assert!(!i.sends("Dockerfile"));
    }

    #[test]
    fn bad_patterns() {
        assert_eq!(Ignore::parse("[").unwrap_err(), IgnoreError::BadPattern);
        assert_eq!(
            Ignore::from_patterns(&["!".to_string()]).unwrap_err(),
            IgnoreError::BareExclusion
        );
    }

    #[test]
    fn clean_is_gos() {
        assert_eq!(clean("a/../b/./c/"), "b/c");
        assert_eq!(clean("/../x"), "/x");
        assert_eq!(clean("../x"), "../x");
        assert_eq!(clean(""), ".");
        assert_eq!(clean("./"), ".");
    }

    #[test]
    fn tar_size_counts_headers_and_blocks() {
        let d = tempfile::tempdir().unwrap();
        fs::write(d.path().join("Dockerfile"), "FROM a\n").unwrap();
        fs::write(d.path().join("big"), vec![0u8; 513]).unwrap();
        fs::create_dir(d.path().join("sub")).unwrap();
        fs::write(d.path().join("sub/x.log"), "x").unwrap();
        let ctx = Context {
            root: Some(d.path().to_path_buf()),
            ignore: ig("**/*.log\n"),
        };
        // Dockerfile 1024 + big 512+1024 + sub/ 512 + end 1024.
        assert_eq!(ctx.tar_size(&[]).unwrap(), 1024 + 1536 + 512 + 1024);
        assert!(ctx.lookup("sub/x.log").is_none());
        assert!(ctx.lookup("big").is_some());
        assert_eq!(ctx.glob("*"), ["Dockerfile", "big", "sub"]);
    }
}
