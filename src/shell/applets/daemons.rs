//! Servers that stay running without serving anything drydock can use yet: `mysqld`,
//! `redis-server`, `postgres`, `registry` (the real registry server is wired to the registry
//! image later), and the images' entrypoint scripts, which print their set-up lines and then run
//! the command they were given (`exec "$@"`). Each prints a start-up log close to the real one
//! and exits 0 on SIGTERM (or SIGINT), as these servers do on a clean shutdown.

use super::{exec_args, signals};
use crate::shell::Ctx;

const STOP: &[libc::c_int] = &[libc::SIGTERM, libc::SIGINT, libc::SIGQUIT];

fn stamp() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%S.%6fZ")
        .to_string()
}

fn say(ctx: &mut Ctx<'_, '_>, text: &str) {
    let _ = ctx.io.stdout.write_all(text.as_bytes());
    let _ = ctx.io.stdout.flush();
}

/// An image's entrypoint script (`nginx-docker-entrypoint.sh`, `mysql-docker-entrypoint.sh` …):
/// its own lines, then `exec "$@"`.
pub fn entrypoint(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    // The stub names the image; invoked through `docker-entrypoint.sh` the file name says less,
    // so look at what the command is.
    let cmd = args
        .get(1)
        .map(|a| crate::shell::fs::file_name(a).to_string())
        .unwrap_or_default();
    if cmd == "nginx" || cmd == "nginx-debug" {
        let _ = writeln!(
            ctx.io.stdout,
            "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/\n/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh\n10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf\n10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf\n/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh\n/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh\n/docker-entrypoint.sh: Configuration complete; ready for start up"
        );
        let _ = ctx.io.stdout.flush();
    }
    if args.len() < 2 {
        return 0;
    }
    // `registry-entrypoint.sh` runs `registry serve CONFIG` when given a config file.
    let me = crate::shell::fs::file_name(&args[0]);
    if (me == "registry-entrypoint.sh" || me == "entrypoint.sh") && args[1].ends_with(".yml") {
        let mut v = vec!["registry".to_string(), "serve".to_string()];
        v.extend(args[1..].iter().cloned());
        return registry(ctx, &v);
    }
    exec_args(ctx, &args[1..])
}

/// The nginx image's `/docker-entrypoint.d/*.sh` steps, run by hand: nothing to do.
pub fn nginx_step(_ctx: &mut Ctx<'_, '_>, _args: &[String]) -> i32 {
    0
}

/// `mysqld`: MySQL 8's start-up log, then waits for SIGTERM.
pub fn mysqld(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    if args.iter().any(|a| a == "--version" || a == "-V") {
        say(
            ctx,
            "mysqld  Ver 8.0.27 for Linux on x86_64 (MySQL Community Server - GPL)\n",
        );
        return 0;
    }
    let root_pw = [
        "MYSQL_ROOT_PASSWORD",
        "MYSQL_ALLOW_EMPTY_PASSWORD",
        "MYSQL_RANDOM_ROOT_PASSWORD",
    ]
    .iter()
    .any(|k| ctx.state.get(k).is_some());
    let t = stamp();
    if !root_pw {
        let _ = writeln!(
            ctx.io.stderr,
            "{} [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified\n    You need to specify one of the following:\n    - MYSQL_ROOT_PASSWORD\n    - MYSQL_ALLOW_EMPTY_PASSWORD\n    - MYSQL_RANDOM_ROOT_PASSWORD",
            &t[..19].replace('T', " ").to_string()
        );
        return 1;
    }
    say(
        ctx,
        &format!(
            "{t} 0 [System] [MY-010116] [Server] /usr/sbin/mysqld (mysqld 8.0.27) starting as process 1\n{t} 1 [System] [MY-013576] [InnoDB] InnoDB initialization has started.\n{t} 1 [System] [MY-013577] [InnoDB] InnoDB initialization has ended.\n{t} 0 [System] [MY-011323] [Server] X Plugin ready for connections. Bind-address: '::' port: 33060, socket: /var/run/mysqld/mysqlx.sock\n{t} 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.0.27'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.\n"
        ),
    );
    signals::wait_for(STOP);
    let t = stamp();
    say(
        ctx,
        &format!(
            "{t} 0 [System] [MY-013172] [Server] Received SHUTDOWN from user <via user signal>. Shutting down mysqld (Version: 8.0.27).\n{t} 0 [System] [MY-010910] [Server] /usr/sbin/mysqld: Shutdown complete (mysqld 8.0.27)  MySQL Community Server - GPL.\n"
        ),
    );
    0
}

/// `redis-server`: Redis 6's start-up log, then waits for SIGTERM.
pub fn redis(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    if args.iter().any(|a| a == "--version" || a == "-v") {
        say(
            ctx,
            "Redis server v=6.2.6 sha=00000000:0 malloc=jemalloc-5.1.0 bits=64 build=1\n",
        );
        return 0;
    }
    let t = jiff::Timestamp::now()
        .strftime("%d %b %Y %H:%M:%S.%3f")
        .to_string();
    say(
        ctx,
        &format!(
            "1:C {t} # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo\n1:C {t} # Redis version=6.2.6, bits=64, commit=00000000, modified=0, pid=1, just started\n1:C {t} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf\n1:M {t} * monotonic clock: POSIX clock_gettime\n1:M {t} * Running mode=standalone, port=6379.\n1:M {t} # Server initialized\n1:M {t} * Ready to accept connections\n"
        ),
    );
    signals::wait_for(STOP);
    let t = jiff::Timestamp::now()
        .strftime("%d %b %Y %H:%M:%S.%3f")
        .to_string();
    say(
        ctx,
        &format!(
            "1:signal-handler ({}) Received SIGTERM scheduling shutdown...\n1:M {t} # User requested shutdown...\n1:M {t} * Saving the final RDB snapshot before exiting.\n1:M {t} * DB saved on disk\n1:M {t} # Redis is now ready to exit, bye bye...\n",
            jiff::Timestamp::now().as_second()
        ),
    );
    0
}

/// `postgres`: PostgreSQL 14's start-up log (it refuses to start without a password, as the
/// image's entrypoint does), then waits for SIGTERM.
pub fn postgres(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    if args.iter().any(|a| a == "--version" || a == "-V") {
        say(
            ctx,
            "postgres (PostgreSQL) 14.1 (Debian 14.1-1.pgdg110+1)\n",
        );
        return 0;
    }
    if ctx.state.get("POSTGRES_PASSWORD").is_none()
        && ctx.state.get("POSTGRES_HOST_AUTH_METHOD") != Some("trust")
    {
        let _ = writeln!(
            ctx.io.stderr,
            "Error: Database is uninitialized and superuser password is not specified.\n       You must specify POSTGRES_PASSWORD to a non-empty value for the\n       superuser. For example, \"-e POSTGRES_PASSWORD=password\" on \"docker run\"."
        );
        return 1;
    }
    let t = jiff::Timestamp::now()
        .strftime("%Y-%m-%d %H:%M:%S.%3f UTC")
        .to_string();
    say(
        ctx,
        &format!(
            "\nPostgreSQL Database directory appears to contain a database; Skipping initialization\n\n{t} [1] LOG:  starting PostgreSQL 14.1 (Debian 14.1-1.pgdg110+1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 10.2.1-6) 10.2.1 20210110, 64-bit\n{t} [1] LOG:  listening on IPv4 address \"0.0.0.0\", port 5432\n{t} [1] LOG:  listening on IPv6 address \"::\", port 5432\n{t} [1] LOG:  listening on Unix socket \"/var/run/postgresql/.s.PGSQL.5432\"\n{t} [1] LOG:  database system is ready to accept connections\n"
        ),
    );
    signals::wait_for(STOP);
    let t = jiff::Timestamp::now()
        .strftime("%Y-%m-%d %H:%M:%S.%3f UTC")
        .to_string();
    say(
        ctx,
        &format!(
            "{t} [1] LOG:  received smart shutdown request\n{t} [1] LOG:  background worker \"logical replication launcher\" (PID 33) exited with exit code 1\n{t} [1] LOG:  database system is shut down\n"
        ),
    );
    0
}

/// `registry serve CONFIG`: distribution's start-up lines; waits for SIGTERM. The real server
/// (engine::registry) is wired here when the registry issue lands.
pub fn registry(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    match args.get(1).map(String::as_str) {
        Some("--version") | Some("-v") => {
            say(ctx, "registry github.com/docker/distribution 2.8.1\n");
            return 0;
        }
        Some("serve") => {}
        _ => {
            say(
                ctx,
                "`registry`\n\nUsage:\n  registry [flags]\n  registry [command]\n\nAvailable Commands:\n  garbage-collect `garbage-collect` deletes layers not referenced by any manifests\n  help            Help about any command\n  serve           `serve` stores and distributes Docker images\n\nFlags:\n  -h, --help=false: help for registry\n  -v, --version=false: show the version and exit\n",
            );
            return 0;
        }
    }
    let t = stamp();
    let addr = ctx
        .state
        .get("REGISTRY_HTTP_ADDR")
        .unwrap_or(":5000")
        .to_string();
    let _ = writeln!(
        ctx.io.stderr,
        "time=\"{t}\" level=warning msg=\"No HTTP secret provided - generated random secret. This may cause problems with uploads if multiple registries are behind a load-balancer. To provide a shared secret, fill in http.secret in the configuration file or set the REGISTRY_HTTP_SECRET environment variable.\" go.version=go1.16.15 instance.id=00000000-0000-0000-0000-000000000000 service=registry version=2.8.1\ntime=\"{t}\" level=info msg=\"redis not configured\" go.version=go1.16.15 instance.id=00000000-0000-0000-0000-000000000000 service=registry version=2.8.1\ntime=\"{t}\" level=info msg=\"Starting upload purge in 58m0s\" go.version=go1.16.15 instance.id=00000000-0000-0000-0000-000000000000 service=registry version=2.8.1\ntime=\"{t}\" level=info msg=\"using inmemory blob descriptor cache\" go.version=go1.16.15 instance.id=00000000-0000-0000-0000-000000000000 service=registry version=2.8.1\ntime=\"{t}\" level=info msg=\"listening on [::]{addr}\" go.version=go1.16.15 instance.id=00000000-0000-0000-0000-000000000000 service=registry version=2.8.1"
    );
    let _ = ctx.io.stderr.flush();
    signals::wait_for(STOP);
    0
}
