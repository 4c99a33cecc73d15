//! Front ends: no arguments → the interactive shell (or a script read from a non-terminal
//! stdin); `-c LINE` → one shell line; `FILE` → a shell script; `docker ARGS…` → one docker
//! command with Docker's output and exit status. `--home DIR` (or `DRYDOCK_HOME`) picks the state
//! root. Each exits with the status of the last command, as `sh` does.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use crate::cli;
use crate::engine::{self, Engine};
use crate::repl;
use crate::shell::Shell;

const USAGE: &str = "drydock: a Docker 20.10 exam lab in one binary

Usage:
  drydock [--home DIR]                  the interactive shell (a script when stdin is not a terminal)
  drydock [--home DIR] -c 'LINE'        run one shell line
  drydock [--home DIR] FILE [ARGS...]   run a shell script
  drydock [--home DIR] docker ARGS...   run one docker command (output and exit status as Docker's)
  drydock scenario run PATH...          replay scenario transcripts (files or folders of *.yaml)
  drydock scenario record --docker PATH rewrite a scenario's expectations from real Docker (bash + docker)
  drydock scenario record --drydock PATH  ... from drydock's own output (an authoring aid)

State lives in --home DIR, else $DRYDOCK_HOME, else $XDG_DATA_HOME/drydock or ~/.local/share/drydock.
";

/// Runs drydock with the process arguments (without the program name); returns the exit code.
pub fn run(args: Vec<String>) -> i32 {
    let mut args = args.into_iter().peekable();
    let mut home: Option<PathBuf> = std::env::var_os("DRYDOCK_HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from);
    let mut rest = Vec::new();
    while let Some(a) = args.next() {
        if a == "--home" {
            match args.next() {
                Some(h) => home = Some(PathBuf::from(h)),
                None => {
                    eprintln!("drydock: --home needs a directory");
                    return 2;
                }
            }
        } else if let Some(h) = a.strip_prefix("--home=") {
            home = Some(PathBuf::from(h));
        } else {
            rest.push(a);
            rest.extend(args.by_ref());
        }
    }
    let home = home.unwrap_or_else(engine::default_home);
    let first = rest.first().map(String::as_str);
    if matches!(first, Some("--help") | Some("-h") | Some("help")) {
        print!("{USAGE}");
        return 0;
    }
    if first == Some("scenario") {
        return scenario(&rest[1..]);
    }
    if first == Some("__container-init") {
        return container_init(rest.get(1));
    }
    let engine = match Engine::open(&home) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("drydock: cannot open the store at {}: {e}", home.display());
            return 1;
        }
    };
    if first == Some("__container-shim") {
        return container_shim(&engine, &rest[1..]);
    }
    match first {
        Some("docker") => docker(&engine, &rest[1..]),
        Some("-c") => match rest.get(1) {
            Some(line) => {
                let mut shell = Shell::host(&engine);
                shell.state.args = rest[2..].to_vec();
                repl::run_line(&mut shell, line, false)
            }
            None => {
                eprintln!("drydock: -c: option requires an argument");
                2
            }
        },
        Some(flag) if flag.starts_with('-') => {
            eprintln!("drydock: {flag}: invalid option\n\n{USAGE}");
            2
        }
        Some(file) => {
            let src = match std::fs::read_to_string(file) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("drydock: {file}: {}", crate::shell::exec::io_message(&e));
                    return 127;
                }
            };
            let mut shell = Shell::host(&engine);
            shell.state.name = file.to_string();
            shell.state.args = rest[1..].to_vec();
            repl::run_line(&mut shell, &src, false)
        }
        // The shell is the host: starting it boots the daemon, leaving it shuts it down.
        None if std::io::stdin().is_terminal() => repl::run(engine),
        None => {
            let mut src = String::new();
            if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut src) {
                eprintln!("drydock: reading the script from stdin: {e}");
                return 1;
            }
            let mut shell = Shell::host(&engine);
            repl::run_line(&mut shell, &src, false)
        }
    }
}

fn docker(engine: &Engine, args: &[String]) -> i32 {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let stdin_tty = stdin.is_terminal();
    let stdout_tty = stdout.is_terminal();
    let mut inp = stdin.lock();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut err = std::io::stderr();
    let env = |k: &str| std::env::var(k).ok();
    let mut io = cli::Io {
        stdin: &mut inp,
        stdout: &mut out,
        stderr: &mut err,
        stdin_tty,
        stdout_tty,
        env: &env,
        paths: &cli::ProcessPaths,
    };
    let code = cli::docker(engine, args, &mut io);
    let _ = out.flush();
    code
}

/// `drydock scenario run|record`.
fn scenario(args: &[String]) -> i32 {
    use crate::lab::scenario;
    let mut out = std::io::stdout();
    match args.first().map(String::as_str) {
        Some("run") if args.len() > 1 => {
            let paths: Vec<PathBuf> = args[1..].iter().map(PathBuf::from).collect();
            match scenario::run_paths(&paths, &crate::shell::session::HostSessions, &mut out) {
                Ok(summary) if summary.ok() => 0,
                Ok(_) => 1,
                Err(e) => {
                    eprintln!("drydock: {e}");
                    1
                }
            }
        }
        Some("record") if args.len() == 3 && (args[1] == "--docker" || args[1] == "--drydock") => {
            let path = PathBuf::from(&args[2]);
            let result = if args[1] == "--docker" {
                scenario::record_docker(&path, &mut out)
            } else {
                scenario::record_drydock(&path, &crate::shell::session::HostSessions)
            };
            match result {
                Ok(r) => {
                    println!(
                        "recorded {} ({} steps, {} changed)",
                        path.display(),
                        r.steps,
                        r.changed
                    );
                    0
                }
                Err(e) => {
                    eprintln!("drydock: {e}");
                    1
                }
            }
        }
        _ => {
            eprintln!(
                "drydock: usage: drydock scenario run PATH... | drydock scenario record --docker|--drydock PATH"
            );
            2
        }
    }
}

/// Boots the daemon as a host does at start; a daemon.json it cannot use is reported (the
/// shell still starts; docker commands then say the daemon is not running).
pub fn boot_daemon(engine: &Engine) {
    if engine.daemon_status() == engine::runtime::DaemonStatus::Running {
        return;
    }
    if let Err(e) = engine.daemon_boot() {
        eprintln!("drydock: the Docker daemon did not start: {e}");
    }
}

/// The hidden entry of a container's supervisor: `drydock __container-shim ID [--delay-ms=N]
/// [--hold]`.
fn container_shim(engine: &Engine, args: &[String]) -> i32 {
    let Some(id) = args.first() else {
        eprintln!("drydock: __container-shim needs a container ID");
        return 2;
    };
    let delay = args
        .iter()
        .find_map(|a| a.strip_prefix("--delay-ms="))
        .and_then(|n| n.parse::<u64>().ok())
        .map(std::time::Duration::from_millis);
    engine.shim_main(id, delay, args.iter().any(|a| a == "--hold"))
}

/// The hidden entry a container's processes start with: `drydock __container-init SPEC.json`.
fn container_init(spec: Option<&String>) -> i32 {
    use crate::engine::runtime::spec::{ProcessSpec, status};
    let Some(path) = spec else {
        eprintln!("drydock: __container-init needs a process spec");
        return status::CANNOT_INVOKE;
    };
    let spec: ProcessSpec = match std::fs::read(path)
        .map_err(|e| e.to_string())
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
    {
        Ok(s) => s,
        Err(e) => {
            eprintln!("drydock: process spec {path}: {e}");
            return status::CANNOT_INVOKE;
        }
    };
    crate::shell::applets::init::run(&spec)
}
