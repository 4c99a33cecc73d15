//! Front ends. `drydock docker ARGS…` runs one docker command with Docker's output and exit
//! status; `--home DIR` (or `DRYDOCK_HOME`) picks the state root. The shell, scripts and scenario
//! replay arrive with the shell issue.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use crate::cli;
use crate::engine::{self, Engine};

const USAGE: &str = "drydock: a Docker 20.10 exam lab in one binary

Usage:
  drydock [--home DIR] docker ARGS...   run one docker command (output and exit status as Docker's)

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
    match rest.first().map(String::as_str) {
        Some("docker") => {
            let engine = match Engine::open(&home) {
                Ok(e) => e,
                Err(e) => {
                    eprintln!("drydock: cannot open the store at {}: {e}", home.display());
                    return 1;
                }
            };
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
            };
            let code = cli::docker(&engine, &rest[1..], &mut io);
            let _ = out.flush();
            code
        }
        Some("--help") | Some("-h") | Some("help") | None => {
            print!("{USAGE}");
            0
        }
        Some(other) => {
            eprintln!("drydock: unknown command '{other}'\n\n{USAGE}");
            2
        }
    }
}
