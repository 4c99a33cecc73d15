//! Entrypoints and programs of the hub's other images, which set up and then hand over to a
//! server drydock already has: php's and wordpress's entrypoints (then `apache2-foreground`),
//! bitnami's `entrypoint.sh` and `run.sh` (then httpd, nginx or redis), webdevops' `supervisord`
//! and ulsmith's `start.sh` (then Apache), and the language images' interpreters (`node`,
//! `python3.X`, `php`), which drydock does not run: with nothing on stdin they end at once, as
//! the real ones do under `docker run -d`, and anything else is refused in words that say so.

use std::path::Path;

use super::{daemons, exec_args};
use crate::shell::Ctx;

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// php's `docker-php-entrypoint`: a first argument that is an option goes to `php`
/// (`apache2-foreground` in the apache variants), then `exec "$@"`.
pub fn php_entrypoint(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let mut cmd: Vec<String> = args[1..].to_vec();
    if cmd.first().is_none_or(|a| a.starts_with('-')) {
        let apache = ctx
            .state
            .root
            .exists("/", "/usr/local/bin/apache2-foreground");
        cmd.insert(0, if apache { "apache2-foreground" } else { "php" }.into());
    }
    exec_args(ctx, &cmd)
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let target = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_tree(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), &target)?;
        }
    }
    Ok(())
}

/// wordpress's `docker-entrypoint.sh`: before Apache starts, copies WordPress into an empty
/// `/var/www/html` (a fresh volume), as the real script does, then `exec "$@"`.
pub fn wordpress_entrypoint(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let cmd = args
        .get(1)
        .map(|a| crate::shell::fs::file_name(a).to_string())
        .unwrap_or_default();
    let root = ctx.state.root.clone();
    if (cmd.starts_with("apache2") || cmd == "php-fpm")
        && !root.exists("/var/www/html", "index.php")
        && !root.exists("/var/www/html", "wp-includes/version.php")
    {
        let _ = writeln!(
            ctx.io.stderr,
            "WordPress not found in /var/www/html - copying now..."
        );
        let copied = match (
            root.resolve("/", "/usr/src/wordpress", true),
            root.resolve_write("/", "/var/www/html", true),
        ) {
            (Ok(from), Ok(to)) => copy_tree(&from, &to).is_ok(),
            _ => false,
        };
        if copied {
            let _ = writeln!(
                ctx.io.stderr,
                "Complete! WordPress has been successfully copied to /var/www/html"
            );
        }
        if ctx.state.get("WORDPRESS_DB_HOST").is_some() {
            let _ = writeln!(
                ctx.io.stderr,
                "No 'wp-config.php' found in /var/www/html, but 'WORDPRESS_...' variables supplied; copying 'wp-config-docker.php' (WORDPRESS_DB_HOST WORDPRESS_DB_NAME)"
            );
        }
    }
    exec_args(ctx, &args[1..])
}

fn bitnami_stamp() -> String {
    jiff::Timestamp::now().strftime("%H:%M:%S%.2f").to_string()
}

/// The app a bitnami script belongs to (`bitnami-apache-run.sh` → `apache`), from
/// `BITNAMI_APP_NAME`.
fn bitnami_app(ctx: &Ctx<'_, '_>) -> String {
    ctx.state
        .get("BITNAMI_APP_NAME")
        .unwrap_or("apache")
        .to_string()
}

fn title(app: &str) -> &'static str {
    match app {
        "nginx" => "NGINX",
        "redis" => "Redis",
        _ => "Apache",
    }
}

/// bitnami's `/opt/bitnami/scripts/APP/entrypoint.sh`: the welcome banner and set-up lines,
/// then `exec "$@"` (`run.sh`).
pub fn bitnami_entrypoint(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let app = bitnami_app(ctx);
    let t = bitnami_stamp();
    let name = title(&app);
    let _ = write!(
        ctx.io.stdout,
        "{app} {t} \n{app} {t} Welcome to the Bitnami {app} container\n{app} {t} Subscribe to project updates by watching https://github.com/bitnami/bitnami-docker-{app}\n{app} {t} Submit issues and feature requests at https://github.com/bitnami/bitnami-docker-{app}/issues\n{app} {t} \n{app} {t} INFO  ==> ** Starting {name} setup **\n"
    );
    if app == "redis"
        && ctx.state.get("REDIS_PASSWORD").is_none()
        && ctx.state.get("ALLOW_EMPTY_PASSWORD") != Some("yes")
    {
        let _ = writeln!(
            ctx.io.stdout,
            "{app} {t} ERROR ==> The REDIS_PASSWORD environment variable is empty or not set. Set the environment variable ALLOW_EMPTY_PASSWORD=yes to allow the container to be started with blank passwords. This is recommended only for development."
        );
        return 1;
    }
    let _ = writeln!(
        ctx.io.stdout,
        "{app} {t} INFO  ==> ** {name} setup finished! **\n"
    );
    let _ = ctx.io.stdout.flush();
    exec_args(ctx, &args[1..])
}

/// bitnami's `run.sh`: starts the app in the foreground.
pub fn bitnami_run(ctx: &mut Ctx<'_, '_>, _args: &[String]) -> i32 {
    let app = bitnami_app(ctx);
    let _ = writeln!(
        ctx.io.stdout,
        "{app} {} INFO  ==> ** Starting {} **",
        bitnami_stamp(),
        title(&app)
    );
    let _ = ctx.io.stdout.flush();
    match app.as_str() {
        "nginx" => exec_args(
            ctx,
            &strings(&["/opt/bitnami/nginx/sbin/nginx", "-g", "daemon off;"]),
        ),
        "redis" => daemons::redis(ctx, &strings(&["redis-server"])),
        _ => exec_args(
            ctx,
            &strings(&["/opt/bitnami/apache/bin/httpd", "-DFOREGROUND"]),
        ),
    }
}

/// webdevops' `supervisord`: starts its one program, Apache, in the foreground.
pub fn supervisord(ctx: &mut Ctx<'_, '_>, _args: &[String]) -> i32 {
    let t = jiff::Timestamp::now()
        .strftime("%Y-%m-%d %H:%M:%S,%3f")
        .to_string();
    let _ = writeln!(
        ctx.io.stdout,
        "{t} CRIT Supervisor is running as root.  Privileges were not dropped because no user is specified in the config file.\n{t} INFO supervisord started with pid 1\n{t} INFO spawned: 'apached' with pid 12\n{t} INFO success: apached entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)"
    );
    let _ = ctx.io.stdout.flush();
    exec_args(ctx, &strings(&["apache2ctl", "-D", "FOREGROUND"]))
}

/// ulsmith's `/bootstrap/start.sh`: Alpine's httpd in the foreground.
pub fn ulsmith_start(ctx: &mut Ctx<'_, '_>, _args: &[String]) -> i32 {
    exec_args(ctx, &strings(&["/usr/sbin/httpd", "-D", "FOREGROUND"]))
}

/// `node`, `python3.X`, `php`: versions, and an empty program (stdin at its end) which does
/// nothing; drydock runs no JavaScript, Python or PHP.
pub fn interpreter(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let me = crate::shell::fs::file_name(&args[0]).to_string();
    let (lang, version) = if me.starts_with("node") {
        (
            "node",
            format!("v{}", ctx.state.get("NODE_VERSION").unwrap_or("16.13.1")),
        )
    } else if me.starts_with("php") {
        (
            "php",
            ctx.state.get("PHP_VERSION").unwrap_or("8.1.1").to_string(),
        )
    } else {
        (
            "python",
            ctx.state
                .get("PYTHON_VERSION")
                .unwrap_or("3.10.1")
                .to_string(),
        )
    };
    let rest = &args[1..];
    match rest.first().map(String::as_str) {
        Some("--version") | Some("-v") | Some("-V") => {
            let line = match lang {
                "node" => version,
                "php" => format!(
                    "PHP {version} (cli) (built: Dec 21 2021 20:58:58) ( NTS )\nCopyright (c) The PHP Group\nZend Engine v4.1.1, Copyright (c) Zend Technologies"
                ),
                _ => format!("Python {version}"),
            };
            let _ = writeln!(ctx.io.stdout, "{line}");
            return 0;
        }
        None | Some("-a") | Some("-i") | Some("-") => {}
        Some(_) => {
            let _ = writeln!(
                ctx.io.stderr,
                "drydock: {me}: drydock does not run {lang} programs; the image's interpreter is a stub"
            );
            return 1;
        }
    }
    if lang == "php" && rest.first().is_some_and(|a| a == "-a") {
        let _ = writeln!(ctx.io.stdout, "Interactive shell\n");
    }
    let mut input = String::new();
    let _ = ctx.io.stdin.read_to_string(&mut input);
    if input.trim().is_empty() {
        return 0;
    }
    let _ = writeln!(
        ctx.io.stderr,
        "drydock: {me}: drydock does not run {lang} programs; the image's interpreter is a stub"
    );
    1
}
