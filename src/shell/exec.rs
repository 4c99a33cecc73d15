//! Running parsed shell source. STUB: a single command, split on whitespace, until the
//! interpreter lands.

use super::{Ctx, Shell, Stdio};

/// Runs `src` in `shell`; returns the last status.
pub fn run_source(shell: &mut Shell<'_>, src: &str, io: Stdio<'_>) -> i32 {
    let args: Vec<String> = src.split_whitespace().map(String::from).collect();
    let Some(name) = args.first() else {
        return shell.state.last_status;
    };
    let commands = shell.commands.clone();
    let Some(def) = commands.find(name) else {
        let _ = writeln!(io.stderr, "drydock: {name}: command not found");
        shell.state.last_status = 127;
        return 127;
    };
    let mut ctx = Ctx {
        state: &mut shell.state,
        io,
        engine: shell.engine,
        interrupted: &shell.interrupted,
        commands: commands.as_ref(),
    };
    let status = (def.run)(&mut ctx, &args);
    shell.state.last_status = status;
    status
}
