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
//! Terminals ([`tty`]): a `-t` container started detached runs on a pseudo-terminal whose master
//! its supervisor holds and serves on `containers/<id>/attach.sock`; `docker run -it` is `create`,
//! then a start whose supervisor holds the first output, then a client session on that socket, so
//! Ctrl-P Ctrl-Q (recognised by the client, which then just closes) leaves the container running
//! and `docker attach` reconnects. `docker exec -it` runs on a pty of its own that the exec call
//! relays. Containers without `-t` keep pipes; a detached one's supervisor serves them on the same
//! socket (stdout and stderr frames, input to its stdin when `-i`), so `attach` streams them live
//! (a container run in the foreground by another `docker run` is followed through its log). A
//! `docker run` that must be able to leave its container running (`--sig-proxy=false`) starts it
//! under a supervisor too, which holds its output until the client has connected. Signals reach
//! the container's process group; its init applies PID 1's rules to them
//! (`shell::applets::signals`). The container's user ([`user`]: `-u`, the image's `USER`,
//! `exec -u`, `--group-add`) is resolved in its rootfs's `/etc/passwd` and `/etc/group` when a
//! process starts, as dockerd and runc do, and handed to the init in the process spec.
//! Volumes ([`volumes`]) live in `volumes/<name>/_data`; the init shows them at their
//! destinations through the confined root's mount table. A container's network ([`network`])
//! is one of Docker's built-in three, or another container's; only the bridge gives it an
//! address and published ports.
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
pub mod health;
pub mod inspect;
pub mod launch;
pub mod logs;
pub mod names;
pub mod network;
pub mod ops;
pub mod record;
pub mod restart;
pub mod spec;
pub mod supervise;
pub mod sys;
pub mod tty;
pub mod user;
pub mod volumes;

pub use create::CreateRequest;
pub use daemon::{BootReport, DaemonStatus, running_daemon_driver};
pub use error::RuntimeError;
pub use exec::ExecRequest;
pub use inspect::{ContainerSummary, ListOptions};
pub use launch::{InitMode, Settings};
pub use record::{Container, ContainerStore};
pub use restart::RestartPolicy;
pub use supervise::Attach;
