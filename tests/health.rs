//! Health checks run by the supervisor (`--health-cmd`, `HEALTHCHECK`): `State.Health`, the
//! `docker ps` STATUS suffix and `ps --filter health=`, with 1s intervals so each test takes a few
//! seconds. The expected texts are real Docker 20.10's for the same commands.

use std::time::{Duration, Instant};

use drydock::testing::TestContext;

fn ok(t: &TestContext, line: &str) -> String {
    let (out, err, code) = t.docker(line);
    assert_eq!(code, 0, "docker {line}\nstdout: {out}\nstderr: {err}");
    out
}

fn field(t: &TestContext, name: &str, template: &str) -> String {
    ok(t, &format!("inspect -f '{template}' {name}"))
        .trim()
        .to_string()
}

/// Waits until `cond` holds (polling), up to `secs`.
fn eventually(secs: u64, what: &str, mut cond: impl FnMut() -> bool) {
    let until = Instant::now() + Duration::from_secs(secs);
    while !cond() {
        assert!(Instant::now() < until, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn health(t: &TestContext, name: &str) -> serde_json::Value {
    serde_json::from_str(&field(t, name, "{{json .State.Health}}")).expect("health JSON")
}

fn status(t: &TestContext, name: &str) -> String {
    ok(
        t,
        &format!("ps -a --filter name={name} --format '{{{{.Status}}}}'"),
    )
    .trim()
    .to_string()
}

fn names_with(t: &TestContext, health: &str) -> String {
    ok(
        t,
        &format!("ps --filter health={health} --format '{{{{.Names}}}}'"),
    )
}

#[test]
fn a_passing_check_makes_the_container_healthy_inside_its_init() {
    let t = TestContext::new().with_real_init();
    ok(&t, "pull busybox");
    let id = ok(
        &t,
        "run -d --name hok --network none --health-cmd 'cat /etc/hostname' --health-interval 1s busybox sleep 30",
    );
    ok(&t, "run -d --name plain --network none busybox sleep 30");
    // Before the first probe (one interval after the start): starting, an empty log.
    assert_eq!(
        field(&t, "hok", "{{json .State.Health}}"),
        r#"{"Status":"starting","FailingStreak":0,"Log":[]}"#
    );
    assert!(status(&t, "hok").ends_with(" (health: starting)"));
    assert_eq!(names_with(&t, "starting"), "hok\n");
    assert_eq!(field(&t, "plain", "{{json .State.Health}}"), "null");
    assert_eq!(status(&t, "plain").rfind('('), None);
    eventually(10, "healthy", || {
        field(&t, "hok", "{{.State.Health.Status}}") == "healthy"
    });
    let h = health(&t, "hok");
    let keys: Vec<&str> = h.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["Status", "FailingStreak", "Log"]);
    assert_eq!(h["FailingStreak"], 0);
    let first = &h["Log"][0];
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["Start", "End", "ExitCode", "Output"]);
    assert_eq!(first["ExitCode"], 0);
    // The probe ran in the container: its /etc/hostname is the container's.
    assert_eq!(first["Output"], format!("{}\n", &id.trim()[..12]));
    let st = status(&t, "hok");
    assert!(
        st.starts_with("Up ") && st.ends_with(" (healthy)"),
        "status: {st}"
    );
    assert_eq!(names_with(&t, "healthy"), "hok\n");
    assert_eq!(names_with(&t, "none"), "plain\n");
    assert_eq!(names_with(&t, "unhealthy"), "");
    // A stopped monitor leaves the container unhealthy, its log kept (dockerd's
    // CloseMonitorChannel).
    ok(&t, "stop -t 0 hok");
    let h = health(&t, "hok");
    assert_eq!(h["Status"], "unhealthy");
    assert_eq!(h["FailingStreak"], 0);
    assert!(!h["Log"].as_array().unwrap().is_empty());
    assert!(status(&t, "hok").starts_with("Exited "));
    ok(&t, "rm -f plain");
}

#[test]
fn retries_failures_make_it_unhealthy() {
    let t = TestContext::new();
    ok(&t, "pull busybox");
    ok(
        &t,
        "run -d --name hbad --health-cmd 'echo oops; exit 1' --health-interval 1s --health-retries 2 busybox sleep 30",
    );
    eventually(10, "the first failure", || {
        health(&t, "hbad")["Log"]
            .as_array()
            .is_some_and(|l| !l.is_empty())
    });
    let h = health(&t, "hbad");
    if h["FailingStreak"] == 1 {
        // One failure of two: still starting.
        assert_eq!(h["Status"], "starting");
    }
    eventually(10, "unhealthy", || {
        field(&t, "hbad", "{{.State.Health.Status}}") == "unhealthy"
    });
    let h = health(&t, "hbad");
    assert!(h["FailingStreak"].as_i64().unwrap() >= 2);
    assert_eq!(h["Log"][0]["ExitCode"], 1);
    assert_eq!(h["Log"][0]["Output"], "oops\n");
    let st = status(&t, "hbad");
    assert!(st.ends_with(" (unhealthy)"), "status: {st}");
    assert_eq!(names_with(&t, "unhealthy"), "hbad\n");
    assert_eq!(names_with(&t, "healthy"), "");
    ok(&t, "rm -f hbad");
}

#[test]
fn a_probe_past_its_timeout_fails() {
    let t = TestContext::new();
    ok(&t, "pull busybox");
    ok(
        &t,
        "run -d --name hto --health-cmd 'sleep 5' --health-interval 1s --health-timeout 300ms --health-retries 1 busybox sleep 30",
    );
    eventually(10, "unhealthy", || {
        field(&t, "hto", "{{.State.Health.Status}}") == "unhealthy"
    });
    let h = health(&t, "hto");
    assert_eq!(h["Log"][0]["ExitCode"], -1);
    assert_eq!(
        h["Log"][0]["Output"],
        "Health check exceeded timeout (300ms)"
    );
    ok(&t, "rm -f hto");
}

#[test]
fn run_health_flags() {
    let t = TestContext::new();
    ok(&t, "pull busybox");
    ok(&t, "create --name n1 --no-healthcheck busybox true");
    assert_eq!(
        field(&t, "n1", "{{json .Config.Healthcheck}}"),
        r#"{"Test":["NONE"]}"#
    );
    ok(
        &t,
        "create --name n2 --health-cmd 'true' --health-interval 1s --health-retries 2 busybox true",
    );
    assert_eq!(
        field(&t, "n2", "{{json .Config.Healthcheck}}"),
        r#"{"Test":["CMD-SHELL","true"],"Interval":1000000000,"Retries":2}"#
    );
    // A created container has no Health yet.
    assert_eq!(field(&t, "n2", "{{json .State.Health}}"), "null");
    let (_, err, code) = t.docker("create --no-healthcheck --health-cmd true busybox true");
    assert_eq!(code, 125);
    assert!(
        err.contains("--no-healthcheck conflicts with --health-* options"),
        "{err}"
    );
    let (_, err, code) = t.docker("create --health-interval 1x busybox true");
    assert_eq!(code, 125);
    assert!(
        err.contains(
            "invalid argument \"1x\" for \"--health-interval\" flag: time: unknown unit \"x\" in duration \"1x\""
        ),
        "{err}"
    );
}
