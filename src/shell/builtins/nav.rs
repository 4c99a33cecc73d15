//! `cd` and `pwd`: the shell's working directory. `cd` is logical, as bash's: the new directory is
//! the old one joined with the operand and normalised as text (`cd link/..` returns to where it
//! started), and only then checked through the root.

use super::util::{self, Spec};
use crate::shell::Ctx;
use crate::shell::fs::FsError;

/// `cd [DIR]`: `cd` alone goes to `$HOME`, `cd -` to `$OLDPWD` (printing it), `~` is `$HOME`.
pub fn cd(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let Some(opts) = util::parse(ctx.io.stderr, args, &Spec::short("LP", "")) else {
        return 2;
    };
    let home = ctx.state.get("HOME").unwrap_or("/").to_string();
    let (target, print) = match opts.operands.as_slice() {
        [] => (home, false),
        [d] if d == "-" => match ctx.state.get("OLDPWD") {
            Some(old) => (old.to_string(), true),
            None => {
                let _ = writeln!(ctx.io.stderr, "drydock: cd: OLDPWD not set");
                return 1;
            }
        },
        [d] if d == "~" => (home, false),
        [d] => match d.strip_prefix("~/") {
            Some(rest) => (format!("{home}/{rest}"), false),
            None => (d.clone(), false),
        },
        _ => {
            let _ = writeln!(ctx.io.stderr, "drydock: cd: too many arguments");
            return 1;
        }
    };
    let shown = opts.operands.first().cloned().unwrap_or(target.clone());
    let new = ctx.state.root.absolute(&ctx.state.cwd, &target);
    let problem = match ctx.state.root.metadata("/", &new) {
        Ok(m) if m.is_dir() => None,
        Ok(_) => Some(FsError::NotADirectory.to_string()),
        Err(e) => Some(e.to_string()),
    };
    if let Some(p) = problem {
        let _ = writeln!(ctx.io.stderr, "drydock: cd: {shown}: {p}");
        return 1;
    }
    let old = std::mem::replace(&mut ctx.state.cwd, new.clone());
    set_exported(ctx, "OLDPWD", &old);
    set_exported(ctx, "PWD", &new);
    if print {
        let _ = writeln!(ctx.io.stdout, "{new}");
    }
    0
}

fn set_exported(ctx: &mut Ctx<'_, '_>, name: &str, value: &str) {
    ctx.state.set(name, value);
    if let Some(v) = ctx.state.vars.get_mut(name) {
        v.exported = true;
    }
}

/// `pwd [-L|-P]`: the logical working directory, or with `-P` the one with symlinks resolved.
pub fn pwd(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let Some(opts) = util::parse(ctx.io.stderr, args, &Spec::short("LP", "")) else {
        return 2;
    };
    let mut dir = ctx.state.cwd.clone();
    if opts.order().last() == Some('P') {
        match ctx.state.root.resolve("/", &dir, true) {
            Ok(real) => {
                if let Some(v) = ctx.state.root.to_virtual(&real) {
                    dir = v;
                }
            }
            Err(e) => {
                let _ = writeln!(ctx.io.stderr, "drydock: pwd: {e}");
                return 1;
            }
        }
    }
    let _ = writeln!(ctx.io.stdout, "{dir}");
    0
}

#[cfg(test)]
mod tests {
    use crate::shell::builtins::testkit::World;

    #[test]
    fn cd_home_dash_tilde_and_errors() {
        let mut w = World::new();
        w.write("/etc/f", "");
        w.check(&["cd", "/etc"], "", "", 0);
        w.check(&["pwd"], "/etc\n", "", 0);
        assert_eq!(w.state.get("OLDPWD"), Some("/root"));
        assert_eq!(w.state.get("PWD"), Some("/etc"));
        w.check(&["cd", "-"], "/root\n", "", 0);
        w.check(&["cd", "../../.."], "", "", 0);
        w.check(&["pwd"], "/\n", "", 0);
        w.check(&["cd"], "", "", 0);
        w.check(&["pwd"], "/root\n", "", 0);
        w.check(&["cd", "~"], "", "", 0);
        w.check(
            &["cd", "x"],
            "",
            "drydock: cd: x: No such file or directory\n",
            1,
        );
        w.check(
            &["cd", "/etc/f"],
            "",
            "drydock: cd: /etc/f: Not a directory\n",
            1,
        );
        w.check(
            &["cd", "a", "b"],
            "",
            "drydock: cd: too many arguments\n",
            1,
        );
        assert_eq!(w.state.cwd, "/root");
    }

    #[test]
    fn cd_is_logical_pwd_p_is_physical() {
        let mut w = World::new();
        std::fs::create_dir_all(w.real("/var/lib")).expect("mkdir");
        std::os::unix::fs::symlink("/var/lib", w.real("/root/l")).expect("symlink");
        w.check(&["cd", "l"], "", "", 0);
        w.check(&["pwd"], "/root/l\n", "", 0);
        w.check(&["pwd", "-P"], "/var/lib\n", "", 0);
        w.check(&["cd", ".."], "", "", 0);
        w.check(&["pwd"], "/root\n", "", 0);
    }
}
