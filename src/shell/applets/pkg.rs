//! Package managers: `yum`/`dnf` (Red Hat), `apt-get`/`apt` (Debian, Ubuntu), `apk` (Alpine),
//! installing from an offline catalog.
//!
//! A package's files are applet stubs (`#!drydock-applet NAME`, so `yum install httpd` then
//! `httpd` runs drydock's server) and small text files; installing also records the package
//! where the distribution's tools look: a line in `/var/lib/rpm/Packages` (the hub images keep
//! the rpm database as a list of NVRAs), a stanza in `/var/lib/dpkg/status`, a block in
//! `/lib/apk/db/installed` and a name in `/etc/apk/world`. Output follows each tool's layout
//! (CentOS 7's yum, Debian 11's apt-get, Alpine 3.15's apk); sizes and mirrors are fixed so
//! transcripts replay. Lessons the exam relies on hold: apt-get finds nothing before
//! `apt-get update` (Docker images ship without package lists), and CentOS's `nginx` comes from
//! EPEL (`yum install epel-release` first).

use std::io::BufRead;

use super::shell::{Distro, distro, os_release};
use crate::shell::Ctx;
use crate::shell::fs::Root;

/// One file a package installs.
#[derive(Debug, Clone, Copy)]
pub enum F {
    /// An applet stub standing for program NAME (mode 0755).
    Applet(&'static str),
    /// A text file (mode 0644).
    Text(&'static str),
    Dir,
}

/// A package of the catalog.
#[derive(Debug, Clone, Copy)]
pub struct Pkg {
    pub name: &'static str,
    /// Other names the tool accepts for it (`vim` → `vim-enhanced` on yum).
    pub aliases: &'static [&'static str],
    pub version: &'static str,
    pub arch: &'static str,
    /// Download size in KiB (the installed size is shown as three times that).
    pub kib: u32,
    pub summary: &'static str,
    pub files: &'static [(&'static str, F)],
}

const HTTPD_CONF: &str = "ServerRoot \"/etc/httpd\"\nListen 80\nUser apache\nGroup apache\nDocumentRoot \"/var/www/html\"\n";
const NGINX_CONF: &str = "user nginx;\nworker_processes auto;\nevents {\n    worker_connections 1024;\n}\nhttp {\n    server {\n        listen 80;\n        root /usr/share/nginx/html;\n    }\n}\n";
const EPEL_REPO: &str = "[epel]\nname=Extra Packages for Enterprise Linux 7 - $basearch\nmetalink=https://mirrors.fedoraproject.org/metalink?repo=epel-7&arch=$basearch\nenabled=1\ngpgcheck=1\n";
const DEBIAN_APACHE_INDEX: &str = "<!DOCTYPE html>\n<html>\n  <head><title>Apache2 Debian Default Page: It works</title></head>\n  <body><h1>It works!</h1></body>\n</html>\n";
const DEBIAN_NGINX_INDEX: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n";

const fn p(
    name: &'static str,
    aliases: &'static [&'static str],
    version: &'static str,
    arch: &'static str,
    kib: u32,
    summary: &'static str,
    files: &'static [(&'static str, F)],
) -> Pkg {
    Pkg {
        name,
        aliases,
        version,
        arch,
        kib,
        summary,
        files,
    }
}

/// CentOS 7's packages (base, updates, and EPEL's nginx).
pub const RPMS: &[Pkg] = &[
    p(
        "epel-release",
        &[],
        "7-14",
        "noarch",
        15,
        "Extra Packages for Enterprise Linux repository configuration",
        &[("/etc/yum.repos.d/epel.repo", F::Text(EPEL_REPO))],
    ),
    p(
        "git",
        &[],
        "1.8.3.1-25.el7_9",
        "x86_64",
        4450,
        "Fast Version Control System",
        &[("/usr/bin/git", F::Applet("git"))],
    ),
    p(
        "httpd",
        &["apache"],
        "2.4.6-99.el7.centos.1",
        "x86_64",
        2765,
        "Apache HTTP Server",
        &[
            ("/etc/httpd/conf/httpd.conf", F::Text(HTTPD_CONF)),
            ("/usr/bin/htpasswd", F::Applet("htpasswd")),
            ("/usr/sbin/apachectl", F::Applet("apachectl")),
            ("/usr/sbin/httpd", F::Applet("httpd")),
            ("/var/log/httpd", F::Dir),
            ("/var/www/cgi-bin", F::Dir),
            ("/var/www/html", F::Dir),
        ],
    ),
    p(
        "iputils",
        &["ping"],
        "20160308-10.el7",
        "x86_64",
        152,
        "Network monitoring tools including ping",
        &[("/usr/bin/ping", F::Applet("ping"))],
    ),
    p(
        "nano",
        &[],
        "2.3.1-10.el7",
        "x86_64",
        440,
        "A small text editor",
        &[("/usr/bin/nano", F::Applet("nano"))],
    ),
    p(
        "net-tools",
        &[],
        "2.0-0.25.20131004git.el7",
        "x86_64",
        306,
        "Basic networking tools",
        &[
            ("/usr/bin/netstat", F::Applet("netstat")),
            ("/usr/sbin/ifconfig", F::Applet("ifconfig")),
        ],
    ),
    p(
        "nginx",
        &[],
        "1.20.1-10.el7",
        "x86_64",
        588,
        "A high performance web server and reverse proxy server",
        &[
            ("/etc/nginx/nginx.conf", F::Text(NGINX_CONF)),
            ("/usr/sbin/nginx", F::Applet("nginx")),
            (
                "/usr/share/nginx/html/index.html",
                F::Text(DEBIAN_NGINX_INDEX),
            ),
            ("/var/log/nginx", F::Dir),
        ],
    ),
    p(
        "openssh-server",
        &["openssh"],
        "7.4p1-22.el7_9",
        "x86_64",
        459,
        "An open source SSH server daemon",
        &[("/usr/sbin/sshd", F::Applet("sshd"))],
    ),
    p(
        "procps-ng",
        &["procps"],
        "3.3.10-28.el7",
        "x86_64",
        291,
        "System and process monitoring utilities",
        &[
            ("/usr/bin/free", F::Applet("free")),
            ("/usr/bin/ps", F::Applet("ps")),
            ("/usr/bin/top", F::Applet("top")),
        ],
    ),
    p(
        "python3",
        &[],
        "3.6.8-21.el7_9",
        "x86_64",
        70,
        "Interpreter of the Python programming language",
        &[("/usr/bin/python3", F::Applet("python3"))],
    ),
    p(
        "tree",
        &[],
        "1.6.0-10.el7",
        "x86_64",
        46,
        "File system tree viewer",
        &[("/usr/bin/tree", F::Applet("tree"))],
    ),
    p(
        "vim-enhanced",
        &["vim"],
        "2:7.4.629-8.el7_9",
        "x86_64",
        1104,
        "A version of the VIM editor which includes recent enhancements",
        &[("/usr/bin/vim", F::Applet("vim"))],
    ),
    p(
        "wget",
        &[],
        "1.14-18.el7_6.1",
        "x86_64",
        547,
        "A utility for retrieving files using the HTTP or FTP protocols",
        &[("/usr/bin/wget", F::Applet("wget"))],
    ),
];

/// Debian 11's packages (Ubuntu images get the same catalog).
pub const DEBS: &[Pkg] = &[
    p(
        "apache2",
        &[],
        "2.4.56-1~deb11u2",
        "amd64",
        270,
        "Apache HTTP Server",
        &[
            (
                "/etc/apache2/apache2.conf",
                F::Text("ServerRoot \"/etc/apache2\"\nListen 80\n"),
            ),
            ("/usr/sbin/apache2", F::Applet("apache2")),
            ("/usr/sbin/apache2ctl", F::Applet("apache2ctl")),
            ("/usr/sbin/apachectl", F::Applet("apachectl")),
            ("/var/log/apache2", F::Dir),
            ("/var/www/html/index.html", F::Text(DEBIAN_APACHE_INDEX)),
        ],
    ),
    p(
        "apache2-utils",
        &[],
        "2.4.56-1~deb11u2",
        "amd64",
        246,
        "Apache HTTP Server (utility programs for web servers)",
        &[("/usr/bin/htpasswd", F::Applet("htpasswd"))],
    ),
    p(
        "curl",
        &[],
        "7.74.0-1.3+deb11u7",
        "amd64",
        269,
        "command line tool for transferring data with URL syntax",
        &[("/usr/bin/curl", F::Applet("curl"))],
    ),
    p(
        "git",
        &[],
        "1:2.30.2-1+deb11u2",
        "amd64",
        5665,
        "fast, scalable, distributed revision control system",
        &[("/usr/bin/git", F::Applet("git"))],
    ),
    p(
        "iputils-ping",
        &[],
        "3:20210202-1",
        "amd64",
        49,
        "Tools to test the reachability of network hosts",
        &[("/bin/ping", F::Applet("ping"))],
    ),
    p(
        "nano",
        &[],
        "5.4-2+deb11u2",
        "amd64",
        545,
        "small, friendly text editor inspired by Pico",
        &[("/bin/nano", F::Applet("nano"))],
    ),
    p(
        "net-tools",
        &[],
        "1.60+git20181103.0eebece-1",
        "amd64",
        248,
        "NET-3 networking toolkit",
        &[
            ("/bin/netstat", F::Applet("netstat")),
            ("/sbin/ifconfig", F::Applet("ifconfig")),
        ],
    ),
    p(
        "nginx",
        &[],
        "1.18.0-6.1+deb11u3",
        "amd64",
        126,
        "small, powerful, scalable web/proxy server",
        &[
            ("/etc/nginx/nginx.conf", F::Text(NGINX_CONF)),
            ("/usr/sbin/nginx", F::Applet("nginx")),
            ("/var/log/nginx", F::Dir),
            (
                "/var/www/html/index.nginx-debian.html",
                F::Text(DEBIAN_NGINX_INDEX),
            ),
        ],
    ),
    p(
        "openssh-server",
        &[],
        "1:8.4p1-5+deb11u1",
        "amd64",
        440,
        "secure shell (SSH) server, for secure access from remote machines",
        &[("/usr/sbin/sshd", F::Applet("sshd"))],
    ),
    p(
        "procps",
        &[],
        "2:3.3.17-5",
        "amd64",
        502,
        "/proc file system utilities",
        &[
            ("/bin/ps", F::Applet("ps")),
            ("/usr/bin/free", F::Applet("free")),
            ("/usr/bin/top", F::Applet("top")),
        ],
    ),
    p(
        "python3",
        &[],
        "3.9.2-3",
        "amd64",
        38,
        "interactive high-level object-oriented language (default python3 version)",
        &[("/usr/bin/python3", F::Applet("python3"))],
    ),
    p(
        "tree",
        &[],
        "1.8.0-1+b1",
        "amd64",
        49,
        "displays an indented directory tree, in color",
        &[("/usr/bin/tree", F::Applet("tree"))],
    ),
    p(
        "vim",
        &[],
        "2:8.2.2434-3+deb11u1",
        "amd64",
        1494,
        "Vi IMproved - enhanced vi editor",
        &[("/usr/bin/vim", F::Applet("vim"))],
    ),
    p(
        "wget",
        &[],
        "1.21-1+deb11u1",
        "amd64",
        964,
        "retrieves files from the web",
        &[("/usr/bin/wget", F::Applet("wget"))],
    ),
];

/// Alpine 3.15's packages.
pub const APKS: &[Pkg] = &[
    p(
        "apache2",
        &[],
        "2.4.57-r0",
        "x86_64",
        1400,
        "A high performance Unix-based HTTP server",
        &[
            ("/usr/sbin/httpd", F::Applet("httpd")),
            (
                "/var/www/localhost/htdocs/index.html",
                F::Text("<html><body><h1>It works!</h1></body></html>\n"),
            ),
        ],
    ),
    p(
        "apache2-utils",
        &[],
        "2.4.57-r0",
        "x86_64",
        200,
        "Apache utility programs for webservers",
        &[("/usr/bin/htpasswd", F::Applet("htpasswd"))],
    ),
    p(
        "bash",
        &[],
        "5.1.16-r0",
        "x86_64",
        1300,
        "The GNU Bourne Again shell",
        &[("/bin/bash", F::Applet("bash"))],
    ),
    p(
        "curl",
        &[],
        "7.80.0-r6",
        "x86_64",
        250,
        "URL retrival utility and library",
        &[("/usr/bin/curl", F::Applet("curl"))],
    ),
    p(
        "git",
        &[],
        "2.34.8-r0",
        "x86_64",
        10000,
        "Distributed version control system",
        &[("/usr/bin/git", F::Applet("git"))],
    ),
    p(
        "iputils",
        &[],
        "20211215-r0",
        "x86_64",
        150,
        "IP Configuration Utilities (and Ping)",
        &[("/bin/ping", F::Applet("ping"))],
    ),
    p(
        "nano",
        &[],
        "5.9-r0",
        "x86_64",
        600,
        "Enhanced clone of the Pico text editor",
        &[("/bin/nano", F::Applet("nano"))],
    ),
    p(
        "net-tools",
        &[],
        "2.10-r0",
        "x86_64",
        300,
        "Linux networking base tools",
        &[("/bin/netstat", F::Applet("netstat"))],
    ),
    p(
        "nginx",
        &[],
        "1.20.2-r2",
        "x86_64",
        600,
        "HTTP and reverse proxy server (stable version)",
        &[
            ("/etc/nginx/nginx.conf", F::Text(NGINX_CONF)),
            ("/usr/sbin/nginx", F::Applet("nginx")),
            (
                "/var/lib/nginx/html/index.html",
                F::Text(DEBIAN_NGINX_INDEX),
            ),
        ],
    ),
    p(
        "openssh",
        &[],
        "8.8_p1-r1",
        "x86_64",
        700,
        "Port of OpenBSD's free SSH release",
        &[("/usr/sbin/sshd", F::Applet("sshd"))],
    ),
    p(
        "procps",
        &[],
        "3.3.17-r0",
        "x86_64",
        400,
        "Utilities for monitoring your system and processes on your system",
        &[
            ("/bin/ps", F::Applet("ps")),
            ("/usr/bin/top", F::Applet("top")),
        ],
    ),
    p(
        "python3",
        &[],
        "3.9.16-r0",
        "x86_64",
        12000,
        "A high-level scripting language",
        &[("/usr/bin/python3", F::Applet("python3"))],
    ),
    p(
        "tree",
        &[],
        "1.8.0-r0",
        "x86_64",
        60,
        "A recursive directory indented listing of files",
        &[("/usr/bin/tree", F::Applet("tree"))],
    ),
    p(
        "vim",
        &[],
        "8.2.4836-r0",
        "x86_64",
        1600,
        "Improved vi-style text editor",
        &[("/usr/bin/vim", F::Applet("vim"))],
    ),
    p(
        "wget",
        &[],
        "1.21.2-r2",
        "x86_64",
        500,
        "Network utility to retrieve files from the Web",
        &[("/usr/bin/wget", F::Applet("wget"))],
    ),
];

/// The package of `catalog` that `name` names.
pub fn find(catalog: &'static [Pkg], name: &str) -> Option<&'static Pkg> {
    catalog
        .iter()
        .find(|p| p.name == name || p.aliases.contains(&name))
}

/// Writes a package's files into the rootfs (through the confined root).
pub fn write_files(root: &Root, pkg: &Pkg) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    for (path, f) in pkg.files {
        let real = root.resolve("/", path, true).map_err(|e| e.into_io())?;
        match f {
            F::Dir => std::fs::create_dir_all(&real)?,
            F::Text(t) | F::Applet(t) => {
                if let Some(parent) = real.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                let (body, mode) = match f {
                    F::Applet(name) => (crate::engine::hub::fs::applet_body(name), 0o755),
                    _ => (t.as_bytes().to_vec(), 0o644),
                };
                // A symlink in the way (`/usr/sbin/apachectl -> apache2ctl`) is replaced, not
                // written through.
                if std::fs::symlink_metadata(&real).is_ok_and(|m| m.file_type().is_symlink()) {
                    std::fs::remove_file(&real)?;
                }
                std::fs::write(&real, body)?;
                std::fs::set_permissions(&real, std::fs::Permissions::from_mode(mode))?;
            }
        }
    }
    Ok(())
}

/// Removes a package's files (directories only when empty).
fn remove_files(root: &Root, pkg: &Pkg) {
    for (path, f) in pkg.files {
        if let Ok(real) = root.resolve("/", path, false) {
            let _ = match f {
                F::Dir => std::fs::remove_dir(&real),
                _ => std::fs::remove_file(&real),
            };
        }
    }
}

fn read(root: &Root, path: &str) -> String {
    root.resolve("/", path, true)
        .ok()
        .and_then(|r| std::fs::read_to_string(r).ok())
        .unwrap_or_default()
}

fn write(root: &Root, path: &str, text: &str) -> std::io::Result<()> {
    let real = root.resolve("/", path, true).map_err(|e| e.into_io())?;
    if let Some(parent) = real.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(real, text)
}

/// Whether `-y`/`--yes`/`--assumeyes` (or `-qy` …) is among `args`.
fn has_yes(args: &[String]) -> bool {
    args.iter().any(|a| {
        a == "--yes"
            || a == "--assumeyes"
            || a == "--assume-yes"
            || (a.starts_with('-') && !a.starts_with("--") && a.contains('y'))
    })
}

fn human_kib(kib: u32) -> String {
    if kib >= 1024 {
        format!("{:.1} M", f64::from(kib) / 1024.0)
    } else {
        format!("{kib} k")
    }
}

// ------------------------------------------------------------------------------------- yum

fn rpm_db(root: &Root) -> Vec<String> {
    read(root, "/var/lib/rpm/Packages")
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn nvra(p: &Pkg) -> String {
    // The epoch (`2:`) is not part of an NVRA.
    let v = p.version.split_once(':').map_or(p.version, |(_, v)| v);
    format!("{}-{v}.{}", p.name, p.arch)
}

fn rpm_installed(db: &[String], p: &Pkg) -> bool {
    let v = p.version.split_once(':').map_or(p.version, |(_, v)| v);
    db.iter().any(|l| l.starts_with(&format!("{}-{v}", p.name)))
}

const YUM_HEAD: &str = "Loaded plugins: fastestmirror, ovl\n";
const YUM_MIRRORS: &str = "Determining fastest mirrors\n * base: mirror.centos.org\n * extras: mirror.centos.org\n * updates: mirror.centos.org\n";

/// `yum`/`dnf`: `install [-y] PKG…`, `remove|erase [-y] PKG…`, `list installed`, `clean all`,
/// `update`/`makecache` (nothing to do offline).
pub fn yum(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let words: Vec<&str> = args[1..]
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let yes = has_yes(&args[1..]);
    let root = ctx.state.root.clone();
    let epel = root.exists("/", "/etc/yum.repos.d/epel.repo");
    let mut out = String::from(YUM_HEAD);
    let code = match words.first().copied() {
        Some("install") => {
            out.push_str(YUM_MIRRORS);
            let db = rpm_db(&root);
            let mut todo: Vec<&Pkg> = Vec::new();
            let mut missing = Vec::new();
            for name in &words[1..] {
                match find(RPMS, name).filter(|p| p.name != "nginx" || epel) {
                    Some(p) if rpm_installed(&db, p) => out.push_str(&format!(
                        "Package {} already installed and latest version\n",
                        nvra(p).trim_end_matches(&format!(".{}", p.arch))
                    )),
                    Some(p) => {
                        if !todo.iter().any(|t| t.name == p.name) {
                            todo.push(p);
                        }
                    }
                    None => missing.push(*name),
                }
            }
            for m in &missing {
                out.push_str(&format!("No package {m} available.\n"));
            }
            if todo.is_empty() {
                if words.len() < 2 {
                    out.push_str("Error: Need to pass a list of pkgs to install\n");
                    let _ = ctx.io.stdout.write_all(out.as_bytes());
                    return 1;
                }
                let error = !missing.is_empty();
                out.push_str(if error {
                    "Error: Nothing to do\n"
                } else {
                    "Nothing to do\n"
                });
                let _ = ctx.io.stdout.write_all(out.as_bytes());
                return i32::from(error);
            }
            yum_transaction(ctx, &mut out, &todo, yes, true)
        }
        Some("remove") | Some("erase") => {
            let db = rpm_db(&root);
            let todo: Vec<&Pkg> = words[1..]
                .iter()
                .filter_map(|n| find(RPMS, n))
                .filter(|p| rpm_installed(&db, p))
                .collect();
            if todo.is_empty() {
                out.push_str(&format!(
                    "No Match for argument: {}\nNo Packages marked for removal\n",
                    words.get(1).copied().unwrap_or("")
                ));
                let _ = ctx.io.stdout.write_all(out.as_bytes());
                return 0;
            }
            yum_transaction(ctx, &mut out, &todo, yes, false)
        }
        Some("list") => {
            out.push_str("Loading mirror speeds from cached hostfile\nInstalled Packages\n");
            for line in rpm_db(&root) {
                // name-version-release.arch → name.arch  version-release
                let (rest, arch) = line.rsplit_once('.').unwrap_or((line.as_str(), ""));
                let mut parts: Vec<&str> = rest.rsplitn(3, '-').collect();
                parts.reverse();
                if let [name, ver, rel] = parts.as_slice() {
                    out.push_str(&format!(
                        "{:<40}{:<27}{}\n",
                        format!("{name}.{arch}"),
                        format!("{ver}-{rel}"),
                        "@CentOS"
                    ));
                }
            }
            0
        }
        Some("clean") => {
            out.push_str("Cleaning repos: base extras updates\n");
            if words.get(1) == Some(&"all") {
                out.push_str("Cleaning up everything\nMaybe you want: rm -rf /var/cache/yum, to also free up space taken by orphaned data from disabled or removed repos\n");
            }
            out.push_str("Cleaning up list of fastest mirrors\n");
            0
        }
        Some("update") | Some("upgrade") | Some("makecache") | Some("check-update") => {
            out.push_str(YUM_MIRRORS);
            out.push_str("No packages marked for update\n");
            0
        }
        Some(other) => {
            out.push_str(&format!(
                "No such command: {other}. Please use /usr/bin/yum --help\n"
            ));
            1
        }
        None => {
            out.push_str("You need to give some command\n");
            1
        }
    };
    let _ = ctx.io.stdout.write_all(out.as_bytes());
    code
}

/// The dependency summary, confirmation and transaction of a yum install or remove.
fn yum_transaction(
    ctx: &mut Ctx<'_, '_>,
    out: &mut String,
    todo: &[&Pkg],
    yes: bool,
    install: bool,
) -> i32 {
    let rule = "=".repeat(80);
    let (will, verb, ing) = if install {
        ("will be installed", "Installing", "Installing")
    } else {
        ("will be erased", "Removing", "Erasing")
    };
    out.push_str("Resolving Dependencies\n--> Running transaction check\n");
    for p in todo {
        let v = p.version.split_once(':').map_or(p.version, |(_, v)| v);
        out.push_str(&format!(
            "---> Package {}.{} 0:{v} {will}\n",
            p.name, p.arch
        ));
    }
    out.push_str("--> Finished Dependency Resolution\n\nDependencies Resolved\n\n");
    out.push_str(&format!(
        "{rule}\n {:<15}{:<11}{:<32}{:<15}{:>5}\n{rule}\n{verb}:\n",
        "Package", "Arch", "Version", "Repository", "Size"
    ));
    let mut total = 0;
    for p in todo {
        let v = p.version.split_once(':').map_or(p.version, |(_, v)| v);
        let repo = if !install {
            "@updates"
        } else if p.name == "nginx" {
            "epel"
        } else {
            "base"
        };
        let size = if install { p.kib } else { p.kib * 3 };
        total += p.kib;
        out.push_str(&format!(
            " {:<15}{:<11}{:<32}{:<15}{:>5}\n",
            p.name,
            p.arch,
            v,
            repo,
            human_kib(size)
        ));
    }
    let n = todo.len();
    let plural = if n == 1 { "Package" } else { "Packages" };
    out.push_str(&format!("\nTransaction Summary\n{rule}\n"));
    if install {
        out.push_str(&format!(
            "Install  {n} {plural}\n\nTotal download size: {}\nInstalled size: {}\n",
            human_kib(total),
            human_kib(total * 3)
        ));
    } else {
        out.push_str(&format!(
            "Remove  {n} {plural}\n\nInstalled size: {}\n",
            human_kib(total * 3)
        ));
    }
    if !yes {
        out.push_str(if install {
            "Is this ok [y/d/N]: "
        } else {
            "Is this ok [y/N]: "
        });
        let _ = ctx.io.stdout.write_all(out.as_bytes());
        let _ = ctx.io.stdout.flush();
        out.clear();
        let mut answer = String::new();
        let _ = std::io::BufReader::new(&mut *ctx.io.stdin).read_line(&mut answer);
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            out.push_str("Exiting on user command\nYour transaction was saved, rerun it with:\n yum load-transaction /tmp/yum_save_tx.2024-01-01.00-00.drydock.yumtx\n");
            return 1;
        }
    }
    if install {
        out.push_str("Downloading packages:\n");
    }
    out.push_str("Running transaction check\nRunning transaction test\nTransaction test succeeded\nRunning transaction\n");
    let root = ctx.state.root.clone();
    let mut db = rpm_db(&root);
    for (i, p) in todo.iter().enumerate() {
        let r = if install {
            db.push(nvra(p));
            write_files(&root, p)
        } else {
            db.retain(|l| *l != nvra(p));
            remove_files(&root, p);
            Ok(())
        };
        if let Err(e) = r {
            out.push_str(&format!("Error unpacking rpm package {}: {e}\n", nvra(p)));
            let _ = ctx.io.stdout.write_all(out.as_bytes());
            return 1;
        }
        out.push_str(&format!("  {ing} : {:<60}{}/{n} \n", nvra(p), i + 1));
    }
    for (i, p) in todo.iter().enumerate() {
        out.push_str(&format!("  Verifying  : {:<60}{}/{n} \n", nvra(p), i + 1));
    }
    db.sort();
    db.dedup();
    if let Err(e) = write(&root, "/var/lib/rpm/Packages", &(db.join("\n") + "\n")) {
        out.push_str(&format!("error: rpmdb: {e}\n"));
    }
    out.push_str(if install {
        "\nInstalled:\n"
    } else {
        "\nRemoved:\n"
    });
    for p in todo {
        let v = p.version.split_once(':').map_or(p.version, |(_, v)| v);
        out.push_str(&format!("  {}.{} 0:{v}\n", p.name, p.arch));
    }
    out.push_str("\nComplete!\n");
    0
}

// ------------------------------------------------------------------------------------- apt

/// The mirror lines of `apt-get update` for the image's release.
fn apt_sources(root: &Root) -> (String, Vec<String>) {
    let rel = os_release(root);
    let get = |k: &str| rel.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
    let ubuntu = distro(root) == Distro::Ubuntu;
    let code = get("VERSION_CODENAME").unwrap_or_else(|| {
        if ubuntu {
            "focal".into()
        } else {
            "bullseye".into()
        }
    });
    let lines = if ubuntu {
        vec![
            format!("http://archive.ubuntu.com/ubuntu {code} InRelease [265 kB]"),
            format!("http://security.ubuntu.com/ubuntu {code}-security InRelease [114 kB]"),
            format!("http://archive.ubuntu.com/ubuntu {code}-updates InRelease [114 kB]"),
            format!("http://archive.ubuntu.com/ubuntu {code}/main amd64 Packages [1275 kB]"),
            format!("http://archive.ubuntu.com/ubuntu {code}/universe amd64 Packages [11.3 MB]"),
        ]
    } else {
        vec![
            format!("http://deb.debian.org/debian {code} InRelease [116 kB]"),
            format!("http://deb.debian.org/debian-security {code}-security InRelease [48.4 kB]"),
            format!("http://deb.debian.org/debian {code}-updates InRelease [44.1 kB]"),
            format!("http://deb.debian.org/debian {code}/main amd64 Packages [8183 kB]"),
            format!(
                "http://deb.debian.org/debian-security {code}-security/main amd64 Packages [236 kB]"
            ),
            format!("http://deb.debian.org/debian {code}-updates/main amd64 Packages [14.6 kB]"),
        ]
    };
    (code, lines)
}

const APT_LISTS: &str = "/var/lib/apt/lists";
const READING: &str = "Reading package lists... Done\nBuilding dependency tree... Done\nReading state information... Done\n";

fn apt_has_lists(root: &Root) -> bool {
    root.read_dir("/", APT_LISTS).is_ok_and(|names| {
        names
            .iter()
            .any(|n| n.to_string_lossy().ends_with("_Packages"))
    })
}

fn dpkg_installed(status: &str, name: &str) -> bool {
    status.split("\n\n").any(|s| {
        s.lines().next() == Some(&format!("Package: {name}"))
            && s.contains("Status: install ok installed")
    })
}

/// `apt-get`/`apt`: `update`, `install [-y] PKG…`, `remove|purge [-y] PKG…`, `clean`.
pub fn apt_get(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let words: Vec<&str> = args[1..]
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let root = ctx.state.root.clone();
    let mut out = String::new();
    let code = match words.first().copied() {
        Some("update") => {
            let (code, lines) = apt_sources(&root);
            for (i, l) in lines.iter().enumerate() {
                out.push_str(&format!("Get:{} {l}\n", i + 1));
            }
            out.push_str("Fetched 8642 kB in 1s (6432 kB/s)\nReading package lists... Done\n");
            let host = if distro(&root) == Distro::Ubuntu {
                "archive.ubuntu.com_ubuntu"
            } else {
                "deb.debian.org_debian"
            };
            let list = format!("{APT_LISTS}/{host}_dists_{code}_main_binary-amd64_Packages");
            let _ = write(&root, &list, "");
            let _ = write(
                &root,
                &format!("{APT_LISTS}/{host}_dists_{code}_InRelease"),
                "",
            );
            0
        }
        Some("install") => {
            out.push_str(READING);
            let status = read(&root, "/var/lib/dpkg/status");
            let lists = apt_has_lists(&root);
            let mut todo: Vec<&Pkg> = Vec::new();
            for name in &words[1..] {
                match find(DEBS, name).filter(|_| lists) {
                    Some(p) if dpkg_installed(&status, p.name) => out.push_str(&format!(
                        "{} is already the newest version ({}).\n",
                        p.name, p.version
                    )),
                    Some(p) => todo.push(p),
                    None => {
                        out.push_str(&format!("E: Unable to locate package {name}\n"));
                        let _ = ctx.io.stdout.write_all(out.as_bytes());
                        return 100;
                    }
                }
            }
            if todo.is_empty() {
                out.push_str("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n");
                let _ = ctx.io.stdout.write_all(out.as_bytes());
                return 0;
            }
            apt_install(&root, &mut out, &todo, status)
        }
        Some("remove") | Some("purge") => {
            out.push_str(READING);
            let mut status = read(&root, "/var/lib/dpkg/status");
            let todo: Vec<&Pkg> = words[1..]
                .iter()
                .filter_map(|n| find(DEBS, n))
                .filter(|p| dpkg_installed(&status, p.name))
                .collect();
            if todo.is_empty() {
                for n in &words[1..] {
                    out.push_str(&format!("Package '{n}' is not installed, so not removed\n"));
                }
                out.push_str("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n");
            } else {
                out.push_str(&format!(
                    "The following packages will be REMOVED:\n  {}\n0 upgraded, 0 newly installed, {} to remove and 0 not upgraded.\n",
                    todo.iter().map(|p| p.name).collect::<Vec<_>>().join(" "),
                    todo.len()
                ));
                out.push_str(
                    "(Reading database ... 6661 files and directories currently installed.)\n",
                );
                for p in &todo {
                    out.push_str(&format!("Removing {} ({}) ...\n", p.name, p.version));
                    remove_files(&root, p);
                    status = status
                        .split("\n\n")
                        .filter(|s| {
                            !s.trim().is_empty()
                                && s.lines().next() != Some(&format!("Package: {}", p.name))
                        })
                        .map(|s| format!("{}\n\n", s.trim_end()))
                        .collect();
                }
                let _ = write(&root, "/var/lib/dpkg/status", &status);
            }
            0
        }
        Some("clean") | Some("autoremove") | Some("autoclean") => 0,
        Some("upgrade") | Some("dist-upgrade") => {
            out.push_str(READING);
            out.push_str("Calculating upgrade... Done\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n");
            0
        }
        Some(other) => {
            out.push_str(&format!("E: Invalid operation {other}\n"));
            let _ = ctx.io.stderr.write_all(out.as_bytes());
            return 100;
        }
        None => {
            out.push_str("apt 2.2.4 (amd64)\nUsage: apt-get [options] command\n");
            1
        }
    };
    let _ = ctx.io.stdout.write_all(out.as_bytes());
    code
}

fn apt_install(root: &Root, out: &mut String, todo: &[&Pkg], mut status: String) -> i32 {
    let total: u32 = todo.iter().map(|p| p.kib).sum();
    let names: Vec<&str> = todo.iter().map(|p| p.name).collect();
    out.push_str(&format!(
        "The following NEW packages will be installed:\n  {}\n0 upgraded, {} newly installed, 0 to remove and 0 not upgraded.\nNeed to get {total} kB of archives.\nAfter this operation, {} kB of additional disk space will be used.\n",
        names.join(" "),
        todo.len(),
        total * 3
    ));
    let (code, _) = apt_sources(root);
    let ubuntu = distro(root) == Distro::Ubuntu;
    for (i, p) in todo.iter().enumerate() {
        let mirror = if ubuntu {
            format!("http://archive.ubuntu.com/ubuntu {code}/main")
        } else {
            format!("http://deb.debian.org/debian {code}/main")
        };
        out.push_str(&format!(
            "Get:{} {mirror} amd64 {} {} {} [{} kB]\n",
            i + 1,
            p.name,
            p.arch,
            p.version,
            p.kib
        ));
    }
    out.push_str("debconf: delaying package configuration, since apt-utils is not installed\n");
    out.push_str(&format!("Fetched {total} kB in 0s ({} kB/s)\n", total * 8));
    for (i, p) in todo.iter().enumerate() {
        let file_v = p.version.split_once(':').map_or(p.version, |(_, v)| v);
        out.push_str(&format!(
            "Selecting previously unselected package {}.\n",
            p.name
        ));
        if i == 0 {
            out.push_str(
                "(Reading database ... 6661 files and directories currently installed.)\n",
            );
        }
        out.push_str(&format!(
            "Preparing to unpack .../{}_{file_v}_{}.deb ...\nUnpacking {} ({}) ...\n",
            p.name, p.arch, p.name, p.version
        ));
    }
    for p in todo {
        if let Err(e) = write_files(root, p) {
            out.push_str(&format!("dpkg: error processing archive {}: {e}\n", p.name));
            return 100;
        }
        out.push_str(&format!("Setting up {} ({}) ...\n", p.name, p.version));
        status.push_str(&format!(
            "Package: {}\nStatus: install ok installed\nPriority: optional\nSection: misc\nInstalled-Size: {}\nMaintainer: Debian QA Group <packages@qa.debian.org>\nArchitecture: {}\nVersion: {}\nDescription: {}\n\n",
            p.name,
            p.kib * 3,
            p.arch,
            p.version,
            p.summary
        ));
    }
    if let Err(e) = write(root, "/var/lib/dpkg/status", &status) {
        out.push_str(&format!("E: writing the dpkg status: {e}\n"));
        return 100;
    }
    0
}

// ------------------------------------------------------------------------------------- apk

fn alpine_branch(root: &Root) -> String {
    let rel = os_release(root);
    let v = rel
        .iter()
        .find(|(k, _)| k == "VERSION_ID")
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| "3.15.0".into());
    let mut parts = v.split('.');
    match (parts.next(), parts.next()) {
        (Some(a), Some(b)) => format!("v{a}.{b}"),
        _ => "v3.15".into(),
    }
}

fn apk_fetch_lines(root: &Root) -> String {
    let b = alpine_branch(root);
    format!(
        "fetch https://dl-cdn.alpinelinux.org/alpine/{b}/main/x86_64/APKINDEX.tar.gz\nfetch https://dl-cdn.alpinelinux.org/alpine/{b}/community/x86_64/APKINDEX.tar.gz\n"
    )
}

/// `apk add [--no-cache] PKG…`, `apk del PKG…`, `apk update`, `apk info`.
pub fn apk(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let words: Vec<&str> = args[1..]
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let root = ctx.state.root.clone();
    let installed = read(&root, "/lib/apk/db/installed");
    let count = |db: &str| db.matches("\nP:").count() + usize::from(db.starts_with("P:"));
    let mut out = String::new();
    let code = match words.first().copied() {
        Some("update") => {
            let b = alpine_branch(&root);
            out.push_str(&apk_fetch_lines(&root));
            out.push_str(&format!(
                "{b}.10-1 [https://dl-cdn.alpinelinux.org/alpine/{b}/main]\n{b}.10-1 [https://dl-cdn.alpinelinux.org/alpine/{b}/community]\nOK: 15859 distinct packages available\n"
            ));
            0
        }
        Some("add") => {
            out.push_str(&apk_fetch_lines(&root));
            let mut todo: Vec<&Pkg> = Vec::new();
            let mut missing = Vec::new();
            for name in &words[1..] {
                match find(APKS, name) {
                    Some(p) if installed.contains(&format!("P:{}\n", p.name)) => {}
                    Some(p) => todo.push(p),
                    None => missing.push(*name),
                }
            }
            if !missing.is_empty() {
                out.push_str("ERROR: unable to select packages:\n");
                for m in &missing {
                    out.push_str(&format!(
                        "  {m} (no such package):\n    required by: world[{m}]\n"
                    ));
                }
                let _ = ctx.io.stderr.write_all(out.as_bytes());
                return 1;
            }
            let mut db = installed.clone();
            let mut world = read(&root, "/etc/apk/world");
            for (i, p) in todo.iter().enumerate() {
                out.push_str(&format!(
                    "({}/{}) Installing {} ({})\n",
                    i + 1,
                    todo.len(),
                    p.name,
                    p.version
                ));
                if let Err(e) = write_files(&root, p) {
                    out.push_str(&format!("ERROR: {}-{}: {e}\n", p.name, p.version));
                    let _ = ctx.io.stderr.write_all(out.as_bytes());
                    return 1;
                }
                db.push_str(&format!(
                    "P:{}\nV:{}\nA:x86_64\nT:{}\nU:https://alpinelinux.org\nL:GPL-2.0-only\no:{}\n\n",
                    p.name, p.version, p.summary, p.name
                ));
                if !world.lines().any(|l| l == p.name) {
                    world.push_str(p.name);
                    world.push('\n');
                }
            }
            let _ = write(&root, "/lib/apk/db/installed", &db);
            let _ = write(&root, "/etc/apk/world", &world);
            if !todo.is_empty() {
                out.push_str("Executing busybox-1.34.1-r7.trigger\n");
            }
            let mib = 5 + todo.iter().map(|p| p.kib).sum::<u32>() * 3 / 1024;
            out.push_str(&format!("OK: {mib} MiB in {} packages\n", count(&db)));
            0
        }
        Some("del") => {
            let mut db = installed.clone();
            let todo: Vec<&Pkg> = words[1..]
                .iter()
                .filter_map(|n| find(APKS, n))
                .filter(|p| installed.contains(&format!("P:{}\n", p.name)))
                .collect();
            for (i, p) in todo.iter().enumerate() {
                out.push_str(&format!(
                    "({}/{}) Purging {} ({})\n",
                    i + 1,
                    todo.len(),
                    p.name,
                    p.version
                ));
                remove_files(&root, p);
                db = db
                    .split("\n\n")
                    .filter(|s| {
                        !s.trim().is_empty() && s.lines().next() != Some(&format!("P:{}", p.name))
                    })
                    .map(|s| format!("{}\n\n", s.trim_start_matches('\n')))
                    .collect();
            }
            let _ = write(&root, "/lib/apk/db/installed", &db);
            out.push_str(&format!("OK: 5 MiB in {} packages\n", count(&db)));
            0
        }
        Some("info") => {
            for l in installed.lines() {
                if let Some(n) = l.strip_prefix("P:") {
                    out.push_str(n);
                    out.push('\n');
                }
            }
            0
        }
        _ => {
            out.push_str("apk-tools 2.12.7, compiled for x86_64.\n\nusage: apk [<OPTIONS>...] COMMAND [<ARGUMENTS>...]\n");
            1
        }
    };
    let _ = ctx.io.stdout.write_all(out.as_bytes());
    code
}
