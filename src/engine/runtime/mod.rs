//! Containers: records, lifecycle, real processes, restart policies, logs.
//!
//! STUB: the process-spec contract ([`spec`]) is fixed; the rest is being built.
//!
//! ```text
//!            create            start                exit / kill / stop
//!   (none) ─────────► created ───────► running ─────────────────────────► exited
//!                                       │  ▲  pause/unpause                │
//!                                       ▼  │                               │ start / restart policy
//!                                      paused                              ▼
//!                                                                        running …
//!   rm (-f when running) removes the container in any state.
//! ```

pub mod spec;
