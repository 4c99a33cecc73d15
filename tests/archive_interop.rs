//! Interop with the real tools, each test skipped (with a note on stderr) when its tool is
//! missing; `.ci/run` installs skopeo and podman so CI runs them. The real-Docker test runs only
//! when `DOCKER_HOST` points at a reachable daemon (`../shared/tools/real-docker up`).
//!
//! - `skopeo inspect docker-archive:` reads drydock's archives with drydock's digests.
//! - `podman load` (vfs storage in a temporary root) gives the same image ID.
//! - Archives skopeo writes (`docker-archive:`, `oci-archive:`, gzip-compressed too) load here
//!   with the IDs skopeo reports.
//! - Real Docker loads drydock's archive with the same IDs; its own save loads here with the
//!   same IDs and history, and drydock saves it back byte for byte.

use std::path::Path;
use std::process::Command;

fn have(tool: &str) -> bool {
    let ok = Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("note: {tool} is not installed; skipping (apt-get install -y {tool})");
    }
    ok
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("runs");
    assert!(
        out.status.success(),
        "{cmd:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn drydock(home: &Path, args: &str) -> String {
    drydock_args(home, &args.split_whitespace().collect::<Vec<_>>())
}

fn drydock_args(home: &Path, args: &[&str]) -> String {
    let mut c = Command::new(env!("CARGO_BIN_EXE_drydock"));
    c.arg("--home").arg(home).arg("docker");
    c.args(args);
    c.env("DRYDOCK_CLOCK", "2024-01-01T00:00:00Z");
    run(&mut c)
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).expect("JSON")
}

/// A saved busybox + alpine archive from a fresh drydock home.
fn drydock_archive(dir: &Path) -> (std::path::PathBuf, String, Vec<String>) {
    let home = dir.join("home");
    drydock(&home, "pull -q alpine:3.15");
    let tar = dir.join("x.tar");
    drydock(&home, &format!("save -o {} alpine:3.15", tar.display()));
    let id = drydock(&home, "images -q --no-trunc alpine:3.15")
        .trim()
        .to_string();
    let diffs = drydock_args(
        &home,
        &[
            "image",
            "inspect",
            "--format",
            "{{json .RootFS.Layers}}",
            "alpine:3.15",
        ],
    );
    let diffs: Vec<String> = serde_json::from_str(diffs.trim()).unwrap();
    (tar, id, diffs)
}

#[test]
fn skopeo_reads_drydock_archives() {
    if !have("skopeo") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (tar, id, diffs) = drydock_archive(dir.path());
    let raw = json(&run(Command::new("skopeo")
        .arg("inspect")
        .arg("--raw")
        .arg(format!("docker-archive:{}", tar.display()))));
    assert_eq!(raw["config"]["digest"], id.as_str());
    let layers: Vec<&str> = raw["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["digest"].as_str().unwrap())
        .collect();
    assert_eq!(layers, diffs);
    let info = json(&run(Command::new("skopeo")
        .arg("inspect")
        .arg(format!("docker-archive:{}", tar.display()))));
    assert_eq!(info["Layers"].as_array().unwrap().len(), diffs.len());
}

#[test]
fn podman_loads_drydock_archives_with_the_same_id() {
    if !have("podman") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (tar, id, _) = drydock_archive(dir.path());
    let podman = |args: &[&str]| {
        let mut c = Command::new("podman");
        c.arg("--root")
            .arg(dir.path().join("pm-root"))
            .arg("--runroot")
            .arg(dir.path().join("pm-run"))
            .arg("--storage-driver")
            .arg("vfs");
        c.args(args);
        run(&mut c)
    };
    podman(&["load", "-q", "-i", tar.to_str().unwrap()]);
    let ids = podman(&["images", "--no-trunc", "--format", "{{.ID}}"]);
    assert!(
        ids.lines().any(|l| l == id || format!("sha256:{l}") == id),
        "{ids} vs {id}"
    );
}

#[test]
fn archives_written_by_skopeo_load_with_the_same_ids() {
    if !have("skopeo") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let tar = dir.path().join("x.tar");
    // The source: a drydock save (a valid docker-archive made offline).
    drydock(&home, "pull -q busybox");
    drydock(&home, &format!("save -o {} busybox", tar.display()));
    drydock(&home, "rmi busybox");
    for (dest, gz) in [
        ("docker-archive", false),
        ("oci-archive", false),
        ("oci-archive", true),
    ] {
        let out = dir.path().join(format!("{dest}-{gz}.tar"));
        let _ = std::fs::remove_file(&out);
        run(Command::new("skopeo")
            .arg("copy")
            .arg("-q")
            .arg(format!("docker-archive:{}", tar.display()))
            .arg(format!("{dest}:{}:sk/img:1", out.display())));
        let want = json(&run(Command::new("skopeo")
            .arg("inspect")
            .arg("--raw")
            .arg(format!("{dest}:{}", out.display()))));
        let want_id = want["config"]["digest"].as_str().unwrap().to_string();
        let file = if gz {
            let bytes = std::fs::read(&out).unwrap();
            let mut g = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            std::io::Write::write_all(&mut g, &bytes).unwrap();
            let gzp = dir.path().join("oci.tar.gz");
            std::fs::write(&gzp, g.finish().unwrap()).unwrap();
            gzp
        } else {
            out
        };
        let loaded = drydock(&home, &format!("load -i {}", file.display()));
        assert_eq!(loaded, "Loaded image: sk/img:1\n", "{dest}");
        let id = drydock(&home, "images -q --no-trunc sk/img:1");
        assert_eq!(id.trim(), want_id, "{dest}");
        drydock(&home, "rmi sk/img:1");
    }
}

/// The real Docker engine, if `DOCKER_HOST` is set and answers.
fn real_docker() -> bool {
    if std::env::var_os("DOCKER_HOST").is_none() {
        eprintln!("note: DOCKER_HOST is not set; skipping the real-Docker interop test");
        return false;
    }
    let up = Command::new("docker")
        .args(["version", "--format", "{{.Server.Version}}"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !up {
        eprintln!("note: the Docker daemon at DOCKER_HOST does not answer; skipping");
    }
    up
}

#[test]
fn real_docker_and_drydock_exchange_archives() {
    if !real_docker() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    // drydock → Docker.
    drydock(&home, "pull -q alpine:3.15");
    drydock(&home, "tag alpine:3.15 drydock-interop/alpine:1");
    let tar = dir.path().join("d.tar");
    drydock(
        &home,
        &format!("save -o {} drydock-interop/alpine:1", tar.display()),
    );
    let id = drydock(&home, "images -q --no-trunc drydock-interop/alpine:1");
    let out = run(Command::new("docker").arg("load").arg("-i").arg(&tar));
    assert!(
        out.contains("Loaded image: drydock-interop/alpine:1"),
        "{out}"
    );
    let docker_id = run(Command::new("docker").args([
        "image",
        "inspect",
        "--format",
        "{{.Id}}",
        "drydock-interop/alpine:1",
    ]));
    assert_eq!(docker_id.trim(), id.trim());
    // Docker → drydock, and back out byte for byte.
    let back = dir.path().join("back.tar");
    run(Command::new("docker")
        .args(["save", "-o"])
        .arg(&back)
        .arg("drydock-interop/alpine:1"));
    let hist = run(Command::new("docker").args([
        "history",
        "--no-trunc",
        "--format",
        "{{.CreatedBy}}|{{.Size}}|{{.Comment}}",
        "drydock-interop/alpine:1",
    ]));
    let _ = Command::new("docker")
        .args(["rmi", "drydock-interop/alpine:1"])
        .output();
    let home2 = dir.path().join("home2");
    drydock(&home2, &format!("load -i {}", back.display()));
    assert_eq!(
        drydock(&home2, "images -q --no-trunc drydock-interop/alpine:1"),
        id
    );
    let mine = drydock(
        &home2,
        "history --no-trunc --format {{.CreatedBy}}|{{.Size}}|{{.Comment}} drydock-interop/alpine:1",
    );
    assert_eq!(mine.lines().count(), hist.lines().count());
    let again = dir.path().join("again.tar");
    drydock(
        &home2,
        &format!("save -o {} drydock-interop/alpine:1", again.display()),
    );
    assert_eq!(
        std::fs::read(&again).unwrap(),
        std::fs::read(&back).unwrap()
    );
}
