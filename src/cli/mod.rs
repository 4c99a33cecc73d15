//! The docker command line: Docker's flags, output, errors and exit codes over the engine.

pub mod format;
