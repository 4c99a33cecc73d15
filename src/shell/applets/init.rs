//! A container's init: drydock re-executed as `drydock __container-init SPEC.json` runs the
//! spec's command confined to the container's rootfs. STUB: being written.

use crate::engine::runtime::spec::{ProcessSpec, status};

/// Runs the process described by `spec` on the process's own stdio; returns its exit status.
pub fn run(spec: &ProcessSpec) -> i32 {
    eprintln!(
        "drydock: containers are not available yet ({})",
        spec.args.join(" ")
    );
    status::NOT_FOUND
}
