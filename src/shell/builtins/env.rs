//! `env`, `export` and `unset`: the shell's variables and what commands inherit.

use super::util::lquote;
use crate::shell::{Ctx, Var};

/// `env [NAME=VALUE…] [COMMAND [ARG…]]`: prints the exported variables, or runs a command with
/// extra ones (the shell's own variables are left as they were).
pub fn env(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let mut i = 1;
    let mut clear = false;
    while i < args.len() {
        match args[i].as_str() {
            "-i" | "-" | "--ignore-environment" => clear = true,
            "--" => {
                i += 1;
                break;
            }
            _ => break,
        }
        i += 1;
    }
    let mut state = ctx.state.clone();
    if clear {
        state.vars.retain(|_, v| !v.exported);
    }
    while i < args.len() {
        let Some((k, v)) = args[i].split_once('=') else {
            break;
        };
        state.vars.insert(
            k.to_string(),
            Var {
                value: v.to_string(),
                exported: true,
            },
        );
        i += 1;
    }
    if i == args.len() {
        for (k, v) in state.env() {
            let _ = writeln!(ctx.io.stdout, "{k}={v}");
        }
        return 0;
    }
    let Some(def) = ctx.commands.find(&args[i]) else {
        let _ = writeln!(
            ctx.io.stderr,
            "env: {}: No such file or directory",
            lquote(&args[i])
        );
        return 127;
    };
    let mut sub = crate::shell::Ctx {
        state: &mut state,
        io: crate::shell::Stdio {
            stdin: &mut *ctx.io.stdin,
            stdout: &mut *ctx.io.stdout,
            stderr: &mut *ctx.io.stderr,
            stdin_tty: ctx.io.stdin_tty,
            stdout_tty: ctx.io.stdout_tty,
        },
        engine: ctx.engine,
        interrupted: ctx.interrupted,
        commands: ctx.commands,
    };
    (def.run)(&mut sub, &args[i..])
}

/// Whether `name` can be a shell variable.
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `export [-n] [-p] [NAME[=VALUE]…]`: marks variables for commands' environments; alone or with
/// `-p` lists them as bash does (`declare -x A="1"`).
pub fn export(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let mut unexport = false;
    let mut names = Vec::new();
    for a in &args[1..] {
        match a.as_str() {
            "-p" => {}
            "-n" => unexport = true,
            "--" => {}
            s if s.starts_with('-') && names.is_empty() => {
                let _ = writeln!(ctx.io.stderr, "drydock: export: {s}: invalid option");
                let _ = writeln!(
                    ctx.io.stderr,
                    "export: usage: export [-fn] [name[=value] ...] or export -p"
                );
                return 2;
            }
            s => names.push(s),
        }
    }
    if names.is_empty() {
        for (k, v) in ctx.state.vars.iter().filter(|(_, v)| v.exported) {
            let _ = writeln!(
                ctx.io.stdout,
                "declare -x {k}=\"{}\"",
                bash_escape(&v.value)
            );
        }
        return 0;
    }
    let mut status = 0;
    for a in names {
        let (name, value) = match a.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (a, None),
        };
        if !valid_name(name) {
            let _ = writeln!(
                ctx.io.stderr,
                "drydock: export: `{a}': not a valid identifier"
            );
            status = 1;
            continue;
        }
        if let Some(v) = value {
            ctx.state.set(name, v);
        }
        // `export A` with A unset: bash remembers the attribute without a value; we only
        // export variables that exist, which is what `env` would show either way.
        if let Some(var) = ctx.state.vars.get_mut(name) {
            var.exported = !unexport;
        }
    }
    status
}

/// A value inside bash's `declare -x A="…"`: `"`, `\`, `$` and backquote escaped.
fn bash_escape(v: &str) -> String {
    let mut s = String::with_capacity(v.len());
    for c in v.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            s.push('\\');
        }
        s.push(c);
    }
    s
}

/// `unset [-v] NAME…`: removes variables.
pub fn unset(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let mut status = 0;
    for a in &args[1..] {
        if a == "-v" || a == "-f" {
            continue;
        }
        if !valid_name(a) {
            let _ = writeln!(
                ctx.io.stderr,
                "drydock: unset: `{a}': not a valid identifier"
            );
            status = 1;
            continue;
        }
        ctx.state.vars.remove(a.as_str());
    }
    status
}

#[cfg(test)]
mod tests {
    use crate::shell::builtins::testkit::World;

    #[test]
    fn export_lists_like_bash() {
        let mut w = World::new();
        w.state.vars.clear();
        w.check(&["export", "A=1", "B"], "", "", 0);
        w.state.set("B", "x\"y");
        w.check(&["export", "B"], "", "", 0);
        w.check(
            &["export", "-p"],
            "declare -x A=\"1\"\ndeclare -x B=\"x\\\"y\"\n",
            "",
            0,
        );
        w.check(&["env"], "A=1\nB=x\"y\n", "", 0);
        w.check(&["export", "-n", "B"], "", "", 0);
        w.check(&["export"], "declare -x A=\"1\"\n", "", 0);
        w.check(
            &["export", "1a=2"],
            "",
            "drydock: export: `1a=2': not a valid identifier\n",
            1,
        );
        w.check(&["unset", "A"], "", "", 0);
        w.check(&["env"], "", "", 0);
    }

    #[test]
    fn env_runs_a_command_with_extra_variables() {
        let mut w = World::new();
        w.state.vars.clear();
        w.check(&["env", "X=1", "env"], "X=1\n", "", 0);
        assert!(w.state.get("X").is_none());
        w.check(
            &["env", "nope"],
            "",
            "env: ‘nope’: No such file or directory\n",
            127,
        );
    }
}
