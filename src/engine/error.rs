//! The engine's errors: one enum per area, gathered in [`Error`], each classified by [`ErrorKind`].
//!
//! The kind is moby's `errdefs` as an enum: the CLI turns it into exit codes and Docker's prefixes,
//! a registry server into HTTP statuses. The `Display` text of every variant is Docker's wording,
//! without the `Error response from daemon: ` prefix (the CLI adds that).

use super::archive::ArchiveError;
use super::build::BuildError;
use super::digest::DigestError;
use super::distribution::DistributionError;
use super::distribution::pull::PullError;
use super::filters::FilterError;
use super::image::StoreError;
use super::reference::ReferenceError;
use super::runtime::RuntimeError;

/// The class of an error, for exit codes and HTTP statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    NotFound,
    Conflict,
    InvalidArgument,
    Unauthorized,
    Unavailable,
    NotImplemented,
    Internal,
}

/// Any engine error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    #[error(transparent)]
    Digest(#[from] DigestError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Distribution(#[from] DistributionError),
    #[error(transparent)]
    Pull(#[from] PullError),
    #[error(transparent)]
    Filter(#[from] FilterError),
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    #[error(transparent)]
    Runtime(#[from] RuntimeError),
    #[error(transparent)]
    Build(#[from] BuildError),
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Reference(_) | Error::Digest(_) => ErrorKind::InvalidArgument,
            Error::Store(e) => e.kind(),
            Error::Distribution(e) => e.kind(),
            Error::Pull(_) | Error::Filter(_) => ErrorKind::InvalidArgument,
            Error::Archive(e) => e.kind(),
            Error::Runtime(e) => e.kind(),
            Error::Build(e) => e.kind(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
