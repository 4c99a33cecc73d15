//! `docker build` / `docker image build` as docker/cli 20.10 runs it with the classic builder:
//! the flags (`-t` checked as a reference, `--squash` refused unless the daemon is
//! experimental), the context (a directory, `-` for a Dockerfile or tar on stdin, `-f`
//! anywhere), `.dockerignore`, the `Sending build context to Docker daemon` line, then the
//! daemon's stream as it comes; `-q` keeps it all back and prints only the image ID (dumping
//! the buffered output to stderr if the build fails).
//!
//! Errors before the daemon streamed anything carry `Error response from daemon: `; errors
//! after the first step line are printed bare, and a failing `RUN`'s code is the exit status.
//! Git contexts (a local repository or `file://` URL, `#ref:subdir`) are cloned with `git`;
//! remote contexts (URLs, remote git) fail as an offline client would.

use std::collections::BTreeMap;
use std::io::Write;

use super::args::{Flag, Kind, Parsed};
use super::commands::{flag, with_default};
use super::format::human::human_size;
use super::{CmdResult, Fail, Io};
use crate::engine::Engine;
use crate::engine::build::context::clean;
use crate::engine::build::git;
use crate::engine::build::{BuildError, BuildMessage, BuildRequest, Context, Ignore};
use crate::engine::reference::Reference;

pub const BUILD_USAGE: &str = "[OPTIONS] PATH | URL | -";
pub const BUILD_SHORT: &str = "Build an image from a Dockerfile";

pub const BUILD_FLAGS: &[Flag] = &[
    flag(
        "add-host",
        None,
        Kind::List,
        "list",
        "Add a custom host-to-IP mapping (host:ip)",
    ),
    flag(
        "build-arg",
        None,
        Kind::List,
        "list",
        "Set build-time variables",
    ),
    flag(
        "cache-from",
        None,
        Kind::List,
        "strings",
        "Images to consider as cache sources",
    ),
    flag(
        "cgroup-parent",
        None,
        Kind::Str,
        "string",
        "Optional parent cgroup for the container",
    ),
    flag(
        "compress",
        None,
        Kind::Bool,
        "",
        "Compress the build context using gzip",
    ),
    flag(
        "cpu-period",
        None,
        Kind::Int,
        "int",
        "Limit the CPU CFS (Completely Fair Scheduler) period",
    ),
    flag(
        "cpu-quota",
        None,
        Kind::Int,
        "int",
        "Limit the CPU CFS (Completely Fair Scheduler) quota",
    ),
    flag(
        "cpu-shares",
        Some('c'),
        Kind::Int,
        "int",
        "CPU shares (relative weight)",
    ),
    flag(
        "cpuset-cpus",
        None,
        Kind::Str,
        "string",
        "CPUs in which to allow execution (0-3, 0,1)",
    ),
    flag(
        "cpuset-mems",
        None,
        Kind::Str,
        "string",
        "MEMs in which to allow execution (0-3, 0,1)",
    ),
    with_default(
        flag(
            "disable-content-trust",
            None,
            Kind::Bool,
            "",
            "Skip image verification",
        ),
        "true",
    ),
    flag(
        "file",
        Some('f'),
        Kind::Str,
        "string",
        "Name of the Dockerfile (Default is 'PATH/Dockerfile')",
    ),
    flag(
        "force-rm",
        None,
        Kind::Bool,
        "",
        "Always remove intermediate containers",
    ),
    flag(
        "iidfile",
        None,
        Kind::Str,
        "string",
        "Write the image ID to the file",
    ),
    flag(
        "isolation",
        None,
        Kind::Str,
        "string",
        "Container isolation technology",
    ),
    flag(
        "label",
        None,
        Kind::List,
        "list",
        "Set metadata for an image",
    ),
    flag("memory", Some('m'), Kind::Str, "bytes", "Memory limit"),
    flag(
        "memory-swap",
        None,
        Kind::Str,
        "bytes",
        "Swap limit equal to memory plus swap: '-1' to enable unlimited swap",
    ),
    with_default(
        flag(
            "network",
            None,
            Kind::Str,
            "string",
            "Set the networking mode for the RUN instructions during build",
        ),
        "\"default\"",
    ),
    flag(
        "no-cache",
        None,
        Kind::Bool,
        "",
        "Do not use cache when building the image",
    ),
    flag(
        "pull",
        None,
        Kind::Bool,
        "",
        "Always attempt to pull a newer version of the image",
    ),
    flag(
        "quiet",
        Some('q'),
        Kind::Bool,
        "",
        "Suppress the build output and print image ID on success",
    ),
    with_default(
        flag(
            "rm",
            None,
            Kind::Bool,
            "",
            "Remove intermediate containers after a successful build",
        ),
        "true",
    ),
    flag(
        "security-opt",
        None,
        Kind::List,
        "strings",
        "Security options",
    ),
    flag("shm-size", None, Kind::Str, "bytes", "Size of /dev/shm"),
    flag(
        "squash",
        None,
        Kind::Bool,
        "",
        "Squash newly built layers into a single new layer",
    ),
    flag(
        "tag",
        Some('t'),
        Kind::List,
        "list",
        "Name and optionally a tag in the 'name:tag' format",
    ),
    flag(
        "target",
        None,
        Kind::Str,
        "string",
        "Set the target build stage to build.",
    ),
    flag(
        "ulimit",
        None,
        Kind::List,
        "ulimit",
        "Ulimit options (default [])",
    ),
];

fn prepare(msg: impl std::fmt::Display) -> Fail {
    Fail::plain(format!("unable to prepare context: {msg}"))
}

/// Go's `filepath.Rel` for two clean absolute paths.
fn rel_path(base: &str, target: &str) -> String {
    let b: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    let t: Vec<&str> = target.split('/').filter(|s| !s.is_empty()).collect();
    let common = b.iter().zip(&t).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<&str> = vec![".."; b.len() - common];
    parts.extend(&t[common..]);
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let rest = rest.split_once('@').map(|(_, r)| r).unwrap_or(rest);
    rest.split(['/', ':', '?', '#'])
        .next()
        .unwrap_or(rest)
        .to_string()
}

/// docker/cli's `isLocalDir` (`os.Stat`): the path is a directory, and so is each path it
/// names before a `..` (the kernel resolves `a/../b` through `a`; paths here are cleaned).
fn is_local_dir(arg: &str, io: &Io<'_>) -> bool {
    let dir = |p: &str| {
        io.paths
            .resolve(p)
            .ok()
            .and_then(|r| std::fs::metadata(r).ok())
            .is_some_and(|m| m.is_dir())
    };
    let parts: Vec<&str> = arg.split('/').collect();
    (1..parts.len())
        .filter(|&i| parts[i] == "..")
        .all(|i| parts[..i].join("/").is_empty() || dir(&parts[..i].join("/")))
        && dir(arg)
}

/// A git context drydock clones locally: a `file://` URL, or a path whose part before `#` is
/// a directory (Docker 20.10 takes neither; see [`git`]). Returns the real path to clone.
fn local_git_source(arg: &str, io: &Io<'_>) -> Option<std::path::PathBuf> {
    let (path, frag) = match arg.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (arg, None),
    };
    let path = match path.strip_prefix("file://") {
        Some(p) => p,
        None if frag.is_some() => path,
        None => return None,
    };
    let real = io.paths.resolve(path).ok()?;
    std::fs::metadata(&real).ok()?.is_dir().then_some(real)
}

/// Clones a git context into a temporary directory under the daemon's `tmp`.
fn git_context(
    engine: &Engine,
    arg: &str,
    source: &std::path::Path,
) -> Result<(tempfile::TempDir, std::path::PathBuf), Fail> {
    if !git::available() {
        return Err(prepare(
            "unable to find 'git': exec: \"git\": executable file not found in $PATH",
        ));
    }
    let ctx = git::parse(arg).map_err(|e| {
        prepare(format!(
            "unable to 'git clone' to temporary context directory: {e}"
        ))
    })?;
    let dir_root = engine.paths().tmp();
    let _ = std::fs::create_dir_all(&dir_root);
    let dir = tempfile::Builder::new()
        .prefix("docker-build-git")
        .tempdir_in(&dir_root)
        .map_err(prepare)?;
    let root = git::clone(&ctx, &source.to_string_lossy(), dir.path()).map_err(|e| {
        prepare(format!(
            "unable to 'git clone' to temporary context directory: {e}"
        ))
    })?;
    Ok((dir, root))
}

/// The context, the Dockerfile and how big docker/cli's upload would be.
struct Prepared {
    context: Context,
    dockerfile: Vec<u8>,
    name: String,
    size: u64,
    _tmp: Option<tempfile::TempDir>,
}

fn prepare_context(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> Result<Prepared, Fail> {
    let arg = p.args[0].as_str();
    let file = p.str("file").filter(|f| !f.is_empty());
    // docker/cli's order: a local directory, a git URL, a URL.
    let is_dir = arg != "-" && is_local_dir(arg, io);
    let git_source = if is_dir {
        None
    } else {
        local_git_source(arg, io)
    };
    if git_source.is_none() && !is_dir && git::is_git_url(arg) {
        return Err(prepare(format!(
            "unable to 'git clone' to temporary context directory: {}",
            git::offline_error(arg)
        )));
    }
    if arg.starts_with("http://") || arg.starts_with("https://") {
        return Err(prepare(format!(
            "unable to download remote context {arg}: Get \"{arg}\": dial tcp: lookup {}: no such host",
            host_of(arg)
        )));
    }
    let mut tmp = None;
    let (root_virtual, root_real) = if let Some(source) = git_source {
        let (dir, root) = git_context(engine, arg, &source)?;
        tmp = Some(dir);
        (String::from("/"), root)
    } else if arg == "-" {
        if file == Some("-") {
            return Err(Fail::plain(
                "invalid argument: can't use stdin for both build context and dockerfile",
            ));
        }
        let mut input = Vec::new();
        let _ = io.stdin.read_to_end(&mut input);
        let is_tar = input.len() > 262 && &input[257..262] == b"ustar";
        let is_gz = input.starts_with(&[0x1f, 0x8b]);
        if !is_tar && !is_gz {
            // A plain Dockerfile: the CLI wraps it in a one-file tar.
            let len = input.len() as u64;
            let size = Context::default()
                .tar_size(&[("Dockerfile".to_string(), len)])
                .unwrap_or(0);
            return Ok(Prepared {
                context: Context::default(),
                dockerfile: input,
                name: "Dockerfile".into(),
                size,
                _tmp: None,
            });
        }
        let dir_root = engine.paths().tmp();
        let _ = std::fs::create_dir_all(&dir_root);
        let dir = tempfile::Builder::new()
            .prefix("build-context-")
            .tempdir_in(&dir_root)
            .map_err(prepare)?;
        let reader: Box<dyn std::io::Read> = if is_gz {
            Box::new(flate2::read::MultiGzDecoder::new(input.as_slice()))
        } else {
            Box::new(input.as_slice())
        };
        crate::engine::image::unpack::unpack(reader, dir.path())
            .map_err(|e| prepare(format!("error reading the context archive: {e}")))?;
        let real = dir.path().to_path_buf();
        tmp = Some(dir);
        (String::from("/"), real)
    } else {
        let real = io
            .paths
            .resolve(arg)
            .map_err(|_| prepare(format!("path {arg:?} not found")))?;
        let meta =
            std::fs::metadata(&real).map_err(|_| prepare(format!("path {arg:?} not found")))?;
        let virt = io.paths.absolute(arg);
        if !meta.is_dir() {
            return Err(prepare(format!("context must be a directory: {virt}")));
        }
        (virt, real)
    };
    // The Dockerfile: `-f` is relative to the working directory, else PATH/Dockerfile (or
    // PATH/dockerfile when only that exists).
    let (df_virtual, df_real, from_stdin) = match file {
        Some("-") => (String::new(), None, true),
        Some(f) if tmp.is_some() => {
            let rel = clean(f);
            (
                format!("/{rel}"),
                Some(root_real.join(rel.trim_start_matches('/'))),
                false,
            )
        }
        Some(f) => {
            let real = io.paths.resolve(f).ok();
            (io.paths.absolute(f), real, false)
        }
        None => {
            let main = root_real.join("Dockerfile");
            let alt = root_real.join("dockerfile");
            let use_alt = std::fs::symlink_metadata(&main).is_err() && alt.exists();
            let name = if use_alt { "dockerfile" } else { "Dockerfile" };
            let virt = if root_virtual == "/" {
                format!("/{name}")
            } else {
                format!("{root_virtual}/{name}")
            };
            (virt, Some(root_real.join(name)), false)
        }
    };
    let (dockerfile, rel) = if from_stdin {
        let mut v = Vec::new();
        let _ = io.stdin.read_to_end(&mut v);
        (v, None)
    } else {
        let real = df_real
            .filter(|r| std::fs::metadata(r).is_ok())
            .ok_or_else(|| {
                prepare(format!(
                    "unable to evaluate symlinks in Dockerfile path: lstat {df_virtual}: no such file or directory"
                ))
            })?;
        let bytes =
            std::fs::read(&real).map_err(|e| prepare(format!("unable to open Dockerfile: {e}")))?;
        let rel = if tmp.is_some() {
            df_virtual.trim_start_matches('/').to_string()
        } else {
            rel_path(&root_virtual, &df_virtual)
        };
        (bytes, Some(rel))
    };
    let ignore_path = root_real.join(".dockerignore");
    let ignore_text = std::fs::read_to_string(&ignore_path).ok();
    let lines = ignore_text
        .as_deref()
        .map(Ignore::lines)
        .unwrap_or_default();
    let ignore = Ignore::from_patterns(&lines)
        .map_err(|e| Fail::plain(format!("error checking context: '{e}'.")))?;
    let inject = match &rel {
        Some(r) if !r.starts_with("../") => None,
        _ => Some(format!(".dockerfile.{}", &engine.rng.hex(10))),
    };
    // What the CLI sends: the Dockerfile and .dockerignore always go (docker/cli adds `!`
    // exceptions for them); an injected Dockerfile is one more file and a line in .dockerignore.
    let mut send_lines = lines.clone();
    if ignore.matches(".dockerignore") {
        send_lines.push("!.dockerignore".into());
    }
    if let Some(r) = rel.as_ref().filter(|_| inject.is_none())
        && ignore.matches(r)
    {
        send_lines.push(format!("!{r}"));
    }
    let send = Context {
        root: Some(root_real.clone()),
        ignore: Ignore::from_patterns(&send_lines).unwrap_or_default(),
    };
    let mut extra = Vec::new();
    let mut growth = 0u64;
    if let Some(name) = &inject {
        extra.push((name.clone(), dockerfile.len() as u64));
        match &ignore_text {
            None => extra.push((
                ".dockerignore".to_string(),
                format!(".dockerignore\n{name}\n").len() as u64,
            )),
            // The file grows by a line: only its padded data can get longer.
            Some(t) => {
                let before = (t.len() as u64).div_ceil(512) * 512;
                let after = ((t.len() + name.len() + 2) as u64).div_ceil(512) * 512;
                growth = after - before;
            }
        }
    }
    let size = send
        .tar_size(&extra)
        .map_err(|e| Fail::plain(format!("error checking context: '{e}'.")))?
        + growth;
    Ok(Prepared {
        context: Context {
            root: Some(root_real),
            ignore,
        },
        dockerfile,
        name: inject.unwrap_or_else(|| rel.unwrap_or_else(|| "Dockerfile".into())),
        size,
        _tmp: tmp,
    })
}

pub(super) fn build(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let mut tags: Vec<Reference> = Vec::new();
    for t in p.list("tag") {
        let r = Reference::parse_named(&t).map_err(|e| Fail {
            message: format!(
                "invalid argument \"{t}\" for \"-t, --tag\" flag: {e}\nSee 'docker build --help'."
            ),
            code: 125,
            blank_stdout_line: false,
        })?;
        let r = r.with_default_tag();
        if !tags.contains(&r) {
            tags.push(r);
        }
    }
    if p.bool("squash") && !engine.config().experimental {
        return Err(Fail::plain(
            "\"--squash\" is only supported on a Docker daemon with experimental features enabled",
        ));
    }
    let quiet = p.bool("quiet");
    let prepared = prepare_context(engine, p, io)?;
    let mut build_args = BTreeMap::new();
    for a in p.list("build-arg") {
        match a.split_once('=') {
            Some((k, v)) => build_args.insert(k.to_string(), Some(v.to_string())),
            None => build_args.insert(a.clone(), (io.env)(&a)),
        };
    }
    let mut labels = BTreeMap::new();
    for l in p.list("label") {
        match l.split_once('=') {
            Some((k, v)) => labels.insert(k.to_string(), v.to_string()),
            None => labels.insert(l.clone(), String::new()),
        };
    }
    let req = BuildRequest {
        context: prepared.context.clone(),
        dockerfile: prepared.dockerfile.clone(),
        dockerfile_name: prepared.name.clone(),
        tags,
        build_args,
        labels,
        no_cache: p.bool("no-cache"),
        cache_from: p
            .list("cache-from")
            .iter()
            .flat_map(|v| v.split(','))
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect(),
        pull: p.bool("pull"),
        rm: !p.given("rm") || p.bool("rm"),
        force_rm: p.bool("force-rm"),
        squash: p.bool("squash"),
        target: p.str("target").map(str::to_string),
    };
    let mut buffer: Vec<u8> = Vec::new();
    let sending = format!(
        "Sending build context to Docker daemon {:>8}\r\r\n",
        human_size(prepared.size as i64)
    );
    if quiet {
        buffer.extend_from_slice(sending.as_bytes());
    } else {
        let _ = io.stdout.write_all(sending.as_bytes());
    }
    let mut started = false;
    let result = {
        let stdout = &mut *io.stdout;
        let buf = &mut buffer;
        engine.build(&req, &mut |m: BuildMessage<'_>| {
            started = true;
            let w: &mut dyn Write = if quiet { buf } else { stdout };
            match m {
                BuildMessage::Stream(b) => {
                    let _ = w.write_all(b);
                }
                // Off a terminal, progress with a bar is dropped; statuses are lines.
                BuildMessage::Progress(p) if p.bar.is_none() => {
                    let line = match &p.id {
                        Some(id) => format!("{id}: {}\n", p.status),
                        None => format!("{}\n", p.status),
                    };
                    let _ = w.write_all(line.as_bytes());
                }
                BuildMessage::Progress(_) => {}
            }
        })
    };
    match result {
        Ok(id) => {
            if quiet {
                let _ = writeln!(io.stdout, "{id}");
            }
            if let Some(f) = p.str("iidfile").filter(|f| !f.is_empty()) {
                let path = io.paths.resolve(f).map_err(Fail::plain)?;
                std::fs::write(&path, id.to_string())
                    .map_err(|e| Fail::plain(format!("Failed to write image ID to file: {e}")))?;
            }
            Ok(0)
        }
        Err(e) => {
            if quiet {
                let _ = io.stderr.write_all(&buffer);
            }
            let code = match &e {
                crate::engine::Error::Build(b) => b.exit_code(),
                _ => 1,
            };
            let message = match &e {
                crate::engine::Error::Build(BuildError::SquashNotExperimental) => {
                    format!("Error response from daemon: {e}")
                }
                _ if started => e.to_string(),
                _ => format!("Error response from daemon: {e}"),
            };
            Err(Fail {
                message,
                code,
                blank_stdout_line: false,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rel_is_gos() {
        assert_eq!(rel_path("/root/ctx", "/root/ctx/Dockerfile"), "Dockerfile");
        assert_eq!(rel_path("/root/ctx", "/root/Dockerfile"), "../Dockerfile");
        assert_eq!(rel_path("/", "/a/b"), "a/b");
    }

    #[test]
    fn hosts() {
        assert_eq!(host_of("git@github.com:x/y.git"), "github.com");
    }
}
