//! `which`, `type` and `help`: what the command table holds. Commands that are programs on a real
//! Linux host live at `/usr/bin/NAME` on the virtual host too; the few that only exist inside a
//! shell (`cd`, `export` …) are shell builtins, so `which` does not find them, as on Linux.

use crate::shell::Ctx;

/// Commands that are only shell builtins in bash (no program of that name on a Linux host).
const SHELL_ONLY: &[&str] = &["cd", "exit", "export", "help", "history", "type", "unset"];

/// `which NAME…`: `/usr/bin/NAME` for each program; nothing and status 1 for the rest.
pub fn which(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let mut status = 0;
    for name in args[1..].iter().filter(|a| !a.starts_with('-')) {
        if ctx.commands.find(name).is_some() && !SHELL_ONLY.contains(&name.as_str()) {
            let _ = writeln!(ctx.io.stdout, "/usr/bin/{name}");
        } else {
            status = 1;
        }
    }
    if args.len() < 2 {
        status = 1;
    }
    status
}

/// `type NAME…`: how the shell would run each name.
pub fn type_(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let mut status = 0;
    for name in args[1..].iter().filter(|a| !a.starts_with('-')) {
        if SHELL_ONLY.contains(&name.as_str())
            || matches!(name.as_str(), "echo" | "printf" | "pwd" | "true" | "false")
        {
            let _ = writeln!(ctx.io.stdout, "{name} is a shell builtin");
        } else if ctx.commands.find(name).is_some() {
            let _ = writeln!(ctx.io.stdout, "{name} is /usr/bin/{name}");
        } else {
            let _ = writeln!(ctx.io.stderr, "drydock: type: {name}: not found");
            status = 1;
        }
    }
    status
}

/// `help [NAME]`: every command with its one-line summary, or one command's.
pub fn help(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let all = ctx.commands.all();
    if let Some(topic) = args.get(1) {
        return match all.iter().find(|c| c.name == topic) {
            Some(c) => {
                let _ = writeln!(ctx.io.stdout, "{}: {}", c.name, c.summary);
                if c.name == "docker" {
                    let _ = writeln!(ctx.io.stdout, "Run 'docker --help' for its commands.");
                }
                0
            }
            None => {
                let _ = writeln!(
                    ctx.io.stderr,
                    "drydock: help: no help topics match `{topic}'.  Try `help' to see the commands."
                );
                1
            }
        };
    }
    let width = all.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let mut out = String::from(
        "drydock shell: a small POSIX-style shell on drydock's virtual host (/ is DRYDOCK_HOME,\n\
         your home is /root). Run 'docker --help' for Docker's commands and\n\
         'docker COMMAND --help' for one of them; 'help NAME' shows one command.\n\nCommands:\n",
    );
    for c in all {
        out.push_str(&format!("  {:width$}  {}\n", c.name, c.summary));
    }
    let _ = ctx.io.stdout.write_all(out.as_bytes());
    0
}

#[cfg(test)]
mod tests {
    use crate::shell::builtins::testkit::World;

    #[test]
    fn which_and_type() {
        let mut w = World::new();
        w.check(
            &["which", "ls", "docker"],
            "/usr/bin/ls\n/usr/bin/docker\n",
            "",
            0,
        );
        w.check(&["which", "nope"], "", "", 1);
        w.check(&["which", "cd"], "", "", 1);
        w.check(
            &["type", "cd", "ls"],
            "cd is a shell builtin\nls is /usr/bin/ls\n",
            "",
            0,
        );
        w.check(&["type", "nope"], "", "drydock: type: nope: not found\n", 1);
    }

    #[test]
    fn help_lists_every_command_sorted() {
        let mut w = World::new();
        let o = w.run(&["help"]);
        assert_eq!(o.status, 0);
        assert!(o.out.starts_with("drydock shell:"));
        assert!(o.out.contains("docker --help"));
        let names: Vec<&str> = o
            .out
            .lines()
            .skip_while(|l| *l != "Commands:")
            .skip(1)
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        for n in ["cat", "cd", "docker", "grep", "ls", "tar"] {
            assert!(names.contains(&n), "{n} missing from help");
        }
        w.check(
            &["help", "cat"],
            "cat: concatenate files and print them\n",
            "",
            0,
        );
    }
}
