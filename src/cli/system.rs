//! `docker info`, `docker version`, `docker system df` and `docker system prune`: Docker
//! 20.10.24's layouts (recorded from a real 20.10.24 engine), with drydock's engine behind them.
//! Host facts (kernel, CPUs, memory) are the machine's; the rest is what a stock Linux host with
//! Docker 20.10.24 on overlay2 shows.

use super::args::{Flag, Kind, Parsed};
use super::commands::flag;
use super::format::human::{human_size, human_size3};
use super::{CmdResult, Fail, Io};
use crate::engine::Engine;
use crate::engine::filters::Filters;

pub const VERSION: &str = "20.10.24";
pub const API_VERSION: &str = "1.41";
pub const GO_VERSION: &str = "go1.19.8";

pub const INFO_FLAGS: &[Flag] = &[flag(
    "format",
    Some('f'),
    Kind::Str,
    "string",
    "Format the output using the given Go template",
)];

pub const VERSION_FLAGS: &[Flag] = &[flag(
    "format",
    Some('f'),
    Kind::Str,
    "string",
    "Format the output using the given Go template",
)];

pub const DF_FLAGS: &[Flag] = &[
    flag(
        "format",
        None,
        Kind::Str,
        "string",
        "Pretty-print images using a Go template",
    ),
    flag(
        "verbose",
        Some('v'),
        Kind::Bool,
        "",
        "Show detailed information on space usage",
    ),
];

pub const SYSTEM_PRUNE_FLAGS: &[Flag] = &[
    flag(
        "all",
        Some('a'),
        Kind::Bool,
        "",
        "Remove all unused images not just dangling ones",
    ),
    flag(
        "filter",
        None,
        Kind::List,
        "filter",
        "Provide filter values (e.g. 'label=<key>=<value>')",
    ),
    flag(
        "force",
        Some('f'),
        Kind::Bool,
        "",
        "Do not prompt for confirmation",
    ),
    flag("volumes", None, Kind::Bool, "", "Prune volumes"),
];

/// The `docker system` group's listing.
pub const SYSTEM_GROUP: &[(&str, &str)] = &[
    ("df", "Show docker disk usage"),
    ("events", "Get real time events from the server"),
    ("info", "Display system-wide information"),
    ("prune", "Remove unused data"),
];

fn out(io: &mut Io<'_>, s: &str) {
    let _ = io.stdout.write_all(s.as_bytes());
}

fn read_first_line(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|s| s.lines().next().map(|l| l.trim().to_string()))
}

/// `PRETTY_NAME` of an os-release file.
fn pretty_name(path: &std::path::Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines().find_map(|l| {
        l.strip_prefix("PRETTY_NAME=")
            .map(|v| v.trim_matches('"').to_string())
    })
}

fn total_memory() -> String {
    let kb: u64 = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0);
    // go-units BytesSize: binary units, 4 significant digits.
    let mut v = (kb * 1024) as f64;
    let units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut i = 0;
    while v >= 1024.0 && i < units.len() - 1 {
        v /= 1024.0;
        i += 1;
    }
    format!("{}{}", super::format::human::format_g(v, Some(4)), units[i])
}

/// A stable daemon ID in dockerd's shape (12 groups of 4 base-32 characters), from the home.
fn daemon_id(engine: &Engine) -> String {
    let digest =
        crate::engine::digest::Digest::of(engine.paths().home().to_string_lossy().as_bytes());
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let bytes = digest.hex().as_bytes().to_vec();
    let chars: Vec<char> = bytes
        .iter()
        .take(48)
        .map(|b| alphabet[(*b as usize) % 32] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(":")
}

pub(super) fn info(engine: &Engine, _p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let cfg = engine.check_daemon_config().unwrap_or_default();
    let containers = engine.containers().list();
    let running = containers
        .iter()
        .filter(|c| c.state.running && !c.state.paused)
        .count();
    let paused = containers.iter().filter(|c| c.state.paused).count();
    let stopped = containers.len() - running - paused;
    let images = engine.image_store().ids().map(|v| v.len()).unwrap_or(0);
    let driver = engine.paths().driver().to_string();
    let kernel = read_first_line("/proc/sys/kernel/osrelease").unwrap_or_default();
    let os = pretty_name(&engine.paths().home().join("etc/os-release"))
        .or_else(|| pretty_name(std::path::Path::new("/etc/os-release")))
        .unwrap_or_else(|| "Linux".into());
    let cpus = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let debug = if cfg.debug { "true" } else { "false" };
    let mut s = String::new();
    s.push_str("Client:\n Context:    default\n");
    s.push_str(&format!(" Debug Mode: {debug}\n\nServer:\n"));
    s.push_str(&format!(
        " Containers: {}\n  Running: {running}\n  Paused: {paused}\n  Stopped: {stopped}\n",
        containers.len()
    ));
    s.push_str(&format!(" Images: {images}\n Server Version: {VERSION}\n"));
    s.push_str(&format!(" Storage Driver: {driver}\n"));
    match driver.as_str() {
        "overlay2" => s.push_str(
            "  Backing Filesystem: extfs\n  Supports d_type: true\n  Native Overlay Diff: true\n  userxattr: false\n",
        ),
        "vfs" => {}
        "devicemapper" => s.push_str(
            "  Pool Name: docker-thinpool\n  Backing Filesystem: extfs\n  Data file: \n  Metadata file: \n",
        ),
        _ => s.push_str("  Backing Filesystem: extfs\n"),
    }
    s.push_str(" Logging Driver: json-file\n Cgroup Driver: cgroupfs\n Cgroup Version: 1\n");
    s.push_str(" Plugins:\n  Volume: local\n  Network: bridge host ipvlan macvlan null overlay\n");
    s.push_str(
        "  Log: awslogs fluentd gcplogs gelf journald json-file local logentries splunk syslog\n",
    );
    s.push_str(
        " Swarm: inactive\n Runtimes: io.containerd.runc.v2 io.containerd.runtime.v1.linux runc\n",
    );
    s.push_str(" Default Runtime: runc\n Init Binary: docker-init\n");
    s.push_str(" containerd version: 2806fc1057397dbaeefbea0e4e17bddfbd388f38\n");
    s.push_str(" runc version: v1.1.5-0-gf19387a\n init version: de40ad0\n");
    s.push_str(" Security Options:\n  seccomp\n   Profile: default\n");
    s.push_str(&format!(
        " Kernel Version: {kernel}\n Operating System: {os}\n"
    ));
    s.push_str(" OSType: linux\n Architecture: x86_64\n");
    s.push_str(&format!(
        " CPUs: {cpus}\n Total Memory: {}\n Name: drydock\n ID: {}\n",
        total_memory(),
        daemon_id(engine)
    ));
    s.push_str(&format!(
        " Docker Root Dir: /var/lib/docker\n Debug Mode: {debug}\n Registry: https://index.docker.io/v1/\n Labels:\n"
    ));
    s.push_str(&format!(
        " Experimental: {}\n Insecure Registries:\n",
        cfg.experimental
    ));
    for r in &cfg.insecure_registries {
        s.push_str(&format!("  {r}\n"));
    }
    s.push_str("  127.0.0.0/8\n Live Restore Enabled: false\n\n");
    out(io, &s);
    Ok(0)
}

/// The client half of `docker version`.
fn client_version() -> String {
    format!(
        "Client:\n Version:           {VERSION}\n API version:       {API_VERSION}\n Go version:        {GO_VERSION}\n Git commit:        297e128\n Built:             Tue Apr  4 18:21:03 2023\n OS/Arch:           linux/amd64\n Context:           default\n Experimental:      true\n"
    )
}

/// `docker version`: the client section always; the server section, or the daemon error.
pub(super) fn version(engine: &Engine, _p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    out(io, &client_version());
    if super::ensure_daemon(engine, io).is_err() {
        return Ok(1);
    }
    let experimental = engine
        .check_daemon_config()
        .map(|c| c.experimental)
        .unwrap_or(false);
    out(
        io,
        &format!(
            "\nServer: Docker Engine - Community\n Engine:\n  Version:          {VERSION}\n  API version:      {API_VERSION} (minimum version 1.12)\n  Go version:       {GO_VERSION}\n  Git commit:       5d6db84\n  Built:            Tue Apr  4 18:18:42 2023\n  OS/Arch:          linux/amd64\n  Experimental:     {experimental}\n containerd:\n  Version:          1.6.20\n  GitCommit:        2806fc1057397dbaeefbea0e4e17bddfbd388f38\n runc:\n  Version:          1.1.5\n  GitCommit:        v1.1.5-0-gf19387a\n docker-init:\n  Version:          0.19.0\n  GitCommit:        de40ad0\n"
        ),
    );
    Ok(0)
}

pub(super) fn df(engine: &Engine, _p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let images = engine.images(true, &crate::engine::images::ImageFilters::default())?;
    let containers = engine.containers().list();
    let used: std::collections::HashSet<&str> =
        containers.iter().map(|c| c.image.as_str()).collect();
    let mut seen = std::collections::HashSet::new();
    let mut total: i64 = 0;
    let mut reclaim: i64 = 0;
    let mut active = 0;
    for i in &images {
        if !seen.insert(i.id.clone()) {
            continue;
        }
        total += i.size;
        if used.contains(i.id.as_str()) {
            active += 1;
        } else {
            reclaim += i.size;
        }
    }
    let csize: u64 = containers.iter().map(|c| engine.container_rw_size(c)).sum();
    let cactive = containers.iter().filter(|c| c.state.running).count();
    let creclaim: u64 = containers
        .iter()
        .filter(|c| !c.state.running)
        .map(|c| engine.container_rw_size(c))
        .sum();
    let pct = |part: i64, whole: i64| {
        if whole == 0 {
            String::new()
        } else {
            format!(" ({}%)", part * 100 / whole)
        }
    };
    let table = format!(
        "TYPE\tTOTAL\tACTIVE\tSIZE\tRECLAIMABLE\nImages\t{}\t{active}\t{}\t{}{}\nContainers\t{}\t{cactive}\t{}\t{}{}\nLocal Volumes\t0\t0\t0B\t0B\nBuild Cache\t0\t0\t0B\t0B\n",
        seen.len(),
        human_size(total),
        human_size(reclaim),
        pct(reclaim, total),
        containers.len(),
        human_size3(csize as i64),
        human_size3(creclaim as i64),
        pct(creclaim as i64, csize as i64),
    );
    out(io, &super::format::table::tabwrite(&table));
    Ok(0)
}

pub(super) fn prune(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let all = p.bool("all");
    let mut filters = Filters::new();
    for v in p.list("filter") {
        let _ = filters.add_flag(&v);
    }
    if p.bool("volumes") && filters.contains("until") {
        return Err(Fail::plain(
            "ERROR: The \"until\" filter is not supported with \"--volumes\"",
        ));
    }
    if !p.bool("force") {
        let mut warning = String::from(
            "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n",
        );
        if p.bool("volumes") {
            warning.push_str("  - all volumes not used by at least one container\n");
        }
        if all {
            warning.push_str(
                "  - all images without at least one container associated to them\n  - all build cache\n",
            );
        } else {
            warning.push_str("  - all dangling images\n  - all dangling build cache\n");
        }
        if !super::container::confirm(io, &warning) {
            return Ok(0);
        }
    }
    let (mut space, text) = super::container::prune_containers(engine, &filters)?;
    if !text.is_empty() {
        out(io, &format!("{text}\n"));
    }
    if p.bool("volumes") {
        let (deleted, reclaimed) = engine.volume_prune(&filters).map_err(Fail::daemon)?;
        if !deleted.is_empty() {
            out(io, &format!("Deleted Volumes:\n{}\n\n", deleted.join("\n")));
        }
        space += reclaimed;
    }
    let mut image_filters = crate::engine::images::ImageFilters::default();
    for v in p.list("filter") {
        let _ = image_filters.add_flag(&v);
    }
    if all {
        image_filters.add("dangling", "false");
    }
    let report = engine.images_prune(&image_filters).map_err(Fail::daemon)?;
    if !report.deleted.is_empty() {
        let mut s = String::from("Deleted Images:\n");
        for it in &report.deleted {
            match it {
                crate::engine::api::DeleteItem::Untagged(x) => {
                    s.push_str(&format!("untagged: {x}\n"))
                }
                crate::engine::api::DeleteItem::Deleted(x) => {
                    s.push_str(&format!("deleted: {x}\n"))
                }
            }
        }
        out(io, &format!("{s}\n"));
    }
    space += report.space_reclaimed;
    out(
        io,
        &format!("Total reclaimed space: {}\n", human_size(space as i64)),
    );
    Ok(0)
}
