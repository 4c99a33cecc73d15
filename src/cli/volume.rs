//! `docker volume ls|create|rm|inspect|prune`: Docker 20.10's local volumes, as its CLI prints
//! them (the engine side, filters included, is `engine::runtime::volumes`). `ls` sorts names in
//! docker/cli's natural order and formats rows as its `volumeContext` (`Label "k"` too).

use std::collections::BTreeMap;

use super::args::{Flag, Kind, Parsed};
use super::commands::{flag, with_default};
use super::format::sortorder::natural_cmp;
use super::format::template::Method;
use super::view::{Row, render};
use super::{CmdResult, Fail, Io};
use crate::engine::Engine;
use crate::engine::filters::Filters;
use crate::engine::runtime::volumes::{VolumeCreate, VolumeError, VolumeInfo, source_of};

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

fn filters_of(p: &Parsed) -> Result<Filters, Fail> {
    Filters::from_flags(p.list("filter")).map_err(|e| Fail::plain(e.to_string()))
}

/// docker/cli's `volumeContext` headers.
const VOLUME_HEADERS: &[(&str, &str)] = &[
    ("Name", "VOLUME NAME"),
    ("Driver", "DRIVER"),
    ("Scope", "SCOPE"),
    ("Mountpoint", "MOUNTPOINT"),
    ("Labels", "LABELS"),
    ("Links", "LINKS"),
    ("Size", "SIZE"),
];

/// One `volume ls` row: docker/cli's `volumeContext` (no usage data in a listing, so `Links`
/// and `Size` are `N/A`).
fn volume_row(v: &VolumeInfo) -> Row {
    let labels = v.label_map();
    let joined = labels
        .iter()
        .map(|(k, val)| format!("{k}={val}"))
        .collect::<Vec<_>>()
        .join(",");
    Row {
        type_name: "*formatter.volumeContext",
        methods: vec![("Label", Method::Lookup(labels))],
        fields: vec![
            ("Name", v.name.clone()),
            ("Driver", "local".into()),
            ("Scope", "local".into()),
            ("Mountpoint", source_of(&v.name)),
            ("Labels", joined),
            ("Links", "N/A".into()),
            ("Size", "N/A".into()),
        ],
    }
}

pub(super) fn ls(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let filters = filters_of(p)?;
    let mut volumes = engine.volumes_filtered(&filters).map_err(Fail::daemon)?;
    volumes.sort_by(|a, b| natural_cmp(&a.name, &b.name));
    // docker/cli's NewVolumeFormat: `-q` only changes the default table format.
    let format = match p.str("format").filter(|f| !f.is_empty()).unwrap_or("table") {
        "table" if p.bool("quiet") => "{{.Name}}",
        "table" => "table {{.Driver}}\t{{.Name}}",
        "raw" if p.bool("quiet") => "name: {{.Name}}",
        "raw" => "name: {{.Name}}\ndriver: {{.Driver}}\n",
        f => f,
    };
    let rows: Vec<Row> = volumes.iter().map(volume_row).collect();
    out(io, &render(format, &rows, VOLUME_HEADERS)?);
    Ok(0)
}

/// docker/cli's `ValidateLabel` for `--label`: a name before any `=`, without blanks.
fn validate_label(value: &str) -> Result<(), String> {
    let key = value.split('=').next().unwrap_or(value);
    let key = key.trim_start_matches([' ', '\t']);
    if key.is_empty() {
        return Err(format!("invalid label '{value}': empty name"));
    }
    if key.chars().any(char::is_whitespace) {
        return Err(format!("label '{key}' contains whitespaces"));
    }
    Ok(())
}

pub(super) fn create(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let mut labels = BTreeMap::new();
    for v in p.list("label") {
        validate_label(&v).map_err(|e| Fail {
            message: format!(
                "invalid argument \"{v}\" for \"--label\" flag: {e}\nSee 'docker volume create --help'."
            ),
            code: 125,
            blank_stdout_line: false,
        })?;
        let (k, val) = v.split_once('=').unwrap_or((&v, ""));
        labels.insert(k.to_string(), val.to_string());
    }
    let mut options = BTreeMap::new();
    for v in p.list("opt") {
        let (k, val) = v.split_once('=').unwrap_or((&v, ""));
        options.insert(k.to_string(), val.to_string());
    }
    let req = VolumeCreate {
        name: p.args.first().cloned(),
        driver: p.str("driver").unwrap_or("local").to_string(),
        labels,
        options,
    };
    let name = engine.volume_create(&req).map_err(fail)?;
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
    let filters = filters_of(p)?;
    let (deleted, space) = engine.volume_prune(&filters).map_err(Fail::daemon)?;
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
