//! Programs that images contain, run by drydock inside a container's rootfs: shells, coreutils,
//! package managers, servers. STUB: being written; [`init`] is the container's first process.

pub mod init;
