//! Java servers from the hub's images: Jenkins (`jenkins.sh`, jenkins/jenkins 2.319.1) and
//! Tomcat (`catalina.sh run`, tomcat 9/10). Each serves real HTTP over `std::net` on the host
//! port published for its container port 8080 (`spec.ports["8080/tcp"]`, always on 127.0.0.1),
//! else an ephemeral loopback port, logs its start-up lines as the real server does, and on
//! SIGTERM (or SIGINT) logs its shutdown and exits 143, as the JVM does.
//!
//! Jenkins's first start is what learners check: the "Jenkins initial setup is required" banner
//! with a generated admin password, the same password in
//! `$JENKINS_HOME/secrets/initialAdminPassword`, and the login page on port 8080.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use super::signals;
use crate::shell::Ctx;

const STOP: &[libc::c_int] = &[libc::SIGTERM, libc::SIGINT];
/// Exit status of a JVM ended by SIGTERM.
const JVM_TERM: i32 = 143;

/// Jetty and Tomcat listen on the container's 8080: the host port published for it (the same
/// look-up as httpd's and nginx's), else a free loopback port.
fn listen_addr() -> String {
    super::server::listen_addrs(8080)
        .into_iter()
        .next()
        .unwrap_or_else(|| "127.0.0.1:0".into())
}

/// One answer: status line, extra headers, content type, body.
struct Reply {
    status: &'static str,
    headers: Vec<String>,
    body: String,
}

fn serve_one(mut s: TcpStream, route: fn(&str) -> Reply) {
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let Ok(clone) = s.try_clone() else { return };
    let mut r = BufReader::new(clone);
    let mut line = String::new();
    if r.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    loop {
        let mut h = String::new();
        if r.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("GET");
    let path = parts.next().unwrap_or("/");
    let reply = route(path);
    let mut head = format!(
        "HTTP/1.1 {}\r\nContent-Type: text/html;charset=utf-8\r\nContent-Length: {}\r\n",
        reply.status,
        reply.body.len()
    );
    for h in &reply.headers {
        head.push_str(h);
        head.push_str("\r\n");
    }
    head.push_str("Connection: close\r\n\r\n");
    let _ = s.write_all(head.as_bytes());
    if method != "HEAD" {
        let _ = s.write_all(reply.body.as_bytes());
    }
}

/// Serves `route` on `l` until one of [`STOP`] arrives; returns the signal.
fn serve(l: TcpListener, route: fn(&str) -> Reply) -> libc::c_int {
    signals::handle(STOP);
    let _ = l.set_nonblocking(true);
    loop {
        if let Ok((s, _)) = l.accept() {
            let _ = s.set_nonblocking(false);
            std::thread::spawn(move || serve_one(s, route));
            continue;
        }
        if let Some(sig) = signals::received(STOP) {
            return sig;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn random_hex() -> String {
    use std::io::Read;
    let mut b = [0u8; 16];
    let ok = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut b));
    if ok.is_err() {
        let n = jiff::Timestamp::now().as_nanosecond() as u128;
        b = n.to_le_bytes();
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn jenkins_stamp() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%d %H:%M:%S%.3f+0000")
        .to_string()
}

const JENKINS_LOGIN: &str = "<!DOCTYPE html><html><head><title>Sign in [Jenkins]</title></head><body>\n<div class=\"plugin-setup-wizard\"><h1>Unlock Jenkins</h1>\n<p>To ensure Jenkins is securely set up by the administrator, a password has been written to the log (<a href=\"https://jenkins.io/redirect/find-jenkins-logs\">not sure where to find it?</a>) and this file on the server:</p>\n<p><code>/var/jenkins_home/secrets/initialAdminPassword</code></p>\n<p>Please copy the password from either location and paste it below.</p>\n<form method=\"post\" action=\"j_acegi_security_check\"><label for=\"security-token\">Administrator password</label><input id=\"security-token\" name=\"j_password\" type=\"password\"></form>\n</div></body></html>\n";

fn jenkins_route(path: &str) -> Reply {
    let headers = vec![
        "Server: Jetty(9.4.43.v20210629)".to_string(),
        "X-Content-Type-Options: nosniff".to_string(),
        "X-Hudson: 1.395".to_string(),
        "X-Jenkins: 2.319.1".to_string(),
        "X-Jenkins-Session: 1b3e5c7a".to_string(),
    ];
    if path.starts_with("/login") {
        return Reply {
            status: "200 OK",
            headers,
            body: JENKINS_LOGIN.into(),
        };
    }
    let from = path.replace('/', "%2F");
    let mut headers = headers;
    headers.push("X-You-Are-Authenticated-As: anonymous".into());
    headers.push("X-Required-Permission: hudson.model.Hudson.Read".into());
    Reply {
        status: "403 Forbidden",
        headers,
        body: format!(
            "<html><head><meta http-equiv='refresh' content='1;url=/login?from={from}'/><script>window.location.replace('/login?from={from}');</script></head><body style='background-color:white; color:white;'>\n\n\nAuthentication required\n<!--\n-->\n\n</body></html>"
        ),
    }
}

/// `jenkins.sh`: Jenkins 2.319.1's first start (admin password generated and logged), serving
/// its login page on 8080 until SIGTERM.
pub fn jenkins(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    if args.iter().any(|a| a == "--version") {
        let _ = writeln!(ctx.io.stdout, "2.319.1");
        return 0;
    }
    let home = ctx
        .state
        .get("JENKINS_HOME")
        .unwrap_or("/var/jenkins_home")
        .to_string();
    let root = ctx.state.root.clone();
    let secrets = format!("{home}/secrets");
    let pw_path = format!("{secrets}/initialAdminPassword");
    let existing = root
        .resolve("/", &pw_path, true)
        .ok()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let first = existing.is_none();
    let password = existing.unwrap_or_else(random_hex);
    if first {
        let written = root
            .resolve_write("/", &secrets, true)
            .ok()
            .filter(|d| std::fs::create_dir_all(d).is_ok())
            .ok_or(());
        match written {
            Ok(d) => {
                root.created(&d);
                let f = d.join("initialAdminPassword");
                if std::fs::write(&f, format!("{password}\n")).is_ok() {
                    root.created(&f);
                }
            }
            Err(_) => {
                let _ = writeln!(
                    ctx.io.stderr,
                    "touch: cannot touch '{home}/copy_reference_file.log': Permission denied\nCan not write to {home}/copy_reference_file.log. Wrong volume permissions?"
                );
                return 1;
            }
        }
    }
    let addr = listen_addr();
    let l = match TcpListener::bind(&addr) {
        Ok(l) => l,
        Err(e) => {
            let _ = writeln!(
                ctx.io.stderr,
                "{} [id=1]\tSEVERE\twinstone.Logger#logInternal: Container startup failed\njava.io.IOException: Failed to start Jetty\nCaused by: java.net.BindException: Address already in use ({e})",
                jenkins_stamp()
            );
            return 1;
        }
    };
    let t = jenkins_stamp();
    let mut log = format!(
        "Running from: /usr/share/jenkins/jenkins.war\nwebroot: EnvVars.masterEnvVars.get(\"JENKINS_HOME\")\n{t} [id=1]\tINFO\torg.eclipse.jetty.util.log.Log#initialized: Logging initialized @512ms to org.eclipse.jetty.util.log.JavaUtilLog\n{t} [id=1]\tINFO\twinstone.Logger#logInternal: Beginning extraction from war file\n{t} [id=1]\tINFO\torg.eclipse.jetty.server.Server#doStart: jetty-9.4.43.v20210629; built: 2021-06-30T11:07:22.254Z; git: 526006ecfa3af7f1a27ef3a288e2bef7ea9dd7e8; jvm 11.0.13+8\n{t} [id=1]\tINFO\to.e.j.s.handler.ContextHandler#doStart: Started w.@24c8d0a0{{Jenkins v2.319.1,/,file:///var/jenkins_home/war/,AVAILABLE}}{{/var/jenkins_home/war}}\n{t} [id=1]\tINFO\to.e.j.server.AbstractConnector#doStart: Started ServerConnector@4e8bc2c5{{HTTP/1.1, (http/1.1)}}{{0.0.0.0:8080}}\n{t} [id=1]\tINFO\torg.eclipse.jetty.server.Server#doStart: Started @1845ms\n{t} [id=23]\tINFO\twinstone.Logger#logInternal: Winstone Servlet Engine running: controlPort=disabled\n{t} [id=29]\tINFO\tjenkins.InitReactorRunner$1#onAttained: Started initialization\n{t} [id=31]\tINFO\tjenkins.InitReactorRunner$1#onAttained: Listed all plugins\n{t} [id=31]\tINFO\tjenkins.InitReactorRunner$1#onAttained: Prepared all plugins\n{t} [id=30]\tINFO\tjenkins.InitReactorRunner$1#onAttained: Started all plugins\n{t} [id=29]\tINFO\tjenkins.InitReactorRunner$1#onAttained: Augmented all extensions\n{t} [id=31]\tINFO\tjenkins.InitReactorRunner$1#onAttained: System config loaded\n{t} [id=31]\tINFO\tjenkins.InitReactorRunner$1#onAttained: System config adapted\n{t} [id=30]\tINFO\tjenkins.InitReactorRunner$1#onAttained: Loaded all jobs\n{t} [id=30]\tINFO\tjenkins.InitReactorRunner$1#onAttained: Configuration for all jobs updated\n"
    );
    if first {
        let stars = "*************************************************************";
        log.push_str(&format!(
            "{t} [id=44]\tINFO\tjenkins.install.SetupWizard#init: \n\n{stars}\n{stars}\n{stars}\n\nJenkins initial setup is required. An admin user has been created and a password generated.\nPlease use the following password to proceed to installation:\n\n{password}\n\nThis may also be found at: {pw_path}\n\n{stars}\n{stars}\n{stars}\n\n"
        ));
    }
    log.push_str(&format!(
        "{t} [id=30]\tINFO\tjenkins.InitReactorRunner$1#onAttained: Completed initialization\n{t} [id=23]\tINFO\thudson.lifecycle.Lifecycle#onReady: Jenkins is fully up and running\n"
    ));
    let _ = ctx.io.stderr.write_all(log.as_bytes());
    let _ = ctx.io.stderr.flush();
    serve(l, jenkins_route);
    let t = jenkins_stamp();
    let _ = writeln!(
        ctx.io.stderr,
        "{t} [id=26]\tINFO\twinstone.Logger#logInternal: JVM is terminating. Shutting down Jetty\n{t} [id=26]\tINFO\to.e.j.server.AbstractConnector#doStop: Stopped ServerConnector@4e8bc2c5{{HTTP/1.1, (http/1.1)}}{{0.0.0.0:8080}}\n{t} [id=26]\tINFO\thudson.lifecycle.Lifecycle#onStatusUpdate: Stopping Jenkins\n{t} [id=26]\tINFO\thudson.lifecycle.Lifecycle#onStatusUpdate: Jenkins stopped"
    );
    JVM_TERM
}

fn tomcat_route(_path: &str) -> Reply {
    Reply {
        status: "404 ",
        headers: vec!["Content-Language: en".into()],
        body: "<!doctype html><html lang=\"en\"><head><title>HTTP Status 404 – Not Found</title></head><body><h1>HTTP Status 404 – Not Found</h1><hr class=\"line\" /><p><b>Type</b> Status Report</p><p><b>Description</b> The origin server did not find a current representation for the target resource or is not willing to disclose that one exists.</p><hr class=\"line\" /><h3>Apache Tomcat/9.0.56</h3></body></html>".into(),
    }
}

fn tomcat_stamp() -> String {
    jiff::Timestamp::now()
        .strftime("%d-%b-%Y %H:%M:%S%.3f")
        .to_string()
}

/// `catalina.sh run` (also `version`, `configtest`): Tomcat 9.0.56 with an empty `webapps`
/// (the image moves the default apps to `webapps.dist`), so every path is a 404.
pub fn catalina(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let version = "Server version: Apache Tomcat/9.0.56\nServer built:   Dec 2 2021 14:30:07 UTC\nServer number:  9.0.56.0\nOS Name:        Linux\nJVM Version:    11.0.13+8\n";
    match args.get(1).map(String::as_str) {
        Some("run") => {}
        Some("version") => {
            let _ = ctx.io.stdout.write_all(version.as_bytes());
            return 0;
        }
        Some("configtest") => return 0,
        _ => {
            let _ = writeln!(
                ctx.io.stdout,
                "Usage: catalina.sh ( commands ... )\ncommands:\n  configtest        Run a basic syntax check on server.xml - check exit code for result\n  run               Start Catalina in the current window\n  start             Start Catalina in a separate window\n  stop              Stop Catalina\n  version           What version of tomcat are you running?"
            );
            return 1;
        }
    }
    let addr = listen_addr();
    let l = match TcpListener::bind(&addr) {
        Ok(l) => l,
        Err(e) => {
            let _ = writeln!(
                ctx.io.stderr,
                "{} SEVERE [main] org.apache.catalina.core.StandardService.initInternal Failed to initialize connector [Connector[HTTP/1.1-8080]] ({e})",
                tomcat_stamp()
            );
            return 1;
        }
    };
    let t = tomcat_stamp();
    let _ = write!(
        ctx.io.stdout,
        "Using CATALINA_BASE:   /usr/local/tomcat\nUsing CATALINA_HOME:   /usr/local/tomcat\nUsing CATALINA_TMPDIR: /usr/local/tomcat/temp\nUsing JRE_HOME:        /usr/local/openjdk-11\nUsing CLASSPATH:       /usr/local/tomcat/bin/bootstrap.jar:/usr/local/tomcat/bin/tomcat-juli.jar\nUsing CATALINA_OPTS:   \n"
    );
    let _ = ctx.io.stdout.flush();
    let _ = write!(
        ctx.io.stderr,
        "{t} INFO [main] org.apache.catalina.startup.VersionLoggerListener.log Server version name:   Apache Tomcat/9.0.56\n{t} INFO [main] org.apache.catalina.startup.VersionLoggerListener.log Server built:          Dec 2 2021 14:30:07 UTC\n{t} INFO [main] org.apache.catalina.startup.VersionLoggerListener.log Server version number: 9.0.56.0\n{t} INFO [main] org.apache.coyote.AbstractProtocol.init Initializing ProtocolHandler [\"http-nio-8080\"]\n{t} INFO [main] org.apache.catalina.startup.Catalina.load Server initialization in [612] milliseconds\n{t} INFO [main] org.apache.catalina.core.StandardService.startInternal Starting service [Catalina]\n{t} INFO [main] org.apache.catalina.core.StandardEngine.startInternal Starting Servlet engine: [Apache Tomcat/9.0.56]\n{t} INFO [main] org.apache.coyote.AbstractProtocol.start Starting ProtocolHandler [\"http-nio-8080\"]\n{t} INFO [main] org.apache.catalina.startup.Catalina.start Server startup in [54] milliseconds\n"
    );
    let _ = ctx.io.stderr.flush();
    serve(l, tomcat_route);
    let t = tomcat_stamp();
    let _ = writeln!(
        ctx.io.stderr,
        "{t} INFO [Thread-2] org.apache.coyote.AbstractProtocol.pause Pausing ProtocolHandler [\"http-nio-8080\"]\n{t} INFO [Thread-2] org.apache.catalina.core.StandardService.stopInternal Stopping service [Catalina]\n{t} INFO [Thread-2] org.apache.coyote.AbstractProtocol.stop Stopping ProtocolHandler [\"http-nio-8080\"]\n{t} INFO [Thread-2] org.apache.coyote.AbstractProtocol.destroy Destroying ProtocolHandler [\"http-nio-8080\"]"
    );
    JVM_TERM
}
