//! `systemctl start|stop|restart|status docker` and `service docker start|stop|restart|status`:
//! the Docker service of the virtual host, i.e. drydock's daemon (boot: daemon.json read,
//! restart policies applied; stop: every container stopped). Texts are systemd's.

use crate::engine::Engine;
use crate::engine::runtime::DaemonStatus;
use crate::shell::Ctx;

const UNITS: &[&str] = &["docker", "docker.service"];

fn failed_job(ctx: &mut Ctx<'_, '_>) -> i32 {
    let _ = writeln!(
        ctx.io.stderr,
        "Job for docker.service failed because the control process exited with error code.\nSee \"systemctl status docker.service\" and \"journalctl -xe\" for details."
    );
    1
}

fn start(ctx: &mut Ctx<'_, '_>, engine: &Engine) -> i32 {
    if engine.daemon_running() {
        return 0;
    }
    match engine.daemon_boot() {
        Ok(_) => 0,
        Err(_) => failed_job(ctx),
    }
}

fn stop(engine: &Engine) -> i32 {
    match engine.daemon_shutdown(DaemonStatus::Stopped) {
        Ok(()) => 0,
        Err(_) => 1,
    }
}

fn status(ctx: &mut Ctx<'_, '_>, engine: &Engine) -> i32 {
    let since = engine.clock.now().strftime("%a %Y-%m-%d %H:%M:%S UTC");
    let head = "● docker.service - Docker Application Container Engine\n     Loaded: loaded (/lib/systemd/system/docker.service; enabled; vendor preset: enabled)\n";
    let (active, code, tail) = if engine.daemon_running() {
        (
            format!("active (running) since {since}"),
            0,
            "   Main PID: 1042 (dockerd)\n".to_string(),
        )
    } else if let Err(e) = engine.check_daemon_config() {
        (
            "failed (Result: exit-code)".to_string(),
            3,
            format!("\ndockerd[1042]: {e}\n"),
        )
    } else {
        ("inactive (dead)".to_string(), 3, String::new())
    };
    let _ = write!(
        ctx.io.stdout,
        "{head}     Active: {active}\nTriggeredBy: ● docker.socket\n       Docs: https://docs.docker.com\n{tail}"
    );
    code
}

fn act(ctx: &mut Ctx<'_, '_>, verb: &str) -> i32 {
    let Some(engine) = ctx.engine else {
        let _ = writeln!(
            ctx.io.stderr,
            "System has not been booted with systemd as init system (PID 1). Can't operate."
        );
        return 1;
    };
    match verb {
        "start" => start(ctx, engine),
        "stop" => stop(engine),
        "restart" => {
            let code = stop(engine);
            if code != 0 {
                return code;
            }
            start(ctx, engine)
        }
        "status" | "is-active" => {
            if verb == "is-active" {
                let running = engine.daemon_running();
                let _ = writeln!(
                    ctx.io.stdout,
                    "{}",
                    if running { "active" } else { "inactive" }
                );
                return if running { 0 } else { 3 };
            }
            status(ctx, engine)
        }
        "enable" | "disable" => 0,
        _ => unreachable_verb(ctx, verb),
    }
}

fn unreachable_verb(ctx: &mut Ctx<'_, '_>, verb: &str) -> i32 {
    let _ = writeln!(ctx.io.stderr, "Unknown command verb {verb}.");
    1
}

const VERBS: &[&str] = &[
    "start",
    "stop",
    "restart",
    "status",
    "is-active",
    "enable",
    "disable",
];

/// `systemctl VERB UNIT`.
pub fn systemctl(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let words: Vec<&str> = args[1..]
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let Some(verb) = words.first().copied() else {
        let _ = writeln!(
            ctx.io.stderr,
            "systemctl: drydock knows only the docker unit: systemctl start|stop|restart|status docker"
        );
        return 1;
    };
    if !VERBS.contains(&verb) {
        return unreachable_verb(ctx, verb);
    }
    let Some(unit) = words.get(1).copied() else {
        let _ = writeln!(ctx.io.stderr, "Too few arguments.");
        return 1;
    };
    if !UNITS.contains(&unit) {
        let _ = writeln!(
            ctx.io.stderr,
            "Failed to {verb} {unit}.service: Unit {unit}.service not found."
        );
        return if verb == "status" { 4 } else { 5 };
    }
    act(ctx, verb)
}

/// `service UNIT VERB`.
pub fn service(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let (Some(unit), Some(verb)) = (args.get(1), args.get(2)) else {
        let _ = writeln!(
            ctx.io.stderr,
            "Usage: service < option > | --status-all | [ service_name [ command | --full-restart ] ]"
        );
        return 1;
    };
    if unit != "docker" {
        let _ = writeln!(ctx.io.stderr, "{unit}: unrecognized service");
        return 1;
    }
    if !["start", "stop", "restart", "status"].contains(&verb.as_str()) {
        let _ = writeln!(
            ctx.io.stderr,
            "Usage: /etc/init.d/docker {{start|stop|restart|status}}"
        );
        return 1;
    }
    act(ctx, verb)
}
