//! More official images: databases (mysql, redis, postgres), language runtimes (node, python, php,
//! tomcat), wordpress and jenkins, each following its 2021 Dockerfile's steps. Build-only details
//! (compilers, downloaded tarballs) are left out of the trees: only what remains in the real image
//! is there.

use super::distro::{self, ALPINE_GROUP, ALPINE_PASSWD, DEBIAN_GROUP, DEBIAN_PASSWD};
use super::fs::Tree;
use super::recipe::{Build, Recipe};

const DV: &str = "20.10.7";

/// A tree filled by `f`.
pub fn tree(f: impl FnOnce(&mut Tree)) -> Tree {
    let mut t = Tree::new();
    f(&mut t);
    t
}

fn bullseye_slim() -> Recipe {
    distro::debian("bullseye", true, "2021-12-21T01:22:55.912830617Z")
}

fn buster_slim() -> Recipe {
    distro::debian("buster", true, "2021-12-21T01:23:34.151345614Z")
}

fn alpine315() -> Recipe {
    distro::alpine("3.15.0", "2021-11-24T20:19:40.483367546Z")
}

/// `/etc/passwd` and `/etc/group` of a Debian image with one more system user.
fn deb_user(name: &str, uid: u32, home: &str, shell: &str) -> Tree {
    tree(|t| {
        t.text(
            "etc/passwd",
            &format!("{DEBIAN_PASSWD}{name}:x:{uid}:{uid}::{home}:{shell}\n"),
        )
        .text("etc/group", &format!("{DEBIAN_GROUP}{name}:x:{uid}:\n"));
    })
}

fn alpine_user(name: &str, uid: u32, home: &str) -> Tree {
    tree(|t| {
        t.text(
            "etc/passwd",
            &format!("{ALPINE_PASSWD}{name}:x:{uid}:{uid}:Linux User,,,:{home}:/sbin/nologin\n"),
        )
        .text(
            "etc/group",
            &format!("{ALPINE_GROUP}{name}:x:{uid}:{name}\n"),
        );
    })
}

fn gosu() -> Tree {
    tree(|t| {
        t.applet("usr/local/bin/gosu");
    })
}

const GOSU_RUN: &str = "set -eux; \tsavedAptMark=\"$(apt-mark showmanual)\"; \tapt-get update; \tapt-get install -y --no-install-recommends ca-certificates wget; \trm -rf /var/lib/apt/lists/*; \tdpkgArch=\"$(dpkg --print-architecture | awk -F- '{ print $NF }')\"; \twget -O /usr/local/bin/gosu \"https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch\"; \tchmod +x /usr/local/bin/gosu; \tgosu --version; \tgosu nobody true";

// ---------------------------------------------------------------- mysql

/// `mysql:<major>` on `debian:buster-slim` (8.0.27 / 5.7.36).
pub fn mysql(major: &str) -> Recipe {
    let (version, t0) = if major == "5.7" {
        ("5.7.36-1debian10", "2021-12-21T02:44:11.237449371Z")
    } else {
        ("8.0.27-1debian10", "2021-12-21T02:41:58.132412557Z")
    };
    let server = tree(|t| {
        t.applet("usr/sbin/mysqld")
            .applets(
                "usr/bin",
                &[
                    "mysql",
                    "mysqladmin",
                    "mysqldump",
                    "mysql_upgrade",
                    "mysql_tzinfo_to_sql",
                    "mysqlcheck",
                    "mysqlshow",
                ],
            )
            .dir_owned("var/lib/mysql", 0o1777, 999, 999)
            .dir_owned("var/run/mysqld", 0o1777, 999, 999)
            .text(
                "etc/apt/sources.list.d/mysql.list",
                &format!("deb http://repo.mysql.com/apt/debian/ buster mysql-{major}\n"),
            );
    });
    let config = tree(|t| {
        t.text("etc/mysql/my.cnf", "[mysqld]\npid-file        = /var/run/mysqld/mysqld.pid\nsocket          = /var/run/mysqld/mysqld.sock\ndatadir         = /var/lib/mysql\nsecure-file-priv= NULL\n\n# Custom config should go here\n!includedir /etc/mysql/conf.d/\n")
            .text("etc/mysql/conf.d/docker.cnf", "[mysqld]\nskip-host-cache\nskip-name-resolve\n")
            .text("etc/mysql/conf.d/mysql.cnf", "[mysql]\n");
    });
    Build::from(buster_slim(), t0, DV)
        .run("groupadd -r mysql && useradd -r -g mysql mysql", deb_user("mysql", 999, "/home/mysql", "/bin/sh"))
        .run("apt-get update && apt-get install -y --no-install-recommends gnupg dirmngr && rm -rf /var/lib/apt/lists/*", tree(|t| { t.applets("usr/bin", &["gpg", "dirmngr"]); }))
        .env("GOSU_VERSION", "1.12")
        .run(GOSU_RUN, gosu())
        .run("mkdir /docker-entrypoint-initdb.d", tree(|t| { t.dir("docker-entrypoint-initdb.d", 0o755); }))
        .run("apt-get update && apt-get install -y --no-install-recommends \t\tpwgen \t\topenssl \t\tperl \t\txz-utils \t&& rm -rf /var/lib/apt/lists/*", tree(|t| { t.applets("usr/bin", &["pwgen", "openssl", "xz"]); }))
        .run("set -ex; \tkey='A4A9406876FCBD3C456770C88C718D3B5072E1F5'; \texport GNUPGHOME=\"$(mktemp -d)\"; \tgpg --batch --keyserver keyserver.ubuntu.com --recv-keys \"$key\"; \tgpg --batch --export \"$key\" > /etc/apt/trusted.gpg.d/mysql.gpg; \tgpgconf --kill all; \trm -rf \"$GNUPGHOME\"; \tapt-key list > /dev/null", tree(|t| { t.file("etc/apt/trusted.gpg.d/mysql.gpg", 0o644, b"drydock placeholder key\n".to_vec()); }))
        .env("MYSQL_MAJOR", major)
        .env("MYSQL_VERSION", version)
        .run(&format!("echo 'deb http://repo.mysql.com/apt/debian/ buster mysql-{major}' > /etc/apt/sources.list.d/mysql.list"), tree(|t| { t.text("etc/apt/sources.list.d/mysql.list", &format!("deb http://repo.mysql.com/apt/debian/ buster mysql-{major}\n")); }))
        .run("{ \t\techo mysql-community-server mysql-community-server/data-dir select ''; \t\techo mysql-community-server mysql-community-server/root-pass password ''; \t\techo mysql-community-server mysql-community-server/re-root-pass password ''; \t\techo mysql-community-server mysql-community-server/remove-test-db select false; \t} | debconf-set-selections \t&& apt-get update \t&& apt-get install -y \t\tmysql-community-client=\"${MYSQL_VERSION}\" \t\tmysql-community-server-core=\"${MYSQL_VERSION}\" \t&& rm -rf /var/lib/apt/lists/* \t&& rm -rf /var/lib/mysql && mkdir -p /var/lib/mysql /var/run/mysqld \t&& chown -R mysql:mysql /var/lib/mysql /var/run/mysqld \t&& chmod 1777 /var/run/mysqld /var/lib/mysql", server)
        .volume(&["/var/lib/mysql"])
        .copy_dir("/etc/mysql/", config)
        .copy("/usr/local/bin/", tree(|t| { t.applet_named("usr/local/bin/docker-entrypoint.sh", "mysql-docker-entrypoint.sh"); }))
        .run("ln -s usr/local/bin/docker-entrypoint.sh /entrypoint.sh # backwards compat", tree(|t| { t.link("entrypoint.sh", "usr/local/bin/docker-entrypoint.sh"); }))
        .entrypoint(&["docker-entrypoint.sh"])
        .expose(&["3306", "33060"])
        .cmd(&["mysqld"])
        .finish()
}

// ---------------------------------------------------------------- redis

fn redis_tail(b: Build) -> Build {
    b.run(
        "mkdir /data && chown redis:redis /data",
        tree(|t| {
            t.dir_owned("data", 0o755, 999, 999);
        }),
    )
    .volume(&["/data"])
    .workdir("/data")
    .copy(
        "/usr/local/bin/",
        tree(|t| {
            t.applet_named(
                "usr/local/bin/docker-entrypoint.sh",
                "redis-docker-entrypoint.sh",
            );
        }),
    )
    .entrypoint(&["docker-entrypoint.sh"])
    .expose(&["6379"])
    .cmd(&["redis-server"])
}

fn redis_bins() -> Tree {
    tree(|t| {
        t.applets(
            "usr/local/bin",
            &[
                "redis-server",
                "redis-cli",
                "redis-benchmark",
                "redis-check-aof",
                "redis-check-rdb",
            ],
        )
        .link("usr/local/bin/redis-sentinel", "redis-server");
    })
}

const REDIS_RUN: &str = "set -eux; \t\tsavedAptMark=\"$(apt-mark showmanual)\"; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tca-certificates \t\twget \t\t\t\tdpkg-dev \t\tgcc \t\tlibc6-dev \t\tlibssl-dev \t\tmake \t; \trm -rf /var/lib/apt/lists/*; \t\twget -O redis.tar.gz \"$REDIS_DOWNLOAD_URL\"; \techo \"$REDIS_DOWNLOAD_SHA *redis.tar.gz\" | sha256sum -c -; \tmkdir -p /usr/src/redis; \ttar -xzf redis.tar.gz -C /usr/src/redis --strip-components=1; \trm redis.tar.gz; \t\tmake -C /usr/src/redis -j \"$(nproc)\" all; \tmake -C /usr/src/redis install; \t\trm -r /usr/src/redis; \t\tredis-cli --version; \tredis-server --version";

/// `redis:6.2` on `debian:bullseye-slim`.
pub fn redis() -> Recipe {
    let b = Build::from(bullseye_slim(), "2021-12-21T07:04:12.882150719Z", DV)
        .run(
            "groupadd -r -g 999 redis && useradd -r -g redis -u 999 redis",
            deb_user("redis", 999, "/home/redis", "/bin/sh"),
        )
        .env("GOSU_VERSION", "1.12")
        .run(GOSU_RUN, gosu())
        .env("REDIS_VERSION", "6.2.6")
        .env(
            "REDIS_DOWNLOAD_URL",
            "http://download.redis.io/releases/redis-6.2.6.tar.gz",
        )
        .env(
            "REDIS_DOWNLOAD_SHA",
            "5b2b8b7a50111ef395bf1c1d5be11e6e167ac018125055daa8b5c2317ae131ab",
        )
        .run(REDIS_RUN, redis_bins());
    redis_tail(b).finish()
}

/// `redis:6.2-alpine` on `alpine:3.15`.
pub fn redis_alpine() -> Recipe {
    let b = Build::from(alpine315(), "2021-12-21T02:02:51.402411082Z", DV)
        .run("addgroup -S -g 1000 redis && adduser -S -G redis -u 999 redis", alpine_user("redis", 999, "/home/redis"))
        .run("apk add --no-cache \t\t'su-exec>=0.2' \t\ttzdata", tree(|t| { t.applet("sbin/su-exec"); }))
        .env("REDIS_VERSION", "6.2.6")
        .env("REDIS_DOWNLOAD_URL", "http://download.redis.io/releases/redis-6.2.6.tar.gz")
        .env("REDIS_DOWNLOAD_SHA", "5b2b8b7a50111ef395bf1c1d5be11e6e167ac018125055daa8b5c2317ae131ab")
        .run("set -eux; \t\tapk add --no-cache --virtual .build-deps \t\tcoreutils \t\tdpkg-dev dpkg \t\tgcc \t\tlinux-headers \t\tmake \t\tmusl-dev \t\topenssl-dev \t\twget \t; \t\tmake -C /usr/src/redis -j \"$(nproc)\" all; \tmake -C /usr/src/redis install; \tapk del --no-network .build-deps; \tredis-server --version", redis_bins());
    redis_tail(b).finish()
}

// ---------------------------------------------------------------- postgres

/// `postgres:14` on `debian:bullseye-slim`.
pub fn postgres() -> Recipe {
    let bin = "usr/lib/postgresql/14/bin";
    let install = tree(|t| {
        t.applets(bin, &["postgres", "initdb", "pg_ctl", "psql", "pg_dump", "pg_restore", "createdb", "createuser", "pg_isready"])
            .link("usr/bin/psql", "../share/postgresql-common/pg_wrapper")
            .applet("usr/share/postgresql-common/pg_wrapper")
            .text("usr/share/postgresql/postgresql.conf.sample", "#listen_addresses = 'localhost'\t\t# what IP address(es) to listen on;\nlisten_addresses = '*'\n#port = 5432\t\t\t\t# (change requires restart)\nmax_connections = 100\t\t\t# (change requires restart)\n");
    });
    Build::from(bullseye_slim(), "2021-12-21T03:12:48.420384224Z", DV)
        .run("set -eux; \tgroupadd -r postgres --gid=999; \tuseradd -r -g postgres --uid=999 --home-dir=/var/lib/postgresql --shell=/bin/bash postgres; \tmkdir -p /var/lib/postgresql; \tchown -R postgres:postgres /var/lib/postgresql", {
            let mut t = deb_user("postgres", 999, "/var/lib/postgresql", "/bin/bash");
            t.dir_owned("var/lib/postgresql", 0o755, 999, 999);
            t
        })
        .env("GOSU_VERSION", "1.14")
        .run(GOSU_RUN, gosu())
        .run("set -eux; \tif [ -f /etc/dpkg/dpkg.cfg.d/docker ]; then \t\tgrep -q '/usr/share/locale' /etc/dpkg/dpkg.cfg.d/docker; \t\tsed -ri '/\\/usr\\/share\\/locale/d' /etc/dpkg/dpkg.cfg.d/docker; \t\t! grep -q '/usr/share/locale' /etc/dpkg/dpkg.cfg.d/docker; \tfi; \tapt-get update; apt-get install -y --no-install-recommends locales; rm -rf /var/lib/apt/lists/*; \tlocaledef -i en_US -c -f UTF-8 -A /usr/share/locale/locale.alias en_US.UTF-8", tree(|t| { t.text("usr/lib/locale/locale-archive", "").applets("usr/bin", &["localedef", "locale"]); }))
        .env("LANG", "en_US.utf8")
        .run("mkdir /docker-entrypoint-initdb.d", tree(|t| { t.dir("docker-entrypoint-initdb.d", 0o755); }))
        .env("PG_MAJOR", "14")
        .env("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/lib/postgresql/14/bin")
        .env("PG_VERSION", "14.1-1.pgdg110+1")
        .run("set -ex; \t\texport PYTHONDONTWRITEBYTECODE=1; \t\tdpkgArch=\"$(dpkg --print-architecture)\"; \techo \"deb http://apt.postgresql.org/pub/repos/apt/ bullseye-pgdg main $PG_MAJOR\" > /etc/apt/sources.list.d/pgdg.list; \tapt-get update; \tapt-get install -y --no-install-recommends postgresql-common; \tsed -ri 's/#(create_main_cluster) .*$/\\1 = false/' /etc/postgresql-common/createcluster.conf; \tapt-get install -y --no-install-recommends \t\t\"postgresql-$PG_MAJOR=$PG_VERSION\" \t; \t\trm -rf /var/lib/apt/lists/*; \t\tpostgres --version", install)
        .run("set -eux; \tdpkg-divert --add --rename --divert \"/usr/share/postgresql/postgresql.conf.sample.dpkg\" \"/usr/share/postgresql/$PG_MAJOR/postgresql.conf.sample\"; \tcp -v /usr/share/postgresql/postgresql.conf.sample.dpkg /usr/share/postgresql/postgresql.conf.sample; \tln -sv ../postgresql.conf.sample \"/usr/share/postgresql/$PG_MAJOR/\"; \tsed -ri \"s!^#?(listen_addresses)\\s*=\\s*\\S+.*!\\1 = '*'!\" /usr/share/postgresql/postgresql.conf.sample; \tgrep -F \"listen_addresses = '*'\" /usr/share/postgresql/postgresql.conf.sample", tree(|t| { t.link("usr/share/postgresql/14/postgresql.conf.sample", "../postgresql.conf.sample"); }))
        .run("mkdir -p /var/run/postgresql && chown -R postgres:postgres /var/run/postgresql && chmod 2777 /var/run/postgresql", tree(|t| { t.dir_owned("var/run/postgresql", 0o2777, 999, 999); }))
        .env("PGDATA", "/var/lib/postgresql/data")
        .run("mkdir -p \"$PGDATA\" && chown -R postgres:postgres \"$PGDATA\" && chmod 777 \"$PGDATA\"", tree(|t| { t.dir_owned("var/lib/postgresql/data", 0o777, 999, 999); }))
        .volume(&["/var/lib/postgresql/data"])
        .copy("/usr/local/bin/", tree(|t| { t.applet_named("usr/local/bin/docker-entrypoint.sh", "postgres-docker-entrypoint.sh"); }))
        .entrypoint(&["docker-entrypoint.sh"])
        .stop_signal("SIGINT")
        .expose(&["5432"])
        .cmd(&["postgres"])
        .finish()
}

// ---------------------------------------------------------------- node and python

/// `node:<version>` on Debian (`buildpack-deps` layers collapsed into one), or on Alpine.
pub fn node(version: &str, alpine: bool) -> Recipe {
    let node_bins = tree(|t| {
        t.applet("usr/local/bin/node")
            .link(
                "usr/local/bin/npm",
                "../lib/node_modules/npm/bin/npm-cli.js",
            )
            .link(
                "usr/local/bin/npx",
                "../lib/node_modules/npm/bin/npx-cli.js",
            )
            .applet_named("usr/local/lib/node_modules/npm/bin/npm-cli.js", "npm")
            .applet_named("usr/local/lib/node_modules/npm/bin/npx-cli.js", "npx")
            .link("usr/local/bin/nodejs", "node");
    });
    let yarn = tree(|t| {
        t.applet_named("opt/yarn-v1.22.17/bin/yarn.js", "yarn")
            .link("usr/local/bin/yarn", "/opt/yarn-v1.22.17/bin/yarn")
            .link("usr/local/bin/yarnpkg", "/opt/yarn-v1.22.17/bin/yarnpkg")
            .applet_named("opt/yarn-v1.22.17/bin/yarn", "yarn")
            .applet_named("opt/yarn-v1.22.17/bin/yarnpkg", "yarn");
    });
    let b = if alpine {
        Build::from(alpine315(), "2021-12-17T20:47:31.160254913Z", DV)
            .env("NODE_VERSION", version)
            .run("addgroup -g 1000 node     && adduser -u 1000 -G node -s /bin/sh -D node     && apk add --no-cache         libstdc++     && apk add --no-cache --virtual .build-deps         curl     && curl -fsSLO --compressed \"https://unofficial-builds.nodejs.org/download/release/v$NODE_VERSION/node-v$NODE_VERSION-linux-$ARCH-musl.tar.xz\"     && tar -xJf \"node-v$NODE_VERSION-linux-$ARCH-musl.tar.xz\" -C /usr/local --strip-components=1 --no-same-owner     && apk del .build-deps     && node --version     && npm --version", {
                let mut t = alpine_user("node", 1000, "/home/node");
                t.dir_owned("home/node", 0o2755, 1000, 1000).merge(node_bins);
                t
            })
    } else {
        let deps = tree(|t| {
            t.applets(
                "usr/bin",
                &[
                    "curl", "wget", "git", "gpg", "ssh", "make", "gcc", "g++", "python3",
                ],
            )
            .link("usr/bin/python", "python3");
        });
        let mut user = deb_user("node", 1000, "/home/node", "/bin/bash");
        user.dir_owned("home/node", 0o755, 1000, 1000);
        Build::from(distro::debian("bullseye", false, "2021-12-21T01:22:45.396102478Z"), "2021-12-21T03:31:07.620211713Z", DV)
            .run("set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tca-certificates \t\tcurl \t\tgnupg \t\tnetbase \t\twget \t\tgit \t\topenssh-client \t\tautoconf \t\tautomake \t\tbzip2 \t\tdpkg-dev \t\tfile \t\tg++ \t\tgcc \t\tmake \t\tpatch \t\tunzip \t\txz-utils \t\tzlib1g-dev \t; \trm -rf /var/lib/apt/lists/*", deps)
            .run("groupadd --gid 1000 node   && useradd --uid 1000 --gid node --shell /bin/bash --create-home node", user)
            .env("NODE_VERSION", version)
            .run("ARCH= && dpkgArch=\"$(dpkg --print-architecture)\"   && curl -fsSLO --compressed \"https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION-linux-$ARCH.tar.xz\"   && tar -xJf \"node-v$NODE_VERSION-linux-$ARCH.tar.xz\" -C /usr/local --strip-components=1 --no-same-owner   && ln -s /usr/local/bin/node /usr/local/bin/nodejs   && node --version   && npm --version", node_bins)
    };
    b.env("YARN_VERSION", "1.22.17")
        .run("set -ex   && curl -fsSLO --compressed \"https://yarnpkg.com/downloads/$YARN_VERSION/yarn-v$YARN_VERSION.tar.gz\"   && mkdir -p /opt   && tar -xzf yarn-v$YARN_VERSION.tar.gz -C /opt/   && ln -s /opt/yarn-v$YARN_VERSION/bin/yarn /usr/local/bin/yarn   && ln -s /opt/yarn-v$YARN_VERSION/bin/yarnpkg /usr/local/bin/yarnpkg   && yarn --version", yarn)
        .copy("/usr/local/bin/", tree(|t| { t.applet_named("usr/local/bin/docker-entrypoint.sh", "node-docker-entrypoint.sh"); }))
        .entrypoint(&["docker-entrypoint.sh"])
        .cmd(&["node"])
        .finish()
}

/// `python:<version>` on `debian:bullseye` (buildpack-deps collapsed) or `-slim`.
pub fn python(version: &str, slim: bool) -> Recipe {
    let minor: String = version.split('.').take(2).collect::<Vec<_>>().join(".");
    let base = if slim {
        bullseye_slim()
    } else {
        distro::debian("bullseye", false, "2021-12-21T01:22:45.396102478Z")
    };
    let mut b = Build::from(base, "2021-12-21T08:55:03.581237102Z", DV);
    if !slim {
        b = b.run("set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tca-certificates curl gnupg netbase wget git openssh-client \t\tautoconf automake bzip2 dpkg-dev file g++ gcc make patch unzip xz-utils zlib1g-dev \t; \trm -rf /var/lib/apt/lists/*", tree(|t| { t.applets("usr/bin", &["curl", "wget", "git", "gcc", "g++", "make"]); }));
    }
    let py = tree(|t| {
        t.applet(&format!("usr/local/bin/python{minor}"))
            .applet(&format!("usr/local/bin/pip{minor}"))
            .link("usr/local/bin/python3", &format!("python{minor}"))
            .link("usr/local/bin/python", "python3")
            .link("usr/local/bin/pip3", &format!("pip{minor}"))
            .link("usr/local/bin/pip", "pip3")
            .dir(&format!("usr/local/lib/python{minor}/site-packages"), 0o755);
    });
    b.env("PATH", "/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        .env("LANG", "C.UTF-8")
        .env("GPG_KEY", "A035C8C19219BA821ECEA86B64E628F8D684696D")
        .env("PYTHON_VERSION", version)
        .run("set -ex \t\t&& wget -O python.tar.xz \"https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz\" \t&& ./configure \t\t--build=\"$gnuArch\" \t\t--enable-loadable-sqlite-extensions \t\t--enable-optimizations \t\t--enable-option-checking=fatal \t\t--enable-shared \t\t--with-system-expat \t\t--without-ensurepip \t&& make -j \"$(nproc)\" \t&& make install \t&& ldconfig \t\t&& python3 --version", py)
        .env("PYTHON_PIP_VERSION", "21.2.4")
        .env("PYTHON_SETUPTOOLS_VERSION", "57.5.0")
        .cmd(&["python3"])
        .finish()
}

// ---------------------------------------------------------------- php and wordpress

const APACHE2_CONF: &str = "# This is the main Apache server configuration file.\nDefaultRuntimeDir ${APACHE_RUN_DIR}\nPidFile ${APACHE_PID_FILE}\nTimeout 300\nKeepAlive On\nUser ${APACHE_RUN_USER}\nGroup ${APACHE_RUN_GROUP}\nHostnameLookups Off\nErrorLog ${APACHE_LOG_DIR}/error.log\nLogLevel warn\nIncludeOptional mods-enabled/*.load\nIncludeOptional mods-enabled/*.conf\nInclude ports.conf\n<Directory />\n\tOptions FollowSymLinks\n\tAllowOverride None\n\tRequire all denied\n</Directory>\n<Directory /var/www/>\n\tOptions Indexes FollowSymLinks\n\tAllowOverride None\n\tRequire all granted\n</Directory>\nAccessFileName .htaccess\nIncludeOptional conf-enabled/*.conf\nIncludeOptional sites-enabled/*.conf\n";

/// Debian's apache2 package as the php images install it.
fn apache2_tree() -> Tree {
    tree(|t| {
        t.applet("usr/sbin/apache2")
            .applets("usr/sbin", &["apache2ctl", "a2enmod", "a2dismod", "a2ensite", "a2dissite", "a2enconf", "a2disconf"])
            .link("usr/sbin/apachectl", "apache2ctl")
            .text("etc/apache2/apache2.conf", APACHE2_CONF)
            .text("etc/apache2/ports.conf", "Listen 80\n\n<IfModule ssl_module>\n\tListen 443\n</IfModule>\n")
            .text("etc/apache2/envvars", "export APACHE_RUN_USER=www-data\nexport APACHE_RUN_GROUP=www-data\nexport APACHE_PID_FILE=/var/run/apache2/apache2.pid\nexport APACHE_RUN_DIR=/var/run/apache2\nexport APACHE_LOCK_DIR=/var/lock/apache2\nexport APACHE_LOG_DIR=/var/log/apache2\n")
            .text("etc/apache2/sites-available/000-default.conf", "<VirtualHost *:80>\n\tServerAdmin webmaster@localhost\n\tDocumentRoot /var/www/html\n\tErrorLog ${APACHE_LOG_DIR}/error.log\n\tCustomLog ${APACHE_LOG_DIR}/access.log combined\n</VirtualHost>\n")
            .link("etc/apache2/sites-enabled/000-default.conf", "../sites-available/000-default.conf")
            .text("etc/apache2/conf-available/docker-php.conf", "<FilesMatch \\.php$>\n\tSetHandler application/x-httpd-php\n</FilesMatch>\n\nDirectoryIndex disabled\nDirectoryIndex index.php index.html\n\n<Directory /var/www/>\n\tOptions -Indexes\n\tAllowOverride All\n</Directory>\n")
            .link("etc/apache2/conf-enabled/docker-php.conf", "../conf-available/docker-php.conf")
            .dir_owned("var/www/html", 0o777, 33, 33)
            .dir_owned("var/run/apache2", 0o777, 33, 33)
            .dir_owned("var/lock/apache2", 0o777, 33, 33)
            .dir("var/log/apache2", 0o777)
            .link("var/log/apache2/access.log", "/dev/stdout")
            .link("var/log/apache2/error.log", "/dev/stderr")
            .link("var/log/apache2/other_vhosts_access.log", "/dev/stdout");
    })
}

fn php_tree() -> Tree {
    tree(|t| {
        t.applets(
            "usr/local/bin",
            &[
                "php",
                "php-config",
                "phpize",
                "pecl",
                "pear",
                "docker-php-ext-install",
                "docker-php-ext-enable",
                "docker-php-ext-configure",
                "docker-php-source",
            ],
        )
        .text(
            "usr/local/etc/php/php.ini-development",
            "[PHP]\nengine = On\ndisplay_errors = On\n",
        )
        .text(
            "usr/local/etc/php/php.ini-production",
            "[PHP]\nengine = On\ndisplay_errors = Off\n",
        )
        .dir("usr/local/etc/php/conf.d", 0o755);
    })
}

/// `php:<version>-apache` (`apache = true`) or `php:<version>-cli` on `debian:bullseye-slim`.
pub fn php(version: &str, apache: bool) -> Recipe {
    let mut b = Build::from(bullseye_slim(), "2021-12-21T05:27:33.170291873Z", DV)
        .env("PHPIZE_DEPS", "autoconf \t\tdpkg-dev \t\tfile \t\tg++ \t\tgcc \t\tlibc-dev \t\tmake \t\tpkg-config \t\tre2c")
        .run("set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\t$PHPIZE_DEPS \t\tca-certificates \t\tcurl \t\txz-utils \t; \trm -rf /var/lib/apt/lists/*", tree(|t| { t.applets("usr/bin", &["curl", "xz", "gcc", "make"]); }))
        .env("PHP_INI_DIR", "/usr/local/etc/php")
        .run("set -eux; \tmkdir -p \"$PHP_INI_DIR/conf.d\"; \t[ ! -d /var/www/html ]; \tmkdir -p /var/www/html; \tchown www-data:www-data /var/www/html; \tchmod 777 /var/www/html", tree(|t| { t.dir("usr/local/etc/php/conf.d", 0o755).dir_owned("var/www/html", 0o777, 33, 33); }));
    if apache {
        b = b
            .env("APACHE_CONFDIR", "/etc/apache2")
            .env("APACHE_ENVVARS", "/etc/apache2/envvars")
            .run("set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends apache2; \trm -rf /var/lib/apt/lists/*; \t\tsed -ri 's/^export ([^=]+)=(.*)$/: ${\\1:=\\2}\\nexport \\1/' \"$APACHE_ENVVARS\"; \t\t. \"$APACHE_ENVVARS\"; \tfor dir in \t\t\"$APACHE_LOCK_DIR\" \t\t\"$APACHE_RUN_DIR\" \t\t\"$APACHE_LOG_DIR\" \t; do \t\trm -rvf \"$dir\"; \t\tmkdir -p \"$dir\"; \t\tchown \"$APACHE_RUN_USER:$APACHE_RUN_GROUP\" \"$dir\"; \t\tchmod 777 \"$dir\"; \tdone; \t\trm -rvf /var/www/html/*; \t\tln -sfT /dev/stderr \"$APACHE_LOG_DIR/error.log\"; \tln -sfT /dev/stdout \"$APACHE_LOG_DIR/access.log\"; \tln -sfT /dev/stdout \"$APACHE_LOG_DIR/other_vhosts_access.log\"; \tchown -R --no-dereference \"$APACHE_RUN_USER:$APACHE_RUN_GROUP\" \"$APACHE_LOG_DIR\"", apache2_tree())
            .run("a2dismod mpm_event && a2enmod mpm_prefork", tree(|t| { t.link("etc/apache2/mods-enabled/mpm_prefork.load", "../mods-available/mpm_prefork.load"); }))
            .run("{ \t\techo '<FilesMatch \\.php$>'; \t\techo '\\tSetHandler application/x-httpd-php'; \t\techo '</FilesMatch>'; \t\techo; \t\techo 'DirectoryIndex disabled'; \t\techo 'DirectoryIndex index.php index.html'; \t\techo; \t\techo '<Directory /var/www/>'; \t\techo '\\tOptions -Indexes'; \t\techo '\\tAllowOverride All'; \t\techo '</Directory>'; \t} | tee \"$APACHE_CONFDIR/conf-available/docker-php.conf\" \t&& a2enconf docker-php", tree(|t| { t.link("etc/apache2/conf-enabled/docker-php.conf", "../conf-available/docker-php.conf"); }));
    }
    b = b
        .env("PHP_CFLAGS", "-fstack-protector-strong -fpic -fpie -O2 -D_LARGEFILE_SOURCE -D_FILE_OFFSET_BITS=64")
        .env("PHP_VERSION", version)
        .run("set -eux; \t\tsavedAptMark=\"$(apt-mark showmanual)\"; \tapt-get update; \t./configure \t\t--with-config-file-path=\"$PHP_INI_DIR\" \t\t--with-config-file-scan-dir=\"$PHP_INI_DIR/conf.d\" \t\t--enable-option-checking=fatal \t\t--with-mhash \t\t--with-pic \t\t--enable-ftp \t\t--enable-mbstring \t\t--enable-mysqlnd \t\t--with-password-argon2 \t\t--with-sodium=shared \t\t--with-pdo-sqlite=/usr \t\t--with-sqlite3=/usr \t\t--with-curl \t\t--with-openssl \t\t--with-readline \t\t--with-zlib \t; \tmake -j \"$(nproc)\"; \tmake install; \tphp --version", php_tree())
        .copy("/usr/local/bin/", tree(|t| { t.applet("usr/local/bin/docker-php-entrypoint"); }))
        .entrypoint(&["docker-php-entrypoint"]);
    if apache {
        b.stop_signal("SIGWINCH")
            .copy(
                "/usr/local/bin/",
                tree(|t| {
                    t.applet("usr/local/bin/apache2-foreground");
                }),
            )
            .workdir("/var/www/html")
            .expose(&["80"])
            .cmd(&["apache2-foreground"])
            .finish()
    } else {
        b.cmd(&["php", "-a"]).finish()
    }
}

/// `wordpress:5.8.2` (php7.4-apache).
pub fn wordpress() -> Recipe {
    let wp = tree(|t| {
        t.dir_owned("usr/src/wordpress", 0o755, 33, 33)
            .file_owned("usr/src/wordpress/index.php", 0o644, 33, 33, "<?php\n/**\n * Front to the WordPress application.\n */\ndefine( 'WP_USE_THEMES', true );\nrequire __DIR__ . '/wp-blog-header.php';\n")
            .file_owned("usr/src/wordpress/wp-config-docker.php", 0o644, 33, 33, "<?php\ndefine( 'DB_NAME', getenv_docker('WORDPRESS_DB_NAME', 'wordpress') );\ndefine( 'DB_USER', getenv_docker('WORDPRESS_DB_USER', 'example username') );\ndefine( 'DB_PASSWORD', getenv_docker('WORDPRESS_DB_PASSWORD', 'example password') );\ndefine( 'DB_HOST', getenv_docker('WORDPRESS_DB_HOST', 'mysql') );\n");
    });
    Build::from(php("7.4.27", true), "2021-12-21T09:18:20.019361829Z", DV)
        .run("set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tghostscript \t; \trm -rf /var/lib/apt/lists/*", tree(|t| { t.applet("usr/bin/gs"); }))
        .run("set -ex; \t\tdocker-php-ext-install -j \"$(nproc)\" \t\tbcmath \t\texif \t\tgd \t\tmysqli \t\tzip \t;", tree(|t| { t.text("usr/local/etc/php/conf.d/docker-php-ext-mysqli.ini", "extension=mysqli\n"); }))
        .run("set -eux; \ta2enmod rewrite expires; \ta2enmod remoteip", tree(|t| { t.link("etc/apache2/mods-enabled/rewrite.load", "../mods-available/rewrite.load"); }))
        .env("WORDPRESS_VERSION", "5.8.2")
        .env("WORDPRESS_SHA1", "9d1c6b1a9b3ff4e2fc2b5c3a0c8e9f1ca4e4f5b2")
        .run("set -eux; \tcurl -o wordpress.tar.gz -fL \"https://wordpress.org/wordpress-$WORDPRESS_VERSION.tar.gz\"; \ttar -xzf wordpress.tar.gz -C /usr/src/; \trm wordpress.tar.gz; \tchown -R www-data:www-data /usr/src/wordpress", wp)
        .volume(&["/var/www/html"])
        .copy("/usr/local/bin/", tree(|t| { t.applet_named("usr/local/bin/docker-entrypoint.sh", "wordpress-docker-entrypoint.sh"); }))
        .entrypoint(&["docker-entrypoint.sh"])
        .cmd(&["apache2-foreground"])
        .finish()
}

// ---------------------------------------------------------------- tomcat and jenkins

fn openjdk11(b: Build) -> Build {
    b.env("JAVA_HOME", "/usr/local/openjdk-11")
        .env("PATH", "/usr/local/openjdk-11/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        .env("LANG", "C.UTF-8")
        .env("JAVA_VERSION", "11.0.13")
        .run("set -eux; \t\tarch=\"$(dpkg --print-architecture)\"; \tcurl -fL -o openjdk.tgz \"$downloadUrl\"; \tmkdir -p \"$JAVA_HOME\"; \ttar --extract --file openjdk.tgz --directory \"$JAVA_HOME\" --strip-components 1 --no-same-owner; \trm openjdk.tgz*; \tjava -Xshare:dump; \tjavac --version; \tjava --version", tree(|t| {
            t.applets("usr/local/openjdk-11/bin", &["java", "javac", "jar", "keytool", "jshell"]);
        }))
}

/// `tomcat:<version>` (jdk11-openjdk on bullseye).
pub fn tomcat(version: &str) -> Recipe {
    let major = version.split('.').next().unwrap_or("9");
    let base = Build::from(
        distro::debian("bullseye", false, "2021-12-21T01:22:45.396102478Z"),
        "2021-12-21T04:02:34.813279416Z",
        DV,
    )
    .run("set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tbzip2 \t\tunzip \t\txz-utils \t\tfontconfig libfreetype6 \t\tca-certificates p11-kit \t; \trm -rf /var/lib/apt/lists/*", tree(|t| { t.applets("usr/bin", &["unzip", "bzip2", "curl", "wget"]); }));
    let cat = tree(|t| {
        t.applets("usr/local/tomcat/bin", &["catalina.sh", "startup.sh", "shutdown.sh", "version.sh", "configtest.sh"])
            .text("usr/local/tomcat/conf/server.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Server port=\"8005\" shutdown=\"SHUTDOWN\">\n  <Service name=\"Catalina\">\n    <Connector port=\"8080\" protocol=\"HTTP/1.1\"\n               connectionTimeout=\"20000\"\n               redirectPort=\"8443\" />\n    <Engine name=\"Catalina\" defaultHost=\"localhost\">\n      <Host name=\"localhost\"  appBase=\"webapps\"\n            unpackWARs=\"true\" autoDeploy=\"true\">\n      </Host>\n    </Engine>\n  </Service>\n</Server>\n")
            .text("usr/local/tomcat/conf/tomcat-users.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tomcat-users xmlns=\"http://tomcat.apache.org/xml\"\n              version=\"1.0\">\n</tomcat-users>\n")
            .dir("usr/local/tomcat/webapps", 0o755)
            .text("usr/local/tomcat/webapps.dist/ROOT/index.jsp", "<%@ page session=\"false\" pageEncoding=\"UTF-8\" contentType=\"text/html; charset=UTF-8\" %>\n<h1>Apache Tomcat</h1>\n")
            .dir("usr/local/tomcat/logs", 0o777)
            .dir("usr/local/tomcat/temp", 0o777)
            .dir("usr/local/tomcat/work", 0o777);
    });
    openjdk11(base)
        .env("CATALINA_HOME", "/usr/local/tomcat")
        .env("PATH", "/usr/local/tomcat/bin:/usr/local/openjdk-11/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        .run("mkdir -p \"$CATALINA_HOME\"", tree(|t| { t.dir("usr/local/tomcat", 0o755); }))
        .workdir("/usr/local/tomcat")
        .env("TOMCAT_NATIVE_LIBDIR", "/usr/local/tomcat/native-jni-lib")
        .env("LD_LIBRARY_PATH", "/usr/local/tomcat/native-jni-lib")
        .env("TOMCAT_MAJOR", major)
        .env("TOMCAT_VERSION", version)
        .run("set -eux; \t\tsavedAptMark=\"$(apt-mark showmanual)\"; \tapt-get update; \tddist() { \t\tlocal f=\"$1\"; shift; \t\tlocal distFile=\"$1\"; shift; \t}; \tddist 'tomcat.tar.gz' \"tomcat/tomcat-$TOMCAT_MAJOR/v$TOMCAT_VERSION/bin/apache-tomcat-$TOMCAT_VERSION.tar.gz\"; \ttar -xf tomcat.tar.gz --strip-components=1; \trm bin/*.bat; \trm tomcat.tar.gz*; \tmv webapps webapps.dist; \tmkdir webapps; \tchmod 777 logs temp work; \tcatalina.sh version", cat)
        .run("set -eux; \tnativeLines=\"$(catalina.sh configtest 2>&1)\"; \tnativeLines=\"$(echo \"$nativeLines\" | grep 'Apache Tomcat Native')\"", tree(|t| { t.dir("usr/local/tomcat/native-jni-lib", 0o755); }))
        .expose(&["8080"])
        .cmd(&["catalina.sh", "run"])
        .finish()
}

/// `jenkins/jenkins:lts` (2.319.1, jdk11, bullseye).
pub fn jenkins() -> Recipe {
    let base = Build::from(
        distro::debian("bullseye", false, "2021-12-21T01:22:45.396102478Z"),
        "2021-12-21T10:05:17.224361937Z",
        DV,
    )
    .run("apt-get update && apt-get upgrade -y && apt-get install -y git curl gpg unzip libfreetype6 libfontconfig1 && rm -rf /var/lib/apt/lists/*", tree(|t| { t.applets("usr/bin", &["git", "curl", "gpg", "unzip"]); }));
    let mut user = deb_user("jenkins", 1000, "/var/jenkins_home", "/bin/bash");
    user.dir_owned("var/jenkins_home", 0o755, 1000, 1000);
    openjdk11(base)
        .env("LANG", "C.UTF-8")
        .env("JENKINS_HOME", "/var/jenkins_home")
        .env("JENKINS_SLAVE_AGENT_PORT", "50000")
        .env("REF", "/usr/share/jenkins/ref")
        .run("mkdir -p $JENKINS_HOME   && chown ${uid}:${gid} $JENKINS_HOME   && groupadd -g ${gid} ${group}   && useradd -d \"$JENKINS_HOME\" -u ${uid} -g ${gid} -m -s /bin/bash ${user}", user)
        .volume(&["/var/jenkins_home"])
        .run("mkdir -p ${REF}/init.groovy.d", tree(|t| { t.dir("usr/share/jenkins/ref/init.groovy.d", 0o755); }))
        .run("curl -fsSL https://github.com/krallin/tini/releases/download/v0.19.0/tini-static-amd64 -o /sbin/tini   && chmod +x /sbin/tini", tree(|t| { t.applet("usr/bin/tini"); }))
        .env("JENKINS_VERSION", "2.319.1")
        .run("curl -fsSL ${JENKINS_URL} -o /usr/share/jenkins/jenkins.war   && echo \"${JENKINS_SHA}  /usr/share/jenkins/jenkins.war\" | sha256sum -c -", tree(|t| { t.file("usr/share/jenkins/jenkins.war", 0o644, b"PK drydock placeholder\n".to_vec()); }))
        .env("JENKINS_UC", "https://updates.jenkins.io")
        .expose(&["8080", "50000"])
        .user("jenkins")
        .copy("/usr/local/bin/jenkins.sh", tree(|t| { t.applets("usr/local/bin", &["jenkins.sh", "jenkins-support", "install-plugins.sh", "jenkins-plugin-cli"]); }))
        .entrypoint(&["/usr/bin/tini", "--", "/usr/local/bin/jenkins.sh"])
        .finish()
}

// ---------------------------------------------------------------- community images

/// `bitnami/<app>`: minideb (Debian buster) with the app under `/opt/bitnami`, non-root (1001).
pub fn bitnami(app: &str) -> Recipe {
    let (version, ports, bins): (&str, &[&str], Tree) = match app {
        "apache" => (
            "2.4.52",
            &["8080", "8443"],
            tree(|t| {
                t.applets("opt/bitnami/apache/bin", &["httpd", "apachectl", "htpasswd", "ab"])
                .text("opt/bitnami/apache/conf/httpd.conf", "ServerRoot \"/opt/bitnami/apache\"\nListen 8080\nDocumentRoot \"/opt/bitnami/apache/htdocs\"\n")
                .text("opt/bitnami/apache/htdocs/index.html", "<html><body><h1>It works!</h1></body></html>\n");
            }),
        ),
        "nginx" => (
            "1.21.5",
            &["8080", "8443"],
            tree(|t| {
                t.applet("opt/bitnami/nginx/sbin/nginx")
                .text("opt/bitnami/nginx/conf/nginx.conf", "worker_processes  auto;\nerror_log  \"/opt/bitnami/nginx/logs/error.log\";\nhttp {\n  server {\n    listen 8080;\n  }\n}\n")
                .text("opt/bitnami/nginx/html/index.html", NGINX_BITNAMI_INDEX);
            }),
        ),
        _ => (
            "6.2.6",
            &["6379"],
            tree(|t| {
                t.applets("opt/bitnami/redis/bin", &["redis-server", "redis-cli"])
                    .text(
                        "opt/bitnami/redis/etc/redis.conf",
                        "bind 0.0.0.0\nport 6379\nappendonly no\n",
                    );
            }),
        ),
    };
    let scripts = tree(|t| {
        t.applet_named(
            &format!("opt/bitnami/scripts/{app}/entrypoint.sh"),
            &format!("bitnami-{app}-entrypoint.sh"),
        )
        .applet_named(
            &format!("opt/bitnami/scripts/{app}/run.sh"),
            &format!("bitnami-{app}-run.sh"),
        )
        .applet_named(
            &format!("opt/bitnami/scripts/{app}/setup.sh"),
            &format!("bitnami-{app}-setup.sh"),
        );
    });
    let mut b = Build::from(buster_slim(), "2021-12-22T09:11:04.538227510Z", "20.10.11")
        .env("HOME", "/")
        .env("OS_ARCH", "amd64")
        .env("OS_FLAVOUR", "debian-10")
        .env("OS_NAME", "linux")
        .copy_dir(
            "/",
            tree(|t| {
                t.applet("opt/bitnami/scripts/libbitnami.sh");
            }),
        )
        .run(
            "install_packages acl ca-certificates curl gzip libc6 procps tar",
            tree(|t| {
                t.applets("usr/bin", &["curl", "ps"]);
            }),
        )
        .run(&format!("bitnami-pkg unpack {app}-{version}-0"), bins)
        .copy_dir("/", scripts)
        .env("BITNAMI_APP_NAME", app)
        .env("BITNAMI_IMAGE_VERSION", &format!("{version}-debian-10-r0"));
    if app == "apache" {
        b = b.workdir("/app");
    }
    b.expose(ports)
        .user("1001")
        .entrypoint(&[&format!("/opt/bitnami/scripts/{app}/entrypoint.sh")])
        .cmd(&[&format!("/opt/bitnami/scripts/{app}/run.sh")])
        .finish()
}

const NGINX_BITNAMI_INDEX: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n";

/// `centos/httpd-24-centos7`: Software Collections httpd 2.4 on CentOS 7, port 8080, user 1001.
pub fn centos_httpd24() -> Recipe {
    let scl = tree(|t| {
        t.applets("opt/rh/httpd24/root/usr/sbin", &["httpd", "apachectl"])
            .applet("opt/rh/httpd24/root/usr/bin/htpasswd")
            .text("etc/opt/rh/httpd24/httpd/conf/httpd.conf", "ServerRoot \"/opt/rh/httpd24/root/etc/httpd\"\nListen 0.0.0.0:8080\nUser default\nGroup root\nDocumentRoot \"/opt/rh/httpd24/root/var/www/html\"\n")
            .dir("opt/rh/httpd24/root/var/www/html", 0o755)
            .applets("usr/bin", &["run-httpd", "container-entrypoint"]);
    });
    let mut user = Tree::new();
    user.text(
        "etc/passwd",
        &format!(
            "{}default:x:1001:0:Default Application User:/opt/app-root/src:/sbin/nologin\n",
            distro::REDHAT_PASSWD
        ),
    )
    .dir_owned("opt/app-root/src", 0o775, 1001, 0);
    Build::from(distro::centos(7), "2021-11-20T12:03:17.019473612Z", "1.13.1")
        .env("SUMMARY", "Platform for running Apache httpd 2.4 or building httpd-based application")
        .env("HTTPD_VERSION", "2.4")
        .env("HOME", "/opt/app-root/src")
        .run("rpmkeys --import file:///etc/pki/rpm-gpg/RPM-GPG-KEY-CentOS-7 &&     yum install -y yum-utils gettext hostname &&     yum install -y centos-release-scl &&     INSTALL_PKGS=\"nss_wrapper bind-utils httpd24 httpd24-mod_ssl httpd24-mod_auth_mellon httpd24-mod_security\" &&     yum install -y --setopt=tsflags=nodocs $INSTALL_PKGS &&     rpm -V $INSTALL_PKGS &&     yum -y clean all --enablerepo='*'", scl)
        .run("useradd -u 1001 -r -g 0 -d ${HOME} -s /sbin/nologin -c \"Default Application User\" default", user)
        .workdir("/opt/app-root/src")
        .expose(&["8080", "8443"])
        .user("1001")
        .cmd(&["/usr/bin/run-httpd"])
        .finish()
}

/// A Debian/Ubuntu community image running Debian's apache2 (`eboraas/apache`, `webdevops/apache`).
pub fn community_apache2(kind: &str) -> Recipe {
    let base = if kind == "webdevops" {
        distro::ubuntu("18.04", "2021-10-01T16:24:21.734961587Z")
    } else {
        distro::debian("buster", false, "2021-12-21T01:23:24.046016459Z")
    };
    let b = Build::from(base, "2021-12-23T14:02:11.712034881Z", "19.03.12")
        .labels(&[("maintainer", if kind == "webdevops" { "info@webdevops.io" } else { "Ed Boraas <ed@boraas.ca>" })])
        .run("apt-get update && apt-get -y install apache2 && apt-get clean && rm -rf /var/lib/apt/lists/*", apache2_tree())
        .env("APACHE_RUN_USER", "www-data")
        .env("APACHE_RUN_GROUP", "www-data")
        .env("APACHE_LOG_DIR", "/var/log/apache2");
    if kind == "webdevops" {
        b.copy_dir(
            "/",
            tree(|t| {
                t.applet_named("entrypoint", "webdevops-entrypoint")
                    .applet("usr/bin/supervisord");
            }),
        )
        .expose(&["80", "443"])
        .workdir("/")
        .entrypoint(&["/entrypoint"])
        .cmd(&["supervisord"])
        .finish()
    } else {
        b.run(
            "/usr/sbin/a2ensite default-ssl && /usr/sbin/a2enmod ssl",
            tree(|t| {
                t.link(
                    "etc/apache2/sites-enabled/default-ssl.conf",
                    "../sites-available/default-ssl.conf",
                );
            }),
        )
        .expose(&["80", "443"])
        .cmd(&["/usr/sbin/apache2ctl", "-D", "FOREGROUND"])
        .finish()
    }
}

/// `ulsmith/alpine-apache`: Alpine's apache2 package.
pub fn alpine_apache() -> Recipe {
    let apache = tree(|t| {
        t.applet("usr/sbin/httpd")
            .applet("usr/bin/htpasswd")
            .text("etc/apache2/httpd.conf", "ServerRoot /var/www\nListen 80\nUser apache\nGroup apache\nDocumentRoot \"/app/public\"\n")
            .text("etc/passwd", &format!("{ALPINE_PASSWD}apache:x:100:101:apache:/var/www:/sbin/nologin\n"))
            .dir("app/public", 0o755)
            .applet_named("bootstrap/start.sh", "ulsmith-start.sh");
    });
    Build::from(distro::alpine("3.12.9", "2021-11-12T17:20:08.442217528Z"), "2021-11-30T10:22:41.553103117Z", "19.03.12")
        .run("apk --update add apache2 php7-apache2 && rm -f /var/cache/apk/* && mkdir -p /app/public && chown -R apache:apache /app", apache)
        .workdir("/app")
        .expose(&["80"])
        .entrypoint(&["/bootstrap/start.sh"])
        .finish()
}
