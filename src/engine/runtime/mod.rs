//! Containers: records, lifecycle, real processes, restart policies, logs, and the daemon's life.
//!
//! A container is a record under `var/lib/docker/containers/<id>/` ([`record`]), a writable copy
//! of its image's filesystem under `var/lib/docker/<driver>/<mount id>/merged` ([`create`]), and,
//! while it runs, a real process group: drydock's init ([`spec`] is the contract) watched by a
//! supervisor ([`supervise`]) that logs its output ([`logs`]), records its exit and applies its
//! restart policy ([`restart`], pure). Operations ([`ops`], [`exec`], [`commit`]) change records
//! under the containers lock and signal processes through [`sys::Sys`]. The daemon's boot and
//! shutdown are in [`daemon`]. This module never prints; the CLI words everything.
//!
//! ```text
//!            create            start                 exit / kill / stop
//!   (none) ─────────► created ───────► running ──────────────────────────► exited
//!                                       │  ▲  pause/unpause       │ policy    │ start / daemon
//!                                       ▼  │                      ▼           │ boot (policy)
//!                                      paused                restarting ──────┘
//!                                                            (back-off, then running)
//!   rm (-f when running) removes the container in any state.
//! ```

pub mod commit;
pub mod create;
pub mod daemon;
pub mod error;
pub mod exec;
pub mod inspect;
pub mod launch;
pub mod logs;
pub mod names;
pub mod ops;
pub mod record;
pub mod restart;
pub mod spec;
pub mod supervise;
pub mod sys;
pub mod volumes;

pub use create::CreateRequest;
pub use daemon::{BootReport, DaemonStatus};
pub use error::RuntimeError;
pub use exec::ExecRequest;
pub use inspect::{ContainerSummary, ListOptions};
pub use launch::{InitMode, Settings};
pub use record::{Container, ContainerStore};
pub use restart::RestartPolicy;
pub use supervise::Attach;
