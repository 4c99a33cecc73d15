//! File management: `mkdir`, `rmdir`, `rm`, `cp`, `mv`, `touch`, `ln`. Every operand is resolved
//! through the root; operations on a name itself (`rm`, `mv`'s source, `ln`'s link) do not follow
//! a final symlink, operations on contents do. Messages are coreutils' (`cannot remove 'x': …`).

use std::fs;
use std::io;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::util::{self, Spec, lquote, missing_operand, msg, quote, try_help};
use crate::shell::Ctx;
use crate::shell::fs::{Access, file_name};

fn resolve(ctx: &Ctx<'_, '_>, path: &str, follow: bool) -> io::Result<PathBuf> {
    ctx.state
        .root
        .resolve(&ctx.state.cwd, path, follow)
        .map_err(|e| e.into_io())
}

/// As [`resolve`], for a name about to be written, created or removed (`access`): a read-only
/// mount refuses it (`Read-only file system`), and so does a missing permission of the user
/// working under the root (`Permission denied`).
fn resolve_w(ctx: &Ctx<'_, '_>, path: &str, follow: bool, access: Access) -> io::Result<PathBuf> {
    ctx.state
        .root
        .resolve_for(&ctx.state.cwd, path, follow, access)
        .map_err(|e| e.into_io())
}

/// `mkdir [-p] [-v] DIR…`.
pub fn mkdir(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let spec = Spec {
        flags: "pv",
        values: "m",
        longs: &[("parents", 'p'), ("verbose", 'v'), ("mode", 'm')],
        stop_at_operand: false,
    };
    let Some(opts) = util::parse(ctx.io.stderr, args, &spec) else {
        return 1;
    };
    if opts.operands.is_empty() {
        missing_operand(ctx.io.stderr, "mkdir");
        return 1;
    }
    let mut status = 0;
    for dir in &opts.operands {
        let result = if opts.has('p') {
            mkdir_parents(ctx, dir, opts.has('v'))
        } else {
            resolve_w(ctx, dir, false, Access::Create)
                .and_then(|real| {
                    fs::create_dir(&real)?;
                    ctx.state.root.created(&real);
                    Ok(())
                })
                .map(|_| {
                    if opts.has('v') {
                        let _ = writeln!(ctx.io.stdout, "mkdir: created directory {}", quote(dir));
                    }
                })
        };
        if let Err(e) = result {
            let _ = writeln!(
                ctx.io.stderr,
                "mkdir: cannot create directory {}: {}",
                lquote(dir),
                msg(&e)
            );
            status = 1;
        }
    }
    status
}

/// `mkdir -p`: each missing prefix in turn, so a symlink among them is followed (confined) and a
/// file among them fails with `File exists`/`Not a directory`.
fn mkdir_parents(ctx: &mut Ctx<'_, '_>, dir: &str, verbose: bool) -> io::Result<()> {
    let mut prefix = String::new();
    if dir.starts_with('/') {
        prefix.push('/');
    }
    for part in dir.split('/').filter(|p| !p.is_empty()) {
        if !prefix.is_empty() && !prefix.ends_with('/') {
            prefix.push('/');
        }
        prefix.push_str(part);
        let real = resolve(ctx, &prefix, true)?;
        match fs::metadata(&real) {
            Ok(m) if m.is_dir() => continue,
            Ok(_) => return Err(io::Error::from_raw_os_error(libc::ENOTDIR)),
            Err(_) => {
                ctx.state
                    .root
                    .writable(&ctx.state.cwd, &prefix)
                    .and_then(|_| {
                        ctx.state
                            .root
                            .check(&ctx.state.cwd, &prefix, true, Access::Create)
                    })
                    .map_err(|e| e.into_io())?;
                match fs::create_dir(&real) {
                    Ok(()) => ctx.state.root.created(&real),
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists && real.is_dir() => {}
                    Err(e) => return Err(e),
                }
                if verbose {
                    let _ = writeln!(ctx.io.stdout, "mkdir: created directory {}", quote(&prefix));
                }
            }
        }
    }
    Ok(())
}

/// `rmdir DIR…`: removes empty directories.
pub fn rmdir(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let Some(opts) = util::parse(ctx.io.stderr, args, &Spec::short("pv", "")) else {
        return 1;
    };
    if opts.operands.is_empty() {
        missing_operand(ctx.io.stderr, "rmdir");
        return 1;
    }
    let mut status = 0;
    for dir in &opts.operands {
        if let Err(e) = resolve_w(ctx, dir, false, Access::Remove).and_then(fs::remove_dir) {
            let _ = writeln!(
                ctx.io.stderr,
                "rmdir: failed to remove {}: {}",
                quote(dir),
                msg(&e)
            );
            status = 1;
        }
    }
    status
}

/// `rm [-r] [-f] [-v] FILE…`: never follows a symlink; refuses `/`, `.` and `..` recursively.
pub fn rm(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let spec = Spec {
        flags: "rRfvid",
        values: "",
        longs: &[
            ("recursive", 'r'),
            ("force", 'f'),
            ("verbose", 'v'),
            ("dir", 'd'),
        ],
        stop_at_operand: false,
    };
    let Some(opts) = util::parse(ctx.io.stderr, args, &spec) else {
        return 1;
    };
    let recursive = opts.has('r') || opts.has('R');
    let force = opts.has('f');
    if opts.operands.is_empty() {
        if force {
            return 0;
        }
        missing_operand(ctx.io.stderr, "rm");
        return 1;
    }
    let mut status = 0;
    for name in &opts.operands {
        let last = name.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        if recursive && (last == "." || last == "..") {
            let _ = writeln!(
                ctx.io.stderr,
                "rm: refusing to remove '.' or '..' directory: skipping {}",
                quote(name)
            );
            status = 1;
            continue;
        }
        // A tree is checked as it is removed, bottom up (its contents fail first).
        let is_dir = ctx
            .state
            .root
            .symlink_metadata(&ctx.state.cwd, name)
            .is_ok_and(|m| m.is_dir());
        let access = if recursive && is_dir {
            Access::Create
        } else {
            Access::Remove
        };
        let real = match resolve_w(ctx, name, false, access) {
            Ok(r) => r,
            Err(e) => {
                if !(force && e.kind() == io::ErrorKind::NotFound) {
                    let _ = writeln!(
                        ctx.io.stderr,
                        "rm: cannot remove {}: {}",
                        quote(name),
                        msg(&e)
                    );
                    status = 1;
                }
                continue;
            }
        };
        if real == ctx.state.root.real() {
            if recursive {
                let _ = writeln!(
                    ctx.io.stderr,
                    "rm: it is dangerous to operate recursively on '/'"
                );
                let _ = writeln!(
                    ctx.io.stderr,
                    "rm: use --no-preserve-root to override this failsafe"
                );
            } else {
                let _ = writeln!(ctx.io.stderr, "rm: cannot remove '/': Is a directory");
            }
            status = 1;
            continue;
        }
        let meta = match fs::symlink_metadata(&real) {
            Ok(m) => m,
            Err(e) => {
                if !(force && e.kind() == io::ErrorKind::NotFound) {
                    let _ = writeln!(
                        ctx.io.stderr,
                        "rm: cannot remove {}: {}",
                        quote(name),
                        msg(&e)
                    );
                    status = 1;
                }
                continue;
            }
        };
        let result = if meta.is_dir() {
            if recursive {
                match remove_tree(ctx, &real, name, opts.has('v')) {
                    Ok(()) => Ok(()),
                    Err((shown, e)) => {
                        let _ = writeln!(
                            ctx.io.stderr,
                            "rm: cannot remove {}: {}",
                            quote(&shown),
                            msg(&e)
                        );
                        status = 1;
                        continue;
                    }
                }
            } else if opts.has('d') {
                fs::remove_dir(&real).map(|_| verbose_removed(ctx, opts.has('v'), name, true))
            } else {
                Err(io::Error::from_raw_os_error(libc::EISDIR))
            }
        } else {
            fs::remove_file(&real).map(|_| verbose_removed(ctx, opts.has('v'), name, false))
        };
        if let Err(e) = result {
            let _ = writeln!(
                ctx.io.stderr,
                "rm: cannot remove {}: {}",
                quote(name),
                msg(&e)
            );
            status = 1;
        }
    }
    status
}

fn verbose_removed(ctx: &mut Ctx<'_, '_>, verbose: bool, name: &str, dir: bool) {
    if verbose {
        let what = if dir { "removed directory" } else { "removed" };
        let _ = writeln!(ctx.io.stdout, "{what} {}", quote(name));
    }
}

/// Removes a directory tree depth-first without following symlinks (they are removed as links),
/// checking the user's permission for each name; an error names the path that failed.
fn remove_tree(
    ctx: &mut Ctx<'_, '_>,
    real: &Path,
    shown: &str,
    verbose: bool,
) -> Result<(), (String, io::Error)> {
    let at = |e: io::Error| (shown.to_string(), e);
    let mut names: Vec<_> = fs::read_dir(real)
        .and_then(|r| r.collect::<Result<Vec<_>, _>>())
        .map_err(at)?;
    names.sort_by_key(|e| e.file_name());
    for e in names {
        let p = e.path();
        let child = format!(
            "{}/{}",
            shown.trim_end_matches('/'),
            e.file_name().to_string_lossy()
        );
        if e.file_type().map_err(at)?.is_dir() {
            remove_tree(ctx, &p, &child, verbose)?;
        } else {
            ctx.state
                .root
                .check_real(&p, Access::Remove)
                .map_err(|e| e.into_io())
                .and_then(|_| fs::remove_file(&p))
                .map_err(|e| (child.clone(), e))?;
            verbose_removed(ctx, verbose, &child, false);
        }
    }
    ctx.state
        .root
        .check_real(real, Access::Remove)
        .map_err(|e| e.into_io())
        .and_then(|_| fs::remove_dir(real))
        .map_err(at)?;
    verbose_removed(ctx, verbose, shown, true);
    Ok(())
}

/// Splits `SOURCE… DEST` the way cp, mv and ln do, printing their missing-operand errors.
fn sources_and_dest<'a>(
    ctx: &mut Ctx<'_, '_>,
    cmd: &str,
    operands: &'a [String],
) -> Option<(&'a [String], &'a String)> {
    match operands {
        [] => {
            let _ = writeln!(ctx.io.stderr, "{cmd}: missing file operand");
            try_help(ctx.io.stderr, cmd);
            None
        }
        [one] => {
            let _ = writeln!(
                ctx.io.stderr,
                "{cmd}: missing destination file operand after {}",
                quote(one)
            );
            try_help(ctx.io.stderr, cmd);
            None
        }
        [sources @ .., dest] => Some((sources, dest)),
    }
}

/// The destination for `src` when copying or moving to `dest`: inside it when it is a directory.
fn target_for(ctx: &Ctx<'_, '_>, src: &str, dest: &str, many: bool) -> Result<String, String> {
    let is_dir = ctx.state.root.is_dir(&ctx.state.cwd, dest);
    if is_dir {
        Ok(format!("{}/{}", dest.trim_end_matches('/'), file_name(src)))
    } else if many {
        Err(format!("target {} is not a directory", quote(dest)))
    } else {
        Ok(dest.to_string())
    }
}

/// `cp [-r|-R|-a] [-v] SOURCE… DEST`.
pub fn cp(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let spec = Spec {
        flags: "rRapvfnPLdT",
        values: "",
        longs: &[
            ("recursive", 'r'),
            ("archive", 'a'),
            ("verbose", 'v'),
            ("force", 'f'),
        ],
        stop_at_operand: false,
    };
    let Some(opts) = util::parse(ctx.io.stderr, args, &spec) else {
        return 1;
    };
    let recursive = opts.has('r') || opts.has('R') || opts.has('a');
    let keep_times = opts.has('a') || opts.has('p');
    let Some((sources, dest)) = sources_and_dest(ctx, "cp", &opts.operands) else {
        return 1;
    };
    let mut status = 0;
    for src in sources {
        let to = match target_for(ctx, src, dest, sources.len() > 1) {
            Ok(t) => t,
            Err(m) => {
                let _ = writeln!(ctx.io.stderr, "cp: {m}");
                return 1;
            }
        };
        // -r copies symlinks as links (GNU's -P under -R); plain cp copies what they point to.
        let from = match resolve(ctx, src, !recursive)
            .and_then(|r| fs::symlink_metadata(&r).map(|m| (r, m)))
        {
            Ok(x) => x,
            Err(e) => {
                let _ = writeln!(ctx.io.stderr, "cp: cannot stat {}: {}", quote(src), msg(&e));
                status = 1;
                continue;
            }
        };
        let (from_real, meta) = from;
        if meta.is_dir() && !recursive {
            let _ = writeln!(
                ctx.io.stderr,
                "cp: -r not specified; omitting directory {}",
                quote(src)
            );
            status = 1;
            continue;
        }
        let to_real = match resolve_w(ctx, &to, true, Access::Write) {
            Ok(r) => r,
            Err(e) => {
                let _ = writeln!(
                    ctx.io.stderr,
                    "cp: cannot create regular file {}: {}",
                    quote(&to),
                    msg(&e)
                );
                status = 1;
                continue;
            }
        };
        if to_real == from_real {
            let _ = writeln!(
                ctx.io.stderr,
                "cp: {} and {} are the same file",
                quote(src),
                quote(&to)
            );
            status = 1;
            continue;
        }
        if meta.is_dir() && to_real.starts_with(&from_real) {
            let _ = writeln!(
                ctx.io.stderr,
                "cp: cannot copy a directory, {}, into itself, {}",
                quote(src),
                quote(&to)
            );
            status = 1;
            continue;
        }
        if let Err(e) = copy_tree(
            ctx,
            &from_real,
            &to_real,
            src,
            &to,
            opts.has('v'),
            keep_times,
        ) {
            let _ = writeln!(ctx.io.stderr, "cp: {e}");
            status = 1;
        }
    }
    status
}

/// Copies a file, symlink or directory tree; symlinks are recreated with the same target (so they
/// stay confined when used); errors come back in cp's words.
fn copy_tree(
    ctx: &mut Ctx<'_, '_>,
    from: &Path,
    to: &Path,
    from_shown: &str,
    to_shown: &str,
    verbose: bool,
    keep_times: bool,
) -> Result<(), String> {
    let meta = fs::symlink_metadata(from)
        .map_err(|e| format!("cannot stat {}: {}", quote(from_shown), msg(&e)))?;
    if verbose {
        let _ = writeln!(
            ctx.io.stdout,
            "{} -> {}",
            quote(from_shown),
            quote(to_shown)
        );
    }
    let ft = meta.file_type();
    if ft.is_symlink() {
        let target = fs::read_link(from).map_err(|e| {
            format!(
                "cannot read symbolic link {}: {}",
                quote(from_shown),
                msg(&e)
            )
        })?;
        if fs::symlink_metadata(to).is_ok() {
            let _ = fs::remove_file(to);
        }
        let denied = |e: crate::shell::fs::FsError| {
            format!(
                "cannot create symbolic link {}: {}",
                quote(to_shown),
                msg(&e.into_io())
            )
        };
        ctx.state
            .root
            .check_real(to, Access::Create)
            .map_err(denied)?;
        symlink(&target, to).map_err(|e| {
            format!(
                "cannot create symbolic link {}: {}",
                quote(to_shown),
                msg(&e)
            )
        })?;
    } else if ft.is_dir() {
        let made = ctx
            .state
            .root
            .check_real(to, Access::Create)
            .map_err(|e| e.into_io())
            .and_then(|_| fs::create_dir(to));
        match made {
            Ok(()) => ctx.state.root.created(to),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && to.is_dir() => {}
            Err(e) => {
                return Err(format!(
                    "cannot create directory {}: {}",
                    quote(to_shown),
                    msg(&e)
                ));
            }
        }
        let mut entries: Vec<_> = fs::read_dir(from)
            .and_then(|r| r.collect::<Result<Vec<_>, _>>())
            .map_err(|e| format!("cannot access {}: {}", quote(from_shown), msg(&e)))?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let n = e.file_name();
            let ns = n.to_string_lossy();
            copy_tree(
                ctx,
                &from.join(&n),
                &to.join(&n),
                &format!("{}/{ns}", from_shown.trim_end_matches('/')),
                &format!("{}/{ns}", to_shown.trim_end_matches('/')),
                verbose,
                keep_times,
            )?;
        }
        let _ = fs::set_permissions(to, meta.permissions());
    } else {
        if to.is_dir() {
            return Err(format!(
                "cannot overwrite directory {} with non-directory",
                quote(to_shown)
            ));
        }
        let new = fs::symlink_metadata(to).is_err();
        ctx.state
            .root
            .check_real(to, Access::Write)
            .map_err(|e| e.into_io())
            .and_then(|_| fs::copy(from, to))
            .map_err(|e| {
                format!(
                    "cannot create regular file {}: {}",
                    quote(to_shown),
                    msg(&e)
                )
            })?;
        if new {
            ctx.state.root.created(to);
        }
    }
    if keep_times
        && !ft.is_symlink()
        && let (Ok(m), Ok(f)) = (meta.modified(), fs::File::open(to))
    {
        let _ = f.set_modified(m);
    }
    Ok(())
}

/// `mv [-v] [-f] SOURCE… DEST`: renames; a symlink is moved as itself.
pub fn mv(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let Some(opts) = util::parse(ctx.io.stderr, args, &Spec::short("vfinT", "")) else {
        return 1;
    };
    let Some((sources, dest)) = sources_and_dest(ctx, "mv", &opts.operands) else {
        return 1;
    };
    let mut status = 0;
    for src in sources {
        let to = match target_for(ctx, src, dest, sources.len() > 1) {
            Ok(t) => t,
            Err(m) => {
                let _ = writeln!(ctx.io.stderr, "mv: {m}");
                return 1;
            }
        };
        let from_real = match resolve_w(ctx, src, false, Access::Remove)
            .and_then(|r| fs::symlink_metadata(&r).map(|_| r))
        {
            Ok(r) => r,
            Err(e) => {
                let _ = writeln!(ctx.io.stderr, "mv: cannot stat {}: {}", quote(src), msg(&e));
                status = 1;
                continue;
            }
        };
        // Replacing a name, or making one: either way its directory must be writable.
        let to_real = match resolve_w(ctx, &to, true, Access::Remove)
            .and_then(|_| resolve_w(ctx, &to, true, Access::Create))
        {
            Ok(r) => r,
            Err(e) => {
                let _ = writeln!(
                    ctx.io.stderr,
                    "mv: cannot move {} to {}: {}",
                    quote(src),
                    quote(&to),
                    msg(&e)
                );
                status = 1;
                continue;
            }
        };
        if to_real == from_real {
            let _ = writeln!(
                ctx.io.stderr,
                "mv: {} and {} are the same file",
                quote(src),
                quote(&to)
            );
            status = 1;
            continue;
        }
        if from_real == ctx.state.root.real() || to_real.starts_with(&from_real) {
            let _ = writeln!(
                ctx.io.stderr,
                "mv: cannot move {} to a subdirectory of itself, {}",
                quote(src),
                quote(&to)
            );
            status = 1;
            continue;
        }
        match fs::rename(&from_real, &to_real) {
            Ok(()) => {
                if opts.has('v') {
                    let _ = writeln!(ctx.io.stdout, "renamed {} -> {}", quote(src), quote(&to));
                }
            }
            Err(e) => {
                let _ = writeln!(
                    ctx.io.stderr,
                    "mv: cannot move {} to {}: {}",
                    quote(src),
                    quote(&to),
                    msg(&e)
                );
                status = 1;
            }
        }
    }
    status
}

/// `touch [-c] FILE…`: creates files, or sets their times to now.
pub fn touch(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let Some(opts) = util::parse(ctx.io.stderr, args, &Spec::short("cam", "")) else {
        return 1;
    };
    if opts.operands.is_empty() {
        let _ = writeln!(ctx.io.stderr, "touch: missing file operand");
        try_help(ctx.io.stderr, "touch");
        return 1;
    }
    let mut status = 0;
    for name in &opts.operands {
        let result = resolve_w(ctx, name, true, Access::Write).and_then(|real| {
            let new = fs::symlink_metadata(&real).is_err();
            if opts.has('c') && new {
                return Ok(());
            }
            let f = fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&real)
                .or_else(|e| {
                    // A directory cannot be opened for writing; its times still can be set.
                    if real.is_dir() {
                        fs::File::open(&real)
                    } else {
                        Err(e)
                    }
                })?;
            if new {
                ctx.state.root.created(&real);
            }
            f.set_modified(SystemTime::now())
        });
        if let Err(e) = result {
            let _ = writeln!(
                ctx.io.stderr,
                "touch: cannot touch {}: {}",
                quote(name),
                msg(&e)
            );
            status = 1;
        }
    }
    status
}

/// `ln [-s] [-f] [-v] TARGET… [LINK|DIR]`: a symlink stores its target as given (it is resolved,
/// confined, only when used); a hard link names the same file.
pub fn ln(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let spec = Spec {
        flags: "sfvnT",
        values: "",
        longs: &[("symbolic", 's'), ("force", 'f'), ("verbose", 'v')],
        stop_at_operand: false,
    };
    let Some(opts) = util::parse(ctx.io.stderr, args, &spec) else {
        return 1;
    };
    let symbolic = opts.has('s');
    let (targets, dir): (Vec<&String>, Option<String>) = match opts.operands.as_slice() {
        [] => {
            let _ = writeln!(ctx.io.stderr, "ln: missing file operand");
            try_help(ctx.io.stderr, "ln");
            return 1;
        }
        [one] => (vec![one], Some(".".to_string())),
        [targets @ .., last] => {
            if ctx.state.root.is_dir(&ctx.state.cwd, last) && !opts.has('n') {
                (targets.iter().collect(), Some(last.clone()))
            } else if targets.len() > 1 {
                let _ = writeln!(
                    ctx.io.stderr,
                    "ln: target {} is not a directory",
                    quote(last)
                );
                return 1;
            } else {
                (targets.iter().collect(), None)
            }
        }
    };
    let mut status = 0;
    for target in &targets {
        let link = match &dir {
            Some(d) => format!("{}/{}", d.trim_end_matches('/'), file_name(target)),
            None => opts.operands[opts.operands.len() - 1].clone(),
        };
        let what = if symbolic { "symbolic" } else { "hard" };
        let access = if opts.has('f') {
            Access::Remove
        } else {
            Access::Create
        };
        let result = resolve_w(ctx, &link, false, access)
            .and_then(|_| resolve_w(ctx, &link, false, Access::Create))
            .and_then(|link_real| {
                if opts.has('f') && fs::symlink_metadata(&link_real).is_ok_and(|m| !m.is_dir()) {
                    fs::remove_file(&link_real)?;
                }
                if symbolic {
                    symlink(target.as_str(), &link_real)
                } else {
                    let from = resolve(ctx, target, false)?;
                    fs::hard_link(from, &link_real)
                }
            });
        match result {
            Ok(()) => {
                if opts.has('v') {
                    let arrow = if symbolic { "->" } else { "=>" };
                    let _ = writeln!(ctx.io.stdout, "{} {arrow} {}", quote(&link), quote(target));
                }
            }
            Err(e) => {
                let _ = writeln!(
                    ctx.io.stderr,
                    "ln: failed to create {what} link {}: {}",
                    quote(&link),
                    msg(&e)
                );
                status = 1;
            }
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::symlink;

    use crate::shell::builtins::testkit::World;

    #[test]
    fn mkdir_and_rmdir() {
        let mut w = World::new();
        w.check(&["mkdir", "d"], "", "", 0);
        w.check(
            &["mkdir", "d"],
            "",
            "mkdir: cannot create directory ‘d’: File exists\n",
            1,
        );
        w.check(&["mkdir", "-p", "d", "a/b/c"], "", "", 0);
        assert!(w.real("/root/a/b/c").is_dir());
        w.check(
            &["mkdir", "-v", "e"],
            "mkdir: created directory 'e'\n",
            "",
            0,
        );
        w.check(
            &["mkdir", "x/y"],
            "",
            "mkdir: cannot create directory ‘x/y’: No such file or directory\n",
            1,
        );
        w.check(&["rmdir", "e"], "", "", 0);
        w.check(
            &["rmdir", "a"],
            "",
            "rmdir: failed to remove 'a': Directory not empty\n",
            1,
        );
        w.check(
            &["mkdir"],
            "",
            "mkdir: missing operand\nTry 'mkdir --help' for more information.\n",
            1,
        );
    }

    #[test]
    fn rm_files_trees_and_refusals() {
        let mut w = World::new();
        w.write("/root/d/x/f", "1");
        w.write("/root/f", "1");
        w.check(
            &["rm", "d"],
            "",
            "rm: cannot remove 'd': Is a directory\n",
            1,
        );
        w.check(
            &["rm", "nope"],
            "",
            "rm: cannot remove 'nope': No such file or directory\n",
            1,
        );
        w.check(&["rm", "-f", "nope"], "", "", 0);
        w.check(&["rm", "-rf", "d", "f"], "", "", 0);
        assert!(!w.real("/root/d").exists() && !w.real("/root/f").exists());
        w.check(
            &["rm", "-rf", "/"],
            "",
            "rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n",
            1,
        );
        w.check(
            &["rm", "-r", "../.."],
            "",
            "rm: refusing to remove '.' or '..' directory: skipping '../..'\n",
            1,
        );
        w.check(
            &["rm"],
            "",
            "rm: missing operand\nTry 'rm --help' for more information.\n",
            1,
        );
        // A symlink to / is removed as a link; the root stays.
        symlink("/", w.real("/root/up")).expect("symlink");
        w.check(&["rm", "-rf", "up"], "", "", 0);
        assert!(w.real("/etc").is_dir());
        symlink("/", w.real("/root/up")).expect("symlink");
        w.check(
            &["rm", "-rf", "up/"],
            "",
            "rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n",
            1,
        );
        w.write("/root/v", "");
        w.check(&["rm", "-v", "v"], "removed 'v'\n", "", 0);
    }

    #[test]
    fn cp_files_dirs_and_errors() {
        let mut w = World::new();
        w.write("/root/f", "data");
        w.write("/root/d/sub/g", "g");
        symlink("../f", w.real("/root/d/l")).expect("symlink");
        w.check(&["cp", "f", "f2"], "", "", 0);
        assert_eq!(w.read("/root/f2"), "data");
        w.check(&["cp", "f", "/tmp"], "", "", 0);
        assert_eq!(w.read("/tmp/f"), "data");
        w.check(
            &["cp", "d", "e"],
            "",
            "cp: -r not specified; omitting directory 'd'\n",
            1,
        );
        w.check(&["cp", "-r", "d", "e"], "", "", 0);
        assert_eq!(w.read("/root/e/sub/g"), "g");
        assert_eq!(
            std::fs::read_link(w.real("/root/e/l"))
                .expect("link")
                .to_string_lossy(),
            "../f"
        );
        w.check(
            &["cp", "f", "f"],
            "",
            "cp: 'f' and 'f' are the same file\n",
            1,
        );
        w.check(
            &["cp", "nope", "x"],
            "",
            "cp: cannot stat 'nope': No such file or directory\n",
            1,
        );
        w.check(
            &["cp", "-r", "d", "d/in"],
            "",
            "cp: cannot copy a directory, 'd', into itself, 'd/in'\n",
            1,
        );
        w.check(
            &["cp", "f"],
            "",
            "cp: missing destination file operand after 'f'\nTry 'cp --help' for more information.\n",
            1,
        );
        w.check(&["cp", "-v", "f", "g"], "'f' -> 'g'\n", "", 0);
    }

    #[test]
    fn mv_renames_and_refuses_into_itself() {
        let mut w = World::new();
        w.write("/root/f", "data");
        std::fs::create_dir(w.real("/root/d")).expect("mkdir");
        w.check(&["mv", "f", "g"], "", "", 0);
        assert_eq!(w.read("/root/g"), "data");
        w.check(&["mv", "g", "d"], "", "", 0);
        assert_eq!(w.read("/root/d/g"), "data");
        w.check(
            &["mv", "nope", "x"],
            "",
            "mv: cannot stat 'nope': No such file or directory\n",
            1,
        );
        w.check(
            &["mv", "d", "d/x"],
            "",
            "mv: cannot move 'd' to a subdirectory of itself, 'd/x'\n",
            1,
        );
        w.check(&["mv", "-v", "d", "e"], "renamed 'd' -> 'e'\n", "", 0);
    }

    #[test]
    fn touch_and_ln() {
        let mut w = World::new();
        w.check(&["touch", "a", "/tmp/b"], "", "", 0);
        assert!(w.real("/root/a").is_file() && w.real("/tmp/b").is_file());
        w.check(
            &["touch", "nope/x"],
            "",
            "touch: cannot touch 'nope/x': No such file or directory\n",
            1,
        );
        w.check(&["touch", "-c", "c"], "", "", 0);
        assert!(!w.real("/root/c").exists());
        w.check(&["ln", "-s", "/etc/passwd", "p"], "", "", 0);
        assert_eq!(
            std::fs::read_link(w.real("/root/p"))
                .expect("link")
                .to_string_lossy(),
            "/etc/passwd"
        );
        w.check(
            &["ln", "-s", "a", "p"],
            "",
            "ln: failed to create symbolic link 'p': File exists\n",
            1,
        );
        w.check(&["ln", "-sf", "a", "p"], "", "", 0);
        w.check(&["ln", "-s", "/tmp/b"], "", "", 0);
        assert!(w.real("/root/b").is_symlink());
        w.check(&["ln", "a", "h"], "", "", 0);
        w.check(&["ln", "-sv", "a", "k"], "'k' -> 'a'\n", "", 0);
    }
}
