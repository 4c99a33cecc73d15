//! drydock: a Docker 20.10 exam lab in one binary.
//!
//! Module map (see `DESIGN.md` in the shared folder for the contracts):
//! - [`engine`]: the Docker engine (store, hub, distribution); never prints.
//! - [`cli`]: the `docker` command line over the engine.
//! - [`shell`]: the shell language, the confined virtual host, the host builtins.
//! - [`repl`]: the interactive terminal (rustyline).
//! - [`lab`]: scenario replay (and, later, labs and grading).
//! - [`testing`]: the test harness shared by unit and integration tests.
//! - [`app`]: the front ends (REPL, `-c`, scripts, `drydock docker …`, `drydock scenario …`).

pub mod app;
pub mod cli;
pub mod engine;
pub mod lab;
pub mod repl;
pub mod shell;
pub mod testing;
