//! The offline Docker Hub (`docker.io`): a built-in catalog of repositories whose images are
//! synthesised deterministically, served through the [`Registry`](super::distribution::Registry)
//! interface, with search metadata and content-trust signatures.
