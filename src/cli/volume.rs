//! `docker volume ls|create|rm|inspect|prune`: Docker 20.10's local volumes, as its CLI prints
//! them (the engine side is `engine::runtime::volumes`).

use super::args::{Flag, Kind, Parsed};
use super::commands::{flag, with_default};
use super::{CmdResult, Fail, Io};
use crate::engine::Engine;
use crate::engine::filters::Filters;
use crate::engine::runtime::volumes::VolumeError;

/// The `docker volume` group's listing, as Docker prints it.
pub const VOLUME_GROUP: &[(&str, &str)] = &[
    ("create", "Create a volume"),
    (
        "inspect",
        "Display detailed information on one or more volumes",
    ),
    ("ls", "List volumes"),
    ("prune", "Remove all unused local volumes"),
    ("rm", "Remove one or more volumes"),
];

pub const VOLUME_LS_FLAGS: &[Flag] = &[
    flag(
        "filter",
        Some('f'),
        Kind::List,
        "filter",
        "Provide filter values (e.g. 'dangling=true')",
    ),
    flag(
        "format",
        None,
        Kind::Str,
        "string",
        "Pretty-print volumes using a Go template",
    ),
    flag(
        "quiet",
        Some('q'),
        Kind::Bool,
        "",
        "Only display volume names",
    ),
];

pub const VOLUME_CREATE_FLAGS: &[Flag] = &[
    with_default(
        flag(
            "driver",
            Some('d'),
            Kind::Str,
            "string",
            "Specify volume driver name",
        ),
        "\"local\"",
    ),
    flag(
        "label",
        None,
        Kind::List,
        "list",
        "Set metadata for a volume",
    ),
    with_default(
        flag(
            "opt",
            Some('o'),
            Kind::List,
            "map",
            "Set driver specific options",
        ),
        "map[]",
    ),
];

pub const VOLUME_INSPECT_FLAGS: &[Flag] = &[flag(
    "format",
    Some('f'),
    Kind::Str,
    "string",
    "Format the output using the given Go template",
)];

pub const VOLUME_RM_FLAGS: &[Flag] = &[flag(
    "force",
    Some('f'),
    Kind::Bool,
    "",
    "Force the removal of one or more volumes",
)];

pub const VOLUME_PRUNE_FLAGS: &[Flag] = &[
    flag(
        "filter",
        None,
        Kind::List,
        "filter",
        "Provide filter values (e.g. 'label=<label>')",
    ),
    flag(
        "force",
        Some('f'),
        Kind::Bool,
        "",
        "Do not prompt for confirmation",
    ),
];

fn out(io: &mut Io<'_>, s: &str) {
    let _ = io.stdout.write_all(s.as_bytes());
}

fn fail(e: VolumeError) -> Fail {
    match e {
        VolumeError::NoSuch(_) => Fail::plain(format!("Error: {e}")),
        _ => Fail::daemon(e),
    }
}

pub(super) fn ls(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let mut filters = Filters::new();
    for v in p.list("filter") {
        filters
            .add_flag(&v)
            .map_err(|e| Fail::plain(e.to_string()))?;
    }
    filters
        .validate(&["dangling", "driver", "label", "name"])
        .map_err(Fail::daemon)?;
    let dangling = filters.get("dangling");
    for d in &dangling {
        if !matches!(*d, "true" | "false" | "1" | "0") {
            return Err(Fail::daemon(format!("Invalid filter 'dangling={d}'")));
        }
    }
    let mut rows = Vec::new();
    for v in engine.volume_list() {
        if let Some(d) = dangling.first() {
            let unused = engine.volume_users(&v.name).is_empty();
            if unused != matches!(*d, "true" | "1") {
                continue;
            }
        }
        let name_ok = filters.get("name").is_empty()
            || filters.get("name").iter().any(|n| v.name.contains(n));
        if !name_ok || !filters.exact_match("driver", "local") || filters.contains("label") {
            continue;
        }
        rows.push(v.name);
    }
    if p.bool("quiet") {
        for n in rows {
            out(io, &format!("{n}\n"));
        }
        return Ok(0);
    }
    out(io, "DRIVER    VOLUME NAME\n");
    for n in rows {
        out(io, &format!("local     {n}\n"));
    }
    Ok(0)
}

pub(super) fn create(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let driver = p.str("driver").unwrap_or("local");
    if driver != "local" {
        return Err(Fail::daemon(format!(
            "create {}: error looking up volume plugin {driver}: plugin \"{driver}\" not found",
            p.args.first().map(String::as_str).unwrap_or("")
        )));
    }
    let name = engine
        .volume_create(p.args.first().map(String::as_str))
        .map_err(fail)?;
    out(io, &format!("{name}\n"));
    Ok(0)
}

pub(super) fn inspect(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for arg in &p.args {
        match engine.volume_get(arg) {
            Ok(v) => found.push(v.to_json()),
            Err(e) => errors.push(format!("Error: {e}")),
        }
    }
    super::image::print_inspect(io, p, &found)?;
    if errors.is_empty() {
        Ok(0)
    } else {
        let _ = writeln!(io.stderr, "{}", errors.join("\n"));
        Ok(1)
    }
}

pub(super) fn rm(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let mut errors = Vec::new();
    for arg in &p.args {
        match engine.volume_remove(arg, p.bool("force")) {
            Ok(()) => out(io, &format!("{arg}\n")),
            Err(e) => errors.push(fail(e).message),
        }
    }
    if errors.is_empty() {
        Ok(0)
    } else {
        Err(Fail::plain(errors.join("\n")))
    }
}

pub(super) fn prune(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    if !p.bool("force")
        && !super::container::confirm(
            io,
            "WARNING! This will remove all local volumes not used by at least one container.",
        )
    {
        out(io, "Total reclaimed space: 0B\n");
        return Ok(0);
    }
    let mut filters = Filters::new();
    for v in p.list("filter") {
        filters
            .add_flag(&v)
            .map_err(|e| Fail::plain(e.to_string()))?;
    }
    filters
        .validate(&["label", "label!"])
        .map_err(Fail::daemon)?;
    if filters.contains("label") {
        // No volume carries labels here: `label=` matches none.
        out(io, "Total reclaimed space: 0B\n");
        return Ok(0);
    }
    let (deleted, space) = engine.volume_prune();
    if !deleted.is_empty() {
        out(io, "Deleted Volumes:\n");
        for n in &deleted {
            out(io, &format!("{n}\n"));
        }
        out(io, "\n");
    }
    out(
        io,
        &format!(
            "Total reclaimed space: {}\n",
            super::format::human::human_size(space as i64)
        ),
    );
    Ok(0)
}
