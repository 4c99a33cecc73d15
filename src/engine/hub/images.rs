//! Application images: recipes that follow the official images' Dockerfiles step by step (httpd,
//! nginx, registry, mysql, redis, postgres …), on top of the base distributions in
//! [`distro`]. Community images live in [`apps`](super::apps).
//!
//! Each `RUN` step's tree holds what that step leaves behind in the real image: the program as an
//! applet stub, its real default configuration where the exam reads it, and the users it adds.
//! Entrypoint scripts whose behaviour differs per image are stubs named after the image
//! (`nginx-docker-entrypoint.sh`, `mysql-docker-entrypoint.sh` …) so the runtime knows which one it
//! is running.

use super::distro::{self, ALPINE_PASSWD, DEBIAN_PASSWD};
use super::fs::Tree;
use super::recipe::{Build, Recipe};

const DV: &str = "20.10.7";

/// `hello-world:latest`: one static binary.
pub fn hello_world() -> Recipe {
    let mut t = Tree::new();
    t.applet("hello");
    Build::scratch("2021-09-23T23:47:57.442225064Z", DV)
        .copy("/", t)
        .cmd(&["/hello"])
        .finish()
}

// ---------------------------------------------------------------- httpd

const HTTPD_PREFIX: &str = "/usr/local/apache2";
const HTTPD_INDEX: &str = "<html><body><h1>It works!</h1></body></html>\n";
const HTTPD_SHA256: &str = "0127f7dc497e9983e9c51474bed75e45607f2f870a7675a86dc90af6d572f5c9";

/// The image's `conf/httpd.conf`: the stock file with the Docker image's edits (logs to the
/// container's stdout/stderr), comments trimmed.
pub const HTTPD_CONF: &str = r#"ServerRoot "/usr/local/apache2"

Listen 80

LoadModule mpm_event_module modules/mod_mpm_event.so
LoadModule authn_file_module modules/mod_authn_file.so
LoadModule authn_core_module modules/mod_authn_core.so
LoadModule authz_host_module modules/mod_authz_host.so
LoadModule authz_groupfile_module modules/mod_authz_groupfile.so
LoadModule authz_user_module modules/mod_authz_user.so
LoadModule authz_core_module modules/mod_authz_core.so
LoadModule access_compat_module modules/mod_access_compat.so
LoadModule auth_basic_module modules/mod_auth_basic.so
LoadModule reqtimeout_module modules/mod_reqtimeout.so
LoadModule filter_module modules/mod_filter.so
LoadModule mime_module modules/mod_mime.so
LoadModule log_config_module modules/mod_log_config.so
LoadModule env_module modules/mod_env.so
LoadModule headers_module modules/mod_headers.so
LoadModule setenvif_module modules/mod_setenvif.so
LoadModule version_module modules/mod_version.so
LoadModule unixd_module modules/mod_unixd.so
LoadModule status_module modules/mod_status.so
LoadModule autoindex_module modules/mod_autoindex.so
LoadModule dir_module modules/mod_dir.so
LoadModule alias_module modules/mod_alias.so

<IfModule unixd_module>
User daemon
Group daemon
</IfModule>

ServerAdmin you@example.com

<Directory />
    AllowOverride none
    Require all denied
</Directory>

DocumentRoot "/usr/local/apache2/htdocs"
<Directory "/usr/local/apache2/htdocs">
    Options Indexes FollowSymLinks
    AllowOverride None
    Require all granted
</Directory>

<IfModule dir_module>
    DirectoryIndex index.html
</IfModule>

<Files ".ht*">
    Require all denied
</Files>

ErrorLog /proc/self/fd/2

LogLevel warn

<IfModule log_config_module>
    LogFormat "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"" combined
    LogFormat "%h %l %u %t \"%r\" %>s %b" common

    CustomLog /proc/self/fd/1 common
</IfModule>

<IfModule alias_module>
    ScriptAlias /cgi-bin/ "/usr/local/apache2/cgi-bin/"
</IfModule>

<Directory "/usr/local/apache2/cgi-bin">
    AllowOverride None
    Options None
    Require all granted
</Directory>

<IfModule headers_module>
    RequestHeader unset Proxy early
</IfModule>

<IfModule mime_module>
    TypesConfig conf/mime.types
    AddType application/x-compress .Z
    AddType application/x-gzip .gz .tgz
</IfModule>

<IfModule proxy_html_module>
Include conf/extra/proxy-html.conf
</IfModule>

<IfModule ssl_module>
SSLRandomSeed startup builtin
SSLRandomSeed connect builtin
</IfModule>
"#;

const MIME_TYPES: &str = "# This file controls what Internet media types are sent to the client for\n\
# given file extension(s).\n\
application/json\t\t\t\tjson\n\
application/javascript\t\t\t\tjs\n\
application/octet-stream\t\t\tbin\n\
application/pdf\t\t\t\t\tpdf\n\
image/gif\t\t\t\t\tgif\n\
image/jpeg\t\t\t\t\tjpeg jpg jpe\n\
image/png\t\t\t\t\tpng\n\
text/css\t\t\t\t\tcss\n\
text/html\t\t\t\t\thtml htm\n\
text/plain\t\t\t\t\ttxt text conf def list log in\n";

/// The Apache install under `/usr/local/apache2` (what `make install` leaves).
fn httpd_install(t: &mut Tree) {
    let p = "usr/local/apache2";
    t.dirs(&[
        &format!("{p}/cgi-bin"),
        &format!("{p}/conf/extra"),
        &format!("{p}/conf/original"),
        &format!("{p}/error"),
        &format!("{p}/icons"),
        &format!("{p}/include"),
        &format!("{p}/logs"),
        &format!("{p}/modules"),
    ]);
    for b in [
        "ab",
        "apachectl",
        "apxs",
        "checkgid",
        "dbmmanage",
        "envvars",
        "envvars-std",
        "fcgistarter",
        "htcacheclean",
        "htdbm",
        "htdigest",
        "htpasswd",
        "httpd",
        "httxt2dbm",
        "logresolve",
        "rotatelogs",
    ] {
        t.applet(&format!("{p}/bin/{b}"));
    }
    for m in [
        "mod_access_compat",
        "mod_alias",
        "mod_auth_basic",
        "mod_authn_core",
        "mod_authn_file",
        "mod_authz_core",
        "mod_authz_groupfile",
        "mod_authz_host",
        "mod_authz_user",
        "mod_autoindex",
        "mod_dir",
        "mod_env",
        "mod_filter",
        "mod_headers",
        "mod_log_config",
        "mod_mime",
        "mod_mpm_event",
        "mod_proxy",
        "mod_reqtimeout",
        "mod_rewrite",
        "mod_setenvif",
        "mod_ssl",
        "mod_status",
        "mod_unixd",
        "mod_version",
    ] {
        t.file(
            &format!("{p}/modules/{m}.so"),
            0o755,
            format!("\x7fELF drydock placeholder: {m}\n").into_bytes(),
        );
    }
    t.text(&format!("{p}/conf/httpd.conf"), HTTPD_CONF)
        .text(&format!("{p}/conf/original/httpd.conf"), HTTPD_CONF)
        .text(&format!("{p}/conf/mime.types"), MIME_TYPES)
        .text(&format!("{p}/conf/magic"), "# Magic data for mod_mime_magic\n")
        .text(&format!("{p}/conf/extra/httpd-ssl.conf"), "Listen 443\nSSLCipherSuite HIGH:MEDIUM:!MD5:!RC4:!3DES\nSSLProtocol all -SSLv3\n<VirtualHost _default_:443>\nDocumentRoot \"/usr/local/apache2/htdocs\"\nServerName www.example.com:443\nSSLEngine on\nSSLCertificateFile \"/usr/local/apache2/conf/server.crt\"\nSSLCertificateKeyFile \"/usr/local/apache2/conf/server.key\"\n</VirtualHost>\n")
        .text(&format!("{p}/conf/extra/httpd-vhosts.conf"), "<VirtualHost *:80>\n    ServerAdmin webmaster@dummy-host.example.com\n    DocumentRoot \"/usr/local/apache2/docs/dummy-host.example.com\"\n    ServerName dummy-host.example.com\n</VirtualHost>\n")
        .text(&format!("{p}/htdocs/index.html"), HTTPD_INDEX)
        .text(&format!("{p}/error/HTTP_NOT_FOUND.html.var"), "Content-language: en\nContent-type: text/html; charset=UTF-8\nBody:----------en--\n<p>The requested URL was not found on this server.</p>\n----------en--\n");
}

const HTTPD_RUN_DEPS: &str = "set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tlibaprutil1-ldap \t\tlibldap-common \t; \trm -rf /var/lib/apt/lists/*";
const HTTPD_RUN_BUILD: &str = "set -eux; \t\tsavedAptMark=\"$(apt-mark showmanual)\"; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tbzip2 \t\tdirmngr \t\tdpkg-dev \t\tgcc \t\tgnupg \t\tlibapr1-dev \t\tlibaprutil1-dev \t\tlibbrotli-dev \t\tlibcurl4-openssl-dev \t\tlibjansson-dev \t\tliblua5.2-dev \t\tlibnghttp2-dev \t\tlibpcre3-dev \t\tlibssl-dev \t\tlibxml2-dev \t\tmake \t\twget \t\tzlib1g-dev \t; \trm -r /var/lib/apt/lists/*; \t\tddist() { \t\tlocal f=\"$1\"; shift; \t\tlocal distFile=\"$1\"; shift; \t\tlocal success=; \t\tlocal distUrl=; \t\tfor distUrl in \t\t\t'https://www.apache.org/dyn/closer.cgi?action=download&filename=' \t\t\thttps://downloads.apache.org/ \t\t\thttps://www-us.apache.org/dist/ \t\t\thttps://www.apache.org/dist/ \t\t\thttps://archive.apache.org/dist/ \t\t; do \t\t\tif wget -O \"$f\" \"$distUrl$distFile\" && [ -s \"$f\" ]; then \t\t\t\tsuccess=1; \t\t\t\tbreak; \t\t\tfi; \t\tdone; \t\t[ -n \"$success\" ]; \t}; \t\tddist 'httpd.tar.bz2' \"httpd/httpd-$HTTPD_VERSION.tar.bz2\"; \techo \"$HTTPD_SHA256 *httpd.tar.bz2\" | sha256sum -c -; \t\tmkdir -p src; \ttar -xf httpd.tar.bz2 -C src --strip-components=1; \trm httpd.tar.bz2; \tcd src; \t\t./configure \t\t--build=\"$gnuArch\" \t\t--prefix=\"$HTTPD_PREFIX\" \t\t--enable-mods-shared=reallyall \t\t--enable-mpms-shared=all \t; \tmake -j \"$(nproc)\"; \tmake install; \t\tcd ..; \trm -r src man manual; \t\tsed -ri \t\t-e 's!^(\\s*CustomLog)\\s+\\S+!\\1 /proc/self/fd/1!g' \t\t-e 's!^(\\s*ErrorLog)\\s+\\S+!\\1 /proc/self/fd/2!g' \t\t-e 's!^(\\s*TransferLog)\\s+\\S+!\\1 /proc/self/fd/1!g' \t\t\"$HTTPD_PREFIX/conf/httpd.conf\" \t\t\"$HTTPD_PREFIX/conf/extra/httpd-ssl.conf\" \t; \t\tapt-mark auto '.*' > /dev/null; \t[ -z \"$savedAptMark\" ] || apt-mark manual $savedAptMark; \tapt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \t\thttpd -v";

/// `httpd:2.4` on `debian:bullseye-slim`, as the official Dockerfile builds it.
pub fn httpd() -> Recipe {
    let base = distro::debian("bullseye", true, "2021-12-21T01:22:55.912830617Z");
    let mut mkdir = Tree::new();
    mkdir.dir_owned(HTTPD_PREFIX, 0o755, 33, 33);
    let mut deps = Tree::new();
    deps.text("usr/lib/x86_64-linux-gnu/libaprutil-1.so.0", "")
        .text("usr/lib/x86_64-linux-gnu/libldap-2.4.so.2", "")
        .text(
            "etc/ldap/ldap.conf",
            "#\n# LDAP Defaults\n#\n\nTLS_CACERT\t/etc/ssl/certs/ca-certificates.crt\n",
        )
        .text(
            "var/lib/dpkg/info/libaprutil1-ldap:amd64.list",
            "/usr/lib/x86_64-linux-gnu/apr-util-1/apr_ldap.so\n",
        );
    let mut build = Tree::new();
    httpd_install(&mut build);
    build.dir_owned(HTTPD_PREFIX, 0o755, 33, 33);
    let mut fg = Tree::new();
    fg.applet("usr/local/bin/httpd-foreground");
    Build::from(base, "2021-12-21T15:33:47.180542145Z", DV)
        .env("HTTPD_PREFIX", HTTPD_PREFIX)
        .env(
            "PATH",
            "/usr/local/apache2/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        )
        .run(
            "mkdir -p \"$HTTPD_PREFIX\" \t&& chown www-data:www-data \"$HTTPD_PREFIX\"",
            mkdir,
        )
        .workdir(HTTPD_PREFIX)
        .run(HTTPD_RUN_DEPS, deps)
        .env("HTTPD_VERSION", "2.4.52")
        .env("HTTPD_SHA256", HTTPD_SHA256)
        .env("HTTPD_PATCHES", "")
        .run(HTTPD_RUN_BUILD, build)
        .stop_signal("SIGWINCH")
        .copy("/usr/local/bin/", fg)
        .expose(&["80"])
        .cmd(&["httpd-foreground"])
        .finish()
}

/// `httpd:2.4-alpine` on `alpine:3.15`.
pub fn httpd_alpine() -> Recipe {
    let base = distro::alpine("3.15.0", "2021-11-24T20:19:40.483367546Z");
    let mut user = Tree::new();
    user.text(
        "etc/passwd",
        &format!("{ALPINE_PASSWD}www-data:x:82:82:Linux User,,,:/home/www-data:/sbin/nologin\n"),
    )
    .dir_owned("home/www-data", 0o2755, 82, 82);
    let mut mkdir = Tree::new();
    mkdir.dir_owned(HTTPD_PREFIX, 0o755, 82, 82);
    let mut build = Tree::new();
    httpd_install(&mut build);
    build
        .dir_owned(HTTPD_PREFIX, 0o755, 82, 82)
        .applets("usr/lib", &["libapr-1.so.0", "libaprutil-1.so.0"]);
    let mut fg = Tree::new();
    fg.applet("usr/local/bin/httpd-foreground");
    Build::from(base, "2021-12-21T02:13:40.651239117Z", DV)
        .run("set -x \t&& adduser -u 82 -D -S -G www-data www-data", user)
        .env("HTTPD_PREFIX", HTTPD_PREFIX)
        .env("PATH", "/usr/local/apache2/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        .run("mkdir -p \"$HTTPD_PREFIX\" \t&& chown www-data:www-data \"$HTTPD_PREFIX\"", mkdir)
        .workdir(HTTPD_PREFIX)
        .env("HTTPD_VERSION", "2.4.52")
        .env("HTTPD_SHA256", HTTPD_SHA256)
        .env("HTTPD_PATCHES", "")
        .run("set -eux; \t\trunDeps=' \t\tapr-dev \t\tapr-util-dev \t\tapr-util-ldap \t\tperl \t'; \tapk add --no-cache --virtual .build-deps \t\t$runDeps \t\tca-certificates \t\tcoreutils \t\tdpkg-dev dpkg \t\tgcc \t\tgnupg \t\tlibc-dev \t\tmake \t\topenssl \t\topenssl-dev \t\tpcre-dev \t\ttar \t\twget \t\tzlib-dev \t; \t./configure --prefix=\"$HTTPD_PREFIX\" --enable-mods-shared=reallyall --enable-mpms-shared=all; \tmake -j \"$(nproc)\"; \tmake install; \tapk del --no-network .build-deps; \thttpd -v", build)
        .stop_signal("SIGWINCH")
        .copy("/usr/local/bin/", fg)
        .expose(&["80"])
        .cmd(&["httpd-foreground"])
        .finish()
}

// ---------------------------------------------------------------- nginx

const NGINX_CONF: &str = "
user  nginx;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /var/run/nginx.pid;


events {
    worker_connections  1024;
}


http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] \"$request\" '
                      '$status $body_bytes_sent \"$http_referer\" '
                      '\"$http_user_agent\" \"$http_x_forwarded_for\"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    #tcp_nopush     on;

    keepalive_timeout  65;

    #gzip  on;

    include /etc/nginx/conf.d/*.conf;
}
";

const NGINX_DEFAULT_CONF: &str = "server {
    listen       80;
    server_name  localhost;

    #access_log  /var/log/nginx/host.access.log  main;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    #error_page  404              /404.html;

    # redirect server error pages to the static page /50x.html
    #
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
";

/// nginx's default `index.html` (1.21).
pub const NGINX_INDEX: &str = "<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href=\"http://nginx.org/\">nginx.org</a>.<br/>
Commercial support is available at
<a href=\"http://nginx.com/\">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
";

const NGINX_50X: &str = "<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
";

fn nginx_install(t: &mut Tree, passwd: String, group: String) {
    t.text("etc/passwd", &passwd)
        .text("etc/group", &group)
        .text("etc/nginx/nginx.conf", NGINX_CONF)
        .text("etc/nginx/conf.d/default.conf", NGINX_DEFAULT_CONF)
        .text("etc/nginx/mime.types", "\ntypes {\n    text/html                                        html htm shtml;\n    text/css                                         css;\n    image/gif                                        gif;\n    image/jpeg                                       jpeg jpg;\n    application/javascript                           js;\n    application/json                                 json;\n    image/png                                        png;\n    application/octet-stream                         bin exe dll;\n}\n")
        .text("etc/nginx/fastcgi_params", "fastcgi_param  QUERY_STRING       $query_string;\nfastcgi_param  REQUEST_METHOD     $request_method;\n")
        .text("etc/nginx/scgi_params", "scgi_param  REQUEST_METHOD     $request_method;\n")
        .text("etc/nginx/uwsgi_params", "uwsgi_param  QUERY_STRING       $query_string;\n")
        .link("etc/nginx/modules", "/usr/lib/nginx/modules")
        .dir("usr/lib/nginx/modules", 0o755)
        .text("usr/share/nginx/html/index.html", NGINX_INDEX)
        .text("usr/share/nginx/html/50x.html", NGINX_50X)
        .applet("usr/sbin/nginx")
        .applet("usr/sbin/nginx-debug")
        .applet("usr/bin/envsubst")
        .applet("usr/bin/curl")
        .dir("var/cache/nginx", 0o755)
        .dir("var/log/nginx", 0o755)
        .link("var/log/nginx/access.log", "/dev/stdout")
        .link("var/log/nginx/error.log", "/dev/stderr")
        .dir("docker-entrypoint.d", 0o755);
}

fn nginx_scripts(b: Build) -> Build {
    let mut ep = Tree::new();
    ep.applet_named("docker-entrypoint.sh", "nginx-docker-entrypoint.sh");
    let mut s10 = Tree::new();
    s10.applet("docker-entrypoint.d/10-listen-on-ipv6-by-default.sh");
    let mut s20 = Tree::new();
    s20.applet("docker-entrypoint.d/20-envsubst-on-templates.sh");
    let mut s30 = Tree::new();
    s30.applet("docker-entrypoint.d/30-tune-worker-processes.sh");
    b.copy("/", ep)
        .copy("/docker-entrypoint.d", s10)
        .copy("/docker-entrypoint.d", s20)
        .copy("/docker-entrypoint.d", s30)
        .entrypoint(&["/docker-entrypoint.sh"])
        .expose(&["80"])
        .stop_signal("SIGQUIT")
        .cmd(&["nginx", "-g", "daemon off;"])
}

const NGINX_RUN: &str = "set -x     && addgroup --system --gid 101 nginx     && adduser --system --disabled-login --ingroup nginx --no-create-home --home /nonexistent --gecos \"nginx user\" --shell /bin/false --uid 101 nginx     && apt-get update     && apt-get install --no-install-recommends --no-install-suggests -y gnupg1 ca-certificates     && apt-get install --no-install-recommends --no-install-suggests -y                         $nginxPackages                         gettext-base                         curl     && apt-get remove --purge --auto-remove -y && rm -rf /var/lib/apt/lists/* /etc/apt/sources.list.d/nginx.list         && ln -sf /dev/stdout /var/log/nginx/access.log     && ln -sf /dev/stderr /var/log/nginx/error.log     && mkdir /docker-entrypoint.d";

/// `nginx:1.21` on `debian:bullseye-slim`.
pub fn nginx() -> Recipe {
    let base = distro::debian("bullseye", true, "2021-12-21T01:22:55.912830617Z");
    let mut t = Tree::new();
    nginx_install(
        &mut t,
        format!("{DEBIAN_PASSWD}nginx:x:101:101:nginx user,,,:/nonexistent:/bin/false\n"),
        format!("{}nginx:x:101:\n", distro::DEBIAN_GROUP),
    );
    let b = Build::from(base, "2021-12-29T19:28:03.371291624Z", DV)
        .labels(&[(
            "maintainer",
            "NGINX Docker Maintainers <docker-maint@nginx.com>",
        )])
        .env("NGINX_VERSION", "1.21.5")
        .env("NJS_VERSION", "0.7.1")
        .env("PKG_RELEASE", "1~bullseye")
        .run(NGINX_RUN, t);
    nginx_scripts(b).finish()
}

/// `nginx:1.21-alpine` on `alpine:3.15`.
pub fn nginx_alpine() -> Recipe {
    let base = distro::alpine("3.15.0", "2021-11-24T20:19:40.483367546Z");
    let mut t = Tree::new();
    nginx_install(
        &mut t,
        format!("{ALPINE_PASSWD}nginx:x:101:101:nginx:/var/cache/nginx:/sbin/nologin\n"),
        format!("{}nginx:x:101:nginx\n", distro::ALPINE_GROUP),
    );
    let b = Build::from(base, "2021-12-29T19:53:51.052314512Z", DV)
        .labels(&[("maintainer", "NGINX Docker Maintainers <docker-maint@nginx.com>")])
        .env("NGINX_VERSION", "1.21.5")
        .env("NJS_VERSION", "0.7.1")
        .env("PKG_RELEASE", "1")
        .run("set -x     && addgroup -g 101 -S nginx     && adduser -S -D -H -u 101 -h /var/cache/nginx -s /sbin/nologin -G nginx -g nginx nginx     && apkArch=\"$(cat /etc/apk/arch)\"     && nginxPackages=\"         nginx=${NGINX_VERSION}-r${PKG_RELEASE}     \"     && apk add --no-cache --virtual .checksum-deps         openssl     && apk add -X \"https://nginx.org/packages/mainline/alpine/v$(egrep -o '^[0-9]+\\.[0-9]+' /etc/alpine-release)/main\" --no-cache $nginxPackages     && apk add --no-cache --virtual .gettext gettext     && apk add --no-cache tzdata     && apk add --no-cache curl ca-certificates     && ln -sf /dev/stdout /var/log/nginx/access.log     && ln -sf /dev/stderr /var/log/nginx/error.log     && mkdir /docker-entrypoint.d", t);
    nginx_scripts(b).finish()
}

// ---------------------------------------------------------------- registry

const REGISTRY_CONFIG: &str = "version: 0.1
log:
  fields:
    service: registry
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: /var/lib/registry
http:
  addr: :5000
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
";

/// `registry:2.7` (distribution 2.7.1) on `alpine:3.14`. No `htpasswd`: 2.7 dropped
/// apache2-utils, which is why Docker's docs generate the file with the `httpd:2` image.
pub fn registry() -> Recipe {
    let base = distro::alpine("3.14.3", "2021-11-12T17:19:44.795237917Z");
    let base_db = distro::alpine_tree("3.14.3")
        .get("lib/apk/db/installed")
        .and_then(|n| match &n.kind {
            super::fs::Kind::File(b) => Some(String::from_utf8_lossy(b).into_owned()),
            _ => None,
        })
        .unwrap_or_default();
    let mut certs = Tree::new();
    certs
        .text(
            "etc/ssl/certs/ca-certificates.crt",
            "# drydock: the Mozilla CA bundle is not shipped\n",
        )
        .applet("usr/sbin/update-ca-certificates")
        .text(
            "lib/apk/db/installed",
            &(base_db
                + &distro::apk_installed(&[(
                    "ca-certificates",
                    "20191127-r7",
                    "Common CA certificates PEM files from Mozilla",
                )])),
        )
        .text(
            "etc/apk/world",
            "alpine-baselayout\nalpine-keys\napk-tools\nbusybox\nca-certificates\nlibc-utils\n",
        );
    let mut bin = Tree::new();
    bin.applet("bin/registry");
    let mut conf = Tree::new();
    conf.text("etc/docker/registry/config.yml", REGISTRY_CONFIG);
    let mut ep = Tree::new();
    ep.applet_named("entrypoint.sh", "registry-entrypoint.sh");
    Build::from(base, "2021-11-13T03:01:55.286124785Z", DV)
        .run("set -ex     && apk add --no-cache ca-certificates", certs)
        .copy("/bin/registry", bin)
        .copy("/etc/docker/registry/config.yml", conf)
        .volume(&["/var/lib/registry"])
        .expose(&["5000"])
        .copy("/entrypoint.sh", ep)
        .entrypoint(&["/entrypoint.sh"])
        .cmd(&["/etc/docker/registry/config.yml"])
        .finish()
}
