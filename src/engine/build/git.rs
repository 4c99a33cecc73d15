//! Git build contexts (docker/cli `build.GetContextFromGitURL` + moby
//! `builder/remotecontext/git`): `URL#ref:subdir` is cloned with the `git` program into a
//! temporary directory, `ref` is checked out (default: the repository's `HEAD`) and `subdir`
//! becomes the context.
//!
//! What counts as a git URL is moby's `urlutil.IsGitURL` ([`is_git_url`]): `git://`, `git@`,
//! `github.com/`, or an `http(s)://` URL ending `.git` (optionally followed by `#fragment`).
//! Those are remote and drydock is offline: they fail as an offline `git fetch` does
//! ([`offline_error`]). Deliberate extension: Docker 20.10 treats neither `file://` URLs nor a
//! local path with a `#fragment` as git contexts (`path "…" not found`); drydock clones them,
//! so git contexts can be practised without a network.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A parsed git context: what to clone, which ref, which subdirectory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitContext {
    pub remote: String,
    pub reference: Option<String>,
    pub subdir: Option<String>,
}

/// moby's `urlutil.IsGitURL`.
pub fn is_git_url(s: &str) -> bool {
    let is_url = s.starts_with("http://") || s.starts_with("https://");
    // `.git(?:#.+)?$`, with Go's regexp `.` matching any character but a newline.
    let re_match = || {
        let (path, frag) = match s.split_once('#') {
            Some((p, f)) if !f.is_empty() && !f.contains('\n') => (p, true),
            _ => (s, false),
        };
        let tail = |p: &str| {
            let c: Vec<char> = p.chars().collect();
            c.len() >= 4 && c[c.len() - 4] != '\n' && c[c.len() - 3..] == ['g', 'i', 't']
        };
        tail(s) || (frag && tail(path))
    };
    (is_url && re_match())
        || s.starts_with("git://")
        || s.starts_with("github.com/")
        || s.starts_with("git@")
}

/// moby's `getRefAndSubdir` (without its `master` default: an empty ref keeps the clone's
/// `HEAD`).
fn ref_and_subdir(fragment: &str) -> (Option<String>, Option<String>) {
    let (r, d) = match fragment.split_once(':') {
        Some((r, d)) => (r, d),
        None => (fragment, ""),
    };
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    (some(r), some(d))
}

/// Splits `URL#ref:subdir`.
pub fn parse(url: &str) -> Result<GitContext, String> {
    let (remote, fragment) = url.split_once('#').unwrap_or((url, ""));
    let (reference, subdir) = ref_and_subdir(fragment);
    if reference.as_deref().is_some_and(|r| r.starts_with('-')) {
        return Err(format!(
            "invalid refspec: {}",
            reference.unwrap_or_default()
        ));
    }
    Ok(GitContext {
        remote: remote.to_string(),
        reference,
        subdir,
    })
}

/// The error an offline `git fetch` of a remote URL gives, wrapped as moby wraps it.
pub fn offline_error(url: &str) -> String {
    let remote = url.split_once('#').map_or(url, |(r, _)| r);
    let remote = if remote.starts_with("github.com/") {
        format!("https://{remote}")
    } else {
        remote.to_string()
    };
    let rest = remote.split_once("://").map_or(remote.as_str(), |(_, r)| r);
    let rest = rest.split_once('@').map_or(rest, |(_, r)| r);
    let host = rest.split(['/', ':', '?']).next().unwrap_or(rest);
    let output = if remote.starts_with("git@") {
        format!(
            "ssh: Could not resolve hostname {host}: Name or service not known\r\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n"
        )
    } else if remote.starts_with("git://") {
        format!("fatal: unable to look up {host} (port 9418) (Name or service not known)\n")
    } else {
        let slash = if remote.ends_with('/') { "" } else { "/" };
        format!("fatal: unable to access '{remote}{slash}': Could not resolve host: {host}\n")
    };
    format!("error fetching: {output}: exit status 128")
}

fn git(dir: &Path, args: &[&str]) -> Result<(), String> {
    let out = Command::new("git")
        .args([
            "-c",
            "protocol.file.allow=always",
            "-c",
            "advice.detachedHead=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|e| format!("exec: \"git\": {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    let code = out.status.code().unwrap_or(-1);
    Err(format!("{text}: exit status {code}"))
}

/// Whether the `git` program can be run.
pub fn available() -> bool {
    Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Clones `source` (a real path or URL git understands) into `into` (an empty directory),
/// checks out the ref and returns the context directory (`into` or its subdir). Errors are
/// moby's (`error fetching: …`, `error checking out …`), for `unable to 'git clone' to
/// temporary context directory: …`.
pub fn clone(ctx: &GitContext, source: &str, into: &Path) -> Result<PathBuf, String> {
    let target = into.to_string_lossy().into_owned();
    git(
        into,
        &["clone", "-q", "--recursive", "--", source, target.as_str()],
    )
    .map_err(|e| format!("error fetching: {e}"))?;
    if let Some(r) = &ctx.reference {
        git(into, &["checkout", "-q", r.as_str()])
            .map_err(|e| format!("error checking out {r}: {e}"))?;
        git(
            into,
            &["submodule", "update", "-q", "--init", "--recursive"],
        )
        .map_err(|e| format!("error initializing submodules: {e}"))?;
    }
    let Some(sub) = &ctx.subdir else {
        return Ok(into.to_path_buf());
    };
    let joined = into.join(sub.trim_start_matches('/'));
    let real = joined
        .canonicalize()
        .map_err(|_| format!("stat {}: no such file or directory", joined.display()))?;
    let root = into.canonicalize().unwrap_or_else(|_| into.to_path_buf());
    if !real.starts_with(&root) {
        return Err(format!(
            "error setting git context, {sub:?} not within git root"
        ));
    }
    if !real.is_dir() {
        return Err(format!(
            "error setting git context, not a directory: {}",
            joined.display()
        ));
    }
    Ok(real)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_urls_are_mobys() {
        assert!(is_git_url("github.com/docker/rootfs"));
        assert!(is_git_url("git://github.com/docker/rootfs"));
        assert!(is_git_url("git@github.com:docker/rootfs.git"));
        assert!(is_git_url(
            "https://github.com/docker/rootfs.git#container:docker"
        ));
        assert!(is_git_url("https://example.com/x.git"));
        assert!(!is_git_url("https://example.com/x.git#"), "empty fragment");
        assert!(!is_git_url("https://example.com/ctx.tar.gz"));
        assert!(!is_git_url("file:///root/repo.git"), "not an http URL");
        assert!(!is_git_url("/root/repo#main"));
    }

    #[test]
    fn fragments() {
        let g = parse("file:///r#v1:sub/dir").unwrap();
        assert_eq!(g.remote, "file:///r");
        assert_eq!(g.reference.as_deref(), Some("v1"));
        assert_eq!(g.subdir.as_deref(), Some("sub/dir"));
        let g = parse("/r#:sub").unwrap();
        assert_eq!((g.reference, g.subdir.as_deref()), (None, Some("sub")));
        assert_eq!(parse("/r#-x").unwrap_err(), "invalid refspec: -x");
    }

    #[test]
    fn offline_errors() {
        assert_eq!(
            offline_error("https://github.com/docker/rootfs.git#container:docker"),
            "error fetching: fatal: unable to access 'https://github.com/docker/rootfs.git/': Could not resolve host: github.com\n: exit status 128"
        );
        assert!(
            offline_error("git@github.com:x/y.git")
                .contains("Could not resolve hostname github.com")
        );
        assert!(offline_error("github.com/x/y").contains("'https://github.com/x/y/'"));
    }
}
