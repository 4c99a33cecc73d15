//! `docker build` from git contexts: a local repository path or `file://` URL with
//! `#ref:subdir`, cloned with the `git` program (skipped, with a note, when `git` is missing),
//! and remote git URLs, which fail as an offline `git fetch` does.

use std::fs;
use std::path::Path;
use std::process::Command;

use drydock::testing::TestContext;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args([
            "-c",
            "init.defaultBranch=master",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

fn ok(t: &TestContext, line: &str) -> String {
    let (out, err, code) = t.docker(line);
    assert_eq!(code, 0, "docker {line}\nstdout: {out}\nstderr: {err}");
    out
}

#[test]
fn remote_git_urls_fail_offline() {
    let t = TestContext::new();
    let (_, err, code) = t.docker("build https://github.com/docker/rootfs.git#container:docker");
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "unable to prepare context: unable to 'git clone' to temporary context directory: error fetching: fatal: unable to access 'https://github.com/docker/rootfs.git/': Could not resolve host: github.com\n: exit status 128\n"
    );
    let (_, err, _) = t.docker("build git@github.com:docker/rootfs.git");
    assert!(
        err.contains("error fetching: ssh: Could not resolve hostname github.com"),
        "{err}"
    );
    // Not a git URL (no `.git`): a remote tarball context.
    let (_, err, _) = t.docker("build https://example.com/ctx");
    assert!(err.starts_with("unable to prepare context: unable to download remote context"));
}

#[test]
fn local_repositories_and_file_urls_with_ref_and_subdir() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("note: git is not installed; git contexts are not tested");
        return;
    }
    let t = TestContext::new().with_real_init();
    ok(&t, "pull -q busybox");
    let repo = t.home.path().join("root/repo");
    fs::create_dir_all(repo.join("sub")).unwrap();
    fs::write(repo.join("Dockerfile"), "FROM busybox\nCOPY v.txt /\n").unwrap();
    fs::write(repo.join("v.txt"), "master\n").unwrap();
    fs::write(repo.join("sub/Dockerfile"), "FROM busybox\nCOPY s.txt /\n").unwrap();
    fs::write(repo.join("sub/s.txt"), "sub on master\n").unwrap();
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "one"]);
    git(&repo, &["tag", "v1"]);
    git(&repo, &["checkout", "-q", "-b", "feature"]);
    fs::write(repo.join("v.txt"), "feature\n").unwrap();
    fs::write(repo.join("sub/s.txt"), "sub on feature\n").unwrap();
    git(&repo, &["commit", "-q", "-am", "two"]);
    // An uncommitted change is not in the clone.
    fs::write(repo.join("v.txt"), "dirty\n").unwrap();

    // A plain directory stays a directory context, git or not.
    ok(&t, "build -q -t plain /root/repo");
    assert_eq!(ok(&t, "run --rm plain cat /v.txt"), "dirty\n");

    // `#ref`: the branch (the clone's HEAD is the checked-out `feature`, so take master).
    let out = ok(&t, "build -t m /root/repo#master");
    assert!(
        out.starts_with("Sending build context to Docker daemon"),
        "{out}"
    );
    assert_eq!(ok(&t, "run --rm m cat /v.txt"), "master\n");
    // A relative path and file:// URL, a tag, and `:subdir` with its own Dockerfile.
    ok(&t, "build -q -t f file:///root/repo#feature");
    assert_eq!(ok(&t, "run --rm f cat /v.txt"), "feature\n");
    ok(&t, "build -q -t s repo#v1:sub");
    assert_eq!(ok(&t, "run --rm s cat /s.txt"), "sub on master\n");
    ok(&t, "build -q -t fs file:///root/repo#feature:sub");
    assert_eq!(ok(&t, "run --rm fs cat /s.txt"), "sub on feature\n");
    // No ref: the repository's HEAD (`feature`); -f is relative to the clone, and the context
    // is its root (so sub/Dockerfile's `COPY s.txt` finds nothing there).
    ok(&t, "build -q -t h /root/repo#");
    assert_eq!(ok(&t, "run --rm h cat /v.txt"), "feature\n");
    let (out, err, code) = t.docker("build -f sub/Dockerfile /root/repo#:");
    assert_eq!(code, 1, "{err}");
    assert!(out.ends_with("Step 2/2 : COPY s.txt /\n"), "{out}");
    assert!(err.starts_with("COPY failed: file not found"), "{err}");
    // The clones are temporary.
    let tmp = t.home.path().join("var/lib/docker/tmp");
    let left: Vec<_> = fs::read_dir(&tmp)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");

    // Errors: an unknown ref, a missing subdir, a file as subdir.
    let (_, err, code) = t.docker("build /root/repo#nope");
    assert_eq!(code, 1);
    assert!(
        err.starts_with("unable to prepare context: unable to 'git clone' to temporary context directory: error checking out nope: error: pathspec 'nope' did not match"),
        "{err}"
    );
    let (_, err, _) = t.docker("build /root/repo#master:missing");
    assert!(err.contains("no such file or directory"), "{err}");
    let (_, err, _) = t.docker("build /root/repo#master:v.txt");
    assert!(
        err.contains("error setting git context, not a directory"),
        "{err}"
    );
    let (_, err, _) = t.docker("build /root/repo#master:../..");
    assert!(err.contains("not within git root"), "{err}");
    let (_, err, _) = t.docker("build file:///root/nothere#master");
    assert!(err.contains("unable to prepare context"), "{err}");
}
