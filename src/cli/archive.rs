//! `docker save`, `docker load`, `docker import` (and their `docker image …` spellings):
//! docker/cli's `image/save.go`, `load.go`, `import.go` over the engine's archive service.
//!
//! File arguments go through [`Io::paths`](super::Io), so inside the shell they stay under its
//! root. `save -o` writes a `.docker_temp_*` file beside the target and renames it (CopyToFile),
//! so a failed save leaves no half archive. Error prefixes follow the daemon's handlers: `save`
//! and `import` fail before streaming (`Error response from daemon: …`), `load` reports every
//! error inside its stream (the bare message).

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use super::args::Parsed;
use super::{CmdResult, Fail, Io};
use crate::engine::Engine;
use crate::engine::archive::{ImportRequest, LoadOptions};
use crate::engine::progress::Progress;
use crate::engine::reference::Reference;

/// Go's `os.Open` error text for a path as typed.
fn open_error(path: &str, e: &io::Error) -> String {
    let why = match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => match e.raw_os_error() {
            Some(libc::EISDIR) => "is a directory".to_string(),
            _ => e.to_string(),
        },
    };
    format!("open {path}: {why}")
}

/// Opens a file named on the command line (confined by the shell).
fn open_arg(io: &Io<'_>, path: &str) -> Result<File, Fail> {
    let real = io.paths.resolve(path).map_err(Fail::plain)?;
    let f = File::open(&real).map_err(|e| Fail::plain(open_error(path, &e)))?;
    if f.metadata().is_ok_and(|m| m.is_dir()) {
        // Go opens a directory fine and fails on the first read.
        return Err(Fail::plain(format!("read {path}: is a directory")));
    }
    Ok(f)
}

/// `filepath.Dir(filepath.Clean(p))` for the typed path.
fn typed_dir(p: &str) -> String {
    let abs = p.starts_with('/');
    let parts: Vec<&str> = p
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    match parts.split_last() {
        Some((_, [])) | None => {
            if abs {
                "/".into()
            } else {
                ".".into()
            }
        }
        Some((_, dir)) => format!("{}{}", if abs { "/" } else { "" }, dir.join("/")),
    }
}

pub(super) fn save(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let output = p.str("output").unwrap_or("").to_string();
    if output.is_empty() && io.stdout_tty {
        return Err(Fail::plain(
            "cowardly refusing to save to a terminal. Use the -o flag or redirect",
        ));
    }
    if !output.is_empty() {
        let dir = typed_dir(&output);
        if dir != "." {
            let exists = io.paths.resolve(&dir).is_ok_and(|d| d.exists());
            if !exists {
                return Err(Fail::plain(format!(
                    "failed to save image: invalid output path: directory {dir:?} does not exist"
                )));
            }
        }
    }
    let plan = engine.plan_save(&p.args).map_err(Fail::daemon)?;
    if output.is_empty() {
        return engine
            .write_save(plan, io.stdout)
            .map(|_| 0)
            .map_err(|e| Fail::plain(e.to_string()));
    }
    let real = io.paths.resolve(&output).map_err(Fail::plain)?;
    let parent = real.parent().unwrap_or(Path::new("/")).to_path_buf();
    let tmp_name = format!(".docker_temp_{}", engine.rng.next_u64() as u32);
    let tmp = parent.join(&tmp_name);
    let shown_tmp = match typed_dir(&output).as_str() {
        "/" => format!("/{tmp_name}"),
        "." => tmp_name.clone(),
        d => format!("{d}/{tmp_name}"),
    };
    // ioutil.TempFile's mode: the archive is readable by its owner only, as with docker/cli.
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(|e| Fail::plain(open_error(&shown_tmp, &e)))?;
    let written = engine
        .write_save(plan, &mut f)
        .map_err(|e| Fail::plain(e.to_string()))
        .and_then(|_| f.flush().map_err(|e| Fail::plain(e.to_string())));
    drop(f);
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    if real.is_dir() {
        let _ = std::fs::remove_file(&tmp);
        return Err(Fail::plain(format!(
            "rename {shown_tmp} {output}: file exists"
        )));
    }
    std::fs::rename(&tmp, &real).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Fail::plain(format!("rename {shown_tmp} {output}: {e}"))
    })?;
    Ok(0)
}

pub(super) fn load(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let input = p.str("input").unwrap_or("").to_string();
    let mut file = None;
    if !input.is_empty() {
        file = Some(open_arg(io, &input)?);
    } else if io.stdin_tty {
        return Err(Fail::plain("requested load from stdin, but stdin is empty"));
    }
    let opts = LoadOptions {
        // docker/cli forces quiet when stdout is not a terminal.
        quiet: p.bool("quiet") || !io.stdout_tty,
        ..LoadOptions::default()
    };
    let mut printer = super::image::PullPrinter::new(io);
    let stdout = &mut *io.stdout;
    let src: &mut dyn Read = match file.as_mut() {
        Some(f) => f,
        None => &mut *io.stdin,
    };
    engine
        .load(src, &opts, &mut |ev: Progress| printer.show_to(stdout, &ev))
        .map_err(|e| Fail::plain(e.to_string()))?;
    Ok(0)
}

pub(super) fn import(engine: &Engine, p: &Parsed, io: &mut Io<'_>, path: &str) -> CmdResult {
    if p.args.len() > 2 {
        return Err(Fail::plain(format!(
            "\"docker {path}\" requires at least 1 and at most 2 arguments.\nSee 'docker {path} --help'.\n\nUsage:  docker {path} [OPTIONS] file|URL|- [REPOSITORY[:TAG]]\n\nImport the contents from a tarball to create a filesystem image"
        )));
    }
    let source = p.args[0].clone();
    let repository = p.args.get(1).cloned();
    if let Some(r) = &repository {
        // The client parses the name before sending anything.
        Reference::parse_named(r).map_err(|e| Fail::plain(e.to_string()))?;
    }
    let is_url = source.starts_with("http://") || source.starts_with("https://");
    let mut file = None;
    if source != "-" && !is_url {
        file = Some(open_arg(io, &source)?);
    }
    let req = ImportRequest {
        source: if is_url { source.clone() } else { "-".into() },
        repository,
        message: p.str("message").map(str::to_string),
        changes: p.list("change"),
    };
    let mut empty = io::empty();
    let src: &mut dyn Read = match (file.as_mut(), is_url) {
        (Some(f), _) => f,
        (None, true) => &mut empty,
        (None, false) => &mut *io.stdin,
    };
    let id = engine.import(&req, src).map_err(Fail::daemon)?;
    let _ = writeln!(io.stdout, "{id}");
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_dir_is_gos_dir_of_clean() {
        assert_eq!(typed_dir("x.tar"), ".");
        assert_eq!(typed_dir("/nope/x.tar"), "/nope");
        assert_eq!(typed_dir("/x.tar"), "/");
        assert_eq!(typed_dir("a/b/./c.tar"), "a/b");
    }
}
