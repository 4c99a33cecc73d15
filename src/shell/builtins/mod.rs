//! The host's commands: coreutils-like builtins and `docker`, in one table sorted by name.
//!
//! Each command is a [`CommandFn`](crate::shell::CommandFn) in a file of its own or of its small
//! family. Every path a command touches goes through [`Root::resolve`](crate::shell::fs::Root),
//! and messages show paths as the user typed them. Output and error texts follow GNU coreutils,
//! grep and tar (in a UTF-8 locale: some messages use ‘’ quotes, as coreutils' do) and bash for
//! the shell builtins, whose messages start with `drydock:` where bash's start with `bash:`.
//! Shared parsing and quoting live in `util`.

mod cat;
mod curl;
mod docker;
mod echo;
mod env;
mod files;
mod find;
mod grep;
mod headtail;
mod ident;
mod ls;
mod misc;
mod nav;
mod sha256sum;
mod systemctl;
mod tar;
#[cfg(test)]
pub(crate) mod testkit;
mod text;
mod trap;
mod util;
mod wc;
mod which;

use super::{CommandDef, Commands};

/// The host shell's command table.
pub struct Host;

const fn def(name: &'static str, summary: &'static str, run: super::CommandFn) -> CommandDef {
    CommandDef { name, summary, run }
}

/// Sorted by name (a test checks), so `help` and completion list them in order.
#[rustfmt::skip]
const HOST: &[CommandDef] = &[
    def("basename", "strip directory and suffix from a file name", misc::basename),
    def("cat", "concatenate files and print them", cat::cat),
    def("cd", "change the working directory", nav::cd),
    def("clear", "clear the terminal screen", misc::clear),
    def("cp", "copy files and directories", files::cp),
    def("curl", "transfer a URL (HTTP GET to the host's ports)", curl::curl),
    def("cut", "print selected fields or characters of lines", text::cut),
    def("date", "print the date and time", misc::date),
    def("dirname", "strip the last component from a file name", misc::dirname),
    def("docker", "Docker 20.10's command line (drydock's engine)", docker::run),
    def("echo", "print arguments", echo::echo),
    def("env", "print the environment, or run a command in a changed one", env::env),
    def("exit", "leave the shell", misc::exit),
    def("export", "mark variables for commands' environments", env::export),
    def("false", "do nothing, unsuccessfully", misc::false_),
    def("find", "search for files by name and type", find::find),
    def("grep", "print lines that match a pattern", grep::grep),
    def("head", "print the first lines of files", headtail::head),
    def("help", "list the shell's commands", which::help),
    def("history", "list the lines entered so far", misc::history),
    def("hostname", "print the host's name", misc::hostname),
    def("id", "print user and group ids", ident::id),
    def("ln", "make links between files", files::ln),
    def("ls", "list directory contents", ls::ls),
    def("mkdir", "make directories", files::mkdir),
    def("mv", "move or rename files", files::mv),
    def("printf", "format and print arguments", echo::printf),
    def("pwd", "print the working directory", nav::pwd),
    def("rm", "remove files or directories", files::rm),
    def("rmdir", "remove empty directories", files::rmdir),
    def("service", "run a System V init script (docker)", systemctl::service),
    def("sha256sum", "print or check SHA-256 digests", sha256sum::sha256sum),
    def("sleep", "wait for some seconds", misc::sleep),
    def("sort", "sort lines", text::sort),
    def("systemctl", "control the docker service", systemctl::systemctl),
    def("tail", "print the last lines of files", headtail::tail),
    def("tar", "create, list or extract tar archives", tar::tar),
    def("tee", "copy stdin to stdout and files", cat::tee),
    def("touch", "create files or update their times", files::touch),
    def("trap", "run a command when the shell receives a signal", trap::trap),
    def("true", "do nothing, successfully", misc::true_),
    def("type", "tell how a name would be run", which::type_),
    def("uniq", "fold repeated adjacent lines", text::uniq),
    def("unset", "remove variables", env::unset),
    def("wc", "count lines, words and bytes", wc::wc),
    def("which", "locate a command", which::which),
    def("whoami", "print the user's name", ident::whoami),
];

impl Commands for Host {
    fn find(&self, name: &str) -> Option<&CommandDef> {
        HOST.binary_search_by(|c| c.name.cmp(name))
            .ok()
            .map(|i| &HOST[i])
    }
    fn all(&self) -> Vec<&CommandDef> {
        HOST.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        for pair in HOST.windows(2) {
            assert!(
                pair[0].name < pair[1].name,
                "{} before {}",
                pair[0].name,
                pair[1].name
            );
        }
        assert!(Host.find("docker").is_some());
        assert!(Host.find("nope").is_none());
    }
}
