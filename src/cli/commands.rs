//! The command table: every docker command drydock knows, with Docker 20.10's usage lines, help
//! texts and flags. Top-level shortcuts (`docker images`) and group spellings (`docker image ls`)
//! are separate entries sharing the same flags, as in docker/cli.

use super::args::{Arity, Command, Flag, Kind};
use super::container::{
    ATTACH_FLAGS, COMMIT_FLAGS, CONTAINER_GROUP, CONTAINER_INSPECT_FLAGS, CONTAINER_PRUNE_FLAGS,
    EXEC_FLAGS, EXPORT_FLAGS, KILL_FLAGS, LOGS_FLAGS, PS_FLAGS, RESTART_FLAGS, RM_FLAGS, RUN_FLAGS,
    START_FLAGS, STOP_FLAGS, UPDATE_FLAGS,
};
use super::system::{DF_FLAGS, INFO_FLAGS, SYSTEM_GROUP, SYSTEM_PRUNE_FLAGS, VERSION_FLAGS};
use super::volume::{
    VOLUME_CREATE_FLAGS, VOLUME_GROUP, VOLUME_INSPECT_FLAGS, VOLUME_LS_FLAGS, VOLUME_PRUNE_FLAGS,
    VOLUME_RM_FLAGS,
};

pub(crate) const fn flag(
    long: &'static str,
    short: Option<char>,
    kind: Kind,
    value_name: &'static str,
    help: &'static str,
) -> Flag {
    Flag {
        long,
        short,
        kind,
        value_name,
        help,
        default: None,
        hidden: false,
    }
}

pub(crate) const fn with_default(f: Flag, d: &'static str) -> Flag {
    Flag {
        default: Some(d),
        ..f
    }
}

pub const PULL_FLAGS: &[Flag] = &[
    flag(
        "all-tags",
        Some('a'),
        Kind::Bool,
        "",
        "Download all tagged images in the repository",
    ),
    with_default(
        flag(
            "disable-content-trust",
            None,
            Kind::Bool,
            "",
            "Skip image verification",
        ),
        "true",
    ),
    flag(
        "platform",
        None,
        Kind::Str,
        "string",
        "Set platform if server is multi-platform capable",
    ),
    flag(
        "quiet",
        Some('q'),
        Kind::Bool,
        "",
        "Suppress verbose output",
    ),
];

pub const IMAGES_FLAGS: &[Flag] = &[
    flag(
        "all",
        Some('a'),
        Kind::Bool,
        "",
        "Show all images (default hides intermediate images)",
    ),
    flag("digests", None, Kind::Bool, "", "Show digests"),
    flag(
        "filter",
        Some('f'),
        Kind::List,
        "filter",
        "Filter output based on conditions provided",
    ),
    flag(
        "format",
        None,
        Kind::Str,
        "string",
        "Pretty-print images using a Go template",
    ),
    flag("no-trunc", None, Kind::Bool, "", "Don't truncate output"),
    flag("quiet", Some('q'), Kind::Bool, "", "Only show image IDs"),
];

pub const RMI_FLAGS: &[Flag] = &[
    flag(
        "force",
        Some('f'),
        Kind::Bool,
        "",
        "Force removal of the image",
    ),
    flag(
        "no-prune",
        None,
        Kind::Bool,
        "",
        "Do not delete untagged parents",
    ),
];

pub const PRUNE_FLAGS: &[Flag] = &[
    flag(
        "all",
        Some('a'),
        Kind::Bool,
        "",
        "Remove all unused images, not just dangling ones",
    ),
    flag(
        "filter",
        None,
        Kind::List,
        "filter",
        "Provide filter values (e.g. 'until=<timestamp>')",
    ),
    flag(
        "force",
        Some('f'),
        Kind::Bool,
        "",
        "Do not prompt for confirmation",
    ),
];

pub const IMAGE_INSPECT_FLAGS: &[Flag] = &[flag(
    "format",
    Some('f'),
    Kind::Str,
    "string",
    "Format the output using the given Go template",
)];

pub const INSPECT_FLAGS: &[Flag] = &[
    flag(
        "format",
        Some('f'),
        Kind::Str,
        "string",
        "Format the output using the given Go template",
    ),
    flag(
        "size",
        Some('s'),
        Kind::Bool,
        "",
        "Display total file sizes if the type is container",
    ),
    flag(
        "type",
        None,
        Kind::Str,
        "string",
        "Return JSON for specified type",
    ),
];

pub const HISTORY_FLAGS: &[Flag] = &[
    flag(
        "format",
        None,
        Kind::Str,
        "string",
        "Pretty-print images using a Go template",
    ),
    with_default(
        flag(
            "human",
            Some('H'),
            Kind::Bool,
            "",
            "Print sizes and dates in human readable format",
        ),
        "true",
    ),
    flag("no-trunc", None, Kind::Bool, "", "Don't truncate output"),
    flag("quiet", Some('q'), Kind::Bool, "", "Only show image IDs"),
];

pub const SEARCH_FLAGS: &[Flag] = &[
    flag(
        "filter",
        Some('f'),
        Kind::List,
        "filter",
        "Filter output based on conditions provided",
    ),
    flag(
        "format",
        None,
        Kind::Str,
        "string",
        "Pretty-print search using a Go template",
    ),
    with_default(
        flag(
            "limit",
            None,
            Kind::Int,
            "int",
            "Max number of search results",
        ),
        "25",
    ),
    flag("no-trunc", None, Kind::Bool, "", "Don't truncate output"),
];

pub const SAVE_FLAGS: &[Flag] = &[flag(
    "output",
    Some('o'),
    Kind::Str,
    "string",
    "Write to a file, instead of STDOUT",
)];

pub const LOAD_FLAGS: &[Flag] = &[
    flag(
        "input",
        Some('i'),
        Kind::Str,
        "string",
        "Read from tar archive file, instead of STDIN",
    ),
    flag(
        "quiet",
        Some('q'),
        Kind::Bool,
        "",
        "Suppress the load output",
    ),
];

pub const IMPORT_FLAGS: &[Flag] = &[
    flag(
        "change",
        Some('c'),
        Kind::List,
        "list",
        "Apply Dockerfile instruction to the created image",
    ),
    flag(
        "message",
        Some('m'),
        Kind::Str,
        "string",
        "Set commit message for imported image",
    ),
    flag(
        "platform",
        None,
        Kind::Str,
        "string",
        "Set platform if server is multi-platform capable",
    ),
];

const SAVE_USAGE: &str = "[OPTIONS] IMAGE [IMAGE...]";
const SAVE_SHORT: &str = "Save one or more images to a tar archive (streamed to STDOUT by default)";
const LOAD_SHORT: &str = "Load an image from a tar archive or STDIN";
const IMPORT_USAGE: &str = "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]";
const IMPORT_SHORT: &str = "Import the contents from a tarball to create a filesystem image";

pub(crate) const fn cmd(
    path: &'static str,
    usage: &'static str,
    short: &'static str,
    aliases: &'static [&'static str],
    arity: Arity,
    flags: &'static [Flag],
) -> Command {
    Command {
        path,
        usage,
        short,
        aliases,
        arity,
        flags,
        stop_at_first_arg: false,
    }
}

const PULL_USAGE: &str = "[OPTIONS] NAME[:TAG|@DIGEST]";
const PULL_SHORT: &str = "Pull an image or a repository from a registry";
const IMAGES_USAGE: &str = "[OPTIONS] [REPOSITORY[:TAG]]";
const TAG_USAGE: &str = "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]";
const TAG_SHORT: &str = "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE";
const RMI_USAGE: &str = "[OPTIONS] IMAGE [IMAGE...]";
const RMI_SHORT: &str = "Remove one or more images";
const HISTORY_USAGE: &str = "[OPTIONS] IMAGE";
const HISTORY_SHORT: &str = "Show the history of an image";

/// A command whose flags stop at its first argument (`docker run IMAGE ls -la`).
const fn cmd_args(
    path: &'static str,
    usage: &'static str,
    short: &'static str,
    aliases: &'static [&'static str],
    arity: Arity,
    flags: &'static [Flag],
) -> Command {
    Command {
        stop_at_first_arg: true,
        ..cmd(path, usage, short, aliases, arity, flags)
    }
}

/// Every command, by the words that name it.
pub const COMMANDS: &[Command] = &[
    cmd(
        "pull",
        PULL_USAGE,
        PULL_SHORT,
        &[],
        Arity::Exactly(1),
        PULL_FLAGS,
    ),
    cmd(
        "image pull",
        PULL_USAGE,
        PULL_SHORT,
        &[],
        Arity::Exactly(1),
        PULL_FLAGS,
    ),
    cmd(
        "images",
        IMAGES_USAGE,
        "List images",
        &[],
        Arity::AtMost(1),
        IMAGES_FLAGS,
    ),
    cmd(
        "image ls",
        IMAGES_USAGE,
        "List images",
        &["ls", "list"],
        Arity::AtMost(1),
        IMAGES_FLAGS,
    ),
    cmd("tag", TAG_USAGE, TAG_SHORT, &[], Arity::Exactly(2), &[]),
    cmd(
        "image tag",
        TAG_USAGE,
        TAG_SHORT,
        &[],
        Arity::Exactly(2),
        &[],
    ),
    cmd(
        "rmi",
        RMI_USAGE,
        RMI_SHORT,
        &[],
        Arity::AtLeast(1),
        RMI_FLAGS,
    ),
    cmd(
        "image rm",
        RMI_USAGE,
        RMI_SHORT,
        &["rm", "rmi", "remove"],
        Arity::AtLeast(1),
        RMI_FLAGS,
    ),
    cmd(
        "image prune",
        "[OPTIONS]",
        "Remove unused images",
        &[],
        Arity::None,
        PRUNE_FLAGS,
    ),
    cmd(
        "image inspect",
        "[OPTIONS] IMAGE [IMAGE...]",
        "Display detailed information on one or more images",
        &[],
        Arity::AtLeast(1),
        IMAGE_INSPECT_FLAGS,
    ),
    cmd(
        "inspect",
        "[OPTIONS] NAME|ID [NAME|ID...]",
        "Return low-level information on Docker objects",
        &[],
        Arity::AtLeast(1),
        INSPECT_FLAGS,
    ),
    cmd(
        "history",
        HISTORY_USAGE,
        HISTORY_SHORT,
        &[],
        Arity::Exactly(1),
        HISTORY_FLAGS,
    ),
    cmd(
        "image history",
        HISTORY_USAGE,
        HISTORY_SHORT,
        &[],
        Arity::Exactly(1),
        HISTORY_FLAGS,
    ),
    cmd(
        "build",
        super::build::BUILD_USAGE,
        super::build::BUILD_SHORT,
        &[],
        Arity::Exactly(1),
        super::build::BUILD_FLAGS,
    ),
    cmd(
        "image build",
        super::build::BUILD_USAGE,
        super::build::BUILD_SHORT,
        &[],
        Arity::Exactly(1),
        super::build::BUILD_FLAGS,
    ),
    cmd(
        "search",
        "[OPTIONS] TERM",
        "Search the Docker Hub for images",
        &[],
        Arity::Exactly(1),
        SEARCH_FLAGS,
    ),
    cmd(
        "save",
        SAVE_USAGE,
        SAVE_SHORT,
        &[],
        Arity::AtLeast(1),
        SAVE_FLAGS,
    ),
    cmd(
        "image save",
        SAVE_USAGE,
        SAVE_SHORT,
        &[],
        Arity::AtLeast(1),
        SAVE_FLAGS,
    ),
    cmd(
        "load",
        "[OPTIONS]",
        LOAD_SHORT,
        &[],
        Arity::None,
        LOAD_FLAGS,
    ),
    cmd(
        "image load",
        "[OPTIONS]",
        LOAD_SHORT,
        &[],
        Arity::None,
        LOAD_FLAGS,
    ),
    cmd(
        "import",
        IMPORT_USAGE,
        IMPORT_SHORT,
        &[],
        Arity::AtLeast(1),
        IMPORT_FLAGS,
    ),
    cmd(
        "image import",
        IMPORT_USAGE,
        IMPORT_SHORT,
        &[],
        Arity::AtLeast(1),
        IMPORT_FLAGS,
    ),
    cmd_args(
        "run",
        "[OPTIONS] IMAGE [COMMAND] [ARG...]",
        "Run a command in a new container",
        &[],
        Arity::AtLeast(1),
        RUN_FLAGS,
    ),
    cmd_args(
        "container run",
        "[OPTIONS] IMAGE [COMMAND] [ARG...]",
        "Run a command in a new container",
        &[],
        Arity::AtLeast(1),
        RUN_FLAGS,
    ),
    cmd_args(
        "create",
        "[OPTIONS] IMAGE [COMMAND] [ARG...]",
        "Create a new container",
        &[],
        Arity::AtLeast(1),
        RUN_FLAGS,
    ),
    cmd_args(
        "container create",
        "[OPTIONS] IMAGE [COMMAND] [ARG...]",
        "Create a new container",
        &[],
        Arity::AtLeast(1),
        RUN_FLAGS,
    ),
    cmd(
        "start",
        "[OPTIONS] CONTAINER [CONTAINER...]",
        "Start one or more stopped containers",
        &[],
        Arity::AtLeast(1),
        START_FLAGS,
    ),
    cmd(
        "container start",
        "[OPTIONS] CONTAINER [CONTAINER...]",
        "Start one or more stopped containers",
        &[],
        Arity::AtLeast(1),
        START_FLAGS,
    ),
    cmd(
        "stop",
        "[OPTIONS] CONTAINER [CONTAINER...]",
        "Stop one or more running containers",
        &[],
        Arity::AtLeast(1),
        STOP_FLAGS,
    ),
    cmd(
        "container stop",
        "[OPTIONS] CONTAINER [CONTAINER...]",
        "Stop one or more running containers",
        &[],
        Arity::AtLeast(1),
        STOP_FLAGS,
    ),
    cmd(
        "restart",
        "[OPTIONS] CONTAINER [CONTAINER...]",
        "Restart one or more containers",
        &[],
        Arity::AtLeast(1),
        RESTART_FLAGS,
    ),
    cmd(
        "container restart",
        "[OPTIONS] CONTAINER [CONTAINER...]",
        "Restart one or more containers",
        &[],
        Arity::AtLeast(1),
        RESTART_FLAGS,
    ),
    cmd(
        "kill",
        "[OPTIONS] CONTAINER [CONTAINER...]",
        "Kill one or more running containers",
        &[],
        Arity::AtLeast(1),
        KILL_FLAGS,
    ),
    cmd(
        "container kill",
        "[OPTIONS] CONTAINER [CONTAINER...]",
        "Kill one or more running containers",
        &[],
        Arity::AtLeast(1),
        KILL_FLAGS,
    ),
    cmd(
        "pause",
        "CONTAINER [CONTAINER...]",
        "Pause all processes within one or more containers",
        &[],
        Arity::AtLeast(1),
        &[],
    ),
    cmd(
        "container pause",
        "CONTAINER [CONTAINER...]",
        "Pause all processes within one or more containers",
        &[],
        Arity::AtLeast(1),
        &[],
    ),
    cmd(
        "unpause",
        "CONTAINER [CONTAINER...]",
        "Unpause all processes within one or more containers",
        &[],
        Arity::AtLeast(1),
        &[],
    ),
    cmd(
        "container unpause",
        "CONTAINER [CONTAINER...]",
        "Unpause all processes within one or more containers",
        &[],
        Arity::AtLeast(1),
        &[],
    ),
    cmd(
        "rm",
        "[OPTIONS] CONTAINER [CONTAINER...]",
        "Remove one or more containers",
        &[],
        Arity::AtLeast(1),
        RM_FLAGS,
    ),
    cmd(
        "container rm",
        "[OPTIONS] CONTAINER [CONTAINER...]",
        "Remove one or more containers",
        &["remove"],
        Arity::AtLeast(1),
        RM_FLAGS,
    ),
    cmd(
        "rename",
        "CONTAINER NEW_NAME",
        "Rename a container",
        &[],
        Arity::Exactly(2),
        &[],
    ),
    cmd(
        "container rename",
        "CONTAINER NEW_NAME",
        "Rename a container",
        &[],
        Arity::Exactly(2),
        &[],
    ),
    cmd(
        "update",
        "[OPTIONS] CONTAINER [CONTAINER...]",
        "Update configuration of one or more containers",
        &[],
        Arity::AtLeast(1),
        UPDATE_FLAGS,
    ),
    cmd(
        "container update",
        "[OPTIONS] CONTAINER [CONTAINER...]",
        "Update configuration of one or more containers",
        &[],
        Arity::AtLeast(1),
        UPDATE_FLAGS,
    ),
    cmd(
        "wait",
        "CONTAINER [CONTAINER...]",
        "Block until one or more containers stop, then print their exit codes",
        &[],
        Arity::AtLeast(1),
        &[],
    ),
    cmd(
        "container wait",
        "CONTAINER [CONTAINER...]",
        "Block until one or more containers stop, then print their exit codes",
        &[],
        Arity::AtLeast(1),
        &[],
    ),
    cmd(
        "port",
        "CONTAINER [PRIVATE_PORT[/PROTO]]",
        "List port mappings or a specific mapping for the container",
        &[],
        Arity::AtLeast(1),
        &[],
    ),
    cmd(
        "container port",
        "CONTAINER [PRIVATE_PORT[/PROTO]]",
        "List port mappings or a specific mapping for the container",
        &[],
        Arity::AtLeast(1),
        &[],
    ),
    cmd(
        "ps",
        "[OPTIONS]",
        "List containers",
        &[],
        Arity::None,
        PS_FLAGS,
    ),
    cmd(
        "container ps",
        "[OPTIONS]",
        "List containers",
        &[],
        Arity::None,
        PS_FLAGS,
    ),
    cmd(
        "container ls",
        "[OPTIONS]",
        "List containers",
        &["ls", "list", "ps"],
        Arity::None,
        PS_FLAGS,
    ),
    cmd(
        "logs",
        "[OPTIONS] CONTAINER",
        "Fetch the logs of a container",
        &[],
        Arity::Exactly(1),
        LOGS_FLAGS,
    ),
    cmd(
        "container logs",
        "[OPTIONS] CONTAINER",
        "Fetch the logs of a container",
        &[],
        Arity::Exactly(1),
        LOGS_FLAGS,
    ),
    cmd(
        "attach",
        "[OPTIONS] CONTAINER",
        "Attach local standard input, output, and error streams to a running container",
        &[],
        Arity::Exactly(1),
        ATTACH_FLAGS,
    ),
    cmd(
        "container attach",
        "[OPTIONS] CONTAINER",
        "Attach local standard input, output, and error streams to a running container",
        &[],
        Arity::Exactly(1),
        ATTACH_FLAGS,
    ),
    cmd_args(
        "exec",
        "[OPTIONS] CONTAINER COMMAND [ARG...]",
        "Run a command in a running container",
        &[],
        Arity::AtLeast(2),
        EXEC_FLAGS,
    ),
    cmd_args(
        "container exec",
        "[OPTIONS] CONTAINER COMMAND [ARG...]",
        "Run a command in a running container",
        &[],
        Arity::AtLeast(2),
        EXEC_FLAGS,
    ),
    cmd(
        "diff",
        "CONTAINER",
        "Inspect changes to files or directories on a container's filesystem",
        &[],
        Arity::Exactly(1),
        &[],
    ),
    cmd(
        "container diff",
        "CONTAINER",
        "Inspect changes to files or directories on a container's filesystem",
        &[],
        Arity::Exactly(1),
        &[],
    ),
    cmd(
        "commit",
        "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
        "Create a new image from a container's changes",
        &[],
        Arity::AtLeast(1),
        COMMIT_FLAGS,
    ),
    cmd(
        "container commit",
        "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
        "Create a new image from a container's changes",
        &[],
        Arity::AtLeast(1),
        COMMIT_FLAGS,
    ),
    cmd(
        "export",
        "[OPTIONS] CONTAINER",
        "Export a container's filesystem as a tar archive",
        &[],
        Arity::Exactly(1),
        EXPORT_FLAGS,
    ),
    cmd(
        "container export",
        "[OPTIONS] CONTAINER",
        "Export a container's filesystem as a tar archive",
        &[],
        Arity::Exactly(1),
        EXPORT_FLAGS,
    ),
    cmd(
        "container prune",
        "[OPTIONS]",
        "Remove all stopped containers",
        &[],
        Arity::None,
        CONTAINER_PRUNE_FLAGS,
    ),
    cmd(
        "container inspect",
        "[OPTIONS] CONTAINER [CONTAINER...]",
        "Display detailed information on one or more containers",
        &[],
        Arity::AtLeast(1),
        CONTAINER_INSPECT_FLAGS,
    ),
    cmd(
        "info",
        "[OPTIONS]",
        "Display system-wide information",
        &[],
        Arity::None,
        INFO_FLAGS,
    ),
    cmd(
        "system info",
        "[OPTIONS]",
        "Display system-wide information",
        &[],
        Arity::None,
        INFO_FLAGS,
    ),
    cmd(
        "version",
        "[OPTIONS]",
        "Show the Docker version information",
        &[],
        Arity::None,
        VERSION_FLAGS,
    ),
    cmd(
        "system df",
        "[OPTIONS]",
        "Show docker disk usage",
        &[],
        Arity::None,
        DF_FLAGS,
    ),
    cmd(
        "system prune",
        "[OPTIONS]",
        "Remove unused data",
        &[],
        Arity::None,
        SYSTEM_PRUNE_FLAGS,
    ),
    cmd(
        "volume create",
        "[OPTIONS] [VOLUME]",
        "Create a volume",
        &[],
        Arity::AtMost(1),
        VOLUME_CREATE_FLAGS,
    ),
    cmd(
        "volume inspect",
        "[OPTIONS] VOLUME [VOLUME...]",
        "Display detailed information on one or more volumes",
        &[],
        Arity::AtLeast(1),
        VOLUME_INSPECT_FLAGS,
    ),
    cmd(
        "volume ls",
        "[OPTIONS]",
        "List volumes",
        &["ls", "list"],
        Arity::None,
        VOLUME_LS_FLAGS,
    ),
    cmd(
        "volume prune",
        "[OPTIONS]",
        "Remove all unused local volumes",
        &[],
        Arity::None,
        VOLUME_PRUNE_FLAGS,
    ),
    cmd(
        "volume rm",
        "[OPTIONS] VOLUME [VOLUME...]",
        "Remove one or more volumes",
        &["rm", "remove"],
        Arity::AtLeast(1),
        VOLUME_RM_FLAGS,
    ),
];

/// The `docker image` group's listing, as `docker image` prints it (Docker's full list, so the
/// learner sees what exists; commands drydock lacks say so when run).
pub const IMAGE_GROUP: &[(&str, &str)] = &[
    ("build", "Build an image from a Dockerfile"),
    ("history", "Show the history of an image"),
    (
        "import",
        "Import the contents from a tarball to create a filesystem image",
    ),
    (
        "inspect",
        "Display detailed information on one or more images",
    ),
    ("load", "Load an image from a tar archive or STDIN"),
    ("ls", "List images"),
    ("prune", "Remove unused images"),
    ("pull", "Pull an image or a repository from a registry"),
    ("push", "Push an image or a repository to a registry"),
    ("rm", "Remove one or more images"),
    (
        "save",
        "Save one or more images to a tar archive (streamed to STDOUT by default)",
    ),
    (
        "tag",
        "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
    ),
];

/// Docker commands that exist in Docker 20.10 but not yet in drydock.
pub const NOT_YET: &[&str] = &[
    "cp", "events", "login", "logout", "network", "push", "stats", "top",
];

/// Looks a command up by its words; group aliases (`image list`, `image remove`) resolve too.
pub fn find(words: &[&str]) -> Option<&'static Command> {
    COMMANDS.iter().find(|c| {
        let parts: Vec<&str> = c.path.split(' ').collect();
        if parts.len() != words.len() {
            return false;
        }
        if parts.len() == 2 {
            parts[0] == words[0] && (parts[1] == words[1] || c.aliases.contains(&words[1]))
        } else {
            parts[0] == words[0]
        }
    })
}

/// `docker image` usage (printed on stderr, as docker/cli does for a group without a command).
pub fn image_group_usage() -> String {
    let mut s = String::from("\nUsage:  docker image COMMAND\n\nManage images\n\nCommands:\n");
    for (name, short) in IMAGE_GROUP {
        s.push_str(&format!("  {name:<11} {short}\n"));
    }
    s.push_str("\nRun 'docker image COMMAND --help' for more information on a command.\n");
    s
}

/// A management command (`docker image`, `docker container`, `docker system`) and its listing.
pub struct Group {
    pub name: &'static str,
    pub short: &'static str,
    pub commands: &'static [(&'static str, &'static str)],
}

/// The management groups drydock has.
pub const GROUPS: &[Group] = &[
    Group {
        name: "container",
        short: "Manage containers",
        commands: CONTAINER_GROUP,
    },
    Group {
        name: "image",
        short: "Manage images",
        commands: IMAGE_GROUP,
    },
    Group {
        name: "system",
        short: "Manage Docker",
        commands: SYSTEM_GROUP,
    },
    Group {
        name: "volume",
        short: "Manage volumes",
        commands: VOLUME_GROUP,
    },
];

/// The group named `name`.
pub fn group(name: &str) -> Option<&'static Group> {
    GROUPS.iter().find(|g| g.name == name)
}

/// A group's usage, as docker/cli prints it for the group alone.
pub fn group_usage(g: &Group) -> String {
    let mut s = format!(
        "\nUsage:  docker {} COMMAND\n\n{}\n\nCommands:\n",
        g.name, g.short
    );
    for (name, short) in g.commands {
        s.push_str(&format!("  {name:<11} {short}\n"));
    }
    s.push_str(&format!(
        "\nRun 'docker {} COMMAND --help' for more information on a command.\n",
        g.name
    ));
    s
}
