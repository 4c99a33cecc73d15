//! The host's commands: coreutils-like builtins and `docker`. STUB: the table grows here.

mod docker;

use super::{CommandDef, Commands};

/// The host shell's command table.
pub struct Host;

const HOST: &[CommandDef] = &[CommandDef {
    name: "docker",
    summary: "Docker 20.10's command line (drydock's engine)",
    run: docker::run,
}];

impl Commands for Host {
    fn find(&self, name: &str) -> Option<&CommandDef> {
        HOST.iter().find(|c| c.name == name)
    }
    fn all(&self) -> Vec<&CommandDef> {
        HOST.iter().collect()
    }
}
