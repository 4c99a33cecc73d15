//! Insta transcripts of the container commands the other container tests check by assertion:
//! run, exec, port, diff, pause/unpause, stop, start, kill, restart, commit, container prune,
//! system df. Real processes with the real init; container IDs come from the seeded random
//! source, times are redacted by the shared filters, and tables whose widths follow a duration
//! use `--format`.

use drydock::snapshot;
use drydock::testing::TestContext;

#[test]
fn container_lifecycle_transcript() {
    let t = TestContext::new().with_real_init();
    assert_eq!(t.docker("pull -q httpd:2.4").2, 0);
    assert_eq!(t.docker("pull -q busybox").2, 0);
    let (_, err, code) = t.docker("commit nope x:1");
    assert_eq!(code, 1, "{err}");
    let lines = [
        "run -d --name web -p 18088:80 httpd:2.4",
        "ps --format '{{.ID}} {{.Image}} {{.Command}} {{.Ports}} {{.Names}}'",
        "port web",
        "exec web ls /usr/local/apache2/htdocs",
        "exec web sh -c 'echo hi > /tmp/new.txt; rm /usr/local/apache2/htdocs/index.html'",
        "diff web",
        "pause web",
        "ps --format '{{.Names}} {{.State}}'",
        "unpause web",
        "stop web",
        "ps -a --format '{{.Names}} {{.Status}}'",
        "start web",
        "kill web",
        "ps -a --format '{{.Names}} {{.Status}}'",
        "run --name once busybox echo hello from busybox",
        "run --rm busybox sh -c 'exit 3'",
        "container prune -f",
        "ps -a --format '{{.Names}} {{.Status}}'",
        "rm web",
        "ps -aq",
    ];
    snapshot!("container_lifecycle", t.transcript(&lines));
}
