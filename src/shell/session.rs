//! Scenario sessions over the host shell: a fresh temporary `DRYDOCK_HOME`, an engine on the
//! scenario's clock and seed with the built-in hub, and a host shell whose state (working
//! directory, variables, `$?`) lasts for the whole scenario, like a terminal session. The lab
//! runner asks for sessions through [`Sessions`], so `lab` never imports `shell`.

use std::path::Path;
use std::sync::Arc;

use jiff::Timestamp;

use crate::engine::Engine;
use crate::engine::clock::{Clock, Rng};
use crate::engine::hub::Hub;
use crate::lab::scenario::{Actual, LineRunner, ScenarioError, Sessions};
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

/// Sessions of the host shell with the built-in hub.
pub struct HostSessions;

impl Sessions for HostSessions {
    fn with_session(
        &self,
        clock: Timestamp,
        seed: u64,
        f: &mut dyn FnMut(&mut dyn LineRunner, &Path),
    ) -> Result<(), ScenarioError> {
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
        f(&mut runner, home.path());
        // The session's host goes down with it: no container outlives a scenario.
        drop(runner);
        let _ = engine.daemon_shutdown(crate::engine::runtime::DaemonStatus::Down);
        Ok(())
    }
}
