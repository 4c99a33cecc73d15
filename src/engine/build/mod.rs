//! `docker build` with Docker 20.10's classic builder (`DOCKER_BUILDKIT=0`): the Dockerfile is
//! parsed ([`parser`], [`instruction`]), each instruction is dispatched in order ([`dispatch`],
//! one function per instruction) and committed as an intermediate image whose parent is the
//! previous step's image, the cache ([`cache`]) reuses earlier images, and the context
//! ([`context`]) is read in place through `.dockerignore`; a git context ([`git`]) is cloned first.
//!
//! Vocabulary, as moby's: the *run config* is the container config the stage accumulates
//! (`Env`, `Cmd`, `Labels` …; it becomes each image's `Config`); the *container config* of a
//! step is what the cache compares (`Cmd` holds `#(nop) ENV A=1` for a metadata step, the
//! command for `RUN`); an *intermediate container* runs a `RUN` (a real container: a process
//! confined to a copy of the image's filesystem, whose changes become the layer).
//!
//! The builder never prints: it writes the daemon's build stream ([`BuildMessage`]: the text
//! Docker's stream carries, and pull progress), and the CLI renders it. Errors before the first
//! message are the daemon's (`Error response from daemon: …`); later ones end the stream.
//!
//! Deliberate differences from Docker, each for a stated reason:
//! - Metadata steps (`ENV`, `LABEL` …) print ` ---> Running in <id>` and
//!   `Removing intermediate container <id>` with a fresh random ID but create no container
//!   record: the container is never started in Docker either, and copying a rootfs for it
//!   would cost each step tens of milliseconds. With `--rm=false` Docker would keep them as
//!   `Created` containers; drydock does not.
//! - `COPY`/`ADD` content hashes (`file:<hash>`) are sha256 over each file's mode and bytes
//!   (directories: over their sorted entries), not Docker's tarsum, so the hex differs from
//!   Docker's for the same file; equal content still gives equal hashes (and cache hits).
//!
//! `ADD` extracts local tar archives, plain, gzip, bzip2 or xz, as Docker 20.10 does (a file is an
//! archive when it opens as a tar once decompressed).

pub mod cache;
pub mod context;
mod dispatch;
pub mod git;
pub mod instruction;
pub mod parser;
pub mod shlex;

/// `EXPOSE`'s port words, shared with `--change EXPOSE` (`archive::changes`).
pub(crate) use dispatch::exposed_ports;

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::Engine;
use super::digest::Digest;
use super::error::ErrorKind;
use super::progress::Progress;
use super::reference::Reference;

pub use context::{Context, Ignore, IgnoreError};

/// One message of the build stream.
#[derive(Debug)]
pub enum BuildMessage<'a> {
    /// Text for the client's stdout (step lines, a `RUN`'s output; its stderr already wrapped
    /// in `ESC[91m` … `ESC[0m` as dockerd does).
    Stream(&'a [u8]),
    /// Pull progress of a `FROM` image that was not there.
    Progress(&'a Progress),
}

/// What to build (the CLI has read the flags, the Dockerfile and `.dockerignore`).
#[derive(Debug, Clone, Default)]
pub struct BuildRequest {
    pub context: Context,
    /// The Dockerfile's bytes.
    pub dockerfile: Vec<u8>,
    /// Its path relative to the context (`Dockerfile`), for messages.
    pub dockerfile_name: String,
    /// `-t` references (already checked, with `:latest` added, duplicates removed).
    pub tags: Vec<Reference>,
    /// `--build-arg`: `KEY=VALUE` → `Some(VALUE)`, a bare `KEY` not in the environment → `None`.
    pub build_args: BTreeMap<String, Option<String>>,
    pub labels: BTreeMap<String, String>,
    pub no_cache: bool,
    /// `--cache-from` images (names or IDs).
    pub cache_from: Vec<String>,
    pub pull: bool,
    /// `--rm` (default true) and `--force-rm`.
    pub rm: bool,
    pub force_rm: bool,
    pub squash: bool,
    pub target: Option<String>,
}

/// What went wrong in a build, in Docker's words.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("the Dockerfile ({0}) cannot be empty")]
    EmptyDockerfile(String),
    #[error("failed to parse {name}: {source}")]
    Syntax {
        name: String,
        source: parser::SyntaxError,
    },
    #[error(transparent)]
    Instruction(#[from] instruction::InstructionError),
    #[error("failed to reach build target {0} in Dockerfile")]
    TargetNotFound(String),
    #[error("squash is only supported with experimental mode")]
    SquashNotExperimental,
    #[error("The command '{command}' returned a non-zero code: {code}")]
    NonZero { command: String, code: i32 },
    #[error("{cmd} failed: {message}")]
    CopyFailed { cmd: String, message: String },
    #[error(
        "When using {0} with more than one source file, the destination must be a directory and end with a /"
    )]
    MultiSourceDest(String),
    #[error(
        "the --{0} option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled"
    )]
    BuildKitOnly(String),
    #[error("{0}")]
    Expand(#[from] shlex::ExpandError),
    #[error("base name ({0}) should not be blank")]
    BlankBaseName(String),
    #[error("invalid stage index {0}")]
    StageIndex(i64),
    #[error("No image was generated. Is your Dockerfile empty?")]
    NoImage,
    #[error("Invalid signal: {0}")]
    InvalidSignal(String),
    #[error("{0}")]
    Port(String),
    #[error("unable to convert uid/gid chown string to host mapping: {0}")]
    Chown(String),
    #[error("onbuild trigger should be a single expression")]
    Trigger,
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"{0}\": stat {0}: no such file or directory: unknown"
    )]
    NoShell(String),
}

impl BuildError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            BuildError::Io { .. } | BuildError::NonZero { .. } | BuildError::NoShell(_) => {
                ErrorKind::Internal
            }
            BuildError::CopyFailed { .. } => ErrorKind::NotFound,
            _ => ErrorKind::InvalidArgument,
        }
    }

    /// The exit status docker/cli ends with: a failing `RUN`'s own code, else 1.
    pub fn exit_code(&self) -> i32 {
        match self {
            BuildError::NonZero { code, .. } if *code != 0 => *code,
            _ => 1,
        }
    }
}

pub(crate) fn io_at(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> BuildError {
    let path = path.into();
    move |source| BuildError::Io { path, source }
}

impl Engine {
    /// `docker build`: builds `req` writing the daemon's stream to `out`; returns the image ID.
    pub fn build(
        &self,
        req: &BuildRequest,
        out: &mut dyn FnMut(BuildMessage<'_>),
    ) -> super::Result<Digest> {
        dispatch::Builder::run(self, req, out)
    }
}
