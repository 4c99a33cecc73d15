//! The Docker engine: image store, offline hub, distribution. It never prints, never reads the
//! terminal and never imports the CLI; it returns typed values shaped like the Engine API's JSON.

pub mod clock;
pub mod content;
pub mod digest;
pub mod distribution;
pub mod error;
pub mod fsutil;
pub mod hub;
pub mod image;
pub mod lock;
pub mod oci;
pub mod paths;
pub mod reference;

pub use error::{Error, ErrorKind, Result};
