//! The Docker engine: image store, offline hub, distribution. It never prints, never reads the
//! terminal and never imports the CLI; it returns typed values shaped like the Engine API's JSON.

pub mod clock;
pub mod digest;
pub mod distribution;
pub mod error;
pub mod filters;
pub mod hub;
pub mod image;
pub mod oci;
pub mod reference;

pub use error::{Error, ErrorKind, Result};
