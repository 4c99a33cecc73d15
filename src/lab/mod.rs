//! Labs and scenarios: files that drive drydock through shell lines and say what must come out.
//!
//! This module owns the *file formats* and the *replay* of what they describe. Today that is
//! [`scenario`]: transcripts of shell lines with their expected stdout, stderr and exit status,
//! replayed against a fresh engine (`drydock scenario run`, `cargo test`) or recorded from real
//! Docker (`drydock scenario record --docker`). The graded lab format (`labs/*.yaml`, see the lab
//! format sketch in the shared reference folder) grows out of it: a lab's setup, solution and
//! attempts are scenarios with a grade at the end.
//!
//! What it must not touch: the engine's internals (it opens an [`Engine`](crate::engine::Engine)
//! and nothing else) and the CLI's text (expectations are data in the files, never code). The
//! shell is reached through one adaptor, [`scenario::host`], so the runner itself only knows the
//! small [`scenario::LineRunner`] trait.

pub mod scenario;
