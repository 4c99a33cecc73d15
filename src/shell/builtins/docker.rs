//! `docker`: the docker command line over the shell's engine and streams.

use crate::cli;
use crate::shell::Ctx;
use crate::shell::fs::ConfinedPaths;

/// Runs `docker ARGS…` with the command's streams and the shell's exported environment.
pub fn run(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let Some(engine) = ctx.engine else {
        let _ = writeln!(ctx.io.stderr, "docker: command not found");
        return 127;
    };
    let env_vars = ctx.state.env();
    let env = move |k: &str| {
        env_vars
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
    };
    let mut io = cli::Io {
        stdin: ctx.io.stdin,
        stdout: ctx.io.stdout,
        stderr: ctx.io.stderr,
        stdin_tty: ctx.io.stdin_tty,
        stdout_tty: ctx.io.stdout_tty,
        env: &env,
        paths: &ConfinedPaths {
            root: ctx.state.root.clone(),
            cwd: ctx.state.cwd.clone(),
        },
    };
    // The daemon was restarted with another storage driver since this shell's engine opened
    // (`systemctl restart docker && docker images` on one line): this command talks to the
    // daemon as it runs now. The REPL reopens its engine after the line.
    if engine
        .daemon_driver()
        .is_some_and(|d| d != engine.paths().driver())
        && let Ok(fresh) = crate::engine::Engine::open(engine.paths().home())
    {
        return cli::docker(&fresh, &args[1..], &mut io);
    }
    cli::docker(engine, &args[1..], &mut io)
}
