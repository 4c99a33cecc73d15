//! `docker commit` with `--change`, `--author`, `--message` and `--pause`: the new image's
//! config as Docker 20.10.24 builds it (the changes applied to the container's config, `$VAR`s
//! expanded against its environment), and dockerd's words for changes it refuses.

use drydock::snapshot;
use drydock::testing::TestContext;

fn ok(t: &TestContext, line: &str) -> String {
    let (out, err, code) = t.docker(line);
    assert_eq!(code, 0, "docker {line}\nstdout: {out}\nstderr: {err}");
    out
}

/// Image IDs depend on the creation time, which runs on from the test clock.
fn redact_ids(s: &str) -> String {
    let re = regex::Regex::new(r"sha256:[0-9a-f]{64}").unwrap();
    re.replace_all(s, "sha256:[ID]").into_owned()
}

#[test]
fn commit_applies_changes_to_the_containers_config() {
    let t = TestContext::new().with_real_init();
    ok(&t, "pull -q busybox");
    ok(
        &t,
        "run --name box -e FOO=bar -w /tmp busybox sh -c 'echo hi > /tmp/x'",
    );
    let text = t.transcript(&[
        "commit -c 'ENV A=1 B=$FOO' -c 'CMD [\"echo\",\"hi\"]' -c 'EXPOSE 80 53/udp' -c 'LABEL x=y' -c 'USER nobody' -c 'VOLUME /data' -c 'WORKDIR sub' -c 'ONBUILD RUN echo $FOO' -a 'Me <me@example.com>' -m 'msg here' box snap:1",
        "image inspect -f '{{json .Config}}' snap:1",
        "image inspect -f '{{.Author}}|{{.Comment}}|{{json .ContainerConfig.Cmd}}|{{.ContainerConfig.Image}}' snap:1",
        "history --format '{{.CreatedBy}}|{{.Comment}}' snap:1",
        "run --rm snap:1",
        "run --rm snap:1 sh -c 'echo $A $B; pwd; cat /tmp/x'",
        "commit -c 'ENTRYPOINT [\"/bin/echo\"]' box snap:2",
        "image inspect -f '{{json .Config.Entrypoint}} {{json .Config.Cmd}}' snap:2",
        "commit --change 'ENTRYPOINT []' --pause=false box snap:3",
        "image inspect -f '{{json .Config.Entrypoint}} {{json .Config.Cmd}}' snap:3",
        "commit -c 'RUN echo' box",
        "commit -c '' box",
        "commit -c 'WORKDIR' box",
        "commit -c 'EXPOSE 80/xyz' box",
        "commit -c 'ENV A=${X:?oops}' box",
        "commit -c 'ENV A=1' nope",
        "commit --help",
    ]);
    snapshot!("commit_changes", redact_ids(&text));
}

#[test]
fn commit_pauses_a_running_container_only_while_it_reads_it() {
    let t = TestContext::new();
    ok(&t, "pull -q busybox");
    ok(&t, "run -d --name rr busybox sleep 60");
    ok(&t, "commit rr r:1");
    ok(&t, "commit -p=false rr r:2");
    assert_eq!(
        ok(&t, "ps --format '{{.Names}} {{.State}}'"),
        "rr running\n"
    );
    // The process was resumed: it still answers to a stop as a running one does.
    assert_eq!(ok(&t, "inspect -f '{{.State.Paused}}' rr"), "false\n");
}
