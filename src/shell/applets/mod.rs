//! Programs that images contain, run by drydock inside a container's rootfs: shells, coreutils,
//! package managers, servers. [`init`] is a container's first process; everything it starts
//! runs in that process, through this module's command table.
//!
//! How a program is found (the same rules for the init's `args[0]` and for a command a container
//! shell runs): a name with a `/` is a path in the rootfs; any other name is looked up in `PATH`
//! inside the rootfs, as `execve` and Go's `exec.LookPath` do. The file found is then *identified*
//! ([`identify`]): an applet stub (`#!drydock-applet NAME`) is applet NAME; a BusyBox binary or
//! stub stands for the applet named like the link it was invoked through (`/bin/sh -> busybox` is
//! `sh`); another ELF binary is the applet named like the file; a `#!` script runs with the shell.
//! So an image without `/bin/ls` has no `ls`, as in Docker, and images made elsewhere (a real
//! BusyBox with its links) behave alike.
//!
//! What it owns: the container command table ([`ContainerCommands`]: bash's builtins always,
//! everything else through `PATH`), the applet table ([`applet`]: drydock's own programs plus the
//! host's coreutils-like builtins, less `docker`), the container's identity for applets that need
//! it ([`container`]), and signal handling ([`signals`]). It must not touch the engine: a
//! container sees its rootfs and its process spec only.
//!
//! Files: `init` (the first process), `shell` (sh/bash/ash/dash and prompts), `pkg` (yum, dnf,
//! apt-get, apk and their offline catalog), `server` (httpd, nginx), `daemons` (database and
//! registry entrypoints that stay running), `misc` (ps, hello, htpasswd, which, type, busybox).

pub mod community;
pub mod daemons;
pub mod init;
pub mod java;
pub mod misc;
pub mod pkg;
pub mod server;
pub mod shell;
pub mod signals;

use std::io::Read;
use std::sync::OnceLock;

use super::builtins::Host;
use super::fs::Root;
use super::{CommandDef, Commands, Ctx};
use crate::engine::runtime::spec::{ProcessSpec, status};

/// The `PATH` Docker sets when an image has none.
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// What the init knows about its container, for applets that need it (`ps`, servers' ports).
#[derive(Debug, Clone)]
pub struct Container {
    pub spec: ProcessSpec,
    /// A terminal is attached (`-t`, or stdin is one).
    pub tty: bool,
}

static CONTAINER: OnceLock<Container> = OnceLock::new();

/// The container this process runs in (set once by the init).
pub fn container() -> Option<&'static Container> {
    CONTAINER.get()
}

/// Records the container this process runs in; the first call wins.
pub fn set_container(c: Container) {
    let _ = CONTAINER.set(c);
}

/// Why a command could not be started, with runc's words for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExecError {
    /// A path (`/bin/bash`) that does not exist.
    NoSuchFile { path: String },
    /// A name not found in `PATH`.
    NotInPath { name: String },
    /// A file that is not executable (or a directory).
    PermissionDenied { path: String },
}

impl ExecError {
    /// The exit status Docker gives: 127 not found, 126 cannot be invoked.
    pub fn status(&self) -> i32 {
        match self {
            ExecError::PermissionDenied { .. } => status::CANNOT_INVOKE,
            _ => status::NOT_FOUND,
        }
    }
}

/// The core of runc's message for `e`: `exec: "/bin/bash": stat /bin/bash: no such file or
/// directory`, `exec: "nosuchcmd": executable file not found in $PATH`, `exec: "/etc/passwd":
/// permission denied`. `docker run` and `docker exec` wrap it in their own words.
pub fn exec_error_text(e: &ExecError) -> String {
    match e {
        ExecError::NoSuchFile { path } => {
            format!("exec: \"{path}\": stat {path}: no such file or directory")
        }
        ExecError::NotInPath { name } => {
            format!("exec: \"{name}\": executable file not found in $PATH")
        }
        ExecError::PermissionDenied { path } => format!("exec: \"{path}\": permission denied"),
    }
}

/// What a file stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Program {
    /// A drydock applet, by name.
    Applet(String),
    /// A shell script (`#!/bin/sh …`): run by the shell applet.
    Script,
}

/// A command found in the rootfs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Its virtual path (`/usr/bin/yum`).
    pub path: String,
    pub program: Program,
}

fn executable(m: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    m.is_file() && m.permissions().mode() & 0o111 != 0
}

/// Finds `arg0` in the rootfs as `execve` would: a path when it has a `/`, else each directory of
/// `path_var` in order.
pub fn lookup(root: &Root, cwd: &str, path_var: &str, arg0: &str) -> Result<Found, ExecError> {
    if arg0.contains('/') {
        let m = root
            .metadata(cwd, arg0)
            .map_err(|_| ExecError::NoSuchFile { path: arg0.into() })?;
        if !executable(&m) {
            return Err(ExecError::PermissionDenied { path: arg0.into() });
        }
        let path = root.absolute(cwd, arg0);
        let program = identify(root, &path, arg0);
        return Ok(Found { path, program });
    }
    if arg0.is_empty() {
        return Err(ExecError::NotInPath { name: arg0.into() });
    }
    for dir in path_var.split(':') {
        let dir = if dir.is_empty() { "." } else { dir };
        let candidate = format!("{}/{arg0}", dir.trim_end_matches('/'));
        if root.metadata(cwd, &candidate).is_ok_and(|m| executable(&m)) {
            let path = root.absolute(cwd, &candidate);
            let program = identify(root, &path, arg0);
            return Ok(Found { path, program });
        }
    }
    Err(ExecError::NotInPath { name: arg0.into() })
}

/// The stub marker at the start of an applet file.
const STUB: &[u8] = b"#!drydock-applet ";

/// What the executable file at virtual path `path` stands for, invoked as `invoked`.
pub fn identify(root: &Root, path: &str, invoked: &str) -> Program {
    let invoked_name = super::fs::file_name(invoked).to_string();
    let Ok(real) = root.resolve("/", path, true) else {
        return Program::Applet(invoked_name);
    };
    let mut head = [0u8; 256];
    let n = std::fs::File::open(&real)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let head = &head[..n];
    let real_name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(rest) = head.strip_prefix(STUB) {
        let name = String::from_utf8_lossy(rest);
        let name = name.split_whitespace().next().unwrap_or("").to_string();
        if name == "busybox" {
            return Program::Applet(invoked_name);
        }
        return Program::Applet(name);
    }
    if head.starts_with(b"\x7fELF") {
        // A BusyBox binary is every applet it is linked as; another binary is the program its
        // name says (a real `hello` in hello-world).
        if real_name == "busybox" || applet(&invoked_name).is_some() {
            return Program::Applet(invoked_name);
        }
        return Program::Applet(real_name);
    }
    Program::Script
}

/// Commands that bash runs itself, whatever `PATH` holds.
const SHELL_BUILTINS: &[&str] = &[
    "cd", "echo", "exit", "export", "false", "history", "printf", "pwd", "trap", "true", "unset",
];

const fn def(name: &'static str, summary: &'static str, run: super::CommandFn) -> CommandDef {
    CommandDef { name, summary, run }
}

/// Runs any command that is not a shell builtin: found through `PATH` in the rootfs.
static EXTERNAL: CommandDef = def("(program)", "a program in the container", run_external);
static TYPE: CommandDef = def("type", "tell how a name would be run", misc::type_);

/// drydock's own applets, sorted by name (a test checks). The host's builtins (less `docker`)
/// are applets too, looked up after these.
#[rustfmt::skip]
const APPLETS: &[CommandDef] = &[
    def("10-listen-on-ipv6-by-default.sh", "nginx entrypoint step", daemons::nginx_step),
    def("20-envsubst-on-templates.sh", "nginx entrypoint step", daemons::nginx_step),
    def("30-tune-worker-processes.sh", "nginx entrypoint step", daemons::nginx_step),
    def("apache2", "the Apache HTTP server (Debian)", server::httpd),
    def("apache2-foreground", "the Apache HTTP server in the foreground", server::httpd),
    def("apache2ctl", "the Apache HTTP server control", server::httpd),
    def("apachectl", "the Apache HTTP server control", server::httpd),
    def("apk", "Alpine's package manager", pkg::apk),
    def("apt", "Debian's package manager", pkg::apt_get),
    def("apt-get", "Debian's package manager", pkg::apt_get),
    def("ash", "the BusyBox shell", shell::shell),
    def("bash", "the GNU Bourne-Again shell", shell::shell),
    def("bitnami-apache-entrypoint.sh", "bitnami/apache's entrypoint", community::bitnami_entrypoint),
    def("bitnami-apache-run.sh", "bitnami/apache's run script", community::bitnami_run),
    def("bitnami-nginx-entrypoint.sh", "bitnami/nginx's entrypoint", community::bitnami_entrypoint),
    def("bitnami-nginx-run.sh", "bitnami/nginx's run script", community::bitnami_run),
    def("bitnami-redis-entrypoint.sh", "bitnami/redis's entrypoint", community::bitnami_entrypoint),
    def("bitnami-redis-run.sh", "bitnami/redis's run script", community::bitnami_run),
    def("busybox", "BusyBox: run one of its applets", misc::busybox),
    def("catalina.sh", "Apache Tomcat's control script", java::catalina),
    def("dash", "the Debian Almquist shell", shell::shell),
    def("dnf", "Fedora's package manager", pkg::yum),
    def("dnf-3", "Fedora's package manager", pkg::yum),
    def("docker-entrypoint.sh", "an image's entrypoint", daemons::entrypoint),
    def("docker-php-entrypoint", "php's entrypoint", community::php_entrypoint),
    def("hello", "hello-world's program", misc::hello),
    def("htpasswd", "manage Apache password files", misc::htpasswd),
    def("httpd", "the Apache HTTP server", server::httpd),
    def("httpd-foreground", "the Apache HTTP server in the foreground", server::httpd),
    def("jenkins.sh", "the Jenkins server", java::jenkins),
    def("mysql-docker-entrypoint.sh", "mysql's entrypoint", daemons::entrypoint),
    def("mysqld", "the MySQL server", daemons::mysqld),
    def("nginx", "the nginx HTTP server", server::nginx),
    def("nginx-debug", "the nginx HTTP server", server::nginx),
    def("nginx-docker-entrypoint.sh", "nginx's entrypoint", daemons::entrypoint),
    def("node", "the Node.js interpreter", community::interpreter),
    def("node-docker-entrypoint.sh", "node's entrypoint", daemons::entrypoint),
    def("php", "the PHP interpreter", community::interpreter),
    def("postgres", "the PostgreSQL server", daemons::postgres),
    def("postgres-docker-entrypoint.sh", "postgres's entrypoint", daemons::entrypoint),
    def("ps", "report the container's processes", misc::ps),
    def("python3.10", "the Python interpreter", community::interpreter),
    def("python3.9", "the Python interpreter", community::interpreter),
    def("redis-docker-entrypoint.sh", "redis's entrypoint", daemons::entrypoint),
    def("redis-server", "the Redis server", daemons::redis),
    def("registry", "the Docker registry", daemons::registry),
    def("registry-entrypoint.sh", "the registry image's entrypoint", daemons::entrypoint),
    def("run-httpd", "the Apache HTTP server (Software Collections)", server::httpd),
    def("sh", "the shell", shell::shell),
    def("supervisord", "the supervisor daemon (webdevops/apache)", community::supervisord),
    def("tini", "a tiny init: runs its command as a child", misc::tini),
    def("type", "tell how a name would be run", misc::type_),
    def("ulsmith-start.sh", "ulsmith/alpine-apache's start script", community::ulsmith_start),
    def("uname", "print system information", misc::uname),
    def("webdevops-entrypoint", "webdevops' entrypoint", daemons::entrypoint),
    def("which", "locate a command in PATH", misc::which),
    def("wordpress-docker-entrypoint.sh", "wordpress's entrypoint", community::wordpress_entrypoint),
    def("yum", "Red Hat's package manager", pkg::yum),
];

static HOST: Host = Host;

/// The applet named `name`: drydock's own, else a host builtin (never `docker`: a container has
/// no Docker client unless its image brings one).
pub fn applet(name: &str) -> Option<&'static CommandDef> {
    if let Ok(i) = APPLETS.binary_search_by(|c| c.name.cmp(name)) {
        return Some(&APPLETS[i]);
    }
    if name == "docker" {
        return None;
    }
    HOST.find(name)
}

/// The command table of a shell inside a container.
pub struct ContainerCommands;

impl Commands for ContainerCommands {
    fn find(&self, name: &str) -> Option<&CommandDef> {
        if name == "type" {
            return Some(&TYPE);
        }
        if SHELL_BUILTINS.contains(&name) {
            return HOST.find(name);
        }
        Some(&EXTERNAL)
    }

    fn all(&self) -> Vec<&CommandDef> {
        let mut v: Vec<&CommandDef> = SHELL_BUILTINS
            .iter()
            .filter_map(|n| HOST.find(n))
            .chain(std::iter::once(&TYPE))
            .collect();
        v.sort_by_key(|c| c.name);
        v
    }
}

/// The name a shell uses in its messages (`bash`, `sh`), from its `$0`.
pub fn shell_name(ctx: &Ctx<'_, '_>) -> String {
    super::fs::file_name(&ctx.state.name).to_string()
}

/// A program run from a container shell: looked up in the rootfs, then run in this process.
fn run_external(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let path_var = ctx.state.get("PATH").unwrap_or(DEFAULT_PATH).to_string();
    let found = lookup(&ctx.state.root, &ctx.state.cwd, &path_var, &args[0]);
    match found {
        Ok(f) => run_found(ctx, &f, args),
        Err(e) => {
            let sh = shell_name(ctx);
            let name = &args[0];
            let msg = match (&e, sh.as_str()) {
                (ExecError::NotInPath { .. }, "bash") => format!("bash: {name}: command not found"),
                (ExecError::NotInPath { .. }, _) => format!("{sh}: {name}: not found"),
                (ExecError::NoSuchFile { .. }, _) => {
                    format!("{sh}: {name}: No such file or directory")
                }
                (ExecError::PermissionDenied { .. }, _) => {
                    format!("{sh}: {name}: Permission denied")
                }
            };
            let _ = writeln!(ctx.io.stderr, "{msg}");
            e.status()
        }
    }
}

/// Runs a found program with `args` (`args[0]` as invoked).
pub fn run_found(ctx: &mut Ctx<'_, '_>, found: &Found, args: &[String]) -> i32 {
    match &found.program {
        Program::Applet(name) => match applet(name) {
            Some(def) => (def.run)(ctx, args),
            None => {
                let _ = writeln!(
                    ctx.io.stderr,
                    "drydock: {}: no applet \"{name}\" in drydock: this program only exists as a stub in the image",
                    args[0]
                );
                status::NOT_FOUND
            }
        },
        Program::Script => {
            let mut sh_args = vec!["sh".to_string(), found.path.clone()];
            sh_args.extend(args[1..].iter().cloned());
            shell::shell(ctx, &sh_args)
        }
    }
}

/// Runs the command `args` (`args[0]` looked up as [`lookup`] does) from an applet, such as an
/// entrypoint's `exec "$@"`; a failure is reported as a shell would.
pub fn exec_args(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    if args.is_empty() {
        return 0;
    }
    run_external(ctx, args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applet_table_is_sorted() {
        for pair in APPLETS.windows(2) {
            assert!(
                pair[0].name < pair[1].name,
                "{} before {}",
                pair[0].name,
                pair[1].name
            );
        }
        assert!(applet("cat").is_some());
        assert!(applet("docker").is_none());
        assert!(applet("yum").is_some());
    }

    #[test]
    fn exec_error_texts_are_runc_s() {
        assert_eq!(
            exec_error_text(&ExecError::NoSuchFile {
                path: "/bin/bash".into()
            }),
            "exec: \"/bin/bash\": stat /bin/bash: no such file or directory"
        );
        assert_eq!(
            exec_error_text(&ExecError::NotInPath {
                name: "nosuchcmd".into()
            }),
            "exec: \"nosuchcmd\": executable file not found in $PATH"
        );
        assert_eq!(
            exec_error_text(&ExecError::PermissionDenied {
                path: "/etc/passwd".into()
            }),
            "exec: \"/etc/passwd\": permission denied"
        );
    }

    #[test]
    fn lookup_and_identify() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        std::fs::create_dir_all(r.join("bin")).unwrap();
        std::fs::create_dir_all(r.join("etc")).unwrap();
        let stub = |p: &str, body: &str| {
            std::fs::write(r.join(p), body).unwrap();
            std::fs::set_permissions(r.join(p), std::fs::Permissions::from_mode(0o755)).unwrap();
        };
        stub("bin/busybox", "#!drydock-applet busybox\n");
        stub("bin/yum", "#!drydock-applet yum\n");
        stub("bin/run.sh", "#!/bin/sh\necho hi\n");
        stub("bin/hello", "\x7fELF....");
        std::os::unix::fs::symlink("/bin/busybox", r.join("bin/sh")).unwrap();
        std::fs::write(r.join("etc/passwd"), "root\n").unwrap();
        let root = Root::new(r.to_path_buf());
        let f = |a: &str| lookup(&root, "/", "/usr/bin:/bin", a);
        assert_eq!(f("sh").unwrap().program, Program::Applet("sh".into()));
        assert_eq!(f("sh").unwrap().path, "/bin/sh");
        assert_eq!(f("yum").unwrap().program, Program::Applet("yum".into()));
        assert_eq!(f("/bin/run.sh").unwrap().program, Program::Script);
        assert_eq!(f("hello").unwrap().program, Program::Applet("hello".into()));
        assert_eq!(
            f("nosuchcmd"),
            Err(ExecError::NotInPath {
                name: "nosuchcmd".into()
            })
        );
        assert_eq!(
            f("/bin/bash"),
            Err(ExecError::NoSuchFile {
                path: "/bin/bash".into()
            })
        );
        assert_eq!(
            f("/etc/passwd"),
            Err(ExecError::PermissionDenied {
                path: "/etc/passwd".into()
            })
        );
        assert_eq!(
            f("/etc"),
            Err(ExecError::PermissionDenied {
                path: "/etc".into()
            })
        );
    }
}
