//! drydock: a Docker 20.10 exam lab in one binary.
//!
//! Module map (see `DESIGN.md` in the shared folder for the contracts):
//! - [`engine`]: the Docker engine (store, hub, distribution); never prints.
//! - [`cli`]: the `docker` command line over the engine.
//! - [`app`]: the front ends (`drydock docker …`).

pub mod app;
pub mod cli;
pub mod engine;
pub mod lab;
pub mod shell;
pub mod testing;
