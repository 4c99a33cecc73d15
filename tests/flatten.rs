//! The notes' flattening recipe: a container's filesystem exported, then imported as a one-layer
//! image (`docker export` → `docker import`), and why `load` is the command for `save` archives.

use drydock::testing::TestContext;

#[test]
fn export_then_import_flattens_to_one_layer() {
    // The real init: the commands run inside the container's files, not on the host.
    let t = TestContext::new().with_real_init();
    assert_eq!(t.docker("pull httpd:2.4").2, 0);
    let (out, err, code) = t.docker("run --name box httpd:2.4 sh -c 'echo hello > /root/note.txt; rm /usr/local/apache2/htdocs/index.html'");
    assert_eq!(code, 0, "{out}{err}");
    let (_, err, code) = t.docker("export -o fs.tar box");
    assert_eq!(code, 0, "{err}");
    assert!(
        t.home.path().join("root/fs.tar").is_file(),
        "export -o writes inside the lab's /root"
    );
    let (out, err, code) = t.docker("import -m 'flattened' fs.tar flat:1");
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("sha256:") && out.len() == 72, "{out}");
    // One history row, one layer, no Cmd: the image's metadata does not survive an export.
    let (out, _, _) = t.docker("history --format '{{.CreatedBy}}|{{.Comment}}' flat:1");
    assert_eq!(out, "|flattened\n");
    let (out, _, _) =
        t.docker("image inspect --format '{{len .RootFS.Layers}} {{json .Config.Cmd}}' flat:1");
    assert_eq!(out, "1 null\n");
    let (orig, _, _) = t.docker("image inspect --format '{{len .RootFS.Layers}}' httpd:2.4");
    assert_eq!(orig, "5\n");
    // The container's changes are in the flat image: the new file, not the deleted one.
    let (out, err, code) = t.docker("run --rm flat:1 cat /root/note.txt");
    assert_eq!((out.as_str(), code), ("hello\n", 0), "{err}");
    let (_, _, code) = t.docker("run --rm flat:1 cat /usr/local/apache2/htdocs/index.html");
    assert_ne!(code, 0);
    // Without a command the flat image cannot run, as in Docker.
    let (_, err, code) = t.docker("run --rm flat:1");
    assert_eq!(code, 125);
    assert!(err.contains("No command specified"), "{err}");
}
