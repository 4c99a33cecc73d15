//! The one place where scenario replay meets the drydock shell: a fresh temporary
//! `DRYDOCK_HOME`, an engine on the scenario's clock and seed with the built-in hub, and a host
//! shell whose state (working directory, variables, `$?`) lasts for the whole scenario, like a
//! terminal session.
//!
//! The design keeps `lab` free of `shell` imports so the shell may depend on labs; this adaptor
//! is the exception until the front end hands the runner a [`LineRunner`] factory. Moving it
//! means moving this file, nothing else.

use std::path::Path;
use std::sync::Arc;

use jiff::Timestamp;

use super::compare::Actual;
use super::{LineRunner, ScenarioError};
use crate::engine::Engine;
use crate::engine::clock::{Clock, Rng};
use crate::engine::hub::Hub;
use crate::shell::{Shell, Stdio};

struct HostRunner<'e> {
    shell: Shell<'e>,
}

impl LineRunner for HostRunner<'_> {
    fn run_line(&mut self, line: &str, stdin: &[u8]) -> Actual {
        let mut input = stdin;
        let mut out = Vec::new();
        let mut err = Vec::new();
        let status = self.shell.run(
            line,
            Stdio {
                stdin: &mut input,
                stdout: &mut out,
                stderr: &mut err,
                stdin_tty: false,
                stdout_tty: false,
            },
        );
        Actual {
            stdout: String::from_utf8_lossy(&out).into_owned(),
            stderr: String::from_utf8_lossy(&err).into_owned(),
            status,
        }
    }
}

/// Runs `f` with a host shell over a fresh engine; `f` also gets the temporary home's real path
/// (for the `path` redaction). The home is removed afterwards.
pub fn with_host_shell<R>(
    clock: Timestamp,
    seed: u64,
    f: impl FnOnce(&mut dyn LineRunner, &Path) -> R,
) -> Result<R, ScenarioError> {
    let home = tempfile::Builder::new()
        .prefix(".tmp")
        .tempdir()
        .map_err(|source| ScenarioError::Home { source })?;
    let engine = Engine::open_with(
        home.path(),
        Arc::new(Hub::new()),
        Clock::starting_at(clock),
        Rng::seeded(seed),
    )
    .map_err(|e| ScenarioError::Engine {
        message: e.to_string(),
    })?;
    let mut runner = HostRunner {
        shell: Shell::host(&engine),
    };
    Ok(f(&mut runner, home.path()))
}
