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

/// The text coreutils print for an I/O error (`No such file or directory`), without Rust's
/// `(os error 2)` suffix.
pub fn io_error_text(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "No such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "Permission denied".into(),
        std::io::ErrorKind::IsADirectory => "Is a directory".into(),
        std::io::ErrorKind::NotADirectory => "Not a directory".into(),
        std::io::ErrorKind::AlreadyExists => "File exists".into(),
        std::io::ErrorKind::DirectoryNotEmpty => "Directory not empty".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}
