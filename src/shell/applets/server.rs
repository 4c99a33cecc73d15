//! `httpd` (and `httpd-foreground`, `apachectl`, Debian's `apache2`) and `nginx`: real HTTP/1.1
//! servers over `std::net`, serving the image's document root from the container's rootfs.
//!
//! Where they listen: the host port of each `-p` binding of the container's port 80
//! (`spec.ports["80/tcp"]`), always on 127.0.0.1 (the host shell's `curl` reaches it there; a
//! drydock container never listens beyond loopback), else an ephemeral loopback port. Each
//! connection has a thread; requests are GET and HEAD, keep-alive as HTTP/1.1 says. Access lines
//! go to stdout in each server's format (Apache's common log, nginx's combined log), with the
//! client shown as Docker's bridge gateway `172.17.0.1`, as a request from the host appears in
//! a real container; start-up and shutdown notices go to stderr as the servers write them.
//!
//! Stopping: httpd on SIGWINCH (its image's STOPSIGNAL, graceful), SIGTERM or SIGINT; nginx on
//! SIGQUIT (its STOPSIGNAL), SIGTERM or SIGINT; both exit 0. A server started without its
//! foreground flag (`apachectl start`, `httpd`, `nginx` without `daemon off;`) runs as a
//! background process of the container, as the real daemons fork, and the command returns.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use super::shell::{Distro, distro};
use super::{container, signals};
use crate::shell::Ctx;
use crate::shell::fs::Root;

/// Which server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Apache,
    Nginx,
}

/// The address Docker's bridge gateway has; requests from the host appear to come from it.
const GATEWAY: &str = "172.17.0.1";
/// The first address Docker's default bridge hands out.
const CONTAINER_IP: &str = "172.17.0.2";

fn now_apache_error() -> String {
    jiff::Timestamp::now()
        .strftime("%a %b %d %H:%M:%S.%6f %Y")
        .to_string()
}

fn now_log() -> String {
    jiff::Timestamp::now()
        .strftime("%d/%b/%Y:%H:%M:%S +0000")
        .to_string()
}

fn now_nginx() -> String {
    jiff::Timestamp::now()
        .strftime("%Y/%m/%d %H:%M:%S")
        .to_string()
}

fn http_date(t: jiff::Timestamp) -> String {
    t.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// The `Server:` header of the server in this rootfs.
fn server_header(kind: Kind, root: &Root) -> &'static str {
    let official =
        root.exists("/", "/usr/local/apache2") || root.exists("/", "/docker-entrypoint.sh");
    match (kind, official, distro(root)) {
        (Kind::Apache, true, _) => "Apache/2.4.52 (Unix)",
        (Kind::Apache, _, Distro::RedHat) => "Apache/2.4.6 (CentOS)",
        (Kind::Apache, _, Distro::Debian) => "Apache/2.4.56 (Debian)",
        (Kind::Apache, _, Distro::Ubuntu) => "Apache/2.4.41 (Ubuntu)",
        (Kind::Apache, _, _) => "Apache/2.4.57 (Unix)",
        (Kind::Nginx, true, _) => "nginx/1.21.5",
        (Kind::Nginx, _, Distro::RedHat) => "nginx/1.20.1",
        (Kind::Nginx, _, Distro::Alpine) => "nginx/1.20.2",
        (Kind::Nginx, _, _) => "nginx/1.18.0",
    }
}

/// The document root (a virtual path) of the server in this rootfs.
fn doc_root(kind: Kind, root: &Root) -> String {
    let candidates: &[&str] = match kind {
        Kind::Apache => &[
            "/usr/local/apache2/htdocs",
            "/opt/bitnami/apache/htdocs",
            "/opt/rh/httpd24/root/var/www/html",
            "/var/www/html",
            "/var/www/localhost/htdocs",
        ],
        Kind::Nginx => &[
            "/usr/share/nginx/html",
            "/opt/bitnami/nginx/html",
            "/var/www/html",
            "/var/lib/nginx/html",
        ],
    };
    candidates
        .iter()
        .find(|c| root.is_dir("/", c))
        .unwrap_or(&candidates[0])
        .to_string()
}

/// The port the server's configuration listens on inside the container: the first `Listen`
/// (Apache) or `listen` (nginx) of the first configuration file the image has, else 80. The
/// Software Collections and bitnami images listen on 8080, as their non-root users must.
fn configured_port(kind: Kind, root: &Root) -> u16 {
    let files: &[&str] = match kind {
        Kind::Apache => &[
            "/usr/local/apache2/conf/httpd.conf",
            "/etc/opt/rh/httpd24/httpd/conf/httpd.conf",
            "/opt/bitnami/apache/conf/httpd.conf",
            "/etc/httpd/conf/httpd.conf",
            "/etc/apache2/ports.conf",
        ],
        Kind::Nginx => &[
            "/etc/nginx/conf.d/default.conf",
            "/opt/bitnami/nginx/conf/server_blocks/default.conf",
            "/opt/bitnami/nginx/conf/nginx.conf",
            "/etc/nginx/sites-enabled/default",
            "/etc/nginx/nginx.conf",
        ],
    };
    let directive = match kind {
        Kind::Apache => "Listen",
        Kind::Nginx => "listen",
    };
    for f in files {
        let Ok(real) = root.resolve("/", f, true) else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(real) else {
            continue;
        };
        for line in text.lines() {
            let mut words = line.split_whitespace();
            if words.next() != Some(directive) {
                continue;
            }
            // `80`, `0.0.0.0:8080`, `[::]:80`, `8080 default_server;`
            let addr = words.next().unwrap_or("").trim_end_matches(';');
            let port = addr.rsplit(':').next().unwrap_or(addr);
            if let Ok(p) = port.parse::<u16>() {
                return p;
            }
        }
    }
    // bitnami's images keep their configuration where drydock's stubs do not: 8080 regardless.
    if root.exists("/", "/opt/bitnami") || root.exists("/", "/opt/rh/httpd24") {
        8080
    } else {
        80
    }
}

/// The loopback addresses to listen on: the host ports published for the container port the
/// server listens on.
pub(super) fn listen_addrs(port: u16) -> Vec<String> {
    let ports: Vec<String> = container()
        .and_then(|c| c.spec.ports.get(&format!("{port}/tcp")))
        .map(|bs| {
            bs.iter()
                .filter(|b| !b.host_port.is_empty())
                .map(|b| format!("127.0.0.1:{}", b.host_port))
                .collect()
        })
        .unwrap_or_default();
    if ports.is_empty() {
        vec!["127.0.0.1:0".into()]
    } else {
        ports
    }
}

fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html",
        "txt" => "text/plain",
        "css" => "text/css",
        "js" => "application/javascript",
        "json" => "application/json",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Some(v) = std::str::from_utf8(&b[i + 1..(i + 3).min(b.len())])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An error page as each server writes it.
fn error_page(kind: Kind, server: &str, code: u16, url: &str) -> (String, String) {
    let reason = match code {
        301 => "Moved Permanently",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Bad Request",
    };
    let body = match kind {
        Kind::Nginx => format!(
            "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} {reason}</h1></center>\r\n<hr><center>{server}</center>\r\n</body>\r\n</html>\r\n"
        ),
        Kind::Apache => {
            let p = match code {
                301 => format!("<p>The document has moved <a href=\"{url}\">here</a>.</p>\n"),
                403 => "<p>You don't have permission to access this resource.</p>\n".into(),
                404 => "<p>The requested URL was not found on this server.</p>\n".into(),
                _ => "<p>Your browser sent a request that this server could not understand.<br />\n</p>\n".into(),
            };
            format!(
                "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>{code} {reason}</title>\n</head><body>\n<h1>{reason}</h1>\n{p}</body></html>\n"
            )
        }
    };
    (reason.to_string(), body)
}

/// Apache's directory index (mod_autoindex) for a directory without index.html.
fn autoindex(url: &str, names: &[String]) -> String {
    let mut s = format!(
        "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">\n<html>\n <head>\n  <title>Index of {url}</title>\n </head>\n <body>\n<h1>Index of {url}</h1>\n<ul>"
    );
    if url != "/" {
        s.push_str("<li><a href=\"../\"> Parent Directory</a></li>\n");
    }
    for n in names {
        s.push_str(&format!("<li><a href=\"{n}\"> {n}</a></li>\n"));
    }
    s.push_str("</ul>\n</body></html>\n");
    s
}

/// What one connection's thread needs.
#[derive(Clone)]
struct Site {
    kind: Kind,
    root: Root,
    doc_root: String,
    server: &'static str,
}

/// One response: status, reason, extra headers, body.
struct Response {
    code: u16,
    reason: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Site {
    fn respond(&self, method: &str, target: &str) -> Response {
        let path = percent_decode(target.split(['?', '#']).next().unwrap_or("/"));
        if method != "GET" && method != "HEAD" {
            return self.error(405, &path);
        }
        let clean = self.root.absolute("/", &path);
        let vpath = format!(
            "{}{}",
            self.doc_root,
            if clean == "/" { "" } else { &clean }
        );
        let Ok(real) = self.root.resolve("/", &vpath, true) else {
            return self.error(404, &path);
        };
        let Ok(meta) = std::fs::metadata(&real) else {
            return self.error(404, &path);
        };
        if meta.is_dir() {
            if !path.ends_with('/') {
                let mut r = self.error(301, &format!("{path}/"));
                r.headers
                    .push(("Location".into(), format!("http://localhost{path}/")));
                return r;
            }
            let index = real.join("index.html");
            if index.is_file() {
                return self.file(&index, "index.html");
            }
            if self.kind == Kind::Apache {
                let mut names: Vec<String> = self
                    .root
                    .read_dir("/", &vpath)
                    .unwrap_or_default()
                    .iter()
                    .map(|n| n.to_string_lossy().into_owned())
                    .collect();
                names.sort();
                return Response {
                    code: 200,
                    reason: "OK".into(),
                    headers: vec![("Content-Type".into(), "text/html;charset=ISO-8859-1".into())],
                    body: autoindex(&path, &names).into_bytes(),
                };
            }
            return self.error(403, &path);
        }
        self.file(&real, &path)
    }

    fn file(&self, real: &std::path::Path, name: &str) -> Response {
        match std::fs::read(real) {
            Ok(body) => {
                let mtime = std::fs::metadata(real)
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| jiff::Timestamp::try_from(t).ok())
                    .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
                let etag = format!("\"{:x}-{:x}\"", mtime.as_second(), body.len());
                Response {
                    code: 200,
                    reason: "OK".into(),
                    headers: vec![
                        ("Last-Modified".into(), http_date(mtime)),
                        ("ETag".into(), etag),
                        ("Accept-Ranges".into(), "bytes".into()),
                        ("Content-Type".into(), content_type(name).into()),
                    ],
                    body,
                }
            }
            Err(_) => self.error(403, name),
        }
    }

    fn error(&self, code: u16, url: &str) -> Response {
        let (reason, body) = error_page(self.kind, self.server, code, url);
        let ct = match self.kind {
            Kind::Apache => "text/html; charset=iso-8859-1",
            Kind::Nginx => "text/html",
        };
        Response {
            code,
            reason,
            headers: vec![("Content-Type".into(), ct.into())],
            body: body.into_bytes(),
        }
    }

    /// Serves one connection until the client closes it or asks to.
    fn serve(&self, stream: TcpStream, log: mpsc::Sender<String>) {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
        let Ok(write_half) = stream.try_clone() else {
            return;
        };
        let mut w = write_half;
        let mut r = BufReader::new(stream);
        loop {
            let mut request_line = String::new();
            match r.read_line(&mut request_line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let request_line = request_line.trim_end().to_string();
            if request_line.is_empty() {
                continue;
            }
            let mut headers = Vec::new();
            loop {
                let mut h = String::new();
                match r.read_line(&mut h) {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                let h = h.trim_end();
                if h.is_empty() {
                    break;
                }
                if let Some((k, v)) = h.split_once(':') {
                    headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
                }
            }
            let header = |k: &str| {
                headers
                    .iter()
                    .find(|(n, _)| n == k)
                    .map(|(_, v)| v.as_str())
            };
            // A request body (POST) is read and ignored.
            if let Some(n) = header("content-length").and_then(|v| v.parse::<u64>().ok()) {
                let _ = std::io::copy(&mut (&mut r).take(n), &mut std::io::sink());
            }
            let parts: Vec<&str> = request_line.split_whitespace().collect();
            let (method, target, version) = match parts.as_slice() {
                [m, t, v] => (*m, *t, *v),
                [m, t] => (*m, *t, "HTTP/1.0"),
                _ => ("", "/", "HTTP/1.1"),
            };
            let resp = if method.is_empty() {
                self.error(400, "/")
            } else {
                self.respond(method, target)
            };
            let close = version == "HTTP/1.0"
                || header("connection").is_some_and(|c| c.eq_ignore_ascii_case("close"));
            let date = http_date(jiff::Timestamp::now());
            let mut head = format!("HTTP/1.1 {} {}\r\n", resp.code, resp.reason);
            let server_first = self.kind == Kind::Nginx;
            if server_first {
                head.push_str(&format!("Server: {}\r\nDate: {date}\r\n", self.server));
            } else {
                head.push_str(&format!("Date: {date}\r\nServer: {}\r\n", self.server));
            }
            for (k, v) in &resp.headers {
                if k != "Content-Type" || !server_first {
                    continue;
                }
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str(&format!("Content-Length: {}\r\n", resp.body.len()));
            for (k, v) in &resp.headers {
                if k == "Content-Type" && server_first {
                    continue;
                }
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str(if close {
                "Connection: close\r\n"
            } else {
                "Connection: keep-alive\r\n"
            });
            head.push_str("\r\n");
            let mut bytes = head.into_bytes();
            if method != "HEAD" {
                bytes.extend_from_slice(&resp.body);
            }
            if w.write_all(&bytes).is_err() {
                return;
            }
            let size = if method == "HEAD" { 0 } else { resp.body.len() };
            let line = match self.kind {
                Kind::Apache => format!(
                    "{GATEWAY} - - [{}] \"{request_line}\" {} {}",
                    now_log(),
                    resp.code,
                    if size == 0 {
                        "-".to_string()
                    } else {
                        size.to_string()
                    }
                ),
                Kind::Nginx => format!(
                    "{GATEWAY} - - [{}] \"{request_line}\" {} {size} \"{}\" \"{}\" \"-\"",
                    now_log(),
                    resp.code,
                    header("referer").unwrap_or("-"),
                    header("user-agent").unwrap_or("-")
                ),
            };
            let _ = log.send(line);
            if close {
                return;
            }
        }
    }
}

/// Binds every address, or reports the bind failure as the server does.
fn bind_all(ctx: &mut Ctx<'_, '_>, kind: Kind) -> Option<Vec<TcpListener>> {
    let mut out = Vec::new();
    let port = configured_port(kind, &ctx.state.root);
    for a in listen_addrs(port) {
        match TcpListener::bind(&a) {
            Ok(l) => {
                let _ = l.set_nonblocking(true);
                out.push(l);
            }
            Err(e) => {
                let msg = match kind {
                    Kind::Apache => format!(
                        "(98)Address already in use: AH00072: make_sock: could not bind to address 0.0.0.0:{port}\nno listening sockets available, shutting down\nAH00015: Unable to open logs ({e})"
                    ),
                    Kind::Nginx => format!(
                        "{} [emerg] 1#1: bind() to 0.0.0.0:{port} failed (98: Address already in use)\nnginx: [emerg] bind() to 0.0.0.0:{port} failed (98: Address already in use) ({e})",
                        now_nginx()
                    ),
                };
                let _ = writeln!(ctx.io.stderr, "{msg}");
                return None;
            }
        }
    }
    Some(out)
}

/// Accepts connections until one of `stop` arrives; returns the signal.
fn run_server(
    ctx: &mut Ctx<'_, '_>,
    site: Site,
    listeners: Vec<TcpListener>,
    stop: &[libc::c_int],
) -> libc::c_int {
    signals::handle(stop);
    let (tx, rx) = mpsc::channel::<String>();
    loop {
        let mut busy = false;
        for l in &listeners {
            if let Ok((s, _)) = l.accept() {
                busy = true;
                let _ = s.set_nonblocking(false);
                let site = site.clone();
                let tx = tx.clone();
                std::thread::spawn(move || site.serve(s, tx));
            }
        }
        while let Ok(line) = rx.try_recv() {
            let _ = writeln!(ctx.io.stdout, "{line}");
            let _ = ctx.io.stdout.flush();
        }
        if let Some(sig) = signals::received(stop) {
            return sig;
        }
        if !busy {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// Runs the server `args` in the background (a new process of the container) and returns, as a
/// daemon that forks does; falls back to serving here when no background process can start.
fn daemonize(args: &[String]) -> bool {
    let Some(c) = container() else {
        return false;
    };
    let Some(spec_path) = std::env::args().nth(2).map(PathBuf::from) else {
        return false;
    };
    let mut spec = c.spec.clone();
    spec.args = args.to_vec();
    spec.tty = false;
    spec.stdin_open = false;
    let file = spec_path.with_file_name(format!(
        "bg-{}-{}.json",
        std::process::id(),
        args.join("_").len()
    ));
    let Ok(json) = serde_json::to_vec(&spec) else {
        return false;
    };
    if std::fs::write(&file, json).is_err() {
        return false;
    }
    std::process::Command::new("/proc/self/exe")
        .arg("__container-init")
        .arg(&file)
        .stdin(std::process::Stdio::null())
        .spawn()
        .is_ok()
}

/// `httpd`, `httpd-foreground`, `apachectl`, `apache2ctl`, `apache2`, `apache2-foreground`,
/// `run-httpd`.
pub fn httpd(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let me = crate::shell::fs::file_name(&args[0]).to_string();
    let root = ctx.state.root.clone();
    let server = server_header(Kind::Apache, &root);
    let joined = args[1..].join(" ");
    if joined.contains("-v") || joined == "-V" {
        let _ = writeln!(
            ctx.io.stdout,
            "Server version: {server}\nServer built:   Dec 20 2021 21:44:01"
        );
        return 0;
    }
    if joined.contains("-t") || joined == "configtest" {
        let _ = writeln!(ctx.io.stderr, "Syntax OK");
        return 0;
    }
    let foreground = matches!(
        me.as_str(),
        "httpd-foreground" | "apache2-foreground" | "run-httpd"
    ) || joined.replace(' ', "").contains("-DFOREGROUND");
    if matches!(
        joined.as_str(),
        "stop" | "-k stop" | "graceful-stop" | "-k graceful-stop"
    ) {
        // SAFETY: signalling our own process group (the container's).
        unsafe { libc::kill(0, libc::SIGWINCH) };
        return 0;
    }
    if !foreground {
        // `apachectl start`, `httpd`: the daemon forks into the background.
        let mut fg = vec!["httpd".to_string(), "-DFOREGROUND".to_string()];
        if me.starts_with("apache2") {
            fg[0] = "apache2".into();
        }
        if daemonize(&fg) {
            return 0;
        }
    }
    let Some(listeners) = bind_all(ctx, Kind::Apache) else {
        return 1;
    };
    let tid = "140245362140040";
    let notice = format!(
        "AH00558: {me}: Could not reliably determine the server's fully qualified domain name, using {CONTAINER_IP}. Set the 'ServerName' directive globally to suppress this message"
    );
    let _ = writeln!(
        ctx.io.stderr,
        "{notice}\n{notice}\n[{}] [mpm_event:notice] [pid 1:tid {tid}] AH00489: {server} configured -- resuming normal operations\n[{}] [core:notice] [pid 1:tid {tid}] AH00094: Command line: 'httpd -D FOREGROUND'",
        now_apache_error(),
        now_apache_error()
    );
    let _ = ctx.io.stderr.flush();
    let site = Site {
        kind: Kind::Apache,
        doc_root: doc_root(Kind::Apache, &root),
        root,
        server,
    };
    let sig = run_server(
        ctx,
        site,
        listeners,
        &[libc::SIGWINCH, libc::SIGTERM, libc::SIGINT],
    );
    let how = if sig == libc::SIGWINCH {
        "AH00492: caught SIGWINCH, shutting down gracefully"
    } else {
        "AH00491: caught SIGTERM, shutting down"
    };
    let _ = writeln!(
        ctx.io.stderr,
        "[{}] [mpm_event:notice] [pid 1:tid {tid}] {how}",
        now_apache_error()
    );
    0
}

/// `nginx [-g 'daemon off;'] [-v] [-t] [-s SIGNAL]`.
pub fn nginx(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let root = ctx.state.root.clone();
    let server = server_header(Kind::Nginx, &root);
    let joined = args[1..].join(" ");
    if args.iter().any(|a| a == "-v" || a == "-V") {
        let _ = writeln!(ctx.io.stderr, "nginx version: {server}");
        return 0;
    }
    if args.iter().any(|a| a == "-t" || a == "-T") {
        let _ = writeln!(
            ctx.io.stderr,
            "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful"
        );
        return 0;
    }
    if let Some(i) = args.iter().position(|a| a == "-s") {
        let sig = match args.get(i + 1).map(String::as_str) {
            Some("stop") => libc::SIGTERM,
            Some("quit") => libc::SIGQUIT,
            Some("reload") | Some("reopen") => return 0,
            _ => {
                let _ = writeln!(ctx.io.stderr, "nginx: invalid option: \"-s\"");
                return 1;
            }
        };
        // SAFETY: signalling our own process group (the container's).
        unsafe { libc::kill(0, sig) };
        return 0;
    }
    if !joined.replace(' ', "").contains("daemonoff")
        && daemonize(&["nginx".into(), "-g".into(), "daemon off;".into()])
    {
        return 0;
    }
    let Some(listeners) = bind_all(ctx, Kind::Nginx) else {
        return 1;
    };
    let t = now_nginx();
    let _ = writeln!(
        ctx.io.stderr,
        "{t} [notice] 1#1: using the \"epoll\" event method\n{t} [notice] 1#1: {server}\n{t} [notice] 1#1: built by gcc 10.2.1 20210110 (Debian 10.2.1-6) \n{t} [notice] 1#1: OS: Linux 5.10.0\n{t} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576\n{t} [notice] 1#1: start worker processes\n{t} [notice] 1#1: start worker process 31"
    );
    let _ = ctx.io.stderr.flush();
    let site = Site {
        kind: Kind::Nginx,
        doc_root: doc_root(Kind::Nginx, &root),
        root,
        server,
    };
    let sig = run_server(
        ctx,
        site,
        listeners,
        &[libc::SIGQUIT, libc::SIGTERM, libc::SIGINT],
    );
    let t = now_nginx();
    let (num, name) = (sig, signals::name(sig));
    let graceful = if sig == libc::SIGQUIT {
        format!("{t} [notice] 31#31: gracefully shutting down\n")
    } else {
        String::new()
    };
    let _ = writeln!(
        ctx.io.stderr,
        "{t} [notice] 1#1: signal {num} ({name}) received, {}\n{graceful}{t} [notice] 31#31: exiting\n{t} [notice] 31#31: exit\n{t} [notice] 1#1: signal 17 (SIGCHLD) received from 31\n{t} [notice] 1#1: worker process 31 exited with code 0\n{t} [notice] 1#1: exit",
        if sig == libc::SIGQUIT {
            "shutting down"
        } else {
            "exiting"
        }
    );
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("/a%20b.html"), "/a b.html");
        assert_eq!(percent_decode("/100%"), "/100%");
    }

    #[test]
    fn error_pages_are_the_servers() {
        let (r, b) = error_page(Kind::Nginx, "nginx/1.21.5", 404, "/x");
        assert_eq!(r, "Not Found");
        assert!(b.contains("<center>nginx/1.21.5</center>"));
        let (_, b) = error_page(Kind::Apache, "Apache/2.4.52 (Unix)", 404, "/x");
        assert!(b.contains("<p>The requested URL was not found on this server.</p>"));
    }
}
