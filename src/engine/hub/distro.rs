//! Base distributions: the root filesystems of the hub's `FROM scratch` images (Alpine, BusyBox,
//! Debian, Ubuntu, CentOS, Fedora) and the recipes of those base images.
//!
//! Each tree carries what the exam touches: `/etc/os-release` (real text; CentOS 6 and BusyBox have
//! none), `passwd`/`group`, the directory skeleton with the distribution's usr-merge symlinks, the
//! package manager's database, and applet stubs for its programs (with the distribution's own
//! links: `/bin/sh -> dash` on Debian, `sh -> bash` on Red Hat, busybox links on Alpine).

use super::fs::Tree;
use super::recipe::{Build, Recipe};

/// A Debian-family package: name, version, section, installed size (KiB), description.
type Deb = (&'static str, &'static str, &'static str, u32, &'static str);

fn dpkg_status(pkgs: &[Deb], arch: &str) -> String {
    let mut s = String::new();
    for (name, version, section, size, desc) in pkgs {
        s.push_str(&format!(
            "Package: {name}\nStatus: install ok installed\nPriority: required\nSection: {section}\n\
             Installed-Size: {size}\nMaintainer: Debian QA Group <packages@qa.debian.org>\n\
             Architecture: {arch}\nVersion: {version}\nDescription: {desc}\n\n"
        ));
    }
    s
}

/// An Alpine package: name, version, description.
type Apk = (&'static str, &'static str, &'static str);

pub fn apk_installed(pkgs: &[Apk]) -> String {
    let mut s = String::new();
    for (name, version, desc) in pkgs {
        s.push_str(&format!(
            "P:{name}\nV:{version}\nA:x86_64\nT:{desc}\nU:https://alpinelinux.org\nL:GPL-2.0-only\no:{name}\n\n"
        ));
    }
    s
}

pub const DEBIAN_PASSWD: &str = "root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
games:x:5:60:games:/usr/games:/usr/sbin/nologin
man:x:6:12:man:/var/cache/man:/usr/sbin/nologin
lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin
mail:x:8:8:mail:/var/mail:/usr/sbin/nologin
news:x:9:9:news:/var/spool/news:/usr/sbin/nologin
uucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin
proxy:x:13:13:proxy:/bin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
backup:x:34:34:backup:/var/backups:/usr/sbin/nologin
list:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin
irc:x:39:39:ircd:/var/run/ircd:/usr/sbin/nologin
gnats:x:41:41:Gnats Bug-Reporting System (admin):/var/lib/gnats:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
_apt:x:100:65534::/nonexistent:/usr/sbin/nologin
";

pub const DEBIAN_GROUP: &str = "root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
news:x:9:
uucp:x:10:
man:x:12:
proxy:x:13:
kmem:x:15:
dialout:x:20:
fax:x:21:
voice:x:22:
cdrom:x:24:
floppy:x:25:
tape:x:26:
sudo:x:27:
audio:x:29:
dip:x:30:
www-data:x:33:
backup:x:34:
operator:x:37:
list:x:38:
irc:x:39:
src:x:40:
gnats:x:41:
shadow:x:42:
utmp:x:43:
video:x:44:
sasl:x:45:
plugdev:x:46:
staff:x:50:
games:x:60:
users:x:100:
nogroup:x:65534:
";

pub const REDHAT_PASSWD: &str = "root:x:0:0:root:/root:/bin/bash
bin:x:1:1:bin:/bin:/sbin/nologin
daemon:x:2:2:daemon:/sbin:/sbin/nologin
adm:x:3:4:adm:/var/adm:/sbin/nologin
lp:x:4:7:lp:/var/spool/lpd:/sbin/nologin
sync:x:5:0:sync:/sbin:/bin/sync
shutdown:x:6:0:shutdown:/sbin:/sbin/shutdown
halt:x:7:0:halt:/sbin:/sbin/halt
mail:x:8:12:mail:/var/spool/mail:/sbin/nologin
operator:x:11:0:operator:/root:/sbin/nologin
games:x:12:100:games:/usr/games:/sbin/nologin
ftp:x:14:50:FTP User:/var/ftp:/sbin/nologin
nobody:x:99:99:Nobody:/:/sbin/nologin
";

pub const REDHAT_GROUP: &str = "root:x:0:
bin:x:1:
daemon:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mem:x:8:
kmem:x:9:
wheel:x:10:
cdrom:x:11:
mail:x:12:
man:x:15:
dialout:x:18:
floppy:x:19:
games:x:20:
tape:x:33:
video:x:39:
ftp:x:50:
lock:x:54:
audio:x:63:
nobody:x:99:
users:x:100:
utmp:x:22:
";

pub const ALPINE_PASSWD: &str = "root:x:0:0:root:/root:/bin/ash
bin:x:1:1:bin:/bin:/sbin/nologin
daemon:x:2:2:daemon:/sbin:/sbin/nologin
adm:x:3:4:adm:/var/adm:/sbin/nologin
lp:x:4:7:lp:/var/spool/lpd:/sbin/nologin
sync:x:5:0:sync:/sbin:/bin/sync
shutdown:x:6:0:shutdown:/sbin:/sbin/shutdown
halt:x:7:0:halt:/sbin:/sbin/halt
mail:x:8:12:mail:/var/mail:/sbin/nologin
news:x:9:13:news:/usr/lib/news:/sbin/nologin
uucp:x:10:14:uucp:/var/spool/uucppublic:/sbin/nologin
operator:x:11:0:operator:/root:/sbin/nologin
man:x:13:15:man:/usr/man:/sbin/nologin
postmaster:x:14:12:postmaster:/var/mail:/sbin/nologin
cron:x:16:16:cron:/var/spool/cron:/sbin/nologin
ftp:x:21:21::/var/lib/ftp:/sbin/nologin
sshd:x:22:22:sshd:/dev/null:/sbin/nologin
at:x:25:25:at:/var/spool/cron/atjobs:/sbin/nologin
squid:x:31:31:Squid:/var/cache/squid:/sbin/nologin
xfs:x:33:33:X Font Server:/etc/X11/fs:/sbin/nologin
games:x:35:35:games:/usr/games:/sbin/nologin
cyrus:x:85:12::/usr/cyrus:/sbin/nologin
vpopmail:x:89:89::/var/vpopmail:/sbin/nologin
ntp:x:123:123:NTP:/var/empty:/sbin/nologin
smmsp:x:209:209:smmsp:/var/spool/mqueue:/sbin/nologin
guest:x:405:100:guest:/dev/null:/sbin/nologin
nobody:x:65534:65534:nobody:/:/sbin/nologin
";

pub const ALPINE_GROUP: &str = "root:x:0:root
bin:x:1:root,bin,daemon
daemon:x:2:root,bin,daemon
sys:x:3:root,bin,adm
adm:x:4:root,adm,daemon
tty:x:5:
disk:x:6:root,adm
lp:x:7:lp
mem:x:8:
kmem:x:9:
wheel:x:10:root
floppy:x:11:root
mail:x:12:mail
news:x:13:news
uucp:x:14:uucp
man:x:15:man
cron:x:16:cron
console:x:17:
audio:x:18:
cdrom:x:19:
dialout:x:20:root
ftp:x:21:
sshd:x:22:
input:x:23:
at:x:25:at
tape:x:26:root
video:x:27:root
netdev:x:28:
readproc:x:30:
squid:x:31:squid
xfs:x:33:xfs
kvm:x:34:kvm
games:x:35:
shadow:x:42:
cdrw:x:80:
ping:x:999:
www-data:x:82:
users:x:100:games
nogroup:x:65533:
nobody:x:65534:
";

const BUSYBOX_PASSWD: &str = "root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
sync:x:4:100:sync:/bin:/bin/sync
mail:x:8:8:mail:/var/spool/mail:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
operator:x:37:37:Operator:/var:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
";

const BUSYBOX_GROUP: &str = "root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
kmem:x:9:
wheel:x:10:root
cdrom:x:11:
dialout:x:18:
floppy:x:19:
video:x:28:
audio:x:29:
tape:x:32:
www-data:x:33:
operator:x:37:
utmp:x:43:
plugdev:x:46:
staff:x:50:
lock:x:54:
netdev:x:82:
users:x:100:
nogroup:x:65534:
";

/// The standard skeleton: FHS directories with their real modes.
fn skeleton(t: &mut Tree, merged: bool, libs: &[&str]) {
    t.dirs(&[
        "dev",
        "etc",
        "home",
        "media",
        "mnt",
        "opt",
        "proc",
        "run",
        "srv",
        "sys",
        "usr",
        "usr/bin",
        "usr/sbin",
        "usr/lib",
        "usr/local",
        "usr/local/bin",
        "usr/local/sbin",
        "usr/local/lib",
        "usr/local/share",
        "usr/share",
        "var",
        "var/cache",
        "var/lib",
        "var/local",
        "var/log",
        "var/mail",
        "var/opt",
        "var/spool",
    ]);
    t.dir("root", 0o700)
        .dir("tmp", 0o1777)
        .dir("var/tmp", 0o1777);
    if merged {
        t.link("bin", "usr/bin").link("sbin", "usr/sbin");
        for l in libs {
            t.link(l, &format!("usr/{l}"));
            t.dir(&format!("usr/{l}"), 0o755);
        }
    } else {
        t.dirs(&["bin", "sbin"]);
        for l in libs {
            t.dir(l, 0o755);
        }
    }
}

// ---------------------------------------------------------------- Alpine and BusyBox

const BB_BIN: &[&str] = &[
    "arch",
    "ash",
    "base64",
    "bbconfig",
    "cat",
    "chgrp",
    "chmod",
    "chown",
    "cp",
    "date",
    "dd",
    "df",
    "dmesg",
    "dnsdomainname",
    "echo",
    "egrep",
    "false",
    "fgrep",
    "getopt",
    "grep",
    "gunzip",
    "gzip",
    "hostname",
    "kill",
    "link",
    "ln",
    "login",
    "ls",
    "mkdir",
    "mknod",
    "mktemp",
    "more",
    "mount",
    "mountpoint",
    "mv",
    "netstat",
    "nice",
    "pidof",
    "ping",
    "ping6",
    "printenv",
    "ps",
    "pwd",
    "rev",
    "rm",
    "rmdir",
    "run-parts",
    "sed",
    "sh",
    "sleep",
    "stat",
    "stty",
    "su",
    "sync",
    "tar",
    "touch",
    "true",
    "umount",
    "uname",
    "usleep",
    "watch",
    "zcat",
];
const BB_SBIN: &[&str] = &[
    "arp",
    "blkid",
    "fdisk",
    "getty",
    "halt",
    "hwclock",
    "ifconfig",
    "ifdown",
    "ifup",
    "init",
    "ip",
    "klogd",
    "ldconfig",
    "losetup",
    "mdev",
    "mkswap",
    "modprobe",
    "nologin",
    "poweroff",
    "reboot",
    "route",
    "swapoff",
    "swapon",
    "switch_root",
    "sysctl",
    "syslogd",
    "udhcpc",
];
const BB_USR_BIN: &[&str] = &[
    "[",
    "[[",
    "awk",
    "basename",
    "bc",
    "bunzip2",
    "bzcat",
    "bzip2",
    "cal",
    "cksum",
    "clear",
    "cmp",
    "comm",
    "cpio",
    "crontab",
    "cut",
    "dc",
    "diff",
    "dirname",
    "du",
    "env",
    "expand",
    "expr",
    "find",
    "flock",
    "fold",
    "free",
    "fuser",
    "getent",
    "groups",
    "head",
    "hexdump",
    "id",
    "install",
    "killall",
    "less",
    "logger",
    "lsof",
    "md5sum",
    "mkfifo",
    "mkpasswd",
    "nc",
    "nl",
    "nohup",
    "nproc",
    "nslookup",
    "od",
    "passwd",
    "paste",
    "pgrep",
    "pkill",
    "printf",
    "pstree",
    "readlink",
    "realpath",
    "renice",
    "reset",
    "seq",
    "setsid",
    "sha1sum",
    "sha256sum",
    "sha512sum",
    "shuf",
    "sort",
    "split",
    "strings",
    "sum",
    "tac",
    "tail",
    "tee",
    "test",
    "time",
    "timeout",
    "top",
    "tr",
    "traceroute",
    "truncate",
    "tty",
    "uniq",
    "unlink",
    "unxz",
    "unzip",
    "uptime",
    "uudecode",
    "uuencode",
    "vi",
    "wc",
    "wget",
    "which",
    "whoami",
    "xargs",
    "xxd",
    "xzcat",
    "yes",
];
const BB_USR_SBIN: &[&str] = &[
    "addgroup", "adduser", "arping", "chpasswd", "chroot", "crond", "delgroup", "deluser",
    "killall5", "ntpd", "sendmail",
];

/// Alpine releases: (version, busybox, musl, alpine-baselayout, apk-tools).
const ALPINE: &[(&str, &str, &str, &str, &str)] = &[
    (
        "3.12.9",
        "1.31.1-r22",
        "1.1.24-r10",
        "3.2.0-r7",
        "2.10.8-r0",
    ),
    ("3.13.7", "1.32.1-r7", "1.2.2-r1", "3.2.0-r8", "2.12.7-r0"),
    ("3.14.3", "1.33.1-r6", "1.2.2-r3", "3.2.0-r16", "2.12.7-r0"),
    ("3.15.0", "1.34.1-r3", "1.2.2-r7", "3.2.0-r18", "2.12.7-r3"),
];

/// The Alpine root filesystem of release `version` (`3.15.0`).
pub fn alpine_tree(version: &str) -> Tree {
    let (v, bb, musl, layout, apk) = ALPINE
        .iter()
        .copied()
        .find(|a| a.0 == version)
        .unwrap_or(ALPINE[ALPINE.len() - 1]);
    let branch: String = v.split('.').take(2).collect::<Vec<_>>().join(".");
    let mut t = Tree::new();
    skeleton(&mut t, false, &["lib"]);
    t.dirs(&[
        "etc/apk",
        "etc/apk/keys",
        "etc/apk/protected_paths.d",
        "etc/crontabs",
        "etc/init.d",
        "etc/network",
        "etc/opt",
        "etc/periodic",
        "etc/profile.d",
        "etc/ssl",
        "lib/apk",
        "lib/apk/db",
        "lib/firmware",
        "lib/mdev",
        "lib/modules-load.d",
        "lib/sysctl.d",
        "usr/share/apk",
        "var/cache/apk",
        "var/empty",
        "var/run",
    ]);
    t.text(
        "etc/os-release",
        &format!(
            "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID={v}\nPRETTY_NAME=\"Alpine Linux v{branch}\"\n\
             HOME_URL=\"https://alpinelinux.org/\"\nBUG_REPORT_URL=\"https://bugs.alpinelinux.org/\"\n"
        ),
    )
    .text("etc/alpine-release", &format!("{v}\n"))
    .text("etc/issue", &format!("Welcome to Alpine Linux {branch}\nKernel \\r on an \\m (\\l)\n\n"))
    .text("etc/hostname", "localhost\n")
    .text("etc/hosts", "127.0.0.1\tlocalhost localhost.localdomain\n::1\t\tlocalhost localhost.localdomain\n")
    .text("etc/passwd", ALPINE_PASSWD)
    .text("etc/group", ALPINE_GROUP)
    .file("etc/shadow", 0o640, "root:!::0:::::\n".as_bytes().to_vec())
    .text("etc/shells", "# valid login shells\n/bin/sh\n/bin/ash\n")
    .text("etc/profile", "export PATH=\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"\nexport PAGER=less\nexport PS1='\\h:\\w\\$ '\numask 022\n\nfor script in /etc/profile.d/*.sh ; do\n\tif [ -r $script ] ; then\n\t\t. $script\n\tfi\ndone\n")
    .text(
        "etc/apk/repositories",
        &format!(
            "https://dl-cdn.alpinelinux.org/alpine/v{branch}/main\nhttps://dl-cdn.alpinelinux.org/alpine/v{branch}/community\n"
        ),
    )
    .text("etc/apk/arch", "x86_64\n")
    .text(
        "etc/apk/world",
        "alpine-baselayout\nalpine-keys\napk-tools\nbusybox\nlibc-utils\n",
    )
    .text(
        "lib/apk/db/installed",
        &apk_installed(&[
            ("musl", musl, "the musl c library (libc) implementation"),
            ("busybox", bb, "Size optimized toolbox of many common UNIX utilities"),
            ("alpine-baselayout", layout, "Alpine base dir structure and init scripts"),
            ("alpine-keys", "2.4-r1", "Public keys for Alpine Linux packages"),
            ("apk-tools", apk, "Alpine Package Keeper - package manager for alpine"),
            ("zlib", "1.2.11-r3", "A compression/decompression Library"),
            ("ssl_client", bb, "EXternal ssl_client for busybox wget"),
            ("musl-utils", musl, "the musl c library (libc) implementation"),
            ("libc-utils", "0.7.2-r3", "Meta package to pull in correct libc"),
        ]),
    )
    .file("lib/ld-musl-x86_64.so.1", 0o755, b"\x7fELF drydock placeholder: musl\n".to_vec())
    .link("lib/libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1")
    .applet("bin/busybox")
    .applet("sbin/apk")
    .applet("usr/bin/ssl_client")
    .applet("usr/bin/scanelf")
    .applet("usr/bin/getconf")
    .applet("usr/bin/iconv")
    .applet("usr/bin/ldd");
    t.links("bin", BB_BIN, "/bin/busybox")
        .links("sbin", BB_SBIN, "/bin/busybox")
        .links("usr/bin", BB_USR_BIN, "/bin/busybox")
        .links("usr/sbin", BB_USR_SBIN, "/bin/busybox");
    t
}

/// `alpine:<version>`: one ADD layer and `CMD ["/bin/sh"]`.
pub fn alpine(version: &str, created: &str) -> Recipe {
    Build::scratch(created, "20.10.7")
        .add("/", alpine_tree(version))
        .cmd(&["/bin/sh"])
        .finish()
}

/// `busybox:<version>` (the glibc variant): every applet is a link to `/bin/busybox`.
pub fn busybox(created: &str) -> Recipe {
    let mut t = Tree::new();
    t.dirs(&[
        "bin",
        "dev",
        "etc",
        "etc/network",
        "home",
        "usr",
        "usr/sbin",
        "var",
        "var/spool",
        "var/spool/mail",
        "var/www",
    ]);
    t.dir("root", 0o700).dir("tmp", 0o1777);
    t.text("etc/passwd", BUSYBOX_PASSWD)
        .text("etc/group", BUSYBOX_GROUP)
        .file("etc/shadow", 0o600, b"root:*:10933:0:99999:7:::\n".to_vec())
        .applet("bin/busybox");
    let all: Vec<&str> = BB_BIN
        .iter()
        .chain(BB_SBIN)
        .chain(BB_USR_BIN)
        .chain(BB_USR_SBIN)
        .copied()
        .filter(|n| *n != "[[")
        .collect();
    t.links("bin", &all, "/bin/busybox");
    Build::scratch(created, "20.10.7")
        .add("/", t)
        .cmd(&["sh"])
        .finish()
}

// ---------------------------------------------------------------- Debian and Ubuntu

const DEB_BIN: &[&str] = &[
    "bash",
    "cat",
    "chgrp",
    "chmod",
    "chown",
    "cp",
    "dash",
    "date",
    "dd",
    "df",
    "dir",
    "dmesg",
    "echo",
    "egrep",
    "false",
    "fgrep",
    "findmnt",
    "grep",
    "gunzip",
    "gzip",
    "hostname",
    "ln",
    "login",
    "ls",
    "lsblk",
    "mkdir",
    "mknod",
    "mktemp",
    "more",
    "mount",
    "mountpoint",
    "mv",
    "pwd",
    "readlink",
    "rm",
    "rmdir",
    "run-parts",
    "sed",
    "sleep",
    "stty",
    "su",
    "sync",
    "tar",
    "tempfile",
    "touch",
    "true",
    "umount",
    "uname",
    "vdir",
    "zcat",
    "zgrep",
];
const DEB_SBIN: &[&str] = &[
    "agetty",
    "blkid",
    "getty",
    "killall5",
    "ldconfig",
    "mkswap",
    "runuser",
    "shadowconfig",
    "start-stop-daemon",
    "swapoff",
    "swapon",
];
const DEB_USR_BIN: &[&str] = &[
    "[",
    "apt",
    "apt-cache",
    "apt-config",
    "apt-get",
    "apt-key",
    "apt-mark",
    "base64",
    "basename",
    "chage",
    "cksum",
    "cmp",
    "comm",
    "cut",
    "diff",
    "dirname",
    "dpkg",
    "dpkg-deb",
    "dpkg-query",
    "du",
    "env",
    "expr",
    "find",
    "getent",
    "gpgv",
    "groups",
    "head",
    "id",
    "install",
    "ldd",
    "locale",
    "mawk",
    "md5sum",
    "nproc",
    "passwd",
    "perl",
    "printf",
    "realpath",
    "seq",
    "sha1sum",
    "sha256sum",
    "sort",
    "stat",
    "tail",
    "tee",
    "test",
    "timeout",
    "tr",
    "tty",
    "uniq",
    "update-alternatives",
    "wc",
    "which",
    "whoami",
    "xargs",
    "yes",
];
const DEB_USR_SBIN: &[&str] = &[
    "adduser",
    "addgroup",
    "chpasswd",
    "chroot",
    "groupadd",
    "groupdel",
    "invoke-rc.d",
    "nologin",
    "pam-auth-update",
    "service",
    "update-rc.d",
    "useradd",
    "userdel",
    "usermod",
];

/// Files both Debian and Ubuntu have, for a given merged-usr setting.
fn debian_common(t: &mut Tree, merged: bool, libs: &[&str]) {
    skeleton(t, merged, libs);
    t.dirs(&[
        "etc/apt",
        "etc/apt/apt.conf.d",
        "etc/apt/preferences.d",
        "etc/apt/sources.list.d",
        "etc/apt/trusted.gpg.d",
        "etc/dpkg",
        "etc/dpkg/dpkg.cfg.d",
        "etc/alternatives",
        "etc/default",
        "etc/init.d",
        "etc/profile.d",
        "etc/skel",
        "usr/lib/os-release.d",
        "var/backups",
        "var/cache/apt",
        "var/cache/debconf",
        "var/lib/apt",
        "var/lib/apt/lists",
        "var/lib/dpkg",
        "var/lib/dpkg/info",
        "var/lib/dpkg/updates",
        "var/log/apt",
    ]);
    t.text("etc/passwd", DEBIAN_PASSWD)
        .text("etc/group", DEBIAN_GROUP)
        .file("etc/shadow", 0o640, b"root:*:18970:0:99999:7:::\n".to_vec())
        .text("etc/shells", "# /etc/shells: valid login shells\n/bin/sh\n/bin/bash\n/usr/bin/bash\n/bin/rbash\n/usr/bin/rbash\n/bin/dash\n/usr/bin/dash\n")
        .text("etc/bash.bashrc", "# System-wide .bashrc file for interactive bash(1) shells.\n[ -z \"$PS1\" ] && return\nshopt -s checkwinsize\n")
        .text("etc/profile", "if [ \"$(id -u)\" -eq 0 ]; then\n  PATH=\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"\nelse\n  PATH=\"/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games\"\nfi\nexport PATH\n")
        .text("root/.bashrc", "# ~/.bashrc: executed by bash(1) for non-login shells.\nexport PS1='\\h:\\w\\$ '\numask 022\n")
        .text("root/.profile", "# ~/.profile: executed by Bourne-compatible login shells.\nif [ \"$BASH\" ]; then\n  if [ -f ~/.bashrc ]; then\n    . ~/.bashrc\n  fi\nfi\nmesg n 2> /dev/null || true\n")
        .link("etc/os-release", "../usr/lib/os-release")
        .link("etc/alternatives/awk", "/usr/bin/mawk")
        .link("usr/bin/awk", "/etc/alternatives/awk")
        .applets("bin", DEB_BIN)
        .applets("sbin", DEB_SBIN)
        .applets("usr/bin", DEB_USR_BIN)
        .applets("usr/sbin", DEB_USR_SBIN);
    let bin = t.bin_dir("bin");
    t.link(&format!("{bin}/sh"), "dash")
        .link(&format!("{bin}/rbash"), "bash")
        .link("usr/bin/pager", "/etc/alternatives/pager");
}

/// Debian releases: (codename, major, point release, bash version).
const DEBIAN: &[(&str, &str, &str)] = &[("buster", "10", "10.11"), ("bullseye", "11", "11.2")];

/// The Debian root filesystem of `codename` (`bullseye`); `slim` adds the dpkg path excludes.
pub fn debian_tree(codename: &str, slim: bool) -> Tree {
    let (code, major, point) = DEBIAN
        .iter()
        .copied()
        .find(|d| d.0 == codename)
        .unwrap_or(DEBIAN[DEBIAN.len() - 1]);
    let mut t = Tree::new();
    debian_common(&mut t, false, &["lib", "lib64"]);
    t.text(
        "usr/lib/os-release",
        &format!(
            "PRETTY_NAME=\"Debian GNU/Linux {major} ({code})\"\nNAME=\"Debian GNU/Linux\"\n\
             VERSION_ID=\"{major}\"\nVERSION=\"{major} ({code})\"\nVERSION_CODENAME={code}\nID=debian\n\
             HOME_URL=\"https://www.debian.org/\"\nSUPPORT_URL=\"https://www.debian.org/support\"\n\
             BUG_REPORT_URL=\"https://bugs.debian.org/\"\n"
        ),
    )
    .text("etc/debian_version", &format!("{point}\n"))
    .text("etc/issue", &format!("Debian GNU/Linux {major} \\n \\l\n\n"))
    .text(
        "etc/apt/sources.list",
        &if code == "bullseye" {
            "# deb http://snapshot.debian.org/archive/debian/20211220T000000Z bullseye main\n\
             deb http://deb.debian.org/debian bullseye main\n\
             # deb http://snapshot.debian.org/archive/debian-security/20211220T000000Z bullseye-security main\n\
             deb http://security.debian.org/debian-security bullseye-security main\n\
             # deb http://snapshot.debian.org/archive/debian/20211220T000000Z bullseye-updates main\n\
             deb http://deb.debian.org/debian bullseye-updates main\n"
                .to_string()
        } else {
            format!(
                "deb http://deb.debian.org/debian {code} main\n\
                 deb http://security.debian.org/debian-security {code}/updates main\n\
                 deb http://deb.debian.org/debian {code}-updates main\n"
            )
        },
    );
    let bash = if code == "bullseye" {
        "5.1-2+b3"
    } else {
        "5.0-4"
    };
    let libc = if code == "bullseye" {
        "2.31-13+deb11u2"
    } else {
        "2.28-10"
    };
    t.text(
        "var/lib/dpkg/status",
        &dpkg_status(
            &[
                (
                    "apt",
                    if code == "bullseye" {
                        "2.2.4"
                    } else {
                        "1.8.2.3"
                    },
                    "admin",
                    4337,
                    "commandline package manager",
                ),
                (
                    "base-files",
                    if code == "bullseye" {
                        "11.1+deb11u2"
                    } else {
                        "10.3+deb10u11"
                    },
                    "admin",
                    340,
                    "Debian base system miscellaneous files",
                ),
                ("bash", bash, "shells", 6470, "GNU Bourne Again SHell"),
                (
                    "coreutils",
                    if code == "bullseye" {
                        "8.32-4+b1"
                    } else {
                        "8.30-3"
                    },
                    "utils",
                    17478,
                    "GNU core utilities",
                ),
                (
                    "dash",
                    if code == "bullseye" {
                        "0.5.11+git20200708+dd9ef66-5"
                    } else {
                        "0.5.10.2-5"
                    },
                    "shells",
                    212,
                    "POSIX-compliant shell",
                ),
                (
                    "dpkg",
                    if code == "bullseye" {
                        "1.20.9"
                    } else {
                        "1.19.7"
                    },
                    "admin",
                    6703,
                    "Debian package management system",
                ),
                (
                    "grep",
                    if code == "bullseye" { "3.6-1" } else { "3.3-1" },
                    "utils",
                    1140,
                    "GNU grep, egrep and fgrep",
                ),
                (
                    "libc6",
                    libc,
                    "libs",
                    12837,
                    "GNU C Library: Shared libraries",
                ),
                (
                    "mawk",
                    "1.3.4.20200120-2",
                    "interpreters",
                    256,
                    "Pattern scanning and text processing language",
                ),
                (
                    "sed",
                    "4.7-1",
                    "utils",
                    883,
                    "GNU stream editor for filtering/transforming text",
                ),
                (
                    "tar",
                    if code == "bullseye" {
                        "1.34+dfsg-1"
                    } else {
                        "1.30+dfsg-6"
                    },
                    "utils",
                    3152,
                    "GNU version of the tar archiving utility",
                ),
            ],
            "amd64",
        ),
    );
    if slim {
        t.text(
            "etc/dpkg/dpkg.cfg.d/docker",
            "# This is the \"slim\" variant of the Debian base image.\n\
             # Many files which are normally unnecessary in containers are excluded,\n\
             # and this configuration file keeps them that way.\n\n\
             path-exclude /usr/share/doc/*\n\
             # we need to keep copyright files for legal reasons\n\
             path-include /usr/share/doc/*/copyright\n\
             path-exclude /usr/share/groff/*\n\
             path-exclude /usr/share/info/*\n\
             path-exclude /usr/share/linda/*\n\
             path-exclude /usr/share/lintian/overrides/*\n\
             path-exclude /usr/share/locale/*\n\
             path-exclude /usr/share/man/*\n",
        );
    }
    t
}

/// `debian:<codename>[-slim]`: one ADD layer and `CMD ["bash"]`.
pub fn debian(codename: &str, slim: bool, created: &str) -> Recipe {
    Build::scratch(created, "20.10.7")
        .add("/", debian_tree(codename, slim))
        .cmd(&["bash"])
        .finish()
}

/// Ubuntu releases: (version, codename, point text, pretty name).
const UBUNTU: &[(&str, &str, &str, &str)] = &[
    (
        "18.04",
        "bionic",
        "18.04.6 LTS (Bionic Beaver)",
        "Ubuntu 18.04.6 LTS",
    ),
    (
        "20.04",
        "focal",
        "20.04.3 LTS (Focal Fossa)",
        "Ubuntu 20.04.3 LTS",
    ),
    (
        "22.04",
        "jammy",
        "22.04 LTS (Jammy Jellyfish)",
        "Ubuntu 22.04 LTS",
    ),
];

/// The Ubuntu root filesystem of `version` (`20.04`); 20.04 and later are usr-merged.
pub fn ubuntu_tree(version: &str) -> Tree {
    let (v, code, full, pretty) = UBUNTU
        .iter()
        .copied()
        .find(|u| u.0 == version)
        .unwrap_or(UBUNTU[1]);
    let merged = v != "18.04";
    let mut t = Tree::new().merged_usr(merged);
    let libs: &[&str] = if merged {
        &["lib", "lib32", "lib64", "libx32"]
    } else {
        &["lib", "lib64"]
    };
    debian_common(&mut t, merged, libs);
    let os_release = if v == "22.04" {
        format!(
            "PRETTY_NAME=\"{pretty}\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"{v}\"\nVERSION=\"{full}\"\n\
             VERSION_CODENAME={code}\nID=ubuntu\nID_LIKE=debian\nHOME_URL=\"https://www.ubuntu.com/\"\n\
             SUPPORT_URL=\"https://help.ubuntu.com/\"\nBUG_REPORT_URL=\"https://bugs.launchpad.net/ubuntu/\"\n\
             PRIVACY_POLICY_URL=\"https://www.ubuntu.com/legal/terms-and-policies/privacy-policy\"\n\
             UBUNTU_CODENAME={code}\n"
        )
    } else {
        format!(
            "NAME=\"Ubuntu\"\nVERSION=\"{full}\"\nID=ubuntu\nID_LIKE=debian\nPRETTY_NAME=\"{pretty}\"\n\
             VERSION_ID=\"{v}\"\nHOME_URL=\"https://www.ubuntu.com/\"\nSUPPORT_URL=\"https://help.ubuntu.com/\"\n\
             BUG_REPORT_URL=\"https://bugs.launchpad.net/ubuntu/\"\n\
             PRIVACY_POLICY_URL=\"https://www.ubuntu.com/legal/terms-and-policies/privacy-policy\"\n\
             VERSION_CODENAME={code}\nUBUNTU_CODENAME={code}\n"
        )
    };
    t.text("usr/lib/os-release", &os_release)
        .text("etc/debian_version", &format!("{}\n", match code { "bionic" => "buster/sid", "focal" => "bullseye/sid", _ => "bookworm/sid" }))
        .text("etc/lsb-release", &format!("DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE={v}\nDISTRIB_CODENAME={code}\nDISTRIB_DESCRIPTION=\"{pretty}\"\n"))
        .text("etc/issue", &format!("{pretty} \\n \\l\n\n"))
        .text(
            "etc/apt/sources.list",
            &format!(
                "deb http://archive.ubuntu.com/ubuntu/ {code} main restricted\n\
                 deb http://archive.ubuntu.com/ubuntu/ {code}-updates main restricted\n\
                 deb http://archive.ubuntu.com/ubuntu/ {code} universe\n\
                 deb http://archive.ubuntu.com/ubuntu/ {code}-updates universe\n\
                 deb http://security.ubuntu.com/ubuntu/ {code}-security main restricted\n\
                 deb http://security.ubuntu.com/ubuntu/ {code}-security universe\n"
            ),
        )
        .text(
            "etc/dpkg/dpkg.cfg.d/excludes",
            "# Drop all man pages\npath-exclude=/usr/share/man/*\n\n# Drop all documentation ...\npath-exclude=/usr/share/doc/*\n",
        )
        .applets("bin", &["ps", "kill", "pidof"])
        .applets("usr/bin", &["top", "free", "unminimize"]);
    let (bash, apt, libc) = match code {
        "bionic" => ("4.4.18-2ubuntu1.2", "1.6.14", "2.27-3ubuntu1.4"),
        "focal" => ("5.0-6ubuntu1.1", "2.0.6", "2.31-0ubuntu9.2"),
        _ => ("5.1-6ubuntu1", "2.4.5", "2.35-0ubuntu3"),
    };
    t.text(
        "var/lib/dpkg/status",
        &dpkg_status(
            &[
                ("apt", apt, "admin", 4156, "commandline package manager"),
                (
                    "base-files",
                    v,
                    "admin",
                    394,
                    "Debian base system miscellaneous files",
                ),
                ("bash", bash, "shells", 1664, "GNU Bourne Again SHell"),
                (
                    "coreutils",
                    "8.30-3ubuntu2",
                    "utils",
                    7196,
                    "GNU core utilities",
                ),
                ("dash", "0.5.10.2-6", "shells", 212, "POSIX-compliant shell"),
                (
                    "dpkg",
                    "1.19.7ubuntu3",
                    "admin",
                    6740,
                    "Debian package management system",
                ),
                (
                    "libc6",
                    libc,
                    "libs",
                    12973,
                    "GNU C Library: Shared libraries",
                ),
                (
                    "procps",
                    "2:3.3.16-1ubuntu2.3",
                    "admin",
                    1392,
                    "/proc file system utilities",
                ),
            ],
            "amd64",
        ),
    );
    t
}

/// `ubuntu:<version>`: one ADD layer and `CMD ["bash"]`.
pub fn ubuntu(version: &str, created: &str) -> Recipe {
    Build::scratch(created, "20.10.7")
        .add("/", ubuntu_tree(version))
        .cmd(&["bash"])
        .finish()
}

// ---------------------------------------------------------------- CentOS and Fedora

const RH_BIN: &[&str] = &[
    "bash", "cat", "chgrp", "chmod", "chown", "cp", "curl", "date", "dd", "df", "echo", "egrep",
    "false", "fgrep", "find", "gawk", "grep", "gunzip", "gzip", "hostname", "kill", "ln", "login",
    "ls", "mkdir", "mknod", "mktemp", "more", "mount", "mv", "ps", "pwd", "readlink", "rm",
    "rmdir", "rpm", "sed", "sleep", "sort", "stty", "su", "sync", "tar", "touch", "true", "umount",
    "uname", "vi", "zcat",
];
const RH_USR_BIN: &[&str] = &[
    "[",
    "base64",
    "basename",
    "cksum",
    "cmp",
    "comm",
    "cut",
    "diff",
    "dirname",
    "du",
    "env",
    "expr",
    "free",
    "getent",
    "head",
    "id",
    "install",
    "ldd",
    "md5sum",
    "nproc",
    "passwd",
    "pgrep",
    "pkill",
    "printf",
    "realpath",
    "rpm2cpio",
    "rpmquery",
    "seq",
    "sha1sum",
    "sha256sum",
    "stat",
    "tail",
    "tee",
    "test",
    "timeout",
    "top",
    "tr",
    "tty",
    "uniq",
    "wc",
    "whoami",
    "xargs",
    "yes",
];
const RH_SBIN: &[&str] = &[
    "chpasswd", "chroot", "groupadd", "groupdel", "ldconfig", "nologin", "runuser", "service",
    "useradd", "userdel", "usermod",
];

/// The CentOS root filesystem of major version 6, 7 or 8 (7 and 8 are usr-merged).
pub fn centos_tree(major: u32) -> Tree {
    let merged = major >= 7;
    let mut t = Tree::new().merged_usr(merged);
    skeleton(&mut t, merged, &["lib", "lib64"]);
    t.dirs(&[
        "etc/yum.repos.d",
        "etc/pki",
        "etc/pki/rpm-gpg",
        "etc/profile.d",
        "etc/skel",
        "etc/sysconfig",
        "var/cache/yum",
        "var/lib/rpm",
        "var/lib/yum",
        "var/log",
    ]);
    t.text("etc/passwd", REDHAT_PASSWD)
        .text("etc/group", REDHAT_GROUP)
        .file("etc/shadow", 0o000, b"root:locked::0:99999:7:::\n".to_vec())
        .text("etc/shells", "/bin/sh\n/bin/bash\n/usr/bin/sh\n/usr/bin/bash\n")
        .text("etc/bashrc", "# /etc/bashrc\n\n# System wide functions and aliases\n")
        .text("root/.bashrc", "# .bashrc\n\nalias rm='rm -i'\nalias cp='cp -i'\nalias mv='mv -i'\n\nif [ -f /etc/bashrc ]; then\n\t. /etc/bashrc\nfi\n")
        .applets("bin", RH_BIN)
        .applets("usr/bin", RH_USR_BIN)
        .applets("sbin", RH_SBIN);
    let bin = t.bin_dir("bin");
    t.link(&format!("{bin}/sh"), "bash")
        .link(&format!("{bin}/awk"), "gawk");
    let (release, pkgs): (&str, &[&str]) = match major {
        6 => (
            "CentOS release 6.10 (Final)\n",
            &[
                "bash-4.1.2-48.el6.x86_64",
                "centos-release-6-10.el6.centos.12.3.x86_64",
                "coreutils-8.4-47.el6.x86_64",
                "rpm-4.8.0-59.el6.x86_64",
                "yum-3.2.29-81.el6.centos.noarch",
            ],
        ),
        7 => (
            "CentOS Linux release 7.9.2009 (Core)\n",
            &[
                "bash-4.2.46-34.el7.x86_64",
                "centos-release-7-9.2009.0.el7.centos.x86_64",
                "coreutils-8.22-24.el7.x86_64",
                "rpm-4.11.3-45.el7.x86_64",
                "yum-3.4.3-168.el7.centos.noarch",
            ],
        ),
        _ => (
            "CentOS Linux release 8.4.2105\n",
            &[
                "bash-4.4.19-14.el8.x86_64",
                "centos-linux-release-8.4-1.2105.el8.noarch",
                "coreutils-single-8.30-8.el8.x86_64",
                "dnf-4.4.2-11.el8.noarch",
                "rpm-4.14.3-13.el8.x86_64",
                "yum-4.4.2-11.el8.noarch",
            ],
        ),
    };
    t.text("etc/centos-release", release)
        .link("etc/redhat-release", "centos-release")
        .link("etc/system-release", "centos-release")
        // The real rpmdb is a Berkeley DB; drydock's rpm/yum applets read this list of NVRAs.
        .text("var/lib/rpm/Packages", &(pkgs.join("\n") + "\n"));
    match major {
        6 => {
            t.applet("usr/bin/yum").text(
                "etc/yum.repos.d/CentOS-Base.repo",
                "[base]\nname=CentOS-$releasever - Base\nmirrorlist=http://mirrorlist.centos.org/?release=$releasever&arch=$basearch&repo=os&infra=$infra\ngpgcheck=1\n",
            );
        }
        7 => {
            t.link("etc/os-release", "../usr/lib/os-release")
                .text(
                    "usr/lib/os-release",
                    "NAME=\"CentOS Linux\"\nVERSION=\"7 (Core)\"\nID=\"centos\"\nID_LIKE=\"rhel fedora\"\n\
                     VERSION_ID=\"7\"\nPRETTY_NAME=\"CentOS Linux 7 (Core)\"\nANSI_COLOR=\"0;31\"\n\
                     CPE_NAME=\"cpe:/o:centos:centos:7\"\nHOME_URL=\"https://www.centos.org/\"\n\
                     BUG_REPORT_URL=\"https://bugs.centos.org/\"\n\nCENTOS_MANTISBT_PROJECT=\"CentOS-7\"\n\
                     CENTOS_MANTISBT_PROJECT_VERSION=\"7\"\nREDHAT_SUPPORT_PRODUCT=\"centos\"\n\
                     REDHAT_SUPPORT_PRODUCT_VERSION=\"7\"\n\n",
                )
                .applet("usr/bin/yum")
                .text(
                    "etc/yum.repos.d/CentOS-Base.repo",
                    "[base]\nname=CentOS-$releasever - Base\nmirrorlist=http://mirrorlist.centos.org/?release=$releasever&arch=$basearch&repo=os&infra=$infra\ngpgcheck=1\ngpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-CentOS-7\n",
                );
        }
        _ => {
            t.text(
                "usr/lib/os-release",
                "NAME=\"CentOS Linux\"\nVERSION=\"8\"\nID=\"centos\"\nID_LIKE=\"rhel fedora\"\nVERSION_ID=\"8\"\n\
                 PLATFORM_ID=\"platform:el8\"\nPRETTY_NAME=\"CentOS Linux 8\"\nANSI_COLOR=\"0;31\"\n\
                 CPE_NAME=\"cpe:/o:centos:centos:8\"\nHOME_URL=\"https://centos.org/\"\n\
                 BUG_REPORT_URL=\"https://bugs.centos.org/\"\nCENTOS_MANTISBT_PROJECT=\"CentOS-8\"\n\
                 CENTOS_MANTISBT_PROJECT_VERSION=\"8\"\n",
            )
            .link("etc/os-release", "../usr/lib/os-release")
            .applet("usr/bin/dnf-3")
            .link("usr/bin/dnf", "dnf-3")
            .link("usr/bin/yum", "dnf-3")
            .text(
                "etc/yum.repos.d/CentOS-Linux-BaseOS.repo",
                "[baseos]\nname=CentOS Linux $releasever - BaseOS\nmirrorlist=http://mirrorlist.centos.org/?release=$releasever&arch=$basearch&repo=BaseOS&infra=$infra\ngpgcheck=1\nenabled=1\ngpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-centosofficial\n",
            );
        }
    }
    t
}

/// `centos:<major>`: ADD, the label-schema LABEL step, `CMD ["/bin/bash"]`.
pub fn centos(major: u32) -> Recipe {
    let (created, docker, build_date, oci_created) = match major {
        6 => ("2020-12-04T21:19:05.326826458Z", "19.03.12", "20181006", ""),
        7 => (
            "2021-11-16T00:20:18.331223578Z",
            "20.10.7",
            "20201113",
            "2020-11-13 00:00:00+00:00",
        ),
        _ => ("2021-09-15T18:20:04.800313337Z", "20.10.7", "20210915", ""),
    };
    let mut labels = vec![
        ("org.label-schema.schema-version", "1.0"),
        ("org.label-schema.name", "CentOS Base Image"),
        ("org.label-schema.vendor", "CentOS"),
        ("org.label-schema.license", "GPLv2"),
        ("org.label-schema.build-date", build_date),
    ];
    if major == 7 {
        labels.extend([
            ("org.opencontainers.image.title", "CentOS Base Image"),
            ("org.opencontainers.image.vendor", "CentOS"),
            ("org.opencontainers.image.licenses", "GPL-2.0-only"),
            ("org.opencontainers.image.created", oci_created),
        ]);
    }
    Build::scratch(created, docker)
        .add("/", centos_tree(major))
        .labels(&labels)
        .cmd(&["/bin/bash"])
        .finish()
}

/// `fedora:35`: ADD, `ENV DISTTAG=f35container FGC=f35 FBR=f35`, `CMD ["/bin/bash"]`.
pub fn fedora(created: &str) -> Recipe {
    let mut t = Tree::new().merged_usr(true);
    skeleton(&mut t, true, &["lib", "lib64"]);
    t.dirs(&[
        "etc/yum.repos.d",
        "etc/dnf",
        "var/lib/rpm",
        "var/cache/dnf",
        "afs",
    ]);
    t.text("etc/passwd", REDHAT_PASSWD)
        .text("etc/group", REDHAT_GROUP)
        .text(
            "usr/lib/os-release",
            "NAME=\"Fedora Linux\"\nVERSION=\"35 (Container Image)\"\nID=fedora\nVERSION_ID=35\n\
             VERSION_CODENAME=\"\"\nPLATFORM_ID=\"platform:f35\"\nPRETTY_NAME=\"Fedora Linux 35 (Container Image)\"\n\
             ANSI_COLOR=\"0;38;2;60;110;180\"\nLOGO=fedora-logo-icon\nCPE_NAME=\"cpe:/o:fedoraproject:fedora:35\"\n\
             HOME_URL=\"https://fedoraproject.org/\"\n\
             DOCUMENTATION_URL=\"https://docs.fedoraproject.org/en-US/fedora/f35/system-administrators-guide/\"\n\
             SUPPORT_URL=\"https://ask.fedoraproject.org/\"\nBUG_REPORT_URL=\"https://bugzilla.redhat.com/\"\n\
             REDHAT_BUGZILLA_PRODUCT=\"Fedora\"\nREDHAT_BUGZILLA_PRODUCT_VERSION=35\nREDHAT_SUPPORT_PRODUCT=\"Fedora\"\n\
             REDHAT_SUPPORT_PRODUCT_VERSION=35\nPRIVACY_POLICY_URL=\"https://fedoraproject.org/wiki/Legal:PrivacyPolicy\"\n\
             VARIANT=\"Container Image\"\nVARIANT_ID=container\n",
        )
        .link("etc/os-release", "../usr/lib/os-release")
        .text("etc/fedora-release", "Fedora release 35 (Thirty Five)\n")
        .link("etc/redhat-release", "fedora-release")
        .link("etc/system-release", "fedora-release")
        .text("var/lib/rpm/Packages", "bash-5.1.8-2.fc35.x86_64\ncoreutils-8.32-31.fc35.x86_64\ndnf-4.9.0-1.fc35.noarch\nfedora-release-35-36.noarch\nrpm-4.17.0-4.fc35.x86_64\n")
        .applets("bin", RH_BIN)
        .applets("usr/bin", RH_USR_BIN)
        .applets("sbin", RH_SBIN)
        .applet("usr/bin/dnf-3")
        .link("usr/bin/dnf", "dnf-3")
        .link("usr/bin/yum", "dnf-3")
        .link("usr/bin/sh", "bash")
        .link("usr/bin/awk", "gawk");
    Build::scratch(created, "20.10.7")
        .env("DISTTAG", "f35container")
        .env("FGC", "f35")
        .env("FBR", "f35")
        .add("/", t)
        .cmd(&["/bin/bash"])
        .finish()
}
